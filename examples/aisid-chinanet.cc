/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// AISID against DNS-based scheduling on Chinanet (the AISID paper's Table 3 setup).
//
//   ./aisfc example aisid-chinanet --concurrency=500 --outDir=out/aisid
//   ./aisfc example aisid-chinanet --sweep=100,200,300,400,500 --outDir=out/aisid-sweep
//
// Network (defaults from Table 3): the Topology Zoo Chinanet graph (42 nodes, 66 links), every
// link --linkRate (100 Gbit/s) with --linkDelay (5 ms; "geo" keeps the loader's delays from
// the node coordinates); 10 ingress gateways at the highest-degree nodes, 4 egress gateways
// (service sites) spread over the map by greedy k-median on path delay; clients are hosts on
// 100 Gbit/s, 100 us access links behind their topology node; --nodesPerEgress service nodes behind
// each egress on 100 Gbit/s, 100 us stub links, sharing --totalTflops (10 000) in proportions
// 1:2:3:4 repeating (heterogeneous sites).
//
// Services: 10 offered service types; 20 requestable AISIDs (type k in 1..10, method 1 or 2),
// every AISID hosted on every service node.  In the DNS baseline each AISID is a name
// svcN.ai.example whose instances are the service nodes' plain addresses, listed rotated by N
// (so round-robin starts each name elsewhere).
//
// Load: N = --concurrency requests all start within --window after --startTime, each from a
// client on a topology node drawn uniformly (one AisidClient per node), for an AISID drawn
// uniformly, with compute demand uniform in [--minTflop, --maxTflop] TFLOP (Table 3's 1-10,
// read as work per request) and bandwidth demand uniform in [--minMbps, --maxMbps] (20-100)
// sent as a payload of demand x --transferSeconds bytes; the response body is uniform in
// [--minResponse, --maxResponse] bytes.  The draws come from fixed ns-3 streams, so --RngRun
// changes them and both modes get the same requests.
//
// Modes (--mode=both|aisid|dns), each in its own simulation of the same network:
//  - aisid: clients connect to the AISID; nodes without a gateway route it to the nearest
//    ingress gateway, which picks an egress by least delay (load tie-break) and SRv6-encaps;
//    the egress picks a service node by weighted least connections.  AISIDs are registered
//    with the control system at t = 0 (real signalling; --startTime leaves time for it).
//  - dns: clients resolve the name with a stub resolver -> the nearest of --resolvers
//    recursive resolvers (TTL cache) -> the authoritative server (--dnsPolicy nearest or
//    round-robin, --ttl), then connect to the returned address over plain IPv6.  The same
//    gateways are installed but carry no AISID traffic.
//
// Metrics per mode: response time (first packet to last response byte) mean/p50/p95/p99 and
// its mean breakdown; link bandwidth utilisation of each topology link = bytes sent on it in
// both directions / (2 x rate x --horizon) and its variance over the 66 links; compute
// utilisation of each service node = busy time / --horizon and its variance.  A common horizon
// (the simulated time, long enough for every request to finish) makes the variances of the two
// modes comparable: relative reductions do not depend on it.  reduction_pct = (dns - aisid) /
// dns x 100, the paper's "reduced by" figures.  Wall time goes to stdout only, so results.json
// is byte-identical for the same arguments.

