/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// PDP switches on a small network: pipeline latency that adds up over switches, external
// lookups whose latency is the RDMA round trips plus queueing, functions that serve at their
// capacity under overload, and a controller whose reconfigurations take their programming delay.
//
//   h0 - s0 - s1 - s2 - h1      hosts h0, h1; switches s0..s2
//             |   \
//            srv   mem          srv: a server (VMs); mem: a memory server on a stub link

#include "ns3/aisfc-network-builder.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv6-list-routing.h"
#include "ns3/ipv6.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/pdp-controller.h"
#include "ns3/pdp-external-memory.h"
#include "ns3/pdp-function.h"
#include "ns3/pdp-helper.h"
#include "ns3/pdp-memory-server.h"
#include "ns3/pdp-rdma-client.h"
#include "ns3/pdp-server.h"
#include "ns3/pdp-switch.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/srv6-helper.h"
#include "ns3/srv6-sid-table.h"
#include "ns3/topology-builder.h"
#include "ns3/udp-header.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <optional>

using namespace ns3;

namespace
{
constexpr uint32_t H0 = 0;
constexpr uint32_t S0 = 1;
constexpr uint32_t S1 = 2;
constexpr uint32_t S2 = 3;
constexpr uint32_t H1 = 4;
constexpr uint32_t SRV = 5;
constexpr double LINK_BPS = 10e9;
constexpr double LINK_DELAY = 1e-6;
constexpr double MEM_BPS = 100e9;
constexpr double MEM_DELAY = 50e-9;
constexpr uint16_t PORT = 9000;

AisfcTopology
PdpLineTopology()
{
    TopologyBuilder b("pdp-line");
    b.AddNode({"h0", NodeRole::HOST, {}, {}});
    b.AddNode({"s0", NodeRole::SWITCH, {}, {}});
    b.AddNode({"s1", NodeRole::SWITCH, {}, {}});
    b.AddNode({"s2", NodeRole::SWITCH, {}, {}});
    b.AddNode({"h1", NodeRole::HOST, {}, {}});
    b.AddNode({"srv", NodeRole::SERVER, {}, {}});
    for (auto [a, c] : {std::pair{H0, S0}, {S0, S1}, {S1, S2}, {S2, H1}, {S1, SRV}})
    {
        b.AddEdge(a, c, LINK_BPS, LINK_DELAY);
    }
    return b.Build(TopologyOptions());
}

/// UDP datagrams from h0 to h1 carrying their sequence number; h1 records one-way latencies.
struct Traffic
{
    Ptr<Socket> tx;
    Ptr<Socket> rx;
    std::map<uint32_t, Time> sent;
    std::map<uint32_t, Time> latency;
    std::map<uint32_t, Time> arrival;

    Traffic(Ptr<Node> from, Ptr<Node> to)
    {
        tx = Socket::CreateSocket(from, UdpSocketFactory::GetTypeId());
        tx->Bind6();
        rx = Socket::CreateSocket(to, UdpSocketFactory::GetTypeId());
        rx->Bind(Inet6SocketAddress(Ipv6Address::GetAny(), PORT));
        rx->SetRecvCallback(MakeCallback(&Traffic::Receive, this));
    }

    void Send(uint32_t seq, uint32_t bytes, const Ipv6Address& dst)
    {
        std::vector<uint8_t> payload(bytes, 0);
        for (int i = 0; i < 4; ++i)
        {
            payload[i] = static_cast<uint8_t>(seq >> (24 - 8 * i));
        }
        sent[seq] = Simulator::Now();
        tx->SendTo(Create<Packet>(payload.data(), bytes), 0, Inet6SocketAddress(dst, PORT));
    }

    /// Schedule `count` datagrams every `interval` from `start`.
    void SendEvery(Time start, Time interval, uint32_t count, uint32_t bytes, Ipv6Address dst)
    {
        for (uint32_t k = 0; k < count; ++k)
        {
            Simulator::Schedule(start + interval * k,
                                [this, k, bytes, dst]() { Send(k, bytes, dst); });
        }
    }

