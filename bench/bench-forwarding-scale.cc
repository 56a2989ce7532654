/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Per-packet forwarding cost against network size, measured with the forwarding-scale example
// in one run (each variant in its own process, so peak RSS is its own):
//   Kdl with aisfc's FIB, Kdl with ns-3's static routes (the baseline), and a line with the
//   same hop count with aisfc's FIB.
// Prints both ratios of Simulator::Run wall time, the FIB's memory and each run's peak RSS.
//
// usage: bench-forwarding-scale [PACKETS [TOPOLOGY_SPEC]]   (default 20000, Kdl)

#include "bench-process.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace
{

struct Run
{
    std::string label;
    nlohmann::json results;
    double peakRssMiB = 0;
};

Run
Measure(const std::string& label,
        const std::string& topology,
        const std::string& routing,
        const std::string& packets)
{
    std::string out = "/tmp/aisfc-bench-forwarding-" + std::to_string(getpid()) + "-" + routing;
    std::vector<std::string> args = {AISFC_EXAMPLES_DIR "/forwarding-scale",
                                     "--topology=" + topology,
                                     "--packets=" + packets,
                                     "--routing=" + routing,
                                     "--outDir=" + out};
    BenchProcess process = RunBenchProcess(args);
    if (!process.ok)
    {
        std::cerr << "bench-forwarding-scale: " << label << " failed\n";
        std::exit(1);
    }
    Run run;
    run.label = label;
    std::ifstream in(out + "/results.json");
    run.results = nlohmann::json::parse(in);
    std::ifstream timing(out + "/timing.json"); // wall times live beside the results
    run.results.update(nlohmann::json::parse(timing));
    run.peakRssMiB = process.peakRssMiB;
    return run;
}

} // namespace

int
main(int argc, char** argv)
{
    std::string packets = argc > 1 ? argv[1] : "20000";
    std::string topology = argc > 2 ? argv[2] : "zoo:Kdl";
    Run aisfc = Measure(topology + " aisfc", topology, "aisfc", packets);
    Run baseline = Measure(topology + " ns3-static", topology, "ns3-static", packets);
    std::string line = "line:" + std::to_string(aisfc.results["hops"].get<uint32_t>() + 1);
    Run lineRun = Measure(line + " aisfc", line, "aisfc", packets);

    std::printf("%s UDP packets over the longest shortest path (%u hops)\n",
                packets.c_str(),
                aisfc.results["hops"].get<uint32_t>());
    std::printf("%-24s %10s %10s %12s %10s %10s %14s\n",
                "run",
                "nodes",
                "routes",
                "packet_hops",
                "build s",
                "run s",
                "peak RSS MiB");
    for (const Run* r : {&aisfc, &baseline, &lineRun})
    {
        std::printf("%-24s %10u %10lu %12lu %10.3f %10.3f %14.1f\n",
                    r->label.c_str(),
                    r->results["nodes"].get<uint32_t>(),
                    r->results["routes"].get<uint64_t>(),
                    r->results["packet_hops"].get<uint64_t>(),
                    r->results["build_wall_s"].get<double>(),
                    r->results["run_wall_s"].get<double>(),
                    r->peakRssMiB);
    }
    double runAisfc = aisfc.results["run_wall_s"].get<double>();
    std::printf("FIB memory, all nodes of %s: %.1f MiB\n",
                topology.c_str(),
                aisfc.results["fib_bytes"].get<double>() / (1 << 20));
    std::printf("ratio run wall %s aisfc / ns3-static: %.3f (target <= 0.25)\n",
                topology.c_str(),
                runAisfc / baseline.results["run_wall_s"].get<double>());
    std::printf("ratio run wall %s aisfc / %s aisfc: %.3f (target <= 1.3)\n",
                topology.c_str(),
                line.c_str(),
                runAisfc / lineRun.results["run_wall_s"].get<double>());
    std::printf("ratio peak RSS aisfc / ns3-static: %.3f (target <= 1)\n",
                aisfc.peakRssMiB / baseline.peakRssMiB);
    return 0;
}
