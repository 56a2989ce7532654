/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Multi-hop split inference over real TCP: a model split at two points runs on three neural
// service functions, chained with SRv6 through transparent End.AD.flow proxies (the paper's
// architecture) or addressed one by one (the baseline).  Every mini-batch arrives, and each
// batch's latency is exactly the sum of its transfers, queueing and compute.

#include "ns3/aisfc-network-builder.h"
#include "ns3/config.h"
#include "ns3/nsf-application.h"
#include "ns3/nsf-client.h"
#include "ns3/nsf-helper.h"
#include "ns3/nsf-interceptor.h"
#include "ns3/simulator.h"
#include "ns3/srv6-helper.h"
#include "ns3/srv6-sid-table.h"
#include "ns3/topology-source.h"
#include "ns3/uinteger.h"

#include <catch2/catch.hpp>

using namespace ns3;

namespace
{
struct ChainRun
{
    nlohmann::json log;
    uint32_t completed = 0;
    std::vector<uint64_t> computed;
    std::vector<uint64_t> intercepted;
    std::vector<Srv6SidCounters> proxies;
    std::vector<NsfSubModel> stages;
    NsfDevice device = NsfDevice::Preset("edge-gpu");
};

ChainRun
RunChain(bool sfc, uint32_t batchSize, uint32_t batches)
{
    // ns-3.37 cannot fragment SRv6 packets: leave room for the outer header and a 4-segment SRH.
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1300));
    ChainRun run;
    AisfcNetworkBuilder net(LoadTopology("line:5,rate=1Gbps,delay=100us", TopologyOptions()),
                            NetworkOptions());
    Srv6Helper srv6(net);
    srv6.Install();
    NsfModel model = NsfModel::BuiltIn("small-cnn");
    run.stages = model.Split({"pool1", "pool2"});
    NsfChainConfig c;
    c.client = 0;
    c.routers = {1, 2, 3};
    c.stages = run.stages;
    c.devices = {run.device};
    c.sfc = sfc;
    c.batchSize = batchSize;
    c.batches = batches;
    NsfChainHelper chain(net, srv6);
    chain.Install(c);
    Simulator::Stop(Seconds(20));
    Simulator::Run();
    run.log = chain.GetLog()->ToJson();
    run.completed = chain.GetClient()->GetCompleted();
    for (const auto& f : chain.GetFunctions())
    {
        run.computed.push_back(f->GetComputed());
    }
    for (const auto& i : chain.GetInterceptors())
    {
        run.intercepted.push_back(i->GetIntercepted());
    }
    for (size_t k = 0; k < chain.GetProxySids().size(); ++k)
    {
        run.proxies.push_back(srv6.GetSidTable(c.routers[k])->GetCounters(chain.GetProxySids()[k]));
    }
    Simulator::Destroy();
    return run;
}
} // namespace

TEST_CASE("NSF split inference over an SRv6 chain delivers every batch", "[nsf-chain]")
{
    ChainRun run = RunChain(true, 16, 10);
    CHECK(run.completed == 10);
    CHECK(run.computed == std::vector<uint64_t>{10, 10, 10});
    REQUIRE(run.intercepted.size() == 3);
    for (size_t k = 0; k < 3; ++k)
    {
        CHECK(run.intercepted[k] > 0);             // connections addressed to the service
        CHECK(run.proxies[k].proxyToFunction > 0); // through the End.AD.flow proxies
        CHECK(run.proxies[k].Dropped() == 0);
    }
    // Each batch: latency = transfers + queueing + compute, and compute is the device model's.
    REQUIRE(run.log["batches"].size() == 10);
    for (const auto& b : run.log["batches"])
    {
        double parts = b["transfer_s"].get<double>() + b["queue_s"].get<double>() +
                       b["compute_s"].get<double>();
        CHECK(b["latency_s"].get<double>() == Approx(parts).epsilon(1e-12));
        REQUIRE(b["stages"].size() == 3);
        for (size_t k = 0; k < 3; ++k)
        {
            CHECK(b["stages"][k]["compute_s"].get<double>() ==
                  Approx(run.device.ComputeTime(run.stages[k], 16, false)).margin(1e-9));
            CHECK(b["stages"][k]["transfer_s"].get<double>() > 300e-6); // >= 3 links of 100 us
        }
    }
}

TEST_CASE("NSF baseline addresses the functions directly and is no slower", "[nsf-chain]")
{
    ChainRun sfc = RunChain(true, 4, 5);
    ChainRun base = RunChain(false, 4, 5);
    CHECK(base.completed == 5);
    CHECK(base.intercepted.empty());
    double sfcLatency = sfc.log["mean_latency_s"].get<double>();
    double baseLatency = base.log["mean_latency_s"].get<double>();
    // Same links, same compute: the SFC's extra cost is its encapsulation bytes and the
    // proxy hops (stub link twice per stage in both), so the two are close.
    CHECK(sfcLatency >= baseLatency);
    CHECK(sfcLatency < baseLatency * 1.2);
}
