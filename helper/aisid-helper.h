/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISID_HELPER_H
#define AISID_HELPER_H

#include "ns3/aisid-control.h"
#include "ns3/aisid-gateway.h"
#include "ns3/aisid-service-node.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{

class AisfcNetworkBuilder;
class Srv6Helper;

/**
 * \ingroup aisfc
 * Installs the AISID system on a network built by AisfcNetworkBuilder with SRv6 installed:
 * ingress and egress gateways on named topology nodes (the rest forward plain IPv6: their FIB
 * routes the AISID /64 towards the nearest ingress gateway), service nodes as stub nodes behind
 * egress gateways, and the control system on a node.  Each egress gateway gets the AISID SID
 * locator:0xA15D:: (End.DT6).
 */
class AisidHelper
{
  public:
    static constexpr uint16_t SID_FUNCTION = 0xA15D; //!< function of the egress AISID SID

    /// \brief Work on this network and SRv6 (kept by reference), AISIDs under `prefix`.
    AisidHelper(AisfcNetworkBuilder& network, Srv6Helper& srv6, uint64_t prefix);

    /// \brief Gateways: ingress and egress node names (a node may be both).
    void SetGateways(const std::vector<std::string>& ingress,
                     const std::vector<std::string>& egress);
    /// \brief Add a service node behind an egress gateway. \return its id
    uint32_t AddServiceNode(const std::string& egress,
                            double capacityTflops,
                            double linkRateBps,
                            double linkDelaySeconds);
    /// \brief Install everything; the control system runs on node `control`.
    void Install(const std::string& control);

    /// \brief \return the control system
    Ptr<AisidControl> GetControl() const;
    /// \brief \return the gateway on a node (null when none)
    Ptr<AisidGateway> GetGateway(const std::string& node) const;
    /// \brief \return service node `id`
    Ptr<AisidServiceNode> GetServiceNode(uint32_t id) const;
    /// \brief \return the ns-3 node of service node `id`
    Ptr<Node> GetServiceNodeNode(uint32_t id) const;
    /// \brief \return a client application installed on a topology node
    Ptr<AisidClient> AddClient(const std::string& node);

  private:
    uint32_t Index(const std::string& name, const std::string& place) const;

    AisfcNetworkBuilder& m_network;
    Srv6Helper& m_srv6;
    uint64_t m_prefix;
    std::vector<uint32_t> m_ingress;
    std::vector<uint32_t> m_egress;

    struct Service
    {
        uint32_t egress;
        double capacity;
        Ptr<Node> node;
        Ptr<AisidServiceNode> app;
        uint32_t interface; //!< the egress gateway's interface towards it
        Ipv6Address address;
    };

    std::vector<Service> m_services;
    std::map<uint32_t, Ptr<AisidGateway>> m_gateways;
    Ptr<AisidControl> m_control;
};

} // namespace ns3

#endif // AISID_HELPER_H
