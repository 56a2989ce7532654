/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_TOPOLOGY_INSPECT_H
#define AISFC_TOPOLOGY_INSPECT_H

#include "ns3/aisfc-topology.h"

#include <nlohmann/json.hpp>
#include <string>

namespace ns3
{

/**
 * \ingroup aisfc
 * \brief Describe a topology (what `aisfc topo inspect --json` prints): name, nodes, links,
 * parallel_edges_merged, self_loops_dropped, components, diameter_hops (of the largest
 * component), source_edges, edges_without_coordinates, edges_without_speed,
 * nodes_outside_largest_component, roles, and the range of capacities and delays.
 */
nlohmann::json DescribeTopology(const AisfcTopology& topology);

/// \brief \return the description as aligned "key: value" lines for people
std::string DescribeTopologyText(const nlohmann::json& description);

} // namespace ns3

#endif // AISFC_TOPOLOGY_INSPECT_H
