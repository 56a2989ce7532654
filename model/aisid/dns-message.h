/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DNS_MESSAGE_H
#define DNS_MESSAGE_H

#include "ns3/ipv6-address.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/// \ingroup aisfc UDP port of DNS servers (RFC 1035 §4.2.1).
constexpr uint16_t DNS_PORT = 53;

/// \ingroup aisfc TYPE of an IPv4 host address (RFC 1035 §3.2.2).
constexpr uint16_t DNS_TYPE_A = 1;
/// \ingroup aisfc TYPE of an authoritative name server record.
constexpr uint16_t DNS_TYPE_NS = 2;
/// \ingroup aisfc TYPE of a canonical name (alias) record.
constexpr uint16_t DNS_TYPE_CNAME = 5;
/// \ingroup aisfc TYPE of a domain name pointer.
constexpr uint16_t DNS_TYPE_PTR = 12;
/// \ingroup aisfc TYPE of an IPv6 host address (RFC 3596).
constexpr uint16_t DNS_TYPE_AAAA = 28;
/// \ingroup aisfc TYPE of the EDNS(0) pseudo-record (RFC 6891).
constexpr uint16_t DNS_TYPE_OPT = 41;
/// \ingroup aisfc QTYPE asking for all records.
constexpr uint16_t DNS_TYPE_ANY = 255;
/// \ingroup aisfc CLASS Internet.
constexpr uint16_t DNS_CLASS_IN = 1;

/// \ingroup aisfc RCODE: no error.
constexpr uint8_t DNS_RCODE_NOERROR = 0;
/// \ingroup aisfc RCODE: the server could not interpret the query.
constexpr uint8_t DNS_RCODE_FORMERR = 1;
/// \ingroup aisfc RCODE: the server failed (a resolver that got no answer upstream says this).
constexpr uint8_t DNS_RCODE_SERVFAIL = 2;
/// \ingroup aisfc RCODE: the name does not exist (authoritative answers only).
constexpr uint8_t DNS_RCODE_NXDOMAIN = 3;
/// \ingroup aisfc RCODE: the kind of query is not implemented.
constexpr uint8_t DNS_RCODE_NOTIMP = 4;
/// \ingroup aisfc RCODE: the server refuses (policy).
constexpr uint8_t DNS_RCODE_REFUSED = 5;

/// \ingroup aisfc EDNS option code of Client Subnet (RFC 7871).
constexpr uint16_t DNS_OPTION_CLIENT_SUBNET = 8;

/// \ingroup aisfc Longest name on the wire, length bytes and the root's zero included.
constexpr size_t DNS_MAX_NAME_WIRE = 255;
/// \ingroup aisfc Longest label.
constexpr size_t DNS_MAX_LABEL = 63;

/**
 * \ingroup aisfc
 * \brief \return the labels of a domain name in presentation form ("www.example.com", a final
 * dot allowed, "." or "" for the root; "\." is a dot inside a label, "\\" a backslash, "\DDD"
 * the byte DDD in decimal).  Throws AisfcInputError(place, ...) on an empty label ("a..b"), a
 * label over 63 bytes, a name over 255 bytes on the wire or a bad escape.
 */
std::vector<std::string> DnsNameLabels(const std::string& name, const std::string& place);
/// \brief \return a name in presentation form, escaped as DnsNameLabels reads it ("." for the
/// root, no final dot otherwise).  \ingroup aisfc
std::string DnsNameText(const std::vector<std::string>& labels);
/// \brief \return the canonical form of a valid name (ASCII lower case, no final dot), the key
/// under which caches and zones file it: DNS names compare case-insensitively.  Throws as
/// DnsNameLabels.  \ingroup aisfc
std::string DnsCanonicalName(const std::string& name, const std::string& place);

/// \ingroup aisfc An entry of the question section.
struct DnsQuestion
{
    std::string name;               //!< QNAME in presentation form
    uint16_t type = DNS_TYPE_AAAA;  //!< QTYPE
    uint16_t qclass = DNS_CLASS_IN; //!< QCLASS

    /// \brief \return whether type and class are equal and the names equal ignoring case
    bool operator==(const DnsQuestion& o) const;
};

/**
 * \ingroup aisfc
 * A resource record.  RDATA is kept as bytes (`rdata`), except for the types whose RDATA is one
 * domain name that may be compressed (CNAME, NS, PTR): their name is in `target` and `rdata`
 * stays empty.
 */
struct DnsResourceRecord
{
    std::string name;                //!< owner name in presentation form
    uint16_t type = DNS_TYPE_AAAA;   //!< TYPE
    uint16_t rrclass = DNS_CLASS_IN; //!< CLASS (the UDP payload size for OPT)
    uint32_t ttl = 0;                //!< TTL in seconds (extended RCODE and flags for OPT)
    std::vector<uint8_t> rdata;      //!< RDATA bytes for other types
    std::string target;              //!< the name in RDATA of CNAME, NS and PTR

    /// \brief \return an AAAA record
    static DnsResourceRecord Aaaa(const std::string& name,
                                  const Ipv6Address& address,
                                  uint32_t ttl);
    /// \brief \return an A record for the address a.b.c.d given as 0xaabbccdd
    static DnsResourceRecord A(const std::string& name, uint32_t address, uint32_t ttl);
    /// \brief \return a CNAME record: name is an alias of target
    static DnsResourceRecord Cname(const std::string& name,
                                   const std::string& target,
                                   uint32_t ttl);
    /// \brief \return whether the RDATA of this type is a (compressible) domain name
    static bool HasNameRdata(uint16_t type);
    /// \brief \return the address of an AAAA record (type AAAA, 16 bytes of RDATA; aborts
    /// otherwise: parsed records are checked)
    Ipv6Address GetAaaa() const;
    /// \brief \return whether every field equals (names compared ignoring case)
    bool operator==(const DnsResourceRecord& o) const;
};

