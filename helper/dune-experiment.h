/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DUNE_EXPERIMENT_H
#define DUNE_EXPERIMENT_H

#include "ns3/dune-system.h"

#include <nlohmann/json.hpp>
#include <string>

namespace ns3
{

class JsonReader;

/// \ingroup aisfc What `aisfc dune run` does.
struct DuneExperimentOptions
{
    std::string data = "synthetic";    //!< "synthetic", a .pcap file or a flow-level .csv file
    std::string labels;                //!< pcap: a label CSV (Flow ID or 5-tuple -> label)
    std::string labelColumn = "Label"; //!< csv: the class column
    uint32_t classes = 10;             //!< synthetic: classes
    uint32_t flowsPerClass = 200;      //!< synthetic: conversations per class
    uint32_t packetsPerFlow = 3;       //!< N: packet-level inference before, flow-level at N
    double testFraction = 0.3;         //!< flows held out for evaluation
    double speedup = 1.0;              //!< replay the trace this many times faster
    double packetRate = 0;             //!< > 0: replay at this many packets per second instead
    DuneConfig config;                 //!< DUNE and baseline settings (switches, limits, seed)
    std::string out;                   //!< results.json, PNGs
};

/**
 * \ingroup aisfc
 * \brief Train DUNE, Jewel and Mousika on the training flows, evaluate them on the test flows
 * and write DIR/results.json and its figures:
 * {"data": {...}, "config": {...}, "systems": {"no_inference": {...}, "mousika": {...},
 * "jewel": {...}, "dune": {"macro_f1", "weighted_f1", "micro_f1", "total_latency_ns",
 * "per_switch_latency_ns": [...], "resources": [...], ...}}, "table": [...]}.
 * The same options give the same results, byte for byte; wall-clock figures (the run's time,
 * the replay rate in simulated packets per wall second) go to `timing` and DIR/timing.json.
 * \param options what to run
 * \param timing receives {"wall_seconds", "replay": {system: {packets, simulated_seconds,
 *        wall_seconds, packets_per_wall_second}}} (may be null)
 * \return the results
 * \throws AisfcInputError on bad data or settings (naming the file, line or option)
 */
nlohmann::json DuneRunExperiment(const DuneExperimentOptions& options,
                                 nlohmann::json* timing = nullptr);

/**
 * \ingroup aisfc
 * \brief Read experiment options, as a "dune" scenario section and Python's dune_run take
 * them: "data", "labels", "label_column", "classes", "flows_per_class", "packets_per_flow",
 * "test_fraction", "speedup", "packet_rate", "switches" (also lowers the fewest models, as
 * `dune run --switches`), "config" (DuneConfig fields).  Seed and output are the caller's;
 * so is r.Finish().
 * \throws AisfcInputError naming the JSON path of a bad value
 */
DuneExperimentOptions DuneExperimentFromJson(JsonReader& r);

/**
 * \ingroup aisfc
 * \brief The options of a "dune" scenario: {"name", "seed", "run", "dune": {as
 * DuneExperimentFromJson}}.  The DUNE seed is AisfcDerivedSeed(seed, run): replications draw
 * other traffic, splits and forests.
 * \throws AisfcInputError naming the file and the JSON path of a bad value
 */
DuneExperimentOptions DuneExperimentFromScenario(const nlohmann::json& doc,
                                                 const std::string& source);

/// \ingroup aisfc \brief \return a printable Table I of the results
std::string DuneResultsTable(const nlohmann::json& results);

} // namespace ns3

#endif // DUNE_EXPERIMENT_H
