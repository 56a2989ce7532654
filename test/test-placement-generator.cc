/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The SR-EM instance generator: the srem preset's counts and ranges, determinism by seed, data
// sets, exact JSON round trips of problems and configurations, and errors naming the JSON path.

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/placement-evaluator.h"
#include "ns3/placement-generator.h"
#include "ns3/placement-problem.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <set>

using namespace ns3;

namespace
{

// The error message of reading a problem in which `edit` changed one value.
std::string
ProblemError(const std::function<void(nlohmann::json&)>& edit)
{
    nlohmann::json doc = PlacementGenerator().Generate(3).ToJson();
    edit(doc);
    try
    {
        PlacementProblem::FromJson(doc, "set.json");
    }
    catch (const AisfcInputError& e)
    {
        return e.what();
    }
    return "no error";
}

std::string
ConfigError(const std::string& text)
{
    try
    {
        PlacementGenerator::ConfigFromJson(ParseJsonText(text, "gen.json"), "gen.json");
    }
    catch (const AisfcInputError& e)
    {
        return e.what();
    }
    return "no error";
}

} // namespace

TEST_CASE("Placement srem preset has the paper's counts", "[placement]")
{
    PlacementGenerator gen(PlacementGenerator::Preset("srem"));
    PlacementProblem p = gen.Generate(42);
    CHECK(p.name == "srem-42");
    CHECK(p.topology.GetNNodes() == 22);
    CHECK(p.topology.GetNLinks() == 28);
    uint32_t servers = 0;
    std::set<uint32_t> switches;
    for (uint32_t n = 0; n < p.nodes.size(); ++n)
    {
        NodeRole role = p.topology.GetNode(n).role;
        if (p.nodes[n].type == PlacementNodeType::SERVER)
        {
            ++servers;
            CHECK(role == NodeRole::SERVER);
            CHECK(p.nodes[n].serverBytes >= 4000000000ULL);
            CHECK(p.nodes[n].serverBytes <= 16000000000ULL);
        }
        else
        {
            switches.insert(n);
            CHECK((role == NodeRole::CORE || role == NodeRole::AGGREGATION ||
                   role == NodeRole::EDGE));
            CHECK(p.nodes[n].localBytes % 16384 == 0);
            CHECK(p.nodes[n].rdmaTableBytes == p.nodes[n].localBytes);
            CHECK(p.nodes[n].externalCostPerMB < p.nodes[n].localCostPerMB);
            CHECK(p.nodes[n].controllerBps == 50e9);
        }
    }
    CHECK(servers == 12);
    CHECK(switches.size() == 10);
    REQUIRE(p.types.size() == 4);
    for (const auto& t : p.types)
    {
        CHECK(t.instances == 2);
        CHECK(t.switchBytes == t.programBytes);
        CHECK(t.switchCapacityBps == 100e9);
    }
    CHECK(p.InstanceCount() == 8);
    CHECK(p.HostSlots().size() == 12 + 2 * 10);

    // 10:00 to 22:00 in 2-hour slots; Mbps before 16:00, Kbps after.
    CHECK(p.slots == 6);
    CHECK(p.SlotStart(0) == 10 * 3600.0);
    CHECK(p.SlotStart(p.slots) == 22 * 3600.0);
    REQUIRE(p.requests.size() == 90);
    for (const auto& q : p.requests)
    {
        CHECK(q.chain.size() >= 1);
        CHECK(q.chain.size() <= 4);
        CHECK(std::set<uint32_t>(q.chain.begin(), q.chain.end()).size() == q.chain.size());
        CHECK(switches.count(q.source) == 1);
        CHECK(switches.count(q.destination) == 1);
        CHECK(q.source != q.destination);
        for (uint32_t s = 0; s < 6; ++s)
        {
            bool working = p.SlotStart(s) < 16 * 3600.0;
            CHECK(working == (s < 3));
            double lo = working ? 1e6 : 10e3;
            CHECK(q.rateBps[s] >= lo);
            CHECK(q.rateBps[s] <= lo * 10);
            CHECK(q.deadline[s] >= (working ? 20e-3 : 15e-3));
            CHECK(q.deadline[s] <= (working ? 50e-3 : 30e-3));
        }
    }

    // The initial deployment: every instance on the cheapest server (servers hold GBs).
    double cheapest = 1e9;
    for (const auto& n : p.nodes)
    {
        if (n.type == PlacementNodeType::SERVER)
        {
            cheapest = std::min(cheapest, n.serverCostPerMB);
        }
    }
    for (const auto& h : p.initialDeployment.hosts)
    {
        REQUIRE(h);
        CHECK(h->kind == PlacementHostKind::SERVER);
        CHECK(p.nodes[h->node].serverCostPerMB == cheapest);
    }
    REQUIRE(p.initialAssignment.instances.size() == 90);
    CHECK_NOTHROW(PlacementEvaluator(p).Evaluate(
        0,
        p.initialDeployment,
        p.initialDeployment,
        p.initialAssignment,
        PlacementMapLinks(p, 0, p.initialDeployment, p.initialAssignment)));
}

