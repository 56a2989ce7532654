/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "placement-experiment.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/placement-generator.h"
#include "ns3/placement-ilp.h"

#include <filesystem>
#include <map>
#include <sstream>

namespace ns3
{

namespace
{

std::string
PartPath(const std::string& dir, const std::string& part)
{
    return (std::filesystem::path(dir) / (part + ".jsonl")).string();
}

/// The figures of one slot result, as the eval summary names them.
struct SlotFigures
{
    double acceptance = 0;
    double total = 0;
    double it = 0;
    double bandwidth = 0;
    double reconfiguration = 0;
    double reward = 0;
    double feasible = 0;
    double usage[3] = {0, 0, 0};

    void Add(const PlacementSlotResult& r, const PlacementDeployment& d)
    {
        acceptance += r.acceptanceRatio;
        total += r.totalCost;
        it += r.itCost;
        bandwidth += r.bandwidthCost;
        reconfiguration += r.reconfigurationCost;
        reward += r.reward;
        feasible += r.Feasible() ? 1 : 0;
        double placed = 0;
        double kinds[3] = {0, 0, 0};
        for (const auto& h : d.hosts)
        {
            if (h)
            {
                kinds[static_cast<int>(h->kind)] += 1;
                placed += 1;
            }
        }
        for (int k = 0; k < 3; ++k)
        {
            usage[k] += placed > 0 ? kinds[k] / placed : 0;
        }
    }

