/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The scenario's pdp section: bad input named by its JSON place before anything runs, and a
// run on the SR-EM fat-tree in which a function in external memory migrates to a server while
// traffic flows through it, with nothing lost and every reconfiguration recorded.

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-scenario-runner.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace ns3;
using Catch::Matchers::Contains;

namespace
{
std::string
ReadFile(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The sample scenario users start from, kept working by these tests: server0 (edge0) ->
// server11 (edge3); edge3 hosts the function in its external memory, then the function moves
// to server9, a VM behind edge3.
const std::string SCENARIO =
    ReadFile(std::string(AISFC_SOURCE_DIR) + "/scenarios/pdp-migration.json");

std::string
With(const std::string& from, const std::string& to)
{
    std::string s = SCENARIO;
    REQUIRE(s.find(from) != std::string::npos);
    s.replace(s.find(from), from.size(), to);
    return s;
}

std::string
TempDir(const std::string& name)
{
    std::string dir = "/tmp/aisfc-test-" + name;
    std::filesystem::remove_all(dir);
    return dir;
}

} // namespace

TEST_CASE("pdp section validation names the JSON place of bad input", "[pdp-scenario]")
{
    auto parse = [](const std::string& text) {
        return ParseScenario(ParseJsonText(text, "p.json"), "p.json");
    };
    CHECK_NOTHROW(parse(SCENARIO));
    CHECK_THROWS_WITH(parse(With("\"memory\": \"external\"", "\"memory\": \"flash\"")),
                      Contains("p.json: /pdp/functions/0/memory: unknown memory 'flash'"));
    CHECK_THROWS_WITH(parse(With("\"type\": \"small-lb\"", "\"type\": \"dpi\"")),
                      Contains("/pdp/functions/0/type: unknown function type 'dpi'"));
    CHECK_THROWS_WITH(parse(With("\"16GiB\"", "\"16 GiB of RAM\"")),
                      Contains("/pdp/server_memory:"));
    CHECK_THROWS_WITH(parse(With("\"1GiB\"", "-5")),
                      Contains("/pdp/memory_servers/0/memory: size '-5' must be a whole number"));
    CHECK_THROWS_WITH(parse(With("\"function\": \"lb\"", "\"function\": \"fw\"")),
                      Contains("/pdp/reconfigurations/0/function: no function named 'fw'"));
    CHECK_THROWS_WITH(parse(With("\"at\": \"0.4s\"", "\"at\": \"2s\"")),
                      Contains("/pdp/reconfigurations/0/at: after the end of the scenario"));
    CHECK_THROWS_WITH(parse(With("\"base\": \"load-balancer\"", "\"base\": \"router\"")),
                      Contains("/pdp/function_types/0/base: unknown function type 'router'"));
    CHECK_THROWS_WITH(parse(With("\"server_storage\"", "\"server_storge\"")),
                      Contains("/pdp/function_types/0/server_storge: unknown key"));
    CHECK_THROWS_WITH(parse(With("{\"name\": \"lb\", \"type\"", "{\"name\": \"l@b\", \"type\"")),
                      Contains("/pdp/functions/0/name: a function name is not empty and has no"));
}

TEST_CASE("pdp names are resolved against the topology before anything is written",
          "[pdp-scenario]")
{
    std::string out = TempDir("pdp-bad");
    CHECK_THROWS_WITH(
        RunScenarioText(With("\"host\": \"edge3\"", "\"host\": \"edge9\""), "p.json", out),
        Contains("p.json: /pdp/functions/0/host: no node named 'edge9'"));
    CHECK_THROWS_WITH(
        RunScenarioText(With("\"host\": \"server9\"", "\"host\": \"edge1\""), "p.json", out),
        Contains("/pdp/reconfigurations/0/host: 'edge1' is not a server (its role is edge)"));
    CHECK_THROWS_WITH(
        RunScenarioText(With("\"host\": \"edge3\"", "\"host\": \"server2\""), "p.json", out),
        Contains("/pdp/functions/0/host: 'server2' is not a switch (its role is server)"));
    CHECK_THROWS_WITH(
        RunScenarioText(With("\"switch\": \"edge3\"", "\"switch\": \"server1\""), "p.json", out),
        Contains("/pdp/memory_servers/0/switch: 'server1' is not a switch"));
    CHECK_THROWS_WITH(
        RunScenarioText(With("\"name\": \"decap\"", "\"name\": \"lb\""), "p.json", out),
        Contains("/srv6/sids/0/name: 'lb' is the name of a pdp function"));
    CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("a function migrates from external memory to a server under traffic with no loss",
          "[pdp-scenario]")
{
    std::string out = TempDir("pdp-run");
    nlohmann::json r = RunScenarioText(SCENARIO, "p.json", out);
    const nlohmann::json& flow = r["flows"][0];
    CHECK(flow["tx_packets"].get<uint64_t>() == 35000); // 400 Mbit/s of 1000 B for 0.7 s
    CHECK(flow["rx_packets"] == flow["tx_packets"]);
    const nlohmann::json& pdp = r["pdp"];
    REQUIRE(pdp["reconfigurations"].size() == 2);
    const nlohmann::json& deploy = pdp["reconfigurations"][0];
    CHECK(deploy["action"] == "deploy");
    CHECK(deploy["to"] == "external@edge3");
    CHECK(deploy["bytes"] == 16384 * 32); // 16384 entries of 128 + 128 bits
    const nlohmann::json& migrate = pdp["reconfigurations"][1];
    CHECK(migrate["action"] == "migrate");
    CHECK(migrate["from"] == "external@edge3");
    CHECK(migrate["to"] == "server@server9");
    CHECK(migrate["at_s"].get<double>() == Approx(0.4));
    CHECK(migrate["delay_s"].get<double>() == Approx(64e6 * 8 / 10e9)); // 64 MB at 10 Gbit/s
    // Both instances served; together they served every packet.
    REQUIRE(pdp["functions"].size() == 2);
    uint64_t first = pdp["functions"][0]["served_packets"];
    uint64_t second = pdp["functions"][1]["served_packets"];
    CHECK(pdp["functions"][0]["placement"] == "external@edge3");
    CHECK(pdp["functions"][1]["placement"] == "server@server9");
    CHECK(first > 0);
    CHECK(second > 0);
    CHECK(first + second == flow["rx_packets"].get<uint64_t>());
    // The old instance served until the switch-over at 0.4 s + 51.2 ms: 0.3512 s of traffic.
    CHECK(first == Approx(0.3512 * 50000).margin(3));
    // External lookups: one per packet served there, two reads each; memory released.
    for (const auto& sw : pdp["switches"])
    {
        if (sw["name"] == "edge3")
        {
            CHECK(sw["external_lookups"]["lookups"] == first);
            CHECK(sw["external_lookups"]["remote_reads"] == 2 * first);
            CHECK(sw["memory"]["external_bytes_used"] == 0);
            CHECK(sw["memory"]["external_bytes"] == uint64_t(1) << 30);
        }
    }
    for (const auto& s : pdp["servers"])
    {
        CHECK(s["memory_used_bytes"] == (s["name"] == "server9" ? 64000000 : 0));
    }
    CHECK(pdp["refused"].empty());
    CHECK(pdp["memory_servers"][0]["requests"] == 2 * first);

    // The resolved configuration reproduces the run byte for byte.
    std::string again = TempDir("pdp-run-again");
    RunScenarioText(ReadFile(out + "/config.resolved.json"), "resolved.json", again);
    CHECK(ReadFile(out + "/results.json") == ReadFile(again + "/results.json"));
}
