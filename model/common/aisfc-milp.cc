/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-milp.h"

#include <chrono>
#include <coin/Cbc_C_Interface.h>
#include <memory>

namespace ns3
{

namespace
{

struct CbcDeleter
{
    void operator()(Cbc_Model* m) const
    {
        Cbc_deleteModel(m);
    }
};

} // namespace

void
AisfcMilpRow::Add(int col, double coef)
{
    if (coef != 0)
    {
        cols.push_back(col);
        coefs.push_back(coef);
    }
}

bool
AisfcMilpSolution::HasSolution() const
{
    return status == AisfcMilpStatus::OPTIMAL || status == AisfcMilpStatus::TIME_LIMIT;
}

int
AisfcMilp::Col(double lower, double upper, double objective, bool integer)
{
    m_lower.push_back(lower);
    m_upper.push_back(upper);
    m_objective.push_back(objective);
    m_integer.push_back(integer ? 1 : 0);
    return int(m_lower.size()) - 1;
}

void
AisfcMilp::SetUpper(int col, double upper)
{
    m_upper.at(col) = upper;
}

void
AisfcMilp::AddRow(AisfcMilpRow row)
{
    m_rows.push_back(std::move(row));
}

size_t
AisfcMilp::Columns() const
{
    return m_lower.size();
}

size_t
AisfcMilp::Rows() const
{
    return m_rows.size();
}

AisfcMilpSolution
AisfcMilp::Minimize(double timeLimit) const
{
    auto start = std::chrono::steady_clock::now();
    std::unique_ptr<Cbc_Model, CbcDeleter> cbc(Cbc_newModel());
    Cbc_setLogLevel(cbc.get(), 0);
    for (size_t c = 0; c < m_lower.size(); ++c)
    {
        Cbc_addCol(cbc.get(),
                   "",
                   m_lower[c],
                   m_upper[c],
                   m_objective[c],
                   m_integer[c],
                   0,
                   nullptr,
                   nullptr);
    }
    for (const AisfcMilpRow& row : m_rows)
    {
        Cbc_addRow(cbc.get(),
                   "",
                   row.cols.size(),
                   row.cols.data(),
                   row.coefs.data(),
                   row.sense,
                   row.rhs);
    }
    Cbc_setObjSense(cbc.get(), 1);
    Cbc_setMaximumSeconds(cbc.get(), timeLimit);
    Cbc_setAllowableGap(cbc.get(), 1e-9);
    Cbc_setAllowableFractionGap(cbc.get(), 1e-9);
    Cbc_solve(cbc.get());

    AisfcMilpSolution s;
    const double* sol = Cbc_getColSolution(cbc.get());
    bool hasSolution = sol != nullptr && Cbc_bestSolution(cbc.get()) != nullptr;
    if (Cbc_isProvenOptimal(cbc.get()) && hasSolution)
    {
        s.status = AisfcMilpStatus::OPTIMAL;
    }
    else if (Cbc_isProvenInfeasible(cbc.get()))
    {
        s.status = AisfcMilpStatus::INFEASIBLE;
    }
    else
    {
        s.status = hasSolution ? AisfcMilpStatus::TIME_LIMIT : AisfcMilpStatus::NO_SOLUTION;
    }
    if (s.HasSolution())
    {
        const double* best = Cbc_bestSolution(cbc.get());
        s.values.assign(best, best + m_lower.size());
        s.objective = Cbc_getObjValue(cbc.get());
        s.bound = Cbc_getBestPossibleObjValue(cbc.get());
    }
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return s;
}

} // namespace ns3
