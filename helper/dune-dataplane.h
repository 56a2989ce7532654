/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DUNE_DATAPLANE_H
#define DUNE_DATAPLANE_H

#include "ns3/dune-features.h"
#include "ns3/dune-packet.h"
#include "ns3/dune-replay.h"
#include "ns3/dune-switch-program.h"
#include "ns3/nstime.h"
#include "ns3/pdp-memory-accountant.h"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ns3
{

class DuneSystem;
struct DuneSyntheticTraffic;

/**
 * \ingroup aisfc
 * How DuneRunDataPlane builds and drives the testbed of the DUNE demo:
 *
 *     source host -- s1 -- s2 -- ... -- sS -- sink host
 *
 * every link at linkRateBps with linkDelay; switch k runs the system's model k (DUNE: one
 * sub-model per switch; Jewel and Mousika: switch 1 only), the other switches forward.
 */
struct DuneDataPlaneOptions
{
    uint32_t switches = 3; //!< S, switches in the chain, in [1, 64]; at least the models
    /// N: packet-level inference before packet N of a flow, flow-level from packet N; the N
    /// the system was trained with (DuneFeatureOptions::packetsPerFlow), in [1, 64].
    uint32_t packetsPerFlow = 3;
    Time controlDelay = MilliSeconds(1); //!< digest to installed classified-flows entry
    /// Install a classified flow's entry on every switch up to the one that decided (true), or
    /// on that switch only (false; the earlier switches keep handing the flow on from their
    /// registers).
    bool installUpstream = true;
    uint32_t registerCells = 65536;     //!< cells of each flow register array per switch
    uint32_t classifiedEntries = 65536; //!< classified-flows table capacity per switch
    Time flowIdleTimeout = Time(0);     //!< a silent flow's cell goes to a colliding flow; 0: never
    double linkRateBps = 100e9;         //!< every link (QSFP28 in the demo)
    Time linkDelay = Time(0);           //!< every link's propagation delay
    /// Trace time over replay time (tcpreplay --multiplier).  Anything but 1 also scales the
    /// inter-arrival features the switches measure, so the models see other flow features
    /// than the data set holds.
    double speedup = 1.0;
    double packetRate = 0;            //!< > 0: packets per second at a fixed rate (tcpreplay --pps)
    uint64_t maxPackets = 0;          //!< replay only the first packets of the trace; 0: all
    PdpMemoryBudget switchBudget;     //!< each switch's whole memory (Tofino-like by default)
    uint16_t port = DUNE_TUNNEL_PORT; //!< UDP port of the tunnel
    uint32_t queuePackets = 1000;     //!< device queue of every interface
    bool keepPackets = true;          //!< keep one DuneDataPlanePacket per replayed packet

    /// \brief \return the options as JSON (times in ns)
    nlohmann::json ToJson() const;
};

/**
 * \ingroup aisfc
 * The fate of one replayed packet.
 */
struct DuneDataPlanePacket
{
    uint64_t sequence = 0;    //!< index in the trace
    int32_t flow = -1;        //!< labelled flow, numbered by first appearance; -1 unlabelled
    uint32_t packetIndex = 0; //!< position in its flow, from 1 (0 unlabelled)
    int truth = -1;           //!< true class (-1 unlabelled)
    bool sent = false;        //!< left the source (false: could not be encoded)
    bool delivered = false;   //!< reached the sink
    int predicted = -1;       //!< class in its DUNE header (-1: unclassified)
    int model = -1;           //!< model that decided (-1: none)
    bool flowLevel = false;   //!< decided on flow features
    bool collision = false;   //!< a switch had no register cell for its flow
    int64_t sendNs = -1;      //!< when sent
    int64_t arrivalNs = -1;   //!< when delivered
};

/**
 * \ingroup aisfc
 * What a data-plane run measured (issue #8, item 6).  F1 scores are at flow level with DUNE's
 * weighting: each delivered labelled packet counts with weight 1 / pkt_count of its flow
 * (pkt_count = its labelled packets replayed) and the class in its DUNE header, so packets
 * 1 .. N - 1 count by their packet-level decisions and packet N and later by the flow's
 * decision: the weights of DuneDataset's samples.
 */
struct DuneDataPlaneResult
{
    std::string system;           //!< "dune", "jewel", "mousika" or "no_inference"
    uint32_t switches = 0;        //!< S
    uint32_t models = 0;          //!< switches running a model
    DuneDataPlaneOptions options; //!< as run

    uint64_t tracePackets = 0;       //!< packets in the trace
    uint64_t packetsReplayed = 0;    //!< sent by the source
    uint64_t packetsUnencodable = 0; //!< records the source could not encode (not sent)
    uint64_t packetsDelivered = 0;   //!< reached the sink
    uint64_t packetsLost = 0;        //!< sent, not delivered (switch drops: see drops)
    uint64_t packetsLabelled = 0;    //!< replayed with a label
    uint64_t packetsUnlabelled = 0;  //!< replayed without a label (not scored)
    uint64_t flows = 0;              //!< labelled flows

    bool inference = false;         //!< whether any switch ran a model
    double macroF1 = 0;             //!< flow-level macro F1 (DUNE's weighting)
    double weightedF1 = 0;          //!< support-weighted F1
    double microF1 = 0;             //!< micro F1 (= weighted accuracy)
    std::vector<double> perClassF1; //!< per class

    std::vector<double> perSwitchLatencyNs; //!< mean pass delay (slot wait + pipeline) per switch
    double totalLatencyNs = 0;              //!< their sum: latency across the switches
    double endToEndMeanNs = 0;              //!< mean sink arrival - send (with links)
    double endToEndMinNs = 0;               //!< smallest
    double endToEndMaxNs = 0;               //!< largest

    double timeToClassificationNs = 0; //!< mean over flows: first packet sent -> first
                                       //!< classified packet delivered
    uint64_t flowsClassified = 0;      //!< flows with a classified packet
    double timeToFlowDecisionNs = 0;   //!< mean over flows: first packet sent -> first packet
                                       //!< delivered with a flow-level decision
    uint64_t flowsFlowLevel = 0;       //!< flows with a flow-level decision

    double packetLevelShare = 0;       //!< weighted share of packet-level decisions
    double flowLevelShare = 0;         //!< weighted share of flow-level decisions
    uint64_t packetLevelDecisions = 0; //!< delivered labelled packets decided at packet level
    uint64_t flowLevelDecisions = 0;   //!< ... at flow level
    uint64_t unclassifiedPackets = 0;  //!< delivered labelled packets without a class
    std::vector<double> decidedBy;     //!< weighted share decided by each model

    uint64_t collisions = 0;       //!< packets that found their flow's cell taken (all switches)
    uint64_t digests = 0;          //!< digests to the controller
    uint64_t entriesInstalled = 0; //!< classified-flows entries installed (all switches)
    uint64_t entriesRefused = 0;   //!< refused (table full)
    double controlDelayNs = 0;     //!< mean digest -> entry installed

    std::vector<nlohmann::json> resources; //!< per switch: tables, blocks, registers, stages
    std::vector<nlohmann::json> counters;  //!< per switch: DuneSwitchCounters (null: no model)
    std::map<std::string, uint64_t> drops; //!< "s1: reason" -> packets

    double simulatedSeconds = 0; //!< simulated time of the run
    double wallSeconds = 0;      //!< wall time of Simulator::Run
    double replayRate = 0;       //!< packets replayed per wall second (the benchmark)

    std::vector<DuneDataPlanePacket> packets; //!< per replayed packet (options.keepPackets)
    std::vector<DuneControllerEntry> entries; //!< every entry installation

    /**
     * \brief The results as JSON: {"system", "macro_f1", "weighted_f1", "micro_f1" (null
     * without inference), "per_class_f1" (as DuneSystem::Evaluate), "classes", "total_latency_ns",
     * "per_switch_latency_ns", "end_to_end_latency_ns": {mean, min, max},
     * "time_to_classification_ns", "time_to_flow_decision_ns", "packet_level_share",
     * "flow_level_share", "decisions", "decided_by", "collisions", "digests", "entries_installed",
     * "resources", "switches", "packets", "flows", "drops", "replay": {packets, simulated_seconds,
     * wall_seconds, packets_per_wall_second}, "options"}.  Wall time is the only field that varies
     * between runs of the same input. \param classNames names of the classes of per_class_f1
     * (indices when empty) \return the JSON
     */
    nlohmann::json ToJson(const std::vector<std::string>& classNames = {}) const;
};

/**
 * \ingroup aisfc
 * \brief Replay a trace through a chain of PDP switches running a DUNE system (or none) and
 * measure classification, latency and resources.  Deterministic: the same input gives the
 * same result (but for wall time).  Resets the simulator (Simulator::Destroy) when done.
 * \param system the classifier (its model k on switch k), or nullptr: no inference (plain
 *        forwarding, DUNE's 852 ns baseline)
 * \param packets the trace, in time order
 * \param labels true labels of the packets (unlabelled packets are replayed, not scored)
 * \param classNames class names; a label's class is its index here, as the system's classes
 * \param options the testbed
 * \return the measurements
 * \throws AisfcInputError naming the option or the switch: a bad option, more models than
 *         switches, a model that does not fit its switch (the accountant's reason)
 */
DuneDataPlaneResult DuneRunDataPlane(const DuneSystem* system,
                                     const std::vector<DunePacket>& packets,
                                     const DuneLabelMap& labels,
                                     const std::vector<std::string>& classNames,
                                     const DuneDataPlaneOptions& options = DuneDataPlaneOptions());

/**
 * \ingroup aisfc
 * \brief The packets of the flows a data set's samples come from (a test split), in trace
 * order: what to replay to measure the data plane on held-out flows.  Flows match by their
 * unidirectional 5-tuple (the source index of multi-file data sets is ignored).
 * \param packets the trace the data set was extracted from
 * \param data the data set (DuneDataset::Subset keeps every flow; only sampled ones count)
 * \return the packets
 */
std::vector<DunePacket> DuneFlowPackets(const std::vector<DunePacket>& packets,
                                        const DuneDataset& data);

/// \ingroup aisfc \brief DuneRunDataPlane on synthetic traffic (its packets, labels, classes).
DuneDataPlaneResult DuneRunDataPlane(const DuneSystem* system,
                                     const DuneSyntheticTraffic& traffic,
                                     const DuneDataPlaneOptions& options = DuneDataPlaneOptions());

} // namespace ns3

#endif // DUNE_DATAPLANE_H
