/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pdp-external-memory.h"

#include "pdp-rdma-client.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PdpExternalMemory");
NS_OBJECT_ENSURE_REGISTERED(PdpExternalMemory);

/// One lookup on its way through its reads.
struct PdpExternalMemory::Pending
{
    uint64_t entry;
    uint32_t entryBytes;
    uint32_t accesses;
    uint32_t done = 0; //!< reads completed
    Time start;
    LookupDone callback;
};

TypeId
PdpExternalMemory::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PdpExternalMemory")
            .SetParent<Object>()
            .SetGroupName("Aisfc")
            .AddConstructor<PdpExternalMemory>()
            .AddAttribute("Mode",
                          "PACKETS: real RDMA reads over the links; ANALYTIC: a fixed round trip "
                          "and the servers' rate limit, no packets.",
                          EnumValue(Mode::PACKETS),
                          MakeEnumAccessor(&PdpExternalMemory::m_mode),
                          MakeEnumChecker(Mode::PACKETS, "PACKETS", Mode::ANALYTIC, "ANALYTIC"))
            .AddAttribute("AnalyticRoundTrip",
                          "ANALYTIC mode: time of one read (TEA: 1.8-2.2 us).",
                          TimeValue(NanoSeconds(2000)),
                          MakeTimeAccessor(&PdpExternalMemory::m_analyticRoundTrip),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("AnalyticLookupRate",
                          "ANALYTIC mode: reads per second one memory server serves (TEA: ~17e6).",
                          DoubleValue(17e6),
                          MakeDoubleAccessor(&PdpExternalMemory::m_analyticRate),
                          MakeDoubleChecker<double>(1.0))
            .AddAttribute("CacheEntries",
                          "Remote entries kept in the switch (LRU); 0: no cache.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&PdpExternalMemory::m_cacheEntries),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("Lookup",
                            "A lookup completed: its latency and whether the cache answered it.",
                            MakeTraceSourceAccessor(&PdpExternalMemory::m_lookupTrace),
                            "ns3::PdpExternalMemory::LookupTracedCallback");
    return tid;
}

PdpExternalMemory::PdpExternalMemory() = default;
PdpExternalMemory::~PdpExternalMemory() = default;

void
PdpExternalMemory::DoDispose()
{
    m_client = nullptr;
    Object::DoDispose();
}

void
PdpExternalMemory::Setup(Ptr<Node> node)
{
    if (m_mode == Mode::PACKETS && !m_client)
    {
        m_client = CreateObject<PdpRdmaClient>();
        m_client->Setup(node);
    }
}

void
PdpExternalMemory::AddServer(const Ipv6Address& address)
{
    m_servers.push_back(address);
    m_analyticNextSlot.push_back(0);
}

const std::vector<Ipv6Address>&
PdpExternalMemory::GetServers() const
{
    return m_servers;
}

PdpExternalMemory::Mode
PdpExternalMemory::GetMode() const
{
    return m_mode;
}

bool
PdpExternalMemory::CacheHit(uint64_t entry)
{
    auto it = m_cache.find(entry);
    if (it == m_cache.end())
    {
        return false;
    }
    m_lru.splice(m_lru.begin(), m_lru, it->second);
    return true;
}

void
PdpExternalMemory::CacheInsert(uint64_t entry)
{
    if (m_cacheEntries == 0 || m_cache.count(entry))
    {
        return;
    }
    if (m_cache.size() >= m_cacheEntries)
    {
        m_cache.erase(m_lru.back());
        m_lru.pop_back();
    }
    m_lru.push_front(entry);
    m_cache[entry] = m_lru.begin();
}

void
PdpExternalMemory::Lookup(uint64_t entry, uint32_t entryBytes, uint32_t accesses, LookupDone done)
{
    NS_ABORT_MSG_IF(m_servers.empty(), "PdpExternalMemory: lookup with no memory server");
    ++m_lookups;
    if (CacheHit(entry))
    {
        ++m_cacheHits;
        m_lookupTrace(Time(0), true);
        done(true, Time(0));
        return;
    }
    auto pending = std::make_shared<Pending>();
    pending->entry = entry;
    pending->entryBytes = entryBytes;
    pending->accesses = std::max<uint32_t>(accesses, 1);
    pending->start = Simulator::Now();
    pending->callback = std::move(done);
    NextRead(pending);
}

void
PdpExternalMemory::NextRead(std::shared_ptr<Pending> pending)
{
    size_t n = m_servers.size();
    size_t server = pending->entry % n;
    // The entry's accesses are consecutive words of its bucket on its server.
    uint64_t address =
        ((pending->entry / n) * pending->accesses + pending->done) * pending->entryBytes;
    ++m_remoteReads;
    if (m_mode == Mode::ANALYTIC)
    {
        // Slots in double seconds, as the packet-mode server counts them (1/17e6 s is not a
        // whole number of nanoseconds).
        double now = Simulator::Now().GetSeconds();
        double start = std::max(now, m_analyticNextSlot[server]);
        m_analyticNextSlot[server] = start + 1.0 / m_analyticRate;
        Simulator::Schedule(Seconds(start - now) + m_analyticRoundTrip, [this, pending]() {
            ++pending->done;
            pending->done == pending->accesses ? Complete(pending, true) : NextRead(pending);
        });
        return;
    }
    m_client->Read(m_servers[server],
                   address,
                   pending->entryBytes,
                   [this, pending](bool ok, Time, Ptr<Packet>) {
                       ++pending->done;
                       if (!ok || pending->done == pending->accesses)
                       {
                           Complete(pending, ok);
                       }
                       else
                       {
                           NextRead(pending);
                       }
                   });
}

void
PdpExternalMemory::Complete(std::shared_ptr<Pending> pending, bool ok)
{
    Time latency = Simulator::Now() - pending->start;
    if (ok)
    {
        m_latencies.Add(latency.GetSeconds());
        CacheInsert(pending->entry);
    }
    else
    {
        ++m_failures;
    }
    m_lookupTrace(latency, false);
    pending->callback(ok, latency);
}

uint64_t
PdpExternalMemory::GetLookups() const
{
    return m_lookups;
}

uint64_t
PdpExternalMemory::GetCacheHits() const
{
    return m_cacheHits;
}

uint64_t
PdpExternalMemory::GetCacheMisses() const
{
    return m_lookups - m_cacheHits;
}

uint64_t
PdpExternalMemory::GetRemoteReads() const
{
    return m_remoteReads;
}

uint64_t
PdpExternalMemory::GetFailures() const
{
    return m_failures;
}

const PdpLatencyStats&
PdpExternalMemory::GetLatencies() const
{
    return m_latencies;
}

Ptr<PdpRdmaClient>
PdpExternalMemory::GetRdmaClient() const
{
    return m_client;
}

} // namespace ns3
