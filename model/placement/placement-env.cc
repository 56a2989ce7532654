/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "placement-env.h"

#include "placement-storage.h"

#include <algorithm>
#include <stdexcept>

namespace ns3
{

size_t
PlacementFeatureCount(const PlacementProblem& p)
{
    const size_t slots = p.HostSlots().size();
    const size_t instances = p.InstanceCount();
    return slots + instances + p.topology.GetNNodes() + instances * slots + p.slots;
}

std::vector<double>
PlacementObserve(const PlacementProblem& p,
                 uint32_t slot,
                 const PlacementDeployment& deployment,
                 const PlacementAssignment& assignment)
{
    const std::vector<PlacementHostSlot> hostSlots = p.HostSlots();
    const uint32_t instances = p.InstanceCount();
    std::vector<double> f;
    f.reserve(PlacementFeatureCount(p));

    // (i), (ii): free storage of every host slot; an instance that does not fit counts as
    // using nothing (the evaluator reports it).
    PlacementStorage storage(p);
    storage.PlaceAll(deployment);
    for (const PlacementHostSlot& s : hostSlots)
    {
        uint64_t capacity = storage.CapacityBytes(s);
        f.push_back(capacity == 0 ? 0.0 : double(storage.FreeBytes(s)) / double(capacity));
    }

    // (iii), (iv): the loads of the current configuration under this slot's rates, as the
    // evaluator finds them (nothing changes, so nothing is reconfigured).
    PlacementLinkMapping mapping = PlacementMapLinks(p, slot, deployment, assignment);
    PlacementSlotResult now =
        PlacementEvaluator(p).Evaluate(slot, deployment, deployment, assignment, mapping);
    for (uint32_t i = 0; i < instances; ++i)
    {
        const auto& host = deployment.hosts.at(i);
        double remaining = -1.0;
        if (host)
        {
            double capacity = p.ProcessingCapacity(i, host->kind);
            remaining =
                capacity > 0 ? std::max(-1.0, 1.0 - now.instanceLoadBps[i] / capacity) : -1.0;
        }
        f.push_back(remaining);
    }
    const std::vector<std::array<double, 2>>& linkLoad = now.linkLoadBps;
    std::vector<double> remaining(p.topology.GetNNodes(), 0.0);
    std::vector<double> total(p.topology.GetNNodes(), 0.0);
    for (uint32_t l = 0; l < p.topology.GetNLinks(); ++l)
    {
        const TopologyLink& link = p.topology.GetLink(l);
        for (int dir = 0; dir < 2; ++dir)
        {
            double left = std::max(0.0, link.capacityBps - linkLoad[l][dir]);
            for (uint32_t n : {link.a, link.b})
            {
                remaining[n] += left;
                total[n] += link.capacityBps;
            }
        }
    }
    for (uint32_t n = 0; n < p.topology.GetNNodes(); ++n)
    {
        f.push_back(total[n] > 0 ? remaining[n] / total[n] : 0.0);
    }

    // (v): the placement, one-hot.
    for (uint32_t i = 0; i < instances; ++i)
    {
        const auto& host = deployment.hosts.at(i);
        auto index = host ? p.HostSlotIndex(*host) : std::nullopt;
        for (size_t s = 0; s < hostSlots.size(); ++s)
        {
            f.push_back(index && *index == s ? 1.0 : 0.0);
        }
    }
    for (uint32_t t = 0; t < p.slots; ++t)
    {
        f.push_back(t == slot ? 1.0 : 0.0);
    }
    return f;
}

PlacementEnvironment::PlacementEnvironment(PlacementProblem problem)
    : m_problem(std::make_unique<const PlacementProblem>(std::move(problem))),
      m_filters(*m_problem)
{
    m_problem->Validate();
    Reset();
}

void
PlacementEnvironment::Reset()
{
    m_slot = 0;
    m_deployment = m_problem->initialDeployment;
    m_assignment = m_problem->initialAssignment;
}

uint32_t
PlacementEnvironment::GetSlot() const
{
    return m_slot;
}

bool
PlacementEnvironment::Done() const
{
    return m_slot >= m_problem->slots;
}

const PlacementProblem&
PlacementEnvironment::GetProblem() const
{
    return *m_problem;
}

const PlacementDeployment&
PlacementEnvironment::GetDeployment() const
{
    return m_deployment;
}

const PlacementAssignment&
PlacementEnvironment::GetAssignment() const
{
    return m_assignment;
}

const std::vector<PlacementHostSlot>&
PlacementEnvironment::GetHostSlots() const
{
    return m_filters.GetSlots();
}

const PlacementFilters&
PlacementEnvironment::GetFilters() const
{
    return m_filters;
}

std::vector<double>
PlacementEnvironment::Observe() const
{
    // After the last slot the state is observed for the last slot's rates (terminal anyway).
    uint32_t slot = std::min(m_slot, m_problem->slots - 1);
    return PlacementObserve(*m_problem, slot, m_deployment, m_assignment);
}

PlacementSlotResult
PlacementEnvironment::Step(const PlacementDecision& decision)
{
    if (Done())
    {
        throw std::logic_error("placement environment: the episode is over; call Reset");
    }
    PlacementSlotResult result =
        PlacementEvaluateDecision(*m_problem, m_slot, m_deployment, decision);
    m_deployment = decision.deployment;
    m_assignment = decision.assignment;
    ++m_slot;
    return result;
}

PlacementSlotResult
PlacementEnvironment::StepHosts(const std::vector<int64_t>& hosts)
{
    const std::vector<PlacementHostSlot>& slots = GetHostSlots();
    if (hosts.size() != m_problem->InstanceCount())
    {
        throw std::invalid_argument(
            "placement environment: expected " + std::to_string(m_problem->InstanceCount()) +
            " host indices (one per instance), got " + std::to_string(hosts.size()));
    }
    PlacementDecision d;
    d.deployment = PlacementDeployment::Unplaced(m_problem->InstanceCount());
    for (size_t i = 0; i < hosts.size(); ++i)
    {
        if (hosts[i] < -1 || hosts[i] >= int64_t(slots.size()))
        {
            throw std::invalid_argument(
                "placement environment: instance " + m_problem->InstanceName(i) + ": host index " +
                std::to_string(hosts[i]) + " is not in [-1, " + std::to_string(slots.size()) + ")");
        }
        if (hosts[i] >= 0)
        {
            d.deployment.hosts[i] = slots[hosts[i]];
        }
    }
    d.assignment = PlacementAssignNearest(*m_problem, Done() ? 0 : m_slot, d.deployment);
    return Step(d);
}

} // namespace ns3
