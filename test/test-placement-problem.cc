/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The SR-EM cost and delay model on a hand-built substrate whose every number is worked out
// below: IT, bandwidth, migration and programming costs, the deployment change cases of eq. 6,
// the four delay parts of a request, deadlines, capacity violations and the reward.

#include "ns3/placement-evaluator.h"
#include "ns3/placement-problem.h"

#include <catch2/catch.hpp>

using namespace ns3;

namespace
{

constexpr uint32_t S0 = 0; // switch
constexpr uint32_t S1 = 1; // switch
constexpr uint32_t M0 = 2; // server
constexpr uint32_t M1 = 3; // server

// Instances: 0 = f0#0, 1 = f0#1, 2 = f1#0.
constexpr uint32_t F0A = 0;
constexpr uint32_t F0B = 1;
constexpr uint32_t F1 = 2;

PlacementNode
Switch(double controllerBps, double controllerCostPerMB)
{
    PlacementNode n;
    n.type = PlacementNodeType::SWITCH;
    n.localBytes = 8000000; // 8 blocks of 1 MB
    n.externalBytes = 100000000;
    n.rdmaTableBytes = 8000000; // f1 (20 MB) takes ceil(20 / 8) = 3 RDMA accesses
    n.localCostPerMB = 0.01;
    n.externalCostPerMB = 0.005;
    n.controllerBps = controllerBps;
    n.controllerCostPerMB = controllerCostPerMB;
    n.rdmaAccessDelay = 1e-6; // per access per MB
    n.delayPerMB = {0.1e-3, 0.2e-3};
    return n;
}

PlacementNode
Server(double costPerMB, std::vector<double> delayPerMB)
{
    PlacementNode n;
    n.type = PlacementNodeType::SERVER;
    n.serverBytes = 1000000000;
    n.serverCostPerMB = costPerMB;
    n.delayPerMB = delayPerMB;
    return n;
}

PlacementHostSlot
At(uint32_t node, PlacementHostKind kind)
{
    return PlacementHostSlot{node, kind};
}

// Everything on servers: f0#0 and f0#1 on m0, f1#0 on m1.
PlacementDeployment
Previous()
{
    PlacementDeployment d;
    d.hosts = {At(M0, PlacementHostKind::SERVER),
               At(M0, PlacementHostKind::SERVER),
               At(M1, PlacementHostKind::SERVER)};
    return d;
}

// f0#0 migrates m0 -> m1, f0#1 is programmed into s1's local memory, f1#0 into s0's external.
PlacementDeployment
Current()
{
    PlacementDeployment d;
    d.hosts = {At(M1, PlacementHostKind::SERVER),
               At(S1, PlacementHostKind::LOCAL),
               At(S0, PlacementHostKind::EXTERNAL)};
    return d;
}

/*
 * m0 --L1-- s0 --L0-- s1 --L2-- m1
 *
 * L0: 1 Gbps, 1 ms, 0.01 per MB    L1: 1 Gbps, 2 ms, 0.02 per MB    L2: 2 Gbps, 3 ms, 0.03 per MB
 * f0: 2 instances, 4 MB in a switch, 10 MB on a server, 4 MB to program, 10 Gbps / 100 Mbps
 * f1: 1 instance, 20 MB everywhere, 10 Gbps / 50 Mbps
 * s0: controller 8 Gbps at 0.001 per MB; s1: controller 4 Gbps at 0.002 per MB
 * m0: 0.001 per MB, 2 / 4 ms per MB (f0 / f1); m1: 0.002 per MB, 3 / 5 ms per MB
 * r0: s0 -> [f0, f1] -> s1 at 80 Mbps (10 MB per second), deadline 100 ms
 * r1: s1 -> [f0] -> s0 at 40 Mbps (5 MB), deadline 30 ms
 */
PlacementProblem
HandProblem(double l0Bps = 1e9)
{
    PlacementProblem p;
    p.name = "hand";
    p.topology = AisfcTopology("hand");
    for (const char* name : {"s0", "s1", "m0", "m1"})
    {
        TopologyNode n;
        n.name = name;
        n.role = name[0] == 's' ? NodeRole::SWITCH : NodeRole::SERVER;
        p.topology.AddNode(n);
    }
    p.topology.AddLink({S0, S1, l0Bps, 1e-3, 1});
    p.topology.AddLink({S0, M0, 1e9, 2e-3, 1});
    p.topology.AddLink({S1, M1, 2e9, 3e-3, 1});
    p.linkCostPerMB = {0.01, 0.02, 0.03};
    p.nodes = {Switch(8e9, 0.001),
               Switch(4e9, 0.002),
               Server(0.001, {2e-3, 4e-3}),
               Server(0.002, {3e-3, 5e-3})};
    p.types = {{"f0", 2, 4000000, 10000000, 4000000, 10e9, 100e6},
               {"f1", 1, 20000000, 20000000, 20000000, 10e9, 50e6}};
    p.requests = {{"r0", S0, S1, {0, 1}, {80e6}, {0.100}}, {"r1", S1, S0, {0}, {40e6}, {0.030}}};
    p.slots = 1;
    p.trafficWindow = 1;
    p.sramBlockBytes = 1000000;
    p.initialDeployment = Previous();
    p.initialAssignment.instances = {{F0A, F1}, {F0B}};
    p.Validate();
    return p;
}

PlacementSlotResult
Run(const PlacementProblem& p, const PlacementDeployment& prev, const PlacementDeployment& cur)
{
    PlacementAssignment a = p.initialAssignment;
    return PlacementEvaluate(p, 0, prev, cur, a, PlacementMapLinks(p, 0, cur, a));
}

} // namespace

