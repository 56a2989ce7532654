/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_FLOW_PROBE_H
#define AISFC_FLOW_PROBE_H

#include "ns3/ipv6-address.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace ns3
{

class Ipv6Header;
class Node;
class Object;
class Packet;

/**
 * \ingroup aisfc
 * Per-flow packet counts and exact one-way delays at the IP layer.
 *
 * A flow is (source address, destination address, protocol, destination port).  When the
 * source node's IPv6 layer sends a packet of a flow (trace SendOutgoing), the probe tags it
 * with the flow and the time; when the destination's IPv6 layer delivers it locally (trace
 * LocalDeliver), the probe records now minus that time.  So the delay covers queueing,
 * serialisation and propagation on every hop, and nothing above IP.  Drops by any IPv6 layer,
 * traffic-control layer or device transmit queue are counted per flow through the same tag, so
 * sent = delivered + dropped + still in flight.
 */
class AisfcFlowProbe
{
  public:
    /// What the probe saw of one flow.
    struct FlowStats
    {
        uint64_t txPackets = 0;      //!< IP packets sent by the source
        uint64_t rxPackets = 0;      //!< IP packets delivered at the destination
        uint64_t txBytes = 0;        //!< IP bytes sent (IPv6 header included)
        uint64_t rxBytes = 0;        //!< IP bytes delivered (IPv6 header included)
        uint64_t droppedPackets = 0; //!< dropped by an IP layer or a device queue on the way
        double firstTxSeconds = -1;  //!< time of the first packet sent (-1: none)
        double lastRxSeconds = -1;   //!< time of the last packet delivered (-1: none)
        std::vector<double> delays;  //!< one-way delay of each delivered packet, in order
    };

    /**
     * \brief Watch a flow.
     * \return its id (0, 1, ... in call order)
     */
    uint32_t AddFlow(const Ipv6Address& source,
                     const Ipv6Address& destination,
                     uint8_t protocol,
                     uint16_t destinationPort);

    /// \brief Connect to the IPv6 and device-queue traces of node (call for every node).
    void Install(Ptr<Node> node);
    /// \brief Also count the drops an object reports on its "Drop" trace, of signature
    /// (const Ipv6Header&, Ptr<const Packet>, const std::string& reason) (SRv6 SID tables,
    /// service functions).
    void WatchDrops(Ptr<Object> source);

    /// \brief \return what the probe saw of flow id
    const FlowStats& GetStats(uint32_t id) const;

  private:
    using Key = std::tuple<Ipv6Address, Ipv6Address, uint8_t, uint16_t>;

    void Sent(const Ipv6Header& header, Ptr<const Packet> packet, uint32_t interface);
    void Delivered(const Ipv6Header& header, Ptr<const Packet> packet, uint32_t interface);
    void Dropped(Ptr<const Packet> packet);
    void DroppedWithReason(const Ipv6Header& header,
                           Ptr<const Packet> packet,
                           const std::string& reason);

    std::map<Key, uint32_t> m_flowOf;
    std::vector<FlowStats> m_stats;
};

} // namespace ns3

#endif // AISFC_FLOW_PROBE_H
