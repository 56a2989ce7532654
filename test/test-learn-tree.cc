/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/aisfc-error.h"
#include "ns3/dune-pcfi.h"
#include "ns3/learn-dataset.h"
#include "ns3/learn-forest.h"
#include "ns3/learn-metrics.h"
#include "ns3/learn-tree.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <set>

using namespace ns3;
using Catch::Matchers::Contains;

namespace
{

/// One feature per row from a list of samples given as rows (easier to write by hand).
Eigen::MatrixXd
Columns(const std::vector<std::vector<double>>& samples)
{
    Eigen::MatrixXd x(static_cast<Eigen::Index>(samples[0].size()),
                      static_cast<Eigen::Index>(samples.size()));
    for (size_t s = 0; s < samples.size(); ++s)
    {
        for (size_t f = 0; f < samples[s].size(); ++f)
        {
            x(static_cast<Eigen::Index>(f), static_cast<Eigen::Index>(s)) = samples[s][f];
        }
    }
    return x;
}

/// 0, 1, ..., n - 1 as one feature.
Eigen::MatrixXd
Line(size_t n)
{
    Eigen::MatrixXd x(1, static_cast<Eigen::Index>(n));
    for (size_t i = 0; i < n; ++i)
    {
        x(0, static_cast<Eigen::Index>(i)) = static_cast<double>(i);
    }
    return x;
}

/// Structure and numbers of two trees are identical.
bool
SameTree(const LearnTree& a, const LearnTree& b)
{
    if (a.NodeCount() != b.NodeCount() || a.ClassCount() != b.ClassCount())
    {
        return false;
    }
    for (size_t i = 0; i < a.NodeCount(); ++i)
    {
        const LearnTreeNode& p = a.GetNode(i);
        const LearnTreeNode& q = b.GetNode(i);
        if (p.left != q.left || p.right != q.right || p.feature != q.feature ||
            p.threshold != q.threshold || p.weightedSamples != q.weightedSamples ||
            p.samples != q.samples)
        {
            return false;
        }
        for (size_t k = 0; k < a.ClassCount(); ++k)
        {
            if (a.GetValue(i)[k] != b.GetValue(i)[k])
            {
                return false;
            }
        }
    }
    return true;
}

} // namespace

TEST_CASE("LearnTree splits one feature at the hand-computed midpoint", "[learn]")
{
    const Eigen::MatrixXd x = Columns({{1}, {2}, {3}, {4}, {5}, {6}});
    LearnTree tree;
    tree.Fit(x, {0, 0, 0, 1, 1, 1}, 2);
    REQUIRE(tree.NodeCount() == 3);
    const LearnTreeNode& root = tree.GetNode(0);
    CHECK(root.feature == 0);
    CHECK(root.threshold == 3.5);
    CHECK(root.impurity == 0.5);
    CHECK(root.weightedSamples == 6.0);
    CHECK(root.samples == 6);
    CHECK(root.improvement == 0.5);
    CHECK(tree.GetNode(1).IsLeaf());
    CHECK(tree.NodeClass(1) == 0);
    CHECK(tree.NodeClass(2) == 1);
    CHECK(tree.GetNode(1).parent == 0);
    CHECK(tree.IntegerThreshold(0) == 3);
    CHECK(tree.Predict(Columns({{3.5}, {3.6}, {-10}, {100}})) == std::vector<int>{0, 1, 0, 1});
    CHECK(tree.ApplySample(Eigen::VectorXd::Constant(1, 3.0)) == 1);
    CHECK(tree.PredictSample(Eigen::VectorXd::Constant(1, 4.0)) == 1);
    CHECK(tree.FeatureImportances()(0) == 1.0);
}

TEST_CASE("LearnTree picks the informative feature and breaks ties to the lowest", "[learn]")
{
    // Feature 1 separates the classes; feature 0 is noise, feature 2 a copy of feature 1.
    const Eigen::MatrixXd x =
        Columns({{5, 10, 10}, {1, 11, 11}, {4, 12, 12}, {2, 20, 20}, {3, 21, 21}, {6, 22, 22}});
    LearnTree tree;
    tree.Fit(x, {0, 0, 0, 1, 1, 1}, 2);
    REQUIRE(tree.NodeCount() == 3);
    CHECK(tree.GetNode(0).feature == 1);
    CHECK(tree.GetNode(0).threshold == 16.0);
    CHECK(tree.FeatureImportances().isApprox(Eigen::Vector3d(0, 1, 0)));
}

