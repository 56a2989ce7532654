/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dune-partition.h"

#include "ns3/aisfc-milp.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace ns3
{

namespace
{

/// (n - k) / (n - 1): 0 for singletons, 1 for one block; 1 when there is one class.
double
LevelFactor(uint32_t classes, uint32_t blocks)
{
    return classes <= 1 ? 1.0 : double(classes - blocks) / double(classes - 1);
}

/// Blocks sorted by their first class, each ascending: one canonical form per partition.
std::vector<std::vector<uint32_t>>
Canonical(std::vector<std::vector<uint32_t>> blocks)
{
    for (auto& b : blocks)
    {
        std::sort(b.begin(), b.end());
    }
    std::sort(blocks.begin(), blocks.end());
    return blocks;
}

} // namespace

DunePartitioner::DunePartitioner(Eigen::MatrixXd importance, std::vector<double> f1)
    : m_w(std::move(importance)),
      m_f1(std::move(f1))
{
    if (m_w.rows() == 0 || m_w.cols() == 0 || size_t(m_w.rows()) != m_f1.size())
    {
        throw std::invalid_argument("DunePartitioner: W is " + std::to_string(m_w.rows()) + "x" +
                                    std::to_string(m_w.cols()) + " with " +
                                    std::to_string(m_f1.size()) + " F1 values");
    }
}

uint32_t
DunePartitioner::Classes() const
{
    return m_w.rows();
}

std::vector<uint32_t>
DunePartitioner::KeptFeatures(const std::vector<uint32_t>& block) const
{
    const double share = double(block.size()) / double(m_w.cols());
    std::vector<uint32_t> kept;
    for (Eigen::Index j = 0; j < m_w.cols(); ++j)
    {
        double sum = 0;
        for (uint32_t c : block)
        {
            sum += m_w(c, j);
        }
        if (sum > share)
        {
            kept.push_back(j);
        }
    }
    return kept;
}

double
DunePartitioner::BlockGain(const std::vector<uint32_t>& block) const
{
    if (block.empty())
    {
        return 0;
    }
    const double share = double(block.size()) / double(m_w.cols());
    double above = 0;
    for (Eigen::Index j = 0; j < m_w.cols(); ++j)
    {
        double sum = 0;
        for (uint32_t c : block)
        {
            sum += m_w(c, j);
        }
        above += std::max(0.0, sum - share);
    }
    double lo = m_f1[block[0]];
    double hi = lo;
    for (uint32_t c : block)
    {
        lo = std::min(lo, m_f1[c]);
        hi = std::max(hi, m_f1[c]);
    }
    return above / (1.0 + (hi - lo));
}

DunePartition
DunePartitioner::Evaluate(std::vector<std::vector<uint32_t>> blocks) const
{
    DunePartition p;
    p.blocks = Canonical(std::move(blocks));
    for (const auto& b : p.blocks)
    {
        p.features.push_back(KeptFeatures(b));
        p.gain += BlockGain(b);
    }
    p.score = p.gain * LevelFactor(Classes(), p.blocks.size());
    return p;
}

DunePartitionResult
DunePartitioner::Greedy(uint32_t minBlocks, uint32_t maxBlocks) const
{
    const uint32_t n = Classes();
    std::vector<std::vector<uint32_t>> blocks;
    for (uint32_t c = 0; c < n; ++c)
    {
        blocks.push_back({c});
    }
    DunePartitionResult result;
    auto consider = [&] {
        DunePartition p = Evaluate(blocks);
        const uint32_t k = p.blocks.size();
        if (k >= minBlocks && k <= maxBlocks &&
            (result.best.blocks.empty() || p.score > result.best.score))
        {
            result.best = p;
        }
        result.levels.push_back(std::move(p));
    };
    consider();
    while (blocks.size() > 1)
    {
        size_t bestA = 0;
        size_t bestB = 1;
        double bestDelta = -std::numeric_limits<double>::infinity();
        for (size_t a = 0; a < blocks.size(); ++a)
        {
            for (size_t b = a + 1; b < blocks.size(); ++b)
            {
                std::vector<uint32_t> merged = blocks[a];
                merged.insert(merged.end(), blocks[b].begin(), blocks[b].end());
                double delta = BlockGain(merged) - BlockGain(blocks[a]) - BlockGain(blocks[b]);
                if (delta > bestDelta)
                {
                    bestDelta = delta;
                    bestA = a;
                    bestB = b;
                }
            }
        }
        blocks[bestA].insert(blocks[bestA].end(), blocks[bestB].begin(), blocks[bestB].end());
        std::sort(blocks[bestA].begin(), blocks[bestA].end());
        blocks.erase(blocks.begin() + bestB);
        consider();
    }
    return result;
}

DunePartitionResult
DunePartitioner::Exact(uint32_t minBlocks, uint32_t maxBlocks, double timeLimit) const
{
    const uint32_t n = Classes();
    if (n > 16)
    {
        throw std::invalid_argument("DunePartitioner::Exact: " + std::to_string(n) +
                                    " classes (at most 16; use Greedy)");
    }
    const uint32_t subsets = (1u << n) - 1;
    std::vector<std::vector<uint32_t>> blockOf(subsets + 1);
    std::vector<double> gain(subsets + 1, 0.0);
    for (uint32_t mask = 1; mask <= subsets; ++mask)
    {
        for (uint32_t c = 0; c < n; ++c)
        {
            if (mask & (1u << c))
            {
                blockOf[mask].push_back(c);
            }
        }
        gain[mask] = BlockGain(blockOf[mask]);
    }
    DunePartitionResult result;
    result.optimal = true;
    for (uint32_t k = std::max(1u, minBlocks); k <= std::min(n, maxBlocks); ++k)
    {
        AisfcMilp milp;
        std::vector<AisfcMilpRow> cover(n);
        AisfcMilpRow count;
        for (AisfcMilpRow& row : cover)
        {
            row.sense = 'E';
            row.rhs = 1;
        }
        count.sense = 'E';
        count.rhs = k;
        for (uint32_t mask = 1; mask <= subsets; ++mask)
        {
            int col = milp.Col(0, 1, -gain[mask], true);
            for (uint32_t c : blockOf[mask])
            {
                cover[c].Add(col, 1);
            }
            count.Add(col, 1);
        }
        for (AisfcMilpRow& row : cover)
        {
            milp.AddRow(std::move(row));
        }
        milp.AddRow(std::move(count));
        AisfcMilpSolution s = milp.Minimize(timeLimit);
        if (!s.HasSolution())
        {
            result.optimal = false;
            continue;
        }
        result.optimal = result.optimal && s.status == AisfcMilpStatus::OPTIMAL;
        std::vector<std::vector<uint32_t>> blocks;
        for (uint32_t mask = 1; mask <= subsets; ++mask)
        {
            if (s.values[mask - 1] > 0.5)
            {
                blocks.push_back(blockOf[mask]);
            }
        }
        DunePartition p = Evaluate(blocks);
        if (result.best.blocks.empty() || p.score > result.best.score)
        {
            result.best = p;
        }
        result.levels.push_back(std::move(p));
    }
    return result;
}

DunePartition
DunePartitioner::BruteForce(uint32_t minBlocks, uint32_t maxBlocks) const
{
    const uint32_t n = Classes();
    if (n > 10)
    {
        throw std::invalid_argument("DunePartitioner::BruteForce: at most 10 classes");
    }
    // Restricted growth strings: a[0] = 0, a[i] <= 1 + max(a[0..i-1]).
    std::vector<uint32_t> a(n, 0);
    DunePartition best;
    std::function<void(uint32_t, uint32_t)> walk = [&](uint32_t i, uint32_t blocks) {
        if (i == n)
        {
            if (blocks < minBlocks || blocks > maxBlocks)
            {
                return;
            }
            std::vector<std::vector<uint32_t>> parts(blocks);
            for (uint32_t c = 0; c < n; ++c)
            {
                parts[a[c]].push_back(c);
            }
            DunePartition p = Evaluate(parts);
            if (best.blocks.empty() || p.score > best.score)
            {
                best = p;
            }
            return;
        }
        for (uint32_t b = 0; b <= blocks && b < n; ++b)
        {
            a[i] = b;
            walk(i + 1, std::max(blocks, b + 1));
        }
    };
    a[0] = 0;
    walk(1, 1);
    return best;
}

double
DuneOrderDamage(const std::vector<uint32_t>& order,
                const Eigen::MatrixXd& claims,
                const std::vector<double>& value)
{
    double damage = 0;
    for (size_t a = 0; a < order.size(); ++a)
    {
        for (size_t b = a + 1; b < order.size(); ++b)
        {
            damage += claims(order[a], order[b]) * value[order[b]];
        }
    }
    return damage;
}

DuneOrder
DuneBestOrder(const Eigen::MatrixXd& claims, const std::vector<double>& value)
{
    const size_t n = value.size();
    if (size_t(claims.rows()) != n || size_t(claims.cols()) != n)
    {
        throw std::invalid_argument("DuneBestOrder: claims must be " + std::to_string(n) + "x" +
                                    std::to_string(n));
    }
    DuneOrder best;
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    if (n <= 8)
    {
        best.exhaustive = true;
        best.order = order;
        best.damage = DuneOrderDamage(order, claims, value);
        // Lexicographic order: the first of equally good orders is kept.
        while (std::next_permutation(order.begin(), order.end()))
        {
            double d = DuneOrderDamage(order, claims, value);
            if (d < best.damage)
            {
                best.damage = d;
                best.order = order;
            }
        }
        return best;
    }
    // Greedy: repeatedly put first the model whose claims on the remaining ones cost least.
    std::vector<uint32_t> left = order;
    order.clear();
    while (!left.empty())
    {
        size_t pick = 0;
        double least = std::numeric_limits<double>::infinity();
        for (size_t k = 0; k < left.size(); ++k)
        {
            double cost = 0;
            for (uint32_t j : left)
            {
                cost += j == left[k] ? 0.0 : claims(left[k], j) * value[j];
            }
            if (cost < least)
            {
                least = cost;
                pick = k;
            }
        }
        order.push_back(left[pick]);
        left.erase(left.begin() + pick);
    }
    double damage = DuneOrderDamage(order, claims, value);
    for (bool improved = true; improved;)
    {
        improved = false;
        for (size_t k = 0; k + 1 < n; ++k)
        {
            std::swap(order[k], order[k + 1]);
            double d = DuneOrderDamage(order, claims, value);
            if (d < damage)
            {
                damage = d;
                improved = true;
            }
            else
            {
                std::swap(order[k], order[k + 1]);
            }
        }
    }
    best.order = order;
    best.damage = damage;
    return best;
}

} // namespace ns3
