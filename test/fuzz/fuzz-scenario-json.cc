/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Fuzz target "scenario-json": bytes as a scenario file, parsed and validated (not run); a
 * configuration that validates must survive ScenarioToJson and validate again.
 */
#include "fuzz-common.h"

#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-scenario.h"

#include <cstdlib>
#include <string>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string text(reinterpret_cast<const char*>(data), size);
    aisfcfuzz::ExpectCleanError([&] {
        nlohmann::json doc = ParseJsonText(text, "fuzz.json");
        ScenarioConfig config = ParseScenario(doc, "/nonexistent/fuzz.json");
        nlohmann::json resolved = ScenarioToJson(config);
        try
        {
            (void)ParseScenario(resolved, "/nonexistent/config.resolved.json");
        }
        catch (const AisfcInputError&)
        {
            std::abort(); // config.resolved.json must validate again
        }
    });
    return 0;
}
