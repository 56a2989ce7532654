/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Fuzz target "graphml": bytes as a GraphML topology file.
 */
#include "fuzz-common.h"

#include "ns3/topology-graphml-reader.h"

#include <string>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string text(reinterpret_cast<const char*>(data), size);
    TopologyOptions options;
    aisfcfuzz::ExpectCleanError([&] { (void)ParseGraphmlTopology(text, "fuzz.graphml", options); });
    options.keepParallelEdges = true;
    options.largestComponentOnly = true;
    aisfcfuzz::ExpectCleanError([&] { (void)ParseGraphmlTopology(text, "fuzz.graphml", options); });
    return 0;
}
