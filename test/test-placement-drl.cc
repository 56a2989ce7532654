/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The DRL side of placement: the environment's state and steps, the filters' effect on the
// SR-EM agent, learning, Double DQN's server-only actions, model files, checkpoints that
// resume bit for bit, and the data set and evaluation files of `aisfc placement`.

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/placement-drl.h"
#include "ns3/placement-env.h"
#include "ns3/placement-experiment.h"
#include "ns3/placement-generator.h"
#include "ns3/placement-storage.h"
#include "ns3/placement-trainer.h"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace ns3;

namespace
{

const std::vector<PlacementProblem>&
Problems()
{
    static const std::vector<PlacementProblem> set =
        PlacementGenerator(PlacementGenerator::Preset("srem")).GenerateSet(31, 24);
    return set;
}

std::string
TempDir(const std::string& name)
{
    auto dir = std::filesystem::temp_directory_path() / ("aisfc-drl-" + name);
    std::filesystem::remove_all(dir);
    return dir.string();
}

bool
StorageFits(const PlacementProblem& p, const PlacementDeployment& d)
{
    PlacementStorage storage(p);
    return storage.PlaceAll(d).empty();
}

std::vector<PlacementEpisodeLog>
Train(const std::string& policy,
      uint32_t episodes,
      const std::string& dir,
      const nlohmann::json& params = nlohmann::json::object(),
      int stopAfter = -1,
      bool resume = false)
{
    std::atomic<bool> stop{false};
    PlacementTrainOptions o;
    o.episodes = episodes;
    o.seed = 9;
    o.checkpointEvery = 7;
    o.outDir = dir;
    o.resume = resume;
    o.stop = &stop;
    o.progress = [&](const PlacementEpisodeLog& l) {
        if (int(l.episode) + 1 == stopAfter)
        {
            stop = true;
        }
    };
    PlacementTrainer t(PlacementDrl(policy,
                                    PlacementDrlConfig::FromJson(
                                        PlacementDrlConfig::Preset(policy),
                                        params.is_null() ? nlohmann::json::object() : params,
                                        "t")),
                       Problems(),
                       o);
    t.Run();
    return t.GetLogs();
}

} // namespace

TEST_CASE("placement environment observes the state and steps through the slots",
          "[placement][drl]")
{
    const PlacementProblem& p = Problems()[0];
    PlacementEnvironment env(p);
    const size_t slots = p.HostSlots().size();
    std::vector<double> s = env.Observe();
    REQUIRE(s.size() == PlacementFeatureCount(p));
    REQUIRE(s.size() == slots + p.InstanceCount() + p.topology.GetNNodes() +
                            p.InstanceCount() * slots + p.slots);
    for (double x : s)
    {
        REQUIRE(x >= -1.0);
        REQUIRE(x <= 1.0);
    }
    // The one-hot placement names the initial host of every instance; slot 0 is flagged.
    const size_t onehot = slots + p.InstanceCount() + p.topology.GetNNodes();
    for (uint32_t i = 0; i < p.InstanceCount(); ++i)
    {
        uint32_t host = *p.HostSlotIndex(*p.initialDeployment.hosts[i]);
        for (size_t k = 0; k < slots; ++k)
        {
            REQUIRE(s[onehot + i * slots + k] == (k == host ? 1.0 : 0.0));
        }
    }
    REQUIRE(s[onehot + p.InstanceCount() * slots] == 1.0);
    // Free storage of a server holding instances is below 1, of an empty one exactly 1.
    PlacementStorage storage(p);
    storage.PlaceAll(p.initialDeployment);
    const std::vector<PlacementHostSlot> all = p.HostSlots();
    for (size_t k = 0; k < slots; ++k)
    {
        REQUIRE(s[k] ==
                Approx(double(storage.FreeBytes(all[k])) / double(storage.CapacityBytes(all[k]))));
    }

    // Stepping: the same decision as the evaluator's, slot after slot, then done.
    double rewards = 0;
    for (uint32_t t = 0; t < p.slots; ++t)
    {
        PlacementDecision keep{env.GetDeployment(), env.GetAssignment()};
        PlacementSlotResult expected = PlacementEvaluateDecision(p, t, env.GetDeployment(), keep);
        PlacementSlotResult r = env.Step(keep);
        REQUIRE(r.reward == expected.reward);
        REQUIRE(r.totalCost == expected.totalCost);
        rewards += r.reward;
    }
    REQUIRE(env.Done());
    REQUIRE(rewards > 0);
    REQUIRE_THROWS_AS(env.Step({env.GetDeployment(), env.GetAssignment()}), std::logic_error);
    env.Reset();
    REQUIRE(env.GetSlot() == 0);

    // Gym-style host indices: a bad one names the instance.
    std::vector<int64_t> hosts(p.InstanceCount(), 0);
    hosts[3] = int64_t(slots);
    REQUIRE_THROWS_WITH(env.StepHosts(hosts), Catch::Contains("f1#1") && Catch::Contains("32"));
    hosts[3] = -1; // unplaced: the evaluation says so
    PlacementSlotResult r = env.StepHosts(hosts);
    REQUIRE(r.Has(PlacementViolationKind::UNPLACED));
    REQUIRE(r.reward == 0);
}

