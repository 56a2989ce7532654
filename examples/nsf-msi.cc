/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Multi-hop split inference (MSI) on neural service functions: per-batch latency and
// throughput against the mini-batch size and against the number of split points, for the SRv6
// SFC architecture ("sfc") and the existing architecture that addresses each stage directly
// ("baseline").  Every point is a scenario run (its files in OUT/<series>/<point>/).
//
//   h - r1 - r2 - r3 - r4 - r5      the client on n0; stage k's NSF hangs off n(k+1)
//
// OUT/results.json: {"vs_batch_size": {"sfc": [...], "baseline": [...]},
//                    "vs_split_points": {"sfc": [...], "baseline": [...]}}, each point with
// batch_size, split_points, mean_latency_ms, mean_compute_ms, mean_transfer_ms, mean_queue_ms,
// throughput_samples_per_s and the completed count.
//
//   ./aisfc example nsf-msi --outDir=out/msi --batchSizes=1,4,16,64,256

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

namespace
{
std::vector<std::string>
Split(const std::string& text)
{
    std::vector<std::string> out;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, ','))
    {
        if (!part.empty())
        {
            out.push_back(part);
        }
    }
    return out;
}

std::vector<uint32_t>
Counts(const std::string& text, const std::string& option)
{
    std::vector<uint32_t> out;
    for (const std::string& s : Split(text))
    {
        char* end = nullptr;
        unsigned long v = std::strtoul(s.c_str(), &end, 10);
        if (*end != '\0' || v == 0 || v > 65536)
        {
            throw AisfcInputError(option, "'" + s + "' is not a count in [1, 65536]");
        }
        out.push_back(static_cast<uint32_t>(v));
    }
    if (out.empty())
    {
        throw AisfcInputError(option, "needs at least one value");
    }
    return out;
}

nlohmann::json
Point(const std::string& mode,
      const std::vector<std::string>& cuts,
      uint32_t batchSize,
      const std::string& model,
      const std::string& device,
      uint32_t batches,
      const std::string& topology,
      const std::string& dir)
{
    nlohmann::json routers = nlohmann::json::array();
    for (size_t k = 0; k <= cuts.size(); ++k)
    {
        routers.push_back("n" + std::to_string(k + 1));
    }
    nlohmann::json scenario = {{"name", "nsf-msi"},
                               {"seed", RngSeedManager::GetSeed()},
                               {"run", RngSeedManager::GetRun()},
                               {"duration", 1000},
                               {"topology", topology},
                               {"nsf",
                                {{"client", "n0"},
                                 {"routers", routers},
                                 {"model", model},
                                 {"cuts", cuts},
                                 {"devices", device},
                                 {"mode", mode},
                                 {"batch_size", batchSize},
                                 {"batches", batches}}},
                               {"outputs", {{"flows_csv", false}}}};
    nlohmann::json r = RunScenarioText(scenario.dump(), "nsf-msi", dir)["nsf"];
    auto ms = [](const nlohmann::json& v) {
        return v.is_null() ? nlohmann::json() : nlohmann::json(v.get<double>() * 1e3);
    };
    return {{"batch_size", batchSize},
            {"split_points", cuts.size()},
            {"completed", r["completed"]},
            {"batches", batches},
            {"mean_latency_ms", ms(r["mean_latency_s"])},
            {"mean_compute_ms", ms(r["mean_compute_s"])},
            {"mean_transfer_ms", ms(r["mean_transfer_s"])},
            {"mean_queue_ms", ms(r["mean_queue_s"])},
            {"throughput_samples_per_s", r["throughput_samples_per_s"]}};
}
} // namespace

int
main(int argc, char* argv[])
{
    std::string model = "small-cnn";
    std::string cuts = "pool1,pool2";
    std::string splitCandidates = "pool1,pool2,fc1";
    std::string device = "edge-gpu";
    std::string batchSizes = "1,2,4,8,16,32,64,128,256";
    uint32_t splitBatch = 16;
    uint32_t batches = 10;
    std::string topology = "line:6,rate=1Gbps,delay=100us";
    std::string outDir = "nsf-msi-out";

    CommandLine cmd(__FILE__);
    cmd.AddValue("model", "built-in model (small-cnn, mlp, resnet18, mobilenetv2, vgg16)", model);
    cmd.AddValue("cuts", "cut layers for the batch-size sweep", cuts);
    cmd.AddValue("splitCandidates", "cut layers, in order, for 1..N split points", splitCandidates);
    cmd.AddValue("device", "device preset of every NSF (server-gpu, edge-gpu, cpu)", device);
    cmd.AddValue("batchSizes", "mini-batch sizes of the first sweep", batchSizes);
    cmd.AddValue("splitBatch", "mini-batch size of the split-point sweep", splitBatch);
    cmd.AddValue("batches", "mini-batches per point", batches);
    cmd.AddValue("topology", "a line of at least split points + 2 nodes", topology);
    cmd.AddValue("outDir", "output directory", outDir);
    cmd.Parse(argc, argv);

    try
    {
        std::vector<uint32_t> sizes = Counts(batchSizes, "--batchSizes");
        std::vector<std::string> fixedCuts = Split(cuts);
        std::vector<std::string> candidates = Split(splitCandidates);
        nlohmann::json out = {{"model", model},
                              {"device", device},
                              {"topology", topology},
                              {"cuts", fixedCuts}};
        for (std::string mode : {"sfc", "baseline"})
        {
            for (uint32_t b : sizes)
            {
                std::string dir = outDir + "/batch/" + mode + "-" + std::to_string(b);
                out["vs_batch_size"][mode].push_back(
                    Point(mode, fixedCuts, b, model, device, batches, topology, dir));
            }
            for (size_t n = 1; n <= candidates.size(); ++n)
            {
                std::vector<std::string> c(candidates.begin(), candidates.begin() + n);
                std::string dir = outDir + "/splits/" + mode + "-" + std::to_string(n);
                out["vs_split_points"][mode].push_back(
                    Point(mode, c, splitBatch, model, device, batches, topology, dir));
            }
        }
        WriteFileAtomically(outDir + "/results.json", out.dump(2) + "\n");
        AisfcPlotFigures(outDir,
                         {{"nsf-msi-batch", "latency-vs-batch-size.png"},
                          {"nsf-msi-splits", "latency-vs-split-points.png"}});
        std::cout << "model " << model << " on " << device << ", cuts " << cuts << "\n";
        std::cout << "batch   sfc ms   baseline ms   sfc samples/s\n";
        for (size_t i = 0; i < sizes.size(); ++i)
        {
            const auto& s = out["vs_batch_size"]["sfc"][i];
            const auto& b = out["vs_batch_size"]["baseline"][i];
            std::cout << s["batch_size"] << "\t" << s["mean_latency_ms"] << "\t"
                      << b["mean_latency_ms"] << "\t" << s["throughput_samples_per_s"] << "\n";
        }
        std::cout << "results in " << outDir << "/results.json\n";
    }
    catch (const AisfcInputError& e)
    {
        std::cerr << "nsf-msi: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
