/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// DUNE's compilation of tree ensembles into switch tables: hand-counted table sizes, bit-exact
// agreement of the tables with the trained trees, and refusals that name what ran out.

#include "ns3/dune-compiler.h"
#include "ns3/learn-dense-network.h"
#include "ns3/learn-forest.h"
#include "ns3/learn-tree.h"

#include <catch2/catch.hpp>

using namespace ns3;

TEST_CASE("dune compiles one split into hand-counted tables", "[dune]")
{
    // x0 in 0..15, the class is x0 > 7: one split at 7.5, integer threshold 7.
    Eigen::MatrixXd x(1, 16);
    std::vector<int> y;
    for (int v = 0; v < 16; ++v)
    {
        x(0, v) = v;
        y.push_back(v > 7 ? 1 : 0);
    }
    LearnTree tree;
    tree.Fit(x, y, 2);
    REQUIRE(tree.LeafCount() == 2);
    std::vector<DuneFeatureSpec> features{{"len", 16}};
    DuneCompiledModel m = DuneCompiledModel::Compile("m0", {&tree}, features, 2);
    // Range table: [0, 7] is one prefix, [8, 65535] thirteen (8-15, 16-31, ..., 32768-65535).
    REQUIRE(m.GetRangeTable(0).Size() == 2);
    REQUIRE(m.GetRangeTable(0).TcamRows() == 14);
    REQUIRE(m.GetCodeTable(0).Size() == 2); // one ternary entry per leaf
    REQUIRE(m.GetVoteTable().Size() == 2);  // 2 classes ^ 1 tree
    REQUIRE(m.TcamRows() == 16);
    for (uint64_t v : {0, 7, 8, 200, 65535, 70000}) // 70000 is clipped to 65535
    {
        REQUIRE(m.Classify({v}) == (v > 7 ? 1u : 0u));
    }
    std::vector<PdpTableShape> shapes = m.Shapes();
    REQUIRE(shapes.size() == 3);
    REQUIRE(shapes[0].name == "m0.range.len");
    REQUIRE(shapes[0].match == PdpMatchKind::RANGE);
    REQUIRE(shapes[0].entries == 14);
    REQUIRE(shapes[2].match == PdpMatchKind::EXACT);
}

TEST_CASE("dune switch tables classify every sample as the trained trees do", "[dune]")
{
    // Five classes over four integer features of different widths, overlapping.
    std::mt19937_64 rng(21);
    const int n = 3000;
    Eigen::MatrixXd x(4, n);
    std::vector<int> y;
    for (int s = 0; s < n; ++s)
    {
        int c = s % 5;
        x(0, s) = std::floor(100 * c + 180 * LearnUniform01(rng));   // 12 bits
        x(1, s) = std::floor(8 * c + 30 * LearnUniform01(rng));      // 8 bits
        x(2, s) = std::floor(1000 * LearnUniform01(rng));            // noise, 16 bits
        x(3, s) = (c % 2) * 3 + std::floor(4 * LearnUniform01(rng)); // 4 bits
        y.push_back(c);
    }
    LearnForestParams params;
    params.nEstimators = 4;
    params.tree.maxDepth = 6;
    params.seed = 5;
    LearnForest forest(params);
    forest.Fit(x, y, 5);
    std::vector<const LearnTree*> trees;
    for (const LearnTree& t : forest.GetTrees())
    {
        trees.push_back(&t);
    }
    std::vector<DuneFeatureSpec> features{{"a", 12}, {"b", 8}, {"c", 16}, {"d", 4}};
    DuneCompiledModel m = DuneCompiledModel::Compile("m", trees, features, 5);
    REQUIRE(m.GetVoteTable().Size() == 625);
    uint32_t checked = 0;
    uint32_t agreeWithTrees = 0;
    for (int s = 0; s < n + 5000; ++s)
    {
        std::vector<uint64_t> v(4);
        Eigen::VectorXd sample(4);
        for (int j = 0; j < 4; ++j)
        {
            // Training samples, then fresh ones over each feature's whole range.
            v[j] = s < n ? uint64_t(x(j, s))
                         : uint64_t(LearnUniform01(rng) * double(1u << features[j].bits));
            sample(j) = double(v[j]);
        }
        uint32_t tables = m.Classify(v);
        REQUIRE(tables == DuneVote(trees, v, features, 5));
        // The software reference is the trained trees themselves on integer values.
        std::vector<uint32_t> count(5, 0);
        for (const LearnTree* t : trees)
        {
            ++count[t->PredictSample(sample)];
        }
        uint32_t majority = std::max_element(count.begin(), count.end()) - count.begin();
        agreeWithTrees += majority == tables ? 1 : 0;
        ++checked;
    }
    REQUIRE(agreeWithTrees == checked);
}

