/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DUNE_PACKET_H
#define DUNE_PACKET_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

class PcapFile;

/// IP protocol numbers the DUNE features distinguish.
constexpr uint8_t DUNE_PROTO_ICMP = 1;    //!< ICMP
constexpr uint8_t DUNE_PROTO_TCP = 6;     //!< TCP
constexpr uint8_t DUNE_PROTO_UDP = 17;    //!< UDP
constexpr uint8_t DUNE_PROTO_ICMPV6 = 58; //!< ICMPv6

/// TCP flag bits as in byte 13 of the TCP header.
constexpr uint8_t DUNE_TCP_FIN = 0x01; //!< FIN
constexpr uint8_t DUNE_TCP_SYN = 0x02; //!< SYN
constexpr uint8_t DUNE_TCP_RST = 0x04; //!< RST
constexpr uint8_t DUNE_TCP_PSH = 0x08; //!< PSH
constexpr uint8_t DUNE_TCP_ACK = 0x10; //!< ACK
constexpr uint8_t DUNE_TCP_URG = 0x20; //!< URG
constexpr uint8_t DUNE_TCP_ECE = 0x40; //!< ECN-Echo (Wireshark's tcp.flags.ecn, DUNE's ECE)
constexpr uint8_t DUNE_TCP_CWR = 0x80; //!< CWR

/// pcap link types (LINKTYPE_* of the tcpdump.org registry) the reader understands.
constexpr uint32_t DUNE_LINKTYPE_NULL = 0;        //!< BSD loopback: 4-byte host-order family
constexpr uint32_t DUNE_LINKTYPE_ETHERNET = 1;    //!< DLT_EN10MB, with up to two VLAN tags
constexpr uint32_t DUNE_LINKTYPE_PPP = 9;         //!< PPP as ns-3 writes it (2-byte protocol)
constexpr uint32_t DUNE_LINKTYPE_RAW_OLD = 12;    //!< DLT_RAW on some BSDs: raw IPv4 or IPv6
constexpr uint32_t DUNE_LINKTYPE_RAW = 101;       //!< LINKTYPE_RAW: raw IPv4 or IPv6
constexpr uint32_t DUNE_LINKTYPE_LINUX_SLL = 113; //!< Linux "cooked" capture v1
constexpr uint32_t DUNE_LINKTYPE_IPV4 = 228;      //!< raw IPv4 only
constexpr uint32_t DUNE_LINKTYPE_IPV6 = 229;      //!< raw IPv6 only

/// Largest pcap file DunePcapReader opens unless told otherwise (pcaps outgrow the 64 MiB limit
/// of other aisfc inputs; the reader streams, so this bounds run time, not memory).
constexpr uint64_t DUNE_MAX_PCAP_FILE_BYTES = 4ULL * 1024 * 1024 * 1024;

/// Largest record (captured length) the reader accepts; libpcap's own limit for Ethernet.
constexpr uint32_t DUNE_MAX_PCAP_RECORD_BYTES = 262144;

/**
 * \ingroup aisfc
 * One IP packet as DUNE's features see it: the header fields tshark extracts in DUNE's
 * data generation (data_generation/src/dataGenerator.py, convert_pcap_to_txt), parsed from a
 * captured frame or made by the synthetic generator.
 *
 * Fields that do not apply hold 0 (DUNE fills missing TCP/UDP fields with 0 too): TCP fields
 * of a UDP packet, udpLength of a TCP packet, ports of ICMP.  IPv6 fills the IPv4 fields by
 * analogy (DUNE reads IPv4 only): ipLength = 40 + payload length, ttl = hop limit, tos =
 * traffic class, ipHeaderLength = 40 + extension headers, protocol = the transport after the
 * extension headers.
 */
