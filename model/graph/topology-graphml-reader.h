/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_TOPOLOGY_GRAPHML_READER_H
#define AISFC_TOPOLOGY_GRAPHML_READER_H

#include "topology-builder.h"

#include <string>

namespace ns3
{

/**
 * \ingroup aisfc
 * \brief Read a Topology Zoo GraphML file.
 *
 * Keys are looked up by their attr.name per file.  Node names are the node labels where a
 * label is present and unique in the file, else "label#id", else the GraphML id.  Latitude and
 * Longitude give delays; LinkSpeedRaw (bit/s), else LinkSpeed with LinkSpeedUnits (K, M, G, T),
 * gives capacities.  Attribute values that are not numbers count as absent.  Edges are links
 * in both directions whatever edgedefault says.
 *
 * \param path the .graphml file
 * \param options shared loading rules
 * \return the topology, named after the file's stem
 * \throws AisfcInputError naming the file and line on malformed XML or GraphML
 */
AisfcTopology ReadGraphmlTopology(const std::string& path, const TopologyOptions& options);

/**
 * \ingroup aisfc
 * \brief Same as ReadGraphmlTopology, from text in memory (for tests and fuzzing).
 * \param text GraphML text
 * \param source file name used in errors and as the topology name
 * \param options shared loading rules
 * \return the topology
 */
AisfcTopology ParseGraphmlTopology(const std::string& text,
                                   const std::string& source,
                                   const TopologyOptions& options);

} // namespace ns3

#endif // AISFC_TOPOLOGY_GRAPHML_READER_H
