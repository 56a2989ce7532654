/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "placement-trainer.h"

#include "placement-env.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"

#include <cstring>
#include <filesystem>
#include <sstream>

namespace ns3
{

namespace
{

const char CHECKPOINT_MAGIC[] = "AISFC-PLACEMENT-CHECKPOINT-1\n";

nlohmann::json
LogToJson(const PlacementEpisodeLog& l)
{
    return {{"episode", l.episode},
            {"problem", l.problem},
            {"epsilon", l.epsilon},
            {"reward", l.reward},
            {"agentReward", l.agentReward},
            {"acceptance", l.acceptance},
            {"cost", l.cost},
            {"infeasible", l.infeasible},
            {"tdError", l.tdError}};
}

PlacementEpisodeLog
LogFromJson(const nlohmann::json& j)
{
    PlacementEpisodeLog l;
    l.episode = j.at("episode");
    l.problem = j.at("problem");
    l.epsilon = j.at("epsilon");
    l.reward = j.at("reward");
    l.agentReward = j.at("agentReward");
    l.acceptance = j.at("acceptance");
    l.cost = j.at("cost");
    l.infeasible = j.at("infeasible");
    l.tdError = j.at("tdError");
    return l;
}

std::string
Path(const std::string& dir, const std::string& file)
{
    return (std::filesystem::path(dir) / file).string();
}

} // namespace

PlacementTrainer::PlacementTrainer(PlacementDrl agent,
                                   const std::vector<PlacementProblem>& problems,
                                   PlacementTrainOptions options)
    : m_agent(std::move(agent)),
      m_problems(problems),
      m_options(std::move(options)),
      m_rng(m_options.seed)
{
    if (m_problems.empty())
    {
        throw AisfcInputError("placement training", "the training set is empty");
    }
    if (m_options.episodes == 0)
    {
        throw AisfcInputError("placement training", "--episodes must be at least 1");
    }
    if (m_options.resume)
    {
        LoadCheckpoint();
    }
}

void
PlacementTrainer::LoadCheckpoint()
{
    const std::string path = Path(m_options.outDir, "checkpoint.bin");
    if (!std::filesystem::exists(path))
    {
        return; // nothing to resume: start afresh (a run killed before its first checkpoint)
    }
    std::string text = ReadInputFile(path);
    const size_t magic = sizeof CHECKPOINT_MAGIC - 1;
    if (text.compare(0, magic, CHECKPOINT_MAGIC) != 0 || text.size() < magic + 8)
    {
        throw AisfcInputError(path, "not an aisfc placement training checkpoint");
    }
    uint64_t headerBytes;
    std::memcpy(&headerBytes, text.data() + magic, 8);
    if (headerBytes > text.size() - magic - 8)
    {
        throw AisfcInputError(path, "truncated checkpoint header");
    }
    nlohmann::json header =
        nlohmann::json::parse(text.substr(magic + 8, headerBytes), nullptr, false);
    if (header.is_discarded() || !header.is_object())
    {
        throw AisfcInputError(path, "the checkpoint header is not JSON");
    }
    try
    {
        uint32_t episodes = header.at("episodes");
        uint64_t seed = header.at("seed");
        size_t problems = header.at("problems");
        if (episodes != m_options.episodes || seed != m_options.seed ||
            problems != m_problems.size())
        {
            throw AisfcInputError(
                path,
                "was written by a run of " + std::to_string(episodes) + " episodes, seed " +
                    std::to_string(seed) + " and " + std::to_string(problems) +
                    " training problems; this one asks " + std::to_string(m_options.episodes) +
                    ", " + std::to_string(m_options.seed) + " and " +
                    std::to_string(m_problems.size()) +
                    " (resume with the same options, or use a new --out)");
        }
        std::istringstream rng(header.at("rng").get<std::string>());
        rng >> m_rng;
        if (!rng)
        {
            throw AisfcInputError(path, "bad random generator state");
        }
        m_logs.clear();
        for (const nlohmann::json& l : header.at("logs"))
        {
            m_logs.push_back(LogFromJson(l));
        }
    }
    catch (const nlohmann::json::exception& e)
    {
        throw AisfcInputError(path, std::string("bad checkpoint header: ") + e.what());
    }
    std::string rest = text.substr(magic + 8 + headerBytes);
    m_agent = PlacementDrl::Load(std::vector<uint8_t>(rest.begin(), rest.end()), path);
}

void
PlacementTrainer::Checkpoint() const
{
    if (m_options.outDir.empty())
    {
        return; // in-memory training (tests, benchmarks)
    }
    std::filesystem::create_directories(m_options.outDir);
    std::ostringstream rng;
    rng << m_rng;
    nlohmann::json header = {{"episodes", m_options.episodes},
                             {"seed", m_options.seed},
                             {"problems", m_problems.size()},
                             {"rng", rng.str()},
                             {"logs", nlohmann::json::array()}};
    for (const PlacementEpisodeLog& l : m_logs)
    {
        header["logs"].push_back(LogToJson(l));
    }
    std::string h = header.dump();
    uint64_t headerBytes = h.size();
    std::vector<uint8_t> agent = m_agent.Save();
    std::string text(CHECKPOINT_MAGIC);
    text.append(reinterpret_cast<const char*>(&headerBytes), 8);
    text += h;
    text.append(agent.begin(), agent.end());
    // The checkpoint first: model.bin and rewards.csv are derived from it.
    WriteFileAtomically(Path(m_options.outDir, "checkpoint.bin"), text);
    WriteFileAtomically(Path(m_options.outDir, "model.bin"),
                        std::string(agent.begin(), agent.end()));
    WriteFileAtomically(Path(m_options.outDir, "rewards.csv"), LogsCsv(m_logs));
}

std::string
PlacementTrainer::LogsCsv(const std::vector<PlacementEpisodeLog>& logs)
{
    std::ostringstream os;
    os.precision(10);
    os << "episode,problem,epsilon,reward,agent_reward,acceptance,cost,infeasible_slots,"
          "td_error\n";
    for (const PlacementEpisodeLog& l : logs)
    {
        os << l.episode << ',' << l.problem << ',' << l.epsilon << ',' << l.reward << ','
           << l.agentReward << ',' << l.acceptance << ',' << l.cost << ',' << l.infeasible << ','
           << l.tdError << '\n';
    }
    return os.str();
}

PlacementEpisodeLog
PlacementTrainer::RunEpisode(uint32_t episode)
{
    const PlacementDrlConfig& c = m_agent.GetConfig();
    PlacementEpisodeLog log;
    log.episode = episode;
    log.epsilon = m_options.episodes > 1
                      ? c.epsilonStart + (c.epsilonEnd - c.epsilonStart) * double(episode) /
                                             double(m_options.episodes - 1)
                      : c.epsilonEnd;
    log.problem = PlacementUniformIndex(m_rng, m_problems.size());
    PlacementEnvironment env(m_problems[log.problem]);
    const PlacementProblem& p = env.GetProblem();
    std::vector<double> state = env.Observe();
    while (!env.Done())
    {
        PlacementTransition t;
        PlacementDecision d = m_agent.Act(p,
                                          env.GetSlot(),
                                          env.GetDeployment(),
                                          env.GetAssignment(),
                                          state,
                                          log.epsilon,
                                          m_rng,
                                          t);
        PlacementSlotResult r = env.Step(d);
        t.reward = m_agent.Reward(r);
        t.next = env.Observe();
        t.terminal = env.Done();
        log.tdError += m_agent.Learn(t, m_rng);
        log.reward += r.reward;
        log.agentReward += t.reward;
        log.acceptance += r.acceptanceRatio;
        log.cost += r.totalCost;
        log.infeasible += r.Feasible() ? 0 : 1;
        state = std::move(t.next);
    }
    log.acceptance /= p.slots;
    log.cost /= p.slots;
    log.tdError /= p.slots;
    return log;
}

bool
PlacementTrainer::Run()
{
    while (m_logs.size() < m_options.episodes)
    {
        if (m_options.stop && m_options.stop->load())
        {
            Checkpoint();
            return false;
        }
        m_logs.push_back(RunEpisode(m_logs.size()));
        if (m_options.progress)
        {
            m_options.progress(m_logs.back());
        }
        if (m_options.checkpointEvery > 0 && m_logs.size() % m_options.checkpointEvery == 0)
        {
            Checkpoint();
        }
    }
    Checkpoint();
    return true;
}

const PlacementDrl&
PlacementTrainer::GetAgent() const
{
    return m_agent;
}

const std::vector<PlacementEpisodeLog>&
PlacementTrainer::GetLogs() const
{
    return m_logs;
}

} // namespace ns3
