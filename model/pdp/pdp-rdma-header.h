/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PDP_RDMA_HEADER_H
#define PDP_RDMA_HEADER_H

#include "ns3/header.h"
#include "ns3/ptr.h"
#include "ns3/trailer.h"

#include <cstdint>
#include <optional>
#include <string>

namespace ns3
{

class Packet;

/**
 * \ingroup aisfc
 * The InfiniBand transport headers of a RoCEv2 packet (the UDP payload to port 4791) for the
 * reliable-connection messages that external switch memory needs: RDMA READ Request, RDMA READ
 * Response Only, and Acknowledge (used for NAKs).
 *
 * Base Transport Header (BTH, 12 bytes):
 * \verbatim
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |    OpCode     |S|M|Pad|  TVer |       Partition Key           |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |   Reserved    |             Destination QP                    |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |A|  Reserved   |         Packet Sequence Number                |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   \endverbatim
 * then, for READ Request (0x0C), the RDMA Extended Transport Header (RETH, 16 bytes: 64-bit
 * virtual address, 32-bit R_Key, 32-bit DMA length); for READ Response Only (0x10) and
 * Acknowledge (0x11), the ACK Extended Transport Header (AETH, 4 bytes: syndrome, 24-bit MSN).
 * A response's data follows as packet payload, padded to 4 bytes (Pad in the BTH counts the
 * pad bytes), and the 4-byte ICRC closes the packet (PdpRdmaIcrcTrailer).
 *
 * Packets from the wire go through Parse() (header only) or PdpRdmaParsePacket() (header,
 * payload and ICRC): they check every length, the opcode and the transport version and name
 * what is wrong.  Deserialize() trusts its input, as ns-3 headers do.
 */
class PdpRdmaHeader : public Header
{
  public:
    static constexpr uint16_t UDP_PORT = 4791;                  //!< IANA port of RoCEv2
    static constexpr uint8_t RC_RDMA_READ_REQUEST = 0x0C;       //!< RC opcode, BTH + RETH
    static constexpr uint8_t RC_RDMA_READ_RESPONSE_ONLY = 0x10; //!< RC opcode, BTH + AETH
    static constexpr uint8_t RC_ACKNOWLEDGE = 0x11;             //!< RC opcode, BTH + AETH
    static constexpr uint32_t BTH_BYTES = 12;                   //!< Base Transport Header
    static constexpr uint32_t RETH_BYTES = 16;                  //!< RDMA Extended Transport Header
    static constexpr uint32_t AETH_BYTES = 4;                   //!< ACK Extended Transport Header
    static constexpr uint32_t ICRC_BYTES = 4;                   //!< Invariant CRC trailer
    static constexpr uint16_t DEFAULT_PKEY = 0xFFFF;            //!< the default partition
    static constexpr uint32_t MAX_24 = 0xFFFFFF;                //!< QPN, PSN and MSN are 24-bit
    /// AETH syndrome of an ACK; low 5 bits 0x1F: no end-to-end credit advertised.
    static constexpr uint8_t AETH_ACK = 0x1F;
    static constexpr uint8_t AETH_NAK_INVALID_REQUEST = 0x61;     //!< NAK code 1
    static constexpr uint8_t AETH_NAK_REMOTE_ACCESS_ERROR = 0x62; //!< NAK code 2

    PdpRdmaHeader();

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    /**
     * \brief Parse and validate the transport headers at the start of a RoCEv2 UDP payload.
     * \param data the bytes, starting at the BTH
     * \param size bytes available (payload and ICRC may follow)
     * \param reason where to write why the bytes are not a header (may be null)
     * \return the header, or nothing when the bytes are truncated, the opcode is not one this
     * model speaks or the transport version is not 0
     */
    static std::optional<PdpRdmaHeader> Parse(const uint8_t* data,
                                              size_t size,
                                              std::string* reason = nullptr);

    /// \brief \return whether the model knows this opcode (READ Request, READ Response Only,
    /// Acknowledge)
    static bool IsKnownOpcode(uint8_t opcode);
    /// \brief \return the header bytes an opcode takes (BTH + its extension), 0 if unknown
    static uint32_t HeaderBytes(uint8_t opcode);

    /// \brief Make this an RDMA READ Request: opcode 0x0C and the RETH fields.
    void SetReadRequest(uint64_t virtualAddress, uint32_t rkey, uint32_t dmaLength);
    /// \brief Make this an RDMA READ Response Only: opcode 0x10 and the AETH fields.
    void SetReadResponse(uint8_t syndrome, uint32_t msn);
    /// \brief Make this an Acknowledge (ACK or NAK by the syndrome): opcode 0x11 and the AETH.
    void SetAcknowledge(uint8_t syndrome, uint32_t msn);