TEST_CASE("Placement every cost term on the hand instance", "[placement]")
{
    PlacementProblem p = HandProblem();
    CHECK(p.InstanceCount() == 3);
    CHECK(p.InstanceName(F1) == "f1#0");
    CHECK(p.RdmaAccesses(1, S0) == 3);
    CHECK(p.TrafficMB(0, 0) == Approx(10));
    PlacementSlotResult r = Run(p, Previous(), Current());
    INFO(r.violations.size());
    REQUIRE(r.Feasible());

    // IT (eq. 2): f0#0 10 MB on m1 x 0.002 + f0#1 4 MB in s1's LM x 0.01 + f1#0 20 MB in s0's
    // EM x 0.005 = 0.02 + 0.04 + 0.1.
    CHECK(r.itCost == Approx(0.16));
    // Migration (eq. 5): f0#0's 10 MB over m0-s0-s1-m1 (L1, L0, L2) at 0.02 + 0.01 + 0.03.
    CHECK(r.migrationCost == Approx(0.6));
    // Programming (eq. 6): f0#1 4 MB to s1 at 0.002, f1#0 20 MB to s0 at 0.001.
    CHECK(r.programmingCost == Approx(0.008 + 0.02));
    CHECK(r.reconfigurationCost == Approx(0.628));
    // Bandwidth (eq. 3): r0 (10 MB) crosses s0-s1-m1 (0.04), m1-s1-s0 (0.04), s0-s1 (0.01);
    // r1 (5 MB) crosses s1-s0 (0.01): 0.9 + 0.05.
    CHECK(r.bandwidthCost == Approx(0.95));
    // Total (eq. 1), alpha = beta = 1: 0.16 + 0.95 + 0.628.
    CHECK(r.totalCost == Approx(1.738));
    CHECK(r.migrated == std::vector<bool>{true, false, false});
    CHECK(r.programmed == std::vector<bool>{false, true, true});

    // Loads: f0#0 and f1#0 serve r0 (80 Mbps), f0#1 serves r1 (40 Mbps).
    CHECK(r.instanceLoadBps == std::vector<double>{80e6, 40e6, 80e6});
    // L0 s0->s1: r0 twice (160 Mbps); s1->s0: r0 once and r1 (120 Mbps). L2 both ways 80.
    CHECK(r.linkLoadBps[0][0] == Approx(160e6));
    CHECK(r.linkLoadBps[0][1] == Approx(120e6));
    CHECK(r.linkLoadBps[1][0] == 0);
    CHECK(r.linkLoadBps[2][0] == Approx(80e6));
    CHECK(r.linkLoadBps[2][1] == Approx(80e6));
}