TEST_CASE("Placement generator is deterministic by seed", "[placement]")
{
    std::string a = PlacementGenerator().Generate(7).ToJson().dump();
    std::string b = PlacementGenerator().Generate(7).ToJson().dump();
    CHECK(a == b);
    CHECK(a != PlacementGenerator().Generate(8).ToJson().dump());

    PlacementGenerator gen;
    std::vector<PlacementProblem> train = gen.GenerateSet(5, 3);
    std::vector<PlacementProblem> test = gen.GenerateSet(5, 2, 3);
    REQUIRE(train.size() == 3);
    REQUIRE(test.size() == 2);
    std::set<uint64_t> seeds;
    for (const auto* set : {&train, &test})
    {
        for (const auto& p : *set)
        {
            seeds.insert(p.seed);
        }
    }
    CHECK(seeds.size() == 5); // train and test are disjoint
    CHECK(train[1].seed == PlacementGenerator::SetSeed(5, 1));
    CHECK(test[0].seed == PlacementGenerator::SetSeed(5, 3));
    CHECK(test[0].ToJson() == gen.Generate(PlacementGenerator::SetSeed(5, 3)).ToJson());
}

TEST_CASE("Placement problem JSON round trip is exact", "[placement]")
{
    PlacementProblem p = PlacementGenerator().GenerateSet(11, 1).front(); // a 64-bit seed
    std::string text = p.ToJson().dump(1);
    PlacementProblem back = PlacementProblem::FromJson(ParseJsonText(text, "p.json"), "p.json");
    CHECK(back.ToJson().dump(1) == text);
    CHECK(back.initialDeployment.hosts == p.initialDeployment.hosts);
    CHECK(back.initialAssignment.instances == p.initialAssignment.instances);
    CHECK(back.requests[17].rateBps == p.requests[17].rateBps);
    CHECK(back.nodes[3].delayPerMB == p.nodes[3].delayPerMB);
    CHECK(back.topology.GetLink(5).delaySeconds == p.topology.GetLink(5).delaySeconds);

    // The same evaluation, bit for bit.
    for (uint32_t slot : {0u, 4u})
    {
        PlacementSlotResult x =
            PlacementEvaluate(p,
                              slot,
                              p.initialDeployment,
                              p.initialDeployment,
                              p.initialAssignment,
                              PlacementMapLinks(p, slot, p.initialDeployment, p.initialAssignment));
        PlacementSlotResult y = PlacementEvaluate(
            back,
            slot,
            back.initialDeployment,
            back.initialDeployment,
            back.initialAssignment,
            PlacementMapLinks(back, slot, back.initialDeployment, back.initialAssignment));
        CHECK(x.totalCost == y.totalCost);
        CHECK(x.reward == y.reward);
        CHECK(x.acceptanceRatio == y.acceptanceRatio);
    }
}

TEST_CASE("Placement problem JSON written by hand takes units", "[placement]")
{
    const char* text = R"({
      "name": "tiny", "slots": 2, "sramBlock": "1MB",
      "types": [{"name": "fw", "switchStorage": "4MB", "serverStorage": "1GB",
                 "switchCapacity": "100Gbps", "serverCapacity": "500Mbps"}],
      "nodes": [
        {"name": "a", "type": "switch", "role": "edge", "localMemory": "8MB",
         "externalMemory": "64MB", "rdmaTable": "8MB", "controllerBandwidth": "50Gbps",
         "rdmaAccessDelay": "2us", "delayPerMB": ["0.1ms"]},
        {"name": "m", "type": "server", "storage": "16GB", "storageCostPerMB": 0.0001,
         "delayPerMB": [0.01]}],
      "links": [{"a": "a", "b": "m", "bandwidth": "10Gbps", "delay": "1ms", "costPerMB": 0.001}],
      "requests": [{"name": "r", "source": "a", "destination": "a", "chain": ["fw"],
                    "rate": ["5Mbps", "50kbps"], "deadline": ["20ms", 0.015],
                    "instances": ["fw#0"]}],
      "initialDeployment": [{"instance": "fw#0", "node": "m", "kind": "server"}]
    })";
    PlacementProblem p = PlacementProblem::FromJson(ParseJsonText(text, "tiny.json"), "tiny.json");
    CHECK(p.types[0].programBytes == 4000000); // the switch size, as the paper sets it
    CHECK(p.types[0].serverBytes == 1000000000);
    CHECK(p.nodes[0].rdmaAccessDelay == Approx(2e-6));
    CHECK(p.topology.GetNode(0).role == NodeRole::EDGE);
    CHECK(p.requests[0].rateBps == std::vector<double>{5e6, 50e3});
    CHECK(p.requests[0].deadline[1] == 0.015);
    CHECK(p.MemoryBudget(0).sramBlocksPerStage == 8);
    CHECK(p.initialDeployment.hosts[0] == PlacementHostSlot{1, PlacementHostKind::SERVER});
}

