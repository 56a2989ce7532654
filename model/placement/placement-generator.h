/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PLACEMENT_GENERATOR_H
#define PLACEMENT_GENERATOR_H

#include "placement-problem.h"

#include "ns3/aisfc-topology.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ns3
{

/// \ingroup aisfc A closed range [min, max] a generator draws uniformly from (min == max: fixed).
struct PlacementRange
{
    double min = 0; //!< smallest value
    double max = 0; //!< largest value
};

/**
 * \ingroup aisfc
 * What a PlacementGenerator draws problems from.  Defaults are the SR-EM paper's evaluation
 * setting (Section VI) where the text gives it, and documented assumptions where the ranges
 * were lost (doc/placement.rst, "Assumed defaults").  Sizes are bytes, rates bit/s, durations
 * seconds, costs units of currency.
 */
struct PlacementGeneratorConfig
{
    std::string preset = "srem";           //!< the preset these values started from
    std::string topology = "fattree:srem"; //!< topology spec (LoadTopology)
    uint32_t types = 4;                    //!< function types
    uint32_t instancesPerType = 2;         //!< instances of each type
    uint32_t requests = 90;                //!< service requests
    uint32_t minChainLength = 1;           //!< fewest functions in a chain
    uint32_t maxChainLength = 4;           //!< most functions in a chain (distinct types)
    double start = 10 * 3600.0;            //!< time of day of the first slot (10:00)
    double slotLength = 2 * 3600.0;        //!< reconfiguration interval (2 hours)
    uint32_t slots = 6;                    //!< 10:00 to 22:00
    double workEnd = 16 * 3600.0;          //!< slots starting before this are working hours
    double trafficWindow = 1;              //!< seconds of traffic in a request's volume
    uint64_t sramBlock = 16384;            //!< local memory granularity (Tofino SRAM block)

    PlacementRange serverStorage{4e9, 16e9};    //!< server storage (paper: GB)
    PlacementRange localMemory{4e6, 16e6};      //!< switch local memory (paper: MB)
    PlacementRange externalMemory{64e6, 256e6}; //!< switch external memory (paper: MB)
    bool rdmaTableEqualsLocal = true;           //!< paper: RDMA tables as large as the LMs
    PlacementRange rdmaTable{4e6, 16e6};        //!< RDMA table when not equal to the LM
    PlacementRange linkBandwidth{1e9, 10e9};    //!< link bandwidth (paper: Gbps)
    PlacementRange linkDelay{0.5e-3, 2e-3};     //!< link propagation delay (paper: ms)
    PlacementRange linkCostPerGB{0.5, 2.5};     //!< link cost per GB, in proportion to bandwidth
    PlacementRange controllerBandwidth{50e9, 50e9};   //!< controller-switch bandwidth (paper)
    PlacementRange controllerCostPerGB{1.5, 1.5};     //!< cost per GB of control traffic
    PlacementRange functionStorage{1e6, 20e6};        //!< function size, switch and server (MB)
    PlacementRange serverProcessing{200e6, 400e6};    //!< instance capacity on a server (Mbps)
    PlacementRange switchProcessing{100e9, 100e9};    //!< instance capacity in a switch (paper)
    PlacementRange serverDelayPerMB{10e-3, 20e-3};    //!< server processing delay per MB
    PlacementRange switchDelayPerMB{0.05e-3, 0.1e-3}; //!< switch processing delay per MB
    PlacementRange rdmaAccessDelay{1.8e-6, 2.2e-6};   //!< per RDMA access per MB (TEA)
    PlacementRange serverCostPerGB{0.05, 0.1};        //!< server storage cost per GB
    PlacementRange localCostPerMB{0.0002, 0.0004};    //!< local memory cost per MB
    PlacementRange externalDiscountPerMB{0.00005, 0.0001}; //!< external = local - discount
    PlacementRange workRate{1e6, 10e6};                    //!< request rate in working hours (Mbps)
    PlacementRange offRate{10e3, 100e3};       //!< request rate after working hours (Kbps)
    PlacementRange workDeadline{20e-3, 50e-3}; //!< deadline in working hours
    PlacementRange offDeadline{15e-3, 30e-3};  //!< deadline after working hours
    PlacementWeights weights;                  //!< objective and reward weights
};

/**
 * \ingroup aisfc
 * Makes placement problems: the `srem` preset is the SR-EM paper's setting (the 22-node
 * fat-tree, 4 function types x 2 instances, 90 chains, 10:00-22:00 in 2-hour slots, the
 * initial deployment on the cheapest servers that fit and a random assignment to instances
 * with room).  Every value can be overridden from JSON.
 *
 * Generate is deterministic across platforms: std::mt19937_64 (whose output the standard
 * fixes) with the generator's own uniform mappings, never std::uniform_*_distribution.
 */
class PlacementGenerator
{
  public:
    /// \brief A generator with this configuration (checked; the topology is loaded once).
    /// \throws AisfcInputError naming the bad field
    explicit PlacementGenerator(
        const PlacementGeneratorConfig& config = PlacementGeneratorConfig());

    /// \brief \return the configuration of a preset ("srem")
    /// \throws AisfcInputError for an unknown name
    static PlacementGeneratorConfig Preset(const std::string& name);
    /// \brief \return the names of the presets
    static std::vector<std::string> PresetNames();
    /**
     * \brief Read a configuration: "preset" (default "srem") then any field overriding it.
     * Ranges are {"min": x, "max": y} or one value for both; sizes, rates and durations may
     * carry units ("64MB", "10Gbps", "2ms").
     * \param doc the JSON object
     * \param source file name used in errors
     * \return the configuration
     * \throws AisfcInputError naming the JSON path of the first bad value
     */
    static PlacementGeneratorConfig ConfigFromJson(const nlohmann::json& doc,
                                                   const std::string& source);
    /// \brief \return a configuration as JSON (read back exactly by ConfigFromJson)
    static nlohmann::json ConfigToJson(const PlacementGeneratorConfig& config);

    /// \brief \return the configuration
    const PlacementGeneratorConfig& GetConfig() const;
    /// \brief \return the problem of a seed (same seed, same problem, on every platform)
    PlacementProblem Generate(uint64_t seed) const;
    /**
     * \brief The problems of a data set: item k has seed SetSeed(seed, first + k), so a
     * training set (first = 0) and a test set (first = its size) from one seed are disjoint.
     * \param seed the data set's seed
     * \param count how many problems
     * \param first index of the first item
     * \return the problems
     */
    std::vector<PlacementProblem> GenerateSet(uint64_t seed,
                                              uint32_t count,
                                              uint32_t first = 0) const;
    /// \brief \return the seed of item `index` of the data set `seed` (SplitMix64)
    static uint64_t SetSeed(uint64_t seed, uint64_t index);

  private:
    PlacementGeneratorConfig m_config;
    AisfcTopology m_topology; //!< the loaded topology spec
};

} // namespace ns3

#endif // PLACEMENT_GENERATOR_H
