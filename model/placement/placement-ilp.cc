/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "placement-ilp.h"

#include "placement-filters.h"
#include "placement-lag.h"
#include "placement-storage.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-milp.h"
#include "ns3/aisfc-paths.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>

/*
 * The model (doc/placement.rst, "Policies"); delays in ms, sizes in MB, rates in Mbps so the
 * coefficients stay near 1.
 *
 *  x[i][s]      binary   instance i on host slot s (only pairs the static filter allows)
 *  y[r][p][i]   binary   position p of request r served by instance i (of its type)
 *  w[r][p][i][s] in [0,1] = y x x: sum_s w = y, w <= x (integral once x and y are)
 *  u[r][p][n]   in [0,1] = sum_{i, s on node n} w: the node serving position p
 *  z[r][v][a][b] >= 0    virtual link v between positions v-1 (at a) and v (at b):
 *                        sum_b z = u[r][v-1][a], sum_a z = u[r][v][b] (integral once u is)
 *  a[r]         binary   request r accepted
 *  q[r]         >= 0     request r's reconfiguration delay
 *
 *  min sum x cost(i,s) + sum alpha V_r c(path) over first/last hops (u) and middle hops (z)
 *      + penalty sum (1 - a[r])
 *  (8)  sum_s x[i][s] = 1          (9) sum_i y[r][p][i] = 1
 *  (7)  sum_i used(i,s) x[i][s] <= capacity(s)   (the accountant's bytes: blocks for LM)
 *  (10) sum_{r,p} rate_r y[r][p][i] <= sum_s P(i, kind s) x[i][s]
 *  (11) sum of rate_r over hops whose fixed path crosses l in a direction <= B_l
 *  (17) q[r] >= migration delay(i,s) w; q[r] >= PD_n - M_n (1 - w) for i programmed into n,
 *       PD_n = sum_{j,t programmed into n} 8 C_f / B^c_n x[j][t]
 *  (16) transmission(u, z) + sum w hostDelay + q[r] <= T_r + M_r (1 - a[r])
 * Per-pair costs and delays come from PlacementProbeHosts (the evaluator), path costs and
 * delays from the least-delay paths, which are also the mapping handed to the evaluator.
 */

