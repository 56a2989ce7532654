/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef SRV6_POLICY_H
#define SRV6_POLICY_H

#include "srv6-packet.h"

#include "ns3/ipv6-address.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * How a headend puts a segment list on a packet (RFC 8986 §5).
 */
enum class Srv6HeadendMode
{
    ENCAPS,     //!< H.Encaps: outer IPv6 header + SRH holding every segment
    ENCAPS_RED, //!< H.Encaps.Red: the first segment only in the outer destination
    INSERT,     //!< H.Insert: SRH inserted after the original header, original DA last
};

/// \ingroup aisfc \brief \return "H.Encaps", "H.Encaps.Red" or "H.Insert"
std::string Srv6HeadendModeName(Srv6HeadendMode mode);
/// \ingroup aisfc \brief \return the mode named "encaps", "encaps.red" or "insert" (any case,
/// with or without the "H." prefix), if the name is one
std::optional<Srv6HeadendMode> Srv6ParseHeadendMode(const std::string& name);

/**
 * \ingroup aisfc
 * One candidate path of a policy.
 */
struct Srv6SegmentList
{
    std::vector<Ipv6Address> path; //!< segments in visiting order
    uint32_t weight = 1;           //!< share of flows (weighted per-flow hashing)
};

/**
 * \ingroup aisfc
 * An SR policy: candidate segment lists and how to apply them.  Flows are spread over the lists
 * by weight with a per-flow hash, so a flow keeps its list until the policy changes.
 */
struct Srv6Policy
{
    std::string name;                               //!< unique at the headend
    Srv6HeadendMode mode = Srv6HeadendMode::ENCAPS; //!< how the list is applied
    std::vector<Srv6SegmentList> lists;             //!< candidates
    std::optional<uint32_t> hmacKeyId;              //!< sign the SRH with this key when set
    std::vector<uint64_t> packetsPerList;           //!< packets steered into each list

    /// \brief \return the index of the list a flow with this hash takes (lists must not be empty)
    size_t Select(uint64_t flowHash) const;
};

/**
 * \ingroup aisfc
 * A 5-tuple classifier rule; a zero prefix length, or an unset field, matches anything.
 */
struct Srv6FlowMatch
{
    Ipv6Address sourcePrefix;                //!< source prefix
    uint8_t sourceLength = 0;                //!< its length
    Ipv6Address destinationPrefix;           //!< destination prefix
    uint8_t destinationLength = 0;           //!< its length
    std::optional<uint8_t> protocol;         //!< upper-layer protocol
    std::optional<uint16_t> sourcePort;      //!< TCP/UDP source port
    std::optional<uint16_t> destinationPort; //!< TCP/UDP destination port

    /// \brief \return whether a packet with this key matches
    bool Matches(const Srv6FlowKey& key) const;
    /// \brief \return whether some packet to `destination` could match
    bool MayMatchDestination(const Ipv6Address& destination) const;
};

/// \ingroup aisfc \brief \return whether `a` lies in prefix/length
bool Srv6InPrefix(const Ipv6Address& a, const Ipv6Address& prefix, uint8_t length);

} // namespace ns3

#endif // SRV6_POLICY_H
