/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The DNS baseline: the RFC 1035 codec against bytes written by hand, hostile inputs, and the
// stub / recursive / authoritative applications on an ns-3 network, with resolution delays
// computed by hand from link delays and serialisation.

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-network-builder.h"
#include "ns3/dns-apps.h"
#include "ns3/dns-message.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/error-model.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/topology-json-reader.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <unistd.h>

using namespace ns3;
using Catch::Matchers::Contains;

namespace
{

using Bytes = std::vector<uint8_t>;

/// Bytes from hex text; spaces, newlines and "|" separators are ignored.
Bytes
Hex(const std::string& text)
{
    Bytes out;
    std::string digits;
    for (char c : text)
    {
        if (isxdigit(static_cast<unsigned char>(c)))
        {
            digits += c;
        }
    }
    REQUIRE(digits.size() % 2 == 0);
    for (size_t i = 0; i < digits.size(); i += 2)
    {
        out.push_back(uint8_t(std::stoi(digits.substr(i, 2), nullptr, 16)));
    }
    return out;
}

/// The error text of parsing bytes ("" if they parse).
std::string
ParseError(const Bytes& bytes)
{
    std::string error;
    if (DnsMessage::TryParse(bytes.data(), bytes.size(), &error))
    {
        return "";
    }
    return error;
}

DnsMessage
ParseOk(const Bytes& bytes)
{
    return DnsMessage::Parse(bytes.data(), bytes.size());
}

// RFC 1035 §4.1: header (ID, flags, QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT), question (QNAME as
// length-prefixed labels, QTYPE, QCLASS), resource records (NAME, TYPE, CLASS, TTL, RDLENGTH,
// RDATA); a name may end in a pointer 11xxxxxx xxxxxxxx to an earlier occurrence (§4.1.4).
const char* QUERY_HEX = "1234 0100 0001 0000 0000 0000"    // ID, RD, one question
                        "03 737663 07 6578616d706c65 00"   // svc.example
                        "001c 0001";                       // AAAA IN
const char* RESPONSE_HEX = "1234 8580 0001 0001 0000 0000" // QR AA RD RA NOERROR, 1 answer
                           "03 737663 07 6578616d706c65 00 001c 0001"
                           "c00c"      // owner: pointer to offset 12, the question's name
                           "001c 0001" // AAAA IN
                           "0000001e"  // TTL 30
                           "0010"      // RDLENGTH 16
                           "fd616973000000000000000000000007";
const char* RESPONSE_UNCOMPRESSED_HEX = "1234 8580 0001 0001 0000 0000"
                                        "03 737663 07 6578616d706c65 00 001c 0001"
                                        "03 737663 07 6578616d706c65 00"
                                        "001c 0001 0000001e 0010"
                                        "fd616973000000000000000000000007";

DnsMessage
ExampleResponse()
{
    DnsMessage m;
    m.id = 0x1234;
    m.qr = true;
    m.aa = true;
    m.rd = true;
    m.ra = true;
    m.questions.push_back({"svc.example", DNS_TYPE_AAAA, DNS_CLASS_IN});
    m.answers.push_back(DnsResourceRecord::Aaaa("svc.example", Ipv6Address("fd61:6973::7"), 30));
    return m;
}

} // namespace

TEST_CASE("DNS codec writes the bytes of RFC 1035 section 4.1 written by hand", "[dns]")
{
    DnsMessage query;
    query.id = 0x1234;
    query.rd = true;
    query.questions.push_back({"svc.example", DNS_TYPE_AAAA, DNS_CLASS_IN});
    CHECK(query.Serialize() == Hex(QUERY_HEX));
    CHECK(query.GetFlags() == 0x0100);

    DnsMessage response = ExampleResponse();
    CHECK(response.GetFlags() == 0x8580);
    CHECK(response.Serialize(true) == Hex(RESPONSE_HEX));
    CHECK(response.Serialize(false) == Hex(RESPONSE_UNCOMPRESSED_HEX));
    CHECK(Hex(RESPONSE_HEX).size() == 57);

    // Both forms read back to the same message.
    for (const char* hex : {RESPONSE_HEX, RESPONSE_UNCOMPRESSED_HEX})
    {
        DnsMessage back = ParseOk(Hex(hex));
        CHECK(back.id == 0x1234);
        CHECK(back.qr);
        CHECK(back.aa);
        CHECK(back.rd);
        CHECK(back.ra);
        CHECK(back.rcode == DNS_RCODE_NOERROR);
        REQUIRE(back.questions.size() == 1);
        CHECK(back.questions[0].name == "svc.example");
        REQUIRE(back.answers.size() == 1);
        CHECK(back.answers[0] == response.answers[0]);
        CHECK(back.answers[0].GetAaaa() == Ipv6Address("fd61:6973::7"));
        CHECK(back.answers[0].ttl == 30);
    }
    CHECK(ParseOk(Hex(QUERY_HEX)).ToString() == "id 4660 query rd: svc.example AAAA");
    CHECK(ParseOk(Hex(RESPONSE_HEX)).ToString() ==
          "id 4660 response NOERROR aa rd ra: svc.example AAAA -> fd61:6973::7 ttl 30");
}