    void Receive(Ptr<Socket> socket)
    {
        while (Ptr<Packet> p = socket->Recv())
        {
            uint8_t head[4];
            p->CopyData(head, 4);
            uint32_t seq = (uint32_t(head[0]) << 24) | (uint32_t(head[1]) << 16) |
                           (uint32_t(head[2]) << 8) | head[3];
            latency[seq] = Simulator::Now() - sent.at(seq);
            arrival[seq] = Simulator::Now();
        }
    }
};

/// The network with SRv6 everywhere and, when asked, PDP switches and a memory server at s1.
struct PdpLine
{
    AisfcNetworkBuilder net;
    Srv6Helper srv6;
    std::optional<PdpHelper> pdp;
    Ptr<PdpMemoryServer> memory;

    explicit PdpLine(bool programmable)
        : net(PdpLineTopology(), NetworkOptions()),
          srv6(net)
    {
        srv6.Install();
        if (programmable)
        {
            pdp.emplace(net, srv6);
            pdp->Install(PdpMemoryBudget(), 1ull << 34);
            memory = pdp->AddMemoryServer(S1, MEM_BPS, Seconds(MEM_DELAY));
        }
    }

    ~PdpLine()
    {
        Simulator::Destroy();
    }

    /// Steer h0's traffic to h1 at s0 through `sid`, then End.DT6 at s2.
    void SteerThrough(const Ipv6Address& sid)
    {
        Srv6SidConfig dt6;
        dt6.behavior = Srv6Behavior::END_DT6;
        Ipv6Address decap = srv6.AddSid(S2, 1, dt6);
        Srv6Policy policy;
        policy.name = "chain";
        policy.lists.push_back(Srv6SegmentList{{sid, decap}, 1});
        srv6.GetSidTable(S0)->AddPolicy(policy);
        srv6.GetSidTable(S0)->SteerPrefix(net.GetNodeAddress(H1), 128, "chain");
    }

    Ptr<PdpController> Controller() const
    {
        return pdp->GetController();
    }
};

/// Serialisation time of `bytes` on a link of `bps`.
double
Tx(double bytes, double bps)
{
    return bytes * 8 / bps;
}

/// The type every test deploys: an exact table, one access per lookup.
PdpFunctionType
TestFunction()
{
    PdpFunctionType t = PdpBuiltinFunctionTypes().at("nat");
    t.keyBits = 104;
    t.actionBits = 24; // 16-byte entries
    t.tableEntries = 4096;
    return t;
}
} // namespace

TEST_CASE("PDP pipeline latency adds up over three switches", "[pdp-switch]")
{
    std::map<uint32_t, Time> plain;
    {
        PdpLine line(false);
        Traffic traffic(line.net.GetNode(H0), line.net.GetNode(H1));
        traffic.SendEvery(MilliSeconds(1), MicroSeconds(10), 5, 200, line.net.GetNodeAddress(H1));
        Simulator::Run();
        plain = traffic.latency;
    }
    PdpLine line(true);
    Traffic traffic(line.net.GetNode(H0), line.net.GetNode(H1));
    traffic.SendEvery(MilliSeconds(1), MicroSeconds(10), 5, 200, line.net.GetNodeAddress(H1));
    Simulator::Run();
    Time pipeline = line.pdp->GetSwitch(S0)->PipelineLatency();
    CHECK(pipeline == NanoSeconds(284)); // 200 ns + 12 x 7 ns
    REQUIRE(traffic.latency.size() == 5);
    for (const auto& [seq, t] : traffic.latency)
    {
        CHECK(t - plain.at(seq) == pipeline * 3);
    }
    CHECK(line.pdp->GetSwitch(S0)->GetPackets() == 5);
    CHECK(line.pdp->GetSwitch(S2)->GetPackets() == 5);
    CHECK(line.pdp->GetSwitch(S1)->GetDrops().empty());
}

