/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// An SR policy changes path mid-flow.  Between the two ends of the routing's longest shortest
// path, the policy first steers through a waypoint on that path, then, at --switchAt, through a
// waypoint on the next-shortest path that avoids it.  A UDP and a TCP flow run across the
// change; OUT/results.json shows the packets on each path (srv6.policies[].versions) and the
// flows show nothing lost at the switch-over.
//
//   ./aisfc example srv6-policy-switch --topology=zoo:Geant2012 --outDir=out/switch

#include "srv6-example-paths.h"

#include "ns3/aisfc-scenario-runner.h"
#include "ns3/command-line.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/topology-source.h"

#include <algorithm>
#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    std::string topology = "zoo:Geant2012";
    double switchAt = 1.0;
    double duration = 2.0;
    std::string rate = "4Mbps";
    uint64_t tcpBytes = 4000000;
    bool pcap = false;
    std::string outDir = "srv6-policy-switch-out";

    CommandLine cmd(__FILE__);
    cmd.AddValue("topology", "topology spec (.graphml, .json, zoo:NAME, generator)", topology);
    cmd.AddValue("switchAt", "simulated second at which the policy changes path", switchAt);
    cmd.AddValue("duration", "simulated seconds", duration);
    cmd.AddValue("rate", "UDP sending rate", rate);
    cmd.AddValue("tcpBytes", "bytes of the TCP transfer", tcpBytes);
    cmd.AddValue("pcap", "write a pcap of every link into outDir/pcap", pcap);
    cmd.AddValue("outDir", "output directory", outDir);
    cmd.Parse(argc, argv);

    try
    {
        AisfcTopology topo = LoadTopology(topology, TopologyOptions());
        TopologyPath first = LongestShortestPath(topo);
        uint32_t s = first.nodes.front();
        uint32_t d = first.nodes.back();
        // A waypoint of the first path, and one of another path that the first path misses.
        uint32_t wayA = Waypoints(first, 1, "--topology")[0];
        std::optional<uint32_t> wayB;
        for (const TopologyPath& p :
             KShortestPaths(topo, s, d, 8, MetricWeight(topo, PathMetric::DELAY)))
        {
            for (size_t k = 1; k + 1 < p.nodes.size() && !wayB; ++k)
            {
                if (std::find(first.nodes.begin(), first.nodes.end(), p.nodes[k]) ==
                    first.nodes.end())
                {
                    wayB = p.nodes[k];
                }
            }
        }
        if (!wayB)
        {
            throw AisfcInputError("--topology", "no second path between the chosen ends");
        }
        auto name = [&](uint32_t i) { return topo.GetNode(i).name; };
        nlohmann::json scenario = {
            {"name", "srv6-policy-switch"},
            {"seed", RngSeedManager::GetSeed()},
            {"run", RngSeedManager::GetRun()},
            {"duration", duration},
            {"topology", topology},
            {"traffic",
             {{{"name", "udp"},
               {"type", "udp-cbr"},
               {"src", name(s)},
               {"dst", name(d)},
               {"rate", rate},
               {"packet_size", 1000},
               {"start", 0.1},
               {"stop", duration - 0.3}},
              {{"name", "tcp"},
               {"type", "tcp-bulk"},
               {"src", name(s)},
               {"dst", name(d)},
               {"max_bytes", tcpBytes},
               {"start", 0.1},
               {"stop", duration}}}},
            {"srv6",
             {{"sids",
               {{{"name", "via-a"}, {"node", name(wayA)}, {"behavior", "End"}},
                {{"name", "via-b"}, {"node", name(*wayB)}, {"behavior", "End"}},
                {{"name", "decap"}, {"node", name(d)}, {"behavior", "End.DT6"}}}},
              {"policies",
               {{{"name", "switch"},
                 {"headend", name(s)},
                 {"steer", {{"dst", name(d)}}},
                 {"segment_lists", {{{"segments", {"via-a", "decap"}}}}},
                 {"changes",
                  {{{"at", switchAt},
                    {"segment_lists", {{{"segments", {"via-b", "decap"}}}}}}}}}}}}},
            {"outputs", {{"pcap", pcap}}}};
        nlohmann::json results = RunScenarioText(scenario.dump(), "srv6-policy-switch", outDir);
        std::cout << name(s) << " -> " << name(d) << " via " << name(wayA) << ", from " << switchAt
                  << " s via " << name(*wayB) << "\n"
                  << SummariseResults(results);
    }
    catch (const AisfcInputError& e)
    {
        std::cerr << "srv6-policy-switch: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
