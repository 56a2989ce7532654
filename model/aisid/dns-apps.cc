/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dns-apps.h"

#include "ns3/abort.h"
#include "ns3/aisfc-error.h"
#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv6.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DnsApps");

NS_OBJECT_ENSURE_REGISTERED(DnsAuthoritativeServer);
NS_OBJECT_ENSURE_REGISTERED(DnsRecursiveResolver);
NS_OBJECT_ENSURE_REGISTERED(DnsStubResolver);

namespace
{

/// UDP payload size advertised in the OPT records this model writes (the DNS Flag Day 2020
/// value, which fits any IPv6 path without fragmentation).
constexpr uint16_t EDNS_UDP_SIZE = 1232;

/**
 * One UDP socket on port per global address of the node, and a wildcard one for addresses
 * added later: a reply sent from the socket a query came in on has the query's destination as
 * its source, which is what resolvers and stubs check.  (A single wildcard socket would answer
 * from the outgoing interface's address, which differs from a node address on the loopback.)
 */
std::vector<Ptr<Socket>>
BindEverywhere(Ptr<Node> node,
               uint16_t port,
               Callback<void, Ptr<Socket>> receive,
               const std::string& who)
{
    Ptr<Ipv6> ipv6 = node->GetObject<Ipv6>();
    NS_ABORT_MSG_IF(!ipv6, who << ": node " << node->GetId() << " has no IPv6 stack");
    std::vector<Ptr<Socket>> sockets;
    auto open = [&](const Ipv6Address& address) {
        Ptr<Socket> s = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        if (s->Bind(Inet6SocketAddress(address, port)) != 0)
        {
            NS_FATAL_ERROR(who << ": cannot bind UDP [" << address << "]:" << port << " on node "
                               << node->GetId());
        }
        s->SetRecvCallback(receive);
        sockets.push_back(s);
    };
    std::set<Ipv6Address> seen;
    for (uint32_t i = 0; i < ipv6->GetNInterfaces(); ++i)
    {
        for (uint32_t j = 0; j < ipv6->GetNAddresses(i); ++j)
        {
            Ipv6InterfaceAddress a = ipv6->GetAddress(i, j);
            if (a.GetScope() == Ipv6InterfaceAddress::GLOBAL && seen.insert(a.GetAddress()).second)
            {
                open(a.GetAddress());
            }
        }
    }
    open(Ipv6Address::GetAny());
    return sockets;
}

void
CloseAll(std::vector<Ptr<Socket>>& sockets)
{
    for (Ptr<Socket>& s : sockets)
    {
        s->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        s->Close();
    }
    sockets.clear();
}

void
AddOpt(DnsMessage& m)
{
    DnsResourceRecord opt;
    opt.name = ".";
    opt.type = DNS_TYPE_OPT;
    opt.rrclass = EDNS_UDP_SIZE;
    m.additionals.push_back(opt);
}

/// Whole seconds from now to expiry (0 when past).
uint32_t
SecondsLeft(Time expiry)
{
    Time left = expiry - Simulator::Now();
    if (left.IsNegative())
    {
        return 0;
    }
    return uint32_t(left.GetTimeStep() / Seconds(1).GetTimeStep());
}

/// A TTL as RFC 2181 §8 reads it: a value with the top bit set means 0.
uint32_t
EffectiveTtl(uint32_t ttl, uint32_t cap)
{
    if (ttl & 0x80000000u)
    {
        return 0;
    }
    return std::min(ttl, cap);
}

} // namespace

Ptr<Packet>
DnsMakePacket(const DnsMessage& message)
{
    std::vector<uint8_t> bytes = message.Serialize(true);
    return Create<Packet>(bytes.data(), bytes.size());
}

std::optional<DnsMessage>
DnsParsePacket(Ptr<const Packet> packet, std::string* error)
{
    std::vector<uint8_t> bytes(packet->GetSize());
    packet->CopyData(bytes.data(), bytes.size());
    return DnsMessage::TryParse(bytes.data(), bytes.size(), error);
}

const char*
DnsResolutionStatusName(DnsResolution::Status status)
{
    switch (status)
    {
    case DnsResolution::OK:
        return "OK";
    case DnsResolution::NXDOMAIN:
        return "NXDOMAIN";
    case DnsResolution::NODATA:
        return "NODATA";
    case DnsResolution::SERVFAIL:
        return "SERVFAIL";
    case DnsResolution::TIMEOUT:
        return "TIMEOUT";
    case DnsResolution::ERROR:
        return "ERROR";
    }
    return "?";
}

// ------------------------------------------------------------------------------------------
// DnsAuthoritativeServer

