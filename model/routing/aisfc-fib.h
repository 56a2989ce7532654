/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_FIB_H
#define AISFC_FIB_H

#include "ns3/ipv6-address.h"

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * IPv6 longest-prefix-match table: one hash table per prefix length present, probed from the
 * longest length down.  Lookup costs one hash probe per distinct length, whatever the number of
 * routes (a network built by aisfc has two lengths, /128 node routes and /64 link routes).
 *
 * Values are small next-hop ids; the routing protocol owns what they mean.
 */
class AisfcFib
{
  public:
    /// Id of a next hop, defined by the owner of the table.
    using NextHopId = uint32_t;

    /// \brief Add or replace the route prefix/length -> nextHop.
    void Insert(const Ipv6Address& prefix, uint8_t length, NextHopId nextHop);
    /// \brief Remove the route prefix/length. \return whether it existed
    bool Remove(const Ipv6Address& prefix, uint8_t length);
    /// \brief \return the next hop of the longest prefix matching dst, or nothing
    std::optional<NextHopId> Lookup(const Ipv6Address& dst) const;
    /// \brief Make room for n routes of one length (avoids rehashing while a network is built).
    void Reserve(uint8_t length, size_t n);
    /// \brief \return the number of routes
    size_t GetNRoutes() const;
    /// \brief \return an estimate of the heap bytes the table holds
    size_t GetMemoryBytes() const;

    /// One route, for printing.
    struct Route
    {
        Ipv6Address prefix; //!< network
        uint8_t length;     //!< prefix length
        NextHopId nextHop;  //!< next hop id
    };

    /// \brief \return all routes, longest prefixes first, then by address
    std::vector<Route> GetRoutes() const;

  private:
    struct Key
    {
        uint64_t hi;
        uint64_t lo;

        bool operator==(const Key& o) const
        {
            return hi == o.hi && lo == o.lo;
        }
    };

    struct KeyHash
    {
        size_t operator()(const Key& k) const;
    };

    struct Table
    {
        uint8_t length;
        Key mask;
        std::unordered_map<Key, NextHopId, KeyHash> routes;
    };

    static Key ToKey(const Ipv6Address& a);
    static Key Mask(const Key& k, const Key& mask);
    Table& TableFor(uint8_t length);

    std::vector<Table> m_tables; //!< longest length first
};

} // namespace ns3

#endif // AISFC_FIB_H
