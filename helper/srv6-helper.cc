/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "srv6-helper.h"

#include "aisfc-network-builder.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-routing.h"
#include "ns3/boolean.h"
#include "ns3/ipv6-l3-protocol.h"
#include "ns3/ipv6-list-routing.h"
#include "ns3/node.h"
#include "ns3/srv6-service-function.h"

namespace ns3
{

namespace
{
Ptr<Ipv6ListRouting>
ListOf(Ptr<Node> node)
{
    return DynamicCast<Ipv6ListRouting>(node->GetObject<Ipv6>()->GetRoutingProtocol());
}

// SRv6 rewrites destinations, so leaving by the arrival interface is normal, not a hint that
// the source has a better first hop: no ICMPv6 redirects from SRv6 nodes.
void
NoRedirects(Ptr<Node> node)
{
    node->GetObject<Ipv6L3Protocol>()->SetAttribute("SendIcmpv6Redirect", BooleanValue(false));
}
} // namespace

Srv6Helper::Srv6Helper(AisfcNetworkBuilder& network)
    : m_network(network)
{
}

Ipv6Address
Srv6Helper::Block()
{
    return AisfcNetworkBuilder::LocatorPrefix(0).CombinePrefix(Ipv6Prefix(BLOCK_LENGTH));
}

Ipv6Address
Srv6Helper::Locator(uint32_t node)
{
    return AisfcNetworkBuilder::LocatorPrefix(node);
}

Ipv6Address
Srv6Helper::Sid(uint32_t node, uint16_t function)
{
    return AisfcNetworkBuilder::SidAddress(node, function);
}

void
Srv6Helper::Install()
{
    uint32_t n = m_network.GetTopology().GetNNodes();
    for (uint32_t i = 0; i < n; ++i)
    {
        Ptr<Node> node = m_network.GetNode(i);
        Ptr<Ipv6ListRouting> list = ListOf(node);
        if (!list || !m_network.GetRouting(i))
        {
            throw AisfcInputError("srv6", "SRv6 needs the aisfc routing (not ns3-static)");
        }
        Ptr<Srv6SidTable> table = CreateObject<Srv6SidTable>();
        list->AddRoutingProtocol(table, PRIORITY);
        table->SetSource(m_network.GetNodeAddress(i));
        table->AddLocator(Locator(i), LOCATOR_LENGTH);
        table->SetDomainSidBlock(Block(), BLOCK_LENGTH);
        m_network.AddPrefixRoute(Locator(i), LOCATOR_LENGTH, i);
        NoRedirects(node);
        // Packets a policy steers at their source come back through the loopback (see
        // Srv6SidTable::RouteOutput), and the list routes only from forwarding interfaces.
        node->GetObject<Ipv6>()->SetForwarding(0, true);
        m_tables.push_back(table);
    }
}

Ptr<Srv6SidTable>
Srv6Helper::GetSidTable(uint32_t node) const
{
    return m_tables.at(node);
}

Ipv6Address
Srv6Helper::AddSid(uint32_t node, uint16_t function, Srv6SidConfig config)
{
    config.sid = Sid(node, function);
    config.length = SID_LENGTH;
    m_tables.at(node)->AddSid(config);
    return config.sid;
}

Srv6SidConfig
Srv6Helper::Adjacency(uint32_t node, uint32_t neighbour) const
{
    Srv6SidConfig config;
    auto [interface, address] = m_network.GetAdjacency(node, neighbour);
    config.interface = interface;
    config.nextHop = address;
    return config;
}

Srv6Helper::ServiceFunction
Srv6Helper::AttachServiceFunction(uint32_t proxyNode,
                                  Time processingDelay,
                                  double linkRateBps,
                                  Time linkDelay)
{
    const AisfcNetworkBuilder::StubNode& stub =
        m_network.AddStubNode(proxyNode, linkRateBps, linkDelay.GetSeconds());
    ServiceFunction sf;
    sf.node = stub.node;
    sf.function = CreateObject<Srv6ServiceFunction>();
    sf.function->SetAttribute("ProcessingDelay", TimeValue(processingDelay));
    sf.function->SetReturnPath(stub.link.interfaceB, stub.link.addressA);
    ListOf(stub.node)->AddRoutingProtocol(sf.function, PRIORITY);
    NoRedirects(stub.node);
    sf.proxyNode = proxyNode;
    sf.proxyInterface = stub.link.interfaceA;
    sf.address = stub.link.addressB;
    return sf;
}

Ipv6Address
Srv6Helper::AddProxy(uint16_t function,
                     const ServiceFunction& serviceFunction,
                     Srv6SidConfig config)
{
    config.interface = serviceFunction.proxyInterface;
    config.nextHop = serviceFunction.address;
    return AddSid(serviceFunction.proxyNode, function, config);
}

} // namespace ns3
