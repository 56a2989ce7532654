/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Fuzz target "topology-json": bytes as a JSON topology file.
 */
#include "fuzz-common.h"

#include "ns3/topology-json-reader.h"

#include <string>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string text(reinterpret_cast<const char*>(data), size);
    TopologyOptions options;
    aisfcfuzz::ExpectCleanError([&] { (void)ParseJsonTopology(text, "fuzz.json", options); });
    options.keepParallelEdges = true;
    options.largestComponentOnly = true;
    aisfcfuzz::ExpectCleanError([&] { (void)ParseJsonTopology(text, "fuzz.json", options); });
    return 0;
}
