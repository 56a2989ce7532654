/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef NSF_FRAME_H
#define NSF_FRAME_H

#include "ns3/ptr.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class Packet;
class Socket;
class TcpHeader;
class TcpSocketBase;

/**
 * \ingroup aisfc
 * The header of one tensor message between neural service functions, on a TCP stream (24
 * bytes, big-endian): magic "NSF1", kind, flags, reserved (16 bits), mini-batch number,
 * samples, payload bytes (64 bits).  The payload follows: activations, gradients or results;
 * zero bytes in timing mode, the tensor's bytes in numeric mode.
 */
struct NsfFrameHeader
{
    static constexpr uint32_t MAGIC = 0x4e534631; //!< "NSF1"
    static constexpr uint32_t SIZE = 24;          //!< bytes on the wire

    /// What the payload is.
    enum Kind : uint8_t
    {
        FORWARD = 1,  //!< activations towards the tail
        BACKWARD = 2, //!< gradients towards the head
        RESULT = 3,   //!< the model's output, to the client
    };

    /// Flags (bits).
    enum Flag : uint8_t
    {
        LABELS = 1, //!< numeric FORWARD: the payload ends with one 32-bit label per sample
        LOGITS = 2, //!< RESULT of a U-shaped training step: the output, for the client's loss
    };

    Kind kind = FORWARD;  //!< payload kind
    uint8_t flags = 0;    //!< Flag bits
    uint32_t batch = 0;   //!< mini-batch number
    uint32_t samples = 0; //!< samples in the mini-batch
    uint64_t payload = 0; //!< payload bytes after the header

    /// \brief \return the 24 bytes
    std::vector<uint8_t> Serialize() const;
    /// \brief \return the header in these 24 bytes, or nothing with the reason
    static std::optional<NsfFrameHeader> Parse(const uint8_t* bytes, std::string* reason);
};

/// \ingroup aisfc A whole message as read from a stream.
struct NsfFrame
{
    NsfFrameHeader header;        //!< its header
    std::vector<uint8_t> payload; //!< its payload when kept (numeric mode), else empty
};

/**
 * \ingroup aisfc
 * Reassembles messages from the chunks a TCP socket delivers; keeps payload bytes only when
 * asked (numeric mode), so timing runs of large tensors hold no memory.
 */
class NsfFrameReader
{
  public:
    /// \brief Keep payload bytes or not.
    explicit NsfFrameReader(bool keepPayload);
    /// \brief Take a chunk; \return the messages it completed. Throws std::runtime_error on a
    /// malformed header (a broken stream cannot be resynchronised).
    std::vector<NsfFrame> Push(Ptr<Packet> chunk);
    /// \brief \return bytes of the message being read (0 between messages)
    uint64_t Pending() const;

  private:
    bool m_keep;
    std::vector<uint8_t> m_head; //!< header bytes so far
    std::optional<NsfFrame> m_current;
    uint64_t m_remaining = 0;
};

/**
 * \ingroup aisfc
 * Writes messages to a TCP socket as its send buffer frees up (ns-3 sockets refuse what does
 * not fit), in order; `sent` is called when a message's last byte was handed to TCP.
 */
class NsfFrameWriter
{
  public:
    /// \brief Write to this socket (connected or connecting).
    explicit NsfFrameWriter(Ptr<Socket> socket);
    /// \brief Queue a message; a payload shorter than header.payload is padded with zeros
    /// (timing mode sends zero bytes of the right size).
    void Write(const NsfFrameHeader& header,
               const std::vector<uint8_t>& payload,
               std::function<void()> sent = {});
    /// \brief \return bytes not yet handed to TCP
    uint64_t Backlog() const;
    /// \brief \return the socket
    Ptr<Socket> GetSocket() const;
    /// \brief \return data segments TCP sent again (packets the network lost, or held past a
    /// retransmission timeout)
    uint64_t GetRetransmissions() const;

  private:
    void Pump(Ptr<Socket> socket, uint32_t available);
    void Sent(Ptr<const Packet> segment, const TcpHeader& header, Ptr<const TcpSocketBase>);

    struct Item
    {
        std::vector<uint8_t> bytes; //!< header (+ real payload)
        uint64_t zeros = 0;         //!< zero bytes after them
        std::function<void()> sent;
    };

    Ptr<Socket> m_socket;
    std::deque<Item> m_queue;
    uint64_t m_retransmissions = 0;
    uint64_t m_highestSent = 0; //!< next new sequence number (32-bit, unwrapped)
    uint64_t m_firstSequence = 0;
    bool m_anySent = false;
    uint64_t m_offset = 0; //!< bytes of the front item already written
};

} // namespace ns3

#endif
