/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_MILP_H
#define AISFC_MILP_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/// \ingroup aisfc One linear constraint: sum coef x col (sense) rhs.
struct AisfcMilpRow
{
    std::vector<int> cols;     //!< column indices
    std::vector<double> coefs; //!< one per column
    char sense = 'L';          //!< 'L' (<=), 'G' (>=) or 'E' (=)
    double rhs = 0;            //!< right-hand side

    /// \brief Add coef x col (zero coefficients are left out).
    void Add(int col, double coef);
};

/// \ingroup aisfc How a solve ended.
enum class AisfcMilpStatus : uint8_t
{
    OPTIMAL,     //!< proven optimal (within the solver's tolerances)
    TIME_LIMIT,  //!< stopped at the time limit with a solution
    NO_SOLUTION, //!< stopped at the time limit without any solution
    INFEASIBLE,  //!< no solution exists
};

/// \ingroup aisfc What a solve found.
struct AisfcMilpSolution
{
    AisfcMilpStatus status = AisfcMilpStatus::NO_SOLUTION; //!< how it ended
    double objective = 0;                                  //!< of the best solution
    double bound = 0;                                      //!< the solver's best bound
    std::vector<double> values;                            //!< one per column
    double seconds = 0;                                    //!< wall time

    /// \brief \return whether there is a solution (optimal or time limit)
    bool HasSolution() const;
};

/**
 * \ingroup aisfc
 * A mixed-integer linear program solved by COIN-OR CBC (Debian coinor-libcbc-dev, its C
 * interface): the one binding to the solver, used by every exact method in aisfc (placement's
 * slot optimum, DUNE's partition).  Build with Col and rows, then Minimize; CBC runs
 * single-threaded and silent.
 */
class AisfcMilp
{
  public:
    /// \brief Add a column. \return its index
    int Col(double lower, double upper, double objective, bool integer);
    /// \brief Change a column's upper bound (fix a binary to 0).
    void SetUpper(int col, double upper);
    /// \brief Add a row (kept even when empty: an empty 'E' row with rhs 1 is infeasible).
    void AddRow(AisfcMilpRow row);
    /// \brief \return the number of columns
    size_t Columns() const;
    /// \brief \return the number of rows
    size_t Rows() const;
    /// \brief Minimise the objective within a time limit (seconds). \return the outcome
    AisfcMilpSolution Minimize(double timeLimit) const;

  private:
    std::vector<double> m_lower;
    std::vector<double> m_upper;
    std::vector<double> m_objective;
    std::vector<char> m_integer;
    std::vector<AisfcMilpRow> m_rows;
};

} // namespace ns3

#endif // AISFC_MILP_H
