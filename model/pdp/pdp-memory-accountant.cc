/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pdp-memory-accountant.h"

#include <cctype>
#include <numeric>
#include <sstream>
#include <stdexcept>

namespace ns3
{

namespace
{
uint64_t
CeilDiv(uint64_t a, uint64_t b)
{
    return b == 0 ? 0 : (a + b - 1) / b;
}

std::string
Upper(PdpMemoryKind memory)
{
    std::string s = PdpMemoryKindName(memory);
    for (char& c : s)
    {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return s;
}
} // namespace

PdpMemoryBudget
PdpMemoryBudget::Server(uint64_t bytes)
{
    PdpMemoryBudget b;
    b.stages = 0;
    b.serverBytes = bytes;
    return b;
}

uint64_t
PdpMemoryBudget::SramBlockBytes() const
{
    return uint64_t(sramBlockBits) * sramBlockEntries / 8;
}

PdpMemoryAccountant::PdpMemoryAccountant(std::string owner, const PdpMemoryBudget& budget)
    : m_owner(std::move(owner)),
      m_budget(budget),
      m_sramUsed(budget.stages, 0),
      m_tcamUsed(budget.stages, 0)
{
}

uint64_t
PdpMemoryAccountant::TcamBlocks(const PdpMemoryBudget& budget, uint32_t keyBits, uint64_t rows)
{
    return CeilDiv(keyBits, budget.tcamBlockBits) * CeilDiv(rows, budget.tcamBlockEntries);
}

uint64_t
PdpMemoryAccountant::SramBlocks(const PdpMemoryBudget& budget, uint32_t wordBits, uint64_t words)
{
    return CeilDiv(wordBits, budget.sramBlockBits) * CeilDiv(words, budget.sramBlockEntries);
}

uint64_t
PdpMemoryAccountant::TableBytes(const PdpTableShape& table)
{
    return table.entries * CeilDiv(uint64_t(table.keyBits) + table.actionBits, 8);
}

PdpReserveResult
PdpMemoryAccountant::Refuse(const std::string& reason) const
{
    PdpReserveResult r;
    r.reason = m_owner + ": " + reason;
    return r;
}

PdpReserveResult
PdpMemoryAccountant::ReserveTable(const PdpTableShape& table, PdpMemoryKind memory)
{
    std::string what = "table '" + table.name + "' (" + PdpMatchKindName(table.match) + ", " +
                       std::to_string(table.entries) + " entries of " +
                       std::to_string(table.keyBits) + "-bit keys)";
    bool needsTcam = table.match == PdpMatchKind::TERNARY || table.match == PdpMatchKind::RANGE;
    if (needsTcam && memory != PdpMemoryKind::TCAM)
    {
        return Refuse(what + " needs TCAM, not " + PdpMemoryKindName(memory));
    }
    if (table.match == PdpMatchKind::EXACT && memory == PdpMemoryKind::TCAM)
    {
        return Refuse(what + " is exact-match: it belongs in SRAM, not TCAM");
    }
    switch (memory)
    {
    case PdpMemoryKind::TCAM:
        return ReserveOnChip(table.name,
                             memory,
                             TcamBlocks(m_budget, table.keyBits, table.entries),
                             what);
    case PdpMemoryKind::SRAM:
        return ReserveOnChip(table.name,
                             memory,
                             SramBlocks(m_budget, table.keyBits + table.actionBits, table.entries),
                             what);
    case PdpMemoryKind::EXTERNAL:
    case PdpMemoryKind::SERVER:
        return ReserveOffChip(table.name, memory, TableBytes(table), what);
    }
    return Refuse("unknown memory");
}

PdpReserveResult
PdpMemoryAccountant::ReserveBytes(const std::string& name, uint64_t bytes, PdpMemoryKind memory)
{
    std::string what = "'" + name + "' (" + std::to_string(bytes) + " bytes)";
    switch (memory)
    {
    case PdpMemoryKind::TCAM:
        return Refuse(what + ": opaque state cannot live in TCAM");
    case PdpMemoryKind::SRAM:
        return ReserveOnChip(name, memory, CeilDiv(bytes, m_budget.SramBlockBytes()), what);
    case PdpMemoryKind::EXTERNAL:
    case PdpMemoryKind::SERVER:
        return ReserveOffChip(name, memory, bytes, what);
    }
    return Refuse("unknown memory");
}

std::string
PdpMemoryAccountant::WouldRefuse(uint64_t bytes, PdpMemoryKind memory) const
{
    std::string what = std::to_string(bytes) + " bytes";
    switch (memory)
    {
    case PdpMemoryKind::TCAM:
        return m_owner + ": " + what + ": opaque state cannot live in TCAM";
    case PdpMemoryKind::SRAM:
        return Shortfall(memory, CeilDiv(bytes, m_budget.SramBlockBytes()), what);
    default:
        return Shortfall(memory, bytes, what);
    }
}

std::string
PdpMemoryAccountant::Shortfall(PdpMemoryKind memory, uint64_t amount, const std::string& what) const
{
    uint64_t free = Capacity(memory) - Used(memory);
    if (amount <= free)
    {
        return "";
    }
    std::ostringstream os;
    os << m_owner << ": " << what << " needs " << amount << " "
       << (memory == PdpMemoryKind::SRAM || memory == PdpMemoryKind::TCAM
               ? Upper(memory) + " blocks"
               : "bytes of " + PdpMemoryKindName(memory) + " memory")
       << ", " << free << " free of " << Capacity(memory);
    return os.str();
}

PdpReserveResult
PdpMemoryAccountant::ReserveOnChip(const std::string& name,
                                   PdpMemoryKind memory,
                                   uint64_t blocks,
                                   const std::string& what)
{
    if (m_reservations.count(name))
    {
        return Refuse(what + ": the name is already reserved");
    }
    if (std::string shortfall = Shortfall(memory, blocks, what); !shortfall.empty())
    {
        PdpReserveResult r;
        r.reason = shortfall;
        return r;
    }
    PdpReserveResult r;
    r.ok = true;
    r.reservation.name = name;
    r.reservation.memory = memory;
    r.reservation.blocks = blocks;
    r.reservation.bytes =
        blocks * (memory == PdpMemoryKind::SRAM
                      ? m_budget.SramBlockBytes()
                      : uint64_t(m_budget.tcamBlockBits) * m_budget.tcamBlockEntries / 8);
    std::vector<uint64_t>& use = StageUse(memory);
    uint64_t perStage = BlocksPerStage(memory);
    uint64_t left = blocks;
    for (uint32_t s = 0; s < use.size() && left > 0; ++s)
    {
        uint64_t take = std::min(left, perStage - use[s]);
        if (take > 0)
        {
            use[s] += take;
            r.reservation.stageBlocks[s] = take;
            left -= take;
        }
    }
    m_reservations[name] = r.reservation;
    return r;
}

PdpReserveResult
PdpMemoryAccountant::ReserveOffChip(const std::string& name,
                                    PdpMemoryKind memory,
                                    uint64_t bytes,
                                    const std::string& what)
{
    if (m_reservations.count(name))
    {
        return Refuse(what + ": the name is already reserved");
    }
    if (std::string shortfall = Shortfall(memory, bytes, what); !shortfall.empty())
    {
        PdpReserveResult r;
        r.reason = shortfall;
        return r;
    }
    (memory == PdpMemoryKind::EXTERNAL ? m_externalUsed : m_serverUsed) += bytes;
    PdpReserveResult r;
    r.ok = true;
    r.reservation.name = name;
    r.reservation.memory = memory;
    r.reservation.bytes = bytes;
    m_reservations[name] = r.reservation;
    return r;
}

void
PdpMemoryAccountant::AddCapacity(PdpMemoryKind memory, uint64_t bytes)
{
    if (memory != PdpMemoryKind::EXTERNAL && memory != PdpMemoryKind::SERVER)
    {
        throw std::invalid_argument(m_owner + ": on-chip memory is fixed by the stages");
    }
    (memory == PdpMemoryKind::EXTERNAL ? m_budget.externalBytes : m_budget.serverBytes) += bytes;
}

bool
PdpMemoryAccountant::Release(const std::string& name)
{
    auto it = m_reservations.find(name);
    if (it == m_reservations.end())
    {
        return false;
    }
    const PdpReservation& r = it->second;
    switch (r.memory)
    {
    case PdpMemoryKind::SRAM:
    case PdpMemoryKind::TCAM:
        for (const auto& [stage, blocks] : r.stageBlocks)
        {
            StageUse(r.memory)[stage] -= blocks;
        }
        break;
    case PdpMemoryKind::EXTERNAL:
        m_externalUsed -= r.bytes;
        break;
    case PdpMemoryKind::SERVER:
        m_serverUsed -= r.bytes;
        break;
    }
    m_reservations.erase(it);
    return true;
}

const PdpReservation*
PdpMemoryAccountant::Find(const std::string& name) const
{
    auto it = m_reservations.find(name);
    return it == m_reservations.end() ? nullptr : &it->second;
}

const std::map<std::string, PdpReservation>&
PdpMemoryAccountant::GetReservations() const
{
    return m_reservations;
}

uint64_t
PdpMemoryAccountant::BlocksPerStage(PdpMemoryKind memory) const
{
    return memory == PdpMemoryKind::SRAM ? m_budget.sramBlocksPerStage
                                         : m_budget.tcamBlocksPerStage;
}

std::vector<uint64_t>&
PdpMemoryAccountant::StageUse(PdpMemoryKind memory)
{
    return memory == PdpMemoryKind::SRAM ? m_sramUsed : m_tcamUsed;
}

const std::vector<uint64_t>&
PdpMemoryAccountant::StageUse(PdpMemoryKind memory) const
{
    return memory == PdpMemoryKind::SRAM ? m_sramUsed : m_tcamUsed;
}

uint64_t
PdpMemoryAccountant::Used(PdpMemoryKind memory) const
{
    switch (memory)
    {
    case PdpMemoryKind::SRAM:
    case PdpMemoryKind::TCAM: {
        const auto& use = StageUse(memory);
        return std::accumulate(use.begin(), use.end(), uint64_t(0));
    }
    case PdpMemoryKind::EXTERNAL:
        return m_externalUsed;
    case PdpMemoryKind::SERVER:
        return m_serverUsed;
    }
    return 0;
}

uint64_t
PdpMemoryAccountant::Capacity(PdpMemoryKind memory) const
{
    switch (memory)
    {
    case PdpMemoryKind::SRAM:
    case PdpMemoryKind::TCAM:
        return BlocksPerStage(memory) * m_budget.stages;
    case PdpMemoryKind::EXTERNAL:
        return m_budget.externalBytes;
    case PdpMemoryKind::SERVER:
        return m_budget.serverBytes;
    }
    return 0;
}

uint64_t
PdpMemoryAccountant::UsedBytes(PdpMemoryKind memory) const
{
    uint64_t total = 0;
    for (const auto& [name, r] : m_reservations)
    {
        if (r.memory == memory)
        {
            total += r.bytes;
        }
    }
    return total;
}

std::vector<uint64_t>
PdpMemoryAccountant::FreeBlocksPerStage(PdpMemoryKind memory) const
{
    std::vector<uint64_t> free;
    if (memory == PdpMemoryKind::SRAM || memory == PdpMemoryKind::TCAM)
    {
        for (uint64_t used : StageUse(memory))
        {
            free.push_back(BlocksPerStage(memory) - used);
        }
    }
    return free;
}

const PdpMemoryBudget&
PdpMemoryAccountant::GetBudget() const
{
    return m_budget;
}

const std::string&
PdpMemoryAccountant::GetOwner() const
{
    return m_owner;
}

} // namespace ns3
