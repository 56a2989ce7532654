/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_TOPOLOGY_BUILDER_H
#define AISFC_TOPOLOGY_BUILDER_H

#include "aisfc-topology.h"

#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/// Most nodes and edges a topology may have, whatever its source.  An ns-3 network of 10^5
/// nodes already takes gigabytes; a hostile 64 MiB GraphML file could otherwise ask for 10^6.
constexpr uint32_t AISFC_MAX_TOPOLOGY_NODES = 100000;
constexpr uint32_t AISFC_MAX_TOPOLOGY_EDGES = 1000000;

/**
 * \ingroup aisfc
 * How a source graph becomes an AisfcTopology; the same options serve every source.
 */
struct TopologyOptions
{
    bool keepParallelEdges = false;     //!< keep parallel edges as separate links
    bool largestComponentOnly = false;  //!< drop nodes outside the largest component
    double propagationSpeedMps = 2e8;   //!< signal speed for delays from coordinates
    double defaultCapacityBps = 1e9;    //!< capacity of edges whose source gives none
    double fallbackDelaySeconds = 1e-3; //!< delay of edges whose ends lack coordinates
};

/**
 * \ingroup aisfc
 * Collects the raw nodes and edges of a source (GraphML, JSON, generator) and applies the
 * shared rules once: self-loops dropped and counted, parallel edges merged (capacities added)
 * unless kept, missing capacities defaulted, delays from the geodesic distance between the
 * ends' coordinates (or the fallback), and optionally only the largest component kept.
 */
class TopologyBuilder
{
  public:
    /// \brief Start a topology called name.
    explicit TopologyBuilder(std::string name);

    /// \brief Add a node (its name must be new). \return its index
    /// \throws AisfcInputError beyond AISFC_MAX_TOPOLOGY_NODES
    uint32_t AddNode(TopologyNode node);
    /// \brief \return whether a node is called name
    bool HasNode(const std::string& name) const;
    /// \brief \return the index of the node called name; it must exist
    uint32_t NodeIndex(const std::string& name) const;
    /**
     * \brief Add an undirected edge.
     * \param a one end
     * \param b other end
     * \param capacityBps capacity, or nothing to use the default
     * \param delaySeconds delay, or nothing to derive it from the coordinates
     * \throws AisfcInputError beyond AISFC_MAX_TOPOLOGY_EDGES
     */
    void AddEdge(uint32_t a,
                 uint32_t b,
                 std::optional<double> capacityBps,
                 std::optional<double> delaySeconds);

    /// \brief Apply the rules and \return the topology.
    AisfcTopology Build(const TopologyOptions& options) const;

  private:
    struct Edge
    {
        uint32_t a;
        uint32_t b;
        std::optional<double> capacityBps;
        std::optional<double> delaySeconds;
    };

    std::string m_name;
    AisfcTopology m_nodes; //!< holds the nodes and the name index
    std::vector<Edge> m_edges;
};

/**
 * \ingroup aisfc
 * \brief Great-circle distance between two points on Earth (haversine, radius 6371 km).
 * \return metres
 */
double GeodesicDistanceMetres(double lat1, double lon1, double lat2, double lon2);

} // namespace ns3

#endif // AISFC_TOPOLOGY_BUILDER_H
