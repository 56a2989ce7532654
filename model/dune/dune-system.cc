/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dune-system.h"

#include "dune-pcfi.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/learn-metrics.h"

#include <algorithm>
#include <numeric>

namespace ns3
{

namespace
{

/// The data set's rows of a feature set, in the set's order.
std::vector<uint32_t>
FeatureRows(const DuneDataset& data, const std::string& set)
{
    std::vector<uint32_t> rows;
    if (set == "data") // every feature of the data set (flow-level CSVs with their own columns)
    {
        for (uint32_t r = 0; r < data.featureNames.size(); ++r)
        {
            rows.push_back(r);
        }
        return rows;
    }
    for (const std::string& name : DuneFeatureSet(set))
    {
        auto it = std::find(data.featureNames.begin(), data.featureNames.end(), name);
        if (it != data.featureNames.end())
        {
            rows.push_back(it - data.featureNames.begin());
        }
    }
    if (rows.empty())
    {
        throw AisfcInputError("DUNE feature set '" + set + "'",
                              "none of its features is in the data set");
    }
    return rows;
}

/// Rows of a matrix, in order.
Eigen::MatrixXd
Rows(const Eigen::MatrixXd& x, const std::vector<uint32_t>& rows)
{
    Eigen::MatrixXd out(rows.size(), x.cols());
    for (size_t k = 0; k < rows.size(); ++k)
    {
        out.row(k) = x.row(rows[k]);
    }
    return out;
}

/// The values a switch holds: the data set's + 1 (absent flow features, -1, become 0).
Eigen::MatrixXd
SwitchValues(const DuneDataset& data)
{
    return (data.data.features.array() + 1.0).max(0.0).floor().matrix();
}

/// The `count` rows of `candidates` with the largest scores (ties to the earlier row).
std::vector<uint32_t>
Top(const std::vector<uint32_t>& candidates, const std::vector<double>& score, size_t count)
{
    std::vector<size_t> order(candidates.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return score[a] > score[b];
    });
    std::vector<uint32_t> out;
    for (size_t k = 0; k < order.size() && out.size() < count; ++k)
    {
        out.push_back(candidates[order[k]]);
    }
    std::sort(out.begin(), out.end());
    return out;
}

/**
 * Train a switch model, lowering the depth (then the trees) until its tables fit the budget.
 */
DuneSwitchModel
FitSwitchModel(const std::string& name,
               const Eigen::MatrixXd& values,
               const std::vector<int>& labels,
               const std::vector<double>& weights,
               std::vector<int> classes,
               bool hasOther,
               const std::vector<uint32_t>& features,
               const DuneDataset& data,
               const DuneConfig& config,
               uint32_t trees)
{
    DuneSwitchModel m;
    m.name = name;
    m.classes = std::move(classes);
    m.hasOther = hasOther;
    m.features = features;
    const std::vector<std::string> duneNames = DuneFeatureNames();
    for (uint32_t row : features)
    {
        const std::string& name = data.featureNames[row];
        uint32_t bits = DuneConfig::FeatureBits(name);
        if (std::find(duneNames.begin(), duneNames.end(), name) == duneNames.end())
        {
            // Another data set's column: as wide as its largest training value, up to 32 bits.
            double largest = values.row(row).maxCoeff();
            bits = 1;
            while (bits < 32 && double(uint64_t(1) << bits) <= largest)
            {
                ++bits;
            }
        }
        m.specs.push_back({name, bits});
    }
    const size_t local = m.classes.size() + (hasOther ? 1 : 0);
    Eigen::MatrixXd x = Rows(values, features);
    std::string lastRefusal;
    for (uint32_t t = trees; t >= 1; --t)
    {
        for (uint32_t depth = config.modelDepth; depth >= 1; --depth)
        {
            LearnForestParams params;
            params.nEstimators = t;
            params.bootstrap = t > 1;
            params.tree.maxDepth = depth;
            params.tree.maxFeatures = LearnMaxFeatures();
            params.seed = config.seed;
            auto forest = std::make_shared<LearnForest>(params);
            forest->Fit(x, labels, local, weights);
            std::vector<const LearnTree*> ptrs;
            for (const LearnTree& tree : forest->GetTrees())
            {
                ptrs.push_back(&tree);
            }
            try
            {
                auto tables = std::make_shared<DuneCompiledModel>(
                    DuneCompiledModel::Compile(name, ptrs, m.specs, local));
                PdpMemoryAccountant memory(name, config.budget);
                PdpReserveResult r = tables->Reserve(memory);
                if (!r.ok)
                {
                    lastRefusal = r.reason;
                    continue;
                }
                m.forest = forest;
                m.tables = tables;
                m.depth = depth;
                m.trees = t;
                m.tcamRows = tables->TcamRows();
                m.tcamBlocks = memory.Used(PdpMemoryKind::TCAM);
                m.sramBlocks = memory.Used(PdpMemoryKind::SRAM);
                std::vector<uint64_t> freeTcam = memory.FreeBlocksPerStage(PdpMemoryKind::TCAM);
                std::vector<uint64_t> freeSram = memory.FreeBlocksPerStage(PdpMemoryKind::SRAM);
                for (size_t s = 0; s < freeTcam.size(); ++s)
                {
                    bool used = freeTcam[s] < config.budget.tcamBlocksPerStage ||
                                freeSram[s] < config.budget.sramBlocksPerStage;
                    m.stages += used ? 1 : 0;
                }
                return m;
            }
            catch (const AisfcInputError& e)
            {
                lastRefusal = e.what();
            }
        }
    }
    throw AisfcInputError("DUNE model '" + name + "'",
                          "no depth fits the switch budget: " + lastRefusal);
}

/// The unconstrained model DUNE analyses (and Mousika's teacher).
LearnForest
Reference(const Eigen::MatrixXd& x, const DuneDataset& data, const DuneConfig& config)
{
    LearnForestParams params;
    params.nEstimators = config.referenceTrees;
    params.bootstrap = false;
    params.tree.maxDepth = config.referenceDepth;
    params.seed = config.seed;
    params.threads = 0;
    LearnForest forest(params);
    forest.Fit(x, data.data.labels, data.classNames.size(), data.weights);
    return forest;
}

} // namespace