TEST_CASE("PDP per-packet TCAM table adds K log2 n to every pass", "[pdp-switch]")
{
    PdpLine line(true);
    Ptr<PdpSwitch> s1 = line.pdp->GetSwitch(S1);
    std::vector<std::string> memoryTrace;
    s1->TraceConnectWithoutContext(
        "Memory",
        MakeBoundCallback(
            +[](std::vector<std::string>* v, const std::string& kind, uint64_t used, uint64_t cap) {
                v->push_back(kind + " " + std::to_string(used) + "/" + std::to_string(cap));
            },
            &memoryTrace));
    Time before = s1->PipelineLatency();
    PdpTableShape acl{"acl", PdpMatchKind::TERNARY, 44, 8, 1024};
    REQUIRE(s1->AddTable(acl, PdpMemoryKind::TCAM, true).ok);
    CHECK(s1->PipelineLatency() - before == NanoSeconds(300)); // 30 ns x log2(1024)
    REQUIRE(s1->RemoveTable("acl"));
    CHECK(s1->PipelineLatency() == before);
    CHECK(s1->GetMemory().Used(PdpMemoryKind::TCAM) == 0);
    // A 12-bit register of 2048 cells takes 2 SRAM blocks; writes keep the low 12 bits.
    REQUIRE(s1->AddRegister("flows", 12, 2048).ok);
    s1->GetRegister("flows")->Write(7, 0xABCDE);
    CHECK(s1->GetRegister("flows")->Read(7) == 0xCDE);
    CHECK_THROWS(s1->GetRegister("flows")->Write(2048, 1));
    CHECK(memoryTrace == std::vector<std::string>{"tcam 2/288", "tcam 0/288", "sram 2/960"});
}

TEST_CASE("PDP pipeline drops beyond its packet rate and queue limit", "[pdp-switch]")
{
    PdpLine line(true);
    Ptr<PdpSwitch> s0 = line.pdp->GetSwitch(S0);
    s0->SetAttribute("PacketRate", DoubleValue(1e6)); // one packet per microsecond
    s0->SetAttribute("QueueLimit", UintegerValue(3));
    Traffic traffic(line.net.GetNode(H0), line.net.GetNode(H1));
    // 10 packets 100 ns apart at h0 arrive at s0 spaced by their 10 Gbps serialisation (~200 ns)
    traffic.SendEvery(MilliSeconds(1), NanoSeconds(100), 10, 200, line.net.GetNodeAddress(H1));
    Simulator::Run();
    uint64_t dropped =
        s0->GetDrops().count("pipeline-overload") ? s0->GetDrops().at("pipeline-overload") : 0;
    CHECK(dropped > 0);
    CHECK(traffic.latency.size() + dropped == 10);
    // The k-th packet taken waits for its slot: arrivals leave one microsecond apart.
    std::vector<Time> times;
    for (const auto& [seq, t] : traffic.arrival)
    {
        times.push_back(t);
    }
    for (size_t k = 1; k < times.size(); ++k)
    {
        CHECK(times[k] - times[k - 1] >= MicroSeconds(1) - NanoSeconds(1));
    }
}

