/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISID_GATEWAY_H
#define AISID_GATEWAY_H

#include "aisid-control.h"

#include "ns3/aisfc-input-hook.h"
#include "ns3/nstime.h"

#include <functional>
#include <map>
#include <tuple>
#include <vector>

namespace ns3
{

class AisidServiceNode;
class Node;
class Socket;

/**
 * \ingroup aisfc
 * An AISID gateway: an input hook in a topology node's routing list, ahead of the SID table.
 *
 * Ingress: a packet whose destination carries the AISID prefix is a service request.  Its flow
 * (source, ports, AISID) is pinned to an egress gateway chosen by level-1 routing among the
 * egress gateways of the AISID's instances in this gateway's view: least path delay, ties
 * (within 1 us) broken by the egresses' load (active+queued requests over capacity), then by
 * node index.  The packet is H.Encaps'ed (outer source: this node; SRH with the egress
 * gateway's AISID SID, End.DT6) and routed on.
 *
 * Egress: after the SID decapsulates, the inner packet comes back through the node's routing
 * to this hook; a flow is pinned to one local service node chosen by weighted least
 * connections (connections = flows pinned here to the node and not yet ended, as LVS counts
 * them, or the node's reported active+queued requests if more; weight = capacity; ties to the
 * lower reported load, then the lower id) and sent on the adjacency to that node
 * with the AISID still as destination (End.DX6-like).  The node answers with the AISID as
 * source over plain IPv6 routes, so responses need no gateway.
 *
 * A gateway that is both ingress and egress for an AISID serves it locally.  A pinned flow
 * ends on a FIN or RST from the client, or after FlowIdleTimeout.  View updates arrive as
 * AisidControlMessage datagrams on AISID_CONTROL_PORT; packets for an AISID with no instance
 * in the view are dropped (counter "no-instance").
 */
class AisidGateway : public AisfcInputHook
{
  public:
    /// A service node behind this (egress) gateway.
    struct LocalServiceNode
    {
        uint32_t id = 0;           //!< service node id
        uint32_t interface = 0;    //!< this node's interface towards it
        Ipv6Address nextHop;       //!< its address on that link
        Ptr<AisidServiceNode> app; //!< its application (load report)
    };

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    AisidGateway();
    ~AisidGateway() override;

    /// \brief Identity: topology node, AISID prefix, roles, encapsulation source.
    void Configure(uint32_t node, uint64_t prefix, bool ingress, bool egress, Ipv6Address source);
    /// \brief The AISID SID (End.DT6) of an egress gateway and the path delay to it.
    void AddEgress(uint32_t egress, const Ipv6Address& sid, double delaySeconds);
    /// \brief The load an egress gateway reports (level-1 tie-break).
    void SetEgressLoad(std::function<double(uint32_t egress)> load);
    /// \brief A service node behind this gateway.
    void AddLocalServiceNode(const LocalServiceNode& node);
    /// \brief \return load of this egress: sum over local nodes of load / sum of capacities
    double GetLocalLoad() const;
    /// \brief Open the control socket on the node.
    void Start(Ptr<Node> node);
    /// \brief Called with (gateway node, seq) whenever a control message is applied.
    void SetAppliedCallback(std::function<void(uint32_t, uint32_t)> applied);

    /// \brief \return the egress chosen for each flow so far (flows counted once)
    const std::map<uint32_t, uint64_t>& GetEgressChoices() const;
    /// \brief \return the local service node chosen per flow so far
    const std::map<uint32_t, uint64_t>& GetNodeChoices() const;
    /// \brief \return counters by event ("encapsulated", "delivered", "no-instance", ...)
    const std::map<std::string, uint64_t>& GetCounters() const;
    /// \brief \return the state and instances this gateway believes, if it knows the AISID
    std::optional<AisidControlMessage> GetView(const AisidBytes& aisid) const;

    bool RouteInput(Ptr<const Packet> p,
                    const Ipv6Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;

  protected:
    void DoDispose() override;

  private:
    using FlowKey = std::tuple<Ipv6Address, uint16_t, Ipv6Address, uint16_t, uint8_t>;

    struct Flow
    {
        bool local = false;  //!< to a local service node (else to an egress)
        uint32_t target = 0; //!< service node id or egress node
        Time lastSeen;       //!< for the idle timeout
    };

    void HandleControl(Ptr<Socket> socket);
    /// Send a packet of a pinned flow on: to its local service node, or encapsulated to its
    /// egress gateway.
    bool Forward(Ptr<const Packet> p,
                 const Ipv6Header& header,
                 Ptr<const NetDevice> idev,
                 UnicastForwardCallback ucb,
                 MulticastForwardCallback mcb,
                 LocalDeliverCallback lcb,
                 ErrorCallback ecb,
                 const Flow& f);
    std::optional<uint32_t> PickEgress(const AisidControlMessage& view) const;
    std::optional<uint32_t> PickLocal(const AisidControlMessage& view) const;
    uint32_t Connections(uint32_t serviceNode) const;

    uint32_t m_node = 0;
    uint64_t m_prefix = 0;
    bool m_ingress = false;
    bool m_egress = false;
    Ipv6Address m_source;
    Time m_idle;
    std::map<uint32_t, std::pair<Ipv6Address, double>> m_egresses;
    std::function<double(uint32_t)> m_egressLoad;
    std::map<uint32_t, LocalServiceNode> m_local;
    std::map<AisidBytes, AisidControlMessage> m_view;
    std::map<FlowKey, Flow> m_flows;
    /// Connections the client has closed (FIN or RST seen): their last segments (the ACK of
    /// the server's FIN) follow the same target, but they no longer count as connections.
    std::map<FlowKey, Flow> m_closing;
    std::map<uint32_t, uint64_t> m_egressChoices;
    std::map<uint32_t, uint64_t> m_nodeChoices;
    std::map<std::string, uint64_t> m_counters;
    Ptr<Socket> m_socket;
    std::function<void(uint32_t, uint32_t)> m_applied;
};

} // namespace ns3

#endif // AISID_GATEWAY_H
