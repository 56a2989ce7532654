/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Fuzz target "pcap": bytes as a pcap file (DunePcapReader), and the same bytes as one frame
 * of each link type DuneParseFrame knows.
 */
#include "fuzz-common.h"

#include "ns3/dune-packet.h"

#include <string>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const uint32_t LINK_TYPES[] = {DUNE_LINKTYPE_NULL,
                                          DUNE_LINKTYPE_ETHERNET,
                                          DUNE_LINKTYPE_PPP,
                                          DUNE_LINKTYPE_RAW_OLD,
                                          DUNE_LINKTYPE_RAW,
                                          DUNE_LINKTYPE_LINUX_SLL,
                                          DUNE_LINKTYPE_IPV4,
                                          DUNE_LINKTYPE_IPV6,
                                          147 /* unknown */};
    for (uint32_t linkType : LINK_TYPES)
    {
        DunePacket packet;
        DuneSkipReason reason = DuneParseFrame(data, size, linkType, packet);
        (void)DuneSkipReasonName(reason);
        if (reason == DuneSkipReason::NONE)
        {
            (void)packet.SourceText();
            (void)packet.DestinationText();
        }
    }

    aisfcfuzz::TempFile file(data, size, ".pcap");
    for (bool tcpUdpOnly : {true, false})
    {
        DunePcapOptions options;
        options.tcpUdpOnly = tcpUdpOnly;
        options.maxFileBytes = 1 << 20;
        DunePcapSummary summary;
        aisfcfuzz::ExpectCleanError([&] {
            (void)DunePcapReader::ReadAll(file.Path(), options, &summary);
            (void)summary.ToString();
        });
    }
    return 0;
}