TEST_CASE("LearnTree sample weights change the split as computed by hand", "[learn]")
{
    // x = 1, 2, 3 with classes 0, 1, 0.  Unweighted both cuts score sum L^2/wL + sum R^2/wR =
    // 2 and the lower threshold wins the tie; weight 3 on x = 3 makes 2.5 score 1 + 3 = 4
    // against 1 + 10/4 = 3.5 for 1.5; weight 3 on x = 1 mirrors it.
    const Eigen::MatrixXd x = Columns({{1}, {2}, {3}});
    const std::vector<int> y{0, 1, 0};
    LearnTreeParams stump;
    stump.maxDepth = 1;
    LearnTree tree(stump);
    tree.Fit(x, y, 2);
    CHECK(tree.GetNode(0).threshold == 1.5);
    CHECK(tree.GetNode(0).impurity == Approx(4.0 / 9.0));

    tree.Fit(x, y, 2, {1, 1, 3});
    CHECK(tree.GetNode(0).threshold == 2.5);
    CHECK(tree.GetNode(0).weightedSamples == 5.0);
    CHECK(tree.GetNode(0).impurity == Approx(0.32)); // 1 - (4^2 + 1^2) / 5^2
    CHECK(tree.GetValue(2)[0] == 3.0);
    CHECK(tree.GetNode(2).samples == 1);
    CHECK(tree.GetNode(1).impurity == 0.5);

    tree.Fit(x, y, 2, {3, 1, 1});
    CHECK(tree.GetNode(0).threshold == 1.5);

    // A sample of weight zero is not there at all (scikit-learn drops it too).
    tree.Fit(x, y, 2, {1, 1, 0});
    CHECK(tree.GetNode(0).samples == 2);
    CHECK(tree.GetNode(0).threshold == 1.5);
}

TEST_CASE("LearnTree learns XOR only with depth 2", "[learn]")
{
    std::vector<std::vector<double>> samples;
    std::vector<int> y;
    for (int rep = 0; rep < 5; ++rep)
    {
        for (int a = 0; a < 2; ++a)
        {
            for (int b = 0; b < 2; ++b)
            {
                samples.push_back({double(a), double(b)});
                y.push_back(a ^ b);
            }
        }
    }
    const Eigen::MatrixXd x = Columns(samples);
    LearnTreeParams stump;
    stump.maxDepth = 1;
    LearnTree one(stump);
    one.Fit(x, y, 2);
    // Every cut has zero Gini decrease; the split is still taken (feature 0, the first).
    CHECK(one.NodeCount() == 3);
    CHECK(one.GetNode(0).feature == 0);
    CHECK(one.GetNode(0).improvement == 0.0);
    const LearnConfusionMatrix shallow = LearnConfusionMatrix::From(y, one.Predict(x), 2);
    CHECK(shallow.Accuracy() == 0.5);

    LearnTree full;
    full.Fit(x, y, 2);
    CHECK(full.Depth() == 2);
    CHECK(full.LeafCount() == 4);
    CHECK(full.Predict(x) == y);
    CHECK(full.GetNode(0).threshold == 0.5);
}

