/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dune-pcfi.h"

#include <stdexcept>
#include <string>

namespace ns3
{

namespace
{

/// Gini impurity 2 p (1 - p) of "class c or not" at a node (0 for an empty node).
double
OneVsRestGini(const double* value, size_t classes, size_t c)
{
    double total = 0.0;
    for (size_t k = 0; k < classes; ++k)
    {
        total += value[k];
    }
    if (total <= 0.0)
    {
        return 0.0;
    }
    const double p = value[c] / total;
    return 2.0 * p * (1.0 - p);
}

} // namespace

Eigen::MatrixXd
DuneTreeClassImportance(const LearnTree& tree)
{
    const size_t nodes = tree.NodeCount();
    if (nodes == 0)
    {
        throw std::invalid_argument("DuneTreeClassImportance: the tree has no node");
    }
    const size_t classes = tree.ClassCount();
    const size_t features = tree.FeatureCount();
    Eigen::MatrixXd imp = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(classes),
                                                static_cast<Eigen::Index>(features));
    std::vector<bool> credited(classes * nodes, false);
    for (size_t leaf = 0; leaf < nodes; ++leaf)
    {
        const LearnTreeNode& l = tree.GetNode(leaf);
        if (!l.IsLeaf())
        {
            continue;
        }
        const auto c = static_cast<size_t>(tree.NodeClass(leaf));
        for (int32_t a = l.parent; a >= 0 && !credited[c * nodes + static_cast<size_t>(a)];
             a = tree.GetNode(static_cast<size_t>(a)).parent)
        {
            const LearnTreeNode& n = tree.GetNode(static_cast<size_t>(a));
            const LearnTreeNode& left = tree.GetNode(static_cast<size_t>(n.left));
            const LearnTreeNode& right = tree.GetNode(static_cast<size_t>(n.right));
            imp(static_cast<Eigen::Index>(c), n.feature) +=
                n.weightedSamples *
                    OneVsRestGini(tree.GetValue(static_cast<size_t>(a)), classes, c) -
                left.weightedSamples *
                    OneVsRestGini(tree.GetValue(static_cast<size_t>(n.left)), classes, c) -
                right.weightedSamples *
                    OneVsRestGini(tree.GetValue(static_cast<size_t>(n.right)), classes, c);
            credited[c * nodes + static_cast<size_t>(a)] = true;
        }
    }
    const double root = tree.GetNode(0).weightedSamples;
    if (root > 0.0)
    {
        imp /= root;
    }
    return imp;
}

DunePcfiResult
DuneComputePcfi(const std::vector<LearnTree>& trees)
{
    if (trees.empty())
    {
        throw std::invalid_argument("DuneComputePcfi: no tree");
    }
    const size_t classes = trees[0].ClassCount();
    const size_t features = trees[0].FeatureCount();
    DunePcfiResult r;
    r.raw = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(classes),
                                  static_cast<Eigen::Index>(features));
    for (size_t t = 0; t < trees.size(); ++t)
    {
        if (trees[t].ClassCount() != classes || trees[t].FeatureCount() != features)
        {
            throw std::invalid_argument("DuneComputePcfi: tree " + std::to_string(t) + " has " +
                                        std::to_string(trees[t].ClassCount()) + " classes and " +
                                        std::to_string(trees[t].FeatureCount()) +
                                        " features, tree 0 " + std::to_string(classes) + " and " +
                                        std::to_string(features));
        }
        r.raw += DuneTreeClassImportance(trees[t]);
    }
    r.raw /= static_cast<double>(trees.size());
    r.importance = r.raw;
    r.credited.assign(classes, true);
    for (size_t c = 0; c < classes; ++c)
    {
        const auto row = static_cast<Eigen::Index>(c);
        const double sum = r.raw.row(row).sum();
        if (sum > 0.0)
        {
            r.importance.row(row) /= sum;
        }
        else
        {
            r.importance.row(row).setConstant(1.0 / static_cast<double>(features));
            r.credited[c] = false;
        }
    }
    return r;
}

DunePcfiResult
DuneComputePcfi(const LearnForest& forest)
{
    if (forest.TreeCount() == 0)
    {
        throw std::invalid_argument("DuneComputePcfi: the forest is not fitted");
    }
    return DuneComputePcfi(forest.GetTrees());
}

} // namespace ns3
