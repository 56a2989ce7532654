/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// `aisfc dune run ...`: DUNE against Mousika and Jewel, from data to switch tables.

#include "aisfc-dune.h"

#include "aisfc-cli-args.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/dune-experiment.h"

#include <cmath>
#include <iostream>

namespace ns3
{

namespace
{

const char* DUNE_USAGE =
    R"(usage: aisfc dune run [--data synthetic|FILE.pcap|FILE.csv] [--labels LABELS.csv]
                      [--label COLUMN] [--classes N] [--flows-per-class N]
                      [--packets-per-flow N] [--switches S] [--config DUNE.json] [--seed S]
                      [--speedup X | --packet-rate PPS] --out DIR
  trains DUNE (partitioned sub-models, one per switch), Mousika and Jewel on the training flows,
  compiles them into switch tables within the per-switch budget, evaluates them on the test
  flows and writes DIR/results.json (Table I: F1 and latency per system) and PNG figures.
  --data        synthetic traffic (default), a pcap with --labels (Flow ID or 5-tuple -> label),
                or a flow-level CSV with a label column (--label, default "Label")
  --speedup     replay the held-out flows X times faster than captured (tcpreplay -x)
  --packet-rate replay them at a fixed rate in packets per second (tcpreplay --pps)
  --config      DUNE settings as JSON: featureSet, switches, minModels, exactPartition,
                modelTrees, modelDepth, modelFeatures, referenceTrees, referenceDepth, seed,
                budgetStages
)";

} // namespace

int
DuneCommand(int argc, char** argv)
{
    if (argc < 3 || std::string(argv[2]) == "--help")
    {
        std::cout << DUNE_USAGE;
        return argc < 3 ? 2 : 0;
    }
    if (std::string(argv[2]) != "run")
    {
        throw AisfcInputError("dune " + std::string(argv[2]),
                              "unknown command\n" + std::string(DUNE_USAGE));
    }
    Args args(argc,
              argv,
              3,
              {},
              {"--data",
               "--labels",
               "--label",
               "--classes",
               "--flows-per-class",
               "--packets-per-flow",
               "--switches",
               "--config",
               "--seed",
               "--speedup",
               "--packet-rate"},
              DUNE_USAGE);
    if (!args.positional.empty())
    {
        throw AisfcInputError("dune run", "unexpected argument '" + args.positional[0] + "'");
    }
    DuneExperimentOptions o;
    if (args.values.count("--config"))
    {
        const std::string& path = args.values.at("--config");
        o.config = DuneConfig::FromJson(ReadJsonFile(path), path);
    }
    o.data = args.values.count("--data") ? args.values.at("--data") : o.data;
    o.labels = args.values.count("--labels") ? args.values.at("--labels") : o.labels;
    o.labelColumn = args.values.count("--label") ? args.values.at("--label") : o.labelColumn;
    o.classes = ArgUnsigned(args, "--classes", o.classes, 2, 64);
    o.flowsPerClass = ArgUnsigned(args, "--flows-per-class", o.flowsPerClass, 1, 100000);
    o.packetsPerFlow = ArgUnsigned(args, "--packets-per-flow", o.packetsPerFlow, 1, 64);
    o.config.switches = ArgUnsigned(args, "--switches", o.config.switches, 1, 16);
    o.config.minModels = std::min(o.config.minModels, o.config.switches);
    o.config.seed = ArgUnsigned(args, "--seed", o.config.seed, 0, UINT64_MAX);
    auto positive = [&](const std::string& name, double def) {
        if (!args.values.count(name))
        {
            return def;
        }
        const std::string& v = args.values.at(name);
        size_t used = 0;
        double x = 0;
        try
        {
            x = std::stod(v, &used);
        }
        catch (const std::exception&)
        {
            used = 0;
        }
        if (used != v.size() || !(x > 0) || !std::isfinite(x))
        {
            throw AisfcInputError(name, "expected a positive number, got '" + v + "'");
        }
        return x;
    };
    o.speedup = positive("--speedup", o.speedup);
    o.packetRate = positive("--packet-rate", o.packetRate);
    o.out = args.Require("--out");
    nlohmann::json timing;
    nlohmann::json results = DuneRunExperiment(o, &timing);
    std::cout << DuneResultsTable(results);
    for (const auto& [system, replay] : timing["replay"].items())
    {
        if (replay.contains("packets_per_wall_second"))
        {
            std::cout << "replay " << system << ": " << replay["packets"] << " packets, "
                      << uint64_t(replay["packets_per_wall_second"].get<double>())
                      << " simulated packets per wall second\n";
        }
    }
    std::cout << "results in " << o.out << "/results.json (wall time "
              << timing["wall_seconds"].get<double>() << " s)\n";
    return 0;
}

} // namespace ns3
