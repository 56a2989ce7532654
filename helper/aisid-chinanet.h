/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISID_CHINANET_H
#define AISID_CHINANET_H

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace ns3
{

/// \ingroup aisfc Parameters of the AISID-against-DNS experiment on Chinanet (every one a
/// --name=value of the aisid-chinanet example and a key of a scenario's "aisid" section).
struct AisidChinanetParams
{
    std::string topology = "zoo:Chinanet";
    double linkRate = 100e9; //!< bit/s of every topology link
    std::string linkDelay = "5ms";
    uint32_t ingressCount = 10;
    double gatewayFraction = 0;
    uint32_t egressCount = 4;
    std::string ingress;
    std::string egress;
    uint32_t nodesPerEgress = 2;
    double totalTflops = 10000;
    uint32_t resolvers = 4;
    std::string dnsPolicy = "nearest";
    uint32_t ttl = 30;
    uint32_t concurrency = 500;
    std::string sweep;
    double window = 0.05;
    double startTime = 0.5;
    double horizon = 20;
    double minTflop = 1;
    double maxTflop = 10;
    double minMbps = 20;
    double maxMbps = 100;
    double transferSeconds = 0.04;
    double accessRate = 100e9;
    double accessDelay = 100e-6;
    uint32_t minResponse = 4000;
    uint32_t maxResponse = 64000;
    uint32_t segmentSize = 1340;
    uint32_t tcpBuffer = 1 << 20;
    std::string mode = "both";
    bool plot = true;
    std::string outDir = "aisid-chinanet-out";
};

/**
 * \ingroup aisfc
 * \brief Run the experiment: AISID (gateways, SRv6, weighted least connections) and the DNS
 * baseline on the same requests, at p.concurrency and at each level of p.sweep.
 * \param p the parameters
 * \param place prefix naming a parameter in errors ("--" for options, "file: /aisid/" for a
 *        scenario)
 * \param print print one line per mode and level
 * \return {"config", "concurrency", "aisid", "dns", "reduction_pct", "sweep"}
 * \throws AisfcInputError naming a bad parameter
 */
nlohmann::json AisidRunChinanet(const AisidChinanetParams& p, const std::string& place, bool print);

/// \ingroup aisfc \brief \return the reductions of a result beside the paper's, printable
std::string AisidChinanetSummary(const nlohmann::json& results);

/// \ingroup aisfc An "aisid" scenario's parameters, seed and run (ns-3 RngSeed, RngRun).
struct AisidChinanetScenario
{
    AisidChinanetParams params;
    uint64_t seed = 1;
    uint64_t run = 1;
};

/**
 * \ingroup aisfc
 * \brief Read an "aisid" scenario (see AisidRunChinanetScenario) without running it.
 * \throws AisfcInputError naming the JSON path of a bad value
 */
AisidChinanetScenario AisidParseChinanetScenario(const nlohmann::json& doc,
                                                 const std::string& source);

/**
 * \ingroup aisfc
 * \brief A scenario with an "aisid" section (run by ./aisfc run): {"name", "seed", "run",
 * "topology", "aisid": {parameter: value}}; rates and durations may carry units. Writes
 * outDir/results.json (and the sweep figures).
 * \param doc the scenario
 * \param source the file, for errors
 * \param outDir the output directory
 * \return the results
 * \throws AisfcInputError naming the JSON path of a bad value
 */
nlohmann::json AisidRunChinanetScenario(const nlohmann::json& doc,
                                        const std::string& source,
                                        const std::string& outDir);

} // namespace ns3

#endif // AISID_CHINANET_H