PdpMemoryBudget
DuneConfig::DefaultBudget()
{
    PdpMemoryBudget b;
    b.stages = 6;
    return b;
}

uint32_t
DuneConfig::FeatureBits(const std::string& name)
{
    static const std::vector<std::string> narrow{"ip.ttl",
                                                 "tcp.flags.syn",
                                                 "tcp.flags.ack",
                                                 "tcp.flags.push",
                                                 "tcp.flags.fin",
                                                 "tcp.flags.rst",
                                                 "tcp.flags.ece",
                                                 "ip.proto",
                                                 "ip.hdr_len",
                                                 "tcp.hdr_len",
                                                 "SYN Flag Count",
                                                 "ACK Flag Count",
                                                 "PSH Flag Count",
                                                 "FIN Flag Count",
                                                 "RST Flag Count",
                                                 "ECE Flag Count"};
    static const std::vector<std::string> wide{"Packet Length Total",
                                               "Flow IAT Min",
                                               "Flow IAT Max",
                                               "Flow IAT Mean",
                                               "Flow Duration"};
    if (std::find(narrow.begin(), narrow.end(), name) != narrow.end())
    {
        return 8;
    }
    if (std::find(wide.begin(), wide.end(), name) != wide.end())
    {
        return 32;
    }
    return 16; // lengths, ports, window
}

DuneConfig
DuneConfig::FromJson(const nlohmann::json& doc, const std::string& place)
{
    DuneConfig c;
    JsonReader r(doc, place);
    c.featureSet = r.GetString("featureSet", c.featureSet);
    if (c.featureSet != "data")
    {
        DuneFeatureSet(c.featureSet); // names an unknown set
    }
    c.switches = r.GetUnsigned("switches", c.switches, 1, 16);
    c.minModels = r.GetUnsigned("minModels", c.minModels, 1, 16);
    c.exactPartition = r.GetBool("exactPartition", c.exactPartition);
    c.modelTrees = r.GetUnsigned("modelTrees", c.modelTrees, 1, 9);
    c.modelDepth = r.GetUnsigned("modelDepth", c.modelDepth, 1, 20);
    c.modelFeatures = r.GetUnsigned("modelFeatures", c.modelFeatures, 1, 31);
    c.referenceTrees = r.GetUnsigned("referenceTrees", c.referenceTrees, 1, 1000);
    c.referenceDepth = r.GetUnsigned("referenceDepth", c.referenceDepth, 0, 64);
    c.seed = r.GetUnsigned("seed", c.seed, 0, UINT64_MAX);
    c.budget.stages = r.GetUnsigned("budgetStages", c.budget.stages, 1, 64);
    r.Finish();
    if (c.minModels > c.switches)
    {
        throw AisfcInputError(place + ": /minModels",
                              "is above switches (" + std::to_string(c.switches) + ")");
    }
    return c;
}

