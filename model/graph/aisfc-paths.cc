/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-paths.h"

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/property_map/function_property_map.hpp>
#include <set>

namespace ns3
{

namespace
{

using Graph = AisfcTopology::Graph;
using Edge = boost::graph_traits<Graph>::edge_descriptor;
constexpr uint32_t NONE = NextHopTable::NO_LINK;

// Records, for each vertex reached, the link it was reached by.
struct LinkRecorder : public boost::base_visitor<LinkRecorder>
{
    using event_filter = boost::on_edge_relaxed;

    explicit LinkRecorder(std::vector<uint32_t>& pred)
        : m_pred(&pred)
    {
    }

    template <class E, class G>
    void operator()(E e, const G& g)
    {
        (*m_pred)[boost::target(e, g)] = boost::get(boost::edge_index, g, e);
    }

    std::vector<uint32_t>* m_pred;
};

// Dijkstra from source over g (the topology graph or a filtered view of it).
template <class G>
void
RunDijkstra(const G& g,
            uint32_t source,
            const LinkWeight& weight,
            std::vector<double>& dist,
            std::vector<uint32_t>& predLink)
{
    size_t n = boost::num_vertices(g);
    dist.assign(n, std::numeric_limits<double>::infinity());
    predLink.assign(n, NONE);
    auto w = boost::make_function_property_map<Edge, double>(
        [&](const Edge& e) { return weight(boost::get(boost::edge_index, g, e)); });
    boost::dijkstra_shortest_paths(
        g,
        source,
        boost::weight_map(w)
            .distance_map(
                boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, g)))
            .distance_inf(std::numeric_limits<double>::infinity())
            .visitor(boost::make_dijkstra_visitor(LinkRecorder(predLink))));
}

// Walks predecessor links back from dst to src.
std::optional<TopologyPath>
Unwind(const AisfcTopology& topo,
       uint32_t src,
       uint32_t dst,
       const std::vector<double>& dist,
       const std::vector<uint32_t>& predLink)
{
    if (dist[dst] == std::numeric_limits<double>::infinity())
    {
        return std::nullopt;
    }
    TopologyPath path;
    path.cost = dist[dst];
    uint32_t at = dst;
    path.nodes.push_back(at);
    while (at != src)
    {
        uint32_t link = predLink[at];
        path.links.push_back(link);
        at = topo.Opposite(link, at);
        path.nodes.push_back(at);
    }
    std::reverse(path.nodes.begin(), path.nodes.end());
    std::reverse(path.links.begin(), path.links.end());
    return path;
}

bool
CheaperPath(const TopologyPath& a, const TopologyPath& b)
{
    if (a.cost != b.cost)
    {
        return a.cost < b.cost;
    }
    if (a.nodes != b.nodes)
    {
        return a.nodes < b.nodes;
    }
    return a.links < b.links;
}

} // namespace

LinkWeight
MetricWeight(const AisfcTopology& topo, PathMetric metric)
{
    if (metric == PathMetric::HOPS)
    {
        return [](uint32_t) { return 1.0; };
    }
    return [&topo](uint32_t link) { return topo.GetLink(link).delaySeconds; };
}

std::optional<TopologyPath>
ShortestPath(const AisfcTopology& topo, uint32_t src, uint32_t dst, const LinkWeight& weight)
{
    std::vector<double> dist;
    std::vector<uint32_t> pred;
    RunDijkstra(topo.GetGraph(), src, weight, dist, pred);
    return Unwind(topo, src, dst, dist, pred);
}

std::vector<TopologyPath>
KShortestPaths(const AisfcTopology& topo,
               uint32_t src,
               uint32_t dst,
               uint32_t k,
               const LinkWeight& weight)
{
    std::vector<TopologyPath> found;
    auto first = ShortestPath(topo, src, dst, weight);
    if (!first || k == 0)
    {
        return found;
    }
    found.push_back(*first);
    std::vector<TopologyPath> candidates;
    std::set<std::vector<uint32_t>> seen = {first->links};

    std::vector<bool> linkRemoved(topo.GetNLinks());
    std::vector<bool> nodeRemoved(topo.GetNNodes());
    auto linkFilter = [&](const Edge& e) {
        return !linkRemoved[boost::get(boost::edge_index, topo.GetGraph(), e)];
    };
    auto nodeFilter = [&](uint32_t v) { return !nodeRemoved[v]; };
    boost::filtered_graph<Graph, std::function<bool(const Edge&)>, std::function<bool(uint32_t)>>
        view(topo.GetGraph(), linkFilter, nodeFilter);

    while (found.size() < k)
    {
        const TopologyPath last = found.back();
        for (size_t i = 0; i + 1 < last.nodes.size(); ++i)
        {
            uint32_t spur = last.nodes[i];
            std::fill(linkRemoved.begin(), linkRemoved.end(), false);
            std::fill(nodeRemoved.begin(), nodeRemoved.end(), false);
            // Links leaving the spur node along any known path with the same root.
            for (const TopologyPath& p : found)
            {
                if (p.nodes.size() > i &&
                    std::equal(p.nodes.begin(), p.nodes.begin() + i + 1, last.nodes.begin()) &&
                    std::equal(p.links.begin(), p.links.begin() + i, last.links.begin()) &&
                    i < p.links.size())
                {
                    linkRemoved[p.links[i]] = true;
                }
            }
            double rootCost = 0;
            for (size_t j = 0; j < i; ++j)
            {
                nodeRemoved[last.nodes[j]] = true;
                rootCost += weight(last.links[j]);
            }
            std::vector<double> dist;
            std::vector<uint32_t> pred;
            RunDijkstra(view, spur, weight, dist, pred);
            auto spurPath = Unwind(topo, spur, dst, dist, pred);
            if (!spurPath)
            {
                continue;
            }
            TopologyPath total;
            total.nodes.assign(last.nodes.begin(), last.nodes.begin() + i);
            total.links.assign(last.links.begin(), last.links.begin() + i);
            total.nodes.insert(total.nodes.end(), spurPath->nodes.begin(), spurPath->nodes.end());
            total.links.insert(total.links.end(), spurPath->links.begin(), spurPath->links.end());
            total.cost = rootCost + spurPath->cost;
            if (seen.insert(total.links).second)
            {
                candidates.push_back(std::move(total));
            }
        }
        if (candidates.empty())
        {
            break;
        }
        auto best = std::min_element(candidates.begin(), candidates.end(), CheaperPath);
        found.push_back(std::move(*best));
        candidates.erase(best);
    }
    return found;
}

