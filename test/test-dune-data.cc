/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/aisfc-error.h"
#include "ns3/dune-csv.h"
#include "ns3/dune-features.h"
#include "ns3/dune-packet.h"
#include "ns3/dune-synthetic.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

using namespace ns3;
using Catch::Matchers::Contains;

namespace
{

/// A directory removed with its files at the end of a test.
class DuneTempDir
{
  public:
    DuneTempDir()
    {
        static int counter = 0;
        m_path = std::filesystem::temp_directory_path() /
                 ("aisfc-dune-test-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
        std::filesystem::create_directories(m_path);
    }

    ~DuneTempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }

    std::string Path(const std::string& name) const
    {
        return (m_path / name).string();
    }

    std::string Write(const std::string& name, const std::string& content) const
    {
        std::ofstream(Path(name), std::ios::binary) << content;
        return Path(name);
    }

  private:
    std::filesystem::path m_path;
};

std::string
ReadBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

DunePacket
Ipv4Packet(const char* src,
           const char* dst,
           uint8_t protocol,
           uint16_t sport,
           uint16_t dport,
           uint64_t timeNs,
           uint32_t length)
{
    DunePacket p;
    uint8_t version = 0;
    REQUIRE(DuneParseAddress(src, version, p.srcAddress));
    REQUIRE(DuneParseAddress(dst, version, p.dstAddress));
    p.ipVersion = version;
    p.protocol = protocol;
    p.srcPort = sport;
    p.dstPort = dport;
    p.timestampNs = timeNs;
    p.ipLength = length;
    p.ttl = 64;
    p.ipHeaderLength = version == 4 ? 20 : 40;
    if (protocol == DUNE_PROTO_TCP)
    {
        p.tcpHeaderLength = 5;
        p.tcpWindow = 1000;
    }
    else if (protocol == DUNE_PROTO_UDP)
    {
        p.udpLength = static_cast<uint16_t>(length - p.ipHeaderLength);
    }
    return p;
}

double
Feature(const DuneDataset& d, size_t sample, DuneFeature f)
{
    return d.data.features(f, static_cast<Eigen::Index>(sample));
}

/// A little-endian microsecond pcap of hand-made records.
struct PcapBytes
{
    std::string bytes;

    explicit PcapBytes(uint32_t linkType, uint32_t magic = 0xa1b2c3d4u, uint16_t major = 2)
    {
        Put32(magic);
        Put16(major);
        Put16(4);
        Put32(0);
        Put32(0);
        Put32(65535);
        Put32(linkType);
    }

    void Put16(uint32_t v)
    {
        bytes.push_back(static_cast<char>(v & 0xff));
        bytes.push_back(static_cast<char>((v >> 8) & 0xff));
    }

    void Put32(uint32_t v)
    {
        Put16(v & 0xffff);
        Put16(v >> 16);
    }

    /// One record; inclLen may lie to make a corrupt file.
    void Record(const std::vector<uint8_t>& frame, uint32_t sec = 1, uint32_t usec = 0)
    {
        RecordWithLength(frame, static_cast<uint32_t>(frame.size()), sec, usec);
    }

    void RecordWithLength(const std::vector<uint8_t>& frame,
                          uint32_t inclLen,
                          uint32_t sec = 1,
                          uint32_t usec = 0)
    {
        Put32(sec);
        Put32(usec);
        Put32(inclLen);
        Put32(static_cast<uint32_t>(frame.size()));
        bytes.append(frame.begin(), frame.end());
    }
};

} // namespace