TEST_CASE("External memory lookup latency is accesses times the RDMA round trip", "[pdp-switch]")
{
    PdpLine line(true);
    PdpFunctionType type = TestFunction();
    type.rdmaAccesses = 3;
    Ipv6Address sid = line.pdp->NextFunctionSid(S1);
    REQUIRE(line.Controller()->Deploy("nat", type, {PdpHosting::Kind::EXTERNAL, S1}, sid) == "");
    line.SteerThrough(sid);
    Traffic traffic(line.net.GetNode(H0), line.net.GetNode(H1));
    traffic.SendEvery(MilliSeconds(1), MicroSeconds(20), 4, 200, line.net.GetNodeAddress(H1));
    Simulator::Run();

    // One read: request and response cross the 100 Gbps, 50 ns stub link (IPv6 40 + UDP 8 +
    // BTH 12 + RETH 16 / AETH 4 + data + ICRC 4, plus the 2-byte PPP header).
    double request = 2 + 40 + 8 + 12 + 16 + 4;
    double response = 2 + 40 + 8 + 12 + 4 + type.EntryBytes() + 4;
    TimeValue access;
    line.memory->GetAttribute("AccessLatency", access);
    double rtt = Tx(request, MEM_BPS) + MEM_DELAY + access.Get().GetSeconds() +
                 Tx(response, MEM_BPS) + MEM_DELAY;
    Ptr<PdpExternalMemory> external = line.pdp->GetSwitch(S1)->GetExternalMemory();
    REQUIRE(external->GetLookups() == 4);
    CHECK(external->GetRemoteReads() == 12);
    // ns-3 keeps time in whole nanoseconds: each serialisation rounds.
    CHECK(external->GetLatencies().Min() == Approx(3 * rtt).margin(6e-9));
    CHECK(external->GetLatencies().Max() == Approx(3 * rtt).margin(6e-9));
    CHECK(rtt > 1.8e-6);
    CHECK(rtt < 2.2e-6); // TEA's range
    REQUIRE(traffic.latency.size() == 4);
    CHECK(line.memory->GetRequests() == 12);
}

TEST_CASE("External lookups queue at the memory server's lookup rate", "[pdp-switch]")
{
    PdpLine line(true);
    line.memory->SetAttribute("MaxLookupRate", DoubleValue(1e6)); // one read per microsecond
    std::vector<Time> queueDelays;
    line.memory->TraceConnectWithoutContext(
        "QueueDelay",
        MakeBoundCallback(
            +[](std::vector<Time>* v, Time d) { v->push_back(d); },
            &queueDelays));
    PdpFunctionType type = TestFunction();
    Ipv6Address sid = line.pdp->NextFunctionSid(S1);
    REQUIRE(line.Controller()->Deploy("nat", type, {PdpHosting::Kind::EXTERNAL, S1}, sid) == "");
    line.SteerThrough(sid);
    Traffic traffic(line.net.GetNode(H0), line.net.GetNode(H1));
    // 20 packets 300 ns apart: lookups arrive faster than the server serves them.
    traffic.SendEvery(MilliSeconds(1), NanoSeconds(300), 20, 200, line.net.GetNodeAddress(H1));
    std::vector<Time> lookupLatencies;
    line.pdp->GetSwitch(S1)->GetExternalMemory()->TraceConnectWithoutContext(
        "Lookup",
        MakeBoundCallback(
            +[](std::vector<Time>* v, Time latency, bool) { v->push_back(latency); },
            &lookupLatencies));
    Simulator::Run();
    REQUIRE(lookupLatencies.size() == 20);
    REQUIRE(queueDelays.size() == 20);
    // Each lookup's latency is its round trip plus the time its read waited at the server.
    Time idle = lookupLatencies.front();
    CHECK(queueDelays.front() == Time(0));
    for (size_t k = 0; k < 20; ++k)
    {
        CHECK(lookupLatencies[k] == idle + queueDelays[k]);
    }
    CHECK(queueDelays.back() > MicroSeconds(10)); // 20 us of service for 6 us of arrivals
    CHECK(traffic.latency.size() == 20);
}

