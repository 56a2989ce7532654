/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DUNE_PCFI_H
#define DUNE_PCFI_H

#include "ns3/learn-forest.h"
#include "ns3/learn-tree.h"

#include <Eigen/Dense>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * DUNE's per-class feature importance (PCFI) of a random forest: the matrix W (classes x
 * features) that tells the partition step which features explain which classes.
 *
 * Definition (DUNE's calcImportanceMatrix, nds-group/Dune,
 * unconstrained_model_analysis/src/run_pcfi.py and cluster_analysis/src/model_analysis/
 * modelAnalyzer.py).  For a tree T with node weights N_n (weighted samples, bootstrap counts
 * included) and weighted class counts v_n:
 *  - each leaf l predicts c(l) = argmax_k v_l[k] (lowest class on ties);
 *  - g_c(v) = 2 p (1 - p) with p = v[c] / sum_k v[k] is the Gini impurity of the one-vs-rest
 *    split "class c or not";
 *  - leaves are taken in node order; from each leaf l the walk goes up from its parent to the
 *    root and, at every split node a with children L and R, adds
 *        N_a g_c(v_a) - N_L g_c(v_L) - N_R g_c(v_R),   c = c(l),
 *    to I_T[c, feature(a)]; a node is credited at most once per class: the walk stops at the
 *    first node already credited for c (its ancestors are too);
 *  - I_T is divided by the root weight N_0.
 * Then W_raw = mean over trees of I_T and W[c, :] = W_raw[c, :] / sum_f W_raw[c, f].
 *
 * A split's credit is never negative (g_c is concave and N_a = N_L + N_R), so every row sum is
 * >= 0.  A class no leaf of any tree predicts (or whose leaves are lone roots) gets no credit:
 * DUNE divides 0 by 0 and leaves a NaN row, which would poison every later comparison.  Here
 * such a row is uniform, 1 / features, and flagged in DunePcfiResult::credited: rows then
 * always sum to 1, and a uniform row is neutral in DUNE's partition, which keeps a feature for
 * a block of classes when their summed importance exceeds |block| / features and scores the
 * excess: a uniform row adds exactly its share of that baseline to every feature, so it moves
 * neither the kept set nor the gain of the other classes of its block.  A zero row would lower
 * every sum and make the class look like a cost to any block it joins.
 */
struct DunePcfiResult
{
    Eigen::MatrixXd importance; //!< W, classes x features; every row sums to 1
    Eigen::MatrixXd raw;        //!< W_raw, the mean over trees before normalisation
    std::vector<bool> credited; //!< false for a class with no credit (its row is uniform)
};

/**
 * \ingroup aisfc
 * \brief One tree's un-normalised importance I_T (see DunePcfiResult), divided by its root
 * weight.
 * \param tree a fitted tree (or one built with LearnTree::FromNodes)
 * \return classes x features
 * \throws std::invalid_argument on an empty tree
 */
Eigen::MatrixXd DuneTreeClassImportance(const LearnTree& tree);

/**
 * \ingroup aisfc
 * \brief PCFI of a set of trees (see DunePcfiResult).
 * \param trees at least one tree, all with the same class and feature counts
 * \return W, W_raw and the credited flags
 * \throws std::invalid_argument on no tree, an empty tree or differing counts
 */
DunePcfiResult DuneComputePcfi(const std::vector<LearnTree>& trees);

/**
 * \ingroup aisfc
 * \brief PCFI of a fitted forest (see DunePcfiResult).
 * \param forest the forest
 * \return W, W_raw and the credited flags
 * \throws std::invalid_argument on an unfitted forest
 */
DunePcfiResult DuneComputePcfi(const LearnForest& forest);

} // namespace ns3

#endif // DUNE_PCFI_H
