/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "srv6-packet.h"

#include "ns3/packet.h"

#include <algorithm>

namespace ns3
{

namespace
{
constexpr uint8_t IPV6_IN_IPV6 = 41;
constexpr uint8_t ROUTING = 43;
constexpr uint8_t TCP = 6;
constexpr uint8_t UDP = 17;

uint64_t
Mix(uint64_t h, uint64_t v)
{
    // splitmix64 finaliser: cheap, and every input bit moves every output bit
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

uint64_t
MixAddress(uint64_t h, const Ipv6Address& a)
{
    uint8_t b[16];
    a.GetBytes(b);
    uint64_t hi = 0;
    uint64_t lo = 0;
    for (int i = 0; i < 8; ++i)
    {
        hi = (hi << 8) | b[i];
        lo = (lo << 8) | b[8 + i];
    }
    return Mix(Mix(h, hi), lo);
}
} // namespace

Srv6PacketSrh
Srv6FindSrh(Ptr<const Packet> payload, const Ipv6Header& header)
{
    Srv6PacketSrh found;
    if (header.GetNextHeader() != ROUTING)
    {
        return found;
    }
    uint32_t size = payload->GetSize();
    uint8_t fixed[4] = {0, 0, 0, 0};
    payload->CopyData(fixed, std::min<uint32_t>(size, 4));
    found.routingType = fixed[2];
    found.segmentsLeft = fixed[3];
    found.bytes = (static_cast<uint32_t>(fixed[1]) + 1) * 8;
    if (size < 8 || found.bytes > size)
    {
        found.kind = Srv6PacketSrh::MALFORMED;
        found.error = "routing header of " + std::to_string(found.bytes) + " bytes truncated to " +
                      std::to_string(size);
        found.errorField = 1; // Hdr Ext Len
        return found;
    }
    if (found.routingType != Srv6SegmentRoutingHeader::ROUTING_TYPE)
    {
        found.kind = Srv6PacketSrh::OTHER_ROUTING;
        return found;
    }
    uint8_t bytes[Srv6SegmentRoutingHeader::MAX_BYTES]; // Hdr Ext Len caps found.bytes
    payload->CopyData(bytes, found.bytes);
    Srv6SrhParseResult parsed = Srv6SegmentRoutingHeader::Parse(bytes, found.bytes);
    if (!parsed.header)
    {
        found.kind = Srv6PacketSrh::MALFORMED;
        found.error = std::move(parsed.error);
        found.errorField = parsed.errorField;
        return found;
    }
    found.kind = Srv6PacketSrh::SRH;
    found.srh = std::move(*parsed.header);
    return found;
}

void
Srv6ReplaceSrh(Ptr<Packet> payload,
               Ipv6Header& header,
               uint32_t bytes,
               const Srv6SegmentRoutingHeader& srh)
{
    payload->RemoveAtStart(bytes);
    payload->AddHeader(srh);
    header.SetPayloadLength(payload->GetSize());
}

void
Srv6RemoveSrh(Ptr<Packet> payload, Ipv6Header& header, uint32_t bytes, uint8_t nextHeader)
{
    payload->RemoveAtStart(bytes);
    header.SetNextHeader(nextHeader);
    header.SetPayloadLength(payload->GetSize());
}

void
Srv6InsertSrh(Ptr<Packet> payload, Ipv6Header& header, Srv6SegmentRoutingHeader srh)
{
    srh.SetNextHeader(header.GetNextHeader());
    payload->AddHeader(srh);
    header.SetNextHeader(ROUTING);
    header.SetDestination(srh.GetActiveSegment());
    header.SetPayloadLength(payload->GetSize());
}

Ipv6Header
Srv6Encapsulate(Ptr<Packet> inner,
                const Ipv6Header& innerHeader,
                const Ipv6Address& source,
                const std::vector<Ipv6Address>& path,
                bool reduced,
                uint8_t hopLimit)
{
    Ipv6Header inHeader = innerHeader;
    inHeader.SetPayloadLength(inner->GetSize());
    inner->AddHeader(inHeader);

    Ipv6Header outer;
    outer.SetSource(source);
    outer.SetDestination(path.front());
    outer.SetHopLimit(hopLimit);
    // As Linux's seg6 default (seg6_flowlabel = 0): the outer header carries the inner label,
    // so ECMP in the SR domain keeps the flows apart.
    outer.SetFlowLabel(innerHeader.GetFlowLabel());
    outer.SetTrafficClass(innerHeader.GetTrafficClass());
    std::vector<Ipv6Address> carried(path.begin() + (reduced ? 1 : 0), path.end());
    if (carried.empty())
    {
        outer.SetNextHeader(IPV6_IN_IPV6); // reduced encapsulation of a single segment: no SRH
    }
    else
    {
        Srv6SegmentRoutingHeader srh;
        srh.SetPath(carried);
        // With the first segment left out, Segments Left still counts it (RFC 8986 §5.2).
        srh.SetSegmentsLeft(path.size() - 1);
        srh.SetNextHeader(IPV6_IN_IPV6);
        inner->AddHeader(srh);
        outer.SetNextHeader(ROUTING);
    }
    outer.SetPayloadLength(inner->GetSize());
    return outer;
}

bool
Srv6Decapsulate(Ptr<Packet> payload, uint32_t outerBytes, Ipv6Header& innerHeader)
{
    if (payload->GetSize() < outerBytes + 40)
    {
        return false;
    }
    payload->RemoveAtStart(outerBytes);
    payload->RemoveHeader(innerHeader);
    if (innerHeader.GetPayloadLength() < payload->GetSize())
    {
        payload->RemoveAtEnd(payload->GetSize() - innerHeader.GetPayloadLength());
    }
    return true;
}

uint64_t
Srv6FlowKey::Hash(uint64_t salt) const
{
    uint64_t h = Mix(salt, flowLabel);
    h = MixAddress(h, source);
    h = MixAddress(h, destination);
    return Mix(h, (uint64_t(protocol) << 32) | (uint64_t(sourcePort) << 16) | destinationPort);
}

bool
Srv6FlowKey::operator==(const Srv6FlowKey& o) const
{
    return source == o.source && destination == o.destination && protocol == o.protocol &&
           sourcePort == o.sourcePort && destinationPort == o.destinationPort &&
           flowLabel == o.flowLabel;
}

Srv6FlowKey
Srv6ReadFlowKey(Ptr<const Packet> payload, const Ipv6Header& header)
{
    Srv6FlowKey key;
    key.source = header.GetSource();
    key.destination = header.GetDestination();
    key.flowLabel = header.GetFlowLabel();
    key.protocol = header.GetNextHeader();
    uint32_t offset = 0;
    if (key.protocol == ROUTING)
    {
        Srv6PacketSrh found = Srv6FindSrh(payload, header);
        if (found.kind != Srv6PacketSrh::SRH)
        {
            return key;
        }
        key.protocol = found.srh.GetNextHeader();
        offset = found.bytes;
    }
    if ((key.protocol == TCP || key.protocol == UDP) && payload->GetSize() >= offset + 4)
    {
        std::vector<uint8_t> head(offset + 4);
        payload->CopyData(head.data(), head.size());
        key.sourcePort = (head[offset] << 8) | head[offset + 1];
        key.destinationPort = (head[offset + 2] << 8) | head[offset + 3];
    }
    return key;
}

} // namespace ns3
