/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DNS_APPS_H
#define DNS_APPS_H

#include "dns-message.h"

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv6-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace ns3
{

class Node;
class Packet;
class Socket;
class UniformRandomVariable;

/// \ingroup aisfc \brief \return a UDP payload holding a DNS message (compressed names)
Ptr<Packet> DnsMakePacket(const DnsMessage& message);
/// \ingroup aisfc \brief \return the DNS message of a UDP payload, or nothing with the reason
/// (naming the offset) in *error
std::optional<DnsMessage> DnsParsePacket(Ptr<const Packet> packet, std::string* error);

/**
 * \ingroup aisfc
 * The outcome of one DnsStubResolver::Resolve() call.
 */
struct DnsResolution
{
    /// How the resolution ended.
    enum Status
    {
        OK,       //!< an address: `address`
        NXDOMAIN, //!< the name does not exist
        NODATA,   //!< the name exists but has no AAAA record
        SERVFAIL, //!< the resolver failed (its upstream queries timed out, for one)
        TIMEOUT,  //!< the resolver did not answer after all retries
        ERROR,    //!< another RCODE, a truncated or unusable answer
    };

    std::string name;       //!< the name asked for, as given
    Status status = ERROR;  //!< outcome
    Ipv6Address address;    //!< the (first) AAAA address when OK
    uint32_t ttl = 0;       //!< seconds the answer may still be cached (OK only)
    Time delay;             //!< resolution delay: from Resolve() to the callback
    bool fromCache = false; //!< answered by the stub's own cache (delay 0, no packet)
    uint8_t rcode = 0;      //!< RCODE of the response (0 without one)
    uint32_t attempts = 0;  //!< datagrams the stub sent for this name (1 + retransmissions)
};

/// \ingroup aisfc \brief \return "OK", "NXDOMAIN", "NODATA", "SERVFAIL", "TIMEOUT" or "ERROR"
const char* DnsResolutionStatusName(DnsResolution::Status status);

/**
 * \ingroup aisfc
 * An authoritative DNS server for the names of services: each name has a list of service
 * instances (IPv6 addresses) and a TTL; each AAAA query is answered with ONE instance, chosen
 * at that moment by the selection policy, and the TTL, so resolvers and stubs keep that choice
 * for the TTL: the "decisions stick for the TTL" of DNS-based scheduling that the AISID paper
 * compares against.
 *
 * Policies:
 * - ROUND_ROBIN: the instances of a name in turn, one step per answer given;
 * - NEAREST: the instance with the smallest Distance(client, instance), ties to the first
 *   listed.  The client is the network in the query's EDNS Client Subnet option (RFC 7871)
 *   when there is one, otherwise the query's source address: without Client Subnet that is
 *   the recursive resolver, so every client behind one resolver gets the instance nearest the
 *   resolver, as with real DNS.  Answers carry the Client Subnet option back with scope = the
 *   source prefix (NEAREST: the answer depends on the client) or 0 (ROUND_ROBIN).
 *
 * Answers: NOERROR with AA and one AAAA record for a known name asked with QTYPE AAAA or ANY;
 * NOERROR without answers (NODATA) for another QTYPE of a known name; NXDOMAIN for an unknown
 * name; FORMERR for a query with other than one question or a malformed Client Subnet scope;
 * NOTIMP for OPCODE other than QUERY; REFUSED for a class other than IN.  Datagrams that are
 * not DNS messages, or are responses, are dropped and counted by reason ("malformed",
 * "not-a-query").  No SOA is served, so resolvers cannot cache NXDOMAIN (RFC 2308).
 *
 * The server answers on every address of its node: one UDP socket per global address (and a
 * wildcard one for addresses added later), so a reply's source is the address the query was
 * sent to, as resolvers check.
 */
class DnsAuthoritativeServer : public Application
{
  public:
    /// Instance selection policy (a plain enum: ns-3.37's EnumValue holds an int).
    enum Policy
    {
        ROUND_ROBIN, //!< instances in turn
        NEAREST,     //!< smallest distance to the client
    };

    /// Distance from a client (or its resolver) to a service instance: hops, delay, ...
    using DistanceFunction = std::function<double(Ipv6Address client, Ipv6Address instance)>;

    /// Signature of the "Query" trace: a well-formed query and its source.
    typedef void (*QueryTracedCallback)(const DnsMessage& query, const Address& from);
    /// Signature of the "Selected" trace: name, client seen by the policy, instance chosen.
    typedef void (*SelectedTracedCallback)(const std::string& name,
                                           const Ipv6Address& client,
                                           const Ipv6Address& instance);
    /// Signature of the "Drop" trace: a datagram not answered, and why.
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet,
                                       const Address& from,
                                       const std::string& reason);

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    DnsAuthoritativeServer();
    ~DnsAuthoritativeServer() override;

    /**
     * \brief Serve a name.  Throws AisfcInputError naming "name" when it is not a valid domain
     * name or is served already, "instances" when the list is empty, "ttl" over 2^31 - 1.
     * \param name domain name (case-insensitive)
     * \param instances addresses of the service instances
     * \param ttlSeconds TTL of the answers
     */
    void AddName(const std::string& name,
                 const std::vector<Ipv6Address>& instances,
                 uint32_t ttlSeconds);
    /// \brief Replace the instances of a served name (a migration); the round-robin turn
    /// restarts at the first.  Throws AisfcInputError for an unknown name or an empty list.
    void SetInstances(const std::string& name, const std::vector<Ipv6Address>& instances);
    /// \brief Stop serving a name (later queries get NXDOMAIN). \return whether it was served
    bool RemoveName(const std::string& name);
    /// \brief \return whether a name is served
    bool HasName(const std::string& name) const;
    /// \brief Set the distance the NEAREST policy minimises (required by NEAREST).
    void SetDistance(DistanceFunction distance);

    /// \brief \return well-formed queries received
    uint64_t GetQueries() const;
    /// \brief \return answers carrying an instance
    uint64_t GetAnswers() const;
    /// \brief \return NXDOMAIN responses sent
    uint64_t GetNxDomains() const;
    /// \brief \return how often an instance was selected
    uint64_t GetSelections(const Ipv6Address& instance) const;
    /// \brief \return datagrams dropped for one reason ("malformed", "not-a-query")
    uint64_t GetDrops(const std::string& reason) const;
    /// \brief \return all drop counts by reason
    const std::map<std::string, uint64_t>& GetDropCounts() const;

  protected:
    void DoDispose() override;

  private:
    /// A served name.
    struct Zone
    {
        std::string name; //!< as first given (owner name of the answers)
        std::vector<Ipv6Address> instances;
        uint32_t ttl = 0;
        size_t next = 0; //!< round-robin turn
    };

    void StartApplication() override;
    void StopApplication() override;
    void HandleRead(Ptr<Socket> socket);
    void Serve(Ptr<Socket> socket, Ptr<Packet> packet, const Address& from);
    Ipv6Address Select(Zone& zone, const Ipv6Address& client);
    void Drop(Ptr<const Packet> packet, const Address& from, const std::string& reason);

    // Attributes
    uint16_t m_port;
    Policy m_policy;
    Time m_processingDelay;

    std::vector<Ptr<Socket>> m_sockets;
    std::map<std::string, Zone> m_zones; //!< by canonical name
    DistanceFunction m_distance;

    uint64_t m_queries = 0;
    uint64_t m_answers = 0;
    uint64_t m_nxDomains = 0;
    std::map<Ipv6Address, uint64_t> m_selections;
    std::map<std::string, uint64_t> m_drops;

    TracedCallback<const DnsMessage&, const Address&> m_queryTrace;
    TracedCallback<const std::string&, const Ipv6Address&, const Ipv6Address&> m_selectedTrace;
    TracedCallback<Ptr<const Packet>, const Address&, const std::string&> m_dropTrace;
};

