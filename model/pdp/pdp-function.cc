/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pdp-function.h"

#include "pdp-external-memory.h"
#include "pdp-switch.h"

#include "ns3/ipv6-header.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/srv6-packet.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PdpFunctionInstance");
NS_OBJECT_ENSURE_REGISTERED(PdpFunctionInstance);

uint64_t
PdpFunctionType::SwitchStorageBytes() const
{
    return tableEntries * EntryBytes();
}

uint32_t
PdpFunctionType::EntryBytes() const
{
    return (keyBits + actionBits + 7) / 8;
}

const std::map<std::string, PdpFunctionType>&
PdpBuiltinFunctionTypes()
{
    static const std::map<std::string, PdpFunctionType> types = [] {
        std::map<std::string, PdpFunctionType> t;
        PdpFunctionType fw; // an ACL on the 5-tuple (IPv6 addresses hashed to 32 bits each)
        fw.name = "firewall";
        fw.match = PdpMatchKind::TERNARY;
        fw.keyBits = 104;
        fw.tableEntries = 2048;
        fw.serverStorageBytes = 256ull << 20;
        fw.serverCapacityBps = 2e9;
        t[fw.name] = fw;

        PdpFunctionType nat; // one exact entry per translated flow
        nat.name = "nat";
        nat.match = PdpMatchKind::EXACT;
        nat.keyBits = 296; // IPv6 source, destination, ports, protocol
        nat.actionBits = 144;
        nat.tableEntries = 65536;
        nat.serverStorageBytes = 512ull << 20;
        nat.serverCapacityBps = 5e9;
        t[nat.name] = nat;

        PdpFunctionType lb; // VIP to backend pool, with a second read for the backend
        lb.name = "load-balancer";
        lb.match = PdpMatchKind::EXACT;
        lb.keyBits = 128;
        lb.actionBits = 128;
        lb.tableEntries = 16384;
        lb.rdmaAccesses = 2;
        lb.serverStorageBytes = 256ull << 20;
        lb.serverCapacityBps = 10e9;
        t[lb.name] = lb;

        PdpFunctionType enc; // per-byte work: an extra pass for the second half of the block
        enc.name = "encryption";
        enc.match = PdpMatchKind::EXACT;
        enc.keyBits = 32;
        enc.actionBits = 256; // key material
        enc.tableEntries = 4096;
        enc.switchCapacityBps = 40e9;
        enc.recirculations = 1;
        enc.switchPerMegabyte = MicroSeconds(50); // 50 ns per kB: the cipher's work per byte
        enc.serverStorageBytes = 128ull << 20;
        enc.serverCapacityBps = 1e9;
        enc.serverPerMegabyte = MilliSeconds(4);
        t[enc.name] = enc;

        PdpFunctionType ml; // a compiled tree ensemble: range rows per feature
        ml.name = "ml-classifier";
        ml.match = PdpMatchKind::RANGE;
        ml.keyBits = 32;
        ml.actionBits = 16;
        ml.tableEntries = 3072;
        ml.serverStorageBytes = 1ull << 30;
        ml.serverCapacityBps = 1e9;
        ml.serverPerPacket = MicroSeconds(50);
        t[ml.name] = ml;
        return t;
    }();
    return types;
}

std::string
PdpHostingKindName(PdpHosting::Kind kind)
{
    switch (kind)
    {
    case PdpHosting::Kind::LOCAL:
        return "local";
    case PdpHosting::Kind::EXTERNAL:
        return "external";
    case PdpHosting::Kind::SERVER:
        return "server";
    }
    return "?";
}

namespace
{
/// The flow a packet belongs to: the inner packet's 5-tuple when it is encapsulated, so that
/// every packet of a flow reads the same table entry.
uint64_t
FlowHash(Ptr<const Packet> p, const Ipv6Header& header)
{
    constexpr uint8_t IPV6_IN_IPV6 = 41;
    Srv6FlowKey key = Srv6ReadFlowKey(p, header);
    if (key.protocol == IPV6_IN_IPV6)
    {
        uint32_t offset = Srv6FindSrh(p, header).bytes;
        if (p->GetSize() >= offset + 40)
        {
            Ptr<Packet> inner = p->CreateFragment(offset, p->GetSize() - offset);
            Ipv6Header innerHeader;
            inner->RemoveHeader(innerHeader);
            key = Srv6ReadFlowKey(inner, innerHeader);
        }
    }
    return key.Hash(0);
}
} // namespace

TypeId
PdpFunctionInstance::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PdpFunctionInstance")
            .SetParent<Object>()
            .SetGroupName("Aisfc")
            .AddConstructor<PdpFunctionInstance>()
            .AddAttribute("QueueLimit",
                          "Bytes that may wait for the processor; more are dropped.",
                          UintegerValue(1 << 20),
                          MakeUintegerAccessor(&PdpFunctionInstance::m_queueLimitBytes),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("Served",
                            "A packet leaving the function, with the time it spent in it.",
                            MakeTraceSourceAccessor(&PdpFunctionInstance::m_servedTrace),
                            "ns3::Time::TracedCallback");
    return tid;
}

PdpFunctionInstance::PdpFunctionInstance() = default;
PdpFunctionInstance::~PdpFunctionInstance() = default;

