/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DUNE_REPLAY_H
#define DUNE_REPLAY_H

#include "dune-header.h"
#include "dune-packet.h"

#include "ns3/application.h"
#include "ns3/ipv6-address.h"
#include "ns3/nstime.h"
#include "ns3/tag.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace ns3
{

class Socket;
class Packet;

/// UDP port of DUNE's tunnel by default (replay source to sink; the switches match it).
constexpr uint16_t DUNE_TUNNEL_PORT = 7777;

/// Most bytes of a tunnelled packet's headers: with the outer IPv6, UDP and DUNE headers the
/// datagram stays within a 1500-byte MTU (no IPv6 fragmentation).
constexpr uint32_t DUNE_TUNNEL_MAX_BYTES = 1400;

/**
 * \ingroup aisfc
 * Identifies a replayed packet for the measurement at the sink: its index in the trace and the
 * time it was sent.  A packet tag, not bytes: what goes on the wire is what the testbed sends.
 */
class DuneReplayTag : public Tag
{
  public:
    /// \brief \return the TypeId
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer i) const override;
    void Deserialize(TagBuffer i) override;
    void Print(std::ostream& os) const override;

    uint64_t sequence = 0; //!< index of the packet in the trace
    int64_t sendNs = 0;    //!< simulation time it was sent, ns
};

/**
 * \ingroup aisfc
 * \brief The bytes a replayed packet carries behind its DuneHeader: the original IP packet from
 * its IP header to the end of its transport header (TCP with options, UDP, ICMP: 8 bytes), as a
 * capture with a snap length at the headers would hold it.  The IP length fields keep the
 * original lengths, so DuneParseFrame (DUNE_LINKTYPE_RAW) gives back the packet's features.
 * \param packet the record
 * \param out receives the bytes
 * \return false when the record cannot be encoded (DunePcapWriter::EncodeFrame refuses it) or
 *         its headers exceed DUNE_TUNNEL_MAX_BYTES
 */
bool DuneTunnelBytes(const DunePacket& packet, std::vector<uint8_t>& out);

/**
 * \ingroup aisfc
 * Replays a trace into the network as tcpreplay does: each DunePacket leaves at its trace time
 * (relative to the first packet, divided by Speedup) or, with PacketRate > 0, at a fixed rate;
 * as a UDP datagram to Remote:Port whose payload is a fresh DuneHeader and the packet's
 * headers (DuneTunnelBytes).  A packet earlier than the one before it (merged captures) leaves
 * right after it.  Records that cannot be encoded are skipped and counted.
 *
 * The trace is shared, not copied (SetTrace); it must outlive the application.
 */
class DuneReplaySource : public Application
{
  public:
    /// Signature of the Tx trace: the datagram and the index of its packet in the trace.
    using TxTracedCallback = void (*)(Ptr<const Packet>, uint64_t);

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    DuneReplaySource();
    ~DuneReplaySource() override;

    /// \brief Set the packets to replay (in trace order).
    void SetTrace(std::shared_ptr<const std::vector<DunePacket>> packets);
    /// \brief \return datagrams sent
    uint64_t GetSent() const;
    /// \brief \return records skipped because they cannot be encoded
    uint64_t GetUnencodable() const;
    /// \brief \return datagrams the socket refused
    uint64_t GetSendFailures() const;
    /// \brief \return packets earlier than the one before them (sent right after it)
    uint64_t GetReordered() const;
    /// \brief \return the time the last datagram was sent
    Time GetLastSendTime() const;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;
    /// Send packet m_next and schedule the one after.
    void SendNext();
    /// \return the offset from the start at which packet i leaves
    Time Offset(uint64_t i);

    std::shared_ptr<const std::vector<DunePacket>> m_packets;
    Ipv6Address m_remote;
    uint16_t m_port = DUNE_TUNNEL_PORT;
    double m_speedup = 1.0;
    double m_packetRate = 0;
    uint64_t m_maxPackets = 0;
    Ptr<Socket> m_socket;
    EventId m_event;
    Time m_start;
    uint64_t m_next = 0;
    uint64_t m_end = 0;
    Time m_lastOffset;
    uint64_t m_lastTraceNs = 0;
    uint64_t m_sent = 0;
    uint64_t m_unencodable = 0;
    uint64_t m_sendFailures = 0;
    uint64_t m_reordered = 0;
    Time m_lastSend;
    std::vector<uint8_t> m_bytes;
    TracedCallback<Ptr<const Packet>, uint64_t> m_txTrace;
};

/**
 * \ingroup aisfc
 * What the sink saw of one replayed packet.
 */
struct DuneSinkRecord
{
    uint64_t sequence = 0; //!< index in the trace (DuneReplayTag)
    int64_t sendNs = 0;    //!< when it was sent
    int64_t arrivalNs = 0; //!< when it arrived
    DuneHeader header;     //!< its DUNE header as it arrived
};

/**
 * \ingroup aisfc
 * The traffic sink of a replay (the testbed's tcpdump): records, per datagram on Port, the
 * arrival time, the send time and trace index of its DuneReplayTag, and its DuneHeader.
 * Datagrams without a tag or with an invalid header are counted and not recorded.
 */
class DuneReplaySink : public Application
{
  public:
    /// Signature of the Rx trace: the datagram's payload, its header, its one-way delay.
    using RxTracedCallback = void (*)(Ptr<const Packet>, const DuneHeader&, Time);

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    DuneReplaySink();
    ~DuneReplaySink() override;

    /// \brief \return the records, in arrival order
    const std::vector<DuneSinkRecord>& GetRecords() const;
    /// \brief \return datagrams without a DuneReplayTag
    uint64_t GetUntagged() const;
    /// \brief \return datagrams whose DuneHeader is invalid
    uint64_t GetBadHeaders() const;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;
    void Receive(Ptr<Socket> socket);

    uint16_t m_port = DUNE_TUNNEL_PORT;
    Ptr<Socket> m_socket;
    std::vector<DuneSinkRecord> m_records;
    uint64_t m_untagged = 0;
    uint64_t m_badHeaders = 0;
    TracedCallback<Ptr<const Packet>, const DuneHeader&, Time> m_rxTrace;
};

} // namespace ns3

#endif // DUNE_REPLAY_H