TEST_CASE("LearnTree grows depth first in pre-order and best first by improvement", "[learn]")
{
    // x = 0..15; the left half has one odd sample (small gain), the right half 4 + 4 (big gain).
    const Eigen::MatrixXd x = Line(16);
    const std::vector<int> y{0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 2, 2, 2, 2};

    LearnTree full;
    full.Fit(x, y, 3);
    // Pre-order numbering: 0 root, 1-5 the left subtree, 6-8 the right one.
    const std::vector<double> fullThresholds{7.5, 5.5, 0, 6.5, 0, 0, 11.5, 0, 0};
    REQUIRE(full.NodeCount() == 9);
    for (size_t i = 0; i < 9; ++i)
    {
        CHECK(full.GetNode(i).threshold == fullThresholds[i]);
    }
    CHECK(full.GetNode(0).right == 6);
    CHECK(full.GetNode(0).impurity == Approx(166.0 / 256.0));

    LearnTreeParams p;
    p.maxLeafNodes = 2;
    LearnTree two(p);
    two.Fit(x, y, 3);
    CHECK(two.LeafCount() == 2);
    CHECK(two.GetNode(0).threshold == 7.5);

    // Three leaves: the right child (gain 0.25) is split before the left one (gain 0.1875).
    p.maxLeafNodes = 3;
    LearnTree three(p);
    three.Fit(x, y, 3);
    REQUIRE(three.NodeCount() == 5);
    CHECK(three.GetNode(1).IsLeaf());
    CHECK(three.GetNode(1).feature == -1);
    CHECK(three.GetNode(2).threshold == 11.5);
    CHECK(three.GetNode(2).left == 3);
    CHECK(three.GetNode(2).right == 4);

    // Four leaves: then the left child, whose children are numbered 5 and 6 (creation order).
    p.maxLeafNodes = 4;
    LearnTree four(p);
    four.Fit(x, y, 3);
    REQUIRE(four.NodeCount() == 7);
    CHECK(four.GetNode(1).threshold == 5.5);
    CHECK(four.GetNode(1).left == 5);
    CHECK(four.GetNode(6).IsLeaf());
    CHECK(four.GetValue(6)[0] == 1.0);
    CHECK(four.GetValue(6)[1] == 1.0);

    // Enough leaves: best first gives the same splits as depth first, numbered differently.
    p.maxLeafNodes = 100;
    LearnTree many(p);
    many.Fit(x, y, 3);
    CHECK(many.LeafCount() == full.LeafCount());
    CHECK(many.Predict(x) == full.Predict(x));
}

TEST_CASE("LearnTree respects depth and sample limits", "[learn]")
{
    const LearnDataset data = LearnDataset::Blobs(600, 4, 5, 11, 2.5);
    for (uint32_t depth : {1u, 2u, 3u, 5u})
    {
        LearnTreeParams p;
        p.maxDepth = depth;
        LearnTree tree(p);
        tree.Fit(data.features, data.labels, 4);
        CHECK(tree.Depth() <= depth);
        CHECK(tree.LeafCount() <= (1u << depth));
    }
    LearnTreeParams p;
    p.minSamplesLeaf = 7;
    p.minSamplesSplit = 30;
    LearnTree tree(p);
    tree.Fit(data.features, data.labels, 4);
    CHECK(tree.NodeCount() > 3);
    for (const LearnTreeNode& n : tree.GetNodes())
    {
        CHECK(n.samples >= 7);
        if (!n.IsLeaf())
        {
            CHECK(n.samples >= 30);
            CHECK(tree.GetNode(n.left).samples + tree.GetNode(n.right).samples == n.samples);
        }
    }
    for (uint32_t leaves : {2u, 5u, 17u})
    {
        LearnTreeParams q;
        q.maxLeafNodes = leaves;
        LearnTree limited(q);
        limited.Fit(data.features, data.labels, 4);
        CHECK(limited.LeafCount() == leaves);
    }
}

TEST_CASE("LearnTree feature subsets draw past constant features", "[learn]")
{
    // Features 0-3 are constant; with maxFeatures 1 every node still finds feature 4.
    const LearnDataset blobs = LearnDataset::Blobs(200, 2, 1, 3, 1.0);
    Eigen::MatrixXd x = Eigen::MatrixXd::Constant(5, 200, 7.0);
    x.row(4) = blobs.features.row(0);
    LearnTreeParams p;
    p.maxFeatures = LearnMaxFeatures::Count(1);
    LearnTree tree(p);
    tree.Fit(x, blobs.labels, 2, {}, 99);
    CHECK(tree.Predict(x) == blobs.labels);
    for (const LearnTreeNode& n : tree.GetNodes())
    {
        CHECK((n.IsLeaf() || n.feature == 4));
    }
    // Same seed, same tree; the seed matters once features differ.
    const LearnDataset data = LearnDataset::Blobs(300, 3, 6, 5, 3.0);
    LearnTreeParams q;
    q.maxFeatures = LearnMaxFeatures::Sqrt();
    LearnTree a(q);
    LearnTree b(q);
    LearnTree c(q);
    a.Fit(data.features, data.labels, 3, {}, 1);
    b.Fit(data.features, data.labels, 3, {}, 1);
    c.Fit(data.features, data.labels, 3, {}, 2);
    CHECK(SameTree(a, b));
    CHECK_FALSE(SameTree(a, c));
}

