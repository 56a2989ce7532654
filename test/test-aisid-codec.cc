/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The AISID codec: the paper's example, round trips of random fields in random layouts, the
// bytes of the address, matching, and every invalid input named by its field.

#include "ns3/aisfc-error.h"
#include "ns3/aisid-codec.h"

#include <catch2/catch.hpp>
#include <random>

using namespace ns3;
using Catch::Matchers::Contains;

TEST_CASE("AISID codec encodes and decodes the paper's example", "[aisid]")
{
    AisidCodec codec;
    AisidFields f;
    f.prefix = AisidCodec::ParsePrefix("2001:db8:abcd:12::/64", "prefix");
    f.object = 1;
    f.function = 2;
    f.method = 1;
    f.performance = 5000;
    AisidBytes a = codec.Encode(f);
    CHECK(AisidCodec::FormatAddress(a) == "2001:db8:abcd:12:1:2:1:1388");
    // The bytes: prefix, then Object, Function, Method, Performance as 16-bit big-endian words.
    CHECK(a == AisidBytes{0x20,
                          0x01,
                          0x0d,
                          0xb8,
                          0xab,
                          0xcd,
                          0x00,
                          0x12,
                          0x00,
                          0x01,
                          0x00,
                          0x02,
                          0x00,
                          0x01,
                          0x13,
                          0x88});
    AisidFields back = codec.Decode(AisidCodec::ParseAddress("2001:db8:abcd:12:1:2:1:1388", "a"));
    CHECK(back == f);
    CHECK(AisidCodec::FormatPrefix(back.prefix) == "2001:db8:abcd:12::/64");
    CHECK(AisidCodec::HasPrefix(a, f.prefix));
    CHECK_FALSE(AisidCodec::HasPrefix(a, f.prefix + 1));
}

TEST_CASE("AISID round trips random fields in random layouts", "[aisid]")
{
    std::mt19937_64 rng(42);
    for (int i = 0; i < 2000; ++i)
    {
        // Four widths of 1..61 bits summing to 64.
        AisidLayout l;
        uint32_t left = 64;
        uint32_t w[4];
        for (int k = 0; k < 3; ++k)
        {
            uint32_t room = left - (3 - k); // leave one bit for each later field
            w[k] = 1 + rng() % std::min<uint32_t>(room, 61);
            left -= w[k];
        }
        if (left > 61)
        {
            continue;
        }
        w[3] = left;
        l = AisidLayout{w[0], w[1], w[2], w[3]};
        AisidCodec codec(l);
        auto field = [&](uint32_t bits) {
            return bits >= 64 ? rng() : rng() & ((uint64_t(1) << bits) - 1);
        };
        AisidFields f{rng(), field(w[0]), field(w[1]), field(w[2]), field(w[3])};
        AisidBytes a = codec.Encode(f);
        REQUIRE(codec.Decode(a) == f);
        REQUIRE(AisidCodec::ParseAddress(AisidCodec::FormatAddress(a), "a") == a);
    }
}

TEST_CASE("AISID matching needs equal types and enough performance", "[aisid]")
{
    AisidFields instance{7, 1, 2, 1, 5000};
    AisidFields request = instance;
    request.performance = 4000;
    CHECK(AisidCodec::Matches(request, instance));
    request.performance = 5000;
    CHECK(AisidCodec::Matches(request, instance));
    request.performance = 5001;
    CHECK_FALSE(AisidCodec::Matches(request, instance));
    for (uint64_t AisidFields::*field :
         {&AisidFields::prefix, &AisidFields::object, &AisidFields::function, &AisidFields::method})
    {
        AisidFields other = instance;
        other.*field += 1;
        other.performance = 1;
        CHECK_FALSE(AisidCodec::Matches(other, instance));
    }
}

TEST_CASE("AISID invalid input names the field", "[aisid]")
{
    AisidCodec codec;
    AisidFields f{0, 1, 2, 1, 5000};
    f.object = 65536;
    CHECK_THROWS_WITH(codec.Encode(f), "object: 65536 does not fit in 16 bits (at most 65535)");
    f.object = 1;
    f.performance = 1 << 16;
    CHECK_THROWS_WITH(codec.Encode(f), Contains("performance: 65536 does not fit in 16 bits"));
    CHECK_THROWS_WITH(AisidCodec::ParseField("12a", 16, "--method"),
                      Contains("--method: '12a' is not a whole number"));
    CHECK_THROWS_WITH(AisidCodec::ParseField("", 16, "--method"),
                      Contains("--method: '' is not a whole number"));
    CHECK_THROWS_WITH(AisidCodec::ParseField("99999999999999999999", 64, "x"),
                      Contains("of at most 64 bits"));
    CHECK(AisidCodec::ParseField("0xffff", 16, "x") == 65535);
    CHECK_THROWS_WITH(AisidCodec::ParseField("0x10000", 16, "x"), Contains("does not fit"));
    CHECK_THROWS_WITH(AisidCodec::ParsePrefix("2001:db8::/48", "--prefix"),
                      "--prefix: an AISID prefix is a /64, got '/48'");
    CHECK_THROWS_WITH(AisidCodec::ParsePrefix("2001:db8::1:0:0:0", "--prefix"),
                      Contains("--prefix: '2001:db8::1:0:0:0' has bits set beyond the 64-bit"));
    CHECK_THROWS_WITH(AisidCodec::ParseAddress("1.2.3.4", "ADDR"),
                      "ADDR: '1.2.3.4' is not an IPv6 address");
    CHECK_THROWS_WITH(AisidCodec::ParseAddress("", "ADDR"), "ADDR: '' is not an IPv6 address");
    CHECK_THROWS_WITH(AisidLayout::Parse("16,16,16", "--layout"),
                      Contains("--layout: expected four widths"));
    CHECK_THROWS_WITH(AisidLayout::Parse("0,16,16,32", "--layout"),
                      Contains("--layout: every field needs 1 to 61 bits, got 0"));
    CHECK_THROWS_WITH(AisidCodec(AisidLayout{16, 16, 16, 17}),
                      Contains("layout: the four field widths must sum to 64 bits, got 65"));
    CHECK(AisidLayout::Parse("8,8,40,8", "l").methodBits == 40);
}
