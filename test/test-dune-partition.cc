/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// DUNE's partition of classes into sub-tasks and the order of the sub-models: hand-computed
// gains, greedy levels, the exact CBC search against a brute force over every partition, and
// the best order against every order.

#include "ns3/dune-partition.h"
#include "ns3/learn-dense-network.h"

#include <catch2/catch.hpp>
#include <numeric>

using namespace ns3;

namespace
{

/// A random importance matrix with rows summing to 1 and random F1 values.
std::pair<Eigen::MatrixXd, std::vector<double>>
Random(uint32_t classes, uint32_t features, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    Eigen::MatrixXd w(classes, features);
    std::vector<double> f1;
    for (uint32_t c = 0; c < classes; ++c)
    {
        for (uint32_t j = 0; j < features; ++j)
        {
            double u = LearnUniform01(rng);
            w(c, j) = u * u * u; // skewed: a few features matter per class
        }
        w.row(c) /= w.row(c).sum();
        f1.push_back(0.5 + 0.5 * LearnUniform01(rng));
    }
    return {w, f1};
}

} // namespace

TEST_CASE("dune block gain keeps features above the uniform share", "[dune]")
{
    // 2 classes, 4 features: uniform share 0.25 per class.
    Eigen::MatrixXd w(2, 4);
    w << 0.7, 0.1, 0.1, 0.1, //
        0.1, 0.6, 0.2, 0.1;
    DunePartitioner p(w, {0.9, 0.6});
    REQUIRE(p.KeptFeatures({0}) == std::vector<uint32_t>{0});
    REQUIRE(p.BlockGain({0}) == Approx(0.7 - 0.25));
    REQUIRE(p.BlockGain({1}) == Approx(0.6 - 0.25));
    // Together: sums 0.8 0.7 0.3 0.2 against 0.5: features 0 and 1 kept, above = 0.3 + 0.2,
    // F1 range 0.3.
    REQUIRE(p.KeptFeatures({0, 1}) == std::vector<uint32_t>{0, 1});
    REQUIRE(p.BlockGain({0, 1}) == Approx(0.5 / 1.3));
    // Scores: singletons 0 (factor (2-2)/(2-1)), one block its gain.
    REQUIRE(p.Evaluate({{0}, {1}}).score == 0);
    REQUIRE(p.Evaluate({{1, 0}}).score == Approx(0.5 / 1.3));
    REQUIRE(p.Evaluate({{1, 0}}).blocks == std::vector<std::vector<uint32_t>>{{0, 1}});
}

TEST_CASE("dune partitions find two obvious groups", "[dune]")
{
    // Classes 0-2 explained by features 0-1, classes 3-5 by features 2-3; equal F1 inside
    // each group.
    Eigen::MatrixXd w = Eigen::MatrixXd::Constant(6, 6, 0.02);
    for (int c = 0; c < 3; ++c)
    {
        w(c, 0) = 0.5;
        w(c, 1) = 0.42;
        w(c + 3, 2) = 0.5;
        w(c + 3, 3) = 0.42;
    }
    std::vector<double> f1{0.9, 0.9, 0.9, 0.5, 0.5, 0.5};
    DunePartitioner p(w, f1);
    const std::vector<std::vector<uint32_t>> groups{{0, 1, 2}, {3, 4, 5}};
    REQUIRE(p.Greedy(1, 6).best.blocks == groups);
    REQUIRE(p.Exact(1, 6).best.blocks == groups);
    REQUIRE(p.BruteForce(1, 6).blocks == groups);
    DunePartitionResult g = p.Greedy(1, 6);
    REQUIRE(g.levels.size() == 6); // 6 blocks down to 1
    REQUIRE(g.best.features == std::vector<std::vector<uint32_t>>{{0, 1}, {2, 3}});
}

TEST_CASE("dune exact partition equals a brute force and bounds the greedy one", "[dune]")
{
    for (uint64_t seed = 1; seed <= 6; ++seed)
    {
        const uint32_t classes = 4 + seed % 4; // 5..7 classes
        auto [w, f1] = Random(classes, 9, seed);
        DunePartitioner p(w, f1);
        for (auto [lo, hi] : {std::pair<uint32_t, uint32_t>{1, classes}, {2, 3}})
        {
            INFO("seed " << seed << " blocks " << lo << ".." << hi);
            DunePartition brute = p.BruteForce(lo, hi);
            DunePartitionResult exact = p.Exact(lo, hi);
            REQUIRE(exact.optimal);
            REQUIRE(exact.best.score == Approx(brute.score).epsilon(1e-9));
            DunePartitionResult greedy = p.Greedy(lo, hi);
            REQUIRE(greedy.best.score <= exact.best.score + 1e-12);
            REQUIRE(greedy.best.blocks.size() >= lo);
            REQUIRE(greedy.best.blocks.size() <= hi);
            // Every class in exactly one block.
            std::vector<uint32_t> all;
            for (const auto& b : greedy.best.blocks)
            {
                all.insert(all.end(), b.begin(), b.end());
            }
            std::sort(all.begin(), all.end());
            std::vector<uint32_t> expected(classes);
            std::iota(expected.begin(), expected.end(), 0);
            REQUIRE(all == expected);
        }
    }
}

TEST_CASE("dune order minimises the damage of earlier claims", "[dune]")
{
    // Model 0 claims half of block 1's flows; model 1 claims nothing of block 0: 1 goes first.
    Eigen::MatrixXd claims(2, 2);
    claims << 0, 0.5, //
        0, 0;
    DuneOrder o = DuneBestOrder(claims, {0.5, 0.5});
    REQUIRE(o.order == std::vector<uint32_t>{1, 0});
    REQUIRE(o.damage == 0);
    REQUIRE(DuneOrderDamage({0, 1}, claims, {0.5, 0.5}) == Approx(0.25));

    // Against every order, and the greedy search beyond 8 is never worse than identity.
    for (uint64_t seed = 1; seed <= 4; ++seed)
    {
        const uint32_t n = 4 + seed;
        std::mt19937_64 rng(seed);
        Eigen::MatrixXd c(n, n);
        std::vector<double> value;
        for (uint32_t i = 0; i < n; ++i)
        {
            value.push_back(LearnUniform01(rng));
            for (uint32_t j = 0; j < n; ++j)
            {
                c(i, j) = i == j ? 0.0 : 0.3 * LearnUniform01(rng);
            }
        }
        DuneOrder best = DuneBestOrder(c, value);
        REQUIRE(best.exhaustive);
        std::vector<uint32_t> order(n);
        std::iota(order.begin(), order.end(), 0);
        double least = DuneOrderDamage(order, c, value);
        while (std::next_permutation(order.begin(), order.end()))
        {
            least = std::min(least, DuneOrderDamage(order, c, value));
        }
        REQUIRE(best.damage == Approx(least));
    }
    std::mt19937_64 rng(9);
    Eigen::MatrixXd big(11, 11);
    std::vector<double> value(11);
    for (int i = 0; i < 11; ++i)
    {
        value[i] = LearnUniform01(rng);
        for (int j = 0; j < 11; ++j)
        {
            big(i, j) = i == j ? 0.0 : LearnUniform01(rng);
        }
    }
    DuneOrder g = DuneBestOrder(big, value);
    REQUIRE(!g.exhaustive);
    std::vector<uint32_t> identity(11);
    std::iota(identity.begin(), identity.end(), 0);
    REQUIRE(g.damage <= DuneOrderDamage(identity, big, value));
}
