/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// DUNE in the ns-3 data plane: the DUNE header on the wire, the 852 ns forwarding baseline
// over three switches, the TCAM delays the models add, bit-exact agreement of the switches
// with the software system, flows never reclassified, the controller's delay and register
// collisions.

#include "ns3/aisfc-error.h"
#include "ns3/data-rate.h"
#include "ns3/dune-dataplane.h"
#include "ns3/dune-header.h"
#include "ns3/dune-replay.h"
#include "ns3/dune-switch-program.h"
#include "ns3/dune-synthetic.h"
#include "ns3/dune-system.h"
#include "ns3/ipv6-header.h"
#include "ns3/packet.h"
#include "ns3/pdp-switch.h"
#include "ns3/udp-header.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <map>

using namespace ns3;

namespace
{

/// Small synthetic traffic and DUNE trained on all of it: the data plane is checked against
/// the same system in software, so no held-out data is needed.
struct DuneFixture
{
    DuneSyntheticTraffic traffic;
    DuneDataset data;
    DuneSystem dune;

    DuneFixture()
    {
        DuneSyntheticOptions o;
        o.classes = 6;
        o.flowsPerClass = 30;
        o.seed = 3;
        traffic = DuneGenerateSyntheticTraffic(o);
        data = traffic.Extract();
        DuneConfig config;
        config.referenceTrees = 10;
        dune = DuneSystem::TrainDune(data, config);
    }
};

const DuneFixture&
Fixture()
{
    static const DuneFixture f;
    return f;
}

/// Registers large enough that no two flows of the fixture share a cell (checked), on
/// switches given the SRAM for them.
DuneDataPlaneOptions
NoCollisions()
{
    DuneDataPlaneOptions o;
    o.registerCells = 1 << 18;
    o.classifiedEntries = 4096;
    o.switchBudget.sramBlocksPerStage = 256;
    return o;
}

/// The fixture's system on the fixture's traffic without collisions, run once for all tests.
const DuneDataPlaneResult&
Roomy()
{
    static const DuneDataPlaneResult r =
        DuneRunDataPlane(&Fixture().dune, Fixture().traffic, NoCollisions());
    return r;
}

/// Header-only TCP packets of 84 bytes (IPv4 with one option word, TCP with 40 option
/// bytes): 150-byte frames on the links, 12 ns at 100 Gbit/s.
std::vector<DunePacket>
FixedSizeTrace(size_t n, uint64_t gapNs)
{
    std::vector<DunePacket> trace;
    for (size_t i = 0; i < n; ++i)
    {
        DunePacket p;
        p.timestampNs = 1700000000000000000ULL + i * gapNs;
        p.ipVersion = 4;
        p.srcAddress = {10, 0, 0, 1};
        p.dstAddress = {10, 0, 0, 2};
        p.protocol = DUNE_PROTO_TCP;
        p.srcPort = 40000;
        p.dstPort = 443;
        p.ipLength = 1000;
        p.ttl = 64;
        p.ipHeaderLength = 24;
        p.tcpHeaderLength = 15;
        p.tcpFlags = DUNE_TCP_ACK;
        p.tcpWindow = 502;
        trace.push_back(p);
    }
    return trace;
}

} // namespace

