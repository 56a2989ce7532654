/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// A TCP transfer through a service function chain: three SR-unaware functions, each behind a
// different SRv6 proxy (a firewall behind End.AS, a NAT behind End.AD, a DPI box behind
// End.AM), then an SR-aware function (an End SID that spends time on each packet), then
// End.DT6 at the destination.  The proxies sit on the routing's longest shortest path; each
// function is its own node hanging off its proxy.  OUT/results.json holds per-SID counters (with
// the proxies' to/from-function counts and cache state), the functions' counters and the flows.
//
//   ./aisfc example srv6-sfc --topology=zoo:Geant2012 --pcap=1 --outDir=out/sfc

#include "srv6-example-paths.h"

#include "ns3/aisfc-scenario-runner.h"
#include "ns3/command-line.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/topology-source.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    std::string topology = "zoo:Geant2012";
    uint64_t tcpBytes = 2000000;
    std::string functionDelay = "20us";
    std::string awareDelay = "5us";
    double duration = 3.0;
    bool pcap = false;
    std::string outDir = "srv6-sfc-out";

    CommandLine cmd(__FILE__);
    cmd.AddValue("topology", "topology spec (.graphml, .json, zoo:NAME, generator)", topology);
    cmd.AddValue("tcpBytes", "bytes of the TCP transfer", tcpBytes);
    cmd.AddValue("functionDelay", "per-packet time of each SR-unaware function", functionDelay);
    cmd.AddValue("awareDelay", "per-packet time of the SR-aware function", awareDelay);
    cmd.AddValue("duration", "simulated seconds", duration);
    cmd.AddValue("pcap", "write a pcap of every link into outDir/pcap", pcap);
    cmd.AddValue("outDir", "output directory", outDir);
    cmd.Parse(argc, argv);

    try
    {
        AisfcTopology topo = LoadTopology(topology, TopologyOptions());
        TopologyPath path = LongestShortestPath(topo);
        std::vector<uint32_t> at = Waypoints(path, 4, "--topology");
        auto name = [&](uint32_t i) { return topo.GetNode(i).name; };
        const std::string src = name(path.nodes.front());
        const std::string dst = name(path.nodes.back());
        nlohmann::json functions = {
            {{"name", "firewall"}, {"node", name(at[0])}, {"processing_delay", functionDelay}},
            {{"name", "nat"}, {"node", name(at[1])}, {"processing_delay", functionDelay}},
            {{"name", "dpi"}, {"node", name(at[2])}, {"processing_delay", functionDelay}}};
        nlohmann::json sids = {{{"name", "fw-as"},
                                {"node", name(at[0])},
                                {"behavior", "End.AS"},
                                {"service_function", "firewall"},
                                {"proxy_segments", {"nat-ad", "dpi-am", "aware", "decap"}}},
                               {{"name", "nat-ad"},
                                {"node", name(at[1])},
                                {"behavior", "End.AD"},
                                {"service_function", "nat"}},
                               {{"name", "dpi-am"},
                                {"node", name(at[2])},
                                {"behavior", "End.AM"},
                                {"service_function", "dpi"}},
                               {{"name", "aware"},
                                {"node", name(at[3])},
                                {"behavior", "End"},
                                {"processing_delay", awareDelay}},
                               {{"name", "decap"}, {"node", dst}, {"behavior", "End.DT6"}}};
        nlohmann::json scenario = {
            {"name", "srv6-sfc"},
            {"seed", RngSeedManager::GetSeed()},
            {"run", RngSeedManager::GetRun()},
            {"duration", duration},
            {"topology", topology},
            {"traffic",
             {{{"name", "tcp"},
               {"type", "tcp-bulk"},
               {"src", src},
               {"dst", dst},
               {"max_bytes", tcpBytes},
               {"start", 0.1},
               {"stop", duration}}}},
            {"srv6",
             {{"functions", functions},
              {"sids", sids},
              {"policies",
               {{{"name", "chain"},
                 {"headend", src},
                 {"mode", "encaps"},
                 {"steer", {{"dst", dst}, {"protocol", "tcp"}}},
                 {"segment_lists",
                  {{{"segments", {"fw-as", "nat-ad", "dpi-am", "aware", "decap"}}}}}}}}}},
            {"outputs", {{"pcap", pcap}}}};
        nlohmann::json results = RunScenarioText(scenario.dump(), "srv6-sfc", outDir);
        std::cout << "chain " << src << " -> firewall@" << name(at[0]) << " -> nat@" << name(at[1])
                  << " -> dpi@" << name(at[2]) << " -> aware@" << name(at[3]) << " -> " << dst
                  << "\n"
                  << SummariseResults(results);
    }
    catch (const AisfcInputError& e)
    {
        std::cerr << "srv6-sfc: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