TEST_CASE("DUNE features of hand-made packets are exact", "[dune]")
{
    // Flow A: 5 TCP packets client -> server.  Flow B: its reply, 1 packet.  Flow C: 2 UDP
    // packets, shorter than N = 3.
    std::vector<DunePacket> packets;
    const uint64_t t0 = 1000000000ULL;
    auto a = [&](uint64_t dt, uint32_t len, uint8_t flags) {
        DunePacket p = Ipv4Packet("10.0.0.1", "10.0.0.2", DUNE_PROTO_TCP, 40000, 80, t0 + dt, len);
        p.tcpFlags = flags;
        return p;
    };
    packets.push_back(a(0, 60, DUNE_TCP_SYN | DUNE_TCP_ECE | DUNE_TCP_CWR));
    DunePacket reply = Ipv4Packet("10.0.0.2", "10.0.0.1", DUNE_PROTO_TCP, 80, 40000, t0 + 500, 60);
    reply.tcpFlags = DUNE_TCP_SYN | DUNE_TCP_ACK;
    packets.push_back(reply);
    packets.push_back(a(1000, 52, DUNE_TCP_ACK));
    DunePacket third = a(4000, 500, DUNE_TCP_ACK | DUNE_TCP_PSH);
    third.ttl = 63;
    third.tcpWindow = 2053;
    third.tcpHeaderLength = 8;
    third.ipHeaderLength = 24;
    packets.push_back(third);
    packets.push_back(Ipv4Packet("10.0.0.3", "10.0.0.4", DUNE_PROTO_UDP, 5353, 53, t0 + 4100, 70));
    packets.push_back(a(9000, 1500, DUNE_TCP_ACK));
    packets.push_back(a(9500, 52, DUNE_TCP_FIN | DUNE_TCP_ACK));
    packets.push_back(Ipv4Packet("10.0.0.3", "10.0.0.4", DUNE_PROTO_UDP, 5353, 53, t0 + 9600, 90));

    DuneFeatureOptions options;
    options.packetsPerFlow = 3;
    DuneFeatureExtractor x(options);
    const int web = x.ClassIndex("web");
    const int dns = x.ClassIndex("dns");
    CHECK(x.ClassIndex("web") == web);
    for (const DunePacket& p : packets)
    {
        x.Add(p, p.protocol == DUNE_PROTO_UDP ? dns : web);
    }
    REQUIRE(x.FlowCount() == 3);
    CHECK(x.PacketCount() == 8);
    const DuneDataset d = x.Build();
    REQUIRE(d.featureNames.size() == DUNE_FEATURE_COUNT);
    CHECK(d.featureNames[DUNE_IP_LEN] == "ip.len");
    CHECK(d.featureNames[DUNE_IAT_MIN] == "Flow IAT Min");
    CHECK(d.featureNames[DUNE_ECE_COUNT] == "ECE Flag Count");
    CHECK(d.classNames == std::vector<std::string>{"web", "dns"});
    // Flows in order of appearance: A (3 samples), B (1), C (2).
    REQUIRE(d.Size() == 6);
    REQUIRE(d.flows.size() == 3);
    CHECK(d.flows[0].key.ToString() == "10.0.0.1 10.0.0.2 40000 80 6");
    CHECK(d.flows[0].packetCount == 5);
    CHECK(d.flows[1].packetCount == 1);
    CHECK(d.flows[2].packetCount == 2);
    CHECK(d.data.labels == std::vector<int>{web, web, web, web, dns, dns});

    // A's packet samples: packet features, flow features -1 (DUNE's sentinel), weight 1/5.
    CHECK(d.samples[0].kind == DuneSampleKind::PACKET);
    CHECK(d.samples[0].packetIndex == 1);
    CHECK(Feature(d, 0, DUNE_IP_LEN) == 60);
    CHECK(Feature(d, 0, DUNE_TCP_FLAG_SYN) == 1);
    CHECK(Feature(d, 0, DUNE_TCP_FLAG_ECE) == 1);
    CHECK(Feature(d, 0, DUNE_TCP_FLAG_ACK) == 0);
    for (size_t f = DUNE_PACKET_FEATURE_COUNT; f < DUNE_FEATURE_COUNT; ++f)
    {
        CHECK(Feature(d, 0, static_cast<DuneFeature>(f)) == -1);
        CHECK(Feature(d, 1, static_cast<DuneFeature>(f)) == -1);
    }
    CHECK(d.weights[0] == Approx(0.2));
    CHECK(d.weights[1] == Approx(0.2));

    // A's flow sample: packet features of its 3rd packet, flow features over packets 1-3
    // (lengths 60, 52, 500 at 0, 1000 and 4000 ns), weight (5 - 3 + 1) / 5.
    const size_t s = 2;
    CHECK(d.samples[s].kind == DuneSampleKind::FLOW);
    CHECK(d.samples[s].packetIndex == 3);
    CHECK(d.samples[s].packetsRepresented == 3);
    CHECK(d.weights[s] == Approx(0.6));
    CHECK(Feature(d, s, DUNE_IP_LEN) == 500);
    CHECK(Feature(d, s, DUNE_IP_TTL) == 63);
    CHECK(Feature(d, s, DUNE_TCP_FLAG_PSH) == 1);
    CHECK(Feature(d, s, DUNE_TCP_FLAG_SYN) == 0);
    CHECK(Feature(d, s, DUNE_IP_PROTO) == 6);
    CHECK(Feature(d, s, DUNE_SRC_PORT) == 40000);
    CHECK(Feature(d, s, DUNE_DST_PORT) == 80);
    CHECK(Feature(d, s, DUNE_IP_HDR_LEN) == 24);
    CHECK(Feature(d, s, DUNE_TCP_WINDOW) == 2053);
    CHECK(Feature(d, s, DUNE_TCP_HDR_LEN) == 8);
    CHECK(Feature(d, s, DUNE_UDP_LENGTH) == 0);
    CHECK(Feature(d, s, DUNE_LEN_MIN) == 52);
    CHECK(Feature(d, s, DUNE_LEN_MAX) == 500);
    CHECK(Feature(d, s, DUNE_LEN_TOTAL) == 612);
    CHECK(Feature(d, s, DUNE_LEN_MEAN) == Approx(204.0));
    CHECK(Feature(d, s, DUNE_UDP_LEN_MIN) == 0);
    CHECK(Feature(d, s, DUNE_UDP_LEN_MAX) == 0);
    CHECK(Feature(d, s, DUNE_IAT_MIN) == 1000);
    CHECK(Feature(d, s, DUNE_IAT_MAX) == 3000);
    CHECK(Feature(d, s, DUNE_IAT_MEAN) == Approx(2000.0));
    CHECK(Feature(d, s, DUNE_DURATION) == 4000);
    CHECK(Feature(d, s, DUNE_SYN_COUNT) == 1);
    CHECK(Feature(d, s, DUNE_ACK_COUNT) == 2);
    CHECK(Feature(d, s, DUNE_PSH_COUNT) == 1);
    CHECK(Feature(d, s, DUNE_FIN_COUNT) == 0);
    CHECK(Feature(d, s, DUNE_RST_COUNT) == 0);
    CHECK(Feature(d, s, DUNE_ECE_COUNT) == 1);

    // The switch registers: integers over the first N packets only.
    const DuneFlowState& st = x.GetFlowState(0);
    CHECK(st.packetCount == 3);
    CHECK(st.lengthTotal == 612);
    CHECK(st.iatMinNs == 1000);
    CHECK(st.iatMaxNs == 3000);
    CHECK(st.DurationNs() == 4000);

    // B: one packet, a packet sample of weight 1.  C: two packet samples of weight 1/2, with
    // udp.length 50 and 70.
    CHECK(d.samples[3].kind == DuneSampleKind::PACKET);
    CHECK(d.weights[3] == 1.0);
    CHECK(Feature(d, 4, DUNE_UDP_LENGTH) == 50);
    CHECK(Feature(d, 5, DUNE_UDP_LENGTH) == 70);
    CHECK(Feature(d, 5, DUNE_TCP_WINDOW) == 0);
    CHECK(d.weights[4] == 0.5);
    CHECK(d.weights[5] == 0.5);
    // Each flow's samples weigh 1 together.
    std::vector<double> perFlow(d.flows.size(), 0.0);
    for (size_t i = 0; i < d.Size(); ++i)
    {
        perFlow[d.samples[i].flow] += d.weights[i];
    }
    for (double w : perFlow)
    {
        CHECK(w == Approx(1.0));
    }
    CHECK(d.ClassWeights()[static_cast<size_t>(web)] == Approx(2.0));

    // Flow features so far, instead of the sentinel: packet 2 of A sees packets 1-2.
    options.packetSampleFlowFeatures = DunePacketSampleFlowFeatures::SO_FAR;
    DuneFeatureExtractor soFar(options);
    soFar.ClassIndex("web");
    soFar.ClassIndex("dns");
    // N = 1: every flow is one flow sample of weight 1.
    DuneFeatureOptions one;
    one.packetsPerFlow = 1;
    DuneFeatureExtractor single(one);
    single.ClassIndex("x");
    // Bidirectional: A and B are one flow of 6 packets.
    DuneFeatureOptions both;
    both.direction = DuneFlowDirection::BIDIRECTIONAL;
    DuneFeatureExtractor bidi(both);
    bidi.ClassIndex("x");
    for (const DunePacket& p : packets)
    {
        soFar.Add(p, p.protocol == DUNE_PROTO_UDP ? dns : web);
        single.Add(p, 0);
        bidi.Add(p, 0);
    }
    const DuneDataset sf = soFar.Build();
    CHECK(Feature(sf, 1, DUNE_LEN_TOTAL) == 112);
    CHECK(Feature(sf, 1, DUNE_IAT_MIN) == 1000);
    CHECK(Feature(sf, 1, DUNE_DURATION) == 1000);
    CHECK(Feature(sf, 0, DUNE_IAT_MIN) == 0);
    CHECK(Feature(sf, 0, DUNE_LEN_MEAN) == 60);
    CHECK(sf.weights == d.weights);
    const DuneDataset one1 = single.Build();
    CHECK(one1.Size() == 3);
    CHECK(one1.weights == std::vector<double>{1.0, 1.0, 1.0});
    CHECK(bidi.FlowCount() == 2);
    const DuneDataset bd = bidi.Build();
    CHECK(bd.flows[0].packetCount == 6);
    CHECK(Feature(bd, 2, DUNE_IAT_MIN) == 500); // SYN, SYN-ACK 500 ns later, ACK 500 later
    CHECK(Feature(bd, 2, DUNE_SYN_COUNT) == 2);
    CHECK(bd.weights[2] == Approx(4.0 / 6.0));

    // Labels that change within a flow are counted; the flow keeps its first.
    x.Add(packets[0], dns);
    CHECK(x.LabelConflicts() == 1);
    CHECK_THROWS_AS(x.Add(packets[0], 7), std::out_of_range);
    DuneFeatureOptions zero;
    zero.packetsPerFlow = 0;
    CHECK_THROWS_WITH(DuneFeatureExtractor{zero}, Contains("packetsPerFlow"));
}

