/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-network-builder.h"

#include "ns3/aisfc-routing.h"
#include "ns3/boolean.h"
#include "ns3/data-rate.h"
#include "ns3/icmpv6-l4-protocol.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv6-list-routing-helper.h"
#include "ns3/ipv6-list-routing.h"
#include "ns3/ipv6-static-routing-helper.h"
#include "ns3/ipv6-static-routing.h"
#include "ns3/ipv6.h"
#include "ns3/nstime.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/queue-size.h"
#include "ns3/srv6-extension-routing.h"

#include <cmath>

namespace ns3
{

namespace
{

/// Lets Ipv6ListRoutingHelper create an AisfcRouting on each node.
class AisfcRoutingHelper : public Ipv6RoutingHelper
{
  public:
    Ipv6RoutingHelper* Copy() const override
    {
        return new AisfcRoutingHelper(*this);
    }

    Ptr<Ipv6RoutingProtocol> Create(Ptr<Node>) const override
    {
        return CreateObject<AisfcRouting>();
    }
};

Ptr<AisfcRouting>
FindAisfcRouting(Ptr<Node> node)
{
    Ptr<Ipv6ListRouting> list =
        DynamicCast<Ipv6ListRouting>(node->GetObject<Ipv6>()->GetRoutingProtocol());
    for (uint32_t i = 0; list && i < list->GetNRoutingProtocols(); ++i)
    {
        int16_t priority;
        if (auto r = DynamicCast<AisfcRouting>(list->GetRoutingProtocol(i, priority)))
        {
            return r;
        }
    }
    return nullptr;
}

Ipv6Address
AddressFromHalves(uint64_t hi, uint64_t lo)
{
    uint8_t bytes[16];
    for (int i = 0; i < 8; ++i)
    {
        bytes[i] = static_cast<uint8_t>(hi >> (56 - 8 * i));
        bytes[8 + i] = static_cast<uint8_t>(lo >> (56 - 8 * i));
    }
    return Ipv6Address(bytes);
}

// fd61:6973::/32, unique-local ("a" "i" "s" in ASCII).  Not the documentation prefix
// 2001:db8::/32: ns-3's Ipv6L3Protocol::IpForward drops every packet addressed there.
constexpr uint64_t PLAN_PREFIX = 0xfd616973ULL << 32;
constexpr uint64_t SID_BLOCK = 0xfd615336ULL << 32; // fd61:5336::/32, "S6"

} // namespace

Ipv6Address
AisfcNetworkBuilder::NodeAddress(uint32_t i)
{
    return AddressFromHalves(PLAN_PREFIX, uint64_t(i) + 1);
}

Ipv6Address
AisfcNetworkBuilder::LocatorPrefix(uint32_t i)
{
    return AddressFromHalves(SID_BLOCK | (uint64_t(i) + 1), 0);
}

Ipv6Address
AisfcNetworkBuilder::SidAddress(uint32_t i, uint16_t function)
{
    return AddressFromHalves(SID_BLOCK | (uint64_t(i) + 1), uint64_t(function) << 48);
}

Ipv6Address
AisfcNetworkBuilder::LinkPrefix(uint32_t l)
{
    return AddressFromHalves(PLAN_PREFIX | (uint64_t(l) + 1), 0);
}

AisfcNetworkBuilder::AisfcNetworkBuilder(const AisfcTopology& topology,
                                         const NetworkOptions& options)
    : m_topology(topology),
      m_options(options)
{
    CreateNodes();
    CreateLinks();
    InstallRoutes();
}

AisfcNetworkBuilder::~AisfcNetworkBuilder() = default;

void
AisfcNetworkBuilder::InstallStacks(NodeContainer nodes)
{
    Ipv6ListRoutingHelper list;
    list.Add(AisfcRoutingHelper(), 10);
    list.Add(Ipv6StaticRoutingHelper(), 0);
    InternetStackHelper stack;
    stack.SetIpv4StackInstall(false);
    if (m_options.routing == NetworkOptions::Routing::AISFC)
    {
        stack.SetRoutingHelper(list);
    }
    else
    {
        stack.SetRoutingHelper(Ipv6StaticRoutingHelper());
    }
    stack.Install(nodes);
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        nodes.Get(i)->GetObject<Icmpv6L4Protocol>()->SetAttribute(
            "DAD",
            BooleanValue(m_options.duplicateAddressDetection));
        // Every node must read SRv6 packets addressed to it correctly, SRv6 node or not.
        Srv6ExtensionRouting::Install(nodes.Get(i));
    }
}