std::vector<uint64_t>
DuneSwitchModel::Inputs(const Eigen::Ref<const Eigen::VectorXd>& sample) const
{
    std::vector<uint64_t> in;
    for (uint32_t row : features)
    {
        in.push_back(uint64_t(std::max(0.0, std::floor(sample(row) + 1.0))));
    }
    return in;
}

int
DuneSwitchModel::Classify(const Eigen::Ref<const Eigen::VectorXd>& sample) const
{
    uint32_t local = tables->Classify(Inputs(sample));
    return local < classes.size() ? classes[local] : -1;
}

nlohmann::json
DuneSwitchModel::Resources() const
{
    std::vector<std::string> names;
    for (const DuneFeatureSpec& s : specs)
    {
        names.push_back(s.name);
    }
    return {{"model", name},
            {"classes", classes.size()},
            {"other", hasOther},
            {"features", names},
            {"trees", trees},
            {"depth", depth},
            {"tcam_rows", tcamRows},
            {"tcam_blocks", tcamBlocks},
            {"sram_blocks", sramBlocks},
            {"stages", stages}};
}

const std::string&
DuneSystem::GetName() const
{
    return m_name;
}

const std::vector<DuneSwitchModel>&
DuneSystem::GetModels() const
{
    return m_models;
}

int
DuneSystem::Classify(const Eigen::Ref<const Eigen::VectorXd>& sample, size_t* model) const
{
    for (size_t k = 0; k < m_models.size(); ++k)
    {
        int c = m_models[k].Classify(sample);
        if (c >= 0)
        {
            if (model)
            {
                *model = k;
            }
            return c;
        }
    }
    throw std::logic_error("DuneSystem: the last model said Other");
}

