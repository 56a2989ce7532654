/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Packet-level validation of a placement decision on a hand-built line whose every delay is
// worked out below: a switch-hosted and a server-hosted function, steady packets against
// serialization + propagation + pipeline + processing to the nanosecond, a window's burst against
// the analytic V x delta, deadline misses, unplaced instances and pinned paths.

#include "ns3/aisfc-error.h"
#include "ns3/placement-validation.h"

#include <catch2/catch.hpp>

using namespace ns3;

namespace
{

constexpr uint32_t S0 = 0;
constexpr uint32_t S1 = 1;
constexpr uint32_t S2 = 2;
constexpr uint32_t M = 3;

// Instances: 0 = f0#0, 1 = f1#0.
constexpr uint32_t F0 = 0;
constexpr uint32_t F1 = 1;

/*
 *   s0 --L0-- s1 --L1-- s2        L0: 1 Gbps, 1 ms   L1: 1 Gbps, 2 ms   L2: 1 Gbps, 0.5 ms
 *              |
 *              L2
 *              |
 *              m (server)
 *
 * Switches process 0.1 ms per MB (any type), the server 10 ms per MB.
 * r0: s0 -> [f0] -> s2, f0#0 in s1's local memory.
 * r1: s0 -> [f1] -> s2, f1#0 on the server m.
 * Both at 9.984 Mbps over a 1 s window: V = 1.248 MB, exactly 1000 packets of 1248 bytes
 * (1200 bytes of UDP payload + 8 UDP + 40 IPv6), one every 1 ms in the steady phase.
 */
constexpr double RATE = 9.984e6;

PlacementNode
Switch()
{
    PlacementNode n;
    n.type = PlacementNodeType::SWITCH;
    n.localBytes = 4000000;
    n.externalBytes = 100000000;
    n.rdmaTableBytes = 500000; // f0 (1 MB) takes ceil(1 / 0.5) = 2 RDMA accesses
    n.localCostPerMB = 0.01;
    n.externalCostPerMB = 0.005;
    n.controllerBps = 50e9;
    n.controllerCostPerMB = 0.001;
    n.rdmaAccessDelay = 2e-6;
    n.delayPerMB = {0.1e-3, 0.1e-3};
    return n;
}

PlacementNode
Server()
{
    PlacementNode n;
    n.type = PlacementNodeType::SERVER;
    n.serverBytes = 1000000000;
    n.serverCostPerMB = 0.001;
    n.delayPerMB = {10e-3, 10e-3};
    return n;
}

PlacementProblem
LineProblem(double deadline = 0.050)
{
    PlacementProblem p;
    p.name = "validation-line";
    p.topology = AisfcTopology("validation-line");
    for (const char* name : {"s0", "s1", "s2", "m"})
    {
        TopologyNode n;
        n.name = name;
        n.role = name[0] == 's' ? NodeRole::SWITCH : NodeRole::SERVER;
        p.topology.AddNode(n);
    }
    p.topology.AddLink({S0, S1, 1e9, 1e-3, 1});
    p.topology.AddLink({S1, S2, 1e9, 2e-3, 1});
    p.topology.AddLink({S1, M, 1e9, 0.5e-3, 1});
    p.linkCostPerMB = {0.01, 0.01, 0.01};
    p.nodes = {Switch(), Switch(), Switch(), Server()};
    // Server capacity 1 Gbps: above the 800 Mbps that 10 ms per MB allows, so delta binds.
    p.types = {{"f0", 1, 1000000, 10000000, 1000000, 100e9, 1e9},
               {"f1", 1, 1000000, 10000000, 1000000, 100e9, 1e9}};
    p.requests = {{"r0", S0, S2, {0}, {RATE}, {deadline}}, {"r1", S0, S2, {1}, {RATE}, {deadline}}};
    p.slots = 1;
    p.trafficWindow = 1;
    p.sramBlockBytes = 16384;
    p.initialDeployment.hosts = {PlacementHostSlot{S1, PlacementHostKind::LOCAL},
                                 PlacementHostSlot{M, PlacementHostKind::SERVER}};
    p.initialAssignment.instances = {{F0}, {F1}};
    p.Validate();
    return p;
}

/// Keep only request `r` (and its assignment).
PlacementProblem
Only(PlacementProblem p, uint32_t r)
{
    p.requests = {p.requests[r]};
    p.initialAssignment.instances = {p.initialAssignment.instances[r]};
    return p;
}

/// The decision that keeps the initial configuration (no reconfiguration delay).
PlacementDecision
Keep(const PlacementProblem& p)
{
    return PlacementDecision{p.initialDeployment, p.initialAssignment};
}

PlacementValidationOptions
Fast()
{
    PlacementValidationOptions o;
    o.duration = 0.05; // 50 packets per request in the steady phase
    return o;
}

/*
 * Per packet: 1248 bytes + 40 (outer IPv6) + 8 (SRH) + 2 x 16 (the function's SID and End.DT6
 * at s2) = 1328 bytes on the wire, 1330 with PPP: 10.64 us on every 1 Gbps link.
 * PDP pipeline: 284 ns per switch a packet enters (the source's own pass included).
 * f0 in s1: 80 Gbps (8 / 0.1 ms per MB): 1328 x 8 / 80e9 = 132.8 ns, 133 ns at ns resolution.
 * f1 on m: 800 Mbps (8 / 10 ms per MB): 13.28 us.
 */
constexpr double TX = 10.64e-6;
constexpr double PIPE = 284e-9;

// r0: s0 -> s1 (f0) -> s2: 3 ms + 2 x 10.64 us + 3 x 284 ns + 133 ns = 3.022265 ms.
constexpr double R0_PACKET = 3e-3 + 2 * TX + 3 * PIPE + 133e-9;
// r1: s0 -> s1 -> m (f1) -> s1 -> s2: 4 ms + 4 x 10.64 us + 4 x 284 ns + 13.28 us = 4.056976 ms.
constexpr double R1_PACKET = 4e-3 + 4 * TX + 4 * PIPE + 13.28e-6;

} // namespace

