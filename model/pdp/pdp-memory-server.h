/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PDP_MEMORY_SERVER_H
#define PDP_MEMORY_SERVER_H

#include "pdp-rdma-header.h"

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/ipv6-address.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace ns3
{

class Socket;
class Packet;

/**
 * \ingroup aisfc
 * A memory server that holds switch table entries in its DRAM and answers RDMA READs over
 * RoCEv2, as in TEA (Kim et al., SIGCOMM 2020): a switch keeps the tables it cannot fit in
 * SRAM/TCAM in servers' DRAM and reads them with one-sided RDMA READ.
 *
 * Each valid READ Request (UDP to Port) goes through:
 * - a FIFO service limited to MaxLookupRate: within a busy period that began at T0, request n
 *   starts at T0 + ceil(n / rate) (rounded up to the time resolution), so consecutive starts
 *   are 1/rate apart on average without rounding errors adding up (TEA reports 138 M
 *   lookups/s from 8 servers, linear in servers: about 17 M per server);
 * - a bounded wait: a request that would have to wait while QueueLimit others are already
 *   waiting is dropped ("server-overload") without a response, standing for the RNIC's
 *   finite request buffering: the requester times out;
 * - AccessLatency (RNIC processing, PCIe round trip, DRAM access) after its start, then a READ
 *   Response Only carrying DMA length bytes of memory to the requester's address and port,
 *   with the request's QPN and PSN.  With the default 1.8 us and a 100 Gbps, 50 ns link the
 *   round trip seen by the switch is about 1.92 us (two 50 ns propagations, 6.6 ns and ~11 ns
 *   of serialisation for a 64-byte entry), inside TEA's measured 1.8-2.2 us.
 *
 * The memory is [0, MemoryBytes) in virtual addresses; R_Key and P_Key are not checked.  A read
 * beyond MemoryBytes is dropped ("out-of-range") and answered with a NAK (remote access
 * error), a read longer than MaxReadLength (the path MTU: responses are single packets) with a
 * NAK (invalid request, "too-long"); MaxReadLength defaults to 1024, the RoCE path MTU under a
 * 1500-byte IP MTU.  NAKs are sent at once: checking a range needs no DRAM access.  Memory contents
 * are Contents(): a deterministic function of the address, so tests and users can check the bytes
 * without storing gigabytes.
 *
 * The model keeps one QP number per connection on both ends (the response carries the
 * request's Dest QP), as no connection setup is modelled.
 */
class PdpMemoryServer : public Application
{
  public:
    /// Signature of the "Request" trace: a valid READ request and who sent it.
    typedef void (*RequestTracedCallback)(const PdpRdmaHeader& request, const Address& from);
    /// Signature of the "Response" trace: a READ response (or NAK) and where it goes.
    typedef void (*ResponseTracedCallback)(const PdpRdmaHeader& response, const Address& to);
    /// Signature of the "Drop" trace: a UDP payload not answered with data, and why.
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet,
                                       const Address& from,
                                       const std::string& reason);
    /// Signature of the "QueueDelay" trace: the time an accepted request waits for service.
    typedef void (*QueueDelayTracedCallback)(Time delay);

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    PdpMemoryServer();
    ~PdpMemoryServer() override;

    /**
     * \brief The memory contents: byte a is byte (a mod 8), least significant first, of output
     * number (a div 8), counted from 0, of a splitmix64 generator seeded with 0.  Every address
     * has one value, so overlapping reads agree, and output w is computed directly (the
     * generator's state before it is w times its increment).
     * \param address the first virtual address
     * \param length bytes to read
     * \return the bytes at [address, address + length)
     */
    static std::vector<uint8_t> Contents(uint64_t address, uint32_t length);

    /// \brief \return UDP datagrams received on Port
    uint64_t GetReceived() const;
    /// \brief \return valid READ requests received (accepted or not)
    uint64_t GetRequests() const;
    /// \brief \return READ responses sent
    uint64_t GetResponses() const;
    /// \brief \return NAKs sent
    uint64_t GetNaks() const;
    /// \brief \return datagrams not answered with data, for one reason ("malformed",
    /// "not-a-request", "server-overload", "out-of-range", "too-long", "send-failed",
    /// "stopped")
    uint64_t GetDrops(const std::string& reason) const;
    /// \brief \return all drop counts by reason
    const std::map<std::string, uint64_t>& GetDropCounts() const;
    /// \brief \return requests accepted whose response is not sent yet
    uint64_t GetInService() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    void HandleRead(Ptr<Socket> socket);
    void Serve(Ptr<Packet> packet, const Address& from);
    void Respond(Ptr<Packet> packet, PdpRdmaHeader request, Address to);
    void Nak(const PdpRdmaHeader& request, const Address& to, uint8_t syndrome);
    void Drop(Ptr<const Packet> packet, const Address& from, const std::string& reason);
    uint32_t NextMsn(const Address& peer, uint32_t qpn);
    Time Slot(uint64_t n) const; //!< ceil(n / rate) in time steps

    // Attributes
    uint16_t m_port;
    Time m_accessLatency;
    double m_maxLookupRate;
    uint32_t m_queueLimit;
    uint64_t m_memoryBytes;
    uint32_t m_maxReadLength;

    Ptr<Socket> m_socket;
    Time m_periodStart;         //!< start of the current busy period
    uint64_t m_periodCount = 0; //!< requests started or scheduled in it
    std::deque<Time> m_waiting; //!< start times of accepted requests not started yet
    std::map<std::tuple<Ipv6Address, uint16_t, uint32_t>, uint32_t> m_msn; //!< per connection

    uint64_t m_received = 0;
    uint64_t m_requests = 0;
    uint64_t m_responses = 0;
    uint64_t m_naks = 0;
    uint64_t m_inService = 0;
    std::map<std::string, uint64_t> m_drops;

    TracedCallback<const PdpRdmaHeader&, const Address&> m_requestTrace;
    TracedCallback<const PdpRdmaHeader&, const Address&> m_responseTrace;
    TracedCallback<Ptr<const Packet>, const Address&, const std::string&> m_dropTrace;
    TracedCallback<Time> m_queueDelayTrace;
};

} // namespace ns3

#endif // PDP_MEMORY_SERVER_H
