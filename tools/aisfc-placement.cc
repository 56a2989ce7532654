/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// `aisfc placement ...`: data sets, training, evaluation and the SR-EM paper's figures.

#include "aisfc-placement.h"

#include "aisfc-cli-args.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-plot.h"
#include "ns3/aisfc-progress.h"
#include "ns3/aisfc-units.h"
#include "ns3/placement-drl.h"
#include "ns3/placement-experiment.h"
#include "ns3/placement-paper.h"
#include "ns3/placement-trainer.h"

#include <atomic>
#include <csignal>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace ns3
{

namespace
{

const char* PLACEMENT_USAGE = R"(usage: aisfc placement COMMAND ...
  generate [--preset srem] [--config GEN.json] [--seed S] [--train N] [--test M] --out DIR
                     a data set: DIR/train.jsonl, DIR/test.jsonl, DIR/generator.json
  train --policy srem|ddqn-cm [--filters none|static|dynamic|hybrid] [--params P.json]
        --data DIR [--episodes E] [--seed S] [--checkpoint-every K] --out MODEL_DIR [--resume]
                     train on DIR's training set; MODEL_DIR/model.bin, rewards.csv,
                     checkpoint.bin (--resume continues after a kill)
  eval --policy NAME [--model MODEL_DIR] [--params P.json] --data DIR [--seed S] [--limit N]
       --out OUT     run a policy over DIR's test set; OUT/results.json
  policies           list the policies
  paper --out DIR [--episodes E] [--ddqn-episodes E] [--train N] [--test M] [--seed S]
        [--ilp-problems K] [--ilp-requests R]
                     the SR-EM evaluation end to end: data set, training (four filter settings
                     and DDQN-CM), every policy on the test set, ILP gaps, CSV and PNG figures
)";

std::atomic<bool> g_stop{false};

void
OnSignal(int)
{
    g_stop = true;
}

/// SIGINT and SIGTERM let training checkpoint before it exits.
void
CatchStopSignals()
{
    std::signal(SIGINT, OnSignal);
    std::signal(SIGTERM, OnSignal);
}

std::string
Join(const std::string& dir, const std::string& file)
{
    return (std::filesystem::path(dir) / file).string();
}

int
Generate(const Args& args)
{
    nlohmann::json config = args.values.count("--config") ? ReadJsonFile(args.values.at("--config"))
                                                          : nlohmann::json::object();
    if (args.values.count("--preset"))
    {
        config["preset"] = args.values.at("--preset");
    }
    uint64_t seed = ArgUnsigned(args, "--seed", 1, 0, UINT64_MAX);
    uint32_t train = ArgUnsigned(args, "--train", 1200, 0, 1000000);
    uint32_t test = ArgUnsigned(args, "--test", 300, 0, 1000000);
    PlacementWriteDataSet(args.Require("--out"), config, seed, train, test);
    std::cout << "data set in " << args.out << ": " << train << " training and " << test
              << " test problems (seed " << seed << ")\n";
    return 0;
}

/// The settings of a policy from --params and --filters.
nlohmann::json
PolicyParams(const Args& args)
{
    nlohmann::json params = args.values.count("--params") ? ReadJsonFile(args.values.at("--params"))
                                                          : nlohmann::json::object();
    if (!params.is_object())
    {
        throw AisfcInputError(args.values.at("--params"), "policy parameters must be an object");
    }
    if (args.values.count("--filters"))
    {
        params["filters"] = args.values.at("--filters");
    }
    return params;
}

int
Train(const Args& args)
{
    CatchStopSignals();
    std::vector<PlacementProblem> train = PlacementReadDataSet(args.Require("--data"), "train");
    bool finished = PlacementTrainAgent(args.Require("--policy"),
                                        PolicyParams(args),
                                        train,
                                        ArgUnsigned(args, "--episodes", 7000, 1, 10000000),
                                        ArgUnsigned(args, "--seed", 1, 0, UINT64_MAX),
                                        ArgUnsigned(args, "--checkpoint-every", 100, 1, 10000000),
                                        args.Require("--out"),
                                        args.Has("--resume"),
                                        &g_stop);
    if (!finished)
    {
        std::cerr << "stopped; the same command with --resume continues\n";
        return 130;
    }
    std::cout << "model in " << Join(args.out, "model.bin") << ", rewards in "
              << Join(args.out, "rewards.csv") << "\n";
    return 0;
}

int
Eval(const Args& args)
{
    std::string name = args.Require("--policy");
    nlohmann::json params = PolicyParams(args);
    if (args.values.count("--model"))
    {
        params["model"] = Join(args.values.at("--model"), "model.bin");
    }
    std::unique_ptr<PlacementPolicy> policy = PlacementPolicyRegistry::Create(name, params);
    std::vector<PlacementProblem> test = PlacementReadDataSet(args.Require("--data"), "test");
    uint64_t limit = ArgUnsigned(args, "--limit", test.size(), 1, UINT64_MAX);
    test.resize(std::min<uint64_t>(limit, test.size()));
    double wall = 0;
    nlohmann::json r = PlacementEvaluateLogged(*policy,
                                               test,
                                               ArgUnsigned(args, "--seed", 1, 0, UINT64_MAX),
                                               name,
                                               &wall);
    std::filesystem::create_directories(args.Require("--out"));
    // results.json is byte-identical for the same inputs; wall time goes beside it.
    WriteFileAtomically(Join(args.out, "results.json"), r.dump(2) + "\n");
    WriteFileAtomically(Join(args.out, "timing.json"),
                        nlohmann::json({{"wall_seconds", wall}}).dump(2) + "\n");
    const nlohmann::json& o = r["overall"];
    std::cout << name << " on " << test.size() << " problems: acceptance "
              << FormatFixed(o["acceptance_ratio"], 4) << ", total cost "
              << FormatFixed(o["total_cost"], 4) << " (IT " << FormatFixed(o["it_cost"], 4)
              << ", bandwidth " << FormatFixed(o["bandwidth_cost"], 4) << ", reconfiguration "
              << FormatFixed(o["reconfiguration_cost"], 4) << "); usage server "
              << FormatFixed(o["usage"]["server"], 3) << ", local "
              << FormatFixed(o["usage"]["local"], 3) << ", external "
              << FormatFixed(o["usage"]["external"], 3) << "\nresults in "
              << Join(args.out, "results.json") << "\n";
    return 0;
}

/// Paper's answer to SIGINT/SIGTERM, checked between its steps: exit 130 with the way back.
int
PaperStopped()
{
    std::cerr << "stopped; the same command continues from the finished trainings\n";
    return 130;
}

int
Paper(const Args& args)
{
    CatchStopSignals();
    PlacementPaperOptions o;
    o.out = args.Require("--out");
    o.seed = ArgUnsigned(args, "--seed", 1, 0, UINT64_MAX);
    o.episodes = ArgUnsigned(args, "--episodes", 7000, 1, 10000000);
    o.ddqnEpisodes = ArgUnsigned(args, "--ddqn-episodes", o.episodes, 1, 10000000);
    o.train = ArgUnsigned(args, "--train", 1200, 1, 1000000);
    o.test = ArgUnsigned(args, "--test", 300, 1, 1000000);
    o.ilpProblems = ArgUnsigned(args, "--ilp-problems", 3, 0, 1000);
    o.ilpRequests = ArgUnsigned(args, "--ilp-requests", 6, 1, 1000);
    o.stop = &g_stop;
    nlohmann::json timing;
    nlohmann::json paper = PlacementRunPaper(o, &timing);
    if (paper.is_null())
    {
        return PaperStopped();
    }
    std::cout << PlacementPaperSummary(paper);
    std::cout << "training wall time (s):";
    for (const auto& [name, v] : timing["training_seconds"].items())
    {
        std::cout << " " << name << " " << FormatFixed(v, 1);
    }
    std::cout << "\nfigures and CSV in " << o.out << "\n";
    return 0;
}

} // namespace