TEST_CASE("dune header round trip and bad bytes", "[dune]")
{
    DuneHeader h;
    h.SetTimestampNs(0x0102030405060708ULL);
    h.SetModelsRun(1);
    h.SetPacketIndex(3);
    h.SetDecision(5, 1, true);
    h.SetCollision();
    REQUIRE(h.GetSerializedSize() == DuneHeader::SIZE);
    Ptr<Packet> p = Create<Packet>(20);
    p->AddHeader(h);
    REQUIRE(p->GetSize() == 36);
    uint8_t bytes[DuneHeader::SIZE];
    p->CopyData(bytes, DuneHeader::SIZE);
    const uint8_t expected[DuneHeader::SIZE] =
        {0x10, 0x0f, 1, 1, 0, 5, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8};
    CHECK(std::equal(bytes, bytes + DuneHeader::SIZE, expected));
    DuneHeader back;
    REQUIRE(p->RemoveHeader(back) == DuneHeader::SIZE);
    CHECK(back.IsValid());
    CHECK(back == h);
    CHECK(back.IsClassified());
    CHECK(back.IsFlowLevel());
    CHECK(back.HasCollision());
    CHECK(back.GetClass() == 5);
    CHECK(back.GetModel() == 1);
    std::ostringstream text;
    back.Print(text);
    CHECK(text.str() ==
          "dune v1 flags=C|F|T|X run=1 class=5 model=1 index=3 ts=72623859790382856ns");
    // A fresh header: unclassified, valid.
    DuneHeader fresh;
    uint8_t freshBytes[DuneHeader::SIZE];
    Ptr<Packet> q = Create<Packet>();
    q->AddHeader(fresh);
    q->CopyData(freshBytes, DuneHeader::SIZE);
    REQUIRE(DuneHeader::Parse(freshBytes, DuneHeader::SIZE, back));
    CHECK(!back.IsClassified());
    CHECK(back.GetClass() == DuneHeader::NO_CLASS);

    // Bad bytes: invalid with a reason, never a crash.
    CHECK_FALSE(DuneHeader::Parse(bytes, 7, back));
    CHECK(back.GetError() == "truncated: 7 bytes, 16 needed");
    CHECK_FALSE(DuneHeader::Parse(nullptr, 0, back));
    uint8_t bad[DuneHeader::SIZE];
    std::copy(expected, expected + DuneHeader::SIZE, bad);
    bad[0] = 0x20;
    CHECK_FALSE(DuneHeader::Parse(bad, DuneHeader::SIZE, back));
    CHECK(back.GetError() == "version 2, expected 1");
    bad[0] = 0x11;
    CHECK_FALSE(DuneHeader::Parse(bad, DuneHeader::SIZE, back));
    bad[0] = 0x10;
    bad[1] = 0x80;
    CHECK_FALSE(DuneHeader::Parse(bad, DuneHeader::SIZE, back));
    CHECK(back.GetError() == "unknown flags 128");
    bad[1] = DuneHeader::CLASSIFIED;
    bad[4] = bad[5] = 0xff;
    CHECK_FALSE(DuneHeader::Parse(bad, DuneHeader::SIZE, back));
    bad[1] = DuneHeader::FLOW_LEVEL;
    CHECK_FALSE(DuneHeader::Parse(bad, DuneHeader::SIZE, back));
    bad[1] = 0;
    CHECK_FALSE(DuneHeader::Parse(bad, DuneHeader::SIZE, back)); // a class, not classified
    // Deserialize from a packet too short to hold a header reads nothing.
    Ptr<Packet> shortPacket = Create<Packet>(bytes, 5);
    DuneHeader peeked;
    CHECK(shortPacket->PeekHeader(peeked) == 0);
    CHECK_FALSE(peeked.IsValid());
    CHECK(shortPacket->GetSize() == 5);
}

TEST_CASE("dune switch program drops bad tunnel packets and passes other traffic", "[dune]")
{
    const DuneFixture& f = Fixture();
    Ptr<PdpSwitch> sw = CreateObject<PdpSwitch>();
    sw->SetMemoryBudget("s1", PdpMemoryBudget());
    Ptr<DuneSwitchProgram> program = CreateObject<DuneSwitchProgram>();
    DuneSwitchProgramConfig config;
    config.registerCells = 1024;
    config.classifiedEntries = 1024;
    REQUIRE(program->Install(sw, f.dune.GetModels()[0], 0, config, nullptr).ok);
    Ipv6Header ip;
    ip.SetNextHeader(17);
    auto udp = [](uint16_t port, Ptr<Packet> p) {
        UdpHeader u;
        u.SetSourcePort(1000);
        u.SetDestinationPort(port);
        p->AddHeader(u);
        return p;
    };
    uint8_t junk[40] = {0xde, 0xad};
    CHECK(program->Process(udp(53, Create<Packet>(junk, 40)), ip)); // not the tunnel
    CHECK_FALSE(program->Process(udp(DUNE_TUNNEL_PORT, Create<Packet>(junk, 40)), ip));
    CHECK(program->GetCounters().badHeaders == 1);
    Ptr<Packet> badInner = Create<Packet>(junk, 10);
    badInner->AddHeader(DuneHeader());
    CHECK_FALSE(program->Process(udp(DUNE_TUNNEL_PORT, badInner), ip));
    CHECK(program->GetCounters().badInner == 1);
    // A good packet is classified or handed on, and its header rewritten.
    std::vector<uint8_t> inner;
    REQUIRE(DuneTunnelBytes(f.traffic.packets[0], inner));
    Ptr<Packet> good = Create<Packet>(inner.data(), inner.size());
    good->AddHeader(DuneHeader());
    good = udp(DUNE_TUNNEL_PORT, good);
    REQUIRE(program->Process(good, ip));
    UdpHeader u;
    good->RemoveHeader(u);
    DuneHeader out;
    good->RemoveHeader(out);
    CHECK(out.IsValid());
    CHECK(out.HasTimestamp());
    CHECK(out.GetPacketIndex() == 1);
    CHECK((out.IsClassified() || out.GetModelsRun() == 1));
    CHECK(good->GetSize() == inner.size());
    CHECK(program->GetCounters().tunnelled == 3);
    CHECK(program->GetCounters().packets == 4);
    // The model's tables and the program's are the switch's: per-packet TCAM delays.
    CHECK(sw->PipelineLatency() > NanoSeconds(284));
    CHECK(sw->GetTable("dune.classified"));
    CHECK(sw->GetRegister("dune.flow_id"));
    program->Dispose();
}

