/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/pdp-match-kind.h"
#include "ns3/pdp-table.h"

#include <catch2/catch.hpp>
#include <random>
#include <stdexcept>

using namespace ns3;

namespace
{

PdpAction
Act(uint32_t id, std::vector<uint64_t> data = {})
{
    return PdpAction{id, std::move(data)};
}

/// The action id Find() returns for value, or -1 on a miss.
int64_t
FoundId(const PdpTable& t, uint64_t value)
{
    const PdpAction* a = t.Find(PdpTable::FromUint(value, t.GetKeyBits()));
    return a ? int64_t{a->id} : -1;
}

PdpKey
Ip(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    return PdpKey{a, b, c, d};
}

} // namespace

TEST_CASE("PDP match and memory kind names round trip", "[pdp-table]")
{
    for (PdpMatchKind k :
         {PdpMatchKind::EXACT, PdpMatchKind::LPM, PdpMatchKind::TERNARY, PdpMatchKind::RANGE})
    {
        CHECK(PdpParseMatchKind(PdpMatchKindName(k)) == k);
    }
    for (PdpMemoryKind k :
         {PdpMemoryKind::SRAM, PdpMemoryKind::TCAM, PdpMemoryKind::EXTERNAL, PdpMemoryKind::SERVER})
    {
        CHECK(PdpParseMemoryKind(PdpMemoryKindName(k)) == k);
    }
    CHECK(PdpMatchKindName(PdpMatchKind::EXACT) == "exact");
    CHECK(PdpMatchKindName(PdpMatchKind::LPM) == "lpm");
    CHECK(PdpMatchKindName(PdpMatchKind::TERNARY) == "ternary");
    CHECK(PdpMatchKindName(PdpMatchKind::RANGE) == "range");
    CHECK(PdpMemoryKindName(PdpMemoryKind::SRAM) == "sram");
    CHECK(PdpMemoryKindName(PdpMemoryKind::TCAM) == "tcam");
    CHECK(PdpMemoryKindName(PdpMemoryKind::EXTERNAL) == "external");
    CHECK(PdpMemoryKindName(PdpMemoryKind::SERVER) == "server");
    CHECK(PdpParseMatchKind("TeRnArY") == PdpMatchKind::TERNARY);
    CHECK(PdpParseMemoryKind("TCAM") == PdpMemoryKind::TCAM);
    CHECK_FALSE(PdpParseMatchKind("").has_value());
    CHECK_FALSE(PdpParseMatchKind("prefix").has_value());
    CHECK_FALSE(PdpParseMatchKind("exact ").has_value());
    CHECK_FALSE(PdpParseMemoryKind("dram").has_value());
}

TEST_CASE("PDP keys from integers are big-endian and checked", "[pdp-table]")
{
    CHECK(PdpTable::FromUint(0x0a000001, 32) == PdpKey{0x0a, 0x00, 0x00, 0x01});
    CHECK(PdpTable::FromUint(0xabc, 12) == PdpKey{0x0a, 0xbc});
    CHECK(PdpTable::FromUint(1, 1) == PdpKey{0x01});
    CHECK(PdpTable::FromUint(0x0102, 72) == PdpKey{0, 0, 0, 0, 0, 0, 0, 0x01, 0x02});
    CHECK(PdpTable::FromUint(~uint64_t{0}, 64) == PdpKey(8, 0xff));
    CHECK(PdpTable::ToUint(PdpKey{0x0a, 0xbc}) == 0xabc);
    CHECK(PdpTable::ToUint(PdpTable::FromUint(0x123456789, 40)) == 0x123456789);
    CHECK_THROWS_AS(PdpTable::FromUint(0x1000, 12), std::invalid_argument);
    CHECK_THROWS_AS(PdpTable::FromUint(0, 0), std::invalid_argument);
    CHECK_THROWS_AS(PdpTable::FromUint(0, 513), std::invalid_argument);
}