TEST_CASE("DUNE feature sets and data set operations", "[dune]")
{
    CHECK(DuneFeatureSet("all").size() == 31);
    CHECK(DuneFeatureSet("pkt").size() == 15);
    CHECK(DuneFeatureSet("flow").size() == 16);
    CHECK(DuneFeatureSet("easy").size() == 29);
    const std::vector<std::string> noTime = DuneFeatureSet("no_time");
    CHECK(noTime.size() == 23);
    CHECK(std::find(noTime.begin(), noTime.end(), "Flow Duration") == noTime.end());
    CHECK(std::find(noTime.begin(), noTime.end(), "ip.hdr_len") == noTime.end());
    CHECK_THROWS_WITH(DuneFeatureSet("fast"), Contains("feature set 'fast'"));
    CHECK(DuneIsFlowFeature(DUNE_LEN_MIN));
    CHECK_FALSE(DuneIsFlowFeature(DUNE_UDP_LENGTH));

    DuneSyntheticOptions o;
    o.classes = 4;
    o.flowsPerClass = 40;
    o.seed = 3;
    const DuneDataset d = DuneGenerateSyntheticTraffic(o).Extract();
    const DuneDataset sel = d.SelectFeatures({"dstport", "Flow IAT Max"});
    REQUIRE(sel.data.FeatureCount() == 2);
    CHECK(sel.data.features.row(0) == d.data.features.row(DUNE_DST_PORT));
    CHECK(sel.data.features.row(1) == d.data.features.row(DUNE_IAT_MAX));
    CHECK_THROWS_WITH(d.SelectFeatures({"dstport", "Bwd IAT"}),
                      Contains("feature 'Bwd IAT'") && Contains("not in the data set"));

    DuneDataset train;
    DuneDataset test;
    d.SplitByFlow(0.25, 11, train, test);
    CHECK(train.Size() + test.Size() == d.Size());
    std::set<uint32_t> trainFlows;
    std::set<uint32_t> testFlows;
    for (const DuneSampleInfo& s : train.samples)
    {
        trainFlows.insert(s.flow);
    }
    for (const DuneSampleInfo& s : test.samples)
    {
        testFlows.insert(s.flow);
        CHECK(trainFlows.count(s.flow) == 0); // flows stay whole
    }
    CHECK(trainFlows.size() + testFlows.size() == d.flows.size());
    // Stratified: each class has about a quarter of its flows in the test set.
    std::vector<size_t> flowsOf(4, 0);
    std::vector<size_t> testOf(4, 0);
    for (const DuneFlowInfo& f : d.flows)
    {
        ++flowsOf[static_cast<size_t>(f.label)];
    }
    for (uint32_t f : testFlows)
    {
        ++testOf[static_cast<size_t>(d.flows[f].label)];
    }
    for (size_t c = 0; c < 4; ++c)
    {
        CHECK(testOf[c] == static_cast<size_t>(0.25 * flowsOf[c] + 0.5));
    }
    DuneDataset again;
    DuneDataset againTest;
    d.SplitByFlow(0.25, 11, again, againTest);
    CHECK(again.data.labels == train.data.labels);
    CHECK(again.weights == train.weights);

    DuneTempDir dir;
    const std::string csv = dir.Path("samples.csv");
    d.WriteCsv(csv);
    std::ifstream in(csv);
    std::string header;
    std::getline(in, header);
    CHECK(header.rfind("Flow ID,ip.len,ip.ttl,", 0) == 0);
    CHECK(header.find(",pkt_count,sample_nature,weight,Label") != std::string::npos);
    // The written samples read back as a flow CSV give the same matrix.
    DuneCsvOptions back;
    back.dropColumns = {"pkt_count", "sample_nature"};
    back.weightColumn = "weight";
    back.classNames = d.classNames;
    const DuneDataset r = DuneReadFlowCsv(csv, back);
    REQUIRE(r.featureNames == d.featureNames);
    REQUIRE(r.Size() == d.Size());
    CHECK(r.data.features == d.data.features);
    CHECK(r.data.labels == d.data.labels);
    for (size_t i = 0; i < d.Size(); ++i)
    {
        CHECK(r.weights[i] == d.weights[i]);
    }
}