TEST_CASE("ANALYTIC external memory takes its round trip and rate without packets", "[pdp-switch]")
{
    Ptr<PdpExternalMemory> external = CreateObject<PdpExternalMemory>();
    external->SetAttribute("Mode", EnumValue(PdpExternalMemory::ANALYTIC));
    external->SetAttribute("AnalyticRoundTrip", TimeValue(NanoSeconds(2000)));
    external->SetAttribute("AnalyticLookupRate", DoubleValue(1e7)); // 100 ns per read
    external->AddServer(Ipv6Address("fd00::1"));
    std::vector<Time> done;
    Simulator::Schedule(MicroSeconds(1), [&]() {
        for (int k = 0; k < 5; ++k)
        {
            external->Lookup(k * 7, 16, 2, [&done](bool ok, Time latency) {
                REQUIRE(ok);
                done.push_back(latency);
            });
        }
    });
    Simulator::Run();
    Simulator::Destroy();
    REQUIRE(done.size() == 5);
    // Lookup k's first read starts k x 100 ns late; its second read finds the server free.
    for (int k = 0; k < 5; ++k)
    {
        CHECK(done[k] == NanoSeconds(4000 + 100 * k));
    }
}

TEST_CASE("External memory cache answers repeated entries locally", "[pdp-switch]")
{
    Ptr<PdpExternalMemory> external = CreateObject<PdpExternalMemory>();
    external->SetAttribute("Mode", EnumValue(PdpExternalMemory::ANALYTIC));
    external->SetAttribute("CacheEntries", UintegerValue(2));
    external->AddServer(Ipv6Address("fd00::1"));
    std::vector<Time> latencies;
    auto lookup = [&](uint64_t entry, Time at) {
        Simulator::Schedule(at, [&, entry]() {
            external->Lookup(entry, 16, 1, [&](bool, Time l) { latencies.push_back(l); });
        });
    };
    lookup(1, MicroSeconds(10)); // miss
    lookup(1, MicroSeconds(20)); // hit
    lookup(2, MicroSeconds(30)); // miss
    lookup(3, MicroSeconds(40)); // miss, evicts 1 (least recently used)
    lookup(1, MicroSeconds(50)); // miss again
    lookup(3, MicroSeconds(60)); // hit
    Simulator::Run();
    Simulator::Destroy();
    CHECK(external->GetLookups() == 6);
    CHECK(external->GetCacheHits() == 2);
    CHECK(external->GetRemoteReads() == 4);
    REQUIRE(latencies.size() == 6);
    CHECK(latencies[1] == Time(0));
    CHECK(latencies[5] == Time(0));
    CHECK(latencies[4] > Time(0));
}

TEST_CASE("A function's throughput equals its capacity under overload", "[pdp-switch]")
{
    PdpLine line(true);
    PdpFunctionType type = TestFunction();
    type.switchCapacityBps = 1e9;
    Ipv6Address sid = line.pdp->NextFunctionSid(S1);
    REQUIRE(line.Controller()->Deploy("nat", type, {PdpHosting::Kind::LOCAL, S1}, sid) == "");
    line.SteerThrough(sid);
    Traffic traffic(line.net.GetNode(H0), line.net.GetNode(H1));
    // 2 Gbps offered: 1000-byte datagrams every 4 us for 20 ms.
    const uint32_t count = 5000;
    traffic.SendEvery(MilliSeconds(1), MicroSeconds(4), count, 1000, line.net.GetNodeAddress(H1));
    Simulator::Run();
    Ptr<PdpFunctionInstance> fn = line.Controller()->GetInstance("nat");
    REQUIRE(fn);
    uint64_t dropped = fn->GetDrops().at("function-overload");
    CHECK(fn->GetServed() + dropped == count);
    CHECK(traffic.latency.size() == fn->GetServed());
    // Served bytes (the function sees the encapsulated packet) over the time it was busy.
    Time first = traffic.arrival.begin()->second;
    Time last = traffic.arrival.rbegin()->second;
    double bytesPerPacket = double(fn->GetServedBytes()) / fn->GetServed();
    double rate = (traffic.latency.size() - 1) * bytesPerPacket * 8 / (last - first).GetSeconds();
    CHECK(rate == Approx(1e9).epsilon(0.005));
}