TEST_CASE("DNS codec compresses CNAME targets and reads pointers inside RDATA", "[dns]")
{
    DnsMessage m;
    m.id = 7;
    m.qr = true;
    m.rcode = DNS_RCODE_NOERROR;
    m.questions.push_back({"www.example", DNS_TYPE_AAAA, DNS_CLASS_IN});
    m.answers.push_back(DnsResourceRecord::Cname("www.example", "web.example", 60));
    m.answers.push_back(DnsResourceRecord::Aaaa("web.example", Ipv6Address("fd61:6973::9"), 60));
    m.answers.push_back(DnsResourceRecord::A("web.example", 0x0a000001, 60));
    Bytes expected = Hex("0007 8000 0001 0003 0000 0000"
                         "03 777777 07 6578616d706c65 00 001c 0001" // www.example @12
                         "c00c 0005 0001 0000003c 0006"             // CNAME @29
                         "03 776562 c010"                           // web + ->example @41
                         "c029 001c 0001 0000003c 0010"             // web.example = @41
                         "fd616973000000000000000000000009"
                         "c029 0001 0001 0000003c 0004 0a000001");
    CHECK(m.Serialize() == expected);
    DnsMessage back = ParseOk(expected);
    REQUIRE(back.answers.size() == 3);
    CHECK(back.answers[0].type == DNS_TYPE_CNAME);
    CHECK(back.answers[0].target == "web.example");
    CHECK(back.answers[0].rdata.empty());
    CHECK(back.answers[1].name == "web.example");
    CHECK(back.answers[2].rdata == Bytes{10, 0, 0, 1});
    CHECK(back.answers[0] == m.answers[0]);
    CHECK(back.answers[1] == m.answers[1]);
    CHECK(back.answers[2] == m.answers[2]);
    // Uncompressed it reads back the same.
    DnsMessage plain = ParseOk(m.Serialize(false));
    CHECK(plain.answers[0].target == "web.example");
    CHECK(plain.Serialize() == expected);
}

TEST_CASE("DNS codec carries EDNS Client Subnet in an OPT record", "[dns]")
{
    DnsMessage m;
    m.id = 1;
    m.questions.push_back({"svc.example", DNS_TYPE_AAAA, DNS_CLASS_IN});
    m.SetClientSubnet({Ipv6Address("fd61:6973:0:1:ffff::1"), 56, 0});
    Bytes expected = Hex("0001 0000 0001 0000 0000 0001"
                         "03 737663 07 6578616d706c65 00 001c 0001"
                         "00 0029 04d0 00000000 000f" // root, OPT, 1232 bytes, TTL 0, 15 bytes
                         "0008 000b 0002 38 00"       // Client Subnet, 11 bytes, IPv6, /56/0
                         "fd61697300 0000");          // the 7 address bytes of a /56
    CHECK(m.Serialize() == expected);
    DnsMessage back = ParseOk(expected);
    auto subnet = back.GetClientSubnet();
    REQUIRE(subnet);
    CHECK(subnet->address == Ipv6Address("fd61:6973::"));
    CHECK(subnet->sourcePrefix == 56);
    CHECK(subnet->scopePrefix == 0);
    // Replacing keeps one option.
    back.SetClientSubnet({Ipv6Address("fd61:6973:0:1::"), 64, 64});
    CHECK(back.additionals.size() == 1);
    CHECK(back.GetClientSubnet()->scopePrefix == 64);
    CHECK(ParseOk(back.Serialize()).GetClientSubnet()->address == Ipv6Address("fd61:6973:0:1::"));
    CHECK(DnsTruncateAddress(Ipv6Address("fd61:6973:1234:5678::1"), 36) ==
          Ipv6Address("fd61:6973:1000::"));
    CHECK(DnsTruncateAddress(Ipv6Address("fd61:6973::1"), 128) == Ipv6Address("fd61:6973::1"));
    CHECK(DnsTruncateAddress(Ipv6Address("fd61:6973::1"), 0) == Ipv6Address("::"));
}

TEST_CASE("DNS names are checked escaped and compared without case", "[dns]")
{
    CHECK(DnsNameLabels("www.Example.com.", "n") ==
          std::vector<std::string>{"www", "Example", "com"});
    CHECK(DnsNameLabels(".", "n").empty());
    CHECK(DnsNameLabels("", "n").empty());
    CHECK(DnsNameLabels("a\\.b.c", "n") == std::vector<std::string>{"a.b", "c"});
    CHECK(DnsNameLabels("a\\032b", "n") == std::vector<std::string>{"a b"});
    CHECK(DnsNameText({"a.b", std::string("x\0y", 3), "c\\"}) == "a\\.b.x\\000y.c\\\\");
    CHECK(DnsCanonicalName("SVC.Example.", "n") == "svc.example");
    CHECK(DnsQuestion{"SVC.EXAMPLE", DNS_TYPE_AAAA, DNS_CLASS_IN} ==
          DnsQuestion{"svc.example.", DNS_TYPE_AAAA, DNS_CLASS_IN});

    CHECK_THROWS_WITH(DnsNameLabels("a..b", "question 0 name"),
                      Contains("question 0 name") && Contains("empty label"));
    CHECK_THROWS_WITH(DnsNameLabels(std::string(64, 'x') + ".example", "n"),
                      Contains("longer than 63"));
    std::string long63 = std::string(63, 'x');
    CHECK_NOTHROW(DnsNameLabels(long63 + "." + long63 + "." + long63 + "." + std::string(61, 'x'),
                                "n")); // 4 * 64 - 2 + 1 = 255 bytes on the wire
    CHECK_THROWS_WITH(
        DnsNameLabels(long63 + "." + long63 + "." + long63 + "." + std::string(62, 'x'), "n"),
        Contains("over 255"));
    CHECK_THROWS_WITH(DnsNameLabels("a\\", "n"), Contains("escape at the end"));
    CHECK_THROWS_WITH(DnsNameLabels("a\\25", "n"), Contains("three digits"));
    CHECK_THROWS_WITH(DnsNameLabels("a\\256", "n"), Contains("not a byte"));

    DnsMessage bad = ExampleResponse();
    bad.answers[0].name = "x..y";
    CHECK_THROWS_AS(bad.Serialize(), AisfcInputError);
    CHECK_THROWS_WITH(bad.Serialize(), Contains("answer 0 name"));
    DnsMessage badAaaa = ExampleResponse();
    badAaaa.answers[0].rdata.resize(4);
    CHECK_THROWS_WITH(badAaaa.Serialize(), Contains("answer 0 rdata") && Contains("16 bytes"));
}

