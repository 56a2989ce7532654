/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISID_SERVICE_NODE_H
#define AISID_SERVICE_NODE_H

#include "aisid-codec.h"

#include "ns3/aisfc-input-hook.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv6-address.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class Packet;
class Socket;
class DnsStubResolver;

/// \ingroup aisfc Outcome of an AI service request, carried in the response header.
enum class AisidStatus : uint8_t
{
    OK = 0,             //!< computed and answered
    NOT_HOSTED = 1,     //!< the node hosts no instance matching the request
    DECOMMISSIONED = 2, //!< the service was decommissioned before the request arrived
    FAILED = 3,         //!< client side: no connection, no resolution or a bad response
};

/// \ingroup aisfc \brief \return "ok", "not-hosted", "decommissioned" or "failed"
std::string AisidStatusName(AisidStatus status);

/**
 * \ingroup aisfc
 * The request header a client sends first on its TCP connection (48 bytes, network order):
 * magic "AIRQ", request id, the requested AISID (16 bytes), compute demand in micro-TFLOP
 * (u64), payload bytes that follow (u32), response bytes wanted (u32), 8 reserved bytes.
 */
struct AisidRequestHeader
{
    static constexpr uint32_t SIZE = 48;          //!< bytes on the wire
    static constexpr uint32_t MAGIC = 0x41495251; //!< "AIRQ"
    uint32_t requestId = 0;                       //!< chosen by the client
    AisidBytes aisid{};                           //!< the service asked for
    double demandTflop = 0;                       //!< compute demand (TFLOP)
    uint32_t payloadBytes = 0;                    //!< bytes after the header
    uint32_t responseBytes = 0;                   //!< response body bytes wanted

    /// \brief \return the wire bytes
    std::vector<uint8_t> Serialize() const;
    /// \brief \return the header in `SIZE` bytes, or nothing when the magic is wrong
    static std::optional<AisidRequestHeader> Parse(const uint8_t* data);
};

/**
 * \ingroup aisfc
 * The response header a service node sends first (48 bytes): magic "AIRS", request id, status
 * (u32), response body bytes that follow (u32), then the node's timestamps in ns of simulated
 * time (i64): arrival of the last request byte, compute start, compute end; 8 reserved bytes.
 */
struct AisidResponseHeader
{
    static constexpr uint32_t SIZE = 48;          //!< bytes on the wire
    static constexpr uint32_t MAGIC = 0x41495253; //!< "AIRS"
    uint32_t requestId = 0;                       //!< of the request
    AisidStatus status = AisidStatus::OK;         //!< outcome
    uint32_t responseBytes = 0;                   //!< body bytes after the header
    Time arrival;                                 //!< last request byte received
    Time start;                                   //!< compute started
    Time end;                                     //!< compute ended (= arrival when refused)

    /// \brief \return the wire bytes
    std::vector<uint8_t> Serialize() const;
    /// \brief \return the header in `SIZE` bytes, or nothing when the magic is wrong
    static std::optional<AisidResponseHeader> Parse(const uint8_t* data);
};

/// \ingroup aisfc What a service node keeps of each request.
struct AisidRequestRecord
{
    uint32_t requestId = 0;               //!< client's id
    AisidBytes aisid{};                   //!< requested AISID
    double demandTflop = 0;               //!< compute demand
    uint32_t payloadBytes = 0;            //!< request payload
    uint32_t responseBytes = 0;           //!< response body
    AisidStatus status = AisidStatus::OK; //!< outcome
    Time arrival;                         //!< last request byte received
    Time start;                           //!< compute started
    Time end;                             //!< compute ended
    Time sent;                            //!< last response byte handed to TCP
};

