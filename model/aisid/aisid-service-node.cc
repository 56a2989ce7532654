/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisid-service-node.h"

#include "aisid-control.h"
#include "dns-apps.h"

#include "ns3/double.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv6-list-routing.h"
#include "ns3/ipv6.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AisidServiceNode");
NS_OBJECT_ENSURE_REGISTERED(AisidServiceNode);
NS_OBJECT_ENSURE_REGISTERED(AisidClient);
NS_OBJECT_ENSURE_REGISTERED(AisidHostHook);

namespace
{
void
Put(std::vector<uint8_t>& b, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; --i)
    {
        b.push_back(uint8_t(v >> (8 * i)));
    }
}

uint64_t
Get(const uint8_t* d, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
    {
        v = v << 8 | d[i];
    }
    return v;
}

constexpr uint32_t CHUNK = 1400; //!< bytes handed to TCP at a time

/**
 * Hand TCP a message's header (whole, or not yet) and then as many of its body bytes as its
 * buffer takes: the request of a client and the response of a service node alike.
 * \return false when the socket took nothing more (the header does not fit yet, or a send
 *         failed): wait for the next send callback
 */
bool
SendWhatFits(Ptr<Socket> socket, std::vector<uint8_t>& pendingHeader, uint64_t& toSend)
{
    if (!pendingHeader.empty())
    {
        if (socket->GetTxAvailable() < pendingHeader.size())
        {
            return false;
        }
        socket->Send(Create<Packet>(pendingHeader.data(), pendingHeader.size()));
        pendingHeader.clear();
    }
    while (toSend > 0 && socket->GetTxAvailable() > 0)
    {
        uint32_t n = uint32_t(std::min<uint64_t>({toSend, CHUNK, socket->GetTxAvailable()}));
        int sent = socket->Send(Create<Packet>(n));
        if (sent <= 0)
        {
            return false;
        }
        toSend -= uint32_t(sent);
    }
    return true;
}
} // namespace

std::string
AisidStatusName(AisidStatus status)
{
    switch (status)
    {
    case AisidStatus::OK:
        return "ok";
    case AisidStatus::NOT_HOSTED:
        return "not-hosted";
    case AisidStatus::DECOMMISSIONED:
        return "decommissioned";
    case AisidStatus::FAILED:
        return "failed";
    }
    return "failed";
}

std::vector<uint8_t>
AisidRequestHeader::Serialize() const
{
    std::vector<uint8_t> b;
    Put(b, MAGIC, 4);
    Put(b, requestId, 4);
    b.insert(b.end(), aisid.begin(), aisid.end());
    Put(b, uint64_t(std::llround(demandTflop * 1e6)), 8);
    Put(b, payloadBytes, 4);
    Put(b, responseBytes, 4);
    Put(b, 0, 8);
    return b;
}

std::optional<AisidRequestHeader>
AisidRequestHeader::Parse(const uint8_t* d)
{
    if (Get(d, 4) != MAGIC)
    {
        return std::nullopt;
    }
    AisidRequestHeader h;
    h.requestId = uint32_t(Get(d + 4, 4));
    std::copy(d + 8, d + 24, h.aisid.begin());
    h.demandTflop = double(Get(d + 24, 8)) / 1e6;
    h.payloadBytes = uint32_t(Get(d + 32, 4));
    h.responseBytes = uint32_t(Get(d + 36, 4));
    return h;
}

std::vector<uint8_t>
AisidResponseHeader::Serialize() const
{
    std::vector<uint8_t> b;
    Put(b, MAGIC, 4);
    Put(b, requestId, 4);
    Put(b, uint32_t(status), 4);
    Put(b, responseBytes, 4);
    Put(b, uint64_t(arrival.GetNanoSeconds()), 8);
    Put(b, uint64_t(start.GetNanoSeconds()), 8);
    Put(b, uint64_t(end.GetNanoSeconds()), 8);
    Put(b, 0, 8);
    return b;
}

