/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-scenario-kinds.h"

#include "aisfc-scenario-runner.h"
#include "aisfc-scenario.h"
#include "aisid-chinanet.h"
#include "dune-experiment.h"
#include "placement-paper.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-rng.h"

#include <filesystem>

namespace ns3
{

namespace
{

nlohmann::json
CheckNetwork(const nlohmann::json& doc, const std::string& source)
{
    return ScenarioToJson(ParseScenario(doc, source));
}

nlohmann::json
RunNetwork(const nlohmann::json& doc, const std::string& source, const std::string& outDir)
{
    return RunScenario(ParseScenario(doc, source), outDir);
}

nlohmann::json
CheckAisid(const nlohmann::json& doc, const std::string& source)
{
    AisidParseChinanetScenario(doc, source);
    return doc;
}

std::string
SummariseAisid(const nlohmann::json& results)
{
    return AisidChinanetSummary(results);
}

nlohmann::json
CheckDune(const nlohmann::json& doc, const std::string& source)
{
    DuneExperimentFromScenario(doc, source);
    return doc;
}

nlohmann::json
RunDune(const nlohmann::json& doc, const std::string& source, const std::string& outDir)
{
    DuneExperimentOptions o = DuneExperimentFromScenario(doc, source);
    o.out = outDir;
    std::filesystem::create_directories(outDir);
    return DuneRunExperiment(o);
}

nlohmann::json
CheckPlacement(const nlohmann::json& doc, const std::string& source)
{
    PlacementPaperFromScenario(doc, source);
    return doc;
}

nlohmann::json
RunPlacement(const nlohmann::json& doc, const std::string& source, const std::string& outDir)
{
    PlacementPaperOptions o = PlacementPaperFromScenario(doc, source);
    o.out = outDir;
    return PlacementRunPaper(o);
}

} // namespace

JsonReader
ReadExperimentSection(const nlohmann::json& doc,
                      const std::string& source,
                      const std::string& key,
                      uint64_t& seed)
{
    JsonReader top(doc, source);
    top.GetString("name", key);
    const uint64_t base = top.GetUnsigned("seed", 1, 1, UINT32_MAX);
    const uint64_t run = top.GetUnsigned("run", 1, 1, UINT32_MAX);
    JsonReader section = top.RequireObject(key);
    top.Finish();
    seed = AisfcDerivedSeed(base, run);
    return section;
}

const std::vector<ScenarioKind>&
ScenarioKinds()
{
    static const std::vector<ScenarioKind> kinds = {
        {"aisid",
         "AISID against DNS scheduling on Chinanet",
         CheckAisid,
         AisidRunChinanetScenario,
         SummariseAisid},
        {"dune",
         "DUNE, Mousika and Jewel: in-network classification",
         CheckDune,
         RunDune,
         DuneResultsTable},
        {"placement",
         "the SR-EM evaluation: training, every policy on the test set, ILP gaps",
         CheckPlacement,
         RunPlacement,
         PlacementPaperSummary},
        {"", "flows over a network", CheckNetwork, RunNetwork, SummariseResults}};
    return kinds;
}

const ScenarioKind&
FindScenarioKind(const nlohmann::json& doc, const std::string& source)
{
    if (!doc.is_object())
    {
        return ScenarioKinds().back(); // ParseScenario names what is wrong
    }
    const ScenarioKind* found = nullptr;
    for (const ScenarioKind& kind : ScenarioKinds())
    {
        if (kind.key.empty() ? found == nullptr : doc.contains(kind.key))
        {
            if (found)
            {
                throw AisfcInputError(source,
                                      "holds both \"" + found->key + "\" and \"" + kind.key +
                                          "\" sections: one experiment per scenario");
            }
            found = &kind;
        }
    }
    return *found;
}

} // namespace ns3
