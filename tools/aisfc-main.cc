/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The aisfc command line (run through ./aisfc, which builds it first).
// Exit status: 0 success, 2 bad input (message names the place), 1 internal failure.

#include "aisfc-cli-args.h"
#include "aisfc-demo.h"
#include "aisfc-dune.h"
#include "aisfc-placement.h"
#include "aisfc-sweep.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-plot.h"
#include "ns3/aisfc-scenario-kinds.h"
#include "ns3/aisfc-scenario-runner.h"
#include "ns3/aisfc-topology-inspect.h"
#include "ns3/aisid-codec.h"
#include "ns3/topology-source.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace ns3
{
extern const char* const AISFC_DEMO_SCENARIO;
}

using namespace ns3;

namespace
{

const char* USAGE = R"(usage: aisfc COMMAND ...
  demo [--out DIR] [--quick]            a tour of every capability: summary table, figures and
                                        DIR/index.html (default out/demo)
  run SCENARIO.json --out DIR           run a scenario file: flows over a network, or an
                                        "aisid", "dune" or "placement" experiment
  topo inspect SPEC [--json] [--keep-parallel-edges] [--largest-component]
                                        describe a topology: a .graphml or .json file, zoo:NAME,
                                        or a generator spec
  topo generators                       list the topology generators
  aisid encode --prefix P --object O --function F --method M --performance X [--layout 16,16,16,16]
                                        print the AISID address of these fields
  aisid decode ADDR [--layout ...]      print an AISID's fields as JSON
  dune run [--data synthetic|FILE.pcap|FILE.csv] ... --out DIR
                                        DUNE against Mousika and Jewel (`aisfc dune --help`)
  plot DIR --figure NAME --out FILE.png [--x POINTER --y METRIC [--group POINTER]]
                                        a figure from DIR/results.json, or from a sweep's
                                        DIR/results.db: means and 95% CIs over replications
                                        (figures: see tools/aisfc-plot.py); figure "sweep": a
                                        metric against a swept parameter
  sweep SWEEP.json --out DIR [--jobs N] [--mpi] [--emit-slurm] [--slice K/N] [--merge]
                                        parameter sweeps into DIR/results.db and results.csv
                                        (`aisfc sweep --help`)
  placement generate|train|eval|policies|paper ...
                                        function placement and SFC reconfiguration (SR-EM);
                                        `aisfc placement --help` for the options
  test | example NAME [args] | example --list   (handled by ./aisfc)
)";

/// `aisid encode ...` / `aisid decode ADDR`: the AISID codec on the command line.
int
Aisid(int argc, char** argv)
{
    Args args(argc,
              argv,
              2,
              {},
              {"--prefix", "--object", "--function", "--method", "--performance", "--layout"},
              USAGE);
    AisidLayout layout = args.values.count("--layout")
                             ? AisidLayout::Parse(args.values.at("--layout"), "--layout")
                             : AisidLayout();
    AisidCodec codec(layout);
    if (args.positional.size() == 1 && args.positional[0] == "encode")
    {
        AisidFields f;
        f.prefix = AisidCodec::ParsePrefix(args.Require("--prefix"), "--prefix");
        f.object = AisidCodec::ParseField(args.Require("--object"), layout.objectBits, "--object");
        f.function =
            AisidCodec::ParseField(args.Require("--function"), layout.functionBits, "--function");
        f.method = AisidCodec::ParseField(args.Require("--method"), layout.methodBits, "--method");
        f.performance = AisidCodec::ParseField(args.Require("--performance"),
                                               layout.performanceBits,
                                               "--performance");
        std::cout << AisidCodec::FormatAddress(codec.Encode(f)) << "\n";
        return 0;
    }
    if (args.positional.size() == 2 && args.positional[0] == "decode")
    {
        AisidFields f = codec.Decode(AisidCodec::ParseAddress(args.positional[1], "ADDR"));
        nlohmann::json j = {{"prefix", AisidCodec::FormatPrefix(f.prefix)},
                            {"object", f.object},
                            {"function", f.function},
                            {"method", f.method},
                            {"performance", f.performance}};
        std::cout << j.dump() << "\n";
        return 0;
    }
    throw AisfcInputError("aisid",
                          "expected: aisfc aisid encode --prefix P --object O --function F "
                          "--method M --performance X, or aisfc aisid decode ADDR");
}

