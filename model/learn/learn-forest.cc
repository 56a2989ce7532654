/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "learn-forest.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-rng.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace ns3
{

std::string
LearnClassWeightName(LearnClassWeight weight)
{
    return weight == LearnClassWeight::BALANCED ? "balanced" : "none";
}

LearnClassWeight
LearnClassWeightFromName(const std::string& name, const std::string& place)
{
    if (name == "none")
    {
        return LearnClassWeight::NONE;
    }
    if (name == "balanced")
    {
        return LearnClassWeight::BALANCED;
    }
    throw AisfcInputError(place, "'" + name + "': expected none or balanced");
}

LearnForestParams::LearnForestParams()
{
    tree.maxFeatures = LearnMaxFeatures::Sqrt();
}

void
LearnForestParams::Validate(const std::string& place) const
{
    if (nEstimators == 0)
    {
        throw AisfcInputError(place + ".nEstimators", "0 trees: expected at least 1");
    }
    tree.Validate(place + ".tree");
}

LearnForest::LearnForest(const LearnForestParams& params)
    : m_params(params)
{
}

const LearnForestParams&
LearnForest::GetParams() const
{
    return m_params;
}

void
LearnForest::SetThreads(uint32_t threads)
{
    m_params.threads = threads;
}

uint64_t
LearnForest::TreeSeed(uint64_t seed, size_t index)
{
    return AisfcSplitMix64(seed + static_cast<uint64_t>(index) * AISFC_SPLITMIX_GAMMA);
}

std::vector<double>
LearnForest::BalancedWeights(const std::vector<int>& labels, size_t classes)
{
    std::vector<size_t> count(classes, 0);
    for (int y : labels)
    {
        if (y < 0 || static_cast<size_t>(y) >= classes)
        {
            throw std::invalid_argument("LearnForest::BalancedWeights: label " + std::to_string(y) +
                                        " is not in [0, " + std::to_string(classes) + ")");
        }
        ++count[static_cast<size_t>(y)];
    }
    const auto present = static_cast<double>(
        std::count_if(count.begin(), count.end(), [](size_t c) { return c > 0; }));
    std::vector<double> weight(labels.size());
    for (size_t s = 0; s < labels.size(); ++s)
    {
        weight[s] = static_cast<double>(labels.size()) /
                    (present * static_cast<double>(count[static_cast<size_t>(labels[s])]));
    }
    return weight;
}

void
LearnForest::Fit(const Eigen::MatrixXd& x,
                 const std::vector<int>& labels,
                 size_t classes,
                 const std::vector<double>& sampleWeight)
{
    m_params.Validate("forest");
    const LearnTreeData data(x);
    Fit(data, labels, classes, sampleWeight);
}

void
LearnForest::Fit(const LearnTreeData& data,
                 const std::vector<int>& labels,
                 size_t classes,
                 const std::vector<double>& sampleWeight)
{
    m_params.Validate("forest");
    const size_t n = data.SampleCount();
    if (labels.size() != n || (!sampleWeight.empty() && sampleWeight.size() != n))
    {
        throw std::invalid_argument("LearnForest::Fit: " + std::to_string(labels.size()) +
                                    " labels and " + std::to_string(sampleWeight.size()) +
                                    " weights for " + std::to_string(n) + " samples");
    }
    // Resolve maxFeatures once so a bad count fails before any thread starts.
    m_params.tree.maxFeatures.Resolve(data.FeatureCount(), "forest.tree.maxFeatures");

    std::vector<double> base = sampleWeight;
    if (m_params.classWeight == LearnClassWeight::BALANCED)
    {
        const std::vector<double> cw = BalancedWeights(labels, classes);
        if (base.empty())
        {
            base = cw;
        }
        else
        {
            for (size_t s = 0; s < n; ++s)
            {
                base[s] *= cw[s];
            }
        }
    }

    std::vector<LearnTree> trees(m_params.nEstimators, LearnTree(m_params.tree));
    auto grow = [&](size_t t) {
        std::mt19937_64 rng(TreeSeed(m_params.seed, t));
        if (!m_params.bootstrap)
        {
            trees[t].Fit(data, labels, classes, base, rng());
            return;
        }
        std::vector<double> weight(n, 0.0);
        for (size_t i = 0; i < n; ++i)
        {
            weight[LearnUniformIndex(rng, n)] += 1.0;
        }
        if (!base.empty())
        {
            for (size_t s = 0; s < n; ++s)
            {
                weight[s] *= base[s];
            }
        }
        trees[t].Fit(data, labels, classes, weight, rng());
    };

    size_t threads = m_params.threads;
    if (threads == 0)
    {
        threads = std::max(1u, std::thread::hardware_concurrency());
    }
    threads = std::min<size_t>(threads, trees.size());
    if (threads <= 1)
    {
        for (size_t t = 0; t < trees.size(); ++t)
        {
            grow(t);
        }
    }
    else
    {
        // Trees are handed out one at a time; each lands in its own slot, so which thread grew
        // it does not matter.  The first exception (by tree index) is rethrown.
        std::atomic<size_t> next{0};
        std::vector<std::exception_ptr> errors(trees.size());
        auto worker = [&]() {
            for (size_t t = next++; t < trees.size(); t = next++)
            {
                try
                {
                    grow(t);
                }
                catch (...)
                {
                    errors[t] = std::current_exception();
                }
            }
        };
        std::vector<std::thread> pool;
        for (size_t i = 0; i < threads; ++i)
        {
            pool.emplace_back(worker);
        }
        for (auto& th : pool)
        {
            th.join();
        }
        for (const auto& e : errors)
        {
            if (e)
            {
                std::rethrow_exception(e);
            }
        }
    }
    m_trees = std::move(trees);
    m_classes = classes;
    m_features = data.FeatureCount();
}

size_t
LearnForest::TreeCount() const
{
    return m_trees.size();
}

size_t
LearnForest::ClassCount() const
{
    return m_classes;
}

size_t
LearnForest::FeatureCount() const
{
    return m_features;
}

const LearnTree&
LearnForest::GetTree(size_t index) const
{
    if (index >= m_trees.size())
    {
        throw std::out_of_range("LearnForest::GetTree: tree " + std::to_string(index) +
                                " out of range");
    }
    return m_trees[index];
}

const std::vector<LearnTree>&
LearnForest::GetTrees() const
{
    return m_trees;
}

Eigen::MatrixXd
LearnForest::PredictProba(const Eigen::MatrixXd& x) const
{
    if (m_trees.empty())
    {
        throw std::invalid_argument("LearnForest::PredictProba: the forest is not fitted");
    }
    if (static_cast<size_t>(x.rows()) != m_features)
    {
        throw std::invalid_argument("LearnForest::PredictProba: " + std::to_string(x.rows()) +
                                    " feature rows for a forest of " + std::to_string(m_features));
    }
    Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(m_classes), x.cols());
    for (const LearnTree& tree : m_trees)
    {
        sum += tree.PredictProba(x);
    }
    return sum / static_cast<double>(m_trees.size());
}

std::vector<int>
LearnForest::Predict(const Eigen::MatrixXd& x) const
{
    return LearnArgmaxFirst(PredictProba(x));
}

Eigen::VectorXd
LearnForest::FeatureImportances() const
{
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(m_features));
    size_t used = 0;
    for (const LearnTree& tree : m_trees)
    {
        if (tree.NodeCount() > 1)
        {
            sum += tree.FeatureImportances();
            ++used;
        }
    }
    if (used == 0)
    {
        return sum;
    }
    sum /= static_cast<double>(used);
    return sum / sum.sum();
}

std::vector<int>
LearnArgmaxFirst(const Eigen::MatrixXd& scores)
{
    std::vector<int> best(static_cast<size_t>(scores.cols()), 0);
    for (Eigen::Index j = 0; j < scores.cols(); ++j)
    {
        Eigen::Index b = 0;
        for (Eigen::Index k = 1; k < scores.rows(); ++k)
        {
            if (scores(k, j) > scores(b, j))
            {
                b = k;
            }
        }
        best[static_cast<size_t>(j)] = static_cast<int>(b);
    }
    return best;
}

} // namespace ns3
