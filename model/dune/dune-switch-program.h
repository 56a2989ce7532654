/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DUNE_SWITCH_PROGRAM_H
#define DUNE_SWITCH_PROGRAM_H

#include "dune-features.h"
#include "dune-header.h"
#include "dune-replay.h"
#include "dune-system.h"

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/pdp-memory-accountant.h"
#include "ns3/pdp-table.h"
#include "ns3/traced-callback.h"

#include <Eigen/Dense>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

namespace ns3
{

class Ipv6Header;
class Packet;
class PdpSwitch;
class DuneController;

/**
 * \ingroup aisfc
 * How a DUNE switch program keeps flows.  Fixed when the program is installed.
 */
struct DuneSwitchProgramConfig
{
    /// N: packet-level inference on packets 1 .. N - 1 of a flow, flow-level from packet N on
    /// (the N the models were trained with, in [1, 64]).
    uint32_t packetsPerFlow = 3;
    uint32_t registerCells = 65536;     //!< cells of each flow register array (hash-indexed)
    uint32_t classifiedEntries = 65536; //!< capacity of the classified-flows exact table
    /// A flow register whose flow has been silent this long is given to a colliding flow;
    /// 0 never gives it away (DUNE frees registers only on classification).
    Time flowIdleTimeout = Time(0);
    uint16_t port = DUNE_TUNNEL_PORT; //!< UDP port of the DUNE tunnel; other traffic passes
    /// Rate of the ingress links: the first switch stamps a packet with the start of its
    /// reception (now - serialisation time), as Tofino's ingress MAC timestamp.
    double ingressRateBps = 100e9;
    uint32_t ingressOverheadBytes = 2; //!< link framing in front of the IPv6 header (PPP)
};

/**
 * \ingroup aisfc
 * What a DUNE switch program did, in packets unless said otherwise.
 */
struct DuneSwitchCounters
{
    uint64_t packets = 0;          //!< transit packets the program saw
    uint64_t tunnelled = 0;        //!< DUNE packets among them
    uint64_t badHeaders = 0;       //!< dropped: invalid DuneHeader
    uint64_t badInner = 0;         //!< dropped: the tunnelled packet does not parse
    uint64_t upstreamDecided = 0;  //!< forwarded untouched: classified by an earlier switch
    uint64_t entryHits = 0;        //!< classified from the classified-flows table
    uint64_t registerHits = 0;     //!< classified from the flow registers (entry not yet there)
    uint64_t handedOn = 0;         //!< forwarded to the next sub-model ("Other")
    uint64_t packetInferences = 0; //!< packet-level inferences run
    uint64_t flowInferences = 0;   //!< flow-level inferences run
    uint64_t packetDecisions = 0;  //!< packet-level inferences that gave a class
    uint64_t flowDecisions = 0;    //!< flow-level inferences that gave a class (flows)
    uint64_t collisions = 0;       //!< packets whose flow found its register cell taken
    uint64_t flowsTracked = 0;     //!< register cells claimed by a flow (flows)
    uint64_t evictions = 0;        //!< idle flows' cells given to another flow (flows)
    uint64_t released = 0;         //!< cells freed on a decision (flows)
    uint64_t outOfOrder = 0;       //!< unclassified packets whose header names another model
    uint64_t digests = 0;          //!< digests sent to the controller (flows)
    uint64_t entriesInstalled = 0; //!< classified-flows entries the controller installed
    uint64_t entriesRefused = 0;   //!< entries refused (table full)

