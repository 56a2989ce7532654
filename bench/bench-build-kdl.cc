/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Builds the largest Topology Zoo network (Kdl: 754 nodes, 899 edges) as an ns-3 network with
// routes to every node address and every link prefix, and reports wall time and peak memory.
// Baseline in the same run: the same network and routes in ns-3's Ipv6StaticRouting.
// Each variant runs in its own forked process so that peak RSS is its own.
//
// usage: bench-build-kdl [TOPOLOGY_SPEC]   (default: Kdl from ../shared/topologyzoo)

#include "ns3/aisfc-network-builder.h"
#include "ns3/simulator.h"
#include "ns3/topology-source.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace ns3;

namespace
{

struct Figures
{
    double loadSeconds = 0;
    double buildSeconds = 0;
    double routes = 0;
    double fibBytes = 0;
    double peakRssBytes = 0;
};

double
Since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Runs in the child: load and build, write the figures to fd.
void
Measure(const std::string& spec, NetworkOptions::Routing routing, int fd)
{
    Figures f;
    auto t0 = std::chrono::steady_clock::now();
    AisfcTopology topo = LoadTopology(spec, TopologyOptions());
    f.loadSeconds = Since(t0);
    NetworkOptions options;
    options.routing = routing;
    auto t1 = std::chrono::steady_clock::now();
    AisfcNetworkBuilder net(topo, options);
    f.buildSeconds = Since(t1);
    f.routes = net.GetNRoutes();
    f.fibBytes = net.GetFibMemoryBytes();
    if (write(fd, &f, sizeof(f)) != sizeof(f))
    {
        _exit(1);
    }
    _exit(0); // skip teardown: it is not part of building
}

Figures
RunChild(const std::string& spec, NetworkOptions::Routing routing)
{
    int fds[2];
    if (pipe(fds) != 0)
    {
        std::perror("pipe");
        std::exit(1);
    }
    pid_t pid = fork();
    if (pid == 0)
    {
        close(fds[0]);
        try
        {
            Measure(spec, routing, fds[1]);
        }
        catch (const std::exception& e)
        {
            std::cerr << "bench-build-kdl: " << e.what() << "\n";
            _exit(2);
        }
    }
    close(fds[1]);
    Figures f;
    bool ok = read(fds[0], &f, sizeof(f)) == sizeof(f);
    close(fds[0]);
    int status = 0;
    struct rusage usage;
    wait4(pid, &status, 0, &usage);
    if (!ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    {
        std::cerr << "bench-build-kdl: measurement failed\n";
        std::exit(1);
    }
    f.peakRssBytes = usage.ru_maxrss * 1024.0;
    return f;
}

} // namespace

int
main(int argc, char** argv)
{
    std::string spec =
        argc > 1 ? argv[1]
                 : std::string(AISFC_SOURCE_DIR) + "/../shared/topologyzoo/graphml/Kdl.graphml";
    Figures baseline = RunChild(spec, NetworkOptions::Routing::NS3_STATIC);
    Figures aisfc = RunChild(spec, NetworkOptions::Routing::AISFC);

    std::printf("network build for %s\n", spec.c_str());
    std::printf("%-22s %10s %10s %12s %12s %12s\n",
                "routing",
                "load s",
                "build s",
                "routes",
                "FIB MiB",
                "peak RSS MiB");
    for (auto [name, f] :
         {std::make_pair("ns3-static (baseline)", baseline), std::make_pair("aisfc", aisfc)})
    {
        std::printf("%-22s %10.3f %10.3f %12.0f %12.1f %12.1f\n",
                    name,
                    f.loadSeconds,
                    f.buildSeconds,
                    f.routes,
                    f.fibBytes / (1 << 20),
                    f.peakRssBytes / (1 << 20));
    }
    std::printf("ratio aisfc/baseline: build time %.3f, peak RSS %.3f\n",
                aisfc.buildSeconds / baseline.buildSeconds,
                aisfc.peakRssBytes / baseline.peakRssBytes);
    return 0;
}
