/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Expected packet bytes written by hand, shared by the byte-exact tests.
#ifndef AISFC_TEST_BYTES_H
#define AISFC_TEST_BYTES_H

#include "ns3/buffer.h"
#include "ns3/header.h"
#include "ns3/ipv6-address.h"

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace aisfc_test
{

using Bytes = std::vector<uint8_t>;

/// The 16 bytes of an IPv6 address in text form.
inline Bytes
AddressBytes(const char* text)
{
    uint8_t b[16];
    ns3::Ipv6Address(text).Serialize(b);
    return Bytes(b, b + 16);
}

/// The parts one after the other.
inline Bytes
Concat(std::initializer_list<Bytes> parts)
{
    Bytes out;
    for (const Bytes& p : parts)
    {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

/// The bytes a header writes on the wire.
inline Bytes
HeaderBytes(const ns3::Header& h)
{
    ns3::Buffer buffer;
    buffer.AddAtStart(h.GetSerializedSize());
    h.Serialize(buffer.Begin());
    Bytes bytes(buffer.GetSize());
    buffer.CopyData(bytes.data(), bytes.size());
    return bytes;
}

} // namespace aisfc_test

#endif // AISFC_TEST_BYTES_H
