/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Wall time of 1000 multi-hop split inference mini-batches through 3 neural service functions
// (small CNN split after pool1 and pool2, edge GPUs, batches of 8, over real TCP), in the SRv6
// SFC and in the baseline, in one run.
//
//   build/bench/bench-nsf-msi [--batches=1000] [--batchSize=8]

#include "ns3/aisfc-scenario-runner.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

using namespace ns3;

int
main(int argc, char* argv[])
{
    unsigned batches = 1000;
    unsigned batchSize = 8;
    for (int i = 1; i < argc; ++i)
    {
        std::string a = argv[i];
        if (a.rfind("--batches=", 0) == 0)
        {
            batches = std::stoul(a.substr(10));
        }
        else if (a.rfind("--batchSize=", 0) == 0)
        {
            batchSize = std::stoul(a.substr(12));
        }
        else
        {
            std::cerr << "usage: bench-nsf-msi [--batches=N] [--batchSize=B]\n";
            return 2;
        }
    }
    std::string dir = std::filesystem::temp_directory_path() / "aisfc-bench-nsf-msi";
    std::printf("%u mini-batches of %u samples, small-cnn split in 3, edge-gpu, line:5 1Gbps\n",
                batches,
                batchSize);
    for (std::string mode : {"sfc", "baseline"})
    {
        nlohmann::json scenario = {{"name", "bench-nsf-msi"},
                                   {"duration", 10000},
                                   {"topology", "line:5,rate=1Gbps,delay=100us"},
                                   {"nsf",
                                    {{"client", "n0"},
                                     {"routers", {"n1", "n2", "n3"}},
                                     {"model", "small-cnn"},
                                     {"cuts", {"pool1", "pool2"}},
                                     {"devices", "edge-gpu"},
                                     {"mode", mode},
                                     {"batch_size", batchSize},
                                     {"batches", batches}}},
                                   {"outputs", {{"flows_csv", false}}}};
        auto start = std::chrono::steady_clock::now();
        nlohmann::json r = RunScenarioText(scenario.dump(), "bench", dir + "/" + mode)["nsf"];
        double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("%-9s %6u/%u batches  %7.3f s wall  %8.1f batches per wall second  "
                    "mean latency %.3f ms\n",
                    mode.c_str(),
                    r["completed"].get<unsigned>(),
                    batches,
                    wall,
                    r["completed"].get<unsigned>() / wall,
                    r["mean_latency_s"].get<double>() * 1e3);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
