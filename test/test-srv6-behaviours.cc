/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Conformance tests of the SRv6 data plane in the style of VPP's SRv6 tests: a given input
// packet (bytes) gives the expected output packet (bytes, written out here field by field, not
// through the module's serialisation), or the expected drop (reason in the SID's counters and
// the Drop trace) and ICMPv6 error (which really crosses a simulated line:3 to its source).

#include "test-bytes.h"

#include "ns3/aisfc-network-builder.h"
#include "ns3/aisfc-routing.h"
#include "ns3/boolean.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv6-l3-protocol.h"
#include "ns3/ipv6-list-routing.h"
#include "ns3/ipv6-route.h"
#include "ns3/packet.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/srv6-extension-routing.h"
#include "ns3/srv6-segment-routing-header.h"
#include "ns3/srv6-sid-table.h"
#include "ns3/topology-source.h"
#include "ns3/udp-socket-factory.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace ns3;

namespace
{
using aisfc_test::AddressBytes;
using aisfc_test::Bytes;
using aisfc_test::Concat;

constexpr uint8_t NH_UDP = 17;
constexpr uint8_t NH_TCP = 6;
constexpr uint8_t NH_IPV6 = 41;
constexpr uint8_t NH_ROUTING = 43;
constexpr uint8_t NH_ICMPV6 = 58;

// The addressing plan of AisfcNetworkBuilder on line:3 (nodes 0-1-2).
const char* const N0 = "fd61:6973::1";
const char* const N1 = "fd61:6973::2";
const char* const N2 = "fd61:6973::3";
const char* const L1B = "fd61:6973:0:2::2"; // node 2's end of link 1 (1-2)

// ----- bytes written by hand --------------------------------------------------------------

/// IPv6 header: version 6, traffic class, flow label, payload length, next header, hop limit.
Bytes
Ip6(size_t payloadLength,
    uint8_t nextHeader,
    uint8_t hopLimit,
    const char* src,
    const char* dst,
    uint8_t trafficClass = 0,
    uint32_t flowLabel = 0)
{
    Bytes b = {uint8_t(0x60 | trafficClass >> 4),
               uint8_t((trafficClass & 0x0f) << 4 | ((flowLabel >> 16) & 0x0f)),
               uint8_t(flowLabel >> 8),
               uint8_t(flowLabel),
               uint8_t(payloadLength >> 8),
               uint8_t(payloadLength),
               nextHeader,
               hopLimit};
    return Concat({b, AddressBytes(src), AddressBytes(dst)});
}

/// SRH with the segment list in SRH order (list[0] is the last segment), TLV bytes appended.
Bytes
Srh(uint8_t nextHeader,
    uint8_t segmentsLeft,
    const std::vector<const char*>& list,
    uint8_t flags = 0,
    uint16_t tag = 0,
    const Bytes& tlvs = {})
{
    size_t total = 8 + 16 * list.size() + tlvs.size();
    REQUIRE(total % 8 == 0);
    Bytes b = {nextHeader,
               uint8_t(total / 8 - 1),
               4,
               segmentsLeft,
               uint8_t(list.size() - 1),
               flags,
               uint8_t(tag >> 8),
               uint8_t(tag)};
    for (const char* s : list)
    {
        Bytes a = AddressBytes(s);
        b.insert(b.end(), a.begin(), a.end());
    }
    b.insert(b.end(), tlvs.begin(), tlvs.end());
    return b;
}

/// UDP header (checksum 0: ns-3 does not check it unless asked) and data.
Bytes
Udp(uint16_t sport, uint16_t dport, const Bytes& data)
{
    size_t length = 8 + data.size();
    Bytes b(length, 0); // checksum (bytes 6-7) stays 0
    b[0] = uint8_t(sport >> 8);
    b[1] = uint8_t(sport);
    b[2] = uint8_t(dport >> 8);
    b[3] = uint8_t(dport);
    b[4] = uint8_t(length >> 8);
    b[5] = uint8_t(length);
    std::copy(data.begin(), data.end(), b.begin() + 8);
    return b;
}

Bytes
Data(size_t n, uint8_t seed = 0)
{
    Bytes b(n);
    for (size_t i = 0; i < n; ++i)
    {
        b[i] = uint8_t(seed + 7 * i);
    }
    return b;
}

/// IPv6 packet: header + extension/upper-layer parts with the payload length computed.
Bytes
Packet6(uint8_t nextHeader,
        uint8_t hopLimit,
        const char* src,
        const char* dst,
        std::initializer_list<Bytes> payload,
        uint8_t trafficClass = 0,
        uint32_t flowLabel = 0)
{
    Bytes rest = Concat(payload);
    return Concat(
        {Ip6(rest.size(), nextHeader, hopLimit, src, dst, trafficClass, flowLabel), rest});
}

Bytes
ToBytes(Ptr<const Packet> p)
{
    Bytes b(p->GetSize());
    p->CopyData(b.data(), b.size());
    return b;
}

Bytes
ToBytes(Ptr<const Packet> p, const Ipv6Header& h)
{
    Ptr<Packet> c = p->Copy();
    c->AddHeader(h);
    return ToBytes(c);
}

uint32_t
U32(const Bytes& b, size_t at)
{
    return uint32_t(b.at(at)) << 24 | uint32_t(b.at(at + 1)) << 16 | uint32_t(b.at(at + 2)) << 8 |
           b.at(at + 3);
}

// ----- what RouteInput did -----------------------------------------------------------------

struct Capture
{
    struct Forwarded
    {
        Ptr<Ipv6Route> route;
        Bytes bytes; // IPv6 header + payload
    };

    std::vector<Forwarded> forwarded;
    std::vector<std::pair<Bytes, uint32_t>> delivered; // bytes, interface
    std::vector<std::string> drops;                    // Drop trace reasons
    uint32_t errors = 0;

    void Ucb(Ptr<const NetDevice>, Ptr<Ipv6Route> r, Ptr<const Packet> p, const Ipv6Header& h)
    {
        forwarded.push_back({r, ToBytes(p, h)});
    }

    void Mcb(Ptr<const NetDevice>, Ptr<Ipv6MulticastRoute>, Ptr<const Packet>, const Ipv6Header&)
    {
    }

    void Lcb(Ptr<const Packet> p, const Ipv6Header& h, uint32_t iif)
    {
        delivered.emplace_back(ToBytes(p, h), iif);
    }

    void Ecb(Ptr<const Packet>, const Ipv6Header&, Socket::SocketErrno)
    {
        ++errors;
    }

    void OnDrop(const Ipv6Header&, Ptr<const Packet>, const std::string& reason)
    {
        drops.push_back(reason);
    }

    size_t Events() const
    {
        return forwarded.size() + delivered.size() + drops.size();
    }

    void Clear()
    {
        forwarded.clear();
        delivered.clear();
        drops.clear();
        errors = 0;
    }
};

/// ICMPv6 messages delivered to a node (ICMPv6 header onwards).
struct IcmpCapture
{
    std::vector<Bytes> messages;

    void OnLocalDeliver(const Ipv6Header& h, Ptr<const Packet> p, uint32_t)
    {
        if (h.GetNextHeader() == NH_ICMPV6)
        {
            messages.push_back(ToBytes(p));
        }
    }

    /// Errors only (type < 128), in arrival order.
    std::vector<Bytes> Errors() const
    {
        std::vector<Bytes> out;
        for (const Bytes& m : messages)
        {
            if (!m.empty() && m[0] < 128)
            {
                out.push_back(m);
            }
        }
        return out;
    }
};

void
PrepareSrv6Node(Ptr<Node> node)
{
    Ptr<Ipv6L3Protocol> ipv6 = node->GetObject<Ipv6L3Protocol>();
    ipv6->SetAttribute("SendIcmpv6Redirect", BooleanValue(false));
    ipv6->SetForwarding(0, true);
}

/**
 * line:3 with a SID table on node 1 (source N1), Srv6ExtensionRouting on every node, the Drop
 * trace captured, and ICMPv6 delivered to node 0 captured.
 */
struct Srv6Line
{
    AisfcNetworkBuilder net;
    Ptr<Srv6SidTable> table;
    Capture cap;
    IcmpCapture icmp;

    Srv6Line()
        : net(LoadTopology("line:3", TopologyOptions()), NetworkOptions())
    {
        REQUIRE(net.GetTopology().GetLink(0).a == 0);
        REQUIRE(net.GetTopology().GetLink(0).b == 1);
        REQUIRE(net.GetTopology().GetLink(1).a == 1);
        REQUIRE(net.GetTopology().GetLink(1).b == 2);
        for (uint32_t i = 0; i < 3; ++i)
        {
            Srv6ExtensionRouting::Install(net.GetNode(i));
        }
        PrepareSrv6Node(net.GetNode(1));
        Ptr<Ipv6> ipv6 = net.GetNode(1)->GetObject<Ipv6>();
        table = CreateObject<Srv6SidTable>();
        DynamicCast<Ipv6ListRouting>(ipv6->GetRoutingProtocol())->AddRoutingProtocol(table, 20);
        table->SetSource(Ipv6Address(N1));
        table->TraceConnectWithoutContext("Drop", MakeCallback(&Capture::OnDrop, &cap));
        net.GetNode(0)->GetObject<Ipv6L3Protocol>()->TraceConnectWithoutContext(
            "LocalDeliver",
            MakeCallback(&IcmpCapture::OnLocalDeliver, &icmp));
    }