    /// \brief \return the counters as JSON (snake_case keys)
    nlohmann::json ToJson() const;
};

/**
 * \ingroup aisfc
 * DUNE's P4 program on one PdpSwitch (PdpSwitch::Program), running one sub-model of a
 * DuneSystem: the switch at chain position k runs model k.  On every transit UDP datagram to
 * the DUNE port it parses the DuneHeader and the tunnelled packet (DuneParseFrame) and, as
 * DUNE's three blocks do (inference-aware forwarding, flow management, inference):
 *
 * 1. a packet classified at flow level upstream is forwarded untouched (this switch frees the
 *    flow's register cell if it holds it: the flow needs no more state here);
 * 2. the **classified-flows** exact table (5-tuple -> class, model), filled by the controller:
 *    a hit sets the class (flow level);
 * 3. **flow management**: the flow's cell in hash-indexed registers (index and 32-bit flow id
 *    from the 5-tuple's hash); a free cell is claimed, a cell held by another flow is a
 *    collision (counted; the packet gets packet-level inference only).  The cell's verdict
 *    says whether this switch classified the flow (class from the register until the entry is
 *    installed) or handed it on (forwarded untouched).  Packets 1 .. N of a tracked flow update
 *    the cell with DuneFlowState::Update (the extractor's arithmetic), whether or not an earlier
 *    switch classified them at packet level, so that every switch has the flow features over
 *    packets 1 .. N as the data set does;
 * 4. **inference**, only on a packet nobody classified and whose header says the previous
 *    models ran (models run == k): before packet N, packet-level (flow features absent, -1 ->
 *    switch value 0); from packet N on, flow-level on the packet's features and the flow
 *    features over packets 1 .. N.  A class marks the packet classified; a flow-level class
 *    also sets the verdict and sends a digest to the controller.  "Other" increments models
 *    run (and a flow-level "Other" sets the verdict to hand the flow on).
 *
 * Flow features use the header's timestamp, set by the first switch to its ingress clock.
 * Classification is DuneSwitchModel::Classify on the same 31-feature sample the data set
 * holds, through the model's compiled tables: the switch and the software agree bit for bit.
 *
 * Resources are the switch's own: the model's tables (range and ternary in TCAM, the vote
 * table in SRAM, all looked up per packet so their TCAM delays add to the pipeline latency),
 * the classified-flows table (SRAM, 304-bit key) and seven 64-bit register arrays (flow id,
 * count, verdict and class; timestamps; lengths; inter-arrival times; flag counts).
 */
class DuneSwitchProgram : public Object
{
  public:
    /// Verdict of a flow's register cell.
    enum Verdict : uint8_t
    {
        TRACKING = 0,        //!< counting packets 1 .. N
        CLASSIFIED_HERE = 1, //!< this switch's model classified the flow
        HANDED_ON = 2,       //!< this switch's model said "Other" at flow level
    };

    /// Signature of the Decision trace: the class, whether flow level, the packet's position.
    using DecisionTracedCallback = void (*)(uint16_t, bool, uint32_t);

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    DuneSwitchProgram();
    ~DuneSwitchProgram() override;

    /**
     * \brief Declare the program's tables and registers on a switch and install it there.
     * Nothing is reserved unless everything fits.
     * \param sw the switch
     * \param model the sub-model it runs
     * \param index the model's (and the switch's) position in the chain
     * \param config flow settings
     * \param controller receives digests (may be null: no entries are installed)
     * \return the last reservation, or the switch accountant's first refusal
     * \throws AisfcInputError naming the setting on a bad config, or the model when it reads a
     *         row that is not DUNE's feature of that index (trained on other data than
     *         DuneFeatureExtractor's 31 features)
     */
    PdpReserveResult Install(Ptr<PdpSwitch> sw,
                             const DuneSwitchModel& model,
                             uint8_t index,
                             const DuneSwitchProgramConfig& config,
                             DuneController* controller);

    /// \brief The pipeline program. \return false to drop the packet
    bool Process(Ptr<Packet> p, const Ipv6Header& header);

    /**
     * \brief Control plane: install a classified-flows entry, then free the flow's cell.
     * \param key the flow
     * \param cls its class
     * \param model the model that decided
     * \return false when the table is full (the cell is kept)
     */
    bool InstallEntry(const DuneFlowKey& key, uint16_t cls, uint8_t model);
    /// \brief Free the flow's register cell if it holds the flow. \return whether it did
    bool ReleaseFlow(const DuneFlowKey& key);

    /// \brief \return the counters
    const DuneSwitchCounters& GetCounters() const;
    /// \brief \return the model's position in the chain
    uint8_t GetIndex() const;
    /// \brief \return the model
    const DuneSwitchModel& GetModel() const;
    /// \brief \return the settings
    const DuneSwitchProgramConfig& GetConfig() const;
    /// \brief \return the switch
    Ptr<PdpSwitch> GetSwitch() const;
    /// \brief \return entries in the classified-flows table
    uint32_t GetEntries() const;
    /// \brief \return the register arrays: (name, width in bits, cells)
    std::vector<std::tuple<std::string, uint32_t, uint32_t>> GetRegisters() const;
    /// \brief \return the flow state in a flow's cell, if the cell holds the flow
    bool PeekFlow(const DuneFlowKey& key, DuneFlowState& state, Verdict& verdict) const;

