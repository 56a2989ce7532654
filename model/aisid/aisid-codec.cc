/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisid-codec.h"

#include "ns3/aisfc-error.h"

#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace ns3
{

namespace
{
uint64_t
Mask(uint32_t bits)
{
    return bits >= 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1;
}

uint64_t
High(const AisidBytes& a)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
    {
        v = (v << 8) | a[i];
    }
    return v;
}

uint64_t
Low(const AisidBytes& a)
{
    uint64_t v = 0;
    for (int i = 8; i < 16; ++i)
    {
        v = (v << 8) | a[i];
    }
    return v;
}

AisidBytes
Join(uint64_t high, uint64_t low)
{
    AisidBytes a{};
    for (int i = 7; i >= 0; --i)
    {
        a[i] = static_cast<uint8_t>(high);
        a[i + 8] = static_cast<uint8_t>(low);
        high >>= 8;
        low >>= 8;
    }
    return a;
}
} // namespace

void
AisidLayout::Check(const std::string& place) const
{
    uint32_t widths[] = {objectBits, functionBits, methodBits, performanceBits};
    uint64_t sum = 0;
    for (uint32_t w : widths)
    {
        if (w == 0 || w > 61)
        {
            throw AisfcInputError(place,
                                  "every field needs 1 to 61 bits, got " + std::to_string(w));
        }
        sum += w;
    }
    if (sum != 64)
    {
        throw AisfcInputError(place,
                              "the four field widths must sum to 64 bits, got " +
                                  std::to_string(sum));
    }
}

AisidLayout
AisidLayout::Parse(const std::string& text, const std::string& place)
{
    std::vector<uint32_t> widths;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, ','))
    {
        widths.push_back(static_cast<uint32_t>(AisidCodec::ParseField(part, 32, place)));
    }
    if (widths.size() != 4)
    {
        throw AisfcInputError(place,
                              "expected four widths O,F,M,P such as 16,16,16,16, got '" + text +
                                  "'");
    }
    AisidLayout l{widths[0], widths[1], widths[2], widths[3]};
    l.Check(place);
    return l;
}

bool
AisidFields::operator==(const AisidFields& o) const
{
    return prefix == o.prefix && object == o.object && function == o.function &&
           method == o.method && performance == o.performance;
}

AisidCodec::AisidCodec(const AisidLayout& layout)
    : m_layout(layout)
{
    m_layout.Check("layout");
}

AisidBytes
AisidCodec::Encode(const AisidFields& f) const
{
    const std::pair<const char*, std::pair<uint64_t, uint32_t>> fields[] = {
        {"object", {f.object, m_layout.objectBits}},
        {"function", {f.function, m_layout.functionBits}},
        {"method", {f.method, m_layout.methodBits}},
        {"performance", {f.performance, m_layout.performanceBits}}};
    uint64_t suffix = 0;
    for (const auto& [name, field] : fields)
    {
        auto [value, bits] = field;
        if (value > Mask(bits))
        {
            throw AisfcInputError(name,
                                  std::to_string(value) + " does not fit in " +
                                      std::to_string(bits) + " bits (at most " +
                                      std::to_string(Mask(bits)) + ")");
        }
        suffix = (suffix << bits) | value;
    }
    return Join(f.prefix, suffix);
}

AisidFields
AisidCodec::Decode(const AisidBytes& address) const
{
    AisidFields f;
    f.prefix = High(address);
    uint64_t suffix = Low(address);
    f.performance = suffix & Mask(m_layout.performanceBits);
    suffix >>= m_layout.performanceBits;
    f.method = suffix & Mask(m_layout.methodBits);
    suffix >>= m_layout.methodBits;
    f.function = suffix & Mask(m_layout.functionBits);
    suffix >>= m_layout.functionBits;
    f.object = suffix & Mask(m_layout.objectBits);
    return f;
}

bool
AisidCodec::HasPrefix(const AisidBytes& address, uint64_t prefix)
{
    return High(address) == prefix;
}

bool
AisidCodec::Matches(const AisidFields& request, const AisidFields& instance)
{
    return request.prefix == instance.prefix && request.object == instance.object &&
           request.function == instance.function && request.method == instance.method &&
           instance.performance >= request.performance;
}

const AisidLayout&
AisidCodec::GetLayout() const
{
    return m_layout;
}

AisidBytes
AisidCodec::ParseAddress(const std::string& text, const std::string& place)
{
    AisidBytes a{};
    // inet_pton is the strict, standard parser (RFC 4291 text forms, nothing else).
    if (text.empty() || inet_pton(AF_INET6, text.c_str(), a.data()) != 1)
    {
        throw AisfcInputError(place, "'" + text + "' is not an IPv6 address");
    }
    return a;
}

uint64_t
AisidCodec::ParsePrefix(const std::string& text, const std::string& place)
{
    std::string address = text;
    size_t slash = text.find('/');
    if (slash != std::string::npos)
    {
        address = text.substr(0, slash);
        if (text.substr(slash + 1) != "64")
        {
            throw AisfcInputError(place,
                                  "an AISID prefix is a /64, got '/" + text.substr(slash + 1) +
                                      "'");
        }
    }
    AisidBytes a = ParseAddress(address, place);
    if (Low(a) != 0)
    {
        throw AisfcInputError(place,
                              "'" + text + "' has bits set beyond the 64-bit prefix (the suffix " +
                                  "holds the service fields)");
    }
    return High(a);
}

std::string
AisidCodec::FormatAddress(const AisidBytes& address)
{
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, address.data(), buf, sizeof(buf));
    return buf;
}

std::string
AisidCodec::FormatPrefix(uint64_t prefix)
{
    return FormatAddress(Join(prefix, 0)) + "/64";
}

uint64_t
AisidCodec::ParseField(const std::string& text, uint32_t bits, const std::string& place)
{
    bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    std::string digits = hex ? text.substr(2) : text;
    bool ok = !digits.empty();
    for (char c : digits)
    {
        ok = ok && (hex ? std::isxdigit(static_cast<unsigned char>(c))
                        : std::isdigit(static_cast<unsigned char>(c)));
    }
    errno = 0;
    uint64_t v = ok ? std::strtoull(digits.c_str(), nullptr, hex ? 16 : 10) : 0;
    if (!ok || errno == ERANGE)
    {
        throw AisfcInputError(place,
                              "'" + text +
                                  "' is not a whole number (decimal or 0x-hex) of at "
                                  "most 64 bits");
    }
    if (v > Mask(bits))
    {
        throw AisfcInputError(place,
                              text + " does not fit in " + std::to_string(bits) +
                                  " bits (at most " + std::to_string(Mask(bits)) + ")");
    }
    return v;
}

} // namespace ns3
