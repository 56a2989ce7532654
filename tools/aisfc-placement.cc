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
#include "ns3/placement-drl.h"
#include "ns3/placement-experiment.h"
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
Fixed(double v, int digits)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(digits) << v;
    return os.str();
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

/// Train one agent; \return whether it finished (false: stopped by a signal).
bool
TrainAgent(const std::string& policy,
           const nlohmann::json& params,
           const std::vector<PlacementProblem>& train,
           uint32_t episodes,
           uint64_t seed,
           uint32_t checkpointEvery,
           const std::string& out,
           bool resume,
           double* wallSeconds = nullptr)
{
    if (policy != "srem" && policy != "ddqn-cm")
    {
        throw AisfcInputError("--policy", "'" + policy + "' is not trainable (srem, ddqn-cm)");
    }
    PlacementDrlConfig config = PlacementDrlConfig::FromJson(PlacementDrlConfig::Preset(policy),
                                                             params,
                                                             "policy parameters");
    AisfcProgress progress("train " + policy + " (" + PlacementFilterModeName(config.filters) + ")",
                           episodes,
                           "episodes",
                           std::cerr,
                           AisfcProgress::StderrIsTerminal());
    PlacementTrainOptions options;
    options.episodes = episodes;
    options.seed = seed;
    options.checkpointEvery = checkpointEvery;
    options.outDir = out;
    options.resume = resume;
    options.stop = &g_stop;
    double recent = 0;
    options.progress = [&](const PlacementEpisodeLog& l) {
        recent = recent == 0 ? l.reward : 0.98 * recent + 0.02 * l.reward;
        progress.Update(l.episode + 1,
                        "reward " + Fixed(recent, 3) + ", eps " + Fixed(l.epsilon, 3));
    };
    auto start = std::chrono::steady_clock::now();
    PlacementTrainer trainer(PlacementDrl(policy, config), train, options);
    if (!trainer.GetLogs().empty())
    {
        progress.Resumed(trainer.GetLogs().size());
    }
    bool finished = trainer.Run();
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    progress.Finish(finished ? "done in " + Fixed(wall, 1) + " s" : "stopped at a checkpoint");
    if (wallSeconds)
    {
        *wallSeconds = wall;
    }
    return finished;
}

int
Train(const Args& args)
{
    CatchStopSignals();
    std::vector<PlacementProblem> train = PlacementReadDataSet(args.Require("--data"), "train");
    bool finished = TrainAgent(args.Require("--policy"),
                               PolicyParams(args),
                               train,
                               ArgUnsigned(args, "--episodes", 7000, 1, 10000000),
                               ArgUnsigned(args, "--seed", 1, 0, UINT64_MAX),
                               ArgUnsigned(args, "--checkpoint-every", 100, 1, 10000000),
                               args.Require("--out"),
                               args.Has("--resume"));
    if (!finished)
    {
        std::cerr << "stopped; the same command with --resume continues\n";
        return 130;
    }
    std::cout << "model in " << Join(args.out, "model.bin") << ", rewards in "
              << Join(args.out, "rewards.csv") << "\n";
    return 0;
}

/// Evaluate a policy on problems and print its line.
nlohmann::json
EvaluatePolicy(PlacementPolicy& policy,
               const std::vector<PlacementProblem>& problems,
               uint64_t seed,
               const std::string& label,
               double* wallSeconds)
{
    auto start = std::chrono::steady_clock::now();
    AisfcProgress progress("eval " + label,
                           problems.size(),
                           "problems",
                           std::cerr,
                           AisfcProgress::StderrIsTerminal());
    nlohmann::json r =
        PlacementEvaluateSet(policy, problems, seed, [&](size_t done) { progress.Update(done); });
    const nlohmann::json& o = r["overall"];
    progress.Finish("acceptance " + Fixed(o["acceptance_ratio"], 4) + ", cost " +
                    Fixed(o["total_cost"], 4));
    *wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
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
    nlohmann::json r =
        EvaluatePolicy(*policy, test, ArgUnsigned(args, "--seed", 1, 0, UINT64_MAX), name, &wall);
    std::filesystem::create_directories(args.Require("--out"));
    // results.json is byte-identical for the same inputs; wall time goes beside it.
    WriteFileAtomically(Join(args.out, "results.json"), r.dump(2) + "\n");
    WriteFileAtomically(Join(args.out, "timing.json"),
                        nlohmann::json({{"wall_seconds", wall}}).dump(2) + "\n");
    const nlohmann::json& o = r["overall"];
    std::cout << name << " on " << test.size() << " problems: acceptance "
              << Fixed(o["acceptance_ratio"], 4) << ", total cost " << Fixed(o["total_cost"], 4)
              << " (IT " << Fixed(o["it_cost"], 4) << ", bandwidth "
              << Fixed(o["bandwidth_cost"], 4) << ", reconfiguration "
              << Fixed(o["reconfiguration_cost"], 4) << "); usage server "
              << Fixed(o["usage"]["server"], 3) << ", local " << Fixed(o["usage"]["local"], 3)
              << ", external " << Fixed(o["usage"]["external"], 3) << "\nresults in "
              << Join(args.out, "results.json") << "\n";
    return 0;
}