TEST_CASE("LearnTree thresholds work on integer features", "[learn]")
{
    // TTL-like integers: x <= t iff x <= floor(t), which a switch range table needs.
    std::mt19937_64 rng(4);
    std::vector<std::vector<double>> samples;
    std::vector<int> y;
    for (int i = 0; i < 400; ++i)
    {
        const double ttl = static_cast<double>(LearnUniformIndex(rng, 256));
        const double port = static_cast<double>(LearnUniformIndex(rng, 1024));
        samples.push_back({ttl, port});
        y.push_back(ttl > 64 ? (port > 500 ? 2 : 1) : 0);
    }
    const Eigen::MatrixXd x = Columns(samples);
    LearnTree tree;
    tree.Fit(x, y, 3);
    CHECK(tree.Predict(x) == y);
    for (size_t i = 0; i < tree.NodeCount(); ++i)
    {
        if (!tree.GetNode(i).IsLeaf())
        {
            // A midpoint of two integers: an integer or an integer and a half.
            const double t2 = 2.0 * tree.GetNode(i).threshold;
            CHECK(t2 == std::floor(t2));
        }
    }
    for (size_t s = 0; s < samples.size(); ++s)
    {
        size_t node = 0;
        while (!tree.GetNode(node).IsLeaf())
        {
            const LearnTreeNode& n = tree.GetNode(node);
            const auto v = static_cast<int64_t>(samples[s][static_cast<size_t>(n.feature)]);
            node = static_cast<size_t>(v <= tree.IntegerThreshold(node) ? n.left : n.right);
        }
        CHECK(node == tree.ApplySample(x.col(static_cast<Eigen::Index>(s))));
    }
}

TEST_CASE("LearnTree probabilities are leaf distributions", "[learn]")
{
    const Eigen::MatrixXd x = Columns({{0}, {0}, {0}, {1}, {1}});
    LearnTree tree;
    tree.Fit(x, {0, 1, 1, 2, 2}, 3, {2, 1, 1, 1, 1});
    const Eigen::MatrixXd p = tree.PredictProba(Columns({{0}, {1}}));
    CHECK(p(0, 0) == 0.5);
    CHECK(p(1, 0) == 0.5);
    CHECK(p(2, 1) == 1.0);
    // 2 against 2: the lowest class wins the tie.
    CHECK(tree.Predict(Columns({{0}})) == std::vector<int>{0});
}

TEST_CASE("LearnTree rejects bad parameters and bad calls", "[learn]")
{
    LearnTreeParams p;
    p.minSamplesSplit = 1;
    CHECK_THROWS_WITH(p.Validate("dune.tree"), Contains("dune.tree.minSamplesSplit"));
    p = LearnTreeParams();
    p.maxLeafNodes = 1;
    CHECK_THROWS_AS(p.Validate(), AisfcInputError);
    CHECK_THROWS_WITH(LearnMaxFeatures::FromName("half", "forest.maxFeatures"),
                      Contains("forest.maxFeatures: 'half'"));
    CHECK(LearnMaxFeatures::FromName("sqrt", "x").Resolve(20) == 4);
    CHECK(LearnMaxFeatures::FromName("log2", "x").Resolve(20) == 4);
    CHECK(LearnMaxFeatures::FromName("7", "x").Resolve(20) == 7);
    CHECK(LearnMaxFeatures::FromName("0.5", "x").Resolve(20) == 10);
    CHECK(LearnMaxFeatures::FromName("0.01", "x").Resolve(20) == 1);
    CHECK(LearnMaxFeatures::FromName("all", "x").Resolve(20) == 20);
    CHECK(LearnMaxFeatures::FromName("0.25", "x").Name() == "0.25");
    CHECK_THROWS_AS(LearnMaxFeatures::Count(21).Resolve(20), AisfcInputError);
    LearnTreeParams tooMany;
    tooMany.maxFeatures = LearnMaxFeatures::Count(3);
    LearnTree tree(tooMany);
    CHECK_THROWS_WITH(tree.Fit(Columns({{1, 2}, {3, 4}}), {0, 1}, 2), Contains("tree.maxFeatures"));
    LearnTree plain;
    CHECK_THROWS_AS(plain.Fit(Columns({{1}, {2}}), {0, 2}, 2), std::invalid_argument);
    CHECK_THROWS_AS(plain.Fit(Columns({{1}, {2}}), {0, 1}, 2, {1, -1}), std::invalid_argument);
    CHECK_THROWS_AS(plain.Fit(Columns({{1}, {2}}), {0, 1}, 2, {0, 0}), std::invalid_argument);
    CHECK_THROWS_AS(plain.Fit(Columns({{1}, {NAN}}), {0, 1}, 2), std::invalid_argument);
    CHECK_THROWS_AS(plain.Predict(Columns({{1}})), std::invalid_argument);
    plain.Fit(Columns({{1}, {2}}), {0, 1}, 2);
    CHECK_THROWS_AS(plain.Predict(Columns({{1, 2}})), std::invalid_argument);
}

