/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "placement-validation.h"

#include "aisfc-network-builder.h"
#include "pdp-helper.h"
#include "srv6-helper.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-flow-probe.h"
#include "ns3/data-rate.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/packet-sink-helper.h"
#include "ns3/pdp-function.h"
#include "ns3/pdp-switch.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/simulator.h"
#include "ns3/srv6-sid-table.h"
#include "ns3/udp-client-server-helper.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

/*
 * The mapping from the analytic model to packets, and what each measure means, are in
 * doc/placement.rst ("Packet-level validation").  In short: a function's processor spends
 * delta x (packet MB) per packet, so a window's volume V takes V x delta at a function, as the
 * analytic processing term says; but packets pipeline through the chain and the links, so a
 * burst of V completes in one packet's delay plus (packets - 1) x the per-packet time of the
 * route's slowest resource, where the analytic model adds V x delta at every function in turn
 * and counts no serialization on links.
 */

namespace ns3
{

namespace
{

constexpr uint16_t FIRST_INSTANCE_FUNCTION = 0x8000;  //!< instance i: function 0x8000 + i
constexpr uint16_t FIRST_ADJACENCY_FUNCTION = 0x7000; //!< End.X SIDs, one per neighbour used
constexpr uint16_t WAYPOINT_FUNCTION = 0x6f00;
constexpr uint16_t DECAP_FUNCTION = 0x6f01;
constexpr uint32_t FIRST_STEADY_PORT = 10000;
constexpr uint32_t FIRST_BURST_PORT = 40000;
constexpr uint32_t MAX_REQUESTS = 25000;   //!< ports of both phases stay below 65536
constexpr uint32_t MAX_INSTANCES = 0x8000; //!< function ids 0x8000 + i stay below 0x10000
constexpr uint32_t UDP_IPV6_BYTES = 48;    //!< UDP and IPv6 headers of a request's own packet
constexpr uint32_t ENCAPS_BYTES = 48;      //!< outer IPv6 header and the SRH's fixed part
constexpr uint32_t SEGMENT_BYTES = 16;
constexpr uint32_t PPP_BYTES = 2; //!< PointToPointNetDevice's header, serialized too
constexpr uint8_t PROTOCOL_UDP = 17;
constexpr double STEADY_START = 0.01; //!< seconds: the network needs no warm-up (no DAD)
constexpr double BURST_GUARD = 0.01;  //!< seconds between one burst's expected end and the next
constexpr double FASTEST_PROCESSOR = 1e15; //!< bit/s of a function with no delay per MB
constexpr double GOLDEN = 0.6180339887498949;

/// A segment of a request's SRH, by what it does.
struct Segment
{
    enum class Kind
    {
        FUNCTION,  //!< an instance's End SID at its host
        WAYPOINT,  //!< End at a node of the mapped path
        ADJACENCY, //!< End.X: a mapped link the shortest path would not take
        DECAP,     //!< End.DT6 at the destination
    };
    Kind kind = Kind::FUNCTION;
    uint32_t node = 0;      //!< where the SID lives
    uint32_t neighbour = 0; //!< ADJACENCY: the far end of the link
    uint32_t instance = 0;  //!< FUNCTION
};

/// A node the packets visit and the instances that process them there, in order.
struct Visit
{
    uint32_t node = 0;
    std::vector<uint32_t> instances;
};

/// What is set up for one request before the run.
struct Plan
{
    std::vector<Segment> segments;
    std::vector<Visit> route;
    Time pacing; //!< burst: one packet's serialization on the first link
    uint32_t steadyPackets = 0;
    Time steadyInterval;
    double steadyStart = 0;
    double burstStart = 0;
    uint32_t steadyFlow = 0;
    uint32_t burstFlow = 0;
};

std::string
Ms(double seconds)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(3) << seconds * 1e3 << " ms";
    return os.str();
}

std::string
Us(double seconds)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(2) << seconds * 1e6 << " us";
    return os.str();
}

std::string
Rate(double bps)
{
    std::ostringstream os;
    os << std::setprecision(4) << (bps >= 1e9 ? bps / 1e9 : bps / 1e6)
       << (bps >= 1e9 ? " Gbps" : " Mbps");
    return os.str();
}

void
CheckOptions(const PlacementValidationOptions& o)
{
    const std::string where = "PlacementValidationOptions::";
    if (!(o.rateScale > 0) || std::isinf(o.rateScale))
    {
        throw AisfcInputError(where + "rateScale", "must be positive and finite");
    }
    if (!(o.duration > 0) || std::isinf(o.duration))
    {
        throw AisfcInputError(where + "duration", "must be positive and finite");
    }
    if (o.payloadBytes < 12 || o.payloadBytes > 65000)
    {
        // UdpClient writes a 12-byte sequence and time header into every payload.
        throw AisfcInputError(where + "payloadBytes", "must be between 12 and 65000");
    }
    if (o.queuePackets == 0)
    {
        throw AisfcInputError(where + "queuePackets", "must be positive");
    }
}

