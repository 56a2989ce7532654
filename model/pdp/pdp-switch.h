/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PDP_SWITCH_H
#define PDP_SWITCH_H

#include "pdp-latency-stats.h"
#include "pdp-memory-accountant.h"

#include "ns3/aisfc-input-hook.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class PdpExternalMemory;

/**
 * \ingroup aisfc
 * A programmable data-plane (Tofino-like) switch on an ns-3 node.  It is an
 * Ipv6RoutingProtocol at the head of the node's Ipv6ListRouting (priority 30, ahead of the
 * SRv6 SID table and the FIB): every transit packet takes a pipeline slot (the packet-rate
 * limit; a packet that would wait longer than QueueLimit slots is dropped, "pipeline-overload"),
 * spends the pipeline latency (FixedLatency + Stages x StageLatency + the TCAM lookup delay of
 * every per-packet table), and is then handed to the protocols below, so the switch runs the
 * SRv6 data plane and owns SIDs like any node.  Packets it originates (RDMA reads of its
 * external-memory controller) and packets to its own addresses (its CPU, the RDMA responses)
 * skip the pipeline: the RDMA round trip is calibrated as a whole (TEA).
 *
 * The switch's memory (stages of SRAM and TCAM blocks, external memory bytes) is accounted by
 * a PdpMemoryAccountant; tables and registers reserve blocks in it and are refused when they do
 * not fit.  A TCAM lookup costs TcamK x log2(entries) (OFSwitch13's model).
 *
 * Calibration: the defaults (200 ns + 12 x 7 ns = 284 ns per switch) give 852 ns over three
 * switches, the Tofino figure of the DUNE demo.
 */
class PdpSwitch : public AisfcInputHook
{
  public:
    static constexpr int16_t PRIORITY = 30; //!< in Ipv6ListRouting, ahead of SRv6 (20)

    /// A table on the switch: its shape, where it lives, and whether every packet looks it up.
    struct Table
    {
        PdpTableShape shape;
        PdpMemoryKind memory;
        bool perPacket;
        /// Lookup level: per-packet tables of one level are matched in parallel (one stage of a
        /// Tofino pipeline), so a level costs its slowest lookup; none: a level of its own.
        std::optional<uint32_t> level;
    };

    /// A register array: cells of a bit width, stored in SRAM.
    struct Register
    {
        uint32_t widthBits;
        std::vector<uint64_t> cells;

        /// \brief Store a value, truncated to the width as the hardware does.
        void Write(uint32_t index, uint64_t value);
        /// \brief \return a cell
        uint64_t Read(uint32_t index) const;
    };

    /// Signature of the Drop trace: the packet with its IPv6 header, and the reason.
    using DropTracedCallback = void (*)(const Ipv6Header&, Ptr<const Packet>, const std::string&);
    /// Signature of the Memory trace: the memory ("sram", "tcam", "external"), units used and
    /// capacity (blocks on chip, bytes off chip), after a reservation or release.
    using MemoryTracedCallback = void (*)(const std::string&, uint64_t, uint64_t);

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    PdpSwitch();
    ~PdpSwitch() override;

    /// \brief Set the switch's name and memory budget (before any reservation; the name
    /// appears in refusals).  The stage count comes from the Stages attribute.
    void SetMemoryBudget(const std::string& name, PdpMemoryBudget budget);
    /// \brief \return the memory accountant
    PdpMemoryAccountant& GetMemory();
    /// \brief \return the memory accountant
    const PdpMemoryAccountant& GetMemory() const;
    /// \brief \return the switch's name
    const std::string& GetName() const;

    /**
     * \brief Add a table (reserving its memory); a per-packet table's lookup delay applies to
     * every packet.
     * \param shape the table's shape
     * \param memory where it lives
     * \param perPacket every packet looks it up
     * \param level tables of one level are looked up in parallel (a level costs its slowest
     *        lookup); none: the table is a level of its own, after the others
     * \return the reservation or the refusal
     */
    PdpReserveResult AddTable(const PdpTableShape& shape,
                              PdpMemoryKind memory,
                              bool perPacket,
                              std::optional<uint32_t> level = std::nullopt);
    /// \brief Remove a table, releasing its memory. \return whether it existed
    bool RemoveTable(const std::string& name);
    /// \brief \return the table with this name, or nullptr
    const Table* GetTable(const std::string& name) const;
    /// \brief Add a register array (reserving SRAM). \return the reservation or the refusal
    PdpReserveResult AddRegister(const std::string& name, uint32_t widthBits, uint32_t cells);
    /// \brief \return a register array, or nullptr
    Register* GetRegister(const std::string& name);