TypeId
DnsAuthoritativeServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DnsAuthoritativeServer")
            .SetParent<Application>()
            .SetGroupName("Aisfc")
            .AddConstructor<DnsAuthoritativeServer>()
            .AddAttribute("Port",
                          "UDP port to answer on",
                          UintegerValue(DNS_PORT),
                          MakeUintegerAccessor(&DnsAuthoritativeServer::m_port),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("Policy",
                          "How an instance is chosen for each answer: ROUND_ROBIN (in turn) or "
                          "NEAREST (smallest distance to the client, see SetDistance)",
                          EnumValue(ROUND_ROBIN),
                          MakeEnumAccessor(&DnsAuthoritativeServer::m_policy),
                          MakeEnumChecker(ROUND_ROBIN, "ROUND_ROBIN", NEAREST, "NEAREST"))
            .AddAttribute("ProcessingDelay",
                          "Time from a query's arrival to its response's departure",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&DnsAuthoritativeServer::m_processingDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddTraceSource("Query",
                            "A well-formed query and its source",
                            MakeTraceSourceAccessor(&DnsAuthoritativeServer::m_queryTrace),
                            "ns3::DnsAuthoritativeServer::QueryTracedCallback")
            .AddTraceSource("Selected",
                            "An instance chosen: name, client seen by the policy, instance",
                            MakeTraceSourceAccessor(&DnsAuthoritativeServer::m_selectedTrace),
                            "ns3::DnsAuthoritativeServer::SelectedTracedCallback")
            .AddTraceSource("Drop",
                            "A datagram not answered, and why",
                            MakeTraceSourceAccessor(&DnsAuthoritativeServer::m_dropTrace),
                            "ns3::DnsAuthoritativeServer::DropTracedCallback");
    return tid;
}

DnsAuthoritativeServer::DnsAuthoritativeServer()
{
    NS_LOG_FUNCTION(this);
}

DnsAuthoritativeServer::~DnsAuthoritativeServer() = default;

void
DnsAuthoritativeServer::DoDispose()
{
    CloseAll(m_sockets);
    m_distance = nullptr;
    Application::DoDispose();
}

void
DnsAuthoritativeServer::AddName(const std::string& name,
                                const std::vector<Ipv6Address>& instances,
                                uint32_t ttlSeconds)
{
    std::string key = DnsCanonicalName(name, "name");
    if (m_zones.count(key))
    {
        throw AisfcInputError("name", "\"" + name + "\" is served already");
    }
    if (instances.empty())
    {
        throw AisfcInputError("instances", "\"" + name + "\" needs at least one instance");
    }
    if (ttlSeconds > 0x7FFFFFFFu)
    {
        throw AisfcInputError("ttl", std::to_string(ttlSeconds) + " s is over 2^31 - 1 (RFC 2181)");
    }
    Zone zone;
    zone.name = name;
    zone.instances = instances;
    zone.ttl = ttlSeconds;
    m_zones[key] = zone;
}

void
DnsAuthoritativeServer::SetInstances(const std::string& name,
                                     const std::vector<Ipv6Address>& instances)
{
    auto it = m_zones.find(DnsCanonicalName(name, "name"));
    if (it == m_zones.end())
    {
        throw AisfcInputError("name", "\"" + name + "\" is not served");
    }
    if (instances.empty())
    {
        throw AisfcInputError("instances", "\"" + name + "\" needs at least one instance");
    }
    it->second.instances = instances;
    it->second.next = 0;
}

bool
DnsAuthoritativeServer::RemoveName(const std::string& name)
{
    return m_zones.erase(DnsCanonicalName(name, "name")) > 0;
}

bool
DnsAuthoritativeServer::HasName(const std::string& name) const
{
    return m_zones.count(DnsCanonicalName(name, "name")) > 0;
}

void
DnsAuthoritativeServer::SetDistance(DistanceFunction distance)
{
    m_distance = distance;
}

uint64_t
DnsAuthoritativeServer::GetQueries() const
{
    return m_queries;
}

uint64_t
DnsAuthoritativeServer::GetAnswers() const
{
    return m_answers;
}

uint64_t
DnsAuthoritativeServer::GetNxDomains() const
{
    return m_nxDomains;
}

uint64_t
DnsAuthoritativeServer::GetSelections(const Ipv6Address& instance) const
{
    auto it = m_selections.find(instance);
    return it == m_selections.end() ? 0 : it->second;
}

uint64_t
DnsAuthoritativeServer::GetDrops(const std::string& reason) const
{
    auto it = m_drops.find(reason);
    return it == m_drops.end() ? 0 : it->second;
}

const std::map<std::string, uint64_t>&
DnsAuthoritativeServer::GetDropCounts() const
{
    return m_drops;
}

void
DnsAuthoritativeServer::StartApplication()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_policy == NEAREST && !m_distance,
                    "DnsAuthoritativeServer: policy NEAREST needs SetDistance()");
    if (m_sockets.empty())
    {
        m_sockets = BindEverywhere(GetNode(),
                                   m_port,
                                   MakeCallback(&DnsAuthoritativeServer::HandleRead, this),
                                   "DnsAuthoritativeServer");
    }
}

void
DnsAuthoritativeServer::StopApplication()
{
    NS_LOG_FUNCTION(this);
    CloseAll(m_sockets);
}