TEST_CASE("Placement bad problem JSON names the path", "[placement]")
{
    CHECK(ProblemError([](nlohmann::json& d) { d["requests"][3]["rate"][2] = "fast"; }) ==
          "set.json: /requests/3/rate/2: 'fast' is not a data rate (examples: \"10Gbps\", "
          "\"100Mbps\", 1e9)");
    CHECK_THAT(ProblemError([](nlohmann::json& d) { d["nodes"][0]["colour"] = "red"; }),
               Catch::StartsWith("set.json: /nodes/0/colour: unknown key"));
    CHECK(ProblemError([](nlohmann::json& d) { d["requests"][0]["chain"][0] = "f9"; }) ==
          "set.json: /requests/0/chain/0: unknown function type 'f9'");
    CHECK(ProblemError([](nlohmann::json& d) { d["links"][2]["b"] = "nowhere"; }) ==
          "set.json: /links/2/b: unknown node 'nowhere'");
    CHECK(ProblemError([](nlohmann::json& d) { d["requests"][1]["deadline"].erase(0); }) ==
          "set.json: /requests/1/deadline: expected 6 values (one per slot), got 5");
    CHECK(ProblemError([](nlohmann::json& d) { d["nodes"][0]["delayPerMB"][1] = true; }) ==
          "set.json: /nodes/0/delayPerMB/1: expected a duration, got true");
    CHECK(ProblemError([](nlohmann::json& d) {
              d["initialDeployment"][0]["kind"] = "local";
          }).find("/initialDeployment/0/kind: node 'server") != std::string::npos);
    CHECK(ProblemError([](nlohmann::json& d) {
              d["requests"][0]["instances"][0] = "f0#7";
          }).find("set.json: /requests/0/instances/0: 'f0#7' is no instance") == 0);
    CHECK(ProblemError([](nlohmann::json& d) {
              d["types"][1]["switchStorage"] = "lots";
          }).find("set.json: /types/1/switchStorage: 'lots' is not a size") == 0);
}

TEST_CASE("Placement generator configuration from JSON", "[placement]")
{
    PlacementGeneratorConfig c = PlacementGenerator::ConfigFromJson(
        ParseJsonText(R"({"requests": 10, "workRate": {"min": "20Mbps", "max": "40Mbps"},
                         "controllerBandwidth": "25Gbps", "localMemory": {"max": "32MB"},
                         "weights": {"cost": 2}})",
                      "gen.json"),
        "gen.json");
    CHECK(c.requests == 10);
    CHECK(c.workRate.min == 20e6);
    CHECK(c.workRate.max == 40e6);
    CHECK(c.controllerBandwidth.min == 25e9);
    CHECK(c.controllerBandwidth.max == 25e9);
    CHECK(c.localMemory.min == 4e6); // the preset's
    CHECK(c.localMemory.max == 32e6);
    CHECK(c.weights.cost == 2);
    PlacementProblem p = PlacementGenerator(c).Generate(1);
    CHECK(p.requests.size() == 10);
    CHECK(p.requests[0].rateBps[0] >= 20e6);
    CHECK(p.weights.cost == 2);

    // The whole configuration round-trips.
    nlohmann::json j = PlacementGenerator::ConfigToJson(c);
    CHECK(PlacementGenerator::ConfigToJson(PlacementGenerator::ConfigFromJson(j, "c.json")) == j);

    CHECK(ConfigError(R"({"workRate": {"min": "1Mbps", "max": true}})") ==
          "gen.json: /workRate/max: expected a data rate such as \"10Gbps\", got true");
    CHECK(ConfigError(R"({"preset": "nope"})") ==
          "gen.json: /preset: unknown preset 'nope' (known: srem)");
    CHECK(ConfigError(R"({"localMemory": {"min": "16MB", "max": "4MB"}})") ==
          "gen.json: /localMemory: needs 0 <= min <= max");
    CHECK(ConfigError(R"({"maxChainLength": 5})") ==
          "gen.json: /maxChainLength: chains hold distinct types: at most types (4) functions");
    CHECK_THAT(ConfigError(R"({"slotLenght": "1h"})"),
               Catch::StartsWith("gen.json: /slotLenght: unknown key"));
    CHECK_THAT(ConfigError(R"({"serverStorage": {"min": "1GB", "mx": "2GB"}})"),
               Catch::StartsWith("gen.json: /serverStorage/mx: unknown key"));
    CHECK_THROWS_WITH(PlacementGenerator::Preset("paper"), Catch::Contains("unknown"));
}

TEST_CASE("Placement generator refuses a topology without servers", "[placement]")
{
    PlacementGeneratorConfig c;
    c.topology = "ring:5";
    CHECK_THROWS_WITH(PlacementGenerator(c),
                      "placement generator: /topology: 'ring:5' has no server (role server or "
                      "host) for the initial deployment");
    c.topology = "fattree:k=4"; // hosts serve as servers
    PlacementProblem p = PlacementGenerator(c).Generate(1);
    CHECK(p.nodes.size() == 36);
}
