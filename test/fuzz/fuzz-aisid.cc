/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Fuzz target "aisid": bytes as AISID text (prefix, address, layout, field, DNS name) and as
 * a DNS message; a message that parses must serialize and parse again.
 */
#include "fuzz-common.h"

#include "ns3/aisid-codec.h"
#include "ns3/dns-message.h"

#include <cstdlib>
#include <string>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string text(reinterpret_cast<const char*>(data), size);
    aisfcfuzz::ExpectCleanError([&] {
        uint64_t prefix = AisidCodec::ParsePrefix(text, "prefix");
        (void)AisidCodec::FormatPrefix(prefix);
    });
    aisfcfuzz::ExpectCleanError([&] {
        AisidBytes address = AisidCodec::ParseAddress(text, "address");
        if (AisidCodec::ParseAddress(AisidCodec::FormatAddress(address), "again") != address)
        {
            std::abort();
        }
        (void)AisidCodec().Decode(address);
    });
    aisfcfuzz::ExpectCleanError([&] {
        AisidLayout layout = AisidLayout::Parse(text, "layout");
        AisidCodec codec(layout);
        AisidFields fields;
        fields.prefix = 0x20010db800000000ULL;
        fields.object = 1;
        (void)codec.Decode(codec.Encode(fields));
    });
    aisfcfuzz::ExpectCleanError(
        [&] { (void)AisidCodec::ParseField(text, size ? data[0] % 65 : 16, "field"); });
    aisfcfuzz::ExpectCleanError([&] {
        (void)DnsNameText(DnsNameLabels(text, "name"));
        (void)DnsCanonicalName(text, "name");
    });

    std::string error;
    std::optional<DnsMessage> m = DnsMessage::TryParse(data, size, &error);
    if (!m)
    {
        if (error.empty())
        {
            std::abort();
        }
        return 0;
    }
    (void)m->ToString();
    (void)m->GetClientSubnet();
    for (bool compress : {true, false})
    {
        std::vector<uint8_t> wire;
        try
        {
            wire = m->Serialize(compress);
        }
        catch (const AisfcInputError&)
        {
            continue; // some parsed messages cannot be written (e.g. over 65535 octets)
        }
        std::string again;
        if (!DnsMessage::TryParse(wire.data(), wire.size(), &again))
        {
            std::abort(); // what we write, we must read
        }
    }
    return 0;
}
