/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pdp-controller.h"

#include "pdp-external-memory.h"
#include "pdp-server.h"
#include "pdp-switch.h"

#include "ns3/double.h"
#include "ns3/ipv6-header.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/srv6-sid-table.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PdpController");
NS_OBJECT_ENSURE_REGISTERED(PdpController);

TypeId
PdpController::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PdpController")
            .SetParent<Object>()
            .SetGroupName("Aisfc")
            .AddConstructor<PdpController>()
            .AddAttribute("ControlBandwidth",
                          "Bandwidth of the controller's link to each switch, bit/s (SR-EM: 50 "
                          "Gbps).",
                          DoubleValue(50e9),
                          MakeDoubleAccessor(&PdpController::m_controlBandwidth),
                          MakeDoubleChecker<double>(1.0))
            .AddAttribute("ControlLatency",
                          "Latency of the controller's link (propagation and switch agent).",
                          TimeValue(MicroSeconds(10)),
                          MakeTimeAccessor(&PdpController::m_controlLatency),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("MigrationBandwidth",
                          "Bandwidth available to move a VM's state between servers, bit/s.",
                          DoubleValue(10e9),
                          MakeDoubleAccessor(&PdpController::m_migrationBandwidth),
                          MakeDoubleChecker<double>(1.0))
            .AddAttribute("ControlCostPerGB",
                          "Cost of one GB of control traffic to program a switch.",
                          DoubleValue(0.05),
                          MakeDoubleAccessor(&PdpController::m_controlCostPerGb),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("MigrationCostPerGB",
                          "Cost of one GB of VM state moved to a server.",
                          DoubleValue(0.02),
                          MakeDoubleAccessor(&PdpController::m_migrationCostPerGb),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("DrainTime",
                          "Time the old SID of a migrated instance keeps serving after the "
                          "switch-over, for packets already on their way.",
                          TimeValue(MilliSeconds(1)),
                          MakeTimeAccessor(&PdpController::m_drainTime),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("SidLength",
                          "Prefix length of function SIDs (locator + function bits).",
                          UintegerValue(80),
                          MakeUintegerAccessor(&PdpController::m_sidLength),
                          MakeUintegerChecker<uint32_t>(1, 128))
            .AddTraceSource("Reconfiguration",
                            "A deployment, migration or removal, with its delay and cost.",
                            MakeTraceSourceAccessor(&PdpController::m_reconfigurationTrace),
                            "ns3::PdpController::ReconfigurationTracedCallback");
    return tid;
}

PdpController::PdpController() = default;
PdpController::~PdpController() = default;

void
PdpController::DoDispose()
{
    m_hosts.clear();
    m_headends.clear();
    m_instances.clear();
    m_allInstances.clear();
    Object::DoDispose();
}

void
PdpController::AddSwitch(uint32_t node, Ptr<PdpSwitch> sw, Ptr<Srv6SidTable> sids)
{
    m_hosts[node] = Host{sw, nullptr, sids};
}

void
PdpController::AddServer(uint32_t node, Ptr<PdpServer> server, Ptr<Srv6SidTable> sids)
{
    m_hosts[node] = Host{nullptr, server, sids};
}

void
PdpController::AddHeadend(Ptr<Srv6SidTable> headend)
{
    m_headends.push_back(headend);
}

const PdpController::Host*
PdpController::FindHost(uint32_t node) const
{
    auto it = m_hosts.find(node);
    return it == m_hosts.end() ? nullptr : &it->second;
}

std::string
PdpController::Describe(const PdpHosting& where) const
{
    const Host* host = FindHost(where.node);
    std::string name = !host      ? "node " + std::to_string(where.node)
                       : host->sw ? host->sw->GetName()
                                  : host->server->GetName();
    return PdpHostingKindName(where.kind) + "@" + name;
}

Time
PdpController::ReconfigurationDelay(const PdpFunctionType& type, const PdpHosting& where) const
{
    if (where.kind == PdpHosting::Kind::SERVER)
    {
        return Seconds(type.serverStorageBytes * 8.0 / m_migrationBandwidth);
    }
    return m_controlLatency + Seconds(type.SwitchStorageBytes() * 8.0 / m_controlBandwidth);
}

std::string
PdpController::Reserve(const std::string& name,
                       const PdpFunctionType& type,
                       const PdpHosting& where,
                       std::string& reservation)
{
    const Host* host = FindHost(where.node);
    if (!host)
    {
        return "node " + std::to_string(where.node) + " is not managed by the controller";
    }
    // Unique on the host: an instance is at most once in each of its memories.
    reservation = name + "@" + PdpHostingKindName(where.kind);
    if (where.kind == PdpHosting::Kind::SERVER)
    {
        if (!host->server)
        {
            return Describe(where) + ": node " + std::to_string(where.node) + " is not a server";
        }
        PdpReserveResult r = host->server->ReserveVm(reservation, type.serverStorageBytes);
        return r.ok ? "" : r.reason;
    }
    if (!host->sw)
    {
        return Describe(where) + ": node " + std::to_string(where.node) + " is not a switch";
    }
    PdpTableShape shape;
    shape.name = reservation;
    shape.match = type.match;
    shape.keyBits = type.keyBits;
    shape.actionBits = type.actionBits;
    shape.entries = type.tableEntries;
    PdpMemoryKind memory = PdpMemoryKind::EXTERNAL;
    if (where.kind == PdpHosting::Kind::LOCAL)
    {
        memory = type.match == PdpMatchKind::EXACT ? PdpMemoryKind::SRAM : PdpMemoryKind::TCAM;
    }
    else if (!host->sw->GetExternalMemory() || host->sw->GetExternalMemory()->GetServers().empty())
    {
        return host->sw->GetName() + ": no external memory (no memory server attached)";
    }
    PdpReserveResult r = host->sw->AddTable(shape, memory, false);
    return r.ok ? "" : r.reason;
}

void
PdpController::Release(const std::string& reservation, const PdpHosting& where)
{
    const Host* host = FindHost(where.node);
    if (host->sw)
    {
        host->sw->RemoveTable(reservation);
    }
    else
    {
        host->server->ReleaseVm(reservation);
    }
}

std::string
PdpController::Deploy(const std::string& name,
                      const PdpFunctionType& type,
                      const PdpHosting& where,
                      const Ipv6Address& sid)
{
    if (m_instances.count(name))
    {
        return "instance '" + name + "' already exists";
    }
    Managed next;
    next.type = type;
    next.where = where;
    next.sid = sid;
    if (std::string refusal = Reserve(name, type, where, next.reservation); !refusal.empty())
    {
        return refusal;
    }
    next.pending = true;
    m_instances[name] = next;
    Time delay = ReconfigurationDelay(type, where);
    uint64_t bytes = where.kind == PdpHosting::Kind::SERVER ? type.serverStorageBytes
                                                            : type.SwitchStorageBytes();
    double perGb =
        where.kind == PdpHosting::Kind::SERVER ? m_migrationCostPerGb : m_controlCostPerGb;
    Record(name, "deploy", "", Describe(where), bytes, delay, bytes / 1e9 * perGb);
    Simulator::Schedule(delay, [this, name, next]() { Activate(name, next); });
    return "";
}

std::string
PdpController::Migrate(const std::string& name, const PdpHosting& where, const Ipv6Address& sid)
{
    auto it = m_instances.find(name);
    if (it == m_instances.end())
    {
        return "no instance '" + name + "'";
    }
    Managed& current = it->second;
    if (current.pending)
    {
        return "instance '" + name + "' is already being reconfigured";
    }
    if (current.where.kind == where.kind && current.where.node == where.node)
    {
        return "instance '" + name + "' is already at " + Describe(where);
    }
    if (sid == current.sid)
    {
        return "instance '" + name + "' needs a new SID at its new place";
    }
    Managed next = current;
    next.where = where;
    next.sid = sid;
    next.instance = nullptr;
    if (std::string refusal = Reserve(name, current.type, where, next.reservation);
        !refusal.empty())
    {
        return refusal;
    }
    current.pending = true;
    Time delay = ReconfigurationDelay(current.type, where);
    bool toServer = where.kind == PdpHosting::Kind::SERVER;
    uint64_t bytes = toServer ? current.type.serverStorageBytes : current.type.SwitchStorageBytes();
    double cost = bytes / 1e9 * (toServer ? m_migrationCostPerGb : m_controlCostPerGb);
    Record(name, "migrate", Describe(current.where), Describe(where), bytes, delay, cost);
    Simulator::Schedule(delay, [this, name, next]() { Activate(name, next); });
    return "";
}

std::string
PdpController::Remove(const std::string& name)
{
    auto it = m_instances.find(name);
    if (it == m_instances.end())
    {
        return "no instance '" + name + "'";
    }
    if (it->second.pending)
    {
        return "instance '" + name + "' is being reconfigured";
    }
    Managed gone = it->second;
    m_instances.erase(it);
    Record(name, "remove", Describe(gone.where), "", 0, Time(0), 0);
    Withdraw(gone.reservation, gone.where, gone.sid);
    return "";
}

void
PdpController::Activate(const std::string& name, const Managed& next)
{
    auto it = m_instances.find(name);
    if (it == m_instances.end())
    {
        return;
    }
    const Host* host = FindHost(next.where.node);
    Ptr<PdpFunctionInstance> instance = CreateObject<PdpFunctionInstance>();
    instance->Setup(name, next.reservation, next.type, next.where, host->sw);
    Srv6SidConfig config;
    config.name = name;
    config.sid = next.sid;
    config.length = static_cast<uint8_t>(m_sidLength);
    config.behavior = Srv6Behavior::END;
    host->sids->AddSid(config);
    host->sids->SetFunctionService(
        next.sid,
        [instance](Ptr<Packet> p, const Ipv6Header& h, Srv6SidTable::FunctionDone done) {
            instance->Serve(p, h, done);
        });

    m_allInstances.push_back(instance);
    Managed old = it->second;
    it->second = next;
    it->second.instance = instance;
    it->second.pending = false;
    if (!old.instance)
    {
        return; // a first deployment
    }
    // Switch-over: new packets take the new SID; the old one drains, then goes.
    for (const Ptr<Srv6SidTable>& headend : m_headends)
    {
        for (const Srv6Policy& policy : headend->GetPolicies())
        {
            std::vector<Srv6SegmentList> lists = policy.lists;
            bool changed = false;
            for (Srv6SegmentList& list : lists)
            {
                for (Ipv6Address& segment : list.path)
                {
                    if (segment == old.sid)
                    {
                        segment = next.sid;
                        changed = true;
                    }
                }
            }
            if (changed)
            {
                headend->SetPolicyLists(policy.name, lists);
            }
        }
    }
    Simulator::Schedule(m_drainTime,
                        [this, old]() { Withdraw(old.reservation, old.where, old.sid); });
}

void
PdpController::Withdraw(const std::string& reservation,
                        const PdpHosting& where,
                        const Ipv6Address& sid)
{
    FindHost(where.node)->sids->RemoveSid(sid, static_cast<uint8_t>(m_sidLength));
    Release(reservation, where);
}

void
PdpController::Record(const std::string& name,
                      const std::string& action,
                      const std::string& from,
                      const std::string& to,
                      uint64_t bytes,
                      Time delay,
                      double cost)
{
    PdpReconfiguration r;
    r.timeSeconds = Simulator::Now().GetSeconds();
    r.instance = name;
    r.action = action;
    r.from = from;
    r.to = to;
    r.bytes = bytes;
    r.delaySeconds = delay.GetSeconds();
    r.cost = cost;
    m_records.push_back(r);
    m_reconfigurationTrace(r);
}

Ptr<PdpFunctionInstance>
PdpController::GetInstance(const std::string& name) const
{
    auto it = m_instances.find(name);
    return it == m_instances.end() ? nullptr : it->second.instance;
}

Ipv6Address
PdpController::GetSid(const std::string& name) const
{
    auto it = m_instances.find(name);
    return it == m_instances.end() ? Ipv6Address::GetAny() : it->second.sid;
}

const std::vector<Ptr<PdpFunctionInstance>>&
PdpController::GetAllInstances() const
{
    return m_allInstances;
}

const std::vector<PdpReconfiguration>&
PdpController::GetRecords() const
{
    return m_records;
}

} // namespace ns3
