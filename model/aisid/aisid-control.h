/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISID_CONTROL_H
#define AISID_CONTROL_H

#include "aisid-codec.h"

#include "ns3/application.h"
#include "ns3/ipv6-address.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace ns3
{

class Socket;

/// \ingroup aisfc UDP port of AISID control signalling (gateways and service nodes listen).
constexpr uint16_t AISID_CONTROL_PORT = 5300;

/// \ingroup aisfc Lifecycle state of an AISID (the paper's Table 2).
enum class AisidServiceState : uint8_t
{
    ACTIVE = 0,         //!< registered, instances serve
    DECOMMISSIONED = 1, //!< refused: in-flight requests finish, new ones get DECOMMISSIONED
};

/// \ingroup aisfc One instance: a service node and the egress gateway in front of it.
struct AisidInstance
{
    uint32_t serviceNode = 0; //!< service node id (AisidHelper numbering)
    uint32_t egress = 0;      //!< topology node of its egress gateway

    /// \brief \return whether both fields equal
    bool operator==(const AisidInstance& o) const
    {
        return serviceNode == o.serviceNode && egress == o.egress;
    }
};

/**
 * \ingroup aisfc
 * A control message: the full current state of one AISID after event `seq` (idempotent; a
 * receiver ignores a sequence number not newer than the one it holds for that AISID).  Wire:
 * magic "AISC", seq (u32), AISID (16), state (u8), instance count (u16), per instance service
 * node (u32) and egress (u32).
 */
struct AisidControlMessage
{
    uint32_t seq = 0;                                    //!< event number
    AisidBytes aisid{};                                  //!< the service
    AisidServiceState state = AisidServiceState::ACTIVE; //!< its state
    std::vector<AisidInstance> instances;                //!< where it runs now

    /// \brief \return the wire bytes
    std::vector<uint8_t> Serialize() const;
    /// \brief \return the message, or nothing when the bytes are not one
    static std::optional<AisidControlMessage> Parse(const std::vector<uint8_t>& bytes);
};

/**
 * \ingroup aisfc
 * The AISID control system (an Application on a control node): the registry and lifecycle of
 * the paper's Table 2, with state pushed to gateways and service nodes as UDP messages over the
 * simulated network, so a gateway holds a stale view until its message arrives.
 *
 * - Register: an AISID with its instances; a duplicate AISID is refused (AisfcInputError).
 * - Query: the registered AISIDs that serve a request (AisidCodec::Matches).
 * - Migrate: an instance moves to another service node (make-before-break: the old node serves
 *   what stale gateways still send it for its DrainTime).
 * - Decommission: the AISID stays known as DECOMMISSIONED: requests already at a service node
 *   finish; gateways keep steering new requests to the last instances, which answer them with
 *   status DECOMMISSIONED (so the user is told, rather than timing out); gateways that have not
 *   yet heard steer as before and the request is refused at the node all the same.
 *
 * Every event gets a sequence number and a time; each receiver's NotifyApplied (called by the
 * gateway when it applies the message) gives the staleness window = apply time - event time.
 */
class AisidControl : public Application
{
  public:
    /// \brief \return the TypeId
    static TypeId GetTypeId();
    AisidControl();
    ~AisidControl() override;

    /// \brief Know a gateway (topology node) and its address.
    void AddGateway(uint32_t node, const Ipv6Address& address);
    /// \brief Know a service node: its id, address and the egress gateway in front of it.
    void AddServiceNode(uint32_t id, const Ipv6Address& address, uint32_t egress);

    /// \brief Register an AISID served by these service nodes. \return the event's seq;
    /// throws AisfcInputError("aisid", ...) for a duplicate, ("instances", ...) for an
    /// unknown service node or none
    uint32_t Register(const AisidBytes& aisid, const std::vector<uint32_t>& serviceNodes);
    /// \brief \return the registered AISIDs serving a request, ACTIVE ones only
    std::vector<std::pair<AisidBytes, std::vector<AisidInstance>>> Query(
        const AisidBytes& request) const;
    /// \brief Move the instance on service node `from` to `to`. \return the event's seq;
    /// throws AisfcInputError for an unknown AISID or instance
    uint32_t Migrate(const AisidBytes& aisid, uint32_t from, uint32_t to);
    /// \brief Decommission an AISID. \return the event's seq; throws for an unknown one
    uint32_t Decommission(const AisidBytes& aisid);
    /// \brief \return the state of an AISID, if registered
    std::optional<AisidServiceState> GetState(const AisidBytes& aisid) const;

    /// \brief A receiver (gateway node) applied event seq now.
    void NotifyApplied(uint32_t gateway, uint32_t seq);
    /// \brief \return the time of event seq
    Time GetEventTime(uint32_t seq) const;
    /// \brief \return per gateway, how long after event seq it applied it
    std::map<uint32_t, Time> GetStaleness(uint32_t seq) const;
    /// \brief \return control messages sent
    uint64_t GetMessagesSent() const;

  protected:
    void DoDispose() override;

  private:
    struct Entry
    {
        AisidServiceState state = AisidServiceState::ACTIVE;
        std::vector<AisidInstance> instances;
        std::vector<uint32_t> formerNodes; //!< service nodes to tell (migrated away)
    };

    void StartApplication() override;
    void StopApplication() override;
    uint32_t Event(const AisidBytes& aisid, std::vector<uint32_t> alsoTell);
    void Sync(uint32_t seq, AisidControlMessage message, std::vector<uint32_t> serviceNodes);
    const Entry& Find(const AisidBytes& aisid) const;

    Ptr<Socket> m_socket;
    bool m_started = false;
    std::vector<std::function<void()>> m_pending;
    std::map<uint32_t, Ipv6Address> m_gateways;
    std::map<uint32_t, std::pair<Ipv6Address, uint32_t>> m_serviceNodes;
    std::map<AisidBytes, Entry> m_registry;
    uint32_t m_seq = 0;
    std::map<uint32_t, Time> m_eventTimes;
    std::map<uint32_t, std::map<uint32_t, Time>> m_applied;
    uint64_t m_sent = 0;
};

} // namespace ns3

#endif // AISID_CONTROL_H