TEST_CASE("DUNE pcap round trip gives identical packets and features", "[dune]")
{
    DuneTempDir dir;
    DuneSyntheticOptions o;
    o.classes = 6;
    o.flowsPerClass = 25;
    o.seed = 42;
    o.ipv6Fraction = 0.3;
    const DuneSyntheticTraffic traffic = DuneGenerateSyntheticTraffic(o);
    REQUIRE(traffic.packets.size() > 500);

    struct Case
    {
        uint32_t linkType;
        bool nanosecond;
    };

    for (const Case& c : {Case{DUNE_LINKTYPE_ETHERNET, true},
                          Case{DUNE_LINKTYPE_RAW, false},
                          Case{DUNE_LINKTYPE_PPP, true}})
    {
        DunePcapWriterOptions w;
        w.linkType = c.linkType;
        w.nanosecond = c.nanosecond;
        const std::string pcap = dir.Path("traffic-" + std::to_string(c.linkType) + ".pcap");
        traffic.WritePcap(pcap, w);
        DunePcapSummary summary;
        const std::vector<DunePacket> back = DunePcapReader::ReadAll(pcap, {}, &summary);
        INFO(summary.ToString());
        CHECK(summary.linkType == c.linkType);
        CHECK(summary.nanosecond == c.nanosecond);
        CHECK(summary.Skipped() == 0);
        REQUIRE(back.size() == traffic.packets.size());
        for (size_t i = 0; i < back.size(); ++i)
        {
            const DunePacket& a = traffic.packets[i];
            const DunePacket& b = back[i];
            const bool same = a.timestampNs == b.timestampNs && a.ipVersion == b.ipVersion &&
                              a.srcAddress == b.srcAddress && a.dstAddress == b.dstAddress &&
                              a.protocol == b.protocol && a.srcPort == b.srcPort &&
                              a.dstPort == b.dstPort && a.ipLength == b.ipLength &&
                              a.ttl == b.ttl && a.ipHeaderLength == b.ipHeaderLength &&
                              a.tcpFlags == b.tcpFlags && a.tcpWindow == b.tcpWindow &&
                              a.tcpHeaderLength == b.tcpHeaderLength &&
                              a.udpLength == b.udpLength &&
                              (c.linkType != DUNE_LINKTYPE_ETHERNET ||
                               (a.srcMac == b.srcMac && a.dstMac == b.dstMac));
            if (!same)
            {
                FAIL("packet " << i << " differs after the round trip");
            }
        }
    }

    // Through a pcap and a label CSV, the same data set as straight from the generator.
    const std::string pcap = dir.Path("traffic-1.pcap");
    const std::string labels = dir.Path("labels.csv");
    traffic.WriteLabelCsv(labels);
    DuneFeatureExtractor x;
    for (const std::string& name : traffic.classNames)
    {
        x.ClassIndex(name);
    }
    const DunePcapSummary s = x.AddPcapFile(pcap, DuneReadLabelCsv(labels));
    CHECK(s.packets == traffic.packets.size());
    CHECK(x.UnlabelledPackets() == 0);
    const DuneDataset viaPcap = x.Build();
    const DuneDataset direct = traffic.Extract();
    CHECK(viaPcap.data.features == direct.data.features);
    CHECK(viaPcap.data.labels == direct.data.labels);
    CHECK(viaPcap.weights == direct.weights);

    // Per-file labelling: flows of two files never merge.
    DuneFeatureExtractor files;
    files.AddPcapFile(pcap, "a");
    files.AddPcapFile(pcap, "b");
    CHECK(files.FlowCount() == 2 * direct.flows.size());
    const DuneDataset fd = files.Build();
    CHECK(fd.classNames == std::vector<std::string>{"a", "b"});
    CHECK(fd.flows.back().key.source == 1);

    // The encoder refuses records it cannot represent.
    DunePacket bad = traffic.packets.front();
    bad.ipLength = 10;
    CHECK_THROWS_AS(DunePcapWriter::EncodeFrame(bad, DUNE_LINKTYPE_RAW), std::invalid_argument);
    DunePacket v6 = bad;
    v6.ipVersion = 6;
    CHECK_THROWS_AS(DunePcapWriter::EncodeFrame(v6, DUNE_LINKTYPE_IPV4), std::invalid_argument);
}

TEST_CASE("DUNE pcap reader names the file and packet of a corrupt pcap", "[dune]")
{
    DuneTempDir dir;
    DuneSyntheticOptions o;
    o.classes = 3;
    o.flowsPerClass = 5;
    const DuneSyntheticTraffic traffic = DuneGenerateSyntheticTraffic(o);
    DunePcapWriterOptions w;
    w.nanosecond = false;
    const std::string good = dir.Path("good.pcap");
    traffic.WritePcap(good, w);
    const std::string bytes = ReadBytes(good);
    REQUIRE(DunePcapReader::ReadAll(good).size() == traffic.packets.size());

    // Cut inside the data of the last record.
    const std::string cut = dir.Write("cut.pcap", bytes.substr(0, bytes.size() - 7));
    const std::string last = std::to_string(traffic.packets.size());
    CHECK_THROWS_AS(DunePcapReader::ReadAll(cut), AisfcInputError);
    CHECK_THROWS_WITH(DunePcapReader::ReadAll(cut),
                      Contains(cut + ": packet " + last + " at offset") &&
                          Contains("truncated record: the header announces"));
    // Cut inside the header of the second record.
    const size_t first =
        24 + 16 + (static_cast<uint8_t>(bytes[32]) | static_cast<uint8_t>(bytes[33]) << 8);
    const std::string cutHeader = dir.Write("cuthdr.pcap", bytes.substr(0, first + 10));
    CHECK_THROWS_WITH(DunePcapReader::ReadAll(cutHeader),
                      Contains(cutHeader + ": packet 2 at offset " + std::to_string(first)) &&
                          Contains("truncated record header: 10 bytes left"));
    // A record length no capture has.
    std::string huge = bytes;
    huge[first + 8] = 0;
    huge[first + 9] = 0;
    huge[first + 10] = 0x40;
    huge[first + 11] = 0x7f;
    const std::string hugePath = dir.Write("huge.pcap", huge);
    CHECK_THROWS_WITH(DunePcapReader::ReadAll(hugePath),
                      Contains(hugePath + ": packet 2") && Contains("corrupt record header"));

    // Corrupt file headers.
    std::string magic = bytes;
    magic[0] = 'X';
    const std::string magicPath = dir.Write("magic.pcap", magic);
    CHECK_THROWS_WITH(DunePcapReader::ReadAll(magicPath),
                      Contains(magicPath + ": file header: bad magic number") &&
                          Contains("not a pcap file"));
    const std::string ng =
        dir.Write("trace.pcapng", std::string("\x0a\x0d\x0d\x0a", 4) + bytes.substr(4, 60));
    CHECK_THROWS_WITH(DunePcapReader::ReadAll(ng), Contains(ng) && Contains("pcapng"));
    const std::string gz = dir.Write("trace.pcap.gz", std::string("\x1f\x8b\x08\x00", 4) + "xxxx");
    CHECK_THROWS_WITH(DunePcapReader::ReadAll(gz), Contains("gzip"));
    const std::string tiny = dir.Write("tiny.pcap", bytes.substr(0, 10));
    CHECK_THROWS_WITH(DunePcapReader::ReadAll(tiny),
                      Contains(tiny + ": file header: truncated: the file has 10 bytes"));
    const std::string empty = dir.Write("empty.pcap", "");
    CHECK_THROWS_WITH(DunePcapReader::ReadAll(empty), Contains(empty + ": file header"));
    PcapBytes version(DUNE_LINKTYPE_ETHERNET, 0xa1b2c3d4u, 3);
    const std::string versionPath = dir.Write("version.pcap", version.bytes);
    CHECK_THROWS_WITH(DunePcapReader::ReadAll(versionPath),
                      Contains(versionPath) && Contains("pcap version 3.4, expected 2.4"));
    PcapBytes wifi(105);
    const std::string wifiPath = dir.Write("wifi.pcap", wifi.bytes);
    CHECK_THROWS_WITH(DunePcapReader::ReadAll(wifiPath),
                      Contains(wifiPath) && Contains("link type 105 is not supported"));
    CHECK_THROWS_WITH(DunePcapReader::ReadAll(dir.Path("missing.pcap")),
                      Contains(dir.Path("missing.pcap") + ": no such file"));
    CHECK_THROWS_WITH(DunePcapReader::ReadAll(dir.Path("")), Contains("not a regular file"));
    DunePcapOptions small;
    small.maxFileBytes = 100;
    CHECK_THROWS_WITH(DunePcapReader::ReadAll(good, small),
                      Contains(good) && Contains("more than the limit of 100"));
    // An empty capture (header only) is fine.
    PcapBytes headerOnly(DUNE_LINKTYPE_RAW);
    CHECK(DunePcapReader::ReadAll(dir.Write("none.pcap", headerOnly.bytes)).empty());
    // A big-endian file reads like a little-endian one.
    std::string swapped = bytes.substr(0, 24);
    for (size_t field : {0, 8, 12, 16, 20})
    {
        std::reverse(swapped.begin() + static_cast<long>(field),
                     swapped.begin() + static_cast<long>(field) + 4);
    }
    std::swap(swapped[4], swapped[5]);
    std::swap(swapped[6], swapped[7]);
    for (size_t at = 24; at < bytes.size();)
    {
        std::string rec = bytes.substr(at, 16);
        const uint32_t incl = static_cast<uint8_t>(rec[8]) | static_cast<uint8_t>(rec[9]) << 8 |
                              static_cast<uint8_t>(rec[10]) << 16;
        for (size_t field = 0; field < 16; field += 4)
        {
            std::reverse(rec.begin() + static_cast<long>(field),
                         rec.begin() + static_cast<long>(field) + 4);
        }
        swapped += rec + bytes.substr(at + 16, incl);
        at += 16 + incl;
    }
    const std::vector<DunePacket> be = DunePcapReader::ReadAll(dir.Write("be.pcap", swapped));
    CHECK(be.size() == traffic.packets.size());
    CHECK(be.back().timestampNs == traffic.packets.back().timestampNs);
}