/// The problem's substrate with roles from the placement node types: PdpHelper makes a server
/// of every "server" node and a switch of every other non-host node.
AisfcTopology
NetworkTopology(const PlacementProblem& p)
{
    AisfcTopology t(p.topology.GetName());
    for (uint32_t i = 0; i < p.topology.GetNNodes(); ++i)
    {
        TopologyNode n = p.topology.GetNode(i);
        if (p.nodes[i].type == PlacementNodeType::SERVER)
        {
            n.role = NodeRole::SERVER;
        }
        else if (n.role == NodeRole::SERVER || n.role == NodeRole::HOST)
        {
            n.role = NodeRole::SWITCH;
        }
        t.AddNode(n);
    }
    for (uint32_t l = 0; l < p.topology.GetNLinks(); ++l)
    {
        t.AddLink(p.topology.GetLink(l));
    }
    return t;
}

/// The link joining two adjacent nodes.
uint32_t
LinkBetween(const AisfcTopology& topo, uint32_t a, uint32_t b)
{
    for (uint32_t l : topo.GetLinksOf(a))
    {
        if (topo.Opposite(l, a) == b)
        {
            return l;
        }
    }
    throw std::logic_error("placement validation: nodes " + std::to_string(a) + " and " +
                           std::to_string(b) + " are not adjacent");
}

/// Whether the network's routed path from path[i] to path[j] is path[i..j].
bool
RoutedAlong(const NextHopTable& paths, const std::vector<uint32_t>& path, size_t i, size_t j)
{
    std::optional<TopologyPath> routed = paths.Path(path[i], path[j]);
    return routed && routed->nodes.size() == j - i + 1 &&
           std::equal(routed->nodes.begin(), routed->nodes.end(), path.begin() + i);
}

/// Segments that make shortest-path routing follow `path` from its first node to its last:
/// the fewest waypoints, greedily (the longest routed prefix each time), and an End.X where even
/// the next link is not the shortest path between its ends.
void
PinPath(const NextHopTable& paths, const std::vector<uint32_t>& path, std::vector<Segment>& out)
{
    size_t i = 0;
    size_t last = path.size() - 1;
    while (i < last)
    {
        size_t j = last;
        while (j > i && !RoutedAlong(paths, path, i, j))
        {
            --j;
        }
        if (j == i)
        {
            Segment s;
            s.kind = Segment::Kind::ADJACENCY;
            s.node = path[i];
            s.neighbour = path[i + 1];
            out.push_back(s);
            ++i;
            continue;
        }
        if (j == last)
        {
            return;
        }
        Segment s;
        s.kind = Segment::Kind::WAYPOINT;
        s.node = path[j];
        out.push_back(s);
        i = j;
    }
}

/// Appends the routed path from the route's last node to `to`.
void
WalkTo(const NextHopTable& paths, std::vector<Visit>& route, uint32_t to)
{
    uint32_t from = route.back().node;
    if (from == to)
    {
        return;
    }
    std::optional<TopologyPath> p = paths.Path(from, to);
    if (!p)
    {
        throw std::logic_error("placement validation: no route between mapped nodes");
    }
    for (size_t k = 1; k < p->nodes.size(); ++k)
    {
        route.push_back(Visit{p->nodes[k], {}});
    }
}

/// Everything that lives during one run; Simulator::Destroy runs before the objects go.
struct Simulation
{
    AisfcNetworkBuilder net;
    Srv6Helper srv6;
    PdpHelper pdp;
    AisfcFlowProbe probe;
    std::vector<Ptr<PdpFunctionInstance>> functions; //!< per instance (null when unplaced)

    Simulation(const AisfcTopology& topo, const NetworkOptions& options)
        : net(topo, options),
          srv6(net),
          pdp(net, srv6)
    {
        srv6.Install();
        pdp.Install(PdpMemoryBudget(), std::numeric_limits<uint64_t>::max() / 2);
    }

    ~Simulation()
    {
        Simulator::Destroy();
    }

    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;
};

/// Times of a packet on a route, with the same arithmetic (and rounding to the simulator's
/// resolution) as the devices, switches and functions that carry it.
struct RouteModel
{
    Time onePacket;                //!< idle route: serialization, propagation, pipelines, functions
    Time bottleneckTime;           //!< per packet, at the busiest resource (or the pacing)
    std::string bottleneck;        //!< its name
    Time largestLinkSerialization; //!< per packet
    std::string slowestLink;       //!< name of that link
};

