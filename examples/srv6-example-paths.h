/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Path choices shared by the SRv6 examples: they place segments on the routing's own shortest
// paths, so an SRv6 run and its plain-IPv6 twin cross the same links.
#ifndef SRV6_EXAMPLE_PATHS_H
#define SRV6_EXAMPLE_PATHS_H

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-paths.h"
#include "ns3/aisfc-topology.h"

#include <string>
#include <vector>

namespace ns3
{

/// The shortest path (by delay, as the routing) with the most hops; ties go to the lowest indices.
inline TopologyPath
LongestShortestPath(const AisfcTopology& topo)
{
    NextHopTable paths(topo, MetricWeight(topo, PathMetric::DELAY));
    TopologyPath best;
    for (uint32_t u = 0; u < topo.GetNNodes(); ++u)
    {
        for (uint32_t v = u + 1; v < topo.GetNNodes(); ++v)
        {
            auto p = paths.Path(u, v);
            if (p && p->nodes.size() > best.nodes.size())
            {
                best = *p;
            }
        }
    }
    return best;
}

/// `count` nodes spread evenly over the inside of a path (source and destination excluded).
inline std::vector<uint32_t>
Waypoints(const TopologyPath& path, uint32_t count, const std::string& option)
{
    uint32_t inner = path.nodes.size() - 2;
    if (path.nodes.size() < 2 || inner < count)
    {
        throw AisfcInputError(option,
                              "the longest shortest path has " + std::to_string(path.links.size()) +
                                  " hops; " + std::to_string(count + 1) + " are needed");
    }
    std::vector<uint32_t> out;
    for (uint32_t k = 1; k <= count; ++k)
    {
        out.push_back(path.nodes[(k * (inner + 1)) / (count + 1)]);
    }
    return out;
}

} // namespace ns3

#endif // SRV6_EXAMPLE_PATHS_H