DuneSystem
DuneSystem::TrainDune(const DuneDataset& all, const DuneConfig& config, nlohmann::json* report)
{
    // Analysis on three quarters of the training flows, F1 and claims on the rest.
    DuneDataset fit;
    DuneDataset check;
    all.SplitByFlow(0.25, config.seed + 1, fit, check);
    const size_t nClasses = all.classNames.size();
    const std::vector<uint32_t> rows = FeatureRows(all, config.featureSet);
    const Eigen::MatrixXd fitValues = SwitchValues(fit);
    const Eigen::MatrixXd checkValues = SwitchValues(check); // the reference's view

    LearnForest reference = Reference(Rows(fitValues, rows), fit, config);
    DunePcfiResult pcfi = DuneComputePcfi(reference);
    std::vector<int> predicted = reference.Predict(Rows(checkValues, rows));
    LearnConfusionMatrix cm =
        LearnConfusionMatrix::From(check.data.labels, predicted, nClasses, check.weights);
    std::vector<double> f1 = cm.PerClassF1();

    DunePartitioner partitioner(pcfi.importance, f1);
    const uint32_t maxModels = std::min<uint32_t>(config.switches, nClasses);
    const uint32_t minModels = std::min(config.minModels, maxModels);
    DunePartitionResult partition = config.exactPartition
                                        ? partitioner.Exact(minModels, maxModels)
                                        : partitioner.Greedy(minModels, maxModels);

    // One sub-model per block: its classes and "Other", on its most important kept features.
    // trainingSet: the analysis part while ordering, then all training data for the models
    // that go on the switches.
    auto blockModel = [&](size_t b,
                          bool withOther,
                          const std::string& name,
                          const DuneDataset& trainingSet,
                          const Eigen::MatrixXd& trainingValues) {
        const std::vector<uint32_t>& block = partition.best.blocks[b];
        std::vector<double> score;
        std::vector<uint32_t> candidates;
        for (size_t j = 0; j < rows.size(); ++j)
        {
            double s = 0;
            for (uint32_t c : block)
            {
                s += pcfi.importance(c, j);
            }
            candidates.push_back(rows[j]);
            score.push_back(s);
        }
        std::vector<uint32_t> kept;
        std::vector<double> keptScore;
        for (uint32_t j : partition.best.features[b])
        {
            kept.push_back(rows[j]);
            keptScore.push_back(score[j]);
        }
        std::vector<uint32_t> features = kept.size() >= 2
                                             ? Top(kept, keptScore, config.modelFeatures)
                                             : Top(candidates, score, config.modelFeatures);
        std::vector<int> local(nClasses, int(block.size()));
        std::vector<int> classes;
        for (size_t k = 0; k < block.size(); ++k)
        {
            local[block[k]] = k;
            classes.push_back(block[k]);
        }
        std::vector<int> labels;
        std::vector<double> weights;
        std::vector<size_t> keep;
        for (size_t s = 0; s < trainingSet.Size(); ++s)
        {
            int l = local[trainingSet.data.labels[s]];
            if (withOther || l < int(block.size()))
            {
                labels.push_back(l);
                weights.push_back(trainingSet.weights[s]);
                keep.push_back(s);
            }
        }
        Eigen::MatrixXd x(trainingValues.rows(), keep.size());
        for (size_t k = 0; k < keep.size(); ++k)
        {
            x.col(k) = trainingValues.col(keep[k]);
        }
        return FitSwitchModel(name,
                              x,
                              labels,
                              weights,
                              classes,
                              withOther,
                              features,
                              trainingSet,
                              config,
                              config.modelTrees);
    };
    std::vector<DuneSwitchModel> models;
    for (size_t b = 0; b < partition.best.blocks.size(); ++b)
    {
        models.push_back(blockModel(b, true, "dune-" + std::to_string(b), fit, fitValues));
    }

    // The order: claims of each model on the other blocks' samples, value of each block.
    const size_t n = models.size();
    std::vector<int> blockOf(nClasses, 0);
    for (size_t b = 0; b < n; ++b)
    {
        for (uint32_t c : partition.best.blocks[b])
        {
            blockOf[c] = b;
        }
    }
    Eigen::MatrixXd claims = Eigen::MatrixXd::Zero(n, n);
    std::vector<double> blockWeight(n, 0.0);
    std::vector<double> correct(n, 0.0);
    for (size_t s = 0; s < check.Size(); ++s)
    {
        const int truth = check.data.labels[s];
        const size_t j = blockOf[truth];
        blockWeight[j] += check.weights[s];
        for (size_t i = 0; i < n; ++i)
        {
            int c = models[i].Classify(check.data.features.col(s));
            if (i == j)
            {
                correct[j] += c == truth ? check.weights[s] : 0.0;
            }
            else if (c >= 0)
            {
                claims(i, j) += check.weights[s];
            }
        }
    }
    double totalWeight = std::accumulate(blockWeight.begin(), blockWeight.end(), 0.0);
    std::vector<double> value(n);
    for (size_t j = 0; j < n; ++j)
    {
        for (size_t i = 0; i < n; ++i)
        {
            claims(i, j) = blockWeight[j] > 0 ? claims(i, j) / blockWeight[j] : 0.0;
        }
        value[j] = totalWeight > 0 ? correct[j] / totalWeight : 0.0;
    }
    DuneOrder order = DuneBestOrder(claims, value);

    // The switches' models, in that order, on all the training data; the last has no one to
    // hand "Other" to: it decides among its own classes.
    DuneSystem system;
    system.m_name = "dune";
    const Eigen::MatrixXd allValues = SwitchValues(all);
    for (size_t k = 0; k < n; ++k)
    {
        const size_t b = order.order[k];
        system.m_models.push_back(
            blockModel(b, k + 1 < n, "dune-" + std::to_string(b), all, allValues));
    }

    if (report)
    {
        nlohmann::json blocks = nlohmann::json::array();
        for (size_t b = 0; b < n; ++b)
        {
            std::vector<std::string> names;
            for (uint32_t c : partition.best.blocks[b])
            {
                names.push_back(all.classNames[c]);
            }
            blocks.push_back(names);
        }
        nlohmann::json levels = nlohmann::json::array();
        for (const DunePartition& l : partition.levels)
        {
            levels.push_back({{"blocks", l.blocks.size()}, {"gain", l.gain}, {"score", l.score}});
        }
        *report = {{"reference",
                    {{"trees", config.referenceTrees},
                     {"depth", config.referenceDepth},
                     {"macro_f1_check", cm.MacroF1()},
                     {"per_class_f1", f1}}},
                   {"partition",
                    {{"method", config.exactPartition ? "exact" : "greedy"},
                     {"blocks", blocks},
                     {"score", partition.best.score},
                     {"levels", levels}}},
                   {"order", {{"models", order.order}, {"damage", order.damage}}}};
    }
    return system;
}

