/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "srv6-segment-routing-header.h"

#include "ns3/abort.h"

#include <algorithm>
#include <iomanip>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(Srv6SegmentRoutingHeader);

namespace
{
constexpr uint32_t FIXED_BYTES = 8;
constexpr uint32_t SEGMENT_BYTES = 16;
constexpr uint8_t HMAC_FIXED_VALUE_BYTES = 6; // D flag + reserved (2) + Key ID (4)

uint32_t
TlvWireSize(const Srv6SegmentRoutingHeader::Tlv& tlv)
{
    return tlv.type == Srv6SegmentRoutingHeader::TLV_PAD1 ? 1 : 2 + tlv.value.size();
}

// Bytes of padding that make `bytes` a multiple of 8.
uint32_t
PaddingFor(uint32_t bytes)
{
    return (8 - bytes % 8) % 8;
}
} // namespace

Srv6SegmentRoutingHeader::Srv6SegmentRoutingHeader() = default;

TypeId
Srv6SegmentRoutingHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::Srv6SegmentRoutingHeader")
                            .SetParent<Header>()
                            .SetGroupName("Aisfc")
                            .AddConstructor<Srv6SegmentRoutingHeader>();
    return tid;
}

TypeId
Srv6SegmentRoutingHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
Srv6SegmentRoutingHeader::TlvBytes() const
{
    uint32_t bytes = 0;
    for (const Tlv& tlv : m_tlvs)
    {
        bytes += TlvWireSize(tlv);
    }
    return bytes;
}

uint32_t
Srv6SegmentRoutingHeader::GetSerializedSize() const
{
    uint32_t bytes = FIXED_BYTES + SEGMENT_BYTES * m_segments.size() + TlvBytes();
    return bytes + PaddingFor(bytes);
}

void
Srv6SegmentRoutingHeader::Serialize(Buffer::Iterator i) const
{
    NS_ABORT_MSG_IF(m_segments.empty(), "Srv6SegmentRoutingHeader: empty segment list");
    uint32_t size = GetSerializedSize();
    NS_ABORT_MSG_IF(size > MAX_BYTES, "Srv6SegmentRoutingHeader: " << size << " bytes");
    i.WriteU8(m_nextHeader);
    i.WriteU8(size / 8 - 1);
    i.WriteU8(ROUTING_TYPE);
    i.WriteU8(m_segmentsLeft);
    i.WriteU8(GetLastEntry());
    i.WriteU8(m_flags);
    i.WriteHtonU16(m_tag);
    for (const Ipv6Address& segment : m_segments)
    {
        uint8_t bytes[16];
        segment.Serialize(bytes);
        i.Write(bytes, 16);
    }
    for (const Tlv& tlv : m_tlvs)
    {
        i.WriteU8(tlv.type);
        if (tlv.type != TLV_PAD1)
        {
            i.WriteU8(tlv.value.size());
            i.Write(tlv.value.data(), tlv.value.size());
        }
    }
    uint32_t padding = PaddingFor(FIXED_BYTES + SEGMENT_BYTES * m_segments.size() + TlvBytes());
    if (padding == 1)
    {
        i.WriteU8(TLV_PAD1);
    }
    else if (padding > 1)
    {
        i.WriteU8(TLV_PADN);
        i.WriteU8(padding - 2);
        i.WriteU8(0, padding - 2);
    }
}

uint32_t
Srv6SegmentRoutingHeader::Deserialize(Buffer::Iterator start)
{
    // Trusts its input (ns-3 convention); wire bytes are checked by Parse() first.
    Buffer::Iterator i = start;
    m_nextHeader = i.ReadU8();
    uint32_t total = (uint32_t(i.ReadU8()) + 1) * 8;
    i.ReadU8(); // routing type
    m_segmentsLeft = i.ReadU8();
    uint32_t segments = uint32_t(i.ReadU8()) + 1;
    m_flags = i.ReadU8();
    m_tag = i.ReadNtohU16();
    m_segments.clear();
    for (uint32_t s = 0; s < segments; ++s)
    {
        uint8_t bytes[16];
        i.Read(bytes, 16);
        m_segments.push_back(Ipv6Address::Deserialize(bytes));
    }
    m_tlvs.clear();
    uint32_t at = FIXED_BYTES + SEGMENT_BYTES * segments;
    while (at < total)
    {
        Tlv tlv;
        tlv.type = i.ReadU8();
        ++at;
        if (tlv.type != TLV_PAD1)
        {
            uint8_t length = i.ReadU8();
            tlv.value.resize(length);
            i.Read(tlv.value.data(), length);
            at += 1 + length;
        }
        m_tlvs.push_back(std::move(tlv));
    }
    return total;
}

