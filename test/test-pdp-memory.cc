/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The one memory accountant: exact block counts for known tables, stage spanning, refusals that
// name the host, object and shortfall and change nothing, and release.

#include "ns3/pdp-latency-stats.h"
#include "ns3/pdp-memory-accountant.h"

#include <catch2/catch.hpp>

using namespace ns3;

namespace
{
PdpTableShape
Shape(const std::string& name, PdpMatchKind match, uint32_t key, uint32_t action, uint64_t n)
{
    return PdpTableShape{name, match, key, action, n};
}
} // namespace

TEST_CASE("PDP block counts of known tables", "[pdp-memory]")
{
    PdpMemoryBudget b; // Tofino-like: TCAM 44 x 512, SRAM 128 x 1024
    // A 104-bit ACL of 2048 rows: 3 blocks wide, 4 deep.
    CHECK(PdpMemoryAccountant::TcamBlocks(b, 104, 2048) == 12);
    CHECK(PdpMemoryAccountant::TcamBlocks(b, 44, 512) == 1);
    CHECK(PdpMemoryAccountant::TcamBlocks(b, 45, 513) == 4);
    // Exact tables store key and action in SRAM words of 128 bits.
    CHECK(PdpMemoryAccountant::SramBlocks(b, 96 + 32, 10000) == 10);
    CHECK(PdpMemoryAccountant::SramBlocks(b, 100 + 32, 10000) == 20);
    CHECK(PdpMemoryAccountant::TableBytes(Shape("t", PdpMatchKind::EXACT, 100, 32, 1000)) == 17000);
    CHECK(b.SramBlockBytes() == 16384);
}

TEST_CASE("PDP tables fill stages first-fit and may span stages", "[pdp-memory]")
{
    PdpMemoryAccountant m("s1", PdpMemoryBudget());
    CHECK(m.Capacity(PdpMemoryKind::TCAM) == 288);
    CHECK(m.Capacity(PdpMemoryKind::SRAM) == 960);
    PdpReserveResult a = m.ReserveTable(Shape("a", PdpMatchKind::TERNARY, 88, 8, 5120),
                                        PdpMemoryKind::TCAM); // 2 x 10 = 20 blocks
    REQUIRE(a.ok);
    CHECK(a.reservation.blocks == 20);
    CHECK(a.reservation.stageBlocks == std::map<uint32_t, uint64_t>{{0, 20}});
    PdpReserveResult b = m.ReserveTable(Shape("b", PdpMatchKind::RANGE, 44, 8, 5120),
                                        PdpMemoryKind::TCAM); // 10 blocks: 4 + 6
    REQUIRE(b.ok);
    CHECK(b.reservation.stageBlocks == std::map<uint32_t, uint64_t>{{0, 4}, {1, 6}});
    CHECK(m.Used(PdpMemoryKind::TCAM) == 30);
    CHECK(m.FreeBlocksPerStage(PdpMemoryKind::TCAM)[0] == 0);
    CHECK(m.FreeBlocksPerStage(PdpMemoryKind::TCAM)[1] == 18);
    CHECK(m.UsedBytes(PdpMemoryKind::TCAM) == 30 * 44 * 512 / 8);
    REQUIRE(m.Release("a"));
    CHECK(m.Used(PdpMemoryKind::TCAM) == 10);
    CHECK(m.FreeBlocksPerStage(PdpMemoryKind::TCAM)[0] == 20);
    CHECK_FALSE(m.Release("a"));
}

TEST_CASE("PDP reservations beyond capacity are refused with the shortfall", "[pdp-memory]")
{
    PdpMemoryBudget budget;
    budget.externalBytes = 1 << 20;
    PdpMemoryAccountant m("s7", budget);
    REQUIRE(
        m.ReserveTable(Shape("big", PdpMatchKind::TERNARY, 44, 8, 280 * 512), PdpMemoryKind::TCAM)
            .ok);
    PdpReserveResult r =
        m.ReserveTable(Shape("acl", PdpMatchKind::TERNARY, 104, 8, 2048), PdpMemoryKind::TCAM);
    CHECK_FALSE(r.ok);
    CHECK(r.reason ==
          "s7: table 'acl' (ternary, 2048 entries of 104-bit keys) needs 12 TCAM blocks, 8 free "
          "of 288");
    CHECK(m.Used(PdpMemoryKind::TCAM) == 280);
    CHECK(m.Find("acl") == nullptr);

    PdpReserveResult e = m.ReserveBytes("state", (1 << 20) + 1, PdpMemoryKind::EXTERNAL);
    CHECK_FALSE(e.ok);
    CHECK(e.reason == "s7: 'state' (1048577 bytes) needs 1048577 bytes of external memory, "
                      "1048576 free of 1048576");
    CHECK(m.WouldRefuse(1 << 20, PdpMemoryKind::EXTERNAL).empty());
    CHECK(m.WouldRefuse(1, PdpMemoryKind::SERVER) ==
          "s7: 1 bytes needs 1 bytes of server memory, 0 free of 0");
    CHECK(m.ReserveBytes("state", 1 << 20, PdpMemoryKind::EXTERNAL).ok);
    CHECK(m.ReserveBytes("state", 1, PdpMemoryKind::SRAM).reason ==
          "s7: 'state' (1 bytes): the name is already reserved");
}

