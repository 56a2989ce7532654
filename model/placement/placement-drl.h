/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PLACEMENT_DRL_H
#define PLACEMENT_DRL_H

#include "placement-filters.h"
#include "placement-policy.h"

#include "ns3/learn-dense-network.h"

#include <cstdint>
#include <deque>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * Settings of a deep Q-learning placement agent.  Two presets: `srem` (the SR-EM paper's
 * policy networks: every host slot, filters, online updates with learning rate 0.2 and
 * discount 0.3, reward eq. 20) and `ddqn-cm` (Double DQN migrating instances among servers
 * only, with replay and target networks, rewarded by the chains' delays and the migration
 * cost).  Every field is a JSON key of the policy's parameters.
 */
struct PlacementDrlConfig
{
    /// What the agent is rewarded with.
    enum class Reward : uint8_t
    {
        PAPER,           //!< eq. 20: w1 AR + w2 / (1 + C), 0 on a capacity violation
        DELAY_MIGRATION, //!< DDQN-CM: -(mean delay / deadline over requests + migration cost)
    };

    PlacementFilterMode filters = PlacementFilterMode::HYBRID; //!< which filters prune actions
    bool serversOnly = false;      //!< actions are servers only (DDQN-CM)
    bool keepAssignment = false;   //!< requests stay with their instances (the paper's step ii)
                                   //!< rather than the least-delay assignment
    uint32_t hidden = 64;          //!< ReLU units of the hidden layer (0: none, FC to outputs)
    double learningRate = 0.2;     //!< SGD step size
    double discount = 0.3;         //!< gamma of the Bellman target
    double epsilonStart = 1.0;     //!< exploration probability at the first episode
    double epsilonEnd = 0.02;      //!< ... at the last (98 % greedy)
    double errorClip = 1.0;        //!< TD errors clipped to +-errorClip (Huber loss); 0: none
    bool doubleQ = false;          //!< Double DQN targets from target networks
    uint32_t replayCapacity = 0;   //!< transitions kept for replay; 0: online updates only
    uint32_t batch = 32;           //!< replay mini-batch
    double targetTau = 0.01;       //!< Polyak step of the target networks per update
    Reward reward = Reward::PAPER; //!< reward signal
    uint64_t seed = 1;             //!< weight initialisation

    /// \brief \return the settings of a preset: "srem" or "ddqn-cm"
    static PlacementDrlConfig Preset(const std::string& name);
    /**
     * \brief Override a preset from a policy's JSON parameters (keys as the field names,
     * "filters" by name, "reward" "paper" or "delay-migration").
     * \param base the preset
     * \param params the JSON object
     * \param place where the parameters come from, for errors
     * \return the settings
     * \throws AisfcInputError naming the key of a bad value or an unknown key
     */
    static PlacementDrlConfig FromJson(PlacementDrlConfig base,
                                       const nlohmann::json& params,
                                       const std::string& place);
    /// \brief \return the settings as JSON (read back by FromJson)
    nlohmann::json ToJson() const;
};

/**
 * \ingroup aisfc
 * One transition of the reconfiguration MDP as the agent learns from it.
 */
struct PlacementTransition
{
    std::vector<double> state;     //!< features before the decision (PlacementObserve)
    std::vector<uint32_t> actions; //!< per instance: the action index taken
    double reward = 0;             //!< the slot's reward
    std::vector<double> next;      //!< features after it
    bool terminal = false;         //!< the episode's last slot
    /// per instance, per action: what the Bellman target maximises over (the problem's
    /// static mask with the static filter, else every action)
    std::vector<std::vector<bool>> targetMask;
};

/**
 * \ingroup aisfc
 * A deep Q-learning placement policy after the SR-EM paper's Fig. 3: one network per instance
 * (state features -> ReLU hidden layer -> one output per host slot, read through a softmax as
 * placement probabilities and trained as Q-values with the Bellman target).
 *
 * Filters (the paper's Fig. 5 compares them):
 *  - static: output neurons of host slots that can never hold the instance are removed (their
 *    weights are zero and they are never chosen nor used in targets);
 *  - dynamic: every interval only host slots with room now (constraint 7, given the instances
 *    already moved this interval) are explored and chosen;
 *  - hybrid: both; none: neither (infeasible placements happen and earn reward 0).
 * Without the static filter the Bellman target maximises over every output, removed ones
 * included: that is what the missing neurons cost.
 *
 * Instances are decided in index order, each starting from the previous deployment, so with
 * the dynamic filter no decision overfills a memory.
 */