Srv6SrhParseResult
Srv6SegmentRoutingHeader::Parse(const uint8_t* data, size_t size)
{
    Srv6SrhParseResult r;
    auto fail = [&r](uint32_t field, const std::string& why) {
        r.error = why;
        r.errorField = field;
        return r;
    };
    if (size < FIXED_BYTES)
    {
        return fail(0, "truncated: " + std::to_string(size) + " bytes, the fixed part needs 8");
    }
    if (data[2] != ROUTING_TYPE)
    {
        return fail(2, "routing type " + std::to_string(data[2]) + " is not 4 (SRH)");
    }
    uint32_t total = (uint32_t(data[1]) + 1) * 8;
    if (total > size)
    {
        return fail(1,
                    "truncated: Hdr Ext Len " + std::to_string(data[1]) + " means " +
                        std::to_string(total) + " bytes, " + std::to_string(size) + " present");
    }
    // RFC 8754 §4.3.1.1: max_LE = (Hdr Ext Len / 2) - 1.
    int maxLastEntry = data[1] / 2 - 1;
    if (int(data[4]) > maxLastEntry)
    {
        return fail(4,
                    "Last Entry " + std::to_string(data[4]) + " exceeds max_LE " +
                        std::to_string(maxLastEntry) + " of Hdr Ext Len " +
                        std::to_string(data[1]));
    }
    uint32_t at = FIXED_BYTES + SEGMENT_BYTES * (uint32_t(data[4]) + 1);
    while (at < total)
    {
        uint8_t type = data[at];
        if (type == TLV_PAD1)
        {
            ++at;
            continue;
        }
        if (at + 2 > total || at + 2 + data[at + 1] > total)
        {
            return fail(at + 1,
                        "TLV of type " + std::to_string(type) + " at offset " + std::to_string(at) +
                            " runs past the header's end");
        }
        uint8_t length = data[at + 1];
        if (type == TLV_HMAC &&
            (length < HMAC_FIXED_VALUE_BYTES || (length - HMAC_FIXED_VALUE_BYTES) % 8 != 0 ||
             length - HMAC_FIXED_VALUE_BYTES > 32))
        {
            return fail(at + 1, "HMAC TLV length " + std::to_string(length) + " is invalid");
        }
        at += 2 + length;
    }
    // Validated: fill the fields straight from the bytes (every SID hop parses its SRH, so no
    // detour through a Buffer).
    Srv6SegmentRoutingHeader& h = r.header.emplace();
    h.m_nextHeader = data[0];
    h.m_segmentsLeft = data[3];
    h.m_flags = data[5];
    h.m_tag = (uint16_t(data[6]) << 8) | data[7];
    uint32_t segments = uint32_t(data[4]) + 1;
    h.m_segments.reserve(segments);
    for (uint32_t s = 0; s < segments; ++s)
    {
        h.m_segments.push_back(Ipv6Address::Deserialize(data + FIXED_BYTES + SEGMENT_BYTES * s));
    }
    for (at = FIXED_BYTES + SEGMENT_BYTES * segments; at < total;)
    {
        Tlv tlv;
        tlv.type = data[at++];
        if (tlv.type != TLV_PAD1)
        {
            uint8_t length = data[at++];
            tlv.value.assign(data + at, data + at + length);
            at += length;
        }
        h.m_tlvs.push_back(std::move(tlv));
    }
    return r;
}

void
Srv6SegmentRoutingHeader::Print(std::ostream& os) const
{
    os << "SRH nh=" << unsigned(m_nextHeader) << " sl=" << unsigned(m_segmentsLeft)
       << " le=" << unsigned(GetLastEntry()) << " flags=0x" << std::hex << unsigned(m_flags)
       << std::dec << " tag=" << m_tag << " segments=[";
    for (size_t s = 0; s < m_segments.size(); ++s)
    {
        os << (s ? " " : "") << m_segments[s];
    }
    os << "]";
    for (const Tlv& tlv : m_tlvs)
    {
        os << " tlv(" << unsigned(tlv.type) << "," << tlv.value.size() << ")";
    }
}

void
Srv6SegmentRoutingHeader::SetNextHeader(uint8_t nextHeader)
{
    m_nextHeader = nextHeader;
}

uint8_t
Srv6SegmentRoutingHeader::GetNextHeader() const
{
    return m_nextHeader;
}

void
Srv6SegmentRoutingHeader::SetSegmentsLeft(uint8_t segmentsLeft)
{
    m_segmentsLeft = segmentsLeft;
}

uint8_t
Srv6SegmentRoutingHeader::GetSegmentsLeft() const
{
    return m_segmentsLeft;
}

uint8_t
Srv6SegmentRoutingHeader::GetLastEntry() const
{
    return m_segments.empty() ? 0 : m_segments.size() - 1;
}

void
Srv6SegmentRoutingHeader::SetFlags(uint8_t flags)
{
    m_flags = flags;
}

uint8_t
Srv6SegmentRoutingHeader::GetFlags() const
{
    return m_flags;
}

void
Srv6SegmentRoutingHeader::SetTag(uint16_t tag)
{
    m_tag = tag;
}

uint16_t
Srv6SegmentRoutingHeader::GetTag() const
{
    return m_tag;
}

