/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The AISID system on a small network: client c behind a router r without a gateway, ingress
// gateway g1, egress gateways e1 (service nodes 0: 100 TFLOPS, 1: 300 TFLOPS) and e2 (service
// node 2: 100 TFLOPS), control system k 20 ms away from the core.

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-network-builder.h"
#include "ns3/aisid-helper.h"
#include "ns3/simulator.h"
#include "ns3/srv6-helper.h"
#include "ns3/topology-json-reader.h"

#include <catch2/catch.hpp>
#include <memory>

using namespace ns3;

namespace
{
const uint64_t PREFIX = 0xfd61a15d00000000ULL;

struct AisidNet
{
    AisfcTopology topo;
    std::unique_ptr<AisfcNetworkBuilder> net;
    std::unique_ptr<Srv6Helper> srv6;
    std::unique_ptr<AisidHelper> aisid;
    Ptr<AisidClient> client;

    AisidNet()
    {
        std::string text = R"({"name": "aisid",
          "nodes": [{"name": "c"}, {"name": "r"}, {"name": "g1"}, {"name": "m"},
                    {"name": "e1"}, {"name": "e2"}, {"name": "k"}],
          "links": [{"a": "c", "b": "r", "rate": "1Gbps", "delay": "1ms"},
                    {"a": "r", "b": "g1", "rate": "1Gbps", "delay": "1ms"},
                    {"a": "g1", "b": "m", "rate": "1Gbps", "delay": "1ms"},
                    {"a": "m", "b": "e1", "rate": "1Gbps", "delay": "1ms"},
                    {"a": "m", "b": "e2", "rate": "1Gbps", "delay": "2ms"},
                    {"a": "m", "b": "k", "rate": "1Gbps", "delay": "20ms"}]})";
        topo = ParseJsonTopology(text, "aisid.json", TopologyOptions());
        net = std::make_unique<AisfcNetworkBuilder>(topo, NetworkOptions());
        srv6 = std::make_unique<Srv6Helper>(*net);
        srv6->Install();
        aisid = std::make_unique<AisidHelper>(*net, *srv6, PREFIX);
        aisid->SetGateways({"g1"}, {"e1", "e2"});
        aisid->AddServiceNode("e1", 100, 10e9, 100e-6);
        aisid->AddServiceNode("e1", 300, 10e9, 100e-6);
        aisid->AddServiceNode("e2", 100, 10e9, 100e-6);
        aisid->Install("k");
        client = aisid->AddClient("c");
    }

    ~AisidNet()
    {
        Simulator::Destroy();
    }

    static AisidBytes Id(uint64_t object)
    {
        AisidFields f;
        f.prefix = PREFIX;
        f.object = object;
        f.function = 2;
        f.method = 1;
        f.performance = 5000;
        return AisidCodec().Encode(f);
    }

    uint32_t Request(double at,
                     const AisidBytes& id,
                     double demand,
                     uint32_t payload,
                     uint32_t response)
    {
        AisidClientRequest r;
        r.at = Seconds(at);
        AisidBytes b = id;
        r.address = Ipv6Address(b.data());
        r.demandTflop = demand;
        r.payloadBytes = payload;
        r.responseBytes = response;
        return client->AddRequest(r);
    }

    void Run(double until)
    {
        Simulator::Stop(Seconds(until));
        Simulator::Run();
    }
};
} // namespace

TEST_CASE("AISID request crosses ingress SRv6 and egress and its time adds up", "[aisid]")
{
    AisidNet n;
    n.aisid->GetControl()->Register(AisidNet::Id(1), {0, 1, 2});
    n.Request(0.1, AisidNet::Id(1), 10, 1000, 2000);
    n.Run(2);
    const AisidClientRequest& r = n.client->GetRequests().at(0);
    REQUIRE(r.done);
    REQUIRE(r.status == AisidStatus::OK);
    CHECK(r.received == AisidResponseHeader::SIZE + 2000);
    // WLC tie (0/100 against 0/300, equal load): the lower id, service node 0 (100 TFLOPS).
    REQUIRE(n.aisid->GetServiceNode(0)->GetRecords().size() == 1);
    CHECK(r.Compute() == Seconds(0.1));
    CHECK(r.Queueing() == Time(0));
    CHECK(r.Steering() + r.Transfer() + r.Queueing() + r.Compute() + r.Return() ==
          r.ResponseTime());
    // One way c -> s0: 4 links of 1 ms and the 100 us stub link; handshake = one RTT plus
    // serialisation of 60-72 byte segments (< 1 us per link).
    double oneWay = 4.1e-3;
    CHECK(r.Steering().GetSeconds() == Approx(2 * oneWay).margin(20e-6));
    CHECK(r.Transfer().GetSeconds() == Approx(oneWay).margin(60e-6));
    CHECK(r.Return().GetSeconds() == Approx(oneWay).margin(60e-6));
    WARN("steering " << r.Steering().GetMicroSeconds() << " us, transfer "
                     << r.Transfer().GetMicroSeconds() << " us, return "
                     << r.Return().GetMicroSeconds() << " us, total "
                     << r.ResponseTime().GetMicroSeconds() << " us");
    // r has no gateway: plain IPv6 to g1, which encapsulated; e1 delivered to its node.
    CHECK(n.aisid->GetGateway("r") == nullptr);
    CHECK(n.aisid->GetGateway("g1")->GetCounters().at("encapsulated") > 0);
    CHECK(n.aisid->GetGateway("e1")->GetCounters().at("delivered") > 0);
    CHECK(n.aisid->GetGateway("g1")->GetEgressChoices().at(4) == 1);
}