RouteModel
ModelRoute(const PlacementProblem& problem,
           const AisfcTopology& topo,
           const Simulation& sim,
           const std::vector<Visit>& route,
           const std::vector<PlacementValidationInstance>& instances,
           uint32_t wireBytes,
           Time pacing)
{
    RouteModel m;
    std::map<std::pair<uint32_t, uint32_t>, Time> linkBusy; // (link, direction) -> per packet
    std::map<uint32_t, Time> instanceBusy;
    double bits = wireBytes * 8.0;
    for (size_t k = 0; k < route.size(); ++k)
    {
        uint32_t node = route[k].node;
        if (Ptr<PdpSwitch> sw = sim.pdp.GetSwitch(node))
        {
            m.onePacket += sw->PipelineLatency();
        }
        for (uint32_t i : route[k].instances)
        {
            Time service = Seconds(bits / instances[i].processorBps);
            m.onePacket += service;
            instanceBusy[i] += service;
        }
        if (k + 1 < route.size())
        {
            uint32_t l = LinkBetween(topo, node, route[k + 1].node);
            const TopologyLink& link = topo.GetLink(l);
            DataRate rate(static_cast<uint64_t>(std::llround(link.capacityBps)));
            Time tx = rate.CalculateBytesTxTime(wireBytes + PPP_BYTES);
            m.onePacket += tx + Seconds(link.delaySeconds);
            linkBusy[{l, link.a == node ? 0u : 1u}] += tx;
            if (tx > m.largestLinkSerialization)
            {
                m.largestLinkSerialization = tx;
                m.slowestLink = problem.topology.GetNode(node).name + "->" +
                                problem.topology.GetNode(route[k + 1].node).name + " (" +
                                Rate(link.capacityBps) + ")";
            }
        }
    }
    // Ties name the function: the analytic model's own term.
    for (const auto& [key, busy] : linkBusy)
    {
        if (busy > m.bottleneckTime)
        {
            const TopologyLink& link = topo.GetLink(key.first);
            uint32_t from = key.second == 0 ? link.a : link.b;
            uint32_t to = key.second == 0 ? link.b : link.a;
            m.bottleneckTime = busy;
            m.bottleneck = "link " + problem.topology.GetNode(from).name + "->" +
                           problem.topology.GetNode(to).name + " (" + Rate(link.capacityBps) + ")";
        }
    }
    for (const auto& [i, busy] : instanceBusy)
    {
        if (busy >= m.bottleneckTime)
        {
            m.bottleneckTime = busy;
            m.bottleneck = "function " + instances[i].name + " on " + instances[i].host + " (" +
                           Rate(instances[i].processorBps) + ")";
        }
    }
    if (pacing > m.bottleneckTime)
    {
        m.bottleneckTime = pacing; // the first link paces the source: not reached
        m.bottleneck = "the source's pacing";
    }
    return m;
}

/// Why the burst completion and the analytic delay differ, for one request.
std::string
Explain(const PlacementValidationRequest& r, const RouteModel& m, uint32_t functions)
{
    std::ostringstream e;
    double perPacket = m.bottleneckTime.GetSeconds();
    e << "packets pipeline: the burst takes one packet's delay (" << Ms(r.modelPacketDelay)
      << ") plus " << (r.burstPackets ? r.burstPackets - 1 : 0) << " packets x " << Us(perPacket)
      << " at the bottleneck, " << r.bottleneck << "; ";
    e << "the analytic model adds V x delta at each of the " << functions
      << " function(s) in turn (processing " << Ms(r.analytic.processingDelay);
    if (r.analytic.rdmaDelay > 0)
    {
        e << ", RDMA " << Ms(r.analytic.rdmaDelay);
    }
    e << ") and propagation only (" << Ms(r.analytic.transmissionDelay)
      << "), no serialization of V ("
      << Ms(r.burstPackets * m.largestLinkSerialization.GetSeconds()) << " on the slowest link)";
    if (r.wireBytes > r.packetBytes)
    {
        e << "; SRv6 adds " << r.wireBytes - r.packetBytes << " bytes per packet (+" << std::fixed
          << std::setprecision(1) << 100.0 * (r.wireBytes - r.packetBytes) / r.packetBytes
          << "%) that links and functions "
          << "carry";
    }
    return e.str();
}

std::string
Join(const std::vector<std::string>& parts, const std::string& sep)
{
    std::string out;
    for (size_t k = 0; k < parts.size(); ++k)
    {
        out += (k ? sep : "") + parts[k];
    }
    return out;
}

nlohmann::json
Nullable(bool has, double v)
{
    return has ? nlohmann::json(v) : nlohmann::json();
}

} // namespace

