/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/aisfc-paths.h"
#include "ns3/topology-json-reader.h"
#include "ns3/topology-source.h"

#include <catch2/catch.hpp>
#include <set>

using namespace ns3;

namespace
{
// The example network of Yen's algorithm (as on Wikipedia, but undirected), delays in ms.
AisfcTopology
YenExample()
{
    std::string text = R"({"name": "yen", "defaults": {"rate": "1Gbps"},
      "nodes": [{"name": "C"}, {"name": "D"}, {"name": "E"}, {"name": "F"}, {"name": "G"}, {"name": "H"}],
      "links": [
        {"a": "C", "b": "D", "delay": "3ms"}, {"a": "C", "b": "E", "delay": "2ms"},
        {"a": "D", "b": "F", "delay": "4ms"}, {"a": "E", "b": "D", "delay": "1ms"},
        {"a": "E", "b": "F", "delay": "2ms"}, {"a": "E", "b": "G", "delay": "3ms"},
        {"a": "F", "b": "G", "delay": "2ms"}, {"a": "F", "b": "H", "delay": "1ms"},
        {"a": "G", "b": "H", "delay": "2ms"}]})";
    return ParseJsonTopology(text, "yen.json", TopologyOptions());
}

std::string
Names(const AisfcTopology& t, const TopologyPath& p)
{
    std::string s;
    for (uint32_t n : p.nodes)
    {
        s += t.GetNode(n).name;
    }
    return s;
}
} // namespace

TEST_CASE("Dijkstra by delay and by hops", "[paths]")
{
    AisfcTopology t = YenExample();
    uint32_t c = *t.FindNode("C");
    uint32_t h = *t.FindNode("H");
    auto byDelay = ShortestPath(t, c, h, MetricWeight(t, PathMetric::DELAY));
    REQUIRE(byDelay);
    CHECK(Names(t, *byDelay) == "CEFH");
    CHECK(byDelay->cost == Approx(5e-3));
    CHECK(byDelay->links.size() == 3);
    auto byHops = ShortestPath(t, c, h, MetricWeight(t, PathMetric::HOPS));
    CHECK(byHops->cost == 3);
    // A weight function that makes E expensive to reach steers around it.
    uint32_t e = *t.FindNode("E");
    auto avoidE = ShortestPath(t, c, h, [&](uint32_t l) {
        return t.GetLink(l).a == e || t.GetLink(l).b == e ? 100.0 : 1.0;
    });
    CHECK(Names(t, *avoidE) == "CDFH");
}

TEST_CASE("Yen's k shortest loopless paths, cheapest first", "[paths]")
{
    AisfcTopology t = YenExample();
    auto paths = KShortestPaths(t,
                                *t.FindNode("C"),
                                *t.FindNode("H"),
                                3,
                                MetricWeight(t, PathMetric::DELAY));
    REQUIRE(paths.size() == 3);
    CHECK(Names(t, paths[0]) == "CEFH");
    CHECK(paths[0].cost == Approx(5e-3));
    CHECK(paths[1].cost == Approx(7e-3));
    CHECK(paths[2].cost == Approx(7e-3));
    // Links are undirected, so C-D-E-F-H (3+1+2+1) ties with C-E-G-H (2+3+2); ties go by node
    // sequence and C<D<E... in insertion order.
    CHECK(Names(t, paths[1]) == "CDEFH");
    CHECK(Names(t, paths[2]) == "CEGH");
}

TEST_CASE("k shortest paths enumerate every simple path of a small ring", "[paths]")
{
    AisfcTopology ring = LoadTopology("ring:6", TopologyOptions());
    auto paths = KShortestPaths(ring, 0, 3, 10, MetricWeight(ring, PathMetric::HOPS));
    REQUIRE(paths.size() == 2);
    CHECK(paths[0].cost == 3);
    CHECK(paths[1].cost == 3);
    CHECK(paths[0].nodes != paths[1].nodes);
}

TEST_CASE("all-pairs next hops agree with single-source Dijkstra on Chinanet", "[paths][zoo]")
{
    AisfcTopology t = LoadTopology(std::string(AISFC_SOURCE_DIR) +
                                       "/../shared/topologyzoo/graphml/Chinanet.graphml",
                                   TopologyOptions());
    LinkWeight w = MetricWeight(t, PathMetric::DELAY);
    NextHopTable table(t, w);
    for (uint32_t s = 0; s < t.GetNNodes(); ++s)
    {
        for (uint32_t d = 0; d < t.GetNNodes(); ++d)
        {
            auto path = ShortestPath(t, s, d, w);
            REQUIRE(path);
            CHECK(table.Distance(s, d) == Approx(path->cost).margin(1e-15));
            auto walked = table.Path(s, d);
            REQUIRE(walked);
            double sum = 0;
            for (uint32_t l : walked->links)
            {
                sum += t.GetLink(l).delaySeconds;
            }
            CHECK(sum == Approx(path->cost).margin(1e-15));
            CHECK(walked->nodes.front() == s);
            CHECK(walked->nodes.back() == d);
            CHECK((s == d) == (table.NextLink(s, d) == NextHopTable::NO_LINK));
        }
    }
}

TEST_CASE("unreachable destinations have no path", "[paths]")
{
    std::string text = R"({"name": "two", "nodes": [{"name": "a"}, {"name": "b"}, {"name": "c"}],
                           "links": [{"a": "a", "b": "b", "delay": "1ms"}]})";
    AisfcTopology t = ParseJsonTopology(text, "two.json", TopologyOptions());
    LinkWeight w = MetricWeight(t, PathMetric::DELAY);
    CHECK_FALSE(ShortestPath(t, 0, 2, w));
    CHECK(KShortestPaths(t, 0, 2, 3, w).empty());
    NextHopTable table(t, w);
    CHECK(table.NextLink(0, 2) == NextHopTable::NO_LINK);
    CHECK_FALSE(table.Path(0, 2));
    CHECK(CountComponents(t) == 2);
}