TEST_CASE("DUNE pcap reader counts and skips frames it cannot use", "[dune]")
{
    DuneTempDir dir;
    DunePacket tcp = Ipv4Packet("192.0.2.1", "192.0.2.2", DUNE_PROTO_TCP, 1234, 443, 0, 100);
    const std::vector<uint8_t> good = DunePcapWriter::EncodeFrame(tcp, DUNE_LINKTYPE_ETHERNET);
    PcapBytes f(DUNE_LINKTYPE_ETHERNET);
    f.Record(good, 1, 10); // 1: good
    std::vector<uint8_t> arp(good.begin(), good.begin() + 42);
    arp[12] = 0x08;
    arp[13] = 0x06;
    f.Record(arp);                                                   // 2: ARP
    f.Record(std::vector<uint8_t>(good.begin(), good.begin() + 40)); // 3: cut in TCP header
    std::vector<uint8_t> ihl = good;
    ihl[14] = 0x43;
    f.Record(ihl); // 4: IHL 3
    std::vector<uint8_t> fragment = good;
    fragment[14 + 6] = 0x00;
    fragment[14 + 7] = 0x10;
    f.Record(fragment); // 5: offset 128
    DunePacket icmp = Ipv4Packet("192.0.2.1", "192.0.2.2", DUNE_PROTO_ICMP, 0, 0, 0, 84);
    icmp.icmpType = 8;
    f.Record(DunePcapWriter::EncodeFrame(icmp, DUNE_LINKTYPE_ETHERNET)); // 6: ICMP echo
    std::vector<uint8_t> shortUdp = DunePcapWriter::EncodeFrame(
        Ipv4Packet("192.0.2.1", "192.0.2.2", DUNE_PROTO_UDP, 1, 2, 0, 40),
        DUNE_LINKTYPE_ETHERNET);
    shortUdp[14 + 20 + 4] = 0;
    shortUdp[14 + 20 + 5] = 4;
    f.Record(shortUdp); // 7: UDP length 4
    std::vector<uint8_t> vlan(good.begin(), good.begin() + 12);
    vlan.insert(vlan.end(), {0x81, 0x00, 0x00, 0x05});
    vlan.insert(vlan.end(), good.begin() + 12, good.end());
    std::vector<uint8_t> padded = vlan;
    padded.insert(padded.end(), 10, 0xee);
    f.Record(padded, 2, 999999); // 8: VLAN, padding
    const std::string path = dir.Write("mixed.pcap", f.bytes);

    DunePcapSummary summary;
    std::vector<DunePacket> packets = DunePcapReader::ReadAll(path, {}, &summary);
    REQUIRE(packets.size() == 2);
    CHECK(summary.records == 8);
    CHECK(summary.packets == 2);
    CHECK(summary.skipped[static_cast<size_t>(DuneSkipReason::NOT_IP)] == 1);
    CHECK(summary.skipped[static_cast<size_t>(DuneSkipReason::TRUNCATED)] == 1);
    CHECK(summary.skipped[static_cast<size_t>(DuneSkipReason::MALFORMED)] == 2);
    CHECK(summary.firstSkipped[static_cast<size_t>(DuneSkipReason::MALFORMED)] == 4);
    CHECK(summary.skipped[static_cast<size_t>(DuneSkipReason::FRAGMENT)] == 1);
    CHECK(summary.skipped[static_cast<size_t>(DuneSkipReason::OTHER_PROTOCOL)] == 1);
    CHECK_THAT(summary.ToString(),
               Contains(path + ": 8 records, 2 packets; skipped 6:") &&
                   Contains("1 truncated (first: packet 3)") &&
                   Contains("2 malformed (first: packet 4)"));
    CHECK(packets[0].timestampNs == 1000010000ULL);
    CHECK(packets[1].timestampNs == 2999999000ULL);
    CHECK(packets[1].ipLength == 100);
    CHECK(packets[1].frameLength == padded.size());
    CHECK(packets[0].dstPort == 443);
    CHECK(packets[0].SourceText() == "192.0.2.1");

    DunePcapOptions all;
    all.tcpUdpOnly = false;
    packets = DunePcapReader::ReadAll(path, all, &summary);
    REQUIRE(packets.size() == 3);
    CHECK(packets[1].protocol == DUNE_PROTO_ICMP);
    CHECK(packets[1].icmpType == 8);
    all.maxRecords = 1;
    CHECK(DunePcapReader::ReadAll(path, all).size() == 1);

    // The frame parser on its own, as the data plane would call it.
    DunePacket p;
    CHECK(DuneParseFrame(good.data() + 14, good.size() - 14, DUNE_LINKTYPE_RAW, p) ==
          DuneSkipReason::NONE);
    CHECK(p.srcPort == 1234);
    CHECK(DuneParseFrame(good.data(), 10, DUNE_LINKTYPE_ETHERNET, p) == DuneSkipReason::TRUNCATED);
    CHECK(DuneParseFrame(good.data() + 14, good.size() - 14, DUNE_LINKTYPE_IPV6, p) ==
          DuneSkipReason::MALFORMED);
    CHECK(DuneSkipReasonName(DuneSkipReason::FRAGMENT) == "IP fragment");
}