/// Moving average of the episode rewards (window w), for Fig. 5.
std::vector<double>
Smooth(const std::vector<double>& v, size_t w)
{
    std::vector<double> out;
    double sum = 0;
    for (size_t k = 0; k < v.size(); ++k)
    {
        sum += v[k];
        if (k >= w)
        {
            sum -= v[k - w];
        }
        out.push_back(sum / double(std::min(k + 1, w)));
    }
    return out;
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
    const std::string out = args.Require("--out");
    const uint64_t seed = ArgUnsigned(args, "--seed", 1, 0, UINT64_MAX);
    const uint32_t episodes = ArgUnsigned(args, "--episodes", 7000, 1, 10000000);
    const uint32_t ddqnEpisodes = ArgUnsigned(args, "--ddqn-episodes", episodes, 1, 10000000);
    const uint32_t nTrain = ArgUnsigned(args, "--train", 1200, 1, 1000000);
    const uint32_t nTest = ArgUnsigned(args, "--test", 300, 1, 1000000);
    const uint32_t ilpProblems = ArgUnsigned(args, "--ilp-problems", 3, 0, 1000);
    const uint32_t ilpRequests = ArgUnsigned(args, "--ilp-requests", 6, 1, 1000);
    const std::string data = Join(out, "data");

    // 1. The data set (kept when a resumed run finds it complete).
    if (!std::filesystem::exists(Join(data, "generator.json")))
    {
        PlacementWriteDataSet(data, {{"preset", "srem"}}, seed, nTrain, nTest);
    }
    std::vector<PlacementProblem> train = PlacementReadDataSet(data, "train");
    std::vector<PlacementProblem> test = PlacementReadDataSet(data, "test");
    if (train.size() != nTrain || test.size() != nTest)
    {
        throw AisfcInputError(data,
                              "holds " + std::to_string(train.size()) + " + " +
                                  std::to_string(test.size()) + " problems, not the asked " +
                                  std::to_string(nTrain) + " + " + std::to_string(nTest) +
                                  " (use a new --out)");
    }

    // 2. Training: SR-EM under the four filter settings (Fig. 5), and DDQN-CM.  Each run
    // resumes from its own checkpoint, so rerunning the command after a kill loses nothing.
    nlohmann::json paper = {{"seed", seed},
                            {"train", nTrain},
                            {"test", nTest},
                            {"episodes", episodes},
                            {"ddqn_episodes", ddqnEpisodes},
                            {"fig5", nlohmann::json::object()}};
    // Wall times go to timing.json, so that results.json is byte-identical for the same seed.
    nlohmann::json timing = {{"training_seconds", nlohmann::json::object()},
                             {"evaluation_seconds", nlohmann::json::object()}};
    std::string fig5Csv = "filters,episode,reward,reward_smoothed\n";
    for (const std::string filters : {"none", "static", "dynamic", "hybrid"})
    {
        const std::string dir = Join(out, "srem-" + filters);
        double wall = 0;
        if (!TrainAgent("srem",
                        {{"filters", filters}},
                        train,
                        episodes,
                        seed,
                        100,
                        dir,
                        true,
                        &wall))
        {
            return PaperStopped();
        }
        timing["training_seconds"]["srem-" + filters] = wall;
        std::vector<double> rewards;
        std::istringstream csv(ReadInputFile(Join(dir, "rewards.csv")));
        std::string line;
        std::getline(csv, line); // header
        while (std::getline(csv, line))
        {
            std::istringstream fields(line);
            std::string field;
            for (int k = 0; k < 4 && std::getline(fields, field, ','); ++k)
            {
            }
            rewards.push_back(std::stod(field));
        }
        std::vector<double> smooth = Smooth(rewards, std::max<size_t>(1, episodes / 50));
        paper["fig5"][filters] = smooth;
        for (size_t e = 0; e < rewards.size(); ++e)
        {
            fig5Csv += filters + "," + std::to_string(e) + "," + Fixed(rewards[e], 6) + "," +
                       Fixed(smooth[e], 6) + "\n";
        }
    }
    {
        double wall = 0;
        if (!TrainAgent("ddqn-cm",
                        nlohmann::json::object(),
                        train,
                        ddqnEpisodes,
                        seed,
                        100,
                        Join(out, "ddqn-cm"),
                        true,
                        &wall))
        {
            return PaperStopped();
        }
        timing["training_seconds"]["ddqn-cm"] = wall;
    }

    // 3. Every policy on the test set (Fig. 6a-c), then the ILP's gaps on small instances.
    std::vector<std::pair<std::string, nlohmann::json>> policies = {
        {"random", nlohmann::json::object()},
        {"lag", nlohmann::json::object()},
        {"ddqn-cm", {{"model", Join(Join(out, "ddqn-cm"), "model.bin")}}},
        {"srem", {{"model", Join(Join(out, "srem-hybrid"), "model.bin")}}}};
    std::string fig6Csv = "policy,slot,start_hour,acceptance_ratio,total_cost,it_cost,"
                          "bandwidth_cost,reconfiguration_cost,usage_server,usage_local,"
                          "usage_external\n";
    std::vector<std::unique_ptr<PlacementPolicy>> made;
    for (const auto& [name, params] : policies)
    {
        if (g_stop)
        {
            return PaperStopped();
        }
        made.push_back(PlacementPolicyRegistry::Create(name, params));
        double wall = 0;
        nlohmann::json r = EvaluatePolicy(*made.back(), test, seed, name, &wall);
        timing["evaluation_seconds"][name] = wall;
        paper["fig6"][name] = r;
        for (const nlohmann::json& s : r["slots"])
        {
            fig6Csv += name + "," + std::to_string(s["slot"].get<int>()) + "," +
                       Fixed(s["start"].get<double>() / 3600, 1) + "," +
                       Fixed(s["acceptance_ratio"], 6) + "," + Fixed(s["total_cost"], 6) + "," +
                       Fixed(s["it_cost"], 6) + "," + Fixed(s["bandwidth_cost"], 6) + "," +
                       Fixed(s["reconfiguration_cost"], 6) + "," + Fixed(s["usage"]["server"], 6) +
                       "," + Fixed(s["usage"]["local"], 6) + "," +
                       Fixed(s["usage"]["external"], 6) + "\n";
        }
    }
    if (g_stop)
    {
        return PaperStopped();
    }
    if (ilpProblems > 0)
    {
        std::vector<PlacementPolicy*> compared;
        for (auto& p : made)
        {
            compared.push_back(p.get());
        }
        std::cerr << "ilp: optimality gaps on " << ilpProblems << " test problems cut to "
                  << ilpRequests << " requests\n";
        std::vector<PlacementProblem> small(test.begin(),
                                            test.begin() +
                                                std::min<size_t>(ilpProblems, test.size()));
        double ilpSeconds = 0;
        paper["ilp_gaps"] = PlacementIlpGaps(compared, small, ilpRequests, seed, &ilpSeconds);
        timing["ilp_seconds"] = ilpSeconds;
    }

    WriteFileAtomically(Join(out, "fig5.csv"), fig5Csv);
    WriteFileAtomically(Join(out, "fig6.csv"), fig6Csv);
    WriteFileAtomically(Join(out, "results.json"), paper.dump(2) + "\n");
    WriteFileAtomically(Join(out, "timing.json"), timing.dump(2) + "\n");
    AisfcPlotFigures(out,
                     {{"srem-fig5", "fig5-training-reward.png"},
                      {"srem-fig6a", "fig6a-acceptance.png"},
                      {"srem-fig6b", "fig6b-cost.png"},
                      {"srem-fig6c", "fig6c-usage.png"}});

    std::cout << std::left << std::setw(10) << "policy" << std::setw(12) << "acceptance"
              << std::setw(12) << "total cost" << std::setw(10) << "IT" << std::setw(12)
              << "bandwidth" << std::setw(10) << "reconf."
              << "usage sv/LM/EM\n";
    for (const auto& [name, params] : policies)
    {
        const nlohmann::json& o = paper["fig6"][name]["overall"];
        std::cout << std::setw(10) << name << std::setw(12) << Fixed(o["acceptance_ratio"], 4)
                  << std::setw(12) << Fixed(o["total_cost"], 4) << std::setw(10)
                  << Fixed(o["it_cost"], 4) << std::setw(12) << Fixed(o["bandwidth_cost"], 4)
                  << std::setw(10) << Fixed(o["reconfiguration_cost"], 4)
                  << Fixed(o["usage"]["server"], 2) << "/" << Fixed(o["usage"]["local"], 2) << "/"
                  << Fixed(o["usage"]["external"], 2) << "\n";
    }
    if (paper.contains("ilp_gaps"))
    {
        const nlohmann::json& g = paper["ilp_gaps"];
        std::cout << "ILP on " << g["slots"] << " slots of " << g["requests"] << " requests ("
                  << g["ilp"]["optimal_slots"] << " proven optimal): cost "
                  << Fixed(g["ilp"]["total_cost"], 4) << ", acceptance "
                  << Fixed(g["ilp"]["acceptance_ratio"], 4) << "\n";
        for (const auto& [name, v] : g["policies"].items())
        {
            std::cout << "  " << std::setw(8) << name << " cost gap "
                      << Fixed(100 * v["cost_gap"].get<double>(), 1) << "%, acceptance gap "
                      << Fixed(v["acceptance_gap"].get<double>(), 4) << "\n";
        }
    }
    std::cout << "training wall time (s):";
    for (const auto& [name, v] : timing["training_seconds"].items())
    {
        std::cout << " " << name << " " << Fixed(v, 1);
    }
    std::cout << "\nfigures and CSV in " << out << "\n";
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
