/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dune-replay.h"

#include "ns3/double.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv6-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DuneReplay");
NS_OBJECT_ENSURE_REGISTERED(DuneReplayTag);
NS_OBJECT_ENSURE_REGISTERED(DuneReplaySource);
NS_OBJECT_ENSURE_REGISTERED(DuneReplaySink);

TypeId
DuneReplayTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DuneReplayTag")
                            .SetParent<Tag>()
                            .SetGroupName("Aisfc")
                            .AddConstructor<DuneReplayTag>();
    return tid;
}

TypeId
DuneReplayTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
DuneReplayTag::GetSerializedSize() const
{
    return 16;
}

void
DuneReplayTag::Serialize(TagBuffer i) const
{
    i.WriteU64(sequence);
    i.WriteU64(static_cast<uint64_t>(sendNs));
}

void
DuneReplayTag::Deserialize(TagBuffer i)
{
    sequence = i.ReadU64();
    sendNs = static_cast<int64_t>(i.ReadU64());
}

void
DuneReplayTag::Print(std::ostream& os) const
{
    os << "replay seq=" << sequence << " sent=" << sendNs << "ns";
}

bool
DuneTunnelBytes(const DunePacket& packet, std::vector<uint8_t>& out)
{
    try
    {
        out = DunePcapWriter::EncodeFrame(packet, DUNE_LINKTYPE_RAW);
    }
    catch (const std::invalid_argument&)
    {
        out.clear();
        return false;
    }
    size_t headers = packet.ipHeaderLength;
    if (packet.protocol == DUNE_PROTO_TCP)
    {
        headers += static_cast<size_t>(packet.tcpHeaderLength) * 4;
    }
    else if (packet.protocol == DUNE_PROTO_UDP || packet.protocol == DUNE_PROTO_ICMP ||
             packet.protocol == DUNE_PROTO_ICMPV6)
    {
        headers += 8;
    }
    if (headers < out.size())
    {
        out.resize(headers);
    }
    if (out.size() > DUNE_TUNNEL_MAX_BYTES)
    {
        out.clear();
        return false;
    }
    return true;
}