TEST_CASE("DNS codec rejects hostile bytes with an error naming the offset", "[dns]")
{
    const std::string header1q = "0001 0000 0001 0000 0000 0000";
    // A pointer to itself.
    CHECK_THAT(ParseError(Hex(header1q + "c00c 001c 0001")),
               Contains("DNS offset 12") && Contains("compression pointer"));
    // A label, then a pointer back to that label: a loop.
    CHECK_THAT(ParseError(Hex(header1q + "01 61 c00c 001c 0001")),
               Contains("DNS offset 14") && Contains("loop"));
    // Two pointers pointing at each other.
    CHECK_THAT(ParseError(Hex(header1q + "c00e c00c 001c 0001")), Contains("DNS offset 12"));
    // A pointer out of the message (forward, past the end).
    CHECK_THAT(ParseError(Hex(header1q + "ffff 001c 0001")),
               Contains("DNS offset 12") && Contains("offset 16383"));
    // A pointer cut short at the end.
    CHECK_THAT(ParseError(Hex(header1q + "c0")), Contains("DNS offset 12"));
    // Label length 64 (0x40: reserved label type).
    CHECK_THAT(ParseError(Hex(header1q + "40")), Contains("DNS offset 12") && Contains("over 63"));
    // A label running past the end.
    CHECK_THAT(ParseError(Hex(header1q + "05 6162")),
               Contains("DNS offset 12") && Contains("runs past the end"));
    // A name over 255 bytes: four 63-byte labels (257 bytes with the lengths and the root).
    {
        std::string hex = "0001 0000 0001 0000 0000 0000";
        for (int i = 0; i < 4; ++i)
        {
            hex += "3f" + std::string(126, '6');
        }
        hex += "00 001c 0001";
        CHECK_THAT(ParseError(Hex(hex)), Contains("DNS offset 204") && Contains("longer than 255"));
    }
    // Truncated header.
    CHECK_THAT(ParseError(Hex("0001 0000 00")),
               Contains("DNS offset 4") && Contains("truncated header QDCOUNT"));
    CHECK_THAT(ParseError(Bytes{}), Contains("DNS offset 0"));
    // A count promising more than there is.
    CHECK_THAT(ParseError(Hex("0001 0000 ffff 0000 0000 0000 00 001c 0001")),
               Contains("DNS offset 17"));
    // A truncated resource record: RDLENGTH 16 with 4 bytes left.
    Bytes full = Hex(RESPONSE_HEX);
    Bytes cut(full.begin(), full.end() - 12);
    CHECK_THAT(ParseError(cut), Contains("DNS offset 39") && Contains("RDLENGTH 16"));
    // Cut inside the fixed part of the record.
    Bytes cut2(full.begin(), full.begin() + 35);
    CHECK_THAT(ParseError(cut2), Contains("DNS offset 35") && Contains("TTL"));
    // An AAAA record of 4 bytes.
    Bytes shortAaaa = Hex("1234 8580 0001 0001 0000 0000 03 737663 07 6578616d706c65 00 001c 0001"
                          "c00c 001c 0001 0000001e 0004 0a000001");
    CHECK_THAT(ParseError(shortAaaa),
               Contains("DNS offset 39") && Contains("AAAA record with RDLENGTH 4"));
    // Trailing bytes.
    Bytes trailing = Hex(QUERY_HEX);
    trailing.push_back(0);
    CHECK_THAT(ParseError(trailing), Contains("DNS offset 29") && Contains("1 bytes after"));
    // A CNAME whose name does not fill its RDATA, and one whose name runs out of its RDATA.
    Bytes cname = Hex("0001 8000 0000 0001 0000 0000 01 61 00 0005 0001 00000000 0003 01 62 00");
    CHECK(ParseError(cname).empty());
    cname[24] = 4;
    cname.push_back(0);
    CHECK_THAT(ParseError(cname), Contains("bytes after the name in RDATA"));
    Bytes cname2 = Hex("0001 8000 0000 0001 0000 0000 01 61 00 0005 0001 00000000 0002 01 62 00");
    CHECK_THAT(ParseError(cname2), Contains("end of its RDATA"));
    // OPT outside the additional section, a malformed Client Subnet.
    CHECK_THAT(ParseError(Hex("0001 0000 0000 0001 0000 0000 00 0029 04d0 00000000 0000")),
               Contains("OPT record in the answer section"));
    CHECK_THAT(
        ParseError(Hex("0001 0000 0000 0000 0000 0001 00 0029 04d0 00000000 0008 0008 0004 0002 "
                       "08 00")),
        Contains("address of 0 bytes for a /8"));
    CHECK_THAT(
        ParseError(Hex("0001 0000 0000 0000 0000 0001 00 0029 04d0 00000000 0009 0008 0005 0002 "
                       "07 00 ff")),
        Contains("bits beyond its prefix"));
    // The throwing form names the same place.
    CHECK_THROWS_AS(ParseOk(Hex(header1q + "c00c 001c 0001")), AisfcInputError);
}

