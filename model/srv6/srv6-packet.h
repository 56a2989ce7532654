/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef SRV6_PACKET_H
#define SRV6_PACKET_H

#include "srv6-segment-routing-header.h"

#include "ns3/ipv6-header.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

class Packet;

/**
 * \ingroup aisfc
 * What follows an IPv6 header, as far as SRv6 cares.  Every behaviour, the headend and the
 * local-delivery extension read packets through Srv6FindSrh() so that a malformed SRH is judged
 * the same way everywhere.
 */
struct Srv6PacketSrh
{
    enum Kind
    {
        NONE,          //!< no routing header directly after the IPv6 header
        SRH,           //!< a well-formed SRH
        OTHER_ROUTING, //!< a routing header of another type
        MALFORMED,     //!< a routing header whose bytes do not parse
    };

    Kind kind = NONE;
    Srv6SegmentRoutingHeader srh; //!< when kind == SRH
    uint32_t bytes = 0;           //!< wire size of the routing header (SRH or other)
    uint8_t routingType = 0;      //!< when kind != NONE and at least 4 bytes are present
    uint8_t segmentsLeft = 0;     //!< likewise
    std::string error;            //!< when kind == MALFORMED
    uint32_t errorField = 0;      //!< offset of the bad field from the routing header's start
};

/**
 * \ingroup aisfc
 * \brief Look for a routing header at the start of an IPv6 payload.
 * \param payload the bytes after the IPv6 header
 * \param header the IPv6 header (its Next Header says whether a routing header follows)
 * \return what was found
 */
Srv6PacketSrh Srv6FindSrh(Ptr<const Packet> payload, const Ipv6Header& header);

/**
 * \ingroup aisfc
 * \brief Replace the routing header of `bytes` bytes at the start of `payload` by `srh` and fix
 * the IPv6 Payload Length.
 */
void Srv6ReplaceSrh(Ptr<Packet> payload,
                    Ipv6Header& header,
                    uint32_t bytes,
                    const Srv6SegmentRoutingHeader& srh);

/**
 * \ingroup aisfc
 * \brief Remove the routing header of `bytes` bytes at the start of `payload`; the IPv6 header
 * takes its Next Header and the new Payload Length.
 */
void Srv6RemoveSrh(Ptr<Packet> payload, Ipv6Header& header, uint32_t bytes, uint8_t nextHeader);

/**
 * \ingroup aisfc
 * \brief Insert an SRH after the IPv6 header (H.Insert): the SRH takes the header's Next Header,
 * the header points at the SRH.
 */
void Srv6InsertSrh(Ptr<Packet> payload, Ipv6Header& header, Srv6SegmentRoutingHeader srh);

/**
 * \ingroup aisfc
 * \brief Encapsulate an IPv6 packet in an outer IPv6 header and, unless the reduced form leaves
 * nothing to carry, an SRH (H.Encaps, H.Encaps.Red, End.B6.Encaps).
 * \param inner payload of the inner packet; on return, the whole outer payload
 * \param innerHeader the inner IPv6 header
 * \param source the outer source address
 * \param path segments in visiting order (path[0] becomes the outer destination)
 * \param reduced omit path[0] from the SRH (H.Encaps.Red)
 * \param hopLimit outer Hop Limit
 * \return the outer IPv6 header
 */
Ipv6Header Srv6Encapsulate(Ptr<Packet> inner,
                           const Ipv6Header& innerHeader,
                           const Ipv6Address& source,
                           const std::vector<Ipv6Address>& path,
                           bool reduced,
                           uint8_t hopLimit);

/**
 * \ingroup aisfc
 * \brief Strip `outerBytes` bytes (SRH and any other outer extension) and the inner IPv6 header
 * from `payload`.
 * \param payload the outer payload; on return, the inner payload
 * \param outerBytes bytes before the inner IPv6 header
 * \param[out] innerHeader the inner IPv6 header
 * \return false when no complete inner IPv6 header follows
 */
bool Srv6Decapsulate(Ptr<Packet> payload, uint32_t outerBytes, Ipv6Header& innerHeader);

/**
 * \ingroup aisfc
 * The fields a flow classifier and a per-flow hash look at.
 */
struct Srv6FlowKey
{
    Ipv6Address source;           //!< IPv6 source
    Ipv6Address destination;      //!< IPv6 destination
    uint8_t protocol = 0;         //!< upper-layer protocol (after any SRH)
    uint16_t sourcePort = 0;      //!< TCP/UDP source port, else 0
    uint16_t destinationPort = 0; //!< TCP/UDP destination port, else 0
    uint32_t flowLabel = 0;       //!< IPv6 flow label

    /// \brief \return a hash of the 5-tuple and flow label, mixed with `salt`
    uint64_t Hash(uint64_t salt) const;
    /// \brief \return whether every field equals
    bool operator==(const Srv6FlowKey& o) const;
};

/**
 * \ingroup aisfc
 * \brief Read the flow key of a packet: addresses and label from the header, protocol and ports
 * from after the SRH if there is one.
 */
Srv6FlowKey Srv6ReadFlowKey(Ptr<const Packet> payload, const Ipv6Header& header);

} // namespace ns3

#endif // SRV6_PACKET_H
