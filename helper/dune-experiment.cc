/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dune-experiment.h"

#include "aisfc-plot.h"
#include "aisfc-scenario-kinds.h"
#include "dune-dataplane.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-units.h"
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

/// The traffic behind a data set built from packets (none for flow-level CSVs).
struct DunePackets
{
    std::vector<DunePacket> packets;
    DuneLabelMap labels;
};

/// The data set of the options, its packets when it has some, and a description.
DuneDataset
LoadData(const DuneExperimentOptions& o, nlohmann::json& about, DunePackets& trace)
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
        trace.packets = traffic.packets;
        trace.labels = traffic.labels;
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
        trace.labels = DuneReadLabelCsv(o.labels);
        trace.packets = DunePcapReader::ReadAll(o.data);
        DuneFeatureExtractor extractor(features);
        for (const std::string& name : trace.labels.ClassNames())
        {
            extractor.ClassIndex(name); // classes numbered as the label file lists them
        }
        for (const DunePacket& p : trace.packets)
        {
            extractor.Add(p, trace.labels);
        }
        about = {{"source", o.data},
                 {"labels", o.labels},
                 {"packets", trace.packets.size()},
                 {"flows", extractor.FlowCount()}};
        return extractor.Build();
    }
    throw AisfcInputError("--data",
                          "'" + o.data + "' is neither 'synthetic', a .pcap nor a .csv file");
}

/// F1 from the tables in software and, when there are packets, latency and F1 measured by
/// replaying the test flows through the switches.
nlohmann::json
SystemResults(const DuneSystem* system,
              const DuneDataset& test,
              const std::vector<DunePacket>& testPackets,
              const DunePackets& trace,
              const DuneExperimentOptions& o,
              nlohmann::json& timing)
{
    nlohmann::json r = system ? system->Evaluate(test)
                              : nlohmann::json{{"macro_f1", nullptr},
                                               {"weighted_f1", nullptr},
                                               {"micro_f1", nullptr}};
    if (!testPackets.empty())
    {
        DuneDataPlaneOptions options;
        options.switches = o.config.switches;
        options.packetsPerFlow = o.packetsPerFlow;
        options.keepPackets = false;
        options.speedup = o.speedup;
        options.packetRate = o.packetRate;
        nlohmann::json plane =
            DuneRunDataPlane(system, testPackets, trace.labels, test.classNames, options)
                .ToJson(test.classNames);
        for (const char* key : {"total_latency_ns",
                                "per_switch_latency_ns",
                                "end_to_end_latency_ns",
                                "time_to_classification_ns",
                                "time_to_flow_decision_ns",
                                "collisions",
                                "entries_installed"})
        {
            r[key] = plane[key];
        }
        // What the switches decided is the result; the tables in software stay beside it
        // (they differ only where flows collided in the switches' registers).
        if (system)
        {
            r["software"] = {{"macro_f1", r["macro_f1"]},
                             {"weighted_f1", r["weighted_f1"]},
                             {"micro_f1", r["micro_f1"]}};
        }
        for (const char* key : {"macro_f1",
                                "weighted_f1",
                                "micro_f1",
                                "per_class_f1",
                                "packet_level_share",
                                "flow_level_share",
                                "decided_by"})
        {
            r[key] = plane[key];
        }
        r["switches"] = plane["resources"];
        timing = plane["replay"]; // wall-clock figures stay out of the reproducible results
    }
    if (!system)
    {
        return r;
    }
    nlohmann::json resources = nlohmann::json::array();
    for (const DuneSwitchModel& m : system->GetModels())
    {
        resources.push_back(m.Resources());
    }
    r["resources"] = resources;
    r["models"] = system->GetModels().size();
    return r;
}

} // namespace

