/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PLACEMENT_PROBLEM_H
#define PLACEMENT_PROBLEM_H

#include "ns3/aisfc-topology.h"
#include "ns3/pdp-match-kind.h"
#include "ns3/pdp-memory-accountant.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * Which memory of a node holds a function instance (the SR-EM paper's three placement
 * variables): a VM on a server, a switch's local (on-chip) memory, or a switch's external
 * memory reached over RDMA.
 */
enum class PlacementHostKind : uint8_t
{
    SERVER,   //!< a VM on a server
    LOCAL,    //!< a switch's local memory (SRAM, in blocks)
    EXTERNAL, //!< a switch's external memory (bytes of memory-server DRAM over RDMA)
};

/// \ingroup aisfc \brief \return "server", "local" or "external"
std::string PlacementHostKindName(PlacementHostKind kind);
/// \ingroup aisfc \brief \return the kind with this name, if any
std::optional<PlacementHostKind> PlacementParseHostKind(const std::string& name);
/// \ingroup aisfc \brief \return the accountant's memory of a host kind (LOCAL is SRAM)
PdpMemoryKind PlacementMemoryKind(PlacementHostKind kind);

/**
 * \ingroup aisfc
 * A host slot: one memory of one node, the unit a policy chooses for an instance (one output
 * neuron of the paper's policy networks).
 */
struct PlacementHostSlot
{
    uint32_t node = 0;                                  //!< topology node index
    PlacementHostKind kind = PlacementHostKind::SERVER; //!< which memory

    /// \brief \return whether both name the same memory of the same node
    bool operator==(const PlacementHostSlot& o) const;
    /// \brief \return the negation of ==
    bool operator!=(const PlacementHostSlot& o) const;
    /// \brief \return order by node, then kind (the order of PlacementProblem::HostSlots)
    bool operator<(const PlacementHostSlot& o) const;
};

/**
 * \ingroup aisfc
 * A function (VNF) type f: its storage demand in a switch (match-action entries and state,
 * D^sw_f) and on a server (a VM image, D^sv_f), the control traffic that programs it into a
 * switch (C_f; the paper sets it to the switch size), its processing capacity per instance in
 * a switch (P^sw_f) and on a server (P^sv_f), and how many instances it has (shared among the
 * requests).
 */
struct PlacementFunctionType
{
    std::string name;             //!< unique, e.g. "f0"
    uint32_t instances = 1;       //!< instances of this type
    uint64_t switchBytes = 0;     //!< D^sw_f: storage in a switch's local or external memory
    uint64_t serverBytes = 0;     //!< D^sv_f: storage on a server
    uint64_t programBytes = 0;    //!< C_f: control traffic to program it into a switch
    double switchCapacityBps = 0; //!< P^sw_f: traffic one instance in a switch can process
    double serverCapacityBps = 0; //!< P^sv_f: traffic one instance on a server can process
};

/// \ingroup aisfc Whether a substrate node is a PDP switch or a server.
enum class PlacementNodeType : uint8_t
{
    SWITCH, //!< a PDP switch: local memory, external memory over RDMA, an SDN controller link
    SERVER, //!< a server: storage for VMs
};

/// \ingroup aisfc \brief \return "switch" or "server"
std::string PlacementNodeTypeName(PlacementNodeType type);

/**
 * \ingroup aisfc
 * A substrate node as placement sees it (the topology holds its name, role and links).  Only
 * the fields of its type are used.  Costs are per MB (10^6 bytes) per slot; delays per MB are
 * per MB of a request's traffic volume (see PlacementProblem::TrafficMB).
 */
struct PlacementNode
{
    PlacementNodeType type = PlacementNodeType::SWITCH; //!< switch or server

    // Server.
    uint64_t serverBytes = 0;   //!< storage capacity for VMs
    double serverCostPerMB = 0; //!< cost per MB of storage used per slot

    // Switch.
    uint64_t localBytes = 0;        //!< local memory (whole SRAM blocks of sramBlockBytes)
    uint64_t externalBytes = 0;     //!< external memory
    uint64_t rdmaTableBytes = 0;    //!< RDMA table: 0 means no external memory access
    double localCostPerMB = 0;      //!< cost per MB of local memory used per slot
    double externalCostPerMB = 0;   //!< cost per MB of external memory used per slot
    double controllerBps = 0;       //!< bandwidth of the SDN controller's link to the switch
    double controllerCostPerMB = 0; //!< cost per MB sent by the controller to the switch
    double rdmaAccessDelay = 0;     //!< seconds per RDMA access per MB of traffic

    /// Processing delay (seconds) per MB of traffic of each function type on this node: the
    /// VM's on a server, the pipeline's in a switch (local or external memory alike).
    std::vector<double> delayPerMB;
};

/**
 * \ingroup aisfc
 * A service request: a chain of function types from a source node to a destination node,
 * with a traffic rate and a deadline in every slot.
 */
struct PlacementRequest
{
    std::string name;             //!< unique, e.g. "r0"
    uint32_t source = 0;          //!< node index
    uint32_t destination = 0;     //!< node index
    std::vector<uint32_t> chain;  //!< function type indices, in order
    std::vector<double> rateBps;  //!< traffic rate in each slot
    std::vector<double> deadline; //!< deadline (seconds) in each slot
};

/**
 * \ingroup aisfc
 * Weights of the objective (eq. 1) and of the reward (eq. 20), see doc/placement.rst.
 */
struct PlacementWeights
{
    double alpha = 1;                       //!< weight of the resource cost (IT + bandwidth)
    double beta = 1;                        //!< weight of the reconfiguration cost
    double acceptance = 1;                  //!< w1: weight of the acceptance ratio in the reward
    double cost = 1;                        //!< w2: weight of 1 / (1 + total cost) in the reward
    bool linkViolationZeroesReward = false; //!< also zero the reward on link overload (eq. 11)
};

