/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "topology-builder.h"

#include "ns3/aisfc-error.h"

#include <algorithm>
#include <boost/pending/disjoint_sets.hpp>
#include <cmath>
#include <map>

namespace ns3
{

double
GeodesicDistanceMetres(double lat1, double lon1, double lat2, double lon2)
{
    const double EARTH_RADIUS_M = 6371e3;
    const double RAD = M_PI / 180.0;
    double dLat = (lat2 - lat1) * RAD;
    double dLon = (lon2 - lon1) * RAD;
    double h =
        std::sin(dLat / 2) * std::sin(dLat / 2) +
        std::cos(lat1 * RAD) * std::cos(lat2 * RAD) * std::sin(dLon / 2) * std::sin(dLon / 2);
    return 2 * EARTH_RADIUS_M * std::asin(std::min(1.0, std::sqrt(h)));
}

TopologyBuilder::TopologyBuilder(std::string name)
    : m_name(name),
      m_nodes(std::move(name))
{
}

uint32_t
TopologyBuilder::AddNode(TopologyNode node)
{
    if (m_nodes.GetNNodes() >= AISFC_MAX_TOPOLOGY_NODES)
    {
        throw AisfcInputError(m_name,
                              "more than " + std::to_string(AISFC_MAX_TOPOLOGY_NODES) +
                                  " nodes, aisfc's limit for one topology");
    }
    return m_nodes.AddNode(std::move(node));
}

bool
TopologyBuilder::HasNode(const std::string& name) const
{
    return m_nodes.FindNode(name).has_value();
}

uint32_t
TopologyBuilder::NodeIndex(const std::string& name) const
{
    return m_nodes.FindNode(name).value();
}

void
TopologyBuilder::AddEdge(uint32_t a,
                         uint32_t b,
                         std::optional<double> capacityBps,
                         std::optional<double> delaySeconds)
{
    if (m_edges.size() >= AISFC_MAX_TOPOLOGY_EDGES)
    {
        throw AisfcInputError(m_name,
                              "more than " + std::to_string(AISFC_MAX_TOPOLOGY_EDGES) +
                                  " edges, aisfc's limit for one topology");
    }
    m_edges.push_back({a, b, capacityBps, delaySeconds});
}

AisfcTopology
TopologyBuilder::Build(const TopologyOptions& options) const
{
    AisfcTopology::Provenance prov;
    prov.sourceEdges = m_edges.size();
    uint32_t n = m_nodes.GetNNodes();

    // 1. Resolve capacity and delay per edge, drop self-loops, merge parallel edges.
    std::vector<TopologyLink> links;
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> linkOfPair;
    for (const Edge& e : m_edges)
    {
        if (e.a == e.b)
        {
            ++prov.selfLoopsDropped;
            continue;
        }
        TopologyLink link;
        link.a = std::min(e.a, e.b);
        link.b = std::max(e.a, e.b);
        if (e.capacityBps)
        {
            link.capacityBps = *e.capacityBps;
        }
        else
        {
            link.capacityBps = options.defaultCapacityBps;
            ++prov.edgesWithoutSpeed;
        }
        const TopologyNode& na = m_nodes.GetNode(e.a);
        const TopologyNode& nb = m_nodes.GetNode(e.b);
        if (e.delaySeconds)
        {
            link.delaySeconds = *e.delaySeconds;
        }
        else if (na.latitude && na.longitude && nb.latitude && nb.longitude)
        {
            link.delaySeconds =
                GeodesicDistanceMetres(*na.latitude, *na.longitude, *nb.latitude, *nb.longitude) /
                options.propagationSpeedMps;
        }
        else
        {
            link.delaySeconds = options.fallbackDelaySeconds;
            ++prov.edgesWithoutCoordinates;
        }

        auto key = std::make_pair(link.a, link.b);
        auto it = linkOfPair.find(key);
        if (it != linkOfPair.end() && !options.keepParallelEdges)
        {
            TopologyLink& merged = links[it->second];
            merged.capacityBps += link.capacityBps;
            merged.delaySeconds = std::min(merged.delaySeconds, link.delaySeconds);
            ++merged.mergedEdges;
            ++prov.parallelEdgesMerged;
            continue;
        }
        linkOfPair.emplace(key, links.size());
        links.push_back(link);
    }

    // 2. Which nodes stay: all, or those of the largest component (lowest node index on ties).
    std::vector<bool> keep(n, true);
    if (options.largestComponentOnly && n > 0)
    {
        std::vector<uint32_t> rank(n);
        std::vector<uint32_t> parent(n);
        boost::disjoint_sets<uint32_t*, uint32_t*> sets(rank.data(), parent.data());
        for (uint32_t i = 0; i < n; ++i)
        {
            sets.make_set(i);
        }
        for (const TopologyLink& l : links)
        {
            sets.union_set(l.a, l.b);
        }
        std::vector<uint32_t> size(n, 0);
        for (uint32_t i = 0; i < n; ++i)
        {
            ++size[sets.find_set(i)];
        }
        uint32_t best = sets.find_set(0);
        for (uint32_t i = 0; i < n; ++i)
        {
            uint32_t root = sets.find_set(i);
            if (size[root] > size[best])
            {
                best = root;
            }
        }
        for (uint32_t i = 0; i < n; ++i)
        {
            keep[i] = sets.find_set(i) == best;
            prov.nodesOutsideLargestComponent += keep[i] ? 0 : 1;
        }
    }

    // 3. Assemble, renumbering the kept nodes in their original order.
    AisfcTopology topo(m_name);
    std::vector<uint32_t> newIndex(n, 0);
    for (uint32_t i = 0; i < n; ++i)
    {
        if (keep[i])
        {
            newIndex[i] = topo.AddNode(m_nodes.GetNode(i));
        }
    }
    for (TopologyLink l : links)
    {
        if (keep[l.a] && keep[l.b])
        {
            l.a = newIndex[l.a];
            l.b = newIndex[l.b];
            topo.AddLink(l);
        }
    }
    topo.GetProvenance() = prov;
    return topo;
}

} // namespace ns3
