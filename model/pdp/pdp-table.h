/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PDP_TABLE_H
#define PDP_TABLE_H

#include "pdp-match-kind.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * A match key: an unsigned integer of the table's key width, big-endian, in exactly
 * ceil(bits / 8) bytes, with the unused high-order bits of the first byte zero.  Bytes rather
 * than a fixed integer because P4 keys (an IPv6 5-tuple is 296 bits) outgrow any machine word.
 */
using PdpKey = std::vector<uint8_t>;

/**
 * \ingroup aisfc
 * What a matching entry asks the pipeline to do: an action id defined by the program that owns
 * the table, and its action data (next hop, SID index, meter id, ...).
 */
struct PdpAction
{
    uint32_t id = 0;            //!< action id, meaning defined by the owner of the table
    std::vector<uint64_t> data; //!< action parameters

    /// \brief \return whether both id and data are equal
    bool operator==(const PdpAction& o) const
    {
        return id == o.id && data == o.data;
    }

    /// \brief \return whether id or data differ
    bool operator!=(const PdpAction& o) const
    {
        return !(*this == o);
    }
};

/**
 * \ingroup aisfc
 * One match-action table of a programmable data-plane (Tofino-like) switch, without any
 * simulator dependency so the control plane, the placement code and the tests can all use it.
 *
 * A table has one match kind, which fixes the kind of entry it accepts:
 * - exact: one hash probe (SRAM);
 * - lpm: one hash map per prefix length present, probed longest first, so a lookup costs one
 *   probe per distinct length and not per entry;
 * - ternary (value/mask + priority) and range (lo..hi + priority, keys of at most 64 bits):
 *   entries kept sorted by priority, highest first and, for equal priorities, in insertion
 *   order, so a linear scan stops at the first hit exactly as a TCAM's priority encoder does.
 *
 * Adding an entry never throws: bad input from a control plane is answered with a reason string
 * (empty on success) that names the table, so the caller can report it where it came from.
 * Key bits outside an LPM prefix or a ternary mask are ignored (cleared when stored), like host
 * bits in a route.
 *
 * Capacity counts entries, whatever their kind.  TcamRows() tells how much TCAM the entries
 * really take, which for a range table is more than one row per entry.
 */
class PdpTable
{
  public:
    /**
     * \brief Make an empty table.
     * \param name name used in every error message (e.g. the P4 table name)
     * \param kind match kind
     * \param keyBits key width in bits, 1..512 (1..64 for a range table)
     * \param capacity maximum number of entries
     * \throws std::invalid_argument on a key width out of range: the table shape comes from the
     *         program, not from runtime input, so a bad one is a bug to stop at once.
     */
    PdpTable(std::string name, PdpMatchKind kind, uint32_t keyBits, uint32_t capacity);

    /**
     * \brief Build a key from an integer.
     * \param value the key value
     * \param bits the key width (1..512)
     * \return the key in ceil(bits / 8) big-endian bytes
     * \throws std::invalid_argument if bits is 0 or above 512 or value does not fit in bits,
     *         rather than silently truncating it
     */
    static PdpKey FromUint(uint64_t value, uint32_t bits);

    /**
     * \brief \return the low 64 bits of a key (its whole value for keys of at most 64 bits)
     */
    static uint64_t ToUint(const PdpKey& key);

    /**
     * \brief Cover [lo, hi] with ternary prefixes, as a TCAM needs to store a range.
     *
     * Greedy from lo: each step takes the largest aligned power-of-two block that starts at the
     * current value and does not pass hi, which is the minimal prefix cover (at most 2w - 2
     * prefixes for a w-bit key, w >= 2).
     * \param lo first value, inclusive
     * \param hi last value, inclusive
     * \param bits key width, 1..64
     * \param out if not null, receives (value, prefix length) pairs in increasing value order;
     *        the prefix covers value .. value + 2^(bits - prefix length) - 1
     * \return the number of prefixes; 0 if lo > hi, bits is out of 1..64 or hi does not fit
     */
    static uint32_t RangeToPrefixes(uint64_t lo,
                                    uint64_t hi,
                                    uint32_t bits,
                                    std::vector<std::pair<uint64_t, uint32_t>>* out = nullptr);

    /// \brief Add an exact entry (exact tables). \return empty on success, else the reason
    std::string AddExact(const PdpKey& key, const PdpAction& action);
    /**
     * \brief Add a prefix entry (lpm tables).
     * \param key the prefix value; bits after the first prefixLength ones are ignored
     * \param prefixLength 0..key width; 0 matches every key (a default route)
     * \param action the action
     * \return empty on success, else the reason
     */
    std::string AddLpm(const PdpKey& key, uint32_t prefixLength, const PdpAction& action);
    /**
     * \brief Add a value/mask entry (ternary tables).
     *
     * A key matches when (key & mask) == (value & mask).  An entry is identified by value, mask
     * and priority, as in P4Runtime, so the same value/mask may be added at two priorities.
     * \param key the value
     * \param mask 1 bits are compared, 0 bits are "don't care"
     * \param priority higher wins; equal priorities: first added wins
     * \param action the action
     * \return empty on success, else the reason
     */
    std::string AddTernary(const PdpKey& key,
                           const PdpKey& mask,
                           uint32_t priority,
                           const PdpAction& action);
    /**
     * \brief Add a range entry (range tables, keys of at most 64 bits).
     * \param lo first key matched, inclusive
     * \param hi last key matched, inclusive
     * \param priority higher wins; equal priorities: first added wins
     * \param action the action
     * \return empty on success, else the reason
     */
    std::string AddRange(uint64_t lo, uint64_t hi, uint32_t priority, const PdpAction& action);