TEST_CASE("DUNE flow CSVs read CICFlowMeter quirks and name bad cells", "[dune]")
{
    DuneTempDir dir;
    const std::string cic = dir.Write(
        "cic.csv",
        "\xEF\xBB\xBF"
        "Flow ID, Src IP, Dst Port, Flow Duration, Flow Bytes/s, Fwd Header Length, Fwd Header "
        "Length, Label\r\n"
        "a-b-1-2-6,10.0.0.1,80,1000,12.5,20,20,BENIGN\r\n"
        "\r\n"
        "c-d-3-4-6,10.0.0.2,443,0,Infinity,32,32,DoS Hulk\r\n"
        "e-f-5-6-6,10.0.0.3,443,5,NaN,40,40,BENIGN\r\n"
        "g-h-7-8-6,10.0.0.4,22,7,-inf,44,44,SSH-Patator\r\n"
        "i-j-9-0-6,10.0.0.5,22,9,,48,48,SSH-Patator\r\n"
        "k-l-1-1-6,10.0.0.6,8080,11,3e2,52,52,DoS Hulk\r\n");
    DuneCsvSummary summary;
    DuneDataset d = DuneReadFlowCsv(cic, DuneCsvOptions(), &summary);
    CHECK(d.featureNames == std::vector<std::string>{"Dst Port",
                                                     "Flow Duration",
                                                     "Flow Bytes/s",
                                                     "Fwd Header Length",
                                                     "Fwd Header Length.1"});
    CHECK(summary.droppedColumns == std::vector<std::string>{"Flow ID", "Src IP"});
    CHECK(summary.rows == 6);
    CHECK(summary.kept == 2);
    CHECK(summary.droppedRows == 4);
    REQUIRE(d.Size() == 2);
    CHECK(d.classNames == std::vector<std::string>{"BENIGN", "DoS Hulk"});
    CHECK(d.data.labels == std::vector<int>{0, 1});
    CHECK(d.data.features(2, 1) == 300.0);
    CHECK(d.weights == std::vector<double>{1.0, 1.0});
    CHECK(d.samples.empty());
    CHECK_THAT(summary.ToString(), Contains("6 rows, 2 kept, 4 dropped"));

    DuneCsvOptions replace;
    replace.nonFinite = DuneNonFinitePolicy::REPLACE;
    replace.infinityValue = 1e9;
    replace.classNames = {"SSH-Patator"};
    d = DuneReadFlowCsv(cic, replace, &summary);
    REQUIRE(d.Size() == 6);
    CHECK(summary.replacedInfinity == 2);
    CHECK(summary.replacedNan == 2);
    CHECK(d.classNames == std::vector<std::string>{"SSH-Patator", "BENIGN", "DoS Hulk"});
    CHECK(d.data.features(2, 1) == 1e9);
    CHECK(d.data.features(2, 2) == -1.0);
    CHECK(d.data.features(2, 3) == -1e9);
    CHECK(d.data.features(2, 4) == -1.0);
    CHECK(d.data.labels[3] == 0);

    DuneCsvOptions strict;
    strict.nonFinite = DuneNonFinitePolicy::ERROR;
    CHECK_THROWS_WITH(DuneReadFlowCsv(cic, strict),
                      Contains(cic + ":4: column 5 ('Flow Bytes/s'): 'Infinity' is not a finite "
                                     "number"));

    DuneCsvOptions chosen;
    chosen.featureColumns = {"Flow Duration", "Dst Port"};
    chosen.labelColumn = "label"; // loose match
    d = DuneReadFlowCsv(cic, chosen);
    CHECK(d.featureNames == std::vector<std::string>{"Flow Duration", "Dst Port"});
    CHECK(d.Size() == 6);
    CHECK(d.data.features(1, 5) == 8080);

    DuneCsvOptions other;
    other.labelColumn = "Attack";
    CHECK_THROWS_AS(DuneReadFlowCsv(cic, other), AisfcInputError);
    CHECK_THROWS_WITH(DuneReadFlowCsv(cic, other),
                      Contains(cic + ":1: no label column 'Attack'") &&
                          Contains("columns: Flow ID, Src IP, Dst Port"));
    DuneCsvOptions keepIds;
    keepIds.dropIdentifierColumns = false;
    CHECK_THROWS_WITH(DuneReadFlowCsv(cic, keepIds),
                      Contains(cic + ":2: column 1 ('Flow ID'): 'a-b-1-2-6' is not a number"));
    const std::string ragged = dir.Write("ragged.csv", "x,Label\n1,a\n2\n");
    CHECK_THROWS_WITH(DuneReadFlowCsv(ragged),
                      Contains(ragged + ":3: 1 cells, expected 2 as in the header on line 1"));
    const std::string noLabel = dir.Write("nolabel.csv", "x,Label\n1,\n");
    CHECK_THROWS_WITH(DuneReadFlowCsv(noLabel),
                      Contains(noLabel + ":2: column 2 ('Label'): empty label"));
    const std::string allNan = dir.Write("nan.csv", "x,Label\nnan,a\n");
    CHECK_THROWS_WITH(DuneReadFlowCsv(allNan), Contains(allNan + ": no row left"));
    const std::string quoted =
        dir.Write("quoted.csv", "\"a,b\",Label\n\"1.5\",\"x \"\"y\"\"\"\n\"2,\n");
    DuneCsvReader reader(quoted);
    CHECK(reader.Header() == std::vector<std::string>{"a,b", "Label"});
    std::vector<std::string> cells;
    REQUIRE(reader.Next(cells));
    CHECK(cells == std::vector<std::string>{"1.5", "x \"y\""});
    CHECK_THROWS_WITH(reader.Next(cells), Contains(quoted + ":3") && Contains("unterminated"));
    CHECK_THROWS_WITH(DuneReadFlowCsv(dir.Write("blank.csv", "\n\n")), Contains("no header line"));
    CHECK_THROWS_WITH(DuneReadFlowCsv(dir.Path("absent.csv")), Contains("no such file"));
}

