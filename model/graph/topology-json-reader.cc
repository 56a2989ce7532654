/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "topology-json-reader.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-json-reader.h"

namespace ns3
{

AisfcTopology
ParseJsonTopology(const std::string& text,
                  const std::string& source,
                  const TopologyOptions& options)
{
    nlohmann::json doc = ParseJsonText(text, source);
    JsonReader top(doc, source);
    TopologyBuilder builder(top.RequireString("name"));

    std::optional<double> defaultRate;
    std::optional<double> defaultDelay;
    if (top.Has("defaults"))
    {
        JsonReader defaults = top.RequireObject("defaults");
        if (defaults.Has("rate"))
        {
            defaultRate = defaults.GetRate("rate", 0);
        }
        if (defaults.Has("delay"))
        {
            defaultDelay = defaults.GetDuration("delay", 0);
        }
        defaults.Finish();
    }

    for (JsonReader n : top.GetObjectArray("nodes"))
    {
        TopologyNode node;
        node.name = n.RequireString("name");
        if (node.name.empty() || builder.HasNode(node.name))
        {
            throw AisfcInputError(n.Place("name"),
                                  node.name.empty() ? "empty node name"
                                                    : "duplicate node name '" + node.name + "'");
        }
        std::string role = n.GetString("role", "router");
        auto parsedRole = NodeRoleFromName(role);
        if (!parsedRole)
        {
            throw AisfcInputError(n.Place("role"),
                                  "unknown role '" + role +
                                      "' (known: router, core, aggregation, edge, host, server, "
                                      "switch)");
        }
        node.role = *parsedRole;
        bool hasLatitude = n.Has("latitude");
        if (hasLatitude != n.Has("longitude"))
        {
            throw AisfcInputError(n.Place(hasLatitude ? "longitude" : "latitude"),
                                  "latitude and longitude go together; one is missing");
        }
        if (hasLatitude)
        {
            node.latitude = n.GetNumber("latitude", 0);
            node.longitude = n.GetNumber("longitude", 0);
        }
        n.Finish();
        builder.AddNode(node);
    }

    for (JsonReader l : top.GetObjectArray("links"))
    {
        uint32_t ends[2];
        const char* keys[2] = {"a", "b"};
        for (int i = 0; i < 2; ++i)
        {
            std::string name = l.RequireString(keys[i]);
            if (!builder.HasNode(name))
            {
                throw AisfcInputError(l.Place(keys[i]), "no node named '" + name + "'");
            }
            ends[i] = builder.NodeIndex(name);
        }
        std::optional<double> rate = defaultRate;
        if (l.Has("rate"))
        {
            rate = l.GetRate("rate", 0);
        }
        std::optional<double> delay = defaultDelay;
        if (l.Has("delay"))
        {
            delay = l.GetDuration("delay", 0);
        }
        l.Finish();
        builder.AddEdge(ends[0], ends[1], rate, delay);
    }
    top.Finish();
    return builder.Build(options);
}

AisfcTopology
ReadJsonTopology(const std::string& path, const TopologyOptions& options)
{
    return ParseJsonTopology(ReadInputFile(path), path, options);
}

} // namespace ns3
