/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pdp-table.h"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <string_view>

namespace ns3
{

namespace
{

constexpr uint32_t MAX_KEY_BITS = 512;
constexpr uint32_t MAX_RANGE_BITS = 64;

/// Low n bits set, n in 0..64 (a plain shift is undefined at 64).
uint64_t
LowMask(uint32_t n)
{
    return n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
}

/// Whether value fits in bits (1..64).
bool
Fits(uint64_t value, uint32_t bits)
{
    return (value & ~LowMask(bits)) == 0;
}

} // namespace

PdpTable::PdpTable(std::string name, PdpMatchKind kind, uint32_t keyBits, uint32_t capacity)
    : m_name(std::move(name)),
      m_kind(kind),
      m_keyBits(keyBits),
      m_keyBytes((keyBits + 7) / 8),
      m_capacity(capacity)
{
    if (keyBits == 0 || keyBits > MAX_KEY_BITS)
    {
        throw std::invalid_argument("table '" + m_name + "': key width " + std::to_string(keyBits) +
                                    " bits is outside 1.." + std::to_string(MAX_KEY_BITS));
    }
    if (kind == PdpMatchKind::RANGE && keyBits > MAX_RANGE_BITS)
    {
        throw std::invalid_argument("table '" + m_name + "': range tables take keys of at most " +
                                    std::to_string(MAX_RANGE_BITS) + " bits, not " +
                                    std::to_string(keyBits));
    }
}

PdpKey
PdpTable::FromUint(uint64_t value, uint32_t bits)
{
    if (bits == 0 || bits > MAX_KEY_BITS)
    {
        throw std::invalid_argument("key width " + std::to_string(bits) + " bits is outside 1.." +
                                    std::to_string(MAX_KEY_BITS));
    }
    if (bits < 64 && !Fits(value, bits))
    {
        throw std::invalid_argument("value " + std::to_string(value) + " does not fit in " +
                                    std::to_string(bits) + " bits");
    }
    PdpKey key((bits + 7) / 8, 0);
    for (size_t i = 0; i < key.size() && i < 8; ++i)
    {
        key[key.size() - 1 - i] = static_cast<uint8_t>(value >> (8 * i));
    }
    return key;
}

uint64_t
PdpTable::ToUint(const PdpKey& key)
{
    uint64_t v = 0;
    const size_t n = std::min<size_t>(key.size(), 8);
    for (size_t i = key.size() - n; i < key.size(); ++i)
    {
        v = (v << 8) | key[i];
    }
    return v;
}

uint32_t
PdpTable::RangeToPrefixes(uint64_t lo,
                          uint64_t hi,
                          uint32_t bits,
                          std::vector<std::pair<uint64_t, uint32_t>>* out)
{
    if (bits == 0 || bits > MAX_RANGE_BITS || lo > hi || !Fits(hi, bits))
    {
        return 0;
    }
    uint32_t n = 0;
    uint64_t cur = lo;
    while (true)
    {
        // Grow the block while it stays aligned on cur and inside [cur, hi].
        uint32_t k = 0;
        while (k < bits && (cur & LowMask(k + 1)) == 0 && hi - cur >= LowMask(k + 1))
        {
            ++k;
        }
        if (out)
        {
            out->emplace_back(cur, bits - k);
        }
        ++n;
        const uint64_t end = cur + LowMask(k);
        // Stop on end == hi before computing end + 1, which wraps when hi is the top value.
        if (end == hi)
        {
            break;
        }
        cur = end + 1;
    }
    return n;
}

size_t
PdpTable::KeyHash::operator()(const PdpKey& k) const
{
    return std::hash<std::string_view>{}(
        std::string_view(reinterpret_cast<const char*>(k.data()), k.size()));
}

bool
PdpTable::KeyFits(const PdpKey& key) const
{
    if (key.size() != m_keyBytes)
    {
        return false;
    }
    const uint32_t pad = m_keyBytes * 8 - m_keyBits;
    return pad == 0 || (key[0] >> (8 - pad)) == 0;
}

std::string
PdpTable::CheckKey(const PdpKey& key, const std::string& what) const
{
    if (key.size() != m_keyBytes)
    {
        return what + " of " + std::to_string(key.size() * 8) + " bits given to table '" + m_name +
               "' with " + std::to_string(m_keyBits) + "-bit keys";
    }
    if (!KeyFits(key))
    {
        return what + " " + Hex(key) + " has bits set above the " + std::to_string(m_keyBits) +
               "-bit key width of table '" + m_name + "'";
    }
    return "";
}

std::string
PdpTable::CheckKind(PdpMatchKind entryKind) const
{
    if (entryKind != m_kind)
    {
        return "table '" + m_name + "': entry kind " + PdpMatchKindName(entryKind) +
               " does not match table kind " + PdpMatchKindName(m_kind);
    }
    return "";
}

std::string
PdpTable::CheckRoom() const
{
    if (m_size >= m_capacity)
    {
        return "table '" + m_name + "' is full (" + std::to_string(m_capacity) + " entries)";
    }
    return "";
}

PdpKey
PdpTable::PrefixMask(uint32_t length) const
{
    PdpKey mask(m_keyBytes, 0);
    // Bit index 0 is the most significant bit of byte 0; the key starts after the padding.
    const uint32_t first = m_keyBytes * 8 - m_keyBits;
    for (uint32_t b = first; b < first + length; ++b)
    {
        mask[b / 8] |= static_cast<uint8_t>(0x80u >> (b % 8));
    }
    return mask;
}

PdpKey
PdpTable::And(const PdpKey& a, const PdpKey& b)
{
    PdpKey r(a.size());
    for (size_t i = 0; i < a.size(); ++i)
    {
        r[i] = a[i] & b[i];
    }
    return r;
}

std::string
PdpTable::Hex(const PdpKey& key)
{
    static const char* digits = "0123456789abcdef";
    std::string s = "0x";
    for (uint8_t b : key)
    {
        s += digits[b >> 4];
        s += digits[b & 0xf];
    }
    return s;
}

template <typename Entries>
typename Entries::iterator
PdpTable::InsertPosition(Entries& entries, uint32_t priority)
{
    return std::find_if(entries.begin(), entries.end(), [priority](const auto& e) {
        return e.priority < priority;
    });
}

std::string
PdpTable::AddExact(const PdpKey& key, const PdpAction& action)
{
    for (const std::string& err : {CheckKind(PdpMatchKind::EXACT), CheckKey(key)})
    {
        if (!err.empty())
        {
            return err;
        }
    }
    if (m_exact.count(key))
    {
        return "table '" + m_name + "': duplicate key " + Hex(key);
    }
    if (std::string err = CheckRoom(); !err.empty())
    {
        return err;
    }
    m_exact.emplace(key, action);
    ++m_size;
    return "";
}

std::string
PdpTable::AddLpm(const PdpKey& key, uint32_t prefixLength, const PdpAction& action)
{
    for (const std::string& err : {CheckKind(PdpMatchKind::LPM), CheckKey(key)})
    {
        if (!err.empty())
        {
            return err;
        }
    }
    if (prefixLength > m_keyBits)
    {
        return "table '" + m_name + "': prefix length " + std::to_string(prefixLength) +
               " exceeds key width " + std::to_string(m_keyBits);
    }
    auto it = std::find_if(m_lpm.begin(), m_lpm.end(), [prefixLength](const LpmLength& l) {
        return l.length <= prefixLength;
    });
    const PdpKey mask =
        (it != m_lpm.end() && it->length == prefixLength) ? it->mask : PrefixMask(prefixLength);
    PdpKey prefix = And(key, mask);
    if (it != m_lpm.end() && it->length == prefixLength && it->entries.count(prefix))
    {
        return "table '" + m_name + "': duplicate key " + Hex(prefix) + "/" +
               std::to_string(prefixLength);
    }
    if (std::string err = CheckRoom(); !err.empty())
    {
        return err;
    }
    if (it == m_lpm.end() || it->length != prefixLength)
    {
        it = m_lpm.insert(it, LpmLength{prefixLength, mask, {}});
    }
    it->entries.emplace(std::move(prefix), action);
    ++m_size;
    ++m_tcamRows;
    return "";
}

std::string
PdpTable::AddTernary(const PdpKey& key,
                     const PdpKey& mask,
                     uint32_t priority,
                     const PdpAction& action)
{
    for (const std::string& err :
         {CheckKind(PdpMatchKind::TERNARY), CheckKey(key), CheckKey(mask, "mask")})
    {
        if (!err.empty())
        {
            return err;
        }
    }
    PdpKey value = And(key, mask);
    for (const TernaryEntry& e : m_ternary)
    {
        if (e.priority == priority && e.mask == mask && e.value == value)
        {
            return "table '" + m_name + "': duplicate key " + Hex(value) + " mask " + Hex(mask) +
                   " priority " + std::to_string(priority);
        }
    }
    if (std::string err = CheckRoom(); !err.empty())
    {
        return err;
    }
    m_ternary.insert(InsertPosition(m_ternary, priority),
                     TernaryEntry{std::move(value), mask, priority, action});
    ++m_size;
    ++m_tcamRows;
    return "";
}

std::string
PdpTable::AddRange(uint64_t lo, uint64_t hi, uint32_t priority, const PdpAction& action)
{
    if (std::string err = CheckKind(PdpMatchKind::RANGE); !err.empty())
    {
        return err;
    }
    if (!Fits(hi, m_keyBits))
    {
        return "table '" + m_name + "': range hi " + std::to_string(hi) + " exceeds the " +
               std::to_string(m_keyBits) + "-bit key width";
    }
    if (lo > hi)
    {
        return "table '" + m_name + "': range lo > hi (" + std::to_string(lo) + " > " +
               std::to_string(hi) + ")";
    }
    for (const RangeEntry& e : m_range)
    {
        if (e.priority == priority && e.lo == lo && e.hi == hi)
        {
            return "table '" + m_name + "': duplicate range [" + std::to_string(lo) + ", " +
                   std::to_string(hi) + "] priority " + std::to_string(priority);
        }
    }
    if (std::string err = CheckRoom(); !err.empty())
    {
        return err;
    }
    const uint32_t rows = RangeToPrefixes(lo, hi, m_keyBits);
    m_range.insert(InsertPosition(m_range, priority), RangeEntry{lo, hi, priority, rows, action});
    ++m_size;
    m_tcamRows += rows;
    return "";
}

bool
PdpTable::RemoveExact(const PdpKey& key)
{
    if (m_exact.erase(key) == 0)
    {
        return false;
    }
    --m_size;
    return true;
}

bool
PdpTable::RemoveLpm(const PdpKey& key, uint32_t prefixLength)
{
    if (key.size() != m_keyBytes)
    {
        return false;
    }
    auto it = std::find_if(m_lpm.begin(), m_lpm.end(), [prefixLength](const LpmLength& l) {
        return l.length == prefixLength;
    });
    if (it == m_lpm.end() || it->entries.erase(And(key, it->mask)) == 0)
    {
        return false;
    }
    // Drop an emptied length so lookups keep probing only lengths present.
    if (it->entries.empty())
    {
        m_lpm.erase(it);
    }
    --m_size;
    --m_tcamRows;
    return true;
}

bool
PdpTable::RemoveTernary(const PdpKey& key, const PdpKey& mask, uint32_t priority)
{
    if (key.size() != m_keyBytes || mask.size() != m_keyBytes)
    {
        return false;
    }
    const PdpKey value = And(key, mask);
    auto it = std::find_if(m_ternary.begin(), m_ternary.end(), [&](const TernaryEntry& e) {
        return e.priority == priority && e.mask == mask && e.value == value;
    });
    if (it == m_ternary.end())
    {
        return false;
    }
    m_ternary.erase(it);
    --m_size;
    --m_tcamRows;
    return true;
}

bool
PdpTable::RemoveRange(uint64_t lo, uint64_t hi, uint32_t priority)
{
    auto it = std::find_if(m_range.begin(), m_range.end(), [&](const RangeEntry& e) {
        return e.priority == priority && e.lo == lo && e.hi == hi;
    });
    if (it == m_range.end())
    {
        return false;
    }
    m_tcamRows -= it->rows;
    m_range.erase(it);
    --m_size;
    return true;
}

void
PdpTable::Clear()
{
    m_exact.clear();
    m_lpm.clear();
    m_ternary.clear();
    m_range.clear();
    m_size = 0;
    m_tcamRows = 0;
}

void
PdpTable::SetDefaultAction(const PdpAction& action)
{
    m_default = action;
    m_hasDefault = true;
}

void
PdpTable::ClearDefaultAction()
{
    m_default = PdpAction{};
    m_hasDefault = false;
}

const PdpAction*
PdpTable::GetDefaultAction() const
{
    return m_hasDefault ? &m_default : nullptr;
}

const PdpAction*
PdpTable::Lookup(const PdpKey& key)
{
    if (!KeyFits(key))
    {
        ++m_misses;
        return nullptr;
    }
    if (const PdpAction* a = Find(key))
    {
        ++m_hits;
        return a;
    }
    ++m_misses;
    return GetDefaultAction();
}

const PdpAction*
PdpTable::Find(const PdpKey& key) const
{
    if (!KeyFits(key))
    {
        return nullptr;
    }
    switch (m_kind)
    {
    case PdpMatchKind::EXACT: {
        auto it = m_exact.find(key);
        return it == m_exact.end() ? nullptr : &it->second;
    }
    case PdpMatchKind::LPM: {
        PdpKey probe(m_keyBytes);
        for (const LpmLength& l : m_lpm)
        {
            for (uint32_t i = 0; i < m_keyBytes; ++i)
            {
                probe[i] = key[i] & l.mask[i];
            }
            auto it = l.entries.find(probe);
            if (it != l.entries.end())
            {
                return &it->second;
            }
        }
        return nullptr;
    }
    case PdpMatchKind::TERNARY:
        for (const TernaryEntry& e : m_ternary)
        {
            uint32_t i = 0;
            while (i < m_keyBytes && (key[i] & e.mask[i]) == e.value[i])
            {
                ++i;
            }
            if (i == m_keyBytes)
            {
                return &e.action;
            }
        }
        return nullptr;
    case PdpMatchKind::RANGE: {
        const uint64_t v = ToUint(key);
        for (const RangeEntry& e : m_range)
        {
            if (e.lo <= v && v <= e.hi)
            {
                return &e.action;
            }
        }
        return nullptr;
    }
    }
    return nullptr;
}

uint32_t
PdpTable::Size() const
{
    return m_size;
}

uint32_t
PdpTable::Capacity() const
{
    return m_capacity;
}

uint64_t
PdpTable::TcamRows() const
{
    return m_tcamRows;
}

uint64_t
PdpTable::Hits() const
{
    return m_hits;
}

uint64_t
PdpTable::Misses() const
{
    return m_misses;
}

void
PdpTable::ResetCounters()
{
    m_hits = 0;
    m_misses = 0;
}

const std::string&
PdpTable::GetName() const
{
    return m_name;
}

PdpMatchKind
PdpTable::GetMatchKind() const
{
    return m_kind;
}

uint32_t
PdpTable::GetKeyBits() const
{
    return m_keyBits;
}

uint32_t
PdpTable::GetKeyBytes() const
{
    return m_keyBytes;
}

} // namespace ns3
