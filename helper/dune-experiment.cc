/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dune-experiment.h"

#include "aisfc-plot.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/dune-csv.h"
#include "ns3/dune-synthetic.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <sstream>

namespace ns3
{

namespace
{

bool
EndsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// The data set of the options, and a description of it.
DuneDataset
LoadData(const DuneExperimentOptions& o, nlohmann::json& about)
{
    DuneFeatureOptions features;
    features.packetsPerFlow = o.packetsPerFlow;
    if (o.data == "synthetic")
    {
        DuneSyntheticOptions s;
        s.classes = o.classes;
        s.flowsPerClass = o.flowsPerClass;
        s.seed = o.config.seed;
        DuneSyntheticTraffic traffic = DuneGenerateSyntheticTraffic(s);
        about = {{"source", "synthetic"},
                 {"classes", o.classes},
                 {"flows_per_class", o.flowsPerClass},
                 {"packets", traffic.packets.size()}};
        return traffic.Extract(features);
    }
    if (EndsWith(o.data, ".csv"))
    {
        DuneCsvOptions csv;
        csv.labelColumn = o.labelColumn;
        about = {{"source", o.data}, {"label_column", o.labelColumn}};
        return DuneReadFlowCsv(o.data, csv);
    }
    if (EndsWith(o.data, ".pcap") || EndsWith(o.data, ".cap"))
    {
        if (o.labels.empty())
        {
            throw AisfcInputError("--labels",
                                  "a pcap needs a label CSV (Flow ID or 5-tuple columns and a "
                                  "label column) to know each flow's class");
        }
        DuneFeatureExtractor extractor(features);
        DunePcapSummary summary = extractor.AddPcapFile(o.data, DuneReadLabelCsv(o.labels));
        about = {{"source", o.data}, {"labels", o.labels}, {"flows", extractor.FlowCount()}};
        return extractor.Build();
    }
    throw AisfcInputError("--data",
                          "'" + o.data + "' is neither 'synthetic', a .pcap nor a .csv file");
}

nlohmann::json
SystemResults(const DuneSystem& system, const DuneDataset& test)
{
    nlohmann::json r = system.Evaluate(test);
    nlohmann::json resources = nlohmann::json::array();
    for (const DuneSwitchModel& m : system.GetModels())
    {
        resources.push_back(m.Resources());
    }
    r["resources"] = resources;
    r["models"] = system.GetModels().size();
    return r;
}

std::string
Fixed(double v, int digits)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(digits) << v;
    return os.str();
}

} // namespace

nlohmann::json
DuneRunExperiment(const DuneExperimentOptions& o)
{
    auto start = std::chrono::steady_clock::now();
    nlohmann::json about;
    DuneDataset data = LoadData(o, about);
    if (data.classNames.size() < 2 || data.Size() == 0)
    {
        throw AisfcInputError("--data", "'" + o.data + "' has fewer than two classes");
    }
    DuneConfig config = o.config;
    const std::vector<std::string> duneNames = DuneFeatureNames();
    if (std::none_of(data.featureNames.begin(), data.featureNames.end(), [&](const std::string& n) {
            return std::find(duneNames.begin(), duneNames.end(), n) != duneNames.end();
        }))
    {
        config.featureSet = "data"; // not DUNE's columns: use the file's own
    }
    DuneDataset train;
    DuneDataset test;
    data.SplitByFlow(o.testFraction, config.seed, train, test);
    about["class_names"] = data.classNames;
    about["samples"] = data.Size();
    about["train_samples"] = train.Size();
    about["test_samples"] = test.Size();
    about["packets_per_flow"] = o.packetsPerFlow;

    nlohmann::json report;
    DuneSystem dune = DuneSystem::TrainDune(train, config, &report);
    DuneSystem jewel = DuneSystem::TrainJewel(train, config);
    DuneSystem mousika = DuneSystem::TrainMousika(train, config);

    nlohmann::json systems = nlohmann::json::object();
    systems["no_inference"] = {{"macro_f1", nullptr},
                               {"weighted_f1", nullptr},
                               {"micro_f1", nullptr}};
    systems["mousika"] = SystemResults(mousika, test);
    systems["jewel"] = SystemResults(jewel, test);
    systems["dune"] = SystemResults(dune, test);
    systems["dune"]["partition"] = report["partition"];
    systems["dune"]["order"] = report["order"];
    systems["dune"]["reference"] = report["reference"];

    nlohmann::json results = {{"data", about},
                              {"config",
                               {{"switches", config.switches},
                                {"feature_set", config.featureSet},
                                {"model_trees", config.modelTrees},
                                {"model_depth", config.modelDepth},
                                {"model_features", config.modelFeatures},
                                {"budget_stages", config.budget.stages},
                                {"seed", config.seed}}},
                              {"systems", systems}};
    results["wall_seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!o.out.empty())
    {
        std::filesystem::create_directories(o.out);
        WriteFileAtomically(o.out + "/results.json", results.dump(2) + "\n");
        AisfcPlotFigures(o.out, {{"dune-f1", "dune-f1.png"}});
    }
    return results;
}

std::string
DuneResultsTable(const nlohmann::json& r)
{
    std::ostringstream os;
    os << std::left << std::setw(14) << "system" << std::setw(10) << "macro F1" << std::setw(12)
       << "weighted F1" << std::setw(10) << "micro F1"
       << "switch models\n";
    for (const char* name : {"no_inference", "mousika", "jewel", "dune"})
    {
        const nlohmann::json& s = r["systems"][name];
        auto f1 = [&](const char* key) {
            return s[key].is_null() ? std::string("-") : Fixed(s[key].get<double>(), 4);
        };
        os << std::setw(14) << name << std::setw(10) << f1("macro_f1") << std::setw(12)
           << f1("weighted_f1") << std::setw(10) << f1("micro_f1")
           << (s.contains("models") ? s["models"].get<size_t>() : 0) << "\n";
    }
    return os.str();
}

} // namespace ns3