void
DnsAuthoritativeServer::HandleRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> packet = socket->RecvFrom(from))
    {
        Serve(socket, packet, from);
    }
}

void
DnsAuthoritativeServer::Drop(Ptr<const Packet> packet,
                             const Address& from,
                             const std::string& reason)
{
    ++m_drops[reason];
    m_dropTrace(packet, from, reason);
}

Ipv6Address
DnsAuthoritativeServer::Select(Zone& zone, const Ipv6Address& client)
{
    if (m_policy == ROUND_ROBIN)
    {
        size_t i = zone.next % zone.instances.size();
        zone.next = (i + 1) % zone.instances.size();
        return zone.instances[i];
    }
    size_t best = 0;
    double bestDistance = std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < zone.instances.size(); ++i)
    {
        double d = m_distance(client, zone.instances[i]);
        if (d < bestDistance)
        {
            best = i;
            bestDistance = d;
        }
    }
    return zone.instances[best];
}

void
DnsAuthoritativeServer::Serve(Ptr<Socket> socket, Ptr<Packet> packet, const Address& from)
{
    std::string error;
    std::optional<DnsMessage> query = DnsParsePacket(packet, &error);
    if (!query)
    {
        NS_LOG_WARN("malformed query from " << Inet6SocketAddress::ConvertFrom(from).GetIpv6()
                                            << ": " << error);
        Drop(packet, from, "malformed");
        return;
    }
    if (query->qr)
    {
        Drop(packet, from, "not-a-query");
        return;
    }
    ++m_queries;
    m_queryTrace(*query, from);

    DnsMessage response;
    response.id = query->id;
    response.qr = true;
    response.opcode = query->opcode;
    response.rd = query->rd;
    response.questions = query->questions;
    std::optional<DnsClientSubnet> subnet = query->GetClientSubnet();
    if (query->opcode != 0)
    {
        response.rcode = DNS_RCODE_NOTIMP;
    }
    else if (query->questions.size() != 1 || (subnet && subnet->scopePrefix != 0))
    {
        // RFC 7871 §7.1.2: a query's SCOPE PREFIX-LENGTH must be 0.
        response.rcode = DNS_RCODE_FORMERR;
    }
    else if (query->questions[0].qclass != DNS_CLASS_IN)
    {
        response.rcode = DNS_RCODE_REFUSED;
    }
    else
    {
        const DnsQuestion& q = query->questions[0];
        auto it = m_zones.find(DnsCanonicalName(q.name, "question"));
        response.aa = true;
        if (it == m_zones.end())
        {
            response.rcode = DNS_RCODE_NXDOMAIN;
            ++m_nxDomains;
        }
        else if (q.type == DNS_TYPE_AAAA || q.type == DNS_TYPE_ANY)
        {
            Ipv6Address client =
                subnet ? subnet->address : Inet6SocketAddress::ConvertFrom(from).GetIpv6();
            Ipv6Address instance = Select(it->second, client);
            // The owner name as asked, so that it compresses to a pointer to the question.
            response.answers.push_back(DnsResourceRecord::Aaaa(q.name, instance, it->second.ttl));
            ++m_answers;
            ++m_selections[instance];
            m_selectedTrace(it->second.name, client, instance);
        }
    }
    if (query->GetOpt())
    {
        AddOpt(response);
        if (subnet)
        {
            DnsClientSubnet echo = *subnet;
            echo.scopePrefix = m_policy == NEAREST ? subnet->sourcePrefix : 0;
            response.SetClientSubnet(echo);
        }
    }
    NS_LOG_INFO("auth " << response.ToString());
    Ptr<Packet> out = DnsMakePacket(response);
    Simulator::Schedule(m_processingDelay, [socket, out, from]() { socket->SendTo(out, 0, from); });
}

// ------------------------------------------------------------------------------------------
// DnsRecursiveResolver

