/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// External switch memory over RDMA (TEA): RoCEv2 bytes on the wire, a memory server's latency,
// rate limit and queue, and a switch-side client, over real ns-3 IPv6/UDP links.
#include "test-bytes.h"

#include "ns3/applications-module.h"
#include "ns3/boolean.h"
#include "ns3/buffer.h"
#include "ns3/config.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/packet.h"
#include "ns3/pdp-memory-server.h"
#include "ns3/pdp-rdma-client.h"
#include "ns3/pdp-rdma-header.h"
#include "ns3/point-to-point-module.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

using namespace ns3;
using Catch::Matchers::Contains;

namespace
{
using aisfc_test::Bytes;
using aisfc_test::Concat;
using aisfc_test::HeaderBytes;

Bytes
PacketBytes(Ptr<const Packet> p)
{
    Bytes bytes(p->GetSize());
    p->CopyData(bytes.data(), bytes.size());
    return bytes;
}

// CRC-32 (IEEE 802.3, reflected) bit by bit: independent of ns-3's table-driven CRC32Calculate.
uint32_t
Crc32(const Bytes& data, size_t size)
{
    uint32_t crc = 0xFFFFFFFF;
    for (size_t k = 0; k < size; ++k)
    {
        crc ^= data[k];
        for (int bit = 0; bit < 8; ++bit)
        {
            crc = (crc >> 1) ^ (0xEDB88320 & (0 - (crc & 1)));
        }
    }
    return ~crc;
}

Bytes
Le32(uint32_t v)
{
    return {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
}

// The reference splitmix64 step: advance the state by the golden gamma, then mix it.
uint64_t
SplitMixNext(uint64_t& state)
{
    state += 0x9E3779B97F4A7C15ULL;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Word w of the memory is output w (from 0) of splitmix64 seeded with 0; the state before that
// output is w times the gamma, so any word is reached without stepping through the others.
uint64_t
SplitMixOutput(uint64_t w)
{
    uint64_t state = w * 0x9E3779B97F4A7C15ULL;
    return SplitMixNext(state);
}

Bytes
ExpectedMemory(uint64_t address, uint32_t length)
{
    Bytes out;
    for (uint64_t a = address; a < address + length; ++a)
    {
        out.push_back(uint8_t(SplitMixOutput(a / 8) >> (8 * (a % 8))));
    }
    return out;
}

/// Turns DAD off for a test (no NS traffic, no tentative addresses) and cleans up after it.
struct SimulationScope
{
    SimulationScope()
    {
        Config::SetDefault("ns3::Icmpv6L4Protocol::DAD", BooleanValue(false));
    }

    ~SimulationScope()
    {
        Simulator::Destroy();
        Config::SetDefault("ns3::Icmpv6L4Protocol::DAD", BooleanValue(true));
    }
};

/// A switch node and a memory server node on one point-to-point link.
struct Pair
{
    NodeContainer nodes;
    NetDeviceContainer devices;
    Ipv6Address serverAddress;
    Ptr<PdpMemoryServer> server;
    Ptr<PdpRdmaClient> client;
};

Pair
MakePair(const std::string& rate = "100Gbps", const std::string& delay = "50ns")
{
    Pair pair;
    pair.nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(rate));
    p2p.SetChannelAttribute("Delay", StringValue(delay));
    pair.devices = p2p.Install(pair.nodes);
    InternetStackHelper stack;
    stack.SetIpv4StackInstall(false);
    stack.Install(pair.nodes);
    Ipv6AddressHelper addresses;
    addresses.SetBase(Ipv6Address("fd61:6973:6663:1::"), Ipv6Prefix(64));
    Ipv6InterfaceContainer interfaces = addresses.Assign(pair.devices);
    pair.serverAddress = interfaces.GetAddress(1, 1);
    pair.server = CreateObject<PdpMemoryServer>();
    pair.nodes.Get(1)->AddApplication(pair.server);
    pair.client = CreateObject<PdpRdmaClient>();
    pair.client->Setup(pair.nodes.Get(0));
    return pair;
}

/// What a read completed with.
struct Outcome
{
    bool done = false;
    bool ok = false;
    Time latency;
    Time at;
    Ptr<Packet> payload;
};

PdpRdmaClient::ReadCallback
Record(Outcome* outcome)
{
    return PdpRdmaClient::ReadCallback([outcome](bool ok, Time latency, Ptr<Packet> payload) {
        outcome->done = true;
        outcome->ok = ok;
        outcome->latency = latency;
        outcome->at = Simulator::Now();
        outcome->payload = payload;
    });
}

// Bytes a point-to-point link carries for a RoCEv2 UDP payload: PPP 2 + IPv6 40 + UDP 8.
uint32_t
WireBytes(uint32_t rocePayload)
{
    return 2 + 40 + 8 + rocePayload;
}
} // namespace

TEST_CASE("RDMA READ request and response headers serialise byte-exact", "[pdp-rdma]")
{
    PdpRdmaHeader request;
    request.SetDestQp(0x123456);
    request.SetPsn(0xABCDEF);
    request.SetReadRequest(0x0102030405060708ULL, 0x11223344, 64);
    Bytes requestBytes = Concat({{0x0C},                     // opcode: RC RDMA READ Request
                                 {0x00},                     // SE 0, M 0, Pad 0, TVer 0
                                 {0xFF, 0xFF},               // P_Key
                                 {0x00},                     // reserved
                                 {0x12, 0x34, 0x56},         // Dest QP
                                 {0x00},                     // A 0, reserved
                                 {0xAB, 0xCD, 0xEF},         // PSN
                                 {1, 2, 3, 4, 5, 6, 7, 8},   // RETH virtual address
                                 {0x11, 0x22, 0x33, 0x44},   // RETH R_Key
                                 {0x00, 0x00, 0x00, 0x40}}); // RETH DMA length
    CHECK(request.GetSerializedSize() == 28);
    CHECK(HeaderBytes(request) == requestBytes);

    PdpRdmaHeader response;
    response.SetDestQp(0x11);
    response.SetPsn(5);
    response.SetReadResponse(PdpRdmaHeader::AETH_ACK, 0x000102);
    Bytes responseBytes = Concat({{0x10, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x11, 0x00, 0, 0, 5},
                                  {0x1F, 0x00, 0x01, 0x02}}); // AETH: syndrome ACK, MSN
    CHECK(response.GetSerializedSize() == 16);
    CHECK(HeaderBytes(response) == responseBytes);

    PdpRdmaHeader nak;
    nak.SetDestQp(0x11);
    nak.SetPsn(6);
    nak.SetAcknowledge(PdpRdmaHeader::AETH_NAK_REMOTE_ACCESS_ERROR, 2);
    CHECK(HeaderBytes(nak) == Bytes{0x11, 0, 0xFF, 0xFF, 0, 0, 0, 0x11, 0, 0, 0, 6, 0x62, 0, 0, 2});
    CHECK(nak.IsNak());
    CHECK_FALSE(response.IsNak());

    SECTION("the flag bits land where the BTH puts them")
    {
        PdpRdmaHeader h = request;
        h.SetSolicitedEvent(true);
        h.SetMigReq(true);
        h.SetPadCount(3);
        h.SetAckRequest(true);
        h.SetPartitionKey(0x8001);
        Bytes bytes = HeaderBytes(h);
        CHECK(bytes[1] == 0xF0);
        CHECK(bytes[2] == 0x80);
        CHECK(bytes[3] == 0x01);
        CHECK(bytes[8] == 0x80);
    }

    SECTION("Deserialize and Parse give the fields back")
    {
        for (const Bytes& bytes : {requestBytes, responseBytes})
        {
            Buffer buffer;
            buffer.AddAtStart(bytes.size());
            buffer.Begin().Write(bytes.data(), bytes.size());
            PdpRdmaHeader d;
            CHECK(d.Deserialize(buffer.Begin()) == bytes.size());
            CHECK(HeaderBytes(d) == bytes);
            std::string reason;
            std::optional<PdpRdmaHeader> p =
                PdpRdmaHeader::Parse(bytes.data(), bytes.size(), &reason);
            REQUIRE(p);
            CHECK(reason.empty());
            CHECK(HeaderBytes(*p) == bytes);
        }
        std::optional<PdpRdmaHeader> p =
            PdpRdmaHeader::Parse(requestBytes.data(), requestBytes.size());
        REQUIRE(p);
        CHECK(p->GetOpcode() == PdpRdmaHeader::RC_RDMA_READ_REQUEST);
        CHECK(p->GetDestQp() == 0x123456);
        CHECK(p->GetPsn() == 0xABCDEF);
        CHECK(p->GetVirtualAddress() == 0x0102030405060708ULL);
        CHECK(p->GetRkey() == 0x11223344);
        CHECK(p->GetDmaLength() == 64);
        std::optional<PdpRdmaHeader> r =
            PdpRdmaHeader::Parse(responseBytes.data(), responseBytes.size());
        REQUIRE(r);
        CHECK(r->GetSyndrome() == 0x1F);
        CHECK(r->GetMsn() == 0x102);
    }

    SECTION("malformed and truncated headers give a reason")
    {
        std::string reason;
        CHECK_FALSE(PdpRdmaHeader::Parse(nullptr, 0, &reason));
        CHECK_THAT(reason, Contains("truncated BTH"));
        CHECK_FALSE(PdpRdmaHeader::Parse(requestBytes.data(), 11, &reason));
        CHECK_THAT(reason, Contains("truncated BTH: 11 bytes"));
        CHECK_FALSE(PdpRdmaHeader::Parse(requestBytes.data(), 20, &reason));
        CHECK_THAT(reason, Contains("truncated RETH"));
        CHECK_FALSE(PdpRdmaHeader::Parse(responseBytes.data(), 14, &reason));
        CHECK_THAT(reason, Contains("truncated AETH"));
        Bytes send = requestBytes;
        send[0] = 0x04; // RC SEND Only: not spoken here
        CHECK_FALSE(PdpRdmaHeader::Parse(send.data(), send.size(), &reason));
        CHECK_THAT(reason, Contains("unsupported opcode 0x04"));
        Bytes tver = requestBytes;
        tver[1] = 0x01;
        CHECK_FALSE(PdpRdmaHeader::Parse(tver.data(), tver.size(), &reason));
        CHECK_THAT(reason, Contains("transport header version 1"));
        CHECK_FALSE(PdpRdmaHeader::Parse(send.data(), send.size())); // no reason wanted
    }
}

TEST_CASE("RoCEv2 packets carry pad bytes and a CRC-32 ICRC and are checked whole", "[pdp-rdma]")
{
    PdpRdmaHeader request;
    request.SetDestQp(0x11);
    request.SetPsn(7);
    request.SetReadRequest(0x40, 0, 64);
    Ptr<Packet> packet = PdpRdmaMakePacket(request);
    Bytes bytes = PacketBytes(packet);
    REQUIRE(bytes.size() == 32);
    CHECK(Bytes(bytes.begin(), bytes.begin() + 28) == HeaderBytes(request));
    CHECK(Bytes(bytes.begin() + 28, bytes.end()) == Le32(Crc32(bytes, 28)));
    std::string reason;
    std::optional<PdpRdmaMessage> message = PdpRdmaParsePacket(packet, &reason);
    REQUIRE(message);
    CHECK(message->header.GetVirtualAddress() == 0x40);
    CHECK(message->payload->GetSize() == 0);

    PdpRdmaHeader response;
    response.SetDestQp(0x11);
    response.SetPsn(7);
    response.SetReadResponse(PdpRdmaHeader::AETH_ACK, 1);
    uint8_t data[5] = {1, 2, 3, 4, 5};
    Ptr<Packet> answer = PdpRdmaMakePacket(response, Create<Packet>(data, 5));
    Bytes answerBytes = PacketBytes(answer);
    REQUIRE(answerBytes.size() == 16 + 8 + 4);
    CHECK(answerBytes[1] == 0x30); // Pad 3
    CHECK(Bytes(answerBytes.begin() + 16, answerBytes.begin() + 24) ==
          Bytes{1, 2, 3, 4, 5, 0, 0, 0});
    CHECK(Bytes(answerBytes.begin() + 24, answerBytes.end()) == Le32(Crc32(answerBytes, 24)));
    message = PdpRdmaParsePacket(answer, &reason);
    REQUIRE(message);
    CHECK(message->header.GetPadCount() == 3);
    CHECK(PacketBytes(message->payload) == Bytes{1, 2, 3, 4, 5});

    auto parse = [&reason](const Bytes& b) {
        return PdpRdmaParsePacket(Create<Packet>(b.data(), b.size()), &reason).has_value();
    };
    Bytes corrupt = answerBytes;
    corrupt[18] ^= 0x01;
    CHECK_FALSE(parse(corrupt));
    CHECK_THAT(reason, Contains("bad ICRC"));
    CHECK_FALSE(parse(Bytes(bytes.begin(), bytes.begin() + 28)));
    CHECK_THAT(reason, Contains("no room for the ICRC"));
    Bytes extra(bytes.begin(), bytes.begin() + 28);
    extra.insert(extra.end(), {9, 9, 9, 9});
    Bytes extraIcrc = Le32(Crc32(extra, extra.size()));
    extra.insert(extra.end(), extraIcrc.begin(), extraIcrc.end());
    CHECK_FALSE(parse(extra));
    CHECK_THAT(reason, Contains("unexpected payload bytes after the RETH"));
    Bytes unpadded(answerBytes.begin(), answerBytes.begin() + 21); // 5 data bytes, no pad
    Bytes unpaddedIcrc = Le32(Crc32(unpadded, unpadded.size()));
    unpadded.insert(unpadded.end(), unpaddedIcrc.begin(), unpaddedIcrc.end());
    CHECK_FALSE(parse(unpadded));
    CHECK_THAT(reason, Contains("not padded to 4"));
    Bytes garbage{0xde, 0xad, 0xbe};
    CHECK_FALSE(parse(garbage));
    CHECK_THAT(reason, Contains("truncated BTH: 3 bytes"));
    CHECK_FALSE(PdpRdmaParsePacket(nullptr, &reason));

    // Every truncation of a valid packet, and random bytes, give a reason and never a crash.
    for (size_t size = 0; size < answerBytes.size(); ++size)
    {
        reason.clear();
        CHECK_FALSE(parse(Bytes(answerBytes.begin(), answerBytes.begin() + size)));
        CHECK_FALSE(reason.empty());
    }
    std::mt19937 random(4791);
    for (int k = 0; k < 2000; ++k)
    {
        Bytes noise(random() % 64);
        for (uint8_t& b : noise)
        {
            b = random();
        }
        if (!noise.empty())
        {
            noise[0] = std::vector<uint8_t>{0x0C, 0x10, 0x11, 0x04}[k % 4];
        }
        reason.clear();
        bool ok = parse(noise);
        CHECK(ok == reason.empty());
    }
}

TEST_CASE("One RDMA read takes transmission plus propagation plus access latency", "[pdp-rdma]")
{
    SimulationScope scope;
    Pair pair = MakePair("100Gbps", "50ns");
    Outcome outcome;
    Simulator::Schedule(MicroSeconds(10), [&pair, &outcome]() {
        pair.client->Read(pair.serverAddress, 4096, 64, Record(&outcome));
    });
    std::vector<Time> traced;
    pair.client->TraceConnectWithoutContext(
        "Latency",
        Callback<void, Time>([&traced](Time latency) { traced.push_back(latency); }));
    Simulator::Run();

    DataRate rate("100Gbps");
    const uint32_t requestBytes = WireBytes(12 + 16 + 4);      // BTH, RETH, ICRC
    const uint32_t responseBytes = WireBytes(12 + 4 + 64 + 4); // BTH, AETH, data, ICRC
    CHECK(requestBytes == 82);
    CHECK(responseBytes == 134);
    Time expected = rate.CalculateBytesTxTime(requestBytes) + NanoSeconds(50) + NanoSeconds(1800) +
                    rate.CalculateBytesTxTime(responseBytes) + NanoSeconds(50);
    REQUIRE(outcome.done);
    CHECK(outcome.ok);
    CHECK(outcome.latency == expected);
    CHECK(outcome.at == MicroSeconds(10) + expected);
    REQUIRE(traced.size() == 1);
    CHECK(traced[0] == expected);
    // Inside TEA's measured 1.8-2.2 us.
    CHECK(outcome.latency.GetNanoSeconds() >= 1900);
    CHECK(outcome.latency.GetNanoSeconds() <= 1930);
    CHECK(pair.client->GetQpn(pair.serverAddress) == 17);
    CHECK(pair.client->GetReads() == 1);
    CHECK(pair.client->GetCompleted() == 1);
    CHECK(pair.server->GetRequests() == 1);
    CHECK(pair.server->GetResponses() == 1);
    CHECK(pair.server->GetDropCounts().empty());
}

TEST_CASE("Back-to-back reads are paced by the server's lookup rate", "[pdp-rdma]")
{
    SimulationScope scope;
    Pair pair = MakePair();
    const double rate = 17e6;
    const int n = 40;
    std::vector<Outcome> outcomes(n);
    std::vector<Time> arrivals;
    std::vector<Time> delays;
    pair.server->TraceConnectWithoutContext("Request",
                                            Callback<void, const PdpRdmaHeader&, const Address&>(
                                                [&arrivals](const PdpRdmaHeader&, const Address&) {
                                                    arrivals.push_back(Simulator::Now());
                                                }));
    pair.server->TraceConnectWithoutContext("QueueDelay", Callback<void, Time>([&delays](Time d) {
                                                delays.push_back(d);
                                            }));
    Simulator::Schedule(MicroSeconds(10), [&pair, &outcomes]() {
        for (size_t k = 0; k < outcomes.size(); ++k)
        {
            pair.client->Read(pair.serverAddress, 64 * k, 64, Record(&outcomes[k]));
        }
    });
    Simulator::Run();

    REQUIRE(arrivals.size() == n);
    REQUIRE(delays.size() == n);
    CHECK(delays[0] == Time(0));
    for (int k = 0; k < n; ++k)
    {
        INFO("read " << k);
        REQUIRE(outcomes[k].done);
        CHECK(outcomes[k].ok);
        // Request k starts at the first one's start plus k / rate, rounded up to 1 ns.
        Time start = arrivals[k] + delays[k];
        double sinceFirst = (start - arrivals[0]).GetSeconds();
        CHECK(sinceFirst >= k / rate - 1e-15);
        CHECK(sinceFirst < k / rate + 1e-9);
        double done = (outcomes[k].at - outcomes[0].at).GetSeconds();
        CHECK(done >= k / rate - 1e-15);
        if (k > 0)
        {
            // Requests arrive faster (one per 82-byte frame, ~7 ns) than the server starts them.
            CHECK(delays[k] > delays[k - 1]);
        }
    }
    CHECK(pair.server->GetDropCounts().empty());
    CHECK(pair.client->GetCompleted() == n);
}

TEST_CASE("A full server queue drops reads as server-overload and the client times out",
          "[pdp-rdma]")
{
    SimulationScope scope;
    Pair pair = MakePair();
    pair.server->SetAttribute("QueueLimit", UintegerValue(4));
    const int n = 20;
    std::vector<Outcome> outcomes(n);
    std::vector<std::string> reasons;
    pair.server->TraceConnectWithoutContext(
        "Drop",
        Callback<void, Ptr<const Packet>, const Address&, const std::string&>(
            [&reasons](Ptr<const Packet>, const Address&, const std::string& reason) {
                reasons.push_back(reason);
            }));
    Simulator::Schedule(MicroSeconds(10), [&pair, &outcomes]() {
        for (size_t k = 0; k < outcomes.size(); ++k)
        {
            pair.client->Read(pair.serverAddress, 64 * k, 64, Record(&outcomes[k]));
        }
    });
    Simulator::Run();

    int ok = 0;
    int failed = 0;
    for (const Outcome& o : outcomes)
    {
        REQUIRE(o.done);
        if (o.ok)
        {
            ++ok;
            CHECK(o.latency < MicroSeconds(3));
        }
        else
        {
            ++failed;
            CHECK(o.latency == MicroSeconds(100)); // the default Timeout
            CHECK_FALSE(o.payload);
        }
    }
    // Frames arrive every 7 ns (82 bytes at 100 Gbps, rounded to the nanosecond); services
    // start at ceil(k / 17e6 s) = 0, 59, 118, ... ns.  Reads 0-4 are taken (one in service,
    // four waiting); 5-8 (35-56 ns) find four waiting; read 9 (63 ns) takes the place freed at
    // 59 ns; 10-16 (70-112 ns) are dropped; 17 (119 ns) takes the place freed at 118 ns.
    std::vector<int> served;
    for (int k = 0; k < n; ++k)
    {
        if (outcomes[k].ok)
        {
            served.push_back(k);
        }
    }
    CHECK(served == std::vector<int>{0, 1, 2, 3, 4, 9, 17});
    CHECK(ok == 7);
    CHECK(pair.server->GetDrops("server-overload") == uint64_t(failed));
    CHECK(reasons == std::vector<std::string>(failed, "server-overload"));
    CHECK(pair.client->GetReads() == n);
    CHECK(pair.client->GetTimeouts() == uint64_t(failed));
    CHECK(pair.client->GetCompleted() == uint64_t(ok));
    CHECK(pair.client->GetReads() == pair.client->GetCompleted() + pair.client->GetTimeouts());
    CHECK(pair.client->GetOutstanding() == 0);
    CHECK(pair.client->GetBadResponses() == 0);
    CHECK(pair.server->GetReceived() ==
          pair.server->GetResponses() + pair.server->GetDrops("server-overload"));
}

TEST_CASE("Read payloads are the deterministic memory contents of the address", "[pdp-rdma]")
{
    // The first splitmix64 output for seed 0 is a published test value; the jump to word w
    // agrees with stepping the generator.
    CHECK(SplitMixOutput(0) == 0xE220A8397B1DCDAFULL);
    uint64_t state = 0;
    for (uint64_t w = 0; w < 1000; ++w)
    {
        CHECK(SplitMixNext(state) == SplitMixOutput(w));
    }
    CHECK(PdpMemoryServer::Contents(0, 8) == Bytes{0xAF, 0xCD, 0x1D, 0x7B, 0x39, 0xA8, 0x20, 0xE2});
    CHECK(PdpMemoryServer::Contents(1000, 100) == ExpectedMemory(1000, 100));

    SimulationScope scope;
    Pair pair = MakePair();
    Outcome aligned;
    Outcome odd;
    Outcome big;
    Simulator::Schedule(MicroSeconds(10), [&]() {
        pair.client->Read(pair.serverAddress, 0x1000, 64, Record(&aligned));
        pair.client->Read(pair.serverAddress, 0x1003, 5, Record(&odd)); // padded on the wire
        pair.client->Read(pair.serverAddress, 0xFFFFFC00ULL, 1024, Record(&big)); // last KiB
    });
    Simulator::Run();
    REQUIRE(aligned.ok);
    REQUIRE(odd.ok);
    REQUIRE(big.ok);
    CHECK(PacketBytes(aligned.payload) == ExpectedMemory(0x1000, 64));
    CHECK(PacketBytes(odd.payload) == ExpectedMemory(0x1003, 5));
    CHECK(PacketBytes(big.payload) == ExpectedMemory(0xFFFFFC00ULL, 1024));
    // One memory: overlapping reads agree.
    Bytes a = PacketBytes(aligned.payload);
    CHECK(PacketBytes(odd.payload) == Bytes(a.begin() + 3, a.begin() + 8));
}

TEST_CASE("Bad requests are counted drops with a reason and out-of-range reads get a NAK",
          "[pdp-rdma]")
{
    SimulationScope scope;
    Pair pair = MakePair();
    Ptr<Socket> raw = Socket::CreateSocket(pair.nodes.Get(0), UdpSocketFactory::GetTypeId());
    REQUIRE(raw->Bind6() == 0);
    Inet6SocketAddress server(pair.serverAddress, PdpRdmaHeader::UDP_PORT);
    Outcome outOfRange;
    Outcome tooLong;
    Outcome fine;
    Simulator::Schedule(MicroSeconds(10), [&]() {
        uint8_t garbage[3] = {1, 2, 3};
        raw->SendTo(Create<Packet>(garbage, 3), 0, server);
        Bytes send(32, 0);
        send[0] = 0x04; // SEND Only
        raw->SendTo(Create<Packet>(send.data(), send.size()), 0, server);
        PdpRdmaHeader response;
        response.SetReadResponse(PdpRdmaHeader::AETH_ACK, 1);
        raw->SendTo(PdpRdmaMakePacket(response, Create<Packet>(8)), 0, server);
        Ptr<Packet> corrupt = PdpRdmaMakePacket(PdpRdmaHeader());
        Bytes bytes = PacketBytes(corrupt);
        bytes[20] ^= 0xFF;
        raw->SendTo(Create<Packet>(bytes.data(), bytes.size()), 0, server);
        pair.client->Read(pair.serverAddress, (uint64_t(4) << 30) - 8, 16, Record(&outOfRange));
        pair.client->Read(pair.serverAddress, 0, 1025, Record(&tooLong));
        pair.client->Read(pair.serverAddress, 0, 16, Record(&fine));
    });
    Simulator::Run();
    CHECK(pair.server->GetReceived() == 7);
    CHECK(pair.server->GetDrops("malformed") == 3);
    CHECK(pair.server->GetDrops("not-a-request") == 1);
    CHECK(pair.server->GetDrops("out-of-range") == 1);
    CHECK(pair.server->GetDrops("too-long") == 1);
    CHECK(pair.server->GetNaks() == 2);
    CHECK(pair.server->GetRequests() == 3);
    CHECK(pair.server->GetResponses() == 1);
    REQUIRE(outOfRange.done);
    CHECK_FALSE(outOfRange.ok);
    CHECK(outOfRange.latency < MicroSeconds(1)); // a NAK, not a timeout
    REQUIRE(tooLong.done);
    CHECK_FALSE(tooLong.ok);
    CHECK(fine.ok);
    CHECK(pair.client->GetNaks() == 2);
    CHECK(pair.client->GetCompleted() == 1);
    CHECK(pair.client->GetTimeouts() == 0);
    CHECK(pair.client->GetReads() ==
          pair.client->GetCompleted() + pair.client->GetNaks() + pair.client->GetTimeouts());
    raw->Close();
}

TEST_CASE("A competing flow on the server link raises lookup latency", "[pdp-rdma]")
{
    SimulationScope scope;
    // switch (0) and competitor (1) reach the memory server (3) through a router (2); the
    // router-server link is the bottleneck.
    NodeContainer nodes;
    nodes.Create(4);
    PointToPointHelper fast;
    fast.SetDeviceAttribute("DataRate", StringValue("100Gbps"));
    fast.SetChannelAttribute("Delay", StringValue("50ns"));
    PointToPointHelper serverLink;
    serverLink.SetDeviceAttribute("DataRate", StringValue("40Gbps"));
    serverLink.SetChannelAttribute("Delay", StringValue("50ns"));
    NetDeviceContainer switchLink = fast.Install(nodes.Get(0), nodes.Get(2));
    NetDeviceContainer competitorLink = fast.Install(nodes.Get(1), nodes.Get(2));
    NetDeviceContainer bottleneck = serverLink.Install(nodes.Get(2), nodes.Get(3));
    InternetStackHelper stack;
    stack.SetIpv4StackInstall(false);
    stack.Install(nodes);
    Ipv6AddressHelper addresses;
    addresses.SetBase(Ipv6Address("fd61:6973:6663:10::"), Ipv6Prefix(64));
    Ipv6InterfaceContainer a = addresses.Assign(switchLink);
    addresses.SetBase(Ipv6Address("fd61:6973:6663:11::"), Ipv6Prefix(64));
    Ipv6InterfaceContainer b = addresses.Assign(competitorLink);
    addresses.SetBase(Ipv6Address("fd61:6973:6663:12::"), Ipv6Prefix(64));
    Ipv6InterfaceContainer c = addresses.Assign(bottleneck);
    a.SetForwarding(1, true);
    a.SetDefaultRouteInAllNodes(1);
    b.SetForwarding(1, true);
    b.SetDefaultRouteInAllNodes(1);
    c.SetForwarding(0, true);
    c.SetDefaultRouteInAllNodes(0);
    Ipv6Address serverAddress = c.GetAddress(1, 1);

    Ptr<PdpMemoryServer> server = CreateObject<PdpMemoryServer>();
    nodes.Get(3)->AddApplication(server);
    Ptr<PdpRdmaClient> client = CreateObject<PdpRdmaClient>();
    client->Setup(nodes.Get(0));

    // 60 Gbps of 1000-byte datagrams into a 40 Gbps link for 50 us.
    PacketSinkHelper sink("ns3::UdpSocketFactory", Inet6SocketAddress(Ipv6Address::GetAny(), 9));
    sink.Install(nodes.Get(3));
    OnOffHelper onoff("ns3::UdpSocketFactory", Inet6SocketAddress(serverAddress, 9));
    onoff.SetConstantRate(DataRate("60Gbps"), 1000);
    ApplicationContainer competitor = onoff.Install(nodes.Get(1));
    competitor.Start(MicroSeconds(100));
    competitor.Stop(MicroSeconds(150));

    Outcome idle;
    std::vector<Outcome> loaded(4);
    Simulator::Schedule(MicroSeconds(50),
                        [&]() { client->Read(serverAddress, 0, 64, Record(&idle)); });
    for (size_t k = 0; k < loaded.size(); ++k)
    {
        Simulator::Schedule(MicroSeconds(110 + 10 * k), [&client, &loaded, serverAddress, k]() {
            client->Read(serverAddress, 64, 64, Record(&loaded[k]));
        });
    }
    Simulator::Stop(MilliSeconds(2));
    Simulator::Run();

    REQUIRE(idle.ok);
    INFO("idle latency " << idle.latency.As(Time::NS));
    // Two hops each way: the idle read sees one more store-and-forward than on a direct link.
    CHECK(idle.latency > NanoSeconds(1900));
    CHECK(idle.latency < NanoSeconds(2200));
    Time previous = idle.latency;
    for (size_t k = 0; k < loaded.size(); ++k)
    {
        INFO("loaded read " << k << " latency " << loaded[k].latency.As(Time::NS));
        REQUIRE(loaded[k].ok);
        // The router's queue towards the server grows by 20 Gbps while the flow lasts.
        CHECK(loaded[k].latency > previous);
        previous = loaded[k].latency;
    }
    CHECK(loaded.back().latency > idle.latency + MicroSeconds(5));
    CHECK(client->GetTimeouts() == 0);
}

TEST_CASE("tshark decodes the RoCEv2 packets as InfiniBand without errors", "[pdp-rdma]")
{
    if (std::system("which tshark > /dev/null 2>&1") != 0)
    {
        WARN("tshark not installed: decoding not checked");
        return;
    }
    char directory[] = "/tmp/aisfc-pdp-rdma-XXXXXX";
    REQUIRE(mkdtemp(directory));

    struct RemoveAtEnd
    {
        std::string path;

        ~RemoveAtEnd()
        {
            std::filesystem::remove_all(path);
        }
    } removeAtEnd{directory};

    std::string pcap;
    {
        // ns-3 leaves UDP checksums at 0 unless asked, which tshark reports as an error in IPv6.
        BooleanValue checksums;
        GlobalValue::GetValueByName("ChecksumEnabled", checksums);
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
        SimulationScope scope;
        Pair pair = MakePair();
        PointToPointHelper p2p;
        pcap = std::string(directory) + "/rdma.pcap";
        p2p.EnablePcap(pcap, pair.devices.Get(1), false, true);
        Outcome outcome;
        Simulator::Schedule(MicroSeconds(10), [&pair, &outcome]() {
            pair.client->Read(pair.serverAddress, 0x2000, 6, Record(&outcome));
        });
        Simulator::Run();
        GlobalValue::Bind("ChecksumEnabled", checksums);
        REQUIRE(outcome.ok);
    }
    std::string out = std::string(directory) + "/tshark.txt";
    std::string command = "tshark -r " + pcap +
                          " -Y udp.port==4791 -T fields -E separator=, -e frame.protocols "
                          "-e infiniband.bth.opcode -e infiniband.bth.destqp "
                          "-e infiniband.bth.psn -e infiniband.reth.dmalen "
                          "-e infiniband.bth.padcnt -e infiniband.aeth.msn "
                          "-e _ws.expert.message > " +
                          out + " 2>/dev/null";
    REQUIRE(std::system(command.c_str()) == 0);
    std::ifstream in(out);
    std::string line;
    std::vector<std::vector<std::string>> rows;
    std::string all;
    while (std::getline(in, line))
    {
        all += line + "\n";
        std::vector<std::string> fields;
        std::stringstream ss(line);
        std::string field;
        while (std::getline(ss, field, ','))
        {
            fields.push_back(field);
        }
        fields.resize(8);
        rows.push_back(fields);
    }
    INFO("tshark said:\n" << all);
    REQUIRE(rows.size() == 2);
    // The request: RDMA READ Request (12) for 6 bytes.
    CHECK(rows[0][0] == "ppp:ipv6:udp:infiniband");
    CHECK(rows[0][1] == "12");
    CHECK_THAT(rows[0][2], Contains("11"));
    CHECK(rows[0][3] == "0");
    CHECK(rows[0][4] == "6");
    CHECK(rows[0][7].empty()); // no expert note: not malformed, checksum fine, ICRC not judged
    // The response: READ Response Only (16), 6 bytes padded with 2, MSN 1.
    CHECK(rows[1][0] == "ppp:ipv6:udp:infiniband:data");
    CHECK(rows[1][1] == "16");
    CHECK_THAT(rows[1][2], Contains("11"));
    CHECK(rows[1][3] == "0");
    CHECK(rows[1][5] == "2");
    CHECK(rows[1][6] == "1");
    CHECK(rows[1][7].empty());
}
