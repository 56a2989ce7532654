/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// `aisfc demo`: a short tour of every capability, each run as a user would run it (the CLI's
// own commands and the example programs), with a summary table, figures and an index.html.

#include "aisfc-demo.h"

#include "aisfc-cli-args.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-plot.h"
#include "ns3/aisfc-scenario-runner.h"
#include "ns3/aisfc-units.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace ns3
{
extern const char* const AISFC_DEMO_SCENARIO;

namespace
{

namespace fs = std::filesystem;

const char* DEMO_USAGE = R"(usage: aisfc demo [--out DIR] [--quick]
  a tour of the module: a short run of each capability (IPv6/SRv6 forwarding, SRv6 service
  chains, PDP switches with external memory, neural service functions, AISID, SR-EM placement,
  DUNE),
  a summary table, and DIR/index.html with every figure (default DIR: out/demo).
  --quick   only the default scenario (seconds)
)";

/// One stop of the tour.
struct Stop
{
    std::string name;                 //!< directory and anchor
    std::string title;                //!< heading
    std::string what;                 //!< one sentence on what it shows
    std::vector<std::string> command; //!< argv (program first); empty: the embedded scenario
    bool ok = false;
    double seconds = 0;
    std::string summary;                                      //!< key figures, one line
    std::vector<std::pair<std::string, std::string>> figures; //!< figure name -> png in dir
};

std::string
SelfDir()
{
    return fs::canonical("/proc/self/exe").parent_path().string();
}

std::string
Quote(const std::string& s)
{
    std::string q = "'";
    for (char c : s)
    {
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return q + "'";
}

/// Run argv with stdout and stderr into log. \return the exit status
int
RunLogged(const std::vector<std::string>& argv, const std::string& dir, const std::string& log)
{
    std::string command = "cd " + Quote(dir) + " &&";
    for (const std::string& a : argv)
    {
        command += " " + Quote(a);
    }
    command += " > " + Quote(log) + " 2>&1";
    int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/// Key figures of a scenario's results.json.
std::string
FlowSummary(const nlohmann::json& r)
{
    double throughput = 0;
    double worstP99 = 0;
    uint64_t lost = 0;
    for (const nlohmann::json& f : r["flows"])
    {
        throughput += f.value("throughput_bps", 0.0);
        worstP99 = std::max(worstP99, f.value("delay_p99_s", 0.0));
        lost += f.value("dropped_packets", uint64_t(0));
    }
    return std::to_string(r["flows"].size()) + " flows, " + FormatFixed(throughput / 1e6, 1) +
           " Mbit/s in all, worst p99 delay " + FormatFixed(worstP99 * 1e3, 3) + " ms, " +
           std::to_string(lost) + " packets dropped";
}

std::string
Summarise(const Stop& s, const std::string& dir)
{
    if (s.name == "forwarding" || s.name == "srv6-sfc")
    {
        return FlowSummary(ReadJsonFile(dir + "/results.json"));
    }
    if (s.name == "pdp")
    {
        const nlohmann::json r = ReadJsonFile(dir + "/results.json");
        std::string out;
        for (const nlohmann::json& p : r["placements"])
        {
            out += (out.empty() ? "" : ", ") + p["placement"].get<std::string>() + " " +
                   FormatFixed(p["mean_latency_us"].get<double>(), 2) + " us";
        }
        return "one-way latency with the function in " + out;
    }
    if (s.name == "nsf")
    {
        const nlohmann::json r = ReadJsonFile(dir + "/results.json");
        const nlohmann::json& sfc = r["vs_batch_size"]["sfc"];
        const nlohmann::json& last = sfc.back();
        return "split inference of " + r["model"].get<std::string>() + ": " +
               FormatFixed(last["mean_latency_ms"].get<double>(), 2) + " ms per mini-batch of " +
               std::to_string(last["batch_size"].get<int>()) + " through the chain";
    }
    if (s.name == "aisid")
    {
        const nlohmann::json r = ReadJsonFile(dir + "/results.json");
        return "at " + std::to_string(r["concurrency"].get<int>()) +
               " concurrent requests: mean response " +
               FormatFixed(r["aisid"]["response_time_ms"]["mean"].get<double>(), 1) + " ms (DNS " +
               FormatFixed(r["dns"]["response_time_ms"]["mean"].get<double>(), 1) +
               " ms), link utilisation variance -" +
               FormatFixed(r["reduction_pct"]["link_utilisation_variance"].get<double>(), 1) + "%";
    }
    if (s.name == "placement")
    {
        const nlohmann::json r = ReadJsonFile(dir + "/results.json");
        std::string out;
        for (const auto& [name, v] : r["fig6"].items())
        {
            out += (out.empty() ? "" : "; ") + name + " AR " +
                   FormatFixed(v["overall"]["acceptance_ratio"].get<double>(), 3) + " cost " +
                   FormatFixed(v["overall"]["total_cost"].get<double>(), 3);
        }
        return out;
    }
    if (s.name == "dune")
    {
        const nlohmann::json r = ReadJsonFile(dir + "/results.json")["systems"];
        std::string out;
        for (const char* name : {"mousika", "jewel", "dune"})
        {
            out += (out.empty() ? "" : "; ") + std::string(name) + " macro F1 " +
                   FormatFixed(r[name]["macro_f1"].get<double>(), 3) + ", " +
                   FormatFixed(r[name]["total_latency_ns"].get<double>(), 0) + " ns";
        }
        return out;
    }
    return "";
}

std::string
Html(const std::vector<Stop>& stops)
{
    std::ostringstream h;
    h << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>aisfc demo</title>\n"
         "<style>body{font-family:sans-serif;max-width:1000px;margin:auto}"
         "img{max-width:480px;margin:4px;border:1px solid #ccc}"
         "td,th{padding:4px 8px;border-bottom:1px solid #ddd}.fail{color:#b00}</style>"
         "</head><body>\n<h1>aisfc: a tour</h1>\n<table><tr><th>capability</th><th>status</th>"
         "<th>time</th><th>figures</th></tr>\n";
    for (const Stop& s : stops)
    {
        h << "<tr><td><a href=\"#" << s.name << "\">" << s.title << "</a></td><td"
          << (s.ok ? ">ok" : " class=\"fail\">failed") << "</td><td>" << FormatFixed(s.seconds, 1)
          << " s</td><td>" << s.summary << "</td></tr>\n";
    }
    h << "</table>\n";
    for (const Stop& s : stops)
    {
        h << "<h2 id=\"" << s.name << "\">" << s.title << "</h2>\n<p>" << s.what << "</p>\n";
        if (!s.command.empty())
        {
            h << "<p><code>";
            for (size_t k = 0; k < s.command.size(); ++k)
            {
                h << (k == 0 ? fs::path(s.command[0]).filename().string() : s.command[k]) << " ";
            }
            h << "</code></p>\n";
        }
        h << "<p>" << s.summary << " (<a href=\"" << s.name << "/\">outputs</a>)</p>\n";
        for (const auto& [figure, png] : s.figures)
        {
            if (fs::exists(png))
            {
                h << "<img src=\""
                  << fs::path(png)
                         .lexically_relative(fs::path(png).parent_path().parent_path())
                         .string()
                  << "\" alt=\"" << figure << "\">\n";
            }
        }
    }
    h << "</body></html>\n";
    return h.str();
}

} // namespace

int
DemoCommand(int argc, char** argv)
{
    Args args(argc, argv, 2, {"--quick"}, {}, DEMO_USAGE);
    if (!args.positional.empty())
    {
        throw AisfcInputError("demo", "unexpected argument '" + args.positional[0] + "'");
    }
    const std::string out = fs::absolute(args.hasOut ? args.out : "out/demo").string();
    const std::string self = SelfDir();
    const std::string cli = self + "/aisfc-cli";
    const std::string examples = self + "/examples";

    std::vector<Stop> stops;
    stops.push_back({"forwarding",
                     "IPv6 forwarding and SRv6 steering",
                     "The default scenario: flows over a generated topology, with exact per-packet "
                     "delays.",
                     {},
                     false,
                     0,
                     "",
                     {{"scenario-flows", "flows.png"}}});
    if (!args.Has("--quick"))
    {
        stops.push_back({"srv6-sfc",
                         "SRv6 service function chain",
                         "A TCP transfer across GEANT steered through SR-unaware functions behind "
                         "proxies and an SR-aware one.",
                         {examples + "/srv6-sfc", "--duration=1"},
                         false,
                         0,
                         "",
                         {{"scenario-flows", "flows.png"}}});
        stops.push_back({"pdp",
                         "PDP switches and external memory over RDMA",
                         "A function placed in a switch's local memory, its external memory "
                         "(RoCEv2 reads) and a server.",
                         {examples + "/pdp-external-memory", "--duration=0.005"},
                         false,
                         0,
                         "",
                         {{"pdp-placements", "placements.png"}}});
        stops.push_back({"nsf",
                         "Neural service functions: split inference",
                         "A CNN split across a chain of NSFs against a single server.",
                         {examples + "/nsf-msi", "--batchSizes=1,4,16,64", "--batches=3"},
                         false,
                         0,
                         "",
                         {{"", "latency-vs-batch-size.png"}, {"", "latency-vs-split-points.png"}}});
        stops.push_back({"aisid",
                         "AISID: AI service identifiers against DNS",
                         "Requests to service identifiers steered by gateways over SRv6 against "
                         "DNS-based scheduling on Chinanet, at rising concurrency.",
                         {examples + "/aisid-chinanet", "--sweep=50,100", "--concurrency=100"},
                         false,
                         0,
                         "",
                         {{"", "aisid-latency.png"}, {"", "aisid-variance.png"}}});
        stops.push_back({"placement",
                         "SR-EM placement and reconfiguration",
                         "DRL with filters against RANDOM, LAG and DDQN-CM on a small srem set "
                         "(short training).",
                         {cli,
                          "placement",
                          "paper",
                          "--episodes",
                          "100",
                          "--ddqn-episodes",
                          "40",
                          "--train",
                          "20",
                          "--test",
                          "4",
                          "--ilp-problems",
                          "0"},
                         false,
                         0,
                         "",
                         {{"", "fig5-training-reward.png"},
                          {"", "fig6a-acceptance.png"},
                          {"", "fig6b-cost.png"},
                          {"", "fig6c-usage.png"}}});
        stops.push_back({"dune",
                         "DUNE: distributed in-network ML",
                         "Sub-models across three PDP switches against Mousika and Jewel on "
                         "synthetic traffic.",
                         {cli, "dune", "run", "--classes", "6", "--flows-per-class", "60"},
                         false,
                         0,
                         "",
                         {{"", "dune-f1.png"}, {"", "dune-latency.png"}}});
    }

    fs::create_directories(out);
    bool allOk = true;
    for (Stop& s : stops)
    {
        const std::string dir = out + "/" + s.name;
        fs::create_directories(dir);
        std::cerr << "demo: " << s.title << " ..." << std::flush;
        auto start = std::chrono::steady_clock::now();
        try
        {
            if (s.command.empty())
            {
                RunScenarioText(AISFC_DEMO_SCENARIO, "<demo scenario>", dir);
                s.ok = true;
            }
            else
            {
                std::vector<std::string> argv = s.command;
                argv.push_back(s.command[0] == cli ? "--out" : "--outDir=" + dir);
                if (s.command[0] == cli)
                {
                    argv.push_back(dir);
                }
                s.ok = RunLogged(argv, dir, dir + "/log.txt") == 0;
            }
            if (s.ok)
            {
                s.summary = Summarise(s, dir);
                for (auto& [figure, png] : s.figures)
                {
                    png = dir + "/" + png;
                    if (!figure.empty())
                    {
                        if (std::string why = AisfcPlot(figure, dir + "/results.json", png);
                            !why.empty())
                        {
                            std::cerr << " (" << why << ")";
                        }
                    }
                }
            }
            else
            {
                s.summary = "failed: see " + s.name + "/log.txt";
            }
        }
        catch (const std::exception& e)
        {
            s.ok = false;
            s.summary = std::string("failed: ") + e.what();
        }
        s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        allOk = allOk && s.ok;
        std::cerr << (s.ok ? " ok" : " FAILED") << " (" << FormatFixed(s.seconds, 1) << " s)\n";
    }
    WriteFileAtomically(out + "/index.html", Html(stops));

    std::cout << std::left << std::setw(48) << "capability" << std::setw(8) << "status"
              << std::setw(9) << "time"
              << "key figures\n";
    for (const Stop& s : stops)
    {
        std::cout << std::setw(48) << s.title << std::setw(8) << (s.ok ? "ok" : "FAILED")
                  << std::setw(9) << (FormatFixed(s.seconds, 1) + " s") << s.summary << "\n";
    }
    std::cout << "figures and outputs: " << out << "/index.html\n";
    return allOk ? 0 : 1;
}

} // namespace ns3