TEST_CASE("srem with dynamic filters never overfills a memory and without filters does",
          "[placement][drl]")
{
    std::mt19937_64 rng(4);
    uint32_t overfilledWithout = 0;
    for (const std::string mode : {"hybrid", "dynamic", "none"})
    {
        PlacementDrl agent("srem",
                           PlacementDrlConfig::FromJson(PlacementDrlConfig::Preset("srem"),
                                                        {{"filters", mode}},
                                                        "t"));
        for (size_t k = 0; k < 12; ++k)
        {
            const PlacementProblem& p = Problems()[k];
            PlacementEnvironment env(p);
            while (!env.Done())
            {
                PlacementTransition t;
                // Exploration and exploitation alike.
                double epsilon = env.GetSlot() % 2 == 0 ? 1.0 : 0.0;
                PlacementDecision d = agent.Act(p,
                                                env.GetSlot(),
                                                env.GetDeployment(),
                                                env.GetAssignment(),
                                                env.Observe(),
                                                epsilon,
                                                rng,
                                                t);
                bool fits = StorageFits(p, d.deployment);
                if (mode == "none")
                {
                    overfilledWithout += fits ? 0 : 1;
                }
                else
                {
                    REQUIRE(fits);
                    REQUIRE(!env.Step(d).Has(PlacementViolationKind::STORAGE));
                    continue;
                }
                env.Step(d);
            }
        }
    }
    REQUIRE(overfilledWithout > 0);
}

TEST_CASE("srem learns to earn more than its untrained self and random placement",
          "[placement][drl]")
{
    std::vector<PlacementEpisodeLog> logs = Train("srem", 300, "");
    double first = 0;
    double last = 0;
    for (size_t e = 0; e < 50; ++e)
    {
        first += logs[e].reward;
        last += logs[logs.size() - 1 - e].reward;
    }
    REQUIRE(last > first * 1.05);

    // Greedy on problems it never saw, against random placement.
    PlacementTrainOptions o;
    o.episodes = 300;
    o.seed = 9;
    PlacementTrainer trainer(PlacementDrl("srem", PlacementDrlConfig::Preset("srem")),
                             Problems(),
                             o);
    trainer.Run();
    REQUIRE(trainer.GetLogs().back().reward == logs.back().reward); // same seed, same run
    std::vector<PlacementProblem> unseen =
        PlacementGenerator(PlacementGenerator::Preset("srem")).GenerateSet(77, 6);
    PlacementDrl trained = trainer.GetAgent();
    auto random = PlacementPolicyRegistry::Create("random");
    nlohmann::json a = PlacementEvaluateSet(trained, unseen, 1);
    nlohmann::json b = PlacementEvaluateSet(*random, unseen, 1);
    REQUIRE(a["overall"]["reward"].get<double>() > b["overall"]["reward"].get<double>());
    REQUIRE(a["overall"]["acceptance_ratio"].get<double>() >
            b["overall"]["acceptance_ratio"].get<double>());
    REQUIRE(a["overall"]["feasible_ratio"].get<double>() == 1.0);
}