std::optional<AisidResponseHeader>
AisidResponseHeader::Parse(const uint8_t* d)
{
    if (Get(d, 4) != MAGIC || Get(d + 8, 4) > uint32_t(AisidStatus::FAILED))
    {
        return std::nullopt;
    }
    AisidResponseHeader h;
    h.requestId = uint32_t(Get(d + 4, 4));
    h.status = AisidStatus(Get(d + 8, 4));
    h.responseBytes = uint32_t(Get(d + 12, 4));
    h.arrival = NanoSeconds(int64_t(Get(d + 16, 8)));
    h.start = NanoSeconds(int64_t(Get(d + 24, 8)));
    h.end = NanoSeconds(int64_t(Get(d + 32, 8)));
    return h;
}

// ----- AisidHostHook ---------------------------------------------------------------------

TypeId
AisidHostHook::GetTypeId()
{
    static TypeId tid = TypeId("ns3::AisidHostHook")
                            .SetParent<AisfcInputHook>()
                            .SetGroupName("Aisfc")
                            .AddConstructor<AisidHostHook>();
    return tid;
}

void
AisidHostHook::SetHosted(std::function<bool(const Ipv6Address&)> hosted)
{
    m_hosted = std::move(hosted);
}

bool
AisidHostHook::RouteInput(Ptr<const Packet> p,
                          const Ipv6Header& header,
                          Ptr<const NetDevice> idev,
                          UnicastForwardCallback,
                          MulticastForwardCallback,
                          LocalDeliverCallback lcb,
                          ErrorCallback)
{
    if (!m_hosted || !m_hosted(header.GetDestination()))
    {
        return false;
    }
    lcb(p, header, m_ipv6->GetInterfaceForDevice(idev));
    return true;
}

// ----- AisidServiceNode ------------------------------------------------------------------

TypeId
AisidServiceNode::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::AisidServiceNode")
            .SetParent<Application>()
            .SetGroupName("Aisfc")
            .AddConstructor<AisidServiceNode>()
            .AddAttribute("Port",
                          "TCP port of the service",
                          UintegerValue(9000),
                          MakeUintegerAccessor(&AisidServiceNode::m_port),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("CapacityTflops",
                          "compute capacity (TFLOPS); a request of D TFLOP computes D/capacity s",
                          DoubleValue(100),
                          MakeDoubleAccessor(&AisidServiceNode::m_capacity),
                          MakeDoubleChecker<double>(1e-9))
            .AddAttribute("DrainTime",
                          "how long an instance that migrated away keeps serving",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&AisidServiceNode::m_drainTime),
                          MakeTimeChecker())
            .AddTraceSource("Request",
                            "a request was answered (its record)",
                            MakeTraceSourceAccessor(&AisidServiceNode::m_requestTrace),
                            "ns3::AisidServiceNode::RequestTracedCallback");
    return tid;
}

AisidServiceNode::AisidServiceNode() = default;
AisidServiceNode::~AisidServiceNode() = default;

void
AisidServiceNode::DoDispose()
{
    m_listen = nullptr;
    m_control = nullptr;
    m_connections.clear();
    m_queue.clear();
    m_current.reset();
    Application::DoDispose();
}

void
AisidServiceNode::SetId(uint32_t id)
{
    m_id = id;
}

void
AisidServiceNode::HandleControl(Ptr<Socket> socket)
{
    Ptr<Packet> p;
    while ((p = socket->Recv()))
    {
        std::vector<uint8_t> b(p->GetSize());
        p->CopyData(b.data(), b.size());
        auto m = AisidControlMessage::Parse(b);
        if (!m)
        {
            continue;
        }
        bool mine = false;
        for (const auto& i : m->instances)
        {
            mine = mine || i.serviceNode == m_id;
        }
        if (mine && m->state == AisidServiceState::ACTIVE)
        {
            HostInstance(m->aisid);
        }
        else if (mine)
        {
            DecommissionInstance(m->aisid);
        }
        else if (m_instances.count(m->aisid))
        {
            RemoveInstance(m->aisid);
        }
    }
}

void
AisidServiceNode::HostInstance(const AisidBytes& aisid)
{
    m_instances[aisid] = InstanceState::ACTIVE;
}

void
AisidServiceNode::DecommissionInstance(const AisidBytes& aisid)
{
    if (m_instances.count(aisid))
    {
        m_instances[aisid] = InstanceState::DECOMMISSIONED;
    }
}

