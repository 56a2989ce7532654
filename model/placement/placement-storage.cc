/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "placement-storage.h"

#include <stdexcept>

namespace ns3
{

PlacementStorage::PlacementStorage(const PlacementProblem& problem)
    : m_problem(problem),
      m_where(problem.InstanceCount())
{
    m_accountants.reserve(problem.nodes.size());
    for (uint32_t n = 0; n < problem.nodes.size(); ++n)
    {
        std::string owner = n < problem.topology.GetNNodes() ? problem.topology.GetNode(n).name
                                                             : "node" + std::to_string(n);
        m_accountants.emplace_back(owner, problem.MemoryBudget(n));
    }
}

std::string
PlacementStorage::ReservationName(const PlacementProblem& problem, uint32_t instance)
{
    return "instance " + problem.InstanceName(instance);
}

PdpReserveResult
PlacementStorage::Place(uint32_t instance, const PlacementHostSlot& slot)
{
    if (!m_problem.IsHostSlot(slot))
    {
        throw std::invalid_argument("placement storage: " + m_problem.HostSlotName(slot) +
                                    " is no host slot");
    }
    if (m_where.at(instance))
    {
        PdpReserveResult r;
        r.reason = ReservationName(m_problem, instance) + " is already placed on " +
                   m_problem.HostSlotName(*m_where[instance]);
        return r;
    }
    PdpReserveResult r =
        m_accountants[slot.node].ReserveBytes(ReservationName(m_problem, instance),
                                              m_problem.StorageDemand(instance, slot.kind),
                                              PlacementMemoryKind(slot.kind));
    if (r.ok)
    {
        m_where[instance] = slot;
    }
    else
    {
        r.reason += NoRdmaTable(slot);
    }
    return r;
}

bool
PlacementStorage::Remove(uint32_t instance)
{
    if (!m_where.at(instance))
    {
        return false;
    }
    m_accountants[m_where[instance]->node].Release(ReservationName(m_problem, instance));
    m_where[instance].reset();
    return true;
}

std::string
PlacementStorage::WouldRefuse(uint32_t instance, const PlacementHostSlot& slot) const
{
    if (!m_problem.IsHostSlot(slot))
    {
        return m_problem.HostSlotName(slot) + " is no host slot";
    }
    std::string why =
        m_accountants[slot.node].WouldRefuse(m_problem.StorageDemand(instance, slot.kind),
                                             PlacementMemoryKind(slot.kind));
    return why.empty() ? why : why + NoRdmaTable(slot);
}

std::string
PlacementStorage::NoRdmaTable(const PlacementHostSlot& slot) const
{
    return slot.kind == PlacementHostKind::EXTERNAL &&
                   m_problem.nodes[slot.node].rdmaTableBytes == 0
               ? " (no RDMA table reaches it)"
               : "";
}

std::vector<std::pair<uint32_t, std::string>>
PlacementStorage::PlaceAll(const PlacementDeployment& deployment, std::optional<uint32_t> skip)
{
    std::vector<std::pair<uint32_t, std::string>> refused;
    for (uint32_t i = 0; i < deployment.hosts.size(); ++i)
    {
        if (!deployment.hosts[i] || (skip && *skip == i))
        {
            continue;
        }
        PdpReserveResult r = Place(i, *deployment.hosts[i]);
        if (!r.ok)
        {
            refused.emplace_back(i, r.reason);
        }
    }
    return refused;
}

std::optional<PlacementHostSlot>
PlacementStorage::Where(uint32_t instance) const
{
    return m_where.at(instance);
}

uint64_t
PlacementStorage::UsedBytes(const PlacementHostSlot& slot) const
{
    return m_accountants.at(slot.node).UsedBytes(PlacementMemoryKind(slot.kind));
}

uint64_t
PlacementStorage::CapacityBytes(const PlacementHostSlot& slot) const
{
    const PdpMemoryAccountant& a = m_accountants.at(slot.node);
    PdpMemoryKind memory = PlacementMemoryKind(slot.kind);
    uint64_t units = a.Capacity(memory);
    return memory == PdpMemoryKind::SRAM ? units * a.GetBudget().SramBlockBytes() : units;
}

uint64_t
PlacementStorage::FreeBytes(const PlacementHostSlot& slot) const
{
    return CapacityBytes(slot) - UsedBytes(slot);
}

const PdpMemoryAccountant&
PlacementStorage::GetAccountant(uint32_t node) const
{
    return m_accountants.at(node);
}

} // namespace ns3
