/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PLACEMENT_TRAINER_H
#define PLACEMENT_TRAINER_H

#include "placement-drl.h"
#include "placement-problem.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ns3
{

/// \ingroup aisfc What one training episode earned.
struct PlacementEpisodeLog
{
    uint32_t episode = 0;    //!< from 0
    uint32_t problem = 0;    //!< index of the training problem it ran
    double epsilon = 0;      //!< exploration probability of the episode
    double reward = 0;       //!< sum over slots of eq. 20 (the paper's Fig. 5)
    double agentReward = 0;  //!< sum over slots of the agent's own reward
    double acceptance = 0;   //!< mean acceptance ratio over slots
    double cost = 0;         //!< mean total cost over slots
    uint32_t infeasible = 0; //!< slots with a capacity violation (reward 0)
    double tdError = 0;      //!< mean absolute TD error of its updates
};

/// \ingroup aisfc How a training run goes.
struct PlacementTrainOptions
{
    uint32_t episodes = 7000;       //!< episodes in all (the epsilon schedule spans them)
    uint64_t seed = 1;              //!< episode draws and exploration
    uint32_t checkpointEvery = 100; //!< episodes between checkpoints
    std::string outDir;             //!< checkpoint.bin, model.bin, rewards.csv go here
    bool resume = false;            //!< continue from outDir/checkpoint.bin
    /// called after every episode (progress display)
    std::function<void(const PlacementEpisodeLog&)> progress;
    const std::atomic<bool>* stop = nullptr; //!< when set, checkpoint and return early
};

/**
 * \ingroup aisfc
 * Trains a PlacementDrl agent as the SR-EM paper does: every episode runs the slots of a
 * training problem drawn at random from its initial configuration, epsilon going linearly
 * from epsilonStart to epsilonEnd over the episodes, the agent learning after every slot.
 *
 * Nothing finished is lost: every checkpointEvery episodes, and when stopped, the whole state
 * (agent, replay, random generator, episode logs) is written atomically to
 * outDir/checkpoint.bin, with the agent alone in model.bin and the logs in rewards.csv.  A run
 * resumed from a checkpoint continues bit for bit as if it had never stopped.
 */
class PlacementTrainer
{
  public:
    /**
     * \param agent the agent (untrained, or as a checkpoint left it)
     * \param problems the training set (the caller keeps it alive)
     * \param options how to run
     * \throws AisfcInputError on an empty training set or a checkpoint that does not match
     */
    PlacementTrainer(PlacementDrl agent,
                     const std::vector<PlacementProblem>& problems,
                     PlacementTrainOptions options);

    /// \brief Train up to options.episodes (or until stopped). \return whether all ran
    bool Run();

    /// \brief \return the agent
    const PlacementDrl& GetAgent() const;
    /// \brief \return one log per finished episode
    const std::vector<PlacementEpisodeLog>& GetLogs() const;
    /// \brief Write checkpoint.bin, model.bin and rewards.csv now.
    void Checkpoint() const;
    /// \brief \return the rewards.csv text of the logs
    static std::string LogsCsv(const std::vector<PlacementEpisodeLog>& logs);

  private:
    PlacementEpisodeLog RunEpisode(uint32_t episode);
    void LoadCheckpoint();

    PlacementDrl m_agent;
    const std::vector<PlacementProblem>& m_problems;
    PlacementTrainOptions m_options;
    std::mt19937_64 m_rng;
    std::vector<PlacementEpisodeLog> m_logs;
};

} // namespace ns3

#endif // PLACEMENT_TRAINER_H
