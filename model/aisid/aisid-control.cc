/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisid-control.h"

#include "ns3/aisfc-error.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/udp-socket-factory.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AisidControl");
NS_OBJECT_ENSURE_REGISTERED(AisidControl);

namespace
{
constexpr uint32_t MAGIC = 0x41495343; // "AISC"

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
} // namespace

std::vector<uint8_t>
AisidControlMessage::Serialize() const
{
    std::vector<uint8_t> b;
    Put(b, MAGIC, 4);
    Put(b, seq, 4);
    b.insert(b.end(), aisid.begin(), aisid.end());
    Put(b, uint8_t(state), 1);
    Put(b, instances.size(), 2);
    for (const auto& i : instances)
    {
        Put(b, i.serviceNode, 4);
        Put(b, i.egress, 4);
    }
    return b;
}

std::optional<AisidControlMessage>
AisidControlMessage::Parse(const std::vector<uint8_t>& b)
{
    if (b.size() < 27 || Get(b.data(), 4) != MAGIC || b[24] > 1)
    {
        return std::nullopt;
    }
    size_t n = Get(b.data() + 25, 2);
    if (b.size() != 27 + 8 * n)
    {
        return std::nullopt;
    }
    AisidControlMessage m;
    m.seq = uint32_t(Get(b.data() + 4, 4));
    std::copy(b.begin() + 8, b.begin() + 24, m.aisid.begin());
    m.state = AisidServiceState(b[24]);
    for (size_t i = 0; i < n; ++i)
    {
        const uint8_t* d = b.data() + 27 + 8 * i;
        m.instances.push_back({uint32_t(Get(d, 4)), uint32_t(Get(d + 4, 4))});
    }
    return m;
}

TypeId
AisidControl::GetTypeId()
{
    static TypeId tid = TypeId("ns3::AisidControl")
                            .SetParent<Application>()
                            .SetGroupName("Aisfc")
                            .AddConstructor<AisidControl>();
    return tid;
}

AisidControl::AisidControl() = default;
AisidControl::~AisidControl() = default;

void
AisidControl::DoDispose()
{
    m_socket = nullptr;
    m_pending.clear();
    Application::DoDispose();
}

void
AisidControl::AddGateway(uint32_t node, const Ipv6Address& address)
{
    m_gateways[node] = address;
}

void
AisidControl::AddServiceNode(uint32_t id, const Ipv6Address& address, uint32_t egress)
{
    m_serviceNodes[id] = {address, egress};
}

const AisidControl::Entry&
AisidControl::Find(const AisidBytes& aisid) const
{
    auto it = m_registry.find(aisid);
    if (it == m_registry.end())
    {
        throw AisfcInputError("aisid", AisidCodec::FormatAddress(aisid) + " is not registered");
    }
    return it->second;
}

uint32_t
AisidControl::Register(const AisidBytes& aisid, const std::vector<uint32_t>& serviceNodes)
{
    if (m_registry.count(aisid))
    {
        throw AisfcInputError("aisid", AisidCodec::FormatAddress(aisid) + " is already registered");
    }
    if (serviceNodes.empty())
    {
        throw AisfcInputError("instances", "an AISID needs at least one service node");
    }
    Entry e;
    for (uint32_t s : serviceNodes)
    {
        auto it = m_serviceNodes.find(s);
        if (it == m_serviceNodes.end())
        {
            throw AisfcInputError("instances", "unknown service node " + std::to_string(s));
        }
        e.instances.push_back({s, it->second.second});
    }
    m_registry[aisid] = e;
    return Event(aisid, {});
}

std::vector<std::pair<AisidBytes, std::vector<AisidInstance>>>
AisidControl::Query(const AisidBytes& request) const
{
    AisidCodec codec;
    AisidFields want = codec.Decode(request);
    std::vector<std::pair<AisidBytes, std::vector<AisidInstance>>> out;
    for (const auto& [aisid, e] : m_registry)
    {
        if (e.state == AisidServiceState::ACTIVE && AisidCodec::Matches(want, codec.Decode(aisid)))
        {
            out.emplace_back(aisid, e.instances);
        }
    }
    return out;
}

