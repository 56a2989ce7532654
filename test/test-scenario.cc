/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-scenario-runner.h"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace ns3;
using Catch::Matchers::Contains;

namespace
{
const std::string SCENARIO = R"({
  "name": "t",
  "seed": 3,
  "duration": "0.5s",
  "topology": {"spec": "fattree:srem,rate=100Mbps,delay=10us"},
  "traffic": [
    {"name": "cbr", "type": "udp-cbr", "src": "server0", "dst": "server11",
     "rate": "8Mbps", "packet_size": 1000, "start": "0.1s", "stop": "0.3s"},
    {"name": "bulk", "type": "tcp-bulk", "src": "server1", "dst": "server6",
     "max_bytes": 200000, "start": "0.1s", "stop": "0.4s"}
  ]
})";

std::string
TempDir(const std::string& name)
{
    std::string dir = "/tmp/aisfc-test-" + name;
    std::filesystem::remove_all(dir);
    return dir;
}

std::string
With(const std::string& from, const std::string& to)
{
    std::string s = SCENARIO;
    s.replace(s.find(from), from.size(), to);
    return s;
}
} // namespace

TEST_CASE("scenario validation names the JSON path of bad input", "[scenario]")
{
    auto parse = [](const std::string& text) {
        return ParseScenario(ParseJsonText(text, "s.json"), "s.json");
    };
    CHECK_NOTHROW(parse(SCENARIO));
    CHECK_THROWS_WITH(parse(With("\"seed\"", "\"sead\"")), Contains("s.json: /sead: unknown key"));
    CHECK_THROWS_WITH(parse(With("\"max_bytes\": 200000", "\"max_bytes\": \"lots\"")),
                      Contains("s.json: /traffic/1/max_bytes: expected a whole number"));
    CHECK_THROWS_WITH(parse(With("\"src\": \"server0\", ", "")),
                      Contains("s.json: /traffic/0/src: missing required string"));
    CHECK_THROWS_WITH(parse(With("\"udp-cbr\"", "\"udp-vbr\"")),
                      Contains("/traffic/0/type: unknown traffic type 'udp-vbr'"));
    CHECK_THROWS_WITH(parse(With("\"stop\": \"0.4s\"", "\"stop\": \"0.6s\"")),
                      Contains("/traffic/1/stop: stop is after the scenario's duration"));
    CHECK_THROWS_WITH(parse(With("\"packet_size\": 1000", "\"packet_size\": 9000")),
                      Contains("/traffic/0/packet_size: 9000 is out of range [12, 1452]"));
    CHECK_THROWS_WITH(parse(With("\"rate\": \"8Mbps\"", "\"rate\": \"8 furlongs\"")),
                      Contains("/traffic/0/rate: unknown unit 'furlongs'"));
    CHECK_THROWS_WITH(parse(With("\"name\": \"bulk\"", "\"name\": \"cbr\"")),
                      Contains("/traffic/1/name: duplicate flow name 'cbr'"));
}

TEST_CASE("bad node names and topology specs are reported before anything is written", "[scenario]")
{
    std::string out = TempDir("badnode");
    CHECK_THROWS_WITH(
        RunScenarioText(With("\"dst\": \"server6\"", "\"dst\": \"server66\""), "s.json", out),
        Contains("s.json: /traffic/1/dst: no node named 'server66'"));
    CHECK_THROWS_WITH(RunScenarioText(With("fattree:srem,", "fattree:k=3,"), "s.json", out),
                      Contains("s.json: /topology: fattree:k=3") && Contains("even"));
    CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("a scenario runs, counts balance, and the resolved config reproduces it", "[scenario]")
{
    std::string out = TempDir("run");
    nlohmann::json r = RunScenarioText(SCENARIO, "s.json", out);
    REQUIRE(r["flows"].size() == 2);
    const auto& cbr = r["flows"][0];
    // 8 Mbit/s of 1000-byte packets for 0.2 s: one packet per ms.
    CHECK(cbr["tx_packets"] == 200);
    CHECK(cbr["rx_packets"] == 200);
    CHECK(cbr["loss_ratio"] == 0.0);
    CHECK(cbr["delay_p50_s"].get<double>() <= cbr["delay_p99_s"].get<double>());
    // Six hops of 100 Mbit/s and 10 us: (10 us + 1050 B / 100 Mbit/s) each.
    CHECK(cbr["delay_p50_s"].get<double>() == Approx(6 * (10e-6 + 1050 * 8 / 100e6)).margin(1e-9));
    const auto& bulk = r["flows"][1];
    CHECK(bulk["rx_packets"].get<uint64_t>() + bulk["dropped_packets"].get<uint64_t>() +
              bulk["in_flight_packets"].get<uint64_t>() ==
          bulk["tx_packets"].get<uint64_t>());
    // 200 000 bytes in 1428-byte segments, plus the handshake.
    CHECK(bulk["rx_bytes"].get<uint64_t>() > 200000);
    CHECK(r["totals"]["tx_packets"] ==
          cbr["tx_packets"].get<uint64_t>() + bulk["tx_packets"].get<uint64_t>());

    CHECK(std::filesystem::exists(out + "/flows.csv"));
    std::string resolved = ReadInputFile(out + "/config.resolved.json");
    auto again = ScenarioToJson(ParseScenario(ParseJsonText(resolved, "r.json"), "r.json"));
    CHECK(again == nlohmann::json::parse(resolved));
    CHECK(again["traffic"][0]["port"] == 9000);
    CHECK(again["network"]["queue_packets"] == 100);

    // Running the resolved configuration gives the same results, byte for byte.
    std::string out2 = TempDir("run2");
    RunScenarioText(resolved, out + "/config.resolved.json", out2);
    CHECK(ReadInputFile(out + "/results.json") == ReadInputFile(out2 + "/results.json"));
}

TEST_CASE("same seed gives the same results.json bytes and the demo scenario runs clean",
          "[scenario][determinism]")
{
    std::string a = TempDir("det-a");
    std::string b = TempDir("det-b");
    std::string demo = ReadInputFile(std::string(AISFC_SOURCE_DIR) + "/scenarios/demo.json");
    RunScenarioText(demo, "demo.json", a);
    nlohmann::json r = RunScenarioText(demo, "demo.json", b);
    CHECK(ReadInputFile(a + "/results.json") == ReadInputFile(b + "/results.json"));
    // The bulk TCP flow fills shared queues, so a few packets may drop; every packet sent is
    // accounted for.
    for (const auto& f : r["flows"])
    {
        INFO(f["name"]);
        CHECK(f["rx_packets"].get<uint64_t>() > 0.99 * f["tx_packets"].get<uint64_t>());
        CHECK(f["rx_packets"].get<uint64_t>() + f["dropped_packets"].get<uint64_t>() +
                  f["in_flight_packets"].get<uint64_t>() ==
              f["tx_packets"].get<uint64_t>());
    }
}
