/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef SRV6_SID_TABLE_H
#define SRV6_SID_TABLE_H

#include "srv6-policy.h"

#include "ns3/aisfc-fib.h"
#include "ns3/callback.h"
#include "ns3/ipv6-routing-protocol.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class AisfcRouting;
class Ipv6Route;
class NetDevice;

/**
 * \ingroup aisfc
 * The SRv6 endpoint behaviours of RFC 8986 and the SFC proxies of
 * draft-ietf-spring-sr-service-programming.
 */
enum class Srv6Behavior : uint8_t
{
    END,           //!< End
    END_X,         //!< End.X: to a layer-3 adjacency
    END_T,         //!< End.T: lookup in a given table
    END_DX6,       //!< End.DX6: decapsulate, to a layer-3 adjacency
    END_DT6,       //!< End.DT6: decapsulate, lookup in a given table
    END_B6_ENCAPS, //!< End.B6.Encaps: binding SID of a policy
    END_AS,        //!< End.AS: static proxy
    END_AD,        //!< End.AD: dynamic proxy, one cached header
    END_AD_FLOW,   //!< End.AD, per-flow variant: cache per inner flow, bounded, with timeout
    END_AM,        //!< End.AM: masquerading proxy
};

/// \ingroup aisfc \brief \return the RFC name, e.g. "End.DT6" ("End.AD.flow" for the per-flow
/// variant)
std::string Srv6BehaviorName(Srv6Behavior behavior);
/// \ingroup aisfc \brief \return the behaviour with this name (case-insensitive), if any
std::optional<Srv6Behavior> Srv6ParseBehavior(const std::string& name);

/// \ingroup aisfc Flavours of End, End.X and End.T (RFC 8986 §4.16), as bits.
namespace Srv6Flavor
{
constexpr uint8_t PSP = 1; //!< Penultimate Segment Pop
constexpr uint8_t USP = 2; //!< Ultimate Segment Pop
constexpr uint8_t USD = 4; //!< Ultimate Segment Decapsulation
} // namespace Srv6Flavor

/**
 * \ingroup aisfc
 * A locally instantiated SID and what it does.
 */
struct Srv6SidConfig
{
    std::string name;                          //!< label in counters and results
    Ipv6Address sid;                           //!< the SID (locator:function:argument)
    uint8_t length = 128;                      //!< bits matched: locator + function
    Srv6Behavior behavior = Srv6Behavior::END; //!< behaviour
    uint8_t flavors = 0;                       //!< Srv6Flavor bits
    uint32_t interface = 0;                    //!< End.X/End.DX6: adjacency; proxies: IFACE-OUT/IN
    Ipv6Address nextHop;                       //!< End.X/End.DX6: neighbour; proxies: S-ADDR
    uint32_t table = 0;                        //!< End.T/End.DT6: table id (0: the node's FIB)
    std::string policy;                        //!< End.B6.Encaps: the bound policy
    Ipv6Address proxySource;                   //!< End.AS: outer source of returning packets
    std::vector<Ipv6Address> proxyPath;        //!< End.AS: segments still to visit, in order
    uint32_t cacheSize = 1024;                 //!< End.AD.flow: entries
    Time cacheTimeout = Seconds(30);           //!< End.AD.flow: idle time before an entry expires
    /// End.AD.flow for transparent proxies (neural service functions): the cache is keyed by
    /// the inner destination only, since the function opens its own connection to the same
    /// destination; returning packets that match no entry (its acknowledgements to the previous
    /// hop) are routed like any packet instead of being dropped.
    bool proxyByDestination = false;
    Time processingDelay = Time(0); //!< time the function takes per packet
};

/**
 * \ingroup aisfc
 * Per-SID counters, as Linux keeps them for seg6local routes, with drops split by reason.
 */
struct Srv6SidCounters
{
    uint64_t packets = 0;                  //!< packets that matched the SID
    uint64_t bytes = 0;                    //!< their IPv6 bytes
    uint64_t forwarded = 0;                //!< packets sent on (or delivered) after processing
    std::map<std::string, uint64_t> drops; //!< dropped packets by reason
    uint64_t proxyToFunction = 0;          //!< proxies: packets handed to the function
    uint64_t proxyFromFunction = 0;        //!< proxies: packets received back from the function
    uint64_t cacheEntries = 0;             //!< End.AD(.flow): cached headers now held
    uint64_t cacheEvictions = 0;           //!< End.AD.flow: entries evicted when full
    uint64_t cacheExpired = 0;             //!< End.AD.flow: entries found expired

