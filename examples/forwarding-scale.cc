/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Forwarding cost against network size: N UDP packets between the two ends of the topology's
// longest shortest path (in hops), routed by aisfc's FIB or, as plain ns-3.37 does it, by
// Ipv6StaticRouting with a network route per link /64.  Writes OUT/results.json with hops,
// packets_received, packet_hops (links crossed by the received packets, from their hop limits),
// and OUT/timing.json with build_wall_s and run_wall_s (Simulator::Run).
//
//   ./aisfc example forwarding-scale --topology=zoo:Kdl --packets=20000 --routing=aisfc
//
// This is a measurement of the simulator itself, so it builds the network directly rather than
// through the scenario runner.  Wall times go to timing.json so that results.json stays
// byte-identical from run to run.

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-network-builder.h"
#include "ns3/command-line.h"
#include "ns3/config.h"
#include "ns3/ipv6-l3-protocol.h"
#include "ns3/simulator.h"
#include "ns3/topology-source.h"
#include "ns3/udp-client-server-helper.h"
#include "ns3/uinteger.h"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

using namespace ns3;

namespace
{
constexpr uint8_t INITIAL_HOP_LIMIT = 255;
constexpr uint16_t PORT = 9;
} // namespace

int
main(int argc, char* argv[])
{
    std::string topology = "zoo:Kdl";
    uint32_t packets = 20000;
    std::string routing = "aisfc";
    std::string outDir = "forwarding-scale-out";

    CommandLine cmd(__FILE__);
    cmd.AddValue("topology", "topology spec (.graphml, .json, zoo:NAME, generator)", topology);
    cmd.AddValue("packets", "UDP packets to send", packets);
    cmd.AddValue("routing", "aisfc or ns3-static", routing);
    cmd.AddValue("outDir", "output directory", outDir);
    cmd.Parse(argc, argv);

    try
    {
        NetworkOptions options;
        options.routingMetric = PathMetric::HOPS;
        if (routing == "ns3-static")
        {
            options.routing = NetworkOptions::Routing::NS3_STATIC;
        }
        else if (routing != "aisfc")
        {
            throw AisfcInputError("--routing", "'" + routing + "' is not aisfc or ns3-static");
        }
        if (packets == 0)
        {
            throw AisfcInputError("--packets", "must be at least 1");
        }
        Config::SetDefault("ns3::Ipv6L3Protocol::DefaultTtl", UintegerValue(INITIAL_HOP_LIMIT));

        auto buildStart = std::chrono::steady_clock::now();
        AisfcTopology topo = LoadTopology(topology, TopologyOptions());
        AisfcNetworkBuilder net(topo, options);
        double buildWall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - buildStart).count();

        // The ends of the longest shortest path; first such pair in node order.
        const NextHopTable& paths = net.GetPaths();
        uint32_t src = 0;
        uint32_t dst = 0;
        for (uint32_t s = 0; s < topo.GetNNodes(); ++s)
        {
            for (uint32_t d = s + 1; d < topo.GetNNodes(); ++d)
            {
                double hops = paths.Distance(s, d);
                if (hops != std::numeric_limits<double>::infinity() &&
                    hops > paths.Distance(src, dst))
                {
                    src = s;
                    dst = d;
                }
            }
        }
        uint32_t hops = paths.Distance(src, dst);
        if (hops == 0 || hops >= INITIAL_HOP_LIMIT)
        {
            throw AisfcInputError(topology, "needs two connected nodes less than 255 hops apart");
        }

        uint64_t received = 0;
        uint64_t packetHops = 0;
        net.GetNode(dst)->GetObject<Ipv6L3Protocol>()->TraceConnectWithoutContext(
            "LocalDeliver",
            Callback<void, const Ipv6Header&, Ptr<const Packet>, uint32_t>(
                [&](const Ipv6Header& h, Ptr<const Packet>, uint32_t) {
                    ++received;
                    packetHops += INITIAL_HOP_LIMIT - h.GetHopLimit() + 1;
                }));
        // dst's address on the last link of the path: plain ns-3 routes reach link prefixes
        // only, so both routings get the same destination.
        uint32_t lastLink = paths.Path(src, dst)->links.back();
        const auto& last = net.GetLink(lastLink);
        Ipv6Address dstAddress = topo.GetLink(lastLink).a == dst ? last.addressA : last.addressB;
        UdpClientHelper client(dstAddress, PORT);
        client.SetAttribute("MaxPackets", UintegerValue(packets));
        client.SetAttribute("Interval", TimeValue(MicroSeconds(100)));
        client.SetAttribute("PacketSize", UintegerValue(64));
        client.Install(net.GetNode(src)).Start(Seconds(0));
        UdpServerHelper server(PORT);
        server.Install(net.GetNode(dst)).Start(Seconds(0));
        Simulator::Stop(MicroSeconds(100) * packets + Seconds(10));

        auto runStart = std::chrono::steady_clock::now();
        Simulator::Run();
        double runWall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - runStart).count();

        nlohmann::json r = {{"topology", topo.GetName()},
                            {"nodes", topo.GetNNodes()},
                            {"links", topo.GetNLinks()},
                            {"routing", routing},
                            {"routes", net.GetNRoutes()},
                            {"fib_bytes", net.GetFibMemoryBytes()},
                            {"src", topo.GetNode(src).name},
                            {"dst", topo.GetNode(dst).name},
                            {"hops", hops},
                            {"packets_sent", packets},
                            {"packets_received", received},
                            {"packet_hops", packetHops}};
        nlohmann::json timing = {{"build_wall_s", buildWall}, {"run_wall_s", runWall}};
        Simulator::Destroy();
        std::filesystem::create_directories(outDir);
        WriteFileAtomically(outDir + "/results.json", r.dump(2) + "\n");
        WriteFileAtomically(outDir + "/timing.json", timing.dump(2) + "\n");
        std::cout << r.dump() << " " << timing.dump() << "\n";
    }
    catch (const AisfcInputError& e)
    {
        std::cerr << "forwarding-scale: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
