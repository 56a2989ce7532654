/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pdp-rdma-header.h"

#include "ns3/abort.h"
#include "ns3/aisfc-bytes.h"
#include "ns3/crc32.h"
#include "ns3/packet.h"

#include <iomanip>
#include <sstream>
#include <vector>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(PdpRdmaHeader);
NS_OBJECT_ENSURE_REGISTERED(PdpRdmaIcrcTrailer);

namespace
{
std::string
Hex(uint64_t value, int width)
{
    std::ostringstream os;
    os << "0x" << std::hex << std::setw(width) << std::setfill('0') << value;
    return os.str();
}

void
Write24(Buffer::Iterator& i, uint32_t value)
{
    i.WriteU8((value >> 16) & 0xFF);
    i.WriteU8((value >> 8) & 0xFF);
    i.WriteU8(value & 0xFF);
}

uint32_t
Read24(Buffer::Iterator& i)
{
    uint32_t value = uint32_t(i.ReadU8()) << 16;
    value |= uint32_t(i.ReadU8()) << 8;
    return value | i.ReadU8();
}

void
SetReason(std::string* reason, const std::string& text)
{
    if (reason)
    {
        *reason = text;
    }
}
} // namespace

// ---------------------------------------------------------------------------------------------
// PdpRdmaHeader

PdpRdmaHeader::PdpRdmaHeader() = default;

TypeId
PdpRdmaHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PdpRdmaHeader")
                            .SetParent<Header>()
                            .SetGroupName("Aisfc")
                            .AddConstructor<PdpRdmaHeader>();
    return tid;
}

TypeId
PdpRdmaHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

bool
PdpRdmaHeader::IsKnownOpcode(uint8_t opcode)
{
    return HeaderBytes(opcode) != 0;
}

uint32_t
PdpRdmaHeader::HeaderBytes(uint8_t opcode)
{
    switch (opcode)
    {
    case RC_RDMA_READ_REQUEST:
        return BTH_BYTES + RETH_BYTES;
    case RC_RDMA_READ_RESPONSE_ONLY:
    case RC_ACKNOWLEDGE:
        return BTH_BYTES + AETH_BYTES;
    default:
        return 0;
    }
}

void
PdpRdmaHeader::Print(std::ostream& os) const
{
    switch (m_opcode)
    {
    case RC_RDMA_READ_REQUEST:
        os << "RC RDMA READ Request";
        break;
    case RC_RDMA_READ_RESPONSE_ONLY:
        os << "RC RDMA READ Response Only";
        break;
    case RC_ACKNOWLEDGE:
        os << (IsNak() ? "RC NAK" : "RC Acknowledge");
        break;
    default:
        os << "opcode " << Hex(m_opcode, 2);
    }
    os << " qp=" << Hex(m_destQp, 6) << " psn=" << m_psn << " pkey=" << Hex(m_pkey, 4);
    if (m_padCount)
    {
        os << " pad=" << int(m_padCount);
    }
    if (m_opcode == RC_RDMA_READ_REQUEST)
    {
        os << " va=" << Hex(m_virtualAddress, 16) << " rkey=" << Hex(m_rkey, 8)
           << " len=" << m_dmaLength;
    }
    else if (IsKnownOpcode(m_opcode))
    {
        os << " syndrome=" << Hex(m_syndrome, 2) << " msn=" << m_msn;
    }
}

uint32_t
PdpRdmaHeader::GetSerializedSize() const
{
    uint32_t bytes = HeaderBytes(m_opcode);
    return bytes ? bytes : BTH_BYTES;
}

void
PdpRdmaHeader::Serialize(Buffer::Iterator i) const
{
    i.WriteU8(m_opcode);
    i.WriteU8((m_se ? 0x80 : 0) | (m_migReq ? 0x40 : 0) | ((m_padCount & 0x3) << 4) |
              (m_tver & 0xF));
    i.WriteHtonU16(m_pkey);
    i.WriteU8(0); // reserved (the F/B bits of native InfiniBand)
    Write24(i, m_destQp);
    i.WriteU8(m_ackReq ? 0x80 : 0);
    Write24(i, m_psn);
    if (m_opcode == RC_RDMA_READ_REQUEST)
    {
        i.WriteHtonU64(m_virtualAddress);
        i.WriteHtonU32(m_rkey);
        i.WriteHtonU32(m_dmaLength);
    }
    else if (IsKnownOpcode(m_opcode))
    {
        i.WriteU8(m_syndrome);
        Write24(i, m_msn);
    }
}