TEST_CASE("Placement every delay term on the hand instance", "[placement]")
{
    PlacementProblem p = HandProblem();
    PlacementSlotResult r = Run(p, Previous(), Current());
    // Migration delay (eq. 13): 10 MB = 80 Mbit over a 1 Gbps bottleneck (80 ms) plus the path's
    // 2 + 1 + 3 ms of propagation.
    CHECK(r.migrationDelay == Approx(0.086));
    // Programming delay (eq. 14): s0 gets 20 MB over 8 Gbps (20 ms), s1 4 MB over 4 Gbps (8 ms).
    CHECK(r.programmingDelay == Approx(0.020));

    const PlacementRequestResult& r0 = r.requests[0];
    // Reconfiguration (eq. 17): r0 uses the migrated f0#0 (86 ms) and f1#0 programmed on s0.
    CHECK(r0.reconfigurationDelay == Approx(0.086));
    // Processing (eq. 18): 10 MB x 3 ms on m1 + 10 MB x 0.2 ms in s0.
    CHECK(r0.processingDelay == Approx(0.030 + 0.002));
    // RDMA (eq. 15): 10 MB x 3 accesses x 1 us.
    CHECK(r0.rdmaDelay == Approx(30e-6));
    // Transmission (eq. 19): (1 + 3) + (3 + 1) + 1 ms.
    CHECK(r0.transmissionDelay == Approx(0.009));
    CHECK(r0.totalDelay == Approx(0.12703));

    const PlacementRequestResult& r1 = r.requests[1];
    CHECK(r1.reconfigurationDelay == Approx(0.008)); // s1's programming
    CHECK(r1.processingDelay == Approx(0.0005));     // 5 MB x 0.1 ms in s1
    CHECK(r1.rdmaDelay == 0);                        // local memory
    CHECK(r1.transmissionDelay == Approx(0.001));    // s1 -> s0 (s1 -> s1 is no hop)
    CHECK(r1.totalDelay == Approx(0.0095));
}

TEST_CASE("Placement deadline violation rejects a request", "[placement]")
{
    PlacementProblem p = HandProblem();
    PlacementSlotResult r = Run(p, Previous(), Current());
    // r0: 127.03 ms against 100 ms; r1: 9.5 ms against 30 ms.
    CHECK_FALSE(r.requests[0].accepted);
    CHECK_THAT(r.requests[0].reason,
               Catch::Contains("request 'r0'") && Catch::Contains("exceeds the deadline 100 ms"));
    CHECK(r.requests[1].accepted);
    CHECK(r.requests[1].reason.empty());
    CHECK(r.accepted == 1);
    CHECK(r.acceptanceRatio == 0.5);
    // Reward (eq. 20): w1 x 0.5 + w2 / (1 + 1.738).
    CHECK(r.reward == Approx(0.5 + 1.0 / 2.738));

    p.requests[0].deadline[0] = 0.128;
    PlacementSlotResult relaxed = Run(p, Previous(), Current());
    CHECK(relaxed.requests[0].accepted);
    CHECK(relaxed.acceptanceRatio == 1);
    CHECK(relaxed.reward == Approx(1 + 1.0 / 2.738));

    // Without the migration, r0 is served by f0#0 on m0: reconfiguration is s0's 20 ms.
    PlacementDeployment stay = Current();
    stay.hosts[F0A] = At(M0, PlacementHostKind::SERVER);
    PlacementSlotResult s = Run(p, Previous(), stay);
    CHECK(s.migrationCost == 0);
    CHECK(s.requests[0].reconfigurationDelay == Approx(0.020));
}