/**
 * \ingroup aisfc
 * A recursive resolver (in the simplest form that matters for service selection: it forwards
 * every miss to one authoritative server, whose address it is given, instead of walking the
 * delegation tree from the root).
 *
 * Each query from a stub is answered from the TTL cache when a live entry exists (a cache
 * hit: the TTL in the reply is the whole seconds left, so downstream caches expire with this
 * one), otherwise forwarded upstream (a miss).  Misses for the same name, type, class (and
 * client network, with Client Subnet) while one is in flight wait for it instead of sending
 * another query (coalesced).  An upstream query has a random ID from the resolver's RNG
 * stream; it is retransmitted after UpstreamTimeout up to UpstreamRetries times, then every
 * waiting stub gets SERVFAIL and the failure is counted as an upstream timeout.  Responses are
 * accepted only from the server's address and port with an ID in flight and the same
 * question; others are dropped by reason.  Positive answers (NOERROR with records) are cached
 * for the smallest TTL of their records (capped by MaxCacheTtl; TTL 0 is not cached);
 * negative answers are passed on and not cached, for want of an SOA (RFC 2308).
 *
 * With ClientSubnetPrefix > 0 upstream queries carry the stub's source address cut to that
 * prefix in an EDNS Client Subnet option (RFC 7871), and answers are cached per the scope the
 * server returns (scope 0: for every client).  Queries and replies to stubs carry no EDNS
 * unless the stub's query did.
 *
 * Like the authoritative server it answers on each of its node's addresses; upstream queries
 * leave from one socket on an ephemeral port.
 */
