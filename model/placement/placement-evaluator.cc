/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "placement-evaluator.h"

#include "placement-storage.h"

#include "ns3/aisfc-units.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

/*
 * The SR-EM paper's equations were lost in extraction; each term below is rebuilt from its
 * prose (doc/placement.rst gives the reasons).  V_r = rate x trafficWindow / 8 in MB.
 *
 *  (2)  C_IT   = sum_i D_f^kind / 1e6 x cost per MB of the host slot (server, LM or EM)
 *  (3)  C_BW   = sum_r sum_virtual links sum_links on the path V_r x c_l
 *  (5)  C_mig  = sum_{i server m' -> server m != m'} D^sv_f / 1e6 x sum_{l on P(m', m)} c_l
 *  (6)  C_prog = sum_{i -> LM/EM of s, from a server, nothing or another switch} C_f x c^c_s
 *  (4)  C_rec  = C_mig + C_prog
 *  (1)  C      = alpha (C_IT + C_BW) + beta C_rec
 *  (13) T_mig  = max_i (8 D^sv_f / min_{l on P} B_l + sum_{l on P} d_l)
 *  (14) T_prog = max_s 8 sum_{i programmed into s} C_f / B^c_s
 *  (15) T_RDMA = V_r x n_{f,s} x rdmaAccessDelay_s, n_{f,s} = max(1, ceil(D^sw_f / R_s))
 *  (17) T_rec,r = max over r's instances of their migration or their switch's programming
 *  (18) T_proc,r = sum over r's functions of V_r x delayPerMB[f] of the host node
 *  (19) T_tr,r = sum over r's virtual links of the propagation delays on the path
 *  (16) T_r    = T_rec,r + T_proc,r + T_RDMA,r + T_tr,r, accepted when <= the deadline
 *  (20) R      = 0 on a storage, processing or placement violation (and on a link one when
 *                asked), else w1 x AR + w2 / (1 + C)
 */