    ~Srv6Line()
    {
        Simulator::Destroy();
    }

    /// Node 1's device on link 0 (from node 0) and on link 1 (towards node 2).
    Ptr<NetDevice> FromNode0() const
    {
        return net.GetLink(0).deviceB;
    }

    Ptr<NetDevice> TowardsNode2() const
    {
        return net.GetLink(1).deviceA;
    }

    uint32_t IfFromNode0() const
    {
        return net.GetLink(0).interfaceB;
    }

    uint32_t IfTowardsNode2() const
    {
        return net.GetLink(1).interfaceA;
    }

    /// Hand `wire` (IPv6 header included) to the SID table as if it came in on `idev`.
    bool Feed(const Bytes& wire, Ptr<NetDevice> idev = nullptr)
    {
        Ptr<Packet> p = Create<Packet>(wire.data(), wire.size());
        Ipv6Header h;
        p->RemoveHeader(h);
        return table->RouteInput(p,
                                 h,
                                 idev ? idev : FromNode0(),
                                 MakeCallback(&Capture::Ucb, &cap),
                                 MakeCallback(&Capture::Mcb, &cap),
                                 MakeCallback(&Capture::Lcb, &cap),
                                 MakeCallback(&Capture::Ecb, &cap));
    }

    void Run(double seconds = 2)
    {
        Simulator::Stop(Seconds(seconds));
        Simulator::Run();
    }

    /// The forwarded packet went to node 2 over link 1.
    void CheckTowardsNode2(const Capture::Forwarded& f) const
    {
        CHECK(f.route->GetOutputDevice() == TowardsNode2());
        CHECK(f.route->GetGateway() == Ipv6Address(L1B));
    }

    /// The forwarded packet went back to node 0 over link 0.
    void CheckTowardsNode0(const Capture::Forwarded& f) const
    {
        CHECK(f.route->GetOutputDevice() == FromNode0());
        CHECK(f.route->GetGateway() == net.GetLink(0).addressA);
    }
};

Srv6SidConfig
Sid(const char* address, Srv6Behavior behavior, uint8_t flavors = 0, const std::string& name = "")
{
    Srv6SidConfig c;
    c.name = name.empty() ? address : name;
    c.sid = Ipv6Address(address);
    c.behavior = behavior;
    c.flavors = flavors;
    return c;
}

/// Check an ICMPv6 error: type, code, pointer (or unused 0), and the invoking packet.
void
CheckIcmpError(const Bytes& m, uint8_t type, uint8_t code, uint32_t pointer, const Bytes& invoking)
{
    REQUIRE(m.size() >= 8);
    CHECK(int(m[0]) == type);
    CHECK(int(m[1]) == code);
    CHECK(U32(m, 4) == pointer);
    CHECK(Bytes(m.begin() + 8, m.end()) == invoking);
}
} // namespace

// ===========================================================================================
// End and its flavours

TEST_CASE("End decrements Segments Left and forwards to the next segment", "[srv6-behaviour]")
{
    Srv6Line s;
    s.table->AddSid(Sid("fc00:1::1", Srv6Behavior::END));
    Bytes udp = Udp(1000, 2000, Data(20));
    std::vector<const char*> list = {L1B, N2, "fc00:1::1"};
    Bytes in = Packet6(NH_ROUTING, 64, N0, "fc00:1::1", {Srh(NH_UDP, 2, list, 0x00, 0xbeef), udp});
    REQUIRE(in.size() == 40 + 56 + 28);
    CHECK(s.Feed(in));
    // Hop Limit untouched here: IpForward decrements it on the way out.
    Bytes expected = Packet6(NH_ROUTING, 64, N0, N2, {Srh(NH_UDP, 1, list, 0x00, 0xbeef), udp});
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == expected);
    s.CheckTowardsNode2(s.cap.forwarded[0]);
    CHECK(s.cap.delivered.empty());
    CHECK(s.cap.drops.empty());

    Srv6SidCounters c = s.table->GetCounters(Ipv6Address("fc00:1::1"));
    CHECK(c.packets == 1);
    CHECK(c.bytes == in.size());
    CHECK(c.forwarded == 1);
    CHECK(c.Dropped() == 0);
}

TEST_CASE("End with PSP pops the SRH at the penultimate SID only", "[srv6-behaviour]")
{
    Srv6Line s;
    s.table->AddSid(Sid("fc00:1::2", Srv6Behavior::END, Srv6Flavor::PSP));
    Bytes udp = Udp(1000, 2000, Data(13));

    // SL 1 -> 0: the SRH goes, the IPv6 Next Header becomes the SRH's (UDP).
    Bytes in = Packet6(NH_ROUTING, 64, N0, "fc00:1::2", {Srh(NH_UDP, 1, {N2, "fc00:1::2"}), udp});
    CHECK(s.Feed(in));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == Packet6(NH_UDP, 64, N0, N2, {udp}));
    s.CheckTowardsNode2(s.cap.forwarded[0]);

    // SL 2 -> 1: not penultimate, the SRH stays.
    s.cap.Clear();
    std::vector<const char*> list = {"fd00::99", N2, "fc00:1::2"};
    Bytes in2 = Packet6(NH_ROUTING, 64, N0, "fc00:1::2", {Srh(NH_UDP, 2, list), udp});
    CHECK(s.Feed(in2));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == Packet6(NH_ROUTING, 64, N0, N2, {Srh(NH_UDP, 1, list), udp}));
    CHECK(s.table->GetCounters(Ipv6Address("fc00:1::2")).forwarded == 2);
}

TEST_CASE("End with USP at Segments Left 0 pops the SRH and delivers locally", "[srv6-behaviour]")
{
    Srv6Line s;
    s.table->SetAttribute("DeliverUpperLayer", BooleanValue(true));
    s.table->AddSid(Sid("fc00:1::3", Srv6Behavior::END, Srv6Flavor::USP));
    s.table->AddSid(Sid("fc00:1::4", Srv6Behavior::END)); // no USP: the SRH stays
    Bytes udp = Udp(1000, 2000, Data(9));

    Bytes in = Packet6(NH_ROUTING, 64, N0, "fc00:1::3", {Srh(NH_UDP, 0, {"fc00:1::3"}), udp});
    CHECK(s.Feed(in));
    CHECK(s.cap.forwarded.empty());
    REQUIRE(s.cap.delivered.size() == 1);
    CHECK(s.cap.delivered[0].first == Packet6(NH_UDP, 64, N0, "fc00:1::3", {udp}));
    CHECK(s.cap.delivered[0].second == s.IfFromNode0());
    CHECK(s.table->GetCounters(Ipv6Address("fc00:1::3")).forwarded == 1);

    s.cap.Clear();
    Bytes in2 = Packet6(NH_ROUTING, 64, N0, "fc00:1::4", {Srh(NH_UDP, 0, {"fc00:1::4"}), udp});
    CHECK(s.Feed(in2));
    REQUIRE(s.cap.delivered.size() == 1);
    CHECK(s.cap.delivered[0].first == in2);
}

TEST_CASE("End at Segments Left 0 refuses TCP and UDP unless allowed: Parameter Problem code 4",
          "[srv6-behaviour]")
{
    Srv6Line s; // DeliverUpperLayer is false by default
    s.table->AddSid(Sid("fc00:1::1", Srv6Behavior::END));
    Bytes srh = Srh(NH_UDP, 0, {"fc00:1::1"});
    Bytes udpIn = Packet6(NH_ROUTING, 64, N0, "fc00:1::1", {srh, Udp(1000, 2000, Data(16))});
    Bytes tcpSegment = Concat({{0x03, 0xe8, 0x00, 0x50}, Data(16)}); // ports 1000 -> 80
    Bytes tcpIn =
        Packet6(NH_ROUTING, 64, N0, "fc00:1::1", {Srh(NH_TCP, 0, {"fc00:1::1"}), tcpSegment});
    // ICMPv6 (an echo request) is always delivered.
    Bytes echo = {128, 0, 0, 0, 0x12, 0x34, 0x00, 0x01};
    Bytes icmpIn =
        Packet6(NH_ROUTING, 64, N0, "fc00:1::1", {Srh(NH_ICMPV6, 0, {"fc00:1::1"}), echo});

    CHECK(s.Feed(udpIn));
    CHECK(s.Feed(tcpIn));
    CHECK(s.Feed(icmpIn));
    CHECK(s.cap.forwarded.empty());
    REQUIRE(s.cap.delivered.size() == 1);
    CHECK(s.cap.delivered[0].first == icmpIn);
    CHECK(s.cap.drops ==
          std::vector<std::string>{"upper-layer-not-allowed", "upper-layer-not-allowed"});
    Srv6SidCounters c = s.table->GetCounters(Ipv6Address("fc00:1::1"));
    CHECK(c.packets == 3);
    CHECK(c.forwarded == 1);
    CHECK(c.drops == std::map<std::string, uint64_t>{{"upper-layer-not-allowed", 2}});

    s.Run();
    std::vector<Bytes> errors = s.icmp.Errors();
    REQUIRE(errors.size() == 2);
    // Type 4 Parameter Problem, code 4 (SR Upper-layer Header Error), pointer to the upper
    // layer: 40 + 24 bytes of SRH.
    CheckIcmpError(errors[0], 4, 4, 64, udpIn);
    CheckIcmpError(errors[1], 4, 4, 64, tcpIn);
}

