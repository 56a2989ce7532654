/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DUNE_SYNTHETIC_H
#define DUNE_SYNTHETIC_H

#include "dune-features.h"
#include "dune-packet.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/// Number of distinct class behaviours; classes beyond it are variants of these.
constexpr uint32_t DUNE_SYNTHETIC_ARCHETYPES = 16;

/// Largest number of classes the generator makes.
constexpr uint32_t DUNE_SYNTHETIC_MAX_CLASSES = 64;

/**
 * \ingroup aisfc
 * What DuneGenerateSyntheticTraffic makes.
 */
struct DuneSyntheticOptions
{
    uint64_t seed = 1;             //!< the one seed of all draws
    uint32_t classes = 10;         //!< number of classes, in [2, DUNE_SYNTHETIC_MAX_CLASSES]
    uint32_t flowsPerClass = 200;  //!< conversations per class (exactly), > 0
    double durationSeconds = 60.0; //!< conversations start uniformly over [0, duration)
    double ipv6Fraction = 0.1;     //!< share of conversations over IPv6, in [0, 1]
    /// Share of conversations, in [0, 1], that take their server ports, TTLs and TCP windows
    /// from another class (a host of one class talking like another): it blurs the packet
    /// features that would otherwise give some classes away.
    double confusion = 0.15;
    uint64_t startEpochSeconds = 1700000000; //!< timestamp of time 0 (pcap time stamps)
};

/**
 * \ingroup aisfc
 * Seeded synthetic traffic of labelled conversations, as packet records: the features come
 * out of the same extractor, and the same pcap writer and reader, as for captured traffic.
 *
 * A conversation is one 5-tuple with packets in both directions (a TCP handshake, data both
 * ways and a close, or a UDP exchange), so with DUNE's unidirectional flows it gives a forward
 * flow and, unless it has no reply, a backward flow, both of its class.  Each client address
 * serves one conversation, which keeps 5-tuples unique.  Class c behaves as archetype
 * c % 16; class c >= 16 is variant c / 16 of it: sizes + 37 bytes per variant (capped at
 * 1500), gaps x (1 + variant / 2), one more packet per variant.
 *
 * Archetypes (sizes are IPv4 total lengths; IPv6 adds 20; "gap" is the time between data
 * packets, drawn log-uniformly by octaves):
 *
 * | # | name | transport, server ports | packets | forward / backward sizes | gap |
 * |---|---|---|---|---|---|
 * | 0 | web | TCP 443 (80%), 80 | 6-60 | 52-700 / mostly 1000-1500 | 0.2-200 ms |
 * | 1 | video | TCP 443 or 80; 15% UDP 443 (QUIC) | 30-200 | 52-120 / 1200-1500 | 0.05-20 ms |
 * | 2 | bulk | TCP 22, 443, 873 | 20-150 | 1200-1500 / 52-100 | 0.02-5 ms |
 * | 3 | dns | UDP 53 (5% TCP) | 1-4 | 55-90 / 80-300 | 1-100 ms |
 * | 4 | mqtt | TCP 1883, 8883; embedded TTL 64/255 | 3-20 | 60-250 / 52-80 | 0.1-5 s |
 * | 5 | camera | UDP to a high port (70%), TCP 554 | 20-150 | 400-1400 / 60-120 | 5-50 ms |
 * | 6 | voip | UDP 5060 or a high port | 20-150 | 180-230 both ways | 15-25 ms |
 * | 7 | scan | TCP SYN to random or common ports, 10% UDP; no data | 1-3 | 40-44 / 40-44 | 0.1-10
 * ms | | 8 | synflood | TCP SYN to 80/443, spoofed TTL and window, no reply | 1-4 | 40-60 / - |
 * 0.5-3 s | | 9 | bruteforce | TCP 22 (60%), 21, 23 | 8-30 | 52-200 / 52-300 | 1-300 ms | | 10 |
 * webattack | TCP 80, 443, 8080 | 5-25 | 300-1400 or 52-100 / 52-1500 | 0.5-100 ms | | 11 | c2 |
 * TCP 4444, 8080, 443; 20% UDP | 3-12 | 60-200 / 60-400 | 0.2-10 s | | 12 | ntp | UDP 123 | 1-4 |
 * 76 / 76 | 1-1000 ms | | 13 | smb | TCP 445, 139 | 20-120 | 100-1500 / 52-1500 | 0.05-10 ms | | 14
 * | p2p | UDP (60%) or TCP to high ports, 6881 | 2-60 | 60-1500 / 60-1500 | 1-1000 ms | | 15 | smtp
 * | TCP 587, 25 | 10-40 | 52-1500 / 52-200 | 1-200 ms |
 *
 * Client hosts are Linux-like (TTL 64 minus 1-15 hops, 40-byte SYN options, timestamps:
 * 32-byte TCP headers), Windows-like (TTL 128, 32-byte SYN options, 20-byte headers) or
 * embedded (TTL 64 or 255, MSS option only) in class-specific mixes; PSH, FIN, RST and ECN
 * (ECE on the SYN and on some data packets) appear with class-specific probabilities.  Every
 * behaviour is shared by at least two classes (ports 443/80 by five, sizes and gaps in
 * overlapping ranges), so no single feature separates all classes.
 *
 * Deterministic: one std::mt19937_64(seed) drives every draw, conversation after
 * conversation, through LearnUniform01 and arithmetic of this module's own (no standard
 * library distribution, no transcendental function), so the same seed gives the same packets
 * and the same pcap bytes on any platform.
 */