uint32_t
PdpRdmaHeader::Deserialize(Buffer::Iterator start)
{
    // Trusts its input (ns-3 convention); bytes from the wire are checked by Parse() first.
    Buffer::Iterator i = start;
    m_opcode = i.ReadU8();
    uint8_t flags = i.ReadU8();
    m_se = flags & 0x80;
    m_migReq = flags & 0x40;
    m_padCount = (flags >> 4) & 0x3;
    m_tver = flags & 0xF;
    m_pkey = i.ReadNtohU16();
    i.ReadU8();
    m_destQp = Read24(i);
    m_ackReq = i.ReadU8() & 0x80;
    m_psn = Read24(i);
    if (m_opcode == RC_RDMA_READ_REQUEST)
    {
        m_virtualAddress = i.ReadNtohU64();
        m_rkey = i.ReadNtohU32();
        m_dmaLength = i.ReadNtohU32();
    }
    else if (IsKnownOpcode(m_opcode))
    {
        m_syndrome = i.ReadU8();
        m_msn = Read24(i);
    }
    return i.GetDistanceFrom(start);
}

std::optional<PdpRdmaHeader>
PdpRdmaHeader::Parse(const uint8_t* data, size_t size, std::string* reason)
{
    if (!data || size < BTH_BYTES)
    {
        SetReason(reason,
                  "truncated BTH: " + std::to_string(data ? size : 0) + " bytes, needs " +
                      std::to_string(BTH_BYTES));
        return std::nullopt;
    }
    uint8_t opcode = data[0];
    if (!IsKnownOpcode(opcode))
    {
        SetReason(reason, "unsupported opcode " + Hex(opcode, 2) + " (BTH byte 0)");
        return std::nullopt;
    }
    uint8_t tver = data[1] & 0xF;
    if (tver != 0)
    {
        SetReason(reason,
                  "unsupported transport header version " + std::to_string(tver) + " (BTH byte 1)");
        return std::nullopt;
    }
    uint32_t need = HeaderBytes(opcode);
    if (size < need)
    {
        SetReason(reason,
                  std::string("truncated ") + (opcode == RC_RDMA_READ_REQUEST ? "RETH" : "AETH") +
                      ": " + std::to_string(size - BTH_BYTES) + " bytes after the BTH, needs " +
                      std::to_string(need - BTH_BYTES));
        return std::nullopt;
    }
    PdpRdmaHeader h;
    h.m_opcode = opcode;
    h.m_se = data[1] & 0x80;
    h.m_migReq = data[1] & 0x40;
    h.m_padCount = (data[1] >> 4) & 0x3;
    h.m_tver = tver;
    h.m_pkey = (uint16_t(data[2]) << 8) | data[3];
    h.m_destQp = uint32_t(AisfcGetBigEndian(data + 5, 3));
    h.m_ackReq = data[8] & 0x80;
    h.m_psn = uint32_t(AisfcGetBigEndian(data + 9, 3));
    const uint8_t* ext = data + BTH_BYTES;
    if (opcode == RC_RDMA_READ_REQUEST)
    {
        h.m_virtualAddress = AisfcGetBigEndian(ext, 8);
        h.m_rkey = uint32_t(AisfcGetBigEndian(ext + 8, 4));
        h.m_dmaLength = uint32_t(AisfcGetBigEndian(ext + 12, 4));
    }
    else
    {
        h.m_syndrome = ext[0];
        h.m_msn = uint32_t(AisfcGetBigEndian(ext + 1, 3));
    }
    return h;
}

void
PdpRdmaHeader::SetReadRequest(uint64_t virtualAddress, uint32_t rkey, uint32_t dmaLength)
{
    m_opcode = RC_RDMA_READ_REQUEST;
    m_virtualAddress = virtualAddress;
    m_rkey = rkey;
    m_dmaLength = dmaLength;
}

void
PdpRdmaHeader::SetReadResponse(uint8_t syndrome, uint32_t msn)
{
    NS_ABORT_MSG_IF(msn > MAX_24, "PdpRdmaHeader: MSN " << msn << " exceeds 24 bits");
    m_opcode = RC_RDMA_READ_RESPONSE_ONLY;
    m_syndrome = syndrome;
    m_msn = msn;
}