TEST_CASE("DNS codec survives random and mutated bytes and round trips what it accepts", "[dns]")
{
    std::mt19937 rng(1035);
    std::vector<Bytes> seeds = {Hex(QUERY_HEX), Hex(RESPONSE_HEX), Hex(RESPONSE_UNCOMPRESSED_HEX)};
    uint64_t accepted = 0;
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 200000; ++i)
    {
        Bytes b;
        if (i % 4 == 0)
        {
            b.resize(rng() % 80);
            for (uint8_t& x : b)
            {
                x = uint8_t(rng());
            }
            if (b.size() >= 12)
            {
                // Small counts make the parser reach the names more often.
                for (int k = 4; k < 12; k += 2)
                {
                    b[k] = 0;
                    b[k + 1] = uint8_t(rng() % 3);
                }
            }
        }
        else
        {
            b = seeds[rng() % seeds.size()];
            int edits = 1 + rng() % 4;
            for (int e = 0; e < edits; ++e)
            {
                switch (rng() % 3)
                {
                case 0:
                    b[rng() % b.size()] = uint8_t(rng());
                    break;
                case 1:
                    b.resize(rng() % (b.size() + 1));
                    break;
                default:
                    b.insert(b.begin() + rng() % (b.size() + 1), uint8_t(rng()));
                }
                if (b.empty())
                {
                    b.push_back(0);
                }
            }
        }
        std::string error;
        auto m = DnsMessage::TryParse(b.data(), b.size(), &error);
        if (m)
        {
            ++accepted;
            // What parses serialises (uncompressed and compressed) and parses to the same.
            for (bool compress : {false, true})
            {
                Bytes again = m->Serialize(compress);
                DnsMessage m2 = ParseOk(again);
                CHECK(m2.Serialize(compress) == again);
            }
        }
        else
        {
            REQUIRE_THAT(error, Contains("DNS offset "));
        }
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(accepted > 100);
    CHECK(seconds < 30);
}

// ------------------------------------------------------------------------------------------
// The applications on a network.
//
//   c0 --10M,1ms-- x --100M,2ms-- r --1G,5ms-- a        r: recursive resolver
//   c1 --10M,1ms-- y --100M,2ms-- r                     a: authoritative server
//   s0 --1G,1ms-- x     s1 --1G,1ms-- y     s2 --1G,0.5ms-- r    s*: service instances
//
// Stubs on c0 and c1.  Wire sizes: DNS message + UDP 8 + IPv6 40 + PPP 2.  The query for
// svc.example is 29 bytes (79 on the wire); the answer with one AAAA 57 (107).

namespace
{

constexpr const char* NAME = "svc.example";

/// Seconds to send `bytes` on the wire and propagate, over the hops (rate bps, delay s).
double
PathTime(uint32_t wireBytes, std::initializer_list<std::pair<double, double>> hops)
{
    double t = 0;
    for (auto [rate, delay] : hops)
    {
        t += delay + wireBytes * 8.0 / rate;
    }
    return t;
}

const std::pair<double, double> C0_X{10e6, 1e-3};
const std::pair<double, double> X_R{100e6, 2e-3};
const std::pair<double, double> R_A{1e9, 5e-3};

struct DnsNet
{
    AisfcTopology topo;
    std::unique_ptr<AisfcNetworkBuilder> net;
    Ptr<DnsAuthoritativeServer> auth;
    Ptr<DnsRecursiveResolver> resolver;
    std::map<Ipv6Address, uint32_t> nodeOf; //!< every address -> its node
    std::vector<DnsResolution> results;

    DnsNet(DnsAuthoritativeServer::Policy policy, uint32_t ttl, uint8_t clientSubnetPrefix = 0)
    {
        std::string text = R"({"name": "dns",
          "nodes": [{"name": "c0"}, {"name": "x"}, {"name": "r"}, {"name": "a"},
                    {"name": "c1"}, {"name": "y"}, {"name": "s0"}, {"name": "s1"},
                    {"name": "s2"}],
          "links": [{"a": "c0", "b": "x", "rate": "10Mbps", "delay": "1ms"},
                    {"a": "x", "b": "r", "rate": "100Mbps", "delay": "2ms"},
                    {"a": "r", "b": "a", "rate": "1Gbps", "delay": "5ms"},
                    {"a": "c1", "b": "y", "rate": "10Mbps", "delay": "1ms"},
                    {"a": "y", "b": "r", "rate": "100Mbps", "delay": "2ms"},
                    {"a": "s0", "b": "x", "rate": "1Gbps", "delay": "1ms"},
                    {"a": "s1", "b": "y", "rate": "1Gbps", "delay": "1ms"},
                    {"a": "s2", "b": "r", "rate": "1Gbps", "delay": "500us"}]})";
        topo = ParseJsonTopology(text, "dns.json", TopologyOptions());
        net = std::make_unique<AisfcNetworkBuilder>(topo, NetworkOptions());
        for (uint32_t i = 0; i < topo.GetNNodes(); ++i)
        {
            nodeOf[net->GetNodeAddress(i)] = i;
        }
        for (uint32_t l = 0; l < topo.GetNLinks(); ++l)
        {
            nodeOf[net->GetLink(l).addressA] = topo.GetLink(l).a;
            nodeOf[net->GetLink(l).addressB] = topo.GetLink(l).b;
        }

