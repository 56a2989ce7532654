/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PDP_FUNCTION_H
#define PDP_FUNCTION_H

#include "pdp-latency-stats.h"
#include "pdp-match-kind.h"

#include "ns3/ipv6-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

class Ipv6Header;
class Packet;
class PdpSwitch;

/**
 * \ingroup aisfc
 * A type of in-network function: its match-action table (what a switch stores, what a lookup
 * reads), its state on a server (a VM), and its processing in each form.  Processing capacity
 * bounds throughput (a packet occupies the function for bytes x 8 / capacity); the per-packet
 * and per-MB costs add latency without occupying it (pipelined hardware, or a VM's per-MB
 * delay; SR-EM gives per-MB processing delays for both forms).
 */
struct PdpFunctionType
{
    std::string name;                         //!< e.g. "firewall"
    PdpMatchKind match = PdpMatchKind::EXACT; //!< how its table matches
    uint32_t keyBits = 104;                   //!< key width (a 5-tuple without ports: 104)
    uint32_t actionBits = 32;                 //!< action data per entry
    uint64_t tableEntries = 1024;             //!< entries (TCAM rows for ternary/range)
    uint64_t serverStorageBytes = 64 << 20;   //!< VM state on a server
    double switchCapacityBps = 100e9;         //!< processing capacity in a switch
    double serverCapacityBps = 1e9;           //!< processing capacity as a VM
    Time switchPerPacket = Time(0);           //!< extra latency per packet in a switch
    Time switchPerMegabyte = Time(0);         //!< extra latency per MB of packet in a switch
    Time serverPerPacket = MicroSeconds(5);   //!< latency per packet as a VM
    Time serverPerMegabyte = MilliSeconds(1); //!< VM latency per MB of packet
    uint32_t rdmaAccesses = 1;                //!< reads per lookup in external memory
    uint32_t recirculations = 0;              //!< extra pipeline passes in a switch

    /// \brief \return the bytes the table takes off chip (external memory) and the control
    /// traffic that programs it into a switch
    uint64_t SwitchStorageBytes() const;
    /// \brief \return bytes of one table entry (key and action)
    uint32_t EntryBytes() const;
};

/**
 * \ingroup aisfc The built-in function types: "firewall" (ternary ACL), "nat" (exact 5-tuple),
 * "load-balancer" (exact VIP), "encryption" (per-byte cost), "ml-classifier" (range features).
 * Their figures are documented assumptions (doc/pdp.rst), to be overridden from JSON.
 */
const std::map<std::string, PdpFunctionType>& PdpBuiltinFunctionTypes();

/// \ingroup aisfc Where a function instance runs.
struct PdpHosting
{
    /// Which memory of which host.
    enum class Kind
    {
        LOCAL,    //!< a switch's SRAM/TCAM
        EXTERNAL, //!< a switch's external memory over RDMA
        SERVER,   //!< a VM on a server
    };
    Kind kind = Kind::LOCAL; //!< which memory
    uint32_t node = 0;       //!< the host (topology node)
};

/// \ingroup aisfc \brief \return "local", "external" or "server"
std::string PdpHostingKindName(PdpHosting::Kind kind);

/**
 * \ingroup aisfc
 * One instance of a function type on its host, served behind an End SID (Srv6SidTable's
 * function service): a lookup in its table (switch local memory: the TCAM delay; external
 * memory: an RDMA lookup through the switch's PdpExternalMemory; server: none), the
 * recirculations of its type (switch), the per-packet and per-byte costs, then the processor:
 * a FIFO at the instance's capacity with QueueLimit bytes of backlog ("function-overload" drops
 * beyond).  Shared by every chain that steers through its SID.
 */
class PdpFunctionInstance : public Object
{
  public:
    /// What the instance tells its SID table: an empty reason forwards the packet.
    using Done = std::function<void(Ptr<Packet>, const Ipv6Header&, const std::string&)>;

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    PdpFunctionInstance();
    ~PdpFunctionInstance() override;

    /// \brief Configure (before use): name, the name of its table (or VM state) on the host,
    /// type and hosting; `sw` is the hosting switch (nullptr on a server).
    void Setup(const std::string& name,
               const std::string& tableName,
               const PdpFunctionType& type,
               const PdpHosting& hosting,
               Ptr<PdpSwitch> sw);
    /// \brief \return the instance's name
    const std::string& GetName() const;
    /// \brief \return its type
    const PdpFunctionType& GetType() const;
    /// \brief \return where it runs
    const PdpHosting& GetHosting() const;
    /// \brief \return the processing capacity in bit/s of this form
    double GetCapacityBps() const;
    /// \brief \return the lookup delay in local memory (0 elsewhere)
    Time GetLocalLookupDelay() const;
    /// \brief \return the table's name on its switch
    std::string GetTableName() const;

    /// \brief Serve one packet (the SID table's function service).
    void Serve(Ptr<Packet> p, const Ipv6Header& header, Done done);

    /// \brief \return packets served (forwarded)
    uint64_t GetServed() const;
    /// \brief \return bytes served
    uint64_t GetServedBytes() const;
    /// \brief \return drops by reason
    const std::map<std::string, uint64_t>& GetDrops() const;
    /// \brief \return the distribution of time spent in the function
    const PdpLatencyStats& GetLatencies() const;

  private:
    void Lookup(Ptr<Packet> p, const Ipv6Header& header, Done done, Time arrival);
    void Process(Ptr<Packet> p, const Ipv6Header& header, Done done, Time arrival);
    void Fail(Ptr<Packet> p, const Ipv6Header& header, Done done, const std::string& reason);

    std::string m_name;
    std::string m_tableName;
    PdpFunctionType m_type;
    PdpHosting m_hosting;
    Ptr<PdpSwitch> m_switch;
    uint32_t m_queueLimitBytes;
    Time m_busyUntil;

    uint64_t m_served = 0;
    uint64_t m_servedBytes = 0;
    std::map<std::string, uint64_t> m_drops;
    PdpLatencyStats m_latencies;
    TracedCallback<Ptr<const Packet>, Time> m_servedTrace;
};

} // namespace ns3

#endif
