/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Multi-hop split inference over real TCP: a model split at two points runs on three neural
// service functions, chained with SRv6 through transparent End.AD.flow proxies (the paper's
// architecture) or addressed one by one (the baseline).  Every mini-batch arrives, and each
// batch's latency is exactly the sum of its transfers, queueing and compute.

#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-network-builder.h"
#include "ns3/aisfc-scenario-runner.h"
#include "ns3/config.h"
#include "ns3/learn-dataset.h"
#include "ns3/learn-dense-network.h"
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
using Catch::Matchers::Contains;

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
RunChain(bool sfc, uint32_t batchSize, uint32_t batches, bool training = false)
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
    c.training = training;
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

TEST_CASE("An nsf scenario's resolved configuration reads back as the same configuration",
          "[nsf-chain]")
{
    // config.resolved.json and every sweep run go through ScenarioToJson: a section without
    // "numeric" once came back with "numeric": null, which ParseScenario refuses.
    for (const std::string numeric :
         {std::string(), std::string(R"(, "task": "training", "numeric": {"samples": 16})")})
    {
        const std::string text = R"({"name": "n", "duration": 5, "topology": "line:5",
          "nsf": {"client": "n0", "routers": ["n1", "n2", "n3"], "model": "mlp",
                  "cuts": ["relu1", "relu2"], "devices": "edge-gpu", "batches": 2)" +
                                 numeric + "}}";
        nlohmann::json resolved =
            ScenarioToJson(ParseScenario(ParseJsonText(text, "n.json"), "n.json"));
        CHECK(resolved["nsf"].contains("numeric") == !numeric.empty());
        nlohmann::json again;
        REQUIRE_NOTHROW(again = ScenarioToJson(ParseScenario(resolved, "resolved.json")));
        CHECK(again == resolved);
    }
}

TEST_CASE("The nsf scenario section names the place of bad input", "[nsf-chain]")
{
    const std::string good = R"({"name": "n", "duration": 5, "topology": "line:5",
      "nsf": {"client": "n0", "routers": ["n1", "n2", "n3"], "model": "small-cnn",
              "cuts": ["pool1", "pool2"], "devices": "edge-gpu", "batches": 2}})";
    auto parse = [](const std::string& text) {
        return ParseScenario(ParseJsonText(text, "n.json"), "n.json");
    };
    auto with = [&good](const std::string& from, const std::string& to) {
        std::string s = good;
        s.replace(s.find(from), from.size(), to);
        return s;
    };
    CHECK_NOTHROW(parse(good));
    CHECK_THROWS_WITH(parse(with("\"pool1\", \"pool2\"", "\"pool1\"")),
                      Contains("n.json: /nsf/cuts: 1 cuts make 2 stages for 3 routers"));
    CHECK_THROWS_WITH(parse(with("\"edge-gpu\"", "[\"cpu\"]")),
                      Contains("/nsf/devices: give one device per stage"));
    CHECK_THROWS_WITH(parse(with("\"edge-gpu\"", "\"tpu\"")), Contains("/nsf/devices:"));
    CHECK_THROWS_WITH(parse(with("\"batches\": 2", "\"mode\": \"mesh\"")),
                      Contains("/nsf/mode: unknown mode 'mesh'"));
    CHECK_THROWS_WITH(parse(with("\"small-cnn\"", "\"mlp\"")),
                      Contains("/nsf/cuts: model 'mlp': cut after 'pool1'"));
    CHECK_THROWS_WITH(parse(with("\"small-cnn\"", "\"alexnet\"")), Contains("alexnet"));
    CHECK_THROWS_WITH(RunScenarioText(with("\"n3\"]", "\"n9\"]"), "n.json", "/tmp/aisfc-nsf-bad"),
                      Contains("n.json: /nsf/routers/2: no node named 'n9'"));
    CHECK_THROWS_WITH(parse(with("\"batches\": 2", "\"numeric\": {}")),
                      Contains("/nsf/numeric: numeric mode runs MLPs (flatten, linear, relu); "
                               "layer 'conv1' is not one"));
    CHECK_THROWS_WITH(parse(with("\"batches\": 2", "\"task\": \"tuning\"")),
                      Contains("/nsf/task: unknown task 'tuning'"));
    CHECK_THROWS_WITH(parse(with("\"batches\": 2", "\"labels\": \"server\"")),
                      Contains("/nsf/labels: unknown label holder 'server'"));
    // The section's encapsulation (outer header + 4 segments) shrinks the TCP MSS.
    CHECK(parse(good).tcpSegmentSize == 1428 - (40 + 8 + 16 * 4));
}