TEST_CASE("PDP table shapes outside the limits are refused", "[pdp-table]")
{
    CHECK_THROWS_AS(PdpTable("t", PdpMatchKind::EXACT, 0, 10), std::invalid_argument);
    CHECK_THROWS_AS(PdpTable("t", PdpMatchKind::EXACT, 513, 10), std::invalid_argument);
    CHECK_THROWS_AS(PdpTable("t", PdpMatchKind::RANGE, 65, 10), std::invalid_argument);
    CHECK_NOTHROW(PdpTable("t", PdpMatchKind::TERNARY, 512, 10));
    CHECK_NOTHROW(PdpTable("t", PdpMatchKind::RANGE, 64, 10));
    PdpTable t("t", PdpMatchKind::EXACT, 12, 10);
    CHECK(t.GetKeyBytes() == 2);
    CHECK(t.GetKeyBits() == 12);
    CHECK(t.GetName() == "t");
    CHECK(t.GetMatchKind() == PdpMatchKind::EXACT);
}

TEST_CASE("PDP exact table hits and misses with counters", "[pdp-table]")
{
    PdpTable t("dmac", PdpMatchKind::EXACT, 48, 100);
    CHECK(t.AddExact(PdpTable::FromUint(0x001122334455, 48), Act(1, {7})).empty());
    CHECK(t.AddExact(PdpTable::FromUint(0x001122334456, 48), Act(2, {8, 9})).empty());
    CHECK(t.Size() == 2);
    CHECK(t.Capacity() == 100);
    CHECK(t.TcamRows() == 0);

    const PdpAction* a = t.Lookup(PdpTable::FromUint(0x001122334456, 48));
    REQUIRE(a != nullptr);
    CHECK(*a == Act(2, {8, 9}));
    a = t.Lookup(PdpTable::FromUint(0x001122334455, 48));
    REQUIRE(a != nullptr);
    CHECK(*a == Act(1, {7}));
    CHECK(t.Lookup(PdpTable::FromUint(0x001122334457, 48)) == nullptr);
    CHECK(t.Hits() == 2);
    CHECK(t.Misses() == 1);

    // A miss runs the default action but still counts as a miss.
    t.SetDefaultAction(Act(99));
    REQUIRE(t.GetDefaultAction() != nullptr);
    a = t.Lookup(PdpTable::FromUint(0x001122334457, 48));
    REQUIRE(a != nullptr);
    CHECK(a->id == 99);
    CHECK(t.Misses() == 2);
    CHECK(t.Find(PdpTable::FromUint(0x001122334457, 48)) == nullptr);
    CHECK(t.Hits() == 2);
    CHECK(t.Misses() == 2); // Find does not count

    // A malformed key is a key-builder bug: no default action.
    CHECK(t.Lookup(PdpKey{1, 2, 3}) == nullptr);
    CHECK(t.Misses() == 3);

    CHECK(t.AddExact(PdpTable::FromUint(0x001122334455, 48), Act(3)) ==
          "table 'dmac': duplicate key 0x001122334455");
    CHECK(t.Size() == 2);

    CHECK(t.RemoveExact(PdpTable::FromUint(0x001122334455, 48)));
    CHECK_FALSE(t.RemoveExact(PdpTable::FromUint(0x001122334455, 48)));
    CHECK(t.Size() == 1);
    CHECK(t.Lookup(PdpTable::FromUint(0x001122334455, 48))->id == 99);

    t.ClearDefaultAction();
    CHECK(t.Lookup(PdpTable::FromUint(0x001122334455, 48)) == nullptr);
    t.ResetCounters();
    CHECK(t.Hits() == 0);
    CHECK(t.Misses() == 0);
    t.Clear();
    CHECK(t.Size() == 0);
    CHECK(t.Find(PdpTable::FromUint(0x001122334456, 48)) == nullptr);
}

TEST_CASE("PDP exact table with a thousand keys finds each", "[pdp-table]")
{
    PdpTable t("big", PdpMatchKind::EXACT, 104, 1000);
    std::mt19937_64 rng(7);
    std::vector<PdpKey> keys;
    for (uint32_t i = 0; i < 1000; ++i)
    {
        PdpKey k(13);
        for (auto& b : k)
        {
            b = static_cast<uint8_t>(rng());
        }
        k[12] = static_cast<uint8_t>(i); // low bytes make all keys distinct
        k[11] = static_cast<uint8_t>(i >> 8);
        keys.push_back(k);
        REQUIRE(t.AddExact(k, Act(i)).empty());
    }
    uint32_t wrong = 0;
    for (uint32_t i = 0; i < keys.size(); ++i)
    {
        const PdpAction* a = t.Lookup(keys[i]);
        wrong += !a || a->id != i;
    }
    CHECK(wrong == 0);
    CHECK(t.Hits() == 1000);
    CHECK(t.AddExact(PdpTable::FromUint(1, 104), Act(0)) == "table 'big' is full (1000 entries)");
}

