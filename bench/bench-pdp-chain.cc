/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Simulated packets per wall-clock second through a chain of three PDP switches whose in-network
// functions live in external memory (each lookup: RDMA reads over the switch's link to its memory
// server, as packets), against the same chain forwarding plainly, in one run; the same chain
// with the ANALYTIC external-memory mode (no RDMA packets) is shown for reference.
//
//   build/bench/bench-pdp-chain [--seconds=0.05] [--rate=10Gbps]

#include "ns3/aisfc-scenario-runner.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

using namespace ns3;

namespace
{
struct Measure
{
    double wallSeconds = 0;
    uint64_t packets = 0;
    uint64_t remoteReads = 0;
    double meanLatencyUs = 0;
};

/// line:5 is h - s1 - s2 - s3 - h: nodes 1..3 are the chain's transit switches.
nlohmann::json
Scenario(const std::string& variant, double seconds, const std::string& rate)
{
    nlohmann::json s = {{"name", "bench-pdp-" + variant},
                        {"duration", 0.5 + seconds + 0.001},
                        {"topology", "line:5,rate=100Gbps,delay=1us"},
                        {"traffic",
                         {{{"name", "chain"},
                           {"type", "udp-cbr"},
                           {"src", "n0"},
                           {"dst", "n4"},
                           {"rate", rate},
                           {"packet_size", 1000},
                           {"start", 0.5},
                           {"stop", 0.5 + seconds}}}},
                        {"outputs", {{"flows_csv", false}}}};
    nlohmann::json pdp = {{"memory_servers", nlohmann::json::array()}};
    if (variant != "plain")
    {
        pdp["external_memory"] = {{"mode", variant == "analytic" ? "analytic" : "packets"}};
        nlohmann::json functions = nlohmann::json::array();
        nlohmann::json segments = nlohmann::json::array();
        for (int i = 1; i <= 3; ++i)
        {
            std::string sw = "n" + std::to_string(i);
            pdp["memory_servers"].push_back({{"switch", sw}});
            functions.push_back({{"name", "lb" + std::to_string(i)},
                                 {"type", "load-balancer"},
                                 {"host", sw},
                                 {"memory", "external"}});
            segments.push_back("lb" + std::to_string(i));
        }
        segments.push_back("decap");
        pdp["functions"] = functions;
        s["srv6"] = {{"sids", {{{"name", "decap"}, {"node", "n3"}, {"behavior", "End.DT6"}}}},
                     {"policies",
                      {{{"name", "chain"},
                        {"headend", "n1"},
                        {"steer", {{"dst", "n4"}}},
                        {"segment_lists", {{{"segments", segments}}}}}}}};
    }
    s["pdp"] = pdp;
    return s;
}

Measure
Run(const std::string& variant, double seconds, const std::string& rate, const std::string& dir)
{
    auto start = std::chrono::steady_clock::now();
    nlohmann::json r =
        RunScenarioText(Scenario(variant, seconds, rate).dump(), "bench", dir + "/" + variant);
    Measure m;
    m.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.packets = r["flows"][0]["rx_packets"].get<uint64_t>();
    m.meanLatencyUs = r["flows"][0]["delay_mean_s"].get<double>() * 1e6;
    for (const auto& sw : r["pdp"]["switches"])
    {
        m.remoteReads += sw["external_lookups"]["remote_reads"].get<uint64_t>();
    }
    return m;
}
} // namespace

int
main(int argc, char* argv[])
{
    double seconds = 0.05;
    std::string rate = "10Gbps";
    for (int i = 1; i < argc; ++i)
    {
        std::string a = argv[i];
        if (a.rfind("--seconds=", 0) == 0)
        {
            seconds = std::stod(a.substr(10));
        }
        else if (a.rfind("--rate=", 0) == 0)
        {
            rate = a.substr(7);
        }
        else
        {
            std::cerr << "usage: bench-pdp-chain [--seconds=S] [--rate=R]\n";
            return 2;
        }
    }
    std::string dir = std::filesystem::temp_directory_path() / "aisfc-bench-pdp-chain";
    Measure plain = Run("plain", seconds, rate, dir);
    Measure external = Run("external", seconds, rate, dir);
    Measure analytic = Run("analytic", seconds, rate, dir);
    std::filesystem::remove_all(dir);

    auto line = [](const char* name, const Measure& m) {
        std::printf("%-34s %9llu packets %8.3f s wall %12.0f packets/s  %9llu RDMA reads  "
                    "mean latency %.3f us\n",
                    name,
                    static_cast<unsigned long long>(m.packets),
                    m.wallSeconds,
                    m.packets / m.wallSeconds,
                    static_cast<unsigned long long>(m.remoteReads),
                    m.meanLatencyUs);
    };
    std::printf("chain of 3 PDP switches, %s of 1000-byte UDP for %.3f simulated s\n",
                rate.c_str(),
                seconds);
    line("plain forwarding (baseline)", plain);
    line("3 functions in external memory", external);
    line("  same, ANALYTIC external memory", analytic);
    std::printf("ratio external/plain (packets per wall second): %.3f\n",
                (external.packets / external.wallSeconds) / (plain.packets / plain.wallSeconds));
    std::printf("ratio analytic/plain (packets per wall second): %.3f\n",
                (analytic.packets / analytic.wallSeconds) / (plain.packets / plain.wallSeconds));
    return 0;
}