PlacementValidationReport
PlacementValidateSlot(const PlacementProblem& problem,
                      uint32_t slot,
                      const PlacementDeployment& previous,
                      const PlacementDecision& decision,
                      const PlacementValidationOptions& options)
{
    CheckOptions(options);
    try
    {
        problem.Validate();
    }
    catch (const std::invalid_argument& e)
    {
        throw AisfcInputError("placement problem '" + problem.name + "'", e.what());
    }
    if (slot >= problem.slots)
    {
        throw AisfcInputError("slot",
                              "slot " + std::to_string(slot) + " is beyond the " +
                                  std::to_string(problem.slots) + " slots of '" + problem.name +
                                  "'");
    }
    if (problem.InstanceCount() > MAX_INSTANCES)
    {
        throw AisfcInputError("placement problem '" + problem.name + "'",
                              "more than " + std::to_string(MAX_INSTANCES) +
                                  " instances: SID function ids run out");
    }
    if (problem.requests.size() > MAX_REQUESTS)
    {
        throw AisfcInputError("placement problem '" + problem.name + "'",
                              "more than " + std::to_string(MAX_REQUESTS) +
                                  " requests: ports run out");
    }

    // The analytic side, at the rates that will be sent.
    PlacementProblem scaled = problem;
    for (PlacementRequest& q : scaled.requests)
    {
        q.rateBps[slot] *= options.rateScale;
    }
    PlacementSlotResult analytic;
    PlacementLinkMapping mapping;
    try
    {
        mapping = PlacementMapLinks(scaled, slot, decision.deployment, decision.assignment);
        analytic = PlacementEvaluateDecision(scaled, slot, previous, decision);
    }
    catch (const std::invalid_argument& e)
    {
        throw AisfcInputError("placement decision", e.what());
    }

    PlacementValidationReport report;
    report.problem = problem.name;
    report.slot = slot;
    // Queues hold the largest window's burst: the burst measures processing and serialization,
    // not buffer sizes.
    report.options = options;
    PlacementValidationOptions& used = report.options;
    uint64_t largestBurst = 0;
    for (uint32_t r = 0; r < scaled.requests.size(); ++r)
    {
        double packets =
            std::ceil(scaled.TrafficMB(r, slot) * 1e6 / (options.payloadBytes + UDP_IPV6_BYTES));
        largestBurst = std::max(largestBurst, static_cast<uint64_t>(std::min(packets, 1e9)));
    }
    used.queuePackets = static_cast<uint32_t>(std::max<uint64_t>(
        used.queuePackets,
        std::min<uint64_t>(largestBurst + 1, std::numeric_limits<uint32_t>::max())));
    used.functionQueueBytes = static_cast<uint32_t>(
        std::max<uint64_t>(used.functionQueueBytes,
                           std::min<uint64_t>(2 * largestBurst * (options.payloadBytes + 256),
                                              std::numeric_limits<uint32_t>::max())));
    for (const PlacementViolation& v : analytic.violations)
    {
        report.violations.push_back(PlacementViolationKindName(v.kind) + ": " + v.reason);
    }

    // Each instance's processor: delta x (packet MB) per packet.
    uint32_t nInstances = problem.InstanceCount();
    for (uint32_t i = 0; i < nInstances; ++i)
    {
        PlacementValidationInstance in;
        in.instance = i;
        in.name = problem.InstanceName(i);
        in.loadBps = analytic.instanceLoadBps[i];
        const auto& host = decision.deployment.hosts[i];
        if (host)
        {
            uint32_t type = problem.InstanceType(i);
            const PlacementNode& node = problem.nodes[host->node];
            in.host = problem.HostSlotName(*host);
            in.delayPerMB = node.delayPerMB[type];
            if (host->kind == PlacementHostKind::EXTERNAL)
            {
                in.delayPerMB += problem.RdmaAccesses(type, host->node) * node.rdmaAccessDelay;
            }
            in.capacityBps = problem.ProcessingCapacity(i, host->kind);
            double byDelay = in.delayPerMB > 0 ? 8e6 / in.delayPerMB : FASTEST_PROCESSOR;
            in.processorBps = byDelay;
            in.boundBy = "delay";
            if (options.capAtCapacity && in.capacityBps > 0 && in.capacityBps < byDelay)
            {
                in.processorBps = in.capacityBps;
                in.boundBy = "capacity";
            }
        }
        report.instances.push_back(in);
    }

    AisfcTopology topo = NetworkTopology(problem);
    NetworkOptions netOptions;
    netOptions.queuePackets = used.queuePackets;
    Simulation sim(topo, netOptions);
    const NextHopTable& paths = sim.net.GetPaths();

    // Functions, each behind its End SID at its host.
    std::vector<Ipv6Address> functionSid(nInstances);
    sim.functions.resize(nInstances);
    for (uint32_t i = 0; i < nInstances; ++i)
    {
        const auto& host = decision.deployment.hosts[i];
        if (!host)
        {
            continue;
        }
        const PlacementValidationInstance& in = report.instances[i];
        PdpFunctionType type;
        type.name = problem.types[problem.InstanceType(i)].name;
        type.switchCapacityBps = in.processorBps;
        type.serverCapacityBps = in.processorBps;
        type.switchPerPacket = Time(0);
        type.switchPerMegabyte = Time(0);
        type.serverPerPacket = Time(0);
        type.serverPerMegabyte = Time(0);
        type.recirculations = 0;
        // External memory is a pipeline function with the analytic RDMA term in its processor:
        // a real RDMA read costs ~2 us per packet, the model's term 2 us per MB.
        PdpHosting hosting;
        hosting.node = host->node;
        hosting.kind = host->kind == PlacementHostKind::SERVER ? PdpHosting::Kind::SERVER
                                                               : PdpHosting::Kind::LOCAL;
        Ptr<PdpFunctionInstance> f = CreateObject<PdpFunctionInstance>();
        f->SetAttribute("QueueLimit", UintegerValue(used.functionQueueBytes));
        f->Setup(in.name,
                 in.name,
                 type,
                 hosting,
                 hosting.kind == PdpHosting::Kind::SERVER ? nullptr
                                                          : sim.pdp.GetSwitch(host->node));
        Srv6SidConfig config;
        config.name = in.name;
        config.behavior = Srv6Behavior::END;
        functionSid[i] =
            sim.srv6.AddSid(host->node, static_cast<uint16_t>(FIRST_INSTANCE_FUNCTION + i), config);
        sim.srv6.GetSidTable(host->node)
            ->SetFunctionService(functionSid[i],
                                 [f](Ptr<Packet> p,
                                     const Ipv6Header& h,
                                     Srv6SidTable::FunctionDone done) { f->Serve(p, h, done); });
        sim.functions[i] = f;
    }

    std::map<uint32_t, Ipv6Address> waypointSid;
    std::map<uint32_t, Ipv6Address> decapSid;
    std::map<std::pair<uint32_t, uint32_t>, Ipv6Address> adjacencySid;
    std::map<uint32_t, uint16_t> nextAdjacency;
    auto sidOf = [&](const Segment& s) -> Ipv6Address {
        switch (s.kind)
        {
        case Segment::Kind::FUNCTION:
            return functionSid[s.instance];
        case Segment::Kind::WAYPOINT: {
            auto it = waypointSid.find(s.node);
            if (it == waypointSid.end())
            {
                Srv6SidConfig c;
                c.name = "placement-waypoint";
                c.behavior = Srv6Behavior::END;
                it = waypointSid.emplace(s.node, sim.srv6.AddSid(s.node, WAYPOINT_FUNCTION, c))
                         .first;
            }
            return it->second;
        }
        case Segment::Kind::ADJACENCY: {
            auto it = adjacencySid.find({s.node, s.neighbour});
            if (it == adjacencySid.end())
            {
                Srv6SidConfig c = sim.srv6.Adjacency(s.node, s.neighbour);
                c.name = "placement-adjacency";
                c.behavior = Srv6Behavior::END_X;
                uint16_t& f = nextAdjacency.emplace(s.node, FIRST_ADJACENCY_FUNCTION).first->second;
                it = adjacencySid
                         .emplace(std::make_pair(s.node, s.neighbour),
                                  sim.srv6.AddSid(s.node, f++, c))
                         .first;
            }
            return it->second;
        }
        case Segment::Kind::DECAP: {
            auto it = decapSid.find(s.node);
            if (it == decapSid.end())
            {
                Srv6SidConfig c;
                c.name = "placement-decap";
                c.behavior = Srv6Behavior::END_DT6;
                it = decapSid.emplace(s.node, sim.srv6.AddSid(s.node, DECAP_FUNCTION, c)).first;
            }
            return it->second;
        }
        }
        return Ipv6Address();
    };

    uint32_t mtu = 0xffff;
    for (uint32_t l = 0; l < topo.GetNLinks(); ++l)
    {
        mtu = std::min<uint32_t>(mtu, sim.net.GetLink(l).deviceA->GetMtu());
    }
    uint32_t packetBytes = options.payloadBytes + UDP_IPV6_BYTES;

    // Plan each request: segments, route, rates, and what the packet model should give.
    std::vector<Plan> plans(problem.requests.size());
    std::vector<RouteModel> models(problem.requests.size());
    for (uint32_t r = 0; r < problem.requests.size(); ++r)
    {
        const PlacementRequest& q = problem.requests[r];
        const PlacementRequestResult& a = analytic.requests[r];
        PlacementValidationRequest out;
        out.request = r;
        out.name = q.name;
        out.source = problem.topology.GetNode(q.source).name;
        out.destination = problem.topology.GetNode(q.destination).name;
        for (size_t k = 0; k < q.chain.size(); ++k)
        {
            uint32_t i = decision.assignment.instances[r][k];
            out.chain.push_back(problem.types[q.chain[k]].name);
            out.instances.push_back(problem.InstanceName(i));
            out.hosts.push_back(decision.deployment.hosts[i] ? report.instances[i].host : "-");
        }
        out.slotRateBps = q.rateBps[slot];
        out.rateBps = scaled.requests[r].rateBps[slot];
        out.volumeBytes = scaled.TrafficMB(r, slot) * 1e6;
        out.packetBytes = packetBytes;
        out.analytic = a;
        out.analyticTraffic = a.processingDelay + a.rdmaDelay + a.transmissionDelay;
        out.deadline = a.deadline;
        out.analyticMeets = a.accepted;

        std::string why;
        for (size_t k = 0; k < q.chain.size() && why.empty(); ++k)
        {
            uint32_t i = decision.assignment.instances[r][k];
            if (!decision.deployment.hosts[i])
            {
                why = "function " + std::to_string(k) + " uses unplaced instance " +
                      problem.InstanceName(i);
            }
        }
        for (size_t v = 0; v <= q.chain.size() && why.empty(); ++v)
        {
            if (mapping.paths[r][v].nodes.empty())
            {
                why = "virtual link " + std::to_string(v) + " is not mapped";
            }
        }
        if (why.empty() && q.source == q.destination)
        {
            why = "source and destination are the same node: no network to measure";
        }
        if (why.empty() && !(out.rateBps > 0))
        {
            why = "no traffic: rate 0 in the slot";
        }

        Plan& plan = plans[r];
        if (why.empty())
        {
            std::vector<uint32_t> mapped{q.source};
            for (size_t v = 0; v <= q.chain.size(); ++v)
            {
                const std::vector<uint32_t>& path = mapping.paths[r][v].nodes;
                if (options.pinPaths)
                {
                    PinPath(paths, path, plan.segments);
                }
                mapped.insert(mapped.end(), path.begin() + 1, path.end());
                Segment s;
                if (v < q.chain.size())
                {
                    s.kind = Segment::Kind::FUNCTION;
                    s.instance = decision.assignment.instances[r][v];
                    s.node = decision.deployment.hosts[s.instance]->node;
                }
                else
                {
                    s.kind = Segment::Kind::DECAP;
                    s.node = q.destination;
                }
                plan.segments.push_back(s);
            }
            out.segments = plan.segments.size();
            out.wireBytes = packetBytes + ENCAPS_BYTES + SEGMENT_BYTES * out.segments;
            for (const Segment& s : plan.segments)
            {
                out.waypoints +=
                    s.kind == Segment::Kind::WAYPOINT || s.kind == Segment::Kind::ADJACENCY;
            }
            if (out.wireBytes > mtu)
            {
                why = "an encapsulated packet of " + std::to_string(out.wireBytes) +
                      " bytes exceeds the MTU of " + std::to_string(mtu) + " (lower payloadBytes)";
            }
            // The route the packets take: routed paths between the segments' nodes.
            plan.route.push_back(Visit{q.source, {}});
            for (const Segment& s : plan.segments)
            {
                WalkTo(paths, plan.route, s.node);
                if (s.kind == Segment::Kind::FUNCTION)
                {
                    plan.route.back().instances.push_back(s.instance);
                }
                else if (s.kind == Segment::Kind::ADJACENCY)
                {
                    plan.route.push_back(Visit{s.neighbour, {}});
                }
            }
            std::vector<uint32_t> routeNodes;
            for (const Visit& visit : plan.route)
            {
                routeNodes.push_back(visit.node);
                out.route.push_back(problem.topology.GetNode(visit.node).name);
            }
            out.routeIsMapping = routeNodes == mapped;
        }
        if (!why.empty())
        {
            out.run = false;
            out.reason = why;
            out.explanation = "not run: " + why;
            report.requests.push_back(out);
            continue;
        }
        out.run = true;

        // First link: what "back to back" means for the burst.
        size_t first = 0;
        while (first + 1 < plan.route.size() &&
               plan.route[first].node == plan.route[first + 1].node)
        {
            ++first;
        }
        const TopologyLink& firstLink =
            topo.GetLink(LinkBetween(topo, plan.route[first].node, plan.route[first + 1].node));
        plan.pacing = DataRate(static_cast<uint64_t>(std::llround(firstLink.capacityBps)))
                          .CalculateBytesTxTime(out.wireBytes + PPP_BYTES);
        models[r] = ModelRoute(problem,
                               topo,
                               sim,
                               plan.route,
                               report.instances,
                               out.wireBytes,
                               plan.pacing);
        out.burstPackets = std::max<uint64_t>(
            1,
            static_cast<uint64_t>(std::ceil(out.volumeBytes / packetBytes - 1e-9)));
        out.bottleneck = models[r].bottleneck;
        out.modelPacketDelay = models[r].onePacket.GetSeconds();
        out.modelBurstCompletion =
            (models[r].onePacket + models[r].bottleneckTime * int64_t(out.burstPackets - 1))
                .GetSeconds();
        plan.steadyInterval = Seconds(packetBytes * 8.0 / out.rateBps);
        plan.steadyPackets =
            std::max<uint32_t>(1,
                               static_cast<uint32_t>(std::llround(
                                   options.duration / plan.steadyInterval.GetSeconds())));
        // Phases spread deterministically so that flows do not all start in the same instant.
        double phase = std::fmod(r * GOLDEN, 1.0);
        plan.steadyStart = STEADY_START + phase * plan.steadyInterval.GetSeconds();
        report.requests.push_back(out);
    }

    // Traffic: the steady phase, then the bursts one request at a time.
    double steadyEnd = STEADY_START;
    double drain = 0.1;
    for (uint32_t r = 0; r < plans.size(); ++r)
    {
        if (report.requests[r].run)
        {
            steadyEnd = std::max(steadyEnd,
                                 plans[r].steadyStart +
                                     plans[r].steadyPackets * plans[r].steadyInterval.GetSeconds());
            drain = std::max(drain, 2 * report.requests[r].modelPacketDelay);
        }
    }
    // A full function or device queue empties in this long: the bursts start on an idle network.
    for (const PlacementValidationInstance& in : report.instances)
    {
        if (in.processorBps > 0 && in.loadBps > 0)
        {
            drain = std::max(drain, used.functionQueueBytes * 8.0 / in.processorBps);
        }
    }
    double slowestLink = std::numeric_limits<double>::infinity();
    for (uint32_t l = 0; l < topo.GetNLinks(); ++l)
    {
        slowestLink = std::min(slowestLink, topo.GetLink(l).capacityBps);
    }
    if (slowestLink > 0 && std::isfinite(slowestLink))
    {
        drain = std::max(drain, used.queuePackets * (mtu + PPP_BYTES) * 8.0 / slowestLink);
    }
    double burstPhase = steadyEnd + drain;
    double cursor = burstPhase;
    for (uint32_t r = 0; r < plans.size(); ++r)
    {
        PlacementValidationRequest& out = report.requests[r];
        if (!out.run)
        {
            continue;
        }
        Plan& plan = plans[r];
        const PlacementRequest& q = problem.requests[r];
        std::vector<Ipv6Address> sids;
        for (const Segment& s : plan.segments)
        {
            sids.push_back(sidOf(s));
        }
        Srv6Policy policy;
        policy.name = "placement-request-" + std::to_string(r);
        policy.mode = Srv6HeadendMode::ENCAPS;
        policy.lists.push_back(Srv6SegmentList{sids, 1});
        Ptr<Srv6SidTable> headend = sim.srv6.GetSidTable(q.source);
        headend->AddPolicy(policy);
        Ipv6Address src = sim.net.GetNodeAddress(q.source);
        Ipv6Address dst = sim.net.GetNodeAddress(q.destination);
        auto addFlow = [&](uint16_t port, uint32_t packets, Time interval, double start) {
            Srv6FlowMatch match;
            match.destinationPrefix = dst;
            match.destinationLength = 128;
            match.protocol = PROTOCOL_UDP;
            match.destinationPort = port;
            headend->SteerFlow(match, policy.name);
            UdpClientHelper client(dst, port);
            client.SetAttribute("MaxPackets", UintegerValue(packets));
            client.SetAttribute("Interval", TimeValue(interval));
            client.SetAttribute("PacketSize", UintegerValue(options.payloadBytes));
            ApplicationContainer apps = client.Install(sim.net.GetNode(q.source));
            apps.Start(Seconds(start));
            PacketSinkHelper sink("ns3::UdpSocketFactory",
                                  Inet6SocketAddress(Ipv6Address::GetAny(), port));
            sink.Install(sim.net.GetNode(q.destination)).Start(Seconds(0));
            return sim.probe.AddFlow(src, dst, PROTOCOL_UDP, port);
        };
        plan.steadyFlow = addFlow(static_cast<uint16_t>(FIRST_STEADY_PORT + r),
                                  plan.steadyPackets,
                                  plan.steadyInterval,
                                  plan.steadyStart);
        if (options.bursts)
        {
            plan.burstStart = cursor;
            plan.burstFlow = addFlow(static_cast<uint16_t>(FIRST_BURST_PORT + r),
                                     static_cast<uint32_t>(out.burstPackets),
                                     plan.pacing,
                                     plan.burstStart);
            cursor += 2 * out.modelBurstCompletion + BURST_GUARD;
        }
    }
    for (uint32_t n = 0; n < sim.net.GetNodes().GetN(); ++n)
    {
        sim.probe.Install(sim.net.GetNode(n));
        sim.probe.WatchDrops(sim.srv6.GetSidTable(n));
        if (Ptr<PdpSwitch> sw = sim.pdp.GetSwitch(n))
        {
            sim.probe.WatchDrops(sw);
        }
    }
    double end = (options.bursts ? cursor : burstPhase) + 0.1;
    Simulator::Stop(Seconds(end));
    Simulator::Run();
    report.simulatedSeconds = end;

    // Measures.
    for (uint32_t r = 0; r < plans.size(); ++r)
    {
        PlacementValidationRequest& out = report.requests[r];
        if (!out.run)
        {
            continue;
        }
        const Plan& plan = plans[r];
        const AisfcFlowProbe::FlowStats& s = sim.probe.GetStats(plan.steadyFlow);
        out.sent = s.txPackets;
        out.received = s.rxPackets;
        out.lost = s.txPackets - std::min(s.txPackets, s.rxPackets);
        if (!s.delays.empty())
        {
            double sum = 0;
            out.minDelay = s.delays.front();
            for (double d : s.delays)
            {
                sum += d;
                out.minDelay = std::min(out.minDelay, d);
                out.maxDelay = std::max(out.maxDelay, d);
            }
            out.meanDelay = sum / s.delays.size();
        }
        if (s.lastRxSeconds > burstPhase)
        {
            report.warnings.push_back("request '" + out.name +
                                      "': steady packets still arrived during the burst phase");
        }
        double rec = out.analytic.reconfigurationDelay;
        out.packetsMeet = out.received > 0 && out.lost == 0 && out.maxDelay <= out.deadline;
        if (options.bursts)
        {
            const AisfcFlowProbe::FlowStats& b = sim.probe.GetStats(plan.burstFlow);
            out.burstReceived = b.rxPackets;
            if (b.rxPackets > 0)
            {
                out.burstCompletion = b.lastRxSeconds - b.firstTxSeconds;
            }
            out.burstMeets =
                out.burstReceived == out.burstPackets && rec + out.burstCompletion <= out.deadline;
            double next = plan.burstStart + 2 * out.modelBurstCompletion + BURST_GUARD;
            if (b.lastRxSeconds > next)
            {
                report.warnings.push_back("request '" + out.name +
                                          "': its burst was still arriving when the next began");
            }
        }
        out.explanation = Explain(out, models[r], problem.requests[r].chain.size());
    }
    for (uint32_t i = 0; i < nInstances; ++i)
    {
        if (Ptr<PdpFunctionInstance> f = sim.functions[i])
        {
            report.instances[i].servedPackets = f->GetServed();
            for (const auto& [reason, count] : f->GetDrops())
            {
                report.instances[i].droppedPackets += count;
            }
        }
    }
    return report;
}

