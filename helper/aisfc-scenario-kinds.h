/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_SCENARIO_KINDS_H
#define AISFC_SCENARIO_KINDS_H

#include "ns3/aisfc-json-reader.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * A kind of experiment a scenario document describes.  A network scenario (flows over a
 * topology) is the default; the others are marked by one top-level section: "aisid" (AISID
 * against DNS on Chinanet), "dune" (in-network classification), "placement" (the SR-EM
 * evaluation).  `aisfc run`, sweeps and Python all go through this table, so every kind can be
 * run, replicated (its "seed" and "run") and swept alike.
 */
struct ScenarioKind
{
    std::string key;  //!< the top-level section that marks it ("" for a network scenario)
    std::string what; //!< one line for help and errors
    /// Check a document without running it. \return it resolved (defaults filled in, where the
    /// kind can) \throws AisfcInputError naming the file and the JSON path
    nlohmann::json (*check)(const nlohmann::json& doc, const std::string& source);
    /// Run it: writes outDir/results.json (and the kind's other outputs). \return the results
    nlohmann::json (*run)(const nlohmann::json& doc,
                          const std::string& source,
                          const std::string& outDir);
    /// \return a printable summary of the results
    std::string (*summarise)(const nlohmann::json& results);
};

/// \ingroup aisfc \brief \return every kind, the network scenario last
const std::vector<ScenarioKind>& ScenarioKinds();

/**
 * \ingroup aisfc
 * \brief The kind of a scenario document.
 * \throws AisfcInputError when the document carries two kinds' sections
 */
const ScenarioKind& FindScenarioKind(const nlohmann::json& doc, const std::string& source);

/**
 * \ingroup aisfc
 * \brief Read the top level the DUNE and placement kinds share: {"name", "seed" (1), "run"
 * (1), key: {...}}, nothing else.
 * \param doc the scenario
 * \param source its file, for errors
 * \param key the kind's section
 * \param seed receives the experiment's seed, AisfcDerivedSeed(seed, run): each replication
 *        draws its own samples
 * \return a reader of the section (it refers into doc)
 * \throws AisfcInputError naming the JSON path of a bad or unknown key
 */
JsonReader ReadExperimentSection(const nlohmann::json& doc,
                                 const std::string& source,
                                 const std::string& key,
                                 uint64_t& seed);

} // namespace ns3

#endif // AISFC_SCENARIO_KINDS_H