void
Srv6SegmentRoutingHeader::SetSegments(const std::vector<Ipv6Address>& segments)
{
    NS_ABORT_MSG_IF(segments.empty() || segments.size() > MAX_SEGMENTS,
                    "Srv6SegmentRoutingHeader: " << segments.size() << " segments (1.."
                                                 << MAX_SEGMENTS << ")");
    m_segments = segments;
}

const std::vector<Ipv6Address>&
Srv6SegmentRoutingHeader::GetSegments() const
{
    return m_segments;
}

void
Srv6SegmentRoutingHeader::SetPath(const std::vector<Ipv6Address>& path)
{
    SetSegments(std::vector<Ipv6Address>(path.rbegin(), path.rend()));
    m_segmentsLeft = m_segments.size() - 1;
}

Ipv6Address
Srv6SegmentRoutingHeader::GetActiveSegment() const
{
    return m_segments.at(m_segmentsLeft);
}

void
Srv6SegmentRoutingHeader::AddTlv(uint8_t type, const std::vector<uint8_t>& value)
{
    NS_ABORT_MSG_IF(value.size() > 255, "Srv6SegmentRoutingHeader: TLV value above 255 bytes");
    NS_ABORT_MSG_IF(type == TLV_PAD1 && !value.empty(), "Srv6SegmentRoutingHeader: Pad1 value");
    m_tlvs.push_back({type, value});
}

const std::vector<Srv6SegmentRoutingHeader::Tlv>&
Srv6SegmentRoutingHeader::GetTlvs() const
{
    return m_tlvs;
}

void
Srv6SegmentRoutingHeader::SetHmac(const Hmac& hmac)
{
    NS_ABORT_MSG_IF(hmac.hmac.size() % 8 != 0 || hmac.hmac.size() > 32,
                    "Srv6SegmentRoutingHeader: HMAC of " << hmac.hmac.size() << " bytes");
    std::vector<uint8_t> value(HMAC_FIXED_VALUE_BYTES + hmac.hmac.size());
    value[0] = hmac.destinationFlag ? 0x80 : 0;
    for (int b = 0; b < 4; ++b)
    {
        value[2 + b] = uint8_t(hmac.keyId >> (24 - 8 * b));
    }
    std::copy(hmac.hmac.begin(), hmac.hmac.end(), value.begin() + HMAC_FIXED_VALUE_BYTES);
    for (Tlv& tlv : m_tlvs)
    {
        if (tlv.type == TLV_HMAC)
        {
            tlv.value = value;
            return;
        }
    }
    AddTlv(TLV_HMAC, value);
}

std::optional<Srv6SegmentRoutingHeader::Hmac>
Srv6SegmentRoutingHeader::GetHmac() const
{
    for (const Tlv& tlv : m_tlvs)
    {
        if (tlv.type == TLV_HMAC && tlv.value.size() >= HMAC_FIXED_VALUE_BYTES)
        {
            Hmac h;
            h.destinationFlag = tlv.value[0] & 0x80;
            h.keyId = uint32_t(tlv.value[2]) << 24 | uint32_t(tlv.value[3]) << 16 |
                      uint32_t(tlv.value[4]) << 8 | tlv.value[5];
            h.hmac.assign(tlv.value.begin() + HMAC_FIXED_VALUE_BYTES, tlv.value.end());
            return h;
        }
    }
    return std::nullopt;
}

std::vector<uint8_t>
Srv6SegmentRoutingHeader::ComputeHmac(const std::vector<uint8_t>& key,
                                      const Ipv6Address& source,
                                      uint32_t keyId,
                                      size_t length) const
{
    // RFC 8754 §2.1.2.1: source address, Last Entry, Flags, HMAC Key ID, Segment List.
    std::vector<uint8_t> text(16);
    source.Serialize(text.data());
    text.push_back(GetLastEntry());
    text.push_back(m_flags);
    for (int shift = 24; shift >= 0; shift -= 8)
    {
        text.push_back(uint8_t(keyId >> shift));
    }
    for (const Ipv6Address& segment : m_segments)
    {
        uint8_t bytes[16];
        segment.Serialize(bytes);
        text.insert(text.end(), bytes, bytes + 16);
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLength = 0;
    HMAC(EVP_sha256(), key.data(), key.size(), text.data(), text.size(), digest, &digestLength);
    return std::vector<uint8_t>(digest, digest + std::min<size_t>(length, digestLength));
}

void
Srv6SegmentRoutingHeader::Sign(const std::vector<uint8_t>& key,
                               const Ipv6Address& source,
                               uint32_t keyId)
{
    Hmac h;
    h.keyId = keyId;
    h.hmac = ComputeHmac(key, source, keyId);
    SetHmac(h);
}

bool
Srv6SegmentRoutingHeader::VerifyHmac(const std::vector<uint8_t>& key,
                                     const Ipv6Address& source) const
{
    auto h = GetHmac();
    if (!h || h->hmac.empty())
    {
        return false;
    }
    std::vector<uint8_t> expected = ComputeHmac(key, source, h->keyId, h->hmac.size());
    return CRYPTO_memcmp(expected.data(), h->hmac.data(), expected.size()) == 0;
}

} // namespace ns3