namespace ns3
{

namespace
{

constexpr double INF = std::numeric_limits<double>::infinity();

} // namespace

std::string
PlacementIlpStatusName(PlacementIlpStatus status)
{
    switch (status)
    {
    case PlacementIlpStatus::OPTIMAL:
        return "optimal";
    case PlacementIlpStatus::TIME_LIMIT:
        return "time limit";
    case PlacementIlpStatus::NO_SOLUTION:
        return "no solution";
    case PlacementIlpStatus::INFEASIBLE:
        return "infeasible";
    }
    return "no solution";
}

bool
PlacementIlpResult::HasSolution() const
{
    return status == PlacementIlpStatus::OPTIMAL || status == PlacementIlpStatus::TIME_LIMIT;
}

PlacementIlp::PlacementIlp(const PlacementIlpOptions& options)
    : m_options(options)
{
}

std::string
PlacementIlp::GetName() const
{
    return "ilp";
}

const PlacementIlpOptions&
PlacementIlp::GetOptions() const
{
    return m_options;
}

double
PlacementIlp::Objective(const PlacementSlotResult& result, double rejectionPenalty)
{
    return result.totalCost + rejectionPenalty * double(result.requests.size() - result.accepted);
}

PlacementIlpResult
PlacementIlp::Solve(const PlacementProblem& p,
                    uint32_t slot,
                    const PlacementDeployment& previous) const
{
    auto started = std::chrono::steady_clock::now();
    if (slot >= p.slots)
    {
        throw std::invalid_argument("PlacementIlp: slot beyond the horizon");
    }
    const uint32_t nInstances = p.InstanceCount();
    const uint32_t nRequests = p.requests.size();
    const uint32_t nNodes = p.topology.GetNNodes();
    const double alpha = p.weights.alpha;
    const double penalty = m_options.rejectionPenalty;
    PlacementFilters filters(p);
    const std::vector<PlacementHostSlot>& slots = filters.GetSlots();
    const uint32_t nSlots = slots.size();
    std::vector<std::vector<PlacementHostProbe>> probes = PlacementProbeHosts(p, slot, previous);

    // Fixed paths: least delay between every pair of nodes, with their cost and delay.
    NextHopTable table(p.topology, MetricWeight(p.topology, PathMetric::DELAY));
    std::vector<std::vector<std::optional<TopologyPath>>> paths(
        nNodes,
        std::vector<std::optional<TopologyPath>>(nNodes));
    std::vector<std::vector<double>> pathCost(nNodes, std::vector<double>(nNodes, INF));
    std::vector<std::vector<double>> pathDelay(nNodes, std::vector<double>(nNodes, INF));
    for (uint32_t a = 0; a < nNodes; ++a)
    {
        for (uint32_t b = 0; b < nNodes; ++b)
        {
            std::optional<TopologyPath> path;
            if (a == b)
            {
                path = TopologyPath();
                path->nodes.push_back(a);
            }
            else
            {
                path = table.Path(a, b);
            }
            if (!path)
            {
                continue;
            }
            double cost = 0;
            double delay = 0;
            for (uint32_t l : path->links)
            {
                cost += p.linkCostPerMB[l];
                delay += p.topology.GetLink(l).delaySeconds;
            }
            paths[a][b] = path;
            pathCost[a][b] = cost;
            pathDelay[a][b] = delay * 1e3;
        }
    }

    // Storage each pair takes and each slot holds, by the accountant itself.
    PlacementStorage empty(p);
    std::vector<double> capacity(nSlots);
    for (uint32_t s = 0; s < nSlots; ++s)
    {
        capacity[s] = empty.CapacityBytes(slots[s]) / 1e6;
    }
    std::vector<std::vector<double>> used(nInstances, std::vector<double>(nSlots, 0));
    for (uint32_t i = 0; i < nInstances; ++i)
    {
        for (uint32_t s = 0; s < nSlots; ++s)
        {
            if (probes[i][s].valid)
            {
                PlacementStorage alone(p);
                if (alone.Place(i, slots[s]).ok)
                {
                    used[i][s] = alone.UsedBytes(slots[s]) / 1e6;
                }
            }
        }
    }

    AisfcMilp m;
    std::vector<std::vector<int>> x(nInstances, std::vector<int>(nSlots, -1));
    for (uint32_t i = 0; i < nInstances; ++i)
    {
        AisfcMilpRow place;
        place.sense = 'E';
        place.rhs = 1;
        for (uint32_t s = 0; s < nSlots; ++s)
        {
            if (probes[i][s].valid)
            {
                x[i][s] = m.Col(0, 1, probes[i][s].cost, true);
                place.Add(x[i][s], 1);
            }
        }
        m.AddRow(place); // (8); empty means infeasible
    }

    // Programming delay per node (ms), as an expression in x, and its largest value.
    std::vector<AisfcMilpRow> programDelay(nNodes);
    std::vector<double> programMax(nNodes, 0);
    for (uint32_t i = 0; i < nInstances; ++i)
    {
        std::vector<double> largest(nNodes, 0);
        for (uint32_t s = 0; s < nSlots; ++s)
        {
            const PlacementHostProbe& pr = probes[i][s];
            if (pr.valid && pr.programmed && std::isfinite(pr.reconfigurationDelay))
            {
                uint32_t n = slots[s].node;
                programDelay[n].Add(x[i][s], pr.reconfigurationDelay * 1e3);
                largest[n] = std::max(largest[n], pr.reconfigurationDelay * 1e3);
            }
        }
        for (uint32_t n = 0; n < nNodes; ++n)
        {
            programMax[n] += largest[n];
        }
    }
    double migrationMax = 0;
    for (uint32_t i = 0; i < nInstances; ++i)
    {
        for (uint32_t s = 0; s < nSlots; ++s)
        {
            const PlacementHostProbe& pr = probes[i][s];
            if (pr.valid && pr.migrated && std::isfinite(pr.reconfigurationDelay))
            {
                migrationMax = std::max(migrationMax, pr.reconfigurationDelay * 1e3);
            }
        }
    }
    double programAll = *std::max_element(programMax.begin(), programMax.end());
    double pathDelayMax = 0;
    for (const auto& row : pathDelay)
    {
        for (double d : row)
        {
            if (std::isfinite(d))
            {
                pathDelayMax = std::max(pathDelayMax, d);
            }
        }
    }

    std::vector<AisfcMilpRow> processing(nInstances);
    std::vector<std::array<AisfcMilpRow, 2>> linkRows(p.topology.GetNLinks());
    auto addLinkLoad = [&](uint32_t a, uint32_t b, int col, double mbps) {
        const TopologyPath& path = *paths[a][b];
        for (uint32_t k = 0; k < path.links.size(); ++k)
        {
            uint32_t l = path.links[k];
            linkRows[l][p.topology.GetLink(l).a == path.nodes[k] ? 0 : 1].Add(col, mbps);
        }
    };
    std::vector<std::vector<std::vector<int>>> y(nRequests);
    std::vector<std::vector<std::vector<std::pair<uint32_t, int>>>> u(nRequests); // (node, col)
    std::vector<int> accept(nRequests);
    double offset = 0;
    for (uint32_t r = 0; r < nRequests; ++r)
    {
        const PlacementRequest& q = p.requests[r];
        const uint32_t len = q.chain.size();
        const double volume = p.TrafficMB(r, slot);
        const double rate = q.rateBps[slot] / 1e6;
        const double deadline = q.deadline[slot] * 1e3;
        offset += penalty;
        accept[r] = m.Col(0, 1, -penalty, true);
        int reconf = m.Col(0, INF, 0, false);
        AisfcMilpRow delay; // (16): ... + M a <= T + M
        double bigM = pathDelayMax * (len + 1) + migrationMax + programAll;
        y[r].resize(len);
        u[r].resize(len);
        for (uint32_t k = 0; k < len; ++k)
        {
            uint32_t type = q.chain[k];
            double share = double(std::count(q.chain.begin(), q.chain.end(), type));
            AisfcMilpRow one;
            one.sense = 'E';
            one.rhs = 1;
            std::map<uint32_t, AisfcMilpRow> nodeRows; // u - sum w = 0
            double hostMax = 0;
            for (uint32_t i = p.FirstInstance(type);
                 i < p.FirstInstance(type) + p.types[type].instances;
                 ++i)
            {
                int yc = m.Col(0, 1, 0, true);
                y[r][k].push_back(yc);
                one.Add(yc, 1);
                processing[i].Add(yc, rate);
                AisfcMilpRow link;
                link.sense = 'E';
                link.Add(yc, -1);
                for (uint32_t s = 0; s < nSlots; ++s)
                {
                    if (x[i][s] < 0)
                    {
                        continue;
                    }
                    const PlacementHostProbe& pr = probes[i][s];
                    int wc = m.Col(0, 1, 0, false);
                    link.Add(wc, 1);
                    AisfcMilpRow le;
                    le.Add(wc, 1);
                    le.Add(x[i][s], -1);
                    m.AddRow(le);
                    nodeRows[slots[s].node].Add(wc, -1);
                    double host = pr.hostDelay[r] / share * 1e3;
                    hostMax = std::max(hostMax, host);
                    delay.Add(wc, host);
                    if (!std::isfinite(pr.reconfigurationDelay))
                    {
                        AisfcMilpRow no; // a + w <= 1
                        no.Add(accept[r], 1);
                        no.Add(wc, 1);
                        no.rhs = 1;
                        m.AddRow(no);
                    }
                    else if (pr.migrated)
                    {
                        AisfcMilpRow g; // q - d w >= 0
                        g.sense = 'G';
                        g.Add(reconf, 1);
                        g.Add(wc, -pr.reconfigurationDelay * 1e3);
                        m.AddRow(g);
                    }
                    else if (pr.programmed)
                    {
                        uint32_t n = slots[s].node;
                        AisfcMilpRow g = programDelay[n]; // q - PD_n - M w >= -M
                        for (double& c : g.coefs)
                        {
                            c = -c;
                        }
                        g.Add(reconf, 1);
                        g.Add(wc, -programMax[n]);
                        g.sense = 'G';
                        g.rhs = -programMax[n];
                        m.AddRow(g);
                    }
                }
                m.AddRow(link);
            }
            m.AddRow(one);
            bigM += hostMax;
            for (auto& [node, row] : nodeRows)
            {
                // The first and last hops are priced on u directly.
                double cost = 0;
                double hopDelay = 0;
                bool reachable = true;
                if (k == 0)
                {
                    reachable = reachable && paths[q.source][node].has_value();
                    cost += reachable ? alpha * volume * pathCost[q.source][node] : 0;
                    hopDelay += reachable ? pathDelay[q.source][node] : 0;
                }
                if (k + 1 == len)
                {
                    reachable = reachable && paths[node][q.destination].has_value();
                    cost += reachable ? alpha * volume * pathCost[node][q.destination] : 0;
                    hopDelay += reachable ? pathDelay[node][q.destination] : 0;
                }
                int uc = m.Col(0, reachable ? 1 : 0, cost, false);
                u[r][k].push_back({node, uc});
                row.Add(uc, 1);
                row.sense = 'E';
                m.AddRow(row);
                delay.Add(uc, hopDelay);
                if (reachable && k == 0)
                {
                    addLinkLoad(q.source, node, uc, rate);
                }
                if (reachable && k + 1 == len)
                {
                    addLinkLoad(node, q.destination, uc, rate);
                }
            }
            if (k == 0)
            {
                continue;
            }
            // Middle virtual link k: positions k-1 -> k.
            std::map<uint32_t, AisfcMilpRow> out;
            std::map<uint32_t, AisfcMilpRow> in;
            for (auto [na, ua] : u[r][k - 1])
            {
                out[na].Add(ua, -1);
            }
            for (auto [nb, ub] : u[r][k])
            {
                in[nb].Add(ub, -1);
            }
            for (auto [na, ua] : u[r][k - 1])
            {
                for (auto [nb, ub] : u[r][k])
                {
                    if (!paths[na][nb])
                    {
                        continue;
                    }
                    int zc = m.Col(0, INF, alpha * volume * pathCost[na][nb], false);
                    out[na].Add(zc, 1);
                    in[nb].Add(zc, 1);
                    delay.Add(zc, pathDelay[na][nb]);
                    addLinkLoad(na, nb, zc, rate);
                }
            }
            for (auto* rows : {&out, &in})
            {
                for (auto& [node, row] : *rows)
                {
                    row.sense = 'E';
                    m.AddRow(row);
                }
            }
        }
        if (len == 0)
        {
            bool reach = paths[q.source][q.destination].has_value();
            double d = reach ? pathDelay[q.source][q.destination] : INF;
            offset += reach ? alpha * volume * pathCost[q.source][q.destination] : 0;
            if (!(d <= deadline))
            {
                m.SetUpper(accept[r], 0); // unreachable in time: rejected
            }
            if (reach && m_options.linkCapacity)
            {
                // Constant load: lower the capacity left for the others.
                const TopologyPath& path = *paths[q.source][q.destination];
                for (uint32_t k = 0; k < path.links.size(); ++k)
                {
                    uint32_t l = path.links[k];
                    linkRows[l][p.topology.GetLink(l).a == path.nodes[k] ? 0 : 1].rhs -= rate;
                }
            }
            continue;
        }
        delay.Add(reconf, 1);
        delay.Add(accept[r], bigM);
        delay.rhs = deadline + bigM;
        m.AddRow(delay);
    }

    // (7) storage and (10) processing.
    for (uint32_t s = 0; s < nSlots; ++s)
    {
        AisfcMilpRow st;
        st.rhs = capacity[s];
        for (uint32_t i = 0; i < nInstances; ++i)
        {
            if (x[i][s] >= 0)
            {
                st.Add(x[i][s], used[i][s]);
            }
        }
        if (!st.cols.empty())
        {
            m.AddRow(st);
        }
    }
    for (uint32_t i = 0; i < nInstances; ++i)
    {
        AisfcMilpRow& pr = processing[i];
        for (uint32_t s = 0; s < nSlots; ++s)
        {
            if (x[i][s] >= 0)
            {
                pr.Add(x[i][s], -p.ProcessingCapacity(i, slots[s].kind) / 1e6);
            }
        }
        m.AddRow(pr);
    }
    if (m_options.linkCapacity)
    {
        for (uint32_t l = 0; l < p.topology.GetNLinks(); ++l)
        {
            for (AisfcMilpRow& row : linkRows[l])
            {
                row.rhs += p.topology.GetLink(l).capacityBps / 1e6;
                if (!row.cols.empty())
                {
                    m.AddRow(row);
                }
            }
        }
    }

    // Solve.
    AisfcMilpSolution solution = m.Minimize(m_options.timeLimit);
    PlacementIlpResult res;
    res.variables = m.Columns();
    res.constraints = m.Rows();
    switch (solution.status)
    {
    case AisfcMilpStatus::OPTIMAL:
        res.status = PlacementIlpStatus::OPTIMAL;
        break;
    case AisfcMilpStatus::TIME_LIMIT:
        res.status = PlacementIlpStatus::TIME_LIMIT;
        break;
    case AisfcMilpStatus::NO_SOLUTION:
        res.status = PlacementIlpStatus::NO_SOLUTION;
        break;
    case AisfcMilpStatus::INFEASIBLE:
        res.status = PlacementIlpStatus::INFEASIBLE;
        break;
    }
    if (res.HasSolution())
    {
        const double* sol = solution.values.data();
        res.objective = solution.objective + offset;
        res.bound = solution.bound + offset;
        PlacementDecision& d = res.decision;
        d.deployment = PlacementDeployment::Unplaced(nInstances);
        for (uint32_t i = 0; i < nInstances; ++i)
        {
            for (uint32_t s = 0; s < nSlots; ++s)
            {
                if (x[i][s] >= 0 && sol[x[i][s]] > 0.5)
                {
                    d.deployment.hosts[i] = slots[s];
                }
            }
        }
        d.assignment.instances.resize(nRequests);
        res.mapping.paths.resize(nRequests);
        for (uint32_t r = 0; r < nRequests; ++r)
        {
            const PlacementRequest& q = p.requests[r];
            uint32_t at = q.source;
            for (uint32_t k = 0; k < q.chain.size(); ++k)
            {
                uint32_t first = p.FirstInstance(q.chain[k]);
                uint32_t chosen = first;
                for (uint32_t j = 0; j < y[r][k].size(); ++j)
                {
                    if (sol[y[r][k][j]] > 0.5)
                    {
                        chosen = first + j;
                    }
                }
                d.assignment.instances[r].push_back(chosen);
                uint32_t node = d.deployment.hosts[chosen] ? d.deployment.hosts[chosen]->node : at;
                res.mapping.paths[r].push_back(paths[at][node].value_or(TopologyPath()));
                at = node;
            }
            res.mapping.paths[r].push_back(paths[at][q.destination].value_or(TopologyPath()));
        }
    }
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return res;
}

PlacementDecision
PlacementIlp::Decide(const PlacementProblem& problem,
                     uint32_t slot,
                     const PlacementDeployment& previous,
                     const PlacementAssignment& previousAssignment,
                     std::mt19937_64& rng)
{
    PlacementIlpResult res = Solve(problem, slot, previous);
    if (res.HasSolution())
    {
        return res.decision;
    }
    return PlacementLag().Decide(problem, slot, previous, previousAssignment, rng);
}

namespace
{

const bool g_registered = [] {
    PlacementPolicyRegistry::Register(
        "ilp",
        "ilp: exact slot optimum by COIN-OR CBC on fixed least-delay paths ({\"timeLimit\": 60, "
        "\"rejectionPenalty\": 100, \"linkCapacity\": true})",
        [](const nlohmann::json& params) {
            JsonReader reader(params, "placement policy 'ilp'");
            PlacementIlpOptions o;
            o.timeLimit = reader.GetDuration("timeLimit", o.timeLimit);
            o.rejectionPenalty = reader.GetNumber("rejectionPenalty", o.rejectionPenalty);
            o.linkCapacity = reader.GetBool("linkCapacity", o.linkCapacity);
            reader.Finish();
            if (!(o.timeLimit > 0) || !(o.rejectionPenalty >= 0))
            {
                throw AisfcInputError(reader.Place(),
                                      "timeLimit must be positive and rejectionPenalty >= 0");
            }
            return std::unique_ptr<PlacementPolicy>(new PlacementIlp(o));
        });
    return true;
}();

} // namespace

} // namespace ns3