TypeId
DnsRecursiveResolver::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DnsRecursiveResolver")
            .SetParent<Application>()
            .SetGroupName("Aisfc")
            .AddConstructor<DnsRecursiveResolver>()
            .AddAttribute("Port",
                          "UDP port to answer stubs on",
                          UintegerValue(DNS_PORT),
                          MakeUintegerAccessor(&DnsRecursiveResolver::m_port),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("UpstreamTimeout",
                          "An upstream query not answered within this time is sent again",
                          TimeValue(MilliSeconds(800)),
                          MakeTimeAccessor(&DnsRecursiveResolver::m_upstreamTimeout),
                          MakeTimeChecker(Time(1)))
            .AddAttribute("UpstreamRetries",
                          "Retransmissions of an upstream query before the stubs get SERVFAIL",
                          UintegerValue(2),
                          MakeUintegerAccessor(&DnsRecursiveResolver::m_upstreamRetries),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("ClientSubnetPrefix",
                          "Send the stub's address cut to this many bits upstream in an EDNS "
                          "Client Subnet option (RFC 7871); 0: no option",
                          UintegerValue(0),
                          MakeUintegerAccessor(&DnsRecursiveResolver::m_clientSubnetPrefix),
                          MakeUintegerChecker<uint8_t>(0, 128))
            .AddAttribute("MaxCacheTtl",
                          "Longest time in seconds an answer is cached (and TTL passed on)",
                          UintegerValue(86400),
                          MakeUintegerAccessor(&DnsRecursiveResolver::m_maxCacheTtl),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("ProcessingDelay",
                          "Time from a message's arrival to the resolver's reaction (reply from "
                          "the cache, or reply after an upstream answer)",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&DnsRecursiveResolver::m_processingDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddTraceSource("Query",
                            "A well-formed query from a stub and its source",
                            MakeTraceSourceAccessor(&DnsRecursiveResolver::m_queryTrace),
                            "ns3::DnsRecursiveResolver::QueryTracedCallback")
            .AddTraceSource("UpstreamResponse",
                            "A valid upstream response and the time since its query was first "
                            "sent",
                            MakeTraceSourceAccessor(&DnsRecursiveResolver::m_upstreamResponseTrace),
                            "ns3::DnsRecursiveResolver::UpstreamResponseTracedCallback")
            .AddTraceSource("Drop",
                            "A datagram not used, and why",
                            MakeTraceSourceAccessor(&DnsRecursiveResolver::m_dropTrace),
                            "ns3::DnsRecursiveResolver::DropTracedCallback");
    return tid;
}

DnsRecursiveResolver::DnsRecursiveResolver()
    : m_rng(CreateObject<UniformRandomVariable>())
{
    NS_LOG_FUNCTION(this);
}

DnsRecursiveResolver::~DnsRecursiveResolver() = default;

void
DnsRecursiveResolver::DoDispose()
{
    for (auto& [key, upstream] : m_pending)
    {
        upstream.timer.Cancel();
    }
    m_pending.clear();
    m_pendingById.clear();
    CloseAll(m_sockets);
    if (m_upstreamSocket)
    {
        m_upstreamSocket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_upstreamSocket->Close();
        m_upstreamSocket = nullptr;
    }
    m_rng = nullptr;
    Application::DoDispose();
}

void
DnsRecursiveResolver::SetAuthoritativeServer(const Ipv6Address& address, uint16_t port)
{
    m_server = address;
    m_serverPort = port;
    m_hasServer = true;
}

int64_t
DnsRecursiveResolver::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

void
DnsRecursiveResolver::FlushCache()
{
    m_cache.clear();
}

uint64_t
DnsRecursiveResolver::GetQueries() const
{
    return m_queries;
}

uint64_t
DnsRecursiveResolver::GetCacheHits() const
{
    return m_cacheHits;
}

uint64_t
DnsRecursiveResolver::GetCacheMisses() const
{
    return m_cacheMisses;
}

uint64_t
DnsRecursiveResolver::GetCoalesced() const
{
    return m_coalesced;
}

uint64_t
DnsRecursiveResolver::GetUpstreamQueries() const
{
    return m_upstreamQueries;
}

uint64_t
DnsRecursiveResolver::GetUpstreamRetransmissions() const
{
    return m_upstreamRetransmissions;
}

uint64_t
DnsRecursiveResolver::GetUpstreamTimeouts() const
{
    return m_upstreamTimeouts;
}

size_t
DnsRecursiveResolver::GetCacheSize() const
{
    size_t n = 0;
    for (const auto& [key, entries] : m_cache)
    {
        for (const CacheEntry& e : entries)
        {
            n += e.expiry > Simulator::Now() ? 1 : 0;
        }
    }
    return n;
}

uint64_t
DnsRecursiveResolver::GetDrops(const std::string& reason) const
{
    auto it = m_drops.find(reason);
    return it == m_drops.end() ? 0 : it->second;
}

const std::map<std::string, uint64_t>&
DnsRecursiveResolver::GetDropCounts() const
{
    return m_drops;
}

void
DnsRecursiveResolver::StartApplication()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(!m_hasServer,
                    "DnsRecursiveResolver: no authoritative server (SetAuthoritativeServer)");
    if (!m_sockets.empty())
    {
        return;
    }
    m_sockets = BindEverywhere(GetNode(),
                               m_port,
                               MakeCallback(&DnsRecursiveResolver::HandleQuery, this),
                               "DnsRecursiveResolver");
    m_upstreamSocket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    if (m_upstreamSocket->Bind6() != 0)
    {
        NS_FATAL_ERROR("DnsRecursiveResolver: cannot bind a UDP port on node "
                       << GetNode()->GetId());
    }
    m_upstreamSocket->SetRecvCallback(MakeCallback(&DnsRecursiveResolver::HandleUpstream, this));
}

void
DnsRecursiveResolver::StopApplication()
{
    NS_LOG_FUNCTION(this);
    for (auto& [key, upstream] : m_pending)
    {
        upstream.timer.Cancel();
    }
    m_pending.clear();
    m_pendingById.clear();
    CloseAll(m_sockets);
    if (m_upstreamSocket)
    {
        m_upstreamSocket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_upstreamSocket->Close();
        m_upstreamSocket = nullptr;
    }
}

void
DnsRecursiveResolver::Drop(Ptr<const Packet> packet, const Address& from, const std::string& reason)
{
    ++m_drops[reason];
    m_dropTrace(packet, from, reason);
}

uint16_t
DnsRecursiveResolver::NewId()
{
    while (true)
    {
        uint16_t id = uint16_t(m_rng->GetInteger(0, 0xFFFF));
        if (!m_pendingById.count(id))
        {
            return id;
        }
    }
}

void
DnsRecursiveResolver::HandleQuery(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> packet = socket->RecvFrom(from))
    {
        Serve(socket, packet, from);
    }
}

const DnsRecursiveResolver::CacheEntry*
DnsRecursiveResolver::Lookup(const std::string& name,
                             uint16_t type,
                             uint16_t qclass,
                             const Ipv6Address& client)
{
    auto it = m_cache.find({name, type, qclass});
    if (it == m_cache.end())
    {
        return nullptr;
    }
    std::vector<CacheEntry>& entries = it->second;
    entries.erase(std::remove_if(entries.begin(),
                                 entries.end(),
                                 [](const CacheEntry& e) { return e.expiry <= Simulator::Now(); }),
                  entries.end());
    const CacheEntry* best = nullptr;
    for (const CacheEntry& e : entries)
    {
        if (DnsTruncateAddress(client, e.scope) == e.network && (!best || e.scope > best->scope))
        {
            best = &e;
        }
    }
    if (entries.empty())
    {
        m_cache.erase(it);
    }
    return best;
}

void
DnsRecursiveResolver::Serve(Ptr<Socket> socket, Ptr<Packet> packet, const Address& from)
{
    std::string error;
    std::optional<DnsMessage> query = DnsParsePacket(packet, &error);
    if (!query)
    {
        NS_LOG_WARN("malformed query from " << Inet6SocketAddress::ConvertFrom(from).GetIpv6()
                                            << ": " << error);
        Drop(packet, from, "malformed");
        return;
    }
    if (query->qr)
    {
        Drop(packet, from, "not-a-query");
        return;
    }
    ++m_queries;
    m_queryTrace(*query, from);
    Waiter waiter{socket, from, *query, Simulator::Now()};
    if (query->opcode != 0)
    {
        Reply(waiter, DNS_RCODE_NOTIMP, {});
        return;
    }
    if (query->questions.size() != 1)
    {
        Reply(waiter, DNS_RCODE_FORMERR, {});
        return;
    }
    const DnsQuestion& q = query->questions[0];
    if (q.qclass != DNS_CLASS_IN)
    {
        Reply(waiter, DNS_RCODE_REFUSED, {});
        return;
    }
    std::string name = DnsCanonicalName(q.name, "question");
    Ipv6Address client = Inet6SocketAddress::ConvertFrom(from).GetIpv6();
    Ipv6Address network = DnsTruncateAddress(client, m_clientSubnetPrefix);

    if (const CacheEntry* entry = Lookup(name, q.type, q.qclass, network))
    {
        ++m_cacheHits;
        std::vector<DnsResourceRecord> answers = entry->answers;
        uint32_t left = SecondsLeft(entry->expiry);
        for (DnsResourceRecord& rr : answers)
        {
            rr.ttl = std::min(rr.ttl, left);
        }
        Reply(waiter, DNS_RCODE_NOERROR, answers);
        return;
    }
    ++m_cacheMisses;
    Key key{name, q.type, q.qclass, network};
    auto pending = m_pending.find(key);
    if (pending != m_pending.end())
    {
        ++m_coalesced;
        pending->second.waiters.push_back(waiter);
        return;
    }
    Upstream upstream;
    upstream.id = NewId();
    upstream.query.id = upstream.id;
    upstream.query.questions = {q};
    if (m_clientSubnetPrefix > 0)
    {
        upstream.query.SetClientSubnet({network, m_clientSubnetPrefix, 0}, EDNS_UDP_SIZE);
    }
    upstream.waiters.push_back(waiter);
    upstream.firstSent = Simulator::Now();
    m_pendingById[upstream.id] = key;
    m_pending[key] = upstream;
    SendUpstream(key);
}

void
DnsRecursiveResolver::SendUpstream(const Key& key)
{
    Upstream& upstream = m_pending.at(key);
    if (upstream.transmissions > 0)
    {
        ++m_upstreamRetransmissions;
    }
    ++upstream.transmissions;
    ++m_upstreamQueries;
    NS_LOG_INFO("resolver upstream " << upstream.query.ToString());
    // A send error (no route) is not reported: the query times out as a lost one would.
    m_upstreamSocket->SendTo(DnsMakePacket(upstream.query),
                             0,
                             Inet6SocketAddress(m_server, m_serverPort));
    upstream.timer =
        Simulator::Schedule(m_upstreamTimeout, &DnsRecursiveResolver::UpstreamTimeout, this, key);
}

void
DnsRecursiveResolver::UpstreamTimeout(Key key)
{
    auto it = m_pending.find(key);
    if (it == m_pending.end())
    {
        return;
    }
    if (it->second.transmissions <= m_upstreamRetries)
    {
        SendUpstream(key);
        return;
    }
    ++m_upstreamTimeouts;
    Upstream upstream = std::move(it->second);
    m_pending.erase(it);
    m_pendingById.erase(upstream.id);
    for (const Waiter& w : upstream.waiters)
    {
        Reply(w, DNS_RCODE_SERVFAIL, {});
    }
}

void
DnsRecursiveResolver::HandleUpstream(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> packet = socket->RecvFrom(from))
    {
        std::string error;
        std::optional<DnsMessage> response = DnsParsePacket(packet, &error);
        if (!response)
        {
            NS_LOG_WARN("malformed upstream response: " << error);
            Drop(packet, from, "malformed");
            continue;
        }
        if (!response->qr)
        {
            Drop(packet, from, "not-a-response");
            continue;
        }
        Inet6SocketAddress source = Inet6SocketAddress::ConvertFrom(from);
        if (source.GetIpv6() != m_server || source.GetPort() != m_serverPort)
        {
            Drop(packet, from, "unexpected-source");
            continue;
        }
        auto byId = m_pendingById.find(response->id);
        if (byId == m_pendingById.end())
        {
            // Late answers to a query given up land here too.
            Drop(packet, from, "unknown-id");
            continue;
        }
        Key key = byId->second;
        Upstream& upstream = m_pending.at(key);
        if (response->questions.size() != 1 ||
            !(response->questions[0] == upstream.query.questions[0]))
        {
            Drop(packet, from, "question-mismatch");
            continue;
        }
        upstream.timer.Cancel();
        m_upstreamResponseTrace(*response, Simulator::Now() - upstream.firstSent);
        Upstream done = std::move(upstream);
        m_pending.erase(key);
        m_pendingById.erase(done.id);
        Answer(done, *response);
    }
}

