/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_BYTES_H
#define AISFC_BYTES_H

#include <cstdint>
#include <vector>

namespace ns3
{

/// \ingroup aisfc \brief Append the low `bytes` bytes of v, most significant first (network
/// order), as every aisfc wire format writes its fields.
inline void
AisfcPutBigEndian(std::vector<uint8_t>& out, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; --i)
    {
        out.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
}

/// \ingroup aisfc \brief \return the `bytes`-byte big-endian number at `in` (at most 8 bytes)
inline uint64_t
AisfcGetBigEndian(const uint8_t* in, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
    {
        v = (v << 8) | in[i];
    }
    return v;
}

} // namespace ns3

#endif // AISFC_BYTES_H
