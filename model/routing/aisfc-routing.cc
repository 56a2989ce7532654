/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-routing.h"

#include "ns3/abort.h"
#include "ns3/ipv6-route.h"
#include "ns3/ipv6.h"
#include "ns3/log.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/simulator.h"

#include <iomanip>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AisfcRouting");
NS_OBJECT_ENSURE_REGISTERED(AisfcRouting);

namespace
{
uint8_t
PrefixLength(const Ipv6Prefix& prefix)
{
    return prefix.GetPrefixLength();
}

// Addresses whose prefix this node reaches on-link and that aisfc's FIB should carry.
bool
IsRoutable(const Ipv6InterfaceAddress& address)
{
    Ipv6Address a = address.GetAddress();
    return !a.IsLinkLocal() && !a.IsLocalhost() && !a.IsAny() &&
           address.GetPrefix().GetPrefixLength() < 128;
}
} // namespace

TypeId
AisfcRouting::GetTypeId()
{
    static TypeId tid = TypeId("ns3::AisfcRouting")
                            .SetParent<Ipv6RoutingProtocol>()
                            .SetGroupName("Aisfc")
                            .AddConstructor<AisfcRouting>();
    return tid;
}

AisfcRouting::AisfcRouting() = default;

AisfcRouting::~AisfcRouting() = default;

void
AisfcRouting::DoDispose()
{
    m_ipv6 = nullptr;
    m_nextHops.clear();
    Ipv6RoutingProtocol::DoDispose();
}

void
AisfcRouting::SetIpv6(Ptr<Ipv6> ipv6)
{
    NS_ASSERT(ipv6);
    m_ipv6 = ipv6;
    if (Ptr<Node> node = ipv6->GetObject<Node>())
    {
        m_salt = node->GetId();
    }
    for (uint32_t i = 0; i < m_ipv6->GetNInterfaces(); ++i)
    {
        if (m_ipv6->IsUp(i))
        {
            NotifyInterfaceUp(i);
        }
    }
}

AisfcFib::NextHopId
AisfcRouting::NextHopFor(uint32_t interface, const Ipv6Address& gateway)
{
    for (AisfcFib::NextHopId id = 0; id < m_nextHops.size(); ++id)
    {
        if (m_nextHops[id].interface == interface && m_nextHops[id].gateway == gateway)
        {
            return id;
        }
    }
    m_nextHops.push_back({interface, gateway, nullptr});
    return m_nextHops.size() - 1;
}

Ptr<Ipv6Route>
AisfcRouting::RouteOf(AisfcFib::NextHopId id)
{
    NextHop& nh = m_nextHops[id];
    if (!nh.route)
    {
        nh.route = Create<Ipv6Route>();
        nh.route->SetGateway(nh.gateway);
        nh.route->SetOutputDevice(m_ipv6->GetNetDevice(nh.interface));
        nh.route->SetSource(m_nodeAddress);
        // Without a node address: the first global address of the interface.
        for (uint32_t j = 0; j < m_ipv6->GetNAddresses(nh.interface); ++j)
        {
            Ipv6InterfaceAddress a = m_ipv6->GetAddress(nh.interface, j);
            if (m_nodeAddress.IsAny() && IsRoutable(a))
            {
                nh.route->SetSource(a.GetAddress());
                break;
            }
        }
    }
    return nh.route;
}

void
AisfcRouting::AddRoute(const Ipv6Address& prefix,
                       uint8_t length,
                       uint32_t interface,
                       const Ipv6Address& gateway)
{
    m_fib.Insert(prefix, length, NextHopFor(interface, gateway));
}

void
AisfcRouting::AddMultipathRoute(const Ipv6Address& prefix,
                                uint8_t length,
                                const std::vector<std::pair<uint32_t, Ipv6Address>>& hops)
{
    NS_ABORT_MSG_IF(hops.empty(), "AisfcRouting::AddMultipathRoute: no next hop");
    if (hops.size() == 1)
    {
        AddRoute(prefix, length, hops[0].first, hops[0].second);
        return;
    }
    std::vector<AisfcFib::NextHopId> members;
    for (const auto& [interface, gateway] : hops)
    {
        members.push_back(NextHopFor(interface, gateway));
    }
    auto [it, added] = m_groupOf.emplace(members, GROUP | m_groups.size());
    if (added)
    {
        m_groups.push_back(members);
    }
    m_fib.Insert(prefix, length, it->second);
}

AisfcFib::NextHopId
AisfcRouting::Choose(AisfcFib::NextHopId id, const Ipv6Header& header) const
{
    if (id == LOCAL || (id & GROUP) == 0)
    {
        return id;
    }
    const auto& members = m_groups[id & ~GROUP];
    Ipv6AddressHash hash;
    uint64_t x = hash(header.GetSource()) * 0x9e3779b97f4a7c15ULL ^ hash(header.GetDestination());
    x ^= (uint64_t(header.GetFlowLabel()) << 32) ^ m_salt * 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 31;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 29;
    return members[x % members.size()];
}

void
AisfcRouting::SetNodeAddress(const Ipv6Address& address)
{
    m_nodeAddress = address;
    m_fib.Insert(address, 128, LOCAL);
}

void
AisfcRouting::ReserveRoutes(uint8_t length, size_t n)
{
    m_fib.Reserve(length, n);
}