void
AisfcNetworkBuilder::CreateNodes()
{
    m_nodes.Create(m_topology.GetNNodes());
    InstallStacks(m_nodes);
    for (uint32_t i = 0; i < m_nodes.GetN(); ++i)
    {
        Ptr<Node> node = m_nodes.Get(i);
        node->GetObject<Ipv6>()->AddAddress(0,
                                            Ipv6InterfaceAddress(NodeAddress(i), Ipv6Prefix(128)));
        Ptr<AisfcRouting> routing = FindAisfcRouting(node);
        if (routing)
        {
            routing->SetNodeAddress(NodeAddress(i));
        }
        m_routing.push_back(routing);
    }
}

AisfcNetworkBuilder::LinkDevices
AisfcNetworkBuilder::Connect(Ptr<Node> a,
                             Ptr<Node> b,
                             double rateBps,
                             double delaySeconds,
                             uint32_t l)
{
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate",
                           DataRateValue(DataRate(static_cast<uint64_t>(std::llround(rateBps)))));
    p2p.SetChannelAttribute("Delay", TimeValue(Seconds(delaySeconds)));
    p2p.SetQueue("ns3::DropTailQueue<Packet>",
                 "MaxSize",
                 QueueSizeValue(QueueSize(std::to_string(m_options.queuePackets) + "p")));
    NetDeviceContainer devices = p2p.Install(a, b);

    LinkDevices ld;
    ld.deviceA = DynamicCast<PointToPointNetDevice>(devices.Get(0));
    ld.deviceB = DynamicCast<PointToPointNetDevice>(devices.Get(1));
    Ipv6Address prefix = LinkPrefix(l);
    uint8_t bytes[16];
    prefix.GetBytes(bytes);
    bytes[15] = 1;
    ld.addressA = Ipv6Address(bytes);
    bytes[15] = 2;
    ld.addressB = Ipv6Address(bytes);

    auto attach = [](Ptr<Node> node, Ptr<NetDevice> device, const Ipv6Address& address) {
        Ptr<Ipv6> ipv6 = node->GetObject<Ipv6>();
        uint32_t interface = ipv6->AddInterface(device);
        ipv6->AddAddress(interface, Ipv6InterfaceAddress(address, Ipv6Prefix(64)));
        ipv6->SetForwarding(interface, true);
        ipv6->SetUp(interface);
        return interface;
    };
    ld.interfaceA = attach(a, ld.deviceA, ld.addressA);
    ld.interfaceB = attach(b, ld.deviceB, ld.addressB);
    return ld;
}

void
AisfcNetworkBuilder::CreateLinks()
{
    for (uint32_t l = 0; l < m_topology.GetNLinks(); ++l)
    {
        const TopologyLink& link = m_topology.GetLink(l);
        m_links.push_back(Connect(m_nodes.Get(link.a),
                                  m_nodes.Get(link.b),
                                  link.capacityBps,
                                  link.delaySeconds,
                                  l));
    }
}

const AisfcNetworkBuilder::StubNode&
AisfcNetworkBuilder::AddStubNode(uint32_t attachTo, double rateBps, double delaySeconds)
{
    NS_ABORT_MSG_IF(attachTo >= m_topology.GetNNodes(),
                    "AddStubNode: no topology node " << attachTo);
    NodeContainer stub;
    stub.Create(1);
    InstallStacks(stub);
    StubNode s;
    s.node = stub.Get(0);
    s.attachedTo = attachTo;
    s.link = Connect(m_nodes.Get(attachTo),
                     s.node,
                     rateBps,
                     delaySeconds,
                     m_topology.GetNLinks() + m_stubs.size());
    // A stub is a host: everything not on its link goes through the node it hangs off.
    if (Ptr<AisfcRouting> routing = FindAisfcRouting(s.node))
    {
        routing->AddRoute(Ipv6Address::GetZero(), 0, s.link.interfaceB, s.link.addressA);
    }
    m_nodes.Add(s.node);
    m_stubs.push_back(s);
    return m_stubs.back();
}

const std::vector<AisfcNetworkBuilder::StubNode>&
AisfcNetworkBuilder::GetStubNodes() const
{
    return m_stubs;
}

void
AisfcNetworkBuilder::AddPrefixRoute(const Ipv6Address& prefix, uint8_t length, uint32_t owner)
{
    for (uint32_t u = 0; u < m_topology.GetNNodes(); ++u)
    {
        AddRoute(u, prefix, length, owner);
    }
}

std::pair<uint32_t, Ipv6Address>
AisfcNetworkBuilder::GetAdjacency(uint32_t node, uint32_t neighbour) const
{
    for (uint32_t l : m_topology.GetLinksOf(node))
    {
        const TopologyLink& link = m_topology.GetLink(l);
        if (link.a == node && link.b == neighbour)
        {
            return {m_links[l].interfaceA, m_links[l].addressB};
        }
        if (link.b == node && link.a == neighbour)
        {
            return {m_links[l].interfaceB, m_links[l].addressA};
        }
    }
    throw std::out_of_range("node " + std::to_string(node) + " is not adjacent to " +
                            std::to_string(neighbour));
}