TEST_CASE("End with Hop Limit 1 sends Time Exceeded and drops", "[srv6-behaviour]")
{
    Srv6Line s;
    s.table->AddSid(Sid("fc00:1::1", Srv6Behavior::END));
    Bytes in = Packet6(NH_ROUTING,
                       1,
                       N0,
                       "fc00:1::1",
                       {Srh(NH_UDP, 1, {N2, "fc00:1::1"}), Udp(1, 2, Data(4))});
    CHECK(s.Feed(in));
    CHECK(s.cap.forwarded.empty());
    CHECK(s.cap.drops == std::vector<std::string>{"hop-limit"});
    CHECK(s.table->GetCounters(Ipv6Address("fc00:1::1")).drops ==
          std::map<std::string, uint64_t>{{"hop-limit", 1}});
    s.Run();
    std::vector<Bytes> errors = s.icmp.Errors();
    REQUIRE(errors.size() == 1);
    CheckIcmpError(errors[0], 3, 0, 0, in); // Time Exceeded, hop limit exceeded in transit
}

TEST_CASE("Segments Left above Last Entry + 1 is a Parameter Problem at the Segments Left field",
          "[srv6-behaviour]")
{
    Srv6Line s;
    s.table->AddSid(Sid("fc00:1::1", Srv6Behavior::END));
    // Two segments (Last Entry 1) and Segments Left 3.
    Bytes in = Packet6(NH_ROUTING,
                       64,
                       N0,
                       "fc00:1::1",
                       {Srh(NH_UDP, 3, {N2, "fc00:1::1"}), Udp(1, 2, Data(4))});
    CHECK(s.Feed(in));
    CHECK(s.cap.forwarded.empty());
    CHECK(s.cap.drops == std::vector<std::string>{"segments-left-exceeds-last-entry"});
    Srv6SidCounters c = s.table->GetCounters(Ipv6Address("fc00:1::1"));
    CHECK(c.packets == 1);
    CHECK(c.drops == std::map<std::string, uint64_t>{{"segments-left-exceeds-last-entry", 1}});
    s.Run();
    std::vector<Bytes> errors = s.icmp.Errors();
    REQUIRE(errors.size() == 1);
    CheckIcmpError(errors[0], 4, 0, 43, in);
}

// ===========================================================================================
// End.X, End.T, End.DX6, End.DT6, USD

TEST_CASE("End.X forwards to its adjacency whatever the FIB says", "[srv6-behaviour]")
{
    Srv6Line s;
    Srv6SidConfig x = Sid("fc00:1::10", Srv6Behavior::END_X);
    x.interface = s.IfTowardsNode2();
    x.nextHop = Ipv6Address(L1B);
    s.table->AddSid(x);
    // The next segment is node 0, which the FIB would reach over link 0.
    Bytes udp = Udp(1000, 2000, Data(10));
    std::vector<const char*> list = {"fd00::7", N0, "fc00:1::10"};
    Bytes in = Packet6(NH_ROUTING, 64, N0, "fc00:1::10", {Srh(NH_UDP, 2, list), udp});
    CHECK(s.Feed(in));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == Packet6(NH_ROUTING, 64, N0, N0, {Srh(NH_UDP, 1, list), udp}));
    CHECK(s.cap.forwarded[0].route->GetOutputDevice() == s.TowardsNode2());
    CHECK(s.cap.forwarded[0].route->GetGateway() == Ipv6Address(L1B));
    CHECK(s.table->GetCounters(Ipv6Address("fc00:1::10")).forwarded == 1);
}

TEST_CASE("End.T looks the next segment up in its own table or in the node's FIB",
          "[srv6-behaviour]")
{
    Srv6Line s;
    Ptr<AisfcRouting> vrf = CreateObject<AisfcRouting>();
    vrf->AddRoute(Ipv6Address("fc00:99::"), 64, s.IfTowardsNode2(), Ipv6Address(L1B));
    s.table->AddTable(7, vrf);
    Srv6SidConfig t7 = Sid("fc00:1::7", Srv6Behavior::END_T);
    t7.table = 7;
    s.table->AddSid(t7);
    s.table->AddSid(Sid("fc00:1::70", Srv6Behavior::END_T)); // table 0
    Bytes udp = Udp(1000, 2000, Data(10));

    // Table 7 knows fc00:99::/64, the node's FIB does not.
    std::vector<const char*> list = {"fd00::7", "fc00:99::5", "fc00:1::7"};
    CHECK(s.Feed(Packet6(NH_ROUTING, 64, N0, "fc00:1::7", {Srh(NH_UDP, 2, list), udp})));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes ==
          Packet6(NH_ROUTING, 64, N0, "fc00:99::5", {Srh(NH_UDP, 1, list), udp}));
    s.CheckTowardsNode2(s.cap.forwarded[0]);

    // Table 7 does not know node 0's address: no route.
    s.cap.Clear();
    std::vector<const char*> list2 = {"fd00::7", N0, "fc00:1::7"};
    CHECK(s.Feed(Packet6(NH_ROUTING, 64, N0, "fc00:1::7", {Srh(NH_UDP, 2, list2), udp})));
    CHECK(s.cap.forwarded.empty());
    CHECK(s.cap.drops == std::vector<std::string>{"no-route"});

    // Table 0 is the node's FIB: node 0 over link 0; fc00:99::5 unknown.
    s.cap.Clear();
    std::vector<const char*> list3 = {"fd00::7", N0, "fc00:1::70"};
    CHECK(s.Feed(Packet6(NH_ROUTING, 64, N0, "fc00:1::70", {Srh(NH_UDP, 2, list3), udp})));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes ==
          Packet6(NH_ROUTING, 64, N0, N0, {Srh(NH_UDP, 1, list3), udp}));
    s.CheckTowardsNode0(s.cap.forwarded[0]);
    s.cap.Clear();
    std::vector<const char*> list4 = {"fd00::7", "fc00:99::5", "fc00:1::70"};
    CHECK(s.Feed(Packet6(NH_ROUTING, 64, N0, "fc00:1::70", {Srh(NH_UDP, 2, list4), udp})));
    CHECK(s.cap.forwarded.empty());
    CHECK(s.cap.drops == std::vector<std::string>{"no-route"});
}

TEST_CASE("End.DX6 decapsulates to exactly the inner packet on its adjacency", "[srv6-behaviour]")
{
    Srv6Line s;
    Srv6SidConfig dx = Sid("fc00:1::d6", Srv6Behavior::END_DX6);
    dx.interface = s.IfTowardsNode2();
    dx.nextHop = Ipv6Address(L1B);
    s.table->AddSid(dx);
    Bytes inner =
        Packet6(NH_UDP, 33, "fd00:a::1", "fd00:b::1", {Udp(4000, 5000, Data(30))}, 0xab, 0x12345);

    Bytes in = Packet6(NH_ROUTING, 60, N0, "fc00:1::d6", {Srh(NH_IPV6, 0, {"fc00:1::d6"}), inner});
    CHECK(s.Feed(in));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == inner);
    CHECK(s.cap.forwarded[0].route->GetOutputDevice() == s.TowardsNode2());
    CHECK(s.cap.forwarded[0].route->GetGateway() == Ipv6Address(L1B));

    // Without an SRH (reduced encapsulation to a single SID) likewise.
    s.cap.Clear();
    CHECK(s.Feed(Packet6(NH_IPV6, 60, N0, "fc00:1::d6", {inner})));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == inner);

    // Segments Left 1: not the last segment.
    s.cap.Clear();
    Bytes notLast =
        Packet6(NH_ROUTING, 60, N0, "fc00:1::d6", {Srh(NH_IPV6, 1, {N2, "fc00:1::d6"}), inner});
    CHECK(s.Feed(notLast));
    CHECK(s.cap.forwarded.empty());
    CHECK(s.cap.drops == std::vector<std::string>{"segments-left-not-zero"});
    Srv6SidCounters c = s.table->GetCounters(Ipv6Address("fc00:1::d6"));
    CHECK(c.packets == 3);
    CHECK(c.forwarded == 2);
    CHECK(c.drops == std::map<std::string, uint64_t>{{"segments-left-not-zero", 1}});
    s.Run();
    std::vector<Bytes> errors = s.icmp.Errors();
    REQUIRE(errors.size() == 1);
    CheckIcmpError(errors[0], 4, 0, 43, notLast);
}

