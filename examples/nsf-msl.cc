/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Multi-hop split learning (MSL) on neural service functions: the iteration time (forward
// along the chain, loss at the last NSF, backward along the reverse chain) against the
// mini-batch size, for the SRv6 SFC ("sfc") and the existing architecture ("baseline").
// With --numeric=1 the NSFs carry and train real tensors (an MLP on seeded data); --verify=1
// also trains the unsplit model in one process on the same batches and prints the largest
// relative weight difference as the last number of the last line.
//
//   ./aisfc example nsf-msl --outDir=out/msl --numeric=1 --verify=1

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-plot.h"
#include "ns3/aisfc-scenario-runner.h"
#include "ns3/command-line.h"
#include "ns3/rng-seed-manager.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    std::string model = "mlp";
    std::string cuts = "relu1,relu2";
    std::string device = "edge-gpu";
    std::string batchSizes = "8,32,128";
    uint32_t batches = 10;
    bool numeric = false;
    bool verify = false;
    std::string topology = "line:5,rate=1Gbps,delay=100us";
    std::string outDir = "nsf-msl-out";

    CommandLine cmd(__FILE__);
    cmd.AddValue("model", "built-in model (numeric mode: mlp)", model);
    cmd.AddValue("cuts", "cut layers (split points)", cuts);
    cmd.AddValue("device", "device preset of every NSF", device);
    cmd.AddValue("batchSizes", "mini-batch sizes", batchSizes);
    cmd.AddValue("batches", "training iterations per point", batches);
    cmd.AddValue("numeric", "carry and train real tensors", numeric);
    cmd.AddValue("verify", "numeric: compare with unsplit training", verify);
    cmd.AddValue("topology", "a line of at least split points + 2 nodes", topology);
    cmd.AddValue("outDir", "output directory", outDir);
    cmd.Parse(argc, argv);

    try
    {
        std::vector<std::string> cutList;
        std::stringstream in(cuts);
        for (std::string part; std::getline(in, part, ',');)
        {
            cutList.push_back(part);
        }
        nlohmann::json routers = nlohmann::json::array();
        for (size_t k = 0; k <= cutList.size(); ++k)
        {
            routers.push_back("n" + std::to_string(k + 1));
        }
        nlohmann::json out = {{"model", model}, {"device", device}, {"cuts", cutList}};
        double worst = -1;
        std::stringstream sizes(batchSizes);
        std::vector<uint32_t> sizeList;
        for (std::string part; std::getline(sizes, part, ',');)
        {
            char* end = nullptr;
            unsigned long v = std::strtoul(part.c_str(), &end, 10);
            if (part.empty() || *end != '\0' || v == 0 || v > 65536)
            {
                throw AisfcInputError("--batchSizes",
                                      "'" + part + "' is not a count in [1, 65536]");
            }
            sizeList.push_back(static_cast<uint32_t>(v));
        }
        for (std::string mode : {"sfc", "baseline"})
        {
            for (uint32_t b : sizeList)
            {
                nlohmann::json nsf = {{"client", "n0"},
                                      {"routers", routers},
                                      {"model", model},
                                      {"cuts", cutList},
                                      {"devices", device},
                                      {"mode", mode},
                                      {"task", "training"},
                                      {"batch_size", b},
                                      {"batches", batches}};
                if (numeric)
                {
                    nsf["numeric"] = {{"verify", verify}};
                }
                nlohmann::json scenario = {{"name", "nsf-msl"},
                                           {"seed", RngSeedManager::GetSeed()},
                                           {"run", RngSeedManager::GetRun()},
                                           {"duration", 1000},
                                           {"topology", topology},
                                           {"nsf", nsf},
                                           {"outputs", {{"flows_csv", false}}}};
                std::string dir = outDir + "/" + mode + "-" + std::to_string(b);
                nlohmann::json r = RunScenarioText(scenario.dump(), "nsf-msl", dir)["nsf"];
                nlohmann::json point = {
                    {"batch_size", b},
                    {"completed", r["completed"]},
                    {"batches", batches},
                    {"mean_iteration_ms",
                     r["mean_latency_s"].is_null()
                         ? nlohmann::json()
                         : nlohmann::json(r["mean_latency_s"].get<double>() * 1e3)},
                    {"mean_compute_ms", r["mean_compute_s"].get<double>() * 1e3},
                    {"mean_transfer_ms", r["mean_transfer_s"].get<double>() * 1e3}};
                if (r.contains("numeric"))
                {
                    point["losses"] = r["numeric"]["losses"];
                    if (r["numeric"].contains("max_relative_weight_difference"))
                    {
                        double d = r["numeric"]["max_relative_weight_difference"];
                        point["max_relative_weight_difference"] = d;
                        worst = std::max(worst, d);
                    }
                }
                out["iteration_time"][mode].push_back(point);
            }
        }
        if (worst >= 0)
        {
            out["max_relative_weight_difference"] = worst;
        }
        WriteFileAtomically(outDir + "/results.json", out.dump(2) + "\n");
        AisfcPlotFigures(outDir, {{"nsf-msl", "iteration-time.png"}});
        std::cout << "batch   sfc ms   baseline ms\n";
        for (size_t i = 0; i < sizeList.size(); ++i)
        {
            std::cout << sizeList[i] << "\t" << out["iteration_time"]["sfc"][i]["mean_iteration_ms"]
                      << "\t" << out["iteration_time"]["baseline"][i]["mean_iteration_ms"] << "\n";
        }
        std::cout << "results in " << outDir << "/results.json\n";
        if (worst >= 0)
        {
            std::cout << "largest relative weight difference against unsplit training: " << worst
                      << "\n";
        }
    }
    catch (const AisfcInputError& e)
    {
        std::cerr << "nsf-msl: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