void
DnsRecursiveResolver::Answer(const Upstream& upstream, const DnsMessage& response)
{
    std::vector<DnsResourceRecord> answers = response.answers;
    uint32_t ttl = m_maxCacheTtl;
    for (DnsResourceRecord& rr : answers)
    {
        rr.ttl = EffectiveTtl(rr.ttl, m_maxCacheTtl);
        ttl = std::min(ttl, rr.ttl);
    }
    uint8_t rcode = response.rcode;
    if (rcode != DNS_RCODE_NOERROR && rcode != DNS_RCODE_NXDOMAIN)
    {
        // The server's trouble is the resolver's failure, as far as stubs are concerned.
        rcode = DNS_RCODE_SERVFAIL;
        answers.clear();
    }
    if (rcode == DNS_RCODE_NOERROR && !answers.empty() && ttl > 0)
    {
        const DnsQuestion& q = upstream.query.questions[0];
        std::string name = DnsCanonicalName(q.name, "question");
        Ipv6Address network;
        uint8_t scope = 0;
        if (m_clientSubnetPrefix > 0)
        {
            std::optional<DnsClientSubnet> subnet = response.GetClientSubnet();
            if (subnet)
            {
                scope = std::min(subnet->scopePrefix, m_clientSubnetPrefix);
                network = DnsTruncateAddress(upstream.query.GetClientSubnet()->address, scope);
            }
        }
        std::vector<CacheEntry>& entries = m_cache[{name, q.type, q.qclass}];
        entries.erase(std::remove_if(entries.begin(),
                                     entries.end(),
                                     [&](const CacheEntry& e) {
                                         return e.scope == scope && e.network == network;
                                     }),
                      entries.end());
        entries.push_back({network, scope, Simulator::Now() + Seconds(ttl), answers});
    }
    for (const Waiter& w : upstream.waiters)
    {
        Reply(w, rcode, answers);
    }
}

