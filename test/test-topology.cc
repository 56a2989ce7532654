/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/aisfc-error.h"
#include "ns3/aisfc-paths.h"
#include "ns3/topology-generators.h"
#include "ns3/topology-graphml-reader.h"
#include "ns3/topology-json-reader.h"
#include "ns3/topology-source.h"

#include <catch2/catch.hpp>
#include <set>

using namespace ns3;
using Catch::Matchers::Contains;

namespace
{
const std::string ZOO = std::string(AISFC_SOURCE_DIR) + "/../shared/topologyzoo/graphml/";

// Four nodes: A-B twice (10 Mbit/s + 1 Gbit/s), B-B self-loop, B-C without speed, D without
// coordinates linked to C, E isolated.
const std::string SMALL_GRAPHML = R"(<?xml version="1.0" encoding="utf-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key attr.name="LinkSpeedRaw" attr.type="double" for="edge" id="d9" />
  <key attr.name="LinkSpeed" attr.type="string" for="edge" id="d8" />
  <key attr.name="LinkSpeedUnits" attr.type="string" for="edge" id="d7" />
  <key attr.name="Longitude" attr.type="double" for="node" id="d2" />
  <key attr.name="Latitude" attr.type="double" for="node" id="d1" />
  <key attr.name="label" attr.type="string" for="node" id="d0" />
  <graph edgedefault="undirected">
    <node id="0"><data key="d0">Paris</data><data key="d1">48.8566</data><data key="d2">2.3522</data></node>
    <node id="1"><data key="d0">Berlin</data><data key="d1">52.52</data><data key="d2">13.405</data></node>
    <node id="2"><data key="d0">Rome</data><data key="d1">41.9028</data><data key="d2">12.4964</data></node>
    <node id="3"><data key="d0">Rome</data></node>
    <node id="4" />
    <edge source="0" target="1"><data key="d8">10</data><data key="d7">M</data></edge>
    <edge source="1" target="0"><data key="d9">1000000000.0</data></edge>
    <edge source="1" target="1" />
    <edge source="1" target="2" />
    <edge source="2" target="3"><data key="d8">2.5</data><data key="d7">G</data></edge>
  </graph>
</graphml>
)";
} // namespace

TEST_CASE("GraphML: parallel edges merge, self-loops drop, delays follow the geodesic",
          "[graph][graphml]")
{
    TopologyOptions options;
    AisfcTopology t = ParseGraphmlTopology(SMALL_GRAPHML, "dir/Small.graphml", options);
    CHECK(t.GetName() == "Small");
    REQUIRE(t.GetNNodes() == 5);
    REQUIRE(t.GetNLinks() == 3);
    CHECK(t.GetProvenance().parallelEdgesMerged == 1);
    CHECK(t.GetProvenance().selfLoopsDropped == 1);
    CHECK(t.GetProvenance().sourceEdges == 5);
    CHECK(t.GetProvenance().edgesWithoutSpeed == 1); // 1-2 (the self-loop is dropped first)
    CHECK(t.GetProvenance().edgesWithoutCoordinates == 1);
    // Duplicate labels get their id appended; a node without label is named by its id.
    CHECK(t.FindNode("Paris") == 0u);
    CHECK(t.FindNode("Rome#2") == 2u);
    CHECK(t.FindNode("Rome#3") == 3u);
    CHECK(t.FindNode("4") == 4u);

    const TopologyLink& parisBerlin = t.GetLink(0);
    CHECK(parisBerlin.capacityBps == 10e6 + 1e9);
    CHECK(parisBerlin.mergedEdges == 2);
    // Paris-Berlin great-circle distance is about 878 km.
    CHECK(parisBerlin.delaySeconds == Approx(878e3 / 2e8).epsilon(0.005));
    CHECK(t.GetLink(1).capacityBps == 1e9); // default capacity
    CHECK(t.GetLink(2).capacityBps == 2.5e9);
    CHECK(t.GetLink(2).delaySeconds == options.fallbackDelaySeconds);
    CHECK(CountComponents(t) == 2);
    CHECK(DiameterHops(t) == 3);
}

