/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PLACEMENT_PAPER_H
#define PLACEMENT_PAPER_H

#include "ns3/placement-problem.h"

#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ns3
{

class PlacementPolicy;

/**
 * \ingroup aisfc
 * \brief Train one agent (srem or ddqn-cm) into `out` (model.bin, rewards.csv,
 * checkpoint.bin), with a progress line on stderr; resumes from out/checkpoint.bin when
 * `resume` is set.
 * \param policy "srem" or "ddqn-cm"
 * \param params the policy parameters ({"filters": ...}, PlacementDrlConfig fields)
 * \param train the training problems
 * \param episodes training episodes
 * \param seed the training seed
 * \param checkpointEvery episodes between checkpoints
 * \param out the model directory
 * \param resume continue from a checkpoint
 * \param stop set by a signal handler: the trainer checkpoints and returns (may be null)
 * \param wallSeconds receives this run's wall time (may be null)
 * \return whether training finished (false: stopped)
 * \throws AisfcInputError on an untrainable policy or bad parameters
 */
bool PlacementTrainAgent(const std::string& policy,
                         const nlohmann::json& params,
                         const std::vector<PlacementProblem>& train,
                         uint32_t episodes,
                         uint64_t seed,
                         uint32_t checkpointEvery,
                         const std::string& out,
                         bool resume,
                         const std::atomic<bool>* stop,
                         double* wallSeconds = nullptr);

/**
 * \ingroup aisfc
 * \brief PlacementEvaluateSet with a progress line on stderr labelled `label`.
 * \param wallSeconds receives the wall time
 */
nlohmann::json PlacementEvaluateLogged(PlacementPolicy& policy,
                                       const std::vector<PlacementProblem>& problems,
                                       uint64_t seed,
                                       const std::string& label,
                                       double* wallSeconds);

/// \ingroup aisfc What `aisfc placement paper` (and a "placement" scenario) runs.
struct PlacementPaperOptions
{
    uint64_t seed = 1;                               //!< data set, training and evaluation seed
    uint32_t episodes = 7000;                        //!< SR-EM training episodes per filter setting
    uint32_t ddqnEpisodes = 7000;                    //!< DDQN-CM training episodes
    uint32_t train = 1200;                           //!< training problems
    uint32_t test = 300;                             //!< test problems
    uint32_t ilpProblems = 3;                        //!< test problems for the ILP's gaps (0: none)
    uint32_t ilpRequests = 6;                        //!< requests kept per ILP problem
    nlohmann::json generator = {{"preset", "srem"}}; //!< the problems' generator
    std::string out;                         //!< output directory (data/, one per agent, results)
    const std::atomic<bool>* stop = nullptr; //!< set by a signal: return at the next step
};

/**
 * \ingroup aisfc
 * \brief The SR-EM evaluation end to end: the data set, training of SR-EM under the four filter
 * settings (Fig. 5) and of DDQN-CM, every policy on the test set (Fig. 6a-c), the ILP's gaps;
 * writes out/fig5.csv, fig6.csv, results.json, timing.json and the PNGs.  Every step keeps its
 * output in `out`, so running again after a stop or a kill continues where it was.
 * \param o the options
 * \param timing receives the wall times (may be null)
 * \return results.json's content, or null when stopped
 * \throws AisfcInputError on bad options or a data set in `out` of other sizes
 */
nlohmann::json PlacementRunPaper(const PlacementPaperOptions& o, nlohmann::json* timing = nullptr);

/**
 * \ingroup aisfc
 * \brief The options of a "placement" scenario: {"name", "seed", "run", "placement":
 * {"episodes", "ddqn_episodes", "train", "test", "ilp_problems", "ilp_requests", "generator"}}.
 * Its seed is AisfcDerivedSeed(seed, run): replications are independent.
 * \throws AisfcInputError naming the file and the JSON path of a bad value
 */
PlacementPaperOptions PlacementPaperFromScenario(const nlohmann::json& doc,
                                                 const std::string& source);

/// \ingroup aisfc \brief \return results' policy table and ILP gaps, printable
std::string PlacementPaperSummary(const nlohmann::json& results);

} // namespace ns3

#endif // PLACEMENT_PAPER_H