    /// \brief \return the sum of all drops
    uint64_t Dropped() const;
};

/**
 * \ingroup aisfc
 * SRv6 on a node: the local SID table, the headend with its SR policies, the SFC proxies and
 * SR-domain security.  It is an Ipv6RoutingProtocol placed in the node's Ipv6ListRouting ahead
 * of the FIB, so a SID need not be an interface address: a packet whose destination matches a
 * SID (longest prefix) runs the SID's behaviour; a packet matching a steering rule is
 * encapsulated (or gets an SRH inserted); anything else goes on to the FIB.  Processed packets
 * are resubmitted to the node's routing, as RFC 8986 says ("resubmit to the egress IPv6 FIB
 * lookup"), so a segment that is another local SID is processed in turn.
 *
 * Locally generated packets have no hook in ns-3's output path; RouteOutput therefore sends a
 * packet that a steering rule may match through the loopback device, and the headend works on
 * it in RouteInput as for a transit packet (as Linux's seg6 lightweight tunnels do on output).
 */
class Srv6SidTable : public Ipv6RoutingProtocol
{
  public:
    /// What an SR-aware function does to a packet: false drops it.
    using FunctionHook = Callback<bool, Ptr<Packet>, Ipv6Header&>;
    /// How a function service hands a packet back: an empty reason sends it on, any other
    /// reason drops it (counted under that reason).
    using FunctionDone =
        std::function<void(Ptr<Packet>, const Ipv6Header&, const std::string& dropReason)>;
    /// An SR-aware function whose time is decided per packet (a table lookup over RDMA, a busy
    /// processor): it gets each packet after the SRH update and calls `done` exactly once, at
    /// once or later.
    using FunctionService = std::function<void(Ptr<Packet>, const Ipv6Header&, FunctionDone)>;

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    Srv6SidTable();
    ~Srv6SidTable() override;

    /// \brief Set the source address of encapsulated packets (Linux: `ip sr tunsrc`).
    void SetSource(const Ipv6Address& source);
    /// \brief \return the encapsulation source
    Ipv6Address GetSource() const;
    /// \brief Own a locator: packets to it that match no SID are dropped ("no SID").
    void AddLocator(const Ipv6Address& prefix, uint8_t length);

    /// \brief Instantiate a SID; replaces one with the same address and length.
    void AddSid(const Srv6SidConfig& config);
    /// \brief Remove a SID. \return whether it existed
    bool RemoveSid(const Ipv6Address& sid, uint8_t length = 128);
    /// \brief \return the SIDs in the order they were added
    std::vector<Srv6SidConfig> GetSids() const;
    /// \brief \return the counters of a SID (zero counters when unknown)
    Srv6SidCounters GetCounters(const Ipv6Address& sid) const;
    /// \brief Make an End SID an SR-aware function: the hook sees each packet after the SRH
    /// update, and may change or drop it.
    void SetFunctionHook(const Ipv6Address& sid, FunctionHook hook);
    /// \brief Make an End SID an SR-aware function served asynchronously (in-network
    /// functions); replaces a hook.  An empty service makes the SID plain End again.
    void SetFunctionService(const Ipv6Address& sid, FunctionService service);

    /// \brief Register an IPv6 table for End.T/End.DT6 (id 0 is the node's own FIB).
    void AddTable(uint32_t id, Ptr<AisfcRouting> table);

    /// \brief Re-point the headers this node's End.AD and End.AD.flow proxies hold (a controller
    /// moving a chain to another path): a cached SRH whose path (visiting order) is `from` gets
    /// `to`, a path of the same length, with Segments Left kept (the same next visit) and the
    /// outer destination its new active segment.  Signed (HMAC) headers are left alone.
    /// \return the cached headers changed
    uint32_t ReplaceProxyPath(const std::vector<Ipv6Address>& from,
                              const std::vector<Ipv6Address>& to);
    /// \brief Add or replace a policy (its counters restart).
    void AddPolicy(const Srv6Policy& policy);
    /// \brief Change a policy's segment lists; new packets take them at once.
    /// \return false when there is no such policy
    bool SetPolicyLists(const std::string& name, const std::vector<Srv6SegmentList>& lists);
    /// \brief \return the policy with this name, or nullptr
    const Srv6Policy* GetPolicy(const std::string& name) const;
    /// \brief \return every policy
    const std::vector<Srv6Policy>& GetPolicies() const;
    /// \brief Steer packets to a destination prefix into a policy (longest prefix wins).
    void SteerPrefix(const Ipv6Address& prefix, uint8_t length, const std::string& policy);
    /// \brief Steer packets matching a 5-tuple rule into a policy; rules are tried in the order
    /// added, before prefix steering.
    void SteerFlow(const Srv6FlowMatch& match, const std::string& policy);

