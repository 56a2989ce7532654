/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pdp-memory-server.h"

#include "ns3/aisfc-rng.h"
#include "ns3/double.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PdpMemoryServer");

NS_OBJECT_ENSURE_REGISTERED(PdpMemoryServer);

TypeId
PdpMemoryServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PdpMemoryServer")
            .SetParent<Application>()
            .SetGroupName("Aisfc")
            .AddConstructor<PdpMemoryServer>()
            .AddAttribute("Port",
                          "UDP port the RNIC listens on (RoCEv2: 4791)",
                          UintegerValue(PdpRdmaHeader::UDP_PORT),
                          MakeUintegerAccessor(&PdpMemoryServer::m_port),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("AccessLatency",
                          "Time from a request's service start to its response leaving: RNIC, "
                          "PCIe and DRAM (TEA: 1.8-2.2 us round trip in total)",
                          TimeValue(NanoSeconds(1800)),
                          MakeTimeAccessor(&PdpMemoryServer::m_accessLatency),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("MaxLookupRate",
                          "Requests the server starts per second (TEA: ~17e6 per server); "
                          "0: unlimited",
                          DoubleValue(17e6),
                          MakeDoubleAccessor(&PdpMemoryServer::m_maxLookupRate),
                          MakeDoubleChecker<double>(0))
            .AddAttribute("QueueLimit",
                          "Requests that may wait for service; one more is dropped "
                          "(\"server-overload\")",
                          UintegerValue(1024),
                          MakeUintegerAccessor(&PdpMemoryServer::m_queueLimit),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("MemoryBytes",
                          "Size of the readable memory, virtual addresses [0, MemoryBytes); "
                          "reads beyond get a NAK (\"out-of-range\")",
                          UintegerValue(uint64_t(4) << 30),
                          MakeUintegerAccessor(&PdpMemoryServer::m_memoryBytes),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("MaxReadLength",
                          "Longest READ answered, in bytes: the RoCE path MTU, since responses "
                          "are single packets (1024 under a 1500-byte IP MTU); longer reads get "
                          "a NAK (\"too-long\")",
                          UintegerValue(1024),
                          MakeUintegerAccessor(&PdpMemoryServer::m_maxReadLength),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("Request",
                            "A valid READ request, and its sender",
                            MakeTraceSourceAccessor(&PdpMemoryServer::m_requestTrace),
                            "ns3::PdpMemoryServer::RequestTracedCallback")
            .AddTraceSource("Response",
                            "A READ response or NAK sent, and its destination",
                            MakeTraceSourceAccessor(&PdpMemoryServer::m_responseTrace),
                            "ns3::PdpMemoryServer::ResponseTracedCallback")
            .AddTraceSource("Drop",
                            "A datagram not answered with data, its sender and the reason",
                            MakeTraceSourceAccessor(&PdpMemoryServer::m_dropTrace),
                            "ns3::PdpMemoryServer::DropTracedCallback")
            .AddTraceSource("QueueDelay",
                            "Time an accepted request waits before its service starts",
                            MakeTraceSourceAccessor(&PdpMemoryServer::m_queueDelayTrace),
                            "ns3::PdpMemoryServer::QueueDelayTracedCallback");
    return tid;
}

PdpMemoryServer::PdpMemoryServer()
{
    NS_LOG_FUNCTION(this);
}

PdpMemoryServer::~PdpMemoryServer() = default;

void
PdpMemoryServer::DoDispose()
{
    m_socket = nullptr;
    Application::DoDispose();
}

std::vector<uint8_t>
PdpMemoryServer::Contents(uint64_t address, uint32_t length)
{
    std::vector<uint8_t> bytes(length);
    for (uint32_t k = 0; k < length; ++k)
    {
        uint64_t a = address + k;
        bytes[k] =
            static_cast<uint8_t>(AisfcSplitMix64((a / 8) * AISFC_SPLITMIX_GAMMA) >> (8 * (a % 8)));
    }
    return bytes;
}

void
PdpMemoryServer::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_socket)
    {
        return;
    }
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    if (m_socket->Bind(Inet6SocketAddress(Ipv6Address::GetAny(), m_port)) != 0)
    {
        NS_FATAL_ERROR("PdpMemoryServer: cannot bind UDP port " << m_port << " on node "
                                                                << GetNode()->GetId());
    }
    m_socket->SetRecvCallback(MakeCallback(&PdpMemoryServer::HandleRead, this));
}

void
PdpMemoryServer::StopApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
        m_socket = nullptr;
    }
}

void
PdpMemoryServer::HandleRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> packet = socket->RecvFrom(from))
    {
        Serve(packet, from);
    }
}

Time
PdpMemoryServer::Slot(uint64_t n) const
{
    // ceil in time steps so that no request starts earlier than n / rate; the small epsilon
    // keeps a floating-point result like 1000.0000000001 for an exact 1000 from adding a step.
    double steps = double(n) / m_maxLookupRate * double(Seconds(1).GetTimeStep());
    return TimeStep(static_cast<uint64_t>(std::ceil(steps - 1e-6)));
}

