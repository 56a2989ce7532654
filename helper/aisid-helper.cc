/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisid-helper.h"

#include "aisfc-network-builder.h"
#include "srv6-helper.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-routing.h"
#include "ns3/double.h"
#include "ns3/ipv6-list-routing.h"
#include "ns3/ipv6.h"
#include "ns3/node.h"

#include <algorithm>
#include <limits>

namespace ns3
{

AisidHelper::AisidHelper(AisfcNetworkBuilder& network, Srv6Helper& srv6, uint64_t prefix)
    : m_network(network),
      m_srv6(srv6),
      m_prefix(prefix)
{
}

uint32_t
AisidHelper::Index(const std::string& name, const std::string& place) const
{
    auto i = m_network.GetTopology().FindNode(name);
    if (!i)
    {
        throw AisfcInputError(place, "unknown node \"" + name + "\"");
    }
    return *i;
}

void
AisidHelper::SetGateways(const std::vector<std::string>& ingress,
                         const std::vector<std::string>& egress)
{
    m_ingress.clear();
    m_egress.clear();
    for (const auto& n : ingress)
    {
        m_ingress.push_back(Index(n, "ingress"));
    }
    for (const auto& n : egress)
    {
        m_egress.push_back(Index(n, "egress"));
    }
    if (m_ingress.empty())
    {
        throw AisfcInputError("ingress", "at least one ingress gateway is needed");
    }
}

uint32_t
AisidHelper::AddServiceNode(const std::string& egress,
                            double capacityTflops,
                            double linkRateBps,
                            double linkDelaySeconds)
{
    uint32_t e = Index(egress, "egress");
    if (std::find(m_egress.begin(), m_egress.end(), e) == m_egress.end())
    {
        throw AisfcInputError("egress", "\"" + egress + "\" is not an egress gateway");
    }
    const auto& stub = m_network.AddStubNode(e, linkRateBps, linkDelaySeconds);
    // The control system reaches the node by its link address: route the stub link from
    // everywhere through the egress gateway.
    uint32_t stubLink =
        m_network.GetTopology().GetNLinks() + uint32_t(m_network.GetStubNodes().size()) - 1;
    m_network.AddPrefixRoute(AisfcNetworkBuilder::LinkPrefix(stubLink), 64, e);
    Service s;
    s.egress = e;
    s.capacity = capacityTflops;
    s.node = stub.node;
    s.interface = stub.link.interfaceA;
    s.address = stub.link.addressB;
    s.app = CreateObject<AisidServiceNode>();
    s.app->SetAttribute("CapacityTflops", DoubleValue(capacityTflops));
    s.app->SetId(uint32_t(m_services.size()));
    stub.node->AddApplication(s.app);
    Ptr<Ipv6> ipv6 = stub.node->GetObject<Ipv6>();
    for (uint32_t i = 0; i < ipv6->GetNInterfaces(); ++i)
    {
        ipv6->SetForwarding(i, true);
    }
    m_services.push_back(s);
    return uint32_t(m_services.size() - 1);
}

void
AisidHelper::Install(const std::string& control)
{
    const AisfcTopology& topo = m_network.GetTopology();
    const NextHopTable& paths = m_network.GetPaths();
    uint32_t controlNode = Index(control, "control");
    m_control = CreateObject<AisidControl>();
    m_network.GetNode(controlNode)->AddApplication(m_control);

    std::vector<uint32_t> gateways = m_ingress;
    gateways.insert(gateways.end(), m_egress.begin(), m_egress.end());
    std::sort(gateways.begin(), gateways.end());
    gateways.erase(std::unique(gateways.begin(), gateways.end()), gateways.end());
    std::map<uint32_t, Ipv6Address> sids;
    for (uint32_t e : m_egress)
    {
        Srv6SidConfig c;
        c.name = "aisid-egress";
        c.behavior = Srv6Behavior::END_DT6;
        sids[e] = m_srv6.AddSid(e, SID_FUNCTION, c);
    }
    uint8_t prefixBytes[16] = {};
    for (int i = 0; i < 8; ++i)
    {
        prefixBytes[i] = uint8_t(m_prefix >> (56 - 8 * i));
    }
    Ipv6Address prefix(prefixBytes);
    for (uint32_t g : gateways)
    {
        bool ingress = std::count(m_ingress.begin(), m_ingress.end(), g) > 0;
        bool egress = std::count(m_egress.begin(), m_egress.end(), g) > 0;
        Ptr<AisidGateway> gw = CreateObject<AisidGateway>();
        gw->Configure(g, m_prefix, ingress, egress, m_network.GetNodeAddress(g));
        for (const auto& [e, sid] : sids)
        {
            gw->AddEgress(e, sid, paths.Distance(g, e));
        }
        Ptr<Ipv6ListRouting> list = DynamicCast<Ipv6ListRouting>(
            m_network.GetNode(g)->GetObject<Ipv6>()->GetRoutingProtocol());
        list->AddRoutingProtocol(gw, Srv6Helper::PRIORITY + 10);
        gw->SetIpv6(m_network.GetNode(g)->GetObject<Ipv6>());
        gw->Start(m_network.GetNode(g));
        Ptr<AisidControl> ctl = m_control;
        gw->SetAppliedCallback(
            [ctl](uint32_t node, uint32_t seq) { ctl->NotifyApplied(node, seq); });
        m_control->AddGateway(g, m_network.GetNodeAddress(g));
        m_gateways[g] = gw;
    }
    // Plain pointers: a gateway holding Ptrs to the others would keep them all alive in a cycle
    // (ns-3.37's Ipv6ListRouting drops its protocols without disposing them; LeakSanitizer
    // found it).  Each gateway lives as long as its node.
    std::map<uint32_t, AisidGateway*> all;
    for (auto& [g, gw] : m_gateways)
    {
        all[g] = PeekPointer(gw);
    }
    for (auto& [g, gw] : m_gateways)
    {
        gw->SetEgressLoad([all](uint32_t e) {
            auto it = all.find(e);
            return it == all.end() ? 0.0 : it->second->GetLocalLoad();
        });
    }
    for (uint32_t id = 0; id < m_services.size(); ++id)
    {
        const Service& s = m_services[id];
        m_gateways.at(s.egress)->AddLocalServiceNode({id, s.interface, s.address, s.app});
        m_control->AddServiceNode(id, s.address, s.egress);
    }
    // Incremental deployment: nodes without an ingress gateway send AISID traffic towards the
    // nearest ingress gateway as plain IPv6.
    for (uint32_t u = 0; u < topo.GetNNodes(); ++u)
    {
        if (std::count(m_ingress.begin(), m_ingress.end(), u))
        {
            continue;
        }
        uint32_t best = m_ingress.front();
        for (uint32_t g : m_ingress)
        {
            if (paths.Distance(u, g) < paths.Distance(u, best))
            {
                best = g;
            }
        }
        uint32_t link = paths.NextLink(u, best);
        if (link == NextHopTable::NO_LINK)
        {
            continue;
        }
        auto [iface, address] = m_network.GetAdjacency(u, topo.Opposite(link, u));
        m_network.GetRouting(u)->AddRoute(prefix, 64, iface, address);
    }
}

Ptr<AisidControl>
AisidHelper::GetControl() const
{
    return m_control;
}

Ptr<AisidGateway>
AisidHelper::GetGateway(const std::string& node) const
{
    auto it = m_gateways.find(Index(node, "node"));
    return it == m_gateways.end() ? nullptr : it->second;
}

Ptr<AisidServiceNode>
AisidHelper::GetServiceNode(uint32_t id) const
{
    return m_services.at(id).app;
}

Ptr<Node>
AisidHelper::GetServiceNodeNode(uint32_t id) const
{
    return m_services.at(id).node;
}

Ptr<AisidClient>
AisidHelper::AddClient(const std::string& node)
{
    Ptr<AisidClient> c = CreateObject<AisidClient>();
    m_network.GetNode(Index(node, "client"))->AddApplication(c);
    return c;
}

} // namespace ns3
