/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISID_CODEC_H
#define AISID_CODEC_H

#include <array>
#include <cstdint>
#include <string>

namespace ns3
{

/// \ingroup aisfc The 16 bytes of an IPv6 address, in network order.
using AisidBytes = std::array<uint8_t, 16>;

/**
 * \ingroup aisfc
 * How the 64-bit service suffix of an AISID is cut into its four fields, most significant
 * first: Object, Function, Method, Performance.  The paper's layout is 16 bits each; any widths
 * of at least one bit summing to 64 are allowed.
 */
struct AisidLayout
{
    uint32_t objectBits = 16;      //!< what the service works on (e.g. image, text)
    uint32_t functionBits = 16;    //!< what it does (e.g. recognition)
    uint32_t methodBits = 16;      //!< how (e.g. a model family)
    uint32_t performanceBits = 16; //!< the capability level offered or asked for

    /// \brief Throw AisfcInputError(place, ...) unless the widths are valid.
    void Check(const std::string& place) const;
    /// \brief \return the layout "O,F,M,P" (e.g. "16,16,16,16"); throws naming place when bad
    static AisidLayout Parse(const std::string& text, const std::string& place);
};

/// \ingroup aisfc The fields of an AISID.
struct AisidFields
{
    uint64_t prefix = 0;      //!< the 64-bit AISID prefix (the /64 that marks service IDs)
    uint64_t object = 0;      //!< Object
    uint64_t function = 0;    //!< Function
    uint64_t method = 0;      //!< Method
    uint64_t performance = 0; //!< Performance

    /// \brief \return whether every field equals
    bool operator==(const AisidFields& o) const;
};

/**
 * \ingroup aisfc
 * AI service identifiers in IPv6 addresses (the AISID paper): a 64-bit prefix and a 64-bit
 * service suffix holding Object, Function, Method and Performance.  The paper's example
 * 2001:db8:abcd:12:1:2:1:1388 is prefix 2001:db8:abcd:12::/64, Object 1, Function 2, Method 1,
 * Performance 5000.  Plain C++: gateways, the control system and the command line share it.
 */
class AisidCodec
{
  public:
    /// \brief A codec for a layout (checked: throws AisfcInputError("layout", ...)).
    explicit AisidCodec(const AisidLayout& layout = AisidLayout());

    /// \brief \return the address of these fields; throws AisfcInputError naming the field
    /// ("object", "function", "method", "performance") whose value does not fit its width
    AisidBytes Encode(const AisidFields& fields) const;
    /// \brief \return the fields of an address (every address decodes)
    AisidFields Decode(const AisidBytes& address) const;
    /// \brief \return whether an address carries this AISID prefix
    static bool HasPrefix(const AisidBytes& address, uint64_t prefix);
    /// \brief \return whether an instance serves a request: the same prefix, Object, Function
    /// and Method, and the instance's Performance at least the requested one (a higher value is
    /// a higher capability level)
    static bool Matches(const AisidFields& request, const AisidFields& instance);
    /// \brief \return the layout
    const AisidLayout& GetLayout() const;

    /// \brief \return the bytes of an IPv6 address in text; throws AisfcInputError(place, ...)
    static AisidBytes ParseAddress(const std::string& text, const std::string& place);
    /// \brief \return the 64-bit prefix of "P::/64" or "P::" (the low 64 bits must be zero, a
    /// given length must be 64); throws AisfcInputError(place, ...)
    static uint64_t ParsePrefix(const std::string& text, const std::string& place);
    /// \brief \return an address in RFC 5952 text
    static std::string FormatAddress(const AisidBytes& address);
    /// \brief \return a prefix as "P::/64"
    static std::string FormatPrefix(uint64_t prefix);
    /// \brief \return a field value from decimal or 0x-hex text, within `bits` bits; throws
    /// AisfcInputError(place, ...) naming the width when it does not fit
    static uint64_t ParseField(const std::string& text, uint32_t bits, const std::string& place);

  private:
    AisidLayout m_layout;
};

} // namespace ns3

#endif