/**
 * \ingroup aisfc
 * A service node: compute of a given capacity (TFLOPS) serving AI requests over TCP one at a
 * time from a FIFO queue; a request of demand D TFLOP computes for D / capacity seconds.
 *
 * Instances are the AISIDs the node hosts.  The node answers packets whose destination is one
 * of them (an input hook in its routing list delivers them locally), so an egress gateway
 * hands it a request without rewriting the destination and the node's answers carry the AISID
 * as source (End.DX6 semantics: the AISID acts as an anycast address of its instances).  A
 * request whose AISID matches (AisidCodec::Matches) no ACTIVE instance is answered at once with
 * NOT_HOSTED or DECOMMISSIONED; requests already queued or computing when the service is
 * decommissioned finish normally.  An instance that migrates away keeps serving for DrainTime
 * after the node is told, so requests steered by gateways with a stale view are still served.
 */
class AisidServiceNode : public Application
{
  public:
    /// Instance states.
    enum class InstanceState
    {
        ACTIVE,         //!< serving
        DECOMMISSIONED, //!< refusing (DECOMMISSIONED)
    };

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    AisidServiceNode();
    ~AisidServiceNode() override;

    /// \brief Set the id control messages name this node by (AisidHelper numbering).
    void SetId(uint32_t id);
    /// \brief Host (or re-activate) an instance of an AISID.
    void HostInstance(const AisidBytes& aisid);
    /// \brief Mark an instance decommissioned: new requests are refused, queued ones finish.
    void DecommissionInstance(const AisidBytes& aisid);
    /// \brief Stop hosting an instance after DrainTime (migration away).
    void RemoveInstance(const AisidBytes& aisid);
    /// \brief \return whether packets to this address are the node's (any hosted instance)
    bool IsHosted(const Ipv6Address& address) const;

    /// \brief \return compute capacity in TFLOPS
    double GetCapacityTflops() const;
    /// \brief \return requests computing (0 or 1) plus queued: the load reported for scheduling
    uint32_t GetLoad() const;
    /// \brief \return queued requests
    uint32_t GetQueued() const;
    /// \brief \return busy fraction of the time since start
    double GetUtilisation() const;
    /// \brief \return every request finished so far, in completion order
    const std::vector<AisidRequestRecord>& GetRecords() const;
    /// \brief \return TFLOP computed so far
    double GetComputedTflop() const;

  protected:
    void DoDispose() override;

  private:
    struct Connection
    {
        std::vector<uint8_t> head;             //!< header bytes so far
        std::optional<AisidRequestHeader> req; //!< parsed header
        uint64_t payloadLeft = 0;              //!< payload bytes still to come
        uint64_t toSend = 0;                   //!< response bytes still to hand to TCP
        std::vector<uint8_t> pendingHeader;    //!< response header not yet handed to TCP
        size_t record = 0;                     //!< index in m_records when answering
    };

    void StartApplication() override;
    void StopApplication() override;
    void Accept(Ptr<Socket> socket, const Address& from);
    void HandleControl(Ptr<Socket> socket);
    void HandleRead(Ptr<Socket> socket);
    void Arrived(Ptr<Socket> socket);
    void StartNext();
    void Computed();
    void Respond(Ptr<Socket> socket, AisidRequestRecord record);
    void Push(Ptr<Socket> socket, uint32_t available);
    std::optional<InstanceState> Serving(const AisidBytes& requested) const;

    uint16_t m_port = 9000;
    double m_capacity = 100;
    Time m_drainTime;
    Ptr<Socket> m_listen;
    Ptr<Socket> m_control;
    uint32_t m_id = 0;
    std::map<Ptr<Socket>, Connection> m_connections;
    std::map<AisidBytes, InstanceState> m_instances;
    std::deque<std::pair<Ptr<Socket>, AisidRequestRecord>> m_queue;
    std::optional<std::pair<Ptr<Socket>, AisidRequestRecord>> m_current;
    EventId m_computeEvent;
    std::vector<AisidRequestRecord> m_records;
    Time m_busy;
    Time m_startedAt;
    double m_computed = 0;
    TracedCallback<const AisidRequestRecord&> m_requestTrace;
};