        auth = CreateObject<DnsAuthoritativeServer>();
        auth->SetAttribute("Policy", EnumValue(policy));
        auth->AddName(NAME, {Addr("s0"), Addr("s1"), Addr("s2")}, ttl);
        auth->SetDistance([this](Ipv6Address client, Ipv6Address instance) {
            return net->GetPaths().Distance(nodeOf.at(client), nodeOf.at(instance));
        });
        Node("a")->AddApplication(auth);
        auth->SetStartTime(Seconds(0));

        resolver = CreateObject<DnsRecursiveResolver>();
        resolver->SetAuthoritativeServer(Addr("a"));
        resolver->SetAttribute("ClientSubnetPrefix", UintegerValue(clientSubnetPrefix));
        resolver->AssignStreams(1000);
        Node("r")->AddApplication(resolver);
        resolver->SetStartTime(Seconds(0));
    }

    ~DnsNet()
    {
        Simulator::Destroy();
    }

    uint32_t Index(const std::string& name) const
    {
        return *topo.FindNode(name);
    }

    Ptr<ns3::Node> Node(const std::string& name) const
    {
        return net->GetNode(Index(name));
    }

    Ipv6Address Addr(const std::string& name) const
    {
        return net->GetNodeAddress(Index(name));
    }

    Ptr<DnsStubResolver> Stub(const std::string& node)
    {
        Ptr<DnsStubResolver> stub = CreateObject<DnsStubResolver>();
        stub->Setup(Node(node), Addr("r"));
        stub->AssignStreams(2000 + results.size());
        return stub;
    }

    /// Resolve at time t (in the node's context); the outcome is appended to results.
    void ResolveAt(Ptr<DnsStubResolver> stub,
                   const std::string& node,
                   double t,
                   const std::string& name = NAME)
    {
        Simulator::ScheduleWithContext(Node(node)->GetId(), Seconds(t), [this, stub, name]() {
            stub->Resolve(name, [this](const DnsResolution& r) { results.push_back(r); });
        });
    }

    void Run(double until)
    {
        Simulator::Stop(Seconds(until));
        Simulator::Run();
    }
};

} // namespace

TEST_CASE("first DNS resolution takes two round trips and later ones come from the caches",
          "[dns][ns3]")
{
    DnsNet d(DnsAuthoritativeServer::ROUND_ROBIN, 30);
    Ptr<DnsStubResolver> stubA = d.Stub("c0");
    Ptr<DnsStubResolver> stubB = d.Stub("c0");
    d.ResolveAt(stubA, "c0", 1);  // cold: stub -> resolver -> authoritative and back
    d.ResolveAt(stubA, "c0", 2);  // stub cache
    d.ResolveAt(stubB, "c0", 3);  // another stub: resolver cache
    d.ResolveAt(stubA, "c0", 40); // both expired: the authoritative server again, next instance
    d.Run(45);
    REQUIRE(d.results.size() == 4);

    // Query 79 bytes and answer 107 bytes on the wire, over c0-x-r and r-a.
    double cold = PathTime(79, {C0_X, X_R, R_A}) + PathTime(107, {R_A, X_R, C0_X});
    double warm = PathTime(79, {C0_X, X_R}) + PathTime(107, {X_R, C0_X});
    CHECK(cold == Approx(16.165168e-3).epsilon(1e-12));
    CHECK(warm == Approx(6.16368e-3).epsilon(1e-12));

    const DnsResolution& first = d.results[0];
    CHECK(first.status == DnsResolution::OK);
    CHECK(first.address == d.Addr("s0"));
    CHECK_FALSE(first.fromCache);
    CHECK(first.attempts == 1);
    CHECK(first.ttl == 30);
    CHECK(first.delay.GetSeconds() == Approx(cold).margin(1e-9));

    const DnsResolution& second = d.results[1];
    CHECK(second.status == DnsResolution::OK);
    CHECK(second.fromCache);
    CHECK(second.delay == Seconds(0));
    CHECK(second.address == d.Addr("s0"));
    CHECK(second.ttl == 29); // cached by the stub at 1.016 s for 30 s, asked at 2 s

    const DnsResolution& third = d.results[2];
    CHECK(third.status == DnsResolution::OK);
    CHECK_FALSE(third.fromCache);
    CHECK(third.address == d.Addr("s0")); // the decision sticks for the TTL
    CHECK(third.delay.GetSeconds() == Approx(warm).margin(1e-9));
    CHECK(third.ttl == 28); // the resolver's entry (from 1.013 s) has 28.01 s left at 3.003 s

    const DnsResolution& fourth = d.results[3];
    CHECK(fourth.address == d.Addr("s1"));
    CHECK(fourth.delay.GetSeconds() == Approx(cold).margin(1e-9));

    CHECK(stubA->GetResolutions() == 3);
    CHECK(stubA->GetCacheHits() == 1);
    CHECK(stubA->GetQueries() == 2);
    CHECK(stubB->GetQueries() == 1);
    CHECK(d.resolver->GetQueries() == 3);
    CHECK(d.resolver->GetCacheHits() == 1);
    CHECK(d.resolver->GetCacheMisses() == 2);
    CHECK(d.resolver->GetUpstreamQueries() == 2);
    CHECK(d.auth->GetQueries() == 2);
    CHECK(d.auth->GetAnswers() == 2);
    CHECK(d.resolver->GetDropCounts().empty());
    CHECK(d.auth->GetDropCounts().empty());
    CHECK(stubA->GetBadResponses() == 0);
}