TEST_CASE("GraphML options: keep parallel edges, largest component, propagation speed",
          "[graph][graphml]")
{
    TopologyOptions options;
    options.keepParallelEdges = true;
    options.largestComponentOnly = true;
    options.propagationSpeedMps = 1e8;
    options.fallbackDelaySeconds = 5e-3;
    AisfcTopology t = ParseGraphmlTopology(SMALL_GRAPHML, "Small.graphml", options);
    CHECK(t.GetNNodes() == 4);
    CHECK(t.GetNLinks() == 4);
    CHECK(t.GetProvenance().nodesOutsideLargestComponent == 1);
    CHECK(t.GetProvenance().parallelEdgesMerged == 0);
    CHECK(t.GetLink(0).capacityBps == 10e6);
    CHECK(t.GetLink(1).capacityBps == 1e9);
    CHECK(t.GetLink(0).delaySeconds == Approx(878e3 / 1e8).epsilon(0.005));
    CHECK(t.GetLink(3).delaySeconds == 5e-3);
}

TEST_CASE("GraphML errors name the file and line", "[graph][graphml]")
{
    TopologyOptions o;
    std::string truncated =
        SMALL_GRAPHML.substr(0, SMALL_GRAPHML.find("<edge source=\"1\" target=\"2\""));
    CHECK_THROWS_WITH(ParseGraphmlTopology(truncated, "T.graphml", o),
                      Contains("T.graphml:") && Contains("malformed XML"));
    std::string badEdge = SMALL_GRAPHML;
    badEdge.replace(badEdge.find("target=\"2\""), 10, "target=\"9\"");
    CHECK_THROWS_WITH(ParseGraphmlTopology(badEdge, "E.graphml", o),
                      Contains("E.graphml:18:6") && Contains("target '9' is not a node id"));
    std::string dupNode = SMALL_GRAPHML;
    dupNode.replace(dupNode.find("<node id=\"4\""), 12, "<node id=\"3\"");
    CHECK_THROWS_WITH(ParseGraphmlTopology(dupNode, "D.graphml", o),
                      Contains("D.graphml:14:6") && Contains("duplicate node id '3'"));
    CHECK_THROWS_WITH(ParseGraphmlTopology("<graph/>", "R.graphml", o),
                      Contains("R.graphml:1:") && Contains("not <graphml>"));
    CHECK_THROWS_WITH(ReadGraphmlTopology("/no/such/Net.graphml", o),
                      Contains("/no/such/Net.graphml: no such file"));
}

TEST_CASE("Topology Zoo files load with the published sizes", "[graph][zoo]")
{
    TopologyOptions o;
    AisfcTopology chinanet = ReadGraphmlTopology(ZOO + "Chinanet.graphml", o);
    CHECK(chinanet.GetNNodes() == 42);
    CHECK(chinanet.GetNLinks() == 66);
    AisfcTopology kdl = LoadTopology(ZOO + "Kdl.graphml", o);
    CHECK(kdl.GetNNodes() == 754);
    CHECK(kdl.GetProvenance().sourceEdges == 899);
    CHECK(kdl.GetNLinks() + kdl.GetProvenance().parallelEdgesMerged == 899);
}

TEST_CASE("fat-tree generators build the standard and the SR-EM networks", "[graph][generators]")
{
    TopologyOptions o;
    AisfcTopology k4 = LoadTopology("fattree:k=4", o);
    CHECK(k4.GetNNodes() == 36);
    CHECK(k4.GetNLinks() == 48);
    std::map<NodeRole, int> roles;
    for (uint32_t i = 0; i < k4.GetNNodes(); ++i)
    {
        ++roles[k4.GetNode(i).role];
    }
    CHECK(roles[NodeRole::CORE] == 4);
    CHECK(roles[NodeRole::AGGREGATION] == 8);
    CHECK(roles[NodeRole::EDGE] == 8);
    CHECK(roles[NodeRole::HOST] == 16);
    // Every core reaches every pod exactly once; every host hangs off one edge switch.
    for (uint32_t i = 0; i < k4.GetNNodes(); ++i)
    {
        const TopologyNode& n = k4.GetNode(i);
        size_t degree = k4.GetLinksOf(i).size();
        CHECK(degree == (n.role == NodeRole::HOST ? 1u : 4u));
    }
    CHECK(DiameterHops(k4) == 6);

    AisfcTopology k8 = LoadTopology("fattree:k=8,rate=40Gbps,delay=500ns", o);
    CHECK(k8.GetNNodes() == 16 + 32 + 32 + 128);
    CHECK(k8.GetNLinks() == 3 * 8 * 8 * 8 / 4);
    CHECK(k8.GetLink(0).capacityBps == 40e9);
    CHECK(k8.GetLink(0).delaySeconds == Approx(500e-9));

    AisfcTopology srem = LoadTopology("fattree:srem", o);
    CHECK(srem.GetNNodes() == 22);
    CHECK(srem.GetNLinks() == 28);
    for (const char* agg : {"agg0", "agg1", "agg2", "agg3"})
    {
        std::set<std::string> cores;
        uint32_t a = *srem.FindNode(agg);
        for (uint32_t l : srem.GetLinksOf(a))
        {
            const TopologyNode& other = srem.GetNode(srem.Opposite(l, a));
            if (other.role == NodeRole::CORE)
            {
                cores.insert(other.name);
            }
        }
        CHECK(cores == std::set<std::string>{"core0", "core1"});
    }
    CHECK(srem.GetNode(*srem.FindNode("server11")).role == NodeRole::SERVER);
    CHECK(srem.GetLinksOf(*srem.FindNode("edge3")).size() == 2 + 3);
}