DuneSystem
DuneSystem::TrainJewel(const DuneDataset& train, const DuneConfig& config)
{
    const std::vector<uint32_t> rows = FeatureRows(train, config.featureSet);
    const Eigen::MatrixXd values = SwitchValues(train);
    LearnForest reference = Reference(Rows(values, rows), train, config);
    Eigen::VectorXd importance = reference.FeatureImportances();
    std::vector<double> score(importance.data(), importance.data() + importance.size());
    std::vector<int> classes(train.classNames.size());
    std::iota(classes.begin(), classes.end(), 0);
    DuneSystem system;
    system.m_name = "jewel";
    system.m_models.push_back(FitSwitchModel("jewel",
                                             values,
                                             train.data.labels,
                                             train.weights,
                                             classes,
                                             false,
                                             Top(rows, score, config.modelFeatures),
                                             train,
                                             config,
                                             config.modelTrees));
    return system;
}

DuneSystem
DuneSystem::TrainMousika(const DuneDataset& train, const DuneConfig& config)
{
    const std::vector<uint32_t> rows = FeatureRows(train, config.featureSet);
    const Eigen::MatrixXd values = SwitchValues(train);
    LearnForest teacher = Reference(Rows(values, rows), train, config);
    std::vector<int> taught = teacher.Predict(Rows(values, rows));
    Eigen::VectorXd importance = teacher.FeatureImportances();
    std::vector<double> score(importance.data(), importance.data() + importance.size());
    std::vector<int> classes(train.classNames.size());
    std::iota(classes.begin(), classes.end(), 0);
    DuneSystem system;
    system.m_name = "mousika";
    system.m_models.push_back(FitSwitchModel("mousika",
                                             values,
                                             taught,
                                             train.weights,
                                             classes,
                                             false,
                                             Top(rows, score, config.modelFeatures),
                                             train,
                                             config,
                                             1));
    return system;
}

nlohmann::json
DuneSystem::Evaluate(const DuneDataset& data) const
{
    const size_t nClasses = data.classNames.size();
    LearnConfusionMatrix cm(nClasses);
    std::vector<double> decided(m_models.size(), 0.0);
    double packetLevel = 0;
    double total = 0;
    for (size_t s = 0; s < data.Size(); ++s)
    {
        size_t model = 0;
        int c = Classify(data.data.features.col(s), &model);
        const double w = data.weights.empty() ? 1.0 : data.weights[s];
        cm.Add(data.data.labels[s], c, w);
        decided[model] += w;
        total += w;
        if (!data.samples.empty() && data.samples[s].kind == DuneSampleKind::PACKET)
        {
            packetLevel += w;
        }
    }
    for (double& d : decided)
    {
        d = total > 0 ? d / total : 0;
    }
    return {{"macro_f1", cm.MacroF1()},
            {"weighted_f1", cm.WeightedF1()},
            {"micro_f1", cm.MicroF1()},
            {"per_class_f1", cm.PerClassF1()},
            {"decided_by", decided},
            {"packet_level_share", total > 0 ? packetLevel / total : 0.0},
            {"flow_level_share", total > 0 ? 1.0 - packetLevel / total : 0.0}};
}

} // namespace ns3
