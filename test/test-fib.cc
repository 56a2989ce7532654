/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/aisfc-fib.h"

#include <catch2/catch.hpp>

using namespace ns3;

TEST_CASE("FIB longest-prefix match across prefix lengths", "[fib]")
{
    AisfcFib fib;
    fib.Insert(Ipv6Address("::"), 0, 1);
    fib.Insert(Ipv6Address("2001:db8::"), 32, 2);
    fib.Insert(Ipv6Address("2001:db8:0:5::"), 64, 3);
    fib.Insert(Ipv6Address("2001:db8:0:5::7"), 128, 4);
    // Host bits in an inserted prefix are ignored.
    fib.Insert(Ipv6Address("2001:db8:1:2:3:4:5:6"), 48, 5);

    CHECK(fib.Lookup(Ipv6Address("2001:db8:0:5::7")) == 4u);
    CHECK(fib.Lookup(Ipv6Address("2001:db8:0:5::8")) == 3u);
    CHECK(fib.Lookup(Ipv6Address("2001:db8:0:6::1")) == 2u);
    CHECK(fib.Lookup(Ipv6Address("2001:db8:1:ffff::1")) == 5u);
    CHECK(fib.Lookup(Ipv6Address("fe80::1")) == 1u);
    CHECK(fib.GetNRoutes() == 5);

    CHECK(fib.Remove(Ipv6Address("2001:db8:0:5::7"), 128));
    CHECK_FALSE(fib.Remove(Ipv6Address("2001:db8:0:5::7"), 128));
    CHECK(fib.Lookup(Ipv6Address("2001:db8:0:5::7")) == 3u);
    CHECK(fib.Remove(Ipv6Address("::"), 0));
    CHECK_FALSE(fib.Lookup(Ipv6Address("fe80::1")).has_value());

    fib.Insert(Ipv6Address("2001:db8:0:5::"), 64, 9); // replace
    CHECK(fib.Lookup(Ipv6Address("2001:db8:0:5::1")) == 9u);
    CHECK(fib.GetNRoutes() == 3);
    auto routes = fib.GetRoutes();
    REQUIRE(routes.size() == 3);
    CHECK(routes[0].length == 64);
    CHECK(routes[2].length == 32);
}

TEST_CASE("FIB odd prefix lengths mask the right bits", "[fib]")
{
    AisfcFib fib;
    fib.Insert(Ipv6Address("2001:db8:8000::"), 33, 1);
    fib.Insert(Ipv6Address("2001:db8::1:0:0:0:0"), 65, 2);
    CHECK(fib.Lookup(Ipv6Address("2001:db8:8000::1")) == 1u);
    CHECK_FALSE(fib.Lookup(Ipv6Address("2001:db8:7fff::1")).has_value());
    CHECK(fib.Lookup(Ipv6Address("2001:db8:0:1:7fff::")) == 2u);
    CHECK_FALSE(fib.Lookup(Ipv6Address("2001:db8:0:1:8000::")).has_value());
}

TEST_CASE("FIB with a hundred thousand routes answers every lookup exactly", "[fib]")
{
    AisfcFib fib;
    fib.Reserve(64, 100000);
    auto prefix = [](uint32_t i) {
        uint8_t b[16] = {0x20, 0x01, 0x0d, 0xb8};
        b[4] = i >> 24;
        b[5] = i >> 16;
        b[6] = i >> 8;
        b[7] = i;
        b[15] = 1;
        return Ipv6Address(b);
    };
    for (uint32_t i = 0; i < 100000; ++i)
    {
        fib.Insert(prefix(i), 64, i % 97);
    }
    CHECK(fib.GetNRoutes() == 100000);
    CHECK(fib.GetMemoryBytes() > 100000 * 24);
    uint32_t wrong = 0;
    for (uint32_t i = 0; i < 100000; ++i)
    {
        wrong += fib.Lookup(prefix(i)) != std::optional<uint32_t>(i % 97);
    }
    CHECK(wrong == 0);
    CHECK_FALSE(fib.Lookup(prefix(100000)).has_value());
}