    /// \brief \return the exact-match key of a flow (version, protocol, addresses, ports)
    static PdpKey EntryKey(const DuneFlowKey& key);

  protected:
    void DoDispose() override;

  private:
    /// Register cell of a flow and its 32-bit id (never 0: 0 marks a free cell).
    void Locate(const DuneFlowKey& key, uint32_t& cell, uint32_t& id) const;
    /// The program's decision for one parsed packet; updates header.
    void Decide(const DunePacket& packet, DuneHeader& header);
    /// Run the model on a packet, with flow features from state or absent.
    int Infer(const DunePacket& packet, const DuneFlowState* state);
    /// Whether this model is the next to run on an unclassified packet (counts when not).
    bool MyTurn(const DuneHeader& header);
    /// Read a cell into a flow state.
    DuneFlowState Load(uint32_t cell) const;
    /// Write a flow state, id, verdict and class into a cell.
    void Store(uint32_t cell, const DuneFlowState& s, uint32_t id, Verdict v, uint16_t cls);
    /// Zero a cell.
    void Clear(uint32_t cell);

    Ptr<PdpSwitch> m_switch;
    DuneSwitchModel m_model;
    uint8_t m_index = 0;
    DuneSwitchProgramConfig m_config;
    DuneController* m_controller = nullptr;
    std::unique_ptr<PdpTable> m_classified; //!< the classified-flows exact table
    struct RegisterSet;
    std::unique_ptr<RegisterSet> m_registers; //!< the flow register arrays on the switch
    DuneSwitchCounters m_counters;
    std::vector<uint8_t> m_buffer; //!< the packet's first bytes
    Eigen::VectorXd m_sample;      //!< one 31-feature sample
    TracedCallback<uint16_t, bool, uint32_t> m_decisionTrace;
};

/**
 * \ingroup aisfc
 * One classified-flows entry the controller installed.
 */
struct DuneControllerEntry
{
    uint8_t switchIndex = 0; //!< where it was installed
    uint8_t model = 0;       //!< the model that decided
    uint16_t cls = 0;        //!< the class
    int64_t digestNs = 0;    //!< when the digest left the switch
    int64_t installNs = 0;   //!< when the entry was installed
    bool installed = false;  //!< false: refused (table full)
};

/**
 * \ingroup aisfc
 * DUNE's controller: a digest of a flow classified at flow level reaches it from the switch,
 * and ControlDelay later it installs the flow's classified-flows entry on that switch (and,
 * with InstallUpstream, on every switch before it, so that the switches that handed the flow
 * on stop holding its registers and classify its packets at once) and frees the flow's
 * registers there.
 */
class DuneController : public Object
{
  public:
    /// \brief \return the TypeId
    static TypeId GetTypeId();
    DuneController();
    ~DuneController() override;

    /// \brief Add the next switch program of the chain.
    void AddProgram(Ptr<DuneSwitchProgram> program);
    /**
     * \brief A digest from a switch: the flow was classified there at flow level.
     * \param switchIndex the switch's chain position
     * \param key the flow
     * \param cls the class
     * \param model the model that decided
     */
    void Digest(uint8_t switchIndex, const DuneFlowKey& key, uint16_t cls, uint8_t model);
    /// \brief \return every installation (or refusal), in order
    const std::vector<DuneControllerEntry>& GetEntries() const;
    /// \brief \return digests received
    uint64_t GetDigests() const;

  protected:
    void DoDispose() override;

  private:
    void Install(uint8_t switchIndex, DuneFlowKey key, uint16_t cls, uint8_t model, int64_t at);

    Time m_controlDelay;
    bool m_installUpstream = true;
    std::vector<Ptr<DuneSwitchProgram>> m_programs;
    std::vector<DuneControllerEntry> m_entries;
    uint64_t m_digests = 0;
};

} // namespace ns3

#endif // DUNE_SWITCH_PROGRAM_H
