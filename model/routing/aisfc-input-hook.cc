/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-input-hook.h"

#include "ns3/ipv6-route.h"
#include "ns3/ipv6.h"
#include "ns3/output-stream-wrapper.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(AisfcInputHook);

TypeId
AisfcInputHook::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::AisfcInputHook").SetParent<Ipv6RoutingProtocol>().SetGroupName("Aisfc");
    return tid;
}

void
AisfcInputHook::DoDispose()
{
    m_ipv6 = nullptr;
    Ipv6RoutingProtocol::DoDispose();
}

Ptr<Ipv6Route>
AisfcInputHook::RouteOutput(Ptr<Packet>, const Ipv6Header&, Ptr<NetDevice>, Socket::SocketErrno& e)
{
    e = Socket::ERROR_NOROUTETOHOST;
    return nullptr;
}

void
AisfcInputHook::NotifyInterfaceUp(uint32_t)
{
}

void
AisfcInputHook::NotifyInterfaceDown(uint32_t)
{
}

void
AisfcInputHook::NotifyAddAddress(uint32_t, Ipv6InterfaceAddress)
{
}

void
AisfcInputHook::NotifyRemoveAddress(uint32_t, Ipv6InterfaceAddress)
{
}

void
AisfcInputHook::NotifyAddRoute(Ipv6Address, Ipv6Prefix, Ipv6Address, uint32_t, Ipv6Address)
{
}

void
AisfcInputHook::NotifyRemoveRoute(Ipv6Address, Ipv6Prefix, Ipv6Address, uint32_t, Ipv6Address)
{
}

void
AisfcInputHook::SetIpv6(Ptr<Ipv6> ipv6)
{
    m_ipv6 = ipv6;
}

void
AisfcInputHook::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit) const
{
    *stream->GetStream() << GetInstanceTypeId().GetName() << ": routes nothing itself\n";
}

} // namespace ns3
