/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_NETWORK_BUILDER_H
#define AISFC_NETWORK_BUILDER_H

#include "ns3/aisfc-paths.h"
#include "ns3/aisfc-topology.h"
#include "ns3/ipv6-address.h"
#include "ns3/node-container.h"

#include <memory>
#include <vector>

namespace ns3
{

class AisfcRouting;
class PointToPointNetDevice;

/**
 * \ingroup aisfc
 * How AisfcNetworkBuilder turns a topology into ns-3 objects.
 */
struct NetworkOptions
{
    /// Which routing protocol carries the routes.
    enum class Routing
    {
        AISFC,      //!< AisfcRouting's hash FIB, ahead of Ipv6StaticRouting
        NS3_STATIC, //!< the plain ns-3 baseline: link routes in Ipv6StaticRouting
    };

    Routing routing = Routing::AISFC;             //!< routing protocol
    PathMetric routingMetric = PathMetric::DELAY; //!< what routes minimise
    bool equalCostMultipath = false;              //!< spread flows over equal-cost paths (aisfc)
    uint32_t queuePackets = 100;                  //!< DropTail size of each device queue
    bool duplicateAddressDetection = false;       //!< DAD sends traffic and delays addresses
};

/**
 * \ingroup aisfc
 * Builds an ns-3 network from an AisfcTopology: one node per topology node with an IPv6-only
 * stack, one point-to-point channel per link with the link's rate and delay, and routes from
 * the path library in each node's AisfcRouting (ahead of Ipv6StaticRouting in an
 * Ipv6ListRouting).
 *
 * Addressing plan (deterministic, from the topology's numbering only), inside the unique-local
 * block fd61:6973::/32 (ns-3 refuses to forward packets to the documentation prefix 2001:db8::/32):
 *  - node i owns the node address fd61:6973::(i+1)/128 on its loopback interface; traffic uses
 *    node addresses, so routes to them follow shortest paths exactly;
 *  - link l gets the prefix fd61:6973:H:L::/64 with H:L = l+1 as a 32-bit number; its end
 *    link.a is ::1 and link.b is ::2.
 * Every node has a /128 route to every other node and a /64 route to every link (towards the
 * nearer end).  Duplicate Address Detection is off unless asked for.
 *
 * The NS3_STATIC baseline is what a plain ns-3.37 script does: a network route to every link
 * /64 in each node's Ipv6StaticRouting (a list scanned for every packet), and no routes to node
 * addresses, so its traffic must go to interface addresses (GetLink()).
 */
class AisfcNetworkBuilder
{
  public:
    /// Devices and addresses of one link.
    struct LinkDevices
    {
        Ptr<PointToPointNetDevice> deviceA; //!< at link.a
        Ptr<PointToPointNetDevice> deviceB; //!< at link.b
        uint32_t interfaceA;                //!< IPv6 interface index at link.a
        uint32_t interfaceB;                //!< IPv6 interface index at link.b
        Ipv6Address addressA;               //!< ::1 of the link prefix
        Ipv6Address addressB;               //!< ::2 of the link prefix
    };

    /**
     * \brief Build the network (creates nodes, devices, addresses and routes).
     * \param topology the substrate (copied)
     * \param options build options
     */
    AisfcNetworkBuilder(const AisfcTopology& topology, const NetworkOptions& options);
    ~AisfcNetworkBuilder();

    /// \brief \return the topology the network was built from
    const AisfcTopology& GetTopology() const;
    /// \brief \return the build options (the routing metric decides which path packets take)
    const NetworkOptions& GetOptions() const;
    /// \brief \return all nodes; node i is topology node i
    const NodeContainer& GetNodes() const;
    /// \brief \return node i
    Ptr<Node> GetNode(uint32_t i) const;
    /// \brief \return the node address of node i
    Ipv6Address GetNodeAddress(uint32_t i) const;
    /// \brief \return devices and addresses of link l
    const LinkDevices& GetLink(uint32_t l) const;
    /// \brief \return the routing protocol of node i (null with the NS3_STATIC baseline)
    Ptr<AisfcRouting> GetRouting(uint32_t i) const;
    /// \brief \return the shortest paths the routes were computed from
    const NextHopTable& GetPaths() const;
    /// \brief \return routes installed in all nodes together (FIBs or static tables)
    size_t GetNRoutes() const;
    /// \brief \return estimated heap bytes of all FIBs together
    size_t GetFibMemoryBytes() const;

    /// \brief \return the node address of node index i in the plan (fd61:6973::(i+1))
    /**
     * A node outside the topology (a service function box, a host) hanging off a topology node
     * by its own link.  Its link takes the next link prefix after the topology's links.
     */
    struct StubNode
    {
        Ptr<Node> node;      //!< the stub
        uint32_t attachedTo; //!< topology node at the other end
        LinkDevices link;    //!< side A at the topology node, side B at the stub
    };

    /**
     * \brief Add a stub node linked to a topology node; the stub gets an IPv6 stack with the
     * same routing list as the other nodes, its on-link routes and a default route through
     * the topology node (so it answers any node, as a host would).
     * \param attachTo topology node index
     * \param rateBps link rate
     * \param delaySeconds link delay
     * \return the stub
     */
    const StubNode& AddStubNode(uint32_t attachTo, double rateBps, double delaySeconds);
    /// \brief \return the stubs added so far
    const std::vector<StubNode>& GetStubNodes() const;

    /**
     * \brief Route a prefix owned by a topology node from every other node (as node addresses
     * are routed): used for SRv6 locators and service prefixes.
     */
    void AddPrefixRoute(const Ipv6Address& prefix, uint8_t length, uint32_t owner);

    /// \brief \return the interface of `node` on the topology link towards `neighbour`, and
    /// the neighbour's address on it; throws std::out_of_range if they are not adjacent
    std::pair<uint32_t, Ipv6Address> GetAdjacency(uint32_t node, uint32_t neighbour) const;

    static Ipv6Address NodeAddress(uint32_t i);
    /// \brief \return the SRv6 locator of node i: fd61:5336:HHHH:LLLL::/64 with HHHH:LLLL = i + 1
    /// (fd61:5336::/32, "S6", is the SR domain's SID block)
    static Ipv6Address LocatorPrefix(uint32_t i);
    /// \brief \return the SID locator(i):function:: (16 function bits after the locator)
    static Ipv6Address SidAddress(uint32_t i, uint16_t function);
    /// \brief \return the /64 prefix of link index l in the plan
    static Ipv6Address LinkPrefix(uint32_t l);

  private:
    void CreateNodes();
    void CreateLinks();
    void InstallStacks(NodeContainer nodes);
    LinkDevices Connect(Ptr<Node> a, Ptr<Node> b, double rateBps, double delaySeconds, uint32_t l);
    void InstallRoutes();
    /// Routes prefix/length at node along the shortest path(s) towards node `towards`.
    void AddRoute(uint32_t node, const Ipv6Address& prefix, uint8_t length, uint32_t towards);

    AisfcTopology m_topology;
    NetworkOptions m_options;
    NodeContainer m_nodes;
    std::vector<Ptr<AisfcRouting>> m_routing;
    std::vector<LinkDevices> m_links;
    std::vector<StubNode> m_stubs;
    std::unique_ptr<NextHopTable> m_paths;
};

} // namespace ns3

#endif // AISFC_NETWORK_BUILDER_H