void
PdpMemoryServer::Serve(Ptr<Packet> packet, const Address& from)
{
    ++m_received;
    std::string reason;
    std::optional<PdpRdmaMessage> message = PdpRdmaParsePacket(packet, &reason);
    if (!message)
    {
        NS_LOG_WARN("malformed RoCEv2 packet from "
                    << Inet6SocketAddress::ConvertFrom(from).GetIpv6() << ": " << reason);
        Drop(packet, from, "malformed");
        return;
    }
    const PdpRdmaHeader& request = message->header;
    if (request.GetOpcode() != PdpRdmaHeader::RC_RDMA_READ_REQUEST)
    {
        Drop(packet, from, "not-a-request");
        return;
    }
    ++m_requests;
    m_requestTrace(request, from);

    // Range checks come before the rate limiter: an RNIC rejects them from the request's
    // headers, without a DRAM access.
    if (request.GetDmaLength() > m_maxReadLength)
    {
        Drop(packet, from, "too-long");
        Nak(request, from, PdpRdmaHeader::AETH_NAK_INVALID_REQUEST);
        return;
    }
    uint64_t address = request.GetVirtualAddress();
    if (address > m_memoryBytes || request.GetDmaLength() > m_memoryBytes - address)
    {
        Drop(packet, from, "out-of-range");
        Nak(request, from, PdpRdmaHeader::AETH_NAK_REMOTE_ACCESS_ERROR);
        return;
    }

    Time now = Simulator::Now();
    while (!m_waiting.empty() && m_waiting.front() <= now)
    {
        m_waiting.pop_front();
    }
    Time start = now;
    bool newPeriod = true;
    if (m_maxLookupRate > 0 && m_periodCount > 0)
    {
        Time candidate = m_periodStart + Slot(m_periodCount);
        if (candidate > now)
        {
            start = candidate;
            newPeriod = false;
        }
    }
    if (start > now)
    {
        if (m_waiting.size() >= m_queueLimit)
        {
            Drop(packet, from, "server-overload");
            return;
        }
        m_waiting.push_back(start);
    }
    if (newPeriod)
    {
        m_periodStart = now;
        m_periodCount = 0;
    }
    ++m_periodCount;
    ++m_inService;
    m_queueDelayTrace(start - now);
    Ptr<PdpMemoryServer> self(this);
    PdpRdmaHeader copy = request;
    Address to = from;
    Simulator::Schedule(start - now + m_accessLatency,
                        [self, packet, copy, to]() { self->Respond(packet, copy, to); });
}

void
PdpMemoryServer::Respond(Ptr<Packet> packet, PdpRdmaHeader request, Address to)
{
    --m_inService;
    if (!m_socket)
    {
        Drop(packet, to, "stopped");
        return;
    }
    std::vector<uint8_t> data = Contents(request.GetVirtualAddress(), request.GetDmaLength());
    PdpRdmaHeader response;
    response.SetPartitionKey(request.GetPartitionKey());
    response.SetDestQp(request.GetDestQp());
    response.SetPsn(request.GetPsn());
    response.SetReadResponse(PdpRdmaHeader::AETH_ACK, NextMsn(to, request.GetDestQp()));
    Ptr<Packet> payload = Create<Packet>(data.data(), data.size());
    if (m_socket->SendTo(PdpRdmaMakePacket(response, payload), 0, to) < 0)
    {
        Drop(packet, to, "send-failed");
        return;
    }
    ++m_responses;
    m_responseTrace(response, to);
}

void
PdpMemoryServer::Nak(const PdpRdmaHeader& request, const Address& to, uint8_t syndrome)
{
    if (!m_socket)
    {
        return;
    }
    PdpRdmaHeader nak;
    nak.SetPartitionKey(request.GetPartitionKey());
    nak.SetDestQp(request.GetDestQp());
    nak.SetPsn(request.GetPsn());
    // A NAK completes no message: it carries the MSN of the last one completed.
    auto key = std::make_tuple(Inet6SocketAddress::ConvertFrom(to).GetIpv6(),
                               Inet6SocketAddress::ConvertFrom(to).GetPort(),
                               request.GetDestQp());
    nak.SetAcknowledge(syndrome, m_msn[key]);
    if (m_socket->SendTo(PdpRdmaMakePacket(nak), 0, to) >= 0)
    {
        ++m_naks;
        m_responseTrace(nak, to);
    }
}

void
PdpMemoryServer::Drop(Ptr<const Packet> packet, const Address& from, const std::string& reason)
{
    NS_LOG_INFO("drop (" << reason << ")");
    ++m_drops[reason];
    m_dropTrace(packet, from, reason);
}

uint32_t
PdpMemoryServer::NextMsn(const Address& peer, uint32_t qpn)
{
    auto key = std::make_tuple(Inet6SocketAddress::ConvertFrom(peer).GetIpv6(),
                               Inet6SocketAddress::ConvertFrom(peer).GetPort(),
                               qpn);
    uint32_t& msn = m_msn[key];
    msn = (msn + 1) & PdpRdmaHeader::MAX_24;
    return msn;
}

uint64_t
PdpMemoryServer::GetReceived() const
{
    return m_received;
}

uint64_t
PdpMemoryServer::GetRequests() const
{
    return m_requests;
}

uint64_t
PdpMemoryServer::GetResponses() const
{
    return m_responses;
}

uint64_t
PdpMemoryServer::GetNaks() const
{
    return m_naks;
}

uint64_t
PdpMemoryServer::GetDrops(const std::string& reason) const
{
    auto it = m_drops.find(reason);
    return it == m_drops.end() ? 0 : it->second;
}

const std::map<std::string, uint64_t>&
PdpMemoryServer::GetDropCounts() const
{
    return m_drops;
}

uint64_t
PdpMemoryServer::GetInService() const
{
    return m_inService;
}

} // namespace ns3
