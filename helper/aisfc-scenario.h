/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_SCENARIO_H
#define AISFC_SCENARIO_H

#include "aisfc-network-builder.h"
#include "nsf-scenario.h"
#include "pdp-scenario.h"
#include "srv6-scenario.h"

#include "ns3/topology-builder.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * One traffic flow of a scenario.
 */
struct FlowConfig
{
    std::string name;           //!< unique name in results
    std::string type;           //!< "udp-cbr" or "tcp-bulk"
    std::string src;            //!< source node name
    std::string dst;            //!< destination node name
    double rateBps = 1e6;       //!< udp-cbr: sending rate
    uint32_t packetSize = 1000; //!< udp-cbr: UDP payload bytes
    uint64_t maxBytes = 0;      //!< tcp-bulk: bytes to send (0: until stop)
    double startSeconds = 0;    //!< application start
    double stopSeconds = 0;     //!< application stop
    uint16_t port = 0;          //!< destination port (9000 + index unless given)
    std::string place;          //!< JSON place of this flow, for errors found later
};

/**
 * \ingroup aisfc
 * A validated scenario with every default filled in.
 */
struct ScenarioConfig
{
    std::string name = "scenario";          //!< scenario name
    uint32_t seed = 1;                      //!< ns-3 RngSeed
    uint64_t run = 1;                       //!< ns-3 RngRun
    double durationSeconds = 1;             //!< simulated time
    std::string topologySpec;               //!< spec for LoadTopology (file paths made absolute)
    TopologyOptions topologyOptions;        //!< loading rules
    NetworkOptions network;                 //!< ns-3 build options
    uint32_t tcpSegmentSize = 1428;         //!< TCP MSS in bytes
    std::vector<FlowConfig> flows;          //!< traffic
    std::optional<Srv6ScenarioConfig> srv6; //!< SRv6 SIDs, functions and policies
    std::optional<PdpScenarioConfig> pdp;   //!< PDP switches, memory, in-network functions
    std::optional<NsfScenarioConfig> nsf;   //!< split inference on neural service functions
    bool pcap = false;                      //!< write a pcap per device
    bool flowsCsv = true;                   //!< write flows.csv
    std::string source;                     //!< scenario file name, for errors
};

/**
 * \ingroup aisfc
 * \brief Validate a scenario document and fill in defaults.
 *
 * Unknown keys, wrong types, out-of-range values and inconsistent times are errors that name
 * the source and the JSON path.  Node names are checked later, against the loaded topology.
 * \param doc the parsed JSON
 * \param source file name for errors; relative topology paths are taken from its directory
 * \return the configuration
 * \throws AisfcInputError
 */
ScenarioConfig ParseScenario(const nlohmann::json& doc, const std::string& source);

/**
 * \ingroup aisfc
 * \brief \return the configuration as JSON with every value explicit (config.resolved.json);
 * ParseScenario of it gives the same configuration.
 */
nlohmann::json ScenarioToJson(const ScenarioConfig& config);

} // namespace ns3

#endif // AISFC_SCENARIO_H
