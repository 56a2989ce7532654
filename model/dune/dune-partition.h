/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DUNE_PARTITION_H
#define DUNE_PARTITION_H

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

namespace ns3
{

/// \ingroup aisfc A partition of the classes into blocks (DUNE's sub-tasks), scored.
struct DunePartition
{
    std::vector<std::vector<uint32_t>> blocks;   //!< classes of each block, ascending
    std::vector<std::vector<uint32_t>> features; //!< features each block keeps, ascending
    double gain = 0;                             //!< sum of the blocks' gains
    double score = 0;                            //!< gain x (classes - blocks) / (classes - 1)
};

/// \ingroup aisfc A partition search: its best partition and every level it went through.
struct DunePartitionResult
{
    DunePartition best;                //!< highest score among the allowed block counts
    std::vector<DunePartition> levels; //!< greedy: one per merge level; exact: best per count
    bool optimal = false;              //!< proven best (exact search finished)
};

/**
 * \ingroup aisfc
 * DUNE's partition of a classification task into sub-tasks, from the per-class feature
 * importance matrix W (classes x features, rows summing to 1, DunePcfi) and the per-class F1
 * vector f of the unconstrained model.
 *
 * A block B of classes keeps feature j when its summed importance S_j(B) = sum_{c in B}
 * W[c][j] exceeds the uniform share |B| / n_features.  Its gain is the importance above that
 * share over the kept features, damped by how unevenly well the model already does on its
 * classes:
 *
 *     gain(B) = sum_{j kept} (S_j(B) - |B| / n_features) / (1 + (max_{c in B} f_c -
 *                                                                 min_{c in B} f_c))
 *
 * (the spread of F1 is its range).  A partition into k blocks scores
 *
 *     score = sum_B gain(B) x (n_classes - k) / (n_classes - 1),
 *
 * which rewards merging (fewer sub-models) against the gain merging loses.
 */
class DunePartitioner
{
  public:
    /**
     * \param importance W, classes x features
     * \param f1 per-class F1, one per class
     * \throws std::invalid_argument on a size mismatch or no class
     */
    DunePartitioner(Eigen::MatrixXd importance, std::vector<double> f1);

    /// \brief \return the features a block keeps
    std::vector<uint32_t> KeptFeatures(const std::vector<uint32_t>& block) const;
    /// \brief \return the gain of a block
    double BlockGain(const std::vector<uint32_t>& block) const;
    /// \brief \return a partition with its features, gain and score filled in
    DunePartition Evaluate(std::vector<std::vector<uint32_t>> blocks) const;

    /**
     * \brief DUNE's heuristic: from singletons, repeatedly merge the pair of blocks whose
     * union adds the most gain (ties to the lowest indices), keeping every level; the best
     * scoring level with minBlocks..maxBlocks blocks wins.
     * \param minBlocks fewest blocks allowed (>= 1)
     * \param maxBlocks most blocks allowed (e.g. sub-models the switches can hold)
     * \return the best level and all levels
     */
    DunePartitionResult Greedy(uint32_t minBlocks, uint32_t maxBlocks) const;

    /**
     * \brief The exact optimum as set partitioning over every block of classes, one CBC
     * program per block count k (score = gain x (n - k)/(n - 1) is linear once k is fixed).
     * For up to 16 classes (2^16 - 1 candidate blocks).
     * \param minBlocks fewest blocks allowed
     * \param maxBlocks most blocks allowed
     * \param timeLimit seconds per block count
     * \return the best partition and the best per block count
     * \throws std::invalid_argument beyond 16 classes
     */
    DunePartitionResult Exact(uint32_t minBlocks, uint32_t maxBlocks, double timeLimit = 60) const;

    /// \brief Every partition enumerated (tests; up to 10 classes). \return the best
    DunePartition BruteForce(uint32_t minBlocks, uint32_t maxBlocks) const;

    /// \brief \return the number of classes
    uint32_t Classes() const;

  private:
    Eigen::MatrixXd m_w;
    std::vector<double> m_f1;
};

/// \ingroup aisfc The order of the sub-models along the switch chain.
struct DuneOrder
{
    std::vector<uint32_t> order; //!< sub-model indices, first switch first
    double damage = 0;           //!< DuneOrderDamage of the order
    bool exhaustive = false;     //!< every order was tried
};

/**
 * \ingroup aisfc
 * \brief The expected damage of an order: a flow of block j reaches its own sub-model only if
 * no earlier sub-model claimed it (classified it as one of its classes rather than "Other").
 * To first order, each earlier claim costs what the flow was worth at its own model:
 *
 *     damage = sum over i before j of claims(i, j) x value(j)
 *
 * \param order sub-model indices in chain order
 * \param claims claims(i, j): share of block j's flows that sub-model i claims (i != j)
 * \param value value(j): share of the traffic in block j x sub-model j's recall on it
 * \return the damage
 */
double DuneOrderDamage(const std::vector<uint32_t>& order,
                       const Eigen::MatrixXd& claims,
                       const std::vector<double>& value);

/**
 * \ingroup aisfc
 * \brief The order of least damage: every order for up to 8 sub-models (the bound;
 * 40320 orders), else a greedy order (the sub-model whose claims on the rest cost least goes
 * first) improved by adjacent swaps until none helps.  Ties keep the lower index first.
 * \param claims as DuneOrderDamage
 * \param value as DuneOrderDamage
 * \return the order
 */
DuneOrder DuneBestOrder(const Eigen::MatrixXd& claims, const std::vector<double>& value);

} // namespace ns3

#endif // DUNE_PARTITION_H