NextHopTable::NextHopTable(const AisfcTopology& topo, const LinkWeight& weight)
    : m_topo(topo),
      m_weight(weight),
      m_n(topo.GetNNodes()),
      m_nextLink(size_t(m_n) * m_n, NO_LINK),
      m_distance(size_t(m_n) * m_n)
{
    std::vector<double> dist;
    std::vector<uint32_t> pred;
    for (uint32_t to = 0; to < m_n; ++to)
    {
        // Links are undirected and weights symmetric: the tree towards `to` grown from `to`
        // gives every node's first hop towards it.
        RunDijkstra(topo.GetGraph(), to, weight, dist, pred);
        std::copy(dist.begin(), dist.end(), m_distance.begin() + size_t(to) * m_n);
        std::copy(pred.begin(), pred.end(), m_nextLink.begin() + size_t(to) * m_n);
    }
}

uint32_t
NextHopTable::NextLink(uint32_t from, uint32_t to) const
{
    return m_nextLink[size_t(to) * m_n + from];
}

double
NextHopTable::Distance(uint32_t from, uint32_t to) const
{
    return m_distance[size_t(to) * m_n + from];
}

std::optional<TopologyPath>
NextHopTable::Path(uint32_t from, uint32_t to) const
{
    if (Distance(from, to) == std::numeric_limits<double>::infinity())
    {
        return std::nullopt;
    }
    TopologyPath path;
    path.cost = Distance(from, to);
    path.nodes.push_back(from);
    for (uint32_t at = from; at != to;)
    {
        uint32_t link = NextLink(at, to);
        path.links.push_back(link);
        at = m_topo.Opposite(link, at);
        path.nodes.push_back(at);
    }
    return path;
}

std::vector<uint32_t>
NextHopTable::EqualCostLinks(uint32_t from, uint32_t to) const
{
    std::vector<uint32_t> links;
    double best = Distance(from, to);
    if (from == to || best == std::numeric_limits<double>::infinity())
    {
        return links;
    }
    for (uint32_t l : m_topo.GetLinksOf(from))
    {
        double via = m_weight(l) + Distance(m_topo.Opposite(l, from), to);
        if (via <= best + 1e-9 * best)
        {
            links.push_back(l);
        }
    }
    return links;
}

uint32_t
CountComponents(const AisfcTopology& topo)
{
    if (topo.GetNNodes() == 0)
    {
        return 0;
    }
    std::vector<uint32_t> component(topo.GetNNodes());
    return boost::connected_components(topo.GetGraph(), component.data());
}

uint32_t
DiameterHops(const AisfcTopology& topo)
{
    uint32_t n = topo.GetNNodes();
    if (n == 0)
    {
        return 0;
    }
    std::vector<uint32_t> component(n);
    uint32_t count = boost::connected_components(topo.GetGraph(), component.data());
    std::vector<uint32_t> size(count, 0);
    for (uint32_t c : component)
    {
        ++size[c];
    }
    uint32_t largest = component[0];
    for (uint32_t v = 0; v < n; ++v)
    {
        if (size[component[v]] > size[largest])
        {
            largest = component[v];
        }
    }
    uint32_t diameter = 0;
    std::vector<uint32_t> hops(n);
    for (uint32_t v = 0; v < n; ++v)
    {
        if (component[v] != largest)
        {
            continue;
        }
        std::fill(hops.begin(), hops.end(), 0);
        boost::breadth_first_search(
            topo.GetGraph(),
            v,
            boost::visitor(boost::make_bfs_visitor(
                boost::record_distances(hops.data(), boost::on_tree_edge()))));
        diameter = std::max(diameter, *std::max_element(hops.begin(), hops.end()));
    }
    return diameter;
}

} // namespace ns3