void
AisidServiceNode::RemoveInstance(const AisidBytes& aisid)
{
    Simulator::Schedule(m_drainTime, [this, aisid]() { m_instances.erase(aisid); });
}

bool
AisidServiceNode::IsHosted(const Ipv6Address& address) const
{
    AisidBytes b;
    address.GetBytes(b.data());
    return m_instances.count(b) > 0;
}

double
AisidServiceNode::GetCapacityTflops() const
{
    return m_capacity;
}

uint32_t
AisidServiceNode::GetLoad() const
{
    return uint32_t(m_queue.size()) + (m_current ? 1 : 0);
}

uint32_t
AisidServiceNode::GetQueued() const
{
    return uint32_t(m_queue.size());
}

double
AisidServiceNode::GetUtilisation() const
{
    Time busy = m_busy;
    if (m_current)
    {
        busy += Simulator::Now() - m_current->second.start;
    }
    Time span = Simulator::Now() - m_startedAt;
    return span.IsStrictlyPositive() ? busy.GetSeconds() / span.GetSeconds() : 0.0;
}

const std::vector<AisidRequestRecord>&
AisidServiceNode::GetRecords() const
{
    return m_records;
}

double
AisidServiceNode::GetComputedTflop() const
{
    return m_computed;
}

void
AisidServiceNode::StartApplication()
{
    m_startedAt = Simulator::Now();
    Ptr<Ipv6ListRouting> list =
        DynamicCast<Ipv6ListRouting>(GetNode()->GetObject<Ipv6>()->GetRoutingProtocol());
    NS_ABORT_MSG_IF(!list, "AisidServiceNode needs an Ipv6ListRouting on its node");
    Ptr<AisidHostHook> hook = CreateObject<AisidHostHook>();
    hook->SetHosted([this](const Ipv6Address& a) { return IsHosted(a); });
    list->AddRoutingProtocol(hook, 30);
    hook->SetIpv6(GetNode()->GetObject<Ipv6>());

    m_control = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    m_control->Bind(Inet6SocketAddress(Ipv6Address::GetAny(), AISID_CONTROL_PORT));
    m_control->SetRecvCallback(MakeCallback(&AisidServiceNode::HandleControl, this));
    m_listen = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    m_listen->Bind(Inet6SocketAddress(Ipv6Address::GetAny(), m_port));
    m_listen->Listen();
    m_listen->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                MakeCallback(&AisidServiceNode::Accept, this));
}

void
AisidServiceNode::StopApplication()
{
    if (m_listen)
    {
        m_listen->Close();
    }
    Simulator::Cancel(m_computeEvent);
}

void
AisidServiceNode::Accept(Ptr<Socket> socket, const Address&)
{
    m_connections[socket] = Connection();
    socket->SetRecvCallback(MakeCallback(&AisidServiceNode::HandleRead, this));
    socket->SetSendCallback(MakeCallback(&AisidServiceNode::Push, this));
}

void
AisidServiceNode::HandleRead(Ptr<Socket> socket)
{
    auto it = m_connections.find(socket);
    Ptr<Packet> p;
    while ((p = socket->Recv()))
    {
        if (it == m_connections.end())
        {
            continue;
        }
        Connection& c = it->second;
        std::vector<uint8_t> data(p->GetSize());
        p->CopyData(data.data(), data.size());
        size_t at = 0;
        if (!c.req)
        {
            size_t take = std::min<size_t>(AisidRequestHeader::SIZE - c.head.size(), data.size());
            c.head.insert(c.head.end(), data.begin(), data.begin() + take);
            at = take;
            if (c.head.size() < AisidRequestHeader::SIZE)
            {
                continue;
            }
            c.req = AisidRequestHeader::Parse(c.head.data());
            if (!c.req)
            {
                NS_LOG_WARN("bad request header: connection closed");
                socket->Close();
                m_connections.erase(it);
                it = m_connections.end();
                continue;
            }
            c.payloadLeft = c.req->payloadBytes;
        }
        uint64_t rest = data.size() - at;
        if (c.payloadLeft > 0)
        {
            c.payloadLeft -= std::min(c.payloadLeft, rest);
            if (c.payloadLeft == 0)
            {
                Arrived(socket);
            }
        }
        else if (at > 0 && c.req->payloadBytes == 0 && c.toSend == 0 && c.pendingHeader.empty())
        {
            Arrived(socket);
        }
    }
}

