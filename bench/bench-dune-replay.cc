/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Replay speed of DUNE's data plane (issue #8): simulated packets per wall second through three
// PDP switches running DUNE's sub-models, against plain forwarding through the same switches
// measured in the same run (the baseline), on synthetic traffic.
//
// usage: bench-dune-replay [--classes=N] [--flows=N]   (defaults 10 classes x 400 conversations)

#include "ns3/dune-dataplane.h"
#include "ns3/dune-synthetic.h"
#include "ns3/dune-system.h"

#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

using namespace ns3;

int
main(int argc, char** argv)
{
    DuneSyntheticOptions o;
    o.flowsPerClass = 400;
    for (int i = 1; i < argc; ++i)
    {
        std::string a = argv[i];
        if (a.rfind("--classes=", 0) == 0 && std::atoi(a.c_str() + 10) >= 2)
        {
            o.classes = std::atoi(a.c_str() + 10);
        }
        else if (a.rfind("--flows=", 0) == 0 && std::atoi(a.c_str() + 8) > 0)
        {
            o.flowsPerClass = std::atoi(a.c_str() + 8);
        }
        else
        {
            std::cerr << "bench-dune-replay: bad option '" << a
                      << "' (--classes=N >= 2, --flows=N > 0)\n";
            return 2;
        }
    }
    DuneSyntheticTraffic traffic = DuneGenerateSyntheticTraffic(o);
    DuneDataset train;
    DuneDataset test;
    traffic.Extract().SplitByFlow(0.3, 1, train, test);
    DuneSystem dune = DuneSystem::TrainDune(train, DuneConfig());
    std::cout << "synthetic: " << o.classes << " classes, " << traffic.packets.size()
              << " packets; DUNE with " << dune.GetModels().size() << " sub-models\n";
    DuneDataPlaneOptions options;
    options.keepPackets = false;
    std::cout << std::fixed;
    double baseline = 0;
    for (const DuneSystem* system : std::vector<const DuneSystem*>{nullptr, &dune})
    {
        DuneDataPlaneResult r = DuneRunDataPlane(system, traffic, options);
        if (!system)
        {
            baseline = r.replayRate;
        }
        std::cout << std::setw(14) << (system ? "dune" : "no inference") << ": "
                  << r.packetsReplayed << " packets, " << std::setprecision(3) << r.simulatedSeconds
                  << " s simulated in " << r.wallSeconds << " s wall: " << std::setprecision(0)
                  << r.replayRate << " packets/s";
        if (system)
        {
            std::cout << std::setprecision(2) << " (" << r.replayRate / baseline
                      << "x plain forwarding), macro F1 " << std::setprecision(4) << r.macroF1
                      << ", " << std::setprecision(0) << r.totalLatencyNs << " ns over "
                      << r.switches << " switches";
        }
        std::cout << "\n";
    }
    return 0;
}