TEST_CASE("round robin hands out instances in turn across TTL expiries", "[dns][ns3]")
{
    DnsNet d(DnsAuthoritativeServer::ROUND_ROBIN, 5);
    Ptr<DnsStubResolver> stub = d.Stub("c0");
    for (double t : {1.0, 3.0, 7.0, 9.0, 13.0, 19.0, 25.0})
    {
        d.ResolveAt(stub, "c0", t);
    }
    d.Run(30);
    REQUIRE(d.results.size() == 7);
    std::vector<std::string> expected = {"s0", "s0", "s1", "s1", "s2", "s0", "s1"};
    for (size_t i = 0; i < expected.size(); ++i)
    {
        INFO("resolution " << i);
        CHECK(d.results[i].address == d.Addr(expected[i]));
    }
    CHECK(d.results[1].fromCache);
    CHECK(d.results[3].fromCache);
    CHECK(d.auth->GetQueries() == 5);
    CHECK(d.auth->GetSelections(d.Addr("s0")) == 2);
    CHECK(d.auth->GetSelections(d.Addr("s1")) == 2);
    CHECK(d.auth->GetSelections(d.Addr("s2")) == 1);
}

TEST_CASE("nearest returns the instance nearest the resolver or with Client Subnet the client",
          "[dns][ns3]")
{
    SECTION("without Client Subnet every client gets the instance nearest its resolver")
    {
        DnsNet d(DnsAuthoritativeServer::NEAREST, 30);
        Ptr<DnsStubResolver> stub0 = d.Stub("c0");
        Ptr<DnsStubResolver> stub1 = d.Stub("c1");
        d.ResolveAt(stub0, "c0", 1);
        d.ResolveAt(stub1, "c1", 2);
        d.Run(5);
        REQUIRE(d.results.size() == 2);
        CHECK(d.results[0].address == d.Addr("s2"));
        CHECK(d.results[1].address == d.Addr("s2"));
        CHECK(d.auth->GetQueries() == 1); // the second from the resolver's cache
    }
    SECTION("with Client Subnet /128 each client gets its nearest instance, cached per client")
    {
        DnsNet d(DnsAuthoritativeServer::NEAREST, 30, 128);
        std::vector<std::pair<std::string, Ipv6Address>> selected;
        d.auth->TraceConnectWithoutContext(
            "Selected",
            MakeBoundCallback(
                +[](std::vector<std::pair<std::string, Ipv6Address>>* out,
                    const std::string& name,
                    const Ipv6Address& client,
                    const Ipv6Address&) {
                    out->push_back({name, client});
                },
                &selected));
        Ptr<DnsStubResolver> stub0 = d.Stub("c0");
        Ptr<DnsStubResolver> stub1 = d.Stub("c1");
        Ptr<DnsStubResolver> stub0b = d.Stub("c0");
        d.ResolveAt(stub0, "c0", 1);
        d.ResolveAt(stub1, "c1", 2);
        d.ResolveAt(stub0b, "c0", 3);
        d.Run(5);
        REQUIRE(d.results.size() == 3);
        CHECK(d.results[0].address == d.Addr("s0"));
        CHECK(d.results[1].address == d.Addr("s1"));
        CHECK(d.results[2].address == d.Addr("s0"));
        CHECK(d.auth->GetQueries() == 2);
        CHECK(d.resolver->GetCacheHits() == 1);
        CHECK(d.resolver->GetCacheSize() == 2);
        REQUIRE(selected.size() == 2);
        // The policy saw the client's address (its node address: AisfcRouting sources
        // packets from it), not the resolver's.
        CHECK(selected[0].second == d.Addr("c0"));
        CHECK(selected[1].second == d.Addr("c1"));
        CHECK(selected[0].first == NAME);
        // Upstream messages grow by the OPT record with the option: 11 + 4 + 4 + 16 bytes.
        double cold = PathTime(79, {C0_X, X_R}) + PathTime(79 + 35, {R_A}) +
                      PathTime(107 + 35, {R_A}) + PathTime(107, {X_R, C0_X});
        CHECK(d.results[0].delay.GetSeconds() == Approx(cold).margin(1e-9));
    }
}

TEST_CASE("NXDOMAIN reaches the callback and is not cached", "[dns][ns3]")
{
    DnsNet d(DnsAuthoritativeServer::ROUND_ROBIN, 30);
    Ptr<DnsStubResolver> stub = d.Stub("c0");
    d.ResolveAt(stub, "c0", 1, "nope.example");
    d.ResolveAt(stub, "c0", 2, "NOPE.example.");
    d.Run(5);
    REQUIRE(d.results.size() == 2);
    // 30-byte query and 30-byte NXDOMAIN response (80 bytes on the wire), both ways the whole way.
    double expected = PathTime(80, {C0_X, X_R, R_A}) + PathTime(80, {R_A, X_R, C0_X});
    CHECK(expected == Approx(16.14208e-3).epsilon(1e-12));
    for (const DnsResolution& r : d.results)
    {
        CHECK(r.status == DnsResolution::NXDOMAIN);
        CHECK(r.rcode == DNS_RCODE_NXDOMAIN);
        CHECK(r.delay.GetSeconds() == Approx(expected).margin(1e-9));
    }
    CHECK(d.results[1].name == "NOPE.example.");
    CHECK(d.auth->GetNxDomains() == 2);
    CHECK(d.resolver->GetCacheHits() == 0);
    CHECK(stub->GetCacheHits() == 0);
    CHECK_THROWS_AS(stub->Resolve("bad..name", [](const DnsResolution&) {}), AisfcInputError);
}