int
PlacementCommand(int argc, char** argv)
{
    if (argc < 3 || std::string(argv[2]) == "--help")
    {
        std::cout << PLACEMENT_USAGE;
        return argc < 3 ? 2 : 0;
    }
    const std::string command = argv[2];
    Args args(argc,
              argv,
              3,
              {"--resume"},
              {"--preset",
               "--config",
               "--seed",
               "--train",
               "--test",
               "--policy",
               "--filters",
               "--params",
               "--data",
               "--episodes",
               "--ddqn-episodes",
               "--checkpoint-every",
               "--model",
               "--limit",
               "--ilp-problems",
               "--ilp-requests"},
              PLACEMENT_USAGE);
    if (!args.positional.empty())
    {
        throw AisfcInputError("placement " + command,
                              "unexpected argument '" + args.positional[0] + "'");
    }
    if (command == "generate")
    {
        return Generate(args);
    }
    if (command == "train")
    {
        return Train(args);
    }
    if (command == "eval")
    {
        return Eval(args);
    }
    if (command == "paper")
    {
        return Paper(args);
    }
    if (command == "policies")
    {
        for (const PlacementPolicyInfo& p : PlacementPolicyRegistry::List())
        {
            std::cout << p.name << "\t" << p.description << "\n";
        }
        return 0;
    }
    throw AisfcInputError("placement " + command,
                          "unknown command\n" + std::string(PLACEMENT_USAGE));
}

} // namespace ns3
