/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "srv6-extension-routing.h"

#include "srv6-segment-routing-header.h"

#include "ns3/icmpv6-l4-protocol.h"
#include "ns3/ipv6-extension-demux.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Srv6ExtensionRouting");
NS_OBJECT_ENSURE_REGISTERED(Srv6ExtensionRouting);

namespace
{
constexpr uint32_t IPV6_HEADER_BYTES = 40;
constexpr uint32_t MIN_ROUTING_BYTES = 8;
} // namespace

TypeId
Srv6ExtensionRouting::GetTypeId()
{
    static TypeId tid = TypeId("ns3::Srv6ExtensionRouting")
                            .SetParent<Ipv6ExtensionRouting>()
                            .SetGroupName("Aisfc")
                            .AddConstructor<Srv6ExtensionRouting>();
    return tid;
}

void
Srv6ExtensionRouting::Install(Ptr<Node> node)
{
    Ptr<Ipv6ExtensionDemux> demux = node->GetObject<Ipv6ExtensionDemux>();
    NS_ABORT_MSG_UNLESS(demux,
                        "Srv6ExtensionRouting::Install: node " << node->GetId()
                                                               << " has no IPv6 stack");
    Ptr<Ipv6Extension> old = demux->GetExtension(Ipv6ExtensionRouting::EXT_NUMBER);
    if (DynamicCast<Srv6ExtensionRouting>(old))
    {
        return;
    }
    if (old)
    {
        demux->Remove(old);
    }
    Ptr<Srv6ExtensionRouting> handler = CreateObject<Srv6ExtensionRouting>();
    handler->SetNode(node);
    demux->Insert(handler);
    if (Ptr<Ipv6ExtensionRoutingDemux> routing = node->GetObject<Ipv6ExtensionRoutingDemux>())
    {
        routing->Insert(handler);
    }
}

uint8_t
Srv6ExtensionRouting::GetTypeRouting() const
{
    return Srv6SegmentRoutingHeader::ROUTING_TYPE;
}

uint8_t
Srv6ExtensionRouting::Process(Ptr<Packet>& packet,
                              uint8_t offset,
                              const Ipv6Header& ipv6Header,
                              Ipv6Address /* dst */,
                              uint8_t* nextHeader,
                              bool& stopProcessing,
                              bool& isDropped,
                              Ipv6L3Protocol::DropReason& dropReason)
{
    uint8_t fixed[4] = {0, 0, 0, 0};
    uint32_t available = packet->GetSize() > offset ? packet->GetSize() - offset : 0;
    if (available < MIN_ROUTING_BYTES)
    {
        NS_LOG_LOGIC("truncated routing header");
        isDropped = true;
        stopProcessing = true;
        dropReason = Ipv6L3Protocol::DROP_MALFORMED_HEADER;
        return 0;
    }
    Ptr<Packet> rest = packet->CreateFragment(offset, 4);
    rest->CopyData(fixed, 4);
    uint8_t routingNextHeader = fixed[0];
    uint32_t bytes = (static_cast<uint32_t>(fixed[1]) + 1) * 8;
    uint8_t type = fixed[2];
    uint8_t segmentsLeft = fixed[3];
    if (nextHeader)
    {
        *nextHeader = routingNextHeader;
    }
    if (bytes > available)
    {
        isDropped = true;
        stopProcessing = true;
        dropReason = Ipv6L3Protocol::DROP_MALFORMED_HEADER;
        return 0;
    }
    if (segmentsLeft == 0)
    {
        if (offset + bytes <= 255)
        {
            return bytes;
        }
        // The rest of the header is of no further use here; shrinking it keeps LocalDeliver's
        // 8-bit offset from wrapping.
        Ptr<Packet> tail = packet->Copy();
        tail->RemoveAtStart(offset + bytes);
        Ptr<Packet> head = packet->CreateFragment(0, offset);
        uint8_t shrunk[MIN_ROUTING_BYTES] = {routingNextHeader, 0, type, 0, 0, 0, 0, 0};
        head->AddAtEnd(Create<Packet>(shrunk, MIN_ROUTING_BYTES));
        head->AddAtEnd(tail);
        packet = head;
        return MIN_ROUTING_BYTES;
    }
    // Segments Left > 0 at an interface address: SIDs never get here (Srv6SidTable handles them
    // in RouteInput), and type 0 is deprecated (RFC 5095).  Answer as for an unknown type, but
    // never to an unspecified or multicast source (RFC 4443 2.4 e).
    if (!ipv6Header.GetSource().IsAny() && !ipv6Header.GetSource().IsMulticast())
    {
        Ptr<Packet> malformed = packet->Copy();
        malformed->AddHeader(ipv6Header);
        uint32_t pointer = IPV6_HEADER_BYTES + offset + 2; // Routing Type
        GetNode()->GetObject<Ipv6L3Protocol>()->GetIcmpv6()->SendErrorParameterError(
            malformed,
            ipv6Header.GetSource(),
            Icmpv6Header::ICMPV6_MALFORMED_HEADER,
            pointer);
    }
    isDropped = true;
    stopProcessing = true;
    dropReason = Ipv6L3Protocol::DROP_MALFORMED_HEADER;
    return bytes;
}

} // namespace ns3
