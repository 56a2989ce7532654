/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "test-bytes.h"

#include "ns3/buffer.h"
#include "ns3/ipv6-header.h"
#include "ns3/packet.h"
#include "ns3/pcap-file.h"
#include "ns3/srv6-segment-routing-header.h"
#include "ns3/udp-header.h"

#include <catch2/catch.hpp>
#include <random>

using namespace ns3;
using Catch::Matchers::Contains;

namespace
{
using aisfc_test::AddressBytes;
using aisfc_test::Bytes;
using aisfc_test::Concat;
using aisfc_test::HeaderBytes;

Srv6SegmentRoutingHeader
ThreeSegments()
{
    Srv6SegmentRoutingHeader h;
    h.SetNextHeader(17);
    h.SetTag(0x1234);
    h.SetPath({Ipv6Address("fd00:1::100"), Ipv6Address("fd00:2::100"), Ipv6Address("fd00:3::100")});
    return h;
}
} // namespace

TEST_CASE("SRH serialises byte-exact as RFC 8754 lays it out", "[srv6][srh]")
{
    Srv6SegmentRoutingHeader h = ThreeSegments();
    CHECK(h.GetSegmentsLeft() == 2);
    CHECK(h.GetLastEntry() == 2);
    CHECK(h.GetActiveSegment() == Ipv6Address("fd00:1::100"));
    Bytes expected = Concat({{17, 6, 4, 2, 2, 0, 0x12, 0x34},
                             AddressBytes("fd00:3::100"),
                             AddressBytes("fd00:2::100"),
                             AddressBytes("fd00:1::100")});
    CHECK(h.GetSerializedSize() == 56);
    CHECK(HeaderBytes(h) == expected);
}

TEST_CASE("SRH TLVs are padded to 8 octets with PadN or Pad1", "[srv6][srh]")
{
    Srv6SegmentRoutingHeader h;
    h.SetNextHeader(6);
    h.SetPath({Ipv6Address("fd00::1")});
    h.AddTlv(0x80, {0xaa, 0xbb, 0xcc}); // 5 bytes: PadN of 3 follows
    Bytes bytes = HeaderBytes(h);
    REQUIRE(bytes.size() == 32);
    CHECK(bytes[1] == 3);
    CHECK(Bytes(bytes.begin() + 24, bytes.end()) == Bytes{0x80, 3, 0xaa, 0xbb, 0xcc, 4, 1, 0});

    Srv6SegmentRoutingHeader p;
    p.SetPath({Ipv6Address("fd00::1")});
    p.AddTlv(0x81, {1, 2, 3, 4, 5}); // 7 bytes: Pad1 follows
    Bytes pad1 = HeaderBytes(p);
    REQUIRE(pad1.size() == 32);
    CHECK(pad1.back() == 0);
    CHECK(pad1[24] == 0x81);
}

TEST_CASE("SRH parse and serialise round trip, padding included", "[srv6][srh]")
{
    Srv6SegmentRoutingHeader h = ThreeSegments();
    h.AddTlv(0x80, {0xaa, 0xbb, 0xcc});
    h.SetFlags(0x40);
    Bytes bytes = HeaderBytes(h);
    auto parsed = Srv6SegmentRoutingHeader::Parse(bytes.data(), bytes.size());
    REQUIRE(parsed.header);
    CHECK(parsed.header->GetSegments() == h.GetSegments());
    CHECK(parsed.header->GetFlags() == 0x40);
    CHECK(parsed.header->GetTag() == 0x1234);
    CHECK(parsed.header->GetTlvs().size() == 2); // the TLV and its PadN
    CHECK(HeaderBytes(*parsed.header) == bytes);
}

TEST_CASE("HMAC TLV: RFC 8754 text, known answer, verification", "[srv6][srh][hmac]")
{
    Srv6SegmentRoutingHeader h = ThreeSegments();
    const std::string secret = "aisfc-secret";
    std::vector<uint8_t> key(secret.begin(), secret.end());
    Ipv6Address source("fd61:6973::1");
    h.Sign(key, source, 0x01020304);
    auto hmac = h.GetHmac();
    REQUIRE(hmac);
    CHECK(hmac->keyId == 0x01020304);
    // HMAC-SHA256 over source || Last Entry || Flags || Key ID || Segment List, computed
    // independently with Python's hmac module.
    Bytes expected = {0x82, 0x75, 0xb5, 0x33, 0x0a, 0x63, 0xf1, 0x90, 0xb7, 0xfb, 0xdd,
                      0xbb, 0xdb, 0x69, 0x53, 0xf2, 0x32, 0x41, 0x6f, 0x6f, 0x3c, 0xcf,
                      0x54, 0x5a, 0x27, 0xb6, 0xd6, 0x65, 0x47, 0xe7, 0x76, 0x30};
    CHECK(hmac->hmac == expected);
    Bytes bytes = HeaderBytes(h);
    CHECK(bytes.size() == 56 + 40);
    CHECK(Bytes(bytes.begin() + 56, bytes.begin() + 64) == Bytes{5, 38, 0, 0, 1, 2, 3, 4});

    auto parsed = Srv6SegmentRoutingHeader::Parse(bytes.data(), bytes.size());
    REQUIRE(parsed.header);
    CHECK(parsed.header->VerifyHmac(key, source));
    CHECK_FALSE(parsed.header->VerifyHmac(key, Ipv6Address("fd61:6973::2")));
    key[0] ^= 1;
    CHECK_FALSE(parsed.header->VerifyHmac(key, source));
    Srv6SegmentRoutingHeader unsigned3 = ThreeSegments();
    CHECK_FALSE(unsigned3.VerifyHmac(key, source));
}

