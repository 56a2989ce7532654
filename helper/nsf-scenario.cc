/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "nsf-scenario.h"

#include "nsf-helper.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-topology.h"
#include "ns3/aisfc-units.h"
#include "ns3/learn-dataset.h"
#include "ns3/learn-dense-network.h"
#include "ns3/nsf-application.h"
#include "ns3/nsf-client.h"
#include "ns3/nsf-path-controller.h"

namespace ns3
{

namespace
{
NsfDevice
ReadDevice(const nlohmann::json& v, const std::string& source, const std::string& path)
{
    if (v.is_string())
    {
        try
        {
            return NsfDevice::Preset(v.get<std::string>());
        }
        catch (const AisfcInputError& e)
        {
            throw AisfcInputError(source + ": " + path, e.what());
        }
    }
    JsonReader r(v, source, path);
    return NsfDevice::FromJson(r);
}
} // namespace

NsfScenarioConfig
ReadNsfSection(JsonReader& r, const std::string& source)
{
    NsfScenarioConfig c;
    c.place = r.Place();
    c.client = r.RequireString("client");
    const nlohmann::json& routers = r.RequireValue("routers");
    if (!routers.is_array() || routers.empty())
    {
        throw AisfcInputError(r.Place("routers"), "expected a non-empty array of node names");
    }
    for (size_t i = 0; i < routers.size(); ++i)
    {
        if (!routers[i].is_string())
        {
            throw AisfcInputError(r.Place("routers") + "/" + std::to_string(i),
                                  "expected a node name");
        }
        c.routers.push_back(routers[i].get<std::string>());
    }
    c.model = r.RequireValue("model");
    NsfModel model = c.model.is_string()
                         ? NsfModel::BuiltIn(c.model.get<std::string>())
                         : NsfModel::FromJson(c.model, source + ": " + r.Place("model"));
    const nlohmann::json* cuts = &r.RequireValue("cuts");
    if (!cuts->is_array())
    {
        throw AisfcInputError(r.Place("cuts"), "expected an array of layer names");
    }
    for (size_t i = 0; i < cuts->size(); ++i)
    {
        if (!(*cuts)[i].is_string())
        {
            throw AisfcInputError(r.Place("cuts") + "/" + std::to_string(i),
                                  "expected a layer name");
        }
        c.cuts.push_back((*cuts)[i].get<std::string>());
    }
    if (c.cuts.size() + 1 != c.routers.size())
    {
        throw AisfcInputError(r.Place("cuts"),
                              std::to_string(c.cuts.size()) + " cuts make " +
                                  std::to_string(c.cuts.size() + 1) + " stages for " +
                                  std::to_string(c.routers.size()) + " routers");
    }
    try
    {
        c.stages = model.Split(c.cuts);
    }
    catch (const AisfcInputError& e)
    {
        throw AisfcInputError(r.Place("cuts"), e.what());
    }
    c.devices = r.Has("devices") ? r.RequireValue("devices") : nlohmann::json("edge-gpu");
    if (c.devices.is_array())
    {
        if (c.devices.size() != c.stages.size())
        {
            throw AisfcInputError(r.Place("devices"), "give one device per stage");
        }
        for (size_t i = 0; i < c.devices.size(); ++i)
        {
            c.deviceList.push_back(
                ReadDevice(c.devices[i], source, r.Place("devices") + "/" + std::to_string(i)));
        }
    }
    else
    {
        c.deviceList.assign(c.stages.size(), ReadDevice(c.devices, source, r.Place("devices")));
    }
    c.mode = r.GetString("mode", c.mode);
    if (c.mode != "sfc" && c.mode != "baseline")
    {
        throw AisfcInputError(r.Place("mode"),
                              "unknown mode '" + c.mode + "' (known: sfc, baseline)");
    }
    c.task = r.GetString("task", c.task);
    if (c.task != "inference" && c.task != "training")
    {
        throw AisfcInputError(r.Place("task"),
                              "unknown task '" + c.task + "' (known: inference, training)");
    }
    c.labels = r.GetString("labels", c.labels);
    if (c.labels != "last-nsf" && c.labels != "client")
    {
        throw AisfcInputError(r.Place("labels"),
                              "unknown label holder '" + c.labels + "' (known: last-nsf, client)");
    }
    c.batchSize = r.GetUnsigned("batch_size", c.batchSize, 1, 65536);
    c.batches = r.GetUnsigned("batches", c.batches, 1, 1000000);
    c.startSeconds = r.GetDuration("start", c.startSeconds);
    c.linkRateBps = r.GetRate("link_rate", c.linkRateBps);
    c.linkDelaySeconds = r.GetDuration("link_delay", c.linkDelaySeconds);
    if (r.Has("paths"))
    {
        const nlohmann::json& paths = r.RequireValue("paths");
        std::string where = r.Place("paths");
        auto names = [&](const nlohmann::json& v, const std::string& place) {
            if (!v.is_array())
            {
                throw AisfcInputError(place, "expected an array");
            }
            return place;
        };
        names(paths, where);
        for (size_t a = 0; a < paths.size(); ++a)
        {
            std::string pa = names(paths[a], where + "/" + std::to_string(a));
            if (paths[a].size() > c.routers.size())
            {
                throw AisfcInputError(pa, "more hops than stages");
            }
            std::vector<std::vector<std::string>> hops;
            for (size_t h = 0; h < paths[a].size(); ++h)
            {
                std::string ph = names(paths[a][h], pa + "/" + std::to_string(h));
                std::vector<std::string> via;
                for (size_t w = 0; w < paths[a][h].size(); ++w)
                {
                    if (!paths[a][h][w].is_string())
                    {
                        throw AisfcInputError(ph + "/" + std::to_string(w), "expected a node name");
                    }
                    via.push_back(paths[a][h][w].get<std::string>());
                }
                hops.push_back(via);
            }
            c.paths.push_back(hops);
        }
        if (c.mode != "sfc" && !c.paths.empty())
        {
            throw AisfcInputError(where, "path alternatives need the sfc mode");
        }
    }
    if (r.Has("controller"))
    {
        JsonReader k = r.RequireObject("controller");
        c.pollIntervalSeconds = k.GetDuration("poll_interval", c.pollIntervalSeconds);
        c.controlDelaySeconds = k.GetDuration("control_delay", c.controlDelaySeconds);
        c.threshold = k.GetNumber("threshold", c.threshold);
        if (!(c.pollIntervalSeconds > 0) || !(c.threshold > 0))
        {
            throw AisfcInputError(k.Place(), "needs poll_interval > 0 and threshold > 0");
        }
        k.Finish();
    }
    if (r.Has("numeric"))
    {
        JsonReader n = r.RequireObject("numeric");
        NsfScenarioConfig::Numeric num;
        num.optimizer = n.GetString("optimizer", num.optimizer);
        if (num.optimizer != "adam" && num.optimizer != "sgd")
        {
            throw AisfcInputError(n.Place("optimizer"),
                                  "unknown optimizer '" + num.optimizer + "' (known: adam, sgd)");
        }
        num.learningRate = n.GetNumber("learning_rate", num.learningRate);
        num.momentum = n.GetNumber("momentum", num.momentum);
        if (!(num.learningRate > 0) || num.momentum < 0 || num.momentum >= 1)
        {
            throw AisfcInputError(n.Place(), "needs learning_rate > 0 and 0 <= momentum < 1");
        }
        num.initSeed = n.GetUnsigned("init_seed", num.initSeed, 0, UINT64_MAX);
        num.dataSeed = n.GetUnsigned("data_seed", num.dataSeed, 0, UINT64_MAX);
        num.shuffleSeed = n.GetUnsigned("shuffle_seed", num.shuffleSeed, 0, UINT64_MAX);
        num.samples = n.GetUnsigned("samples", num.samples, 1, 10000000);
        num.csv = n.GetString("csv", "");
        num.idxImages = n.GetString("idx_images", "");
        num.idxLabels = n.GetString("idx_labels", "");
        if (num.idxImages.empty() != num.idxLabels.empty())
        {
            throw AisfcInputError(n.Place(), "give both idx_images and idx_labels");
        }
        num.verify = n.GetBool("verify", false);
        n.Finish();
        for (const NsfSubModel& sub : c.stages)
        {
            for (const NsfLayer& layer : sub.layers)
            {
                if (layer.type != NsfLayerType::FLATTEN && layer.type != NsfLayerType::LINEAR &&
                    layer.type != NsfLayerType::RELU && layer.type != NsfLayerType::INPUT)
                {
                    throw AisfcInputError(r.Place("numeric"),
                                          "numeric mode runs MLPs (flatten, linear, relu); "
                                          "layer '" +
                                              layer.name + "' is not one");
                }
            }
        }
        c.numeric = num;
    }
    r.Finish();
    for (size_t k = 0; k < c.stages.size(); ++k)
    {
        try
        {
            c.deviceList[k].CheckFits(c.stages[k], c.batchSize, c.task == "training");
        }
        catch (const AisfcInputError& e)
        {
            throw AisfcInputError(r.Place("batch_size"), e.what());
        }
    }
    return c;
}

nlohmann::json
NsfSectionToJson(const NsfScenarioConfig& c)
{
    nlohmann::json out = {{"client", c.client},
                          {"routers", c.routers},
                          {"model", c.model},
                          {"cuts", c.cuts},
                          {"devices", c.devices},
                          {"mode", c.mode},
                          {"task", c.task},
                          {"labels", c.labels},
                          {"batch_size", c.batchSize},
                          {"batches", c.batches},
                          {"start", c.startSeconds},
                          {"link_rate", FormatDataRate(c.linkRateBps)},
                          {"link_delay", FormatDuration(c.linkDelaySeconds)},
                          {"paths", c.paths},
                          {"controller",
                           {{"poll_interval", FormatDuration(c.pollIntervalSeconds)},
                            {"control_delay", FormatDuration(c.controlDelaySeconds)},
                            {"threshold", c.threshold}}}};
    // Absent, not null: the resolved configuration must read back through ParseScenario.
    if (c.numeric)
    {
        out["numeric"] = {{"optimizer", c.numeric->optimizer},
                          {"learning_rate", c.numeric->learningRate},
                          {"momentum", c.numeric->momentum},
                          {"init_seed", c.numeric->initSeed},
                          {"data_seed", c.numeric->dataSeed},
                          {"shuffle_seed", c.numeric->shuffleSeed},
                          {"samples", c.numeric->samples},
                          {"csv", c.numeric->csv},
                          {"idx_images", c.numeric->idxImages},
                          {"idx_labels", c.numeric->idxLabels},
                          {"verify", c.numeric->verify}};
    }
    return out;
}

uint32_t
NsfMaxEncapsulationBytes(const NsfScenarioConfig& c)
{
    constexpr uint32_t IPV6 = 40;
    constexpr uint32_t SRH_FIXED = 8;
    // The longest segment list: the proxies, the client, and the most waypoints of a path.
    size_t waypoints = 0;
    for (const auto& alternative : c.paths)
    {
        size_t n = 0;
        for (const auto& hop : alternative)
        {
            n += hop.size();
        }
        waypoints = std::max(waypoints, n);
    }
    return c.mode == "sfc" ? IPV6 + SRH_FIXED + 16 * uint32_t(c.stages.size() + 1 + waypoints) : 0;
}

struct NsfDeployment::Impl
{
    NsfScenarioConfig config;
    NsfChainConfig chain;
    std::unique_ptr<NsfChainHelper> helper;
    std::shared_ptr<LearnDataset> data;
};

namespace
{
/// The dense network of an MLP's linear layers: relu between them, logits out.
LearnDenseNetwork
DenseNetworkOf(const std::vector<NsfSubModel>& stages, const NsfScenarioConfig::Numeric& n)
{
    std::vector<size_t> sizes;
    for (const NsfSubModel& sub : stages)
    {
        for (const NsfLayer& layer : sub.layers)
        {
            if (layer.type == NsfLayerType::LINEAR)
            {
                if (sizes.empty())
                {
                    sizes.push_back(layer.inChannels);
                }
                sizes.push_back(layer.outChannels);
            }
        }
    }
    LearnDenseNetwork net(sizes, LearnActivation::RELU, LearnActivation::IDENTITY, n.initSeed);
    net.SetOptimizer(n.optimizer == "adam" ? LearnOptimizer::Adam(n.learningRate)
                                           : LearnOptimizer::Sgd(n.learningRate, n.momentum));
    return net;
}
} // namespace

NsfDeployment::NsfDeployment(const NsfScenarioConfig& config, const AisfcTopology& topo)
    : m_impl(std::make_unique<Impl>())
{
    Impl& m = *m_impl;
    m.config = config;
    auto node = [&](const std::string& name, const std::string& place) {
        auto i = topo.FindNode(name);
        if (!i)
        {
            throw AisfcInputError(place, "no node named '" + name + "'");
        }
        return *i;
    };
    m.chain.client = node(config.client, config.place + "/client");
    for (size_t k = 0; k < config.routers.size(); ++k)
    {
        m.chain.routers.push_back(
            node(config.routers[k], config.place + "/routers/" + std::to_string(k)));
    }
    m.chain.stages = config.stages;
    m.chain.devices = config.deviceList;
    m.chain.sfc = config.mode == "sfc";
    m.chain.training = config.task == "training";
    m.chain.labelsAtClient = config.labels == "client";
    m.chain.linkRateBps = config.linkRateBps;
    m.chain.linkDelaySeconds = config.linkDelaySeconds;
    m.chain.batchSize = config.batchSize;
    m.chain.batches = config.batches;
    m.chain.startSeconds = config.startSeconds;
    for (size_t a = 0; a < config.paths.size(); ++a)
    {
        std::vector<std::vector<uint32_t>> hops;
        for (size_t h = 0; h < config.paths[a].size(); ++h)
        {
            std::vector<uint32_t> via;
            for (size_t w = 0; w < config.paths[a][h].size(); ++w)
            {
                via.push_back(node(config.paths[a][h][w],
                                   config.place + "/paths/" + std::to_string(a) + "/" +
                                       std::to_string(h) + "/" + std::to_string(w)));
            }
            hops.push_back(via);
        }
        m.chain.paths.push_back(hops);
    }
    m.chain.pollIntervalSeconds = config.pollIntervalSeconds;
    m.chain.controlDelaySeconds = config.controlDelaySeconds;
    m.chain.threshold = config.threshold;
    if (config.numeric)
    {
        const auto& n = *config.numeric;
        auto net = std::make_shared<LearnDenseNetwork>(DenseNetworkOf(config.stages, n));
        if (!n.csv.empty())
        {
            m.data = std::make_shared<LearnDataset>(LearnDataset::ReadCsv(n.csv));
        }
        else if (!n.idxImages.empty())
        {
            m.data =
                std::make_shared<LearnDataset>(LearnDataset::ReadIdx(n.idxImages, n.idxLabels));
        }
        else
        {
            m.data = std::make_shared<LearnDataset>(LearnDataset::Blobs(n.samples,
                                                                        net->LayerSizes().back(),
                                                                        net->InputSize(),
                                                                        n.dataSeed));
        }
        if (m.data->FeatureCount() != net->InputSize())
        {
            throw AisfcInputError(config.place + "/numeric",
                                  "the data has " + std::to_string(m.data->FeatureCount()) +
                                      " features, the model's input " +
                                      std::to_string(net->InputSize()));
        }
        m.chain.network = net;
        m.chain.data = m.data;
        m.chain.shuffleSeed = n.shuffleSeed;
    }
}

NsfDeployment::~NsfDeployment() = default;

void
NsfDeployment::Install(AisfcNetworkBuilder& network, Srv6Helper& srv6)
{
    m_impl->helper = std::make_unique<NsfChainHelper>(network, srv6);
    m_impl->helper->Install(m_impl->chain);
}

nlohmann::json
NsfDeployment::Results() const
{
    const Impl& m = *m_impl;
    nlohmann::json out = m.helper->GetLog()->ToJson();
    out["mode"] = m.config.mode;
    out["task"] = m.config.task;
    out["batch_size"] = m.config.batchSize;
    nlohmann::json stages = nlohmann::json::array();
    for (size_t k = 0; k < m.config.stages.size(); ++k)
    {
        const NsfSubModel& s = m.config.stages[k];
        stages.push_back({{"name", s.name},
                          {"router", m.config.routers[k]},
                          {"device", m.config.deviceList[k].GetName()},
                          {"forward_flops_per_sample", s.forwardFlops},
                          {"input_bytes_per_sample", s.inputBytes},
                          {"output_bytes_per_sample", s.outputBytes},
                          {"computed_batches", m.helper->GetFunctions()[k]->GetComputed()}});
    }
    out["stages"] = stages;
    // Throughput over the client's busy time: first batch sent to last result received.
    const auto& batches = m.helper->GetLog()->GetBatches();
    double first = -1;
    double last = -1;
    uint64_t samples = 0;
    for (const auto& [id, b] : batches)
    {
        if (b.done)
        {
            first = first < 0 ? b.sent.GetSeconds() : std::min(first, b.sent.GetSeconds());
            last = std::max(last, b.resultReceived.GetSeconds());
            samples += b.samples;
        }
    }
    out["throughput_samples_per_s"] = last > first ? samples / (last - first) : 0.0;
    out["lost_batches"] = m.helper->GetLog()->GetBatches().size() - m.helper->GetLog()->Completed();
    uint64_t retransmitted = m.helper->GetClient()->GetRetransmissions();
    for (const auto& f : m.helper->GetFunctions())
    {
        retransmitted += f->GetRetransmissions();
    }
    out["retransmitted_segments"] = retransmitted;
    if (Ptr<NsfPathController> controller = m.helper->GetController())
    {
        nlohmann::json switches = nlohmann::json::array();
        for (const auto& sw : controller->GetSwitches())
        {
            switches.push_back({{"detected_s", sw.detected.GetSeconds()},
                                {"applied_s", sw.applied.GetSeconds()},
                                {"control_delay_s", (sw.applied - sw.detected).GetSeconds()},
                                {"from", sw.from},
                                {"to", sw.to},
                                {"utilisation", sw.utilisation}});
        }
        out["path_switches"] = switches;
    }
    if (m.config.numeric && m.config.task == "training")
    {
        const auto& fns = m.helper->GetFunctions();
        std::vector<LearnDenseNetwork> parts;
        for (const auto& f : fns)
        {
            parts.push_back(*f->GetNetwork());
        }
        nlohmann::json numeric = {{"losses",
                                   m.chain.labelsAtClient ? m.helper->GetClient()->GetLosses()
                                                          : fns.back()->GetLosses()}};
        if (m.config.numeric->verify)
        {
            // The unsplit network, trained in one process on the batches the client sent.
            LearnDenseNetwork whole = *m.chain.network;
            LearnBatchIterator order(*m.data, m.config.batchSize, m.chain.shuffleSeed);
            uint32_t done = m.helper->GetClient()->GetCompleted();
            for (uint32_t i = 0; i < done; ++i)
            {
                Eigen::MatrixXd x;
                std::vector<int> y;
                if (!order.Next(x, y))
                {
                    order.Next(x, y);
                }
                whole.ZeroGrad();
                LearnLoss loss = LearnSoftmaxCrossEntropy(whole.Forward(x), y);
                whole.Backward(loss.gradient);
                whole.Step();
            }
            Eigen::VectorXd a = LearnDenseNetwork::Concatenate(parts).GetParameters();
            Eigen::VectorXd b = whole.GetParameters();
            double worst =
                ((a - b).cwiseAbs().array() / b.cwiseAbs().array().max(1e-12)).maxCoeff();
            numeric["max_relative_weight_difference"] = worst;
        }
        out["numeric"] = numeric;
    }
    return out;
}

} // namespace ns3