std::optional<AisidServiceNode::InstanceState>
AisidServiceNode::Serving(const AisidBytes& requested) const
{
    AisidCodec codec;
    AisidFields want = codec.Decode(requested);
    std::optional<InstanceState> best;
    for (const auto& [aisid, state] : m_instances)
    {
        if (AisidCodec::Matches(want, codec.Decode(aisid)))
        {
            if (state == InstanceState::ACTIVE)
            {
                return state;
            }
            best = state;
        }
    }
    return best;
}

void
AisidServiceNode::Arrived(Ptr<Socket> socket)
{
    const AisidRequestHeader& h = *m_connections[socket].req;
    AisidRequestRecord r;
    r.requestId = h.requestId;
    r.aisid = h.aisid;
    r.demandTflop = h.demandTflop;
    r.payloadBytes = h.payloadBytes;
    r.responseBytes = h.responseBytes;
    r.arrival = Simulator::Now();
    auto state = Serving(h.aisid);
    if (!state || *state != InstanceState::ACTIVE)
    {
        r.status = state ? AisidStatus::DECOMMISSIONED : AisidStatus::NOT_HOSTED;
        r.start = r.end = r.arrival;
        r.responseBytes = 0;
        Respond(socket, r);
        return;
    }
    m_queue.emplace_back(socket, r);
    if (!m_current)
    {
        StartNext();
    }
}

void
AisidServiceNode::StartNext()
{
    if (m_queue.empty())
    {
        return;
    }
    m_current = m_queue.front();
    m_queue.pop_front();
    m_current->second.start = Simulator::Now();
    m_computeEvent = Simulator::Schedule(Seconds(m_current->second.demandTflop / m_capacity),
                                         &AisidServiceNode::Computed,
                                         this);
}

void
AisidServiceNode::Computed()
{
    auto [socket, r] = *m_current;
    m_current.reset();
    r.end = Simulator::Now();
    m_busy += r.end - r.start;
    m_computed += r.demandTflop;
    Respond(socket, r);
    StartNext();
}

void
AisidServiceNode::Respond(Ptr<Socket> socket, AisidRequestRecord record)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
    {
        return;
    }
    AisidResponseHeader h;
    h.requestId = record.requestId;
    h.status = record.status;
    h.responseBytes = record.responseBytes;
    h.arrival = record.arrival;
    h.start = record.start;
    h.end = record.end;
    it->second.pendingHeader = h.Serialize();
    it->second.toSend = record.responseBytes;
    it->second.record = m_records.size();
    m_records.push_back(record);
    Push(socket, socket->GetTxAvailable());
}

void
AisidServiceNode::Push(Ptr<Socket> socket, uint32_t)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
    {
        return;
    }
    Connection& c = it->second;
    if (c.pendingHeader.empty() && c.toSend == 0)
    {
        return;
    }
    if (!SendWhatFits(socket, c.pendingHeader, c.toSend))
    {
        return;
    }
    if (c.toSend == 0)
    {
        AisidRequestRecord& r = m_records[c.record];
        r.sent = Simulator::Now();
        m_requestTrace(r);
        c.record = SIZE_MAX;
        c.toSend = 0;
    }
}

// ----- AisidClient -----------------------------------------------------------------------

TypeId
AisidClient::GetTypeId()
{
    static TypeId tid = TypeId("ns3::AisidClient")
                            .SetParent<Application>()
                            .SetGroupName("Aisfc")
                            .AddConstructor<AisidClient>()
                            .AddTraceSource("Done",
                                            "a request finished (answered or failed)",
                                            MakeTraceSourceAccessor(&AisidClient::m_doneTrace),
                                            "ns3::AisidClient::DoneTracedCallback");
    return tid;
}

AisidClient::AisidClient() = default;
AisidClient::~AisidClient() = default;

void
AisidClient::DoDispose()
{
    m_connections.clear();
    m_resolver = nullptr;
    Application::DoDispose();
}

uint32_t
AisidClient::AddRequest(AisidClientRequest request)
{
    request.id = uint32_t(m_requests.size());
    m_requests.push_back(request);
    return request.id;
}

