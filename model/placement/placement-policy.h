/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PLACEMENT_POLICY_H
#define PLACEMENT_POLICY_H

#include "placement-evaluator.h"
#include "placement-problem.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * What a policy decides for a slot: where every instance is and which instance serves each
 * function of each request.  Links are mapped afterwards by the shared PlacementMapLinks.
 */
struct PlacementDecision
{
    PlacementDeployment deployment; //!< one host (or nothing) per instance
    PlacementAssignment assignment; //!< [request][position] -> instance
};

/**
 * \ingroup aisfc
 * A placement policy: maps the state (the problem, the slot, the previous deployment and
 * assignment) to the placement of every instance for the slot.  Every host a policy chooses
 * comes from PlacementFilters::Mask, so no policy overfills a memory.  Randomness only from
 * the generator passed in (std::mt19937_64, with PlacementUniformIndex): same seed, same
 * decisions on every platform.  Learned policies (DDQN-CM, SR-EM) implement the same
 * interface.
 */
class PlacementPolicy
{
  public:
    virtual ~PlacementPolicy() = default;

    /// \brief \return the registry name of the policy, e.g. "lag"
    virtual std::string GetName() const = 0;

    /**
     * \brief Decide the configuration of a slot.
     * \param problem the problem
     * \param slot the slot to configure (its rates and deadlines)
     * \param previous the deployment of the slot before (the initial one before slot 0)
     * \param previousAssignment the assignment of the slot before
     * \param rng the only source of randomness
     * \return the deployment and assignment of the slot
     */
    virtual PlacementDecision Decide(const PlacementProblem& problem,
                                     uint32_t slot,
                                     const PlacementDeployment& previous,
                                     const PlacementAssignment& previousAssignment,
                                     std::mt19937_64& rng) = 0;
};

/// \ingroup aisfc Makes a policy from its JSON parameters (an object; {} for the defaults).
using PlacementPolicyFactory =
    std::function<std::unique_ptr<PlacementPolicy>(const nlohmann::json& params)>;

/// \ingroup aisfc A registered policy: its name and a one-line description.
struct PlacementPolicyInfo
{
    std::string name;        //!< registry name
    std::string description; //!< one line: what it does and its parameters
};

/**
 * \ingroup aisfc
 * Policies by name.  Each policy's .cc registers itself from a static initialiser, so adding
 * one touches that file only (plus the build list).
 */
class PlacementPolicyRegistry
{
  public:
    /**
     * \brief Register a policy.
     * \param name unique name
     * \param description one line for List()
     * \param factory makes the policy from its parameters
     * \throws std::logic_error when the name is taken or empty
     */
    static void Register(const std::string& name,
                         const std::string& description,
                         PlacementPolicyFactory factory);
    /**
     * \brief Make a registered policy.
     * \param name its name
     * \param params its JSON parameters (an object; null means {})
     * \return the policy
     * \throws AisfcInputError naming an unknown policy and listing the known ones, or naming a
     *         bad parameter
     */
    static std::unique_ptr<PlacementPolicy> Create(const std::string& name,
                                                   const nlohmann::json& params = nullptr);
    /// \brief \return whether a policy of this name is registered
    static bool Has(const std::string& name);
    /// \brief \return the registered policies, by name
    static std::vector<PlacementPolicyInfo> List();
};

/**
 * \ingroup aisfc
 * \brief A uniform integer in [0, n) from a std::mt19937_64 (rejection of the biased top of the
 * range), the same on every standard library, unlike std::uniform_int_distribution.
 * \param rng the generator
 * \param n the number of values (> 0)
 * \return the integer
 */
uint64_t PlacementUniformIndex(std::mt19937_64& rng, uint64_t n);

/**
 * \ingroup aisfc
 * What the evaluator says one instance on one host slot costs and delays, alone: the terms of
 * a configuration that depend on that pair only.  Policies and the ILP take their per-host
 * costs from here, so no formula of the evaluator is copied.
 */
struct PlacementHostProbe
{
    bool valid = false;              //!< the static filter allows the pair (else not probed)
    double cost = 0;                 //!< alpha x IT cost + beta x reconfiguration cost
    bool migrated = false;           //!< a migration from the previous server
    bool programmed = false;         //!< programmed into the switch
    double reconfigurationDelay = 0; //!< its migration delay, or its programming delay alone
    std::vector<double> hostDelay;   //!< per request: processing + RDMA delay were it served here
};

/**
 * \ingroup aisfc
 * \brief Probe every statically allowed (instance, host slot) pair with the evaluator: the
 * instance alone on the slot, serving every position of its type, no link mapped.
 * \param problem the problem
 * \param slot the slot
 * \param previous the deployment of the slot before
 * \return probes[instance][host slot index]
 */
std::vector<std::vector<PlacementHostProbe>> PlacementProbeHosts(
    const PlacementProblem& problem,
    uint32_t slot,
    const PlacementDeployment& previous);

/**
 * \ingroup aisfc
 * \brief Map a decision's links (PlacementMapLinks) and evaluate it (PlacementEvaluator).
 * \param problem the problem
 * \param slot the slot
 * \param previous the deployment of the slot before
 * \param decision the decision
 * \return the slot result
 */
PlacementSlotResult PlacementEvaluateDecision(const PlacementProblem& problem,
                                              uint32_t slot,
                                              const PlacementDeployment& previous,
                                              const PlacementDecision& decision);

/**
 * \ingroup aisfc
 * \brief Run a policy over every slot of a problem from its initial deployment and assignment,
 * each slot's decision becoming the next slot's previous configuration.
 * \param policy the policy
 * \param problem the problem
 * \param seed seeds the std::mt19937_64 the policy draws from
 * \return one result per slot
 */
std::vector<PlacementSlotResult> PlacementRunPolicy(PlacementPolicy& policy,
                                                    const PlacementProblem& problem,
                                                    uint64_t seed);

} // namespace ns3

#endif // PLACEMENT_POLICY_H
