/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PLACEMENT_STORAGE_H
#define PLACEMENT_STORAGE_H

#include "placement-problem.h"

#include "ns3/pdp-memory-accountant.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * The storage of every host of a placement problem, kept by the module's one memory
 * accountant: one PdpMemoryAccountant per node (a server's storage; a switch's local memory as
 * SRAM blocks and its external memory in bytes).  Constraint 7 of the paper (and its local
 * memory and server twins) is exactly "the accountant accepts the reservation".  The
 * evaluator, the filters and the DRL state all ask it.
 *
 * Holds a reference to the problem, which must outlive it.
 */
class PlacementStorage
{
  public:
    /// \brief Empty hosts of a problem.
    explicit PlacementStorage(const PlacementProblem& problem);

    /// \brief Reserve an instance's storage demand in a host slot (refused, changing nothing,
    /// when it does not fit or the instance is already placed).
    PdpReserveResult Place(uint32_t instance, const PlacementHostSlot& slot);
    /// \brief Release an instance's storage. \return whether it was placed
    bool Remove(uint32_t instance);
    /// \brief \return why placing the instance in the slot would be refused, or "" if it fits
    std::string WouldRefuse(uint32_t instance, const PlacementHostSlot& slot) const;
    /**
     * \brief Place every placed instance of a deployment, in instance order.
     * \param deployment the deployment
     * \param skip an instance to leave out (the one a policy is about to move)
     * \return the instances that did not fit, with the accountant's reason
     */
    std::vector<std::pair<uint32_t, std::string>> PlaceAll(const PlacementDeployment& deployment,
                                                           std::optional<uint32_t> skip = {});

    /// \brief \return where an instance is reserved, if anywhere
    std::optional<PlacementHostSlot> Where(uint32_t instance) const;
    /// \brief \return bytes used in a host slot (local memory in whole blocks)
    uint64_t UsedBytes(const PlacementHostSlot& slot) const;
    /// \brief \return bytes a host slot holds in all (local memory in whole blocks)
    uint64_t CapacityBytes(const PlacementHostSlot& slot) const;
    /// \brief \return CapacityBytes - UsedBytes
    uint64_t FreeBytes(const PlacementHostSlot& slot) const;
    /// \brief \return the accountant of a node
    const PdpMemoryAccountant& GetAccountant(uint32_t node) const;

    /// \brief \return the accountant's name of an instance's reservation, e.g. "instance f0#1"
    static std::string ReservationName(const PlacementProblem& problem, uint32_t instance);

  private:
    /// \return why an external slot is unusable when its switch lacks an RDMA table, or ""
    std::string NoRdmaTable(const PlacementHostSlot& slot) const;

    const PlacementProblem& m_problem;
    std::vector<PdpMemoryAccountant> m_accountants;        //!< one per node
    std::vector<std::optional<PlacementHostSlot>> m_where; //!< one per instance
};

} // namespace ns3

#endif // PLACEMENT_STORAGE_H
