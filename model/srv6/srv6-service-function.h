/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef SRV6_SERVICE_FUNCTION_H
#define SRV6_SERVICE_FUNCTION_H

#include "ns3/aisfc-input-hook.h"
#include "ns3/callback.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <string>

namespace ns3
{

class Ipv6Route;

/**
 * \ingroup aisfc
 * An SR-unaware service function (a firewall, a NAT, a DPI box) on its own node, attached to an
 * SRv6 proxy (End.AS, End.AD, End.AM) by a link.  It sees plain packets, serves them one at a
 * time in arrival order (each takes ProcessingDelay), may change or drop them through a
 * processor callback, and sends every packet back to the proxy: it is a bump in the wire whose
 * only route is the way it came.  Installed as the highest-priority routing protocol of the
 * function's node so it sees every transit packet.
 */
class Srv6ServiceFunction : public AisfcInputHook
{
  public:
    /// Changes or drops a packet: false drops it.
    using Processor = Callback<bool, Ptr<Packet>, Ipv6Header&>;

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    Srv6ServiceFunction();
    ~Srv6ServiceFunction() override;

    /// \brief Set where packets go back: the interface towards the proxy and its address.
    void SetReturnPath(uint32_t interface, const Ipv6Address& proxyAddress);
    /// \brief Set what the function does to each packet.
    void SetProcessor(Processor processor);

    /// Counters of the function.
    struct Counters
    {
        uint64_t received = 0;                 //!< packets received
        uint64_t returned = 0;                 //!< packets sent back to the proxy
        uint64_t bytes = 0;                    //!< IPv6 bytes received
        std::map<std::string, uint64_t> drops; //!< dropped packets by reason
        uint64_t maxQueue = 0;                 //!< largest backlog seen (packets)
    };

    /// \brief \return the counters
    const Counters& GetCounters() const;

    // AisfcInputHook
    bool RouteInput(Ptr<const Packet> p,
                    const Ipv6Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const override;

  protected:
    void DoDispose() override;

  private:
    void Drop(const Ipv6Header& header, Ptr<const Packet> p, const std::string& reason);

    Ptr<Ipv6Route> m_return;
    uint32_t m_interface = 0;
    Ipv6Address m_proxyAddress;
    Processor m_processor;
    Time m_delay;
    uint32_t m_queueLimit = 1000;
    Time m_busyUntil;
    uint32_t m_backlog = 0;
    Counters m_counters;
    TracedCallback<const Ipv6Header&, Ptr<const Packet>, const std::string&> m_dropTrace;
};

} // namespace ns3

#endif // SRV6_SERVICE_FUNCTION_H