/// `plot DIR --figure NAME --out FILE.png [--x P --y M [--group P]]`: a figure from a result
/// directory: its results.json, or a sweep's results.db (the figure's values are means and 95%
/// confidence intervals over the replications; figure "sweep": a metric against a swept
/// parameter).
int
Plot(int argc, char** argv)
{
    Args args(argc, argv, 2, {}, {"--figure", "--x", "--y", "--group"}, USAGE);
    if (args.positional.size() != 1)
    {
        throw AisfcInputError("plot", "expected: aisfc plot DIR --figure NAME --out FILE.png");
    }
    const std::string dir = args.positional[0];
    const std::string figure = args.Require("--figure");
    const bool sweep = figure == "sweep";
    // A sweep's store holds replications: the figure then shows their means and 95% CIs.
    const std::string input =
        dir +
        (sweep || std::filesystem::exists(dir + "/results.db") ? "/results.db" : "/results.json");
    ReadInputFile(input); // names a missing or unreadable store
    std::vector<std::string> extra;
    for (const char* option : {"--x", "--y", "--group"})
    {
        if (args.values.count(option))
        {
            if (!sweep)
            {
                throw AisfcInputError(option, "only the sweep figure takes it");
            }
            extra.push_back(option);
            extra.push_back(args.values.at(option));
        }
    }
    std::string why = AisfcPlot(figure, input, args.Require("--out"), extra);
    if (!why.empty())
    {
        throw AisfcInputError("plot " + figure, why);
    }
    std::cout << "figure in " << args.out << "\n";
    return 0;
}

int
Run(const std::string& text, const std::string& source, const std::string& out)
{
    auto start = std::chrono::steady_clock::now();
    nlohmann::json results = RunScenarioText(text, source, out);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << FindScenarioKind(ParseJsonText(text, source), source).summarise(results);
    std::cout << "results in " << out << "/results.json (wall time " << wall << " s)\n";
    return 0;
}

int
Main(int argc, char** argv)
{
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")
    {
        std::cout << USAGE;
        return argc < 2 ? 2 : 0;
    }
    std::string command = argv[1];
    if (command == "demo")
    {
        return DemoCommand(argc, argv);
    }
    if (command == "run")
    {
        Args args(argc, argv, 2, {}, {}, USAGE);
        if (args.positional.size() != 1 || !args.hasOut)
        {
            throw AisfcInputError("run", "expected: aisfc run SCENARIO.json --out DIR");
        }
        const std::string& path = args.positional[0];
        return Run(ReadInputFile(path), path, args.out);
    }
    if (command == "aisid")
    {
        return Aisid(argc, argv);
    }
    if (command == "placement")
    {
        return PlacementCommand(argc, argv);
    }
    if (command == "dune")
    {
        return DuneCommand(argc, argv);
    }
    if (command == "sweep")
    {
        return SweepCommand(argc, argv);
    }
    if (command == "plot")
    {
        return Plot(argc, argv);
    }
    if (command == "topo")
    {
        Args args(argc,
                  argv,
                  2,
                  {"--json", "--keep-parallel-edges", "--largest-component"},
                  {},
                  USAGE);
        if (args.positional.size() == 1 && args.positional[0] == "generators")
        {
            for (const auto& usage : ListTopologyGenerators())
            {
                std::cout << usage << "\n";
            }
            std::cout << "zoo:NAME  a Topology Zoo network by name\n";
            return 0;
        }
        if (args.positional.size() != 2 || args.positional[0] != "inspect")
        {
            throw AisfcInputError("topo", "expected: aisfc topo inspect SPEC [--json]");
        }
        TopologyOptions options;
        options.keepParallelEdges = args.Has("--keep-parallel-edges");
        options.largestComponentOnly = args.Has("--largest-component");
        nlohmann::json d = DescribeTopology(LoadTopology(args.positional[1], options));
        std::cout << (args.Has("--json") ? d.dump() + "\n" : DescribeTopologyText(d));
        return 0;
    }
    throw AisfcInputError(command, "unknown command\n" + std::string(USAGE));
}

} // namespace

int
main(int argc, char** argv)
{
    try
    {
        return Main(argc, argv);
    }
    catch (const AisfcInputError& e)
    {
        std::cerr << "aisfc: " << e.what() << "\n";
        return 2;
    }
    catch (const std::exception& e)
    {
        std::cerr << "aisfc: internal error: " << e.what() << "\n";
        return 1;
    }
}
