/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/aisfc-flow-probe.h"
#include "ns3/aisfc-network-builder.h"
#include "ns3/aisfc-routing.h"
#include "ns3/ipv6-l3-protocol.h"
#include "ns3/simulator.h"
#include "ns3/topology-json-reader.h"
#include "ns3/topology-source.h"
#include "ns3/udp-client-server-helper.h"
#include "ns3/uinteger.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>

using namespace ns3;

namespace
{
constexpr uint32_t UDP_PAYLOAD = 500;
// Bytes on the wire per packet: payload + UDP 8 + IPv6 40 + PPP 2.
constexpr uint32_t WIRE_BYTES = UDP_PAYLOAD + 8 + 40 + 2;
constexpr uint16_t PORT = 7000;

// Sends `count` packets src -> dst, spaced far enough apart that they never queue, and returns
// what the probe saw.
AisfcFlowProbe::FlowStats
SendSpacedPackets(AisfcNetworkBuilder& net, uint32_t src, uint32_t dst, uint32_t count)
{
    AisfcFlowProbe probe;
    probe.AddFlow(net.GetNodeAddress(src), net.GetNodeAddress(dst), 17, PORT);
    for (uint32_t i = 0; i < net.GetNodes().GetN(); ++i)
    {
        probe.Install(net.GetNode(i));
    }
    UdpClientHelper client(net.GetNodeAddress(dst), PORT);
    client.SetAttribute("MaxPackets", UintegerValue(count));
    client.SetAttribute("Interval", TimeValue(MilliSeconds(200)));
    client.SetAttribute("PacketSize", UintegerValue(UDP_PAYLOAD));
    client.Install(net.GetNode(src)).Start(Seconds(0.1));
    UdpServerHelper server(PORT);
    server.Install(net.GetNode(dst)).Start(Seconds(0));
    Simulator::Stop(Seconds(0.1 + 0.2 * count + 1));
    Simulator::Run();
    AisfcFlowProbe::FlowStats stats = probe.GetStats(0);
    return stats;
}

double
ExpectedDelay(const AisfcTopology& topo, const TopologyPath& path)
{
    double sum = 0;
    for (uint32_t l : path.links)
    {
        sum += topo.GetLink(l).delaySeconds + WIRE_BYTES * 8.0 / topo.GetLink(l).capacityBps;
    }
    return sum;
}
} // namespace

TEST_CASE("one-way delay equals propagation plus serialisation summed over the hops", "[network]")
{
    std::string text = R"({"name": "hetero",
      "nodes": [{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d"}],
      "links": [{"a": "a", "b": "b", "rate": "10Mbps", "delay": "2ms"},
                {"a": "b", "b": "c", "rate": "100Mbps", "delay": "500us"},
                {"a": "c", "b": "d", "rate": "1Gbps", "delay": "3ms"}]})";
    AisfcTopology topo = ParseJsonTopology(text, "hetero.json", TopologyOptions());
    AisfcNetworkBuilder net(topo, NetworkOptions());
    auto stats = SendSpacedPackets(net, 0, 3, 5);

    double expected = (2e-3 + WIRE_BYTES * 8 / 10e6) + (500e-6 + WIRE_BYTES * 8 / 100e6) +
                      (3e-3 + WIRE_BYTES * 8 / 1e9);
    CHECK(stats.txPackets == 5);
    CHECK(stats.rxPackets == 5);
    CHECK(stats.droppedPackets == 0);
    REQUIRE(stats.delays.size() == 5);
    for (double d : stats.delays)
    {
        CHECK(d == Approx(expected).margin(3e-9));
    }
    CHECK(stats.txBytes == 5 * (WIRE_BYTES - 2));
    Simulator::Destroy();
}

TEST_CASE("packets on Chinanet follow the path library's shortest path, delays add up",
          "[network][zoo]")
{
    AisfcTopology topo = LoadTopology(std::string(AISFC_SOURCE_DIR) +
                                          "/../shared/topologyzoo/graphml/Chinanet.graphml",
                                      TopologyOptions());
    AisfcNetworkBuilder net(topo, NetworkOptions());
    // The pair farthest apart by delay.
    uint32_t src = 0;
    uint32_t dst = 0;
    for (uint32_t s = 0; s < topo.GetNNodes(); ++s)
    {
        for (uint32_t d = 0; d < topo.GetNNodes(); ++d)
        {
            if (net.GetPaths().Distance(s, d) > net.GetPaths().Distance(src, dst))
            {
                src = s;
                dst = d;
            }
        }
    }
    TopologyPath path = *net.GetPaths().Path(src, dst);
    REQUIRE(path.links.size() >= 3);

    // Every node that forwards a packet of the flow appends itself.
    std::vector<uint32_t> visited = {src};
    for (uint32_t i = 0; i < topo.GetNNodes(); ++i)
    {
        net.GetNode(i)->GetObject<Ipv6L3Protocol>()->TraceConnectWithoutContext(
            "UnicastForward",
            Callback<void, const Ipv6Header&, Ptr<const Packet>, uint32_t>(
                [&visited, i, &net, dst](const Ipv6Header& h, Ptr<const Packet>, uint32_t) {
                    if (h.GetDestination() == net.GetNodeAddress(dst))
                    {
                        visited.push_back(i);
                    }
                }));
    }
    auto stats = SendSpacedPackets(net, src, dst, 1);
    visited.push_back(dst);
    CHECK(visited == path.nodes);
    REQUIRE(stats.delays.size() == 1);
    CHECK(stats.delays[0] == Approx(ExpectedDelay(topo, path)).margin(1e-9 * path.links.size()));
    Simulator::Destroy();
}

