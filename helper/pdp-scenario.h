/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PDP_SCENARIO_H
#define PDP_SCENARIO_H

#include "ns3/ipv6-address.h"
#include "ns3/pdp-function.h"
#include "ns3/pdp-memory-accountant.h"

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class AisfcFlowProbe;
class AisfcNetworkBuilder;
class AisfcTopology;
class JsonReader;
class Srv6Helper;

/**
 * \ingroup aisfc
 * The `pdp` section of a scenario: PDP switches (pipeline and memory), servers, memory servers
 * for external memory, the controller, function types and instances, and reconfigurations.
 * Every non-host, non-server node becomes a PdpSwitch; function instances are End SIDs whose
 * names (and "NAME@MEMORY@HOST" for each later placement) can be segments of srv6 policies.
 */
struct PdpScenarioConfig
{
    /// Pipeline attributes of every switch (PdpSwitch's attributes).
    struct Pipeline
    {
        uint32_t stages = 12;                 //!< Stages
        double fixedLatencySeconds = 200e-9;  //!< FixedLatency
        double stageLatencySeconds = 7e-9;    //!< StageLatency
        double tcamKSeconds = 30e-9;          //!< TcamK
        double packetRate = 1.2e9;            //!< PacketRate
        uint32_t queueLimit = 4096;           //!< QueueLimit
        double recirculationSeconds = 100e-9; //!< RecirculationLatency
    };

    /// A memory server on its own link to a switch.
    struct MemoryServer
    {
        std::string sw;                       //!< switch it hangs off
        double rateBps = 100e9;               //!< its link
        double delaySeconds = 50e-9;          //!< its link
        uint64_t bytes = uint64_t(4) << 30;   //!< DRAM for the switch's tables
        double accessLatencySeconds = 1.8e-6; //!< RNIC + PCIe + DRAM
        double lookupRate = 17e6;             //!< reads per second
        uint32_t queueLimit = 4096;           //!< reads waiting
        std::string place;                    //!< JSON place
    };

    /// A function instance's first placement.
    struct Function
    {
        std::string name;   //!< unique; a segment name in srv6 policies
        std::string type;   //!< built-in or from function_types
        std::string host;   //!< node
        std::string memory; //!< "local", "external" or "server"
        std::string place;  //!< JSON place
    };

    /// A reconfiguration at a given time.
    struct Change
    {
        double atSeconds = 0; //!< simulated time
        std::string function; //!< instance
        std::string action;   //!< "migrate" or "remove"
        std::string host;     //!< migrate: new node
        std::string memory;   //!< migrate: new memory
        std::string place;    //!< JSON place
    };

    Pipeline pipeline;                            //!< every switch
    PdpMemoryBudget switchMemory;                 //!< every switch (external grows with servers)
    uint64_t serverBytes = uint64_t(64) << 30;    //!< every server
    std::string externalMode = "packets";         //!< "packets" or "analytic"
    uint32_t cacheEntries = 0;                    //!< EMAC cache
    double analyticRoundTripSeconds = 2e-6;       //!< analytic mode
    double analyticLookupRate = 17e6;             //!< analytic mode
    double controlBandwidthBps = 50e9;            //!< controller link
    double controlLatencySeconds = 10e-6;         //!< controller link
    double migrationBandwidthBps = 10e9;          //!< between servers
    double controlCostPerGb = 0.05;               //!< programming cost
    double migrationCostPerGb = 0.02;             //!< migration cost
    double drainSeconds = 1e-3;                   //!< old SID kept after a switch-over
    std::vector<MemoryServer> memoryServers;      //!< external memory
    std::map<std::string, PdpFunctionType> types; //!< built-in types plus the section's own
    std::vector<std::string> customTypes;         //!< names of the section's own types, in order
    std::vector<Function> functions;              //!< instances
    std::vector<Change> changes;                  //!< reconfigurations, in time order
};

/// \ingroup aisfc \brief Read the `pdp` object of a scenario (syntax and local checks).
PdpScenarioConfig ReadPdpSection(JsonReader& section, double durationSeconds);
/// \ingroup aisfc \brief \return the section as JSON, defaults filled
nlohmann::json PdpSectionToJson(const PdpScenarioConfig& config);

/**
 * \ingroup aisfc
 * A pdp section resolved against a topology, installed on its network, and its results.
 * A deployment the controller refuses (it does not fit) is not an input error: it is reported
 * under "refused" with the reason, and the run goes on.
 */
class PdpDeployment
{
  public:
    /// \brief Resolve every name; throws AisfcInputError naming the place of a bad one.
    PdpDeployment(const PdpScenarioConfig& config, const AisfcTopology& topology);
    ~PdpDeployment();

    /// \brief \return the SID of every instance name and every later placement
    /// ("NAME@MEMORY@HOST"), for srv6 segment lists
    const std::map<std::string, Ipv6Address>& NamedSegments() const;
    /// \brief Install switches, servers, memory servers and the controller on a network with
    /// SRv6 installed; deploy the functions at time 0; schedule the changes.
    void Install(AisfcNetworkBuilder& network, Srv6Helper& srv6, AisfcFlowProbe& probe);
    /// \brief \return switches, servers, memory servers, functions, reconfigurations, refusals
    nlohmann::json Results() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace ns3

#endif