    /// \brief \return the opcode
    uint8_t GetOpcode() const;
    /// \brief Set the Solicited Event bit.
    void SetSolicitedEvent(bool se);
    /// \brief \return the Solicited Event bit
    bool GetSolicitedEvent() const;
    /// \brief Set the MigReq bit.
    void SetMigReq(bool m);
    /// \brief \return the MigReq bit
    bool GetMigReq() const;
    /// \brief Set the pad count (0..3 bytes of padding after the payload).
    void SetPadCount(uint8_t pad);
    /// \brief \return the pad count
    uint8_t GetPadCount() const;
    /// \brief \return the transport header version (0; Parse() rejects others)
    uint8_t GetTransportVersion() const;
    /// \brief Set the partition key.
    void SetPartitionKey(uint16_t pkey);
    /// \brief \return the partition key
    uint16_t GetPartitionKey() const;
    /// \brief Set the destination QP number (24 bits).
    void SetDestQp(uint32_t qpn);
    /// \brief \return the destination QP number
    uint32_t GetDestQp() const;
    /// \brief Set the AckReq bit.
    void SetAckRequest(bool a);
    /// \brief \return the AckReq bit
    bool GetAckRequest() const;
    /// \brief Set the packet sequence number (24 bits).
    void SetPsn(uint32_t psn);
    /// \brief \return the packet sequence number
    uint32_t GetPsn() const;

    /// \brief \return the RETH virtual address (READ Request)
    uint64_t GetVirtualAddress() const;
    /// \brief \return the RETH R_Key (READ Request)
    uint32_t GetRkey() const;
    /// \brief \return the RETH DMA length (READ Request)
    uint32_t GetDmaLength() const;
    /// \brief \return the AETH syndrome (READ Response, Acknowledge)
    uint8_t GetSyndrome() const;
    /// \brief \return whether the AETH syndrome is a NAK (bits 7..5 = 011)
    bool IsNak() const;
    /// \brief \return the AETH message sequence number (READ Response, Acknowledge)
    uint32_t GetMsn() const;

  private:
    uint8_t m_opcode = RC_RDMA_READ_REQUEST;
    bool m_se = false;
    bool m_migReq = false;
    uint8_t m_padCount = 0;
    uint8_t m_tver = 0;
    uint16_t m_pkey = DEFAULT_PKEY;
    uint32_t m_destQp = 0;
    bool m_ackReq = false;
    uint32_t m_psn = 0;
    uint64_t m_virtualAddress = 0; // RETH
    uint32_t m_rkey = 0;
    uint32_t m_dmaLength = 0;
    uint8_t m_syndrome = AETH_ACK; // AETH
    uint32_t m_msn = 0;
};

/**
 * \ingroup aisfc
 * The 4-byte Invariant CRC that ends a RoCEv2 packet.
 *
 * The value is the CRC-32 (IEEE 802.3 polynomial, as the ICRC uses) of the InfiniBand part of
 * the packet: transport headers, payload and pad bytes.  The real ICRC also covers the IPv6
 * and UDP headers with their variant fields (traffic class, flow label, hop limit, UDP
 * checksum) masked to ones; an application cannot compute that, because the source address
 * and the UDP length are chosen below the socket.  Covering the InfiniBand part still catches
 * corruption end to end.  Wireshark 4.0 shows the value without checking it; a tool that
 * recomputes the true ICRC would report it as wrong.  It is sent least significant byte first,
 * as Linux rxe stores its crc32_le result.
 */
class PdpRdmaIcrcTrailer : public Trailer
{
  public:
    PdpRdmaIcrcTrailer();
    /// \brief Build a trailer holding this ICRC value.
    explicit PdpRdmaIcrcTrailer(uint32_t icrc);

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator end) override;

    /// \brief Set the ICRC value.
    void SetIcrc(uint32_t icrc);
    /// \brief \return the ICRC value
    uint32_t GetIcrc() const;
    /// \brief \return the ICRC this model computes over the InfiniBand bytes (headers,
    /// payload, pad)
    static uint32_t Compute(const uint8_t* data, size_t size);

  private:
    uint32_t m_icrc = 0;
};

/**
 * \ingroup aisfc
 * A RoCEv2 message as received: headers checked, pad and ICRC removed.
 */
struct PdpRdmaMessage
{
    PdpRdmaHeader header; //!< the transport headers
    Ptr<Packet> payload;  //!< the data (empty for requests and acknowledges), pad removed
};

/**
 * \ingroup aisfc
 * \brief Build the UDP payload of a RoCEv2 packet: the header, the payload padded to 4 bytes
 * (the header's pad count is set to match), and the ICRC trailer.
 * \param header the transport headers
 * \param payload the data, or null for none
 * \return the packet, ready for a UDP socket
 */
Ptr<Packet> PdpRdmaMakePacket(PdpRdmaHeader header, Ptr<const Packet> payload = nullptr);

/**
 * \ingroup aisfc
 * \brief Parse and validate the UDP payload of a RoCEv2 packet: headers (Parse()), pad count
 * against the payload, the ICRC, and that requests and acknowledges carry no payload.
 * \param packet the UDP payload
 * \param reason where to write why the packet is not valid (may be null)
 * \return the message, or nothing
 */
std::optional<PdpRdmaMessage> PdpRdmaParsePacket(Ptr<const Packet> packet,
                                                 std::string* reason = nullptr);

} // namespace ns3

#endif // PDP_RDMA_HEADER_H
