/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-topology.h"

#include <stdexcept>

namespace ns3
{

namespace
{
const std::vector<std::pair<NodeRole, const char*>> ROLE_NAMES = {
    {NodeRole::ROUTER, "router"},
    {NodeRole::CORE, "core"},
    {NodeRole::AGGREGATION, "aggregation"},
    {NodeRole::EDGE, "edge"},
    {NodeRole::HOST, "host"},
    {NodeRole::SERVER, "server"},
    {NodeRole::SWITCH, "switch"},
};
} // namespace

const char*
NodeRoleName(NodeRole role)
{
    for (const auto& [r, name] : ROLE_NAMES)
    {
        if (r == role)
        {
            return name;
        }
    }
    return "router";
}

std::optional<NodeRole>
NodeRoleFromName(const std::string& name)
{
    for (const auto& [r, n] : ROLE_NAMES)
    {
        if (name == n)
        {
            return r;
        }
    }
    return std::nullopt;
}

AisfcTopology::AisfcTopology(std::string name)
    : m_name(std::move(name))
{
}

uint32_t
AisfcTopology::AddNode(TopologyNode node)
{
    if (m_byName.count(node.name))
    {
        throw std::logic_error("AisfcTopology: duplicate node name '" + node.name + "'");
    }
    uint32_t index = m_nodes.size();
    m_byName.emplace(node.name, index);
    m_nodes.push_back(std::move(node));
    m_linksOf.emplace_back();
    boost::add_vertex(m_graph);
    return index;
}

uint32_t
AisfcTopology::AddLink(TopologyLink link)
{
    if (link.a >= m_nodes.size() || link.b >= m_nodes.size())
    {
        throw std::logic_error("AisfcTopology: link end out of range");
    }
    uint32_t index = m_links.size();
    m_links.push_back(link);
    m_linksOf[link.a].push_back(index);
    if (link.b != link.a)
    {
        m_linksOf[link.b].push_back(index);
    }
    boost::add_edge(link.a, link.b, index, m_graph);
    return index;
}

const std::string&
AisfcTopology::GetName() const
{
    return m_name;
}

uint32_t
AisfcTopology::GetNNodes() const
{
    return m_nodes.size();
}

uint32_t
AisfcTopology::GetNLinks() const
{
    return m_links.size();
}

const TopologyNode&
AisfcTopology::GetNode(uint32_t i) const
{
    return m_nodes.at(i);
}

const TopologyLink&
AisfcTopology::GetLink(uint32_t i) const
{
    return m_links.at(i);
}

std::optional<uint32_t>
AisfcTopology::FindNode(const std::string& name) const
{
    auto it = m_byName.find(name);
    if (it == m_byName.end())
    {
        return std::nullopt;
    }
    return it->second;
}

const std::vector<uint32_t>&
AisfcTopology::GetLinksOf(uint32_t i) const
{
    return m_linksOf.at(i);
}

uint32_t
AisfcTopology::Opposite(uint32_t link, uint32_t node) const
{
    const TopologyLink& l = m_links.at(link);
    return l.a == node ? l.b : l.a;
}

const AisfcTopology::Graph&
AisfcTopology::GetGraph() const
{
    return m_graph;
}

const AisfcTopology::Provenance&
AisfcTopology::GetProvenance() const
{
    return m_provenance;
}

AisfcTopology::Provenance&
AisfcTopology::GetProvenance()
{
    return m_provenance;
}

} // namespace ns3
