/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Inputs the libFuzzer targets (test/fuzz/, tools/aisfc-fuzz.sh) found crashing, fed to the same
 * entry points: each must now end in a clean AisfcInputError.
 */
#include "ns3/aisfc-error.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-scenario.h"
#include "ns3/topology-json-reader.h"

#include <catch2/catch.hpp>

using namespace ns3;
using Catch::Matchers::Contains;

TEST_CASE("fuzz topology-json number overflow is an input error", "[fuzz]")
{
    // crash-a5d21aa963714e484f6b678026850ca6ea9cd800: nlohmann's out_of_range.406 escaped.
    const std::string text = "444444e4444444445444 4444";
    CHECK_THROWS_AS(ParseJsonTopology(text, "fuzz.json", TopologyOptions()), AisfcInputError);
    CHECK_THROWS_WITH(ParseJsonTopology(text, "fuzz.json", TopologyOptions()),
                      Contains("fuzz.json") && Contains("number overflow"));
}

TEST_CASE("fuzz scenario-json number overflow is an input error", "[fuzz]")
{
    // crash-1c0c7b0127d98832049ff5a815f85c59eaa0164c: the same escape through a scenario key.
    const std::string text = "11111111e11111\": ";
    CHECK_THROWS_AS(ParseJsonText(text, "fuzz.json"), AisfcInputError);
    CHECK_THROWS_WITH(ParseJsonText("[1e99999]", "s.json"),
                      Contains("s.json") && Contains("invalid JSON"));
}