void
DnsRecursiveResolver::Reply(const Waiter& waiter,
                            uint8_t rcode,
                            const std::vector<DnsResourceRecord>& answers)
{
    DnsMessage r;
    r.id = waiter.query.id;
    r.qr = true;
    r.opcode = waiter.query.opcode;
    r.rd = waiter.query.rd;
    r.ra = true;
    r.rcode = rcode;
    r.questions = waiter.query.questions;
    r.answers = answers;
    if (waiter.query.GetOpt())
    {
        AddOpt(r);
    }
    NS_LOG_INFO("resolver reply " << r.ToString());
    Ptr<Packet> out = DnsMakePacket(r);
    Ptr<Socket> socket = waiter.socket;
    Address to = waiter.from;
    Simulator::Schedule(m_processingDelay, [socket, out, to]() { socket->SendTo(out, 0, to); });
}

// ------------------------------------------------------------------------------------------
// DnsStubResolver

TypeId
DnsStubResolver::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DnsStubResolver")
            .SetParent<Object>()
            .SetGroupName("Aisfc")
            .AddConstructor<DnsStubResolver>()
            .AddAttribute("Timeout",
                          "A query not answered within this time is sent again (or, after the "
                          "last retry, reported as TIMEOUT)",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&DnsStubResolver::m_timeout),
                          MakeTimeChecker(Time(1)))
            .AddAttribute("Retries",
                          "Retransmissions of a query before TIMEOUT",
                          UintegerValue(2),
                          MakeUintegerAccessor(&DnsStubResolver::m_retries),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("CacheEnabled",
                          "Keep answers for their TTL and answer repeated names at once",
                          BooleanValue(true),
                          MakeBooleanAccessor(&DnsStubResolver::m_cacheEnabled),
                          MakeBooleanChecker())
            .AddAttribute("MaxCacheTtl",
                          "Longest time in seconds an answer is kept",
                          UintegerValue(86400),
                          MakeUintegerAccessor(&DnsStubResolver::m_maxCacheTtl),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("Resolved",
                            "Every outcome given to a Resolve() callback",
                            MakeTraceSourceAccessor(&DnsStubResolver::m_resolvedTrace),
                            "ns3::DnsStubResolver::ResolvedTracedCallback")
            .AddTraceSource("Query",
                            "Each query datagram sent, retransmissions included",
                            MakeTraceSourceAccessor(&DnsStubResolver::m_queryTrace),
                            "ns3::DnsStubResolver::QueryTracedCallback");
    return tid;
}

DnsStubResolver::DnsStubResolver()
    : m_rng(CreateObject<UniformRandomVariable>())
{
    NS_LOG_FUNCTION(this);
}

DnsStubResolver::~DnsStubResolver() = default;

void
DnsStubResolver::DoDispose()
{
    for (auto& [key, pending] : m_pending)
    {
        pending.timer.Cancel();
    }
    m_pending.clear();
    m_pendingById.clear();
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
    m_rng = nullptr;
    Object::DoDispose();
}

void
DnsStubResolver::Setup(Ptr<Node> node, const Ipv6Address& resolver, uint16_t port)
{
    NS_ABORT_MSG_IF(m_socket, "DnsStubResolver::Setup called twice");
    NS_ABORT_MSG_IF(!node, "DnsStubResolver::Setup: no node");
    m_resolver = resolver;
    m_resolverPort = port;
    m_socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    if (m_socket->Bind6() != 0)
    {
        NS_FATAL_ERROR("DnsStubResolver: cannot bind a UDP port on node " << node->GetId());
    }
    m_socket->SetRecvCallback(MakeCallback(&DnsStubResolver::HandleRead, this));
}

int64_t
DnsStubResolver::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

void
DnsStubResolver::FlushCache()
{
    m_cache.clear();
}

uint64_t
DnsStubResolver::GetResolutions() const
{
    return m_resolutions;
}

uint64_t
DnsStubResolver::GetCacheHits() const
{
    return m_cacheHits;
}

uint64_t
DnsStubResolver::GetQueries() const
{
    return m_queries;
}

uint64_t
DnsStubResolver::GetRetransmissions() const
{
    return m_retransmissions;
}

uint64_t
DnsStubResolver::GetTimeouts() const
{
    return m_timeouts;
}

uint64_t
DnsStubResolver::GetBadResponses() const
{
    return m_badResponses;
}

uint16_t
DnsStubResolver::NewId()
{
    while (true)
    {
        uint16_t id = uint16_t(m_rng->GetInteger(0, 0xFFFF));
        if (!m_pendingById.count(id))
        {
            return id;
        }
    }
}

void
DnsStubResolver::Resolve(const std::string& name, ResolveCallback done)
{
    NS_LOG_FUNCTION(this << name);
    std::string key = DnsCanonicalName(name, "name");
    NS_ABORT_MSG_IF(!m_socket, "DnsStubResolver::Resolve before Setup");
    ++m_resolutions;
    Ptr<DnsStubResolver> self(this);
    if (m_cacheEnabled)
    {
        auto it = m_cache.find(key);
        if (it != m_cache.end() && it->second.expiry > Simulator::Now())
        {
            ++m_cacheHits;
            DnsResolution result;
            result.name = name;
            result.status = DnsResolution::OK;
            result.address = it->second.address;
            result.ttl = SecondsLeft(it->second.expiry);
            result.delay = Seconds(0);
            result.fromCache = true;
            Simulator::ScheduleNow([self, done, result]() {
                self->m_resolvedTrace(result);
                done(result);
            });
            return;
        }
        if (it != m_cache.end())
        {
            m_cache.erase(it);
        }
    }
    Waiter waiter{name, Simulator::Now(), done};
    auto pending = m_pending.find(key);
    if (pending != m_pending.end())
    {
        pending->second.waiters.push_back(waiter);
        return;
    }
    Pending p;
    p.id = NewId();
    p.query.id = p.id;
    p.query.rd = true;
    p.query.questions = {DnsQuestion{name, DNS_TYPE_AAAA, DNS_CLASS_IN}};
    p.waiters.push_back(waiter);
    m_pendingById[p.id] = key;
    m_pending[key] = p;
    Send(key);
}

void
DnsStubResolver::Send(const std::string& key)
{
    Pending& p = m_pending.at(key);
    if (p.transmissions > 0)
    {
        ++m_retransmissions;
    }
    ++p.transmissions;
    ++m_queries;
    m_queryTrace(p.query);
    // A send error (no route) is not reported here: the query times out, as a lost one would.
    m_socket->SendTo(DnsMakePacket(p.query), 0, Inet6SocketAddress(m_resolver, m_resolverPort));
    Ptr<DnsStubResolver> self(this);
    p.timer = Simulator::Schedule(m_timeout, [self, key]() { self->Expire(key); });
}

void
DnsStubResolver::Expire(std::string key)
{
    auto it = m_pending.find(key);
    if (it == m_pending.end())
    {
        return;
    }
    if (it->second.transmissions <= m_retries)
    {
        Send(key);
        return;
    }
    ++m_timeouts;
    DnsResolution result;
    result.status = DnsResolution::TIMEOUT;
    Finish(key, result);
}

void
DnsStubResolver::HandleRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> packet = socket->RecvFrom(from))
    {
        Receive(packet, from);
    }
}

