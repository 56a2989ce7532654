/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_INPUT_HOOK_H
#define AISFC_INPUT_HOOK_H

#include "ns3/ipv6-routing-protocol.h"

namespace ns3
{

/**
 * \ingroup aisfc
 * A routing protocol that only acts on arriving packets (RouteInput), placed in a node's
 * Ipv6ListRouting ahead of the protocols that route: a PDP switch's pipeline, an SR-unaware
 * service function, a neural service function's interceptor.  It routes nothing itself
 * (RouteOutput finds no route, so the list asks the others) and ignores interface, address
 * and route notifications; subclasses override what they need.
 */
class AisfcInputHook : public Ipv6RoutingProtocol
{
  public:
    /// \brief \return the TypeId
    static TypeId GetTypeId();

    Ptr<Ipv6Route> RouteOutput(Ptr<Packet> p,
                               const Ipv6Header& header,
                               Ptr<NetDevice> oif,
                               Socket::SocketErrno& sockerr) override;
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

    Ptr<Ipv6> m_ipv6; //!< the node's IPv6 (set when added to the list)
};

} // namespace ns3

#endif