TEST_CASE("A VM on a server serves at its capacity with its per-MB delay", "[pdp-switch]")
{
    PdpLine line(true);
    PdpFunctionType type = TestFunction();
    type.serverCapacityBps = 2e9;
    type.serverPerPacket = MicroSeconds(3);
    type.serverPerMegabyte = MilliSeconds(2);
    Ipv6Address sid = line.pdp->NextFunctionSid(SRV);
    REQUIRE(line.Controller()->Deploy("nat", type, {PdpHosting::Kind::SERVER, SRV}, sid) == "");
    line.SteerThrough(sid);
    Traffic traffic(line.net.GetNode(H0), line.net.GetNode(H1));
    traffic.SendEvery(Seconds(1), MicroSeconds(50), 3, 1000, line.net.GetNodeAddress(H1));
    Simulator::Run();
    Ptr<PdpFunctionInstance> fn = line.Controller()->GetInstance("nat");
    REQUIRE(fn->GetServed() == 3);
    double bytes = double(fn->GetServedBytes()) / 3;
    double expected = bytes * 8 / 2e9 + 3e-6 + 2e-3 * bytes / 1e6;
    CHECK(fn->GetLatencies().Mean() == Approx(expected).margin(3e-9));
    CHECK(line.pdp->GetServer(SRV)->GetMemory().Used(PdpMemoryKind::SERVER) ==
          type.serverStorageBytes);
}

TEST_CASE("Deployment and migration are unavailable for exactly their programming delay",
          "[pdp-switch]")
{
    PdpLine line(true);
    Ptr<PdpController> controller = line.Controller();
    PdpFunctionType type = TestFunction(); // 4096 entries x 16 bytes = 64 KiB
    Ipv6Address local = line.pdp->NextFunctionSid(S1);
    REQUIRE(controller->Deploy("nat", type, {PdpHosting::Kind::LOCAL, S1}, local) == "");
    line.SteerThrough(local);
    double programming = 10e-6 + 65536 * 8 / 50e9; // ControlLatency + bytes / 50 Gbps
    CHECK(controller->ReconfigurationDelay(type, {PdpHosting::Kind::EXTERNAL, S1}) ==
          Seconds(programming));

    // Not there before its programming is done, there right after.
    std::vector<bool> deployed;
    for (Time at : {Seconds(programming) - NanoSeconds(1), Seconds(programming) + NanoSeconds(1)})
    {
        Simulator::Schedule(at, [&]() {
            deployed.push_back(controller->GetInstance("nat") != nullptr);
        });
    }
    // Migrate to external memory at 1 ms; packets every microsecond throughout.
    Ipv6Address external = line.pdp->NextFunctionSid(S1);
    Simulator::Schedule(MilliSeconds(1), [&]() {
        REQUIRE(controller->Migrate("nat", {PdpHosting::Kind::EXTERNAL, S1}, external) == "");
        CHECK(controller->Migrate("nat", {PdpHosting::Kind::SERVER, SRV}, local) ==
              "instance 'nat' is already being reconfigured");
    });
    // Until the switch-over the old instance serves; then the new one.
    std::vector<PdpHosting::Kind> servedBy;
    Time switchOver = MilliSeconds(1) + Seconds(programming);
    for (Time at : {switchOver - NanoSeconds(1), switchOver + NanoSeconds(1)})
    {
        Simulator::Schedule(at, [&]() {
            servedBy.push_back(controller->GetInstance("nat")->GetHosting().kind);
        });
    }
    std::vector<Time> noSidDrops;
    line.srv6.GetSidTable(S1)->TraceConnectWithoutContext(
        "Drop",
        MakeBoundCallback(
            +[](std::vector<Time>* v, const Ipv6Header&, Ptr<const Packet>, const std::string& r) {
                if (r == "no-sid")
                {
                    v->push_back(Simulator::Now());
                }
            },
            &noSidDrops));
    Traffic traffic(line.net.GetNode(H0), line.net.GetNode(H1));
    traffic.SendEvery(Time(0), MicroSeconds(1), 3000, 200, line.net.GetNodeAddress(H1));
    Simulator::Run();

    CHECK(deployed == std::vector<bool>{false, true});
    CHECK(servedBy ==
          std::vector<PdpHosting::Kind>{PdpHosting::Kind::LOCAL, PdpHosting::Kind::EXTERNAL});
    const auto& records = controller->GetRecords();
    REQUIRE(records.size() == 2);
    CHECK(records[0].action == "deploy");
    CHECK(records[0].to == "local@s1");
    CHECK(records[0].delaySeconds == Approx(programming).margin(1e-9)); // whole ns
    CHECK(records[1].action == "migrate");
    CHECK(records[1].from == "local@s1");
    CHECK(records[1].to == "external@s1");
    CHECK(records[1].bytes == 65536);
    CHECK(records[1].timeSeconds == Approx(1e-3));
    CHECK(records[1].delaySeconds == Approx(programming).margin(1e-9));
    // Packets that reached s1 before the first deployment was ready found no SID; every later
    // packet arrives, across the migration too.
    REQUIRE(!noSidDrops.empty());
    CHECK(noSidDrops.back() < Seconds(programming));
    CHECK(traffic.latency.size() + noSidDrops.size() == 3000);
    CHECK(traffic.latency.begin()->first == noSidDrops.size());
    // Memory: the local table was released after the drain, the external one is held.
    const PdpMemoryAccountant& memory = line.pdp->GetSwitch(S1)->GetMemory();
    CHECK(memory.Used(PdpMemoryKind::SRAM) == 0);
    CHECK(memory.Used(PdpMemoryKind::EXTERNAL) == 65536);
}

