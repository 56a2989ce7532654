/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef NSF_SCENARIO_H
#define NSF_SCENARIO_H

#include "ns3/nsf-device.h"
#include "ns3/nsf-model.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class AisfcNetworkBuilder;
class AisfcTopology;
class JsonReader;
class Srv6Helper;

/**
 * \ingroup aisfc
 * The `nsf` section of a scenario: multi-hop split inference of a model split into sub-models
 * on neural service functions hanging off given nodes, from a client, over an SRv6 SFC or the
 * baseline (each stage addressed directly).
 */
struct NsfScenarioConfig
{
    std::string client;               //!< client node
    std::vector<std::string> routers; //!< per stage: the node its NSF hangs off
    nlohmann::json model;             //!< a built-in name or a model document
    std::vector<std::string> cuts;    //!< layers after which the model is cut
    nlohmann::json devices;           //!< a preset name, a device object, or one per stage
    std::string mode = "sfc";         //!< "sfc" or "baseline"
    std::string task = "inference";   //!< "inference" (MSI) or "training" (MSL)
    std::string labels = "last-nsf";  //!< training: the label holder, "last-nsf" or "client"
                                      //!< (U-shaped)
    uint32_t batchSize = 8;           //!< samples per mini-batch
    uint32_t batches = 10;            //!< mini-batches
    double startSeconds = 0.1;        //!< the client's start
    double linkRateBps = 10e9;        //!< each NSF's link
    double linkDelaySeconds = 1e-6;   //!< each NSF's link
    std::string place;                //!< JSON place of the section

    /// Numeric mode (an MLP model: flatten, linear and relu layers only): real tensors, each
    /// NSF training its slice; data from seeded blobs or a CSV or IDX file; `verify` trains the
    /// unsplit network in the same order and reports the largest relative weight difference.
    struct Numeric
    {
        std::string optimizer = "adam"; //!< "adam" or "sgd"
        double learningRate = 1e-3;     //!< step size
        double momentum = 0;            //!< SGD momentum
        uint64_t initSeed = 7;          //!< weights
        uint64_t dataSeed = 1;          //!< blobs
        uint64_t shuffleSeed = 11;      //!< batch order
        uint32_t samples = 512;         //!< blobs
        std::string csv;                //!< or a CSV file (last column: label)
        std::string idxImages;          //!< or IDX files
        std::string idxLabels;          //!< (both)
        bool verify = false;            //!< compare with unsplit training
    };

    std::optional<Numeric> numeric; //!< timing only when absent
    /// SFC path alternatives: per alternative, per hop (client to stage 0, then stage to
    /// stage), the waypoint nodes; with two or more, a controller moves the chain off an
    /// overloaded one.
    std::vector<std::vector<std::vector<std::string>>> paths;
    double pollIntervalSeconds = 0.01;  //!< controller
    double controlDelaySeconds = 0.001; //!< controller
    double threshold = 0.9;             //!< controller

    // Resolved when read (so errors name their place before anything runs):
    std::vector<NsfSubModel> stages;   //!< the split model
    std::vector<NsfDevice> deviceList; //!< one per stage
};

/// \ingroup aisfc \brief Read and check the `nsf` object of a scenario.
NsfScenarioConfig ReadNsfSection(JsonReader& section, const std::string& source);
/// \ingroup aisfc \brief \return the section as JSON, defaults filled
nlohmann::json NsfSectionToJson(const NsfScenarioConfig& config);
/// \ingroup aisfc \brief \return bytes the chain's SRv6 encapsulation adds to a packet (0 in
/// baseline mode): outer IPv6 header and an SRH of stages + 1 segments
uint32_t NsfMaxEncapsulationBytes(const NsfScenarioConfig& config);

/**
 * \ingroup aisfc
 * An nsf section resolved against a topology, installed on its network, and its results.
 */
class NsfDeployment
{
  public:
    /// \brief Resolve node names; throws AisfcInputError naming the place of a bad one.
    NsfDeployment(const NsfScenarioConfig& config, const AisfcTopology& topology);
    ~NsfDeployment();
    /// \brief Build the chain on a network with SRv6 installed.
    void Install(AisfcNetworkBuilder& network, Srv6Helper& srv6);
    /// \brief \return stages, per-batch timelines and their means, throughput
    nlohmann::json Results() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace ns3

#endif