/**
 * \ingroup aisfc
 * The EDNS Client Subnet option (RFC 7871) of an IPv6 client: a resolver tells the
 * authoritative server which network the query comes from (the first sourcePrefix bits of
 * address), and the answer says with scopePrefix how wide a network it is valid for.
 */
struct DnsClientSubnet
{
    Ipv6Address address;      //!< the client network (bits beyond sourcePrefix are zero)
    uint8_t sourcePrefix = 0; //!< SOURCE PREFIX-LENGTH, 0..128
    uint8_t scopePrefix = 0;  //!< SCOPE PREFIX-LENGTH: 0 in queries

    /// \brief \return whether every field equals
    bool operator==(const DnsClientSubnet& o) const;
};

/**
 * \ingroup aisfc
 * \brief \return the first `bits` bits of address, the rest zero (bits 0..128)
 */
Ipv6Address DnsTruncateAddress(const Ipv6Address& address, uint8_t bits);

/**
 * \ingroup aisfc
 * A DNS message (RFC 1035 §4.1): the header, then questions, answers, authority and additional
 * records.  The section counts are the sizes of the vectors.  Plain C++ without a simulator:
 * the ns-3 applications (dns-apps.h) carry its bytes in UDP datagrams.
 *
 * Parse() reads untrusted bytes and never crashes or loops: a compression pointer must point
 * before every byte of the name read so far (so each jump goes strictly backwards and a chain
 * ends), labels are at most 63 bytes, names at most 255, every length is checked against the
 * bytes left, RDATA of known types must have its exact length and trailing bytes are an error.
 * Errors are AisfcInputError whose place is "DNS offset N", N the offset of the bad byte.
 */
struct DnsMessage
{
    uint16_t id = 0;                        //!< ID
    bool qr = false;                        //!< QR: a response
    uint8_t opcode = 0;                     //!< OPCODE (0 = QUERY)
    bool aa = false;                        //!< AA: authoritative answer
    bool tc = false;                        //!< TC: truncated
    bool rd = false;                        //!< RD: recursion desired
    bool ra = false;                        //!< RA: recursion available
    uint8_t z = 0;                          //!< the three bits between RA and RCODE (Z, AD, CD)
    uint8_t rcode = 0;                      //!< RCODE (the low four bits; EDNS extends it in OPT)
    std::vector<DnsQuestion> questions;     //!< question section
    std::vector<DnsResourceRecord> answers; //!< answer section
    std::vector<DnsResourceRecord> authorities; //!< authority section
    std::vector<DnsResourceRecord> additionals; //!< additional section (OPT goes here)

    /// \brief \return the 16 flag bits of the header (QR ... RCODE)
    uint16_t GetFlags() const;
    /// \brief Set QR ... RCODE from the 16 flag bits of a header.
    void SetFlags(uint16_t flags);

    /**
     * \brief \return the message on the wire.
     * \param compress write names as pointers to earlier occurrences of their longest known
     * suffix (RFC 1035 §4.1.4), in owner names and in CNAME/NS/PTR RDATA
     * Throws AisfcInputError naming the section and entry ("answer 0 name") when a name is
     * invalid, RDATA is too long (or not 4 / 16 bytes for A / AAAA, which Parse() would refuse)
     * or there are more than 65535 entries in a section.
     */
    std::vector<uint8_t> Serialize(bool compress = true) const;

    /// \brief \return the message in bytes; throws AisfcInputError("DNS offset N", ...) on the
    /// first problem
    static DnsMessage Parse(const uint8_t* data, size_t size);
    /// \brief \return the message in bytes, or nothing with the error in *error (may be null)
    static std::optional<DnsMessage> TryParse(const uint8_t* data, size_t size, std::string* error);

    /// \brief \return the Client Subnet option of the OPT record, if any (IPv6 family only)
    std::optional<DnsClientSubnet> GetClientSubnet() const;
    /**
     * \brief Add an OPT record carrying this Client Subnet option (or replace the option in
     * the existing OPT record).  The address is truncated to the source prefix.
     * \param subnet the option
     * \param udpPayloadSize the OPT record's CLASS when a new record is made
     */
    void SetClientSubnet(const DnsClientSubnet& subnet, uint16_t udpPayloadSize = 1232);
    /// \brief \return the OPT record, if any
    const DnsResourceRecord* GetOpt() const;

    /// \brief \return a one-line summary in the manner of dig ("id 4660 query rd: svc.example
    /// AAAA" or "id 4660 response NOERROR aa: svc.example AAAA -> fd61:6973::3 ttl 30")
    std::string ToString() const;
};

/// \brief \return the mnemonic of an RCODE ("NOERROR", "NXDOMAIN", ... or "RCODE7")
/// \ingroup aisfc
std::string DnsRcodeName(uint8_t rcode);
/// \brief \return the mnemonic of a TYPE ("AAAA", "A", "CNAME", ... or "TYPE99")
/// \ingroup aisfc
std::string DnsTypeName(uint16_t type);

} // namespace ns3

#endif // DNS_MESSAGE_H
