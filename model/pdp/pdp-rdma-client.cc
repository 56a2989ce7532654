/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pdp-rdma-client.h"

#include "pdp-rdma-header.h"

#include "ns3/abort.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PdpRdmaClient");

NS_OBJECT_ENSURE_REGISTERED(PdpRdmaClient);

TypeId
PdpRdmaClient::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PdpRdmaClient")
            .SetParent<Object>()
            .SetGroupName("Aisfc")
            .AddConstructor<PdpRdmaClient>()
            .AddAttribute("Timeout",
                          "A read not answered within this time completes with ok = false",
                          TimeValue(MicroSeconds(100)),
                          MakeTimeAccessor(&PdpRdmaClient::m_timeout),
                          MakeTimeChecker(Time(1)))
            .AddAttribute("RemotePort",
                          "UDP port of the memory servers (RoCEv2: 4791)",
                          UintegerValue(PdpRdmaHeader::UDP_PORT),
                          MakeUintegerAccessor(&PdpRdmaClient::m_remotePort),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("FirstQpn",
                          "QP number of the connection to the first server read; the next "
                          "servers get the following numbers (Linux rxe starts at 17: QP0 and "
                          "QP1 are the management QPs)",
                          UintegerValue(17),
                          MakeUintegerAccessor(&PdpRdmaClient::m_firstQpn),
                          MakeUintegerChecker<uint32_t>(2, PdpRdmaHeader::MAX_24))
            .AddAttribute("PartitionKey",
                          "P_Key put in the requests' BTH",
                          UintegerValue(PdpRdmaHeader::DEFAULT_PKEY),
                          MakeUintegerAccessor(&PdpRdmaClient::m_pkey),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("RKey",
                          "R_Key put in the requests' RETH (the memory region's key)",
                          UintegerValue(0),
                          MakeUintegerAccessor(&PdpRdmaClient::m_rkey),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("Latency",
                            "Latency of a read completed with data, from Read() to response",
                            MakeTraceSourceAccessor(&PdpRdmaClient::m_latencyTrace),
                            "ns3::PdpRdmaClient::LatencyTracedCallback")
            .AddTraceSource("BadResponse",
                            "A datagram that completed no read (malformed, unknown PSN, wrong "
                            "length...), and why",
                            MakeTraceSourceAccessor(&PdpRdmaClient::m_badResponseTrace),
                            "ns3::PdpRdmaClient::BadResponseTracedCallback");
    return tid;
}

PdpRdmaClient::PdpRdmaClient()
{
    NS_LOG_FUNCTION(this);
}

PdpRdmaClient::~PdpRdmaClient() = default;

void
PdpRdmaClient::DoDispose()
{
    for (auto& [key, pending] : m_pending)
    {
        pending.timeout.Cancel();
    }
    m_pending.clear();
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
    Object::DoDispose();
}

void
PdpRdmaClient::Setup(Ptr<Node> node)
{
    NS_ABORT_MSG_IF(m_socket, "PdpRdmaClient::Setup called twice");
    NS_ABORT_MSG_IF(!node, "PdpRdmaClient::Setup: no node");
    m_socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    if (m_socket->Bind6() != 0)
    {
        NS_FATAL_ERROR("PdpRdmaClient: cannot bind a UDP port on node " << node->GetId());
    }
    Address local;
    m_socket->GetSockName(local);
    m_localPort = Inet6SocketAddress::ConvertFrom(local).GetPort();
    m_socket->SetRecvCallback(MakeCallback(&PdpRdmaClient::HandleRead, this));
}

uint64_t
PdpRdmaClient::Key(uint32_t qpn, uint32_t psn)
{
    return (uint64_t(qpn) << 24) | psn;
}

void
PdpRdmaClient::Read(const Ipv6Address& server, uint64_t address, uint32_t length, ReadCallback done)
{
    NS_LOG_FUNCTION(this << server << address << length);
    NS_ABORT_MSG_IF(!m_socket, "PdpRdmaClient::Read before Setup");
    auto it = m_qps.find(server);
    if (it == m_qps.end())
    {
        uint32_t qpn = m_firstQpn + m_qps.size();
        NS_ABORT_MSG_IF(qpn > PdpRdmaHeader::MAX_24, "PdpRdmaClient: out of QP numbers");
        it = m_qps.emplace(server, Qp{qpn, 0}).first;
    }
    Qp& qp = it->second;
    uint32_t psn = qp.nextPsn;
    qp.nextPsn = (qp.nextPsn + 1) & PdpRdmaHeader::MAX_24;
    uint64_t key = Key(qp.qpn, psn);
    // 2^24 reads in flight on one QP would reuse a PSN; a real RNIC stalls far earlier.
    NS_ABORT_MSG_IF(m_pending.count(key), "PdpRdmaClient: PSN " << psn << " still in flight");

    PdpRdmaHeader header;
    header.SetPartitionKey(m_pkey);
    header.SetDestQp(qp.qpn);
    header.SetPsn(psn);
    header.SetReadRequest(address, m_rkey, length);

    Pending& pending = m_pending[key];
    pending.server = server;
    pending.length = length;
    pending.start = Simulator::Now();
    pending.done = done;
    Ptr<PdpRdmaClient> self(this);
    pending.timeout = Simulator::Schedule(m_timeout, [self, key]() { self->Expire(key); });
    ++m_reads;
    // A send error (no route, full queue) is not reported here: the read times out, as a lost
    // request would.
    m_socket->SendTo(PdpRdmaMakePacket(header), 0, Inet6SocketAddress(server, m_remotePort));
}

void
PdpRdmaClient::HandleRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> packet = socket->RecvFrom(from))
    {
        Receive(packet, from);
    }
}

