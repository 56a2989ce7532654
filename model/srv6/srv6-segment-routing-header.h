/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef SRV6_SEGMENT_ROUTING_HEADER_H
#define SRV6_SEGMENT_ROUTING_HEADER_H

#include "ns3/header.h"
#include "ns3/ipv6-address.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

struct Srv6SrhParseResult;

/**
 * \ingroup aisfc
 * IPv6 Segment Routing Header (RFC 8754), routing type 4:
 * \verbatim
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   | Next Header   |  Hdr Ext Len  | Routing Type  | Segments Left |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |  Last Entry   |     Flags     |              Tag              |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |            Segment List[0] (128 bits IPv6 address)            |
   |                             ...                               |
   |            Segment List[n] (128 bits IPv6 address)            |
   //         Optional Type Length Value objects (variable)       //
   \endverbatim
 * Segment List[0] is the last segment of the path; the active segment is Segment
 * List[Segments Left].  TLVs are kept in wire order, padding included, so that a parsed header
 * serialises to the same bytes; serialisation appends Pad1/PadN when the TLVs do not fill a
 * multiple of 8 octets.
 *
 * Packets from the wire must go through Parse() first: Deserialize() trusts its input, as ns-3
 * headers do, while Parse() checks every length and names what is wrong.
 */
class Srv6SegmentRoutingHeader : public Header
{
  public:
    static constexpr uint8_t ROUTING_TYPE = 4;  //!< IANA routing type of the SRH
    static constexpr uint8_t TLV_PAD1 = 0;      //!< RFC 8754 §2.1.1.1
    static constexpr uint8_t TLV_PADN = 4;      //!< RFC 8754 §2.1.1.2
    static constexpr uint8_t TLV_HMAC = 5;      //!< RFC 8754 §2.1.2
    static constexpr size_t MAX_BYTES = 2048;   //!< Hdr Ext Len is 8 bits: (255 + 1) x 8 octets
    static constexpr size_t MAX_SEGMENTS = 127; //!< what fits MAX_BYTES without TLVs

    /// A TLV in wire order (Pad1 has an empty value and no length octet on the wire).
    struct Tlv
    {
        uint8_t type;               //!< TLV type
        std::vector<uint8_t> value; //!< TLV value (length is its size)
    };

    /// The HMAC TLV's fields (RFC 8754 §2.1.2).
    struct Hmac
    {
        bool destinationFlag = false; //!< D flag
        uint32_t keyId = 0;           //!< HMAC Key ID
        std::vector<uint8_t> hmac;    //!< HMAC bytes (multiple of 8, at most 32)
    };

    Srv6SegmentRoutingHeader();

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    /**
     * \brief Parse and validate SRH bytes from the wire: lengths, Last Entry against Hdr Ext
     * Len (RFC 8754 §4.3.1.1, max_LE), and every TLV's length.  Segments Left is not judged
     * here: what to do about it is the behaviour's business.
     * \param data the bytes, starting at the SRH's Next Header
     * \param size bytes available (the SRH may be followed by more headers)
     * \return the header, or the reason and the offending field
     */
    static Srv6SrhParseResult Parse(const uint8_t* data, size_t size);

    /// \brief Set the next header (protocol of what follows the SRH).
    void SetNextHeader(uint8_t nextHeader);
    /// \brief \return the next header
    uint8_t GetNextHeader() const;
    /// \brief Set Segments Left.
    void SetSegmentsLeft(uint8_t segmentsLeft);
    /// \brief \return Segments Left
    uint8_t GetSegmentsLeft() const;
    /// \brief \return Last Entry (index of the last element of the segment list)
    uint8_t GetLastEntry() const;
    /// \brief Set the flags octet.
    void SetFlags(uint8_t flags);
    /// \brief \return the flags octet
    uint8_t GetFlags() const;
    /// \brief Set the tag.
    void SetTag(uint16_t tag);
    /// \brief \return the tag
    uint16_t GetTag() const;
    /// \brief Set the segment list in SRH order ([0] is the last segment); 1..128 entries.
    void SetSegments(const std::vector<Ipv6Address>& segments);
    /// \brief \return the segment list in SRH order
    const std::vector<Ipv6Address>& GetSegments() const;
    /// \brief Set the segment list from the path order (first segment to visit first), and
    /// Segments Left to point at the first one.
    void SetPath(const std::vector<Ipv6Address>& path);
    /// \brief \return Segment List[Segments Left]
    Ipv6Address GetActiveSegment() const;

    /// \brief Append a TLV (value at most 255 bytes; Pad1 takes an empty value).
    void AddTlv(uint8_t type, const std::vector<uint8_t>& value);
    /// \brief \return the TLVs in wire order, padding included
    const std::vector<Tlv>& GetTlvs() const;
    /// \brief Set the HMAC TLV: replaces an existing one, else is appended.
    void SetHmac(const Hmac& hmac);
    /// \brief \return the fields of the first HMAC TLV, if there is a well-formed one
    std::optional<Hmac> GetHmac() const;

    /**
     * \brief HMAC-SHA256 of an SRH as RFC 8754 §2.1.2.1 defines it: over the IPv6 source
     * address, Last Entry, Flags, HMAC Key ID and every segment, truncated to `length` bytes.
     * \param key the shared secret
     * \param source the IPv6 source address of the packet
     * \param keyId the HMAC Key ID
     * \param length HMAC length in bytes (8, 16, 24 or 32)
     * \return the HMAC
     */
    std::vector<uint8_t> ComputeHmac(const std::vector<uint8_t>& key,
                                     const Ipv6Address& source,
                                     uint32_t keyId,
                                     size_t length = 32) const;
    /// \brief Sign: set the HMAC TLV to ComputeHmac(key, source, keyId).
    void Sign(const std::vector<uint8_t>& key, const Ipv6Address& source, uint32_t keyId);
    /// \brief \return whether an HMAC TLV is present and matches key and source
    bool VerifyHmac(const std::vector<uint8_t>& key, const Ipv6Address& source) const;

  private:
    uint32_t TlvBytes() const; //!< TLV bytes before padding

    uint8_t m_nextHeader = 59; //!< No Next Header until set
    uint8_t m_segmentsLeft = 0;
    uint8_t m_flags = 0;
    uint16_t m_tag = 0;
    std::vector<Ipv6Address> m_segments;
    std::vector<Tlv> m_tlvs;
};

/**
 * \ingroup aisfc
 * What Srv6SegmentRoutingHeader::Parse() found.
 */
struct Srv6SrhParseResult
{
    std::optional<Srv6SegmentRoutingHeader> header; //!< the header when well formed
    std::string error;       //!< why not, e.g. "Last Entry 9 exceeds max_LE 3 of Hdr Ext Len 8"
    uint32_t errorField = 0; //!< offset in the SRH of the offending field (ICMP pointer)
};

} // namespace ns3

#endif // SRV6_SEGMENT_ROUTING_HEADER_H
