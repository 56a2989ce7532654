/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef SRV6_HELPER_H
#define SRV6_HELPER_H

#include "ns3/ipv6-address.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/srv6-sid-table.h"

#include <cstdint>
#include <vector>

namespace ns3
{

class AisfcNetworkBuilder;
class Node;
class Srv6ServiceFunction;

/**
 * \ingroup aisfc
 * Installs SRv6 on a network built by AisfcNetworkBuilder.  Addressing plan (the builder's): the SR
 * domain's SID block is fd61:5336::/32 ("S6"); node i owns the locator fd61:5336:HHHH:LLLL::/64
 * with HHHH:LLLL = i + 1; a SID is locator:function::/80 (16 function bits, the remaining 48 bits
 * are the argument, ignored by matching).  Locators are routed like node addresses.
 */
class Srv6Helper
{
  public:
    static constexpr uint8_t BLOCK_LENGTH = 32;   //!< SID block
    static constexpr uint8_t LOCATOR_LENGTH = 64; //!< block + node
    static constexpr uint8_t SID_LENGTH = 80;     //!< locator + function
    static constexpr int16_t PRIORITY = 20;       //!< in Ipv6ListRouting, ahead of the FIB (10)

    /// An SR-unaware service function on its own node, attached to a proxy node.
    struct ServiceFunction
    {
        Ptr<Node> node;                    //!< the function's node
        Ptr<Srv6ServiceFunction> function; //!< what it does
        uint32_t proxyNode = 0;            //!< topology node it hangs off
        uint32_t proxyInterface = 0;       //!< the proxy's interface towards it
        Ipv6Address address;               //!< its address on that link
    };

    /// \brief Work on this network (kept by reference).
    explicit Srv6Helper(AisfcNetworkBuilder& network);

    /// \brief Put a SID table on every topology node, own and route each node's locator, and
    /// make each node address its encapsulation source.  The network must use aisfc routing.
    void Install();
    /// \brief \return the SID table of a topology node (after Install)
    Ptr<Srv6SidTable> GetSidTable(uint32_t node) const;

    /// \brief \return the SID block fd61:5336::
    static Ipv6Address Block();
    /// \brief \return the locator prefix of node i
    static Ipv6Address Locator(uint32_t node);
    /// \brief \return the SID locator(node):function::
    static Ipv6Address Sid(uint32_t node, uint16_t function);

    /// \brief Instantiate a SID on a node: the address and length of `config` are set from the
    /// plan. \return the SID
    Ipv6Address AddSid(uint32_t node, uint16_t function, Srv6SidConfig config);
    /// \brief \return a config whose adjacency (End.X, End.DX6) is the link from node to
    /// neighbour; throws std::out_of_range if they are not adjacent
    Srv6SidConfig Adjacency(uint32_t node, uint32_t neighbour) const;

    /// \brief Attach an SR-unaware function on a new node linked to `proxyNode`.
    ServiceFunction AttachServiceFunction(uint32_t proxyNode,
                                          Time processingDelay,
                                          double linkRateBps,
                                          Time linkDelay);
    /// \brief Instantiate a proxy SID (End.AS, End.AD, End.AD.flow, End.AM) for a function:
    /// IFACE-OUT/IN and S-ADDR come from the function's link. \return the SID
    Ipv6Address AddProxy(uint16_t function,
                         const ServiceFunction& serviceFunction,
                         Srv6SidConfig config);

  private:
    AisfcNetworkBuilder& m_network;
    std::vector<Ptr<Srv6SidTable>> m_tables;
};

} // namespace ns3

#endif // SRV6_HELPER_H