TEST_CASE("PDP LPM table picks the longest prefix with a default route", "[pdp-table]")
{
    PdpTable t("ipv4_lpm", PdpMatchKind::LPM, 32, 100);
    CHECK(t.AddLpm(Ip(0, 0, 0, 0), 0, Act(1)).empty());
    CHECK(t.AddLpm(Ip(10, 0, 0, 0), 8, Act(2)).empty());
    CHECK(t.AddLpm(Ip(10, 1, 0, 0), 16, Act(3)).empty());
    // Host bits past the prefix are ignored.
    CHECK(t.AddLpm(Ip(10, 1, 2, 77), 24, Act(4)).empty());
    CHECK(t.AddLpm(Ip(10, 1, 2, 3), 32, Act(5)).empty());
    CHECK(t.AddLpm(Ip(192, 168, 0, 128), 25, Act(6)).empty());
    CHECK(t.Size() == 6);
    CHECK(t.TcamRows() == 6);

    CHECK(t.Lookup(Ip(10, 1, 2, 3))->id == 5);
    CHECK(t.Lookup(Ip(10, 1, 2, 4))->id == 4);
    CHECK(t.Lookup(Ip(10, 1, 3, 4))->id == 3);
    CHECK(t.Lookup(Ip(10, 2, 3, 4))->id == 2);
    CHECK(t.Lookup(Ip(11, 0, 0, 0))->id == 1);
    CHECK(t.Lookup(Ip(192, 168, 0, 200))->id == 6);
    CHECK(t.Lookup(Ip(192, 168, 0, 127))->id == 1);
    CHECK(t.Hits() == 7);
    CHECK(t.Misses() == 0);

    CHECK(t.AddLpm(Ip(10, 1, 2, 99), 24, Act(7)) ==
          "table 'ipv4_lpm': duplicate key 0x0a010200/24");
    CHECK(t.AddLpm(Ip(10, 0, 0, 0), 40, Act(7)) ==
          "table 'ipv4_lpm': prefix length 40 exceeds key width 32");

    // Without the default route an unmatched address misses.
    CHECK(t.RemoveLpm(Ip(1, 2, 3, 4), 0));
    CHECK_FALSE(t.RemoveLpm(Ip(0, 0, 0, 0), 0));
    CHECK(t.Lookup(Ip(11, 0, 0, 0)) == nullptr);
    CHECK(t.Misses() == 1);
    CHECK(t.RemoveLpm(Ip(10, 1, 2, 3), 32));
    CHECK(t.Lookup(Ip(10, 1, 2, 3))->id == 4);
    CHECK(t.Size() == 4);
    CHECK(t.TcamRows() == 4);
}

TEST_CASE("PDP LPM prefixes on a key width that is not a byte multiple", "[pdp-table]")
{
    // 12-bit keys live in the low 12 bits of two bytes; prefix bits count from bit 11 down.
    PdpTable t("odd", PdpMatchKind::LPM, 12, 10);
    CHECK(t.AddLpm(PdpTable::FromUint(0x800, 12), 1, Act(1)).empty());
    CHECK(t.AddLpm(PdpTable::FromUint(0xab0, 12), 8, Act(2)).empty());
    CHECK(t.AddLpm(PdpTable::FromUint(0xabc, 12), 12, Act(3)).empty());
    CHECK(FoundId(t, 0xabc) == 3);
    CHECK(FoundId(t, 0xabd) == 2);
    CHECK(FoundId(t, 0xa00) == 1);
    CHECK(FoundId(t, 0xfff) == 1);
    CHECK(FoundId(t, 0x7ff) == -1);
    CHECK(t.AddLpm(PdpKey{0x10, 0x00}, 4, Act(4)) ==
          "key 0x1000 has bits set above the 12-bit key width of table 'odd'");
}

