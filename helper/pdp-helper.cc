/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pdp-helper.h"

#include "aisfc-network-builder.h"
#include "srv6-helper.h"

#include "ns3/ipv6-list-routing.h"
#include "ns3/ipv6.h"
#include "ns3/node.h"
#include "ns3/pdp-controller.h"
#include "ns3/pdp-external-memory.h"
#include "ns3/pdp-memory-server.h"
#include "ns3/pdp-server.h"
#include "ns3/pdp-switch.h"
#include "ns3/srv6-sid-table.h"
#include "ns3/uinteger.h"

namespace ns3
{

PdpHelper::PdpHelper(AisfcNetworkBuilder& network, Srv6Helper& srv6)
    : m_network(network),
      m_srv6(srv6)
{
    m_switchFactory.SetTypeId(PdpSwitch::GetTypeId());
    m_externalFactory.SetTypeId(PdpExternalMemory::GetTypeId());
    m_controllerFactory.SetTypeId(PdpController::GetTypeId());
    m_memoryServerFactory.SetTypeId(PdpMemoryServer::GetTypeId());
}

void
PdpHelper::SetSwitchAttribute(const std::string& name, const AttributeValue& value)
{
    m_switchFactory.Set(name, value);
}

void
PdpHelper::SetExternalMemoryAttribute(const std::string& name, const AttributeValue& value)
{
    m_externalFactory.Set(name, value);
}

void
PdpHelper::SetControllerAttribute(const std::string& name, const AttributeValue& value)
{
    m_controllerFactory.Set(name, value);
}

void
PdpHelper::SetMemoryServerAttribute(const std::string& name, const AttributeValue& value)
{
    m_memoryServerFactory.Set(name, value);
}

PdpHelper::~PdpHelper() = default;

void
PdpHelper::Install(const PdpMemoryBudget& switchBudget, uint64_t serverBytes)
{
    const AisfcTopology& topology = m_network.GetTopology();
    m_controller = m_controllerFactory.Create<PdpController>();
    for (uint32_t i = 0; i < topology.GetNNodes(); ++i)
    {
        const std::string& name = topology.GetNode(i).name;
        Ptr<Node> node = m_network.GetNode(i);
        Ptr<Srv6SidTable> sids = m_srv6.GetSidTable(i);
        m_controller->AddHeadend(sids);
        NodeRole role = topology.GetNode(i).role;
        if (role == NodeRole::HOST)
        {
            m_switches.push_back(nullptr);
            m_servers.push_back(nullptr);
            continue; // a traffic endpoint, not programmable
        }
        if (role == NodeRole::SERVER)
        {
            Ptr<PdpServer> server = CreateObject<PdpServer>();
            server->SetMemory(name, serverBytes);
            m_servers.push_back(server);
            m_switches.push_back(nullptr);
            m_controller->AddServer(i, server, sids);
            continue;
        }
        Ptr<PdpSwitch> sw = m_switchFactory.Create<PdpSwitch>();
        sw->SetMemoryBudget(name, switchBudget);
        Ptr<PdpExternalMemory> external = m_externalFactory.Create<PdpExternalMemory>();
        external->Setup(node);
        sw->SetExternalMemory(external);
        DynamicCast<Ipv6ListRouting>(node->GetObject<Ipv6>()->GetRoutingProtocol())
            ->AddRoutingProtocol(sw, PdpSwitch::PRIORITY);
        m_switches.push_back(sw);
        m_servers.push_back(nullptr);
        m_controller->AddSwitch(i, sw, sids);
    }
}

Ptr<PdpMemoryServer>
PdpHelper::AddMemoryServer(uint32_t switchNode, double rateBps, Time delay)
{
    Ptr<PdpSwitch> sw = GetSwitch(switchNode);
    NS_ABORT_MSG_UNLESS(sw, "PdpHelper: node " << switchNode << " is not a switch");
    const AisfcNetworkBuilder::StubNode& stub =
        m_network.AddStubNode(switchNode, rateBps, delay.GetSeconds());
    Ptr<PdpMemoryServer> app = m_memoryServerFactory.Create<PdpMemoryServer>();
    stub.node->AddApplication(app);
    app->SetStartTime(Seconds(0));
    sw->GetExternalMemory()->AddServer(stub.link.addressB);
    UintegerValue bytes;
    app->GetAttribute("MemoryBytes", bytes);
    sw->GetMemory().AddCapacity(PdpMemoryKind::EXTERNAL, bytes.Get());
    return app;
}

Ptr<PdpSwitch>
PdpHelper::GetSwitch(uint32_t node) const
{
    return node < m_switches.size() ? m_switches[node] : nullptr;
}

Ptr<PdpServer>
PdpHelper::GetServer(uint32_t node) const
{
    return node < m_servers.size() ? m_servers[node] : nullptr;
}

Ptr<PdpController>
PdpHelper::GetController() const
{
    return m_controller;
}

Ipv6Address
PdpHelper::NextFunctionSid(uint32_t node)
{
    auto it = m_nextFunction.emplace(node, 0x100).first;
    return Srv6Helper::Sid(node, it->second++);
}

} // namespace ns3