class DnsRecursiveResolver : public Application
{
  public:
    /// Signature of the "Query" trace: a well-formed query from a stub and its source.
    typedef void (*QueryTracedCallback)(const DnsMessage& query, const Address& from);
    /// Signature of the "UpstreamResponse" trace: a valid upstream response and the time since
    /// the first transmission of its query.
    typedef void (*UpstreamResponseTracedCallback)(const DnsMessage& response, Time latency);
    /// Signature of the "Drop" trace: a datagram not used, and why.
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet,
                                       const Address& from,
                                       const std::string& reason);

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    DnsRecursiveResolver();
    ~DnsRecursiveResolver() override;

    /// \brief Forward misses to this server (required before the application starts).
    void SetAuthoritativeServer(const Ipv6Address& address, uint16_t port = DNS_PORT);
    /// \brief Use a fixed RNG stream for query IDs. \return streams used (1)
    int64_t AssignStreams(int64_t stream);
    /// \brief Forget every cache entry.
    void FlushCache();

    /// \brief \return well-formed queries received from stubs
    uint64_t GetQueries() const;
    /// \brief \return queries answered from the cache
    uint64_t GetCacheHits() const;
    /// \brief \return queries not answered from the cache (forwarded or coalesced)
    uint64_t GetCacheMisses() const;
    /// \brief \return misses that joined a query already in flight
    uint64_t GetCoalesced() const;
    /// \brief \return upstream datagrams sent, retransmissions included
    uint64_t GetUpstreamQueries() const;
    /// \brief \return upstream retransmissions
    uint64_t GetUpstreamRetransmissions() const;
    /// \brief \return upstream queries given up after all retries (answered SERVFAIL)
    uint64_t GetUpstreamTimeouts() const;
    /// \brief \return live cache entries now
    size_t GetCacheSize() const;
    /// \brief \return datagrams dropped for one reason ("malformed", "not-a-query",
    /// "unexpected-source", "unknown-id", "question-mismatch", "not-a-response")
    uint64_t GetDrops(const std::string& reason) const;
    /// \brief \return all drop counts by reason
    const std::map<std::string, uint64_t>& GetDropCounts() const;

  protected:
    void DoDispose() override;

  private:
    /// Name, type, class and client network (zero without Client Subnet).
    using Key = std::tuple<std::string, uint16_t, uint16_t, Ipv6Address>;

    /// A cached answer, valid for clients in network/scope until expiry.
    struct CacheEntry
    {
        Ipv6Address network;
        uint8_t scope = 0;
        Time expiry;
        std::vector<DnsResourceRecord> answers;
    };

    /// A stub waiting for an upstream answer.
    struct Waiter
    {
        Ptr<Socket> socket; //!< the socket its query came in on (replies leave from it)
        Address from;
        DnsMessage query;
        Time arrival;
    };

    /// An upstream query in flight.
    struct Upstream
    {
        uint16_t id = 0;
        DnsMessage query;
        std::vector<Waiter> waiters;
        uint32_t transmissions = 0;
        Time firstSent;
        EventId timer;
    };

    void StartApplication() override;
    void StopApplication() override;
    void HandleQuery(Ptr<Socket> socket);
    void HandleUpstream(Ptr<Socket> socket);
    void Serve(Ptr<Socket> socket, Ptr<Packet> packet, const Address& from);
    void Answer(const Upstream& upstream, const DnsMessage& response);
    void SendUpstream(const Key& key);
    void UpstreamTimeout(Key key);
    void Reply(const Waiter& waiter, uint8_t rcode, const std::vector<DnsResourceRecord>& answers);
    const CacheEntry* Lookup(const std::string& name,
                             uint16_t type,
                             uint16_t qclass,
                             const Ipv6Address& client);
    uint16_t NewId();
    void Drop(Ptr<const Packet> packet, const Address& from, const std::string& reason);

    // Attributes
    uint16_t m_port;
    Time m_upstreamTimeout;
    uint32_t m_upstreamRetries;
    uint8_t m_clientSubnetPrefix;
    uint32_t m_maxCacheTtl;
    Time m_processingDelay;

    Ipv6Address m_server;
    uint16_t m_serverPort = 0;
    bool m_hasServer = false;
    std::vector<Ptr<Socket>> m_sockets;
    Ptr<Socket> m_upstreamSocket;
    Ptr<UniformRandomVariable> m_rng;
    std::map<std::tuple<std::string, uint16_t, uint16_t>, std::vector<CacheEntry>> m_cache;
    std::map<Key, Upstream> m_pending;
    std::map<uint16_t, Key> m_pendingById;

    uint64_t m_queries = 0;
    uint64_t m_cacheHits = 0;
    uint64_t m_cacheMisses = 0;
    uint64_t m_coalesced = 0;
    uint64_t m_upstreamQueries = 0;
    uint64_t m_upstreamRetransmissions = 0;
    uint64_t m_upstreamTimeouts = 0;
    std::map<std::string, uint64_t> m_drops;

    TracedCallback<const DnsMessage&, const Address&> m_queryTrace;
    TracedCallback<const DnsMessage&, Time> m_upstreamResponseTrace;
    TracedCallback<Ptr<const Packet>, const Address&, const std::string&> m_dropTrace;
};