TEST_CASE("Placement validation steady packets take serialization propagation pipeline and "
          "processing",
          "[placement]")
{
    PlacementProblem p = LineProblem();
    for (uint32_t r : {0u, 1u})
    {
        PlacementProblem one = Only(p, r);
        PlacementValidationReport v =
            PlacementValidateSlot(one, 0, one.initialDeployment, Keep(one), Fast());
        REQUIRE(v.requests.size() == 1);
        const PlacementValidationRequest& q = v.requests[0];
        INFO(q.name << ": " << q.explanation);
        REQUIRE(q.run);
        CHECK(q.wireBytes == 1328);
        CHECK(q.segments == 2);
        CHECK(q.waypoints == 0);
        CHECK(q.routeIsMapping);
        // Below capacity nothing is lost, every packet takes the same time.
        CHECK(q.sent == 50);
        CHECK(q.received == 50);
        CHECK(q.lost == 0);
        double expected = r == 0 ? R0_PACKET : R1_PACKET;
        CHECK(q.minDelay == Approx(expected).margin(1e-9));
        CHECK(q.maxDelay == Approx(expected).margin(1e-9));
        CHECK(q.meanDelay == Approx(expected).margin(1e-9));
        CHECK(q.modelPacketDelay == Approx(expected).margin(1e-9));
        CHECK(v.warnings.empty());
    }
}

