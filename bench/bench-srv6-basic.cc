/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Simulation cost of SRv6 against plain IPv6 forwarding for the same traffic: the srv6-basic
// example in both modes (same topology, same links, same UDP and TCP packets; SRv6 adds the
// encapsulation, five End SIDs and an End.DT6 SID on the way).  Each run is its own process;
// each mode runs REPEAT times, alternating, and the fastest run of each counts, so a busy
// moment of the machine does not decide the ratio.
//
// usage: bench-srv6-basic [PACKETS [TOPOLOGY_SPEC [REPEAT]]]   (default 20000, zoo:Geant2012, 3)

#include "bench-process.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace
{

struct Run
{
    double wallSeconds = 0;
    nlohmann::json results;
};

Run
Measure(const std::string& mode, const std::string& topology, const std::string& packets)
{
    std::string out = "/tmp/aisfc-bench-srv6-" + std::to_string(getpid()) + "-" + mode;
    std::vector<std::string> args = {AISFC_EXAMPLES_DIR "/srv6-basic",
                                     "--mode=" + mode,
                                     "--topology=" + topology,
                                     "--packets=" + packets,
                                     "--rate=40Mbps",
                                     "--tcpBytes=20000000",
                                     "--duration=5",
                                     "--outDir=" + out};
    BenchProcess process = RunBenchProcess(args);
    if (!process.ok)
    {
        std::cerr << "bench-srv6-basic: " << args[0] << " --mode=" << mode << " failed\n";
        std::exit(1);
    }
    Run run;
    run.wallSeconds = process.wallSeconds;
    std::ifstream in(out + "/results.json");
    run.results = nlohmann::json::parse(in);
    return run;
}

uint64_t
Packets(const nlohmann::json& results, const char* key)
{
    uint64_t n = 0;
    for (const auto& f : results["flows"])
    {
        n += f[key].get<uint64_t>();
    }
    return n;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string packets = argc > 1 ? argv[1] : "20000";
    std::string topology = argc > 2 ? argv[2] : "zoo:Geant2012";
    int repeat = argc > 3 ? std::stoi(argv[3]) : 3;

    Run best[2];
    const char* modes[2] = {"ipv6", "srv6"};
    for (int r = 0; r < repeat; ++r)
    {
        for (int m = 0; m < 2; ++m)
        {
            Run run = Measure(modes[m], topology, packets);
            if (r == 0 || run.wallSeconds < best[m].wallSeconds)
            {
                best[m] = run;
            }
        }
    }
    std::cout << "srv6-basic on " << topology << ", " << packets
              << " UDP packets + a 20 MB TCP transfer, best of " << repeat << "\n";
    std::cout << std::left << std::setw(8) << "mode" << std::right << std::setw(12) << "tx pkts"
              << std::setw(12) << "rx pkts" << std::setw(12) << "wall s"
              << "\n";
    for (int m = 0; m < 2; ++m)
    {
        std::cout << std::left << std::setw(8) << modes[m] << std::right << std::setw(12)
                  << Packets(best[m].results, "tx_packets") << std::setw(12)
                  << Packets(best[m].results, "rx_packets") << std::setw(12) << std::fixed
                  << std::setprecision(3) << best[m].wallSeconds << "\n";
    }
    if (Packets(best[0].results, "tx_packets") != Packets(best[1].results, "tx_packets"))
    {
        std::cout << "note: the modes sent different packet counts\n";
    }
    std::cout << "ratio wall srv6/ipv6: " << std::setprecision(3)
              << best[1].wallSeconds / best[0].wallSeconds << " (target <= 1.25)\n";
    return 0;
}