TEST_CASE("every node routes to every node address and every link prefix", "[network][routing]")
{
    AisfcTopology topo = LoadTopology("fattree:srem", TopologyOptions());
    AisfcNetworkBuilder net(topo, NetworkOptions());
    uint32_t n = topo.GetNNodes();
    uint32_t e = topo.GetNLinks();
    CHECK(net.GetNRoutes() == size_t(n) * (n + e));
    for (uint32_t i = 0; i < n; ++i)
    {
        CHECK(net.GetRouting(i)->GetFib().GetNRoutes() == n + e);
    }
    CHECK(net.GetNodeAddress(0) == Ipv6Address("fd61:6973::1"));
    CHECK(net.GetLink(0).addressA == Ipv6Address("fd61:6973:0:1::1"));
    CHECK(net.GetLink(0).addressB == Ipv6Address("fd61:6973:0:1::2"));
    CHECK(AisfcNetworkBuilder::LinkPrefix(0x12345) == Ipv6Address("fd61:6973:1:2346::"));

    // A server reaches a server of the other pod over the 6-hop path, by hops metric too.
    NetworkOptions hops;
    hops.routingMetric = PathMetric::HOPS;
    Simulator::Destroy();
    AisfcNetworkBuilder byHops(topo, hops);
    uint32_t s0 = *topo.FindNode("server0");
    uint32_t s11 = *topo.FindNode("server11");
    CHECK(byHops.GetPaths().Distance(s0, s11) == 6);
    auto stats = SendSpacedPackets(byHops, s0, s11, 3);
    CHECK(stats.rxPackets == 3);
    Simulator::Destroy();
}

TEST_CASE("equal-cost multipath spreads flows over the fat-tree's cores, each flow on one path",
          "[network][routing][ecmp]")
{
    AisfcTopology topo = LoadTopology("fattree:k=4", TopologyOptions());
    uint32_t host0 = *topo.FindNode("host0");
    uint32_t host8 = *topo.FindNode("host8");
    NetworkOptions options;
    options.equalCostMultipath = true;
    AisfcNetworkBuilder net(topo, options);
    // host0's edge switch has two equal-cost uplinks towards the other pod.
    uint32_t edge0 = *topo.FindNode("edge0");
    CHECK(net.GetPaths().EqualCostLinks(edge0, host8).size() == 2);
    CHECK(net.GetPaths().EqualCostLinks(host0, host8).size() == 1);

    // Eight flows from pod 0 and 1 hosts to pod 2 and 3 hosts; record which core forwards what.
    std::map<uint32_t, std::set<uint32_t>> coresOfFlow; // destination node -> cores seen
    std::set<uint32_t> coresUsed;
    for (uint32_t c = 0; c < 4; ++c)
    {
        uint32_t core = *topo.FindNode("core" + std::to_string(c));
        net.GetNode(core)->GetObject<Ipv6L3Protocol>()->TraceConnectWithoutContext(
            "UnicastForward",
            Callback<void, const Ipv6Header&, Ptr<const Packet>, uint32_t>(
                [&, core](const Ipv6Header& h, Ptr<const Packet>, uint32_t) {
                    coresUsed.insert(core);
                    for (uint32_t d = 0; d < topo.GetNNodes(); ++d)
                    {
                        if (net.GetNodeAddress(d) == h.GetDestination())
                        {
                            coresOfFlow[d].insert(core);
                        }
                    }
                }));
    }
    for (uint32_t i = 0; i < 8; ++i)
    {
        uint32_t src = *topo.FindNode("host" + std::to_string(i));
        uint32_t dst = *topo.FindNode("host" + std::to_string(8 + i));
        UdpClientHelper client(net.GetNodeAddress(dst), PORT);
        client.SetAttribute("MaxPackets", UintegerValue(5));
        client.SetAttribute("Interval", TimeValue(MilliSeconds(1)));
        client.Install(net.GetNode(src)).Start(Seconds(0.1));
        UdpServerHelper(PORT).Install(net.GetNode(dst));
    }
    Simulator::Stop(Seconds(1));
    Simulator::Run();
    CHECK(coresUsed.size() >= 3);
    CHECK(coresOfFlow.size() == 8);
    for (const auto& [dst, cores] : coresOfFlow)
    {
        CHECK(cores.size() == 1);
    }
    Simulator::Destroy();
}
