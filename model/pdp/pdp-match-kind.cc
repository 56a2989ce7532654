/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pdp-match-kind.h"

#include <cctype>

namespace ns3
{

namespace
{

std::string
Lower(const std::string& s)
{
    std::string out(s);
    for (char& c : out)
    {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

} // namespace

std::string
PdpMatchKindName(PdpMatchKind kind)
{
    switch (kind)
    {
    case PdpMatchKind::EXACT:
        return "exact";
    case PdpMatchKind::LPM:
        return "lpm";
    case PdpMatchKind::TERNARY:
        return "ternary";
    case PdpMatchKind::RANGE:
        return "range";
    }
    // Only reachable through a cast of an out-of-range integer; say so rather than guess.
    return "unknown";
}

std::optional<PdpMatchKind>
PdpParseMatchKind(const std::string& name)
{
    const std::string n = Lower(name);
    for (PdpMatchKind k :
         {PdpMatchKind::EXACT, PdpMatchKind::LPM, PdpMatchKind::TERNARY, PdpMatchKind::RANGE})
    {
        if (n == PdpMatchKindName(k))
        {
            return k;
        }
    }
    return std::nullopt;
}

std::string
PdpMemoryKindName(PdpMemoryKind kind)
{
    switch (kind)
    {
    case PdpMemoryKind::SRAM:
        return "sram";
    case PdpMemoryKind::TCAM:
        return "tcam";
    case PdpMemoryKind::EXTERNAL:
        return "external";
    case PdpMemoryKind::SERVER:
        return "server";
    }
    return "unknown";
}

std::optional<PdpMemoryKind>
PdpParseMemoryKind(const std::string& name)
{
    const std::string n = Lower(name);
    for (PdpMemoryKind k :
         {PdpMemoryKind::SRAM, PdpMemoryKind::TCAM, PdpMemoryKind::EXTERNAL, PdpMemoryKind::SERVER})
    {
        if (n == PdpMemoryKindName(k))
        {
            return k;
        }
    }
    return std::nullopt;
}

} // namespace ns3
