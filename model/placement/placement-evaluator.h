/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PLACEMENT_EVALUATOR_H
#define PLACEMENT_EVALUATOR_H

#include "placement-problem.h"

#include "ns3/aisfc-paths.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * The substrate path of every virtual link: paths[r][v] carries virtual link v of request r,
 * where virtual link 0 joins the source to the first function, v joins function v-1 to v, and
 * the last (v = chain length) joins the last function to the destination.  A path whose ends
 * coincide has one node and no link; an unmapped virtual link (an unplaced instance, an
 * unreachable host) has no node.
 */
struct PlacementLinkMapping
{
    std::vector<std::vector<TopologyPath>> paths; //!< [request][virtual link]
};

/// \ingroup aisfc Which constraint a deployment breaks.
enum class PlacementViolationKind : uint8_t
{
    STORAGE,    //!< eq. 7 and twins: a host slot's memory is over capacity
    PROCESSING, //!< eq. 10: an instance receives more traffic than it can process
    LINK,       //!< eq. 11: a link direction carries more than its bandwidth
    UNPLACED,   //!< eq. 8: an instance has no host
};

/// \ingroup aisfc \brief \return "storage", "processing", "link" or "unplaced"
std::string PlacementViolationKindName(PlacementViolationKind kind);

/// \ingroup aisfc One broken capacity constraint, with the reason for messages and tests.
struct PlacementViolation
{
    PlacementViolationKind kind = PlacementViolationKind::STORAGE; //!< which constraint
    uint32_t index = 0;    //!< host slot index (STORAGE), instance (PROCESSING, UNPLACED), link
    uint32_t instance = 0; //!< the instance refused (STORAGE)
    double demand = 0;     //!< bytes or bit/s asked
    double capacity = 0;   //!< bytes or bit/s available
    std::string reason;    //!< readable, names the host, instance or link
};

/// \ingroup aisfc The delays of one request in a slot (eq. 16) and its deadline check.
struct PlacementRequestResult
{
    double reconfigurationDelay = 0; //!< eq. 17: max of its instances' migration/programming
    double processingDelay = 0;      //!< eq. 18: sum of V x delay per MB at each host
    double rdmaDelay = 0;            //!< eq. 15: sum of V x n_{f,s} x RDMA access delay
    double transmissionDelay = 0;    //!< eq. 19: sum of link delays along the mapped paths
    double totalDelay = 0;           //!< eq. 16: the sum of the four
    double deadline = 0;             //!< the request's deadline in the slot
    bool accepted = false;           //!< placed, mapped and within the deadline
    std::string reason;              //!< why not accepted ("" when accepted)
};

/**
 * \ingroup aisfc
 * Everything one slot of a configuration costs and earns (Section IV of the paper), with the
 * loads a DRL state is built from.
 */
struct PlacementSlotResult
{
    double itCost = 0;              //!< eq. 2
    double bandwidthCost = 0;       //!< eq. 3
    double migrationCost = 0;       //!< eq. 5
    double programmingCost = 0;     //!< eq. 6
    double reconfigurationCost = 0; //!< eq. 4: migration + programming
    double totalCost = 0;           //!< eq. 1: alpha (IT + bandwidth) + beta reconfiguration
    double migrationDelay = 0;      //!< eq. 13: max over migrated instances
    double programmingDelay = 0;    //!< eq. 14: max over programmed switches
    std::vector<PlacementRequestResult> requests; //!< one per request
    uint32_t accepted = 0;                        //!< requests accepted
    double acceptanceRatio = 0;                   //!< accepted / requests (1 with none)
    std::vector<PlacementViolation> violations;   //!< broken capacity constraints
    double reward = 0;                            //!< eq. 20

    std::vector<bool> migrated;                     //!< per instance: moved between servers
    std::vector<bool> programmed;                   //!< per instance: programmed into a switch
    std::vector<double> instanceLoadBps;            //!< per instance: traffic it processes
    std::vector<std::array<double, 2>> linkLoadBps; //!< per link: a->b and b->a traffic