struct DunePacket
{
    uint64_t timestampNs = 0;             //!< capture time in ns
    uint8_t ipVersion = 4;                //!< 4 or 6
    std::array<uint8_t, 16> srcAddress{}; //!< source; IPv4 in the first 4 bytes, rest 0
    std::array<uint8_t, 16> dstAddress{}; //!< destination, same layout
    uint8_t protocol = 0;                 //!< ip.proto (IPv6: the transport next header)
    uint16_t srcPort = 0;                 //!< srcport (TCP or UDP)
    uint16_t dstPort = 0;                 //!< dstport (TCP or UDP)
    uint32_t ipLength = 0;                //!< ip.len: IPv4 total length, bytes
    uint8_t ttl = 0;                      //!< ip.ttl (IPv6 hop limit)
    uint8_t tos = 0;                      //!< ip.tos (IPv6 traffic class); not a DUNE feature
    uint16_t ipHeaderLength = 0;          //!< ip.hdr_len in bytes (IHL x 4)
    uint8_t tcpFlags = 0;                 //!< TCP flag byte (DUNE_TCP_*)
    uint16_t tcpWindow = 0;               //!< tcp.window_size_value: the raw, unscaled field
    uint8_t tcpHeaderLength = 0;     //!< TCP data offset in 32-bit words (DUNE: tcp.hdr_len / 4)
    uint16_t udpLength = 0;          //!< udp.length: the UDP length field, bytes
    uint8_t icmpType = 0;            //!< ICMP / ICMPv6 type; not a DUNE feature
    uint8_t icmpCode = 0;            //!< ICMP / ICMPv6 code; not a DUNE feature
    uint32_t frameLength = 0;        //!< length of the frame on the wire (pcap original length)
    bool hasMac = false;             //!< whether the MAC addresses below are known
    std::array<uint8_t, 6> srcMac{}; //!< Ethernet source (UNSW labels devices by MAC)
    std::array<uint8_t, 6> dstMac{}; //!< Ethernet destination

    /// \brief \return whether all bits of flag are set in tcpFlags
    bool HasFlag(uint8_t flag) const;

    /// \brief \return the source address as text (dotted quad or RFC 5952 IPv6)
    std::string SourceText() const;

    /// \brief \return the destination address as text
    std::string DestinationText() const;
};

/**
 * \ingroup aisfc
 * \brief An IP address as text.
 * \param version 4 or 6
 * \param bytes the address; IPv4 in the first 4 bytes
 * \return dotted quad or RFC 5952 text
 */
std::string DuneAddressText(uint8_t version, const std::array<uint8_t, 16>& bytes);

/**
 * \ingroup aisfc
 * \brief Parse an IPv4 or IPv6 address.
 * \param text dotted quad or IPv6 text
 * \param version receives 4 or 6
 * \param bytes receives the address, IPv4 in the first 4 bytes
 * \return false when the text is neither
 */
bool DuneParseAddress(const std::string& text, uint8_t& version, std::array<uint8_t, 16>& bytes);

/// \brief \return a MAC address as lower-case "aa:bb:cc:dd:ee:ff"
std::string DuneMacText(const std::array<uint8_t, 6>& mac);

/**
 * \ingroup aisfc
 * Why a frame gave no packet record.  Frames are skipped and counted, never fatal: a capture
 * of real traffic always holds some ARP, fragments or packets cut by the snap length.
 */
enum class DuneSkipReason : uint8_t
{
    NONE = 0,           //!< parsed
    NOT_IP = 1,         //!< link layer carries neither IPv4 nor IPv6 (ARP, LLDP, ...)
    TRUNCATED = 2,      //!< captured bytes end inside a header the features need
    MALFORMED = 3,      //!< a header field contradicts itself or the packet
    FRAGMENT = 4,       //!< a non-first IP fragment: no transport header
    OTHER_PROTOCOL = 5, //!< not TCP/UDP while the reader keeps TCP/UDP only
};

/// Number of DuneSkipReason values.
constexpr size_t DUNE_SKIP_REASON_COUNT = 6;

/// \brief \return the lower-case name of a skip reason ("truncated", "not IP", ...)
std::string DuneSkipReasonName(DuneSkipReason reason);