TEST_CASE("Placement validation burst through a server function matches the analytic delay",
          "[placement]")
{
    PlacementProblem p = Only(LineProblem(), 1);
    PlacementValidationReport v = PlacementValidateSlot(p, 0, p.initialDeployment, Keep(p), Fast());
    const PlacementValidationRequest& q = v.requests[0];
    INFO(q.explanation);
    REQUIRE(q.run);
    /*
     * Analytic (eq. 16): processing V x delta = 1.248 MB x 10 ms = 12.48 ms; transmission
     * 1 + 0.5 + 0.5 + 2 = 4 ms; no reconfiguration: 16.48 ms.
     * Packets: the function (13.28 us per packet) is slower than every link (10.64 us), so the
     * 1000 packets leave it back to back: completion = one packet's delay + 999 x 13.28 us =
     * 4.056976 + 13.26672 = 17.323696 ms.  That is the analytic delay plus the SRv6 encapsulation
     * the server also processes (80 of 1248 bytes: 12.48 ms -> 13.28 ms) plus one packet's
     * serialization on 4 links and 4 pipeline passes: +5.1%; we allow 6.5%.
     */
    CHECK(q.analytic.processingDelay == Approx(12.48e-3));
    CHECK(q.analytic.transmissionDelay == Approx(4e-3));
    CHECK(q.analytic.totalDelay == Approx(16.48e-3));
    CHECK(q.burstPackets == 1000);
    CHECK(q.burstReceived == 1000);
    double expected = R1_PACKET + 999 * 13.28e-6;
    CHECK(q.burstCompletion == Approx(expected).margin(10e-9));
    CHECK(q.modelBurstCompletion == Approx(expected).margin(10e-9));
    CHECK(q.burstCompletion == Approx(q.analyticTraffic).epsilon(0.065));
    CHECK(q.burstCompletion > q.analyticTraffic);
    CHECK(q.bottleneck.find("f1#0") != std::string::npos);
    CHECK(v.instances[F1].processorBps == Approx(800e6));
    CHECK(v.instances[F1].boundBy == "delay");
}

TEST_CASE("Placement validation burst through a switch function is bound by the links",
          "[placement]")
{
    PlacementProblem p = Only(LineProblem(), 0);
    PlacementValidationReport v = PlacementValidateSlot(p, 0, p.initialDeployment, Keep(p), Fast());
    const PlacementValidationRequest& q = v.requests[0];
    INFO(q.explanation);
    REQUIRE(q.run);
    /*
     * Analytic: 1.248 MB x 0.1 ms = 0.1248 ms processing + 3 ms propagation = 3.1248 ms.
     * Packets: the 1 Gbps links (10.64 us per packet) are the bottleneck, not the 80 Gbps
     * function: 3.022265 ms + 999 x 10.64 us = 13.651625 ms.  The analytic model counts no
     * serialization of the volume: the burst takes 4.4 times as long.
     */
    CHECK(q.analyticTraffic == Approx(3.1248e-3));
    double expected = R0_PACKET + 999 * TX;
    CHECK(q.burstCompletion == Approx(expected).margin(10e-9));
    CHECK(q.bottleneck.find("link s0->s1") != std::string::npos);
}

TEST_CASE("Placement validation server-hosted instance delays more than switch-hosted",
          "[placement]")
{
    PlacementProblem p = LineProblem();
    PlacementValidationReport v = PlacementValidateSlot(p, 0, p.initialDeployment, Keep(p), Fast());
    REQUIRE(v.requests.size() == 2);
    const PlacementValidationRequest& sw = v.requests[0];
    const PlacementValidationRequest& sv = v.requests[1];
    REQUIRE(sw.run);
    REQUIRE(sv.run);
    CHECK(sv.analytic.totalDelay > sw.analytic.totalDelay);
    CHECK(sv.meanDelay > sw.meanDelay);
    CHECK(sv.burstCompletion > sw.burstCompletion);
    // Sharing s0 -> s1 adds at most one packet's serialization to a steady packet.
    CHECK(sw.maxDelay <= R0_PACKET + TX + 1e-9);
    CHECK(sv.maxDelay <= R1_PACKET + TX + 1e-9);
    CHECK(sw.lost + sv.lost == 0);
    CHECK(v.instances[F0].servedPackets == 50 + 1000);
    CHECK(v.instances[F1].servedPackets == 50 + 1000);
    CHECK(v.warnings.empty());
    CHECK(v.violations.empty());
}

