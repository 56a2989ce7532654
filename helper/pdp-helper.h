/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PDP_HELPER_H
#define PDP_HELPER_H

#include "ns3/ipv6-address.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/pdp-memory-accountant.h"
#include "ns3/ptr.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{

class AisfcNetworkBuilder;
class Node;
class PdpController;
class PdpMemoryServer;
class PdpServer;
class PdpSwitch;
class Srv6Helper;

/**
 * \ingroup aisfc
 * Makes a built SRv6 network programmable: a PdpSwitch (with its external-memory controller)
 * on every topology node that is neither a host nor a server, a PdpServer on every server, memory
 * servers on stub links, and one PdpController that manages them all, with every SID table as a
 * headend whose policies follow migrations.  Attributes of the created objects come from their
 * defaults (Config::SetDefault, --ns3::PdpSwitch::...) unless set here, as in ns-3's helpers.
 */
class PdpHelper
{
  public:
    /// \brief Work on this network and its SRv6 (both installed; kept by reference).
    PdpHelper(AisfcNetworkBuilder& network, Srv6Helper& srv6);
    ~PdpHelper();

    /// \brief Set an attribute of the switches Install creates.
    void SetSwitchAttribute(const std::string& name, const AttributeValue& value);
    /// \brief Set an attribute of the switches' external-memory controllers.
    void SetExternalMemoryAttribute(const std::string& name, const AttributeValue& value);
    /// \brief Set an attribute of the controller.
    void SetControllerAttribute(const std::string& name, const AttributeValue& value);
    /// \brief Set an attribute of the memory servers AddMemoryServer creates.
    void SetMemoryServerAttribute(const std::string& name, const AttributeValue& value);

    /// \brief Install switches with this memory budget and servers with this many bytes.
    void Install(const PdpMemoryBudget& switchBudget, uint64_t serverBytes);
    /// \brief Attach a memory server to a switch over a new link; the switch's external
    /// memory reads from it. \return the memory server application
    Ptr<PdpMemoryServer> AddMemoryServer(uint32_t switchNode, double rateBps, Time delay);

    /// \brief \return the switch on a topology node, or nullptr
    Ptr<PdpSwitch> GetSwitch(uint32_t node) const;
    /// \brief \return the server on a topology node, or nullptr
    Ptr<PdpServer> GetServer(uint32_t node) const;
    /// \brief \return the controller
    Ptr<PdpController> GetController() const;
    /// \brief \return a fresh function SID on a node (functions 0x100, 0x101, ... of its
    /// locator)
    Ipv6Address NextFunctionSid(uint32_t node);

  private:
    AisfcNetworkBuilder& m_network;
    Srv6Helper& m_srv6;
    std::vector<Ptr<PdpSwitch>> m_switches; //!< by topology node (nullptr for servers)
    std::vector<Ptr<PdpServer>> m_servers;  //!< by topology node (nullptr for switches)
    Ptr<PdpController> m_controller;
    ObjectFactory m_switchFactory;
    ObjectFactory m_externalFactory;
    ObjectFactory m_controllerFactory;
    ObjectFactory m_memoryServerFactory;
    std::map<uint32_t, uint16_t> m_nextFunction;
};

} // namespace ns3

#endif
