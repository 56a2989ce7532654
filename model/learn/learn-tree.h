/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LEARN_TREE_H
#define LEARN_TREE_H

#include "learn-dense-network.h"

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * \brief A uniform integer in [0, n) from one mt19937_64 draw, the same with every standard
 * library (std::uniform_int_distribution is not specified bit for bit).
 *
 * The draw is floor(LearnUniform01(rng) * n): exact IEEE arithmetic, so portable; the bias is
 * below n / 2^53, far below anything a tree or a bootstrap can notice.
 * \param rng the generator (advanced by one draw)
 * \param n the number of values, > 0 and < 2^53
 * \return the integer
 */
inline size_t
LearnUniformIndex(std::mt19937_64& rng, size_t n)
{
    const auto k = static_cast<size_t>(LearnUniform01(rng) * static_cast<double>(n));
    return k < n ? k : n - 1;
}

/**
 * \ingroup aisfc
 * How many features a tree node considers when it looks for its split, as scikit-learn's
 * max_features: all, sqrt, log2, a count or a fraction of the features.
 */
struct LearnMaxFeatures
{
    /// The rule.
    enum Kind : uint8_t
    {
        ALL = 0,      //!< every feature (scikit-learn's None)
        SQRT = 1,     //!< max(1, floor(sqrt(features)))
        LOG2 = 2,     //!< max(1, floor(log2(features)))
        COUNT = 3,    //!< value features
        FRACTION = 4, //!< max(1, floor(value * features)), value in (0, 1]
    };

    Kind kind = ALL;    //!< the rule
    double value = 0.0; //!< the count (COUNT) or fraction (FRACTION)

    /// \brief \return every feature
    static LearnMaxFeatures All();

    /// \brief \return floor(sqrt(features)), at least 1 (scikit-learn's "sqrt")
    static LearnMaxFeatures Sqrt();

    /// \brief \return floor(log2(features)), at least 1 (scikit-learn's "log2")
    static LearnMaxFeatures Log2();

    /**
     * \brief A fixed number of features.
     * \param count the number, > 0
     * \return the rule
     */
    static LearnMaxFeatures Count(size_t count);

    /**
     * \brief A fraction of the features.
     * \param fraction in (0, 1]
     * \return the rule
     */
    static LearnMaxFeatures Fraction(double fraction);

    /**
     * \brief Parse a rule as written in a configuration or on a command line.
     * \param text "all" (or "none"), "sqrt", "log2", a positive integer (a count) or a number in
     *        (0, 1) with a decimal point (a fraction)
     * \param place where the text comes from (JSON path, option), for the error message
     * \return the rule
     * \throws AisfcInputError naming place for anything else
     */
    static LearnMaxFeatures FromName(const std::string& text, const std::string& place);

    /// \brief \return the rule as FromName reads it ("sqrt", "7", "0.5", ...)
    std::string Name() const;

    /**
     * \brief The number of features a node considers.
     * \param features the number of features of the data, > 0
     * \param place where the rule comes from, for the error message
     * \return a number in [1, features]
     * \throws AisfcInputError naming place when a COUNT exceeds features or a value is out of
     *         range (as scikit-learn refuses it)
     */
    size_t Resolve(size_t features, const std::string& place = "maxFeatures") const;
};

/**
 * \ingroup aisfc
 * Growth limits of a classification tree, with scikit-learn's DecisionTreeClassifier meanings
 * (0 stands for its None).
 */
struct LearnTreeParams
{
    uint32_t maxDepth = 0;        //!< deepest node depth (root 0); 0 for no limit
    uint32_t minSamplesSplit = 2; //!< a node with fewer samples is a leaf; >= 2
    uint32_t minSamplesLeaf = 1;  //!< a split leaving fewer samples on a side is refused; >= 1
    uint32_t maxLeafNodes = 0;    //!< 0 for no limit, else >= 2 and the tree grows best-first
    LearnMaxFeatures maxFeatures; //!< features considered per node (all by default)

    /**
     * \brief Check the values a user gave.
     * \param place prefix of the error message (JSON path of the parameters, "tree")
     * \throws AisfcInputError "place.field: ..." on minSamplesSplit < 2, minSamplesLeaf < 1,
     *         maxLeafNodes == 1 or a maxFeatures count or fraction out of range
     */
    void Validate(const std::string& place = "tree") const;
};

/**
 * \ingroup aisfc
 * Training data prepared once for growing many trees: features stored feature by feature as
 * dense ranks of their distinct values (a node sorts small integers instead of doubles) and the
 * sorted distinct values (thresholds are midpoints between two of them).  A forest builds one
 * and shares it, read-only, among all its trees and threads.
 */
class LearnTreeData
{
  public:
    /**
     * \brief Rank the features.
     * \param x features x samples (one sample per column, as LearnDataset), finite values,
     *        at most 2^32 - 1 samples
     * \throws std::invalid_argument on a non-finite value or an empty matrix
     */
    explicit LearnTreeData(const Eigen::MatrixXd& x);

