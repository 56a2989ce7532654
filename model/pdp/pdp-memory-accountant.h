/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PDP_MEMORY_ACCOUNTANT_H
#define PDP_MEMORY_ACCOUNTANT_H

#include "pdp-match-kind.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * The memory of one host: a PDP switch's pipeline stages (SRAM and TCAM in blocks), its
 * external memory (bytes of memory-server DRAM reached over RDMA), and a server's memory for
 * VMs (bytes).  Zero means the host has none of that kind.  Defaults are Tofino-like (DUNE's
 * code: 24 TCAM blocks of 44 bits x 512 entries per stage, 12 stages; Tofino's 80 SRAM blocks
 * of 128 bits x 1024 words per stage).
 */
struct PdpMemoryBudget
{
    uint32_t stages = 12;             //!< pipeline stages
    uint32_t tcamBlocksPerStage = 24; //!< TCAM blocks in each stage
    uint32_t tcamBlockBits = 44;      //!< key bits of one TCAM block
    uint32_t tcamBlockEntries = 512;  //!< rows of one TCAM block
    uint32_t sramBlocksPerStage = 80; //!< SRAM blocks in each stage
    uint32_t sramBlockBits = 128;     //!< word width of one SRAM block
    uint32_t sramBlockEntries = 1024; //!< words of one SRAM block
    uint64_t externalBytes = 0;       //!< external (RDMA) memory
    uint64_t serverBytes = 0;         //!< server memory for VMs

    /// \brief \return a budget with no switch memory and `bytes` of server memory
    static PdpMemoryBudget Server(uint64_t bytes);
    /// \brief \return bytes of one SRAM block
    uint64_t SramBlockBytes() const;
};

/// \ingroup aisfc A table as the accountant sees it: its shape, not its entries.
struct PdpTableShape
{
    std::string name;                         //!< unique on the host
    PdpMatchKind match = PdpMatchKind::EXACT; //!< match kind
    uint32_t keyBits = 32;                    //!< key width
    uint32_t actionBits = 32;                 //!< action data stored per entry (SRAM word)
    uint64_t entries = 0;                     //!< entries (TCAM rows for ternary and range)
};

/// \ingroup aisfc What one object holds in one memory.
struct PdpReservation
{
    std::string name;                           //!< object name
    PdpMemoryKind memory = PdpMemoryKind::SRAM; //!< where
    uint64_t blocks = 0;                        //!< SRAM/TCAM blocks (0 elsewhere)
    uint64_t bytes = 0;                         //!< bytes (blocks x block bytes on chip)
    std::map<uint32_t, uint64_t> stageBlocks;   //!< blocks taken in each stage (on chip)
};

/// \ingroup aisfc The answer to a reservation: the reservation, or why it was refused.
struct PdpReserveResult
{
    bool ok = false;            //!< reserved
    std::string reason;         //!< why not (names the host, object and shortfall)
    PdpReservation reservation; //!< what was reserved (when ok)
};

/**
 * \ingroup aisfc
 * The one memory accountant of the module (PDP switches, placement, DUNE's table compiler):
 * objects (tables, function state, VM images) are reserved in a memory of a host and released;
 * a reservation that does not fit is refused with a reason and changes nothing.
 *
 * On-chip, a table takes ceil(width / block width) x ceil(entries / block entries) blocks: TCAM
 * with the key as width, SRAM with key + action as width (exact match stores the key).  Blocks
 * fill stages first-fit from stage 0; a table may span stages, as a compiler splits a large
 * table.  Ternary and range tables need TCAM; exact tables need SRAM or off-chip memory;
 * LPM fits either on chip (TCAM, or SRAM as an algorithmic LPM).  Off-chip memories count
 * bytes: entries x ceil((key + action bits) / 8) for a table.
 */
class PdpMemoryAccountant
{
  public:
    /// \brief An accountant for host `owner` (named in refusals) with this budget.
    PdpMemoryAccountant(std::string owner, const PdpMemoryBudget& budget);

    /// \brief \return the TCAM blocks a table of `rows` rows of `keyBits` bits needs
    static uint64_t TcamBlocks(const PdpMemoryBudget& budget, uint32_t keyBits, uint64_t rows);
    /// \brief \return the SRAM blocks `words` words of `wordBits` bits need
    static uint64_t SramBlocks(const PdpMemoryBudget& budget, uint32_t wordBits, uint64_t words);
    /// \brief \return the off-chip bytes of a table
    static uint64_t TableBytes(const PdpTableShape& table);

    /// \brief Reserve a table in a memory.
    PdpReserveResult ReserveTable(const PdpTableShape& table, PdpMemoryKind memory);
    /// \brief Reserve `bytes` of opaque state (function state, a VM image) in a memory; on
    /// chip it takes SRAM blocks.
    PdpReserveResult ReserveBytes(const std::string& name, uint64_t bytes, PdpMemoryKind memory);
    /// \brief Check a reservation without making it. \return why it would be refused, or ""
    std::string WouldRefuse(uint64_t bytes, PdpMemoryKind memory) const;
    /// \brief Grow an off-chip memory (a memory server joins a switch's external memory).
    void AddCapacity(PdpMemoryKind memory, uint64_t bytes);
    /// \brief Release an object. \return whether it was reserved
    bool Release(const std::string& name);

    /// \brief \return the reservation of an object, or nullptr
    const PdpReservation* Find(const std::string& name) const;
    /// \brief \return every reservation, by name
    const std::map<std::string, PdpReservation>& GetReservations() const;
    /// \brief \return units used (blocks on chip, bytes off chip)
    uint64_t Used(PdpMemoryKind memory) const;
    /// \brief \return units available in all (blocks on chip, bytes off chip)
    uint64_t Capacity(PdpMemoryKind memory) const;
    /// \brief \return bytes used (blocks x block bytes on chip)
    uint64_t UsedBytes(PdpMemoryKind memory) const;
    /// \brief \return free blocks of an on-chip memory in each stage
    std::vector<uint64_t> FreeBlocksPerStage(PdpMemoryKind memory) const;
    /// \brief \return the budget
    const PdpMemoryBudget& GetBudget() const;
    /// \brief \return the host's name
    const std::string& GetOwner() const;

  private:
    PdpReserveResult ReserveOnChip(const std::string& name,
                                   PdpMemoryKind memory,
                                   uint64_t blocks,
                                   const std::string& what);
    PdpReserveResult ReserveOffChip(const std::string& name,
                                    PdpMemoryKind memory,
                                    uint64_t bytes,
                                    const std::string& what);
    PdpReserveResult Refuse(const std::string& reason) const;
    /// \return why `amount` (blocks on chip, bytes off chip) does not fit, or ""
    std::string Shortfall(PdpMemoryKind memory, uint64_t amount, const std::string& what) const;
    std::vector<uint64_t>& StageUse(PdpMemoryKind memory);
    const std::vector<uint64_t>& StageUse(PdpMemoryKind memory) const;
    uint64_t BlocksPerStage(PdpMemoryKind memory) const;

    std::string m_owner;
    PdpMemoryBudget m_budget;
    std::vector<uint64_t> m_sramUsed; //!< per stage
    std::vector<uint64_t> m_tcamUsed; //!< per stage
    uint64_t m_externalUsed = 0;
    uint64_t m_serverUsed = 0;
    std::map<std::string, PdpReservation> m_reservations;
};

} // namespace ns3

#endif