nlohmann::json
PlacementValidationReport::ToJson() const
{
    nlohmann::json j;
    j["format"] = "aisfc-placement-validation";
    j["problem"] = problem;
    j["slot"] = slot;
    j["options"] = {{"rate_scale", options.rateScale},
                    {"duration_s", options.duration},
                    {"payload_bytes", options.payloadBytes},
                    {"pin_paths", options.pinPaths},
                    {"cap_at_capacity", options.capAtCapacity},
                    {"bursts", options.bursts},
                    {"queue_packets", options.queuePackets},
                    {"function_queue_bytes", options.functionQueueBytes}};
    j["simulated_s"] = simulatedSeconds;
    j["instances"] = nlohmann::json::array();
    for (const PlacementValidationInstance& in : instances)
    {
        bool placed = !in.host.empty();
        j["instances"].push_back(
            {{"instance", in.name},
             {"host", placed ? nlohmann::json(in.host) : nlohmann::json()},
             {"delay_per_mb_s", Nullable(placed, in.delayPerMB)},
             {"capacity_bps", Nullable(placed, in.capacityBps)},
             {"processor_bps", Nullable(placed, in.processorBps)},
             {"bound_by", placed ? nlohmann::json(in.boundBy) : nlohmann::json()},
             {"load_bps", in.loadBps},
             {"served_packets", in.servedPackets},
             {"dropped_packets", in.droppedPackets}});
    }
    j["requests"] = nlohmann::json::array();
    for (const PlacementValidationRequest& r : requests)
    {
        nlohmann::json q = {{"request", r.name},
                            {"source", r.source},
                            {"destination", r.destination},
                            {"chain", r.chain},
                            {"instances", r.instances},
                            {"hosts", r.hosts},
                            {"run", r.run},
                            {"reason", r.reason},
                            {"slot_rate_bps", r.slotRateBps},
                            {"rate_bps", r.rateBps},
                            {"volume_bytes", r.volumeBytes},
                            {"analytic",
                             {{"reconfiguration_s", r.analytic.reconfigurationDelay},
                              {"processing_s", r.analytic.processingDelay},
                              {"rdma_s", r.analytic.rdmaDelay},
                              {"transmission_s", r.analytic.transmissionDelay},
                              {"total_s", r.analytic.totalDelay},
                              {"traffic_s", r.analyticTraffic},
                              {"accepted", r.analytic.accepted},
                              {"reason", r.analytic.reason}}},
                            {"deadline_s", r.deadline},
                            {"analytic_meets_deadline", r.analyticMeets}};
        if (r.run)
        {
            q["packet_bytes"] = r.packetBytes;
            q["wire_bytes"] = r.wireBytes;
            q["segments"] = r.segments;
            q["waypoints"] = r.waypoints;
            q["route"] = r.route;
            q["route_is_mapping"] = r.routeIsMapping;
            q["steady"] = {{"sent", r.sent},
                           {"received", r.received},
                           {"lost", r.lost},
                           {"delay_mean_s", Nullable(r.received > 0, r.meanDelay)},
                           {"delay_min_s", Nullable(r.received > 0, r.minDelay)},
                           {"delay_max_s", Nullable(r.received > 0, r.maxDelay)},
                           {"meets_deadline", r.packetsMeet}};
            if (options.bursts)
            {
                q["burst"] = {{"packets", r.burstPackets},
                              {"received", r.burstReceived},
                              {"completion_s", Nullable(r.burstReceived > 0, r.burstCompletion)},
                              {"meets_deadline", r.burstMeets}};
            }
            q["model"] = {{"packet_delay_s", r.modelPacketDelay},
                          {"burst_completion_s", r.modelBurstCompletion},
                          {"bottleneck", r.bottleneck}};
        }
        q["explanation"] = r.explanation;
        j["requests"].push_back(q);
    }
    j["violations"] = violations;
    j["warnings"] = warnings;
    return j;
}