void
PdpRdmaClient::Receive(Ptr<Packet> packet, const Address& from)
{
    std::string reason;
    std::optional<PdpRdmaMessage> message = PdpRdmaParsePacket(packet, &reason);
    if (!message)
    {
        Bad(packet, "malformed: " + reason);
        return;
    }
    const PdpRdmaHeader& header = message->header;
    if (header.GetOpcode() == PdpRdmaHeader::RC_RDMA_READ_REQUEST)
    {
        Bad(packet, "unexpected opcode: a READ request");
        return;
    }
    auto it = m_pending.find(Key(header.GetDestQp(), header.GetPsn()));
    if (it == m_pending.end())
    {
        // Late responses (after a timeout) land here too.
        Bad(packet, "no read in flight with this QPN and PSN");
        return;
    }
    Pending& pending = it->second;
    if (Inet6SocketAddress::ConvertFrom(from).GetIpv6() != pending.server)
    {
        Bad(packet, "response from another address than the server read");
        return;
    }
    bool nak = header.GetOpcode() == PdpRdmaHeader::RC_ACKNOWLEDGE;
    if (nak && !header.IsNak())
    {
        Bad(packet, "ACK without data for a READ");
        return;
    }
    if (!nak && message->payload->GetSize() != pending.length)
    {
        Bad(packet,
            "response of " + std::to_string(message->payload->GetSize()) + " bytes for a read of " +
                std::to_string(pending.length));
        return;
    }
    Pending done = std::move(pending);
    m_pending.erase(it);
    done.timeout.Cancel();
    Time latency = Simulator::Now() - done.start;
    if (nak)
    {
        ++m_naks;
        if (!done.done.IsNull())
        {
            done.done(false, latency, nullptr);
        }
        return;
    }
    ++m_completed;
    m_latencyTrace(latency);
    if (!done.done.IsNull())
    {
        done.done(true, latency, message->payload);
    }
}

void
PdpRdmaClient::Expire(uint64_t key)
{
    auto it = m_pending.find(key);
    if (it == m_pending.end())
    {
        return;
    }
    Pending done = std::move(it->second);
    m_pending.erase(it);
    ++m_timeouts;
    if (!done.done.IsNull())
    {
        done.done(false, Simulator::Now() - done.start, nullptr);
    }
}

void
PdpRdmaClient::Bad(Ptr<const Packet> packet, const std::string& reason)
{
    NS_LOG_WARN("bad response: " << reason);
    ++m_badResponses;
    m_badResponseTrace(packet, reason);
}

uint32_t
PdpRdmaClient::GetQpn(const Ipv6Address& server) const
{
    auto it = m_qps.find(server);
    return it == m_qps.end() ? 0 : it->second.qpn;
}

uint16_t
PdpRdmaClient::GetLocalPort() const
{
    return m_localPort;
}

uint64_t
PdpRdmaClient::GetReads() const
{
    return m_reads;
}

uint64_t
PdpRdmaClient::GetCompleted() const
{
    return m_completed;
}

uint64_t
PdpRdmaClient::GetTimeouts() const
{
    return m_timeouts;
}

uint64_t
PdpRdmaClient::GetNaks() const
{
    return m_naks;
}

uint64_t
PdpRdmaClient::GetBadResponses() const
{
    return m_badResponses;
}

uint64_t
PdpRdmaClient::GetOutstanding() const
{
    return m_pending.size();
}

} // namespace ns3
