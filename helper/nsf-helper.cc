/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "nsf-helper.h"

#include "aisfc-network-builder.h"
#include "srv6-helper.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-paths.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/ipv6-l3-protocol.h"
#include "ns3/ipv6-list-routing.h"
#include "ns3/learn-dataset.h"
#include "ns3/learn-dense-network.h"
#include "ns3/node.h"
#include "ns3/nsf-application.h"
#include "ns3/nsf-client.h"
#include "ns3/nsf-interceptor.h"
#include "ns3/nsf-path-controller.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/srv6-sid-table.h"
#include "ns3/uinteger.h"

namespace ns3
{

namespace
{
/// Function ids of the chain's proxy SIDs ("NS" + stage): clear of the srv6 section's.
constexpr uint16_t FIRST_PROXY_FUNCTION = 0x4e53;
/// Function id of the End SIDs that pin a chain to a path.
constexpr uint16_t WAYPOINT_FUNCTION = 0x4e50;
} // namespace

NsfChainHelper::NsfChainHelper(AisfcNetworkBuilder& network, Srv6Helper& srv6)
    : m_network(network),
      m_srv6(srv6)
{
}

NsfChainHelper::~NsfChainHelper() = default;

void
NsfChainHelper::Install(const NsfChainConfig& c)
{
    size_t n = c.stages.size();
    if (n == 0 || c.routers.size() != n)
    {
        throw AisfcInputError("nsf",
                              "one router per stage is needed (" +
                                  std::to_string(c.routers.size()) + " routers for " +
                                  std::to_string(n) + " stages)");
    }
    if (c.devices.size() != 1 && c.devices.size() != n)
    {
        throw AisfcInputError("nsf", "give one device for all stages or one per stage");
    }
    for (size_t k = 0; k < n; ++k)
    {
        const NsfDevice& device = c.devices[c.devices.size() == 1 ? 0 : k];
        device.CheckFits(c.stages[k], c.batchSize, false);
    }
    std::vector<std::pair<size_t, size_t>> slices; // numeric mode: layers of each stage
    if (c.network)
    {
        size_t first = 0;
        for (const NsfSubModel& sub : c.stages)
        {
            size_t linear = 0;
            for (const NsfLayer& layer : sub.layers)
            {
                linear += layer.type == NsfLayerType::LINEAR;
            }
            slices.emplace_back(first, first + linear);
            first += linear;
        }
        if (first != c.network->LayerCount() || !c.data ||
            c.data->FeatureCount() != c.network->InputSize())
        {
            throw AisfcInputError("nsf",
                                  "numeric mode needs a network with one layer per linear layer "
                                  "of the stages (" +
                                      std::to_string(first) + " vs " +
                                      std::to_string(c.network->LayerCount()) +
                                      ") and data of its input size");
        }
    }
    m_log = Create<NsfBatchLog>();
    Ipv6Address clientAddress = m_network.GetNodeAddress(c.client);
    std::vector<Ipv6Address> addresses;
    for (size_t k = 0; k < n; ++k)
    {
        const AisfcNetworkBuilder::StubNode& stub =
            m_network.AddStubNode(c.routers[k], c.linkRateBps, c.linkDelaySeconds);
        // The baseline connects to the NSF's own address, and TCP answers the previous hop.
        m_network.AddPrefixRoute(stub.link.addressA.CombinePrefix(Ipv6Prefix(64)),
                                 64,
                                 c.routers[k]);
        stub.node->GetObject<Ipv6L3Protocol>()->SetAttribute("SendIcmpv6Redirect",
                                                             BooleanValue(false));
        m_nodes.push_back(stub.node);
        addresses.push_back(stub.link.addressB);
        if (c.sfc)
        {
            Ptr<NsfInterceptor> interceptor = CreateObject<NsfInterceptor>();
            interceptor->AddServiceAddress(c.service);
            if (c.training)
            {
                interceptor->AddServiceAddress(c.backwardService);
            }
            DynamicCast<Ipv6ListRouting>(stub.node->GetObject<Ipv6>()->GetRoutingProtocol())
                ->AddRoutingProtocol(interceptor, NsfInterceptor::PRIORITY);
            m_interceptors.push_back(interceptor);
            Srv6SidConfig proxy;
            proxy.name = "nsf-proxy-" + std::to_string(k);
            proxy.behavior = Srv6Behavior::END_AD_FLOW;
            proxy.proxyByDestination = true;
            proxy.interface = stub.link.interfaceA;
            proxy.nextHop = stub.link.addressB;
            m_sids.push_back(m_srv6.AddSid(c.routers[k],
                                           static_cast<uint16_t>(FIRST_PROXY_FUNCTION + k),
                                           proxy));
        }
    }
    for (size_t k = 0; k < n; ++k)
    {
        NsfNextHop next;
        next.port = c.port;
        if (k + 1 == n)
        {
            next = NsfNextHop{clientAddress, c.resultPort, true};
        }
        else
        {
            next.address = c.sfc ? c.service : addresses[k + 1];
        }
        Ptr<NsfApplication> app = CreateObject<NsfApplication>();
        app->SetAttribute("Port", UintegerValue(c.port));
        app->Setup(static_cast<uint32_t>(k),
                   c.stages[k],
                   c.devices[c.devices.size() == 1 ? 0 : k],
                   next,
                   m_log);
        if (c.training)
        {
            NsfNextHop previous{c.backwardService, c.port, false};
            if (k == 0)
            {
                previous = NsfNextHop{clientAddress, c.resultPort, true};
            }
            else if (!c.sfc)
            {
                previous.address = addresses[k - 1];
            }
            app->SetTraining(previous, k + 1 == n, c.labelsAtClient);
        }
        if (c.network)
        {
            app->SetNumeric(std::make_shared<LearnDenseNetwork>(
                c.network->Slice(slices[k].first, slices[k].second)));
        }
        m_nodes[k]->AddApplication(app);
        app->SetStartTime(Seconds(0));
        m_functions.push_back(app);
    }
    if (c.sfc)
    {
        std::vector<Srv6SegmentList> lists = ForwardLists(c, clientAddress);
        Srv6Policy policy;
        policy.name = "nsf-chain";
        policy.lists.push_back(lists[0]);
        Ptr<Srv6SidTable> headend = m_srv6.GetSidTable(c.client);
        headend->AddPolicy(policy);
        headend->SteerPrefix(c.service, 128, policy.name);
        if (lists.size() >= 2)
        {
            m_controller = CreateObject<NsfPathController>();
            m_controller->SetAttribute("PollInterval", TimeValue(Seconds(c.pollIntervalSeconds)));
            m_controller->SetAttribute("ControlDelay", TimeValue(Seconds(c.controlDelaySeconds)));
            m_controller->SetAttribute("Threshold", DoubleValue(c.threshold));
            m_controller->Setup(headend, policy.name, lists, PathLinks(c));
            std::vector<Ptr<Srv6SidTable>> proxies;
            for (uint32_t r : c.routers)
            {
                proxies.push_back(m_srv6.GetSidTable(r));
            }
            m_controller->SetProxies(proxies);
            m_controller->Start(Seconds(c.startSeconds));
        }
        // The reverse chain starts where the gradient is born: at the last NSF (its router
        // steers), or, U-shaped, at the client (which steers through every proxy).
        if (c.training && (n > 1 || c.labelsAtClient))
        {
            Srv6Policy backward;
            backward.name = "nsf-backward";
            std::vector<Ipv6Address> reverse(m_sids.rbegin() + (c.labelsAtClient ? 0 : 1),
                                             m_sids.rend());
            reverse.push_back(clientAddress);
            backward.lists.push_back(Srv6SegmentList{reverse, 1});
            Ptr<Srv6SidTable> start =
                m_srv6.GetSidTable(c.labelsAtClient ? c.client : c.routers[n - 1]);
            start->AddPolicy(backward);
            start->SteerPrefix(c.backwardService, 128, backward.name);
        }
    }
    m_client = CreateObject<NsfClient>();
    m_client->SetAttribute("BatchSize", UintegerValue(c.batchSize));
    m_client->SetAttribute("Batches", UintegerValue(c.batches));
    m_client->SetAttribute("ResultPort", UintegerValue(c.resultPort));
    m_client->Setup(c.sfc ? c.service : addresses[0], c.port, c.stages[0].inputBytes, m_log);
    if (c.network)
    {
        m_client->SetNumericData(c.data, c.shuffleSeed);
    }
    if (c.training && c.labelsAtClient)
    {
        m_client->SetLabelsAtClient(c.sfc ? c.backwardService : addresses[n - 1], c.port);
    }
    m_network.GetNode(c.client)->AddApplication(m_client);
    m_client->SetStartTime(Seconds(c.startSeconds));
}

std::vector<Srv6SegmentList>
NsfChainHelper::ForwardLists(const NsfChainConfig& c, const Ipv6Address& clientAddress)
{
    std::vector<Srv6SegmentList> lists;
    std::vector<std::vector<uint32_t>> none(m_sids.size());
    for (const auto& hops :
         c.paths.empty() ? std::vector<std::vector<std::vector<uint32_t>>>{none} : c.paths)
    {
        Srv6SegmentList list;
        for (size_t k = 0; k < m_sids.size(); ++k)
        {
            for (uint32_t via : k < hops.size() ? hops[k] : std::vector<uint32_t>{})
            {
                list.path.push_back(Waypoint(via));
            }
            list.path.push_back(m_sids[k]);
        }
        list.path.push_back(clientAddress); // the last proxy needs a segment after it
        lists.push_back(list);
    }
    return lists;
}

Ipv6Address
NsfChainHelper::Waypoint(uint32_t node)
{
    auto it = m_waypoints.find(node);
    if (it == m_waypoints.end())
    {
        Srv6SidConfig end;
        end.name = "nsf-waypoint";
        end.behavior = Srv6Behavior::END;
        it = m_waypoints.emplace(node, m_srv6.AddSid(node, WAYPOINT_FUNCTION, end)).first;
    }
    return it->second;
}

std::vector<std::vector<std::pair<Ptr<NetDevice>, double>>>
NsfChainHelper::PathLinks(const NsfChainConfig& c) const
{
    // The links a list's packets cross: shortest paths (the routing's metric) between its
    // consecutive visits: client, waypoints and routers.
    const AisfcTopology& topo = m_network.GetTopology();
    LinkWeight weight = MetricWeight(topo, m_network.GetOptions().routingMetric);
    std::vector<std::vector<std::pair<Ptr<NetDevice>, double>>> out;
    for (const auto& hops : c.paths)
    {
        std::vector<uint32_t> visits{c.client};
        for (size_t k = 0; k < c.routers.size(); ++k)
        {
            if (k < hops.size())
            {
                visits.insert(visits.end(), hops[k].begin(), hops[k].end());
            }
            visits.push_back(c.routers[k]);
        }
        std::vector<std::pair<Ptr<NetDevice>, double>> links;
        for (size_t v = 0; v + 1 < visits.size(); ++v)
        {
            auto path = ShortestPath(topo, visits[v], visits[v + 1], weight);
            if (!path)
            {
                throw AisfcInputError("nsf", "no path between waypoints");
            }
            for (size_t h = 0; h < path->links.size(); ++h)
            {
                uint32_t l = path->links[h];
                const auto& devices = m_network.GetLink(l);
                bool forward = topo.GetLink(l).a == path->nodes[h];
                links.emplace_back(forward ? Ptr<NetDevice>(devices.deviceA)
                                           : Ptr<NetDevice>(devices.deviceB),
                                   topo.GetLink(l).capacityBps);
            }
        }
        out.push_back(links);
    }
    return out;
}

Ptr<NsfPathController>
NsfChainHelper::GetController() const
{
    return m_controller;
}

Ptr<NsfBatchLog>
NsfChainHelper::GetLog() const
{
    return m_log;
}

Ptr<NsfClient>
NsfChainHelper::GetClient() const
{
    return m_client;
}

const std::vector<Ptr<NsfApplication>>&
NsfChainHelper::GetFunctions() const
{
    return m_functions;
}

const std::vector<Ptr<NsfInterceptor>>&
NsfChainHelper::GetInterceptors() const
{
    return m_interceptors;
}

const std::vector<Ipv6Address>&
NsfChainHelper::GetProxySids() const
{
    return m_sids;
}

const std::vector<Ptr<Node>>&
NsfChainHelper::GetNodes() const
{
    return m_nodes;
}

} // namespace ns3
