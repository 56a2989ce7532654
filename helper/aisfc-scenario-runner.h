/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_SCENARIO_RUNNER_H
#define AISFC_SCENARIO_RUNNER_H

#include "aisfc-scenario.h"

#include <nlohmann/json.hpp>
#include <string>

namespace ns3
{

/**
 * \ingroup aisfc
 * \brief Run a scenario: the one road from configuration to results that the CLI, the
 * examples, sweeps and Python all take.
 *
 * Loads the topology, checks the flows' node names, writes OUT/config.resolved.json, builds the
 * ns-3 network, installs the traffic and the flow probe, runs the simulation and writes
 * OUT/results.json (and OUT/flows.csv, OUT/pcap/ when asked).  Every file is written
 * atomically.  results.json depends only on the configuration: same seed, same bytes.
 *
 * \param config a configuration from ParseScenario
 * \param outDir output directory (created when missing)
 * \return the content of results.json
 * \throws AisfcInputError for bad input found while loading (topology file, node names)
 */
nlohmann::json RunScenario(const ScenarioConfig& config, const std::string& outDir);

/**
 * \ingroup aisfc
 * \brief Parse, validate and run scenario JSON text.
 * \param text the scenario document
 * \param source its file name, for errors and relative paths
 * \param outDir output directory
 * \return the content of results.json
 */
nlohmann::json RunScenarioText(const std::string& text,
                               const std::string& source,
                               const std::string& outDir);

/**
 * \ingroup aisfc
 * \brief One-line-per-flow human summary of results (what `aisfc demo` prints).
 */
std::string SummariseResults(const nlohmann::json& results);

} // namespace ns3

#endif // AISFC_SCENARIO_RUNNER_H
