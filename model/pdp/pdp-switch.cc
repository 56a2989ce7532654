/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pdp-switch.h"

#include "pdp-external-memory.h"

#include "ns3/double.h"
#include "ns3/ipv6-route.h"
#include "ns3/ipv6.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/tag.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PdpSwitch");
NS_OBJECT_ENSURE_REGISTERED(PdpSwitch);

namespace
{
/// Marks a packet while it is inside a switch's pipeline, so that the SRv6 table's resubmission
/// through the node's routing does not take a second pass.  Removed when the packet leaves.
class PdpPipelineTag : public Tag
{
  public:
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::PdpPipelineTag")
                                .SetParent<Tag>()
                                .SetGroupName("Aisfc")
                                .AddConstructor<PdpPipelineTag>();
        return tid;
    }

    TypeId GetInstanceTypeId() const override
    {
        return GetTypeId();
    }

    uint32_t GetSerializedSize() const override
    {
        return 4;
    }

    void Serialize(TagBuffer i) const override
    {
        i.WriteU32(node);
    }

    void Deserialize(TagBuffer i) override
    {
        node = i.ReadU32();
    }

    void Print(std::ostream& os) const override
    {
        os << "pipeline of node " << node;
    }

    uint32_t node = 0;
};

void
LeavePipeline(Ptr<const Packet> p)
{
    PdpPipelineTag tag;
    ConstCast<Packet>(p)->RemovePacketTag(tag);
}

void
ForwardOut(Ipv6RoutingProtocol::UnicastForwardCallback ucb,
           Ptr<const NetDevice> idev,
           Ptr<Ipv6Route> route,
           Ptr<const Packet> p,
           const Ipv6Header& header)
{
    LeavePipeline(p);
    ucb(idev, route, p, header);
}

void
DeliverOut(Ipv6RoutingProtocol::LocalDeliverCallback lcb,
           Ptr<const Packet> p,
           const Ipv6Header& header,
           uint32_t iif)
{
    LeavePipeline(p);
    lcb(p, header, iif);
}
} // namespace