#include "ns3/aisid-chinanet.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-plot.h"
#include "ns3/aisfc-units.h"
#include "ns3/command-line.h"

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    AisidChinanetParams p;
    std::string linkRate = "100Gbps";
    CommandLine cmd(__FILE__);
    cmd.Usage("AISID against DNS-based scheduling on Chinanet (the AISID paper's Table 3).");
    cmd.AddValue("topology", "topology spec (zoo:NAME, .graphml, .json)", p.topology);
    cmd.AddValue("linkRate", "rate of every topology link", linkRate);
    cmd.AddValue("linkDelay",
                 "propagation delay of every link, or \"geo\" (from coordinates)",
                 p.linkDelay);
    cmd.AddValue("ingressCount", "ingress gateways at the highest-degree nodes", p.ingressCount);
    cmd.AddValue("gatewayFraction",
                 "ingress gateways at this fraction of the nodes (0: use --ingressCount)",
                 p.gatewayFraction);
    cmd.AddValue("ingress",
                 "comma-separated ingress gateway nodes (overrides the counts)",
                 p.ingress);
    cmd.AddValue("egressCount",
                 "egress gateways (service sites), placed by greedy k-median",
                 p.egressCount);
    cmd.AddValue("egress", "comma-separated egress gateway nodes", p.egress);
    cmd.AddValue("nodesPerEgress", "service nodes behind each egress gateway", p.nodesPerEgress);
    cmd.AddValue("totalTflops",
                 "compute of all service nodes (shares 1:2:3:4 repeating)",
                 p.totalTflops);
    cmd.AddValue("resolvers", "DNS recursive resolvers at the highest-degree nodes", p.resolvers);
    cmd.AddValue("dnsPolicy", "authoritative selection: nearest or round-robin", p.dnsPolicy);
    cmd.AddValue("ttl", "TTL of DNS answers (s)", p.ttl);
    cmd.AddValue("concurrency", "requests started within --window", p.concurrency);
    cmd.AddValue("sweep",
                 "comma-separated concurrency levels (adds \"sweep\" to results)",
                 p.sweep);
    cmd.AddValue("window", "seconds within which the requests of a level start", p.window);
    cmd.AddValue("startTime", "first request time (s), after AISID registration", p.startTime);
    cmd.AddValue("horizon", "simulated seconds; the utilisation denominator", p.horizon);
    cmd.AddValue("minTflop", "smallest compute demand (TFLOP)", p.minTflop);
    cmd.AddValue("maxTflop", "largest compute demand (TFLOP)", p.maxTflop);
    cmd.AddValue("minMbps", "smallest bandwidth demand (Mbit/s)", p.minMbps);
    cmd.AddValue("maxMbps", "largest bandwidth demand (Mbit/s)", p.maxMbps);
    cmd.AddValue("transferSeconds", "payload = bandwidth demand x this", p.transferSeconds);
    cmd.AddValue("minResponse", "smallest response body (bytes)", p.minResponse);
    cmd.AddValue("maxResponse", "largest response body (bytes)", p.maxResponse);
    cmd.AddValue("segmentSize", "TCP MSS (room for the SRv6 encapsulation)", p.segmentSize);
    cmd.AddValue("tcpBuffer", "TCP send and receive buffer bytes", p.tcpBuffer);
    cmd.AddValue("mode", "both, aisid or dns", p.mode);
    cmd.AddValue("plot", "plot the sweep figures (needs --sweep)", p.plot);
    cmd.AddValue("outDir", "output directory", p.outDir);
    cmd.Parse(argc, argv);

    try
    {
        p.linkRate = ParseDataRateBps(linkRate, "--linkRate");
        auto wall0 = std::chrono::steady_clock::now();
        nlohmann::json out = AisidRunChinanet(p, "--", true);
        double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
        std::filesystem::create_directories(p.outDir);
        WriteFileAtomically(p.outDir + "/results.json", out.dump(2) + "\n");
        if (out.contains("sweep") && p.plot)
        {
            AisfcPlotFigures(
                p.outDir,
                {{"aisid-latency", "aisid-latency.png"}, {"aisid-variance", "aisid-variance.png"}});
        }
        std::cout << AisidChinanetSummary(out);
        std::cout << std::setprecision(2) << "wall time " << wall << " s\n"
                  << "results in " << p.outDir << "/results.json\n";
    }
    catch (const AisfcInputError& e)
    {
        std::cerr << "aisid-chinanet: " << e.what() << "\n";
        return 2;
    }
    catch (const std::exception& e)
    {
        std::cerr << "aisid-chinanet: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
