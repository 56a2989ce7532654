/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "placement-lag.h"

#include "placement-filters.h"

#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-paths.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace ns3
{

namespace
{

constexpr double INF = std::numeric_limits<double>::infinity();

// One node of a layer: an instance on a host slot.
struct Candidate
{
    uint32_t instance = 0;
    uint32_t slot = 0;   // index in HostSlots()
    double nodeCost = 0; // 0 when the instance is already fixed
    double hostDelay = 0;
    double reconfigurationDelay = 0;
};

} // namespace

PlacementLag::PlacementLag(bool pruneCapacity, bool pruneDeadline, bool externalMemory)
    : m_pruneCapacity(pruneCapacity),
      m_pruneDeadline(pruneDeadline),
      m_externalMemory(externalMemory)
{
}

bool
PlacementLag::Usable(const PlacementHostSlot& slot) const
{
    return m_externalMemory || slot.kind != PlacementHostKind::EXTERNAL;
}

std::string
PlacementLag::GetName() const
{
    return "lag";
}

PlacementDecision
PlacementLag::Decide(const PlacementProblem& p,
                     uint32_t slot,
                     const PlacementDeployment& previous,
                     const PlacementAssignment& /* previousAssignment */,
                     std::mt19937_64& /* rng */)
{
    const uint32_t nInstances = p.InstanceCount();
    const uint32_t nRequests = p.requests.size();
    PlacementFilters filters(p);
    const std::vector<PlacementHostSlot>& slots = filters.GetSlots();
    const AisfcTopology& topo = p.topology;
    NextHopTable delayTable(topo, MetricWeight(topo, PathMetric::DELAY));
    NextHopTable costTable(topo, [&p](uint32_t l) { return p.linkCostPerMB[l]; });
    std::vector<std::vector<PlacementHostProbe>> probes = PlacementProbeHosts(p, slot, previous);

    PlacementDecision d;
    d.deployment = PlacementDeployment::Unplaced(nInstances);
    d.assignment.instances.resize(nRequests);
    std::vector<bool> fixed(nInstances, false);
    std::vector<double> load(nInstances, 0);

    std::vector<uint32_t> order(nRequests);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        return p.requests[a].rateBps[slot] > p.requests[b].rateBps[slot];
    });

    for (uint32_t r : order)
    {
        const PlacementRequest& q = p.requests[r];
        const double rate = q.rateBps[slot];
        const double volume = p.TrafficMB(r, slot);
        const double deadline = q.deadline[slot];
        const uint32_t len = q.chain.size();
        std::vector<uint32_t> chosen;
        while (true)
        {
            // The layers: candidates of each position, pruned, a pruning dropped when it
            // would empty the layer.
            std::vector<std::vector<Candidate>> layers(len);
            std::vector<std::vector<bool>> masks(nInstances);
            bool empty = false;
            for (uint32_t k = 0; k < len && !empty; ++k)
            {
                uint32_t type = q.chain[k];
                std::vector<Candidate> all;
                for (uint32_t i = p.FirstInstance(type);
                     i < p.FirstInstance(type) + p.types[type].instances;
                     ++i)
                {
                    if (masks[i].empty())
                    {
                        masks[i] =
                            filters.Mask(PlacementFilterMode::HYBRID, d.deployment, i).allowed;
                    }
                    for (uint32_t s = 0; s < slots.size(); ++s)
                    {
                        bool ok = fixed[i] ? slots[s] == *d.deployment.hosts[i]
                                           : masks[i][s] && probes[i][s].valid && Usable(slots[s]);
                        if (ok)
                        {
                            const PlacementHostProbe& pr = probes[i][s];
                            all.push_back({i,
                                           s,
                                           fixed[i] ? 0.0 : pr.cost,
                                           pr.hostDelay[r],
                                           pr.reconfigurationDelay});
                        }
                    }
                }
                auto capacityOk = [&](const Candidate& c) {
                    return load[c.instance] + rate <=
                           p.ProcessingCapacity(c.instance, slots[c.slot].kind);
                };
                auto deadlineOk = [&](const Candidate& c) {
                    uint32_t node = slots[c.slot].node;
                    return delayTable.Distance(q.source, node) + c.hostDelay +
                               c.reconfigurationDelay + delayTable.Distance(node, q.destination) <=
                           deadline;
                };
                std::vector<Candidate> layer;
                for (int level = 0; level < 3 && layer.empty(); ++level)
                {
                    for (const Candidate& c : all)
                    {
                        bool cap = !m_pruneCapacity || level == 2 || capacityOk(c);
                        bool dl = !m_pruneDeadline || level >= 1 || deadlineOk(c);
                        if (cap && dl)
                        {
                            layer.push_back(c);
                        }
                    }
                }
                layers[k] = layer;
                empty = layer.empty();
            }
            if (empty)
            {
                break; // some type has no instance that can be placed anywhere
            }

            // Shortest path through the layers (a DAG) by a node and an edge weight.
            auto shortest = [&](auto nodeWeight, auto edgeWeight) {
                std::vector<std::vector<double>> best(len);
                std::vector<std::vector<uint32_t>> from(len);
                for (uint32_t k = 0; k < len; ++k)
                {
                    best[k].assign(layers[k].size(), INF);
                    from[k].assign(layers[k].size(), 0);
                    for (uint32_t c = 0; c < layers[k].size(); ++c)
                    {
                        uint32_t node = slots[layers[k][c].slot].node;
                        double w = nodeWeight(layers[k][c]);
                        if (k + 1 == len)
                        {
                            w += edgeWeight(node, q.destination);
                        }
                        if (k == 0)
                        {
                            best[k][c] = edgeWeight(q.source, node) + w;
                            continue;
                        }
                        for (uint32_t b = 0; b < layers[k - 1].size(); ++b)
                        {
                            uint32_t prev = slots[layers[k - 1][b].slot].node;
                            double v = best[k - 1][b] + edgeWeight(prev, node) + w;
                            if (v < best[k][c])
                            {
                                best[k][c] = v;
                                from[k][c] = b;
                            }
                        }
                    }
                }
                std::vector<uint32_t> path(len, 0);
                for (uint32_t c = 1; c < layers[len - 1].size(); ++c)
                {
                    if (best[len - 1][c] < best[len - 1][path[len - 1]])
                    {
                        path[len - 1] = c;
                    }
                }
                for (uint32_t k = len - 1; k > 0; --k)
                {
                    path[k - 1] = from[k][path[k]];
                }
                return path;
            };
            auto estimatedDelay = [&](const std::vector<uint32_t>& path) {
                double transmission = 0;
                double host = 0;
                double reconfiguration = 0;
                uint32_t at = q.source;
                for (uint32_t k = 0; k < len; ++k)
                {
                    const Candidate& c = layers[k][path[k]];
                    transmission += delayTable.Distance(at, slots[c.slot].node);
                    at = slots[c.slot].node;
                    host += c.hostDelay;
                    reconfiguration = std::max(reconfiguration, c.reconfigurationDelay);
                }
                transmission += delayTable.Distance(at, q.destination);
                return transmission + host + reconfiguration;
            };
            std::vector<uint32_t> path =
                len == 0 ? std::vector<uint32_t>()
                         : shortest([](const Candidate& c) { return c.nodeCost; },
                                    [&](uint32_t a, uint32_t b) {
                                        return p.weights.alpha * volume * costTable.Distance(a, b);
                                    });
            if (len > 0 && estimatedDelay(path) > deadline)
            {
                std::vector<uint32_t> fast = shortest(
                    [](const Candidate& c) { return c.hostDelay + c.reconfigurationDelay; },
                    [&](uint32_t a, uint32_t b) { return delayTable.Distance(a, b); });
                if (estimatedDelay(fast) <= deadline)
                {
                    path = fast;
                }
            }

            // Fix the path's hosts in chain order; a conflict (an earlier fix of this pass
            // took the room) sends the request round again with more instances fixed.
            bool conflict = false;
            for (uint32_t k = 0; k < len && !conflict; ++k)
            {
                const Candidate& c = layers[k][path[k]];
                if (fixed[c.instance])
                {
                    conflict = !(slots[c.slot] == *d.deployment.hosts[c.instance]);
                    continue;
                }
                if (!filters.Mask(PlacementFilterMode::HYBRID, d.deployment, c.instance)
                         .allowed[c.slot])
                {
                    conflict = true;
                    continue;
                }
                d.deployment.hosts[c.instance] = slots[c.slot];
                fixed[c.instance] = true;
            }
            if (!conflict)
            {
                for (uint32_t k = 0; k < len; ++k)
                {
                    chosen.push_back(layers[k][path[k]].instance);
                }
                break;
            }
        }
        if (chosen.size() != len) // unservable: first instances, the evaluation rejects
        {
            chosen.clear();
            for (uint32_t f : q.chain)
            {
                chosen.push_back(p.FirstInstance(f));
            }
        }
        for (uint32_t i : chosen)
        {
            load[i] += rate;
        }
        d.assignment.instances[r] = chosen;
    }

    // Instances no path fixed keep their previous place if it still has room, else take the
    // cheapest slot with room.
    for (uint32_t i = 0; i < nInstances; ++i)
    {
        if (fixed[i])
        {
            continue;
        }
        PlacementMask mask = filters.Mask(PlacementFilterMode::HYBRID, d.deployment, i);
        const auto& prev = previous.hosts[i];
        std::optional<uint32_t> prevIndex = prev ? p.HostSlotIndex(*prev) : std::nullopt;
        if (prevIndex && mask.allowed[*prevIndex] && Usable(*prev))
        {
            d.deployment.hosts[i] = *prev;
            continue;
        }
        std::optional<uint32_t> best;
        for (uint32_t s : mask.Allowed())
        {
            if (probes[i][s].valid && Usable(slots[s]) &&
                (!best || probes[i][s].cost < probes[i][*best].cost))
            {
                best = s;
            }
        }
        if (best)
        {
            d.deployment.hosts[i] = slots[*best];
        }
    }
    return d;
}

namespace
{

const bool g_registered = [] {
    PlacementPolicyRegistry::Register(
        "lag",
        "lag: layered auxiliary graph per request, cheapest path over filtered (instance, host) "
        "pairs over servers and local memories as in the paper ({\"pruneCapacity\": true, "
        "\"pruneDeadline\": true, \"externalMemory\": false})",
        [](const nlohmann::json& params) {
            JsonReader reader(params, "placement policy 'lag'");
            bool capacity = reader.GetBool("pruneCapacity", true);
            bool deadline = reader.GetBool("pruneDeadline", true);
            bool external = reader.GetBool("externalMemory", false);
            reader.Finish();
            return std::unique_ptr<PlacementPolicy>(new PlacementLag(capacity, deadline, external));
        });
    return true;
}();

} // namespace

} // namespace ns3
