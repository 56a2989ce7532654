/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PLACEMENT_VALIDATION_H
#define PLACEMENT_VALIDATION_H

#include "ns3/placement-evaluator.h"
#include "ns3/placement-policy.h"
#include "ns3/placement-problem.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * How PlacementValidateSlot runs a slot's traffic in packets (doc/placement.rst, "Packet-level
 * validation").
 */
struct PlacementValidationOptions
{
    /// Multiplies every request's rate in the slot; the analytic model is evaluated at the
    /// scaled rates too, so both sides see the same traffic.
    double rateScale = 1;
    double duration = 1;          //!< seconds of steady traffic (all requests at once)
    uint32_t payloadBytes = 1200; //!< UDP payload; a request's own IPv6 packets are 48 bytes more
    /// Steer each virtual link along the path PlacementMapLinks gave it (waypoint End and End.X
    /// SIDs where the network's shortest path differs); otherwise the network's own paths.
    bool pinPaths = true;
    /// Also bound each function's processor by the type's processing capacity (P^sv, P^sw):
    /// rate min(8 / delta, P) instead of 8 / delta (delta in seconds per MB).
    bool capAtCapacity = false;
    bool bursts = true;                      //!< send each request's window volume as a burst
    uint32_t queuePackets = 10000;           //!< device queue: holds a window's burst
    uint32_t functionQueueBytes = 16u << 20; //!< backlog a function's processor accepts
};

/// \ingroup aisfc One function instance in the packet model.
struct PlacementValidationInstance
{
    uint32_t instance = 0;       //!< instance index
    std::string name;            //!< e.g. "f2#1"
    std::string host;            //!< host slot, e.g. "edge0/external" ("" when unplaced)
    double delayPerMB = 0;       //!< seconds per MB: delta of the host (+ n x RDMA delay, external)
    double capacityBps = 0;      //!< the type's processing capacity at this kind of host
    double processorBps = 0;     //!< the FIFO processor's rate in the packet model
    std::string boundBy;         //!< "delay" (8 / delta) or "capacity" (P)
    double loadBps = 0;          //!< traffic assigned to it in the slot (scaled)
    uint64_t servedPackets = 0;  //!< packets it processed (both phases)
    uint64_t droppedPackets = 0; //!< packets its processor refused (queue full)
};

/**
 * \ingroup aisfc
 * One request: the analytic delays of the slot next to what its packets measured, and why they
 * differ.  Delays in seconds.
 */
struct PlacementValidationRequest
{
    uint32_t request = 0;               //!< request index
    std::string name;                   //!< e.g. "r4"
    std::string source;                 //!< source node name
    std::string destination;            //!< destination node name
    std::vector<std::string> chain;     //!< function type names
    std::vector<std::string> instances; //!< assigned instance names
    std::vector<std::string> hosts;     //!< host slot of each assigned instance ("-": unplaced)
    bool run = false;                   //!< its traffic was simulated
    std::string reason;                 //!< why not run ("" when run)

    double slotRateBps = 0;   //!< the request's rate in the slot
    double rateBps = 0;       //!< the rate sent: slotRateBps x rateScale
    double volumeBytes = 0;   //!< V: rate x trafficWindow / 8 (the burst sends ceil(V / packet))
    uint32_t packetBytes = 0; //!< the request's own IPv6 packet: payload + UDP + IPv6
    uint32_t wireBytes = 0;   //!< with the SRv6 encapsulation (outer IPv6 + SRH)
    uint32_t segments = 0;    //!< segments in the SRH: functions, waypoints, the decapsulation
    uint32_t waypoints = 0;   //!< of which waypoints (End and End.X) that pin the mapped paths
    std::vector<std::string> route; //!< nodes the packets visit, source to destination
    bool routeIsMapping = false;    //!< the route is PlacementMapLinks's (always when pinned)

    PlacementRequestResult analytic; //!< eq. 16 and its terms at the scaled rate
    double analyticTraffic = 0;      //!< processing + RDMA + transmission: what packets measure