TEST_CASE("End.DT6 decapsulates and looks the inner packet up in its table", "[srv6-behaviour]")
{
    Srv6Line s;
    Ptr<AisfcRouting> vrf = CreateObject<AisfcRouting>();
    vrf->AddRoute(Ipv6Address("fc00:99::"), 64, s.IfTowardsNode2(), Ipv6Address(L1B));
    s.table->AddTable(9, vrf);
    Srv6SidConfig dt = Sid("fc00:1::d9", Srv6Behavior::END_DT6);
    dt.table = 9;
    s.table->AddSid(dt);
    s.table->AddSid(Sid("fc00:1::d0", Srv6Behavior::END_DT6)); // table 0
    Bytes inner = Packet6(NH_UDP, 20, "fd00:a::1", "fc00:99::5", {Udp(4000, 5000, Data(8))});
    Bytes innerToN0 = Packet6(NH_UDP, 20, "fd00:a::1", N0, {Udp(4000, 5000, Data(8))});

    CHECK(s.Feed(
        Packet6(NH_ROUTING, 64, N0, "fc00:1::d9", {Srh(NH_IPV6, 0, {"fc00:1::d9"}), inner})));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == inner);
    s.CheckTowardsNode2(s.cap.forwarded[0]);

    s.cap.Clear();
    CHECK(s.Feed(
        Packet6(NH_ROUTING, 64, N0, "fc00:1::d0", {Srh(NH_IPV6, 0, {"fc00:1::d0"}), innerToN0})));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == innerToN0);
    s.CheckTowardsNode0(s.cap.forwarded[0]);

    // Not IPv6 inside: code 4 at the upper layer.
    s.cap.Clear();
    CHECK(s.Feed(Packet6(NH_ROUTING,
                         64,
                         N0,
                         "fc00:1::d0",
                         {Srh(NH_UDP, 0, {"fc00:1::d0"}), Udp(1, 2, Data(4))})));
    CHECK(s.cap.drops == std::vector<std::string>{"not-ipv6-inner"});
}

TEST_CASE("End with USD at Segments Left 0 decapsulates IPv6 in IPv6", "[srv6-behaviour]")
{
    Srv6Line s;
    s.table->AddSid(Sid("fc00:1::5d", Srv6Behavior::END, Srv6Flavor::USD));
    Bytes inner = Packet6(NH_UDP, 40, "fd00:a::1", N2, {Udp(4000, 5000, Data(12))}, 0, 0xfedcb);
    CHECK(s.Feed(
        Packet6(NH_ROUTING, 64, N0, "fc00:1::5d", {Srh(NH_IPV6, 0, {"fc00:1::5d"}), inner})));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == inner);
    s.CheckTowardsNode2(s.cap.forwarded[0]);

    // With Segments Left 1 USD does nothing: plain End.
    s.cap.Clear();
    std::vector<const char*> list = {N2, "fc00:1::5d"};
    CHECK(s.Feed(Packet6(NH_ROUTING, 64, N0, "fc00:1::5d", {Srh(NH_IPV6, 1, list), inner})));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes ==
          Packet6(NH_ROUTING, 64, N0, N2, {Srh(NH_IPV6, 0, list), inner}));
}

TEST_CASE("End.B6.Encaps advances the SRH then encapsulates with the bound policy",
          "[srv6-behaviour]")
{
    Srv6Line s;
    Srv6Policy policy;
    policy.name = "bsid";
    policy.lists = {{{Ipv6Address(N2), Ipv6Address("fd00:e::2")}, 1}};
    s.table->AddPolicy(policy);
    Srv6SidConfig b6 = Sid("fc00:1::b6", Srv6Behavior::END_B6_ENCAPS);
    b6.policy = "bsid";
    s.table->AddSid(b6);
    Bytes udp = Udp(1000, 2000, Data(11));
    std::vector<const char*> list = {"fd00:d::1", "fc00:1::b6"};
    CHECK(s.Feed(
        Packet6(NH_ROUTING, 64, N0, "fc00:1::b6", {Srh(NH_UDP, 1, list), udp}, 0x20, 0x54321)));
    // RFC 8986 §4.13 S12-S14: the inner packet's Hop Limit is decremented, Segments Left too,
    // and its DA is the next segment; then the outer header (source N1, Hop Limit 64) and SRH.
    Bytes inner =
        Packet6(NH_ROUTING, 63, N0, "fd00:d::1", {Srh(NH_UDP, 0, list), udp}, 0x20, 0x54321);
    Bytes expected =
        Packet6(NH_ROUTING, 64, N1, N2, {Srh(NH_IPV6, 1, {"fd00:e::2", N2}), inner}, 0x20, 0x54321);
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == expected);
    s.CheckTowardsNode2(s.cap.forwarded[0]);
    CHECK(s.table->GetPolicy("bsid")->packetsPerList == std::vector<uint64_t>{1});
}

// ===========================================================================================
// Headend

namespace
{
Srv6Policy
Policy(const std::string& name,
       Srv6HeadendMode mode,
       const std::vector<std::vector<const char*>>& paths,
       const std::vector<uint32_t>& weights = {})
{
    Srv6Policy p;
    p.name = name;
    p.mode = mode;
    for (size_t i = 0; i < paths.size(); ++i)
    {
        Srv6SegmentList l;
        for (const char* a : paths[i])
        {
            l.path.emplace_back(a);
        }
        l.weight = weights.empty() ? 1 : weights[i];
        p.lists.push_back(l);
    }
    return p;
}
} // namespace

TEST_CASE("H.Encaps puts an outer header and an SRH with every segment", "[srv6-behaviour]")
{
    Srv6Line s;
    s.table->AddPolicy(Policy("p", Srv6HeadendMode::ENCAPS, {{N2, "fd00:e::2", "fd00:e::3"}}));
    s.table->SteerPrefix(Ipv6Address("fd00:d::"), 64, "p");
    Bytes in = Packet6(NH_UDP, 50, N0, "fd00:d::1", {Udp(1000, 2000, Data(21))}, 0x10, 0xabcde);
    CHECK(s.Feed(in));
    Bytes expected = Packet6(NH_ROUTING,
                             64,
                             N1,
                             N2,
                             {Srh(NH_IPV6, 2, {"fd00:e::3", "fd00:e::2", N2}), in},
                             0x10,
                             0xabcde);
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == expected);
    s.CheckTowardsNode2(s.cap.forwarded[0]);
    CHECK(s.table->GetPolicy("p")->packetsPerList == std::vector<uint64_t>{1});

    // Not steered: the SID table leaves it to the FIB.
    s.cap.Clear();
    CHECK_FALSE(s.Feed(Packet6(NH_UDP, 50, N0, N2, {Udp(1000, 2000, Data(21))})));
    CHECK(s.cap.Events() == 0);
}

TEST_CASE("H.Encaps.Red leaves the first segment out of the SRH", "[srv6-behaviour]")
{
    Srv6Line s;
    s.table->AddPolicy(Policy("red", Srv6HeadendMode::ENCAPS_RED, {{N2, "fd00:e::2"}}));
    s.table->AddPolicy(Policy("one", Srv6HeadendMode::ENCAPS_RED, {{N2}}));
    s.table->SteerPrefix(Ipv6Address("fd00:d::"), 64, "red");
    s.table->SteerPrefix(Ipv6Address("fd00:d:1::"), 64, "one");
    Bytes in = Packet6(NH_UDP, 50, N0, "fd00:d::1", {Udp(1000, 2000, Data(5))});
    CHECK(s.Feed(in));
    // One segment carried, Segments Left 1 counts the omitted first one.
    Bytes expected = Packet6(NH_ROUTING, 64, N1, N2, {Srh(NH_IPV6, 1, {"fd00:e::2"}), in});
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == expected);

    // A single segment: no SRH at all, Next Header 41.
    s.cap.Clear();
    Bytes in2 = Packet6(NH_UDP, 50, N0, "fd00:d:1::1", {Udp(1000, 2000, Data(5))});
    CHECK(s.Feed(in2));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == Packet6(NH_IPV6, 64, N1, N2, {in2}));
    s.CheckTowardsNode2(s.cap.forwarded[0]);
}