const AisfcFib&
AisfcRouting::GetFib() const
{
    return m_fib;
}

Ptr<Ipv6Route>
AisfcRouting::RouteOutput(Ptr<Packet> p,
                          const Ipv6Header& header,
                          Ptr<NetDevice> oif,
                          Socket::SocketErrno& sockerr)
{
    Ipv6Address dst = header.GetDestination();
    if (dst.IsMulticast() || dst.IsLinkLocal())
    {
        return nullptr; // Ipv6StaticRouting handles these
    }
    auto nh = m_fib.Lookup(dst);
    if (nh)
    {
        nh = Choose(*nh, header);
    }
    if (!nh || *nh == LOCAL || (oif && m_ipv6->GetNetDevice(m_nextHops[*nh].interface) != oif))
    {
        sockerr = Socket::ERROR_NOROUTETOHOST;
        return nullptr;
    }
    sockerr = Socket::ERROR_NOTERROR;
    Ptr<Ipv6Route> route = RouteOf(*nh);
    // Local sockets read the destination; a copy keeps the shared forwarding route untouched.
    Ptr<Ipv6Route> out = Create<Ipv6Route>(*route);
    out->SetDestination(dst);
    return out;
}

bool
AisfcRouting::RouteInput(Ptr<const Packet> p,
                         const Ipv6Header& header,
                         Ptr<const NetDevice> idev,
                         UnicastForwardCallback ucb,
                         MulticastForwardCallback mcb,
                         LocalDeliverCallback lcb,
                         ErrorCallback ecb)
{
    if (header.GetSource().IsMulticast())
    {
        // RFC 4291 2.7: never a valid source; consumed (dropped) here.  Passed on, ns-3.37
        // answers it with an ICMPv6 error whose route lookup dereferences a null interface
        // (found by the srv6-node fuzz target).
        return true;
    }
    Ipv6Address dst = header.GetDestination();
    if (dst.IsMulticast() || dst.IsLinkLocal())
    {
        return false;
    }
    auto nh = m_fib.Lookup(dst);
    if (!nh)
    {
        return false;
    }
    if (*nh == LOCAL)
    {
        lcb(p, header, m_ipv6->GetInterfaceForDevice(idev));
        return true;
    }
    ucb(idev, RouteOf(Choose(*nh, header)), p, header);
    return true;
}

void
AisfcRouting::AddConnected(uint32_t interface, const Ipv6InterfaceAddress& address)
{
    if (IsRoutable(address))
    {
        m_fib.Insert(address.GetAddress().CombinePrefix(address.GetPrefix()),
                     PrefixLength(address.GetPrefix()),
                     NextHopFor(interface, Ipv6Address::GetZero()));
    }
}

void
AisfcRouting::RemoveConnected(uint32_t /* interface */, const Ipv6InterfaceAddress& address)
{
    if (IsRoutable(address))
    {
        m_fib.Remove(address.GetAddress().CombinePrefix(address.GetPrefix()),
                     PrefixLength(address.GetPrefix()));
    }
}

void
AisfcRouting::NotifyInterfaceUp(uint32_t interface)
{
    for (uint32_t j = 0; j < m_ipv6->GetNAddresses(interface); ++j)
    {
        AddConnected(interface, m_ipv6->GetAddress(interface, j));
    }
}

void
AisfcRouting::NotifyInterfaceDown(uint32_t interface)
{
    for (uint32_t j = 0; j < m_ipv6->GetNAddresses(interface); ++j)
    {
        RemoveConnected(interface, m_ipv6->GetAddress(interface, j));
    }
}

void
AisfcRouting::NotifyAddAddress(uint32_t interface, Ipv6InterfaceAddress address)
{
    if (m_ipv6->IsUp(interface))
    {
        AddConnected(interface, address);
    }
}

void
AisfcRouting::NotifyRemoveAddress(uint32_t interface, Ipv6InterfaceAddress address)
{
    RemoveConnected(interface, address);
}

void
AisfcRouting::NotifyAddRoute(Ipv6Address, Ipv6Prefix, Ipv6Address, uint32_t, Ipv6Address)
{
    // Routes added through Ipv6 (e.g. by radvd) belong to Ipv6StaticRouting.
}

void
AisfcRouting::NotifyRemoveRoute(Ipv6Address, Ipv6Prefix, Ipv6Address, uint32_t, Ipv6Address)
{
}

void
AisfcRouting::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    std::ostream& os = *stream->GetStream();
    os << "Node: " << m_ipv6->GetObject<Node>()->GetId() << ", Time: " << Now().As(unit)
       << ", aisfc FIB (" << m_fib.GetNRoutes() << " routes)\n";
    os << std::left << std::setw(44) << "Destination" << std::setw(42) << "Gateway"
       << "Interface\n";
    for (const auto& r : m_fib.GetRoutes())
    {
        std::ostringstream dst;
        dst << r.prefix << "/" << unsigned(r.length);
        if (r.nextHop == LOCAL)
        {
            os << std::setw(44) << dst.str() << std::setw(42) << "local"
               << "-\n";
            continue;
        }
        const NextHop& nh = m_nextHops[r.nextHop];
        std::ostringstream gw;
        gw << nh.gateway;
        os << std::setw(44) << dst.str() << std::setw(42) << gw.str() << nh.interface << "\n";
    }
}

} // namespace ns3