TEST_CASE("LearnForest is deterministic for a seed and any thread count", "[learn]")
{
    const LearnDataset data = LearnDataset::Blobs(900, 5, 8, 21, 3.0);
    LearnForestParams p;
    p.nEstimators = 12;
    p.seed = 42;
    LearnForest reference(p);
    reference.Fit(data.features, data.labels, 5);
    const Eigen::MatrixXd proba = reference.PredictProba(data.features);
    for (uint32_t threads : {2u, 3u, 0u})
    {
        LearnForest other(p);
        other.SetThreads(threads);
        other.Fit(data.features, data.labels, 5);
        REQUIRE(other.TreeCount() == 12);
        for (size_t t = 0; t < 12; ++t)
        {
            CHECK(SameTree(other.GetTree(t), reference.GetTree(t)));
        }
        CHECK((other.PredictProba(data.features).array() == proba.array()).all());
    }
    // The trees differ from each other and from another seed's.
    CHECK_FALSE(SameTree(reference.GetTree(0), reference.GetTree(1)));
    p.seed = 43;
    LearnForest reseeded(p);
    reseeded.Fit(data.features, data.labels, 5);
    CHECK_FALSE(SameTree(reseeded.GetTree(0), reference.GetTree(0)));
    // Probabilities are the mean of the trees' and sum to 1.
    Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(5, data.features.cols());
    for (const LearnTree& t : reference.GetTrees())
    {
        mean += t.PredictProba(data.features);
    }
    CHECK(proba.isApprox(mean / 12.0));
    CHECK((proba.colwise().sum().array() - 1.0).abs().maxCoeff() < 1e-12);
    CHECK(reference.Predict(data.features) == LearnArgmaxFirst(proba));
}

TEST_CASE("LearnForest bootstrap weights samples by their draw counts", "[learn]")
{
    const LearnDataset data = LearnDataset::Blobs(500, 3, 4, 8, 2.0);
    LearnForestParams p;
    p.nEstimators = 4;
    LearnForest forest(p);
    forest.Fit(data.features, data.labels, 3);
    for (const LearnTree& t : forest.GetTrees())
    {
        // n draws: the weights sum to n; about 1 - 1/e of the samples are distinct.
        CHECK(t.GetNode(0).weightedSamples == 500.0);
        CHECK(t.GetNode(0).samples > 280);
        CHECK(t.GetNode(0).samples < 350);
    }
    // Without bootstrap and with all features every tree is the same tree.
    p.bootstrap = false;
    p.tree.maxFeatures = LearnMaxFeatures::All();
    LearnForest plain(p);
    plain.Fit(data.features, data.labels, 3);
    CHECK(plain.GetTree(0).GetNode(0).samples == 500);
    CHECK(SameTree(plain.GetTree(0), plain.GetTree(3)));
}

TEST_CASE("LearnForest balanced class weights follow scikit-learn", "[learn]")
{
    const std::vector<double> w = LearnForest::BalancedWeights({0, 0, 0, 1, 3}, 4);
    // n / (present classes * n_k) = 5 / (3 * 3), 5 / (3 * 1)
    CHECK(w[0] == Approx(5.0 / 9.0));
    CHECK(w[3] == Approx(5.0 / 3.0));
    CHECK(w[4] == Approx(5.0 / 3.0));
    LearnForestParams p;
    p.nEstimators = 3;
    p.bootstrap = false;
    p.classWeight = LearnClassWeight::BALANCED;
    LearnForest forest(p);
    forest.Fit(Columns({{0}, {1}, {2}, {3}, {4}}), {0, 0, 0, 1, 3}, 4);
    const double* root = forest.GetTree(0).GetValue(0);
    CHECK(root[0] == Approx(5.0 / 3.0));
    CHECK(root[1] == Approx(5.0 / 3.0));
    CHECK(root[2] == 0.0);
    CHECK(LearnClassWeightFromName("balanced", "x") == LearnClassWeight::BALANCED);
    CHECK_THROWS_WITH(LearnClassWeightFromName("auto", "forest.classWeight"),
                      Contains("forest.classWeight"));
    LearnForestParams bad;
    bad.nEstimators = 0;
    CHECK_THROWS_WITH(bad.Validate(), Contains("forest.nEstimators"));
}