TEST_CASE("PDP ternary table honours priority and mask", "[pdp-table]")
{
    PdpTable t("acl", PdpMatchKind::TERNARY, 16, 10);
    const PdpKey any{0x00, 0x00};
    // Catch-all at the lowest priority, inserted first.
    CHECK(t.AddTernary(any, any, 0, Act(1)).empty());
    // High byte 0x12, any low byte.
    CHECK(t.AddTernary(PdpKey{0x12, 0x34}, PdpKey{0xff, 0x00}, 10, Act(2)).empty());
    // Low nibble 0x5 whatever the rest, higher priority.
    CHECK(t.AddTernary(PdpKey{0x00, 0x05}, PdpKey{0x00, 0x0f}, 20, Act(3)).empty());
    // Same priority as the entry above, added later: loses ties.
    CHECK(t.AddTernary(PdpKey{0x12, 0x05}, PdpKey{0xff, 0xff}, 20, Act(4)).empty());
    CHECK(t.TcamRows() == 4);

    CHECK(FoundId(t, 0x1205) == 3); // matches 3, 4, 2, 1: 3 wins the tie by insertion order
    CHECK(FoundId(t, 0x12a0) == 2);
    CHECK(FoundId(t, 0x1200) == 2);
    CHECK(FoundId(t, 0x13f5) == 3);
    CHECK(FoundId(t, 0x1306) == 1);
    CHECK(FoundId(t, 0x0000) == 1);

    // Removing the tie winner exposes the later entry of the same priority.
    CHECK(t.RemoveTernary(PdpKey{0x00, 0x05}, PdpKey{0x00, 0x0f}, 20));
    CHECK(FoundId(t, 0x1205) == 4);
    CHECK(FoundId(t, 0x13f5) == 1);

    // A higher priority added last still wins.
    CHECK(t.AddTernary(PdpKey{0x12, 0x00}, PdpKey{0xf0, 0x00}, 30, Act(5)).empty());
    CHECK(FoundId(t, 0x1205) == 5);
    CHECK(FoundId(t, 0x1f00) == 5);
    CHECK(FoundId(t, 0x2000) == 1);

    // Identity is value/mask/priority; value bits outside the mask do not make a new entry.
    CHECK(t.AddTernary(PdpKey{0x12, 0x99}, PdpKey{0xff, 0x00}, 10, Act(6)) ==
          "table 'acl': duplicate key 0x1200 mask 0xff00 priority 10");
    CHECK(t.RemoveTernary(PdpKey{0x1f, 0xff}, PdpKey{0xf0, 0x00}, 30));
    CHECK(t.AddTernary(PdpKey{0x12, 0x99}, PdpKey{0xff, 0x00}, 11, Act(6)).empty());
    CHECK(FoundId(t, 0x1277) == 6);
    CHECK(t.AddTernary(PdpKey{0x12}, PdpKey{0xff, 0x00}, 1, Act(7)) ==
          "key of 8 bits given to table 'acl' with 16-bit keys");
    CHECK(t.AddTernary(PdpKey{0x12, 0x00}, PdpKey{0xff, 0x00, 0x00}, 1, Act(7)) ==
          "mask of 24 bits given to table 'acl' with 16-bit keys");
}

TEST_CASE("PDP ternary table on a wide key matches every byte", "[pdp-table]")
{
    // A 5-tuple-sized key (IPv6 src + dst + ports + proto = 296 bits).
    PdpTable t("acl6", PdpMatchKind::TERNARY, 296, 10);
    PdpKey value(37, 0);
    PdpKey mask(37, 0);
    value[0] = 0x20; // src 2000::/8
    mask[0] = 0xff;
    value[36] = 17; // UDP
    mask[36] = 0xff;
    CHECK(t.AddTernary(value, mask, 5, Act(1)).empty());
    PdpKey key(37, 0x55);
    key[0] = 0x20;
    key[36] = 17;
    CHECK(t.Lookup(key) != nullptr);
    key[36] = 6;
    CHECK(t.Lookup(key) == nullptr);
    key[36] = 17;
    key[0] = 0x21;
    CHECK(t.Lookup(key) == nullptr);
}

