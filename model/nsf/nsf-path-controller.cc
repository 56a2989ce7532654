/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "nsf-path-controller.h"

#include "ns3/double.h"
#include "ns3/net-device.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/srv6-sid-table.h"

#include <algorithm>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(NsfPathController);

TypeId
NsfPathController::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NsfPathController")
            .SetParent<Object>()
            .SetGroupName("Aisfc")
            .AddConstructor<NsfPathController>()
            .AddAttribute("PollInterval",
                          "How often link utilisation is measured.",
                          TimeValue(MilliSeconds(10)),
                          MakeTimeAccessor(&NsfPathController::m_interval),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("ControlDelay",
                          "From detecting an overload to the headend using the new list.",
                          TimeValue(MilliSeconds(1)),
                          MakeTimeAccessor(&NsfPathController::m_controlDelay),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("Threshold",
                          "Utilisation of the active list's busiest link that triggers a move.",
                          DoubleValue(0.9),
                          MakeDoubleAccessor(&NsfPathController::m_threshold),
                          MakeDoubleChecker<double>(0.0));
    return tid;
}

NsfPathController::NsfPathController() = default;
NsfPathController::~NsfPathController() = default;

void
NsfPathController::DoDispose()
{
    m_headend = nullptr;
    m_proxies.clear();
    m_devices.clear();
    Object::DoDispose();
}

void
NsfPathController::Setup(Ptr<Srv6SidTable> headend,
                         const std::string& policy,
                         const std::vector<Srv6SegmentList>& lists,
                         const std::vector<std::vector<std::pair<Ptr<NetDevice>, double>>>& links)
{
    NS_ABORT_MSG_UNLESS(lists.size() == links.size() && lists.size() >= 2,
                        "NsfPathController: one set of links per list, two lists at least");
    m_headend = headend;
    m_policy = policy;
    m_lists = lists;
    for (const auto& set : links)
    {
        std::vector<std::pair<uint32_t, double>> slots;
        for (const auto& [device, rate] : set)
        {
            auto it = std::find(m_devices.begin(), m_devices.end(), device);
            uint32_t slot = static_cast<uint32_t>(it - m_devices.begin());
            if (it == m_devices.end())
            {
                m_devices.push_back(device);
                m_bytes.push_back(0);
                // Every packet the device starts to send counts towards its utilisation.
                device->TraceConnectWithoutContext(
                    "PhyTxBegin",
                    MakeCallback(&NsfPathController::Count, this).Bind(slot));
            }
            slots.emplace_back(slot, rate);
        }
        m_links.push_back(slots);
    }
    m_lastUtilisation.assign(m_devices.size(), 0);
}

void
NsfPathController::Count(uint32_t device, Ptr<const Packet> p)
{
    m_bytes[device] += p->GetSize();
}

void
NsfPathController::SetProxies(const std::vector<Ptr<Srv6SidTable>>& proxies)
{
    m_proxies = proxies;
}

void
NsfPathController::Start(Time at)
{
    Simulator::Schedule(at + m_interval, [this]() { Poll(); });
}

double
NsfPathController::Utilisation(size_t list) const
{
    double worst = 0;
    for (const auto& [slot, rate] : m_links[list])
    {
        worst = std::max(worst, m_lastUtilisation[slot] / rate);
    }
    return worst;
}

void
NsfPathController::Poll()
{
    for (size_t d = 0; d < m_devices.size(); ++d)
    {
        m_lastUtilisation[d] = m_bytes[d] * 8.0 / m_interval.GetSeconds(); // bit/s
        m_bytes[d] = 0;
    }
    double active = Utilisation(m_active);
    if (!m_pending && active > m_threshold)
    {
        size_t best = m_active;
        double bestLoad = active;
        for (size_t l = 0; l < m_lists.size(); ++l)
        {
            if (l != m_active && Utilisation(l) < bestLoad)
            {
                best = l;
                bestLoad = Utilisation(l);
            }
        }
        if (best != m_active)
        {
            m_pending = true;
            Switch s{Simulator::Now(), Time(0), m_active, best, active};
            Simulator::Schedule(m_controlDelay, [this, s, best]() mutable {
                m_headend->SetPolicyLists(m_policy, {m_lists[best]});
                for (const auto& proxy : m_proxies)
                {
                    proxy->ReplaceProxyPath(m_lists[m_active].path, m_lists[best].path);
                }
                m_active = best;
                m_pending = false;
                s.applied = Simulator::Now();
                m_switches.push_back(s);
            });
        }
    }
    Simulator::Schedule(m_interval, [this]() { Poll(); });
}

const std::vector<NsfPathController::Switch>&
NsfPathController::GetSwitches() const
{
    return m_switches;
}

size_t
NsfPathController::GetActive() const
{
    return m_active;
}

} // namespace ns3