TEST_CASE("Placement validation reports a deadline miss", "[placement]")
{
    // 5 ms: every steady packet of r1 (4.06 ms) meets it; its burst (17.3 ms) and the analytic
    // delay (16.48 ms) do not.
    PlacementProblem p = Only(LineProblem(5e-3), 1);
    PlacementValidationReport v = PlacementValidateSlot(p, 0, p.initialDeployment, Keep(p), Fast());
    const PlacementValidationRequest& q = v.requests[0];
    CHECK_FALSE(q.analyticMeets);
    CHECK_FALSE(q.burstMeets);
    CHECK(q.packetsMeet);
    // 3 ms: below every measure.
    p = Only(LineProblem(3e-3), 1);
    v = PlacementValidateSlot(p, 0, p.initialDeployment, Keep(p), Fast());
    CHECK_FALSE(v.requests[0].analyticMeets);
    CHECK_FALSE(v.requests[0].burstMeets);
    CHECK_FALSE(v.requests[0].packetsMeet);
    // 50 ms: everything meets it.
    p = Only(LineProblem(50e-3), 1);
    v = PlacementValidateSlot(p, 0, p.initialDeployment, Keep(p), Fast());
    CHECK(v.requests[0].analyticMeets);
    CHECK(v.requests[0].burstMeets);
    CHECK(v.requests[0].packetsMeet);
}

TEST_CASE("Placement validation reports unplaced instances without running them", "[placement]")
{
    PlacementProblem p = LineProblem();
    PlacementDecision d = Keep(p);
    d.deployment.hosts[F1] = std::nullopt;
    PlacementValidationReport v = PlacementValidateSlot(p, 0, p.initialDeployment, d, Fast());
    REQUIRE(v.requests.size() == 2);
    CHECK(v.requests[0].run);
    CHECK(v.requests[0].received == 50);
    CHECK_FALSE(v.requests[1].run);
    CHECK(v.requests[1].reason.find("unplaced instance f1#0") != std::string::npos);
    CHECK(v.requests[1].hosts == std::vector<std::string>{"-"});
    CHECK_FALSE(v.requests[1].analyticMeets);
    CHECK(v.instances[F1].host.empty());
    CHECK_FALSE(v.violations.empty()); // the evaluator's "unplaced"
    nlohmann::json j = v.ToJson();
    CHECK(j["requests"][1]["run"] == false);
    CHECK(v.ToCsv().find("unplaced instance f1#0") != std::string::npos);
}

TEST_CASE("Placement validation external memory adds the RDMA term to the processor", "[placement]")
{
    PlacementProblem p = Only(LineProblem(), 0);
    PlacementDecision d = Keep(p);
    d.deployment.hosts[F0] = PlacementHostSlot{S1, PlacementHostKind::EXTERNAL};
    PlacementValidationReport v = PlacementValidateSlot(p, 0, d.deployment, d, Fast());
    // delta = 0.1 ms + 2 accesses x 2 us per MB = 0.104 ms per MB: 76.92 Gbps; 1328 x 8 bits
    // take 138.112 ns, 138 ns at ns resolution.
    CHECK(v.instances[F0].delayPerMB == Approx(0.104e-3));
    CHECK(v.instances[F0].processorBps == Approx(8e6 / 0.104e-3));
    const PlacementValidationRequest& q = v.requests[0];
    CHECK(q.analytic.rdmaDelay == Approx(1.248 * 4e-6));
    CHECK(q.minDelay == Approx(3e-3 + 2 * TX + 3 * PIPE + 138e-9).margin(1e-9));
}

