/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PLACEMENT_RANDOM_H
#define PLACEMENT_RANDOM_H

#include "placement-policy.h"

namespace ns3
{

/**
 * \ingroup aisfc
 * The paper's RANDOM benchmark (registered as "random", no parameters): the instances, in a
 * random order, each to a uniformly random host slot of the hybrid filter's mask given the
 * instances placed before it (servers, local and external memories alike); then the shared
 * PlacementAssignNearest.  An instance whose mask is empty stays unplaced (the evaluation
 * reports it).
 */
class PlacementRandom : public PlacementPolicy
{
  public:
    std::string GetName() const override;
    PlacementDecision Decide(const PlacementProblem& problem,
                             uint32_t slot,
                             const PlacementDeployment& previous,
                             const PlacementAssignment& previousAssignment,
                             std::mt19937_64& rng) override;
};

} // namespace ns3

#endif // PLACEMENT_RANDOM_H
