/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// TCP bulk transfers in a k-ary fat-tree, permutation traffic: host i sends to host
// i + hosts/2, so every flow crosses the core.
//
//   ./aisfc example fattree-tcp-bulk --k=4 --maxBytes=2000000 --outDir=out/fattree
//
// The program writes a scenario and runs it through RunScenario (OUT/config.resolved.json
// reruns it with `./aisfc run`).

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-scenario-runner.h"
#include "ns3/command-line.h"
#include "ns3/rng-seed-manager.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    uint32_t k = 4;
    std::string rate = "1Gbps";
    std::string delay = "5us";
    uint64_t maxBytes = 2000000;
    double duration = 1.0;
    std::string outDir = "fattree-tcp-bulk-out";

    CommandLine cmd(__FILE__);
    cmd.AddValue("k", "fat-tree port count (even)", k);
    cmd.AddValue("rate", "link rate", rate);
    cmd.AddValue("delay", "link delay", delay);
    cmd.AddValue("maxBytes", "bytes each flow sends (0: until the end)", maxBytes);
    cmd.AddValue("duration", "simulated seconds", duration);
    cmd.AddValue("outDir", "output directory", outDir);
    cmd.Parse(argc, argv);

    try
    {
        uint32_t hosts = k * k * k / 4;
        nlohmann::json traffic = nlohmann::json::array();
        for (uint32_t h = 0; h < hosts; ++h)
        {
            traffic.push_back({{"type", "tcp-bulk"},
                               {"src", "host" + std::to_string(h)},
                               {"dst", "host" + std::to_string((h + hosts / 2) % hosts)},
                               {"max_bytes", maxBytes},
                               {"start", 0.01},
                               {"stop", duration}});
        }
        nlohmann::json scenario = {
            {"name", "fattree-tcp-bulk"},
            {"seed", RngSeedManager::GetSeed()},
            {"run", RngSeedManager::GetRun()},
            {"duration", duration},
            {"topology", "fattree:k=" + std::to_string(k) + ",rate=" + rate + ",delay=" + delay},
            {"traffic", traffic}};
        nlohmann::json results = RunScenarioText(scenario.dump(), "fattree-tcp-bulk", outDir);
        std::cout << SummariseResults(results);
    }
    catch (const AisfcInputError& e)
    {
        std::cerr << "fattree-tcp-bulk: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