TEST_CASE("Placement validation pins the mapped path against shortest-delay routing", "[placement]")
{
    /*
     *   s0 ------- L2: 5 ms ------- s2     the mapping takes the fewest hops (s0 - s2);
     *     \--L0: 1 ms-- s1 --L1: 1 ms--/   the network routes by delay (s0 - s1 - s2).
     * f0 in s2's local memory; r0: s0 -> [f0] -> s2.
     */
    PlacementProblem p;
    p.name = "validation-triangle";
    p.topology = AisfcTopology("validation-triangle");
    for (const char* name : {"s0", "s1", "s2"})
    {
        TopologyNode n;
        n.name = name;
        n.role = NodeRole::SWITCH;
        p.topology.AddNode(n);
    }
    p.topology.AddLink({S0, S1, 1e9, 1e-3, 1});
    p.topology.AddLink({S1, S2, 1e9, 1e-3, 1});
    p.topology.AddLink({S0, S2, 1e9, 5e-3, 1});
    p.linkCostPerMB = {0.01, 0.01, 0.01};
    p.nodes = {Switch(), Switch(), Switch()};
    for (PlacementNode& n : p.nodes)
    {
        n.delayPerMB = {0.1e-3};
    }
    p.types = {{"f0", 1, 1000000, 10000000, 1000000, 100e9, 1e9}};
    p.requests = {{"r0", S0, S2, {0}, {RATE}, {0.05}}};
    p.slots = 1;
    p.trafficWindow = 1;
    p.initialDeployment.hosts = {PlacementHostSlot{S2, PlacementHostKind::LOCAL}};
    p.initialAssignment.instances = {{F0}};
    p.Validate();

    PlacementValidationReport pinned =
        PlacementValidateSlot(p, 0, p.initialDeployment, Keep(p), Fast());
    const PlacementValidationRequest& q = pinned.requests[0];
    INFO(q.explanation);
    REQUIRE(q.run);
    CHECK(q.route == std::vector<std::string>{"s0", "s2"});
    CHECK(q.routeIsMapping);
    CHECK(q.waypoints == 1); // End.X s0 -> s2: the link is not the shortest path between its ends
    CHECK(q.analytic.transmissionDelay == Approx(5e-3));
    CHECK(q.received == q.sent);
    // 1248 + 48 + 3 x 16 = 1344 bytes, 1346 with PPP: 10.768 us; 2 pipeline passes; f0 134.4 ns.
    CHECK(q.minDelay == Approx(5e-3 + 10.768e-6 + 2 * PIPE + 134e-9).margin(1e-9));

    PlacementValidationOptions o = Fast();
    o.pinPaths = false;
    PlacementValidationReport free = PlacementValidateSlot(p, 0, p.initialDeployment, Keep(p), o);
    CHECK(free.requests[0].route == std::vector<std::string>{"s0", "s1", "s2"});
    CHECK_FALSE(free.requests[0].routeIsMapping);
    CHECK(free.requests[0].minDelay < q.minDelay);
}

TEST_CASE("Placement validation is deterministic and checks its inputs", "[placement]")
{
    PlacementProblem p = LineProblem();
    PlacementValidationOptions o = Fast();
    o.rateScale = 2; // 2000 packets per burst, analytic processing doubled
    PlacementValidationReport a = PlacementValidateSlot(p, 0, p.initialDeployment, Keep(p), o);
    PlacementValidationReport b = PlacementValidateSlot(p, 0, p.initialDeployment, Keep(p), o);
    CHECK(a.ToJson() == b.ToJson());
    CHECK(a.ToCsv() == b.ToCsv());
    CHECK(a.requests[1].burstPackets == 2000);
    CHECK(a.requests[1].analytic.processingDelay == Approx(2 * 12.48e-3));
    CHECK(a.requests[1].rateBps == Approx(2 * RATE));
    CHECK(a.requests[1].slotRateBps == Approx(RATE));

    o.rateScale = 0;
    CHECK_THROWS_AS(PlacementValidateSlot(p, 0, p.initialDeployment, Keep(p), o), AisfcInputError);
    CHECK_THROWS_AS(PlacementValidateSlot(p, 1, p.initialDeployment, Keep(p), Fast()),
                    AisfcInputError);
    PlacementDecision wrong = Keep(p);
    wrong.assignment.instances[0] = {F1}; // f1 where the chain needs f0
    CHECK_THROWS_AS(PlacementValidateSlot(p, 0, p.initialDeployment, wrong, Fast()),
                    AisfcInputError);
}
