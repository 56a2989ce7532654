/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The same SFC traffic through one in-network function placed in turn in a switch's local
// memory, in its external memory (a memory server read over RDMA) and on a server (a VM), and a
// request for more local memory than exists, refused with its reason.
//
//   h0 - s0 - s1 - s2 - h1        s0 steers h0 -> h1 through the function, then End.DT6 at s2
//             | \
//           srv  mem              srv: server for the VM; mem: s1's memory server (stub link)
//
// OUT/results.json: {"placements": [{"placement", "mean_latency_us", "p99_latency_us",
// "throughput_gbps", ...}], "refused": [{"request", "reason"}], "rdma": {...}}; each
// placement's full scenario run (config.resolved.json, results.json) is in OUT/<placement>/.
//
//   ./aisfc example pdp-external-memory --outDir=out/pdp

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-scenario-runner.h"
#include "ns3/aisfc-units.h"
#include "ns3/command-line.h"
#include "ns3/pdp-function.h"
#include "ns3/rng-seed-manager.h"

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

using namespace ns3;

namespace
{
nlohmann::json
ChainTopology(const std::string& rate, const std::string& delay)
{
    nlohmann::json nodes = nlohmann::json::array();
    for (auto [name, role] : {std::pair{"h0", "host"},
                              {"s0", "switch"},
                              {"s1", "switch"},
                              {"s2", "switch"},
                              {"h1", "host"},
                              {"srv", "server"}})
    {
        nodes.push_back({{"name", name}, {"role", role}});
    }
    nlohmann::json links = nlohmann::json::array();
    for (auto [a, b] :
         {std::pair{"h0", "s0"}, {"s0", "s1"}, {"s1", "s2"}, {"s2", "h1"}, {"s1", "srv"}})
    {
        links.push_back({{"a", a}, {"b", b}});
    }
    return {{"name", "pdp-chain"},
            {"defaults", {{"rate", rate}, {"delay", delay}}},
            {"nodes", nodes},
            {"links", links}};
}

/// One scenario: the function at `memory`@`host`, steered through by s0.
nlohmann::json
Scenario(const std::string& placement,
         const std::string& topologyFile,
         const nlohmann::json& pdp,
         const std::string& functionSegment,
         const std::string& rate,
         uint32_t packetSize,
         double duration)
{
    nlohmann::json srv6 = {{"sids", {{{"name", "decap"}, {"node", "s2"}, {"behavior", "End.DT6"}}}},
                           {"policies",
                            {{{"name", "chain"},
                              {"headend", "s0"},
                              {"steer", {{"dst", "h1"}}},
                              {"segment_lists", {{{"segments", {functionSegment, "decap"}}}}}}}}};
    // Functions are deployed at time 0 and serve once programmed (a VM's state takes 0.2 s to
    // reach its server at 10 Gbit/s): the traffic starts after that.
    const double start = 0.5;
    return {{"name", "pdp-" + placement},
            {"seed", RngSeedManager::GetSeed()},
            {"run", RngSeedManager::GetRun()},
            {"duration", start + duration + 0.001},
            {"topology", topologyFile},
            {"traffic",
             {{{"name", "sfc"},
               {"type", "udp-cbr"},
               {"src", "h0"},
               {"dst", "h1"},
               {"rate", rate},
               {"packet_size", packetSize},
               {"start", start},
               {"stop", start + duration}}}},
            {"srv6", srv6},
            {"pdp", pdp},
            {"outputs", {{"flows_csv", false}}}};
}
} // namespace

