/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-topology-inspect.h"

#include "ns3/aisfc-paths.h"
#include "ns3/aisfc-units.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <sstream>

namespace ns3
{

nlohmann::json
DescribeTopology(const AisfcTopology& topo)
{
    const AisfcTopology::Provenance& p = topo.GetProvenance();
    nlohmann::json d;
    d["name"] = topo.GetName();
    d["nodes"] = topo.GetNNodes();
    d["links"] = topo.GetNLinks();
    d["parallel_edges_merged"] = p.parallelEdgesMerged;
    d["self_loops_dropped"] = p.selfLoopsDropped;
    d["components"] = CountComponents(topo);
    d["diameter_hops"] = DiameterHops(topo);
    d["source_edges"] = p.sourceEdges;
    d["edges_without_coordinates"] = p.edgesWithoutCoordinates;
    d["edges_without_speed"] = p.edgesWithoutSpeed;
    d["nodes_outside_largest_component"] = p.nodesOutsideLargestComponent;
    std::map<std::string, uint32_t> roles;
    for (uint32_t i = 0; i < topo.GetNNodes(); ++i)
    {
        ++roles[NodeRoleName(topo.GetNode(i).role)];
    }
    d["roles"] = roles;
    if (topo.GetNLinks() > 0)
    {
        double minRate = topo.GetLink(0).capacityBps;
        double maxRate = minRate;
        double minDelay = topo.GetLink(0).delaySeconds;
        double maxDelay = minDelay;
        for (uint32_t l = 0; l < topo.GetNLinks(); ++l)
        {
            const TopologyLink& link = topo.GetLink(l);
            minRate = std::min(minRate, link.capacityBps);
            maxRate = std::max(maxRate, link.capacityBps);
            minDelay = std::min(minDelay, link.delaySeconds);
            maxDelay = std::max(maxDelay, link.delaySeconds);
        }
        d["capacity_bps"] = {{"min", minRate}, {"max", maxRate}};
        d["delay_s"] = {{"min", minDelay}, {"max", maxDelay}};
    }
    return d;
}

std::string
DescribeTopologyText(const nlohmann::json& d)
{
    std::ostringstream out;
    for (const auto& item : d.items())
    {
        out << std::left << std::setw(34) << item.key() + ":";
        const auto& v = item.value();
        if (item.key() == "capacity_bps")
        {
            out << FormatDataRate(v["min"]) << " .. " << FormatDataRate(v["max"]);
        }
        else if (item.key() == "delay_s")
        {
            out << FormatDuration(v["min"]) << " .. " << FormatDuration(v["max"]);
        }
        else
        {
            out << (v.is_string() ? v.get<std::string>() : v.dump());
        }
        out << "\n";
    }
    return out.str();
}

} // namespace ns3
