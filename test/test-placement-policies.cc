/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Placement policies: the registry, the RANDOM and LAG benchmarks (never an overfilled memory
// over random states, same seed same decisions, LAG ahead of RANDOM), and the exact ILP
// (equal to a brute force on a hand-made instance, never above RANDOM or LAG).

#include "ns3/aisfc-error.h"
#include "ns3/placement-evaluator.h"
#include "ns3/placement-filters.h"
#include "ns3/placement-generator.h"
#include "ns3/placement-ilp.h"
#include "ns3/placement-lag.h"
#include "ns3/placement-policy.h"
#include "ns3/placement-random.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <iostream>
#include <random>

using namespace ns3;

namespace
{

// A tree (unique paths, so every link mapping agrees): s1 - s0 - m0.  s0 has 6 MB of local
// memory in 1 MB blocks and 100 MB of external memory; s1 has 3 MB of local memory and no
// RDMA table; m0 is a 30 MB server.  f0 (2 instances): 4 MB in a switch, 10 MB on a server;
// f1: 2 MB in a switch, 20 MB on a server.  r0: s1 -> s0 through f0; r1: s0 -> s1 through
// f0, f1.  Before: every instance on m0.
PlacementProblem
TinyProblem()
{
    PlacementProblem p;
    p.name = "tiny";
    p.topology = AisfcTopology("tiny");
    for (const char* name : {"s0", "s1", "m0"})
    {
        p.topology.AddNode({name, name[0] == 's' ? NodeRole::SWITCH : NodeRole::SERVER, {}, {}});
    }
    p.topology.AddLink({0, 1, 1e9, 1e-3, 1});
    p.topology.AddLink({0, 2, 1e9, 2e-3, 1});
    p.linkCostPerMB = {0.01, 0.02};
    PlacementNode s0;
    s0.localBytes = 6000000;
    s0.externalBytes = 100000000;
    s0.rdmaTableBytes = 2000000;
    s0.localCostPerMB = 0.004;
    s0.externalCostPerMB = 0.003;
    s0.controllerBps = 1e9;
    s0.controllerCostPerMB = 0.001;
    s0.rdmaAccessDelay = 1e-4;
    s0.delayPerMB = {1e-4, 1e-4};
    PlacementNode s1 = s0;
    s1.localBytes = 3000000;
    s1.externalBytes = 0;
    s1.rdmaTableBytes = 0;
    s1.localCostPerMB = 0.005;
    PlacementNode m0;
    m0.type = PlacementNodeType::SERVER;
    m0.serverBytes = 30000000;
    m0.serverCostPerMB = 0.0001;
    m0.delayPerMB = {2e-3, 3e-3};
    p.nodes = {s0, s1, m0};
    p.types = {{"f0", 2, 4000000, 10000000, 4000000, 1e9, 2e7},
               {"f1", 1, 2000000, 20000000, 2000000, 1e9, 2e7}};
    p.requests = {{"r0", 1, 0, {0}, {1.6e7}, {0.03}}, {"r1", 0, 1, {0, 1}, {8e6}, {0.045}}};
    p.sramBlockBytes = 1000000;
    p.slots = 1;
    PlacementHostSlot m{2, PlacementHostKind::SERVER};
    p.initialDeployment.hosts = {m, PlacementHostSlot{0, PlacementHostKind::LOCAL}, std::nullopt};
    p.initialAssignment.instances = {{0}, {1, 2}};
    p.Validate();
    return p;
}

// The srem preset with fewer chains (and a shorter horizon): instances the ILP solves fast.
PlacementProblem
SmallSrem(uint64_t seed, uint32_t requests, uint32_t slots = 2)
{
    PlacementGeneratorConfig c = PlacementGenerator::Preset("srem");
    c.requests = requests;
    c.slots = slots;
    return PlacementGenerator(c).Generate(seed);
}

bool
SameDecision(const PlacementDecision& a, const PlacementDecision& b)
{
    return a.deployment.hosts == b.deployment.hosts &&
           a.assignment.instances == b.assignment.instances;
}

} // namespace

TEST_CASE("Placement policy registry names its policies", "[placement-policy]")
{
    for (const char* name : {"random", "lag", "ilp"})
    {
        CHECK(PlacementPolicyRegistry::Has(name));
        CHECK(PlacementPolicyRegistry::Create(name)->GetName() == name);
    }
    std::vector<PlacementPolicyInfo> list = PlacementPolicyRegistry::List();
    REQUIRE(list.size() >= 3);
    CHECK(std::is_sorted(list.begin(), list.end(), [](const auto& a, const auto& b) {
        return a.name < b.name;
    }));
    try
    {
        PlacementPolicyRegistry::Create("greedy");
        FAIL("no error");
    }
    catch (const AisfcInputError& e)
    {
        std::string what = e.what();
        CHECK(what.find("unknown policy 'greedy'") != std::string::npos);
        CHECK(what.find("ilp, lag, random") != std::string::npos);
    }
    CHECK_THROWS_WITH(PlacementPolicyRegistry::Create("lag", {{"prune", true}}),
                      Catch::Contains("prune"));
    CHECK_THROWS_WITH(PlacementPolicyRegistry::Create("random", nlohmann::json::array()),
                      Catch::Contains("must be a JSON object"));
    CHECK_THROWS_AS(PlacementPolicyRegistry::Register("lag",
                                                      "again",
                                                      [](const nlohmann::json&) {
                                                          return std::unique_ptr<PlacementPolicy>(
                                                              new PlacementLag());
                                                      }),
                    std::logic_error);
}

TEST_CASE("Placement uniform index is portable and unbiased", "[placement-policy]")
{
    std::mt19937_64 a(7);
    std::mt19937_64 b(7);
    std::vector<uint32_t> counts(5, 0);
    for (int k = 0; k < 5000; ++k)
    {
        uint64_t x = PlacementUniformIndex(a, 5);
        REQUIRE(x < 5);
        ++counts[x];
        CHECK(PlacementUniformIndex(b, 5) == x);
    }
    for (uint32_t c : counts)
    {
        CHECK(c > 900);
        CHECK(c < 1100);
    }
    // The first draw of a default std::mt19937_64 is fixed by the standard: 14514284786278117030.
    std::mt19937_64 c; // default seed 5489
    CHECK(PlacementUniformIndex(c, 1000) == 14514284786278117030ull % 1000);
    CHECK_THROWS(PlacementUniformIndex(c, 0));
}

TEST_CASE("Placement random and lag never overfill a memory", "[placement-policy]")
{
    PlacementGeneratorConfig c = PlacementGenerator::Preset("srem");
    c.requests = 30;
    PlacementGenerator gen(c);
    uint32_t decisions = 0;
    for (uint64_t seed = 1; seed <= 8; ++seed)
    {
        PlacementProblem p = gen.Generate(seed);
        for (const char* name : {"random", "lag"})
        {
            auto policy = PlacementPolicyRegistry::Create(name);
            // Random previous states: the run's own, and a random policy's from another seed.
            std::vector<PlacementSlotResult> run = PlacementRunPolicy(*policy, p, seed);
            for (const PlacementSlotResult& r : run)
            {
                INFO(name << " seed " << seed);
                CHECK_FALSE(r.Has(PlacementViolationKind::STORAGE));
                CHECK_FALSE(r.Has(PlacementViolationKind::UNPLACED));
                ++decisions;
            }
            std::mt19937_64 rng(seed * 31);
            PlacementRandom random;
            PlacementDeployment prev = p.initialDeployment;
            PlacementAssignment prevA = p.initialAssignment;
            for (uint32_t t = 0; t < p.slots; ++t)
            {
                PlacementDecision state = random.Decide(p, t, prev, prevA, rng);
                PlacementDecision d = policy->Decide(p, t, state.deployment, state.assignment, rng);
                PlacementSlotResult r = PlacementEvaluateDecision(p, t, state.deployment, d);
                INFO(name << " seed " << seed << " slot " << t);
                CHECK_FALSE(r.Has(PlacementViolationKind::STORAGE));
                CHECK_FALSE(r.Has(PlacementViolationKind::UNPLACED));
                prev = state.deployment;
                prevA = state.assignment;
                ++decisions;
            }
        }
    }
    CHECK(decisions == 8 * 2 * 12);
}

TEST_CASE("Placement policies give the same decisions for the same seed", "[placement-policy]")
{
    PlacementProblem p = SmallSrem(5, 40, 3);
    for (const char* name : {"random", "lag"})
    {
        auto policy = PlacementPolicyRegistry::Create(name);
        std::mt19937_64 a(99);
        std::mt19937_64 b(99);
        PlacementDecision da = policy->Decide(p, 0, p.initialDeployment, p.initialAssignment, a);
        PlacementDecision db = PlacementPolicyRegistry::Create(name)->Decide(p,
                                                                             0,
                                                                             p.initialDeployment,
                                                                             p.initialAssignment,
                                                                             b);
        CHECK(SameDecision(da, db));
        std::vector<PlacementSlotResult> ra = PlacementRunPolicy(*policy, p, 3);
        std::vector<PlacementSlotResult> rb = PlacementRunPolicy(*policy, p, 3);
        for (uint32_t t = 0; t < p.slots; ++t)
        {
            CHECK(ra[t].totalCost == rb[t].totalCost);
            CHECK(ra[t].accepted == rb[t].accepted);
        }
    }
    // Different seeds move random's instances differently.
    PlacementRandom random;
    std::mt19937_64 a(1);
    std::mt19937_64 b(2);
    CHECK_FALSE(SameDecision(random.Decide(p, 0, p.initialDeployment, p.initialAssignment, a),
                             random.Decide(p, 0, p.initialDeployment, p.initialAssignment, b)));
}

TEST_CASE("Placement lag beats random on srem instances", "[placement-policy]")
{
    PlacementGenerator gen;
    double cost[2] = {0, 0};
    double acceptance[2] = {0, 0};
    uint32_t n = 0;
    for (uint64_t seed = 11; seed <= 14; ++seed)
    {
        PlacementProblem p = gen.Generate(seed);
        int k = 0;
        for (const char* name : {"random", "lag"})
        {
            auto policy = PlacementPolicyRegistry::Create(name);
            for (const PlacementSlotResult& r : PlacementRunPolicy(*policy, p, seed))
            {
                cost[k] += r.totalCost;
                acceptance[k] += r.acceptanceRatio;
            }
            ++k;
        }
        n += p.slots;
    }
    std::cout << "srem seeds 11-14, mean per slot: random cost " << cost[0] / n << " acceptance "
              << acceptance[0] / n << "; lag cost " << cost[1] / n << " acceptance "
              << acceptance[1] / n << "\n";
    CHECK((cost[1] < cost[0] || acceptance[1] > acceptance[0]));
}

TEST_CASE("Placement ilp equals a brute force on a tiny instance", "[placement-policy]")
{
    PlacementProblem p = TinyProblem();
    const double penalty = 100;
    PlacementIlpOptions o;
    o.rejectionPenalty = penalty;
    PlacementIlp ilp(o);
    PlacementIlpResult res = ilp.Solve(p, 0, p.initialDeployment);
    REQUIRE(res.status == PlacementIlpStatus::OPTIMAL);
    CHECK(PlacementIlpStatusName(res.status) == "optimal");
    CHECK(res.bound == Approx(res.objective).epsilon(1e-6));

    // The evaluator on the ILP's fixed paths (unique in a tree) prices it the same.
    PlacementEvaluator ev(p);
    PlacementSlotResult r = ev.Evaluate(0,
                                        p.initialDeployment,
                                        res.decision.deployment,
                                        res.decision.assignment,
                                        res.mapping);
    CHECK(r.Feasible());
    CHECK(PlacementIlp::Objective(r, penalty) == Approx(res.objective).epsilon(1e-9));
    PlacementLinkMapping shared =
        PlacementMapLinks(p, 0, res.decision.deployment, res.decision.assignment);
    for (uint32_t q = 0; q < p.requests.size(); ++q)
    {
        for (uint32_t v = 0; v < shared.paths[q].size(); ++v)
        {
            CHECK(shared.paths[q][v].nodes == res.mapping.paths[q][v].nodes);
            CHECK(shared.paths[q][v].links == res.mapping.paths[q][v].links);
        }
    }

    // Every host slot for each of the 3 instances, every assignment of the 3 positions.
    PlacementFilters f(p);
    const auto& slots = f.GetSlots();
    double best = std::numeric_limits<double>::infinity();
    uint32_t feasible = 0;
    for (uint32_t code = 0; code < slots.size() * slots.size() * slots.size(); ++code)
    {
        PlacementDeployment d = PlacementDeployment::Unplaced(3);
        uint32_t c = code;
        for (uint32_t i = 0; i < 3; ++i, c /= slots.size())
        {
            d.hosts[i] = slots[c % slots.size()];
        }
        for (uint32_t a0 : {0u, 1u})
        {
            for (uint32_t a1 : {0u, 1u})
            {
                PlacementAssignment a;
                a.instances = {{a0}, {a1, 2}};
                PlacementSlotResult e =
                    ev.Evaluate(0, p.initialDeployment, d, a, PlacementMapLinks(p, 0, d, a));
                if (e.Feasible())
                {
                    ++feasible;
                    best = std::min(best, PlacementIlp::Objective(e, penalty));
                }
            }
        }
    }
    std::cout << "tiny: " << feasible << " feasible configurations, brute force " << best
              << ", ilp " << res.objective << " (" << res.variables << " variables, "
              << res.constraints << " constraints, " << res.seconds << " s)\n";
    CHECK(feasible > 0);
    CHECK(res.objective == Approx(best).epsilon(1e-9));
    CHECK(r.accepted == 2);
}

TEST_CASE("Placement ilp is a lower bound for random and lag", "[placement-policy]")
{
    const double penalty = 100;
    PlacementIlpOptions o;
    o.rejectionPenalty = penalty;
    o.timeLimit = 10;
    PlacementIlp ilp(o);
    PlacementRandom random;
    PlacementLag lag;
    for (uint64_t seed : {21u, 22u, 23u})
    {
        PlacementProblem p = SmallSrem(seed, 6, 6);
        for (uint32_t t : {0u, 4u}) // a working-hours and an evening slot
        {
            PlacementIlpResult res = ilp.Solve(p, t, p.initialDeployment);
            REQUIRE(res.HasSolution());
            PlacementEvaluator ev(p);
            PlacementSlotResult own = ev.Evaluate(t,
                                                  p.initialDeployment,
                                                  res.decision.deployment,
                                                  res.decision.assignment,
                                                  res.mapping);
            CHECK_FALSE(own.Has(PlacementViolationKind::STORAGE));
            CHECK_FALSE(own.Has(PlacementViolationKind::PROCESSING));
            CHECK(PlacementIlp::Objective(own, penalty) ==
                  Approx(res.objective).epsilon(1e-6).margin(1e-9));
            PlacementSlotResult shared =
                PlacementEvaluateDecision(p, t, p.initialDeployment, res.decision);
            std::mt19937_64 rng(seed);
            double objectives[2];
            PlacementSlotResult results[2];
            int k = 0;
            for (PlacementPolicy* policy : {(PlacementPolicy*)&random, (PlacementPolicy*)&lag})
            {
                results[k] = PlacementEvaluateDecision(
                    p,
                    t,
                    p.initialDeployment,
                    policy->Decide(p, t, p.initialDeployment, p.initialAssignment, rng));
                objectives[k] = PlacementIlp::Objective(results[k], penalty);
                ++k;
            }
            std::cout << "srem-" << seed << " (" << p.requests.size() << " chains) slot " << t
                      << ": ilp " << res.objective << " [" << PlacementIlpStatusName(res.status)
                      << ", bound " << res.bound << ", " << res.seconds << " s, " << res.variables
                      << " vars] cost " << own.totalCost << " AR " << own.acceptanceRatio
                      << " (shared mapping: cost " << shared.totalCost << " AR "
                      << shared.acceptanceRatio << "); random " << objectives[0] << " cost "
                      << results[0].totalCost << " AR " << results[0].acceptanceRatio << "; lag "
                      << objectives[1] << " cost " << results[1].totalCost << " AR "
                      << results[1].acceptanceRatio << "\n";
            if (res.status == PlacementIlpStatus::OPTIMAL)
            {
                for (uint32_t j = 0; j < 2; ++j)
                {
                    if (results[j].Feasible())
                    {
                        CHECK(res.objective <= objectives[j] + 1e-6);
                    }
                }
            }
        }
    }
}
