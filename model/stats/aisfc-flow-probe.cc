/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-flow-probe.h"

#include "ns3/callback.h"
#include "ns3/ipv6-header.h"
#include "ns3/ipv6-l3-protocol.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/queue.h"
#include "ns3/simulator.h"
#include "ns3/tag.h"

namespace ns3
{

/**
 * \ingroup aisfc
 * Packet tag carrying a probed packet's flow and send time.
 */
class AisfcProbeTag : public Tag
{
  public:
    /// \brief \return the TypeId
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::AisfcProbeTag")
                                .SetParent<Tag>()
                                .SetGroupName("Aisfc")
                                .AddConstructor<AisfcProbeTag>();
        return tid;
    }

    TypeId GetInstanceTypeId() const override
    {
        return GetTypeId();
    }

    uint32_t GetSerializedSize() const override
    {
        return 4 + 8;
    }

    void Serialize(TagBuffer buffer) const override
    {
        buffer.WriteU32(m_flow);
        buffer.WriteU64(static_cast<uint64_t>(m_sentTimeStep));
    }

    void Deserialize(TagBuffer buffer) override
    {
        m_flow = buffer.ReadU32();
        m_sentTimeStep = static_cast<int64_t>(buffer.ReadU64());
    }

    void Print(std::ostream& os) const override
    {
        os << "flow=" << m_flow << " sent=" << m_sentTimeStep;
    }

    uint32_t m_flow = 0;        //!< flow id
    int64_t m_sentTimeStep = 0; //!< send time in simulator time steps
};

NS_OBJECT_ENSURE_REGISTERED(AisfcProbeTag);

namespace
{
// Transport destination port: bytes 2-3 of the UDP and TCP headers alike.
bool
DestinationPort(Ptr<const Packet> packet, uint16_t& port)
{
    uint8_t bytes[4];
    if (packet->GetSize() < 4 || packet->CopyData(bytes, 4) != 4)
    {
        return false;
    }
    port = static_cast<uint16_t>(bytes[2] << 8 | bytes[3]);
    return true;
}
} // namespace

uint32_t
AisfcFlowProbe::AddFlow(const Ipv6Address& source,
                        const Ipv6Address& destination,
                        uint8_t protocol,
                        uint16_t destinationPort)
{
    uint32_t id = m_stats.size();
    m_flowOf[Key(source, destination, protocol, destinationPort)] = id;
    m_stats.emplace_back();
    return id;
}

void
AisfcFlowProbe::Install(Ptr<Node> node)
{
    Ptr<Ipv6L3Protocol> ip = node->GetObject<Ipv6L3Protocol>();
    NS_ABORT_MSG_IF(!ip, "AisfcFlowProbe::Install: node " << node->GetId() << " has no IPv6");
    ip->TraceConnectWithoutContext("SendOutgoing", MakeCallback(&AisfcFlowProbe::Sent, this));
    ip->TraceConnectWithoutContext("LocalDeliver", MakeCallback(&AisfcFlowProbe::Delivered, this));
    ip->TraceConnectWithoutContext("Drop",
                                   Callback<void,
                                            const Ipv6Header&,
                                            Ptr<const Packet>,
                                            Ipv6L3Protocol::DropReason,
                                            Ptr<Ipv6>,
                                            uint32_t>([this](const Ipv6Header&,
                                                             Ptr<const Packet> p,
                                                             Ipv6L3Protocol::DropReason,
                                                             Ptr<Ipv6>,
                                                             uint32_t) { Dropped(p); }));
    // Without a queue disc, the traffic-control layer drops what a stopped device queue refuses.
    if (Ptr<Object> tc = node->GetObject<Object>(TypeId::LookupByName("ns3::TrafficControlLayer")))
    {
        tc->TraceConnectWithoutContext("TcDrop", MakeCallback(&AisfcFlowProbe::Dropped, this));
    }
    for (uint32_t i = 0; i < node->GetNDevices(); ++i)
    {
        if (auto dev = DynamicCast<PointToPointNetDevice>(node->GetDevice(i)))
        {
            dev->GetQueue()->TraceConnectWithoutContext(
                "Drop",
                MakeCallback(&AisfcFlowProbe::Dropped, this));
        }
    }
}

void
AisfcFlowProbe::Dropped(Ptr<const Packet> packet)
{
    AisfcProbeTag tag;
    if (packet->PeekPacketTag(tag) && tag.m_flow < m_stats.size())
    {
        ++m_stats[tag.m_flow].droppedPackets;
    }
}

void
AisfcFlowProbe::WatchDrops(Ptr<Object> source)
{
    bool ok =
        source->TraceConnectWithoutContext("Drop",
                                           MakeCallback(&AisfcFlowProbe::DroppedWithReason, this));
    NS_ABORT_MSG_UNLESS(ok, "AisfcFlowProbe::WatchDrops: no Drop trace");
}

void
AisfcFlowProbe::DroppedWithReason(const Ipv6Header&, Ptr<const Packet> packet, const std::string&)
{
    Dropped(packet);
}

const AisfcFlowProbe::FlowStats&
AisfcFlowProbe::GetStats(uint32_t id) const
{
    return m_stats.at(id);
}

void
AisfcFlowProbe::Sent(const Ipv6Header& header, Ptr<const Packet> packet, uint32_t)
{
    uint16_t port = 0;
    if (!DestinationPort(packet, port))
    {
        return;
    }
    auto it = m_flowOf.find(
        Key(header.GetSource(), header.GetDestination(), header.GetNextHeader(), port));
    if (it == m_flowOf.end())
    {
        return;
    }
    FlowStats& s = m_stats[it->second];
    ++s.txPackets;
    s.txBytes += packet->GetSize() + header.GetSerializedSize();
    if (s.firstTxSeconds < 0)
    {
        s.firstTxSeconds = Simulator::Now().GetSeconds();
    }
    AisfcProbeTag tag;
    tag.m_flow = it->second;
    tag.m_sentTimeStep = Simulator::Now().GetTimeStep();
    // As FlowMonitor does: tags are metadata, not packet content, so tagging a const packet
    // changes nothing on the wire.
    const_cast<Packet*>(PeekPointer(packet))->ReplacePacketTag(tag);
}

void
AisfcFlowProbe::Delivered(const Ipv6Header& header, Ptr<const Packet> packet, uint32_t)
{
    AisfcProbeTag tag;
    if (!packet->PeekPacketTag(tag) || tag.m_flow >= m_stats.size())
    {
        return;
    }
    FlowStats& s = m_stats[tag.m_flow];
    ++s.rxPackets;
    s.rxBytes += packet->GetSize() + header.GetSerializedSize();
    s.lastRxSeconds = Simulator::Now().GetSeconds();
    s.delays.push_back((Simulator::Now() - TimeStep(tag.m_sentTimeStep)).GetSeconds());
}

} // namespace ns3
