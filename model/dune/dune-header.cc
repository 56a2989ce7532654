/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dune-header.h"

#include "ns3/aisfc-bytes.h"

#include <ostream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(DuneHeader);

TypeId
DuneHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DuneHeader")
                            .SetParent<Header>()
                            .SetGroupName("Aisfc")
                            .AddConstructor<DuneHeader>();
    return tid;
}

TypeId
DuneHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
DuneHeader::GetSerializedSize() const
{
    return SIZE;
}

void
DuneHeader::Serialize(Buffer::Iterator i) const
{
    i.WriteU8(static_cast<uint8_t>(m_version << 4));
    i.WriteU8(m_flags);
    i.WriteU8(m_modelsRun);
    i.WriteU8(m_model);
    i.WriteHtonU16(m_class);
    i.WriteHtonU16(m_packetIndex);
    i.WriteHtonU64(m_timestampNs);
}

uint32_t
DuneHeader::Deserialize(Buffer::Iterator start)
{
    if (start.GetRemainingSize() < SIZE)
    {
        *this = DuneHeader();
        m_error = "truncated: " + std::to_string(start.GetRemainingSize()) + " bytes, " +
                  std::to_string(SIZE) + " needed";
        return 0;
    }
    uint8_t bytes[SIZE];
    start.Read(bytes, SIZE);
    Parse(bytes, SIZE, *this);
    return SIZE;
}

bool
DuneHeader::Parse(const uint8_t* d, size_t length, DuneHeader& h)
{
    h = DuneHeader();
    if (d == nullptr || length < SIZE)
    {
        h.m_error = "truncated: " + std::to_string(d ? length : 0) + " bytes, " +
                    std::to_string(SIZE) + " needed";
        return false;
    }
    h.m_version = d[0] >> 4;
    const uint8_t reserved = d[0] & 0x0f;
    h.m_flags = d[1];
    h.m_modelsRun = d[2];
    h.m_model = d[3];
    h.m_class = static_cast<uint16_t>(AisfcGetBigEndian(d + 4, 2));
    h.m_packetIndex = static_cast<uint16_t>(AisfcGetBigEndian(d + 6, 2));
    h.m_timestampNs = AisfcGetBigEndian(d + 8, 8);
    if (reserved != 0)
    {
        h.m_error = "reserved bits set in byte 0";
        return false;
    }
    h.Check();
    return h.m_error.empty();
}

void
DuneHeader::Check()
{
    m_error.clear();
    if (m_version != VERSION)
    {
        m_error = "version " + std::to_string(m_version) + ", expected " + std::to_string(VERSION);
    }
    else if (m_flags & ~KNOWN_FLAGS)
    {
        m_error = "unknown flags " + std::to_string(m_flags & ~KNOWN_FLAGS);
    }
    else if ((m_flags & CLASSIFIED) && (m_class == NO_CLASS || m_model == NO_MODEL))
    {
        m_error = "classified without a class or a model";
    }
    else if (!(m_flags & CLASSIFIED) && (m_flags & FLOW_LEVEL))
    {
        m_error = "flow-level decision on an unclassified packet";
    }
    else if (!(m_flags & CLASSIFIED) && (m_class != NO_CLASS || m_model != NO_MODEL))
    {
        m_error = "a class or a model on an unclassified packet";
    }
    else if (!(m_flags & TIMESTAMPED) && m_timestampNs != 0)
    {
        m_error = "a timestamp without TIMESTAMPED";
    }
}

void
DuneHeader::Print(std::ostream& os) const
{
    os << "dune v" << unsigned(m_version) << " flags=";
    const char* names[] = {"C", "F", "T", "X"};
    bool any = false;
    for (int b = 0; b < 4; ++b)
    {
        if (m_flags & (1 << b))
        {
            os << (any ? "|" : "") << names[b];
            any = true;
        }
    }
    if (!any)
    {
        os << "-";
    }
    os << " run=" << unsigned(m_modelsRun);
    if (m_flags & CLASSIFIED)
    {
        os << " class=" << m_class << " model=" << unsigned(m_model);
    }
    os << " index=" << m_packetIndex << " ts=" << m_timestampNs << "ns";
    if (!m_error.empty())
    {
        os << " invalid: " << m_error;
    }
}

bool
DuneHeader::IsValid() const
{
    return m_error.empty();
}

const std::string&
DuneHeader::GetError() const
{
    return m_error;
}

uint8_t
DuneHeader::GetFlags() const
{
    return m_flags;
}

bool
DuneHeader::IsClassified() const
{
    return m_flags & CLASSIFIED;
}

bool
DuneHeader::IsFlowLevel() const
{
    return m_flags & FLOW_LEVEL;
}

bool
DuneHeader::HasTimestamp() const
{
    return m_flags & TIMESTAMPED;
}

bool
DuneHeader::HasCollision() const
{
    return m_flags & COLLISION;
}

uint16_t
DuneHeader::GetClass() const
{
    return m_class;
}

uint8_t
DuneHeader::GetModel() const
{
    return m_model;
}

uint8_t
DuneHeader::GetModelsRun() const
{
    return m_modelsRun;
}

uint16_t
DuneHeader::GetPacketIndex() const
{
    return m_packetIndex;
}

uint64_t
DuneHeader::GetTimestampNs() const
{
    return m_timestampNs;
}

void
DuneHeader::SetDecision(uint16_t cls, uint8_t model, bool flowLevel)
{
    m_class = cls;
    m_model = model;
    m_flags |= CLASSIFIED;
    m_flags = flowLevel ? (m_flags | FLOW_LEVEL) : (m_flags & ~FLOW_LEVEL);
}

void
DuneHeader::SetModelsRun(uint8_t models)
{
    m_modelsRun = models;
}

void
DuneHeader::SetPacketIndex(uint32_t index)
{
    m_packetIndex = static_cast<uint16_t>(index > 0xffff ? 0xffff : index);
}

void
DuneHeader::SetTimestampNs(uint64_t ns)
{
    m_timestampNs = ns;
    m_flags |= TIMESTAMPED;
}

void
DuneHeader::SetCollision()
{
    m_flags |= COLLISION;
}

bool
DuneHeader::operator==(const DuneHeader& o) const
{
    return m_version == o.m_version && m_flags == o.m_flags && m_modelsRun == o.m_modelsRun &&
           m_model == o.m_model && m_class == o.m_class && m_packetIndex == o.m_packetIndex &&
           m_timestampNs == o.m_timestampNs;
}

bool
DuneHeader::operator!=(const DuneHeader& o) const
{
    return !(*this == o);
}

} // namespace ns3