TEST_CASE("H.Insert inserts an SRH whose Segment List[0] is the original destination",
          "[srv6-behaviour]")
{
    Srv6Line s;
    s.table->AddPolicy(Policy("ins", Srv6HeadendMode::INSERT, {{N2, "fd00:e::2"}}));
    s.table->SteerPrefix(Ipv6Address("fd00:d::"), 64, "ins");
    Bytes udp = Udp(1000, 2000, Data(7));
    CHECK(s.Feed(Packet6(NH_UDP, 50, N0, "fd00:d::1", {udp}, 0, 0x11111)));
    Bytes expected = Packet6(NH_ROUTING,
                             50,
                             N0,
                             N2,
                             {Srh(NH_UDP, 2, {"fd00:d::1", "fd00:e::2", N2}), udp},
                             0,
                             0x11111);
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == expected);
    s.CheckTowardsNode2(s.cap.forwarded[0]);
}

TEST_CASE("SteerFlow steers only the matching UDP port", "[srv6-behaviour]")
{
    Srv6Line s;
    s.table->AddPolicy(Policy("flow", Srv6HeadendMode::ENCAPS, {{N2}}));
    Srv6FlowMatch match;
    match.protocol = NH_UDP;
    match.destinationPort = 5001;
    s.table->SteerFlow(match, "flow");
    Bytes hit = Packet6(NH_UDP, 50, N0, "fd00:d::1", {Udp(1000, 5001, Data(5))});
    Bytes miss = Packet6(NH_UDP, 50, N0, "fd00:d::1", {Udp(1000, 5002, Data(5))});
    Bytes tcp = Packet6(NH_TCP, 50, N0, "fd00:d::1", {Udp(1000, 5001, Data(5))});
    CHECK(s.Feed(hit));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes ==
          Packet6(NH_ROUTING, 64, N1, N2, {Srh(NH_IPV6, 0, {N2}), hit}));
    CHECK_FALSE(s.Feed(miss));
    CHECK_FALSE(s.Feed(tcp));
    CHECK(s.cap.Events() == 1);
    CHECK(s.table->GetPolicy("flow")->packetsPerList == std::vector<uint64_t>{1});
}

TEST_CASE("weighted segment lists share flows by weight and keep each flow on one list",
          "[srv6-behaviour]")
{
    Srv6Line s;
    // List 0 (weight 3) heads for node 2, list 1 (weight 1) for node 0.
    s.table->AddPolicy(
        Policy("w", Srv6HeadendMode::ENCAPS_RED, {{N2, "fd00:e::1"}, {N0, "fd00:e::1"}}, {3, 1}));
    s.table->SteerPrefix(Ipv6Address("fd00:d::"), 64, "w");
    auto outerDestination = [&s]() {
        Bytes b = s.cap.forwarded.back().bytes;
        return Bytes(b.begin() + 24, b.begin() + 40);
    };
    const uint32_t flows = 4000;
    uint32_t toN2 = 0;
    uint32_t toN0 = 0;
    for (uint32_t f = 0; f < flows; ++f)
    {
        REQUIRE(s.Feed(Packet6(NH_UDP, 50, N0, "fd00:d::1", {Udp(10000 + f, 5001, Data(4))})));
        Bytes dst = outerDestination();
        toN2 += dst == AddressBytes(N2);
        toN0 += dst == AddressBytes(N0);
    }
    CHECK(toN2 + toN0 == flows);
    CHECK(double(toN2) / flows == Approx(0.75).margin(0.03));
    CHECK(s.table->GetPolicy("w")->packetsPerList == std::vector<uint64_t>{toN2, toN0});

    // One flow always takes the same list.
    Bytes one = Packet6(NH_UDP, 50, N0, "fd00:d::1", {Udp(4242, 5001, Data(4))});
    REQUIRE(s.Feed(one));
    Bytes first = outerDestination();
    for (int i = 0; i < 200; ++i)
    {
        REQUIRE(s.Feed(one));
        CHECK(outerDestination() == first);
    }

    // New lists apply to the next packet.
    std::vector<Srv6SegmentList> lists = {{{Ipv6Address(N0), Ipv6Address("fd00:e::9")}, 1}};
    CHECK(s.table->SetPolicyLists("w", lists));
    CHECK_FALSE(s.table->SetPolicyLists("nope", lists));
    s.cap.Clear();
    REQUIRE(s.Feed(one));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes ==
          Packet6(NH_ROUTING, 64, N1, N0, {Srh(NH_IPV6, 1, {"fd00:e::9"}), one}));
    s.CheckTowardsNode0(s.cap.forwarded[0]);
}

// ===========================================================================================
// SFC proxies

TEST_CASE("End.AD strips to the service function and restores the cached headers on return",
          "[srv6-behaviour]")
{
    Srv6Line s;
    Srv6SidConfig ad = Sid("fc00:1::ad", Srv6Behavior::END_AD);
    ad.interface = s.IfTowardsNode2();
    ad.nextHop = Ipv6Address(L1B);
    s.table->AddSid(ad);
    Bytes inner = Packet6(NH_UDP, 30, "fd00:a::1", "fd00:b::1", {Udp(4000, 5000, Data(17))});
    std::vector<const char*> list = {"fd00:b::100", N0, "fc00:1::ad"};
    Bytes in = Packet6(NH_ROUTING, 64, N2, "fc00:1::ad", {Srh(NH_IPV6, 2, list, 0, 0x77), inner});

    // Ingress: the inner packet, bytes intact, to the function's adjacency.
    CHECK(s.Feed(in));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == inner);
    CHECK(s.cap.forwarded[0].route->GetOutputDevice() == s.TowardsNode2());
    CHECK(s.cap.forwarded[0].route->GetGateway() == Ipv6Address(L1B));
    Srv6SidCounters c = s.table->GetCounters(Ipv6Address("fc00:1::ad"));
    CHECK(c.proxyToFunction == 1);
    CHECK(c.cacheEntries == 1);

    // Return on the function's interface (the function lowered the Hop Limit): outer header and
    // SRH as they were after the SRH update (SL 1, DA node 0), around the returned packet.
    s.cap.Clear();
    Bytes back = Packet6(NH_UDP, 29, "fd00:a::1", "fd00:b::1", {Udp(4000, 5000, Data(17))});
    CHECK(s.Feed(back, s.TowardsNode2()));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes ==
          Packet6(NH_ROUTING, 64, N2, N0, {Srh(NH_IPV6, 1, list, 0, 0x77), back}));
    s.CheckTowardsNode0(s.cap.forwarded[0]);
    c = s.table->GetCounters(Ipv6Address("fc00:1::ad"));
    CHECK(c.proxyFromFunction == 1);
    CHECK(c.packets == 1);
    CHECK(c.Dropped() == 0);
}

namespace
{
struct FlowProxyRun
{
    Srv6Line* s;

    Bytes Inner(uint16_t sport, uint8_t hopLimit = 30) const
    {
        return Packet6(NH_UDP, hopLimit, "fd00:a::1", "fd00:b::1", {Udp(sport, 5000, Data(6))});
    }

    Bytes Outer(uint16_t sport) const
    {
        return Packet6(NH_ROUTING,
                       64,
                       N2,
                       "fc00:1::af",
                       {Srh(NH_IPV6, 1, {N0, "fc00:1::af"}, 0, sport), Inner(sport)});
    }

    void Ingress(uint16_t sport)
    {
        s->Feed(Outer(sport));
    }

    void Return(uint16_t sport)
    {
        s->Feed(Inner(sport, 29), s->TowardsNode2());
    }
};
} // namespace

TEST_CASE("End.AD.flow caches per flow and evicts the least recently used", "[srv6-behaviour]")
{
    Srv6Line s;
    Srv6SidConfig af = Sid("fc00:1::af", Srv6Behavior::END_AD_FLOW);
    af.interface = s.IfTowardsNode2();
    af.nextHop = Ipv6Address(L1B);
    af.cacheSize = 2;
    s.table->AddSid(af);
    FlowProxyRun run{&s};
    // Flow 3000 first, then 1000; flow 3000 returns (used again), then 2000 comes: 1000 is the
    // least recently used (although 3000 came first and 1000 is lowest in key order).
    Simulator::Schedule(Seconds(1), &FlowProxyRun::Ingress, &run, 3000);
    Simulator::Schedule(Seconds(2), &FlowProxyRun::Ingress, &run, 1000);
    Simulator::Schedule(Seconds(3), &FlowProxyRun::Return, &run, 3000);
    Simulator::Schedule(Seconds(4), &FlowProxyRun::Ingress, &run, 2000);
    Simulator::Schedule(Seconds(5), &FlowProxyRun::Return, &run, 1000);
    Simulator::Schedule(Seconds(6), &FlowProxyRun::Return, &run, 2000);
    Simulator::Schedule(Seconds(7), &FlowProxyRun::Return, &run, 3000);
    s.Run(10);

    REQUIRE(s.cap.forwarded.size() == 6); // 3 to the function, 3 restored
    CHECK(s.cap.forwarded[0].bytes == run.Inner(3000));
    CHECK(s.cap.forwarded[1].bytes == run.Inner(1000));
    auto restored = [&run](uint16_t sport) {
        return Packet6(NH_ROUTING,
                       64,
                       N2,
                       N0,
                       {Srh(NH_IPV6, 0, {N0, "fc00:1::af"}, 0, sport), run.Inner(sport, 29)});
    };
    CHECK(s.cap.forwarded[2].bytes == restored(3000));
    CHECK(s.cap.forwarded[3].bytes == run.Inner(2000));
    CHECK(s.cap.forwarded[4].bytes == restored(2000)); // each flow gets its own headers back
    CHECK(s.cap.forwarded[5].bytes == restored(3000));
    CHECK(s.cap.drops == std::vector<std::string>{"proxy-cache-miss"});
    Srv6SidCounters c = s.table->GetCounters(Ipv6Address("fc00:1::af"));
    CHECK(c.cacheEvictions == 1);
    CHECK(c.cacheEntries == 2);
    CHECK(c.proxyToFunction == 3);
    CHECK(c.proxyFromFunction == 4);
    CHECK(c.drops == std::map<std::string, uint64_t>{{"proxy-cache-miss", 1}});
}

