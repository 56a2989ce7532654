/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "placement-policy.h"

#include "placement-filters.h"

#include "ns3/aisfc-error.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace ns3
{

namespace
{

struct Entry
{
    std::string description;
    PlacementPolicyFactory factory;
};

// A function-local static: policies register from static initialisers of other translation
// units, whose order is unspecified.
std::map<std::string, Entry>&
Registry()
{
    static std::map<std::string, Entry> registry;
    return registry;
}

} // namespace

void
PlacementPolicyRegistry::Register(const std::string& name,
                                  const std::string& description,
                                  PlacementPolicyFactory factory)
{
    if (name.empty() || !factory)
    {
        throw std::logic_error("placement policy registration needs a name and a factory");
    }
    if (!Registry().emplace(name, Entry{description, std::move(factory)}).second)
    {
        throw std::logic_error("placement policy '" + name + "' is registered twice");
    }
}

std::unique_ptr<PlacementPolicy>
PlacementPolicyRegistry::Create(const std::string& name, const nlohmann::json& params)
{
    auto it = Registry().find(name);
    if (it == Registry().end())
    {
        std::string known;
        for (const auto& [n, e] : Registry())
        {
            known += (known.empty() ? "" : ", ") + n;
        }
        throw AisfcInputError("placement policy",
                              "unknown policy '" + name + "' (known: " + known + ")");
    }
    if (!params.is_null() && !params.is_object())
    {
        throw AisfcInputError("placement policy '" + name + "'",
                              "parameters must be a JSON object, got " + params.dump());
    }
    return it->second.factory(params.is_null() ? nlohmann::json::object() : params);
}

bool
PlacementPolicyRegistry::Has(const std::string& name)
{
    return Registry().count(name) > 0;
}

std::vector<PlacementPolicyInfo>
PlacementPolicyRegistry::List()
{
    std::vector<PlacementPolicyInfo> out;
    for (const auto& [name, e] : Registry())
    {
        out.push_back({name, e.description});
    }
    return out;
}

uint64_t
PlacementUniformIndex(std::mt19937_64& rng, uint64_t n)
{
    if (n == 0)
    {
        throw std::invalid_argument("PlacementUniformIndex: empty range");
    }
    // Reject the lowest (2^64 mod n) values so every residue is equally likely.
    const uint64_t threshold = (uint64_t(0) - n) % n;
    uint64_t x;
    do
    {
        x = rng();
    } while (x < threshold);
    return x % n;
}

std::vector<std::vector<PlacementHostProbe>>
PlacementProbeHosts(const PlacementProblem& p, uint32_t slot, const PlacementDeployment& previous)
{
    const uint32_t nInstances = p.InstanceCount();
    PlacementEvaluator evaluator(p);
    PlacementFilters filters(p);
    const std::vector<PlacementHostSlot>& slots = filters.GetSlots();
    std::vector<std::vector<PlacementHostProbe>> probes(
        nInstances,
        std::vector<PlacementHostProbe>(slots.size()));
    PlacementLinkMapping noLinks;
    for (const PlacementRequest& q : p.requests)
    {
        noLinks.paths.emplace_back(q.chain.size() + 1);
    }
    for (uint32_t i = 0; i < nInstances; ++i)
    {
        uint32_t type = p.InstanceType(i);
        PlacementAssignment a;
        for (const PlacementRequest& q : p.requests)
        {
            std::vector<uint32_t> row;
            for (uint32_t f : q.chain)
            {
                row.push_back(f == type ? i : p.FirstInstance(f));
            }
            a.instances.push_back(row);
        }
        for (uint32_t s = 0; s < slots.size(); ++s)
        {
            if (!filters.Static(i).allowed[s])
            {
                continue;
            }
            PlacementDeployment alone = PlacementDeployment::Unplaced(nInstances);
            alone.hosts[i] = slots[s];
            PlacementSlotResult res = evaluator.Evaluate(slot, previous, alone, a, noLinks);
            PlacementHostProbe& pr = probes[i][s];
            pr.valid = true;
            pr.cost = p.weights.alpha * res.itCost + p.weights.beta * res.reconfigurationCost;
            pr.migrated = res.migrated[i];
            pr.programmed = res.programmed[i];
            pr.reconfigurationDelay = std::max(res.migrationDelay, res.programmingDelay);
            for (const PlacementRequestResult& q : res.requests)
            {
                pr.hostDelay.push_back(q.processingDelay + q.rdmaDelay);
            }
        }
    }
    return probes;
}

PlacementSlotResult
PlacementEvaluateDecision(const PlacementProblem& problem,
                          uint32_t slot,
                          const PlacementDeployment& previous,
                          const PlacementDecision& decision)
{
    PlacementLinkMapping mapping =
        PlacementMapLinks(problem, slot, decision.deployment, decision.assignment);
    return PlacementEvaluator(problem).Evaluate(slot,
                                                previous,
                                                decision.deployment,
                                                decision.assignment,
                                                mapping);
}

std::vector<PlacementSlotResult>
PlacementRunPolicy(PlacementPolicy& policy, const PlacementProblem& problem, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    PlacementDeployment previous = problem.initialDeployment;
    PlacementAssignment previousAssignment = problem.initialAssignment;
    std::vector<PlacementSlotResult> results;
    for (uint32_t t = 0; t < problem.slots; ++t)
    {
        PlacementDecision d = policy.Decide(problem, t, previous, previousAssignment, rng);
        results.push_back(PlacementEvaluateDecision(problem, t, previous, d));
        previous = d.deployment;
        previousAssignment = d.assignment;
    }
    return results;
}

} // namespace ns3