TEST_CASE("DUNE label CSVs key flows by Flow ID 5-tuple or MAC", "[dune]")
{
    DuneTempDir dir;
    const DunePacket web = Ipv4Packet("10.0.0.1", "10.0.0.2", DUNE_PROTO_TCP, 40000, 80, 0, 60);
    DunePacket webReply = Ipv4Packet("10.0.0.2", "10.0.0.1", DUNE_PROTO_TCP, 80, 40000, 0, 60);
    const DunePacket v6 = Ipv4Packet("2001:db8::1", "2001:db8::2", DUNE_PROTO_UDP, 5, 53, 0, 80);
    const DunePacket other = Ipv4Packet("10.0.0.9", "10.0.0.2", DUNE_PROTO_TCP, 1, 80, 0, 60);

    uint64_t conflicts = 0;
    const DuneLabelMap byId = DuneReadLabelCsv(
        dir.Write("ids.csv",
                  "Flow ID,Label\n10.0.0.1 10.0.0.2 40000 80 6,web\n"
                  "2001:db8::1-2001:db8::2-5-53-17,dns\n10.0.0.1 10.0.0.2 40000 80 6,ddos\n"),
        {},
        &conflicts);
    CHECK(byId.Size() == 2);
    CHECK(conflicts == 1);
    REQUIRE(byId.Lookup(web));
    CHECK(*byId.Lookup(web) == "web");
    REQUIRE(byId.Lookup(webReply)); // reversed lookup
    CHECK(*byId.Lookup(webReply) == "web");
    REQUIRE(byId.Lookup(v6));
    CHECK(*byId.Lookup(v6) == "dns");
    CHECK(byId.Lookup(other) == nullptr);

    const DuneLabelMap byTuple = DuneReadLabelCsv(
        dir.Write("tuple.csv",
                  " Source IP, Destination IP, Source Port, Destination Port, Protocol, Label\n"
                  "10.0.0.1,10.0.0.2,40000.0,80,6,web\n"));
    REQUIRE(byTuple.Lookup(web));
    CHECK(*byTuple.Lookup(web) == "web");

    DuneLabelCsvOptions device;
    device.labelColumn = "List of Devices";
    const DuneLabelMap byMac = DuneReadLabelCsv(
        dir.Write("macs.csv", "List of Devices,MAC ADDRESS\nSmart Things,d0:52:a8:00:67:5E\n"),
        device);
    webReply.hasMac = true;
    webReply.dstMac = {0xd0, 0x52, 0xa8, 0x00, 0x67, 0x5e};
    REQUIRE(byMac.Lookup(webReply));
    CHECK(*byMac.Lookup(webReply) == "Smart Things");
    CHECK(byMac.Lookup(web) == nullptr);

    DuneFeatureExtractor x;
    CHECK(x.Add(web, byId));
    CHECK_FALSE(x.Add(other, byId));
    CHECK(x.UnlabelledPackets() == 1);

    const std::string badIp = dir.Write("badip.csv", "Flow ID,Label\n10.0.0.300 1.2.3.4 1 2 6,x\n");
    CHECK_THROWS_WITH(DuneReadLabelCsv(badIp),
                      Contains(badIp + ":2: column 1 ('Flow ID')") && Contains("not a flow id"));
    const std::string badPort =
        dir.Write("badport.csv",
                  "Src IP,Dst IP,Src Port,Dst Port,Protocol,Label\n1.2.3.4,1.2.3.5,1,70000,6,x\n");
    CHECK_THROWS_WITH(DuneReadLabelCsv(badPort),
                      Contains(badPort + ":2: column 4 ('Dst Port'): '70000' is not an integer"));
    const std::string noKey = dir.Write("nokey.csv", "Host,Label\nh,x\n");
    CHECK_THROWS_WITH(DuneReadLabelCsv(noKey), Contains(noKey + ":1: no key column"));
    const std::string noLabel =
        dir.Write("nolabel2.csv", "Flow ID,Class\n1.2.3.4 1.2.3.5 1 2 6,x\n");
    CHECK_THROWS_WITH(DuneReadLabelCsv(noLabel), Contains(noLabel + ":1: no label column 'Label'"));
}