TEST_CASE("End.AD.flow by destination serves a transparent proxy and leaves its ACKs to routing",
          "[srv6-behaviour]")
{
    // A transparent TCP proxy (a neural service function) answers the previous hop itself and
    // opens its own connection to the same destination: the cache is keyed by the inner
    // destination, and what matches no entry is routed like any packet.
    Srv6Line s;
    Srv6SidConfig af = Sid("fc00:1::af", Srv6Behavior::END_AD_FLOW);
    af.interface = s.IfTowardsNode2();
    af.nextHop = Ipv6Address(L1B);
    af.proxyByDestination = true;
    s.table->AddSid(af);
    FlowProxyRun run{&s};
    // The function's own connection: another source and port, the chain's destination.
    Bytes own = Packet6(NH_UDP, 29, "fd00:c::9", "fd00:b::1", {Udp(4444, 5000, Data(6))});
    // Its acknowledgement to the previous hop (node 0), from the chain's destination address.
    Bytes ack = Packet6(NH_UDP, 29, "fd00:b::1", N0, {Udp(5000, 3000, Data(6))});
    Simulator::Schedule(Seconds(1), &FlowProxyRun::Ingress, &run, 3000);
    Simulator::Schedule(Seconds(2), [&]() { s.Feed(own, s.TowardsNode2()); });
    bool ackTaken = true;
    Simulator::Schedule(Seconds(3), [&]() { ackTaken = s.Feed(ack, s.TowardsNode2()); });
    s.Run(10);

    // The ACK is not the proxy's: the SID table declines it, so the node's steering and FIB
    // route it as any packet (towards node 0).
    CHECK_FALSE(ackTaken);
    REQUIRE(s.cap.forwarded.size() == 2);
    CHECK(s.cap.forwarded[0].bytes == run.Inner(3000));
    CHECK(s.cap.forwarded[1].bytes ==
          Packet6(NH_ROUTING, 64, N2, N0, {Srh(NH_IPV6, 0, {N0, "fc00:1::af"}, 0, 3000), own}));
    CHECK(s.cap.drops.empty());
    Srv6SidCounters c = s.table->GetCounters(Ipv6Address("fc00:1::af"));
    CHECK(c.proxyToFunction == 1);
    CHECK(c.proxyFromFunction == 2);
    CHECK(c.cacheEntries == 1);
}

TEST_CASE("End.AS re-encapsulates returning packets with its configured segments",
          "[srv6-behaviour]")
{
    Srv6Line s;
    Srv6SidConfig as = Sid("fc00:1::a5", Srv6Behavior::END_AS);
    as.interface = s.IfTowardsNode2();
    as.nextHop = Ipv6Address(L1B);
    as.proxySource = Ipv6Address("fd00:a5::1");
    as.proxyPath = {Ipv6Address(N0), Ipv6Address("fd00:b::100")};
    s.table->AddSid(as);
    Bytes inner = Packet6(NH_UDP, 30, "fd00:a::1", "fd00:b::1", {Udp(4000, 5000, Data(9))});
    CHECK(s.Feed(Packet6(NH_ROUTING,
                         64,
                         N2,
                         "fc00:1::a5",
                         {Srh(NH_IPV6, 1, {"fd00:b::100", "fc00:1::a5"}), inner})));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == inner);
    CHECK(s.cap.forwarded[0].route->GetOutputDevice() == s.TowardsNode2());

    s.cap.Clear();
    Bytes back = Packet6(NH_UDP, 29, "fd00:a::1", "fd00:b::1", {Udp(4000, 5000, Data(9))}, 0, 0x3);
    CHECK(s.Feed(back, s.TowardsNode2()));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == Packet6(NH_ROUTING,
                                              64,
                                              "fd00:a5::1",
                                              N0,
                                              {Srh(NH_IPV6, 1, {"fd00:b::100", N0}), back},
                                              0,
                                              0x3));
    s.CheckTowardsNode0(s.cap.forwarded[0]);
}

TEST_CASE("End.AM masquerades on the way in and advances the SRH on the way back",
          "[srv6-behaviour]")
{
    Srv6Line s;
    Srv6SidConfig am = Sid("fc00:1::a3", Srv6Behavior::END_AM);
    am.interface = s.IfTowardsNode2();
    am.nextHop = Ipv6Address(L1B);
    s.table->AddSid(am);
    Bytes udp = Udp(4000, 5000, Data(14));
    std::vector<const char*> list = {"fd00:b::1", N0, "fc00:1::a3"};
    CHECK(s.Feed(Packet6(NH_ROUTING, 64, N2, "fc00:1::a3", {Srh(NH_UDP, 2, list), udp})));
    // DA = Segment List[0], Segments Left still 2.
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes ==
          Packet6(NH_ROUTING, 64, N2, "fd00:b::1", {Srh(NH_UDP, 2, list), udp}));
    CHECK(s.cap.forwarded[0].route->GetOutputDevice() == s.TowardsNode2());
    CHECK(s.cap.forwarded[0].route->GetGateway() == Ipv6Address(L1B));

    // Back from the function (Hop Limit lowered): SL 1, DA = Segment List[1] = node 0.
    s.cap.Clear();
    CHECK(s.Feed(Packet6(NH_ROUTING, 63, N2, "fd00:b::1", {Srh(NH_UDP, 2, list), udp}),
                 s.TowardsNode2()));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes == Packet6(NH_ROUTING, 63, N2, N0, {Srh(NH_UDP, 1, list), udp}));
    s.CheckTowardsNode0(s.cap.forwarded[0]);
    Srv6SidCounters c = s.table->GetCounters(Ipv6Address("fc00:1::a3"));
    CHECK(c.proxyToFunction == 1);
    CHECK(c.proxyFromFunction == 1);
}

// ===========================================================================================
// Malformed and random SRHs

TEST_CASE("malformed SRHs at a SID are dropped as malformed-srh with a Parameter Problem",
          "[srv6-behaviour]")
{
    Srv6Line s;
    s.table->AddSid(Sid("fc00:1::1", Srv6Behavior::END));
    Bytes udp = Udp(1, 2, Data(4));
    // Hdr Ext Len 4 (40 bytes) but only 24 bytes of SRH and nothing after: truncated.
    Bytes srh = Srh(NH_UDP, 0, {"fc00:1::1"});
    srh[1] = 4;
    Bytes truncated = Packet6(NH_ROUTING, 64, N0, "fc00:1::1", {srh});
    // Hdr Ext Len 2 (one segment) but Last Entry 3.
    Bytes le = Srh(NH_UDP, 1, {N2, "fc00:1::1"});
    le[1] = 2;
    le[4] = 3;
    Bytes lastEntry = Packet6(NH_ROUTING, 64, N0, "fc00:1::1", {le, udp});
    // A PadN TLV of length 10 in an 8-byte TLV area.
    Bytes badTlv =
        Packet6(NH_ROUTING,
                64,
                N0,
                "fc00:1::1",
                {Srh(NH_UDP, 1, {N2, "fc00:1::1"}, 0, 0, {4, 10, 0, 0, 0, 0, 0, 0}), udp});

    CHECK(s.Feed(truncated));
    CHECK(s.Feed(lastEntry));
    CHECK(s.Feed(badTlv));
    CHECK(s.cap.forwarded.empty());
    CHECK(s.cap.delivered.empty());
    CHECK(s.cap.drops == std::vector<std::string>(3, "malformed-srh"));
    Srv6SidCounters c = s.table->GetCounters(Ipv6Address("fc00:1::1"));
    CHECK(c.packets == 3);
    CHECK(c.forwarded == 0);
    CHECK(c.drops == std::map<std::string, uint64_t>{{"malformed-srh", 3}});

    s.Run();
    std::vector<Bytes> errors = s.icmp.Errors();
    REQUIRE(errors.size() == 3);
    CheckIcmpError(errors[0], 4, 0, 41, truncated);   // Hdr Ext Len
    CheckIcmpError(errors[1], 4, 0, 44, lastEntry);   // Last Entry
    CheckIcmpError(errors[2], 4, 0, 40 + 41, badTlv); // the TLV's Length (SRH offset 41)
}

