/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PLACEMENT_ENV_H
#define PLACEMENT_ENV_H

#include "placement-evaluator.h"
#include "placement-filters.h"
#include "placement-policy.h"
#include "placement-problem.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * \brief The state features of the SR-EM MDP (Section V-A) for deciding a slot, each in
 * [-1, 1]:
 *  (i)   free storage / capacity of every server,
 *  (ii)  free local and external memory / capacity of every switch (its two host slots),
 *  (iii) remaining processing capacity of every instance at its current host under the
 *        slot's rates and the current assignment, 1 - load / capacity (-1 when unplaced or
 *        overloaded twice over),
 *  (iv)  sum of the remaining bandwidth of a node's links / their sum of bandwidths, with the
 *        current configuration's traffic of the slot mapped by PlacementMapLinks,
 *  (v)   the current placement, one-hot per instance over the host slots,
 *  plus the slot, one-hot (the paper's traffic follows the time of day).
 * Order: (i) and (ii) together in HostSlots() order, (iii), (iv) by node, (v), slot.
 * \param problem the problem
 * \param slot the slot about to be decided
 * \param deployment the current deployment (the slot before's)
 * \param assignment the current assignment
 * \return the features, PlacementFeatureCount(problem) of them
 */
std::vector<double> PlacementObserve(const PlacementProblem& problem,
                                     uint32_t slot,
                                     const PlacementDeployment& deployment,
                                     const PlacementAssignment& assignment);

/// \ingroup aisfc \brief \return the number of features PlacementObserve gives
size_t PlacementFeatureCount(const PlacementProblem& problem);

/**
 * \ingroup aisfc
 * The reconfiguration MDP of one problem as a Gym-style environment: an episode is the
 * problem's slots from its initial configuration; an action is a PlacementDecision for the
 * current slot; the reward is eq. 20 of the evaluated slot.  The DRL policies train on it
 * and the Python bindings expose it.  Keeps its own copy of the problem.
 */
class PlacementEnvironment
{
  public:
    /// \brief An environment at the start of its episode. \throws std::invalid_argument on an
    /// inconsistent problem
    explicit PlacementEnvironment(PlacementProblem problem);
    PlacementEnvironment(const PlacementEnvironment&) = delete;
    PlacementEnvironment& operator=(const PlacementEnvironment&) = delete;

    /// \brief Back to slot 0 and the initial deployment and assignment.
    void Reset();
    /// \brief \return the slot the next Step decides (== slots when done)
    uint32_t GetSlot() const;
    /// \brief \return whether every slot has been decided
    bool Done() const;
    /// \brief \return the problem
    const PlacementProblem& GetProblem() const;
    /// \brief \return the current deployment (the last decided slot's, or the initial one)
    const PlacementDeployment& GetDeployment() const;
    /// \brief \return the current assignment
    const PlacementAssignment& GetAssignment() const;
    /// \brief \return the host slots, in the order of masks and actions
    const std::vector<PlacementHostSlot>& GetHostSlots() const;
    /// \brief \return the feasibility filters of the problem
    const PlacementFilters& GetFilters() const;

    /// \brief \return PlacementObserve of the current state
    std::vector<double> Observe() const;

    /**
     * \brief Decide the current slot: evaluate the decision against the current configuration,
     * which it then replaces.
     * \param decision the deployment and assignment of the slot
     * \return the slot's evaluation (its reward is the step's reward)
     * \throws std::logic_error when the episode is done; std::invalid_argument on a decision
     *         that does not fit the problem
     */
    PlacementSlotResult Step(const PlacementDecision& decision);

    /**
     * \brief Step with one host slot index per instance (-1 leaves it unplaced) and the
     * nearest assignment (PlacementAssignNearest), as a Gym action vector.
     * \param hosts one entry per instance
     * \return the slot's evaluation
     * \throws std::invalid_argument on a wrong count or an index out of range
     */
    PlacementSlotResult StepHosts(const std::vector<int64_t>& hosts);

  private:
    std::unique_ptr<const PlacementProblem> m_problem; //!< stable address for m_filters
    PlacementFilters m_filters;
    uint32_t m_slot = 0;
    PlacementDeployment m_deployment;
    PlacementAssignment m_assignment;
};

} // namespace ns3

#endif // PLACEMENT_ENV_H