TEST_CASE("ddqn-cm migrates among servers only", "[placement][drl]")
{
    PlacementDrl agent("ddqn-cm", PlacementDrlConfig::Preset("ddqn-cm"));
    std::mt19937_64 rng(2);
    for (size_t k = 0; k < 4; ++k)
    {
        for (const PlacementSlotResult& r : PlacementRunPolicy(agent, Problems()[k], k))
        {
            REQUIRE(r.programmingCost == 0); // nothing ever goes into a switch
        }
        PlacementEnvironment env(Problems()[k]);
        PlacementTransition t;
        PlacementDecision d = agent.Act(env.GetProblem(),
                                        0,
                                        env.GetDeployment(),
                                        env.GetAssignment(),
                                        env.Observe(),
                                        1.0,
                                        rng,
                                        t);
        for (const auto& h : d.deployment.hosts)
        {
            REQUIRE(h->kind == PlacementHostKind::SERVER);
        }
    }
    // Its reward: the chains' delays over their deadlines plus the migration cost, negated.
    PlacementSlotResult r;
    r.requests.resize(2);
    r.requests[0].totalDelay = 0.01;
    r.requests[0].deadline = 0.02;
    r.requests[1].totalDelay = 1.0; // ten times late: counts as twice its deadline
    r.requests[1].deadline = 0.1;
    r.migrationCost = 0.25;
    REQUIRE(agent.Reward(r) == Approx(-((0.5 + 2.0) / 2 + 0.25)));
}

TEST_CASE("training stopped and resumed equals training straight through", "[placement][drl]")
{
    for (const std::string policy : {"srem", "ddqn-cm"})
    {
        const std::string straight = TempDir(policy + "-straight");
        const std::string broken = TempDir(policy + "-broken");
        std::vector<PlacementEpisodeLog> whole = Train(policy, 30, straight);
        REQUIRE(whole.size() == 30);
        std::vector<PlacementEpisodeLog> part = Train(policy, 30, broken, {}, 12);
        REQUIRE(part.size() == 12); // stopped after episode 12, checkpointed
        // A kill after the checkpoint at 14 would lose nothing either: simulate one at 12
        // (checkpoint), then resume.
        std::vector<PlacementEpisodeLog> resumed = Train(policy, 30, broken, {}, -1, true);
        REQUIRE(resumed.size() == 30);
        for (const std::string file : {"rewards.csv", "model.bin", "checkpoint.bin"})
        {
            INFO(policy << " " << file);
            REQUIRE(ReadInputFile(straight + "/" + file) == ReadInputFile(broken + "/" + file));
        }
        // A checkpoint from other options is refused, naming them.
        REQUIRE_THROWS_WITH(Train(policy, 31, broken, {}, -1, true),
                            Catch::Contains("30 episodes") && Catch::Contains("same options"));
    }
}

