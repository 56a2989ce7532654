/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The one feasibility function of placement: static and dynamic masks from the memory
// accountant, their reasons, the filter modes, and the property every policy relies on:
// choosing only from the dynamic mask never overfills a memory.

#include "ns3/placement-evaluator.h"
#include "ns3/placement-filters.h"
#include "ns3/placement-generator.h"
#include "ns3/placement-storage.h"

#include <catch2/catch.hpp>
#include <random>

using namespace ns3;

namespace
{

// s0 (switch: 6 MB of local memory in 1 MB blocks, 100 MB external), s1 (switch without an
// RDMA table), m0 (server, 30 MB).  f0: 4 MB in a switch, 10 MB on a server, 2 instances;
// f1: 20 MB everywhere.
PlacementProblem
SmallProblem()
{
    PlacementProblem p;
    p.topology = AisfcTopology("small");
    for (const char* name : {"s0", "s1", "m0"})
    {
        p.topology.AddNode({name, name[0] == 's' ? NodeRole::SWITCH : NodeRole::SERVER, {}, {}});
    }
    p.topology.AddLink({0, 1, 1e9, 1e-3, 1});
    p.topology.AddLink({0, 2, 1e9, 1e-3, 1});
    p.linkCostPerMB = {0, 0};
    PlacementNode s0;
    s0.localBytes = 6000000;
    s0.externalBytes = 100000000;
    s0.rdmaTableBytes = 6000000;
    s0.controllerBps = 1e9;
    s0.delayPerMB = {0, 0};
    PlacementNode s1 = s0;
    s1.rdmaTableBytes = 0;
    PlacementNode m0;
    m0.type = PlacementNodeType::SERVER;
    m0.serverBytes = 30000000;
    m0.delayPerMB = {0, 0};
    p.nodes = {s0, s1, m0};
    p.types = {{"f0", 2, 4000000, 10000000, 4000000, 1e9, 1e9},
               {"f1", 1, 20000000, 20000000, 20000000, 1e9, 1e9}};
    p.sramBlockBytes = 1000000;
    p.Validate();
    return p;
}

} // namespace

TEST_CASE("Placement static mask is total capacity", "[placement]")
{
    PlacementProblem p = SmallProblem();
    PlacementFilters f(p);
    // Slots: s0/local, s0/external, s1/local, s1/external, m0/server.
    REQUIRE(f.GetSlots().size() == 5);
    CHECK(f.Static(0).allowed == std::vector<bool>{true, true, true, false, true});
    CHECK(f.Static(0).reasons[3] ==
          "s1/external: s1: 4000000 bytes needs 4000000 bytes of external memory, 0 free of 0 "
          "(no RDMA table reaches it)");
    // f1 (20 MB) fits no local memory of 6 MB.
    const PlacementMask& m = f.Static(2);
    CHECK(m.allowed == std::vector<bool>{false, true, false, false, true});
    CHECK(m.reasons[0] == "s0/local: s0: 20000000 bytes needs 20 SRAM blocks, 6 free of 6");
    CHECK(m.reasons[1].empty());
    CHECK(m.Count() == 2);
    CHECK(m.Allowed() == std::vector<uint32_t>{1, 4});
}

TEST_CASE("Placement dynamic mask is the room left by the others", "[placement]")
{
    PlacementProblem p = SmallProblem();
    PlacementFilters f(p);
    PlacementDeployment d = PlacementDeployment::Unplaced(3);
    d.hosts[0] = PlacementHostSlot{0, PlacementHostKind::LOCAL};  // f0#0: 4 of s0's 6 blocks
    d.hosts[2] = PlacementHostSlot{2, PlacementHostKind::SERVER}; // f1#0: 20 of m0's 30 MB

    PlacementMask m1 = f.Dynamic(d, 1); // f0#1: 4 MB in a switch, 10 MB on a server
    CHECK(m1.allowed == std::vector<bool>{false, true, true, false, true});
    CHECK(m1.reasons[0] == "s0/local: s0: 4000000 bytes needs 4 SRAM blocks, 2 free of 6");
    // The instance's own place counts as free: f0#0 may stay where it is.
    CHECK(f.Dynamic(d, 0).allowed[0]);
    // m0 is full once f0#1 takes 10 MB of it.
    d.hosts[1] = PlacementHostSlot{2, PlacementHostKind::SERVER};
    CHECK_FALSE(f.Dynamic(d, 0).allowed[4]);
    CHECK(f.Dynamic(d, 0).reasons[4] ==
          "m0/server: m0: 10000000 bytes needs 10000000 bytes of server memory, 0 free of "
          "30000000");

    SECTION("modes")
    {
        CHECK(f.Mask(PlacementFilterMode::NONE, d, 2).Count() == 5);
        CHECK(f.Mask(PlacementFilterMode::STATIC, d, 2).allowed == f.Static(2).allowed);
        CHECK(f.Mask(PlacementFilterMode::DYNAMIC, d, 2).allowed == f.Dynamic(d, 2).allowed);
        CHECK(f.Mask(PlacementFilterMode::HYBRID, d, 2).allowed == f.Dynamic(d, 2).allowed);
        for (auto mode : {PlacementFilterMode::NONE,
                          PlacementFilterMode::STATIC,
                          PlacementFilterMode::DYNAMIC,
                          PlacementFilterMode::HYBRID})
        {
            CHECK(PlacementParseFilterMode(PlacementFilterModeName(mode)) == mode);
        }
        CHECK(PlacementFilterModeName(PlacementFilterMode::HYBRID) == "hybrid");
        CHECK_FALSE(PlacementParseFilterMode("both"));
    }
}