TEST_CASE("dune data plane without inference takes 852 ns over three switches", "[dune]")
{
    const std::vector<DunePacket> trace = FixedSizeTrace(5, 10000);
    DuneLabelMap labels;
    labels.SetFlow(DuneFlowKey::FromPacket(trace[0]), "web");
    DuneDataPlaneResult r = DuneRunDataPlane(nullptr, trace, labels, {"web"});
    REQUIRE(r.packetsReplayed == 5);
    REQUIRE(r.packetsDelivered == 5);
    CHECK(r.perSwitchLatencyNs == std::vector<double>{284, 284, 284});
    CHECK(r.totalLatencyNs == 852);
    // Each frame is 150 bytes: PPP 2 + IPv6 40 + UDP 8 + DUNE 16 + IPv4 24 + TCP 60, so
    // 1200 bits take 12 ns on each of the 4 links at 100 Gbit/s: 852 + 4 x 12 = 900 ns.
    REQUIRE(DataRate("100Gbps").CalculateBytesTxTime(150) == NanoSeconds(12));
    CHECK(r.endToEndMinNs == 900);
    CHECK(r.endToEndMaxNs == 900);
    for (const DuneDataPlanePacket& p : r.packets)
    {
        CHECK(p.arrivalNs - p.sendNs == 900);
        CHECK(p.predicted == -1);
        CHECK(p.sendNs == int64_t(p.sequence) * 10000); // the trace's gaps
    }
    nlohmann::json j = r.ToJson({"web"});
    CHECK(j["system"] == "no_inference");
    CHECK(j["macro_f1"].is_null());
    CHECK(j["total_latency_ns"] == 852.0);
    CHECK(j["resources"].size() == 3);
    CHECK(j["resources"][0]["tcam_blocks"] == 0);
    CHECK(j["resources"][0]["pipeline_latency_ns"] == 284);

    // A fixed packet rate instead of the trace's times, and a replay cut short.
    DuneDataPlaneOptions o;
    o.packetRate = 1e6;
    o.maxPackets = 3;
    r = DuneRunDataPlane(nullptr, trace, labels, {"web"}, o);
    REQUIRE(r.packetsReplayed == 3);
    CHECK(r.packets[2].sendNs == 2000);
    CHECK(r.packets.size() == 3);
    // Twice as fast as the trace.
    o = DuneDataPlaneOptions();
    o.speedup = 2;
    r = DuneRunDataPlane(nullptr, trace, labels, {"web"}, o);
    CHECK(r.packets[4].sendNs == 20000);
}

TEST_CASE("dune switches add exactly the TCAM delays of their table levels", "[dune]")
{
    const DuneFixture& f = Fixture();
    const DuneDataPlaneResult& r = Roomy();
    const auto& models = f.dune.GetModels();
    REQUIRE(r.perSwitchLatencyNs.size() == 3);
    for (size_t k = 0; k < 3; ++k)
    {
        // The range tables are matched in parallel, then the code tables: each level costs
        // its slowest lookup, K log2 n.
        Time expected = NanoSeconds(284);
        if (k < models.size())
        {
            Time range(0);
            Time code(0);
            for (const PdpTableShape& s : models[k].tables->Shapes())
            {
                Time lookup =
                    s.entries > 1 ? NanoSeconds(30) * std::log2(double(s.entries)) : Time(0);
                if (s.match == PdpMatchKind::RANGE)
                {
                    range = std::max(range, lookup);
                }
                else if (s.match == PdpMatchKind::TERNARY)
                {
                    code = std::max(code, lookup);
                }
            }
            expected += range + code;
        }
        INFO("switch " << k);
        CHECK(r.perSwitchLatencyNs[k] == expected.GetNanoSeconds());
        CHECK(r.resources[k]["pipeline_latency_ns"] == expected.GetNanoSeconds());
        CHECK(r.resources[k]["tcam_lookup_ns"] == (expected - NanoSeconds(284)).GetNanoSeconds());
    }
    double total = 0;
    for (double l : r.perSwitchLatencyNs)
    {
        total += l;
    }
    CHECK(r.totalLatencyNs == total);
    CHECK(r.totalLatencyNs > 852);
    CHECK(r.resources[0]["tcam_blocks"].get<uint64_t>() == models[0].tcamBlocks);
    CHECK(r.resources[0]["register_bits"].get<uint64_t>() == (58 + 5 * 64 + 48) * (1u << 18));
}

