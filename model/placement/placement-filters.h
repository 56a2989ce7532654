/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PLACEMENT_FILTERS_H
#define PLACEMENT_FILTERS_H

#include "placement-problem.h"

#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * Which filters prune a policy's choices (the paper's Fig. 5 compares them): none, the static
 * filter, the dynamic filter, or both ("hybrid").  As masks, hybrid equals dynamic (a host
 * with room now can hold the instance at all); the difference is for the DRL policy network,
 * where the static mask removes weights for good and the dynamic one gates exploration.
 */
enum class PlacementFilterMode : uint8_t
{
    NONE,    //!< every host slot
    STATIC,  //!< slots whose total capacity can ever hold the instance
    DYNAMIC, //!< slots with room now, the other instances staying where they are (eq. 7)
    HYBRID,  //!< static and dynamic
};

/// \ingroup aisfc \brief \return "none", "static", "dynamic" or "hybrid"
std::string PlacementFilterModeName(PlacementFilterMode mode);
/// \ingroup aisfc \brief \return the mode with this name, if any
std::optional<PlacementFilterMode> PlacementParseFilterMode(const std::string& name);

/**
 * \ingroup aisfc
 * Feasibility of each host slot for one instance, in PlacementProblem::HostSlots() order, with
 * the reason of each refusal (the memory accountant's, naming host and shortfall).
 */
struct PlacementMask
{
    std::vector<bool> allowed;        //!< one per host slot
    std::vector<std::string> reasons; //!< one per host slot: "" where allowed

    /// \brief \return the number of allowed slots
    uint32_t Count() const;
    /// \brief \return the indices of the allowed slots, in order
    std::vector<uint32_t> Allowed() const;
};

/**
 * \ingroup aisfc
 * The one feasibility function of placement: every policy (RANDOM, LAG, DDQN-CM, SR-EM's DRL,
 * the ILP's variable pruning) asks it which host slots an instance may take.  Both filters
 * are answers of the memory accountant (PlacementStorage): the static mask asks empty hosts,
 * the dynamic mask asks hosts holding every other placed instance of the deployment.
 *
 * Holds a reference to the problem, which must outlive it.
 */
class PlacementFilters
{
  public:
    /// \brief Filters for a problem; the static masks are computed here, once.
    explicit PlacementFilters(const PlacementProblem& problem);

    /// \brief \return the host slots the masks index
    const std::vector<PlacementHostSlot>& GetSlots() const;
    /// \brief \return the static mask of an instance: its storage demand fits the slot's total
    /// capacity
    const PlacementMask& Static(uint32_t instance) const;
    /// \brief \return the dynamic mask of an instance: its storage demand fits the room the
    /// other placed instances of `deployment` leave (the instance itself is left out, so its
    /// current slot is allowed when it fits there)
    PlacementMask Dynamic(const PlacementDeployment& deployment, uint32_t instance) const;
    /// \brief \return the mask of a mode (NONE allows every slot)
    PlacementMask Mask(PlacementFilterMode mode,
                       const PlacementDeployment& deployment,
                       uint32_t instance) const;

  private:
    const PlacementProblem& m_problem;
    std::vector<PlacementHostSlot> m_slots;
    std::vector<PlacementMask> m_static; //!< one per instance
};

} // namespace ns3

#endif // PLACEMENT_FILTERS_H
