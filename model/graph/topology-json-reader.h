/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_TOPOLOGY_JSON_READER_H
#define AISFC_TOPOLOGY_JSON_READER_H

#include "topology-builder.h"

#include <string>

namespace ns3
{

/**
 * \ingroup aisfc
 * \brief Read a hand-written JSON topology (the files in topologies/).
 *
 * Format:
 * \code{.json}
 * {
 *   "name": "dumbbell",
 *   "defaults": {"rate": "100Mbps", "delay": "1ms"},
 *   "nodes": [{"name": "h0", "role": "host"}, {"name": "r0", "latitude": 48.1, "longitude": 11.6}],
 *   "links": [{"a": "h0", "b": "r0", "rate": "1Gbps", "delay": "2ms"}]
 * }
 * \endcode
 * A link without rate takes defaults.rate (else the loading default); a link without delay
 * takes defaults.delay, else the geodesic delay between its ends' coordinates, else the
 * fallback delay.  Unknown keys, unknown roles and unknown node names are errors naming the
 * JSON path.
 *
 * \param path the file
 * \param options shared loading rules
 * \return the topology
 */
AisfcTopology ReadJsonTopology(const std::string& path, const TopologyOptions& options);

/**
 * \ingroup aisfc
 * \brief Same as ReadJsonTopology, from text in memory.
 * \param text JSON text
 * \param source file name used in errors
 * \param options shared loading rules
 * \return the topology
 */
AisfcTopology ParseJsonTopology(const std::string& text,
                                const std::string& source,
                                const TopologyOptions& options);

} // namespace ns3

#endif // AISFC_TOPOLOGY_JSON_READER_H