TEST_CASE("The controller refuses what does not fit and names the shortfall", "[pdp-switch]")
{
    PdpLine line(true);
    PdpFunctionType huge = PdpBuiltinFunctionTypes().at("firewall");
    huge.tableEntries = 200000; // 3 x 391 TCAM blocks > 288
    Ipv6Address sid = line.pdp->NextFunctionSid(S0);
    std::string refusal = line.Controller()->Deploy("fw", huge, {PdpHosting::Kind::LOCAL, S0}, sid);
    CHECK(refusal == "s0: table 'fw@local' (ternary, 200000 entries of 104-bit keys) needs 1173 "
                     "TCAM blocks, 288 free of 288");
    // No memory server at s0: external memory is refused too; nothing was recorded.
    CHECK(line.Controller()->Deploy("fw", huge, {PdpHosting::Kind::EXTERNAL, S0}, sid) ==
          "s0: no external memory (no memory server attached)");
    CHECK(line.Controller()->Deploy("fw", huge, {PdpHosting::Kind::SERVER, S0}, sid) ==
          "server@s0: node 1 is not a server");
    CHECK(line.Controller()->GetRecords().empty());
    CHECK(line.pdp->GetSwitch(S0)->GetMemory().GetReservations().empty());
}

TEST_CASE("A switch function's per-MB cost and recirculation add to its latency", "[pdp-switch]")
{
    PdpLine line(true);
    PdpFunctionType enc = PdpBuiltinFunctionTypes().at("encryption"); // exact: SRAM, no TCAM
    Ipv6Address sid = line.pdp->NextFunctionSid(S1);
    REQUIRE(line.Controller()->Deploy("enc", enc, {PdpHosting::Kind::LOCAL, S1}, sid) == "");
    line.SteerThrough(sid);
    Traffic traffic(line.net.GetNode(H0), line.net.GetNode(H1));
    traffic.SendEvery(MilliSeconds(1), MicroSeconds(50), 2, 1000, line.net.GetNodeAddress(H1));
    Simulator::Run();
    Ptr<PdpFunctionInstance> fn = line.Controller()->GetInstance("enc");
    REQUIRE(fn->GetServed() == 2);
    double bytes = double(fn->GetServedBytes()) / 2;
    // Processor at 40 Gbit/s, 50 us per MB, and one more pass: 284 ns + 100 ns recirculation.
    double expected = bytes * 8 / 40e9 + 50e-6 * bytes / 1e6 + 284e-9 + 100e-9;
    CHECK(fn->GetLatencies().Mean() == Approx(expected).margin(2e-9));
    CHECK(line.pdp->GetSwitch(S1)->GetRecirculations() == 2);
    CHECK(traffic.latency.size() == 2);
}