/**
 * \ingroup aisfc
 * \brief Parse a captured frame into a packet record.
 *
 * This is the parser the pcap reader uses; the ns-3 data plane can call it on a packet's bytes
 * (linkType DUNE_LINKTYPE_RAW for a bare IP packet).
 * \param data the captured bytes
 * \param capturedLength number of bytes at data
 * \param linkType a DUNE_LINKTYPE_* value
 * \param packet receives the fields (timestampNs and frameLength are left to the caller)
 * \return NONE when parsed, else why not (packet is then unspecified)
 */
DuneSkipReason DuneParseFrame(const uint8_t* data,
                              size_t capturedLength,
                              uint32_t linkType,
                              DunePacket& packet);

/**
 * \ingroup aisfc
 * How DunePcapReader reads a file.
 */
struct DunePcapOptions
{
    /// Keep TCP and UDP packets only, as DUNE's tshark filter "ip.proto == 6 or ip.proto == 17"
    /// does; false keeps ICMP and every other transport too (ports 0).
    bool tcpUdpOnly = true;
    uint64_t maxFileBytes = DUNE_MAX_PCAP_FILE_BYTES; //!< larger files are refused
    uint64_t maxRecords = 0;                          //!< stop after this many records; 0 reads all
};

/**
 * \ingroup aisfc
 * What a pcap reader saw: record count, parsed packets and skipped frames by reason.
 */
struct DunePcapSummary
{
    std::string path;        //!< the file
    uint32_t linkType = 0;   //!< its link type
    bool nanosecond = false; //!< whether timestamps have ns resolution
    uint64_t records = 0;    //!< records read
    uint64_t packets = 0;    //!< records that gave a packet
    std::array<uint64_t, DUNE_SKIP_REASON_COUNT> skipped{};      //!< skipped records by reason
    std::array<uint64_t, DUNE_SKIP_REASON_COUNT> firstSkipped{}; //!< record number (from 1)

    /// \brief \return the number of skipped records
    uint64_t Skipped() const;

    /// \brief \return one line: "path: R records, P packets; skipped: 3 truncated (first: packet
    /// 17), ..."
    std::string ToString() const;
};

/**
 * \ingroup aisfc
 * Streams packet records out of a classic pcap file (microsecond or nanosecond, either byte
 * order) through ns-3's PcapFile.
 *
 * The file header is checked first with a message for each way it can be wrong (pcapng,
 * gzip, bad magic, version, link type).  Then records are read one by one; a record whose
 * header or data runs past the end of the file, or whose length no capture could have, makes
 * the file corrupt: AisfcInputError "path: packet N at offset B: ...".  A frame that is read
 * in full but cannot be used (not IP, cut by the snap length, inconsistent, a fragment) is
 * counted in the summary by reason and skipped.
 *
 * \code
 *   DunePcapReader reader("trace.pcap");
 *   DunePacket p;
 *   while (reader.Next(p)) { ... }
 *   std::cout << reader.GetSummary().ToString() << "\n";
 * \endcode
 */
class DunePcapReader
{
  public:
    /**
     * \brief Open a file and check its header.
     * \param path the file
     * \param options filters and limits
     * \throws AisfcInputError naming path when it is missing, too large, not a classic pcap file
     *         or of an unsupported link type
     */
    explicit DunePcapReader(const std::string& path,
                            const DunePcapOptions& options = DunePcapOptions());

    ~DunePcapReader();

    DunePcapReader(const DunePcapReader&) = delete;
    DunePcapReader& operator=(const DunePcapReader&) = delete;

    /**
     * \brief The next usable packet.
     * \param packet receives it
     * \return false at the end of the file (or of options.maxRecords)
     * \throws AisfcInputError "path: packet N at offset B: ..." on a corrupt or truncated record
     */
    bool Next(DunePacket& packet);

    /// \brief \return counts so far (final once Next has returned false)
    const DunePcapSummary& GetSummary() const;

