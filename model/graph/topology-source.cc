/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "topology-source.h"

#include "topology-graphml-reader.h"
#include "topology-json-reader.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-units.h"

#include <algorithm>
#include <cstdlib>
#include <sys/stat.h>

#ifndef AISFC_SOURCE_DIR
#define AISFC_SOURCE_DIR "."
#endif

namespace ns3
{

namespace
{

struct Registered
{
    std::string usage;
    TopologyGenerator generator;
};

// Function-local so that generators registering from static initialisers find it built.
std::map<std::string, Registered>&
Registry()
{
    static std::map<std::string, Registered> registry;
    return registry;
}

bool
EndsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool
IsFile(const std::string& path)
{
    struct stat info;
    return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

std::string
ZooFile(const std::string& spec, const std::string& name)
{
    if (name.empty() || name.find('/') != std::string::npos)
    {
        throw AisfcInputError(spec, "expected zoo:NAME with a Topology Zoo network name");
    }
    std::vector<std::string> dirs;
    if (const char* env = std::getenv("AISFC_TOPOLOGYZOO_DIR"))
    {
        dirs.emplace_back(env);
    }
    dirs.emplace_back(std::string(AISFC_SOURCE_DIR) + "/../shared/topologyzoo/graphml");
    for (const std::string& dir : dirs)
    {
        std::string path = dir + "/" + name + ".graphml";
        if (IsFile(path))
        {
            return path;
        }
    }
    throw AisfcInputError(spec,
                          "no Topology Zoo file " + name + ".graphml in " + dirs.front() +
                              (dirs.size() > 1 ? " or " + dirs.back() : "") +
                              " (set AISFC_TOPOLOGYZOO_DIR)");
}

} // namespace

TopologyGeneratorArgs::TopologyGeneratorArgs(const std::string& spec, const std::string& argText)
    : m_spec(spec)
{
    size_t start = 0;
    while (start <= argText.size() && !argText.empty())
    {
        size_t comma = argText.find(',', start);
        std::string item =
            argText.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        size_t eq = item.find('=');
        if (item.empty())
        {
            throw AisfcInputError(spec, "empty argument");
        }
        if (eq == std::string::npos)
        {
            if (!m_positional.empty())
            {
                throw AisfcInputError(spec, "more than one value without a name: '" + item + "'");
            }
            m_positional = item;
        }
        else
        {
            std::string key = item.substr(0, eq);
            if (!m_values.emplace(key, item.substr(eq + 1)).second)
            {
                throw AisfcInputError(spec, "argument '" + key + "' given twice");
            }
        }
        if (comma == std::string::npos)
        {
            break;
        }
        start = comma + 1;
    }
}

bool
TopologyGeneratorArgs::TakeWord(const std::string& word)
{
    if (m_positional == word)
    {
        m_positional.clear();
        return true;
    }
    return false;
}

unsigned long
TopologyGeneratorArgs::GetCount(const std::string& key,
                                unsigned long def,
                                unsigned long min,
                                unsigned long max)
{
    m_known.push_back(key);
    auto it = m_values.find(key);
    std::string text;
    if (it != m_values.end())
    {
        text = it->second;
    }
    else if (!m_positional.empty())
    {
        text = m_positional;
        m_positional.clear();
    }
    else
    {
        return def;
    }
    return ParseCount(text, m_spec + ": " + key, min, max);
}

unsigned long
TopologyGeneratorArgs::RequireCount(const std::string& key, unsigned long min, unsigned long max)
{
    if (m_values.count(key) == 0 && m_positional.empty())
    {
        throw AisfcInputError(m_spec, "missing the value of " + key);
    }
    return GetCount(key, 0, min, max);
}

double
TopologyGeneratorArgs::GetRate(const std::string& key, double def)
{
    m_known.push_back(key);
    auto it = m_values.find(key);
    return it == m_values.end() ? def : ParseDataRateBps(it->second, m_spec + ": " + key);
}

double
TopologyGeneratorArgs::GetDuration(const std::string& key, double def)
{
    m_known.push_back(key);
    auto it = m_values.find(key);
    return it == m_values.end() ? def : ParseDurationSeconds(it->second, m_spec + ": " + key);
}

void
TopologyGeneratorArgs::Finish() const
{
    if (!m_positional.empty())
    {
        throw AisfcInputError(m_spec, "unexpected value '" + m_positional + "'");
    }
    for (const auto& [key, value] : m_values)
    {
        if (std::find(m_known.begin(), m_known.end(), key) == m_known.end())
        {
            std::string known;
            for (const auto& k : m_known)
            {
                known += (known.empty() ? "" : ", ") + k;
            }
            throw AisfcInputError(m_spec, "unknown argument '" + key + "' (known: " + known + ")");
        }
    }
}

void
RegisterTopologyGenerator(const std::string& name,
                          const std::string& usage,
                          TopologyGenerator generator)
{
    Registry()[name] = {usage, std::move(generator)};
}

std::vector<std::string>
ListTopologyGenerators()
{
    std::vector<std::string> out;
    for (const auto& [name, reg] : Registry())
    {
        out.push_back(reg.usage);
    }
    return out;
}

AisfcTopology
LoadTopology(const std::string& spec, const TopologyOptions& options)
{
    if (EndsWith(spec, ".graphml"))
    {
        return ReadGraphmlTopology(spec, options);
    }
    if (EndsWith(spec, ".json"))
    {
        return ReadJsonTopology(spec, options);
    }
    size_t colon = spec.find(':');
    std::string name = spec.substr(0, colon);
    std::string args = colon == std::string::npos ? "" : spec.substr(colon + 1);
    if (name == "zoo")
    {
        return ReadGraphmlTopology(ZooFile(spec, args), options);
    }
    auto it = Registry().find(name);
    if (it == Registry().end())
    {
        std::string known = "zoo";
        for (const auto& [n, reg] : Registry())
        {
            known += ", " + n;
        }
        if (IsFile(spec))
        {
            throw AisfcInputError(spec, "unknown topology file type (expected .graphml or .json)");
        }
        throw AisfcInputError(spec,
                              "unknown topology generator '" + name + "' (known: " + known +
                                  "; or a .graphml or .json file)");
    }
    TopologyGeneratorArgs parsed(spec, args);
    return it->second.generator(parsed, options);
}

} // namespace ns3