void
PdpFunctionInstance::Setup(const std::string& name,
                           const std::string& tableName,
                           const PdpFunctionType& type,
                           const PdpHosting& hosting,
                           Ptr<PdpSwitch> sw)
{
    m_name = name;
    m_tableName = tableName;
    m_type = type;
    m_hosting = hosting;
    m_switch = sw;
    NS_ABORT_MSG_IF((hosting.kind == PdpHosting::Kind::SERVER) != (sw == nullptr),
                    "PdpFunctionInstance " << name << ": a switch hosting needs its switch");
}

const std::string&
PdpFunctionInstance::GetName() const
{
    return m_name;
}

const PdpFunctionType&
PdpFunctionInstance::GetType() const
{
    return m_type;
}

const PdpHosting&
PdpFunctionInstance::GetHosting() const
{
    return m_hosting;
}

std::string
PdpFunctionInstance::GetTableName() const
{
    return m_tableName;
}

double
PdpFunctionInstance::GetCapacityBps() const
{
    return m_hosting.kind == PdpHosting::Kind::SERVER ? m_type.serverCapacityBps
                                                      : m_type.switchCapacityBps;
}

Time
PdpFunctionInstance::GetLocalLookupDelay() const
{
    return m_hosting.kind == PdpHosting::Kind::LOCAL ? m_switch->TableLookupDelay(GetTableName())
                                                     : Time(0);
}

void
PdpFunctionInstance::Serve(Ptr<Packet> p, const Ipv6Header& header, Done done)
{
    Lookup(p, header, std::move(done), Simulator::Now());
}

void
PdpFunctionInstance::Lookup(Ptr<Packet> p, const Ipv6Header& header, Done done, Time arrival)
{
    switch (m_hosting.kind)
    {
    case PdpHosting::Kind::SERVER:
        Process(p, header, std::move(done), arrival);
        return;
    case PdpHosting::Kind::LOCAL: {
        Time delay = GetLocalLookupDelay();
        if (delay.IsZero())
        {
            Process(p, header, std::move(done), arrival);
            return;
        }
        Simulator::Schedule(delay, [this, p, header, done, arrival]() {
            Process(p, header, done, arrival);
        });
        return;
    }
    case PdpHosting::Kind::EXTERNAL: {
        Ptr<PdpExternalMemory> external = m_switch->GetExternalMemory();
        if (!external || external->GetServers().empty())
        {
            Fail(p, header, done, "no-external-memory");
            return;
        }
        uint64_t entry = FlowHash(p, header) % std::max<uint64_t>(m_type.tableEntries, 1);
        external->Lookup(entry,
                         m_type.EntryBytes(),
                         m_type.rdmaAccesses,
                         [this, p, header, done, arrival](bool ok, Time) {
                             if (ok)
                             {
                                 Process(p, header, done, arrival);
                             }
                             else
                             {
                                 Fail(p, header, done, "external-memory-timeout");
                             }
                         });
        return;
    }
    }
}

void
PdpFunctionInstance::Process(Ptr<Packet> p, const Ipv6Header& header, Done done, Time arrival)
{
    Time now = Simulator::Now();
    double megabytes = (p->GetSize() + 40) / 1e6;
    Time extra = Time(0);
    if (m_hosting.kind == PdpHosting::Kind::SERVER)
    {
        extra = m_type.serverPerPacket + m_type.serverPerMegabyte * megabytes;
    }
    else
    {
        extra = m_type.switchPerPacket + m_type.switchPerMegabyte * megabytes;
        for (uint32_t r = 0; r < m_type.recirculations; ++r)
        {
            std::optional<Time> pass = m_switch->Recirculate();
            if (!pass)
            {
                Fail(p, header, done, "pipeline-overload");
                return;
            }
            extra += *pass;
        }
    }
    // The processor: a FIFO at the instance's capacity; a packet that would find more than
    // QueueLimit bytes of backlog ahead of it is dropped.
    double bits = (p->GetSize() + 40) * 8.0;
    Time start = std::max(now, m_busyUntil);
    double backlogBytes = (start - now).GetSeconds() * GetCapacityBps() / 8;
    if (backlogBytes > m_queueLimitBytes)
    {
        Fail(p, header, done, "function-overload");
        return;
    }
    m_busyUntil = start + Seconds(bits / GetCapacityBps());
    Time leave = m_busyUntil + extra;
    Simulator::Schedule(leave - now, [this, p, header, done, arrival]() {
        ++m_served;
        m_servedBytes += p->GetSize() + 40;
        Time spent = Simulator::Now() - arrival;
        m_latencies.Add(spent.GetSeconds());
        m_servedTrace(p, spent);
        done(p, header, "");
    });
}

void
PdpFunctionInstance::Fail(Ptr<Packet> p,
                          const Ipv6Header& header,
                          Done done,
                          const std::string& reason)
{
    ++m_drops[reason];
    done(p, header, reason);
}

uint64_t
PdpFunctionInstance::GetServed() const
{
    return m_served;
}

uint64_t
PdpFunctionInstance::GetServedBytes() const
{
    return m_servedBytes;
}

const std::map<std::string, uint64_t>&
PdpFunctionInstance::GetDrops() const
{
    return m_drops;
}

const PdpLatencyStats&
PdpFunctionInstance::GetLatencies() const
{
    return m_latencies;
}

} // namespace ns3