TEST_CASE("random bytes after an IPv6 header at a SID never crash and always end somewhere",
          "[srv6-behaviour]")
{
    Srv6Line s;
    std::vector<const char*> sids = {"fc00:1::1",
                                     "fc00:1::2",
                                     "fc00:1::10",
                                     "fc00:1::d6",
                                     "fc00:1::d0",
                                     "fc00:1::b6",
                                     "fc00:1::af",
                                     "fc00:1::a3"};
    s.table->AddSid(Sid(sids[0], Srv6Behavior::END));
    s.table->AddSid(Sid(sids[1], Srv6Behavior::END, Srv6Flavor::PSP | Srv6Flavor::USD));
    Srv6SidConfig x = Sid(sids[2], Srv6Behavior::END_X);
    x.interface = s.IfTowardsNode2();
    x.nextHop = Ipv6Address(L1B);
    s.table->AddSid(x);
    Srv6SidConfig dx = Sid(sids[3], Srv6Behavior::END_DX6);
    dx.interface = s.IfTowardsNode2();
    dx.nextHop = Ipv6Address(L1B);
    s.table->AddSid(dx);
    s.table->AddSid(Sid(sids[4], Srv6Behavior::END_DT6));
    s.table->AddPolicy(Policy("bsid", Srv6HeadendMode::ENCAPS, {{N2, "fd00:e::2"}}));
    Srv6SidConfig b6 = Sid(sids[5], Srv6Behavior::END_B6_ENCAPS);
    b6.policy = "bsid";
    s.table->AddSid(b6);
    Srv6SidConfig af = Sid(sids[6], Srv6Behavior::END_AD_FLOW);
    af.interface = s.IfTowardsNode2();
    af.nextHop = Ipv6Address(L1B);
    af.cacheSize = 4;
    s.table->AddSid(af);
    Srv6SidConfig am = Sid(sids[7], Srv6Behavior::END_AM);
    am.interface = s.IfTowardsNode2();
    am.nextHop = Ipv6Address(L1B);
    s.table->AddSid(am);

    std::mt19937 rng(8754);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> length(0, 300);
    uint32_t silent = 0;
    for (int i = 0; i < 2000; ++i)
    {
        Bytes body(length(rng));
        for (uint8_t& b : body)
        {
            b = byte(rng);
        }
        if (i % 2 == 1 && body.size() >= 8)
        {
            // Half look like SRHs, so that parsing gets past the first checks.
            body[1] = byte(rng) % (body.size() / 8 + 1);
            body[2] = 4;
            body[3] = byte(rng) % 4;
            body[4] = byte(rng) % 4;
            if (i % 4 == 1)
            {
                body[0] = std::vector<uint8_t>{NH_UDP, NH_IPV6, NH_ICMPV6, 59}[byte(rng) % 4];
            }
        }
        const char* sid = sids[i % sids.size()];
        Bytes wire = Concat({Ip6(body.size(), NH_ROUTING, 64, N0, sid), body});
        size_t before = s.cap.Events();
        CHECK(s.Feed(wire));
        silent += s.cap.Events() == before;
    }
    CHECK(silent == 0);
    uint64_t packets = 0;
    for (const char* sid : sids)
    {
        Srv6SidCounters c = s.table->GetCounters(Ipv6Address(sid));
        INFO(sid);
        CHECK(c.packets == 2000 / sids.size());
        CHECK(c.packets == c.forwarded + c.Dropped());
        for (const auto& [reason, count] : c.drops)
        {
            CHECK_FALSE(reason.empty());
        }
        packets += c.packets;
    }
    CHECK(packets == 2000);
}

// ===========================================================================================
// SR domain boundary

TEST_CASE("the SR domain edge drops SRv6 from outside unless its HMAC verifies", "[srv6-behaviour]")
{
    Srv6Line s;
    s.table->AddSid(Sid("fc00:1::1", Srv6Behavior::END));
    s.table->SetExternalInterface(s.IfFromNode0());
    s.table->SetDomainSidBlock(Ipv6Address("fc00::"), 16);
    Bytes udp = Udp(1000, 2000, Data(8));
    std::vector<const char*> list = {"fd00::9", N2, "fc00:1::1"};
    Bytes in = Packet6(NH_ROUTING, 64, N0, "fc00:1::1", {Srh(NH_UDP, 2, list), udp});

    CHECK(s.Feed(in));
    CHECK(s.cap.forwarded.empty());
    CHECK(s.cap.drops == std::vector<std::string>{"boundary-drop"});
    CHECK(s.table->GetNodeCounters().at("boundary-drop") == 1);
    CHECK(s.table->GetCounters(Ipv6Address("fc00:1::1")).packets == 0);
    // To the SID block without an SRH: dropped too.
    CHECK(s.Feed(Packet6(NH_UDP, 64, N0, "fc00:1::1", {udp})));
    CHECK(s.table->GetNodeCounters().at("boundary-drop") == 2);
    // Plain traffic passes to the FIB; from inside the domain the SID works.
    CHECK_FALSE(s.Feed(Packet6(NH_UDP, 64, N0, N2, {udp})));
    s.cap.Clear();
    CHECK(s.Feed(in, s.TowardsNode2()));
    REQUIRE(s.cap.forwarded.size() == 1);

    // With HMAC verification: a signed SRH gets in, a wrong HMAC does not.
    std::vector<uint8_t> key = {'s', 'e', 'c', 'r', 'e', 't'};
    s.table->SetVerifyHmacAtIngress(true);
    s.table->AddHmacKey(7, key);
    Srv6SegmentRoutingHeader h;
    h.SetSegments({Ipv6Address("fd00::9"), Ipv6Address(N2), Ipv6Address("fc00:1::1")});
    h.Sign(key, Ipv6Address(N0), 7);
    Bytes hmac = h.GetHmac()->hmac;
    REQUIRE(hmac.size() == 32);
    Bytes tlv = Concat({{5, 38, 0, 0, 0, 0, 0, 7}, hmac}); // HMAC TLV, Key ID 7
    Bytes signedIn =
        Packet6(NH_ROUTING, 64, N0, "fc00:1::1", {Srh(NH_UDP, 2, list, 0, 0, tlv), udp});
    Bytes wrongTlv = tlv;
    wrongTlv.back() ^= 1;
    Bytes wrongIn =
        Packet6(NH_ROUTING, 64, N0, "fc00:1::1", {Srh(NH_UDP, 2, list, 0, 0, wrongTlv), udp});

    s.cap.Clear();
    CHECK(s.Feed(signedIn));
    REQUIRE(s.cap.forwarded.size() == 1);
    CHECK(s.cap.forwarded[0].bytes ==
          Packet6(NH_ROUTING, 64, N0, N2, {Srh(NH_UDP, 1, list, 0, 0, tlv), udp}));
    CHECK(s.table->GetNodeCounters().at("hmac-verified") == 1);

    s.cap.Clear();
    CHECK(s.Feed(wrongIn));
    CHECK(s.cap.forwarded.empty());
    CHECK(s.cap.drops == std::vector<std::string>{"hmac-invalid"});
    CHECK(s.table->GetNodeCounters().at("hmac-invalid") == 1);
    // Unsigned: missing.
    s.cap.Clear();
    CHECK(s.Feed(in));
    CHECK(s.cap.drops == std::vector<std::string>{"hmac-missing"});
    CHECK(s.table->GetNodeCounters().at("boundary-drop") == 2);
    CHECK(s.table->GetCounters(Ipv6Address("fc00:1::1")).packets == 2);
}

// ===========================================================================================
// Srv6ExtensionRouting: local delivery of routing headers (ns-3.37 regressions)

namespace
{
/// line:3, node 0 sends hand-built packets to node 2's address, a UDP socket on node 2.
struct DeliveryLine
{
    static constexpr uint16_t PORT = 6000;
    AisfcNetworkBuilder net;
    Ptr<Socket> sink;
    std::vector<Bytes> received;
    IcmpCapture icmp;
    uint32_t forwardedAt2 = 0;
    std::vector<Ipv6L3Protocol::DropReason> dropsAt2;
    std::vector<Bytes> rxAt2; // whole IPv6 packets as they arrive at node 2