    /// \brief \return the number of samples
    size_t SampleCount() const;

    /// \brief \return the number of features
    size_t FeatureCount() const;

    /**
     * \brief \return the ranks of one feature, one per sample: the index of the sample's value
     * among the feature's distinct sorted values
     * \param feature the feature, < FeatureCount()
     */
    const uint32_t* Ranks(size_t feature) const;

    /**
     * \brief \return the distinct values of one feature in increasing order
     * \param feature the feature, < FeatureCount()
     */
    const std::vector<double>& Values(size_t feature) const;

  private:
    size_t m_samples = 0;                     //!< samples
    size_t m_features = 0;                    //!< features
    std::vector<uint32_t> m_ranks;            //!< feature-major ranks, features x samples
    std::vector<std::vector<double>> m_value; //!< distinct sorted values per feature
};

/**
 * \ingroup aisfc
 * One node of a LearnTree.  A split node sends a sample left when x[feature] <= threshold (the
 * scikit-learn rule); a leaf has left == right == -1 and feature == -1.
 */
struct LearnTreeNode
{
    int32_t left = -1;          //!< left child (x[feature] <= threshold), -1 at a leaf
    int32_t right = -1;         //!< right child, -1 at a leaf
    int32_t parent = -1;        //!< parent, -1 at the root
    int32_t feature = -1;       //!< feature tested, -1 at a leaf
    double threshold = 0.0;     //!< midpoint between two consecutive distinct training values
    double impurity = 0.0;      //!< Gini impurity 1 - sum_k p_k^2 of the weighted class counts
    double weightedSamples = 0; //!< sum of the sample weights reaching the node
    uint32_t samples = 0;       //!< training samples (of non-zero weight) reaching the node
    uint32_t depth = 0;         //!< root 0
    double improvement = 0.0;   //!< weighted impurity decrease of the split / root weight, as
                                //!< scikit-learn's feature importances and best-first order use

    /// \brief \return true for a leaf
    bool IsLeaf() const
    {
        return left < 0;
    }
};

/**
 * \ingroup aisfc
 * A CART classification tree grown as scikit-learn's DecisionTreeClassifier (criterion "gini",
 * splitter "best") grows it, so a later compiler can turn it into switch tables.
 *
 * Growth.  Samples of zero weight are dropped (as scikit-learn does; sample counts below count
 * the others).  A node is a leaf when its depth reaches maxDepth, it has fewer than
 * minSamplesSplit or fewer than 2 minSamplesLeaf samples, its Gini impurity is 0 (within
 * machine epsilon) or no split leaves minSamplesLeaf samples on each side.  Otherwise the node
 * takes the split that maximises the weighted Gini decrease, among thresholds halfway between
 * consecutive distinct values (of the node's samples) of the features it considers: with
 * maxFeatures below the feature count, features are drawn without replacement, and as in
 * scikit-learn drawing goes on beyond maxFeatures until one feature that is not constant in the
 * node has been seen; when maxFeatures covers every feature nothing is drawn and features are
 * taken in index order.  A split of zero decrease is still taken (XOR needs it).  Ties go to
 * the first feature considered (the lowest index when all are considered, else the first
 * drawn), then to the lowest threshold.  Without maxLeafNodes the tree grows depth first and nodes
 * are numbered in pre-order (left subtree first); with it the tree grows best first, as
 * scikit-learn's BestFirstTreeBuilder: the open node whose split has the largest improvement is
 * split next (ties to the lower node id) until maxLeafNodes leaves exist, and nodes are numbered
 * in creation order.
 *
 * Determinism.  The only randomness is the feature draw, from std::mt19937_64(seed) through
 * LearnUniformIndex, one node after another in numbering order; a tree depends only on the
 * data, the weights, the parameters and the seed.
 *
 * Differences from scikit-learn: features are doubles (scikit-learn rounds them to float32),
 * its 1e-7 rule that treats closer values as equal is not applied, and its random generator is
 * not reproduced, so trees that consider feature subsets differ from its trees in the draw.
 *
 * Integer features: a threshold t sends x left iff x <= t, i.e. iff x <= floor(t) for an
 * integer x (IntegerThreshold).
 */
class LearnTree
{
  public:
    /// \brief An empty tree (no node); Fit it.
    LearnTree() = default;

    /**
     * \brief A tree with growth limits.
     * \param params the limits
     */
    explicit LearnTree(const LearnTreeParams& params);

    /// \brief \return the growth limits
    const LearnTreeParams& GetParams() const;