void
PdpRdmaHeader::SetAcknowledge(uint8_t syndrome, uint32_t msn)
{
    NS_ABORT_MSG_IF(msn > MAX_24, "PdpRdmaHeader: MSN " << msn << " exceeds 24 bits");
    m_opcode = RC_ACKNOWLEDGE;
    m_syndrome = syndrome;
    m_msn = msn;
}

uint8_t
PdpRdmaHeader::GetOpcode() const
{
    return m_opcode;
}

void
PdpRdmaHeader::SetSolicitedEvent(bool se)
{
    m_se = se;
}

bool
PdpRdmaHeader::GetSolicitedEvent() const
{
    return m_se;
}

void
PdpRdmaHeader::SetMigReq(bool m)
{
    m_migReq = m;
}

bool
PdpRdmaHeader::GetMigReq() const
{
    return m_migReq;
}

void
PdpRdmaHeader::SetPadCount(uint8_t pad)
{
    NS_ABORT_MSG_IF(pad > 3, "PdpRdmaHeader: pad count " << int(pad) << " exceeds 3");
    m_padCount = pad;
}

uint8_t
PdpRdmaHeader::GetPadCount() const
{
    return m_padCount;
}

uint8_t
PdpRdmaHeader::GetTransportVersion() const
{
    return m_tver;
}

void
PdpRdmaHeader::SetPartitionKey(uint16_t pkey)
{
    m_pkey = pkey;
}

uint16_t
PdpRdmaHeader::GetPartitionKey() const
{
    return m_pkey;
}

void
PdpRdmaHeader::SetDestQp(uint32_t qpn)
{
    NS_ABORT_MSG_IF(qpn > MAX_24, "PdpRdmaHeader: QPN " << qpn << " exceeds 24 bits");
    m_destQp = qpn;
}

uint32_t
PdpRdmaHeader::GetDestQp() const
{
    return m_destQp;
}

void
PdpRdmaHeader::SetAckRequest(bool a)
{
    m_ackReq = a;
}

bool
PdpRdmaHeader::GetAckRequest() const
{
    return m_ackReq;
}

void
PdpRdmaHeader::SetPsn(uint32_t psn)
{
    NS_ABORT_MSG_IF(psn > MAX_24, "PdpRdmaHeader: PSN " << psn << " exceeds 24 bits");
    m_psn = psn;
}

uint32_t
PdpRdmaHeader::GetPsn() const
{
    return m_psn;
}

uint64_t
PdpRdmaHeader::GetVirtualAddress() const
{
    return m_virtualAddress;
}

uint32_t
PdpRdmaHeader::GetRkey() const
{
    return m_rkey;
}

uint32_t
PdpRdmaHeader::GetDmaLength() const
{
    return m_dmaLength;
}

uint8_t
PdpRdmaHeader::GetSyndrome() const
{
    return m_syndrome;
}

bool
PdpRdmaHeader::IsNak() const
{
    return (m_syndrome & 0xE0) == 0x60;
}

uint32_t
PdpRdmaHeader::GetMsn() const
{
    return m_msn;
}

// ---------------------------------------------------------------------------------------------
// PdpRdmaIcrcTrailer

PdpRdmaIcrcTrailer::PdpRdmaIcrcTrailer() = default;

PdpRdmaIcrcTrailer::PdpRdmaIcrcTrailer(uint32_t icrc)
    : m_icrc(icrc)
{
}

TypeId
PdpRdmaIcrcTrailer::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PdpRdmaIcrcTrailer")
                            .SetParent<Trailer>()
                            .SetGroupName("Aisfc")
                            .AddConstructor<PdpRdmaIcrcTrailer>();
    return tid;
}

TypeId
PdpRdmaIcrcTrailer::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
PdpRdmaIcrcTrailer::Print(std::ostream& os) const
{
    os << "icrc=" << Hex(m_icrc, 8);
}

uint32_t
PdpRdmaIcrcTrailer::GetSerializedSize() const
{
    return PdpRdmaHeader::ICRC_BYTES;
}

void
PdpRdmaIcrcTrailer::Serialize(Buffer::Iterator start) const
{
    // Least significant byte first, like the Ethernet FCS and Linux rxe's ICRC.
    Buffer::Iterator i = start;
    i.Prev(PdpRdmaHeader::ICRC_BYTES);
    i.WriteU32(m_icrc);
}