TEST_CASE("Placement deployment change cases of eq 6", "[placement]")
{
    PlacementProblem p = HandProblem();
    using K = PlacementHostKind;

    SECTION("unchanged costs nothing")
    {
        PlacementSlotResult r = Run(p, Current(), Current());
        CHECK(r.migrationCost == 0);
        CHECK(r.programmingCost == 0);
        CHECK(r.reconfigurationCost == 0);
        CHECK(r.migrationDelay == 0);
        CHECK(r.programmingDelay == 0);
        CHECK(r.requests[0].reconfigurationDelay == 0);
        CHECK(r.migrated == std::vector<bool>{false, false, false});
        CHECK(r.programmed == std::vector<bool>{false, false, false});
    }
    SECTION("server to server is a migration")
    {
        PlacementDeployment cur = Previous();
        cur.hosts[F0A] = At(M1, K::SERVER);
        PlacementSlotResult r = Run(p, Previous(), cur);
        CHECK(r.migrationCost == Approx(0.6));
        CHECK(r.programmingCost == 0);
        CHECK(r.migrationDelay == Approx(0.086));
    }
    SECTION("server to local memory is programming")
    {
        PlacementDeployment cur = Previous();
        cur.hosts[F0A] = At(S0, K::LOCAL);
        PlacementSlotResult r = Run(p, Previous(), cur);
        CHECK(r.migrationCost == 0);
        CHECK(r.programmingCost == Approx(4 * 0.001)); // 4 MB at s0's 0.001
        CHECK(r.programmingDelay == Approx(0.004));    // 32 Mbit over 8 Gbps
    }
    SECTION("server to external memory is programming")
    {
        PlacementDeployment cur = Previous();
        cur.hosts[F0A] = At(S1, K::EXTERNAL);
        PlacementSlotResult r = Run(p, Previous(), cur);
        CHECK(r.programmingCost == Approx(4 * 0.002)); // 4 MB at s1's 0.002
        CHECK(r.programmingDelay == Approx(0.008));    // 32 Mbit over 4 Gbps
    }
    SECTION("a switch to another switch is programming")
    {
        PlacementDeployment prev = Previous();
        prev.hosts[F0A] = At(S0, K::LOCAL);
        PlacementDeployment cur = Previous();
        cur.hosts[F0A] = At(S1, K::EXTERNAL);
        PlacementSlotResult r = Run(p, prev, cur);
        CHECK(r.programmingCost == Approx(0.008));
        CHECK(r.programmed[F0A]);
    }
    SECTION("the same switch and a switch to a server are not in the paper's cases")
    {
        PlacementDeployment prev = Previous();
        prev.hosts[F0A] = At(S0, K::LOCAL);
        prev.hosts[F0B] = At(S1, K::EXTERNAL);
        PlacementDeployment cur = Previous();
        cur.hosts[F0A] = At(S0, K::EXTERNAL); // local -> external of the same switch
        cur.hosts[F0B] = At(M1, K::SERVER);   // switch -> server
        PlacementSlotResult r = Run(p, prev, cur);
        CHECK(r.reconfigurationCost == 0);
        CHECK(r.programmingDelay == 0);
    }
    SECTION("a first deployment into a switch is programming")
    {
        PlacementDeployment prev = Previous();
        prev.hosts[F0A].reset();
        PlacementDeployment cur = Previous();
        cur.hosts[F0A] = At(S0, K::LOCAL);
        PlacementSlotResult r = Run(p, prev, cur);
        CHECK(r.programmingCost == Approx(0.004));
    }
    SECTION("programming traffic to one switch adds up")
    {
        PlacementDeployment cur = Previous();
        cur.hosts[F0A] = At(S0, K::LOCAL);
        cur.hosts[F0B] = At(S0, K::LOCAL);
        PlacementSlotResult r = Run(p, Previous(), cur);
        CHECK(r.programmingDelay == Approx(0.008)); // 8 MB over 8 Gbps
        CHECK(r.requests[1].reconfigurationDelay == Approx(0.008));
    }
}