/// \ingroup aisfc One request of an AisidClient and what the client measured.
struct AisidClientRequest
{
    uint32_t id = 0;                    //!< request id (index at the client)
    Time at;                            //!< when to start
    std::optional<Ipv6Address> address; //!< AISID (or plain address) to connect to
    std::string name;                   //!< DNS name to resolve first (when no address)
    uint16_t port = 9000;               //!< service port
    double demandTflop = 1;             //!< compute demand
    uint32_t payloadBytes = 0;          //!< request payload
    uint32_t responseBytes = 0;         //!< response body wanted

    AisidStatus status = AisidStatus::FAILED; //!< outcome (FAILED until answered)
    bool done = false;                        //!< the last response byte arrived (or failed)
    Ipv6Address connectedTo;                  //!< address the connection went to
    Time first;            //!< first packet: DNS query, or SYN when there is no resolution
    Time resolved;         //!< resolution done (= first for AISIDs)
    Time connected;        //!< TCP connection established
    Time arrival;          //!< service node: last request byte received
    Time start;            //!< service node: compute started
    Time end;              //!< service node: compute ended
    Time last;             //!< last response byte received
    uint64_t received = 0; //!< response bytes received, header included

    /// \brief \return resolution and steering: first packet to connection established (DNS
    /// lookup plus TCP handshake through the gateways)
    Time Steering() const
    {
        return connected - first;
    }

    /// \brief \return connection established to the last request byte at the service node
    Time Transfer() const
    {
        return arrival - connected;
    }

    /// \brief \return time in the service node's queue
    Time Queueing() const
    {
        return start - arrival;
    }

    /// \brief \return compute time
    Time Compute() const
    {
        return end - start;
    }

    /// \brief \return compute end to the last response byte at the client
    Time Return() const
    {
        return last - end;
    }

    /// \brief \return first packet to last response byte (the sum of the five parts)
    Time ResponseTime() const
    {
        return last - first;
    }
};

/**
 * \ingroup aisfc
 * A client issuing AI service requests over TCP, one connection per request: to an AISID
 * directly (gateways steer it), or to a DNS name resolved first by a DnsStubResolver (the
 * baseline).  It sends the request header and payload, reads the response header and body,
 * and records the timestamps behind the response-time breakdown.
 */
class AisidClient : public Application
{
  public:
    /// \brief \return the TypeId
    static TypeId GetTypeId();
    AisidClient();
    ~AisidClient() override;

    /// \brief Add a request (before the application starts). \return its id
    uint32_t AddRequest(AisidClientRequest request);
    /// \brief Resolve names with this stub (set up on the client's node).
    void SetResolver(Ptr<DnsStubResolver> resolver);
    /// \brief \return every request with its measurements
    const std::vector<AisidClientRequest>& GetRequests() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void Begin(uint32_t id);
    void Connect(uint32_t id, const Ipv6Address& to);
    void Push(Ptr<Socket> socket, uint32_t available);
    void HandleRead(Ptr<Socket> socket);
    void Fail(uint32_t id);

    struct Connection
    {
        uint32_t id = 0;
        uint64_t toSend = 0;
        std::vector<uint8_t> pendingHeader;
        std::vector<uint8_t> head;
        uint64_t expected = 0;
    };

    std::vector<AisidClientRequest> m_requests;
    std::map<Ptr<Socket>, Connection> m_connections;
    Ptr<DnsStubResolver> m_resolver;
    TracedCallback<const AisidClientRequest&> m_doneTrace;
};

/**
 * \ingroup aisfc
 * The input hook on a service node's routing list that delivers packets to the AISIDs it
 * hosts locally (ahead of the FIB, which would send them back towards the gateway).
 */
class AisidHostHook : public AisfcInputHook
{
  public:
    /// \brief \return the TypeId
    static TypeId GetTypeId();
    /// \brief Deliver packets whose destination this says is hosted.
    void SetHosted(std::function<bool(const Ipv6Address&)> hosted);

    bool RouteInput(Ptr<const Packet> p,
                    const Ipv6Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;

  private:
    std::function<bool(const Ipv6Address&)> m_hosted;
};

} // namespace ns3

#endif // AISID_SERVICE_NODE_H