struct DuneSyntheticTraffic
{
    std::vector<std::string> classNames;       //!< class c is classNames[c]
    std::vector<DunePacket> packets;           //!< all packets in time order
    std::vector<int> conversationLabels;       //!< class of each conversation
    std::vector<DuneFlowKey> conversationKeys; //!< forward 5-tuple of each conversation
    DuneLabelMap labels; //!< 5-tuple -> class name (the reverse direction by reversed lookup)

    /**
     * \brief Write the packets to a pcap file.
     * \param path the file
     * \param options link type and resolution (timestamps are whole µs: both are exact)
     */
    void WritePcap(const std::string& path,
                   const DunePcapWriterOptions& options = DunePcapWriterOptions()) const;

    /**
     * \brief Write the labels as CSV: "Flow ID,Label", one row per conversation with DUNE's
     * Flow ID of its forward direction; DuneReadLabelCsv reads it back.
     * \param path the file
     */
    void WriteLabelCsv(const std::string& path) const;

    /**
     * \brief Run the packets through a DuneFeatureExtractor labelled by the label map, with the
     * classes numbered as here.
     * \param options the extractor's options
     * \return the data set
     */
    DuneDataset Extract(const DuneFeatureOptions& options = DuneFeatureOptions()) const;
};

/**
 * \ingroup aisfc
 * \brief Generate labelled traffic; conversation i belongs to class i % classes.
 * \param options seed, classes, sizes
 * \return the traffic
 * \throws AisfcInputError naming the option on a count or fraction out of range
 */
DuneSyntheticTraffic DuneGenerateSyntheticTraffic(
    const DuneSyntheticOptions& options = DuneSyntheticOptions());

/**
 * \ingroup aisfc
 * \brief \return the name of class c ("web", "video", ...; "web-v1" for c = 16)
 * \param c class index < DUNE_SYNTHETIC_MAX_CLASSES
 */
std::string DuneSyntheticClassName(uint32_t c);

/**
 * \ingroup aisfc
 * \brief \return one line describing the behaviour of class c
 * \param c class index < DUNE_SYNTHETIC_MAX_CLASSES
 */
std::string DuneSyntheticClassDescription(uint32_t c);

} // namespace ns3

#endif // DUNE_SYNTHETIC_H