TEST_CASE("Placement storage keeps the accountant's books", "[placement]")
{
    PlacementProblem p = SmallProblem();
    PlacementStorage s(p);
    PlacementHostSlot local{0, PlacementHostKind::LOCAL};
    CHECK(s.CapacityBytes(local) == 6000000);
    REQUIRE(s.Place(0, local).ok);
    CHECK(s.UsedBytes(local) == 4000000);
    CHECK(s.FreeBytes(local) == 2000000);
    CHECK(s.Where(0) == local);
    CHECK_FALSE(s.Place(0, local).ok); // already placed
    CHECK(s.GetAccountant(0).Find("instance f0#0") != nullptr);
    CHECK(s.Remove(0));
    CHECK_FALSE(s.Remove(0));
    CHECK(s.FreeBytes(local) == 6000000);
}

TEST_CASE("Placement random moves within the dynamic mask never overfill storage", "[placement]")
{
    PlacementGenerator gen;
    std::mt19937_64 rng(2024);
    uint32_t moves = 0;
    for (uint64_t seed = 1; seed <= 12; ++seed)
    {
        PlacementProblem p = gen.Generate(seed);
        PlacementFilters f(p);
        PlacementEvaluator ev(p);
        uint32_t n = p.InstanceCount();
        // Two starts: the generator's deployment, and nothing placed (instances then placed one
        // at a time in random order, as a policy building a deployment does).
        for (bool fromScratch : {false, true})
        {
            PlacementDeployment d =
                fromScratch ? PlacementDeployment::Unplaced(n) : p.initialDeployment;
            PlacementDeployment previous = d;
            for (uint32_t step = 0; step < 40; ++step)
            {
                uint32_t i = uint32_t(rng() % n);
                PlacementMask m = f.Mask(PlacementFilterMode::DYNAMIC, d, i);
                // The dynamic mask never allows what the static one forbids.
                for (uint32_t k = 0; k < m.allowed.size(); ++k)
                {
                    CHECK((!m.allowed[k] || f.Static(i).allowed[k]));
                    CHECK(m.allowed[k] == m.reasons[k].empty());
                }
                std::vector<uint32_t> allowed = m.Allowed();
                REQUIRE_FALSE(allowed.empty()); // servers of GBs always have room
                d.hosts[i] = f.GetSlots()[allowed[rng() % allowed.size()]];
                ++moves;
                PlacementStorage storage(p);
                CHECK(storage.PlaceAll(d).empty());
            }
            for (uint32_t i = 0; i < n; ++i)
            {
                if (!d.hosts[i])
                {
                    PlacementMask m = f.Dynamic(d, i);
                    d.hosts[i] = f.GetSlots()[m.Allowed().front()];
                }
            }
            for (uint32_t slot = 0; slot < p.slots; ++slot)
            {
                PlacementAssignment a = PlacementAssignNearest(p, slot, d);
                PlacementSlotResult r =
                    ev.Evaluate(slot, previous, d, a, PlacementMapLinks(p, slot, d, a));
                CHECK_FALSE(r.Has(PlacementViolationKind::STORAGE));
                CHECK_FALSE(r.Has(PlacementViolationKind::UNPLACED));
            }
        }
    }
    CHECK(moves == 12 * 2 * 40);
}