TEST_CASE("a saved model decides like the agent it came from and bad bytes are refused",
          "[placement][drl]")
{
    const std::string dir = TempDir("model");
    Train("srem", 20, dir);
    auto loaded = PlacementPolicyRegistry::Create("srem", {{"model", dir + "/model.bin"}});
    PlacementDrl copy = PlacementDrl::Load(
        [&] {
            std::string s = ReadInputFile(dir + "/model.bin");
            return std::vector<uint8_t>(s.begin(), s.end());
        }(),
        "m");
    for (size_t k = 0; k < 3; ++k)
    {
        auto a = PlacementRunPolicy(*loaded, Problems()[k], 1);
        auto b = PlacementRunPolicy(copy, Problems()[k], 1);
        for (size_t t = 0; t < a.size(); ++t)
        {
            REQUIRE(a[t].totalCost == b[t].totalCost);
        }
    }
    std::string bytes = ReadInputFile(dir + "/model.bin");
    std::vector<uint8_t> truncated(bytes.begin(), bytes.begin() + bytes.size() / 2);
    REQUIRE_THROWS_WITH(PlacementDrl::Load(truncated, "half.bin"),
                        Catch::Contains("half.bin at offset"));
    REQUIRE_THROWS_WITH(PlacementDrl::Load({'x', 'y'}, "xy.bin"), Catch::Contains("xy.bin"));
    REQUIRE_THROWS_WITH(PlacementPolicyRegistry::Create("ddqn-cm", {{"model", dir + "/model.bin"}}),
                        Catch::Contains("'srem' model"));
    REQUIRE_THROWS_WITH(
        PlacementPolicyRegistry::Create("srem", {{"model", dir + "/model.bin"}, {"hidden", 3}}),
        Catch::Contains("/hidden"));
    REQUIRE_THROWS_WITH(PlacementPolicyRegistry::Create("srem", {{"filters", "some"}}),
                        Catch::Contains("/filters") && Catch::Contains("'some'"));
    REQUIRE_THROWS_WITH(PlacementPolicyRegistry::Create("srem", {{"gamma", 0.3}}),
                        Catch::Contains("gamma"));
    REQUIRE_THROWS_WITH(PlacementPolicyRegistry::Create("srem", {{"discount", 1.5}}),
                        Catch::Contains("/discount"));
}

TEST_CASE("data sets round trip and evaluation summaries balance", "[placement][drl]")
{
    const std::string dir = TempDir("data");
    PlacementWriteDataSet(dir, {{"preset", "srem"}}, 5, 3, 2);
    std::vector<PlacementProblem> train = PlacementReadDataSet(dir, "train");
    std::vector<PlacementProblem> test = PlacementReadDataSet(dir, "test");
    REQUIRE(train.size() == 3);
    REQUIRE(test.size() == 2);
    PlacementGenerator g(PlacementGenerator::Preset("srem"));
    REQUIRE(test[1].ToJson() == g.Generate(PlacementGenerator::SetSeed(5, 4)).ToJson());

    auto lag = PlacementPolicyRegistry::Create("lag");
    nlohmann::json r = PlacementEvaluateSet(*lag, train, 1);
    REQUIRE(r["slots"].size() == train[0].slots);
    double acceptance = 0;
    for (const nlohmann::json& s : r["slots"])
    {
        const nlohmann::json& u = s["usage"];
        REQUIRE(u["server"].get<double>() + u["local"].get<double>() +
                    u["external"].get<double>() ==
                Approx(1.0));
        REQUIRE(s["total_cost"].get<double>() ==
                Approx(s["it_cost"].get<double>() + s["bandwidth_cost"].get<double>() +
                       s["reconfiguration_cost"].get<double>()));
        acceptance += s["acceptance_ratio"].get<double>();
    }
    REQUIRE(r["overall"]["acceptance_ratio"].get<double>() ==
            Approx(acceptance / r["slots"].size()));
    // The paper's LAG knows servers and local memories only.
    REQUIRE(r["overall"]["usage"]["external"].get<double>() == 0);

    // A bad line is named by file and line.
    std::string text = ReadInputFile(dir + "/test.jsonl");
    WriteFileAtomically(dir + "/test.jsonl", text + "{\"format\": 3}\n");
    REQUIRE_THROWS_WITH(PlacementReadDataSet(dir, "test"), Catch::Contains("test.jsonl:3"));
    REQUIRE_THROWS_WITH(PlacementReadDataSet(dir + "/nope", "test"),
                        Catch::Contains("generator.json"));
}
