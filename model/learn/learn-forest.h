/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LEARN_FOREST_H
#define LEARN_FOREST_H

#include "learn-tree.h"

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * Class weights of a forest, as scikit-learn's class_weight.
 */
enum class LearnClassWeight : uint8_t
{
    NONE = 0,     //!< every class weighs 1
    BALANCED = 1, //!< class k weighs n / (classes present * n_k), computed on the whole set
};

/**
 * \ingroup aisfc
 * \brief \return "none" or "balanced"
 * \param weight the rule
 */
std::string LearnClassWeightName(LearnClassWeight weight);

/**
 * \ingroup aisfc
 * \brief Parse a class-weight rule as written in a configuration.
 * \param name "none" or "balanced"
 * \param place where the name comes from (JSON path, option), for the error message
 * \return the rule
 * \throws AisfcInputError naming place for any other name
 */
LearnClassWeight LearnClassWeightFromName(const std::string& name, const std::string& place);

/**
 * \ingroup aisfc
 * Settings of a random forest, with scikit-learn's RandomForestClassifier meanings and
 * defaults (maxFeatures "sqrt", bootstrap on, 100 trees).
 */
struct LearnForestParams
{
    /// \brief The defaults: the tree limits of LearnTreeParams with maxFeatures sqrt.
    LearnForestParams();

    uint32_t nEstimators = 100;                            //!< trees, > 0
    bool bootstrap = true;                                 //!< grow each tree on a bootstrap sample
    LearnTreeParams tree;                                  //!< limits of every tree
    LearnClassWeight classWeight = LearnClassWeight::NONE; //!< class weights
    uint64_t seed = 0;                                     //!< seed of everything random
    uint32_t threads = 1; //!< training threads, 0 for the hardware's; never changes the result

    /**
     * \brief Check the values a user gave.
     * \param place prefix of the error message (JSON path of the parameters, "forest")
     * \throws AisfcInputError "place.field: ..." on nEstimators 0 or bad tree limits
     */
    void Validate(const std::string& place = "forest") const;
};

/**
 * \ingroup aisfc
 * A random forest of LearnTree classifiers, as scikit-learn's RandomForestClassifier: each
 * tree is grown on a bootstrap sample (n draws with replacement; a sample drawn c times weighs
 * c times its weight, one never drawn is left out) with a fresh feature subset at every node,
 * and the forest's class distribution is the mean of the trees' leaf distributions.
 *
 * Determinism.  Tree t uses its own std::mt19937_64 seeded with LearnForest::TreeSeed(seed, t):
 * first the n bootstrap draws through LearnUniformIndex (none without bootstrap), then one more
 * draw that seeds the tree's feature draws (LearnTree::Fit).  Trees
 * are grown on any number of threads, each into its own slot, and the probabilities are summed
 * in tree order, so the forest does not depend on the thread count.
 */
class LearnForest
{
  public:
    /// \brief A forest with the default settings; Fit it.
    LearnForest() = default;

    /**
     * \brief A forest with settings.
     * \param params the settings
     */
    explicit LearnForest(const LearnForestParams& params);

    /// \brief \return the settings
    const LearnForestParams& GetParams() const;

    /**
     * \brief Set the training threads (0 for the hardware's); the forest is the same for any.
     * \param threads the count
     */
    void SetThreads(uint32_t threads);

    /**
     * \brief Grow the forest.
     * \param x features x samples
     * \param labels one class in [0, classes) per sample
     * \param classes number of classes, > 0
     * \param sampleWeight one weight >= 0 per sample, or empty for all 1
     * \throws AisfcInputError when the settings do not validate; std::invalid_argument as
     *         LearnTree::Fit
     */
    void Fit(const Eigen::MatrixXd& x,
             const std::vector<int>& labels,
             size_t classes,
             const std::vector<double>& sampleWeight = {});

    /**
     * \brief Grow the forest on prepared data.
     * \param data prepared features
     * \param labels one class in [0, classes) per sample
     * \param classes number of classes, > 0
     * \param sampleWeight one weight >= 0 per sample, or empty for all 1
     * \throws as Fit(x, ...)
     */
    void Fit(const LearnTreeData& data,
             const std::vector<int>& labels,
             size_t classes,
             const std::vector<double>& sampleWeight = {});

    /// \brief \return the number of trees (0 before Fit)
    size_t TreeCount() const;

    /// \brief \return the number of classes
    size_t ClassCount() const;

    /// \brief \return the number of features
    size_t FeatureCount() const;

    /**
     * \brief \return one tree
     * \param index tree index, < TreeCount()
     */
    const LearnTree& GetTree(size_t index) const;

    /// \brief \return all trees
    const std::vector<LearnTree>& GetTrees() const;

    /**
     * \brief \return the mean over trees of their leaf class distributions, classes x samples
     * \param x features x samples
     * \throws std::invalid_argument on a row count mismatch or an unfitted forest
     */
    Eigen::MatrixXd PredictProba(const Eigen::MatrixXd& x) const;

    /**
     * \brief \return the class of largest mean probability per sample, lowest class on ties
     * \param x features x samples
     * \throws as PredictProba
     */
    std::vector<int> Predict(const Eigen::MatrixXd& x) const;

    /// \brief \return scikit-learn's feature_importances_: the mean of the FeatureImportances of
    /// the trees of more than one node, normalised to sum 1 (zeros when there is none)
    Eigen::VectorXd FeatureImportances() const;

    /**
     * \brief The seed of one tree's generator: a SplitMix64 mix of the forest seed and the tree
     * index, so neighbouring seeds and indices give unrelated streams.
     * \param seed forest seed
     * \param index tree index
     * \return the tree seed
     */
    static uint64_t TreeSeed(uint64_t seed, size_t index);

    /**
     * \brief scikit-learn's compute_class_weight("balanced") expanded per sample.
     * \param labels one class per sample
     * \param classes number of classes
     * \return n / (classes present * n_label) per sample
     */
    static std::vector<double> BalancedWeights(const std::vector<int>& labels, size_t classes);

  private:
    LearnForestParams m_params;     //!< settings
    size_t m_classes = 0;           //!< classes
    size_t m_features = 0;          //!< features
    std::vector<LearnTree> m_trees; //!< trees
};

/**
 * \ingroup aisfc
 * \brief \return the index of the largest entry of every column, lowest index on ties (numpy's
 * argmax, hence scikit-learn's predict)
 * \param scores classes x samples
 */
std::vector<int> LearnArgmaxFirst(const Eigen::MatrixXd& scores);

} // namespace ns3

#endif // LEARN_FOREST_H