TEST_CASE("AISID weighted least connections spreads by capacity", "[aisid]")
{
    AisidNet n;
    n.aisid->GetControl()->Register(AisidNet::Id(1), {0, 1});
    for (int i = 0; i < 8; ++i)
    {
        n.Request(0.1, AisidNet::Id(1), 50, 100, 100);
    }
    n.Run(10);
    auto choices = n.aisid->GetGateway("e1")->GetNodeChoices();
    CHECK(choices[0] == 2);
    CHECK(choices[1] == 6);
    for (const auto& r : n.client->GetRequests())
    {
        CHECK(r.status == AisidStatus::OK);
    }
}

TEST_CASE("AISID migration reaches the new node after the synchronisation delay", "[aisid]")
{
    AisidNet n;
    Ptr<AisidControl> ctl = n.aisid->GetControl();
    ctl->Register(AisidNet::Id(1), {0});
    uint32_t seq = 0;
    Simulator::Schedule(Seconds(1), [&]() { seq = ctl->Migrate(AisidNet::Id(1), 0, 2); });
    n.Request(1.005, AisidNet::Id(1), 1, 100, 100); // reaches g1 before its update: old node
    n.Request(1.1, AisidNet::Id(1), 1, 100, 100);   // after: new node behind e2
    n.Run(3);
    CHECK(n.client->GetRequests().at(0).status == AisidStatus::OK);
    CHECK(n.client->GetRequests().at(1).status == AisidStatus::OK);
    CHECK(n.aisid->GetServiceNode(0)->GetRecords().size() == 1);
    CHECK(n.aisid->GetServiceNode(2)->GetRecords().size() == 1);
    auto stale = ctl->GetStaleness(seq);
    // k -> m (20 ms) -> g1 (1 ms), plus serialisation of a 90-byte datagram per link.
    REQUIRE(stale.count(2));
    CHECK(stale.at(2).GetSeconds() == Approx(21e-3).margin(10e-6));
    CHECK(stale.at(5).GetSeconds() == Approx(22e-3).margin(10e-6));
    WARN("staleness g1 " << stale.at(2).GetMicroSeconds() << " us, e1 "
                         << stale.at(4).GetMicroSeconds() << " us, e2 "
                         << stale.at(5).GetMicroSeconds() << " us");
}

TEST_CASE("AISID decommissioned service is refused and in-flight requests finish", "[aisid]")
{
    AisidNet n;
    Ptr<AisidControl> ctl = n.aisid->GetControl();
    ctl->Register(AisidNet::Id(1), {0});
    Simulator::Schedule(Seconds(1), [&]() { ctl->Decommission(AisidNet::Id(1)); });
    n.Request(0.9, AisidNet::Id(1), 50, 100, 100); // computing 0.5 s across the event
    n.Request(1.1, AisidNet::Id(1), 1, 100, 100);
    n.Run(3);
    CHECK(n.client->GetRequests().at(0).status == AisidStatus::OK);
    CHECK(n.client->GetRequests().at(1).status == AisidStatus::DECOMMISSIONED);
    CHECK(n.client->GetRequests().at(1).done);
    CHECK(ctl->GetState(AisidNet::Id(1)) == AisidServiceState::DECOMMISSIONED);
}

TEST_CASE("AISID duplicate registration is refused", "[aisid]")
{
    AisidNet n;
    n.aisid->GetControl()->Register(AisidNet::Id(1), {0});
    CHECK_THROWS_AS(n.aisid->GetControl()->Register(AisidNet::Id(1), {1}), AisfcInputError);
    CHECK_THROWS_AS(n.aisid->GetControl()->Register(AisidNet::Id(2), {7}), AisfcInputError);
    CHECK(n.aisid->GetControl()->Query(AisidNet::Id(1)).size() == 1);
}
