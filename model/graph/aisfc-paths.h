/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_PATHS_H
#define AISFC_PATHS_H

#include "aisfc-topology.h"

#include <functional>
#include <limits>
#include <optional>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * What a shortest path minimises.
 */
enum class PathMetric
{
    DELAY, //!< sum of link propagation delays
    HOPS,  //!< number of links
};

/// Cost of using a link (by link index); must be >= 0.
using LinkWeight = std::function<double(uint32_t link)>;

/// \brief \return the weight function of a metric over topo
LinkWeight MetricWeight(const AisfcTopology& topo, PathMetric metric);

/**
 * \ingroup aisfc
 * A loopless path: nodes[0] is the source, links[i] joins nodes[i] and nodes[i+1].
 */
struct TopologyPath
{
    std::vector<uint32_t> nodes; //!< node indices, source first
    std::vector<uint32_t> links; //!< link indices, one fewer than nodes
    double cost = 0;             //!< sum of link weights
};

/**
 * \ingroup aisfc
 * \brief Dijkstra from src to dst.
 * \return the path, or nothing when dst is unreachable
 */
std::optional<TopologyPath> ShortestPath(const AisfcTopology& topo,
                                         uint32_t src,
                                         uint32_t dst,
                                         const LinkWeight& weight);

/**
 * \ingroup aisfc
 * \brief Yen's k shortest loopless paths from src to dst, cheapest first (ties broken by
 * the node sequence, so the order is deterministic).
 * \return up to k paths
 */
std::vector<TopologyPath> KShortestPaths(const AisfcTopology& topo,
                                         uint32_t src,
                                         uint32_t dst,
                                         uint32_t k,
                                         const LinkWeight& weight);

/**
 * \ingroup aisfc
 * All-pairs shortest-path next hops: for every (from, to) the first link of a shortest path
 * and its cost.  One Dijkstra per destination; memory is nodes^2 x 12 bytes.
 */
class NextHopTable
{
  public:
    /// No link: from == to, or to is unreachable.
    static constexpr uint32_t NO_LINK = std::numeric_limits<uint32_t>::max();

    /// \brief Compute the table for topo under weight.
    NextHopTable(const AisfcTopology& topo, const LinkWeight& weight);

    /// \brief \return the first link on a shortest path from -> to, or NO_LINK
    uint32_t NextLink(uint32_t from, uint32_t to) const;
    /// \brief \return the cost of a shortest path from -> to (infinity if unreachable)
    double Distance(uint32_t from, uint32_t to) const;
    /// \brief \return the path from -> to by following next links (nothing if unreachable)
    std::optional<TopologyPath> Path(uint32_t from, uint32_t to) const;
    /**
     * \brief Every first link of a shortest path from -> to, in link order: the links l at
     * `from` whose far end w has weight(l) + Distance(w, to) == Distance(from, to) (to a
     * relative 1e-9, for sums of delays).  Empty when from == to or to is unreachable.
     */
    std::vector<uint32_t> EqualCostLinks(uint32_t from, uint32_t to) const;

  private:
    const AisfcTopology& m_topo;
    LinkWeight m_weight;
    uint32_t m_n;
    std::vector<uint32_t> m_nextLink; //!< [to * n + from]
    std::vector<double> m_distance;   //!< [to * n + from]
};

/**
 * \ingroup aisfc
 * \brief Number of connected components (isolated nodes count as components).
 */
uint32_t CountComponents(const AisfcTopology& topo);

/**
 * \ingroup aisfc
 * \brief Diameter in hops of the largest connected component (lowest node index on ties).
 */
uint32_t DiameterHops(const AisfcTopology& topo);

} // namespace ns3

#endif // AISFC_PATHS_H
