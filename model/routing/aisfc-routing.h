/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_ROUTING_H
#define AISFC_ROUTING_H

#include "aisfc-fib.h"

#include "ns3/ipv6-routing-protocol.h"

#include <limits>
#include <map>
#include <vector>

namespace ns3
{

class Ipv6Route;

/**
 * \ingroup aisfc
 * The module's IPv6 routing protocol: unicast forwarding from an AisfcFib whose lookup cost does
 * not grow with the number of routes.  It sits in an Ipv6ListRouting ahead of
 * Ipv6StaticRouting, which keeps handling link-local and multicast traffic.
 *
 * Routes to the node's own on-link prefixes are added and removed as addresses come and go;
 * routes to remote prefixes are installed by AisfcNetworkBuilder from the path library.
 * Every next hop owns one Ipv6Route object shared by all packets that use it.
 *
 * A node may own a node address (a /128 on its loopback interface): packets to it are delivered
 * locally whichever interface they arrive on, and locally generated packets carry it as their
 * source, so that replies follow the shortest path to the node rather than to one of its links.
 */
class AisfcRouting : public Ipv6RoutingProtocol
{
  public:
    /// \brief \return the TypeId
    static TypeId GetTypeId();

    AisfcRouting();
    ~AisfcRouting() override;

    /**
     * \brief Route prefix/length through interface to gateway (zero gateway: on-link).
     * \param prefix network address
     * \param length prefix length
     * \param interface output interface index
     * \param gateway next router, or Ipv6Address::GetZero() when the destination is on-link
     */
    void AddRoute(const Ipv6Address& prefix,
                  uint8_t length,
                  uint32_t interface,
                  const Ipv6Address& gateway);
    /**
     * \brief Own address: deliver packets for it locally and use it as the source of local
     * traffic (the address must also be on an interface, normally loopback, as a /128).
     * \param address the node address
     */
    void SetNodeAddress(const Ipv6Address& address);
    /**
     * \brief Route prefix/length over several equal-cost next hops.  A flow's hop is chosen by a
     * hash of its source, destination and flow label (Linux's default IPv6 multipath policy),
     * salted with the node id so that successive hops do not all choose alike.
     * \param prefix network address
     * \param length prefix length
     * \param hops (interface, gateway) of each next hop
     */
    void AddMultipathRoute(const Ipv6Address& prefix,
                           uint8_t length,
                           const std::vector<std::pair<uint32_t, Ipv6Address>>& hops);
    /// \brief Reserve room for n routes of prefix length `length`.
    void ReserveRoutes(uint8_t length, size_t n);
    /// \brief \return the forwarding table
    const AisfcFib& GetFib() const;

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

  protected:
    void DoDispose() override;

  private:
    struct NextHop
    {
        uint32_t interface;
        Ipv6Address gateway;
        Ptr<Ipv6Route> route; //!< built on first use, when the interface has its address
    };

    AisfcFib::NextHopId NextHopFor(uint32_t interface, const Ipv6Address& gateway);
    /// The single next hop a packet takes: id itself, or a member of group id.
    AisfcFib::NextHopId Choose(AisfcFib::NextHopId id, const Ipv6Header& header) const;
    Ptr<Ipv6Route> RouteOf(AisfcFib::NextHopId id);
    void AddConnected(uint32_t interface, const Ipv6InterfaceAddress& address);
    void RemoveConnected(uint32_t interface, const Ipv6InterfaceAddress& address);

    /// Next hop id of the node's own address: deliver locally.
    static constexpr AisfcFib::NextHopId LOCAL = std::numeric_limits<AisfcFib::NextHopId>::max();
    /// Next hop ids with this bit set name an equal-cost group (index in the other bits).
    static constexpr AisfcFib::NextHopId GROUP = 1U << 31;

    Ptr<Ipv6> m_ipv6;
    Ipv6Address m_nodeAddress; //!< zero when the node has none
    AisfcFib m_fib;
    std::vector<NextHop> m_nextHops;
    std::vector<std::vector<AisfcFib::NextHopId>> m_groups; //!< members of each group
    std::map<std::vector<AisfcFib::NextHopId>, AisfcFib::NextHopId> m_groupOf;
    uint64_t m_salt = 0; //!< node id, mixed into the flow hash
};

} // namespace ns3

#endif // AISFC_ROUTING_H
