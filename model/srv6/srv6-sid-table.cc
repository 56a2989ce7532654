/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "srv6-sid-table.h"

#include "ns3/aisfc-routing.h"
#include "ns3/boolean.h"
#include "ns3/icmpv6-l4-protocol.h"
#include "ns3/ipv6-l3-protocol.h"
#include "ns3/ipv6-route.h"
#include "ns3/log.h"
#include "ns3/loopback-net-device.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cctype>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Srv6SidTable");
NS_OBJECT_ENSURE_REGISTERED(Srv6SidTable);

namespace
{
constexpr uint8_t IPV6_IN_IPV6 = 41;
constexpr uint8_t ICMPV6 = 58;
constexpr uint32_t IPV6_HEADER_BYTES = 40;
constexpr uint32_t SRH_SEGMENTS_LEFT_FIELD = 3;
constexpr uint32_t ROUTING_TYPE_FIELD = 2;
constexpr uint8_t ICMP_ERRONEOUS_FIELD = 0;
constexpr uint8_t ICMP_SR_UPPER_LAYER = 4; // RFC 8754 §4.3.1.1.1 (Parameter Problem code 4)
constexpr int MAX_LOCAL_SIDS = 16;         // local SIDs processed back to back before a drop

const std::vector<std::pair<Srv6Behavior, const char*>>&
BehaviorNames()
{
    static const std::vector<std::pair<Srv6Behavior, const char*>> names = {
        {Srv6Behavior::END, "End"},
        {Srv6Behavior::END_X, "End.X"},
        {Srv6Behavior::END_T, "End.T"},
        {Srv6Behavior::END_DX6, "End.DX6"},
        {Srv6Behavior::END_DT6, "End.DT6"},
        {Srv6Behavior::END_B6_ENCAPS, "End.B6.Encaps"},
        {Srv6Behavior::END_AS, "End.AS"},
        {Srv6Behavior::END_AD, "End.AD"},
        {Srv6Behavior::END_AD_FLOW, "End.AD.flow"},
        {Srv6Behavior::END_AM, "End.AM"},
    };
    return names;
}

std::string
Lower(const std::string& s)
{
    std::string out;
    for (char c : s)
    {
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

bool
IsProxy(Srv6Behavior b)
{
    return b == Srv6Behavior::END_AS || b == Srv6Behavior::END_AD ||
           b == Srv6Behavior::END_AD_FLOW || b == Srv6Behavior::END_AM;
}
} // namespace

std::string
Srv6BehaviorName(Srv6Behavior behavior)
{
    for (const auto& [b, name] : BehaviorNames())
    {
        if (b == behavior)
        {
            return name;
        }
    }
    return "?";
}

std::optional<Srv6Behavior>
Srv6ParseBehavior(const std::string& name)
{
    for (const auto& [b, n] : BehaviorNames())
    {
        if (Lower(n) == Lower(name))
        {
            return b;
        }
    }
    return std::nullopt;
}

uint64_t
Srv6SidCounters::Dropped() const
{
    uint64_t n = 0;
    for (const auto& [reason, count] : drops)
    {
        n += count;
    }
    return n;
}

TypeId
Srv6SidTable::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::Srv6SidTable")
            .SetParent<Ipv6RoutingProtocol>()
            .SetGroupName("Aisfc")
            .AddConstructor<Srv6SidTable>()
            .AddAttribute("HopLimit",
                          "Hop Limit of the outer header of encapsulated packets",
                          UintegerValue(64),
                          MakeUintegerAccessor(&Srv6SidTable::m_hopLimit),
                          MakeUintegerChecker<uint8_t>(1))
            .AddAttribute("DeliverUpperLayer",
                          "Whether End, End.X and End.T deliver any upper-layer protocol locally "
                          "when Segments Left is 0 (RFC 8986 §4.1.1); ICMPv6 always is",
                          BooleanValue(false),
                          MakeBooleanAccessor(&Srv6SidTable::m_deliverUpperLayer),
                          MakeBooleanChecker())
            .AddTraceSource("Drop",
                            "A packet dropped by SRv6 processing, with its IPv6 header and the "
                            "reason",
                            MakeTraceSourceAccessor(&Srv6SidTable::m_dropTrace),
                            "ns3::Srv6SidTable::DropTracedCallback");
    return tid;
}

Srv6SidTable::Srv6SidTable() = default;
Srv6SidTable::~Srv6SidTable() = default;

void
Srv6SidTable::DoDispose()
{
    m_ipv6 = nullptr;
    m_tables.clear();
    m_sids.clear();
    Ipv6RoutingProtocol::DoDispose();
}

void
Srv6SidTable::SetSource(const Ipv6Address& source)
{
    m_source = source;
}

Ipv6Address
Srv6SidTable::GetSource() const
{
    return m_source;
}

void
Srv6SidTable::AddLocator(const Ipv6Address& prefix, uint8_t length)
{
    InsertSidPrefix(prefix, length, LOCATOR);
}

void
Srv6SidTable::InsertSidPrefix(const Ipv6Address& prefix, uint8_t length, AisfcFib::NextHopId id)
{
    Ipv6Address key = prefix.CombinePrefix(Ipv6Prefix(length));
    m_sidFib.Insert(key, length, id);
    // Shrink the span to the common prefix of what it covered and the new prefix.
    int common = length;
    if (m_spanLength >= 0)
    {
        common = std::min<int>(common, m_spanLength);
        while (common > 0 && !Srv6InPrefix(key, m_span, common))
        {
            --common;
        }
    }
    m_spanLength = common;
    m_span = key.CombinePrefix(Ipv6Prefix(common));
}

void
Srv6SidTable::AddSid(const Srv6SidConfig& config)
{
    NS_ABORT_MSG_IF(config.length > 128, "Srv6SidTable: SID length " << int(config.length));
    Ipv6Address key = config.sid.CombinePrefix(Ipv6Prefix(config.length));
    Sid sid;
    sid.config = config;
    auto existing = m_sidFib.Lookup(key);
    uint32_t index = m_sids.size();
    if (existing && *existing != LOCATOR && m_sids[*existing].config.length == config.length)
    {
        index = *existing;
        m_sids[index] = sid;
    }
    else
    {
        m_sids.push_back(sid);
    }
    InsertSidPrefix(key, config.length, index);
    if (IsProxy(config.behavior))
    {
        m_proxyByInterface[config.interface] = index;
    }
}

bool
Srv6SidTable::RemoveSid(const Ipv6Address& sid, uint8_t length)
{
    Ipv6Address key = sid.CombinePrefix(Ipv6Prefix(length));
    auto index = m_sidFib.Lookup(key);
    if (!index || *index == LOCATOR || m_sids[*index].config.length != length ||
        !m_sidFib.Remove(key, length))
    {
        return false;
    }
    m_sids[*index].active = false; // indices stay valid for packets already scheduled
    for (auto it = m_proxyByInterface.begin(); it != m_proxyByInterface.end();)
    {
        it = it->second == *index ? m_proxyByInterface.erase(it) : std::next(it);
    }
    return true;
}

std::vector<Srv6SidConfig>
Srv6SidTable::GetSids() const
{
    std::vector<Srv6SidConfig> out;
    for (const Sid& s : m_sids)
    {
        if (s.active)
        {
            out.push_back(s.config);
        }
    }
    return out;
}

Srv6SidCounters
Srv6SidTable::GetCounters(const Ipv6Address& sid) const
{
    auto index = m_sidFib.Lookup(sid);
    if (!index || *index == LOCATOR)
    {
        return {};
    }
    const Sid& s = m_sids[*index];
    Srv6SidCounters c = s.counters;
    c.cacheEntries = s.flows.size() + (s.cache ? 1 : 0);
    return c;
}

void
Srv6SidTable::SetFunctionHook(const Ipv6Address& sid, FunctionHook hook)
{
    auto index = m_sidFib.Lookup(sid);
    NS_ABORT_MSG_UNLESS(index && *index != LOCATOR,
                        "Srv6SidTable: no SID " << sid << " for a function hook");
    m_sids[*index].hook = hook;
}

void
Srv6SidTable::SetFunctionService(const Ipv6Address& sid, FunctionService service)
{
    auto index = m_sidFib.Lookup(sid);
    NS_ABORT_MSG_UNLESS(index && *index != LOCATOR,
                        "Srv6SidTable: no SID " << sid << " for a function service");
    m_sids[*index].service = std::move(service);
    m_sids[*index].hook = FunctionHook();
}

void
Srv6SidTable::AddTable(uint32_t id, Ptr<AisfcRouting> table)
{
    NS_ABORT_MSG_IF(id == 0, "Srv6SidTable: table 0 is the node's own FIB");
    m_tables[id] = table;
    if (m_ipv6)
    {
        table->SetIpv6(m_ipv6);
    }
}

uint32_t
Srv6SidTable::ReplaceProxyPath(const std::vector<Ipv6Address>& from,
                               const std::vector<Ipv6Address>& to)
{
    if (from.size() != to.size())
    {
        return 0;
    }
    uint32_t changed = 0;
    auto repoint = [&](CachedHeaders& c) {
        std::vector<Ipv6Address> path(c.srh.GetSegments().rbegin(), c.srh.GetSegments().rend());
        if (path != from || c.srh.GetHmac())
        {
            return;
        }
        uint8_t left = c.srh.GetSegmentsLeft();
        c.srh.SetPath(to);
        c.srh.SetSegmentsLeft(left);
        c.outer.SetDestination(c.srh.GetActiveSegment());
        ++changed;
    };
    for (Sid& sid : m_sids)
    {
        if (sid.cache)
        {
            repoint(*sid.cache);
        }
        for (auto& [key, cached] : sid.flows)
        {
            repoint(cached);
        }
    }
    return changed;
}

void
Srv6SidTable::AddPolicy(const Srv6Policy& policy)
{
    Srv6Policy p = policy;
    p.packetsPerList.assign(p.lists.size(), 0);
    for (auto& existing : m_policies)
    {
        if (existing.name == p.name)
        {
            existing = p;
            return;
        }
    }
    m_policies.push_back(p);
}

bool
Srv6SidTable::SetPolicyLists(const std::string& name, const std::vector<Srv6SegmentList>& lists)
{
    for (auto& p : m_policies)
    {
        if (p.name == name)
        {
            // New lists, new counts: results can tell the paths before and after a change.
            p.lists = lists;
            p.packetsPerList.assign(lists.size(), 0);
            return true;
        }
    }
    return false;
}

const Srv6Policy*
Srv6SidTable::GetPolicy(const std::string& name) const
{
    for (const auto& p : m_policies)
    {
        if (p.name == name)
        {
            return &p;
        }
    }
    return nullptr;
}

const std::vector<Srv6Policy>&
Srv6SidTable::GetPolicies() const
{
    return m_policies;
}

void
Srv6SidTable::SteerPrefix(const Ipv6Address& prefix, uint8_t length, const std::string& policy)
{
    const Srv6Policy* p = GetPolicy(policy);
    NS_ABORT_MSG_UNLESS(p, "Srv6SidTable: steering into unknown policy " << policy);
    m_prefixSteering.Insert(prefix.CombinePrefix(Ipv6Prefix(length)), length, p - &m_policies[0]);
}

void
Srv6SidTable::SteerFlow(const Srv6FlowMatch& match, const std::string& policy)
{
    const Srv6Policy* p = GetPolicy(policy);
    NS_ABORT_MSG_UNLESS(p, "Srv6SidTable: steering into unknown policy " << policy);
    m_flowSteering.emplace_back(match, p - &m_policies[0]);
}

void
Srv6SidTable::SetExternalInterface(uint32_t interface, bool external)
{
    if (m_external.size() <= interface)
    {
        m_external.resize(interface + 1, false);
    }
    m_external[interface] = external;
}

void
Srv6SidTable::SetDomainSidBlock(const Ipv6Address& prefix, uint8_t length)
{
    m_domainBlock = prefix;
    m_domainBlockLength = length;
    m_hasDomainBlock = true;
}

void
Srv6SidTable::AddHmacKey(uint32_t keyId, const std::vector<uint8_t>& key)
{
    m_hmacKeys[keyId] = key;
}

void
Srv6SidTable::SetVerifyHmacAtIngress(bool verify)
{
    m_verifyHmac = verify;
}

const std::map<std::string, uint64_t>&
Srv6SidTable::GetNodeCounters() const
{
    return m_nodeCounters;
}

// ---------------------------------------------------------------------------------------------
// Packet path

Ptr<Ipv6Route>
Srv6SidTable::RouteOutput(Ptr<Packet> p,
                          const Ipv6Header& header,
                          Ptr<NetDevice> oif,
                          Socket::SocketErrno& sockerr)
{
    sockerr = Socket::ERROR_NOROUTETOHOST;
    if (m_policies.empty() || oif)
    {
        return nullptr;
    }
    Ipv6Address dst = header.GetDestination();
    if (dst.IsMulticast() || dst.IsLinkLocal())
    {
        return nullptr;
    }
    bool mayMatch = m_prefixSteering.GetNRoutes() > 0 && m_prefixSteering.Lookup(dst);
    for (size_t i = 0; i < m_flowSteering.size() && !mayMatch; ++i)
    {
        mayMatch = m_flowSteering[i].first.MayMatchDestination(dst);
    }
    if (!mayMatch)
    {
        return nullptr;
    }
    // Through the loopback device, so that RouteInput sees the whole packet (ports included)
    // and applies the policy as it does for transit packets.
    Ptr<Ipv6Route> route = Create<Ipv6Route>();
    route->SetDestination(dst);
    route->SetGateway(Ipv6Address::GetZero());
    route->SetSource(m_source);
    route->SetOutputDevice(m_ipv6->GetNetDevice(0));
    sockerr = Socket::ERROR_NOTERROR;
    return route;
}

bool
Srv6SidTable::RouteInput(Ptr<const Packet> p,
                         const Ipv6Header& header,
                         Ptr<const NetDevice> idev,
                         UnicastForwardCallback ucb,
                         MulticastForwardCallback mcb,
                         LocalDeliverCallback lcb,
                         ErrorCallback /* null in a list: the list reports its own errors */)
{
    if (m_inResubmit)
    {
        return false; // already processed here: the FIB decides
    }
    Ipv6Address dst = header.GetDestination();
    if (dst.IsMulticast() || dst.IsLinkLocal())
    {
        return false;
    }
    // Most packets at most nodes are plain transit: one FIB lookup decides, and the context
    // is only built for packets SRv6 handles.
    auto context = [&]() { return Context{idev, ucb, mcb, lcb, m_noRoute, false}; };
    if (!m_proxyByInterface.empty() || !m_external.empty())
    {
        uint32_t iif = m_ipv6->GetInterfaceForDevice(idev);
        auto proxy = m_proxyByInterface.find(iif);
        if (proxy != m_proxyByInterface.end() &&
            ProcessProxyReturn(proxy->second, p->Copy(), header, context()))
        {
            return true;
        }
        if (iif < m_external.size() && m_external[iif] && !BoundaryCheck(p, header))
        {
            return true;
        }
    }
    // A cheap prefix test spares the hash lookups for the many packets outside the SID space.
    std::optional<AisfcFib::NextHopId> sid;
    if (m_spanLength >= 0 && Srv6InPrefix(dst, m_span, m_spanLength))
    {
        sid = m_sidFib.Lookup(dst);
    }
    if (sid)
    {
        if (*sid == LOCATOR)
        {
            ++m_nodeCounters["no-sid"];
            Drop(nullptr, header, p, "no-sid");
            return true;
        }
        Process(*sid, p->Copy(), header, context());
        return true;
    }
    if (!m_policies.empty())
    {
        if (auto policy = Classify(p, header))
        {
            Context ctx = context();
            ctx.fromLocal = DynamicCast<const LoopbackNetDevice>(idev) != nullptr;
            Headend(*policy, p->Copy(), header, ctx);
            return true;
        }
    }
    return false;
}

void
Srv6SidTable::Process(uint32_t sidIndex, Ptr<Packet> p, Ipv6Header header, const Context& ctx)
{
    Sid& sid = m_sids[sidIndex];
    ++sid.counters.packets;
    sid.counters.bytes += p->GetSize() + IPV6_HEADER_BYTES;
    const Srv6Behavior behavior = sid.config.behavior;
    Srv6PacketSrh found = Srv6FindSrh(p, header);
    if (found.kind == Srv6PacketSrh::MALFORMED)
    {
        NS_LOG_LOGIC("malformed SRH at " << sid.config.sid << ": " << found.error);
        SendParameterProblem(p, header, ICMP_ERRONEOUS_FIELD, IPV6_HEADER_BYTES + found.errorField);
        Drop(&sid.counters, header, p, "malformed-srh");
        return;
    }
    if (behavior == Srv6Behavior::END_DX6 || behavior == Srv6Behavior::END_DT6)
    {
        ProcessDecap(sidIndex, p, header, found, ctx);
        return;
    }
    if (found.kind == Srv6PacketSrh::OTHER_ROUTING && found.segmentsLeft > 0)
    {
        // RFC 8200 §4.4: an unrecognised routing type with Segments Left > 0.
        SendParameterProblem(p,
                             header,
                             ICMP_ERRONEOUS_FIELD,
                             IPV6_HEADER_BYTES + ROUTING_TYPE_FIELD);
        Drop(&sid.counters, header, p, "unsupported-routing-type");
        return;
    }
    if (found.kind != Srv6PacketSrh::SRH || found.srh.GetSegmentsLeft() == 0)
    {
        UltimateSegment(sidIndex, p, header, found, ctx);
        return;
    }

    // RFC 8986 §4.1, S05-S15 (shared by every behaviour that processes the SRH)
    Srv6SegmentRoutingHeader srh = std::move(found.srh);
    uint8_t sl = srh.GetSegmentsLeft();
    if (header.GetHopLimit() <= 1)
    {
        SendTimeExceeded(p, header);
        Drop(&sid.counters, header, p, "hop-limit");
        return;
    }
    if (sl > srh.GetLastEntry() + 1)
    {
        SendParameterProblem(p,
                             header,
                             ICMP_ERRONEOUS_FIELD,
                             IPV6_HEADER_BYTES + SRH_SEGMENTS_LEFT_FIELD);
        Drop(&sid.counters, header, p, "segments-left-exceeds-last-entry");
        return;
    }
    if (behavior == Srv6Behavior::END_AM)
    {
        ProcessProxyIngress(sidIndex, p, header, srh, found.bytes, ctx);
        return;
    }
    srh.SetSegmentsLeft(sl - 1);
    header.SetDestination(srh.GetSegments()[sl - 1]);
    bool psp = (sid.config.flavors & Srv6Flavor::PSP) && sl - 1 == 0 &&
               (behavior == Srv6Behavior::END || behavior == Srv6Behavior::END_X ||
                behavior == Srv6Behavior::END_T);
    if (psp)
    {
        Srv6RemoveSrh(p, header, found.bytes, srh.GetNextHeader());
    }
    else
    {
        Srv6ReplaceSrh(p, header, found.bytes, srh);
    }

    switch (behavior)
    {
    case Srv6Behavior::END:
        Finish(sidIndex, p, header, ctx, Next::RESUBMIT);
        return;
    case Srv6Behavior::END_X: {
        Finish(sidIndex, p, header, ctx, Next::ADJACENCY);
        return;
    }
    case Srv6Behavior::END_T: {
        Finish(sidIndex, p, header, ctx, Next::TABLE);
        return;
    }
    case Srv6Behavior::END_B6_ENCAPS: {
        const Srv6Policy* policy = GetPolicy(sid.config.policy);
        if (!policy || policy->lists.empty())
        {
            Drop(&sid.counters, header, p, "binding-sid-without-policy");
            return;
        }
        Srv6Policy& pol = m_policies[policy - &m_policies[0]];
        size_t list = pol.Select(Srv6ReadFlowKey(p, header).Hash(m_salt));
        ++pol.packetsPerList[list];
        // RFC 8986 §4.13 S12: the inner Hop Limit is decremented here (it is above 1, checked
        // above); IpForward only decrements the new outer header's.
        header.SetHopLimit(header.GetHopLimit() - 1);
        Ipv6Header outer =
            Srv6Encapsulate(p, header, m_source, pol.lists[list].path, false, m_hopLimit);
        Finish(sidIndex, p, outer, ctx, Next::RESUBMIT);
        return;
    }
    case Srv6Behavior::END_AS:
    case Srv6Behavior::END_AD:
    case Srv6Behavior::END_AD_FLOW:
        ProcessProxyIngress(sidIndex, p, header, srh, found.bytes, ctx);
        return;
    default:
        NS_ABORT_MSG("Srv6SidTable: unhandled behaviour " << Srv6BehaviorName(behavior));
    }
}

void
Srv6SidTable::UltimateSegment(uint32_t sidIndex,
                              Ptr<Packet> p,
                              Ipv6Header header,
                              const Srv6PacketSrh& found,
                              const Context& ctx)
{
    Sid& sid = m_sids[sidIndex];
    if (IsProxy(sid.config.behavior))
    {
        Drop(&sid.counters, header, p, "proxy-without-segments-left");
        return;
    }
    bool hasSrh = found.kind == Srv6PacketSrh::SRH;
    uint32_t srhBytes = found.kind == Srv6PacketSrh::NONE ? 0 : found.bytes;
    uint8_t upper = hasSrh ? found.srh.GetNextHeader() : header.GetNextHeader();
    if ((sid.config.flavors & Srv6Flavor::USD) && upper == IPV6_IN_IPV6)
    {
        Ipv6Header inner;
        if (!Srv6Decapsulate(p, srhBytes, inner))
        {
            Drop(&sid.counters, header, p, "truncated-inner-packet");
            return;
        }
        Finish(sidIndex, p, inner, ctx, Next::RESUBMIT);
        return;
    }
    if ((sid.config.flavors & Srv6Flavor::USP) && hasSrh)
    {
        Srv6RemoveSrh(p, header, found.bytes, upper);
        srhBytes = 0;
    }
    if (upper == ICMPV6 || m_deliverUpperLayer)
    {
        Finish(sidIndex, p, header, ctx, Next::LOCAL);
        return;
    }
    SendParameterProblem(p, header, ICMP_SR_UPPER_LAYER, IPV6_HEADER_BYTES + srhBytes);
    Drop(&sid.counters, header, p, "upper-layer-not-allowed");
}

void
Srv6SidTable::ProcessDecap(uint32_t sidIndex,
                           Ptr<Packet> p,
                           Ipv6Header header,
                           const Srv6PacketSrh& found,
                           const Context& ctx)
{
    Sid& sid = m_sids[sidIndex];
    if (found.kind != Srv6PacketSrh::NONE && found.segmentsLeft != 0)
    {
        // RFC 8986 §4.4 S02-S04: a decapsulating SID must be the last segment.
        SendParameterProblem(p,
                             header,
                             ICMP_ERRONEOUS_FIELD,
                             IPV6_HEADER_BYTES + SRH_SEGMENTS_LEFT_FIELD);
        Drop(&sid.counters, header, p, "segments-left-not-zero");
        return;
    }
    uint32_t srhBytes = found.kind == Srv6PacketSrh::NONE ? 0 : found.bytes;
    uint8_t upper = found.kind == Srv6PacketSrh::SRH    ? found.srh.GetNextHeader()
                    : found.kind == Srv6PacketSrh::NONE ? header.GetNextHeader()
                                                        : 0;
    if (upper != IPV6_IN_IPV6)
    {
        SendParameterProblem(p, header, ICMP_SR_UPPER_LAYER, IPV6_HEADER_BYTES + srhBytes);
        Drop(&sid.counters, header, p, "not-ipv6-inner");
        return;
    }
    Ipv6Header inner;
    if (!Srv6Decapsulate(p, srhBytes, inner))
    {
        Drop(&sid.counters, header, p, "truncated-inner-packet");
        return;
    }
    if (sid.config.behavior == Srv6Behavior::END_DX6)
    {
        Finish(sidIndex, p, inner, ctx, Next::ADJACENCY);
        return;
    }
    Finish(sidIndex, p, inner, ctx, Next::TABLE);
}

void
Srv6SidTable::ProcessProxyIngress(uint32_t sidIndex,
                                  Ptr<Packet> p,
                                  const Ipv6Header& header,
                                  const Srv6SegmentRoutingHeader& srh,
                                  uint32_t srhBytes,
                                  const Context& ctx)
{
    Sid& sid = m_sids[sidIndex];
    if (sid.config.behavior == Srv6Behavior::END_AM)
    {
        // Masquerading: the function sees the final destination and ignores the SRH; Segments
        // Left is left for the return path to decrement.
        Ipv6Header masked = header;
        masked.SetDestination(srh.GetSegments()[0]);
        ++sid.counters.proxyToFunction;
        Finish(sidIndex, p, masked, ctx, Next::ADJACENCY);
        return;
    }
    if (srh.GetNextHeader() != IPV6_IN_IPV6)
    {
        Drop(&sid.counters, header, p, "proxy-inner-not-ipv6");
        return;
    }
    Ipv6Header inner;
    if (!Srv6Decapsulate(p, srhBytes, inner))
    {
        Drop(&sid.counters, header, p, "truncated-inner-packet");
        return;
    }
    CachedHeaders cached{header, srh, Simulator::Now()};
    if (sid.config.behavior == Srv6Behavior::END_AD)
    {
        sid.cache = cached;
    }
    else if (sid.config.behavior == Srv6Behavior::END_AD_FLOW)
    {
        FlowCacheKey key = ProxyCacheKey(sid, p, inner);
        auto it = sid.flows.find(key);
        if (it == sid.flows.end() && sid.flows.size() >= sid.config.cacheSize)
        {
            // Full: expired entries go first, else the least recently used one.
            auto victim = sid.flows.begin();
            for (auto e = sid.flows.begin(); e != sid.flows.end(); ++e)
            {
                if (e->second.lastUsed < victim->second.lastUsed)
                {
                    victim = e;
                }
            }
            if (Simulator::Now() - victim->second.lastUsed > sid.config.cacheTimeout)
            {
                ++sid.counters.cacheExpired;
            }
            else
            {
                ++sid.counters.cacheEvictions;
            }
            sid.flows.erase(victim);
        }
        sid.flows[key] = cached;
    }
    ++sid.counters.proxyToFunction;
    Finish(sidIndex, p, inner, ctx, Next::ADJACENCY);
}

bool
Srv6SidTable::ProcessProxyReturn(uint32_t sidIndex,
                                 Ptr<Packet> p,
                                 Ipv6Header header,
                                 const Context& ctx)
{
    Sid& sid = m_sids[sidIndex];
    ++sid.counters.proxyFromFunction;
    auto restore = [&](const CachedHeaders& cached) {
        header.SetPayloadLength(p->GetSize());
        p->AddHeader(header);
        p->AddHeader(cached.srh);
        Ipv6Header outer = cached.outer;
        outer.SetPayloadLength(p->GetSize());
        Resubmit(p, outer, ctx);
    };
    switch (sid.config.behavior)
    {
    case Srv6Behavior::END_AS: {
        if (sid.config.proxyPath.empty())
        {
            Drop(&sid.counters, header, p, "static-proxy-without-segments");
            return true;
        }
        Ipv6Header outer = Srv6Encapsulate(p,
                                           header,
                                           sid.config.proxySource,
                                           sid.config.proxyPath,
                                           false,
                                           m_hopLimit);
        Resubmit(p, outer, ctx);
        return true;
    }
    case Srv6Behavior::END_AD:
        if (!sid.cache)
        {
            Drop(&sid.counters, header, p, "proxy-cache-miss");
            return true;
        }
        restore(*sid.cache);
        return true;
    case Srv6Behavior::END_AD_FLOW: {
        auto it = sid.flows.find(ProxyCacheKey(sid, p, header));
        if (it == sid.flows.end() && sid.config.proxyByDestination)
        {
            // Not the chain's direction (the proxy's own acknowledgements, another policy's
            // traffic): an ordinary packet, for steering and the FIB.
            return false;
        }
        if (it == sid.flows.end())
        {
            Drop(&sid.counters, header, p, "proxy-cache-miss");
            return true;
        }
        if (Simulator::Now() - it->second.lastUsed > sid.config.cacheTimeout)
        {
            ++sid.counters.cacheExpired;
            sid.flows.erase(it);
            Drop(&sid.counters, header, p, "proxy-cache-expired");
            return true;
        }
        it->second.lastUsed = Simulator::Now();
        restore(it->second);
        return true;
    }
    case Srv6Behavior::END_AM: {
        Srv6PacketSrh found = Srv6FindSrh(p, header);
        if (found.kind != Srv6PacketSrh::SRH || found.srh.GetSegmentsLeft() == 0)
        {
            Drop(&sid.counters, header, p, "masquerade-return-without-srh");
            return true;
        }
        Srv6SegmentRoutingHeader srh = found.srh;
        srh.SetSegmentsLeft(srh.GetSegmentsLeft() - 1);
        header.SetDestination(srh.GetActiveSegment());
        Srv6ReplaceSrh(p, header, found.bytes, srh);
        Resubmit(p, header, ctx);
        return true;
    }
    default:
        NS_ABORT_MSG("Srv6SidTable: not a proxy");
    }
    return true;
}

void
Srv6SidTable::Headend(size_t policyIndex, Ptr<Packet> p, Ipv6Header header, const Context& ctx)
{
    Srv6Policy& policy = m_policies[policyIndex];
    if (policy.lists.empty())
    {
        Drop(nullptr, header, p, "policy-without-segment-list");
        return;
    }
    // One list needs no flow hash (reading the ports costs a parse per packet).
    size_t list =
        policy.lists.size() == 1 ? 0 : policy.Select(Srv6ReadFlowKey(p, header).Hash(m_salt));
    ++policy.packetsPerList[list];
    const std::vector<Ipv6Address>& path = policy.lists[list].path;
    Ipv6Header out;
    if (policy.mode == Srv6HeadendMode::INSERT)
    {
        std::vector<Ipv6Address> full = path;
        full.push_back(header.GetDestination());
        Srv6SegmentRoutingHeader srh;
        srh.SetPath(full);
        out = header;
        if (ctx.fromLocal)
        {
            out.SetHopLimit(std::min(255, header.GetHopLimit() + 1));
        }
        Srv6InsertSrh(p, out, srh);
    }
    else
    {
        out = Srv6Encapsulate(p,
                              header,
                              m_source,
                              path,
                              policy.mode == Srv6HeadendMode::ENCAPS_RED,
                              EncapsHopLimit(ctx));
    }
    if (policy.hmacKeyId)
    {
        auto key = m_hmacKeys.find(*policy.hmacKeyId);
        Srv6PacketSrh found = Srv6FindSrh(p, out);
        if (key != m_hmacKeys.end() && found.kind == Srv6PacketSrh::SRH)
        {
            found.srh.Sign(key->second, out.GetSource(), *policy.hmacKeyId);
            Srv6ReplaceSrh(p, out, found.bytes, found.srh);
        }
    }
    Resubmit(p, out, ctx);
}

uint8_t
Srv6SidTable::EncapsHopLimit(const Context& ctx) const
{
    // A packet leaves through IpForward, which decrements the Hop Limit.  Linux sends a packet
    // encapsulated at its source with the full limit, so one is added back for those.
    return ctx.fromLocal ? std::min(255, m_hopLimit + 1) : m_hopLimit;
}

void
Srv6SidTable::Finish(uint32_t sidIndex,
                     Ptr<Packet> p,
                     const Ipv6Header& header,
                     const Context& ctx,
                     Next next)
{
    Time delay = m_sids[sidIndex].config.processingDelay;
    if (delay.IsZero())
    {
        Send(sidIndex, p, header, ctx, next);
        return;
    }
    Simulator::Schedule(delay, [this, sidIndex, p, header, ctx, next]() {
        Send(sidIndex, p, header, ctx, next);
    });
}

void
Srv6SidTable::Send(uint32_t sidIndex,
                   Ptr<Packet> p,
                   const Ipv6Header& header,
                   const Context& ctx,
                   Next next)
{
    Sid& sid = m_sids[sidIndex];
    if (sid.service)
    {
        sid.service(p,
                    header,
                    [this, sidIndex, ctx, next](Ptr<Packet> out,
                                                const Ipv6Header& h,
                                                const std::string& dropReason) {
                        if (dropReason.empty())
                        {
                            Forward(sidIndex, out, h, ctx, next);
                        }
                        else
                        {
                            Drop(&m_sids[sidIndex].counters, h, out, dropReason);
                        }
                    });
        return;
    }
    Ipv6Header h = header;
    if (!sid.hook.IsNull() && !sid.hook(p, h))
    {
        Drop(&sid.counters, h, p, "dropped-by-function");
        return;
    }
    Forward(sidIndex, p, h, ctx, next);
}

void
Srv6SidTable::Forward(uint32_t sidIndex,
                      Ptr<Packet> p,
                      const Ipv6Header& h,
                      const Context& ctx,
                      Next next)
{
    ++m_sids[sidIndex].counters.forwarded;
    switch (next)
    {
    case Next::RESUBMIT:
        Resubmit(p, h, ctx);
        return;
    case Next::ADJACENCY:
        ctx.ucb(ctx.idev, SidRoute(sidIndex), p, h);
        return;
    case Next::TABLE:
        LookupTable(m_sids[sidIndex].config.table, p, h, ctx);
        return;
    case Next::LOCAL:
        ctx.lcb(p, h, m_ipv6->GetInterfaceForDevice(ctx.idev));
        return;
    }
}

void
Srv6SidTable::Resubmit(Ptr<Packet> p, const Ipv6Header& header, const Context& ctx)
{
    Ipv6Address dst = header.GetDestination();
    if (auto sid = m_sidFib.Lookup(dst); sid && *sid != LOCATOR)
    {
        if (m_depth >= MAX_LOCAL_SIDS)
        {
            Drop(&m_sids[*sid].counters, header, p, "local-sid-loop");
            return;
        }
        ++m_depth;
        Process(*sid, p, header, ctx);
        --m_depth;
        return;
    }
    // The node's own address needs no test here: the FIB delivers it locally.
    m_inResubmit = true;
    m_ipv6->GetRoutingProtocol()
        ->RouteInput(p, header, ctx.idev, ctx.ucb, ctx.mcb, ctx.lcb, ctx.ecb);
    m_inResubmit = false;
}

void
Srv6SidTable::LookupTable(uint32_t table,
                          Ptr<Packet> p,
                          const Ipv6Header& header,
                          const Context& ctx)
{
    if (table == 0)
    {
        Resubmit(p, header, ctx);
        return;
    }
    auto it = m_tables.find(table);
    if (it == m_tables.end() ||
        !it->second->RouteInput(p, header, ctx.idev, ctx.ucb, ctx.mcb, ctx.lcb, ctx.ecb))
    {
        NoRoute(p, header, Socket::ERROR_NOROUTETOHOST);
    }
}

void
Srv6SidTable::NoRoute(Ptr<const Packet> p, const Ipv6Header& header, Socket::SocketErrno)
{
    Drop(nullptr, header, p, "no-route");
    if (!header.GetSource().IsAny() && !header.GetSource().IsMulticast())
    {
        Ptr<Packet> copy = p->Copy();
        copy->AddHeader(header);
        m_ipv6->GetObject<Ipv6L3Protocol>()->GetIcmpv6()->SendErrorDestinationUnreachable(
            copy,
            header.GetSource(),
            Icmpv6Header::ICMPV6_NO_ROUTE);
    }
}

bool
Srv6SidTable::BoundaryCheck(Ptr<const Packet> p, const Ipv6Header& header)
{
    Srv6PacketSrh found = Srv6FindSrh(p, header);
    bool toSidBlock = m_hasDomainBlock &&
                      Srv6InPrefix(header.GetDestination(), m_domainBlock, m_domainBlockLength);
    if (found.kind == Srv6PacketSrh::NONE && !toSidBlock)
    {
        return true;
    }
    if (m_verifyHmac && found.kind == Srv6PacketSrh::SRH)
    {
        auto hmac = found.srh.GetHmac();
        auto key = hmac ? m_hmacKeys.find(hmac->keyId) : m_hmacKeys.end();
        const char* verdict = !hmac                     ? "hmac-missing"
                              : key == m_hmacKeys.end() ? "hmac-unknown-key"
                              : !found.srh.VerifyHmac(key->second, header.GetSource())
                                  ? "hmac-invalid"
                                  : "hmac-verified";
        ++m_nodeCounters[verdict];
        if (std::string(verdict) == "hmac-verified")
        {
            return true;
        }
        Drop(nullptr, header, p, verdict);
        return false;
    }
    // RFC 8754 §5.1: SRv6 traffic entering the domain from outside is dropped.
    ++m_nodeCounters["boundary-drop"];
    Drop(nullptr, header, p, "boundary-drop");
    return false;
}

std::optional<size_t>
Srv6SidTable::Classify(Ptr<const Packet> p, const Ipv6Header& header) const
{
    if (!m_flowSteering.empty())
    {
        Srv6FlowKey key = Srv6ReadFlowKey(p, header);
        for (const auto& [match, policy] : m_flowSteering)
        {
            if (match.Matches(key))
            {
                return policy;
            }
        }
    }
    if (m_prefixSteering.GetNRoutes() > 0)
    {
        if (auto policy = m_prefixSteering.Lookup(header.GetDestination()))
        {
            return *policy;
        }
    }
    return std::nullopt;
}

Ptr<Ipv6Route>
Srv6SidTable::SidRoute(uint32_t sidIndex)
{
    Sid& sid = m_sids[sidIndex];
    if (!sid.adjacency)
    {
        // IpForward and SendRealOut read only the gateway and the device: one route serves all.
        sid.adjacency = Create<Ipv6Route>();
        sid.adjacency->SetDestination(sid.config.nextHop);
        sid.adjacency->SetGateway(sid.config.nextHop);
        sid.adjacency->SetOutputDevice(m_ipv6->GetNetDevice(sid.config.interface));
        sid.adjacency->SetSource(m_source);
    }
    return sid.adjacency;
}

void
Srv6SidTable::Drop(Srv6SidCounters* counters,
                   const Ipv6Header& header,
                   Ptr<const Packet> p,
                   const std::string& reason)
{
    NS_LOG_LOGIC("drop " << reason << " " << header);
    if (counters)
    {
        ++counters->drops[reason];
    }
    m_dropTrace(header, p, reason);
}

void
Srv6SidTable::SendParameterProblem(Ptr<const Packet> p,
                                   const Ipv6Header& header,
                                   uint8_t code,
                                   uint32_t pointer)
{
    if (header.GetSource().IsAny() || header.GetSource().IsMulticast())
    {
        return;
    }
    Ptr<Packet> copy = p->Copy();
    copy->AddHeader(header);
    m_ipv6->GetObject<Ipv6L3Protocol>()->GetIcmpv6()->SendErrorParameterError(copy,
                                                                              header.GetSource(),
                                                                              code,
                                                                              pointer);
}

void
Srv6SidTable::SendTimeExceeded(Ptr<const Packet> p, const Ipv6Header& header)
{
    if (header.GetSource().IsAny() || header.GetSource().IsMulticast())
    {
        return;
    }
    Ptr<Packet> copy = p->Copy();
    copy->AddHeader(header);
    m_ipv6->GetObject<Ipv6L3Protocol>()->GetIcmpv6()->SendErrorTimeExceeded(
        copy,
        header.GetSource(),
        Icmpv6Header::ICMPV6_HOPLIMIT);
}

Srv6SidTable::FlowCacheKey
Srv6SidTable::ProxyCacheKey(const Sid& sid, Ptr<const Packet> p, const Ipv6Header& inner)
{
    if (sid.config.proxyByDestination)
    {
        Srv6FlowKey key;
        key.destination = inner.GetDestination();
        return FlowKeyOf(key);
    }
    return FlowKeyOf(Srv6ReadFlowKey(p, inner));
}

Srv6SidTable::FlowCacheKey
Srv6SidTable::FlowKeyOf(const Srv6FlowKey& key)
{
    FlowCacheKey k{};
    key.source.GetBytes(k.data());
    key.destination.GetBytes(k.data() + 16);
    k[32] = key.protocol;
    k[33] = key.sourcePort >> 8;
    k[34] = key.sourcePort & 0xff;
    k[35] = key.destinationPort >> 8;
    k[36] = key.destinationPort & 0xff;
    return k;
}

// ---------------------------------------------------------------------------------------------
// Ipv6RoutingProtocol bookkeeping

void
Srv6SidTable::SetIpv6(Ptr<Ipv6> ipv6)
{
    m_ipv6 = ipv6;
    m_noRoute = MakeCallback(&Srv6SidTable::NoRoute, this);
    if (Ptr<Node> node = ipv6->GetObject<Node>())
    {
        m_salt = node->GetId();
    }
    for (auto& [id, table] : m_tables)
    {
        table->SetIpv6(ipv6);
    }
}

void
Srv6SidTable::NotifyInterfaceUp(uint32_t interface)
{
    for (auto& [id, table] : m_tables)
    {
        table->NotifyInterfaceUp(interface);
    }
}

void
Srv6SidTable::NotifyInterfaceDown(uint32_t interface)
{
    for (auto& [id, table] : m_tables)
    {
        table->NotifyInterfaceDown(interface);
    }
}

void
Srv6SidTable::NotifyAddAddress(uint32_t interface, Ipv6InterfaceAddress address)
{
    for (auto& [id, table] : m_tables)
    {
        table->NotifyAddAddress(interface, address);
    }
}

void
Srv6SidTable::NotifyRemoveAddress(uint32_t interface, Ipv6InterfaceAddress address)
{
    for (auto& [id, table] : m_tables)
    {
        table->NotifyRemoveAddress(interface, address);
    }
}

void
Srv6SidTable::NotifyAddRoute(Ipv6Address, Ipv6Prefix, Ipv6Address, uint32_t, Ipv6Address)
{
}

void
Srv6SidTable::NotifyRemoveRoute(Ipv6Address, Ipv6Prefix, Ipv6Address, uint32_t, Ipv6Address)
{
}

void
Srv6SidTable::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit) const
{
    std::ostream& os = *stream->GetStream();
    os << "Node " << (m_ipv6 ? m_ipv6->GetObject<Node>()->GetId() : 0) << " SRv6 SIDs\n";
    for (const Sid& s : m_sids)
    {
        if (!s.active)
        {
            continue;
        }
        os << "  " << s.config.sid << "/" << int(s.config.length) << " "
           << Srv6BehaviorName(s.config.behavior) << " packets " << s.counters.packets << " bytes "
           << s.counters.bytes << " drops " << s.counters.Dropped() << "\n";
    }
    for (const Srv6Policy& p : m_policies)
    {
        os << "  policy " << p.name << " " << Srv6HeadendModeName(p.mode) << " lists "
           << p.lists.size() << "\n";
    }
}

} // namespace ns3