uint32_t
AisidControl::Migrate(const AisidBytes& aisid, uint32_t from, uint32_t to)
{
    Find(aisid);
    Entry& e = m_registry[aisid];
    auto it = std::find_if(e.instances.begin(), e.instances.end(), [from](const AisidInstance& i) {
        return i.serviceNode == from;
    });
    if (it == e.instances.end())
    {
        throw AisfcInputError("from", "no instance on service node " + std::to_string(from));
    }
    auto target = m_serviceNodes.find(to);
    if (target == m_serviceNodes.end())
    {
        throw AisfcInputError("to", "unknown service node " + std::to_string(to));
    }
    *it = {to, target->second.second};
    return Event(aisid, {from});
}

uint32_t
AisidControl::Decommission(const AisidBytes& aisid)
{
    Find(aisid);
    m_registry[aisid].state = AisidServiceState::DECOMMISSIONED;
    return Event(aisid, {});
}

std::optional<AisidServiceState>
AisidControl::GetState(const AisidBytes& aisid) const
{
    auto it = m_registry.find(aisid);
    if (it == m_registry.end())
    {
        return std::nullopt;
    }
    return it->second.state;
}

uint32_t
AisidControl::Event(const AisidBytes& aisid, std::vector<uint32_t> alsoTell)
{
    const Entry& e = m_registry.at(aisid);
    uint32_t seq = ++m_seq;
    AisidControlMessage m;
    m.seq = seq;
    m.aisid = aisid;
    m.state = e.state;
    m.instances = e.instances;
    for (const auto& i : e.instances)
    {
        alsoTell.push_back(i.serviceNode);
    }
    if (m_started)
    {
        Sync(seq, m, alsoTell);
    }
    else
    {
        m_pending.push_back([this, seq, m, alsoTell]() { Sync(seq, m, alsoTell); });
    }
    return seq;
}

void
AisidControl::Sync(uint32_t seq, AisidControlMessage message, std::vector<uint32_t> serviceNodes)
{
    m_eventTimes[seq] = Simulator::Now();
    std::vector<uint8_t> bytes = message.Serialize();
    std::vector<Ipv6Address> to;
    for (const auto& [node, address] : m_gateways)
    {
        to.push_back(address);
    }
    std::sort(serviceNodes.begin(), serviceNodes.end());
    serviceNodes.erase(std::unique(serviceNodes.begin(), serviceNodes.end()), serviceNodes.end());
    for (uint32_t s : serviceNodes)
    {
        to.push_back(m_serviceNodes.at(s).first);
    }
    for (const auto& a : to)
    {
        m_socket->SendTo(Create<Packet>(bytes.data(), bytes.size()),
                         0,
                         Inet6SocketAddress(a, AISID_CONTROL_PORT));
        ++m_sent;
    }
}

void
AisidControl::StartApplication()
{
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    m_socket->Bind6();
    m_started = true;
    for (auto& f : m_pending)
    {
        f();
    }
    m_pending.clear();
}

void
AisidControl::StopApplication()
{
    if (m_socket)
    {
        m_socket->Close();
    }
}

void
AisidControl::NotifyApplied(uint32_t gateway, uint32_t seq)
{
    m_applied[seq][gateway] = Simulator::Now();
}

Time
AisidControl::GetEventTime(uint32_t seq) const
{
    auto it = m_eventTimes.find(seq);
    return it == m_eventTimes.end() ? Time(0) : it->second;
}

std::map<uint32_t, Time>
AisidControl::GetStaleness(uint32_t seq) const
{
    std::map<uint32_t, Time> out;
    auto it = m_applied.find(seq);
    if (it == m_applied.end())
    {
        return out;
    }
    for (const auto& [gateway, t] : it->second)
    {
        out[gateway] = t - GetEventTime(seq);
    }
    return out;
}

uint64_t
AisidControl::GetMessagesSent() const
{
    return m_sent;
}

} // namespace ns3