TEST_CASE("dune models that do not fit are refused naming the table and memory", "[dune]")
{
    Eigen::MatrixXd x(2, 400);
    std::vector<int> y;
    std::mt19937_64 rng(3);
    for (int s = 0; s < 400; ++s)
    {
        x(0, s) = std::floor(65535 * LearnUniform01(rng));
        x(1, s) = std::floor(65535 * LearnUniform01(rng));
        y.push_back((int(x(0, s)) ^ int(x(1, s))) % 3);
    }
    LearnTreeParams limits;
    limits.maxDepth = 6; // at most 63 thresholds per feature
    LearnTree deep(limits);
    deep.Fit(x, y, 3);
    std::vector<DuneFeatureSpec> features{{"p", 16}, {"q", 16}};
    DuneCompiledModel m = DuneCompiledModel::Compile("big", {&deep}, features, 3);
    PdpMemoryBudget tiny;
    tiny.stages = 1;
    tiny.tcamBlocksPerStage = 1;
    PdpMemoryAccountant memory("s1", tiny);
    PdpReserveResult r = m.Reserve(memory);
    REQUIRE(!r.ok);
    REQUIRE_THAT(r.reason, Catch::Contains("s1") && Catch::Contains("big."));
    REQUIRE(memory.Used(PdpMemoryKind::TCAM) == 0); // all or nothing
    REQUIRE(memory.Used(PdpMemoryKind::SRAM) == 0);

    std::vector<LearnTree> many(13, deep); // 3^13 combinations: over 2^20
    std::vector<const LearnTree*> ptrs;
    for (const LearnTree& t : many)
    {
        ptrs.push_back(&t);
    }
    REQUIRE_THROWS_WITH(DuneCompiledModel::Compile("wide", ptrs, features, 3),
                        Catch::Contains("vote table") && Catch::Contains("fewer trees"));
}

TEST_CASE("dune leaves no integer reaches get no table entry", "[dune]")
{
    // x <= 2.5 -> class 0; else x <= 2.7 -> class 1 (no integer: 2 < x <= 2.7); else class 2.
    // Both thresholds floor to 2, so the middle leaf asks bit "x <= 2" both ways.
    std::vector<LearnTreeNode> nodes(5);
    nodes[0].left = 1;
    nodes[0].right = 2;
    nodes[0].feature = 0;
    nodes[0].threshold = 2.5;
    nodes[2].left = 3;
    nodes[2].right = 4;
    nodes[2].feature = 0;
    nodes[2].threshold = 2.7;
    std::vector<double> values{1, 1, 1, /**/ 1, 0, 0, /**/ 0, 1, 1, /**/ 0, 1, 0, /**/ 0, 0, 1};
    LearnTree tree = LearnTree::FromNodes(nodes, values, 3, 1);
    std::vector<DuneFeatureSpec> features{{"x", 8}};
    DuneCompiledModel m = DuneCompiledModel::Compile("u", {&tree}, features, 3);
    REQUIRE(m.GetCodeTable(0).Size() == 2); // leaves 1 and 4; leaf 3 unreachable
    for (uint64_t v = 0; v < 256; ++v)
    {
        REQUIRE(m.Classify({v}) == (v <= 2 ? 0u : 2u));
        REQUIRE(m.Classify({v}) == DuneVote({&tree}, {v}, features, 3));
    }
}