TEST_CASE("dune data plane decides every packet as the software system", "[dune]")
{
    const DuneFixture& f = Fixture();
    const uint32_t N = 3;
    const DuneDataPlaneResult& r = Roomy();
    REQUIRE(r.collisions == 0);
    REQUIRE(r.packetsDelivered == f.traffic.packets.size());
    REQUIRE(r.flows == f.data.flows.size());
    REQUIRE(r.unclassifiedPackets == 0);

    // Sample of (flow, position) in the data set.
    std::map<std::pair<int32_t, uint32_t>, size_t> sampleOf;
    for (size_t s = 0; s < f.data.Size(); ++s)
    {
        sampleOf[{int32_t(f.data.samples[s].flow), f.data.samples[s].packetIndex}] = s;
    }
    size_t checked = 0;
    size_t mismatches = 0;
    std::map<int32_t, const DuneDataPlanePacket*> flowDecision;
    for (const DuneDataPlanePacket& p : r.packets)
    {
        REQUIRE(p.flow >= 0);
        REQUIRE(f.data.flows[p.flow].key == DuneFlowKey::FromPacket(f.traffic.packets[p.sequence]));
        REQUIRE(p.truth == f.data.flows[p.flow].label);
        if (p.packetIndex <= N)
        {
            const size_t s = sampleOf.at({p.flow, p.packetIndex});
            size_t model = 0;
            const int c = f.dune.Classify(f.data.data.features.col(s), &model);
            const bool flowSample = f.data.samples[s].kind == DuneSampleKind::FLOW;
            mismatches += c != p.predicted || int(model) != p.model || flowSample != p.flowLevel;
            ++checked;
            if (flowSample)
            {
                flowDecision[p.flow] = &p;
            }
        }
        else
        {
            const DuneDataPlanePacket* d = flowDecision.at(p.flow);
            mismatches += p.predicted != d->predicted || p.model != d->model || !p.flowLevel;
        }
    }
    CHECK(checked == f.data.Size());
    CHECK(mismatches == 0);

    nlohmann::json software = f.dune.Evaluate(f.data);
    CHECK(std::abs(r.macroF1 - software["macro_f1"].get<double>()) < 1e-9);
    CHECK(std::abs(r.weightedF1 - software["weighted_f1"].get<double>()) < 1e-9);
    CHECK(std::abs(r.microF1 - software["micro_f1"].get<double>()) < 1e-9);
    CHECK(std::abs(r.packetLevelShare - software["packet_level_share"].get<double>()) < 1e-9);
    for (size_t k = 0; k < r.decidedBy.size(); ++k)
    {
        CHECK(std::abs(r.decidedBy[k] - software["decided_by"][k].get<double>()) < 1e-9);
    }
    CHECK(r.flowsClassified == r.flows);
    CHECK(r.timeToClassificationNs > 0);
    CHECK(r.digests == r.flowsFlowLevel);

    // Deterministic: the same run gives the same JSON but for the wall time.
    DuneDataPlaneResult again = DuneRunDataPlane(&f.dune, f.traffic, NoCollisions());
    nlohmann::json a = r.ToJson();
    nlohmann::json b = again.ToJson();
    a.erase("replay");
    b.erase("replay");
    CHECK(a == b);
    CHECK(r.replayRate > 0);
}

