/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef SRV6_EXTENSION_ROUTING_H
#define SRV6_EXTENSION_ROUTING_H

#include "ns3/ipv6-extension.h"

namespace ns3
{

class Node;

/**
 * \ingroup aisfc
 * The routing-header handler of local delivery, replacing ns-3.37's generic one on every node
 * (Srv6ExtensionRouting::Install).  ns-3.37's Ipv6ExtensionRouting::Process reads the routing
 * header from offset 0 instead of its real offset (wrong after a Hop-by-Hop header), and returns
 * a wrong length for an unknown type with Segments Left 0; Ipv6L3Protocol::LocalDeliver keeps the
 * header offset in 8 bits, so an SRH longer than 255 bytes wraps it.  This handler reads at the
 * offset it is given, skips any routing header whose Segments Left is 0, shrinks such an SRH to
 * 8 bytes when the next offset would not fit 8 bits, and drops with an ICMPv6 Parameter Problem
 * (RFC 8200 §4.4, RFC 5095 for type 0) a routing header with Segments Left > 0 addressed to a
 * plain interface address: SIDs are processed by Srv6SidTable before local delivery.
 */
class Srv6ExtensionRouting : public Ipv6ExtensionRouting
{
  public:
    /// \brief \return the TypeId
    static TypeId GetTypeId();

    /// \brief Replace the node's routing-header handler by this one and register it for
    /// routing type 4.  The node must have an IPv6 stack.
    static void Install(Ptr<Node> node);

    uint8_t GetTypeRouting() const override;
    uint8_t Process(Ptr<Packet>& packet,
                    uint8_t offset,
                    const Ipv6Header& ipv6Header,
                    Ipv6Address dst,
                    uint8_t* nextHeader,
                    bool& stopProcessing,
                    bool& isDropped,
                    Ipv6L3Protocol::DropReason& dropReason) override;
};

} // namespace ns3

#endif // SRV6_EXTENSION_ROUTING_H