    /// \brief Mark an interface as the SR domain's edge (RFC 8754 §5.1 filtering applies to
    /// packets arriving on it).
    void SetExternalInterface(uint32_t interface, bool external = true);
    /// \brief Set the SR domain's SID block: packets from outside to it are dropped.
    void SetDomainSidBlock(const Ipv6Address& prefix, uint8_t length);
    /// \brief Add an HMAC key (RFC 8754 §2.1.2); also used to sign policies with hmacKeyId.
    void AddHmacKey(uint32_t keyId, const std::vector<uint8_t>& key);
    /// \brief Accept SRv6 packets from outside the domain when their HMAC verifies.
    void SetVerifyHmacAtIngress(bool verify);
    /// \brief \return node-level counters by event: SR-domain filtering ("boundary-drop",
    /// "hmac-missing", "hmac-invalid", "hmac-verified") and packets to an owned locator that
    /// match no SID ("no-sid")
    const std::map<std::string, uint64_t>& GetNodeCounters() const;

    // Ipv6RoutingProtocol
    Ptr<Ipv6Route> RouteOutput(Ptr<Packet> p,
                               const Ipv6Header& header,
                               Ptr<NetDevice> oif,
                               Socket::SocketErrno& sockerr) override;
    bool RouteInput(Ptr<const Packet> p,
                    const Ipv6Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;
    void NotifyInterfaceUp(uint32_t interface) override;
    void NotifyInterfaceDown(uint32_t interface) override;
    void NotifyAddAddress(uint32_t interface, Ipv6InterfaceAddress address) override;
    void NotifyRemoveAddress(uint32_t interface, Ipv6InterfaceAddress address) override;
    void NotifyAddRoute(Ipv6Address dst,
                        Ipv6Prefix mask,
                        Ipv6Address nextHop,
                        uint32_t interface,
                        Ipv6Address prefixToUse) override;
    void NotifyRemoveRoute(Ipv6Address dst,
                           Ipv6Prefix mask,
                           Ipv6Address nextHop,
                           uint32_t interface,
                           Ipv6Address prefixToUse) override;
    void SetIpv6(Ptr<Ipv6> ipv6) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const override;

    /// Signature of the Drop trace: the packet with its IPv6 header, and the reason.
    using DropTracedCallback = void (*)(const Ipv6Header&, Ptr<const Packet>, const std::string&);

  protected:
    void DoDispose() override;

  private:
    /// The callbacks of one RouteInput call, kept for resubmission and delayed functions.
    struct Context
    {
        Ptr<const NetDevice> idev;
        UnicastForwardCallback ucb;
        MulticastForwardCallback mcb;
        LocalDeliverCallback lcb;
        ErrorCallback ecb;
        bool fromLocal = false; //!< came back through the loopback: originated here
    };

    /// Headers End.AD keeps for returning packets.
    struct CachedHeaders
    {
        Ipv6Header outer;             //!< after the SRH update
        Srv6SegmentRoutingHeader srh; //!< likewise
        Time lastUsed;                //!< for End.AD.flow's timeout and eviction
    };

    using FlowCacheKey = std::array<uint8_t, 37>;

    struct Sid
    {
        Srv6SidConfig config;
        Srv6SidCounters counters;
        FunctionHook hook;
        FunctionService service;
        std::optional<CachedHeaders> cache;          //!< End.AD
        std::map<FlowCacheKey, CachedHeaders> flows; //!< End.AD.flow
        bool active = true;                          //!< false once removed
        Ptr<Ipv6Route> adjacency;                    //!< End.X/End.DX6/proxies, built once
    };

    void Process(uint32_t sidIndex, Ptr<Packet> p, Ipv6Header header, const Context& ctx);
    void UltimateSegment(uint32_t sidIndex,
                         Ptr<Packet> p,
                         Ipv6Header header,
                         const Srv6PacketSrh& found,
                         const Context& ctx);
    void ProcessDecap(uint32_t sidIndex,
                      Ptr<Packet> p,
                      Ipv6Header header,
                      const Srv6PacketSrh& found,
                      const Context& ctx);
    void ProcessProxyIngress(uint32_t sidIndex,
                             Ptr<Packet> p,
                             const Ipv6Header& header,
                             const Srv6SegmentRoutingHeader& srh,
                             uint32_t srhBytes,
                             const Context& ctx);
    /// \return false when the packet is not the proxy's to restore (End.AD.flow by
    /// destination without an entry): it is then processed as any arriving packet
    bool ProcessProxyReturn(uint32_t sidIndex,
                            Ptr<Packet> p,
                            Ipv6Header header,
                            const Context& ctx);
    void Headend(size_t policy, Ptr<Packet> p, Ipv6Header header, const Context& ctx);
    void Resubmit(Ptr<Packet> p, const Ipv6Header& header, const Context& ctx);
    void LookupTable(uint32_t table, Ptr<Packet> p, const Ipv6Header& header, const Context& ctx);
    Ptr<Ipv6Route> SidRoute(uint32_t sidIndex);
    /// Where a processed packet goes.
    enum class Next
    {
        RESUBMIT,  //!< the node's routing (FIB, or the next local SID)
        ADJACENCY, //!< the SID's interface and next hop
        TABLE,     //!< the SID's table
        LOCAL,     //!< local delivery
    };
    void Finish(uint32_t sidIndex,
                Ptr<Packet> p,
                const Ipv6Header& header,
                const Context& ctx,
                Next next);
    void Send(uint32_t sidIndex,
              Ptr<Packet> p,
              const Ipv6Header& header,
              const Context& ctx,
              Next next);
    void Forward(uint32_t sidIndex,
                 Ptr<Packet> p,
                 const Ipv6Header& header,
                 const Context& ctx,
                 Next next);
    void NoRoute(Ptr<const Packet> p, const Ipv6Header& header, Socket::SocketErrno err);
    bool BoundaryCheck(Ptr<const Packet> p, const Ipv6Header& header);
    std::optional<size_t> Classify(Ptr<const Packet> p, const Ipv6Header& header) const;
    Ptr<Ipv6Route> AdjacencyRoute(uint32_t interface,
                                  const Ipv6Address& nextHop,
                                  const Ipv6Address& destination) const;
    void Drop(Srv6SidCounters* counters,
              const Ipv6Header& header,
              Ptr<const Packet> p,
              const std::string& reason);
    void SendParameterProblem(Ptr<const Packet> p,
                              const Ipv6Header& header,
                              uint8_t code,
                              uint32_t pointer);
    void SendTimeExceeded(Ptr<const Packet> p, const Ipv6Header& header);
    uint8_t EncapsHopLimit(const Context& ctx) const;
    static FlowCacheKey FlowKeyOf(const Srv6FlowKey& key);
    /// \return the End.AD.flow cache key of a packet with this inner header
    static FlowCacheKey ProxyCacheKey(const Sid& sid, Ptr<const Packet> p, const Ipv6Header& inner);
    void InsertSidPrefix(const Ipv6Address& prefix, uint8_t length, AisfcFib::NextHopId id);

    Ptr<Ipv6> m_ipv6;
    Ipv6Address m_source;
    uint8_t m_hopLimit = 64;
    uint64_t m_salt = 0;
    std::vector<Sid> m_sids;
    /// Marks an owned locator in m_sidFib: its SIDs match longer prefixes.
    static constexpr AisfcFib::NextHopId LOCATOR = 0xffffffffU;
    AisfcFib m_sidFib;     //!< SID prefix -> index in m_sids, or LOCATOR
    Ipv6Address m_span;    //!< longest prefix covering every SID and locator
    int m_spanLength = -1; //!< its length; -1 while there are none
    std::map<uint32_t, uint32_t> m_proxyByInterface; //!< IFACE-IN -> proxy SID index
    std::map<uint32_t, Ptr<AisfcRouting>> m_tables;
    std::vector<Srv6Policy> m_policies;
    AisfcFib m_prefixSteering; //!< destination prefix -> policy index
    std::vector<std::pair<Srv6FlowMatch, size_t>> m_flowSteering;
    std::vector<bool> m_external;
    Ipv6Address m_domainBlock;
    uint8_t m_domainBlockLength = 0;
    bool m_hasDomainBlock = false;
    std::map<uint32_t, std::vector<uint8_t>> m_hmacKeys;
    bool m_verifyHmac = false;
    std::map<std::string, uint64_t> m_nodeCounters;
    bool m_deliverUpperLayer = false;
    ErrorCallback m_noRoute;   //!< made once: RouteInput runs for every packet
    int m_depth = 0;           //!< nesting of local SID processing (loop guard)
    bool m_inResubmit = false; //!< the node's routing is looking up a processed packet

    TracedCallback<const Ipv6Header&, Ptr<const Packet>, const std::string&> m_dropTrace;
};

} // namespace ns3

#endif // SRV6_SID_TABLE_H