    /// \brief Remove an exact entry. \return whether it existed
    bool RemoveExact(const PdpKey& key);
    /// \brief Remove a prefix entry (key bits past the prefix are ignored). \return whether it
    /// existed
    bool RemoveLpm(const PdpKey& key, uint32_t prefixLength);
    /// \brief Remove a value/mask/priority entry. \return whether it existed
    bool RemoveTernary(const PdpKey& key, const PdpKey& mask, uint32_t priority);
    /// \brief Remove a lo/hi/priority entry. \return whether it existed
    bool RemoveRange(uint64_t lo, uint64_t hi, uint32_t priority);
    /// \brief Remove every entry; the default action and the counters are kept.
    void Clear();

    /// \brief Set the action returned by Lookup() when no entry matches.
    void SetDefaultAction(const PdpAction& action);
    /// \brief Make a miss return nullptr again.
    void ClearDefaultAction();
    /// \brief \return the default action, or nullptr if none is set
    const PdpAction* GetDefaultAction() const;

    /**
     * \brief Match a key as the pipeline does, counting a hit or a miss.
     *
     * A pointer rather than a copy because the data path looks up once per packet; it stays
     * valid until the table is next modified.
     * \param key a key of the table's width
     * \return the action of the best matching entry (counted as a hit); on a miss the default
     *         action if set, else nullptr (counted as a miss either way, as a switch counts a
     *         default-action run as a miss).  A key of the wrong width or with bits set above
     *         the width matches nothing, is counted as a miss and returns nullptr, not the
     *         default action: it is a bug in the key builder, not a packet to forward.
     */
    const PdpAction* Lookup(const PdpKey& key);

    /**
     * \brief Match a key without counting and without the default action, for the control
     * plane and for tests. \return the action of the best matching entry, or nullptr
     */
    const PdpAction* Find(const PdpKey& key) const;

    /**
     * \brief Check a key against the table's width.
     * \param key the key
     * \param what how to call it in the message ("key", "mask")
     * \return empty if valid, else the reason
     */
    std::string CheckKey(const PdpKey& key, const std::string& what = "key") const;

    /// \brief \return the number of entries
    uint32_t Size() const;
    /// \brief \return the maximum number of entries
    uint32_t Capacity() const;
    /**
     * \brief \return the TCAM rows the entries occupy: 0 for exact (SRAM), one per entry for lpm
     * and ternary, the prefix expansion (RangeToPrefixes) of each entry for range
     */
    uint64_t TcamRows() const;

    /// \brief \return lookups that matched an entry
    uint64_t Hits() const;
    /// \brief \return lookups that matched no entry (including those given the default action)
    uint64_t Misses() const;
    /// \brief Zero the hit and miss counters.
    void ResetCounters();

    /// \brief \return the table name
    const std::string& GetName() const;
    /// \brief \return the match kind
    PdpMatchKind GetMatchKind() const;
    /// \brief \return the key width in bits
    uint32_t GetKeyBits() const;
    /// \brief \return the key size in bytes, ceil(bits / 8)
    uint32_t GetKeyBytes() const;

  private:
    /// Hash of a byte string; keys are already well mixed values (addresses, ports).
    struct KeyHash
    {
        size_t operator()(const PdpKey& k) const;
    };

    using ExactMap = std::unordered_map<PdpKey, PdpAction, KeyHash>;

    /// All prefixes of one length.
    struct LpmLength
    {
        uint32_t length; //!< prefix length
        PdpKey mask;     //!< its mask, precomputed so a probe is one AND and one hash
        ExactMap entries;
    };

    struct TernaryEntry
    {
        PdpKey value; //!< already ANDed with mask
        PdpKey mask;
        uint32_t priority;
        PdpAction action;
    };

    struct RangeEntry
    {
        uint64_t lo;
        uint64_t hi;
        uint32_t priority;
        uint32_t rows; //!< its prefix expansion, kept so TcamRows() is O(1)
        PdpAction action;
    };

    bool KeyFits(const PdpKey& key) const;
    std::string CheckKind(PdpMatchKind entryKind) const;
    std::string CheckRoom() const;
    PdpKey PrefixMask(uint32_t length) const;
    static PdpKey And(const PdpKey& a, const PdpKey& b);
    static std::string Hex(const PdpKey& key);

    /// Position after the last entry of priority >= p, so equal priorities keep insertion order.
    template <typename Entries>
    static typename Entries::iterator InsertPosition(Entries& entries, uint32_t priority);

    std::string m_name;
    PdpMatchKind m_kind;
    uint32_t m_keyBits;
    uint32_t m_keyBytes;
    uint32_t m_capacity;
    uint32_t m_size = 0;
    uint64_t m_tcamRows = 0;

    ExactMap m_exact;
    std::vector<LpmLength> m_lpm;        //!< only lengths present, longest first
    std::vector<TernaryEntry> m_ternary; //!< highest priority first, then insertion order
    std::vector<RangeEntry> m_range;     //!< highest priority first, then insertion order

    bool m_hasDefault = false;
    PdpAction m_default;

    uint64_t m_hits = 0;
    uint64_t m_misses = 0;
};

} // namespace ns3

#endif // PDP_TABLE_H