TEST_CASE("PDP range table matches lo and hi inclusive", "[pdp-table]")
{
    PdpTable t("ports", PdpMatchKind::RANGE, 16, 10);
    CHECK(t.AddRange(1000, 2000, 1, Act(1)).empty());
    CHECK(t.AddRange(1500, 1600, 5, Act(2)).empty());
    CHECK(t.AddRange(0, 65535, 0, Act(3)).empty());

    CHECK(FoundId(t, 999) == 3);
    CHECK(FoundId(t, 1000) == 1);
    CHECK(FoundId(t, 2000) == 1);
    CHECK(FoundId(t, 2001) == 3);
    CHECK(FoundId(t, 1499) == 1);
    CHECK(FoundId(t, 1500) == 2);
    CHECK(FoundId(t, 1600) == 2);
    CHECK(FoundId(t, 1601) == 1);
    CHECK(FoundId(t, 0) == 3);
    CHECK(FoundId(t, 65535) == 3);

    CHECK(t.RemoveRange(0, 65535, 0));
    CHECK(FoundId(t, 999) == -1);
    CHECK(FoundId(t, 2001) == -1);
    CHECK(t.Lookup(PdpTable::FromUint(1000, 16))->id == 1);
    CHECK(t.Lookup(PdpTable::FromUint(999, 16)) == nullptr);
    CHECK(t.Hits() == 1);
    CHECK(t.Misses() == 1);

    CHECK(t.AddRange(5, 3, 1, Act(4)) == "table 'ports': range lo > hi (5 > 3)");
    CHECK(t.AddRange(0, 65536, 1, Act(4)) ==
          "table 'ports': range hi 65536 exceeds the 16-bit key width");
    CHECK(t.AddRange(1000, 2000, 1, Act(4)) ==
          "table 'ports': duplicate range [1000, 2000] priority 1");
    CHECK(t.AddRange(1000, 2000, 2, Act(4)).empty());
    CHECK(FoundId(t, 1000) == 4);
}

TEST_CASE("PDP range table on 64-bit keys reaches the top value", "[pdp-table]")
{
    PdpTable t("wide", PdpMatchKind::RANGE, 64, 4);
    const uint64_t top = ~uint64_t{0};
    CHECK(t.AddRange(top - 1, top, 1, Act(1)).empty());
    CHECK(FoundId(t, top) == 1);
    CHECK(FoundId(t, top - 1) == 1);
    CHECK(FoundId(t, top - 2) == -1);
    CHECK(t.TcamRows() == 1);
    CHECK(t.AddRange(0, top, 0, Act(2)).empty());
    CHECK(t.TcamRows() == 2);
    CHECK(FoundId(t, 12345) == 2);
}

TEST_CASE("PDP range expansion counts prefixes as a TCAM stores them", "[pdp-table]")
{
    std::vector<std::pair<uint64_t, uint32_t>> p;
    // [1,1] [2,3] [4,7] [8,11] [12,13] [14,14]
    CHECK(PdpTable::RangeToPrefixes(1, 14, 4, &p) == 6);
    CHECK(p == std::vector<std::pair<uint64_t, uint32_t>>{{1, 4},
                                                          {2, 3},
                                                          {4, 2},
                                                          {8, 2},
                                                          {12, 3},
                                                          {14, 4}});
    CHECK(PdpTable::RangeToPrefixes(0, 15, 4) == 1);
    CHECK(PdpTable::RangeToPrefixes(7, 7, 4) == 1);
    CHECK(PdpTable::RangeToPrefixes(8, 15, 4) == 1);
    CHECK(PdpTable::RangeToPrefixes(7, 8, 4) == 2);
    // The worst case of a w-bit range is 2w - 2.
    CHECK(PdpTable::RangeToPrefixes(1, 65534, 16) == 30);
    CHECK(PdpTable::RangeToPrefixes(1, ~uint64_t{0} - 1, 64) == 126);
    CHECK(PdpTable::RangeToPrefixes(0, ~uint64_t{0}, 64) == 1);
    CHECK(PdpTable::RangeToPrefixes(1024, 65535, 16) == 6); // the unprivileged ports
    // Invalid input gives no prefixes.
    CHECK(PdpTable::RangeToPrefixes(5, 4, 4) == 0);
    CHECK(PdpTable::RangeToPrefixes(0, 16, 4) == 0);
    CHECK(PdpTable::RangeToPrefixes(0, 1, 0) == 0);
    CHECK(PdpTable::RangeToPrefixes(0, 1, 65) == 0);

    // TcamRows of a range table is the sum of the expansions.
    PdpTable t("r", PdpMatchKind::RANGE, 4, 10);
    CHECK(t.AddRange(1, 14, 0, Act(1)).empty());
    CHECK(t.AddRange(0, 15, 1, Act(2)).empty());
    CHECK(t.AddRange(7, 8, 2, Act(3)).empty());
    CHECK(t.Size() == 3);
    CHECK(t.TcamRows() == 9);
    CHECK(t.RemoveRange(1, 14, 0));
    CHECK(t.TcamRows() == 3);
    t.Clear();
    CHECK(t.TcamRows() == 0);
}

