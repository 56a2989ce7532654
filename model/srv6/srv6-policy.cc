/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "srv6-policy.h"

#include <algorithm>
#include <cctype>
#include <numeric>

namespace ns3
{

std::string
Srv6HeadendModeName(Srv6HeadendMode mode)
{
    switch (mode)
    {
    case Srv6HeadendMode::ENCAPS:
        return "H.Encaps";
    case Srv6HeadendMode::ENCAPS_RED:
        return "H.Encaps.Red";
    case Srv6HeadendMode::INSERT:
        return "H.Insert";
    }
    return "?";
}

std::optional<Srv6HeadendMode>
Srv6ParseHeadendMode(const std::string& name)
{
    std::string n;
    for (char c : name)
    {
        n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (n.rfind("h.", 0) == 0)
    {
        n = n.substr(2);
    }
    if (n == "encaps")
    {
        return Srv6HeadendMode::ENCAPS;
    }
    if (n == "encaps.red")
    {
        return Srv6HeadendMode::ENCAPS_RED;
    }
    if (n == "insert")
    {
        return Srv6HeadendMode::INSERT;
    }
    return std::nullopt;
}

size_t
Srv6Policy::Select(uint64_t flowHash) const
{
    uint64_t total = 0;
    for (const auto& l : lists)
    {
        total += l.weight;
    }
    if (total == 0)
    {
        return flowHash % lists.size();
    }
    uint64_t point = flowHash % total;
    for (size_t i = 0; i < lists.size(); ++i)
    {
        if (point < lists[i].weight)
        {
            return i;
        }
        point -= lists[i].weight;
    }
    return lists.size() - 1;
}

bool
Srv6InPrefix(const Ipv6Address& a, const Ipv6Address& prefix, uint8_t length)
{
    uint8_t x[16];
    uint8_t p[16];
    a.GetBytes(x);
    prefix.GetBytes(p);
    for (uint8_t bit = 0; bit < length; bit += 8)
    {
        uint8_t bits = std::min<uint8_t>(8, length - bit);
        uint8_t mask = static_cast<uint8_t>(0xff << (8 - bits));
        if ((x[bit / 8] & mask) != (p[bit / 8] & mask))
        {
            return false;
        }
    }
    return true;
}

bool
Srv6FlowMatch::Matches(const Srv6FlowKey& key) const
{
    return Srv6InPrefix(key.source, sourcePrefix, sourceLength) &&
           Srv6InPrefix(key.destination, destinationPrefix, destinationLength) &&
           (!protocol || *protocol == key.protocol) &&
           (!sourcePort || *sourcePort == key.sourcePort) &&
           (!destinationPort || *destinationPort == key.destinationPort);
}

bool
Srv6FlowMatch::MayMatchDestination(const Ipv6Address& destination) const
{
    return Srv6InPrefix(destination, destinationPrefix, destinationLength);
}

} // namespace ns3