TEST_CASE("malformed SRH bytes are rejected with the reason and the field", "[srv6][srh]")
{
    Bytes good = HeaderBytes(ThreeSegments());
    auto parse = [](const Bytes& b) { return Srv6SegmentRoutingHeader::Parse(b.data(), b.size()); };

    auto r = parse(Bytes(good.begin(), good.begin() + 5));
    CHECK_FALSE(r.header);
    CHECK_THAT(r.error, Contains("truncated") && Contains("fixed part"));

    r = parse(Bytes(good.begin(), good.end() - 8));
    CHECK_FALSE(r.header);
    CHECK_THAT(r.error, Contains("Hdr Ext Len 6 means 56 bytes, 48 present"));
    CHECK(r.errorField == 1);

    Bytes badLastEntry = good;
    badLastEntry[4] = 3; // needs 4 segments, the header holds 3
    r = parse(badLastEntry);
    CHECK_THAT(r.error, Contains("Last Entry 3 exceeds max_LE 2"));
    CHECK(r.errorField == 4);

    Bytes notSrh = good;
    notSrh[2] = 0;
    CHECK(parse(notSrh).errorField == 2);

    Srv6SegmentRoutingHeader withTlv;
    withTlv.SetPath({Ipv6Address("fd00::1")});
    withTlv.AddTlv(0x80, {1, 2, 3});
    Bytes overrun = HeaderBytes(withTlv);
    overrun[25] = 200; // the TLV claims 200 bytes
    r = parse(overrun);
    CHECK_THAT(r.error, Contains("TLV of type 128 at offset 24 runs past the header's end"));
    CHECK(r.errorField == 25);

    Srv6SegmentRoutingHeader badHmac;
    badHmac.SetPath({Ipv6Address("fd00::1")});
    badHmac.AddTlv(Srv6SegmentRoutingHeader::TLV_HMAC, Bytes(6 + 5, 0));
    Bytes hmacBytes = HeaderBytes(badHmac);
    CHECK_THAT(parse(hmacBytes).error, Contains("HMAC TLV length 11 is invalid"));
}

TEST_CASE("random bytes never crash the SRH parser; what parses re-serialises identically",
          "[srv6][srh]")
{
    std::mt19937 rng(20261121);
    std::uniform_int_distribution<int> byte(0, 255);
    uint32_t accepted = 0;
    for (int trial = 0; trial < 20000; ++trial)
    {
        Bytes b(std::uniform_int_distribution<int>(0, 300)(rng));
        for (auto& x : b)
        {
            x = byte(rng);
        }
        if (b.size() > 4)
        {
            b[2] = 4;                     // mostly SRHs
            b[1] = b[1] % 36;             // lengths that sometimes fit
            b[4] = b[4] % (b[1] / 2 + 2); // Last Entry near max_LE
        }
        auto r = Srv6SegmentRoutingHeader::Parse(b.data(), b.size());
        if (r.header)
        {
            ++accepted;
            uint32_t total = (b[1] + 1) * 8;
            REQUIRE(HeaderBytes(*r.header) == Bytes(b.begin(), b.begin() + total));
        }
        else
        {
            REQUIRE_FALSE(r.error.empty());
        }
    }
    CHECK(accepted > 100);
}

TEST_CASE("tshark decodes every SRH field of a packet aisfc wrote", "[srv6][srh][tshark]")
{
    Srv6SegmentRoutingHeader h = ThreeSegments();
    const std::string secret = "k";
    h.Sign(std::vector<uint8_t>(secret.begin(), secret.end()), Ipv6Address("fd61:6973::1"), 7);
    Ptr<Packet> p = Create<Packet>(20);
    UdpHeader udp;
    udp.SetSourcePort(5000);
    udp.SetDestinationPort(50000);
    p->AddHeader(udp);
    p->AddHeader(h);
    Ipv6Header ip;
    ip.SetSource(Ipv6Address("fd61:6973::1"));
    ip.SetDestination(h.GetActiveSegment());
    ip.SetNextHeader(43);
    ip.SetHopLimit(64);
    ip.SetPayloadLength(p->GetSize());
    p->AddHeader(ip);

    std::string file = "/tmp/aisfc-test-srh.pcap";
    PcapFile pcap;
    pcap.Open(file, std::ios::out);
    pcap.Init(229 /* LINKTYPE_IPV6 */, 65535);
    pcap.Write(0, 0, p);
    pcap.Close();

    // TAPA's heuristic UDP dissector claims any zero payload; it is not what is tested here.
    std::string command = "tshark --disable-protocol tapa -r " + file +
                          " -T fields -E 'separator=;' -e ipv6.routing.type -e ipv6.routing.segleft"
                          " -e ipv6.routing.srh.last_entry -e ipv6.routing.srh.tag"
                          " -e ipv6.routing.srh.addr -e udp.dstport -e _ws.malformed 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe);
    std::string out;
    char buf[512];
    while (fgets(buf, sizeof(buf), pipe))
    {
        out += buf;
    }
    int status = pclose(pipe);
    INFO(out);
    REQUIRE(status == 0);
    // Type 4, Segments Left 2, Last Entry 2, Tag 0x1234 (shown in hex), the segment list in
    // SRH order, the UDP port behind the SRH and its HMAC TLV, and nothing malformed.
    CHECK(out == "4;2;2;1234;fd00:3::100,fd00:2::100,fd00:1::100;50000;\n");
}