TEST_CASE("Placement capacity violations zero the reward", "[placement]")
{
    using K = PlacementHostKind;
    SECTION("processing (eq 10)")
    {
        PlacementProblem p = HandProblem();
        p.types[1].switchCapacityBps = 50e6; // f1#0 in s0 gets r0's 80 Mbps
        PlacementSlotResult r = Run(p, Previous(), Current());
        REQUIRE(r.violations.size() == 1);
        CHECK(r.violations[0].kind == PlacementViolationKind::PROCESSING);
        CHECK(r.violations[0].index == F1);
        CHECK(r.violations[0].reason ==
              "instance f1#0 on s0/external receives 80 Mbps, can process 50 Mbps");
        CHECK(r.reward == 0);
        CHECK(r.acceptanceRatio == 0.5); // still reported
    }
    SECTION("storage (eq 7) through the memory accountant")
    {
        PlacementProblem p = HandProblem();
        PlacementDeployment cur = Current();
        cur.hosts[F1] = At(S0, K::LOCAL); // 20 MB in 8 MB
        PlacementSlotResult r = Run(p, Previous(), cur);
        REQUIRE(r.violations.size() == 1);
        const PlacementViolation& v = r.violations[0];
        CHECK(v.kind == PlacementViolationKind::STORAGE);
        CHECK(v.index == *p.HostSlotIndex(At(S0, K::LOCAL)));
        CHECK(v.instance == F1);
        CHECK_THAT(v.reason,
                   Catch::StartsWith("s0/local: s0: 'instance f1#0' (20000000 bytes) needs 20 "
                                     "SRAM blocks, 8 free of 8"));
        CHECK(r.reward == 0);
    }
    SECTION("an unplaced instance (eq 8) rejects its requests")
    {
        PlacementProblem p = HandProblem();
        PlacementDeployment cur = Current();
        cur.hosts[F0B].reset();
        PlacementSlotResult r = Run(p, Previous(), cur);
        CHECK(r.Has(PlacementViolationKind::UNPLACED));
        CHECK_FALSE(r.requests[1].accepted);
        CHECK_THAT(r.requests[1].reason, Catch::Contains("uses unplaced instance f0#1"));
        CHECK(r.reward == 0);
    }
    SECTION("links (eq 11) are reported; they zero the reward only when asked")
    {
        PlacementProblem p = HandProblem(100e6); // L0 at 100 Mbps carries 160 and 120
        PlacementSlotResult r = Run(p, Previous(), Current());
        REQUIRE(r.violations.size() == 2);
        CHECK(r.violations[0].kind == PlacementViolationKind::LINK);
        CHECK(r.violations[0].reason == "link s0->s1 carries 160 Mbps, bandwidth 100 Mbps");
        CHECK(r.violations[1].reason == "link s1->s0 carries 120 Mbps, bandwidth 100 Mbps");
        CHECK(r.reward > 0);
        p.weights.linkViolationZeroesReward = true;
        CHECK(Run(p, Previous(), Current()).reward == 0);
    }
}