TEST_CASE("PDP match kinds go to the memories that can hold them", "[pdp-memory]")
{
    PdpMemoryBudget budget;
    budget.externalBytes = 1 << 30;
    PdpMemoryAccountant m("s2", budget);
    CHECK(
        m.ReserveTable(Shape("t", PdpMatchKind::TERNARY, 32, 8, 10), PdpMemoryKind::SRAM).reason ==
        "s2: table 't' (ternary, 10 entries of 32-bit keys) needs TCAM, not sram");
    CHECK(m.ReserveTable(Shape("r", PdpMatchKind::RANGE, 32, 8, 10), PdpMemoryKind::EXTERNAL)
              .reason ==
          "s2: table 'r' (range, 10 entries of 32-bit keys) needs TCAM, not external");
    CHECK(m.ReserveTable(Shape("e", PdpMatchKind::EXACT, 32, 8, 10), PdpMemoryKind::TCAM).reason ==
          "s2: table 'e' (exact, 10 entries of 32-bit keys) is exact-match: it belongs in SRAM, "
          "not TCAM");
    CHECK(m.ReserveTable(Shape("l", PdpMatchKind::LPM, 32, 8, 10), PdpMemoryKind::SRAM).ok);
    CHECK(m.ReserveTable(Shape("l2", PdpMatchKind::LPM, 32, 8, 10), PdpMemoryKind::TCAM).ok);
    PdpReserveResult x =
        m.ReserveTable(Shape("x", PdpMatchKind::EXACT, 104, 24, 1000), PdpMemoryKind::EXTERNAL);
    REQUIRE(x.ok);
    CHECK(x.reservation.bytes == 16000);
    CHECK(m.Used(PdpMemoryKind::EXTERNAL) == 16000);
    CHECK(m.ReserveBytes("s", 1, PdpMemoryKind::TCAM).reason ==
          "s2: 's' (1 bytes): opaque state cannot live in TCAM");
    // Opaque state on chip takes whole SRAM blocks.
    PdpReserveResult st = m.ReserveBytes("state", 16385, PdpMemoryKind::SRAM);
    REQUIRE(st.ok);
    CHECK(st.reservation.blocks == 2);
}

TEST_CASE("PDP latency statistics give mean and quantiles", "[pdp-memory]")
{
    PdpLatencyStats s;
    CHECK(s.Quantile(0.99) == 0);
    for (int i = 1; i <= 100; ++i)
    {
        s.Add(i * 1e-6);
    }
    CHECK(s.Count() == 100);
    CHECK(s.Mean() == Approx(50.5e-6));
    CHECK(s.Min() == Approx(1e-6));
    CHECK(s.Max() == Approx(100e-6));
    // Quantiles are within one 1% bin of the exact ones, never beyond the extremes.
    CHECK(s.Quantile(0.99) == Approx(99e-6).epsilon(0.01));
    CHECK(s.Quantile(0.5) == Approx(50e-6).epsilon(0.01));
    CHECK(s.Quantile(0.0) == Approx(1e-6).epsilon(0.01));
    PdpLatencyStats zero;
    zero.Add(0);
    zero.Add(0);
    CHECK(zero.Quantile(0.99) == 0);
    PdpLatencyStats constant;
    for (int i = 0; i < 10; ++i)
    {
        constant.Add(3.83e-6);
    }
    CHECK(constant.Quantile(0.99) == Approx(3.83e-6)); // clamped to the only value
    s.Add(5e3);                                        // beyond the histogram
    CHECK(s.Quantile(1.0) == Approx(5e3));
}
