/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PDP_RDMA_CLIENT_H
#define PDP_RDMA_CLIENT_H

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/ipv6-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <string>

namespace ns3
{

class Address;
class Node;
class Packet;
class Socket;

/**
 * \ingroup aisfc
 * The RDMA side of a switch's external-memory controller: issues RDMA READs over RoCEv2 to
 * memory servers (PdpMemoryServer) and matches their responses, as the TEA switch does when a
 * table entry lives in a server's DRAM.
 *
 * Requests leave at once: the client does not pace them, so the server's rate limit and the
 * links are where queueing shows, as with TEA's switch which issues a READ per packet.  There
 * is one reliable connection (QP) per server, numbered FirstQpn, FirstQpn + 1, ... in the order
 * servers are first read; PSNs count from 0 per QP and match responses to requests.  A read
 * completes with ok = true and the data on a READ Response of the right length, with ok =
 * false on a NAK or when Timeout passes; other responses are counted as bad and ignored, so a
 * read that only gets a bad response times out.  No retransmission: a switch falls back to its
 * slow path instead of waiting for RoCE recovery.
 *
 * reads = completed + naks + timeouts + outstanding.
 */
class PdpRdmaClient : public Object
{
  public:
    /// Completion of a read: ok, latency from Read() to completion, the data (null unless ok).
    using ReadCallback = Callback<void, bool, Time, Ptr<Packet>>;
    /// Signature of the "Latency" trace: latency of a read that completed with data.
    typedef void (*LatencyTracedCallback)(Time latency);
    /// Signature of the "BadResponse" trace: a datagram that completed no read, and why.
    typedef void (*BadResponseTracedCallback)(Ptr<const Packet> packet, const std::string& reason);

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    PdpRdmaClient();
    ~PdpRdmaClient() override;

    /**
     * \brief Open the client's UDP socket (IPv6, ephemeral port) on a node.  Call once, before
     * Read().
     * \param node the switch (or its controller's) node
     */
    void Setup(Ptr<Node> node);

    /**
     * \brief Send an RDMA READ Request now.
     * \param server the memory server's address
     * \param address the virtual address to read
     * \param length bytes to read
     * \param done called once, on response, NAK or timeout
     */
    void Read(const Ipv6Address& server, uint64_t address, uint32_t length, ReadCallback done);

    /// \brief \return the QP number used towards server, or 0 if it was never read
    uint32_t GetQpn(const Ipv6Address& server) const;
    /// \brief \return the local UDP port (0 before Setup())
    uint16_t GetLocalPort() const;
    /// \brief \return READ requests sent
    uint64_t GetReads() const;
    /// \brief \return reads completed with data
    uint64_t GetCompleted() const;
    /// \brief \return reads that timed out
    uint64_t GetTimeouts() const;
    /// \brief \return reads answered with a NAK
    uint64_t GetNaks() const;
    /// \brief \return datagrams received that completed no read
    uint64_t GetBadResponses() const;
    /// \brief \return reads not completed yet
    uint64_t GetOutstanding() const;

  protected:
    void DoDispose() override;

  private:
    /// A reliable connection to one server.
    struct Qp
    {
        uint32_t qpn = 0;
        uint32_t nextPsn = 0;
    };

    /// A read waiting for its response.
    struct Pending
    {
        Ipv6Address server;
        uint32_t length = 0;
        Time start;
        EventId timeout;
        ReadCallback done;
    };

    static uint64_t Key(uint32_t qpn, uint32_t psn);
    void HandleRead(Ptr<Socket> socket);
    void Receive(Ptr<Packet> packet, const Address& from);
    void Expire(uint64_t key);
    void Bad(Ptr<const Packet> packet, const std::string& reason);

    // Attributes
    Time m_timeout;
    uint16_t m_remotePort;
    uint32_t m_firstQpn;
    uint16_t m_pkey;
    uint32_t m_rkey;

    Ptr<Socket> m_socket;
    uint16_t m_localPort = 0;
    std::map<Ipv6Address, Qp> m_qps;
    std::map<uint64_t, Pending> m_pending; //!< by Key(qpn, psn)

    uint64_t m_reads = 0;
    uint64_t m_completed = 0;
    uint64_t m_timeouts = 0;
    uint64_t m_naks = 0;
    uint64_t m_badResponses = 0;

    TracedCallback<Time> m_latencyTrace;
    TracedCallback<Ptr<const Packet>, const std::string&> m_badResponseTrace;
};

} // namespace ns3

#endif // PDP_RDMA_CLIENT_H