    /**
     * \brief Grow the tree.
     * \param x features x samples
     * \param labels one class in [0, classes) per sample
     * \param classes number of classes, > 0
     * \param sampleWeight one weight >= 0 per sample, or empty for all 1
     * \param seed seed of the feature draw
     * \throws AisfcInputError when the parameters do not validate; std::invalid_argument on a
     *         size mismatch, a label out of range, a negative or non-finite weight, no sample of
     *         positive weight or a non-finite feature
     */
    void Fit(const Eigen::MatrixXd& x,
             const std::vector<int>& labels,
             size_t classes,
             const std::vector<double>& sampleWeight = {},
             uint64_t seed = 0);

    /**
     * \brief Grow the tree on prepared data (what a forest does for each of its trees).
     * \param data prepared features
     * \param labels one class in [0, classes) per sample
     * \param classes number of classes, > 0
     * \param sampleWeight one weight >= 0 per sample, or empty for all 1
     * \param seed seed of the feature draw
     * \throws as Fit(x, ...)
     */
    void Fit(const LearnTreeData& data,
             const std::vector<int>& labels,
             size_t classes,
             const std::vector<double>& sampleWeight = {},
             uint64_t seed = 0);

    /**
     * \brief Build a tree from nodes written by hand or read back (tests, imported models).
     * \param nodes the nodes, root first; parents are recomputed from the children
     * \param values classes weighted counts per node, node after node
     * \param classes number of classes, > 0
     * \param features number of features, > every node's feature
     * \return the tree
     * \throws std::invalid_argument when a child index is out of range, a node is reached twice
     *         or never, a split node lacks a feature, or values has the wrong size
     */
    static LearnTree FromNodes(const std::vector<LearnTreeNode>& nodes,
                               const std::vector<double>& values,
                               size_t classes,
                               size_t features);

    /// \brief \return the number of nodes (0 before Fit)
    size_t NodeCount() const;

    /// \brief \return the number of leaves
    size_t LeafCount() const;

    /// \brief \return the depth of the deepest node (0 for a single leaf)
    size_t Depth() const;

    /// \brief \return the number of classes
    size_t ClassCount() const;

    /// \brief \return the number of features the tree was grown on
    size_t FeatureCount() const;

    /**
     * \brief \return one node
     * \param node node id, < NodeCount()
     */
    const LearnTreeNode& GetNode(size_t node) const;

    /// \brief \return all nodes, root first
    const std::vector<LearnTreeNode>& GetNodes() const;

    /**
     * \brief \return a pointer to the ClassCount() weighted class counts of a node (the
     * scikit-learn tree_.value of version 1.2)
     * \param node node id, < NodeCount()
     */
    const double* GetValue(size_t node) const;

    /**
     * \brief \return the class a node predicts: its largest weighted count, lowest class on ties
     * \param node node id, < NodeCount()
     */
    int NodeClass(size_t node) const;

    /**
     * \brief \return floor(threshold) of a split node: for an integer feature value v,
     * v <= threshold iff v <= IntegerThreshold
     * \param node node id of a split node
     */
    int64_t IntegerThreshold(size_t node) const;

    /**
     * \brief \return the leaf a sample reaches
     * \param sample FeatureCount() feature values
     * \throws std::invalid_argument on a size mismatch or an unfitted tree
     */
    size_t ApplySample(const Eigen::Ref<const Eigen::VectorXd>& sample) const;

    /**
     * \brief \return the class of the leaf a sample reaches (NodeClass of ApplySample)
     * \param sample FeatureCount() feature values
     * \throws as ApplySample
     */
    int PredictSample(const Eigen::Ref<const Eigen::VectorXd>& sample) const;

    /**
     * \brief \return the leaf each sample reaches
     * \param x features x samples
     * \throws std::invalid_argument on a row count mismatch or an unfitted tree
     */
    std::vector<size_t> Apply(const Eigen::MatrixXd& x) const;

    /**
     * \brief \return the class distribution of the leaf each sample reaches (weighted counts
     * divided by their sum), classes x samples
     * \param x features x samples
     * \throws as Apply
     */
    Eigen::MatrixXd PredictProba(const Eigen::MatrixXd& x) const;

    /**
     * \brief \return the class of the leaf each sample reaches (NodeClass)
     * \param x features x samples
     * \throws as Apply
     */
    std::vector<int> Predict(const Eigen::MatrixXd& x) const;

    /**
     * \brief \return scikit-learn's feature_importances_: per feature, the summed weighted Gini
     * decrease w_n G_n - w_l G_l - w_r G_r of the splits on it, normalised to sum 1 (all zeros
     * for a single leaf)
     */
    Eigen::VectorXd FeatureImportances() const;

  private:
    friend class LearnTreeBuilder;

    LearnTreeParams m_params;          //!< growth limits
    size_t m_classes = 0;              //!< classes
    size_t m_features = 0;             //!< features
    std::vector<LearnTreeNode> m_node; //!< nodes, root first
    std::vector<double> m_value;       //!< weighted class counts, node-major
};

} // namespace ns3

#endif // LEARN_TREE_H
