/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// UDP constant-bit-rate flows between random node pairs of a Topology Zoo network (or any
// topology spec).  The pairs are drawn from ns-3's random streams, so --RngRun changes them.
//
//   ./aisfc example zoo-udp-flows --topology=zoo:Chinanet --flows=20 --rate=5Mbps --outDir=out/zoo
//
// Like every aisfc entry point it only writes a scenario and runs it through RunScenario, so
// OUT/config.resolved.json can be rerun with `./aisfc run`.

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-scenario-runner.h"
#include "ns3/command-line.h"
#include "ns3/random-variable-stream.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/topology-source.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    std::string topology = "zoo:Chinanet";
    uint32_t flows = 10;
    std::string rate = "5Mbps";
    uint32_t packetSize = 1000;
    double duration = 2.0;
    std::string outDir = "zoo-udp-flows-out";

    CommandLine cmd(__FILE__);
    cmd.AddValue("topology", "topology spec (.graphml, .json, zoo:NAME, generator)", topology);
    cmd.AddValue("flows", "number of flows", flows);
    cmd.AddValue("rate", "sending rate of each flow", rate);
    cmd.AddValue("packetSize", "UDP payload bytes", packetSize);
    cmd.AddValue("duration", "simulated seconds", duration);
    cmd.AddValue("outDir", "output directory", outDir);
    cmd.Parse(argc, argv);

    try
    {
        AisfcTopology topo = LoadTopology(topology, TopologyOptions());
        std::vector<std::string> candidates;
        for (uint32_t i = 0; i < topo.GetNNodes(); ++i)
        {
            if (!topo.GetLinksOf(i).empty())
            {
                candidates.push_back(topo.GetNode(i).name);
            }
        }
        if (candidates.size() < 2)
        {
            throw AisfcInputError("--topology", "needs at least two connected nodes");
        }
        Ptr<UniformRandomVariable> pick = CreateObject<UniformRandomVariable>();
        nlohmann::json traffic = nlohmann::json::array();
        for (uint32_t f = 0; f < flows; ++f)
        {
            uint32_t src = pick->GetInteger(0, candidates.size() - 1);
            uint32_t dst = pick->GetInteger(0, candidates.size() - 2);
            dst += dst >= src ? 1 : 0;
            traffic.push_back({{"type", "udp-cbr"},
                               {"src", candidates[src]},
                               {"dst", candidates[dst]},
                               {"rate", rate},
                               {"packet_size", packetSize},
                               {"start", 0.1},
                               {"stop", duration * 0.9}});
        }
        nlohmann::json scenario = {{"name", "zoo-udp-flows"},
                                   {"seed", RngSeedManager::GetSeed()},
                                   {"run", RngSeedManager::GetRun()},
                                   {"duration", duration},
                                   {"topology", topology},
                                   {"traffic", traffic}};
        nlohmann::json results = RunScenarioText(scenario.dump(), "zoo-udp-flows", outDir);
        std::cout << SummariseResults(results);
    }
    catch (const AisfcInputError& e)
    {
        std::cerr << "zoo-udp-flows: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