/**
 * \ingroup aisfc
 * Where every instance is: instance index -> host slot, or nothing while unplaced.  Instances
 * are numbered by type, then by index within the type (PlacementProblem::FirstInstance).
 */
struct PlacementDeployment
{
    std::vector<std::optional<PlacementHostSlot>> hosts; //!< one per instance

    /// \brief \return a deployment of `instances` unplaced instances
    static PlacementDeployment Unplaced(uint32_t instances);
};

/**
 * \ingroup aisfc
 * Which instance serves each function of each request (the paper's allocation variables):
 * instances[r][p] is the instance index serving position p of request r's chain.
 */
struct PlacementAssignment
{
    std::vector<std::vector<uint32_t>> instances; //!< [request][position] -> instance
};

/**
 * \ingroup aisfc
 * The SR-EM placement and reconfiguration problem (Sections III and IV of the paper): function
 * types with their instances, a substrate of PDP switches and servers with budgets and unit
 * costs, links with bandwidth, delay and cost per MB, a controller link per switch, and
 * requests whose rate and deadline change every slot; plus the initial deployment and
 * assignment the reconfiguration starts from.
 *
 * A plain value: policies, the ILP and the DRL environment read it; PlacementGenerator makes
 * it; ToJson/FromJson write it to data sets and read it back exactly.
 */
struct PlacementProblem
{
    std::string name;                         //!< e.g. "srem-42"
    uint64_t seed = 0;                        //!< generator seed (0 when made by hand)
    AisfcTopology topology;                   //!< nodes (names, roles) and links (bandwidth, delay)
    std::vector<PlacementNode> nodes;         //!< one per topology node
    std::vector<double> linkCostPerMB;        //!< one per topology link: cost per MB carried
    std::vector<PlacementFunctionType> types; //!< function types
    std::vector<PlacementRequest> requests;   //!< service requests
    double start = 0;                         //!< time of day (seconds) at which slot 0 starts
    double slotLength = 7200;                 //!< seconds per slot
    uint32_t slots = 1;                       //!< slots in the horizon
    double trafficWindow = 1;                 //!< seconds of traffic that make a request's volume
    uint64_t sramBlockBytes = 16384;          //!< granularity of local memory (Tofino: 16 KiB)
    PlacementWeights weights;                 //!< objective and reward weights
    PlacementDeployment initialDeployment;    //!< deployment before slot 0
    PlacementAssignment initialAssignment;    //!< assignment before slot 0

    /// \brief \return the number of instances of all types
    uint32_t InstanceCount() const;
    /// \brief \return the index of the first instance of a type
    uint32_t FirstInstance(uint32_t type) const;
    /// \brief \return the type of an instance
    uint32_t InstanceType(uint32_t instance) const;
    /// \brief \return "<type name>#<index within type>", e.g. "f2#1"
    std::string InstanceName(uint32_t instance) const;
    /// \brief \return the instance called name, if any
    std::optional<uint32_t> FindInstance(const std::string& name) const;

    /// \brief \return every host slot, by node: (server, SERVER), or (switch, LOCAL) then
    /// (switch, EXTERNAL).  Masks and policy outputs use this order.
    std::vector<PlacementHostSlot> HostSlots() const;
    /// \brief \return the position of slot in HostSlots(), if it is one
    std::optional<uint32_t> HostSlotIndex(const PlacementHostSlot& slot) const;
    /// \brief \return whether the node exists and has this kind of memory
    bool IsHostSlot(const PlacementHostSlot& slot) const;
    /// \brief \return "node/kind", e.g. "edge0/external"
    std::string HostSlotName(const PlacementHostSlot& slot) const;

    /// \brief \return the storage an instance takes in a kind of memory (D^sv or D^sw)
    uint64_t StorageDemand(uint32_t instance, PlacementHostKind kind) const;
    /// \brief \return the traffic an instance can process in a kind of host (P^sv or P^sw)
    double ProcessingCapacity(uint32_t instance, PlacementHostKind kind) const;
    /// \brief \return the cost per MB per slot of a host slot's memory
    double StorageCostPerMB(const PlacementHostSlot& slot) const;
    /// \brief \return n_{f,s}: RDMA accesses that fetch type f's entries into switch s's RDMA
    /// table, ceil(D^sw_f / R_s), at least 1 (0 when the switch has no RDMA table)
    uint32_t RdmaAccesses(uint32_t type, uint32_t node) const;
    /// \brief \return the memory budget of a node for PdpMemoryAccountant: a server's storage,
    /// or a switch's local memory (one stage of sramBlockBytes blocks) and external memory
    /// (none usable when the switch has no RDMA table to reach it)
    PdpMemoryBudget MemoryBudget(uint32_t node) const;
    /// \brief \return the traffic volume (MB) of a request in a slot: rate x trafficWindow
    double TrafficMB(uint32_t request, uint32_t slot) const;
    /// \brief \return the time of day at which a slot starts
    double SlotStart(uint32_t slot) const;

    /// \brief Check that every index and vector length is consistent.
    /// \throws std::invalid_argument naming the first inconsistency
    void Validate() const;

    /// \brief \return the problem as JSON (read back exactly by FromJson)
    nlohmann::json ToJson() const;
    /**
     * \brief Read a problem written by ToJson (or by hand: sizes, rates and durations may be
     * given with units, "64MB", "10Gbps", "2ms").
     * \param doc the JSON document
     * \param source file name used in errors
     * \return the problem
     * \throws AisfcInputError naming the JSON path of the first bad value
     */
    static PlacementProblem FromJson(const nlohmann::json& doc, const std::string& source);
};

} // namespace ns3

#endif // PLACEMENT_PROBLEM_H