    uint64_t sent = 0;     //!< steady phase: packets sent
    uint64_t received = 0; //!< packets delivered
    uint64_t lost = 0;     //!< sent - received once the network drained
    double meanDelay = 0;  //!< one-way delay of the delivered packets
    double minDelay = 0;   //!< smallest
    double maxDelay = 0;   //!< largest

    uint64_t burstPackets = 0;  //!< burst phase: the window's volume in packets
    uint64_t burstReceived = 0; //!< delivered
    double burstCompletion = 0; //!< first packet sent -> last packet delivered

    double modelPacketDelay = 0;     //!< one packet on the idle route (links, pipelines, functions)
    double modelBurstCompletion = 0; //!< one packet + (packets - 1) x the bottleneck's time
    std::string bottleneck;          //!< the route's slowest resource per packet

    double deadline = 0;        //!< the request's deadline in the slot
    bool analyticMeets = false; //!< analytic total <= deadline (and placed, mapped)
    bool burstMeets = false;    //!< reconfiguration delay + burst completion <= deadline, no loss
    bool packetsMeet = false;   //!< every steady packet within the deadline, none lost
    std::string explanation;    //!< why the measures and the analytic delay differ
};

/**
 * \ingroup aisfc
 * What PlacementValidateSlot found: per instance, per request, the evaluator's violations at the
 * scaled rates, and warnings about the run itself (phases that overlapped).
 */
struct PlacementValidationReport
{
    std::string problem;                //!< problem name
    uint32_t slot = 0;                  //!< the slot validated
    PlacementValidationOptions options; //!< as used (queues raised to hold the largest burst)
    std::vector<PlacementValidationInstance> instances; //!< one per instance
    std::vector<PlacementValidationRequest> requests;   //!< one per request
    std::vector<std::string> violations; //!< the evaluator's broken constraints (scaled rates)
    std::vector<std::string> warnings;   //!< about the measurement itself
    double simulatedSeconds = 0;         //!< simulated time of the run

    /// \brief \return the report as JSON (delays in seconds, rates in bit/s)
    nlohmann::json ToJson() const;
    /// \brief \return one CSV row per request, with a header row
    std::string ToCsv() const;
};

/**
 * \ingroup aisfc
 * \brief Carry a slot's decision out in packets and measure every request against the analytic
 * model.
 *
 * Builds the problem's substrate as an ns-3 IPv6 network (AisfcNetworkBuilder: each link's
 * bandwidth and delay), SRv6 on every node, a PdpSwitch on every switch and a PdpServer on every
 * server (PdpHelper); each placed instance becomes a PdpFunctionInstance behind its own End SID
 * at its host, whose FIFO processor spends delta x (packet MB) on each packet, delta the host's
 * delay per MB for the type (plus n_{f,s} x the RDMA access delay in external memory: the
 * analytic RDMA term, not RDMA reads).  Each request's source encapsulates its packets (H.Encaps)
 * through the SIDs of its assigned instances, waypoints that pin the mapped paths, and End.DT6 at
 * its destination.  Then two phases in one run: every request sends UDP at its scaled rate for
 * `duration` (steady state: per-packet delay, loss), and after the network drains each request in
 * turn sends its window's volume V back to back at its first link's rate (burst completion: first
 * packet sent -> last delivered, the packet counterpart of the analytic V x delta).
 *
 * Requests with an unplaced instance, an unmapped virtual link, no traffic, or packets above the
 * MTU are reported with the reason and not run.  Runs its own simulation (Simulator::Run, then
 * Simulator::Destroy).  Deterministic: no random variable is drawn.
 *
 * \param problem the problem
 * \param slot the slot (rates, deadlines)
 * \param previous the deployment of the slot before (reconfiguration delays are analytic)
 * \param decision the slot's deployment and assignment
 * \param options how to run
 * \return the report
 * \throws AisfcInputError for bad options, a slot beyond the horizon, or a decision that does not
 *         fit the problem
 */
PlacementValidationReport PlacementValidateSlot(
    const PlacementProblem& problem,
    uint32_t slot,
    const PlacementDeployment& previous,
    const PlacementDecision& decision,
    const PlacementValidationOptions& options = PlacementValidationOptions());

} // namespace ns3

#endif // PLACEMENT_VALIDATION_H