TEST_CASE("Placement link mapping is load-weighted Dijkstra", "[placement]")
{
    // A square a-b-d, a-c-d of switches; two requests a -> [f0 in a] -> d take both routes.
    PlacementProblem p;
    p.topology = AisfcTopology("square");
    for (const char* name : {"a", "b", "c", "d"})
    {
        p.topology.AddNode({name, NodeRole::SWITCH, {}, {}});
        PlacementNode n;
        n.localBytes = 1 << 20;
        n.controllerBps = 1e9;
        n.delayPerMB = {0};
        p.nodes.push_back(n);
    }
    for (auto [x, y] : {std::pair{0u, 1u}, {1u, 3u}, {0u, 2u}, {2u, 3u}})
    {
        p.topology.AddLink({x, y, 1e9, 1e-3, 1});
        p.linkCostPerMB.push_back(0);
    }
    p.types = {{"f0", 1, 1000, 1000, 1000, 1e9, 1e9}};
    p.requests = {{"r0", 0, 3, {0}, {100e6}, {1}}, {"r1", 0, 3, {0}, {100e6}, {1}}};
    p.initialDeployment.hosts = {PlacementHostSlot{0, PlacementHostKind::LOCAL}};
    p.Validate();
    PlacementAssignment a = PlacementAssignNearest(p, 0, p.initialDeployment);
    CHECK(a.instances == std::vector<std::vector<uint32_t>>{{0}, {0}});
    PlacementLinkMapping m = PlacementMapLinks(p, 0, p.initialDeployment, a);
    CHECK(m.paths[0][0].nodes == std::vector<uint32_t>{0}); // source = host
    CHECK(m.paths[0][1].nodes == std::vector<uint32_t>{0, 1, 3});
    CHECK(m.paths[1][1].nodes == std::vector<uint32_t>{0, 2, 3});
    PlacementSlotResult r = PlacementEvaluate(p, 0, p.initialDeployment, p.initialDeployment, a, m);
    CHECK(r.programmingCost == 0);
    CHECK(r.acceptanceRatio == 1);

    // A path that does not join its virtual link's ends is a caller's error.
    m.paths[1][1].nodes = {1, 3};
    m.paths[1][1].links = {1};
    CHECK_THROWS_WITH(PlacementEvaluate(p, 0, p.initialDeployment, p.initialDeployment, a, m),
                      Catch::Contains("request 'r1' virtual link 1"));
}

TEST_CASE("Placement nearest assignment prefers close instances with room", "[placement]")
{
    PlacementProblem p = HandProblem();
    PlacementDeployment d = Previous();
    d.hosts[F0B] = At(S1, PlacementHostKind::LOCAL);
    // r0 from s0: f0#1 in s1 (1 ms away, 1 ms of processing) beats f0#0 on m0 (2 ms, 20 ms);
    // r1 from s1 takes f0#1 too (no hop).
    PlacementAssignment a = PlacementAssignNearest(p, 0, d);
    CHECK(a.instances == std::vector<std::vector<uint32_t>>{{F0B, F1}, {F0B}});
    // With f0#1 unable to take both, r1 goes to f0#0 (the only one with room).
    p.types[0].switchCapacityBps = 100e6;
    a = PlacementAssignNearest(p, 0, d);
    CHECK(a.instances == std::vector<std::vector<uint32_t>>{{F0B, F1}, {F0A}});
}

TEST_CASE("Placement host slots and names", "[placement]")
{
    PlacementProblem p = HandProblem();
    std::vector<PlacementHostSlot> slots = p.HostSlots();
    REQUIRE(slots.size() == 6); // 2 switches x (local, external) + 2 servers
    CHECK(slots[1] == At(S0, PlacementHostKind::EXTERNAL));
    CHECK(slots[4] == At(M0, PlacementHostKind::SERVER));
    for (uint32_t k = 0; k < slots.size(); ++k)
    {
        CHECK(p.HostSlotIndex(slots[k]) == k);
    }
    CHECK_FALSE(p.HostSlotIndex(At(M0, PlacementHostKind::LOCAL)));
    CHECK(p.HostSlotName(slots[3]) == "s1/external");
    CHECK(p.FindInstance("f0#1") == F0B);
    CHECK_FALSE(p.FindInstance("f1#1"));
    CHECK_FALSE(p.FindInstance("f0"));
    CHECK(PlacementParseHostKind("external") == PlacementHostKind::EXTERNAL);
    CHECK_FALSE(PlacementParseHostKind("tcam"));
}
