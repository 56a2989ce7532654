/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "topology-generators.h"

#include "topology-source.h"

#include "ns3/aisfc-error.h"

#include <tuple>

namespace ns3
{

namespace
{

uint32_t
AddNamed(TopologyBuilder& b, const std::string& name, NodeRole role)
{
    TopologyNode n;
    n.name = name;
    n.role = role;
    return b.AddNode(n);
}

// Index ranges of one tier of switches, e.g. the aggregation switches of pod p.
std::vector<uint32_t>
AddTier(TopologyBuilder& b, const char* prefix, NodeRole role, uint32_t count, uint32_t& counter)
{
    std::vector<uint32_t> ids;
    for (uint32_t i = 0; i < count; ++i)
    {
        ids.push_back(AddNamed(b, prefix + std::to_string(counter++), role));
    }
    return ids;
}

} // namespace

AisfcTopology
MakeFatTree(uint32_t k, double rateBps, double delaySeconds, const TopologyOptions& options)
{
    TopologyBuilder b("fattree-k" + std::to_string(k));
    uint32_t half = k / 2;
    uint32_t coreCounter = 0;
    uint32_t aggCounter = 0;
    uint32_t edgeCounter = 0;
    uint32_t hostCounter = 0;
    std::vector<uint32_t> cores = AddTier(b, "core", NodeRole::CORE, half * half, coreCounter);
    for (uint32_t pod = 0; pod < k; ++pod)
    {
        std::vector<uint32_t> aggs = AddTier(b, "agg", NodeRole::AGGREGATION, half, aggCounter);
        std::vector<uint32_t> edges = AddTier(b, "edge", NodeRole::EDGE, half, edgeCounter);
        for (uint32_t j = 0; j < half; ++j)
        {
            for (uint32_t c = 0; c < half; ++c)
            {
                b.AddEdge(aggs[j], cores[j * half + c], rateBps, delaySeconds);
            }
        }
        for (uint32_t e : edges)
        {
            for (uint32_t a : aggs)
            {
                b.AddEdge(e, a, rateBps, delaySeconds);
            }
            for (uint32_t h : AddTier(b, "host", NodeRole::HOST, half, hostCounter))
            {
                b.AddEdge(h, e, rateBps, delaySeconds);
            }
        }
    }
    return b.Build(options);
}

AisfcTopology
MakeSremFatTree(double rateBps, double delaySeconds, const TopologyOptions& options)
{
    TopologyBuilder b("fattree-srem");
    uint32_t coreCounter = 0;
    uint32_t aggCounter = 0;
    uint32_t edgeCounter = 0;
    uint32_t serverCounter = 0;
    std::vector<uint32_t> cores = AddTier(b, "core", NodeRole::CORE, 2, coreCounter);
    for (uint32_t pod = 0; pod < 2; ++pod)
    {
        std::vector<uint32_t> aggs = AddTier(b, "agg", NodeRole::AGGREGATION, 2, aggCounter);
        std::vector<uint32_t> edges = AddTier(b, "edge", NodeRole::EDGE, 2, edgeCounter);
        for (uint32_t a : aggs)
        {
            for (uint32_t c : cores)
            {
                b.AddEdge(a, c, rateBps, delaySeconds);
            }
        }
        for (uint32_t e : edges)
        {
            for (uint32_t a : aggs)
            {
                b.AddEdge(e, a, rateBps, delaySeconds);
            }
            for (uint32_t s : AddTier(b, "server", NodeRole::SERVER, 3, serverCounter))
            {
                b.AddEdge(s, e, rateBps, delaySeconds);
            }
        }
    }
    return b.Build(options);
}

namespace
{
// n0 - n1 - ... - n<N-1>, closed into a ring when asked.
AisfcTopology
MakeChain(const char* kind,
          bool closed,
          uint32_t n,
          double rateBps,
          double delaySeconds,
          const TopologyOptions& options)
{
    TopologyBuilder b(std::string(kind) + "-" + std::to_string(n));
    uint32_t counter = 0;
    std::vector<uint32_t> ids = AddTier(b, "n", NodeRole::ROUTER, n, counter);
    for (uint32_t i = 0; i + 1 < n + (closed ? 1 : 0); ++i)
    {
        b.AddEdge(ids[i], ids[(i + 1) % n], rateBps, delaySeconds);
    }
    return b.Build(options);
}
} // namespace

AisfcTopology
MakeLine(uint32_t n, double rateBps, double delaySeconds, const TopologyOptions& options)
{
    return MakeChain("line", false, n, rateBps, delaySeconds, options);
}

AisfcTopology
MakeRing(uint32_t n, double rateBps, double delaySeconds, const TopologyOptions& options)
{
    return MakeChain("ring", true, n, rateBps, delaySeconds, options);
}

namespace
{

// Registration: the specs "fattree:k=4", "fattree:srem", "line:N", "ring:N".
const bool g_registered = [] {
    RegisterTopologyGenerator(
        "fattree",
        "fattree:k=K[,rate=10Gbps,delay=1us] | fattree:srem  k-ary fat-tree, or the SR-EM network",
        [](TopologyGeneratorArgs& args, const TopologyOptions& options) {
            double rate = args.GetRate("rate", 10e9);
            double delay = args.GetDuration("delay", 1e-6);
            if (args.TakeWord("srem"))
            {
                args.Finish();
                return MakeSremFatTree(rate, delay, options);
            }
            uint32_t k = args.GetCount("k", 4, 2, 64);
            args.Finish();
            if (k % 2 != 0)
            {
                throw AisfcInputError("fattree:k=" + std::to_string(k), "k must be even");
            }
            return MakeFatTree(k, rate, delay, options);
        });
    // line and ring differ only in their closing link and smallest size.
    using Chain = AisfcTopology (*)(uint32_t, double, double, const TopologyOptions&);
    for (auto [name, minimum, make] : {std::make_tuple("line", 2u, Chain(&MakeLine)),
                                       std::make_tuple("ring", 3u, Chain(&MakeRing))})
    {
        RegisterTopologyGenerator(name,
                                  std::string(name) + ":N[,rate=1Gbps,delay=1ms]  N nodes in a " +
                                      name,
                                  [minimum = minimum, make = make](TopologyGeneratorArgs& args,
                                                                   const TopologyOptions& options) {
                                      uint32_t n = args.RequireCount("n", minimum, 100000);
                                      double rate = args.GetRate("rate", 1e9);
                                      double delay = args.GetDuration("delay", 1e-3);
                                      args.Finish();
                                      return make(n, rate, delay, options);
                                  });
    }
    return true;
}();

} // namespace

} // namespace ns3