/**
 * \ingroup aisfc
 * The resolver library of a client host: Resolve(name, callback) asks the recursive resolver
 * for the AAAA record of name over UDP and reports the address, or the error, and the
 * resolution delay (the "resolution" share of a request's response time in the AISID paper).
 *
 * A small TTL cache answers repeated names at once (delay 0, fromCache) until the TTL the
 * resolver gave expires.  A query (RD set, random ID from the stub's RNG stream, so runs are
 * reproducible with RngRun or AssignStreams) not answered within Timeout is sent again with
 * the same ID, up to Retries times, then reported as TIMEOUT.  Resolve() calls for a name
 * already in flight share its query.  Responses count only from the resolver's address and
 * port, with an ID in flight and the same question; CNAME chains in the answer are followed.
 * Callbacks run from the simulator (never inside Resolve()), each with its own delay measured
 * from its own Resolve() call.
 */
class DnsStubResolver : public Object
{
  public:
    /// Called once per Resolve().
    using ResolveCallback = std::function<void(const DnsResolution& result)>;
    /// Signature of the "Resolved" trace: every outcome given to a callback.
    typedef void (*ResolvedTracedCallback)(const DnsResolution& result);
    /// Signature of the "Query" trace: each query datagram sent (retransmissions included).
    typedef void (*QueryTracedCallback)(const DnsMessage& query);

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    DnsStubResolver();
    ~DnsStubResolver() override;

    /**
     * \brief Open the stub's UDP socket (IPv6, ephemeral port) on a node.  Call once.
     * \param node the client host
     * \param resolver the recursive resolver's address
     * \param port its port
     */
    void Setup(Ptr<Node> node, const Ipv6Address& resolver, uint16_t port = DNS_PORT);
    /**
     * \brief Resolve the AAAA record of name; throws AisfcInputError("name", ...) when it is
     * not a valid domain name.
     * \param name domain name
     * \param done called once with the outcome
     */
    void Resolve(const std::string& name, ResolveCallback done);
    /// \brief Use a fixed RNG stream for query IDs. \return streams used (1)
    int64_t AssignStreams(int64_t stream);
    /// \brief Forget every cached answer.
    void FlushCache();

    /// \brief \return Resolve() calls
    uint64_t GetResolutions() const;
    /// \brief \return Resolve() calls answered by the cache
    uint64_t GetCacheHits() const;
    /// \brief \return query datagrams sent, retransmissions included
    uint64_t GetQueries() const;
    /// \brief \return retransmissions
    uint64_t GetRetransmissions() const;
    /// \brief \return names given up after all retries
    uint64_t GetTimeouts() const;
    /// \brief \return datagrams received that answered no query in flight
    uint64_t GetBadResponses() const;

  protected:
    void DoDispose() override;

  private:
    /// A Resolve() call waiting for the network.
    struct Waiter
    {
        std::string name;
        Time start;
        ResolveCallback done;
    };

    /// A query in flight.
    struct Pending
    {
        uint16_t id = 0;
        DnsMessage query;
        std::vector<Waiter> waiters;
        uint32_t transmissions = 0;
        EventId timer;
    };

    /// A cached address.
    struct CacheEntry
    {
        Ipv6Address address;
        Time expiry;
    };

    void Send(const std::string& key);
    void Expire(std::string key);
    void HandleRead(Ptr<Socket> socket);
    void Receive(Ptr<Packet> packet, const Address& from);
    void Finish(const std::string& key, DnsResolution result);
    uint16_t NewId();

    // Attributes
    Time m_timeout;
    uint32_t m_retries;
    bool m_cacheEnabled;
    uint32_t m_maxCacheTtl;

    Ptr<Socket> m_socket;
    Ipv6Address m_resolver;
    uint16_t m_resolverPort = DNS_PORT;
    Ptr<UniformRandomVariable> m_rng;
    std::map<std::string, Pending> m_pending; //!< by canonical name
    std::map<uint16_t, std::string> m_pendingById;
    std::map<std::string, CacheEntry> m_cache; //!< by canonical name

    uint64_t m_resolutions = 0;
    uint64_t m_cacheHits = 0;
    uint64_t m_queries = 0;
    uint64_t m_retransmissions = 0;
    uint64_t m_timeouts = 0;
    uint64_t m_badResponses = 0;

    TracedCallback<const DnsResolution&> m_resolvedTrace;
    TracedCallback<const DnsMessage&> m_queryTrace;
};

} // namespace ns3

#endif // DNS_APPS_H
