/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// A UDP and a TCP flow over an SRv6 path of several segments across a Topology Zoo network.
// The segments are End SIDs on the routing's longest shortest path, ending in an End.DT6 SID at
// the destination; the policy of the source's first-hop router (the ingress, as a provider
// edge) encapsulates (H.Encaps).  --mode=ipv6 sends the same
// traffic over the same links with plain IPv6 routes, for comparison.
//
//   ./aisfc example srv6-basic --topology=zoo:Geant2012 --segments=5 --pcap=1 --outDir=out/basic
//   tshark -r out/basic/pcap/srv6-basic-3-1.pcap -V -Y ipv6.routing

#include "srv6-example-paths.h"

#include "ns3/aisfc-scenario-runner.h"
#include "ns3/aisfc-units.h"
#include "ns3/command-line.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/topology-source.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    std::string topology = "zoo:Geant2012";
    std::string mode = "srv6";
    uint32_t segments = 5;
    uint32_t packets = 1000;
    std::string rate = "8Mbps";
    uint32_t packetSize = 1000;
    uint64_t tcpBytes = 1000000;
    double duration = 2.0;
    bool pcap = false;
    std::string outDir = "srv6-basic-out";

    CommandLine cmd(__FILE__);
    cmd.AddValue("topology", "topology spec (.graphml, .json, zoo:NAME, generator)", topology);
    cmd.AddValue("mode", "srv6 or ipv6 (same traffic, same links, plain routes)", mode);
    cmd.AddValue("segments",
                 "End SIDs on the way (an End.DT6 SID at the destination follows)",
                 segments);
    cmd.AddValue("packets", "UDP packets to send", packets);
    cmd.AddValue("rate", "UDP sending rate", rate);
    cmd.AddValue("packetSize", "UDP payload bytes", packetSize);
    cmd.AddValue("tcpBytes", "bytes of the TCP transfer", tcpBytes);
    cmd.AddValue("duration", "simulated seconds", duration);
    cmd.AddValue("pcap", "write a pcap of every link into outDir/pcap", pcap);
    cmd.AddValue("outDir", "output directory", outDir);
    cmd.Parse(argc, argv);

    try
    {
        if (mode != "srv6" && mode != "ipv6")
        {
            throw AisfcInputError("--mode", "must be srv6 or ipv6, not '" + mode + "'");
        }
        if (segments < 1 || segments > 32)
        {
            throw AisfcInputError("--segments", "must be between 1 and 32");
        }
        AisfcTopology topo = LoadTopology(topology, TopologyOptions());
        TopologyPath path = LongestShortestPath(topo);
        std::vector<uint32_t> waypoints = Waypoints(path, segments, "--segments");
        const std::string src = topo.GetNode(path.nodes.front()).name;
        const std::string dst = topo.GetNode(path.nodes.back()).name;
        // Time the UDP flow needs for `packets` packets at `rate`.
        double seconds = packets * packetSize * 8.0 / ParseDataRateBps(rate, "--rate");
        double start = 0.1;
        if (start + seconds >= duration)
        {
            throw AisfcInputError("--packets", "do not fit --duration at --rate");
        }
        // The same MSS in both modes: the same TCP packets, only their headers differ.
        uint32_t mss = 1428 - (40 + 8 + 16 * (segments + 1));
        nlohmann::json scenario = {
            {"name", "srv6-basic"},
            {"seed", RngSeedManager::GetSeed()},
            {"run", RngSeedManager::GetRun()},
            {"duration", duration},
            {"topology", topology},
            {"network", {{"tcp_segment_size", mss}}},
            {"traffic",
             {{{"name", "udp"},
               {"type", "udp-cbr"},
               {"src", src},
               {"dst", dst},
               {"rate", rate},
               {"packet_size", packetSize},
               {"start", start},
               // half an interval past the last packet, so exactly `packets` leave
               {"stop",
                start + seconds - 0.5 * packetSize * 8.0 / ParseDataRateBps(rate, "--rate")}},
              {{"name", "tcp"},
               {"type", "tcp-bulk"},
               {"src", src},
               {"dst", dst},
               {"max_bytes", tcpBytes},
               {"start", start},
               {"stop", duration}}}},
            {"outputs", {{"pcap", pcap}}}};
        if (mode == "srv6")
        {
            nlohmann::json sids = nlohmann::json::array();
            nlohmann::json list = nlohmann::json::array();
            for (size_t k = 0; k < waypoints.size(); ++k)
            {
                std::string name = "end" + std::to_string(k + 1);
                sids.push_back({{"name", name},
                                {"node", topo.GetNode(waypoints[k]).name},
                                {"behavior", "End"}});
                list.push_back(name);
            }
            sids.push_back({{"name", "decap"}, {"node", dst}, {"behavior", "End.DT6"}});
            list.push_back("decap");
            nlohmann::json policy = {{"name", "to-" + dst},
                                     {"headend", topo.GetNode(path.nodes[1]).name},
                                     {"mode", "encaps"},
                                     {"steer", {{"dst", dst}}},
                                     {"segment_lists", {{{"segments", list}}}}};
            scenario["srv6"] = {{"sids", sids}, {"policies", {policy}}};
        }
        nlohmann::json results = RunScenarioText(scenario.dump(), "srv6-basic", outDir);
        std::cout << "path " << src << " -> " << dst << ": " << path.links.size() << " hops, mode "
                  << mode << "\n"
                  << SummariseResults(results);
    }

    catch (const AisfcInputError& e)
    {
        std::cerr << "srv6-basic: " << e.what() << "\n";
        return 2;
    }

    return 0;
}