void
DnsStubResolver::Receive(Ptr<Packet> packet, const Address& from)
{
    std::string error;
    std::optional<DnsMessage> response = DnsParsePacket(packet, &error);
    Inet6SocketAddress source = Inet6SocketAddress::ConvertFrom(from);
    if (!response || !response->qr || source.GetIpv6() != m_resolver ||
        source.GetPort() != m_resolverPort)
    {
        NS_LOG_WARN("stub: bad response from " << source.GetIpv6() << ": "
                                               << (response ? "not from the resolver" : error));
        ++m_badResponses;
        return;
    }
    auto byId = m_pendingById.find(response->id);
    if (byId == m_pendingById.end())
    {
        ++m_badResponses;
        return;
    }
    std::string key = byId->second;
    Pending& p = m_pending.at(key);
    if (response->questions.size() != 1 || !(response->questions[0] == p.query.questions[0]))
    {
        ++m_badResponses;
        return;
    }

    DnsResolution result;
    result.rcode = response->rcode;
    if (response->tc)
    {
        result.status = DnsResolution::ERROR;
    }
    else if (response->rcode == DNS_RCODE_NXDOMAIN)
    {
        result.status = DnsResolution::NXDOMAIN;
    }
    else if (response->rcode == DNS_RCODE_SERVFAIL)
    {
        result.status = DnsResolution::SERVFAIL;
    }
    else if (response->rcode != DNS_RCODE_NOERROR)
    {
        result.status = DnsResolution::ERROR;
    }
    else
    {
        // Follow a CNAME chain from the question's name to an AAAA record (at most 8 links,
        // so a CNAME loop ends).
        result.status = DnsResolution::NODATA;
        std::string current = key;
        uint32_t ttl = m_maxCacheTtl;
        for (int links = 0; links <= 8; ++links)
        {
            const DnsResourceRecord* next = nullptr;
            for (const DnsResourceRecord& rr : response->answers)
            {
                if (rr.rrclass != DNS_CLASS_IN || DnsCanonicalName(rr.name, "answer") != current)
                {
                    continue;
                }
                if (rr.type == DNS_TYPE_AAAA)
                {
                    result.status = DnsResolution::OK;
                    result.address = rr.GetAaaa();
                    result.ttl = std::min(ttl, EffectiveTtl(rr.ttl, m_maxCacheTtl));
                    break;
                }
                if (rr.type == DNS_TYPE_CNAME && !next)
                {
                    next = &rr;
                }
            }
            if (result.status == DnsResolution::OK || !next)
            {
                break;
            }
            ttl = std::min(ttl, EffectiveTtl(next->ttl, m_maxCacheTtl));
            current = DnsCanonicalName(next->target, "answer");
        }
    }
    if (result.status == DnsResolution::OK && m_cacheEnabled && result.ttl > 0)
    {
        m_cache[key] = {result.address, Simulator::Now() + Seconds(result.ttl)};
    }
    Finish(key, result);
}

void
DnsStubResolver::Finish(const std::string& key, DnsResolution result)
{
    auto it = m_pending.find(key);
    NS_ASSERT(it != m_pending.end());
    Pending p = std::move(it->second);
    m_pending.erase(it);
    m_pendingById.erase(p.id);
    p.timer.Cancel();
    for (const Waiter& w : p.waiters)
    {
        DnsResolution r = result;
        r.name = w.name;
        r.delay = Simulator::Now() - w.start;
        r.attempts = p.transmissions;
        m_resolvedTrace(r);
        w.done(r);
    }
}

} // namespace ns3
