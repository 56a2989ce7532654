/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_TOPOLOGY_H
#define AISFC_TOPOLOGY_H

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * Role of a node in the substrate; generators set it, Topology Zoo nodes are routers.
 */
enum class NodeRole
{
    ROUTER,
    CORE,
    AGGREGATION,
    EDGE,
    HOST,
    SERVER,
    SWITCH,
};

/// \brief \return the lower-case name of role ("core", "server", ...)
const char* NodeRoleName(NodeRole role);
/// \brief \return the role named name, or nothing when the name is unknown
std::optional<NodeRole> NodeRoleFromName(const std::string& name);

/**
 * \ingroup aisfc
 * A node of the substrate graph.
 */
struct TopologyNode
{
    std::string name;                 //!< unique name used by scenarios
    NodeRole role = NodeRole::ROUTER; //!< role in the network
    std::optional<double> latitude;   //!< degrees, when known
    std::optional<double> longitude;  //!< degrees, when known
};

/**
 * \ingroup aisfc
 * An undirected link of the substrate graph (one ns-3 point-to-point channel).
 */
struct TopologyLink
{
    uint32_t a = 0;           //!< one end (node index)
    uint32_t b = 0;           //!< other end (node index)
    double capacityBps = 0;   //!< data rate of each direction
    double delaySeconds = 0;  //!< propagation delay
    uint32_t mergedEdges = 1; //!< source edges merged into this link
};

/**
 * \ingroup aisfc
 * The substrate graph every package shares: named nodes with roles, links with capacity and
 * delay, and what loading did to the source (merged parallel edges, dropped self-loops).
 *
 * Nodes and links are numbered densely from 0 in insertion order; the Boost.Graph view uses
 * the same numbers (vertex index = node index, edge property = link index).
 */
class AisfcTopology
{
  public:
    /// Boost.Graph view: vertex i is node i, each edge carries its link index.
    using Graph = boost::adjacency_list<boost::vecS,
                                        boost::vecS,
                                        boost::undirectedS,
                                        boost::no_property,
                                        boost::property<boost::edge_index_t, uint32_t>>;

    /// What loading did to the source graph.
    struct Provenance
    {
        uint32_t sourceEdges = 0;                  //!< edges in the source, self-loops included
        uint32_t parallelEdgesMerged = 0;          //!< edges folded into an existing link
        uint32_t selfLoopsDropped = 0;             //!< edges from a node to itself
        uint32_t nodesOutsideLargestComponent = 0; //!< dropped by the largest-component option
        uint32_t edgesWithoutCoordinates = 0;      //!< edges that got the fallback delay
        uint32_t edgesWithoutSpeed = 0;            //!< edges that got the default capacity
    };

    AisfcTopology() = default;
    /// \brief Create an empty topology called name.
    explicit AisfcTopology(std::string name);

    /// \brief Add a node; its name must be new. \return its index
    uint32_t AddNode(TopologyNode node);
    /// \brief Add a link between existing nodes. \return its index
    uint32_t AddLink(TopologyLink link);

    /// \brief \return the topology's name
    const std::string& GetName() const;
    /// \brief \return the number of nodes
    uint32_t GetNNodes() const;
    /// \brief \return the number of links
    uint32_t GetNLinks() const;
    /// \brief \return node i
    const TopologyNode& GetNode(uint32_t i) const;
    /// \brief \return link i
    const TopologyLink& GetLink(uint32_t i) const;
    /// \brief \return the index of the node called name, or nothing
    std::optional<uint32_t> FindNode(const std::string& name) const;
    /// \brief \return the links attached to node i, in link order
    const std::vector<uint32_t>& GetLinksOf(uint32_t i) const;
    /// \brief \return the node at the other end of link from node
    uint32_t Opposite(uint32_t link, uint32_t node) const;
    /// \brief \return the Boost.Graph view
    const Graph& GetGraph() const;

    /// \brief \return what loading did to the source
    const Provenance& GetProvenance() const;
    /// \brief \return a mutable provenance for loaders
    Provenance& GetProvenance();

  private:
    std::string m_name;
    std::vector<TopologyNode> m_nodes;
    std::vector<TopologyLink> m_links;
    std::vector<std::vector<uint32_t>> m_linksOf;
    std::unordered_map<std::string, uint32_t> m_byName;
    Graph m_graph;
    Provenance m_provenance;
};

} // namespace ns3

#endif // AISFC_TOPOLOGY_H
