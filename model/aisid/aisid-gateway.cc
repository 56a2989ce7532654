/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisid-gateway.h"

#include "aisid-service-node.h"

#include "ns3/inet6-socket-address.h"
#include "ns3/ipv6-route.h"
#include "ns3/ipv6.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/srv6-packet.h"
#include "ns3/udp-socket-factory.h"

#include <cmath>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AisidGateway");
NS_OBJECT_ENSURE_REGISTERED(AisidGateway);

namespace
{
constexpr uint8_t TCP = 6;
constexpr uint8_t FIN = 0x01;
constexpr uint8_t RST = 0x04;
} // namespace

TypeId
AisidGateway::GetTypeId()
{
    static TypeId tid = TypeId("ns3::AisidGateway")
                            .SetParent<AisfcInputHook>()
                            .SetGroupName("Aisfc")
                            .AddConstructor<AisidGateway>()
                            .AddAttribute("FlowIdleTimeout",
                                          "a pinned flow without packets for this long ends",
                                          TimeValue(Seconds(30)),
                                          MakeTimeAccessor(&AisidGateway::m_idle),
                                          MakeTimeChecker());
    return tid;
}

AisidGateway::AisidGateway() = default;
AisidGateway::~AisidGateway() = default;

void
AisidGateway::DoDispose()
{
    m_socket = nullptr;
    m_local.clear();
    m_egressLoad = nullptr;
    m_applied = nullptr;
    AisfcInputHook::DoDispose();
}

void
AisidGateway::Configure(uint32_t node,
                        uint64_t prefix,
                        bool ingress,
                        bool egress,
                        Ipv6Address source)
{
    m_node = node;
    m_prefix = prefix;
    m_ingress = ingress;
    m_egress = egress;
    m_source = source;
}

void
AisidGateway::AddEgress(uint32_t egress, const Ipv6Address& sid, double delaySeconds)
{
    m_egresses[egress] = {sid, delaySeconds};
}

void
AisidGateway::SetEgressLoad(std::function<double(uint32_t)> load)
{
    m_egressLoad = std::move(load);
}

void
AisidGateway::AddLocalServiceNode(const LocalServiceNode& node)
{
    m_local[node.id] = node;
}

double
AisidGateway::GetLocalLoad() const
{
    double load = 0;
    double capacity = 0;
    for (const auto& [id, n] : m_local)
    {
        load += n.app->GetLoad();
        capacity += n.app->GetCapacityTflops();
    }
    return capacity > 0 ? load / capacity : 0.0;
}

void
AisidGateway::Start(Ptr<Node> node)
{
    m_socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    m_socket->Bind(Inet6SocketAddress(Ipv6Address::GetAny(), AISID_CONTROL_PORT));
    m_socket->SetRecvCallback(MakeCallback(&AisidGateway::HandleControl, this));
}

void
AisidGateway::SetAppliedCallback(std::function<void(uint32_t, uint32_t)> applied)
{
    m_applied = std::move(applied);
}

const std::map<uint32_t, uint64_t>&
AisidGateway::GetEgressChoices() const
{
    return m_egressChoices;
}

const std::map<uint32_t, uint64_t>&
AisidGateway::GetNodeChoices() const
{
    return m_nodeChoices;
}

const std::map<std::string, uint64_t>&
AisidGateway::GetCounters() const
{
    return m_counters;
}

std::optional<AisidControlMessage>
AisidGateway::GetView(const AisidBytes& aisid) const
{
    auto it = m_view.find(aisid);
    if (it == m_view.end())
    {
        return std::nullopt;
    }
    return it->second;
}

void
AisidGateway::HandleControl(Ptr<Socket> socket)
{
    Ptr<Packet> p;
    while ((p = socket->Recv()))
    {
        std::vector<uint8_t> b(p->GetSize());
        p->CopyData(b.data(), b.size());
        auto m = AisidControlMessage::Parse(b);
        if (!m)
        {
            ++m_counters["bad-control"];
            continue;
        }
        auto it = m_view.find(m->aisid);
        if (it != m_view.end() && it->second.seq >= m->seq)
        {
            ++m_counters["stale-control"];
            continue;
        }
        m_view[m->aisid] = *m;
        ++m_counters["control-applied"];
        if (m_applied)
        {
            m_applied(m_node, m->seq);
        }
    }
}

uint32_t
AisidGateway::Connections(uint32_t serviceNode) const
{
    uint32_t pinned = 0;
    Time now = Simulator::Now();
    for (const auto& [key, f] : m_flows)
    {
        if (f.local && f.target == serviceNode && now - f.lastSeen < m_idle)
        {
            ++pinned;
        }
    }
    return std::max(pinned, m_local.at(serviceNode).app->GetLoad());
}

