/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "placement-filters.h"

#include "placement-storage.h"

#include <stdexcept>

namespace ns3
{

namespace
{

const std::vector<std::pair<PlacementFilterMode, const char*>> MODE_NAMES = {
    {PlacementFilterMode::NONE, "none"},
    {PlacementFilterMode::STATIC, "static"},
    {PlacementFilterMode::DYNAMIC, "dynamic"},
    {PlacementFilterMode::HYBRID, "hybrid"},
};

// The mask of every slot as one accountant state sees it.
PlacementMask
AskStorage(const PlacementProblem& problem,
           const PlacementStorage& storage,
           const std::vector<PlacementHostSlot>& slots,
           uint32_t instance)
{
    PlacementMask m;
    for (const PlacementHostSlot& slot : slots)
    {
        std::string why = storage.WouldRefuse(instance, slot);
        if (!why.empty())
        {
            why = problem.HostSlotName(slot) + ": " + why;
        }
        m.allowed.push_back(why.empty());
        m.reasons.push_back(why);
    }
    return m;
}

} // namespace

std::string
PlacementFilterModeName(PlacementFilterMode mode)
{
    for (const auto& [m, name] : MODE_NAMES)
    {
        if (m == mode)
        {
            return name;
        }
    }
    return "none";
}

std::optional<PlacementFilterMode>
PlacementParseFilterMode(const std::string& name)
{
    for (const auto& [m, n] : MODE_NAMES)
    {
        if (name == n)
        {
            return m;
        }
    }
    return std::nullopt;
}

uint32_t
PlacementMask::Count() const
{
    uint32_t n = 0;
    for (bool a : allowed)
    {
        n += a ? 1 : 0;
    }
    return n;
}

std::vector<uint32_t>
PlacementMask::Allowed() const
{
    std::vector<uint32_t> out;
    for (uint32_t i = 0; i < allowed.size(); ++i)
    {
        if (allowed[i])
        {
            out.push_back(i);
        }
    }
    return out;
}

PlacementFilters::PlacementFilters(const PlacementProblem& problem)
    : m_problem(problem),
      m_slots(problem.HostSlots())
{
    PlacementStorage empty(problem);
    for (uint32_t i = 0; i < problem.InstanceCount(); ++i)
    {
        m_static.push_back(AskStorage(problem, empty, m_slots, i));
    }
}

const std::vector<PlacementHostSlot>&
PlacementFilters::GetSlots() const
{
    return m_slots;
}

const PlacementMask&
PlacementFilters::Static(uint32_t instance) const
{
    return m_static.at(instance);
}

PlacementMask
PlacementFilters::Dynamic(const PlacementDeployment& deployment, uint32_t instance) const
{
    if (deployment.hosts.size() != m_problem.InstanceCount())
    {
        throw std::invalid_argument("placement filters: the deployment needs one entry per "
                                    "instance");
    }
    PlacementStorage storage(m_problem);
    storage.PlaceAll(deployment, instance);
    return AskStorage(m_problem, storage, m_slots, instance);
}

PlacementMask
PlacementFilters::Mask(PlacementFilterMode mode,
                       const PlacementDeployment& deployment,
                       uint32_t instance) const
{
    switch (mode)
    {
    case PlacementFilterMode::NONE: {
        PlacementMask m;
        m.allowed.assign(m_slots.size(), true);
        m.reasons.assign(m_slots.size(), "");
        return m;
    }
    case PlacementFilterMode::STATIC:
        return Static(instance);
    case PlacementFilterMode::DYNAMIC:
        return Dynamic(deployment, instance);
    case PlacementFilterMode::HYBRID: {
        PlacementMask m = Dynamic(deployment, instance);
        const PlacementMask& s = Static(instance);
        for (uint32_t k = 0; k < m.allowed.size(); ++k)
        {
            if (!s.allowed[k])
            {
                m.allowed[k] = false;
                m.reasons[k] = s.reasons[k];
            }
        }
        return m;
    }
    }
    return Static(instance);
}

} // namespace ns3
