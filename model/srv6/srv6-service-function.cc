/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "srv6-service-function.h"

#include "ns3/ipv6-route.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Srv6ServiceFunction");
NS_OBJECT_ENSURE_REGISTERED(Srv6ServiceFunction);

TypeId
Srv6ServiceFunction::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::Srv6ServiceFunction")
            .SetParent<AisfcInputHook>()
            .SetGroupName("Aisfc")
            .AddConstructor<Srv6ServiceFunction>()
            .AddAttribute("ProcessingDelay",
                          "Time the function spends on each packet (one packet at a time)",
                          TimeValue(MicroSeconds(10)),
                          MakeTimeAccessor(&Srv6ServiceFunction::m_delay),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("QueueLimit",
                          "Packets waiting or in service beyond which arrivals are dropped",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&Srv6ServiceFunction::m_queueLimit),
                          MakeUintegerChecker<uint32_t>(1))
            .AddTraceSource("Drop",
                            "A packet the function dropped, with the reason",
                            MakeTraceSourceAccessor(&Srv6ServiceFunction::m_dropTrace),
                            "ns3::Srv6SidTable::DropTracedCallback");
    return tid;
}

Srv6ServiceFunction::Srv6ServiceFunction() = default;
Srv6ServiceFunction::~Srv6ServiceFunction() = default;

void
Srv6ServiceFunction::DoDispose()
{
    m_return = nullptr;
    m_processor = Processor();
    AisfcInputHook::DoDispose();
}

void
Srv6ServiceFunction::SetReturnPath(uint32_t interface, const Ipv6Address& proxyAddress)
{
    m_interface = interface;
    m_proxyAddress = proxyAddress;
    m_return = nullptr;
}

void
Srv6ServiceFunction::SetProcessor(Processor processor)
{
    m_processor = processor;
}

const Srv6ServiceFunction::Counters&
Srv6ServiceFunction::GetCounters() const
{
    return m_counters;
}

bool
Srv6ServiceFunction::RouteInput(Ptr<const Packet> p,
                                const Ipv6Header& header,
                                Ptr<const NetDevice> idev,
                                UnicastForwardCallback ucb,
                                MulticastForwardCallback,
                                LocalDeliverCallback,
                                ErrorCallback)
{
    Ipv6Address dst = header.GetDestination();
    if (dst.IsMulticast() || dst.IsLinkLocal())
    {
        return false;
    }
    ++m_counters.received;
    m_counters.bytes += p->GetSize() + header.GetSerializedSize();
    if (m_backlog >= m_queueLimit)
    {
        Drop(header, p, "queue-full");
        return true;
    }
    if (!m_return)
    {
        m_return = Create<Ipv6Route>();
        m_return->SetDestination(m_proxyAddress);
        m_return->SetGateway(m_proxyAddress);
        m_return->SetOutputDevice(m_ipv6->GetNetDevice(m_interface));
    }
    ++m_backlog;
    m_counters.maxQueue = std::max<uint64_t>(m_counters.maxQueue, m_backlog);
    Time start = std::max(Simulator::Now(), m_busyUntil);
    m_busyUntil = start + m_delay;
    Ptr<Packet> packet = p->Copy();
    Ptr<Ipv6Route> route = m_return;
    Simulator::Schedule(m_busyUntil - Simulator::Now(), [this, packet, header, idev, ucb, route]() {
        --m_backlog;
        Ipv6Header h = header;
        if (!m_processor.IsNull() && !m_processor(packet, h))
        {
            Drop(h, packet, "dropped-by-function");
            return;
        }
        h.SetPayloadLength(packet->GetSize());
        ++m_counters.returned;
        ucb(idev, route, packet, h);
    });
    return true;
}

void
Srv6ServiceFunction::Drop(const Ipv6Header& header, Ptr<const Packet> p, const std::string& reason)
{
    ++m_counters.drops[reason];
    m_dropTrace(header, p, reason);
}

void
Srv6ServiceFunction::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit) const
{
    *stream->GetStream() << "service function: everything back to " << m_proxyAddress
                         << " on interface " << m_interface << "\n";
}

} // namespace ns3
