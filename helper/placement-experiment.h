/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PLACEMENT_EXPERIMENT_H
#define PLACEMENT_EXPERIMENT_H

#include "ns3/placement-policy.h"
#include "ns3/placement-problem.h"

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * \brief Write a placement data set: DIR/generator.json (the generator configuration, seed and
 * sizes), DIR/train.jsonl and DIR/test.jsonl (one PlacementProblem::ToJson per line; item k
 * of the set has seed PlacementGenerator::SetSeed(seed, k), the test items follow the
 * training items).  Each file is written atomically.
 * \param dir output directory (created)
 * \param config generator configuration JSON ({"preset": "srem", ...})
 * \param seed the data set's seed
 * \param train training problems
 * \param test test problems
 * \throws AisfcInputError on a bad configuration
 */
void PlacementWriteDataSet(const std::string& dir,
                           const nlohmann::json& config,
                           uint64_t seed,
                           uint32_t train,
                           uint32_t test);

/**
 * \ingroup aisfc
 * \brief Read one part of a data set written by PlacementWriteDataSet.
 * \param dir the data set directory
 * \param part "train" or "test"
 * \return the problems, in file order
 * \throws AisfcInputError naming file, line and JSON path of the first bad problem
 */
std::vector<PlacementProblem> PlacementReadDataSet(const std::string& dir, const std::string& part);

/**
 * \ingroup aisfc
 * \brief Run a policy over every slot of every problem (PlacementRunPolicy, seed + problem
 * index) and summarise as `./aisfc placement eval` writes it: {"policy", "problems",
 * "overall": {...}, "slots": [{"slot", "start", ...}]}, each with "acceptance_ratio",
 * "total_cost", "it_cost", "bandwidth_cost", "reconfiguration_cost", "reward",
 * "feasible_ratio" and "usage": {"server", "local", "external"} (shares of the placed
 * instances), means over problems (and, overall, over slots too).  No wall time: results are
 * byte-identical for the same inputs; callers time the call.
 * \param policy the policy
 * \param problems the problems (same substrate size)
 * \param seed seeds each problem's run
 * \param progress called after each problem with the number done (may be empty)
 * \return the summary
 */
nlohmann::json PlacementEvaluateSet(PlacementPolicy& policy,
                                    const std::vector<PlacementProblem>& problems,
                                    uint64_t seed,
                                    const std::function<void(size_t)>& progress = {});

/**
 * \ingroup aisfc
 * \brief The ILP's optimality gap of policies on problems cut to their first `requests`
 * requests: every slot of every problem starts from the ILP's configuration of the slot
 * before (the initial one first); the ILP (rejection penalty 100, so it accepts whatever it
 * can) and each policy decide the slot, and both are evaluated alike (shared link mapping).
 * \param policies the policies to compare
 * \param problems the problems
 * \param requests requests kept per problem
 * \param seed seeds the policies
 * \param ilpSeconds receives the ILP's solve time (may be null; kept out of the result so that
 *        it stays byte-identical)
 * \return {"requests", "problems", "slots", "ilp": {"total_cost", "acceptance_ratio",
 *          "optimal_slots"}, "policies": {name: {"total_cost",
 *          "acceptance_ratio", "cost_gap": (cost - ilp cost) / ilp cost, "acceptance_gap":
 *          ilp acceptance - acceptance}}}, means over slots
 */
nlohmann::json PlacementIlpGaps(const std::vector<PlacementPolicy*>& policies,
                                const std::vector<PlacementProblem>& problems,
                                uint32_t requests,
                                uint64_t seed,
                                double* ilpSeconds = nullptr);

} // namespace ns3

#endif // PLACEMENT_EXPERIMENT_H
