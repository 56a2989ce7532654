/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dune-packet.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/pcap-file.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace ns3
{

namespace
{

uint16_t
Be16(const uint8_t* p)
{
    return static_cast<uint16_t>(static_cast<uint16_t>(p[0]) << 8 | p[1]);
}

uint32_t
Le32(const uint8_t* p)
{
    return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
           static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

uint32_t
Swap32(uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
}

uint16_t
Swap16(uint16_t v)
{
    return static_cast<uint16_t>((v >> 8) | (v << 8));
}

void
Put16(std::vector<uint8_t>& out, uint32_t v)
{
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
}

std::string
Hex32(uint32_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
}

/// Bytes the transport header needs: MALFORMED when the IP header says they cannot be there,
/// TRUNCATED when they could but were not captured.
DuneSkipReason
NeedTransport(size_t declared, size_t available, size_t needed)
{
    if (declared < needed)
    {
        return DuneSkipReason::MALFORMED;
    }
    if (available < needed)
    {
        return DuneSkipReason::TRUNCATED;
    }
    return DuneSkipReason::NONE;
}

/**
 * Parse an IP packet.  wantVersion 0 accepts either version (raw link types say nothing).
 */
DuneSkipReason
ParseIp(const uint8_t* d, size_t length, int wantVersion, DunePacket& p)
{
    if (length < 1)
    {
        return DuneSkipReason::TRUNCATED;
    }
    const int version = d[0] >> 4;
    if ((wantVersion != 0 && version != wantVersion) || (version != 4 && version != 6))
    {
        return DuneSkipReason::MALFORMED;
    }
    const uint8_t* l4 = nullptr;
    size_t declared = 0;  // transport bytes the IP header announces
    size_t available = 0; // transport bytes captured
    if (version == 4)
    {
        if (length < 20)
        {
            return DuneSkipReason::TRUNCATED;
        }
        const size_t ihl = static_cast<size_t>(d[0] & 0x0f) * 4;
        const size_t total = Be16(d + 2);
        // A total length of 0 is what segmentation offload leaves in captures: no length to use.
        if (ihl < 20 || total < ihl)
        {
            return DuneSkipReason::MALFORMED;
        }
        if (length < ihl)
        {
            return DuneSkipReason::TRUNCATED;
        }
        p.ipVersion = 4;
        p.tos = d[1];
        p.ttl = d[8];
        p.protocol = d[9];
        std::copy(d + 12, d + 16, p.srcAddress.begin());
        std::copy(d + 16, d + 20, p.dstAddress.begin());
        p.ipLength = static_cast<uint32_t>(total);
        p.ipHeaderLength = static_cast<uint16_t>(ihl);
        if ((Be16(d + 6) & 0x1fff) != 0)
        {
            return DuneSkipReason::FRAGMENT;
        }
        l4 = d + ihl;
        declared = total - ihl;
        available = std::min(length, total) - ihl; // Ethernet padding is not payload
    }
    else
    {
        if (length < 40)
        {
            return DuneSkipReason::TRUNCATED;
        }
        const size_t end = 40 + static_cast<size_t>(Be16(d + 4));
        const size_t captured = std::min(length, end);
        p.ipVersion = 6;
        p.tos = static_cast<uint8_t>((d[0] & 0x0f) << 4 | d[1] >> 4);
        p.ttl = d[7];
        std::copy(d + 8, d + 24, p.srcAddress.begin());
        std::copy(d + 24, d + 40, p.dstAddress.begin());
        p.ipLength = static_cast<uint32_t>(end);
        uint8_t next = d[6];
        size_t offset = 40;
        // Extension headers before the transport; a bound on their number stops a loop of
        // crafted headers early.
        bool transport = false;
        for (int i = 0; i < 16 && !transport; ++i)
        {
            size_t extLength = 0;
            switch (next)
            {
            case 0:  // hop-by-hop options
            case 43: // routing
            case 60: // destination options
            case 51: // authentication header
                if (offset + 2 > end)
                {
                    return DuneSkipReason::MALFORMED;
                }
                if (offset + 2 > captured)
                {
                    return DuneSkipReason::TRUNCATED;
                }
                extLength = next == 51 ? (static_cast<size_t>(d[offset + 1]) + 2) * 4
                                       : (static_cast<size_t>(d[offset + 1]) + 1) * 8;
                break;
            case 44: // fragment
                if (offset + 8 > end)
                {
                    return DuneSkipReason::MALFORMED;
                }
                if (offset + 8 > captured)
                {
                    return DuneSkipReason::TRUNCATED;
                }
                if ((Be16(d + offset + 2) & 0xfff8) != 0)
                {
                    p.protocol = d[offset];
                    p.ipHeaderLength = static_cast<uint16_t>(offset + 8);
                    return DuneSkipReason::FRAGMENT;
                }
                extLength = 8;
                break;
            default:
                transport = true;
                continue;
            }
            next = d[offset];
            offset += extLength;
            if (offset > end)
            {
                return DuneSkipReason::MALFORMED;
            }
        }
        if (!transport)
        {
            return DuneSkipReason::MALFORMED;
        }
        if (offset > captured)
        {
            return DuneSkipReason::TRUNCATED;
        }
        p.protocol = next;
        p.ipHeaderLength = static_cast<uint16_t>(offset);
        l4 = d + offset;
        declared = end - offset;
        available = captured - offset;
    }

    DuneSkipReason r = DuneSkipReason::NONE;
    switch (p.protocol)
    {
    case DUNE_PROTO_TCP: {
        if ((r = NeedTransport(declared, available, 20)) != DuneSkipReason::NONE)
        {
            return r;
        }
        const uint8_t dataOffset = l4[12] >> 4;
        if (dataOffset < 5 || static_cast<size_t>(dataOffset) * 4 > declared)
        {
            return DuneSkipReason::MALFORMED;
        }
        p.srcPort = Be16(l4);
        p.dstPort = Be16(l4 + 2);
        p.tcpHeaderLength = dataOffset;
        p.tcpFlags = l4[13];
        p.tcpWindow = Be16(l4 + 14);
        break;
    }
    case DUNE_PROTO_UDP: {
        if ((r = NeedTransport(declared, available, 8)) != DuneSkipReason::NONE)
        {
            return r;
        }
        const uint16_t udpLength = Be16(l4 + 4);
        if (udpLength < 8 || udpLength > declared)
        {
            return DuneSkipReason::MALFORMED;
        }
        p.srcPort = Be16(l4);
        p.dstPort = Be16(l4 + 2);
        p.udpLength = udpLength;
        break;
    }
    case DUNE_PROTO_ICMP:
    case DUNE_PROTO_ICMPV6:
        if ((r = NeedTransport(declared, available, 4)) != DuneSkipReason::NONE)
        {
            return r;
        }
        p.icmpType = l4[0];
        p.icmpCode = l4[1];
        break;
    default:
        break;
    }
    return DuneSkipReason::NONE;
}

bool
SupportedLinkType(uint32_t linkType)
{
    switch (linkType)
    {
    case DUNE_LINKTYPE_NULL:
    case DUNE_LINKTYPE_ETHERNET:
    case DUNE_LINKTYPE_PPP:
    case DUNE_LINKTYPE_RAW_OLD:
    case DUNE_LINKTYPE_RAW:
    case DUNE_LINKTYPE_LINUX_SLL:
    case DUNE_LINKTYPE_IPV4:
    case DUNE_LINKTYPE_IPV6:
        return true;
    default:
        return false;
    }
}

} // namespace

bool
DunePacket::HasFlag(uint8_t flag) const
{
    return (tcpFlags & flag) == flag;
}

std::string
DunePacket::SourceText() const
{
    return DuneAddressText(ipVersion, srcAddress);
}

std::string
DunePacket::DestinationText() const
{
    return DuneAddressText(ipVersion, dstAddress);
}

std::string
DuneAddressText(uint8_t version, const std::array<uint8_t, 16>& bytes)
{
    char buf[INET6_ADDRSTRLEN] = {};
    if (!inet_ntop(version == 6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf))
    {
        return "?";
    }
    return buf;
}

bool
DuneParseAddress(const std::string& text, uint8_t& version, std::array<uint8_t, 16>& bytes)
{
    std::array<uint8_t, 16> b{};
    if (inet_pton(AF_INET, text.c_str(), b.data()) == 1)
    {
        version = 4;
        bytes = b;
        return true;
    }
    if (inet_pton(AF_INET6, text.c_str(), b.data()) == 1)
    {
        version = 6;
        bytes = b;
        return true;
    }
    return false;
}

std::string
DuneMacText(const std::array<uint8_t, 6>& mac)
{
    char buf[20];
    std::snprintf(buf,
                  sizeof buf,
                  "%02x:%02x:%02x:%02x:%02x:%02x",
                  mac[0],
                  mac[1],
                  mac[2],
                  mac[3],
                  mac[4],
                  mac[5]);
    return buf;
}

std::string
DuneSkipReasonName(DuneSkipReason reason)
{
    switch (reason)
    {
    case DuneSkipReason::NONE:
        return "parsed";
    case DuneSkipReason::NOT_IP:
        return "not IP";
    case DuneSkipReason::TRUNCATED:
        return "truncated";
    case DuneSkipReason::MALFORMED:
        return "malformed";
    case DuneSkipReason::FRAGMENT:
        return "IP fragment";
    case DuneSkipReason::OTHER_PROTOCOL:
        return "not TCP/UDP";
    }
    return "unknown";
}

DuneSkipReason
DuneParseFrame(const uint8_t* data, size_t capturedLength, uint32_t linkType, DunePacket& packet)
{
    packet = DunePacket();
    switch (linkType)
    {
    case DUNE_LINKTYPE_ETHERNET: {
        if (capturedLength < 14)
        {
            return DuneSkipReason::TRUNCATED;
        }
        packet.hasMac = true;
        std::copy(data, data + 6, packet.dstMac.begin());
        std::copy(data + 6, data + 12, packet.srcMac.begin());
        uint16_t type = Be16(data + 12);
        size_t offset = 14;
        for (int tags = 0; tags < 2 && (type == 0x8100 || type == 0x88a8 || type == 0x9100); ++tags)
        {
            if (capturedLength < offset + 4)
            {
                return DuneSkipReason::TRUNCATED;
            }
            type = Be16(data + offset + 2);
            offset += 4;
        }
        if (type != 0x0800 && type != 0x86dd)
        {
            return DuneSkipReason::NOT_IP;
        }
        return ParseIp(data + offset, capturedLength - offset, type == 0x0800 ? 4 : 6, packet);
    }
    case DUNE_LINKTYPE_PPP: {
        size_t offset = 0;
        if (capturedLength >= 2 && data[0] == 0xff && data[1] == 0x03)
        {
            offset = 2; // HDLC address and control; ns-3 writes the protocol only
        }
        if (capturedLength < offset + 2)
        {
            return DuneSkipReason::TRUNCATED;
        }
        const uint16_t protocol = Be16(data + offset);
        if (protocol != 0x0021 && protocol != 0x0057)
        {
            return DuneSkipReason::NOT_IP;
        }
        return ParseIp(data + offset + 2,
                       capturedLength - offset - 2,
                       protocol == 0x0021 ? 4 : 6,
                       packet);
    }
    case DUNE_LINKTYPE_RAW:
    case DUNE_LINKTYPE_RAW_OLD:
        return ParseIp(data, capturedLength, 0, packet);
    case DUNE_LINKTYPE_IPV4:
        return ParseIp(data, capturedLength, 4, packet);
    case DUNE_LINKTYPE_IPV6:
        return ParseIp(data, capturedLength, 6, packet);
    case DUNE_LINKTYPE_NULL: {
        if (capturedLength < 4)
        {
            return DuneSkipReason::TRUNCATED;
        }
        // The family is in the byte order of the capturing host, which the file does not say.
        const uint32_t le = Le32(data);
        for (uint32_t family : {le, Swap32(le)})
        {
            if (family == 2)
            {
                return ParseIp(data + 4, capturedLength - 4, 4, packet);
            }
            if (family == 24 || family == 28 || family == 30)
            {
                return ParseIp(data + 4, capturedLength - 4, 6, packet);
            }
        }
        return DuneSkipReason::NOT_IP;
    }
    case DUNE_LINKTYPE_LINUX_SLL: {
        if (capturedLength < 16)
        {
            return DuneSkipReason::TRUNCATED;
        }
        const uint16_t protocol = Be16(data + 14);
        if (protocol != 0x0800 && protocol != 0x86dd)
        {
            return DuneSkipReason::NOT_IP;
        }
        return ParseIp(data + 16, capturedLength - 16, protocol == 0x0800 ? 4 : 6, packet);
    }
    default:
        return DuneSkipReason::NOT_IP;
    }
}

uint64_t
DunePcapSummary::Skipped() const
{
    uint64_t total = 0;
    for (uint64_t s : skipped)
    {
        total += s;
    }
    return total;
}

std::string
DunePcapSummary::ToString() const
{
    std::string text =
        path + ": " + std::to_string(records) + " records, " + std::to_string(packets) + " packets";
    if (Skipped() == 0)
    {
        return text + ", none skipped";
    }
    text += "; skipped " + std::to_string(Skipped()) + ":";
    bool first = true;
    for (size_t r = 1; r < DUNE_SKIP_REASON_COUNT; ++r)
    {
        if (skipped[r] == 0)
        {
            continue;
        }
        text += (first ? " " : ", ") + std::to_string(skipped[r]) + " " +
                DuneSkipReasonName(static_cast<DuneSkipReason>(r)) + " (first: packet " +
                std::to_string(firstSkipped[r]) + ")";
        first = false;
    }
    return text;
}

DunePcapReader::DunePcapReader(const std::string& path, const DunePcapOptions& options)
    : m_options(options)
{
    m_summary.path = path;
    m_fileSize = CheckInputFile(path, options.maxFileBytes);
    // The header is checked here, byte by byte, because PcapFile only says that it failed.
    uint8_t header[24] = {};
    {
        std::ifstream in(path, std::ios::binary);
        if (!in)
        {
            throw AisfcInputError(path, "cannot open file");
        }
        in.read(reinterpret_cast<char*>(header),
                static_cast<std::streamsize>(std::min<uint64_t>(24, m_fileSize)));
    }
    const std::string place = path + ": file header";
    if (m_fileSize < 4)
    {
        throw AisfcInputError(place,
                              "truncated: the file has " + std::to_string(m_fileSize) +
                                  " bytes, a pcap header needs 24");
    }
    const uint32_t magic = Le32(header);
    const bool swapped = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
    if (magic != 0xa1b2c3d4u && magic != 0xa1b23c4du && !swapped)
    {
        std::string hint = "not a pcap file";
        if (magic == 0x0a0d0d0au)
        {
            hint = "a pcapng file: only classic pcap is read (convert it with "
                   "'editcap -F pcap IN OUT')";
        }
        else if (header[0] == 0x1f && header[1] == 0x8b)
        {
            hint = "a gzip-compressed file: decompress it first";
        }
        throw AisfcInputError(place, "bad magic number " + Hex32(magic) + ": " + hint);
    }
    if (m_fileSize < 24)
    {
        throw AisfcInputError(place,
                              "truncated: the file has " + std::to_string(m_fileSize) +
                                  " bytes, a pcap header needs 24");
    }
    uint16_t major = static_cast<uint16_t>(header[4] | header[5] << 8);
    uint16_t minor = static_cast<uint16_t>(header[6] | header[7] << 8);
    uint32_t zone = Le32(header + 8);
    uint32_t linkType = Le32(header + 20);
    if (swapped)
    {
        major = Swap16(major);
        minor = Swap16(minor);
        zone = Swap32(zone);
        linkType = Swap32(linkType);
    }
    if (major != 2 || minor != 4)
    {
        throw AisfcInputError(place,
                              "pcap version " + std::to_string(major) + "." +
                                  std::to_string(minor) + ", expected 2.4");
    }
    const int32_t zoneValue = static_cast<int32_t>(zone);
    if (zoneValue < -12 || zoneValue > 12)
    {
        throw AisfcInputError(place,
                              "corrupt: time zone offset " + std::to_string(zoneValue) +
                                  " outside [-12, 12]");
    }
    linkType &= 0xffffu; // the upper bits say whether frames carry an FCS, which is not read
    if (!SupportedLinkType(linkType))
    {
        throw AisfcInputError(place,
                              "link type " + std::to_string(linkType) +
                                  " is not supported (Ethernet 1, raw IP 101, 12, 228, 229, "
                                  "PPP 9, Linux cooked 113, BSD loopback 0)");
    }
    m_file = std::make_unique<PcapFile>();
    m_file->Open(path, std::ios::in);
    if (m_file->Fail())
    {
        throw AisfcInputError(place, "ns-3 PcapFile could not read the header");
    }
    m_summary.linkType = linkType;
    m_summary.nanosecond = m_file->IsNanoSecMode();
    m_offset = 24;
    m_buffer.resize(DUNE_MAX_PCAP_RECORD_BYTES);
}

DunePcapReader::~DunePcapReader()
{
    if (m_file)
    {
        m_file->Close();
    }
}

bool
DunePcapReader::Next(DunePacket& packet)
{
    while (!m_done)
    {
        if ((m_options.maxRecords != 0 && m_summary.records >= m_options.maxRecords) ||
            m_offset == m_fileSize)
        {
            m_done = true;
            break;
        }
        const uint64_t record = m_summary.records + 1;
        const uint64_t remaining = m_fileSize - m_offset;
        auto place = [&]() {
            return m_summary.path + ": packet " + std::to_string(record) + " at offset " +
                   std::to_string(m_offset);
        };
        if (remaining < 16)
        {
            throw AisfcInputError(place(),
                                  "truncated record header: " + std::to_string(remaining) +
                                      " bytes left, a record header needs 16");
        }
        uint32_t tsSec = 0;
        uint32_t tsSub = 0;
        uint32_t inclLen = 0;
        uint32_t origLen = 0;
        uint32_t readLen = 0;
        m_file->Read(m_buffer.data(),
                     static_cast<uint32_t>(m_buffer.size()),
                     tsSec,
                     tsSub,
                     inclLen,
                     origLen,
                     readLen);
        if (inclLen > DUNE_MAX_PCAP_RECORD_BYTES)
        {
            throw AisfcInputError(place(),
                                  "corrupt record header: captured length " +
                                      std::to_string(inclLen) + " exceeds " +
                                      std::to_string(DUNE_MAX_PCAP_RECORD_BYTES));
        }
        if (inclLen > remaining - 16)
        {
            throw AisfcInputError(place(),
                                  "truncated record: the header announces " +
                                      std::to_string(inclLen) + " bytes, " +
                                      std::to_string(remaining - 16) + " follow");
        }
        if (m_file->Fail())
        {
            throw AisfcInputError(place(), "read error");
        }
        const uint32_t subLimit = m_summary.nanosecond ? 1000000000u : 1000000u;
        if (tsSub >= subLimit)
        {
            throw AisfcInputError(place(),
                                  "corrupt record header: sub-second timestamp " +
                                      std::to_string(tsSub) + " is not below " +
                                      std::to_string(subLimit));
        }
        m_offset += 16 + static_cast<uint64_t>(inclLen);
        ++m_summary.records;
        DuneSkipReason reason =
            DuneParseFrame(m_buffer.data(), readLen, m_summary.linkType, packet);
        if (reason == DuneSkipReason::NONE && m_options.tcpUdpOnly &&
            packet.protocol != DUNE_PROTO_TCP && packet.protocol != DUNE_PROTO_UDP)
        {
            reason = DuneSkipReason::OTHER_PROTOCOL;
        }
        if (reason != DuneSkipReason::NONE)
        {
            const size_t r = static_cast<size_t>(reason);
            if (m_summary.skipped[r]++ == 0)
            {
                m_summary.firstSkipped[r] = record;
            }
            continue;
        }
        packet.timestampNs = static_cast<uint64_t>(tsSec) * 1000000000ULL +
                             (m_summary.nanosecond ? tsSub : static_cast<uint64_t>(tsSub) * 1000);
        packet.frameLength = std::max(origLen, inclLen);
        ++m_summary.packets;
        return true;
    }
    return false;
}

const DunePcapSummary&
DunePcapReader::GetSummary() const
{
    return m_summary;
}

std::vector<DunePacket>
DunePcapReader::ReadAll(const std::string& path,
                        const DunePcapOptions& options,
                        DunePcapSummary* summary)
{
    DunePcapReader reader(path, options);
    std::vector<DunePacket> packets;
    DunePacket p;
    while (reader.Next(p))
    {
        packets.push_back(p);
    }
    if (summary)
    {
        *summary = reader.GetSummary();
    }
    return packets;
}

DunePcapWriter::DunePcapWriter(const std::string& path, const DunePcapWriterOptions& options)
    : m_path(path),
      m_options(options)
{
    switch (options.linkType)
    {
    case DUNE_LINKTYPE_ETHERNET:
    case DUNE_LINKTYPE_RAW:
    case DUNE_LINKTYPE_IPV4:
    case DUNE_LINKTYPE_IPV6:
    case DUNE_LINKTYPE_PPP:
        break;
    default:
        throw std::invalid_argument("DunePcapWriter: link type " +
                                    std::to_string(options.linkType) + " cannot be written");
    }
    m_file = std::make_unique<PcapFile>();
    m_file->Open(path, std::ios::out);
    if (m_file->Fail())
    {
        throw std::runtime_error(path + ": cannot write file");
    }
    m_file->Init(options.linkType, options.snapLength, 0, false, options.nanosecond);
    if (m_file->Fail())
    {
        throw std::runtime_error(path + ": cannot write file");
    }
}

DunePcapWriter::~DunePcapWriter()
{
    if (m_file)
    {
        m_file->Close();
    }
}

void
DunePcapWriter::Write(const DunePacket& packet)
{
    if (!m_file)
    {
        throw std::logic_error(m_path + ": write after Close");
    }
    const std::vector<uint8_t> frame = EncodeFrame(packet, m_options.linkType);
    const uint64_t sec = packet.timestampNs / 1000000000ULL;
    const uint64_t sub = packet.timestampNs % 1000000000ULL;
    if (sec > UINT32_MAX)
    {
        throw std::invalid_argument("DunePcapWriter: timestamp " +
                                    std::to_string(packet.timestampNs) +
                                    " ns does not fit a pcap record");
    }
    m_file->Write(static_cast<uint32_t>(sec),
                  static_cast<uint32_t>(m_options.nanosecond ? sub : sub / 1000),
                  frame.data(),
                  static_cast<uint32_t>(frame.size()));
    if (m_file->Fail())
    {
        throw std::runtime_error(m_path + ": cannot write file");
    }
}

void
DunePcapWriter::Close()
{
    if (m_file)
    {
        m_file->Close();
        m_file.reset();
    }
}

std::vector<uint8_t>
DunePcapWriter::EncodeFrame(const DunePacket& p, uint32_t linkType)
{
    auto bad = [](const std::string& what) {
        throw std::invalid_argument("DunePcapWriter: " + what);
    };
    if (p.ipVersion != 4 && p.ipVersion != 6)
    {
        bad("IP version " + std::to_string(p.ipVersion));
    }
    size_t transport = 0;
    if (p.protocol == DUNE_PROTO_TCP)
    {
        if (p.tcpHeaderLength < 5 || p.tcpHeaderLength > 15)
        {
            bad("TCP data offset " + std::to_string(p.tcpHeaderLength) + " outside [5, 15]");
        }
        transport = static_cast<size_t>(p.tcpHeaderLength) * 4;
    }
    else if (p.protocol == DUNE_PROTO_UDP)
    {
        transport = 8;
    }
    else if (p.protocol == DUNE_PROTO_ICMP || p.protocol == DUNE_PROTO_ICMPV6)
    {
        transport = 8;
    }

    std::vector<uint8_t> frame;
    switch (linkType)
    {
    case DUNE_LINKTYPE_ETHERNET: {
        const std::array<uint8_t, 6> dst = {0x02, 0, 0, 0, 0, 0x02};
        const std::array<uint8_t, 6> src = {0x02, 0, 0, 0, 0, 0x01};
        const auto& d = p.hasMac ? p.dstMac : dst;
        const auto& s = p.hasMac ? p.srcMac : src;
        frame.insert(frame.end(), d.begin(), d.end());
        frame.insert(frame.end(), s.begin(), s.end());
        Put16(frame, p.ipVersion == 4 ? 0x0800 : 0x86dd);
        break;
    }
    case DUNE_LINKTYPE_PPP:
        Put16(frame, p.ipVersion == 4 ? 0x0021 : 0x0057);
        break;
    case DUNE_LINKTYPE_RAW:
        break;
    case DUNE_LINKTYPE_IPV4:
    case DUNE_LINKTYPE_IPV6:
        if ((linkType == DUNE_LINKTYPE_IPV4) != (p.ipVersion == 4))
        {
            bad("link type " + std::to_string(linkType) + " cannot carry IPv" +
                std::to_string(p.ipVersion));
        }
        break;
    default:
        bad("link type " + std::to_string(linkType) + " cannot be written");
    }
    const size_t ipStart = frame.size();

    if (p.ipVersion == 4)
    {
        const size_t ihl = p.ipHeaderLength;
        if (ihl < 20 || ihl > 60 || ihl % 4 != 0)
        {
            bad("IPv4 header length " + std::to_string(ihl) +
                " is not a multiple of 4 in [20, 60]");
        }
        if (p.ipLength < ihl + transport || p.ipLength > 65535)
        {
            bad("IPv4 length " + std::to_string(p.ipLength) + " outside [" +
                std::to_string(ihl + transport) + ", 65535]");
        }
        frame.push_back(static_cast<uint8_t>(0x40 | ihl / 4));
        frame.push_back(p.tos);
        Put16(frame, p.ipLength);
        Put16(frame, 0);      // identification
        Put16(frame, 0x4000); // don't fragment
        frame.push_back(p.ttl);
        frame.push_back(p.protocol);
        Put16(frame, 0); // checksum, below
        frame.insert(frame.end(), p.srcAddress.begin(), p.srcAddress.begin() + 4);
        frame.insert(frame.end(), p.dstAddress.begin(), p.dstAddress.begin() + 4);
        frame.resize(ipStart + ihl, 0x01); // NOP options
        uint32_t sum = 0;
        for (size_t i = ipStart; i < ipStart + ihl; i += 2)
        {
            sum += Be16(frame.data() + i);
        }
        while (sum >> 16)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        const uint16_t checksum = static_cast<uint16_t>(~sum);
        frame[ipStart + 10] = static_cast<uint8_t>(checksum >> 8);
        frame[ipStart + 11] = static_cast<uint8_t>(checksum);
    }
    else
    {
        if (p.ipHeaderLength < 40 || (p.ipHeaderLength - 40) % 8 != 0 ||
            p.ipHeaderLength - 40 > 2048)
        {
            bad("IPv6 header length " + std::to_string(p.ipHeaderLength) +
                ": 40 plus a multiple of 8 up to 2048 expected");
        }
        const size_t ext = p.ipHeaderLength - 40u;
        if (p.ipLength < p.ipHeaderLength + transport || p.ipLength > 65535 + 40)
        {
            bad("IPv6 length " + std::to_string(p.ipLength) + " outside [" +
                std::to_string(p.ipHeaderLength + transport) + ", 65575]");
        }
        frame.push_back(static_cast<uint8_t>(0x60 | p.tos >> 4));
        frame.push_back(static_cast<uint8_t>((p.tos & 0x0f) << 4));
        Put16(frame, 0); // flow label
        Put16(frame, p.ipLength - 40);
        frame.push_back(ext > 0 ? 60 : p.protocol);
        frame.push_back(p.ttl);
        frame.insert(frame.end(), p.srcAddress.begin(), p.srcAddress.end());
        frame.insert(frame.end(), p.dstAddress.begin(), p.dstAddress.end());
        if (ext > 0)
        {
            // One destination options header of padding options only.
            frame.push_back(p.protocol);
            frame.push_back(static_cast<uint8_t>(ext / 8 - 1));
            size_t left = ext - 2;
            while (left > 0)
            {
                if (left == 1)
                {
                    frame.push_back(0); // Pad1
                    break;
                }
                size_t chunk = std::min<size_t>(left, 257); // PadN covers 2 to 257 bytes
                if (left - chunk == 1)
                {
                    --chunk; // a PadN for the last 2 bytes rather than a lone byte
                }
                frame.push_back(1); // PadN
                frame.push_back(static_cast<uint8_t>(chunk - 2));
                frame.insert(frame.end(), chunk - 2, 0);
                left -= chunk;
            }
        }
    }

    const size_t l4 = frame.size();
    if (p.protocol == DUNE_PROTO_TCP)
    {
        Put16(frame, p.srcPort);
        Put16(frame, p.dstPort);
        frame.insert(frame.end(), 8, 0); // sequence and acknowledgement numbers
        frame.push_back(static_cast<uint8_t>(p.tcpHeaderLength << 4));
        frame.push_back(p.tcpFlags);
        Put16(frame, p.tcpWindow);
        Put16(frame, 0);                    // checksum
        Put16(frame, 0);                    // urgent pointer
        frame.resize(l4 + transport, 0x01); // NOP options
    }
    else if (p.protocol == DUNE_PROTO_UDP)
    {
        Put16(frame, p.srcPort);
        Put16(frame, p.dstPort);
        Put16(frame, p.udpLength);
        Put16(frame, 0);
    }
    else if (transport == 8)
    {
        frame.push_back(p.icmpType);
        frame.push_back(p.icmpCode);
        frame.insert(frame.end(), 6, 0);
    }
    frame.resize(ipStart + p.ipLength, 0);
    return frame;
}

void
DunePcapWriter::WriteAll(const std::string& path,
                         const std::vector<DunePacket>& packets,
                         const DunePcapWriterOptions& options)
{
    DunePcapWriter writer(path, options);
    for (const DunePacket& p : packets)
    {
        writer.Write(p);
    }
    writer.Close();
}

} // namespace ns3