int
main(int argc, char* argv[])
{
    std::string function = "load-balancer";
    std::string rate = "5Gbps";
    uint32_t packetSize = 1000;
    double duration = 0.02;
    std::string linkRate = "100Gbps";
    std::string linkDelay = "1us";
    std::string mode = "packets";
    std::string outDir = "pdp-external-memory-out";

    CommandLine cmd(__FILE__);
    cmd.AddValue("function",
                 "built-in function type (exact match: nat, load-balancer, ...)",
                 function);
    cmd.AddValue("rate", "offered load of the UDP flow", rate);
    cmd.AddValue("packetSize", "UDP payload bytes", packetSize);
    cmd.AddValue("duration", "seconds of traffic per placement", duration);
    cmd.AddValue("linkRate", "rate of every link", linkRate);
    cmd.AddValue("linkDelay", "delay of every link", linkDelay);
    cmd.AddValue("mode", "external memory: packets (RDMA over links) or analytic", mode);
    cmd.AddValue("outDir", "output directory", outDir);
    cmd.Parse(argc, argv);

    try
    {
        // Options are checked here, so that errors name the option rather than the scenario.
        auto type = PdpBuiltinFunctionTypes().find(function);
        if (type == PdpBuiltinFunctionTypes().end())
        {
            throw AisfcInputError("--function", "unknown function type '" + function + "'");
        }
        if (type->second.match != PdpMatchKind::EXACT && type->second.match != PdpMatchKind::LPM)
        {
            throw AisfcInputError("--function",
                                  "'" + function + "' has a " +
                                      PdpMatchKindName(type->second.match) +
                                      " table, which needs TCAM: external memory holds exact "
                                      "and LPM tables");
        }
        ParseDataRateBps(rate, "--rate");
        ParseDataRateBps(linkRate, "--linkRate");
        ParseDurationSeconds(linkDelay, "--linkDelay");
        if (mode != "packets" && mode != "analytic")
        {
            throw AisfcInputError("--mode", "expected packets or analytic, got '" + mode + "'");
        }
        if (!(duration > 0))
        {
            throw AisfcInputError("--duration", "must be positive");
        }
        std::filesystem::create_directories(outDir);
        std::string topologyFile = std::filesystem::absolute(outDir + "/topology.json").string();
        WriteFileAtomically(topologyFile, ChainTopology(linkRate, linkDelay).dump(2) + "\n");

        nlohmann::json summary = {{"function", function},
                                  {"offered_rate", rate},
                                  {"packet_size", packetSize},
                                  {"placements", nlohmann::json::array()},
                                  {"refused", nlohmann::json::array()}};
        std::map<std::string, nlohmann::json> runs;
        for (std::string placement : {"local", "external", "server"})
        {
            std::string host = placement == "server" ? "srv" : "s1";
            nlohmann::json functions = {
                {{"name", "fn"}, {"type", function}, {"host", host}, {"memory", placement}}};
            nlohmann::json types = nlohmann::json::array();
            if (placement == "local")
            {
                // More local memory than a switch has: refused, the run goes on without it.
                types.push_back(
                    {{"name", "oversized-acl"}, {"base", "firewall"}, {"table_entries", 200000}});
                functions.push_back({{"name", "acl"},
                                     {"type", "oversized-acl"},
                                     {"host", "s1"},
                                     {"memory", "local"}});
            }
            nlohmann::json pdp = {{"external_memory", {{"mode", mode}}},
                                  {"memory_servers", {{{"switch", "s1"}}}},
                                  {"function_types", types},
                                  {"functions", functions}};
            nlohmann::json results = RunScenarioText(
                Scenario(placement, topologyFile, pdp, "fn", rate, packetSize, duration).dump(),
                "pdp-external-memory:" + placement,
                outDir + "/" + placement);
            const nlohmann::json& flow = results["flows"][0];
            if (flow["delay_mean_s"].is_null())
            {
                throw std::runtime_error(placement + ": no packet arrived");
            }
            const nlohmann::json& fn = results["pdp"]["functions"][0];
            summary["placements"].push_back(
                {{"placement", placement},
                 {"mean_latency_us", flow["delay_mean_s"].get<double>() * 1e6},
                 {"p99_latency_us", flow["delay_p99_s"].get<double>() * 1e6},
                 {"throughput_gbps", flow["throughput_bps"].get<double>() / 1e9},
                 {"rx_packets", flow["rx_packets"]},
                 {"tx_packets", flow["tx_packets"]},
                 {"function_latency_mean_us", fn["latency"]["mean_s"].get<double>() * 1e6}});
            for (const auto& r : results["pdp"]["refused"])
            {
                summary["refused"].push_back({{"request", r["request"]}, {"reason", r["reason"]}});
            }
            runs[placement] = results;
        }
        // What the RDMA model predicts for the difference external - local: the lookups' own
        // latency (accesses x round trip + queueing at the memory server).
        const nlohmann::json* s1 = nullptr;
        for (const auto& sw : runs["external"]["pdp"]["switches"])
        {
            s1 = sw["name"] == "s1" ? &sw : s1;
        }
        const nlohmann::json& lookups = (*s1)["external_lookups"];
        double lookupUs = lookups["latency"]["mean_s"].get<double>() * 1e6;
        double localUs = summary["placements"][0]["mean_latency_us"].get<double>();
        double externalUs = summary["placements"][1]["mean_latency_us"].get<double>();
        summary["rdma"] = {
            {"lookups", lookups["lookups"]},
            {"remote_reads", lookups["remote_reads"]},
            {"lookup_latency_mean_us", lookupUs},
            {"lookup_latency_p99_us", lookups["latency"]["p99_s"].get<double>() * 1e6},
            {"external_minus_local_us", externalUs - localUs}};
        WriteFileAtomically(outDir + "/results.json", summary.dump(2) + "\n");

        std::cout << "function " << function << ", " << rate << " of " << packetSize
                  << "-byte datagrams, external memory " << mode << "\n";
        for (const auto& p : summary["placements"])
        {
            std::cout << "  " << p["placement"].get<std::string>() << ": mean "
                      << p["mean_latency_us"].get<double>() << " us, p99 "
                      << p["p99_latency_us"].get<double>() << " us, "
                      << p["throughput_gbps"].get<double>() << " Gbit/s\n";
        }
        std::cout << "  external - local = " << externalUs - localUs
                  << " us; RDMA lookup mean = " << lookupUs << " us\n";
        for (const auto& r : summary["refused"])
        {
            std::cout << "  refused: " << r["request"].get<std::string>() << ": "
                      << r["reason"].get<std::string>() << "\n";
        }
        std::cout << "results in " << outDir << "/results.json\n";
    }
    catch (const AisfcInputError& e)
    {
        std::cerr << "pdp-external-memory: " << e.what() << "\n";
        return 2;
    }
    catch (const std::exception& e)
    {
        std::cerr << "pdp-external-memory: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