namespace ns3
{

namespace
{

constexpr double INF = std::numeric_limits<double>::infinity();
constexpr double MB = 1e6;

[[noreturn]] void
Invalid(const std::string& what)
{
    throw std::invalid_argument("placement evaluation: " + what);
}

std::string
Seconds(double s)
{
    if (std::isinf(s))
    {
        return "infinite";
    }
    std::ostringstream os;
    os.precision(6);
    os << s * 1e3 << " ms";
    return os.str();
}

std::string
Rate(double bps)
{
    std::ostringstream os;
    os.precision(6);
    os << bps / 1e6 << " Mbps";
    return os.str();
}

// The node an instance's host slot is on, if it is placed.
std::optional<uint32_t>
HostNode(const PlacementDeployment& d, uint32_t instance)
{
    const auto& h = d.hosts.at(instance);
    return h ? std::optional<uint32_t>(h->node) : std::nullopt;
}

// The ends of virtual link v of request r (nothing for an end on an unplaced instance).
std::pair<std::optional<uint32_t>, std::optional<uint32_t>>
VirtualLinkEnds(const PlacementProblem& problem,
                const PlacementDeployment& d,
                const PlacementAssignment& a,
                uint32_t r,
                uint32_t v)
{
    const PlacementRequest& q = problem.requests[r];
    std::optional<uint32_t> from =
        v == 0 ? std::optional<uint32_t>(q.source) : HostNode(d, a.instances[r][v - 1]);
    std::optional<uint32_t> to = v == q.chain.size() ? std::optional<uint32_t>(q.destination)
                                                     : HostNode(d, a.instances[r][v]);
    return {from, to};
}

// Processing and RDMA delay (seconds) of V MB through an instance of `type` on `host`.
std::pair<double, double>
HostDelays(const PlacementProblem& problem, uint32_t type, const PlacementHostSlot& host, double v)
{
    const PlacementNode& node = problem.nodes[host.node];
    double processing = v * node.delayPerMB[type];
    double rdma = 0;
    if (host.kind == PlacementHostKind::EXTERNAL)
    {
        rdma = v * problem.RdmaAccesses(type, host.node) * node.rdmaAccessDelay;
    }
    return {processing, rdma};
}

} // namespace

std::string
PlacementViolationKindName(PlacementViolationKind kind)
{
    switch (kind)
    {
    case PlacementViolationKind::STORAGE:
        return "storage";
    case PlacementViolationKind::PROCESSING:
        return "processing";
    case PlacementViolationKind::LINK:
        return "link";
    case PlacementViolationKind::UNPLACED:
        return "unplaced";
    }
    return "storage";
}

bool
PlacementSlotResult::Feasible() const
{
    return violations.empty();
}

bool
PlacementSlotResult::Has(PlacementViolationKind kind) const
{
    return std::any_of(violations.begin(), violations.end(), [kind](const PlacementViolation& v) {
        return v.kind == kind;
    });
}

PlacementEvaluator::PlacementEvaluator(const PlacementProblem& problem)
    : m_problem(problem)
{
    problem.Validate();
}

const PlacementProblem&
PlacementEvaluator::GetProblem() const
{
    return m_problem;
}

std::optional<TopologyPath>
PlacementEvaluator::MigrationPath(uint32_t from, uint32_t to) const
{
    const AisfcTopology& topo = m_problem.topology;
    return ShortestPath(topo, from, to, MetricWeight(topo, PathMetric::DELAY));
}

void
PlacementEvaluator::CheckInputs(const PlacementDeployment& previous,
                                const PlacementDeployment& current,
                                const PlacementAssignment& assignment,
                                const PlacementLinkMapping& mapping) const
{
    const PlacementProblem& p = m_problem;
    uint32_t nInstances = p.InstanceCount();
    for (const PlacementDeployment* d : {&previous, &current})
    {
        if (d->hosts.size() != nInstances)
        {
            Invalid(std::string(d == &previous ? "previous" : "current") + " deployment has " +
                    std::to_string(d->hosts.size()) + " entries for " + std::to_string(nInstances) +
                    " instances");
        }
        for (uint32_t i = 0; i < nInstances; ++i)
        {
            if (d->hosts[i] && !p.IsHostSlot(*d->hosts[i]))
            {
                Invalid(p.InstanceName(i) + " is on " + p.HostSlotName(*d->hosts[i]) +
                        ", which is no host slot");
            }
        }
    }
    if (assignment.instances.size() != p.requests.size())
    {
        Invalid("the assignment needs one entry per request");
    }
    if (mapping.paths.size() != p.requests.size())
    {
        Invalid("the link mapping needs one entry per request");
    }
    for (uint32_t r = 0; r < p.requests.size(); ++r)
    {
        const PlacementRequest& q = p.requests[r];
        const auto& a = assignment.instances[r];
        if (a.size() != q.chain.size())
        {
            Invalid("request '" + q.name + "' needs one instance per function");
        }
        for (uint32_t k = 0; k < a.size(); ++k)
        {
            if (a[k] >= nInstances || p.InstanceType(a[k]) != q.chain[k])
            {
                Invalid("request '" + q.name + "': function " + std::to_string(k) + " (" +
                        p.types[q.chain[k]].name + ") is assigned an instance of another type");
            }
        }
        if (mapping.paths[r].size() != q.chain.size() + 1)
        {
            Invalid("request '" + q.name + "' needs " + std::to_string(q.chain.size() + 1) +
                    " virtual link paths");
        }
        for (uint32_t v = 0; v <= q.chain.size(); ++v)
        {
            const TopologyPath& path = mapping.paths[r][v];
            if (path.nodes.empty())
            {
                continue;
            }
            auto [from, to] = VirtualLinkEnds(p, current, assignment, r, v);
            std::string where = "request '" + q.name + "' virtual link " + std::to_string(v);
            if (!from || !to || path.nodes.front() != *from || path.nodes.back() != *to)
            {
                Invalid(where + ": the path does not join the virtual link's ends");
            }
            if (path.links.size() + 1 != path.nodes.size())
            {
                Invalid(where + ": a path needs one link fewer than nodes");
            }
            for (uint32_t k = 0; k < path.links.size(); ++k)
            {
                if (path.links[k] >= p.topology.GetNLinks())
                {
                    Invalid(where + ": link index out of range");
                }
                const TopologyLink& l = p.topology.GetLink(path.links[k]);
                uint32_t x = path.nodes[k];
                uint32_t y = path.nodes[k + 1];
                if (!((l.a == x && l.b == y) || (l.a == y && l.b == x)))
                {
                    Invalid(where + ": link " + std::to_string(path.links[k]) +
                            " does not join the path's nodes");
                }
            }
        }
    }
}

PlacementSlotResult
PlacementEvaluator::Evaluate(uint32_t slot,
                             const PlacementDeployment& previous,
                             const PlacementDeployment& current,
                             const PlacementAssignment& assignment,
                             const PlacementLinkMapping& mapping) const
{
    const PlacementProblem& p = m_problem;
    if (slot >= p.slots)
    {
        Invalid("slot " + std::to_string(slot) + " is beyond the horizon of " +
                std::to_string(p.slots) + " slots");
    }
    CheckInputs(previous, current, assignment, mapping);
    uint32_t nInstances = p.InstanceCount();
    PlacementSlotResult res;
    res.migrated.assign(nInstances, false);
    res.programmed.assign(nInstances, false);
    res.instanceLoadBps.assign(nInstances, 0);
    res.linkLoadBps.assign(p.topology.GetNLinks(), {0, 0});

    // Storage (eq. 7 and twins) through the one accountant, and the IT cost (eq. 2).
    PlacementStorage storage(p);
    for (uint32_t i = 0; i < nInstances; ++i)
    {
        const auto& host = current.hosts[i];
        if (!host)
        {
            PlacementViolation v;
            v.kind = PlacementViolationKind::UNPLACED;
            v.index = i;
            v.instance = i;
            v.reason = "instance " + p.InstanceName(i) + " is not placed";
            res.violations.push_back(v);
            continue;
        }
        uint64_t demand = p.StorageDemand(i, host->kind);
        res.itCost += demand / MB * p.StorageCostPerMB(*host);
        PdpReserveResult r = storage.Place(i, *host);
        if (!r.ok)
        {
            PlacementViolation v;
            v.kind = PlacementViolationKind::STORAGE;
            v.index = *p.HostSlotIndex(*host);
            v.instance = i;
            v.demand = double(demand);
            v.capacity = double(storage.FreeBytes(*host));
            v.reason = p.HostSlotName(*host) + ": " + r.reason;
            res.violations.push_back(v);
        }
    }

    // Reconfiguration (eqs. 4-6) and its delays (eqs. 13, 14): server -> other server is a
    // migration; anything (a server, nothing, another switch) -> a switch's memory is
    // programming; the rest (unchanged, the same switch, switch -> server) costs nothing.
    std::vector<double> instanceDelay(nInstances, 0);
    std::vector<uint64_t> programBytes(p.nodes.size(), 0);
    for (uint32_t i = 0; i < nInstances; ++i)
    {
        const auto& cur = current.hosts[i];
        const auto& prev = previous.hosts[i];
        if (!cur)
        {
            continue;
        }
        const PlacementFunctionType& type = p.types[p.InstanceType(i)];
        if (cur->kind == PlacementHostKind::SERVER)
        {
            if (prev && prev->kind == PlacementHostKind::SERVER && prev->node != cur->node)
            {
                res.migrated[i] = true;
                std::optional<TopologyPath> path = MigrationPath(prev->node, cur->node);
                double delay = INF;
                if (path)
                {
                    double linkCost = 0;
                    double bottleneck = INF;
                    double propagation = 0;
                    for (uint32_t l : path->links)
                    {
                        linkCost += p.linkCostPerMB[l];
                        bottleneck = std::min(bottleneck, p.topology.GetLink(l).capacityBps);
                        propagation += p.topology.GetLink(l).delaySeconds;
                    }
                    res.migrationCost += type.serverBytes / MB * linkCost;
                    delay =
                        bottleneck > 0 ? type.serverBytes * 8.0 / bottleneck + propagation : INF;
                }
                instanceDelay[i] = delay;
                res.migrationDelay = std::max(res.migrationDelay, delay);
            }
            continue;
        }
        bool fromElsewhere =
            !prev || prev->kind == PlacementHostKind::SERVER || prev->node != cur->node;
        if (fromElsewhere)
        {
            res.programmed[i] = true;
            programBytes[cur->node] += type.programBytes;
            res.programmingCost += type.programBytes / MB * p.nodes[cur->node].controllerCostPerMB;
        }
    }
    std::vector<double> programDelay(p.nodes.size(), 0);
    for (uint32_t n = 0; n < p.nodes.size(); ++n)
    {
        if (programBytes[n] > 0)
        {
            double bps = p.nodes[n].controllerBps;
            programDelay[n] = bps > 0 ? programBytes[n] * 8.0 / bps : INF;
            res.programmingDelay = std::max(res.programmingDelay, programDelay[n]);
        }
    }
    for (uint32_t i = 0; i < nInstances; ++i)
    {
        if (res.programmed[i])
        {
            instanceDelay[i] = programDelay[current.hosts[i]->node];
        }
    }
    res.reconfigurationCost = res.migrationCost + res.programmingCost;

    // Loads of instances (eq. 10) and links (eq. 11); bandwidth cost (eq. 3), delays (15-19).
    res.requests.resize(p.requests.size());
    for (uint32_t r = 0; r < p.requests.size(); ++r)
    {
        const PlacementRequest& q = p.requests[r];
        PlacementRequestResult& out = res.requests[r];
        double rate = q.rateBps[slot];
        double volume = p.TrafficMB(r, slot);
        out.deadline = q.deadline[slot];
        std::string why;
        for (uint32_t k = 0; k < q.chain.size(); ++k)
        {
            uint32_t i = assignment.instances[r][k];
            res.instanceLoadBps[i] += rate;
            const auto& host = current.hosts[i];
            if (!host)
            {
                if (why.empty())
                {
                    why = "function " + std::to_string(k) + " uses unplaced instance " +
                          p.InstanceName(i);
                }
                continue;
            }
            out.reconfigurationDelay = std::max(out.reconfigurationDelay, instanceDelay[i]);
            auto [processing, rdma] = HostDelays(p, q.chain[k], *host, volume);
            out.processingDelay += processing;
            out.rdmaDelay += rdma;
        }
        for (uint32_t v = 0; v <= q.chain.size(); ++v)
        {
            const TopologyPath& path = mapping.paths[r][v];
            if (path.nodes.empty())
            {
                if (why.empty())
                {
                    why = "virtual link " + std::to_string(v) + " is not mapped";
                }
                continue;
            }
            for (uint32_t k = 0; k < path.links.size(); ++k)
            {
                uint32_t l = path.links[k];
                const TopologyLink& link = p.topology.GetLink(l);
                res.linkLoadBps[l][link.a == path.nodes[k] ? 0 : 1] += rate;
                res.bandwidthCost += volume * p.linkCostPerMB[l];
                out.transmissionDelay += link.delaySeconds;
            }
        }
        out.totalDelay =
            out.reconfigurationDelay + out.processingDelay + out.rdmaDelay + out.transmissionDelay;
        if (why.empty() && !(out.totalDelay <= out.deadline))
        {
            why = "delay " + Seconds(out.totalDelay) + " (reconfiguration " +
                  Seconds(out.reconfigurationDelay) + ", processing " +
                  Seconds(out.processingDelay) + ", RDMA " + Seconds(out.rdmaDelay) +
                  ", transmission " + Seconds(out.transmissionDelay) + ") exceeds the deadline " +
                  Seconds(out.deadline);
        }
        out.accepted = why.empty();
        out.reason = why.empty() ? "" : "request '" + q.name + "': " + why;
        res.accepted += out.accepted ? 1 : 0;
    }
    for (uint32_t i = 0; i < nInstances; ++i)
    {
        const auto& host = current.hosts[i];
        if (!host)
        {
            continue;
        }
        double capacity = p.ProcessingCapacity(i, host->kind);
        if (res.instanceLoadBps[i] > capacity)
        {
            PlacementViolation v;
            v.kind = PlacementViolationKind::PROCESSING;
            v.index = i;
            v.instance = i;
            v.demand = res.instanceLoadBps[i];
            v.capacity = capacity;
            v.reason = "instance " + p.InstanceName(i) + " on " + p.HostSlotName(*host) +
                       " receives " + Rate(v.demand) + ", can process " + Rate(capacity);
            res.violations.push_back(v);
        }
    }
    for (uint32_t l = 0; l < p.topology.GetNLinks(); ++l)
    {
        const TopologyLink& link = p.topology.GetLink(l);
        for (uint32_t dir = 0; dir < 2; ++dir)
        {
            if (res.linkLoadBps[l][dir] > link.capacityBps)
            {
                const std::string& a = p.topology.GetNode(dir == 0 ? link.a : link.b).name;
                const std::string& b = p.topology.GetNode(dir == 0 ? link.b : link.a).name;
                PlacementViolation v;
                v.kind = PlacementViolationKind::LINK;
                v.index = l;
                v.demand = res.linkLoadBps[l][dir];
                v.capacity = link.capacityBps;
                v.reason = "link " + a + "->" + b + " carries " + Rate(v.demand) + ", bandwidth " +
                           Rate(v.capacity);
                res.violations.push_back(v);
            }
        }
    }

    res.acceptanceRatio = p.requests.empty() ? 1.0 : double(res.accepted) / p.requests.size();
    res.totalCost = p.weights.alpha * (res.itCost + res.bandwidthCost) +
                    p.weights.beta * res.reconfigurationCost;
    bool zero = res.Has(PlacementViolationKind::STORAGE) ||
                res.Has(PlacementViolationKind::PROCESSING) ||
                res.Has(PlacementViolationKind::UNPLACED) ||
                (p.weights.linkViolationZeroesReward && res.Has(PlacementViolationKind::LINK));
    res.reward =
        zero ? 0.0
             : p.weights.acceptance * res.acceptanceRatio + p.weights.cost / (1.0 + res.totalCost);
    return res;
}

PlacementSlotResult
PlacementEvaluate(const PlacementProblem& problem,
                  uint32_t slot,
                  const PlacementDeployment& previous,
                  const PlacementDeployment& current,
                  const PlacementAssignment& assignment,
                  const PlacementLinkMapping& mapping)
{
    return PlacementEvaluator(problem).Evaluate(slot, previous, current, assignment, mapping);
}

PlacementLinkMapping
PlacementMapLinks(const PlacementProblem& problem,
                  uint32_t slot,
                  const PlacementDeployment& deployment,
                  const PlacementAssignment& assignment)
{
    const AisfcTopology& topo = problem.topology;
    if (deployment.hosts.size() != problem.InstanceCount() ||
        assignment.instances.size() != problem.requests.size())
    {
        Invalid("link mapping needs one host per instance and one assignment per request");
    }
    for (uint32_t r = 0; r < problem.requests.size(); ++r)
    {
        if (assignment.instances[r].size() != problem.requests[r].chain.size())
        {
            Invalid("request '" + problem.requests[r].name + "' needs one instance per function");
        }
        for (uint32_t i : assignment.instances[r])
        {
            if (i >= deployment.hosts.size())
            {
                Invalid("request '" + problem.requests[r].name + "': instance out of range");
            }
        }
    }
    double overload = 2.0 * topo.GetNNodes();
    std::vector<std::array<double, 2>> load(topo.GetNLinks(), {0, 0});
    PlacementLinkMapping m;
    m.paths.resize(problem.requests.size());
    for (uint32_t r = 0; r < problem.requests.size(); ++r)
    {
        const PlacementRequest& q = problem.requests[r];
        double rate = q.rateBps.at(slot);
        LinkWeight weight = [&](uint32_t l) {
            double capacity = topo.GetLink(l).capacityBps;
            double busy = std::max(load[l][0], load[l][1]) + rate;
            if (!(capacity > 0))
            {
                return 1.0 + 2 * overload;
            }
            return 1.0 + busy / capacity + (busy > capacity ? overload : 0.0);
        };
        for (uint32_t v = 0; v <= q.chain.size(); ++v)
        {
            auto [from, to] = VirtualLinkEnds(problem, deployment, assignment, r, v);
            TopologyPath path;
            if (from && to)
            {
                if (*from == *to)
                {
                    path.nodes.push_back(*from);
                }
                else if (std::optional<TopologyPath> sp = ShortestPath(topo, *from, *to, weight))
                {
                    path = *sp;
                    for (uint32_t k = 0; k < path.links.size(); ++k)
                    {
                        uint32_t l = path.links[k];
                        load[l][topo.GetLink(l).a == path.nodes[k] ? 0 : 1] += rate;
                    }
                }
            }
            m.paths[r].push_back(path);
        }
    }
    return m;
}

PlacementAssignment
PlacementAssignNearest(const PlacementProblem& problem,
                       uint32_t slot,
                       const PlacementDeployment& deployment)
{
    const AisfcTopology& topo = problem.topology;
    if (deployment.hosts.size() != problem.InstanceCount())
    {
        Invalid("assignment needs one host per instance");
    }
    NextHopTable distance(topo, MetricWeight(topo, PathMetric::DELAY));
    std::vector<double> load(problem.InstanceCount(), 0);
    PlacementAssignment a;
    for (uint32_t r = 0; r < problem.requests.size(); ++r)
    {
        const PlacementRequest& q = problem.requests[r];
        double rate = q.rateBps.at(slot);
        double volume = problem.TrafficMB(r, slot);
        uint32_t at = q.source;
        std::vector<uint32_t> chosen;
        for (uint32_t k = 0; k < q.chain.size(); ++k)
        {
            uint32_t type = q.chain[k];
            uint32_t first = problem.FirstInstance(type);
            std::optional<uint32_t> best;
            bool bestRoom = false;
            double bestScore = INF;
            for (uint32_t i = first; i < first + problem.types[type].instances; ++i)
            {
                const auto& host = deployment.hosts.at(i);
                if (!host)
                {
                    continue;
                }
                auto [processing, rdma] = HostDelays(problem, type, *host, volume);
                double score = distance.Distance(at, host->node) + processing + rdma;
                if (k + 1 == q.chain.size())
                {
                    score += distance.Distance(host->node, q.destination);
                }
                bool room = load[i] + rate <= problem.ProcessingCapacity(i, host->kind);
                if (!best || (room && !bestRoom) || (room == bestRoom && score < bestScore))
                {
                    best = i;
                    bestRoom = room;
                    bestScore = score;
                }
            }
            uint32_t i = best.value_or(first);
            load[i] += rate;
            if (best)
            {
                at = deployment.hosts[i]->node;
            }
            chosen.push_back(i);
        }
        a.instances.push_back(chosen);
    }
    return a;
}

} // namespace ns3
