/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DUNE_COMPILER_H
#define DUNE_COMPILER_H

#include "ns3/pdp-memory-accountant.h"
#include "ns3/pdp-table.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

class LearnTree;

/// \ingroup aisfc A feature as the switch holds it: which one, and its width in metadata.
struct DuneFeatureSpec
{
    std::string name;   //!< e.g. "pkt_len"
    uint32_t bits = 16; //!< width of the value the pipeline matches (values clipped to it)
};

/**
 * \ingroup aisfc
 * A tree ensemble compiled into match-action tables, as DUNE (after Planter's encoding) puts
 * a sub-model on a switch:
 *
 * - one **range table per feature**: key the feature value; each entry covers one interval
 *   between consecutive thresholds and writes, for every tree, a code word with one bit per
 *   threshold t that tree tests on the feature, bit = (value <= t);
 * - one **ternary code table per tree**: key the concatenated code words of the features the
 *   tree tests; one entry per leaf, its path's comparisons as cared-for bits, the rest "don't
 *   care"; action: the leaf's class;
 * - one **exact vote table**: key the trees' classes; action the majority class (ties to the
 *   lowest class), one entry per combination.
 *
 * Trees compare integer values with floor(threshold) (LearnTree::IntegerThreshold), so the
 * tables decide exactly as DuneVote does in software: the bit-exact agreement the tests check.
 */
class DuneCompiledModel
{
  public:
    /**
     * \brief Compile trees.
     * \param name the sub-model's name (prefix of its table names)
     * \param trees the trees; tree feature j is features[j]
     * \param features the switch width of every feature the trees were trained on
     * \param classes classes the trees predict (a sub-model's block plus "Other")
     * \return the model
     * \throws AisfcInputError when a table cannot be built (over 64 thresholds of one tree on
     *         one feature, a code key over 512 bits, a vote table over 2^20 entries)
     */
    static DuneCompiledModel Compile(const std::string& name,
                                     const std::vector<const LearnTree*>& trees,
                                     const std::vector<DuneFeatureSpec>& features,
                                     uint32_t classes);

    /// \brief \return the class the tables give for integer feature values (one per feature)
    uint32_t Classify(const std::vector<uint64_t>& values);

    /// \brief \return every table's shape, as the memory accountant reserves it
    std::vector<PdpTableShape> Shapes() const;

    /**
     * \brief Reserve every table (range and code tables in TCAM, the vote table in SRAM); all
     * or nothing.
     * \param memory the switch's accountant
     * \return the first refusal (naming the table and the resource that ran out), or success
     */
    PdpReserveResult Reserve(PdpMemoryAccountant& memory) const;

    /// \brief \return the total TCAM rows of the range and code tables
    uint64_t TcamRows() const;
    /// \brief \return the number of trees
    size_t TreeCount() const;
    /// \brief \return the range table of a feature
    const PdpTable& GetRangeTable(size_t feature) const;
    /// \brief \return the code table of a tree
    const PdpTable& GetCodeTable(size_t tree) const;
    /// \brief \return the vote table
    const PdpTable& GetVoteTable() const;
    /// \brief \return the tables a packet crosses, in order (range, code, vote)
    std::vector<const PdpTable*> Tables() const;

  private:
    DuneCompiledModel() = default;

    std::string m_name;
    std::vector<DuneFeatureSpec> m_features;
    uint32_t m_classBits = 1;
    /// per tree, per feature: the tree's thresholds on the feature (ascending), whose bits
    /// the range table writes, and the feature's offset in the tree's code key
    std::vector<std::vector<std::vector<int64_t>>> m_thresholds;
    std::vector<std::vector<uint32_t>> m_offset;
    std::vector<uint32_t> m_keyBits; //!< per tree: code key width
    std::vector<PdpTable> m_range;   //!< per feature
    std::vector<PdpTable> m_code;    //!< per tree
    std::vector<PdpTable> m_vote;    //!< exactly one
};

/**
 * \ingroup aisfc
 * \brief The software reference of a compiled sub-model: every tree walked with integer
 * comparisons (value <= floor(threshold)), then the majority class, ties to the lowest.
 * \param trees the trees
 * \param values integer feature values, clipped to their widths as the switch clips them
 * \param features the feature widths
 * \param classes classes the trees predict
 * \return the class
 */
uint32_t DuneVote(const std::vector<const LearnTree*>& trees,
                  const std::vector<uint64_t>& values,
                  const std::vector<DuneFeatureSpec>& features,
                  uint32_t classes);

} // namespace ns3

#endif // DUNE_COMPILER_H
