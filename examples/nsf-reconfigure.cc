/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Dynamic path reconfiguration of a split-inference chain: the hop from the first NSF to the
// second goes through waypoint a; background UDP traffic congests a's link at --congestAt; the
// path controller sees the overload and moves the chain (its SR policy) through b.  Reports the
// latency before, during and after, the control delay, and what was lost (target: nothing).
//
//   c - r1 - a - r2          NSF 0 hangs off r1, NSF 1 off r2; background a -> r2
//        \-- b --/
//
//   ./aisfc example nsf-reconfigure --outDir=out/reconf

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-plot.h"
#include "ns3/aisfc-scenario-runner.h"
#include "ns3/command-line.h"
#include "ns3/rng-seed-manager.h"

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

using namespace ns3;

int
main(int argc, char* argv[])
{
    double duration = 3;
    double congestAt = 1;
    std::string background = "150Mbps";
    std::string linkRate = "100Mbps";
    std::string linkDelay = "1ms";
    uint32_t batchSize = 8;
    std::string controlDelay = "1ms";
    std::string outDir = "nsf-reconfigure-out";

    CommandLine cmd(__FILE__);
    cmd.AddValue("duration", "simulated seconds", duration);
    cmd.AddValue("congestAt", "when the background traffic starts (s)", congestAt);
    cmd.AddValue("background", "rate of the background UDP flow on a -> r2", background);
    cmd.AddValue("linkRate", "rate of every link", linkRate);
    cmd.AddValue("linkDelay", "delay of every link", linkDelay);
    cmd.AddValue("batchSize", "samples per mini-batch", batchSize);
    cmd.AddValue("controlDelay", "detection to headend update", controlDelay);
    cmd.AddValue("outDir", "output directory", outDir);
    cmd.Parse(argc, argv);

    try
    {
        if (!(congestAt > 0.2) || !(duration > congestAt + 0.5))
        {
            throw AisfcInputError("--congestAt", "needs 0.2 < congestAt < duration - 0.5");
        }
        std::filesystem::create_directories(outDir);
        std::string topologyFile = std::filesystem::absolute(outDir + "/topology.json").string();
        nlohmann::json topo = {{"name", "nsf-diamond"},
                               {"defaults", {{"rate", linkRate}, {"delay", linkDelay}}},
                               {"nodes",
                                {{{"name", "c"}, {"role", "host"}},
                                 {{"name", "r1"}, {"role", "router"}},
                                 {{"name", "a"}, {"role", "router"}},
                                 {{"name", "b"}, {"role", "router"}},
                                 {{"name", "r2"}, {"role", "router"}}}},
                               {"links",
                                {{{"a", "c"}, {"b", "r1"}},
                                 {{"a", "r1"}, {"b", "a"}},
                                 {{"a", "a"}, {"b", "r2"}},
                                 {{"a", "r1"}, {"b", "b"}},
                                 {{"a", "b"}, {"b", "r2"}}}}};
        WriteFileAtomically(topologyFile, topo.dump(2) + "\n");
        nlohmann::json scenario = {
            {"name", "nsf-reconfigure"},
            {"seed", RngSeedManager::GetSeed()},
            {"run", RngSeedManager::GetRun()},
            {"duration", duration},
            {"topology", topologyFile},
            {"traffic",
             {{{"name", "background"},
               {"type", "udp-cbr"},
               {"src", "a"},
               {"dst", "r2"},
               {"rate", background},
               {"packet_size", 1000},
               {"start", congestAt},
               {"stop", duration}}}},
            {"nsf",
             {{"client", "c"},
              {"routers", {"r1", "r2"}},
              {"model", "small-cnn"},
              {"cuts", {"pool2"}},
              {"devices", "edge-gpu"},
              {"batch_size", batchSize},
              {"batches", 1000000},
              {"start", 0.1},
              {"paths", {{nlohmann::json::array(), {"a"}}, {nlohmann::json::array(), {"b"}}}},
              // Polls long enough that the chain's own bursts average out below the threshold.
              {"controller", {{"control_delay", controlDelay}, {"poll_interval", "100ms"}}}}},
            {"outputs", {{"flows_csv", false}}}};
        nlohmann::json results =
            RunScenarioText(scenario.dump(), "nsf-reconfigure", outDir + "/run");
        const nlohmann::json& nsf = results["nsf"];
        double applied = nsf["path_switches"].empty()
                             ? duration
                             : nsf["path_switches"][0]["applied_s"].get<double>();
        // Before: until the congestion; during: until the switch-over; after: once the
        // batches that started on the old path are through (a 0.1 s settling window).
        double sums[3] = {0, 0, 0};
        int counts[3] = {0, 0, 0};
        nlohmann::json timeline = nlohmann::json::array();
        // The log keeps every batch with its send time; incomplete ones count as lost unless
        // still in flight at the end (one at most: the client runs closed loop).
        uint32_t lost =
            nsf["lost_batches"].get<uint32_t>() > 0 ? nsf["lost_batches"].get<uint32_t>() - 1 : 0;
        for (const auto& b : nsf["batches"])
        {
            double start = b["sent_s"].get<double>();
            double latency = b["latency_s"].get<double>() * 1e3;
            timeline.push_back({{"sent_s", start}, {"latency_ms", latency}});
            int phase = start < congestAt       ? 0
                        : start < applied       ? 1
                        : start > applied + 0.1 ? 2
                                                : -1;
            if (phase >= 0)
            {
                sums[phase] += latency;
                counts[phase] += 1;
            }
        }
        auto mean = [&](int p) {
            return counts[p] ? nlohmann::json(sums[p] / counts[p]) : nlohmann::json();
        };
        nlohmann::json out = {
            {"congest_at_s", congestAt},
            {"switches", nsf["path_switches"]},
            {"before_ms", mean(0)},
            {"during_ms", mean(1)},
            {"after_ms", mean(2)},
            {"batches", {{"before", counts[0]}, {"during", counts[1]}, {"after", counts[2]}}},
            {"completed", nsf["completed"]},
            // Batches never completed; segments the network lost (or held past a timeout),
            // which TCP sent again.
            {"lost", {{"batches", lost}, {"packets", nsf["retransmitted_segments"]}}},
            {"timeline", timeline}};
        WriteFileAtomically(outDir + "/results.json", out.dump(2) + "\n");
        AisfcPlotFigures(outDir, {{"nsf-reconfigure", "latency-timeline.png"}});
        std::cout << "latency before " << out["before_ms"] << " ms, during " << out["during_ms"]
                  << " ms, after " << out["after_ms"] << " ms; ";
        if (!nsf["path_switches"].empty())
        {
            const auto& s = nsf["path_switches"][0];
            std::cout << "switched at " << s["applied_s"] << " s (control delay "
                      << s["control_delay_s"].get<double>() * 1e3 << " ms); ";
        }
        std::cout << "lost batches " << lost << ", packets resent " << nsf["retransmitted_segments"]
                  << "\nresults in " << outDir << "/results.json\n";
    }
    catch (const AisfcInputError& e)
    {
        std::cerr << "nsf-reconfigure: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
