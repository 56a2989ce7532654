/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Speed of the placement DRL environment and of training (issue #5): environment steps per
// second against the evaluator alone (the baseline: one PlacementEvaluateDecision per slot,
// measured in the same run), and training time per episode of srem and ddqn-cm, projected to
// the paper's scale (7000 and 12000 episodes).
//
// usage: bench-placement-env [--episodes N]   (default 200 training episodes per policy)

#include "ns3/placement-drl.h"
#include "ns3/placement-env.h"
#include "ns3/placement-generator.h"
#include "ns3/placement-trainer.h"

#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>

using namespace ns3;

namespace
{

double
Seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

} // namespace

int
main(int argc, char** argv)
{
    uint32_t episodes = 200;
    for (int i = 1; i < argc; ++i)
    {
        std::string a = argv[i];
        if (a.rfind("--episodes=", 0) == 0 && std::atoi(a.c_str() + 11) > 0)
        {
            episodes = std::atoi(a.c_str() + 11);
        }
        else
        {
            std::cerr << "bench-placement-env: unknown or bad option '" << a
                      << "' (--episodes=N, N > 0)\n";
            return 2;
        }
    }
    PlacementGenerator generator(PlacementGenerator::Preset("srem"));
    std::vector<PlacementProblem> problems = generator.GenerateSet(1, 50);
    std::cout << "srem preset: " << problems[0].requests.size() << " chains, "
              << problems[0].InstanceCount() << " instances, " << problems[0].HostSlots().size()
              << " host slots, " << PlacementFeatureCount(problems[0]) << " state features\n";

    // Random feasible actions, drawn once, so both loops evaluate the same decisions.
    std::mt19937_64 rng(5);
    std::vector<std::vector<PlacementDecision>> decisions;
    PlacementDrl randomAgent("srem", PlacementDrlConfig::Preset("srem"));
    for (const PlacementProblem& p : problems)
    {
        PlacementEnvironment env(p);
        decisions.emplace_back();
        while (!env.Done())
        {
            PlacementTransition t;
            decisions.back().push_back(randomAgent.Act(p,
                                                       env.GetSlot(),
                                                       env.GetDeployment(),
                                                       env.GetAssignment(),
                                                       env.Observe(),
                                                       1.0,
                                                       rng,
                                                       t));
            env.Step(decisions.back().back());
        }
    }

    auto start = std::chrono::steady_clock::now();
    uint64_t evaluations = 0;
    for (size_t k = 0; k < problems.size(); ++k)
    {
        PlacementDeployment previous = problems[k].initialDeployment;
        for (uint32_t t = 0; t < problems[k].slots; ++t)
        {
            PlacementEvaluateDecision(problems[k], t, previous, decisions[k][t]);
            previous = decisions[k][t].deployment;
            ++evaluations;
        }
    }
    double evalRate = evaluations / Seconds(start);

    start = std::chrono::steady_clock::now();
    uint64_t steps = 0;
    for (size_t k = 0; k < problems.size(); ++k)
    {
        PlacementEnvironment env(problems[k]);
        for (uint32_t t = 0; t < problems[k].slots; ++t)
        {
            env.Observe();
            env.Step(decisions[k][t]);
            ++steps;
        }
    }
    double stepRate = steps / Seconds(start);
    std::cout << std::fixed << std::setprecision(0) << "evaluator alone:           " << evalRate
              << " slot evaluations/s\nenvironment (observe+step): " << stepRate << " steps/s ("
              << std::setprecision(2) << evalRate / stepRate
              << "x the evaluator's time: a step maps and evaluates twice, once for the state)\n";

    for (const auto& [name, paperEpisodes] :
         {std::pair<std::string, uint32_t>{"srem", 7000}, {"ddqn-cm", 12000}})
    {
        PlacementTrainOptions options;
        options.episodes = episodes;
        options.seed = 3;
        options.checkpointEvery = 0;
        PlacementTrainer trainer(PlacementDrl(name, PlacementDrlConfig::Preset(name)),
                                 problems,
                                 options);
        start = std::chrono::steady_clock::now();
        trainer.Run();
        double perEpisode = Seconds(start) / episodes;
        std::cout << std::setprecision(2) << name << ": " << 1000 * perEpisode
                  << " ms/episode over " << episodes << " episodes ("
                  << trainer.GetAgent().ParameterCount() << " parameters); " << paperEpisodes
                  << " episodes would take " << std::setprecision(1)
                  << paperEpisodes * perEpisode / 60 << " min (target < 10 min)\n";
    }
    return 0;
}