TEST_CASE("LearnForest classifies separable blobs", "[learn]")
{
    const LearnDataset train = LearnDataset::Blobs(2000, 6, 10, 31, 2.0);
    const LearnDataset test = LearnDataset::Blobs(600, 6, 10, 31, 2.0);
    LearnForestParams p;
    p.nEstimators = 30;
    LearnForest forest(p);
    forest.Fit(train.features, train.labels, 6);
    const LearnConfusionMatrix cm =
        LearnConfusionMatrix::From(test.labels, forest.Predict(test.features), 6);
    CHECK(cm.MacroF1() > 0.95);
    const Eigen::VectorXd imp = forest.FeatureImportances();
    CHECK(imp.sum() == Approx(1.0));
}

TEST_CASE("LearnConfusionMatrix F1 scores match a hand confusion matrix", "[learn]")
{
    // true 0: 5 right, 1 as class 1; true 1: 2 as 0, 3 right, 1 as 2; class 3 never occurs.
    const std::vector<int> truth{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
    const std::vector<int> pred{0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 2};
    const LearnConfusionMatrix cm = LearnConfusionMatrix::From(truth, pred, 4);
    CHECK(cm.GetMatrix()(1, 0) == 2.0);
    CHECK(cm.Precision(0) == Approx(5.0 / 7.0));
    CHECK(cm.Recall(0) == Approx(5.0 / 6.0));
    CHECK(cm.F1(0) == Approx(10.0 / 13.0));
    CHECK(cm.F1(1) == Approx(3.0 / 5.0));
    // Class 2 is only predicted: precision 0/1, recall 0/0 -> 0 (zero_division=0).
    CHECK(cm.Precision(2) == 0.0);
    CHECK(cm.Recall(2) == 0.0);
    CHECK(cm.F1(2) == 0.0);
    CHECK(cm.IsPresent(2));
    CHECK_FALSE(cm.IsPresent(3));
    // scikit-learn 1.2: f1_score(..., average="macro") = 0.45641..., "weighted" 0.68461...
    CHECK(cm.MacroF1() == Approx(89.0 / 195.0));
    CHECK(cm.WeightedF1() == Approx(89.0 / 130.0));
    CHECK(cm.MicroF1() == Approx(2.0 / 3.0));
    CHECK(cm.Accuracy() == Approx(2.0 / 3.0));
    CHECK(cm.PerClassF1().size() == 4);

    // Weight 2 on a sample counts as that sample twice.
    std::vector<int> t2 = truth;
    std::vector<int> p2 = pred;
    std::vector<double> w(truth.size(), 1.0);
    w[6] = 2.0;
    t2.push_back(truth[6]);
    p2.push_back(pred[6]);
    const LearnConfusionMatrix weighted = LearnConfusionMatrix::From(truth, pred, 4, w);
    const LearnConfusionMatrix doubled = LearnConfusionMatrix::From(t2, p2, 4);
    CHECK(weighted.MacroF1() == Approx(doubled.MacroF1()));
    CHECK(weighted.WeightedF1() == Approx(doubled.WeightedF1()));
    CHECK(weighted.MicroF1() == Approx(doubled.MicroF1()));
    CHECK_THROWS_AS(LearnConfusionMatrix::From({0}, {4}, 4), std::invalid_argument);
    CHECK(LearnConfusionMatrix(3).MacroF1() == 0.0);
}

TEST_CASE("DunePcfi credits each split once per class on a hand tree", "[dune]")
{
    // Root (f0) -> node 1 (f1) -> leaves 2 (class 0) and 3 (class 1); root -> leaf 4 (class 0).
    std::vector<LearnTreeNode> nodes(5);
    nodes[0].left = 1;
    nodes[0].right = 4;
    nodes[0].feature = 0;
    nodes[0].threshold = 0.5;
    nodes[1].left = 2;
    nodes[1].right = 3;
    nodes[1].feature = 1;
    nodes[1].threshold = 0.5;
    const double weights[] = {8, 4, 2, 2, 4};
    for (size_t i = 0; i < 5; ++i)
    {
        nodes[i].weightedSamples = weights[i];
    }
    const std::vector<double> values{6, 2, 2, 2, 2, 0, 0, 2, 4, 0};
    const LearnTree tree = LearnTree::FromNodes(nodes, values, 2, 2);
    // Class 0 (leaves 2 and 4): node 1 gives 4 * 0.5 = 2 to f1; the root gives
    // 8 * 2 (3/4)(1/4) - 4 * 0.5 - 0 = 1 to f0 once, though two class-0 leaves lie below it.
    // Class 1 (leaf 3): the same 2 to f1 and 1 to f0.  All over the root weight 8.
    const Eigen::MatrixXd raw = DuneTreeClassImportance(tree);
    CHECK(raw(0, 0) == Approx(1.0 / 8.0));
    CHECK(raw(0, 1) == Approx(2.0 / 8.0));
    CHECK(raw(1, 0) == Approx(1.0 / 8.0));
    CHECK(raw(1, 1) == Approx(2.0 / 8.0));
    const DunePcfiResult r = DuneComputePcfi(std::vector<LearnTree>{tree, tree});
    CHECK(r.importance(0, 0) == Approx(1.0 / 3.0));
    CHECK(r.importance(0, 1) == Approx(2.0 / 3.0));
    CHECK(r.credited == std::vector<bool>{true, true});
    CHECK_THROWS_AS(DuneComputePcfi(std::vector<LearnTree>{}), std::invalid_argument);
}

TEST_CASE("DunePcfi rows sum to 1 and credit the feature that decides a class", "[dune]")
{
    // Feature 0 alone separates class 0 from the rest; among the rest feature 1 separates
    // classes 1 and 2; feature 2 is noise; class 3 never occurs.
    std::mt19937_64 rng(17);
    std::vector<std::vector<double>> samples;
    std::vector<int> y;
    for (int i = 0; i < 300; ++i)
    {
        const int c = i % 3;
        samples.push_back({c == 0 ? 1.0 : 0.0,
                           c == 2 ? 1.0 : 0.0,
                           static_cast<double>(LearnUniformIndex(rng, 100))});
        y.push_back(c);
    }
    const Eigen::MatrixXd x = Columns(samples);

    // One tree on all features: root on f0, then f1.  Class 0 gets the root only; class 1
    // gets 300 (4/9) - 200 (1/2) = 33.3 at the root on f0 and 200 (1/2) = 100 on f1, so its
    // row is (1/4, 3/4, 0); class 2 likewise.
    LearnTree tree;
    tree.Fit(x, y, 4);
    const DunePcfiResult one = DuneComputePcfi(std::vector<LearnTree>{tree});
    CHECK(one.importance(0, 0) == Approx(1.0));
    CHECK(one.importance(1, 0) == Approx(0.25));
    CHECK(one.importance(1, 1) == Approx(0.75));
    CHECK(one.importance(2, 1) == Approx(0.75));
    CHECK(one.importance(1, 2) == 0.0);
    // Class 3: no leaf, no credit: a uniform row, flagged.
    CHECK_FALSE(one.credited[3]);
    CHECK(one.importance(3, 2) == Approx(1.0 / 3.0));

    LearnForestParams p;
    p.nEstimators = 25;
    p.seed = 5;
    LearnForest forest(p);
    forest.Fit(x, y, 4);
    const DunePcfiResult r = DuneComputePcfi(forest);
    for (Eigen::Index c = 0; c < 4; ++c)
    {
        CHECK(r.importance.row(c).sum() == Approx(1.0));
        CHECK((r.importance.row(c).array() >= 0.0).all());
    }
    INFO("W =\n" << r.importance);
    // Feature 0 decides class 0, feature 1 class 2; class 1 needs both; feature 2 explains
    // nothing (trees that draw it first still split on it, hence a little credit).
    Eigen::Index best = 0;
    r.importance.row(0).maxCoeff(&best);
    CHECK(best == 0);
    r.importance.row(2).maxCoeff(&best);
    CHECK(best == 1);
    CHECK(r.importance(0, 0) > 0.7);
    CHECK(r.importance(2, 1) > 0.7);
    CHECK(r.importance(1, 0) + r.importance(1, 1) > 0.9);
    CHECK(r.importance.col(2).head(3).maxCoeff() < 0.1);
    CHECK_FALSE(r.credited[3]);
}
