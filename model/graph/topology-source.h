/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_TOPOLOGY_SOURCE_H
#define AISFC_TOPOLOGY_SOURCE_H

#include "topology-builder.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * Arguments of a generator spec "name:k=4,rate=10Gbps" (or "name:8" for one positional value).
 * Getters check values and record keys; Finish() rejects unknown keys, naming the spec.
 */
class TopologyGeneratorArgs
{
  public:
    /// \brief Split the argument text (after "name:") of spec.
    TopologyGeneratorArgs(const std::string& spec, const std::string& argText);
    /// \brief \return whether the positional value is word (and take it), as in "fattree:srem"
    bool TakeWord(const std::string& word);
    /// \brief \return the value of key, or else the positional value, as a count in [min, max];
    /// def when neither is given
    unsigned long GetCount(const std::string& key,
                           unsigned long def,
                           unsigned long min,
                           unsigned long max);
    /// \brief Same as GetCount, but the value must be given.
    unsigned long RequireCount(const std::string& key, unsigned long min, unsigned long max);
    /// \brief \return the value of key as a data rate in bit/s, or def
    double GetRate(const std::string& key, double def);
    /// \brief \return the value of key as a duration in seconds, or def
    double GetDuration(const std::string& key, double def);
    /// \brief Reject keys no getter asked for.
    void Finish() const;

  private:
    std::string m_spec;
    std::string m_positional; //!< value without "key=", taken by TakeWord or GetCount
    std::map<std::string, std::string> m_values;
    std::vector<std::string> m_known;
};

/// A generator builds a topology from its arguments with the shared loading rules.
using TopologyGenerator =
    std::function<AisfcTopology(TopologyGeneratorArgs& args, const TopologyOptions& options)>;

/**
 * \ingroup aisfc
 * \brief Register a generator under name, so that specs "name" and "name:args" reach it.
 * \param name the generator's name (e.g. "fattree")
 * \param usage one line shown by listings, e.g. "fattree:k=K  k-ary fat-tree"
 * \param generator the function
 */
void RegisterTopologyGenerator(const std::string& name,
                               const std::string& usage,
                               TopologyGenerator generator);

/// \brief \return "usage" lines of every registered generator, sorted by name
std::vector<std::string> ListTopologyGenerators();

/**
 * \ingroup aisfc
 * \brief Load a topology from a spec:
 *  - a path ending in .graphml (Topology Zoo GraphML) or .json (aisfc JSON topology);
 *  - "zoo:NAME", the Topology Zoo file NAME.graphml from $AISFC_TOPOLOGYZOO_DIR or else
 *    ../shared/topologyzoo/graphml beside the source tree;
 *  - a generator spec such as "fattree:k=4", "fattree:srem", "line:10", "ring:8".
 * \param spec the spec
 * \param options shared loading rules
 * \return the topology
 * \throws AisfcInputError naming the spec (or file and line) on any problem
 */
AisfcTopology LoadTopology(const std::string& spec, const TopologyOptions& options);

} // namespace ns3

#endif // AISFC_TOPOLOGY_SOURCE_H
