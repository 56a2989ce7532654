/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PLACEMENT_LAG_H
#define PLACEMENT_LAG_H

#include "placement-policy.h"

namespace ns3
{

/**
 * \ingroup aisfc
 * The paper's LAG benchmark (registered as "lag"): a layered auxiliary graph per request, one
 * layer per chain position, whose nodes are the (instance, host slot) pairs the hybrid filter
 * allows; requests by decreasing rate; the cheapest path through the layers fixes the hosts of
 * the instances not yet fixed.  Exact choices in doc/placement.rst ("Policies").
 *
 * Parameters: {"pruneCapacity": true, "pruneDeadline": true} turn the pruning of candidates
 * whose processing capacity or the request's deadline cannot hold on or off.
 * Deterministic: it draws nothing from the generator.
 */
class PlacementLag : public PlacementPolicy
{
  public:
    /**
     * \brief A LAG policy.
     * \param pruneCapacity drop candidates without processing capacity for the request
     * \param pruneDeadline drop candidates whose detour misses the deadline
     * \param externalMemory also place in switches' external memories (the paper's LAG [4]
     *        knows servers and local memories only)
     */
    PlacementLag(bool pruneCapacity = true, bool pruneDeadline = true, bool externalMemory = false);

    std::string GetName() const override;
    PlacementDecision Decide(const PlacementProblem& problem,
                             uint32_t slot,
                             const PlacementDeployment& previous,
                             const PlacementAssignment& previousAssignment,
                             std::mt19937_64& rng) override;

  private:
    bool m_pruneCapacity;
    bool m_pruneDeadline;
    bool m_externalMemory;

    /// \return whether LAG may use a host slot at all
    bool Usable(const PlacementHostSlot& slot) const;
};

} // namespace ns3

#endif // PLACEMENT_LAG_H
