/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-units.h"

#include <catch2/catch.hpp>

using namespace ns3;
using Catch::Matchers::Contains;

TEST_CASE("data rates and durations parse with units and name the place on error", "[units]")
{
    CHECK(ParseDataRateBps("10Gbps", "x") == 10e9);
    CHECK(ParseDataRateBps("2.5 Mbps", "x") == 2.5e6);
    CHECK(ParseDataRateBps("100kb/s", "x") == 100e3);
    CHECK(ParseDataRateBps("1GB/s", "x") == 8e9);
    CHECK(ParseDataRateBps("1e9", "x") == 1e9);
    CHECK(ParseDurationSeconds("2ms", "x") == Approx(2e-3));
    CHECK(ParseDurationSeconds("40 ns", "x") == Approx(40e-9));
    CHECK(ParseDurationSeconds("0", "x") == 0);

    CHECK_THROWS_WITH(ParseDataRateBps("10 parsecs", "/links/3/rate"),
                      Contains("/links/3/rate") && Contains("unknown unit 'parsecs'"));
    CHECK_THROWS_WITH(ParseDataRateBps("fast", "rate"),
                      Contains("rate: 'fast' is not a data rate"));
    CHECK_THROWS_WITH(ParseDataRateBps("0Mbps", "rate"), Contains("must be positive"));
    CHECK_THROWS_WITH(ParseDurationSeconds("-1s", "stop"),
                      Contains("stop") && Contains("negative"));
    CHECK_THROWS_AS(ParseCount("12x", "k", 0, 100), AisfcInputError);
    CHECK_THROWS_WITH(ParseCount("101", "k", 0, 100), Contains("k: 101 is out of range [0, 100]"));
}

TEST_CASE("formatted rates and durations read back exactly", "[units]")
{
    for (double bps : {1e9, 2.5e9, 155e6, 1e3, 64e3, 20e3, 123.0, 0.5e9})
    {
        CHECK(ParseDataRateBps(FormatDataRate(bps), "x") == bps);
    }
    for (double s : {1e-3, 2.5e-6, 1.234567e-3, 40e-9, 1.0, 0.0})
    {
        CHECK(ParseDurationSeconds(FormatDuration(s), "x") == s);
    }
    CHECK(FormatDataRate(10e9) == "10Gbps");
    CHECK(FormatDuration(2e-3) == "2ms");
}

TEST_CASE("JSON syntax errors name the file, line and column", "[json]")
{
    std::string text = "{\n  \"a\": 1,\n  \"b\": [1, 2,, 3]\n}\n";
    CHECK_THROWS_WITH(ParseJsonText(text, "s.json"),
                      Contains("s.json:3:") && Contains("invalid JSON"));
    CHECK_THROWS_WITH(ReadJsonFile("/nonexistent/dir/x.json"),
                      Contains("/nonexistent/dir/x.json: no such file"));
}

TEST_CASE("JsonReader checks types and rejects unknown keys with the JSON path", "[json]")
{
    nlohmann::json doc = nlohmann::json::parse(
        R"({"traffic": [{"rate": "10Mbps", "size": 3}, {"ratee": 1}], "flag": "yes"})");
    JsonReader root(doc, "f.json");
    auto flows = root.GetObjectArray("traffic");
    REQUIRE(flows.size() == 2);
    CHECK(flows[0].GetRate("rate", 0) == 10e6);
    CHECK(flows[0].GetUnsigned("size", 0, 0, 10) == 3);
    CHECK_NOTHROW(flows[0].Finish());
    CHECK(flows[1].GetRate("rate", 5) == 5);
    CHECK_THROWS_WITH(flows[1].Finish(),
                      Contains("f.json: /traffic/1/ratee: unknown key") && Contains("rate"));
    CHECK_THROWS_WITH(root.GetBool("flag", false),
                      Contains("f.json: /flag: expected true or false, got \"yes\""));
    CHECK_THROWS_WITH(flows[0].GetUnsigned("size", 0, 5, 10),
                      Contains("/traffic/0/size: 3 is out of range"));
    CHECK_THROWS_WITH(flows[0].RequireString("src"),
                      Contains("/traffic/0/src: missing required string"));
}

TEST_CASE("input files: missing, directory and atomic writes", "[io]")
{
    CHECK_THROWS_WITH(ReadInputFile("/definitely/missing.graphml"),
                      Contains("/definitely/missing.graphml: no such file"));
    CHECK_THROWS_WITH(ReadInputFile("/tmp"), Contains("/tmp: not a regular file"));
    std::string path = "/tmp/aisfc-test-atomic.txt";
    WriteFileAtomically(path, "first");
    WriteFileAtomically(path, "second");
    CHECK(ReadInputFile(path) == "second");
    CHECK(PlaceAt("f", "ab\ncd\nef", 4) == "f:2:2");
}
