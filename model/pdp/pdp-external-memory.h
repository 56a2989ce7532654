/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PDP_EXTERNAL_MEMORY_H
#define PDP_EXTERNAL_MEMORY_H

#include "pdp-latency-stats.h"

#include "ns3/ipv6-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <functional>
#include <list>
#include <unordered_map>
#include <vector>

namespace ns3
{

class Node;
class Packet;
class PdpRdmaClient;

/**
 * \ingroup aisfc
 * A switch's external-memory access controller (EMAC, as in TEA and the SR-EM paper): a table
 * entry that is not in the switch's local memory is read from the DRAM of a memory server.
 * Entries are spread over the memory servers by entry number (TEA's partitioning, so capacity
 * grows with servers); a lookup makes `accesses` dependent reads one after the other.  An
 * optional LRU cache of remote entries (CacheEntries) answers repeated lookups locally.
 *
 * Mode PACKETS (default) sends real RDMA READ requests (RoCEv2 over UDP/IPv6) over the ns-3
 * links to PdpMemoryServer applications, so link congestion and the servers' lookup-rate limits
 * show in the latency.  Mode ANALYTIC, selected explicitly for speed, sends nothing: each read
 * waits for a slot of its server's AnalyticLookupRate and takes AnalyticRoundTrip.
 */
class PdpExternalMemory : public Object
{
  public:
    /// How reads reach the memory servers (a plain enum: ns-3.37's EnumValue holds an int).
    enum Mode
    {
        PACKETS,  //!< real RDMA packets over ns-3 links
        ANALYTIC, //!< fixed round trip and rate limit, no packets
    };

    /// Called when a lookup completes: whether it succeeded, and its latency.
    using LookupDone = std::function<void(bool ok, Time latency)>;

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    PdpExternalMemory();
    ~PdpExternalMemory() override;

    /// \brief Work from this switch node (creates the RDMA client in PACKETS mode).
    void Setup(Ptr<Node> node);
    /// \brief Add a memory server (the address of its PdpMemoryServer).
    void AddServer(const Ipv6Address& address);
    /// \brief \return the memory servers
    const std::vector<Ipv6Address>& GetServers() const;
    /// \brief \return the mode
    Mode GetMode() const;

    /// \brief Look up entry number `entry` (entryBytes each) with `accesses` reads; `done` is
    /// called once (at once on a cache hit).
    void Lookup(uint64_t entry, uint32_t entryBytes, uint32_t accesses, LookupDone done);

    /// \brief \return lookups asked for
    uint64_t GetLookups() const;
    /// \brief \return lookups answered by the cache
    uint64_t GetCacheHits() const;
    /// \brief \return lookups that went to the memory servers (cache misses)
    uint64_t GetCacheMisses() const;
    /// \brief \return reads sent to the memory servers
    uint64_t GetRemoteReads() const;
    /// \brief \return lookups that failed (a read timed out)
    uint64_t GetFailures() const;
    /// \brief \return the latency distribution of remote lookups
    const PdpLatencyStats& GetLatencies() const;
    /// \brief \return the RDMA client (PACKETS mode), or nullptr
    Ptr<PdpRdmaClient> GetRdmaClient() const;

  protected:
    void DoDispose() override;

  private:
    struct Pending;
    void NextRead(std::shared_ptr<Pending> pending);
    void Complete(std::shared_ptr<Pending> pending, bool ok);
    bool CacheHit(uint64_t entry);
    void CacheInsert(uint64_t entry);

    Mode m_mode;
    Time m_analyticRoundTrip;
    double m_analyticRate;
    uint32_t m_cacheEntries;

    Ptr<PdpRdmaClient> m_client;
    std::vector<Ipv6Address> m_servers;
    std::vector<double> m_analyticNextSlot; //!< per server, in seconds
    std::list<uint64_t> m_lru;              //!< most recent first
    std::unordered_map<uint64_t, std::list<uint64_t>::iterator> m_cache;

    uint64_t m_lookups = 0;
    uint64_t m_cacheHits = 0;
    uint64_t m_remoteReads = 0;
    uint64_t m_failures = 0;
    PdpLatencyStats m_latencies;
    TracedCallback<Time, bool> m_lookupTrace;
};

} // namespace ns3

#endif