    explicit DeliveryLine(bool install = true)
        : net(LoadTopology("line:3", TopologyOptions()), NetworkOptions())
    {
        for (uint32_t i = 0; i < 3 && install; ++i)
        {
            Srv6ExtensionRouting::Install(net.GetNode(i));
        }
        sink = Socket::CreateSocket(net.GetNode(2), UdpSocketFactory::GetTypeId());
        REQUIRE(sink->Bind(Inet6SocketAddress(Ipv6Address::GetAny(), PORT)) == 0);
        sink->SetRecvCallback(MakeCallback(&DeliveryLine::OnRecv, this));
        net.GetNode(0)->GetObject<Ipv6L3Protocol>()->TraceConnectWithoutContext(
            "LocalDeliver",
            MakeCallback(&IcmpCapture::OnLocalDeliver, &icmp));
        Ptr<Ipv6L3Protocol> l3 = net.GetNode(2)->GetObject<Ipv6L3Protocol>();
        l3->TraceConnectWithoutContext("UnicastForward",
                                       MakeCallback(&DeliveryLine::OnForward, this));
        l3->TraceConnectWithoutContext("Drop", MakeCallback(&DeliveryLine::OnDrop, this));
        l3->TraceConnectWithoutContext("Rx", MakeCallback(&DeliveryLine::OnRx, this));
    }

    void OnRx(Ptr<const Packet> p, Ptr<Ipv6>, uint32_t)
    {
        rxAt2.push_back(ToBytes(p));
    }

    ~DeliveryLine()
    {
        Simulator::Destroy();
    }

    void OnRecv(Ptr<Socket> socket)
    {
        while (Ptr<Packet> p = socket->Recv())
        {
            received.push_back(ToBytes(p));
        }
    }

    void OnForward(const Ipv6Header&, Ptr<const Packet>, uint32_t)
    {
        ++forwardedAt2;
    }

    void OnDrop(const Ipv6Header&,
                Ptr<const Packet>,
                Ipv6L3Protocol::DropReason reason,
                Ptr<Ipv6>,
                uint32_t)
    {
        dropsAt2.push_back(reason);
    }

    /// Send from node 0 to node 2: an IPv6 header with `nextHeader`, then `payload`.
    void Send(uint8_t nextHeader, const Bytes& payload)
    {
        Ptr<Ipv6L3Protocol> l3 = net.GetNode(0)->GetObject<Ipv6L3Protocol>();
        Ptr<Packet> p = Create<Packet>(payload.data(), payload.size());
        Simulator::Schedule(Seconds(1), [l3, p, nextHeader]() {
            l3->Send(p, Ipv6Address(N0), Ipv6Address(N2), nextHeader, nullptr);
        });
        Simulator::Stop(Seconds(3));
        Simulator::Run();
    }
};
} // namespace

TEST_CASE("local delivery: Hop-by-Hop then an SRH with Segments Left 0 reaches the socket",
          "[srv6-behaviour]")
{
    DeliveryLine d;
    Bytes data = Data(40, 3);
    Bytes hopByHop = {NH_ROUTING, 0, 1, 4, 0, 0, 0, 0}; // PadN of 4
    d.Send(
        0,
        Concat({hopByHop, Srh(NH_UDP, 0, {N2, "fd00::1"}), Udp(1234, DeliveryLine::PORT, data)}));
    REQUIRE(d.received.size() == 1);
    CHECK(d.received[0] == data);
    CHECK(d.icmp.Errors().empty());
}

TEST_CASE("local delivery: a routing header of unknown type with Segments Left 0 is skipped",
          "[srv6-behaviour]")
{
    DeliveryLine d;
    Bytes data = Data(25, 5);
    Bytes type5 = Concat({{NH_UDP, 2, 5, 0, 0, 0, 0, 0}, AddressBytes("fd00::1")}); // 24 bytes
    d.Send(NH_ROUTING, Concat({type5, Udp(1234, DeliveryLine::PORT, data)}));
    REQUIRE(d.received.size() == 1);
    CHECK(d.received[0] == data);
}

TEST_CASE("local delivery: an SRH of 20 segments (over 255 bytes) with Segments Left 0",
          "[srv6-behaviour]")
{
    DeliveryLine d;
    std::vector<std::string> names;
    for (int i = 0; i < 20; ++i)
    {
        names.push_back("fd00:20::" + std::to_string(i + 1));
    }
    std::vector<const char*> list;
    for (const std::string& n : names)
    {
        list.push_back(n.c_str());
    }
    Bytes srh = Srh(NH_UDP, 0, list);
    REQUIRE(srh.size() == 328);
    Bytes data = Data(100, 9);
    d.Send(NH_ROUTING, Concat({srh, Udp(1234, DeliveryLine::PORT, data)}));
    REQUIRE(d.received.size() == 1);
    CHECK(d.received[0] == data);
}

TEST_CASE("local delivery: a type 0 routing header with Segments Left 1 is refused",
          "[srv6-behaviour]")
{
    DeliveryLine d;
    Bytes type0 = Concat({{NH_UDP, 2, 0, 1, 0, 0, 0, 0}, AddressBytes(N0)});
    Bytes udp = Udp(1234, DeliveryLine::PORT, Data(10));
    d.Send(NH_ROUTING, Concat({type0, udp}));
    CHECK(d.received.empty());
    CHECK(d.forwardedAt2 == 0);
    CHECK(d.dropsAt2 ==
          std::vector<Ipv6L3Protocol::DropReason>{Ipv6L3Protocol::DROP_MALFORMED_HEADER});
    std::vector<Bytes> errors = d.icmp.Errors();
    REQUIRE(errors.size() == 1);
    // Parameter Problem code 0 at the Routing Type; node 1 lowered the Hop Limit to 63, and
    // ns-3's Ipv6Header starts with Flow Label 1.
    CheckIcmpError(errors[0], 4, 0, 42, Packet6(NH_ROUTING, 63, N0, N2, {type0, udp}, 0, 1));
}

TEST_CASE("End on node 1 of a simulated line: node 2 gets SL 0 with the Hop Limit lowered once",
          "[srv6-behaviour]")
{
    DeliveryLine d;
    PrepareSrv6Node(d.net.GetNode(1));
    Ptr<Srv6SidTable> table = CreateObject<Srv6SidTable>();
    DynamicCast<Ipv6ListRouting>(d.net.GetNode(1)->GetObject<Ipv6>()->GetRoutingProtocol())
        ->AddRoutingProtocol(table, 20);
    table->SetSource(Ipv6Address(N1));
    table->AddSid(Sid("fc00:1::1", Srv6Behavior::END));
    // Node 0 routes fc00:1::/48 to node 1.
    d.net.GetRouting(0)->AddRoute(Ipv6Address("fc00:1::"),
                                  48,
                                  d.net.GetLink(0).interfaceA,
                                  d.net.GetLink(0).addressB);
    Bytes data = Data(32, 1);
    Bytes udp = Udp(1234, DeliveryLine::PORT, data);
    std::vector<const char*> list = {N2, "fc00:1::1"};
    Ptr<Ipv6L3Protocol> l3 = d.net.GetNode(0)->GetObject<Ipv6L3Protocol>();
    Bytes payload = Concat({Srh(NH_UDP, 1, list), udp});
    Ptr<Packet> p = Create<Packet>(payload.data(), payload.size());
    Simulator::Schedule(Seconds(1), [l3, p]() {
        l3->Send(p, Ipv6Address(N0), Ipv6Address("fc00:1::1"), NH_ROUTING, nullptr);
    });
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    // Sent with Hop Limit 64; node 1's End leaves it, its IpForward lowers it to 63.
    REQUIRE(d.rxAt2.size() == 1);
    CHECK(d.rxAt2[0] == Packet6(NH_ROUTING, 63, N0, N2, {Srh(NH_UDP, 0, list), udp}, 0, 1));
    REQUIRE(d.received.size() == 1);
    CHECK(d.received[0] == data);
    Srv6SidCounters c = table->GetCounters(Ipv6Address("fc00:1::1"));
    CHECK(c.packets == 1);
    CHECK(c.forwarded == 1);
}

TEST_CASE("a multicast source is dropped on arrival, unanswered (srv6-node fuzz finding)",
          "[srv6-behaviour]")
{
    // Found by the srv6-node fuzz target: ns-3.37 answers an unroutable packet from a
    // multicast source with an ICMPv6 error and crashes looking up its route.  AisfcRouting
    // drops such packets first (RFC 4291 2.7), whatever their destination.
    DeliveryLine d;
    Bytes udp = Udp(1234, DeliveryLine::PORT, Data(10));
    for (const char* dst : {"2001:db8::99", N2, "fe80::1"})
    {
        Bytes wire = Packet6(NH_UDP, 64, "ff02::44", dst, {udp});
        Ptr<NetDevice> from = d.net.GetLink(1).deviceA; // node 1's device towards node 2
        Ptr<NetDevice> to = d.net.GetLink(1).deviceB;
        Simulator::Schedule(Seconds(1), [from, to, wire]() {
            from->Send(Create<Packet>(wire.data(), wire.size()),
                       to->GetAddress(),
                       Ipv6L3Protocol::PROT_NUMBER);
        });
    }
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    CHECK(d.rxAt2.size() == 3);     // they arrived ...
    CHECK(d.received.empty());      // ... none reached the socket ...
    CHECK(d.forwardedAt2 == 0);     // ... or went on ...
    CHECK(d.icmp.messages.empty()); // ... or drew an answer
}