TEST_CASE("A switch program rewrites or drops the packets it sees", "[pdp-switch]")
{
    PdpLine line(true);
    Ptr<PdpSwitch> s1 = line.pdp->GetSwitch(S1);
    uint32_t seen = 0;
    // Mark the first payload byte after the UDP header of even datagrams, drop odd ones.
    s1->SetProgram([&seen](Ptr<Packet> p, const Ipv6Header&) {
        ++seen;
        uint8_t bytes[12];
        p->CopyData(bytes, 12); // UDP header (8) + the sequence number
        uint32_t seq = bytes[11];
        if (seq % 2 == 1)
        {
            return false;
        }
        UdpHeader udp;
        p->RemoveHeader(udp);
        uint8_t first;
        p->CopyData(&first, 1);
        p->RemoveAtStart(1);
        first = 0xAB;
        Ptr<Packet> rest = p->Copy();
        p->RemoveAtEnd(p->GetSize());
        p->AddAtEnd(Create<Packet>(&first, 1));
        p->AddAtEnd(rest);
        p->AddHeader(udp);
        return true;
    });
    Traffic traffic(line.net.GetNode(H0), line.net.GetNode(H1));
    std::vector<uint8_t> marks;
    traffic.rx->SetRecvCallback(Callback<void, Ptr<Socket>>([&marks](Ptr<Socket> socket) {
        while (Ptr<Packet> p = socket->Recv())
        {
            uint8_t b;
            p->CopyData(&b, 1);
            marks.push_back(b);
        }
    }));
    traffic.SendEvery(MilliSeconds(1), MicroSeconds(10), 6, 100, line.net.GetNodeAddress(H1));
    Simulator::Run();
    CHECK(seen == 6);
    CHECK(s1->GetDrops().at("program") == 3);
    CHECK(marks == std::vector<uint8_t>{0xAB, 0xAB, 0xAB}); // even ones, rewritten on the wire
}

TEST_CASE("PDP tables of one lookup level cost their slowest lookup", "[pdp-switch]")
{
    PdpLine line(true);
    Ptr<PdpSwitch> s0 = line.pdp->GetSwitch(S0);
    const Time base = s0->PipelineLatency();
    auto ternary = [](const std::string& name, uint64_t entries) {
        PdpTableShape t;
        t.name = name;
        t.match = PdpMatchKind::TERNARY;
        t.keyBits = 32;
        t.entries = entries;
        return t;
    };
    // Two tables on level 0 (256 and 16 entries), one on level 1 (4 entries), one alone (2).
    REQUIRE(s0->AddTable(ternary("a", 256), PdpMemoryKind::TCAM, true, 0).ok);
    REQUIRE(s0->AddTable(ternary("b", 16), PdpMemoryKind::TCAM, true, 0).ok);
    REQUIRE(s0->AddTable(ternary("c", 4), PdpMemoryKind::TCAM, true, 1).ok);
    REQUIRE(s0->AddTable(ternary("d", 2), PdpMemoryKind::TCAM, true).ok);
    // K = 30 ns: level 0 max(8, 4) x 30, level 1 2 x 30, the lone table 1 x 30.
    CHECK(s0->PipelineLatency() - base == NanoSeconds(240 + 60 + 30));
    REQUIRE(s0->RemoveTable("a"));
    CHECK(s0->PipelineLatency() - base == NanoSeconds(120 + 60 + 30));
}