TypeId
DuneReplaySource::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DuneReplaySource")
            .SetParent<Application>()
            .SetGroupName("Aisfc")
            .AddConstructor<DuneReplaySource>()
            .AddAttribute("Remote",
                          "The sink's address.",
                          Ipv6AddressValue(),
                          MakeIpv6AddressAccessor(&DuneReplaySource::m_remote),
                          MakeIpv6AddressChecker())
            .AddAttribute("Port",
                          "The sink's UDP port.",
                          UintegerValue(DUNE_TUNNEL_PORT),
                          MakeUintegerAccessor(&DuneReplaySource::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("Speedup",
                          "Trace time over replay time (tcpreplay's --multiplier).",
                          DoubleValue(1.0),
                          MakeDoubleAccessor(&DuneReplaySource::m_speedup),
                          MakeDoubleChecker<double>(1e-9))
            .AddAttribute("PacketRate",
                          "Packets per second at a fixed rate instead of the trace's times "
                          "(tcpreplay's --pps); 0 keeps the trace's times.",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&DuneReplaySource::m_packetRate),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("MaxPackets",
                          "Packets of the trace to replay; 0 replays all.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&DuneReplaySource::m_maxPackets),
                          MakeUintegerChecker<uint64_t>())
            .AddTraceSource("Tx",
                            "A datagram sent, with the index of its packet in the trace.",
                            MakeTraceSourceAccessor(&DuneReplaySource::m_txTrace),
                            "ns3::DuneReplaySource::TxTracedCallback");
    return tid;
}

DuneReplaySource::DuneReplaySource() = default;

DuneReplaySource::~DuneReplaySource() = default;

void
DuneReplaySource::SetTrace(std::shared_ptr<const std::vector<DunePacket>> packets)
{
    m_packets = std::move(packets);
}

uint64_t
DuneReplaySource::GetSent() const
{
    return m_sent;
}

uint64_t
DuneReplaySource::GetUnencodable() const
{
    return m_unencodable;
}

uint64_t
DuneReplaySource::GetSendFailures() const
{
    return m_sendFailures;
}

uint64_t
DuneReplaySource::GetReordered() const
{
    return m_reordered;
}

Time
DuneReplaySource::GetLastSendTime() const
{
    return m_lastSend;
}

void
DuneReplaySource::DoDispose()
{
    m_socket = nullptr;
    m_packets.reset();
    Application::DoDispose();
}

void
DuneReplaySource::StartApplication()
{
    if (!m_packets || m_packets->empty())
    {
        return;
    }
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    m_socket->Bind6();
    m_socket->Connect(Inet6SocketAddress(m_remote, m_port));
    m_end = m_packets->size();
    if (m_maxPackets > 0 && m_maxPackets < m_end)
    {
        m_end = m_maxPackets;
    }
    m_start = Simulator::Now();
    m_next = 0;
    m_lastOffset = Time(0);
    m_lastTraceNs = (*m_packets)[0].timestampNs;
    SendNext();
}

void
DuneReplaySource::StopApplication()
{
    Simulator::Cancel(m_event);
    if (m_socket)
    {
        m_socket->Close();
    }
}

Time
DuneReplaySource::Offset(uint64_t i)
{
    if (m_packetRate > 0)
    {
        return NanoSeconds(std::llround(static_cast<double>(i) * 1e9 / m_packetRate));
    }
    const uint64_t t0 = (*m_packets)[0].timestampNs;
    uint64_t t = (*m_packets)[i].timestampNs;
    if (t < m_lastTraceNs)
    {
        ++m_reordered;
        t = m_lastTraceNs;
    }
    m_lastTraceNs = t;
    const uint64_t dt = t - t0;
    if (m_speedup == 1.0)
    {
        return NanoSeconds(static_cast<int64_t>(dt)); // exact: the trace's own gaps
    }
    return NanoSeconds(std::llround(static_cast<double>(dt) / m_speedup));
}

void
DuneReplaySource::SendNext()
{
    const uint64_t i = m_next++;
    if (DuneTunnelBytes((*m_packets)[i], m_bytes))
    {
        Ptr<Packet> p = Create<Packet>(m_bytes.data(), static_cast<uint32_t>(m_bytes.size()));
        p->AddHeader(DuneHeader());
        DuneReplayTag tag;
        tag.sequence = i;
        tag.sendNs = Simulator::Now().GetNanoSeconds();
        p->AddPacketTag(tag);
        m_txTrace(p, i);
        if (m_socket->Send(p) < 0)
        {
            ++m_sendFailures;
        }
        else
        {
            ++m_sent;
            m_lastSend = Simulator::Now();
        }
    }
    else
    {
        ++m_unencodable;
    }
    if (m_next < m_end)
    {
        Time offset = Offset(m_next);
        if (offset < m_lastOffset)
        {
            offset = m_lastOffset;
        }
        m_lastOffset = offset;
        Time at = m_start + offset;
        Time now = Simulator::Now();
        m_event =
            Simulator::Schedule(at > now ? at - now : Time(0), &DuneReplaySource::SendNext, this);
    }
}

TypeId
DuneReplaySink::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DuneReplaySink")
            .SetParent<Application>()
            .SetGroupName("Aisfc")
            .AddConstructor<DuneReplaySink>()
            .AddAttribute("Port",
                          "The UDP port it listens on.",
                          UintegerValue(DUNE_TUNNEL_PORT),
                          MakeUintegerAccessor(&DuneReplaySink::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddTraceSource("Rx",
                            "A replayed datagram received, with its DUNE header and delay.",
                            MakeTraceSourceAccessor(&DuneReplaySink::m_rxTrace),
                            "ns3::DuneReplaySink::RxTracedCallback");
    return tid;
}

DuneReplaySink::DuneReplaySink() = default;

DuneReplaySink::~DuneReplaySink() = default;

const std::vector<DuneSinkRecord>&
DuneReplaySink::GetRecords() const
{
    return m_records;
}

uint64_t
DuneReplaySink::GetUntagged() const
{
    return m_untagged;
}

uint64_t
DuneReplaySink::GetBadHeaders() const
{
    return m_badHeaders;
}

void
DuneReplaySink::DoDispose()
{
    m_socket = nullptr;
    Application::DoDispose();
}

void
DuneReplaySink::StartApplication()
{
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    m_socket->Bind(Inet6SocketAddress(Ipv6Address::GetAny(), m_port));
    m_socket->SetRecvCallback(MakeCallback(&DuneReplaySink::Receive, this));
}

void
DuneReplaySink::StopApplication()
{
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
    }
}

void
DuneReplaySink::Receive(Ptr<Socket> socket)
{
    while (Ptr<Packet> p = socket->Recv())
    {
        DuneReplayTag tag;
        if (!p->PeekPacketTag(tag))
        {
            ++m_untagged;
            continue;
        }
        uint8_t bytes[DuneHeader::SIZE];
        const uint32_t n = p->CopyData(bytes, DuneHeader::SIZE);
        DuneSinkRecord r;
        if (!DuneHeader::Parse(bytes, n, r.header))
        {
            ++m_badHeaders;
            continue;
        }
        r.sequence = tag.sequence;
        r.sendNs = tag.sendNs;
        r.arrivalNs = Simulator::Now().GetNanoSeconds();
        m_records.push_back(r);
        m_rxTrace(p, r.header, NanoSeconds(r.arrivalNs - r.sendNs));
    }
}

} // namespace ns3