void
AisfcNetworkBuilder::InstallRoutes()
{
    m_paths = std::make_unique<NextHopTable>(m_topology,
                                             MetricWeight(m_topology, m_options.routingMetric));
    uint32_t n = m_topology.GetNNodes();
    for (uint32_t u = 0; u < n; ++u)
    {
        if (Ptr<AisfcRouting> routing = m_routing[u])
        {
            routing->ReserveRoutes(128, n);
            routing->ReserveRoutes(64, m_topology.GetNLinks());
        }
        for (uint32_t v = 0; v < n && m_routing[u]; ++v)
        {
            AddRoute(u, NodeAddress(v), 128, v);
        }
        for (uint32_t l = 0; l < m_topology.GetNLinks(); ++l)
        {
            const TopologyLink& link = m_topology.GetLink(l);
            if (link.a == u || link.b == u)
            {
                continue; // on-link: AisfcRouting adds it when the interface comes up
            }
            uint32_t nearer =
                m_paths->Distance(u, link.a) <= m_paths->Distance(u, link.b) ? link.a : link.b;
            AddRoute(u, LinkPrefix(l), 64, nearer);
        }
    }
}

void
AisfcNetworkBuilder::AddRoute(uint32_t node,
                              const Ipv6Address& prefix,
                              uint8_t length,
                              uint32_t towards)
{
    std::vector<uint32_t> links;
    if (m_options.equalCostMultipath && m_routing[node])
    {
        links = m_paths->EqualCostLinks(node, towards);
    }
    else if (uint32_t first = m_paths->NextLink(node, towards); first != NextHopTable::NO_LINK)
    {
        links.push_back(first);
    }
    if (links.empty())
    {
        return; // towards is the node itself or unreachable
    }
    // Interface of `node` on each link, and the address of the far end as gateway.
    std::vector<std::pair<uint32_t, Ipv6Address>> hops;
    for (uint32_t l : links)
    {
        const LinkDevices& ld = m_links[l];
        bool atA = m_topology.GetLink(l).a == node;
        hops.emplace_back(atA ? ld.interfaceA : ld.interfaceB, atA ? ld.addressB : ld.addressA);
    }
    if (m_routing[node])
    {
        m_routing[node]->AddMultipathRoute(prefix, length, hops);
        return;
    }
    Ptr<Ipv6StaticRouting> routing =
        DynamicCast<Ipv6StaticRouting>(GetNode(node)->GetObject<Ipv6>()->GetRoutingProtocol());
    routing->AddNetworkRouteTo(prefix, Ipv6Prefix(length), hops[0].second, hops[0].first);
}

const NetworkOptions&
AisfcNetworkBuilder::GetOptions() const
{
    return m_options;
}

const AisfcTopology&
AisfcNetworkBuilder::GetTopology() const
{
    return m_topology;
}

const NodeContainer&
AisfcNetworkBuilder::GetNodes() const
{
    return m_nodes;
}

Ptr<Node>
AisfcNetworkBuilder::GetNode(uint32_t i) const
{
    return m_nodes.Get(i);
}

Ipv6Address
AisfcNetworkBuilder::GetNodeAddress(uint32_t i) const
{
    return NodeAddress(i);
}

const AisfcNetworkBuilder::LinkDevices&
AisfcNetworkBuilder::GetLink(uint32_t l) const
{
    return m_links.at(l);
}

Ptr<AisfcRouting>
AisfcNetworkBuilder::GetRouting(uint32_t i) const
{
    return m_routing.at(i);
}

const NextHopTable&
AisfcNetworkBuilder::GetPaths() const
{
    return *m_paths;
}

size_t
AisfcNetworkBuilder::GetNRoutes() const
{
    size_t n = 0;
    for (uint32_t i = 0; i < m_routing.size(); ++i)
    {
        if (m_routing[i])
        {
            n += m_routing[i]->GetFib().GetNRoutes();
        }
        else
        {
            n += DynamicCast<Ipv6StaticRouting>(GetNode(i)->GetObject<Ipv6>()->GetRoutingProtocol())
                     ->GetNRoutes();
        }
    }
    return n;
}

size_t
AisfcNetworkBuilder::GetFibMemoryBytes() const
{
    size_t n = 0;
    for (const auto& r : m_routing)
    {
        n += r ? r->GetFib().GetMemoryBytes() : 0;
    }
    return n;
}

} // namespace ns3
