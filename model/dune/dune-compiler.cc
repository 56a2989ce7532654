/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dune-compiler.h"

#include "ns3/aisfc-error.h"
#include "ns3/learn-tree.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace ns3
{

namespace
{

constexpr uint64_t VOTE_ENTRY_LIMIT = 1u << 20;

uint64_t
MaxValue(uint32_t bits)
{
    return bits >= 64 ? UINT64_MAX : (uint64_t(1) << bits) - 1;
}

uint64_t
Clip(uint64_t v, uint32_t bits)
{
    return std::min(v, MaxValue(bits));
}

/// Set bit b (0 = least significant) of a big-endian key of `bits` bits.
void
SetBit(PdpKey& key, uint32_t b)
{
    key[key.size() - 1 - b / 8] |= uint8_t(1u << (b % 8));
}

uint32_t
BitsFor(uint32_t values)
{
    uint32_t bits = 1;
    while ((uint64_t(1) << bits) < values)
    {
        ++bits;
    }
    return bits;
}

/// The class a tree gives an integer sample (value <= floor(threshold) goes left).
uint32_t
TreeClass(const LearnTree& tree,
          const std::vector<uint64_t>& values,
          const std::vector<DuneFeatureSpec>& features)
{
    size_t node = 0;
    while (!tree.GetNode(node).IsLeaf())
    {
        const LearnTreeNode& n = tree.GetNode(node);
        int64_t v = int64_t(Clip(values.at(n.feature), features.at(n.feature).bits));
        node = v <= tree.IntegerThreshold(node) ? n.left : n.right;
    }
    return tree.NodeClass(node);
}

/// Majority of the trees' classes, ties to the lowest class.
uint32_t
Majority(const std::vector<uint32_t>& votes, uint32_t classes)
{
    std::vector<uint32_t> count(classes, 0);
    for (uint32_t c : votes)
    {
        ++count.at(c);
    }
    return std::max_element(count.begin(), count.end()) - count.begin();
}

} // namespace

uint32_t
DuneVote(const std::vector<const LearnTree*>& trees,
         const std::vector<uint64_t>& values,
         const std::vector<DuneFeatureSpec>& features,
         uint32_t classes)
{
    std::vector<uint32_t> votes;
    for (const LearnTree* t : trees)
    {
        votes.push_back(TreeClass(*t, values, features));
    }
    return Majority(votes, classes);
}

DuneCompiledModel
DuneCompiledModel::Compile(const std::string& name,
                           const std::vector<const LearnTree*>& trees,
                           const std::vector<DuneFeatureSpec>& features,
                           uint32_t classes)
{
    if (trees.empty() || classes == 0 || features.empty())
    {
        throw std::invalid_argument("DuneCompiledModel: no tree, class or feature");
    }
    DuneCompiledModel m;
    m.m_name = name;
    m.m_features = features;
    m.m_classBits = BitsFor(classes);
    const size_t nFeatures = features.size();
    const size_t nTrees = trees.size();

    // Thresholds of every tree on every feature, clipped to what the feature can hold.
    m.m_thresholds.assign(nTrees, std::vector<std::vector<int64_t>>(nFeatures));
    for (size_t t = 0; t < nTrees; ++t)
    {
        const LearnTree& tree = *trees[t];
        if (tree.FeatureCount() != nFeatures || tree.ClassCount() > classes)
        {
            throw std::invalid_argument("DuneCompiledModel: tree " + std::to_string(t) +
                                        " does not fit the features or classes");
        }
        for (size_t node = 0; node < tree.NodeCount(); ++node)
        {
            const LearnTreeNode& n = tree.GetNode(node);
            if (!n.IsLeaf())
            {
                int64_t thr = std::clamp<int64_t>(tree.IntegerThreshold(node),
                                                  -1,
                                                  int64_t(MaxValue(features[n.feature].bits)));
                m.m_thresholds[t][n.feature].push_back(thr);
            }
        }
        for (size_t j = 0; j < nFeatures; ++j)
        {
            auto& th = m.m_thresholds[t][j];
            std::sort(th.begin(), th.end());
            th.erase(std::unique(th.begin(), th.end()), th.end());
            if (th.size() > 64)
            {
                throw AisfcInputError("DUNE model '" + name + "'",
                                      "tree " + std::to_string(t) + " tests feature '" +
                                          features[j].name + "' at " + std::to_string(th.size()) +
                                          " thresholds; a code word holds at most 64");
            }
        }
    }

    // Range tables: one entry per interval between consecutive thresholds of any tree.
    for (size_t j = 0; j < nFeatures; ++j)
    {
        const uint64_t maxv = MaxValue(features[j].bits);
        std::vector<int64_t> cuts;
        for (size_t t = 0; t < nTrees; ++t)
        {
            for (int64_t thr : m.m_thresholds[t][j])
            {
                if (thr >= 0 && uint64_t(thr) < maxv)
                {
                    cuts.push_back(thr);
                }
            }
        }
        std::sort(cuts.begin(), cuts.end());
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
        PdpTable range(name + ".range." + features[j].name,
                       PdpMatchKind::RANGE,
                       std::min<uint32_t>(features[j].bits, 64),
                       cuts.size() + 1);
        uint64_t lo = 0;
        for (size_t k = 0; k <= cuts.size(); ++k)
        {
            uint64_t hi = k < cuts.size() ? uint64_t(cuts[k]) : maxv;
            PdpAction action;
            for (size_t t = 0; t < nTrees; ++t)
            {
                uint64_t code = 0;
                const auto& th = m.m_thresholds[t][j];
                for (size_t a = 0; a < th.size(); ++a)
                {
                    if (th[a] >= 0 && hi <= uint64_t(th[a]))
                    {
                        code |= uint64_t(1) << a;
                    }
                }
                action.data.push_back(code);
            }
            std::string why = range.AddRange(lo, hi, 0, action);
            if (!why.empty())
            {
                throw std::logic_error("DuneCompiledModel: " + why);
            }
            lo = hi + 1;
        }
        m.m_range.push_back(std::move(range));
    }

    // Code tables: one ternary entry per leaf.
    m.m_offset.assign(nTrees, std::vector<uint32_t>(nFeatures, 0));
    for (size_t t = 0; t < nTrees; ++t)
    {
        uint32_t bits = 0;
        for (size_t j = 0; j < nFeatures; ++j)
        {
            m.m_offset[t][j] = bits;
            bits += m.m_thresholds[t][j].size();
        }
        if (bits > 512)
        {
            throw AisfcInputError("DUNE model '" + name + "'",
                                  "tree " + std::to_string(t) + " needs a " + std::to_string(bits) +
                                      "-bit code key; a table key holds at most 512 bits");
        }
        const uint32_t keyBits = std::max(1u, bits);
        m.m_keyBits.push_back(keyBits);
        const LearnTree& tree = *trees[t];
        PdpTable code(name + ".code." + std::to_string(t),
                      PdpMatchKind::TERNARY,
                      keyBits,
                      tree.LeafCount());
        for (size_t leaf = 0; leaf < tree.NodeCount(); ++leaf)
        {
            if (!tree.GetNode(leaf).IsLeaf())
            {
                continue;
            }
            PdpKey value((keyBits + 7) / 8, 0);
            PdpKey mask((keyBits + 7) / 8, 0);
            // Two thresholds with one floor make a bit; a path asking it both ways holds no
            // integer value: that leaf is unreachable on the switch and gets no entry.
            std::map<uint32_t, bool> wanted;
            bool reachable = true;
            for (int32_t child = leaf, parent = tree.GetNode(leaf).parent; parent >= 0;
                 child = parent, parent = tree.GetNode(parent).parent)
            {
                const LearnTreeNode& p = tree.GetNode(parent);
                const auto& th = m.m_thresholds[t][p.feature];
                int64_t thr = std::clamp<int64_t>(tree.IntegerThreshold(parent),
                                                  -1,
                                                  int64_t(MaxValue(features[p.feature].bits)));
                uint32_t b = m.m_offset[t][p.feature] +
                             (std::lower_bound(th.begin(), th.end(), thr) - th.begin());
                const bool left = child == p.left;
                auto [it, fresh] = wanted.emplace(b, left);
                reachable = reachable && (fresh || it->second == left);
                SetBit(mask, b);
                if (left)
                {
                    SetBit(value, b);
                }
            }
            if (!reachable)
            {
                continue;
            }
            std::string why =
                code.AddTernary(value, mask, 0, PdpAction{0, {uint64_t(tree.NodeClass(leaf))}});
            if (!why.empty())
            {
                throw std::logic_error("DuneCompiledModel: " + why);
            }
        }
        m.m_code.push_back(std::move(code));
    }

    // The vote table: every combination of the trees' classes.
    const uint32_t voteBits = nTrees * m.m_classBits;
    double combinations = 1;
    for (size_t t = 0; t < nTrees; ++t)
    {
        combinations *= classes;
    }
    if (voteBits > 64 || combinations > double(VOTE_ENTRY_LIMIT))
    {
        throw AisfcInputError("DUNE model '" + name + "'",
                              std::to_string(nTrees) + " trees over " + std::to_string(classes) +
                                  " classes need a vote table of " +
                                  std::to_string(uint64_t(combinations)) +
                                  " entries (at most 2^20): use fewer trees");
    }
    PdpTable vote(name + ".vote", PdpMatchKind::EXACT, voteBits, uint32_t(combinations));
    std::vector<uint32_t> votes(nTrees, 0);
    for (uint64_t k = 0; k < uint64_t(combinations); ++k)
    {
        uint64_t rest = k;
        uint64_t key = 0;
        for (size_t t = 0; t < nTrees; ++t)
        {
            votes[t] = rest % classes;
            rest /= classes;
            key |= uint64_t(votes[t]) << (m.m_classBits * (nTrees - 1 - t));
        }
        vote.AddExact(PdpTable::FromUint(key, voteBits),
                      PdpAction{0, {uint64_t(Majority(votes, classes))}});
    }
    m.m_vote.push_back(std::move(vote));
    return m;
}

uint32_t
DuneCompiledModel::Classify(const std::vector<uint64_t>& values)
{
    if (values.size() != m_features.size())
    {
        throw std::invalid_argument(
            "DuneCompiledModel::Classify: " + std::to_string(values.size()) + " values for " +
            std::to_string(m_features.size()) + " features");
    }
    const size_t nTrees = m_code.size();
    std::vector<const PdpAction*> codes;
    for (size_t j = 0; j < m_features.size(); ++j)
    {
        const uint32_t bits = std::min<uint32_t>(m_features[j].bits, 64);
        codes.push_back(m_range[j].Lookup(PdpTable::FromUint(Clip(values[j], bits), bits)));
    }
    uint64_t voteKey = 0;
    for (size_t t = 0; t < nTrees; ++t)
    {
        PdpKey key((m_keyBits[t] + 7) / 8, 0);
        for (size_t j = 0; j < m_features.size(); ++j)
        {
            uint64_t code = codes[j]->data[t];
            for (size_t a = 0; a < m_thresholds[t][j].size(); ++a)
            {
                if (code & (uint64_t(1) << a))
                {
                    SetBit(key, m_offset[t][j] + a);
                }
            }
        }
        const PdpAction* leaf = m_code[t].Lookup(key);
        if (leaf == nullptr)
        {
            throw std::logic_error("DuneCompiledModel: no leaf of tree " + std::to_string(t) +
                                   " matched (a compiler bug)");
        }
        voteKey |= leaf->data[0] << (m_classBits * (nTrees - 1 - t));
    }
    return m_vote[0].Lookup(PdpTable::FromUint(voteKey, nTrees * m_classBits))->data[0];
}

std::vector<PdpTableShape>
DuneCompiledModel::Shapes() const
{
    std::vector<PdpTableShape> shapes;
    for (size_t j = 0; j < m_range.size(); ++j)
    {
        uint32_t actionBits = 0;
        for (const auto& perTree : m_thresholds)
        {
            actionBits += perTree[j].size();
        }
        shapes.push_back({m_range[j].GetName(),
                          PdpMatchKind::RANGE,
                          std::min<uint32_t>(m_features[j].bits, 64),
                          std::max(1u, actionBits),
                          m_range[j].TcamRows()});
    }
    for (size_t t = 0; t < m_code.size(); ++t)
    {
        shapes.push_back({m_code[t].GetName(),
                          PdpMatchKind::TERNARY,
                          m_keyBits[t],
                          m_classBits,
                          m_code[t].TcamRows()});
    }
    shapes.push_back({m_vote[0].GetName(),
                      PdpMatchKind::EXACT,
                      uint32_t(m_code.size()) * m_classBits,
                      m_classBits,
                      m_vote[0].Size()});
    return shapes;
}

PdpReserveResult
DuneCompiledModel::Reserve(PdpMemoryAccountant& memory) const
{
    std::vector<std::string> done;
    PdpReserveResult last;
    last.ok = true;
    for (const PdpTableShape& shape : Shapes())
    {
        PdpMemoryKind kind =
            shape.match == PdpMatchKind::EXACT ? PdpMemoryKind::SRAM : PdpMemoryKind::TCAM;
        PdpReserveResult r = memory.ReserveTable(shape, kind);
        if (!r.ok)
        {
            for (const std::string& name : done)
            {
                memory.Release(name);
            }
            return r;
        }
        done.push_back(shape.name);
        last = r;
    }
    return last;
}

uint64_t
DuneCompiledModel::TcamRows() const
{
    uint64_t rows = 0;
    for (const PdpTable& t : m_range)
    {
        rows += t.TcamRows();
    }
    for (const PdpTable& t : m_code)
    {
        rows += t.TcamRows();
    }
    return rows;
}

size_t
DuneCompiledModel::TreeCount() const
{
    return m_code.size();
}

const PdpTable&
DuneCompiledModel::GetRangeTable(size_t feature) const
{
    return m_range.at(feature);
}

const PdpTable&
DuneCompiledModel::GetCodeTable(size_t tree) const
{
    return m_code.at(tree);
}

const PdpTable&
DuneCompiledModel::GetVoteTable() const
{
    return m_vote.at(0);
}

std::vector<const PdpTable*>
DuneCompiledModel::Tables() const
{
    std::vector<const PdpTable*> out;
    for (const PdpTable& t : m_range)
    {
        out.push_back(&t);
    }
    for (const PdpTable& t : m_code)
    {
        out.push_back(&t);
    }
    out.push_back(&m_vote[0]);
    return out;
}

} // namespace ns3