    /// \brief \return whether no capacity constraint is broken
    bool Feasible() const;
    /// \brief \return whether a violation of this kind was found
    bool Has(PlacementViolationKind kind) const;
};

/**
 * \ingroup aisfc
 * Costs, delays, constraints and reward of a configuration in a slot: the one evaluation every
 * policy, the ILP check and the DRL environment use.  Formulas in doc/placement.rst.
 *
 * Holds a reference to the problem, which must outlive it.
 */
class PlacementEvaluator
{
  public:
    /// \brief An evaluator for a problem (validated here).
    explicit PlacementEvaluator(const PlacementProblem& problem);

    /**
     * \brief Evaluate the current configuration of a slot.
     * \param slot the slot (rates and deadlines)
     * \param previous the deployment of the slot before (the initial one before slot 0):
     *        reconfiguration is what changed from it
     * \param current the deployment in this slot
     * \param assignment the instance serving each function of each request
     * \param mapping the path of each virtual link
     * \return the result
     * \throws std::invalid_argument when the inputs do not fit the problem (sizes, an
     *         instance of the wrong type, a path that does not join its virtual link's ends)
     */
    PlacementSlotResult Evaluate(uint32_t slot,
                                 const PlacementDeployment& previous,
                                 const PlacementDeployment& current,
                                 const PlacementAssignment& assignment,
                                 const PlacementLinkMapping& mapping) const;

    /// \brief \return the migration path between two servers (least delay), if any
    std::optional<TopologyPath> MigrationPath(uint32_t from, uint32_t to) const;

    /// \brief \return the problem
    const PlacementProblem& GetProblem() const;

  private:
    void CheckInputs(const PlacementDeployment& previous,
                     const PlacementDeployment& current,
                     const PlacementAssignment& assignment,
                     const PlacementLinkMapping& mapping) const;

    const PlacementProblem& m_problem;
};

/// \ingroup aisfc \brief Evaluate a configuration (a PlacementEvaluator used once).
PlacementSlotResult PlacementEvaluate(const PlacementProblem& problem,
                                      uint32_t slot,
                                      const PlacementDeployment& previous,
                                      const PlacementDeployment& current,
                                      const PlacementAssignment& assignment,
                                      const PlacementLinkMapping& mapping);

/**
 * \ingroup aisfc
 * \brief Map every virtual link by load-weighted Dijkstra (the paper's link placement step),
 * requests in order, virtual links in chain order, adding each request's rate to the links it
 * takes.  A link's weight is 1 + (load + rate) / bandwidth, plus the node count when that
 * exceeds the bandwidth: the fewest hops, ties broken toward idle links, and a detour of any
 * length before an overload.  The load of a link is its busier direction's.
 * \param problem the problem
 * \param slot the slot (rates)
 * \param deployment where the instances are
 * \param assignment which instance serves each function
 * \return the mapping (virtual links touching an unplaced instance stay unmapped)
 */
PlacementLinkMapping PlacementMapLinks(const PlacementProblem& problem,
                                       uint32_t slot,
                                       const PlacementDeployment& deployment,
                                       const PlacementAssignment& assignment);

/**
 * \ingroup aisfc
 * \brief Assign each function of each request to the placed instance of its type that adds the
 * least delay (least-delay path from the previous hop, plus processing and RDMA at the host,
 * plus the path to the destination for the last function), preferring instances with spare
 * processing capacity for the request's rate; requests in order, ties to the lower instance.
 * A type with no placed instance gets its first instance (the evaluation then rejects).
 * \param problem the problem
 * \param slot the slot (rates)
 * \param deployment where the instances are
 * \return the assignment
 */
PlacementAssignment PlacementAssignNearest(const PlacementProblem& problem,
                                           uint32_t slot,
                                           const PlacementDeployment& deployment);

} // namespace ns3

#endif // PLACEMENT_EVALUATOR_H