TEST_CASE("NSF split learning runs forward then backward along the reverse chain", "[nsf-chain]")
{
    for (bool sfc : {true, false})
    {
        ChainRun run = RunChain(sfc, 8, 5, true);
        CHECK(run.completed == 5);
        CHECK(run.computed == std::vector<uint64_t>{10, 10, 10}); // a forward and a backward each
        REQUIRE(run.log["batches"].size() == 5);
        for (const auto& b : run.log["batches"])
        {
            double parts = b["transfer_s"].get<double>() + b["queue_s"].get<double>() +
                           b["compute_s"].get<double>();
            CHECK(b["latency_s"].get<double>() == Approx(parts).epsilon(1e-12));
            // Forward 0, 1, 2, then backward 2 (at once: the label holder), 1, 0.
            const auto& v = b["stages"];
            REQUIRE(v.size() == 6);
            std::vector<uint32_t> order;
            for (size_t i = 0; i < 6; ++i)
            {
                order.push_back(v[i]["stage"].get<uint32_t>());
                CHECK(v[i]["direction"] == (i < 3 ? "forward" : "backward"));
            }
            CHECK(order == std::vector<uint32_t>{0, 1, 2, 2, 1, 0});
            CHECK(v[3]["transfer_s"].get<double>() == 0);
            for (size_t i = 3; i < 6; ++i)
            {
                uint32_t k = order[i];
                CHECK(v[i]["compute_s"].get<double>() ==
                      Approx(run.device.ComputeTime(run.stages[k], 8, true)).margin(1e-9));
            }
        }
        if (sfc)
        {
            // The backward chain went through the proxies of stages 1 and 0 too.
            CHECK(run.proxies[0].Dropped() == 0);
            CHECK(run.intercepted[0] > 0);
        }
    }
}

TEST_CASE("NSF numeric split learning over the network equals unsplit training", "[nsf-chain]")
{
    // The MLP (784-256-128-10) split after relu1 and relu2 on three NSFs; real tensors cross
    // the SRv6 chain and the reverse chain (or the baseline's direct hops); each NSF trains its
    // slice with Adam.  The loss is computed by the last NSF, or (U-shaped) by the client.
    const size_t batch = 16;
    const int iterations = 8;
    auto data = std::make_shared<LearnDataset>(LearnDataset::Blobs(256, 10, 784, 3));
    LearnDenseNetwork initial({784, 256, 128, 10},
                              LearnActivation::RELU,
                              LearnActivation::IDENTITY,
                              7);
    initial.SetOptimizer(LearnOptimizer::Adam(0.001));

    // The same iterations in one process.
    LearnDenseNetwork net = initial;
    LearnBatchIterator batches(*data, batch, 11);
    std::vector<double> reference;
    for (int i = 0; i < iterations; ++i)
    {
        Eigen::MatrixXd x;
        std::vector<int> y;
        REQUIRE(batches.Next(x, y));
        net.ZeroGrad();
        LearnLoss loss = LearnSoftmaxCrossEntropy(net.Forward(x), y);
        reference.push_back(loss.value);
        net.Backward(loss.gradient);
        net.Step();
    }

    for (bool sfc : {true, false})
    {
        for (bool labelsAtClient : {false, true})
        {
            Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1300));
            AisfcNetworkBuilder netw(
                LoadTopology("line:5,rate=1Gbps,delay=100us", TopologyOptions()),
                NetworkOptions());
            Srv6Helper srv6(netw);
            srv6.Install();
            NsfChainConfig c;
            c.client = 0;
            c.routers = {1, 2, 3};
            c.stages = NsfModel::BuiltIn("mlp").Split({"relu1", "relu2"});
            c.devices = {NsfDevice::Preset("cpu")};
            c.sfc = sfc;
            c.training = true;
            c.labelsAtClient = labelsAtClient;
            c.batchSize = batch;
            c.batches = iterations;
            c.network = std::make_shared<LearnDenseNetwork>(initial);
            c.data = data;
            c.shuffleSeed = 11;
            NsfChainHelper chain(netw, srv6);
            chain.Install(c);
            Simulator::Stop(Seconds(30));
            Simulator::Run();
            INFO("sfc " << sfc << " labels at client " << labelsAtClient);
            REQUIRE(chain.GetClient()->GetCompleted() == iterations);
            std::vector<LearnDenseNetwork> parts;
            for (const auto& f : chain.GetFunctions())
            {
                parts.push_back(*f->GetNetwork());
            }
            std::vector<double> losses = labelsAtClient ? chain.GetClient()->GetLosses()
                                                        : chain.GetFunctions().back()->GetLosses();
            nlohmann::json log = chain.GetLog()->ToJson();
            Simulator::Destroy();
            Eigen::VectorXd a = LearnDenseNetwork::Concatenate(parts).GetParameters();
            Eigen::VectorXd b = net.GetParameters();
            double worst =
                ((a - b).cwiseAbs().array() / b.cwiseAbs().array().max(1e-12)).maxCoeff();
            CHECK(worst <= 1e-6);
            CHECK(losses == reference);
            CHECK((a - initial.GetParameters()).norm() > 0); // it did train
            // U-shaped: the last stage's backward input crossed the network twice (to the
            // client and back); otherwise it follows its forward pass at once.
            for (const auto& batchLog : log["batches"])
            {
                const auto& v = batchLog["stages"];
                REQUIRE(v.size() == 6);
                CHECK(v[3]["stage"] == 2);
                CHECK(v[3]["direction"] == "backward");
                CHECK((v[3]["transfer_s"].get<double>() > 0) == labelsAtClient);
            }
        }
    }
}