TEST_CASE("line and ring generators", "[graph][generators]")
{
    TopologyOptions o;
    AisfcTopology line = LoadTopology("line:10", o);
    CHECK(line.GetNNodes() == 10);
    CHECK(line.GetNLinks() == 9);
    CHECK(DiameterHops(line) == 9);
    AisfcTopology ring = LoadTopology("ring:n=10,delay=2ms", o);
    CHECK(ring.GetNLinks() == 10);
    CHECK(DiameterHops(ring) == 5);
    CHECK(ring.GetLink(9).delaySeconds == Approx(2e-3));
}

TEST_CASE("bad generator specs are errors that name the spec", "[graph][generators]")
{
    TopologyOptions o;
    CHECK_THROWS_WITH(LoadTopology("fattree:k=3", o), Contains("fattree:k=3") && Contains("even"));
    CHECK_THROWS_WITH(LoadTopology("fattree:k=4,speed=1", o), Contains("unknown argument 'speed'"));
    CHECK_THROWS_WITH(LoadTopology("torus:4", o),
                      Contains("torus:4: unknown topology generator 'torus'"));
    CHECK_THROWS_WITH(LoadTopology("line:1", o), Contains("line:1: n: 1 is out of range"));
    CHECK_THROWS_WITH(LoadTopology("line", o), Contains("line: missing the value of n"));
    CHECK_THROWS_WITH(LoadTopology("ring:5,rate=fast", o), Contains("ring:5,rate=fast: rate"));
    CHECK_THROWS_WITH(LoadTopology("zoo:NoSuchNet", o),
                      Contains("zoo:NoSuchNet: no Topology Zoo file"));
    CHECK(LoadTopology("zoo:Chinanet", o).GetNNodes() == 42);
}

TEST_CASE("JSON topologies: the teaching networks load; errors carry the JSON path",
          "[graph][json]")
{
    TopologyOptions o;
    std::string dir = std::string(AISFC_SOURCE_DIR) + "/topologies/";
    AisfcTopology dumbbell = LoadTopology(dir + "dumbbell.json", o);
    CHECK(dumbbell.GetNNodes() == 6);
    CHECK(dumbbell.GetNLinks() == 5);
    CHECK(LoadTopology(dir + "line.json", o).GetNLinks() == 3);
    CHECK(LoadTopology(dir + "ring.json", o).GetNLinks() == 4);

    std::string text = R"({"name": "t", "defaults": {"rate": "100Mbps"},
        "nodes": [{"name": "a"}, {"name": "b", "role": "server"}],
        "links": [{"a": "a", "b": "b", "delay": "3ms"}]})";
    AisfcTopology t = ParseJsonTopology(text, "t.json", o);
    CHECK(t.GetLink(0).capacityBps == 100e6);
    CHECK(t.GetLink(0).delaySeconds == Approx(3e-3));
    CHECK(t.GetNode(1).role == NodeRole::SERVER);

    std::string badNode =
        R"({"name": "t", "nodes": [{"name": "a"}], "links": [{"a": "a", "b": "z"}]})";
    CHECK_THROWS_WITH(ParseJsonTopology(badNode, "t.json", o),
                      Contains("t.json: /links/0/b: no node named 'z'"));
    std::string badRole = R"({"name": "t", "nodes": [{"name": "a", "role": "toaster"}]})";
    CHECK_THROWS_WITH(ParseJsonTopology(badRole, "t.json", o),
                      Contains("/nodes/0/role: unknown role 'toaster'"));
    std::string dup = R"({"name": "t", "nodes": [{"name": "a"}, {"name": "a"}]})";
    CHECK_THROWS_WITH(ParseJsonTopology(dup, "t.json", o),
                      Contains("/nodes/1/name: duplicate node name"));
    std::string extra = R"({"name": "t", "nodez": []})";
    CHECK_THROWS_WITH(ParseJsonTopology(extra, "t.json", o), Contains("/nodez: unknown key"));
}
