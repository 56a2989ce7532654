/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef SRV6_SCENARIO_H
#define SRV6_SCENARIO_H

#include "ns3/ipv6-address.h"

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class AisfcFlowProbe;
class AisfcNetworkBuilder;
class AisfcTopology;
class JsonReader;
class Srv6Helper;

/**
 * \ingroup aisfc
 * The `srv6` section of a scenario, as written (names not yet resolved).  Segments name a SID
 * of the section, a node (its address), or are IPv6 literals.
 */
struct Srv6ScenarioConfig
{
    /// A SID to instantiate.
    struct Sid
    {
        std::string name;                       //!< unique; segments refer to it
        std::string node;                       //!< node that owns it
        std::optional<uint16_t> function;       //!< function id (next free one when absent)
        std::string behavior;                   //!< RFC name, e.g. "End.DT6"
        std::vector<std::string> flavors;       //!< "PSP", "USP", "USD"
        std::string neighbor;                   //!< End.X/End.DX6: adjacent node
        uint32_t table = 0;                     //!< End.T/End.DT6
        std::string policy;                     //!< End.B6.Encaps: policy at the same node
        std::string serviceFunction;            //!< proxies: the function behind it
        std::vector<std::string> proxySegments; //!< End.AS: segments after the function
        uint32_t cacheSize = 1024;              //!< End.AD.flow
        bool proxyByDestination = false;        //!< End.AD.flow for transparent proxies
        double cacheTimeoutSeconds = 30;        //!< End.AD.flow
        double processingDelaySeconds = 0;      //!< per packet
        std::string place;                      //!< JSON place, for errors found later
    };

    /// An SR-unaware service function node attached to a proxy node.
    struct Function
    {
        std::string name;                      //!< unique
        std::string node;                      //!< proxy node it hangs off
        double processingDelaySeconds = 10e-6; //!< per packet, one at a time
        double linkRateBps = 10e9;             //!< its link
        double linkDelaySeconds = 1e-6;        //!< its link
        uint32_t queueLimit = 1000;            //!< backlog limit (packets)
        std::string place;                     //!< JSON place
    };

    /// A candidate path.
    struct SegmentList
    {
        std::vector<std::string> segments; //!< visiting order
        uint32_t weight = 1;               //!< share of flows
        std::string place;                 //!< JSON place
    };

    /// A scheduled change of a policy's lists.
    struct Change
    {
        double atSeconds = 0;           //!< simulated time
        std::vector<SegmentList> lists; //!< the new lists
        std::string place;              //!< JSON place
    };

    /// An SR policy at a headend and what it steers.
    struct Policy
    {
        std::string name;                //!< unique
        std::string headend;             //!< node
        std::string mode = "encaps";     //!< encaps, encaps.red, insert
        std::string steerDst;            //!< node whose address is steered
        std::string steerDstPrefix;      //!< or "addr/len"
        std::string steerSrc;            //!< optional source node
        std::string steerSrcPrefix;      //!< or "addr/len"
        std::optional<uint8_t> protocol; //!< optional upper-layer protocol
        std::optional<uint16_t> srcPort; //!< optional
        std::optional<uint16_t> dstPort; //!< optional
        std::vector<SegmentList> lists;  //!< candidates
        std::vector<Change> changes;     //!< scheduled changes
        std::string place;               //!< JSON place
    };

    uint32_t hopLimit = 64;          //!< outer Hop Limit of encapsulated packets
    std::vector<Sid> sids;           //!< SIDs
    std::vector<Function> functions; //!< SR-unaware functions
    std::vector<Policy> policies;    //!< policies
};

/**
 * \ingroup aisfc
 * \brief Read the `srv6` object of a scenario (syntax and local checks; names are checked
 * against the topology by Srv6Deployment).
 */
Srv6ScenarioConfig ReadSrv6Section(JsonReader& section, double durationSeconds);

/// \ingroup aisfc \brief \return the most bytes any headend, binding SID or static proxy of
/// the section adds to a packet (outer IPv6 header and SRH)
uint32_t Srv6MaxEncapsulationBytes(const Srv6ScenarioConfig& config);

/// \ingroup aisfc \brief \return the section as JSON, defaults filled
nlohmann::json Srv6SectionToJson(const Srv6ScenarioConfig& config);

/**
 * \ingroup aisfc
 * An srv6 section resolved against a topology, installed on its network, and its results.
 */
class Srv6Deployment
{
  public:
    /// \brief Resolve every name; throws AisfcInputError naming the place of a bad one.
    /// `namedSegments` are SIDs other sections own (pdp functions): segment lists may name
    /// them, and no SID of this section may take their names or addresses.
    Srv6Deployment(const Srv6ScenarioConfig& config,
                   const AisfcTopology& topology,
                   const std::map<std::string, Ipv6Address>& namedSegments = {});
    ~Srv6Deployment();

    /// \brief Install SRv6, SIDs, functions and policies; schedule the policy changes; count
    /// SRv6 drops in the probe.
    void Install(AisfcNetworkBuilder& network, AisfcFlowProbe& probe);
    /// \brief \return the helper that installed SRv6 (after Install)
    Srv6Helper& GetHelper();
    /// \brief \return per-SID counters, policies with packets per list (per version), function
    /// counters and node-level security counters
    nlohmann::json Results() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace ns3

#endif // SRV6_SCENARIO_H