class PlacementDrl : public PlacementPolicy
{
  public:
    /// \brief An untrained agent; networks are made for the first problem it meets.
    PlacementDrl(std::string name, PlacementDrlConfig config);

    std::string GetName() const override;
    /// Greedy decisions (no exploration): the trained policy.
    PlacementDecision Decide(const PlacementProblem& problem,
                             uint32_t slot,
                             const PlacementDeployment& previous,
                             const PlacementAssignment& previousAssignment,
                             std::mt19937_64& rng) override;

    /// \brief \return the settings
    const PlacementDrlConfig& GetConfig() const;

    /**
     * \brief Choose a slot's configuration epsilon-greedily (training).
     * \param problem the problem
     * \param slot the slot
     * \param previous the deployment of the slot before
     * \param previousAssignment the assignment of the slot before
     * \param state PlacementObserve of that state
     * \param epsilon exploration probability
     * \param rng the only source of randomness
     * \param transition receives state, actions and target masks (Learn needs the rest)
     * \return the decision
     * \throws AisfcInputError when the problem's sizes differ from the networks'
     */
    PlacementDecision Act(const PlacementProblem& problem,
                          uint32_t slot,
                          const PlacementDeployment& previous,
                          const PlacementAssignment& previousAssignment,
                          const std::vector<double>& state,
                          double epsilon,
                          std::mt19937_64& rng,
                          PlacementTransition& transition);

    /// \brief \return the reward the agent learns from for an evaluated slot
    double Reward(const PlacementSlotResult& result) const;

    /**
     * \brief Learn from a transition: online Bellman updates of every instance's network, or
     * (with replay) store it and update on a mini-batch drawn with rng.
     * \param transition the transition
     * \param rng draws the replay mini-batch
     * \return the mean absolute TD error of the update (0 when replay is still filling)
     */
    double Learn(const PlacementTransition& transition, std::mt19937_64& rng);

    /// \brief \return whether networks exist (a problem was met or a model loaded)
    bool HasNetworks() const;
    /// \brief \return the number of trainable parameters over all networks
    size_t ParameterCount() const;
    /// \brief \return the network of an instance (for tests and benchmarks)
    const LearnDenseNetwork& GetNetwork(uint32_t instance) const;

    /// \brief \return the whole agent (settings, networks, targets, replay) as bytes
    std::vector<uint8_t> Save() const;
    /**
     * \brief Rebuild an agent from Save bytes.
     * \param bytes the bytes
     * \param place the file, for errors
     * \return the agent
     * \throws AisfcInputError naming place and the offset of bad bytes
     */
    static PlacementDrl Load(const std::vector<uint8_t>& bytes, const std::string& place);

  private:
    /// Make the networks for a problem, or check that they fit it.
    void Bind(const PlacementProblem& problem);
    /// A mask over all host slots, restricted to the actions.
    std::vector<bool> OfActions(const PlacementMask& mask) const;
    /// Action indices allowed for an instance now.
    std::vector<uint32_t> Allowed(const PlacementFilters& filters,
                                  const PlacementDeployment& current,
                                  uint32_t instance) const;
    /// Per action: whether the static filter keeps it for an instance (all without it).
    std::vector<bool> StaticKeep(const PlacementFilters& filters, uint32_t instance) const;
    /// One gradient step of instance i's network on a batch.
    double Update(uint32_t instance, const std::vector<const PlacementTransition*>& batch);

    std::string m_name;
    PlacementDrlConfig m_config;
    size_t m_features = 0;                    //!< input size
    std::vector<PlacementHostSlot> m_actions; //!< host slot of each output neuron
    std::vector<uint32_t> m_actionSlot;       //!< index in HostSlots() of each output neuron
    std::vector<LearnDenseNetwork> m_nets;    //!< one per instance
    std::vector<LearnDenseNetwork> m_targets; //!< Double DQN target networks
    std::deque<PlacementTransition> m_replay; //!< bounded by replayCapacity
};

} // namespace ns3

#endif // PLACEMENT_DRL_H
