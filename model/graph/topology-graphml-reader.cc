/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "topology-graphml-reader.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <pugixml.hpp>
#include <unordered_map>

namespace ns3
{

namespace
{

// Element name without a namespace prefix ("g:node" -> "node").
const char*
LocalName(const pugi::xml_node& n)
{
    const char* name = n.name();
    const char* colon = std::strrchr(name, ':');
    return colon ? colon + 1 : name;
}

bool
Is(const pugi::xml_node& n, const char* local)
{
    return n.type() == pugi::node_element && std::strcmp(LocalName(n), local) == 0;
}

std::optional<double>
ParseNumber(const std::string& text)
{
    size_t b = text.find_first_not_of(" \t\r\n");
    size_t e = text.find_last_not_of(" \t\r\n");
    if (b == std::string::npos)
    {
        return std::nullopt;
    }
    double v = 0;
    auto [ptr, ec] = std::from_chars(text.data() + b, text.data() + e + 1, v);
    if (ec != std::errc() || ptr != text.data() + e + 1 || !std::isfinite(v))
    {
        return std::nullopt;
    }
    return v;
}

class GraphmlParser
{
  public:
    GraphmlParser(const std::string& text, const std::string& source)
        : m_text(text),
          m_source(source)
    {
    }

    AisfcTopology Parse(const TopologyOptions& options)
    {
        pugi::xml_parse_result ok = m_doc.load_buffer(m_text.data(), m_text.size());
        if (!ok)
        {
            throw AisfcInputError(PlaceAt(m_source, m_text, ok.offset),
                                  std::string("malformed XML: ") + ok.description());
        }
        pugi::xml_node root = m_doc.document_element();
        if (!Is(root, "graphml"))
        {
            Fail(root, "root element is <" + std::string(root.name()) + ">, not <graphml>");
        }
        ReadKeys(root);
        pugi::xml_node graph;
        for (pugi::xml_node child : root.children())
        {
            if (Is(child, "graph"))
            {
                graph = child;
                break;
            }
        }
        if (!graph)
        {
            Fail(root, "no <graph> element");
        }
        TopologyBuilder builder(TopologyName());
        ReadNodes(graph, builder);
        ReadEdges(graph, builder);
        return builder.Build(options);
    }

  private:
    [[noreturn]] void Fail(const pugi::xml_node& where, const std::string& what) const
    {
        ptrdiff_t offset = where ? where.offset_debug() : -1;
        std::string place = offset >= 0 ? PlaceAt(m_source, m_text, offset) : m_source;
        throw AisfcInputError(place, what);
    }

    std::string TopologyName() const
    {
        std::string name = m_source;
        size_t slash = name.find_last_of('/');
        if (slash != std::string::npos)
        {
            name = name.substr(slash + 1);
        }
        size_t dot = name.rfind(".graphml");
        return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
    }

    void ReadKeys(const pugi::xml_node& root)
    {
        for (pugi::xml_node key : root.children())
        {
            if (!Is(key, "key"))
            {
                continue;
            }
            const char* id = key.attribute("id").value();
            if (!*id)
            {
                Fail(key, "<key> without an id");
            }
            m_keyName[id] = key.attribute("attr.name").value();
        }
    }

    // The data of an element by attribute name ("Latitude" -> "41.9").
    std::map<std::string, std::string> DataOf(const pugi::xml_node& element) const
    {
        std::map<std::string, std::string> data;
        for (pugi::xml_node d : element.children())
        {
            if (!Is(d, "data"))
            {
                continue;
            }
            auto it = m_keyName.find(d.attribute("key").value());
            if (it == m_keyName.end())
            {
                Fail(d,
                     "<data> refers to undeclared key '" + std::string(d.attribute("key").value()) +
                         "'");
            }
            data[it->second] = d.text().get();
        }
        return data;
    }

    void ReadNodes(const pugi::xml_node& graph, TopologyBuilder& builder)
    {
        struct Raw
        {
            std::string id;
            std::string label;
            std::optional<double> lat;
            std::optional<double> lon;
        };

        std::vector<Raw> raws;
        std::unordered_map<std::string, uint32_t> labelCount;
        for (pugi::xml_node node : graph.children())
        {
            if (!Is(node, "node"))
            {
                continue;
            }
            Raw raw;
            raw.id = node.attribute("id").value();
            if (raw.id.empty())
            {
                Fail(node, "<node> without an id");
            }
            if (m_indexOfId.count(raw.id))
            {
                Fail(node, "duplicate node id '" + raw.id + "'");
            }
            m_indexOfId[raw.id] = raws.size();
            auto data = DataOf(node);
            raw.label = data["label"];
            raw.lat = ParseNumber(data["Latitude"]);
            raw.lon = ParseNumber(data["Longitude"]);
            ++labelCount[raw.label];
            raws.push_back(raw);
        }
        for (const Raw& raw : raws)
        {
            TopologyNode n;
            n.name = raw.label.empty()            ? raw.id
                     : labelCount[raw.label] == 1 ? raw.label
                                                  : raw.label + "#" + raw.id;
            while (builder.HasNode(n.name))
            {
                n.name += "#" + raw.id;
            }
            n.latitude = raw.lat;
            n.longitude = raw.lon;
            builder.AddNode(n);
        }
    }

    void ReadEdges(const pugi::xml_node& graph, TopologyBuilder& builder)
    {
        for (pugi::xml_node edge : graph.children())
        {
            if (!Is(edge, "edge"))
            {
                continue;
            }
            uint32_t ends[2];
            const char* attrs[2] = {"source", "target"};
            for (int i = 0; i < 2; ++i)
            {
                std::string id = edge.attribute(attrs[i]).value();
                auto it = m_indexOfId.find(id);
                if (it == m_indexOfId.end())
                {
                    Fail(edge, std::string("edge ") + attrs[i] + " '" + id + "' is not a node id");
                }
                ends[i] = it->second;
            }
            builder.AddEdge(ends[0], ends[1], Capacity(DataOf(edge)), std::nullopt);
        }
    }

    static std::optional<double> Capacity(const std::map<std::string, std::string>& data)
    {
        auto raw = data.find("LinkSpeedRaw");
        if (raw != data.end())
        {
            auto v = ParseNumber(raw->second);
            if (v && *v > 0)
            {
                return v;
            }
        }
        auto speed = data.find("LinkSpeed");
        if (speed == data.end())
        {
            return std::nullopt;
        }
        auto v = ParseNumber(speed->second);
        if (!v || *v <= 0)
        {
            return std::nullopt;
        }
        auto units = data.find("LinkSpeedUnits");
        std::string u = units == data.end() ? "" : units->second;
        const std::map<std::string, double> FACTOR =
            {{"", 1}, {"K", 1e3}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}};
        auto f = FACTOR.find(u);
        if (f == FACTOR.end())
        {
            return std::nullopt;
        }
        return *v * f->second;
    }

    const std::string& m_text;
    std::string m_source;
    pugi::xml_document m_doc;
    std::unordered_map<std::string, std::string> m_keyName;
    std::unordered_map<std::string, uint32_t> m_indexOfId;
};

} // namespace

AisfcTopology
ParseGraphmlTopology(const std::string& text,
                     const std::string& source,
                     const TopologyOptions& options)
{
    return GraphmlParser(text, source).Parse(options);
}

AisfcTopology
ReadGraphmlTopology(const std::string& path, const TopologyOptions& options)
{
    std::string text = ReadInputFile(path);
    return ParseGraphmlTopology(text, path, options);
}

} // namespace ns3
