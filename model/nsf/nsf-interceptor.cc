/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "nsf-interceptor.h"

#include "ns3/ipv6-route.h"
#include "ns3/ipv6.h"
#include "ns3/output-stream-wrapper.h"

#include <algorithm>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(NsfInterceptor);

TypeId
NsfInterceptor::GetTypeId()
{
    static TypeId tid = TypeId("ns3::NsfInterceptor")
                            .SetParent<AisfcInputHook>()
                            .SetGroupName("Aisfc")
                            .AddConstructor<NsfInterceptor>();
    return tid;
}

void
NsfInterceptor::AddServiceAddress(const Ipv6Address& address)
{
    m_services.push_back(address);
}

uint64_t
NsfInterceptor::GetIntercepted() const
{
    return m_intercepted;
}

bool
NsfInterceptor::RouteInput(Ptr<const Packet> p,
                           const Ipv6Header& header,
                           Ptr<const NetDevice> idev,
                           UnicastForwardCallback,
                           MulticastForwardCallback,
                           LocalDeliverCallback lcb,
                           ErrorCallback)
{
    if (std::find(m_services.begin(), m_services.end(), header.GetDestination()) ==
        m_services.end())
    {
        return false;
    }
    ++m_intercepted;
    lcb(p, header, m_ipv6->GetInterfaceForDevice(idev));
    return true;
}

void
NsfInterceptor::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit) const
{
    *stream->GetStream() << "NsfInterceptor: " << m_services.size() << " service addresses\n";
}

} // namespace ns3