    /**
     * \brief Read a whole file.
     * \param path the file
     * \param options filters and limits
     * \param summary receives the summary when not null
     * \return the packets in file order
     * \throws AisfcInputError as the constructor and Next
     */
    static std::vector<DunePacket> ReadAll(const std::string& path,
                                           const DunePcapOptions& options = DunePcapOptions(),
                                           DunePcapSummary* summary = nullptr);

  private:
    std::unique_ptr<PcapFile> m_file; //!< ns-3's reader
    DunePcapOptions m_options;        //!< filters and limits
    DunePcapSummary m_summary;        //!< counts
    uint64_t m_fileSize = 0;          //!< bytes in the file
    uint64_t m_offset = 0;            //!< offset of the next record header
    std::vector<uint8_t> m_buffer;    //!< one record's data
    bool m_done = false;              //!< end reached
};

/**
 * \ingroup aisfc
 * How DunePcapWriter writes a file.
 */
struct DunePcapWriterOptions
{
    uint32_t linkType = DUNE_LINKTYPE_ETHERNET; //!< ETHERNET, RAW, IPV4/IPV6 (one version), PPP
    bool nanosecond = true;      //!< ns timestamps (exact); false rounds down to whole µs
    uint32_t snapLength = 65535; //!< frames longer than this are cut, as a capture would
};

/**
 * \ingroup aisfc
 * Writes packet records to a classic pcap file through ns-3's PcapFile, so that synthetic
 * traffic can be replayed, inspected with Wireshark and read back.
 *
 * Frames are built from the record's fields: IPv4 with options of NOP bytes to reach
 * ipHeaderLength (DF set, checksum computed), IPv6 with a Destination Options header padding
 * to ipHeaderLength, TCP with NOP options to reach tcpHeaderLength, UDP with the recorded
 * length field, ICMP type and code, and zero payload up to ipLength; sequence numbers and
 * checksums of transports are 0.  Reading the file back gives the same feature fields.
 */
class DunePcapWriter
{
  public:
    /**
     * \brief Create (truncate) a file and write its header.
     * \param path the file
     * \param options link type, resolution, snap length
     * \throws std::invalid_argument on an unsupported link type; std::runtime_error naming
     *         path when the file cannot be written
     */
    explicit DunePcapWriter(const std::string& path,
                            const DunePcapWriterOptions& options = DunePcapWriterOptions());

    ~DunePcapWriter();

    DunePcapWriter(const DunePcapWriter&) = delete;
    DunePcapWriter& operator=(const DunePcapWriter&) = delete;

    /**
     * \brief Append one packet.
     * \param packet the record
     * \throws std::invalid_argument when the record cannot be encoded (see EncodeFrame);
     *         std::runtime_error naming the file when writing fails
     */
    void Write(const DunePacket& packet);

    /// \brief Flush and close; later writes are refused.  The destructor closes too.
    void Close();

    /**
     * \brief The bytes of a frame for a record.
     * \param packet the record
     * \param linkType ETHERNET, RAW, IPV4, IPV6 or PPP
     * \return the frame
     * \throws std::invalid_argument when a length field cannot hold what the others need (an
     *         IPv4 header length not a multiple of 4 in [20, 60], an ipLength below the
     *         headers, a TCP data offset below 5, an IPv6 extension length not a multiple of 8),
     *         or the link type cannot carry the IP version
     */
    static std::vector<uint8_t> EncodeFrame(const DunePacket& packet, uint32_t linkType);

    /**
     * \brief Write packets to a new file.
     * \param path the file
     * \param packets the records, in order
     * \param options link type, resolution, snap length
     */
    static void WriteAll(const std::string& path,
                         const std::vector<DunePacket>& packets,
                         const DunePcapWriterOptions& options = DunePcapWriterOptions());

  private:
    std::unique_ptr<PcapFile> m_file; //!< ns-3's writer
    std::string m_path;               //!< the file
    DunePcapWriterOptions m_options;  //!< link type and resolution
};

} // namespace ns3

#endif // DUNE_PACKET_H
