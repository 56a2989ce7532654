/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "placement-paper.h"

#include "aisfc-plot.h"
#include "aisfc-progress.h"
#include "aisfc-scenario-kinds.h"
#include "placement-experiment.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-units.h"
#include "ns3/placement-drl.h"
#include "ns3/placement-generator.h"
#include "ns3/placement-policy.h"
#include "ns3/placement-trainer.h"

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace ns3
{

namespace
{

std::string
Join(const std::string& dir, const std::string& file)
{
    return (std::filesystem::path(dir) / file).string();
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

} // namespace

bool
PlacementTrainAgent(const std::string& policy,
                    const nlohmann::json& params,
                    const std::vector<PlacementProblem>& train,
                    uint32_t episodes,
                    uint64_t seed,
                    uint32_t checkpointEvery,
                    const std::string& out,
                    bool resume,
                    const std::atomic<bool>* stop,
                    double* wallSeconds)
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
    options.stop = stop;
    double recent = 0;
    options.progress = [&](const PlacementEpisodeLog& l) {
        recent = recent == 0 ? l.reward : 0.98 * recent + 0.02 * l.reward;
        progress.Update(l.episode + 1,
                        "reward " + FormatFixed(recent, 3) + ", eps " + FormatFixed(l.epsilon, 3));
    };
    auto start = std::chrono::steady_clock::now();
    PlacementTrainer trainer(PlacementDrl(policy, config), train, options);
    if (!trainer.GetLogs().empty())
    {
        progress.Resumed(trainer.GetLogs().size());
    }
    bool finished = trainer.Run();
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    progress.Finish(finished ? "done in " + FormatFixed(wall, 1) + " s"
                             : "stopped at a checkpoint");
    if (wallSeconds)
    {
        *wallSeconds = wall;
    }
    return finished;
}

nlohmann::json
PlacementEvaluateLogged(PlacementPolicy& policy,
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
    progress.Finish("acceptance " + FormatFixed(o["acceptance_ratio"], 4) + ", cost " +
                    FormatFixed(o["total_cost"], 4));
    *wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

nlohmann::json
PlacementRunPaper(const PlacementPaperOptions& o, nlohmann::json* timing)
{
    const std::string& out = o.out;
    const uint64_t seed = o.seed;
    const uint32_t episodes = o.episodes;
    const uint32_t ddqnEpisodes = o.ddqnEpisodes;
    const uint32_t nTrain = o.train;
    const uint32_t nTest = o.test;
    const uint32_t ilpProblems = o.ilpProblems;
    const uint32_t ilpRequests = o.ilpRequests;
    const std::string data = Join(out, "data");

    // 1. The data set (kept when a resumed run finds it complete).
    if (!std::filesystem::exists(Join(data, "generator.json")))
    {
        PlacementWriteDataSet(data, o.generator, seed, nTrain, nTest);
    }
    std::vector<PlacementProblem> train = PlacementReadDataSet(data, "train");
    std::vector<PlacementProblem> test = PlacementReadDataSet(data, "test");
    if (train.size() != nTrain || test.size() != nTest)
    {
        throw AisfcInputError(data,
                              "holds " + std::to_string(train.size()) + " + " +
                                  std::to_string(test.size()) + " problems, not the asked " +
                                  std::to_string(nTrain) + " + " + std::to_string(nTest) +
                                  " (use a new output directory)");
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
    nlohmann::json time = {{"training_seconds", nlohmann::json::object()},
                           {"evaluation_seconds", nlohmann::json::object()}};
    std::string fig5Csv = "filters,episode,reward,reward_smoothed\n";
    for (const std::string filters : {"none", "static", "dynamic", "hybrid"})
    {
        const std::string dir = Join(out, "srem-" + filters);
        double wall = 0;
        if (!PlacementTrainAgent("srem",
                                 {{"filters", filters}},
                                 train,
                                 episodes,
                                 seed,
                                 100,
                                 dir,
                                 true,
                                 o.stop,
                                 &wall))
        {
            return nullptr;
        }
        time["training_seconds"]["srem-" + filters] = wall;
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
            fig5Csv += filters + "," + std::to_string(e) + "," + FormatFixed(rewards[e], 6) + "," +
                       FormatFixed(smooth[e], 6) + "\n";
        }
    }
    {
        double wall = 0;
        if (!PlacementTrainAgent("ddqn-cm",
                                 nlohmann::json::object(),
                                 train,
                                 ddqnEpisodes,
                                 seed,
                                 100,
                                 Join(out, "ddqn-cm"),
                                 true,
                                 o.stop,
                                 &wall))
        {
            return nullptr;
        }
        time["training_seconds"]["ddqn-cm"] = wall;
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
        if (o.stop && *o.stop)
        {
            return nullptr;
        }
        made.push_back(PlacementPolicyRegistry::Create(name, params));
        double wall = 0;
        nlohmann::json r = PlacementEvaluateLogged(*made.back(), test, seed, name, &wall);
        time["evaluation_seconds"][name] = wall;
        paper["fig6"][name] = r;
        for (const nlohmann::json& s : r["slots"])
        {
            fig6Csv +=
                name + "," + std::to_string(s["slot"].get<int>()) + "," +
                FormatFixed(s["start"].get<double>() / 3600, 1) + "," +
                FormatFixed(s["acceptance_ratio"], 6) + "," + FormatFixed(s["total_cost"], 6) +
                "," + FormatFixed(s["it_cost"], 6) + "," + FormatFixed(s["bandwidth_cost"], 6) +
                "," + FormatFixed(s["reconfiguration_cost"], 6) + "," +
                FormatFixed(s["usage"]["server"], 6) + "," + FormatFixed(s["usage"]["local"], 6) +
                "," + FormatFixed(s["usage"]["external"], 6) + "\n";
        }
    }
    if (o.stop && *o.stop)
    {
        return nullptr;
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
        time["ilp_seconds"] = ilpSeconds;
    }

    WriteFileAtomically(Join(out, "fig5.csv"), fig5Csv);
    WriteFileAtomically(Join(out, "fig6.csv"), fig6Csv);
    WriteFileAtomically(Join(out, "results.json"), paper.dump(2) + "\n");
    WriteFileAtomically(Join(out, "timing.json"), time.dump(2) + "\n");
    AisfcPlotFigures(out,
                     {{"srem-fig5", "fig5-training-reward.png"},
                      {"srem-fig6a", "fig6a-acceptance.png"},
                      {"srem-fig6b", "fig6b-cost.png"},
                      {"srem-fig6c", "fig6c-usage.png"}});

    if (timing)
    {
        *timing = time;
    }
    return paper;
}

PlacementPaperOptions
PlacementPaperFromScenario(const nlohmann::json& doc, const std::string& source)
{
    PlacementPaperOptions o;
    JsonReader p = ReadExperimentSection(doc, source, "placement", o.seed);
    o.episodes = p.GetUnsigned("episodes", o.episodes, 1, 10000000);
    o.ddqnEpisodes = p.GetUnsigned("ddqn_episodes", o.episodes, 1, 10000000);
    o.train = p.GetUnsigned("train", o.train, 1, 1000000);
    o.test = p.GetUnsigned("test", o.test, 1, 1000000);
    o.ilpProblems = p.GetUnsigned("ilp_problems", o.ilpProblems, 0, 1000);
    o.ilpRequests = p.GetUnsigned("ilp_requests", o.ilpRequests, 1, 1000);
    if (p.Has("generator"))
    {
        o.generator = p.RequireValue("generator");
        PlacementGenerator::ConfigFromJson(o.generator, p.Place("generator")); // checked now
    }
    p.Finish();
    return o;
}

std::string
PlacementPaperSummary(const nlohmann::json& paper)
{
    std::ostringstream os;
    os << std::left << std::setw(10) << "policy" << std::setw(12) << "acceptance" << std::setw(12)
       << "total cost" << std::setw(10) << "IT" << std::setw(12) << "bandwidth" << std::setw(10)
       << "reconf."
       << "usage sv/LM/EM\n";
    for (const auto& [name, r] : paper["fig6"].items())
    {
        const nlohmann::json& o = r["overall"];
        os << std::setw(10) << name << std::setw(12) << FormatFixed(o["acceptance_ratio"], 4)
           << std::setw(12) << FormatFixed(o["total_cost"], 4) << std::setw(10)
           << FormatFixed(o["it_cost"], 4) << std::setw(12) << FormatFixed(o["bandwidth_cost"], 4)
           << std::setw(10) << FormatFixed(o["reconfiguration_cost"], 4)
           << FormatFixed(o["usage"]["server"], 2) << "/" << FormatFixed(o["usage"]["local"], 2)
           << "/" << FormatFixed(o["usage"]["external"], 2) << "\n";
    }
    if (paper.contains("ilp_gaps"))
    {
        const nlohmann::json& g = paper["ilp_gaps"];
        os << "ILP on " << g["slots"] << " slots of " << g["requests"] << " requests ("
           << g["ilp"]["optimal_slots"] << " proven optimal): cost "
           << FormatFixed(g["ilp"]["total_cost"], 4) << ", acceptance "
           << FormatFixed(g["ilp"]["acceptance_ratio"], 4) << "\n";
        for (const auto& [name, v] : g["policies"].items())
        {
            os << "  " << std::setw(8) << name << " cost gap "
               << FormatFixed(100 * v["cost_gap"].get<double>(), 1) << "%, acceptance gap "
               << FormatFixed(v["acceptance_gap"].get<double>(), 4) << "\n";
        }
    }
    return os.str();
}

} // namespace ns3
