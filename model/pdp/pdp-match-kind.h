/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PDP_MATCH_KIND_H
#define PDP_MATCH_KIND_H

#include <cstdint>
#include <optional>
#include <string>

namespace ns3
{

/// \ingroup aisfc How a PDP table matches its key; decides the memory it may live in (exact in
/// SRAM by hashing, ternary and range in TCAM, LPM in either).
enum class PdpMatchKind : uint8_t
{
    EXACT,
    LPM,
    TERNARY,
    RANGE,
};

/// \ingroup aisfc Where a PDP object lives.
enum class PdpMemoryKind : uint8_t
{
    SRAM,     //!< switch-local SRAM, counted in blocks per stage
    TCAM,     //!< switch-local TCAM, counted in blocks per stage
    EXTERNAL, //!< DRAM of memory servers reached over RDMA, counted in bytes
    SERVER,   //!< a server's memory (a VM), counted in bytes
};

/// \ingroup aisfc \brief \return "exact", "lpm", "ternary" or "range"
std::string PdpMatchKindName(PdpMatchKind kind);
/// \ingroup aisfc \brief \return the kind with this name, if any
std::optional<PdpMatchKind> PdpParseMatchKind(const std::string& name);
/// \ingroup aisfc \brief \return "sram", "tcam", "external" or "server"
std::string PdpMemoryKindName(PdpMemoryKind kind);
/// \ingroup aisfc \brief \return the memory with this name, if any
std::optional<PdpMemoryKind> PdpParseMemoryKind(const std::string& name);

} // namespace ns3

#endif