std::optional<uint32_t>
AisidGateway::PickLocal(const AisidControlMessage& view) const
{
    std::optional<uint32_t> best;
    double bestScore = 0;
    uint32_t bestLoad = 0;
    for (const auto& i : view.instances)
    {
        auto it = m_local.find(i.serviceNode);
        if (i.egress != m_node || it == m_local.end())
        {
            continue;
        }
        double score = Connections(i.serviceNode) / it->second.app->GetCapacityTflops();
        uint32_t load = it->second.app->GetLoad();
        if (!best || score < bestScore - 1e-12 ||
            (std::abs(score - bestScore) <= 1e-12 && load < bestLoad))
        {
            best = i.serviceNode;
            bestScore = score;
            bestLoad = load;
        }
    }
    return best;
}

std::optional<uint32_t>
AisidGateway::PickEgress(const AisidControlMessage& view) const
{
    std::optional<uint32_t> best;
    double bestDelay = 0;
    double bestLoad = 0;
    for (const auto& i : view.instances)
    {
        auto it = m_egresses.find(i.egress);
        if (it == m_egresses.end())
        {
            continue;
        }
        double delay = it->second.second;
        double load = m_egressLoad ? m_egressLoad(i.egress) : 0.0;
        if (!best || delay < bestDelay - 1e-6 ||
            (std::abs(delay - bestDelay) <= 1e-6 &&
             (load < bestLoad || (load == bestLoad && i.egress < *best))))
        {
            best = i.egress;
            bestDelay = delay;
            bestLoad = load;
        }
    }
    return best;
}

bool
AisidGateway::RouteInput(Ptr<const Packet> p,
                         const Ipv6Header& header,
                         Ptr<const NetDevice> idev,
                         UnicastForwardCallback ucb,
                         MulticastForwardCallback mcb,
                         LocalDeliverCallback lcb,
                         ErrorCallback ecb)
{
    AisidBytes dst;
    header.GetDestination().GetBytes(dst.data());
    if (!AisidCodec::HasPrefix(dst, m_prefix))
    {
        return false;
    }
    Srv6FlowKey k = Srv6ReadFlowKey(p, header);
    FlowKey key{k.source, k.sourcePort, k.destination, k.destinationPort, k.protocol};
    bool ends = false;
    if (k.protocol == TCP && p->GetSize() >= 14)
    {
        uint8_t tcp[14];
        p->CopyData(tcp, 14);
        ends = (tcp[13] & (FIN | RST)) != 0;
    }
    auto view = m_view.find(dst);
    Time now = Simulator::Now();
    if (auto closing = m_closing.find(key); closing != m_closing.end())
    {
        if (now - closing->second.lastSeen < m_idle)
        {
            Flow f = closing->second;
            return Forward(p, header, idev, ucb, mcb, lcb, ecb, f);
        }
        m_closing.erase(closing);
    }
    auto flow = m_flows.find(key);
    if (flow != m_flows.end() && now - flow->second.lastSeen >= m_idle)
    {
        m_flows.erase(flow);
        flow = m_flows.end();
    }
    if (flow == m_flows.end())
    {
        if (view == m_view.end() && !m_ingress)
        {
            return false;
        }
        if (view == m_view.end())
        {
            ++m_counters["no-instance"];
            return true; // dropped
        }
        Flow f;
        if (m_egress)
        {
            if (auto local = PickLocal(view->second))
            {
                f.local = true;
                f.target = *local;
            }
        }
        if (!f.local && !m_ingress)
        {
            return false; // an egress-only gateway forwards others' requests as plain IPv6
        }
        if (!f.local)
        {
            auto egress = PickEgress(view->second);
            if (!egress)
            {
                ++m_counters["no-instance"];
                return true;
            }
            f.target = *egress;
        }
        ++(f.local ? m_nodeChoices : m_egressChoices)[f.target];
        flow = m_flows.emplace(key, f).first;
    }
    flow->second.lastSeen = now;
    Flow f = flow->second;
    if (ends)
    {
        m_flows.erase(flow);
        m_closing[key] = f;
    }
    return Forward(p, header, idev, ucb, mcb, lcb, ecb, f);
}

bool
AisidGateway::Forward(Ptr<const Packet> p,
                      const Ipv6Header& header,
                      Ptr<const NetDevice> idev,
                      UnicastForwardCallback ucb,
                      MulticastForwardCallback mcb,
                      LocalDeliverCallback lcb,
                      ErrorCallback ecb,
                      const Flow& f)
{
    if (f.local)
    {
        const LocalServiceNode& n = m_local.at(f.target);
        Ptr<Ipv6Route> route = Create<Ipv6Route>();
        route->SetDestination(header.GetDestination());
        route->SetGateway(n.nextHop);
        route->SetOutputDevice(m_ipv6->GetNetDevice(n.interface));
        route->SetSource(m_source);
        ++m_counters["delivered"];
        ucb(idev, route, p, header);
        return true;
    }
    Ptr<Packet> copy = p->Copy();
    Ipv6Header outer = Srv6Encapsulate(copy,
                                       header,
                                       m_source,
                                       {m_egresses.at(f.target).first},
                                       false,
                                       header.GetHopLimit());
    ++m_counters["encapsulated"];
    return m_ipv6->GetRoutingProtocol()->RouteInput(copy, outer, idev, ucb, mcb, lcb, ecb);
}

} // namespace ns3