    /// \brief \return the TCAM lookup delay of a table of n entries: TcamK x log2(n)
    Time TcamLookupDelay(uint64_t entries) const;
    /// \brief \return the lookup delay of a table: TCAM delay in TCAM, 0 in SRAM (inside the
    /// stage time), 0 elsewhere (the caller accounts for external memory)
    Time TableLookupDelay(const std::string& name) const;
    /// \brief \return the latency of one pass with an idle pipeline
    Time PipelineLatency() const;
    /// \brief \return the part of the pipeline latency spent in per-packet TCAM lookups
    /// (lookup levels in sequence, each its slowest table)
    Time PerPacketLookupDelay() const;
    /// \brief Take a pipeline slot for one pass of a packet arriving now. \return the pass's
    /// delay (slot wait + pipeline latency), or nothing when the pipeline is overloaded
    std::optional<Time> AdmitPass();
    /// \brief Take a recirculation: another pass plus the RecirculationLatency. \return its
    /// delay, or nothing when the pipeline is overloaded
    std::optional<Time> Recirculate();

    /**
     * A program the pipeline runs on every transit packet it admits (a P4 program's ingress
     * control): it may rewrite the packet (its own copy) and returns false to drop it.  Its
     * time is the pipeline latency: the program declares its tables with AddTable.
     */
    using Program = Callback<bool, Ptr<Packet>, const Ipv6Header&>;
    /// \brief Install the program (a null callback removes it).
    void SetProgram(Program program);

    /// \brief Give the switch an external-memory controller (RDMA to memory servers).
    void SetExternalMemory(Ptr<PdpExternalMemory> external);
    /// \brief \return its external-memory controller, or nullptr
    Ptr<PdpExternalMemory> GetExternalMemory() const;

    /// \brief \return packets that entered the pipeline
    uint64_t GetPackets() const;
    /// \brief \return recirculations
    uint64_t GetRecirculations() const;
    /// \brief \return drops by reason
    const std::map<std::string, uint64_t>& GetDrops() const;
    /// \brief \return the distribution of waits for a pipeline slot
    const PdpLatencyStats& GetQueueDelays() const;
    /// \brief Count a drop with a reason and fire the Drop trace.
    void Drop(const Ipv6Header& header, Ptr<const Packet> p, const std::string& reason);

    // Ipv6RoutingProtocol
    bool RouteInput(Ptr<const Packet> p,
                    const Ipv6Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;
    void NotifyAddAddress(uint32_t interface, Ipv6InterfaceAddress address) override;
    void NotifyRemoveAddress(uint32_t interface, Ipv6InterfaceAddress address) override;
    void SetIpv6(Ptr<Ipv6> ipv6) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const override;

  protected:
    void DoDispose() override;

  private:
    void Dispatch(Ptr<Packet> p,
                  const Ipv6Header& header,
                  Ptr<const NetDevice> idev,
                  UnicastForwardCallback ucb,
                  MulticastForwardCallback mcb,
                  LocalDeliverCallback lcb);
    void NoRoute(Ptr<const Packet> p, const Ipv6Header& header, Socket::SocketErrno);
    void MemoryChanged(PdpMemoryKind memory);

    std::vector<Ipv6Address> m_ownAddresses; //!< a handful: a linear scan is fastest
    std::string m_name = "switch";
    std::unique_ptr<PdpMemoryAccountant> m_memory;
    std::map<std::string, Table> m_tables;
    std::map<std::string, Register> m_registers;
    Ptr<PdpExternalMemory> m_external;

    uint32_t m_stages;
    Time m_fixedLatency;
    Time m_stageLatency;
    Time m_tcamK;
    double m_packetRate;
    uint32_t m_queueLimit;
    Time m_recirculationLatency;
    /// Recompute m_perPacketLookup: levels in sequence, each its slowest table.
    void UpdateLookupDelay();

    Time m_perPacketLookup; //!< TCAM delay of the per-packet tables, kept up to date
    Program m_program;      //!< the ingress program, if any

    double m_nextSlotSeconds = 0; //!< when the pipeline can take the next packet
    uint64_t m_packets = 0;
    uint64_t m_recirculations = 0;
    std::map<std::string, uint64_t> m_drops;
    PdpLatencyStats m_queueDelays;

    TracedCallback<const Ipv6Header&, Ptr<const Packet>, const std::string&> m_dropTrace;
    TracedCallback<Ptr<const Packet>, Time> m_pipelineTrace;
    TracedCallback<const std::string&, uint64_t, uint64_t> m_memoryTrace;
};

} // namespace ns3

#endif