TEST_CASE("duplicate queries in flight are coalesced at the stub and at the resolver", "[dns][ns3]")
{
    DnsNet d(DnsAuthoritativeServer::ROUND_ROBIN, 30);
    Ptr<DnsStubResolver> stub0 = d.Stub("c0");
    Ptr<DnsStubResolver> stub1 = d.Stub("c1");
    d.ResolveAt(stub0, "c0", 1);
    d.ResolveAt(stub0, "c0", 1.001); // same stub, first query still in flight
    d.ResolveAt(stub1, "c1", 1.002); // other stub: reaches the resolver while upstream is busy
    d.Run(5);
    REQUIRE(d.results.size() == 3);
    double cold = PathTime(79, {C0_X, X_R, R_A}) + PathTime(107, {R_A, X_R, C0_X});
    for (const DnsResolution& r : d.results)
    {
        CHECK(r.status == DnsResolution::OK);
        CHECK(r.address == d.Addr("s0"));
    }
    // All answers arrive together; each callback measures from its own Resolve() call.
    std::vector<double> delays;
    for (const DnsResolution& r : d.results)
    {
        delays.push_back(r.delay.GetSeconds());
    }
    std::sort(delays.rbegin(), delays.rend());
    CHECK(delays[0] == Approx(cold).margin(1e-9));
    CHECK(delays[1] == Approx(cold - 0.001).margin(1e-9));
    CHECK(delays[2] == Approx(cold - 0.002).margin(1e-9));
    CHECK(stub0->GetQueries() == 1);
    CHECK(d.resolver->GetQueries() == 2);
    CHECK(d.resolver->GetCoalesced() == 1);
    CHECK(d.resolver->GetUpstreamQueries() == 1);
    CHECK(d.auth->GetQueries() == 1);
}

TEST_CASE("a lost upstream query is retried then reported", "[dns][ns3]")
{
    auto check = [](DnsNet& d) {
        d.resolver->SetAttribute("UpstreamTimeout", TimeValue(MilliSeconds(500)));
        d.resolver->SetAttribute("UpstreamRetries", UintegerValue(2));
        Ptr<DnsStubResolver> stub = d.Stub("c0");
        stub->SetAttribute("Timeout", TimeValue(Seconds(3)));
        stub->SetAttribute("Retries", UintegerValue(0));
        d.ResolveAt(stub, "c0", 1);
        d.Run(10);
        REQUIRE(d.results.size() == 1);
        CHECK(d.results[0].status == DnsResolution::SERVFAIL);
        CHECK(d.results[0].rcode == DNS_RCODE_SERVFAIL);
        // Query to the resolver, three upstream attempts 0.5 s apart, SERVFAIL (29 bytes) back.
        double expected = PathTime(79, {C0_X, X_R}) + 1.5 + PathTime(79, {X_R, C0_X});
        CHECK(d.results[0].delay.GetSeconds() == Approx(expected).margin(1e-9));
        CHECK(d.resolver->GetUpstreamQueries() == 3);
        CHECK(d.resolver->GetUpstreamRetransmissions() == 2);
        CHECK(d.resolver->GetUpstreamTimeouts() == 1);
        CHECK(d.auth->GetQueries() == 0);
        CHECK(stub->GetTimeouts() == 0);
    };
    SECTION("the authoritative server stopped")
    {
        DnsNet d(DnsAuthoritativeServer::ROUND_ROBIN, 30);
        d.auth->SetStopTime(Seconds(0.5));
        check(d);
    }
    SECTION("the authoritative server's link drops everything")
    {
        DnsNet d(DnsAuthoritativeServer::ROUND_ROBIN, 30);
        Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
        em->SetAttribute("ErrorRate", DoubleValue(1.0));
        em->SetAttribute("ErrorUnit", EnumValue(RateErrorModel::ERROR_UNIT_PACKET));
        // Link 2 is r - a; side B is the authoritative server's device.
        d.net->GetLink(2).deviceB->SetReceiveErrorModel(em);
        check(d);
    }
}

TEST_CASE("a stub whose resolver is silent retries then reports a timeout", "[dns][ns3]")
{
    DnsNet d(DnsAuthoritativeServer::ROUND_ROBIN, 30);
    d.resolver->SetStopTime(Seconds(0.5));
    Ptr<DnsStubResolver> stub = d.Stub("c0");
    stub->SetAttribute("Timeout", TimeValue(MilliSeconds(300)));
    stub->SetAttribute("Retries", UintegerValue(2));
    d.ResolveAt(stub, "c0", 1);
    d.Run(5);
    REQUIRE(d.results.size() == 1);
    CHECK(d.results[0].status == DnsResolution::TIMEOUT);
    CHECK(d.results[0].delay == MilliSeconds(900));
    CHECK(d.results[0].attempts == 3);
    CHECK(stub->GetQueries() == 3);
    CHECK(stub->GetRetransmissions() == 2);
    CHECK(stub->GetTimeouts() == 1);
    CHECK(std::string(DnsResolutionStatusName(d.results[0].status)) == "TIMEOUT");
}