uint32_t
PdpRdmaIcrcTrailer::Deserialize(Buffer::Iterator end)
{
    Buffer::Iterator i = end;
    i.Prev(PdpRdmaHeader::ICRC_BYTES);
    m_icrc = i.ReadU32();
    return PdpRdmaHeader::ICRC_BYTES;
}

void
PdpRdmaIcrcTrailer::SetIcrc(uint32_t icrc)
{
    m_icrc = icrc;
}

uint32_t
PdpRdmaIcrcTrailer::GetIcrc() const
{
    return m_icrc;
}

uint32_t
PdpRdmaIcrcTrailer::Compute(const uint8_t* data, size_t size)
{
    return CRC32Calculate(data, static_cast<int>(size));
}

// ---------------------------------------------------------------------------------------------
// Whole packets

Ptr<Packet>
PdpRdmaMakePacket(PdpRdmaHeader header, Ptr<const Packet> payload)
{
    Ptr<Packet> packet = payload ? payload->Copy() : Create<Packet>();
    uint32_t pad = (4 - packet->GetSize() % 4) % 4;
    if (pad)
    {
        packet->AddAtEnd(Create<Packet>(pad));
    }
    header.SetPadCount(pad);
    packet->AddHeader(header);
    std::vector<uint8_t> bytes(packet->GetSize());
    packet->CopyData(bytes.data(), bytes.size());
    packet->AddTrailer(PdpRdmaIcrcTrailer(PdpRdmaIcrcTrailer::Compute(bytes.data(), bytes.size())));
    return packet;
}

std::optional<PdpRdmaMessage>
PdpRdmaParsePacket(Ptr<const Packet> packet, std::string* reason)
{
    if (!packet)
    {
        SetReason(reason, "no packet");
        return std::nullopt;
    }
    std::vector<uint8_t> bytes(packet->GetSize());
    packet->CopyData(bytes.data(), bytes.size());
    std::optional<PdpRdmaHeader> header = PdpRdmaHeader::Parse(bytes.data(), bytes.size(), reason);
    if (!header)
    {
        return std::nullopt;
    }
    uint32_t headerBytes = PdpRdmaHeader::HeaderBytes(header->GetOpcode());
    if (bytes.size() < headerBytes + PdpRdmaHeader::ICRC_BYTES)
    {
        SetReason(reason,
                  "truncated: no room for the ICRC after " + std::to_string(headerBytes) +
                      " header bytes (" + std::to_string(bytes.size()) + " bytes)");
        return std::nullopt;
    }
    size_t icrcAt = bytes.size() - PdpRdmaHeader::ICRC_BYTES;
    size_t dataBytes = icrcAt - headerBytes;
    if (header->GetOpcode() != PdpRdmaHeader::RC_RDMA_READ_RESPONSE_ONLY && dataBytes != 0)
    {
        SetReason(
            reason,
            std::to_string(dataBytes) + " unexpected payload bytes after the " +
                (header->GetOpcode() == PdpRdmaHeader::RC_RDMA_READ_REQUEST ? "RETH" : "AETH"));
        return std::nullopt;
    }
    if (dataBytes % 4 != 0)
    {
        SetReason(reason, "payload of " + std::to_string(dataBytes) + " bytes is not padded to 4");
        return std::nullopt;
    }
    if (header->GetPadCount() > dataBytes)
    {
        SetReason(reason,
                  "pad count " + std::to_string(header->GetPadCount()) +
                      " exceeds the payload of " + std::to_string(dataBytes) + " bytes");
        return std::nullopt;
    }
    // Little-endian, as PdpRdmaIcrcTrailer writes it.
    uint32_t carried = uint32_t(bytes[icrcAt]) | (uint32_t(bytes[icrcAt + 1]) << 8) |
                       (uint32_t(bytes[icrcAt + 2]) << 16) | (uint32_t(bytes[icrcAt + 3]) << 24);
    uint32_t computed = PdpRdmaIcrcTrailer::Compute(bytes.data(), icrcAt);
    if (carried != computed)
    {
        SetReason(reason, "bad ICRC " + Hex(carried, 8) + ", expected " + Hex(computed, 8));
        return std::nullopt;
    }
    PdpRdmaMessage message;
    message.header = *header;
    message.payload =
        packet->CreateFragment(headerBytes,
                               static_cast<uint32_t>(dataBytes - header->GetPadCount()));
    return message;
}

} // namespace ns3