void
AisidClient::SetResolver(Ptr<DnsStubResolver> resolver)
{
    m_resolver = resolver;
}

const std::vector<AisidClientRequest>&
AisidClient::GetRequests() const
{
    return m_requests;
}

void
AisidClient::StartApplication()
{
    for (const auto& r : m_requests)
    {
        Time at = std::max(r.at - Simulator::Now(), Time(0));
        Simulator::Schedule(at, &AisidClient::Begin, this, r.id);
    }
}

void
AisidClient::StopApplication()
{
}

void
AisidClient::Begin(uint32_t id)
{
    AisidClientRequest& r = m_requests[id];
    r.first = Simulator::Now();
    if (r.address)
    {
        r.resolved = r.first;
        Connect(id, *r.address);
        return;
    }
    if (!m_resolver)
    {
        Fail(id);
        return;
    }
    m_resolver->Resolve(r.name, [this, id](const DnsResolution& res) {
        AisidClientRequest& q = m_requests[id];
        q.resolved = Simulator::Now();
        if (res.status != DnsResolution::OK)
        {
            Fail(id);
            return;
        }
        Connect(id, res.address);
    });
}

void
AisidClient::Connect(uint32_t id, const Ipv6Address& to)
{
    AisidClientRequest& r = m_requests[id];
    r.connectedTo = to;
    Ptr<Socket> s = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    s->Bind6();
    Connection c;
    c.id = id;
    AisidRequestHeader h;
    h.requestId = id;
    to.GetBytes(h.aisid.data());
    h.demandTflop = r.demandTflop;
    h.payloadBytes = r.payloadBytes;
    h.responseBytes = r.responseBytes;
    c.pendingHeader = h.Serialize();
    c.toSend = r.payloadBytes;
    m_connections[s] = c;
    s->SetConnectCallback(
        [this](Ptr<Socket> socket) {
            m_requests[m_connections[socket].id].connected = Simulator::Now();
            Push(socket, socket->GetTxAvailable());
        },
        [this](Ptr<Socket> socket) { Fail(m_connections[socket].id); });
    s->SetSendCallback(MakeCallback(&AisidClient::Push, this));
    s->SetRecvCallback(MakeCallback(&AisidClient::HandleRead, this));
    s->Connect(Inet6SocketAddress(to, r.port));
}

void
AisidClient::Push(Ptr<Socket> socket, uint32_t)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end() || m_requests[it->second.id].connected.IsZero())
    {
        return;
    }
    Connection& c = it->second;
    if (!SendWhatFits(socket, c.pendingHeader, c.toSend))
    {
        return;
    }
}

void
AisidClient::HandleRead(Ptr<Socket> socket)
{
    auto it = m_connections.find(socket);
    Ptr<Packet> p;
    while ((p = socket->Recv()))
    {
        if (it == m_connections.end())
        {
            continue;
        }
        Connection& c = it->second;
        AisidClientRequest& r = m_requests[c.id];
        r.received += p->GetSize();
        if (c.head.size() < AisidResponseHeader::SIZE)
        {
            std::vector<uint8_t> data(p->GetSize());
            p->CopyData(data.data(), data.size());
            size_t take = std::min<size_t>(AisidResponseHeader::SIZE - c.head.size(), data.size());
            c.head.insert(c.head.end(), data.begin(), data.begin() + take);
            if (c.head.size() == AisidResponseHeader::SIZE)
            {
                auto h = AisidResponseHeader::Parse(c.head.data());
                if (!h)
                {
                    Fail(c.id);
                    return;
                }
                r.status = h->status;
                r.arrival = h->arrival;
                r.start = h->start;
                r.end = h->end;
                c.expected = AisidResponseHeader::SIZE + uint64_t(h->responseBytes);
            }
        }
        if (c.expected > 0 && r.received >= c.expected && !r.done)
        {
            r.last = Simulator::Now();
            r.done = true;
            m_doneTrace(r);
            socket->Close();
        }
    }
}

void
AisidClient::Fail(uint32_t id)
{
    AisidClientRequest& r = m_requests[id];
    if (r.done)
    {
        return;
    }
    r.status = AisidStatus::FAILED;
    r.done = true;
    r.last = Simulator::Now();
    m_doneTrace(r);
}

} // namespace ns3
