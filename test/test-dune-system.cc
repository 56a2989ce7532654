/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// DUNE end to end in software on synthetic traffic: every class handled by exactly one
// sub-model, every switch model within the budget, the same result for the same seed, and DUNE
// ahead of Jewel and Mousika under the same per-switch limits.

#include "ns3/dune-experiment.h"
#include "ns3/dune-synthetic.h"
#include "ns3/dune-system.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

using namespace ns3;

namespace
{

void
Split(DuneDataset& train, DuneDataset& test)
{
    DuneSyntheticOptions o;
    o.classes = 10;
    o.flowsPerClass = 120;
    o.seed = 4;
    DuneGenerateSyntheticTraffic(o).Extract().SplitByFlow(0.3, 7, train, test);
}

} // namespace

TEST_CASE("dune beats jewel and mousika under the same switch limits", "[dune]")
{
    DuneDataset train;
    DuneDataset test;
    Split(train, test);
    DuneConfig config;
    config.modelFeatures = 5;
    config.modelDepth = 5;
    nlohmann::json report;
    DuneSystem dune = DuneSystem::TrainDune(train, config, &report);
    DuneSystem jewel = DuneSystem::TrainJewel(train, config);
    DuneSystem mousika = DuneSystem::TrainMousika(train, config);

    // Every class in exactly one sub-model; only the last decides without "Other".
    std::multiset<int> classes;
    const auto& models = dune.GetModels();
    REQUIRE(models.size() >= 2);
    REQUIRE(models.size() <= config.switches);
    for (size_t k = 0; k < models.size(); ++k)
    {
        classes.insert(models[k].classes.begin(), models[k].classes.end());
        REQUIRE(models[k].hasOther == (k + 1 < models.size()));
    }
    REQUIRE(classes.size() == train.classNames.size());
    REQUIRE(std::set<int>(classes.begin(), classes.end()).size() == classes.size());
    // Within the budget and the feature limit.
    for (const DuneSystem* s : {&dune, &jewel, &mousika})
    {
        for (const DuneSwitchModel& m : s->GetModels())
        {
            REQUIRE(m.features.size() <= config.modelFeatures);
            REQUIRE(m.depth <= config.modelDepth);
            REQUIRE(m.tcamBlocks <=
                    uint64_t(config.budget.stages) * config.budget.tcamBlocksPerStage);
            REQUIRE(m.tcamBlocks > 0);
        }
    }
    REQUIRE(mousika.GetModels()[0].trees == 1);

    nlohmann::json d = dune.Evaluate(test);
    nlohmann::json j = jewel.Evaluate(test);
    nlohmann::json m = mousika.Evaluate(test);
    INFO("dune " << d["macro_f1"] << " jewel " << j["macro_f1"] << " mousika " << m["macro_f1"]);
    REQUIRE(d["macro_f1"].get<double>() > j["macro_f1"].get<double>());
    REQUIRE(d["macro_f1"].get<double>() > m["macro_f1"].get<double>());
    double shares = 0;
    for (double s : d["decided_by"])
    {
        shares += s;
    }
    REQUIRE(shares == Approx(1.0));
    REQUIRE(d["packet_level_share"].get<double>() + d["flow_level_share"].get<double>() ==
            Approx(1.0));
    REQUIRE(report["partition"]["blocks"].size() == models.size());

    // Same seed, same system.
    DuneSystem again = DuneSystem::TrainDune(train, config);
    REQUIRE(again.Evaluate(test) == d);
}

TEST_CASE("dune settings from JSON name their bad values", "[dune]")
{
    REQUIRE(DuneConfig::FromJson({{"switches", 4u}, {"modelDepth", 3u}}, "c").switches == 4);
    REQUIRE_THROWS_WITH(DuneConfig::FromJson({{"switches", 0u}}, "cfg.json"),
                        Catch::Contains("switches"));
    REQUIRE_THROWS_WITH(DuneConfig::FromJson({{"featureSet", "most"}}, "cfg.json"),
                        Catch::Contains("most"));
    REQUIRE_THROWS_WITH(DuneConfig::FromJson({{"minModels", 5u}}, "cfg.json"),
                        Catch::Contains("/minModels"));
    REQUIRE_THROWS_WITH(DuneConfig::FromJson({{"depth", 5u}}, "cfg.json"),
                        Catch::Contains("depth"));
    REQUIRE(DuneConfig::FeatureBits("ip.ttl") == 8);
    REQUIRE(DuneConfig::FeatureBits("Flow Duration") == 32);
    REQUIRE(DuneConfig::FeatureBits("dstport") == 16);
}

TEST_CASE("dune splits a split again into its own flows", "[dune]")
{
    DuneDataset train;
    DuneDataset test;
    Split(train, test);
    // The same seed again: the held-out flows must come from train's own flows, not from the
    // flows train no longer has (which would leave the second part empty).
    DuneDataset fit;
    DuneDataset check;
    train.SplitByFlow(0.3, 7, fit, check);
    REQUIRE(check.Size() > 0);
    REQUIRE(fit.Size() + check.Size() == train.Size());
    std::set<uint32_t> fitFlows;
    for (const DuneSampleInfo& s : fit.samples)
    {
        fitFlows.insert(s.flow);
    }
    for (const DuneSampleInfo& s : check.samples)
    {
        REQUIRE(fitFlows.count(s.flow) == 0);
    }
    std::set<int> classes(check.data.labels.begin(), check.data.labels.end());
    REQUIRE(classes.size() == train.classNames.size()); // stratified
}

TEST_CASE("dune run on a captured trace equals the run on the traffic that made it", "[dune]")
{
    // The synthetic traffic of the experiment, written as a pcap and a label CSV: reading them
    // back must give the same systems, decisions and latencies.
    DuneExperimentOptions o;
    o.classes = 5;
    o.flowsPerClass = 30;
    o.config.seed = 3;
    nlohmann::json synthetic = DuneRunExperiment(o);

    DuneSyntheticOptions s;
    s.classes = o.classes;
    s.flowsPerClass = o.flowsPerClass;
    s.seed = o.config.seed;
    DuneSyntheticTraffic traffic = DuneGenerateSyntheticTraffic(s);
    auto dir = std::filesystem::temp_directory_path() / "aisfc-dune-pcap";
    std::filesystem::create_directories(dir);
    traffic.WritePcap((dir / "trace.pcap").string());
    traffic.WriteLabelCsv((dir / "labels.csv").string());
    o.data = (dir / "trace.pcap").string();
    o.labels = (dir / "labels.csv").string();
    nlohmann::json captured = DuneRunExperiment(o);

    REQUIRE(captured["systems"] == synthetic["systems"]);
    const nlohmann::json& dune = captured["systems"]["dune"];
    REQUIRE(dune["total_latency_ns"].get<double>() < 2000);
    REQUIRE(dune["per_switch_latency_ns"].size() == 3);
    REQUIRE(captured["systems"]["no_inference"]["total_latency_ns"].get<double>() == 852);

    o.labels.clear();
    REQUIRE_THROWS_WITH(DuneRunExperiment(o), Catch::Contains("--labels"));
}
