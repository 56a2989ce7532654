/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Fuzz target "srh": bytes into the SRv6 Segment Routing Header parser (the wire check every
 * SID hop runs), then, for a header it accepts, the Buffer-based Deserialize it guards and a
 * Serialize/Parse round trip.
 */
#include "ns3/buffer.h"
#include "ns3/srv6-segment-routing-header.h"

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <vector>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    Srv6SrhParseResult r = Srv6SegmentRoutingHeader::Parse(data, size);
    if (!r.header)
    {
        if (r.error.empty())
        {
            std::abort(); // a refusal must say why
        }
        return 0;
    }
    const Srv6SegmentRoutingHeader& h = *r.header;
    std::ostringstream os;
    h.Print(os);
    (void)h.GetHmac();
    (void)h.VerifyHmac(std::vector<uint8_t>{1, 2, 3, 4}, Ipv6Address("2001:db8::1"));
    if (h.GetSegmentsLeft() <= h.GetLastEntry())
    {
        (void)h.GetActiveSegment();
    }

    // Parse() validated these bytes: Deserialize (which trusts its input) must agree.
    uint32_t length = h.GetSerializedSize();
    Buffer in;
    in.AddAtStart(size);
    in.Begin().Write(data, size);
    Srv6SegmentRoutingHeader d;
    uint32_t read = d.Deserialize(in.Begin());
    if (read != (uint32_t(data[1]) + 1) * 8 || d.GetSegments() != h.GetSegments() ||
        d.GetTlvs().size() != h.GetTlvs().size())
    {
        std::abort();
    }

    // Serialize what was parsed; the parser must accept its own output.
    if (length <= Srv6SegmentRoutingHeader::MAX_BYTES)
    {
        Buffer out;
        out.AddAtStart(length);
        h.Serialize(out.Begin());
        std::vector<uint8_t> bytes(length);
        out.CopyData(bytes.data(), length);
        Srv6SrhParseResult again = Srv6SegmentRoutingHeader::Parse(bytes.data(), bytes.size());
        if (!again.header || again.header->GetSegments() != h.GetSegments() ||
            again.header->GetSegmentsLeft() != h.GetSegmentsLeft())
        {
            std::abort();
        }
    }
    return 0;
}
