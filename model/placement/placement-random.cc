/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "placement-random.h"

#include "placement-filters.h"

#include "ns3/aisfc-json-reader.h"

#include <numeric>

namespace ns3
{

std::string
PlacementRandom::GetName() const
{
    return "random";
}

PlacementDecision
PlacementRandom::Decide(const PlacementProblem& problem,
                        uint32_t slot,
                        const PlacementDeployment& /* previous */,
                        const PlacementAssignment& /* previousAssignment */,
                        std::mt19937_64& rng)
{
    uint32_t n = problem.InstanceCount();
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    for (uint32_t k = n; k > 1; --k) // Fisher-Yates with the portable uniform mapping
    {
        std::swap(order[k - 1], order[PlacementUniformIndex(rng, k)]);
    }
    PlacementFilters filters(problem);
    PlacementDecision d;
    d.deployment = PlacementDeployment::Unplaced(n);
    for (uint32_t i : order)
    {
        std::vector<uint32_t> allowed =
            filters.Mask(PlacementFilterMode::HYBRID, d.deployment, i).Allowed();
        if (!allowed.empty())
        {
            d.deployment.hosts[i] =
                filters.GetSlots()[allowed[PlacementUniformIndex(rng, allowed.size())]];
        }
    }
    d.assignment = PlacementAssignNearest(problem, slot, d.deployment);
    return d;
}

namespace
{

const bool g_registered = [] {
    PlacementPolicyRegistry::Register(
        "random",
        "random: each instance to a uniformly random host slot with room (no parameters)",
        [](const nlohmann::json& params) {
            JsonReader(params, "placement policy 'random'").Finish();
            return std::unique_ptr<PlacementPolicy>(new PlacementRandom());
        });
    return true;
}();

} // namespace

} // namespace ns3