TEST_CASE("DNS query IDs come from the RNG stream and repeat with the same streams", "[dns][ns3]")
{
    auto ids = [](int64_t stream) {
        DnsNet d(DnsAuthoritativeServer::ROUND_ROBIN, 1);
        Ptr<DnsStubResolver> stub = d.Stub("c0");
        stub->AssignStreams(stream);
        std::vector<uint16_t> out;
        stub->TraceConnectWithoutContext(
            "Query",
            MakeBoundCallback(
                +[](std::vector<uint16_t>* v, const DnsMessage& m) { v->push_back(m.id); },
                &out));
        for (int i = 0; i < 5; ++i)
        {
            d.ResolveAt(stub, "c0", 1 + 3 * i);
        }
        d.Run(20);
        return out;
    };
    std::vector<uint16_t> a = ids(7);
    std::vector<uint16_t> b = ids(7);
    std::vector<uint16_t> c = ids(8);
    REQUIRE(a.size() == 5);
    CHECK(a == b);
    CHECK(a != c);
}

TEST_CASE("unexpected responses are dropped by reason", "[dns][ns3]")
{
    DnsNet d(DnsAuthoritativeServer::ROUND_ROBIN, 30);
    // A host on c1 sends the resolver's upstream socket and port 53 things it must not use.
    Ptr<Socket> s = Socket::CreateSocket(d.Node("c1"), UdpSocketFactory::GetTypeId());
    REQUIRE(s->Bind6() == 0);
    Simulator::ScheduleWithContext(d.Node("c1")->GetId(), Seconds(1), [&]() {
        Bytes junk = Hex("1234 00");
        s->SendTo(Create<Packet>(junk.data(), junk.size()),
                  0,
                  Inet6SocketAddress(d.Addr("r"), DNS_PORT));
        DnsMessage response = ExampleResponse();
        s->SendTo(DnsMakePacket(response), 0, Inet6SocketAddress(d.Addr("r"), DNS_PORT));
        s->SendTo(DnsMakePacket(response), 0, Inet6SocketAddress(d.Addr("a"), DNS_PORT));
    });
    d.Run(3);
    CHECK(d.resolver->GetDrops("malformed") == 1);
    CHECK(d.resolver->GetDrops("not-a-query") == 1);
    CHECK(d.auth->GetDrops("not-a-query") == 1);
    CHECK(d.resolver->GetQueries() == 0);
}

TEST_CASE("authoritative zone input is checked", "[dns]")
{
    Ptr<DnsAuthoritativeServer> auth = CreateObject<DnsAuthoritativeServer>();
    auth->AddName("svc.example", {Ipv6Address("fd61:6973::1")}, 30);
    CHECK(auth->HasName("SVC.example."));
    CHECK_THROWS_WITH(auth->AddName("svc.EXAMPLE", {Ipv6Address("fd61:6973::1")}, 30),
                      Contains("name") && Contains("served already"));
    CHECK_THROWS_WITH(auth->AddName("other.example", {}, 30), Contains("instances"));
    CHECK_THROWS_WITH(auth->AddName("other.example", {Ipv6Address("fd61:6973::1")}, 0x80000000u),
                      Contains("ttl"));
    CHECK_THROWS_WITH(auth->AddName("a..b", {Ipv6Address("fd61:6973::1")}, 1), Contains("name"));
    CHECK_THROWS_WITH(auth->SetInstances("nope.example", {Ipv6Address("fd61:6973::1")}),
                      Contains("not served"));
    CHECK(auth->RemoveName("svc.example"));
    CHECK_FALSE(auth->HasName("svc.example"));
    auth->Dispose();
}

TEST_CASE("tshark decodes the DNS exchange captured on the client's link", "[dns][ns3][pcap]")
{
    if (access("/usr/bin/tshark", X_OK) != 0)
    {
        WARN("tshark not installed: skipped");
        return;
    }
    char dirTemplate[] = "/tmp/aisfc-dns-XXXXXX";
    REQUIRE(mkdtemp(dirTemplate));
    std::string pcap = std::string(dirTemplate) + "/dns.pcap";
    {
        DnsNet d(DnsAuthoritativeServer::ROUND_ROBIN, 30);
        PointToPointHelper p2p;
        p2p.EnablePcap(pcap, d.net->GetLink(0).deviceA, false, true);
        Ptr<DnsStubResolver> stub = d.Stub("c0");
        d.ResolveAt(stub, "c0", 1);
        d.Run(3);
        REQUIRE(d.results.size() == 1);
    }
    std::string cmd = "/usr/bin/tshark -r " + pcap +
                      " -T fields -e dns.id -e dns.flags.response -e dns.qry.name -e dns.aaaa "
                      "-e dns.resp.ttl 2>/dev/null";
    std::string out;
    if (FILE* p = popen(cmd.c_str(), "r"))
    {
        char buf[512];
        while (fgets(buf, sizeof(buf), p))
        {
            out += buf;
        }
        pclose(p);
    }
    INFO(out);
    CHECK_THAT(out, Contains("svc.example"));
    CHECK_THAT(out, Contains("fd61:6973::7")); // s0 is node 6: fd61:6973::7
    CHECK_THAT(out, Contains("\t1\t"));        // a response
    CHECK_THAT(out, Contains("\t30"));         // its TTL
    std::remove(pcap.c_str());
    rmdir(dirTemplate);
}