nlohmann::json
DuneRunExperiment(const DuneExperimentOptions& o, nlohmann::json* timing)
{
    auto start = std::chrono::steady_clock::now();
    nlohmann::json about;
    DunePackets trace;
    DuneDataset data = LoadData(o, about, trace);
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

    // The data plane replays the held-out flows (flow CSVs have no packets: software only).
    const std::vector<DunePacket> testPackets =
        trace.packets.empty() ? std::vector<DunePacket>() : DuneFlowPackets(trace.packets, test);
    nlohmann::json systems = nlohmann::json::object();
    nlohmann::json replay = nlohmann::json::object();
    systems["no_inference"] =
        SystemResults(nullptr, test, testPackets, trace, o, replay["no_inference"]);
    systems["mousika"] = SystemResults(&mousika, test, testPackets, trace, o, replay["mousika"]);
    systems["jewel"] = SystemResults(&jewel, test, testPackets, trace, o, replay["jewel"]);
    systems["dune"] = SystemResults(&dune, test, testPackets, trace, o, replay["dune"]);
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
    nlohmann::json time = {
        {"wall_seconds",
         std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()},
        {"replay", replay}};
    if (timing)
    {
        *timing = time;
    }
    if (!o.out.empty())
    {
        std::filesystem::create_directories(o.out);
        WriteFileAtomically(o.out + "/results.json", results.dump(2) + "\n");
        WriteFileAtomically(o.out + "/timing.json", time.dump(2) + "\n");
        std::vector<std::pair<std::string, std::string>> figures{{"dune-f1", "dune-f1.png"}};
        if (results["systems"]["dune"].contains("total_latency_ns"))
        {
            figures.emplace_back("dune-latency", "dune-latency.png");
        }
        AisfcPlotFigures(o.out, figures);
    }
    return results;
}

std::string
DuneResultsTable(const nlohmann::json& r)
{
    std::ostringstream os;
    os << std::left << std::setw(14) << "system" << std::setw(10) << "macro F1" << std::setw(12)
       << "weighted F1" << std::setw(10) << "micro F1" << std::setw(12) << "latency ns"
       << "switch models\n";
    for (const char* name : {"no_inference", "mousika", "jewel", "dune"})
    {
        const nlohmann::json& s = r["systems"][name];
        auto f1 = [&](const char* key) {
            return s[key].is_null() ? std::string("-") : FormatFixed(s[key].get<double>(), 4);
        };
        os << std::setw(14) << name << std::setw(10) << f1("macro_f1") << std::setw(12)
           << f1("weighted_f1") << std::setw(10) << f1("micro_f1") << std::setw(12)
           << (s.contains("total_latency_ns") ? FormatFixed(s["total_latency_ns"].get<double>(), 0)
                                              : std::string("-"))
           << (s.contains("models") ? s["models"].get<size_t>() : 0) << "\n";
    }
    return os.str();
}

DuneExperimentOptions
DuneExperimentFromJson(JsonReader& r)
{
    DuneExperimentOptions o;
    if (r.Has("config"))
    {
        o.config = DuneConfig::FromJson(r.RequireValue("config"), r.Place("config"));
    }
    o.data = r.GetString("data", o.data);
    o.labels = r.GetString("labels", o.labels);
    o.labelColumn = r.GetString("label_column", o.labelColumn);
    o.classes = r.GetUnsigned("classes", o.classes, 2, 64);
    o.flowsPerClass = r.GetUnsigned("flows_per_class", o.flowsPerClass, 1, 100000);
    o.packetsPerFlow = r.GetUnsigned("packets_per_flow", o.packetsPerFlow, 1, 64);
    o.testFraction = r.GetNumber("test_fraction", o.testFraction);
    o.speedup = r.GetNumber("speedup", o.speedup);
    o.packetRate = r.GetNumber("packet_rate", o.packetRate);
    if (!(o.testFraction > 0 && o.testFraction < 1))
    {
        throw AisfcInputError(r.Place("test_fraction"), "must lie strictly between 0 and 1");
    }
    if (!(o.speedup > 0) || !(o.packetRate >= 0))
    {
        throw AisfcInputError(r.Place(o.speedup > 0 ? "packet_rate" : "speedup"),
                              "must be positive");
    }
    if (r.Has("switches"))
    {
        // As `dune run --switches`: fewer switches than the default models lower the floor.
        o.config.switches = r.GetUnsigned("switches", o.config.switches, 1, 16);
        o.config.minModels = std::min(o.config.minModels, o.config.switches);
    }
    return o;
}

DuneExperimentOptions
DuneExperimentFromScenario(const nlohmann::json& doc, const std::string& source)
{
    uint64_t seed = 0;
    JsonReader d = ReadExperimentSection(doc, source, "dune", seed);
    if (d.Has("config") && d.RequireValue("config").is_object() &&
        d.RequireValue("config").contains("seed"))
    {
        throw AisfcInputError(d.Place("config") + "/seed",
                              "the scenario's own \"seed\" and \"run\" seed DUNE");
    }
    DuneExperimentOptions o = DuneExperimentFromJson(d);
    o.config.seed = seed;
    d.Finish();
    return o;
}

} // namespace ns3
