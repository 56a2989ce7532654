/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DUNE_HEADER_H
#define DUNE_HEADER_H

#include "ns3/header.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup aisfc
 * DUNE's per-packet inference state, carried in front of the tunnelled packet from switch to
 * switch so that a sub-model runs only where the previous one handed the packet on, and a
 * packet classified upstream crosses the rest of the chain untouched.
 *
 * On the wire, 16 bytes, big-endian:
 *
 * | byte | field |
 * |---|---|
 * | 0 | version (high 4 bits, 1) and 4 reserved bits (0) |
 * | 1 | flags: CLASSIFIED 0x01, FLOW_LEVEL 0x02, TIMESTAMPED 0x04, COLLISION 0x08 |
 * | 2 | models run: sub-models (in chain order) that ran on the packet and handed it on |
 * | 3 | model that decided (0xff: none) |
 * | 4-5 | class (0xffff: none) |
 * | 6-7 | position of the packet in its flow as the flow registers counted it (0: unknown) |
 * | 8-15 | ingress timestamp, ns, written by the first DUNE switch (TIMESTAMPED) |
 *
 * The timestamp is the first switch's ingress (start-of-packet) clock: every switch computes
 * its flow features (inter-arrival times, duration) from it, so the sub-models along the chain
 * see the same flow features whatever the store-and-forward delays between them.
 *
 * Bad bytes never crash: Deserialize of a short buffer reads nothing and leaves the header
 * invalid; a wrong version, unknown flags or inconsistent fields leave it invalid with a reason
 * (IsValid, GetError).  Parse does the same on raw bytes.
 */
class DuneHeader : public Header
{
  public:
    static constexpr uint32_t SIZE = 16;         //!< bytes on the wire
    static constexpr uint8_t VERSION = 1;        //!< the version written
    static constexpr uint16_t NO_CLASS = 0xffff; //!< class field when undecided
    static constexpr uint8_t NO_MODEL = 0xff;    //!< model field when undecided
    static constexpr uint8_t CLASSIFIED = 0x01;  //!< a sub-model decided the class
    static constexpr uint8_t FLOW_LEVEL = 0x02;  //!< ... on the flow's features (else packet)
    static constexpr uint8_t TIMESTAMPED = 0x04; //!< the timestamp field is set
    static constexpr uint8_t COLLISION = 0x08;   //!< a switch had no flow register for it
    static constexpr uint8_t KNOWN_FLAGS = 0x0f; //!< flags this version defines

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

    /**
     * \brief Read a header from raw bytes, checking every field.
     * \param data the bytes
     * \param length bytes at data
     * \param header receives the fields (valid or not)
     * \return whether the header is valid (header.GetError() says why not)
     */
    static bool Parse(const uint8_t* data, size_t length, DuneHeader& header);

    /// \brief \return whether the last Deserialize or Parse found a valid header
    bool IsValid() const;
    /// \brief \return why the header is invalid ("" when valid)
    const std::string& GetError() const;

    /// \brief \return the flag bits
    uint8_t GetFlags() const;
    /// \brief \return whether a sub-model decided the class
    bool IsClassified() const;
    /// \brief \return whether the decision was made on the flow's features
    bool IsFlowLevel() const;
    /// \brief \return whether the timestamp is set
    bool HasTimestamp() const;
    /// \brief \return whether a switch had no flow register for the packet
    bool HasCollision() const;
    /// \brief \return the class, or NO_CLASS
    uint16_t GetClass() const;
    /// \brief \return the model that decided, or NO_MODEL
    uint8_t GetModel() const;
    /// \brief \return sub-models that ran and handed the packet on
    uint8_t GetModelsRun() const;
    /// \brief \return the packet's position in its flow (0: unknown)
    uint16_t GetPacketIndex() const;
    /// \brief \return the ingress timestamp in ns (0 when not set)
    uint64_t GetTimestampNs() const;

    /**
     * \brief Record a decision.
     * \param cls the class (not NO_CLASS)
     * \param model the sub-model's index in the chain (not NO_MODEL)
     * \param flowLevel whether it was made on the flow's features
     */
    void SetDecision(uint16_t cls, uint8_t model, bool flowLevel);
    /// \brief Set the count of sub-models that ran and handed the packet on.
    void SetModelsRun(uint8_t models);
    /// \brief Set the packet's position in its flow (saturating at 65535).
    void SetPacketIndex(uint32_t index);
    /// \brief Set the ingress timestamp (and TIMESTAMPED).
    void SetTimestampNs(uint64_t ns);
    /// \brief Mark that a switch had no flow register for the packet.
    void SetCollision();

    /// \brief \return whether two headers have the same fields
    bool operator==(const DuneHeader& other) const;
    /// \brief \return whether two headers differ
    bool operator!=(const DuneHeader& other) const;

  private:
    /// Check the fields just read; sets m_error.
    void Check();

    uint8_t m_version = VERSION;
    uint8_t m_flags = 0;
    uint8_t m_modelsRun = 0;
    uint8_t m_model = NO_MODEL;
    uint16_t m_class = NO_CLASS;
    uint16_t m_packetIndex = 0;
    uint64_t m_timestampNs = 0;
    std::string m_error; //!< why the last read header is invalid
};

} // namespace ns3

#endif // DUNE_HEADER_H