TEST_CASE("dune flow once classified is never reclassified", "[dune]")
{
    const DuneFixture& f = Fixture();
    DuneDataPlaneOptions o = NoCollisions();
    o.installUpstream = false; // earlier switches hand the flow on from their registers
    DuneDataPlaneResult r = DuneRunDataPlane(&f.dune, f.traffic, o);
    std::map<int32_t, std::pair<int, int>> decided; // flow -> (class, model)
    size_t later = 0;
    for (const DuneDataPlanePacket& p : r.packets)
    {
        auto it = decided.find(p.flow);
        if (it != decided.end())
        {
            ++later;
            CHECK(p.flowLevel);
            CHECK(p.predicted == it->second.first);
            CHECK(p.model == it->second.second);
        }
        else if (p.flowLevel)
        {
            decided[p.flow] = {p.predicted, p.model};
        }
    }
    CHECK(later > 1000);
    CHECK(decided.size() == r.flowsFlowLevel);
    // Entries only where the flow was decided; the same decisions as with upstream entries.
    CHECK(r.entriesInstalled == r.digests);
    const DuneDataPlaneResult& upstream = Roomy();
    CHECK(upstream.entriesInstalled > upstream.digests);
    CHECK(upstream.macroF1 == r.macroF1);
}

TEST_CASE("dune controller entries arrive after the control delay", "[dune]")
{
    const DuneFixture& f = Fixture();
    DuneDataPlaneOptions o = NoCollisions();
    o.controlDelay = Seconds(0);
    DuneDataPlaneResult immediate = DuneRunDataPlane(&f.dune, f.traffic, o);
    o.controlDelay = Seconds(2);
    DuneDataPlaneResult slow = DuneRunDataPlane(&f.dune, f.traffic, o);
    auto sum = [](const DuneDataPlaneResult& r, const char* key) {
        uint64_t n = 0;
        for (const nlohmann::json& c : r.counters)
        {
            n += c.is_null() ? 0 : c[key].get<uint64_t>();
        }
        return n;
    };
    // Without delay every later packet meets the entry; with 2 s the registers answer first.
    CHECK(sum(immediate, "register_hits") == 0);
    CHECK(sum(immediate, "entry_hits") > 0);
    CHECK(sum(slow, "register_hits") > 0);
    CHECK(sum(slow, "entry_hits") < sum(immediate, "entry_hits"));
    for (const DuneControllerEntry& e : slow.entries)
    {
        CHECK(e.installNs - e.digestNs == 2000000000);
        CHECK(e.installed);
    }
    CHECK(slow.controlDelayNs == 2e9);
    CHECK(!slow.entries.empty());
    // The entry changes where the class comes from, not the class.
    CHECK(immediate.macroF1 == slow.macroF1);
    CHECK(immediate.flowLevelShare == slow.flowLevelShare);
}

TEST_CASE("dune register collisions get packet-level inference only", "[dune]")
{
    const DuneFixture& f = Fixture();
    DuneDataPlaneOptions o;
    o.registerCells = 16;
    DuneDataPlaneResult r = DuneRunDataPlane(&f.dune, f.traffic, o);
    uint64_t flagged = 0;
    for (const DuneDataPlanePacket& p : r.packets)
    {
        flagged += p.collision;
    }
    CHECK(r.collisions > 0);
    CHECK(flagged > 0);
    uint64_t counted = 0;
    for (const nlohmann::json& c : r.counters)
    {
        counted += c.is_null() ? 0 : c["collisions"].get<uint64_t>();
    }
    CHECK(counted == r.collisions);
    CHECK(r.flowLevelShare < Roomy().flowLevelShare);
    CHECK(r.packetsDelivered == f.traffic.packets.size());
    CHECK(r.unclassifiedPackets == 0);
}

TEST_CASE("dune model that does not fit its switch is refused with the reason", "[dune]")
{
    const DuneFixture& f = Fixture();
    DuneDataPlaneOptions o;
    o.switchBudget.tcamBlocksPerStage = 0;
    try
    {
        DuneRunDataPlane(&f.dune, f.traffic, o);
        FAIL("no refusal");
    }
    catch (const AisfcInputError& e)
    {
        CHECK_THAT(e.what(), Catch::Contains("switch s1 (model '" + f.dune.GetModels()[0].name));
        CHECK_THAT(e.what(), Catch::Contains("TCAM blocks"));
    }
    o = DuneDataPlaneOptions();
    o.switches = 1;
    CHECK_THROWS_AS(DuneRunDataPlane(&f.dune, f.traffic, o), AisfcInputError);
    o.switches = 3;
    o.packetsPerFlow = 0;
    CHECK_THROWS_AS(DuneRunDataPlane(&f.dune, f.traffic, o), AisfcInputError);
}
