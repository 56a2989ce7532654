/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PLACEMENT_ILP_H
#define PLACEMENT_ILP_H

#include "placement-policy.h"

#include <string>

namespace ns3
{

/// \ingroup aisfc How a PlacementIlp solve ended.
enum class PlacementIlpStatus : uint8_t
{
    OPTIMAL,     //!< proven optimal (within CBC's tolerances)
    TIME_LIMIT,  //!< stopped at the time limit with a solution (bound < objective)
    NO_SOLUTION, //!< stopped at the time limit without any solution
    INFEASIBLE,  //!< no placement meets the hard constraints
};

/// \ingroup aisfc \brief \return "optimal", "time limit", "no solution" or "infeasible"
std::string PlacementIlpStatusName(PlacementIlpStatus status);

/// \ingroup aisfc Parameters of the exact slot optimum.
struct PlacementIlpOptions
{
    double timeLimit = 60;         //!< seconds CBC may take
    double rejectionPenalty = 100; //!< added to the objective per rejected request
    bool linkCapacity = true;      //!< enforce eq. 11 on the fixed paths
};

/// \ingroup aisfc The outcome of a PlacementIlp solve.
struct PlacementIlpResult
{
    PlacementDecision decision;   //!< the placement and assignment (valid unless no solution)
    PlacementLinkMapping mapping; //!< the fixed least-delay paths the model priced
    double objective = 0; //!< alpha (IT + BW) + beta rec + penalty x rejected, as CBC found it
    double bound = 0;     //!< CBC's best bound on the objective
    PlacementIlpStatus status = PlacementIlpStatus::NO_SOLUTION; //!< how it ended
    double seconds = 0;                                          //!< wall time of the solve
    uint32_t variables = 0;                                      //!< columns of the model
    uint32_t constraints = 0;                                    //!< rows of the model

    /// \brief \return whether there is a decision (optimal or time limit)
    bool HasSolution() const;
};

/**
 * \ingroup aisfc
 * The exact optimum of one slot, by COIN-OR CBC (registered as "ilp"): binary placement of
 * every instance on a statically allowed host slot (the filters prune the variables), binary
 * assignment of every request position, storage (eq. 7, in the accountant's own rounding),
 * processing (eq. 10), placement (eq. 8), assignment (eq. 9), link capacity (eq. 11) and
 * deadlines (eq. 16, with an acceptance binary per request); objective eq. 1 plus a penalty
 * per rejected request.  Virtual links take the fixed least-delay path between their ends
 * (the ILP chooses placement and assignment, not routes): with those paths as the mapping,
 * the evaluator's total cost plus the penalty equals the objective.  Formulation in
 * doc/placement.rst ("Policies").  For small instances (tens of requests).
 *
 * Parameters: {"timeLimit": 60, "rejectionPenalty": 100, "linkCapacity": true}.
 */
class PlacementIlp : public PlacementPolicy
{
  public:
    /// \brief An ILP policy with these options.
    explicit PlacementIlp(const PlacementIlpOptions& options = PlacementIlpOptions());

    std::string GetName() const override;
    /// \brief The ILP's decision; when it has none (infeasible, or no solution in time), the
    /// LAG heuristic's.
    PlacementDecision Decide(const PlacementProblem& problem,
                             uint32_t slot,
                             const PlacementDeployment& previous,
                             const PlacementAssignment& previousAssignment,
                             std::mt19937_64& rng) override;

    /**
     * \brief Build and solve the slot's model.
     * \param problem the problem
     * \param slot the slot
     * \param previous the deployment of the slot before (reconfiguration is priced from it)
     * \return the decision, the fixed-path mapping, objective, bound, status and time
     */
    PlacementIlpResult Solve(const PlacementProblem& problem,
                             uint32_t slot,
                             const PlacementDeployment& previous) const;

    /// \brief \return the ILP's objective of an evaluated configuration: its total cost plus
    /// the penalty per rejected request
    static double Objective(const PlacementSlotResult& result, double rejectionPenalty);

    /// \brief \return the options
    const PlacementIlpOptions& GetOptions() const;

  private:
    PlacementIlpOptions m_options;
};

} // namespace ns3

#endif // PLACEMENT_ILP_H
