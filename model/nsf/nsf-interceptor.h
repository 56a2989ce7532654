/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef NSF_INTERCEPTOR_H
#define NSF_INTERCEPTOR_H

#include "ns3/aisfc-input-hook.h"

#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * What Linux's TPROXY does for a neural service function: packets to the chain's service
 * addresses, which are not the node's own, are delivered to the node's transport layer, so a
 * socket listening on the wildcard address terminates the connection as if it were the
 * destination (its replies carry the service address as their source).  An
 * AisfcInputHook at the head of the node's Ipv6ListRouting; everything else is left to the
 * protocols below.
 */
class NsfInterceptor : public AisfcInputHook
{
  public:
    static constexpr int16_t PRIORITY = 40; //!< ahead of every other protocol on the node

    /// \brief \return the TypeId
    static TypeId GetTypeId();

    /// \brief Intercept packets to this address.
    void AddServiceAddress(const Ipv6Address& address);
    /// \brief \return packets intercepted
    uint64_t GetIntercepted() const;

    bool RouteInput(Ptr<const Packet> p,
                    const Ipv6Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const override;

  private:
    std::vector<Ipv6Address> m_services;
    uint64_t m_intercepted = 0;
};

} // namespace ns3

#endif