    nlohmann::json Mean(double n) const
    {
        return {{"acceptance_ratio", acceptance / n},
                {"total_cost", total / n},
                {"it_cost", it / n},
                {"bandwidth_cost", bandwidth / n},
                {"reconfiguration_cost", reconfiguration / n},
                {"reward", reward / n},
                {"feasible_ratio", feasible / n},
                {"usage",
                 {{"server", usage[0] / n}, {"local", usage[1] / n}, {"external", usage[2] / n}}}};
    }
};

} // namespace

void
PlacementWriteDataSet(const std::string& dir,
                      const nlohmann::json& config,
                      uint64_t seed,
                      uint32_t train,
                      uint32_t test)
{
    PlacementGenerator generator(PlacementGenerator::ConfigFromJson(config, "generator"));
    std::filesystem::create_directories(dir);
    nlohmann::json info = {{"format", "aisfc-placement-dataset"},
                           {"seed", seed},
                           {"train", train},
                           {"test", test},
                           {"generator", PlacementGenerator::ConfigToJson(generator.GetConfig())}};
    for (const auto& [part, count, first] :
         {std::tuple<std::string, uint32_t, uint32_t>{"train", train, 0},
          std::tuple<std::string, uint32_t, uint32_t>{"test", test, train}})
    {
        std::string text;
        for (uint32_t k = 0; k < count; ++k)
        {
            text +=
                generator.Generate(PlacementGenerator::SetSeed(seed, first + k)).ToJson().dump();
            text += '\n';
        }
        WriteFileAtomically(PartPath(dir, part), text);
    }
    // Last: a data set is complete when its description exists.
    WriteFileAtomically((std::filesystem::path(dir) / "generator.json").string(),
                        info.dump(2) + "\n");
}

std::vector<PlacementProblem>
PlacementReadDataSet(const std::string& dir, const std::string& part)
{
    const std::string path = PartPath(dir, part);
    if (!std::filesystem::exists((std::filesystem::path(dir) / "generator.json")))
    {
        throw AisfcInputError(dir,
                              "not a placement data set (no generator.json; make one with "
                              "./aisfc placement generate)");
    }
    std::string text = ReadInputFile(path);
    std::vector<PlacementProblem> problems;
    std::istringstream lines(text);
    std::string line;
    for (size_t number = 1; std::getline(lines, line); ++number)
    {
        if (line.empty())
        {
            continue;
        }
        const std::string place = path + ":" + std::to_string(number);
        problems.push_back(PlacementProblem::FromJson(ParseJsonText(line, place), place));
    }
    if (problems.empty())
    {
        throw AisfcInputError(path, "holds no problem");
    }
    return problems;
}

nlohmann::json
PlacementEvaluateSet(PlacementPolicy& policy,
                     const std::vector<PlacementProblem>& problems,
                     uint64_t seed,
                     const std::function<void(size_t)>& progress)
{
    std::vector<SlotFigures> slots;
    std::vector<double> slotStart;
    std::vector<double> slotCount;
    SlotFigures overall;
    double n = 0;
    for (size_t k = 0; k < problems.size(); ++k)
    {
        const PlacementProblem& p = problems[k];
        std::mt19937_64 rng(seed + k);
        PlacementDeployment previous = p.initialDeployment;
        PlacementAssignment previousAssignment = p.initialAssignment;
        for (uint32_t t = 0; t < p.slots; ++t)
        {
            PlacementDecision d = policy.Decide(p, t, previous, previousAssignment, rng);
            PlacementSlotResult r = PlacementEvaluateDecision(p, t, previous, d);
            if (slots.size() <= t)
            {
                slots.resize(t + 1);
                slotCount.resize(t + 1, 0);
                slotStart.resize(t + 1, p.SlotStart(t));
            }
            slots[t].Add(r, d.deployment);
            slotCount[t] += 1;
            overall.Add(r, d.deployment);
            n += 1;
            previous = d.deployment;
            previousAssignment = d.assignment;
        }
        if (progress)
        {
            progress(k + 1);
        }
    }
    nlohmann::json out = {{"policy", policy.GetName()},
                          {"problems", problems.size()},
                          {"seed", seed},
                          {"overall", overall.Mean(std::max(1.0, n))},
                          {"slots", nlohmann::json::array()}};
    for (size_t t = 0; t < slots.size(); ++t)
    {
        nlohmann::json s = slots[t].Mean(slotCount[t]);
        s["slot"] = t;
        s["start"] = slotStart[t];
        out["slots"].push_back(s);
    }
    return out;
}

nlohmann::json
PlacementIlpGaps(const std::vector<PlacementPolicy*>& policies,
                 const std::vector<PlacementProblem>& problems,
                 uint32_t requests,
                 uint64_t seed,
                 double* ilpSecondsOut)
{
    PlacementIlp ilp{PlacementIlpOptions()};

    struct Sums
    {
        double cost = 0;
        double acceptance = 0;
    };

    std::map<std::string, Sums> sums;
    Sums best;
    double ilpSeconds = 0;
    uint32_t optimal = 0;
    uint32_t count = 0;
    for (size_t k = 0; k < problems.size(); ++k)
    {
        PlacementProblem p = problems[k];
        if (p.requests.size() > requests)
        {
            p.requests.resize(requests);
            p.initialAssignment.instances.resize(requests);
        }
        std::mt19937_64 rng(seed + k);
        PlacementDeployment previous = p.initialDeployment;
        PlacementAssignment previousAssignment = p.initialAssignment;
        for (uint32_t t = 0; t < p.slots; ++t)
        {
            PlacementIlpResult exact = ilp.Solve(p, t, previous);
            PlacementDecision bestDecision =
                exact.HasSolution() ? exact.decision
                                    : ilp.Decide(p, t, previous, previousAssignment, rng);
            PlacementSlotResult r = PlacementEvaluateDecision(p, t, previous, bestDecision);
            best.cost += r.totalCost;
            best.acceptance += r.acceptanceRatio;
            ilpSeconds += exact.seconds;
            optimal += exact.status == PlacementIlpStatus::OPTIMAL ? 1 : 0;
            for (PlacementPolicy* policy : policies)
            {
                PlacementDecision d = policy->Decide(p, t, previous, previousAssignment, rng);
                PlacementSlotResult q = PlacementEvaluateDecision(p, t, previous, d);
                Sums& s = sums[policy->GetName()];
                s.cost += q.totalCost;
                s.acceptance += q.acceptanceRatio;
            }
            previous = bestDecision.deployment;
            previousAssignment = bestDecision.assignment;
            ++count;
        }
    }
    if (ilpSecondsOut)
    {
        *ilpSecondsOut = ilpSeconds;
    }
    const double n = std::max<uint32_t>(1, count);
    nlohmann::json out = {{"requests", requests},
                          {"problems", problems.size()},
                          {"slots", count},
                          {"ilp",
                           {{"total_cost", best.cost / n},
                            {"acceptance_ratio", best.acceptance / n},
                            {"optimal_slots", optimal}}},
                          {"policies", nlohmann::json::object()}};
    for (const auto& [name, s] : sums)
    {
        out["policies"][name] = {
            {"total_cost", s.cost / n},
            {"acceptance_ratio", s.acceptance / n},
            {"cost_gap", best.cost > 0 ? (s.cost - best.cost) / best.cost : 0.0},
            {"acceptance_gap", (best.acceptance - s.acceptance) / n}};
    }
    return out;
}

} // namespace ns3