std::string
PlacementValidationReport::ToCsv() const
{
    auto quote = [](const std::string& text) {
        std::string q = "\"";
        for (char c : text)
        {
            q += c == '"' ? std::string("\"\"") : std::string(1, c);
        }
        return q + "\"";
    };
    auto number = [](bool has, double v) {
        if (!has)
        {
            return std::string();
        }
        std::ostringstream os;
        os << std::setprecision(9) << v;
        return os.str();
    };
    std::ostringstream csv;
    csv << "request,chain,hosts,run,rate_bps,analytic_total_s,analytic_reconfiguration_s,"
           "analytic_processing_s,analytic_rdma_s,analytic_transmission_s,burst_packets,"
           "burst_received,burst_completion_s,model_burst_completion_s,sent,received,lost,"
           "delay_mean_s,delay_max_s,model_packet_delay_s,deadline_s,analytic_ok,burst_ok,"
           "packets_ok,bottleneck,reason\n";
    for (const PlacementValidationRequest& r : requests)
    {
        bool burst = r.run && options.bursts;
        csv << quote(r.name) << ',' << quote(Join(r.chain, ">")) << ',' << quote(Join(r.hosts, " "))
            << ',' << (r.run ? 1 : 0) << ',' << number(true, r.rateBps) << ','
            << number(true, r.analytic.totalDelay) << ','
            << number(true, r.analytic.reconfigurationDelay) << ','
            << number(true, r.analytic.processingDelay) << ',' << number(true, r.analytic.rdmaDelay)
            << ',' << number(true, r.analytic.transmissionDelay) << ','
            << (burst ? std::to_string(r.burstPackets) : "") << ','
            << (burst ? std::to_string(r.burstReceived) : "") << ','
            << number(burst && r.burstReceived > 0, r.burstCompletion) << ','
            << number(r.run, r.modelBurstCompletion) << ',' << (r.run ? std::to_string(r.sent) : "")
            << ',' << (r.run ? std::to_string(r.received) : "") << ','
            << (r.run ? std::to_string(r.lost) : "") << ',' << number(r.received > 0, r.meanDelay)
            << ',' << number(r.received > 0, r.maxDelay) << ',' << number(r.run, r.modelPacketDelay)
            << ',' << number(true, r.deadline) << ',' << (r.analyticMeets ? 1 : 0) << ','
            << (burst ? (r.burstMeets ? "1" : "0") : "") << ','
            << (r.run ? (r.packetsMeet ? "1" : "0") : "") << ',' << quote(r.bottleneck) << ','
            << quote(r.reason) << '\n';
    }
    return csv.str();
}

} // namespace ns3
