/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "nsf-frame.h"

#include "ns3/aisfc-bytes.h"
#include "ns3/packet.h"
#include "ns3/socket.h"
#include "ns3/tcp-header.h"
#include "ns3/tcp-socket-base.h"

#include <algorithm>
#include <stdexcept>

namespace ns3
{

std::vector<uint8_t>
NsfFrameHeader::Serialize() const
{
    std::vector<uint8_t> out;
    out.reserve(SIZE);
    AisfcPutBigEndian(out, MAGIC, 4);
    AisfcPutBigEndian(out, kind, 1);
    AisfcPutBigEndian(out, flags, 1);
    AisfcPutBigEndian(out, 0, 2);
    AisfcPutBigEndian(out, batch, 4);
    AisfcPutBigEndian(out, samples, 4);
    AisfcPutBigEndian(out, payload, 8);
    return out;
}

std::optional<NsfFrameHeader>
NsfFrameHeader::Parse(const uint8_t* b, std::string* reason)
{
    auto fail = [reason](const std::string& why) {
        if (reason)
        {
            *reason = why;
        }
        return std::nullopt;
    };
    if (AisfcGetBigEndian(b, 4) != MAGIC)
    {
        return fail("bad magic (offset 0)");
    }
    if (b[4] < FORWARD || b[4] > RESULT)
    {
        return fail("unknown kind " + std::to_string(b[4]) + " (offset 4)");
    }
    NsfFrameHeader h;
    h.kind = static_cast<Kind>(b[4]);
    h.flags = b[5];
    h.batch = static_cast<uint32_t>(AisfcGetBigEndian(b + 8, 4));
    h.samples = static_cast<uint32_t>(AisfcGetBigEndian(b + 12, 4));
    h.payload = AisfcGetBigEndian(b + 16, 8);
    return h;
}

NsfFrameReader::NsfFrameReader(bool keepPayload)
    : m_keep(keepPayload)
{
}

std::vector<NsfFrame>
NsfFrameReader::Push(Ptr<Packet> chunk)
{
    std::vector<NsfFrame> done;
    uint32_t size = chunk->GetSize();
    std::vector<uint8_t> bytes;
    bool copied = false; // copy only what must be looked at: headers, kept payloads
    auto data = [&]() -> const uint8_t* {
        if (!copied)
        {
            bytes.resize(size);
            chunk->CopyData(bytes.data(), size);
            copied = true;
        }
        return bytes.data();
    };
    uint32_t pos = 0;
    while (pos < size)
    {
        if (!m_current)
        {
            uint32_t take = std::min<uint32_t>(NsfFrameHeader::SIZE - m_head.size(), size - pos);
            m_head.insert(m_head.end(), data() + pos, data() + pos + take);
            pos += take;
            if (m_head.size() < NsfFrameHeader::SIZE)
            {
                break;
            }
            std::string reason;
            auto header = NsfFrameHeader::Parse(m_head.data(), &reason);
            m_head.clear();
            if (!header)
            {
                throw std::runtime_error("NSF stream: " + reason);
            }
            m_current = NsfFrame{*header, {}};
            m_remaining = header->payload;
        }
        uint64_t take = std::min<uint64_t>(m_remaining, size - pos);
        if (m_keep && take > 0)
        {
            m_current->payload.insert(m_current->payload.end(), data() + pos, data() + pos + take);
        }
        pos += take;
        m_remaining -= take;
        if (m_remaining == 0)
        {
            done.push_back(std::move(*m_current));
            m_current.reset();
        }
    }
    return done;
}

uint64_t
NsfFrameReader::Pending() const
{
    return m_current ? m_current->header.payload - m_remaining + NsfFrameHeader::SIZE
                     : m_head.size();
}

NsfFrameWriter::NsfFrameWriter(Ptr<Socket> socket)
    : m_socket(socket)
{
    m_socket->SetSendCallback(MakeCallback(&NsfFrameWriter::Pump, this));
    m_socket->TraceConnectWithoutContext("Tx", MakeCallback(&NsfFrameWriter::Sent, this));
}

void
NsfFrameWriter::Sent(Ptr<const Packet> segment, const TcpHeader& header, Ptr<const TcpSocketBase>)
{
    if (segment->GetSize() == 0)
    {
        return; // pure ACK or SYN/FIN
    }
    // Relative to the first data segment, so the 32-bit sequence space never wraps here.
    uint64_t seq = header.GetSequenceNumber().GetValue();
    if (!m_anySent)
    {
        m_anySent = true;
        m_highestSent = seq;
        m_firstSequence = seq;
    }
    uint64_t offset = (seq - m_firstSequence) & 0xffffffffULL;
    if (offset < m_highestSent - m_firstSequence)
    {
        ++m_retransmissions;
        return;
    }
    m_highestSent = m_firstSequence + offset + segment->GetSize();
}

uint64_t
NsfFrameWriter::GetRetransmissions() const
{
    return m_retransmissions;
}

void
NsfFrameWriter::Write(const NsfFrameHeader& header,
                      const std::vector<uint8_t>& payload,
                      std::function<void()> sent)
{
    Item item;
    item.bytes = header.Serialize();
    item.bytes.insert(item.bytes.end(), payload.begin(), payload.end());
    item.zeros = header.payload > payload.size() ? header.payload - payload.size() : 0;
    item.sent = std::move(sent);
    m_queue.push_back(std::move(item));
    Pump(m_socket, m_socket->GetTxAvailable());
}

uint64_t
NsfFrameWriter::Backlog() const
{
    uint64_t total = 0;
    for (const Item& i : m_queue)
    {
        total += i.bytes.size() + i.zeros;
    }
    return total - m_offset;
}

Ptr<Socket>
NsfFrameWriter::GetSocket() const
{
    return m_socket;
}

void
NsfFrameWriter::Pump(Ptr<Socket> socket, uint32_t available)
{
    while (!m_queue.empty() && available > 0)
    {
        Item& item = m_queue.front();
        uint64_t total = item.bytes.size() + item.zeros;
        uint32_t take = static_cast<uint32_t>(std::min<uint64_t>(available, total - m_offset));
        Ptr<Packet> p;
        if (m_offset < item.bytes.size())
        {
            take = static_cast<uint32_t>(std::min<uint64_t>(take, item.bytes.size() - m_offset));
            p = Create<Packet>(item.bytes.data() + m_offset, take);
        }
        else
        {
            p = Create<Packet>(take); // zero bytes: no memory behind them
        }
        int sent = socket->Send(p);
        if (sent <= 0)
        {
            return; // the buffer is full after all: wait for the next callback
        }
        m_offset += static_cast<uint64_t>(sent);
        available -= static_cast<uint32_t>(sent);
        if (m_offset == total)
        {
            std::function<void()> done = std::move(item.sent);
            m_queue.pop_front();
            m_offset = 0;
            if (done)
            {
                done();
            }
        }
    }
}

} // namespace ns3