TEST_CASE("DUNE synthetic traffic is deterministic balanced and not trivially separable", "[dune]")
{
    DuneTempDir dir;
    DuneSyntheticOptions o;
    o.flowsPerClass = 60;
    o.seed = 9;
    const DuneSyntheticTraffic a = DuneGenerateSyntheticTraffic(o);
    const DuneSyntheticTraffic b = DuneGenerateSyntheticTraffic(o);
    a.WritePcap(dir.Path("a.pcap"));
    b.WritePcap(dir.Path("b.pcap"));
    const std::string bytesA = ReadBytes(dir.Path("a.pcap"));
    CHECK(bytesA.size() > 100000);
    CHECK(bytesA == ReadBytes(dir.Path("b.pcap")));
    o.seed = 10;
    DuneGenerateSyntheticTraffic(o).WritePcap(dir.Path("c.pcap"));
    CHECK(bytesA != ReadBytes(dir.Path("c.pcap")));

    // Default 10 classes, exactly flowsPerClass conversations each, time-ordered packets.
    REQUIRE(a.classNames.size() == 10);
    CHECK(a.classNames[0] == "web");
    CHECK(a.classNames[7] == "scan");
    std::vector<int> perClass(10, 0);
    for (int label : a.conversationLabels)
    {
        ++perClass[static_cast<size_t>(label)];
    }
    CHECK(perClass == std::vector<int>(10, 60));
    CHECK(std::is_sorted(
        a.packets.begin(),
        a.packets.end(),
        [](const DunePacket& x, const DunePacket& y) { return x.timestampNs < y.timestampNs; }));
    size_t v6 = 0;
    for (const DunePacket& p : a.packets)
    {
        v6 += p.ipVersion == 6;
        CHECK((p.protocol == DUNE_PROTO_TCP || p.protocol == DUNE_PROTO_UDP));
    }
    CHECK(v6 > 0);
    CHECK(v6 < a.packets.size() / 4);

    const DuneDataset d = a.Extract();
    // Every conversation gives one or two unidirectional flows of its class, each weighing 1.
    std::vector<double> weights = d.ClassWeights();
    REQUIRE(weights.size() == 10);
    for (size_t c = 0; c < 10; ++c)
    {
        INFO("class " << a.classNames[c]);
        CHECK(weights[c] >= 60.0 - 1e-9);
        CHECK(weights[c] <= 120.0 + 1e-9);
    }
    CHECK(weights[8] == Approx(60.0)); // SYN floods are never answered
    size_t flowSamples = 0;
    for (const DuneSampleInfo& s : d.samples)
    {
        flowSamples += s.kind == DuneSampleKind::FLOW;
    }
    CHECK(flowSamples > d.flows.size() / 2);
    CHECK(flowSamples < d.flows.size());

    // No single feature separates all classes: on every feature, some two classes' ranges of
    // flow-sample values overlap.
    std::vector<std::vector<std::pair<double, double>>> range(
        DUNE_FEATURE_COUNT,
        std::vector<std::pair<double, double>>(10, {INFINITY, -INFINITY}));
    for (size_t i = 0; i < d.Size(); ++i)
    {
        if (d.samples[i].kind != DuneSampleKind::FLOW)
        {
            continue;
        }
        const auto c = static_cast<size_t>(d.data.labels[i]);
        for (size_t f = 0; f < DUNE_FEATURE_COUNT; ++f)
        {
            const double v =
                d.data.features(static_cast<Eigen::Index>(f), static_cast<Eigen::Index>(i));
            range[f][c].first = std::min(range[f][c].first, v);
            range[f][c].second = std::max(range[f][c].second, v);
        }
    }
    for (size_t f = 0; f < DUNE_FEATURE_COUNT; ++f)
    {
        bool overlap = false;
        for (size_t c = 0; c < 10 && !overlap; ++c)
        {
            for (size_t e = c + 1; e < 10 && !overlap; ++e)
            {
                overlap = range[f][c].first <= range[f][e].second &&
                          range[f][e].first <= range[f][c].second;
            }
        }
        INFO("feature " << DuneFeatureName(f));
        CHECK(overlap);
    }

    // A nearest-centroid classifier on standardised features does far better than chance (0.1)
    // but far from perfectly: the classes overlap.
    DuneDataset train;
    DuneDataset test;
    d.SplitByFlow(0.3, 1, train, test);
    const Eigen::Index nf = train.data.features.rows();
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(nf);
    Eigen::VectorXd sd = Eigen::VectorXd::Zero(nf);
    for (Eigen::Index f = 0; f < nf; ++f)
    {
        mean(f) = train.data.features.row(f).mean();
        sd(f) = std::sqrt((train.data.features.row(f).array() - mean(f)).square().mean()) + 1e-9;
    }
    auto z = [&](const Eigen::MatrixXd& m) {
        return ((m.colwise() - mean).array().colwise() / sd.array()).matrix().eval();
    };
    const Eigen::MatrixXd ztrain = z(train.data.features);
    const Eigen::MatrixXd ztest = z(test.data.features);
    Eigen::MatrixXd centroid = Eigen::MatrixXd::Zero(nf, 10);
    std::vector<double> mass(10, 0.0);
    for (size_t i = 0; i < train.Size(); ++i)
    {
        const auto c = static_cast<Eigen::Index>(train.data.labels[i]);
        centroid.col(c) += train.weights[i] * ztrain.col(static_cast<Eigen::Index>(i));
        mass[static_cast<size_t>(c)] += train.weights[i];
    }
    for (Eigen::Index c = 0; c < 10; ++c)
    {
        centroid.col(c) /= mass[static_cast<size_t>(c)];
    }
    double right = 0;
    double total = 0;
    for (size_t i = 0; i < test.Size(); ++i)
    {
        Eigen::Index best = 0;
        (centroid.colwise() - ztest.col(static_cast<Eigen::Index>(i)))
            .colwise()
            .squaredNorm()
            .minCoeff(&best);
        right += test.weights[i] * (best == test.data.labels[i]);
        total += test.weights[i];
    }
    const double accuracy = right / total;
    INFO("nearest-centroid weighted accuracy " << accuracy);
    CHECK(accuracy > 0.3);
    CHECK(accuracy < 0.8);

    // Class descriptions, variants and bad options.
    CHECK(DuneSyntheticClassName(16) == "web-v1");
    CHECK_THAT(DuneSyntheticClassDescription(17), Contains("variant 1"));
    o.classes = 20;
    o.flowsPerClass = 2;
    CHECK(DuneGenerateSyntheticTraffic(o).classNames[19] == "dns-v1");
    o.classes = 1;
    CHECK_THROWS_WITH(DuneGenerateSyntheticTraffic(o), Contains("classes"));
    o.classes = 10;
    o.confusion = 1.5;
    CHECK_THROWS_WITH(DuneGenerateSyntheticTraffic(o), Contains("confusion"));
}

TEST_CASE("DUNE pcap reader survives random corruption", "[dune]")
{
    DuneTempDir dir;
    DuneSyntheticOptions o;
    o.classes = 4;
    o.flowsPerClass = 4;
    o.ipv6Fraction = 0.5;
    const DuneSyntheticTraffic traffic = DuneGenerateSyntheticTraffic(o);
    const std::string good = dir.Path("good.pcap");
    traffic.WritePcap(good);
    const std::string bytes = ReadBytes(good);
    std::mt19937_64 rng(5);
    size_t errors = 0;
    size_t readable = 0;
    for (int round = 0; round < 300; ++round)
    {
        std::string mutated = bytes;
        const int flips = 1 + static_cast<int>(rng() % 8);
        for (int k = 0; k < flips; ++k)
        {
            // Mostly in headers, where damage matters: the first 64 bytes of each region.
            const size_t at =
                rng() % 2 == 0 ? rng() % std::min<size_t>(bytes.size(), 200) : rng() % bytes.size();
            mutated[at] = static_cast<char>(rng());
        }
        if (rng() % 4 == 0)
        {
            mutated.resize(rng() % mutated.size());
        }
        const std::string path = dir.Write("fuzz.pcap", mutated);
        try
        {
            DunePcapOptions all;
            all.tcpUdpOnly = rng() % 2 == 0;
            DunePcapSummary summary;
            const std::vector<DunePacket> packets = DunePcapReader::ReadAll(path, all, &summary);
            CHECK(summary.packets == packets.size());
            CHECK(summary.packets + summary.Skipped() == summary.records);
            ++readable;
        }
        catch (const AisfcInputError& e)
        {
            CHECK_THAT(std::string(e.what()), Contains(path));
            ++errors;
        }
    }
    CHECK(errors > 0);
    CHECK(readable > 0);

    // Random bytes through every link type's parser.
    std::vector<uint8_t> frame(200);
    DunePacket p;
    for (int round = 0; round < 20000; ++round)
    {
        const size_t n = rng() % frame.size();
        for (size_t i = 0; i < n; ++i)
        {
            frame[i] = static_cast<uint8_t>(rng());
        }
        if (n > 0 && rng() % 2 == 0)
        {
            frame[rng() % 2 == 0 ? 0 : std::min<size_t>(n - 1, 14)] = rng() % 2 == 0 ? 0x45 : 0x60;
        }
        for (uint32_t lt : {DUNE_LINKTYPE_NULL,
                            DUNE_LINKTYPE_ETHERNET,
                            DUNE_LINKTYPE_PPP,
                            DUNE_LINKTYPE_RAW,
                            DUNE_LINKTYPE_LINUX_SLL,
                            DUNE_LINKTYPE_IPV4,
                            DUNE_LINKTYPE_IPV6})
        {
            const DuneSkipReason r = DuneParseFrame(frame.data(), n, lt, p);
            if (r == DuneSkipReason::NONE)
            {
                REQUIRE(p.ipHeaderLength <= p.ipLength);
            }
        }
    }
}
