/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-fib.h"

#include <algorithm>
#include <stdexcept>

namespace ns3
{

size_t
AisfcFib::KeyHash::operator()(const Key& k) const
{
    // splitmix64 finaliser over both halves: cheap, and spreads the link index bits of
    // aisfc's addressing plan over the whole word.
    uint64_t x = k.hi * 0x9e3779b97f4a7c15ULL ^ k.lo;
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return static_cast<size_t>(x);
}

AisfcFib::Key
AisfcFib::ToKey(const Ipv6Address& a)
{
    uint8_t b[16];
    a.GetBytes(b);
    Key k{0, 0};
    for (int i = 0; i < 8; ++i)
    {
        k.hi = (k.hi << 8) | b[i];
        k.lo = (k.lo << 8) | b[8 + i];
    }
    return k;
}

AisfcFib::Key
AisfcFib::Mask(const Key& k, const Key& mask)
{
    return {k.hi & mask.hi, k.lo & mask.lo};
}

AisfcFib::Table&
AisfcFib::TableFor(uint8_t length)
{
    if (length > 128)
    {
        throw std::invalid_argument("AisfcFib: prefix length above 128");
    }
    auto it = std::find_if(m_tables.begin(), m_tables.end(), [length](const Table& t) {
        return t.length <= length;
    });
    if (it != m_tables.end() && it->length == length)
    {
        return *it;
    }
    Table t;
    t.length = length;
    t.mask.hi = length == 0 ? 0 : length >= 64 ? ~0ULL : ~0ULL << (64 - length);
    t.mask.lo = length <= 64 ? 0 : length == 128 ? ~0ULL : ~0ULL << (128 - length);
    return *m_tables.insert(it, std::move(t));
}

void
AisfcFib::Insert(const Ipv6Address& prefix, uint8_t length, NextHopId nextHop)
{
    Table& t = TableFor(length);
    t.routes[Mask(ToKey(prefix), t.mask)] = nextHop;
}

bool
AisfcFib::Remove(const Ipv6Address& prefix, uint8_t length)
{
    for (auto it = m_tables.begin(); it != m_tables.end(); ++it)
    {
        if (it->length == length)
        {
            bool removed = it->routes.erase(Mask(ToKey(prefix), it->mask)) > 0;
            if (it->routes.empty())
            {
                m_tables.erase(it);
            }
            return removed;
        }
    }
    return false;
}

std::optional<AisfcFib::NextHopId>
AisfcFib::Lookup(const Ipv6Address& dst) const
{
    Key k = ToKey(dst);
    for (const Table& t : m_tables)
    {
        auto it = t.routes.find(Mask(k, t.mask));
        if (it != t.routes.end())
        {
            return it->second;
        }
    }
    return std::nullopt;
}

void
AisfcFib::Reserve(uint8_t length, size_t n)
{
    TableFor(length).routes.reserve(n);
}

size_t
AisfcFib::GetNRoutes() const
{
    size_t n = 0;
    for (const Table& t : m_tables)
    {
        n += t.routes.size();
    }
    return n;
}

size_t
AisfcFib::GetMemoryBytes() const
{
    // libstdc++ node: next pointer + key + value + cached hash; plus one bucket pointer each.
    const size_t NODE = sizeof(void*) + sizeof(Key) + sizeof(NextHopId) + 4 + sizeof(size_t);
    size_t bytes = m_tables.capacity() * sizeof(Table);
    for (const Table& t : m_tables)
    {
        bytes += t.routes.size() * NODE + t.routes.bucket_count() * sizeof(void*);
    }
    return bytes;
}

std::vector<AisfcFib::Route>
AisfcFib::GetRoutes() const
{
    std::vector<Route> out;
    for (const Table& t : m_tables)
    {
        std::vector<std::pair<Key, NextHopId>> sorted(t.routes.begin(), t.routes.end());
        std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
            return a.first.hi != b.first.hi ? a.first.hi < b.first.hi : a.first.lo < b.first.lo;
        });
        for (const auto& [key, nh] : sorted)
        {
            uint8_t bytes[16];
            for (int i = 0; i < 8; ++i)
            {
                bytes[i] = key.hi >> (56 - 8 * i);
                bytes[8 + i] = key.lo >> (56 - 8 * i);
            }
            out.push_back({Ipv6Address(bytes), t.length, nh});
        }
    }
    return out;
}

} // namespace ns3