TEST_CASE("PDP range expansion covers exactly the range against brute force", "[pdp-table]")
{
    std::mt19937 rng(12345);
    for (int trial = 0; trial < 2000; ++trial)
    {
        const uint32_t bits = 1 + rng() % 10;
        const uint64_t n = uint64_t{1} << bits;
        uint64_t lo = rng() % n;
        uint64_t hi = rng() % n;
        if (lo > hi)
        {
            std::swap(lo, hi);
        }
        std::vector<std::pair<uint64_t, uint32_t>> p;
        const uint32_t count = PdpTable::RangeToPrefixes(lo, hi, bits, &p);
        REQUIRE(count == p.size());
        REQUIRE(count >= 1);
        REQUIRE(count <= (bits >= 2 ? 2 * bits - 2 : 1));
        std::vector<int> covered(n, 0);
        for (auto [value, length] : p)
        {
            REQUIRE(length <= bits);
            const uint64_t mask = ~((uint64_t{1} << (bits - length)) - 1) & (n - 1);
            REQUIRE((value & ~mask) == 0); // a prefix has no bits past its length
            for (uint64_t v = 0; v < n; ++v)
            {
                covered[v] += (v & mask) == value;
            }
        }
        uint64_t bad = 0;
        for (uint64_t v = 0; v < n; ++v)
        {
            bad += covered[v] != ((lo <= v && v <= hi) ? 1 : 0);
        }
        INFO("bits " << bits << " lo " << lo << " hi " << hi);
        REQUIRE(bad == 0);
    }
}

TEST_CASE("PDP table refuses entries with clear reasons", "[pdp-table]")
{
    PdpTable t("acl", PdpMatchKind::EXACT, 32, 2);
    CHECK(t.AddExact(PdpTable::FromUint(1, 24), Act(1)) ==
          "key of 24 bits given to table 'acl' with 32-bit keys");
    CHECK(t.AddTernary(PdpTable::FromUint(1, 32), PdpTable::FromUint(1, 32), 1, Act(1)) ==
          "table 'acl': entry kind ternary does not match table kind exact");
    CHECK(t.AddLpm(PdpTable::FromUint(1, 32), 8, Act(1)) ==
          "table 'acl': entry kind lpm does not match table kind exact");
    CHECK(t.AddRange(1, 2, 1, Act(1)) ==
          "table 'acl': entry kind range does not match table kind exact");
    CHECK(t.Size() == 0);
    CHECK(t.AddExact(PdpTable::FromUint(1, 32), Act(1)).empty());
    CHECK(t.AddExact(PdpTable::FromUint(2, 32), Act(2)).empty());
    CHECK(t.AddExact(PdpTable::FromUint(3, 32), Act(3)) == "table 'acl' is full (2 entries)");
    CHECK(t.Size() == 2);
    CHECK(FoundId(t, 3) == -1);
    // Room freed by a removal can be used again.
    CHECK(t.RemoveExact(PdpTable::FromUint(1, 32)));
    CHECK(t.AddExact(PdpTable::FromUint(3, 32), Act(3)).empty());
    CHECK(FoundId(t, 3) == 3);

    PdpTable r("ranges", PdpMatchKind::RANGE, 8, 1);
    CHECK(r.AddRange(0, 10, 0, Act(1)).empty());
    CHECK(r.AddRange(20, 30, 0, Act(1)) == "table 'ranges' is full (1 entries)");
    PdpTable l("lpm", PdpMatchKind::LPM, 32, 1);
    CHECK(l.AddLpm(Ip(10, 0, 0, 0), 8, Act(1)).empty());
    CHECK(l.AddLpm(Ip(11, 0, 0, 0), 8, Act(1)) == "table 'lpm' is full (1 entries)");
    PdpTable tern("tern", PdpMatchKind::TERNARY, 32, 1);
    CHECK(tern.AddTernary(Ip(1, 0, 0, 0), Ip(255, 0, 0, 0), 1, Act(1)).empty());
    CHECK(tern.AddTernary(Ip(2, 0, 0, 0), Ip(255, 0, 0, 0), 1, Act(1)) ==
          "table 'tern' is full (1 entries)");
}