TypeId
PdpSwitch::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PdpSwitch")
            .SetParent<AisfcInputHook>()
            .SetGroupName("Aisfc")
            .AddConstructor<PdpSwitch>()
            .AddAttribute("Stages",
                          "Pipeline stages (Tofino: 12).",
                          UintegerValue(12),
                          MakeUintegerAccessor(&PdpSwitch::m_stages),
                          MakeUintegerChecker<uint32_t>(1, 64))
            .AddAttribute("FixedLatency",
                          "Latency of a pass besides the stages (parser, deparser, traffic "
                          "manager).",
                          TimeValue(NanoSeconds(200)),
                          MakeTimeAccessor(&PdpSwitch::m_fixedLatency),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("StageLatency",
                          "Latency of one match-action stage.",
                          TimeValue(NanoSeconds(7)),
                          MakeTimeAccessor(&PdpSwitch::m_stageLatency),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("TcamK",
                          "TCAM lookup delay per log2 of the table's entries.",
                          TimeValue(NanoSeconds(30)),
                          MakeTimeAccessor(&PdpSwitch::m_tcamK),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("PacketRate",
                          "Packets per second the pipeline takes (one Tofino pipe: ~1.2e9).",
                          DoubleValue(1.2e9),
                          MakeDoubleAccessor(&PdpSwitch::m_packetRate),
                          MakeDoubleChecker<double>(1.0))
            .AddAttribute("QueueLimit",
                          "Packets that may wait for a pipeline slot; more are dropped.",
                          UintegerValue(4096),
                          MakeUintegerAccessor(&PdpSwitch::m_queueLimit),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("RecirculationLatency",
                          "Latency of the recirculation port, added to the extra pass.",
                          TimeValue(NanoSeconds(100)),
                          MakeTimeAccessor(&PdpSwitch::m_recirculationLatency),
                          MakeTimeChecker(Time(0)))
            .AddTraceSource("Drop",
                            "A packet dropped by the switch, with the reason.",
                            MakeTraceSourceAccessor(&PdpSwitch::m_dropTrace),
                            "ns3::PdpSwitch::DropTracedCallback")
            .AddTraceSource("Memory",
                            "Memory used after a table or register was added or removed.",
                            MakeTraceSourceAccessor(&PdpSwitch::m_memoryTrace),
                            "ns3::PdpSwitch::MemoryTracedCallback")
            .AddTraceSource("Pipeline",
                            "A packet entering the pipeline, with its pass delay.",
                            MakeTraceSourceAccessor(&PdpSwitch::m_pipelineTrace),
                            "ns3::Time::TracedCallback");
    return tid;
}

PdpSwitch::PdpSwitch()
    : m_memory(std::make_unique<PdpMemoryAccountant>(m_name, PdpMemoryBudget()))
{
}

PdpSwitch::~PdpSwitch() = default;

void
PdpSwitch::DoDispose()
{
    m_external = nullptr;
    AisfcInputHook::DoDispose();
}

void
PdpSwitch::SetMemoryBudget(const std::string& name, PdpMemoryBudget budget)
{
    NS_ABORT_MSG_UNLESS(m_memory->GetReservations().empty(),
                        "PdpSwitch " << name << ": set the memory budget before reserving");
    budget.stages = m_stages;
    m_name = name;
    m_memory = std::make_unique<PdpMemoryAccountant>(name, budget);
}

PdpMemoryAccountant&
PdpSwitch::GetMemory()
{
    return *m_memory;
}

const PdpMemoryAccountant&
PdpSwitch::GetMemory() const
{
    return *m_memory;
}

const std::string&
PdpSwitch::GetName() const
{
    return m_name;
}

PdpReserveResult
PdpSwitch::AddTable(const PdpTableShape& shape,
                    PdpMemoryKind memory,
                    bool perPacket,
                    std::optional<uint32_t> level)
{
    PdpReserveResult r = m_memory->ReserveTable(shape, memory);
    if (r.ok)
    {
        m_tables[shape.name] = Table{shape, memory, perPacket, level};
        UpdateLookupDelay();
        MemoryChanged(memory);
    }
    return r;
}

void
PdpSwitch::UpdateLookupDelay()
{
    m_perPacketLookup = Time(0);
    std::map<uint32_t, Time> slowest; // per level
    for (const auto& [name, table] : m_tables)
    {
        if (!table.perPacket)
        {
            continue;
        }
        Time delay = TableLookupDelay(name);
        if (table.level)
        {
            slowest[*table.level] = std::max(slowest[*table.level], delay);
        }
        else
        {
            m_perPacketLookup += delay;
        }
    }
    for (const auto& [level, delay] : slowest)
    {
        m_perPacketLookup += delay;
    }
}

bool
PdpSwitch::RemoveTable(const std::string& name)
{
    auto it = m_tables.find(name);
    if (it == m_tables.end())
    {
        return false;
    }
    PdpMemoryKind memory = it->second.memory;
    m_memory->Release(name);
    m_tables.erase(it);
    UpdateLookupDelay();
    MemoryChanged(memory);
    return true;
}

const PdpSwitch::Table*
PdpSwitch::GetTable(const std::string& name) const
{
    auto it = m_tables.find(name);
    return it == m_tables.end() ? nullptr : &it->second;
}

PdpReserveResult
PdpSwitch::AddRegister(const std::string& name, uint32_t widthBits, uint32_t cells)
{
    PdpTableShape shape;
    shape.name = name;
    shape.keyBits = 0;
    shape.actionBits = widthBits;
    shape.entries = cells;
    PdpReserveResult r = m_memory->ReserveTable(shape, PdpMemoryKind::SRAM);
    if (r.ok)
    {
        m_registers[name] = Register{widthBits, std::vector<uint64_t>(cells, 0)};
        MemoryChanged(PdpMemoryKind::SRAM);
    }
    return r;
}

void
PdpSwitch::Register::Write(uint32_t index, uint64_t value)
{
    cells.at(index) = widthBits >= 64 ? value : value & ((uint64_t(1) << widthBits) - 1);
}

uint64_t
PdpSwitch::Register::Read(uint32_t index) const
{
    return cells.at(index);
}

void
PdpSwitch::MemoryChanged(PdpMemoryKind memory)
{
    m_memoryTrace(PdpMemoryKindName(memory), m_memory->Used(memory), m_memory->Capacity(memory));
}

PdpSwitch::Register*
PdpSwitch::GetRegister(const std::string& name)
{
    auto it = m_registers.find(name);
    return it == m_registers.end() ? nullptr : &it->second;
}

Time
PdpSwitch::PerPacketLookupDelay() const
{
    return m_perPacketLookup;
}

Time
PdpSwitch::TcamLookupDelay(uint64_t entries) const
{
    return entries <= 1 ? Time(0) : m_tcamK * std::log2(static_cast<double>(entries));
}

Time
PdpSwitch::TableLookupDelay(const std::string& name) const
{
    const Table* t = GetTable(name);
    return t && t->memory == PdpMemoryKind::TCAM ? TcamLookupDelay(t->shape.entries) : Time(0);
}

Time
PdpSwitch::PipelineLatency() const
{
    return m_fixedLatency + m_stageLatency * m_stages + m_perPacketLookup;
}

std::optional<Time>
PdpSwitch::AdmitPass()
{
    // Slots are kept in double seconds: at 1.2e9 packets/s a slot (0.83 ns) is below ns-3's
    // nanosecond resolution, and rounding each one would change the rate.
    double now = Simulator::Now().GetSeconds();
    double start = std::max(now, m_nextSlotSeconds);
    double slot = 1.0 / m_packetRate;
    if (start - now > slot * m_queueLimit)
    {
        return std::nullopt;
    }
    m_nextSlotSeconds = start + slot;
    m_queueDelays.Add(start - now);
    return Seconds(start - now) + PipelineLatency();
}

std::optional<Time>
PdpSwitch::Recirculate()
{
    std::optional<Time> pass = AdmitPass();
    if (!pass)
    {
        return std::nullopt;
    }
    ++m_recirculations;
    return *pass + m_recirculationLatency;
}

void
PdpSwitch::SetExternalMemory(Ptr<PdpExternalMemory> external)
{
    m_external = external;
}

Ptr<PdpExternalMemory>
PdpSwitch::GetExternalMemory() const
{
    return m_external;
}

uint64_t
PdpSwitch::GetPackets() const
{
    return m_packets;
}

uint64_t
PdpSwitch::GetRecirculations() const
{
    return m_recirculations;
}

const std::map<std::string, uint64_t>&
PdpSwitch::GetDrops() const
{
    return m_drops;
}

const PdpLatencyStats&
PdpSwitch::GetQueueDelays() const
{
    return m_queueDelays;
}

void
PdpSwitch::Drop(const Ipv6Header& header, Ptr<const Packet> p, const std::string& reason)
{
    ++m_drops[reason];
    m_dropTrace(header, p, reason);
}

bool
PdpSwitch::RouteInput(Ptr<const Packet> p,
                      const Ipv6Header& header,
                      Ptr<const NetDevice> idev,
                      UnicastForwardCallback ucb,
                      MulticastForwardCallback mcb,
                      LocalDeliverCallback lcb,
                      ErrorCallback /* null in a list */)
{
    Ipv6Address dst = header.GetDestination();
    if (dst.IsMulticast() || dst.IsLinkLocal())
    {
        return false;
    }
    if (std::find(m_ownAddresses.begin(), m_ownAddresses.end(), dst) != m_ownAddresses.end())
    {
        return false; // to the switch's CPU or its RDMA reads' responses: not the data path
    }
    PdpPipelineTag tag;
    if (p->PeekPacketTag(tag))
    {
        return false; // resubmitted from inside this pipeline: the protocols below decide
    }
    ++m_packets;
    std::optional<Time> delay = AdmitPass();
    if (!delay)
    {
        Drop(header, p, "pipeline-overload");
        return true;
    }
    m_pipelineTrace(p, *delay);
    Ptr<Packet> q = p->Copy();
    if (!m_program.IsNull() && !m_program(q, header))
    {
        Drop(header, p, "program");
        return true;
    }
    tag.node = m_ipv6->GetObject<Node>()->GetId();
    q->AddPacketTag(tag);
    UnicastForwardCallback out = MakeBoundCallback(&ForwardOut, ucb);
    LocalDeliverCallback deliver = MakeBoundCallback(&DeliverOut, lcb);
    Simulator::Schedule(*delay, [this, q, header, idev, out, mcb, deliver]() {
        Dispatch(q, header, idev, out, mcb, deliver);
    });
    return true;
}

void
PdpSwitch::Dispatch(Ptr<Packet> p,
                    const Ipv6Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb)
{
    // The list reports a packet no protocol takes through the error callback.
    m_ipv6->GetRoutingProtocol()
        ->RouteInput(p, header, idev, ucb, mcb, lcb, MakeCallback(&PdpSwitch::NoRoute, this));
}

void
PdpSwitch::NoRoute(Ptr<const Packet> p, const Ipv6Header& header, Socket::SocketErrno)
{
    Drop(header, p, "no-route");
}

void
PdpSwitch::SetProgram(Program program)
{
    m_program = program;
}

void
PdpSwitch::NotifyAddAddress(uint32_t, Ipv6InterfaceAddress address)
{
    m_ownAddresses.push_back(address.GetAddress());
}

void
PdpSwitch::NotifyRemoveAddress(uint32_t, Ipv6InterfaceAddress address)
{
    auto it = std::find(m_ownAddresses.begin(), m_ownAddresses.end(), address.GetAddress());
    if (it != m_ownAddresses.end())
    {
        m_ownAddresses.erase(it);
    }
}

void
PdpSwitch::SetIpv6(Ptr<Ipv6> ipv6)
{
    m_ipv6 = ipv6;
    m_ownAddresses.clear();
    for (uint32_t i = 0; ipv6 && i < ipv6->GetNInterfaces(); ++i)
    {
        for (uint32_t a = 0; a < ipv6->GetNAddresses(i); ++a)
        {
            m_ownAddresses.push_back(ipv6->GetAddress(i, a).GetAddress());
        }
    }
}

void
PdpSwitch::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit) const
{
    std::ostream& os = *stream->GetStream();
    os << "PdpSwitch " << m_name << ": " << m_tables.size() << " tables, pipeline latency "
       << PipelineLatency().GetNanoSeconds() << " ns\n";
}

} // namespace ns3
