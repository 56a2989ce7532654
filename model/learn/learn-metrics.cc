/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "learn-metrics.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace ns3
{

LearnConfusionMatrix::LearnConfusionMatrix(size_t classes)
    : m_counts(Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(classes),
                                     static_cast<Eigen::Index>(classes))),
      m_present(classes, false)
{
    if (classes == 0)
    {
        throw std::invalid_argument("LearnConfusionMatrix: no class");
    }
}

LearnConfusionMatrix
LearnConfusionMatrix::From(const std::vector<int>& truth,
                           const std::vector<int>& predicted,
                           size_t classes,
                           const std::vector<double>& sampleWeight)
{
    if (truth.size() != predicted.size() ||
        (!sampleWeight.empty() && sampleWeight.size() != truth.size()))
    {
        throw std::invalid_argument("LearnConfusionMatrix::From: " + std::to_string(truth.size()) +
                                    " true labels, " + std::to_string(predicted.size()) +
                                    " predictions, " + std::to_string(sampleWeight.size()) +
                                    " weights");
    }
    LearnConfusionMatrix m(classes);
    for (size_t i = 0; i < truth.size(); ++i)
    {
        m.Add(truth[i], predicted[i], sampleWeight.empty() ? 1.0 : sampleWeight[i]);
    }
    return m;
}

void
LearnConfusionMatrix::Add(int truth, int predicted, double weight)
{
    const auto k = static_cast<int>(m_present.size());
    if (truth < 0 || truth >= k || predicted < 0 || predicted >= k)
    {
        throw std::invalid_argument("LearnConfusionMatrix::Add: class " + std::to_string(truth) +
                                    " or " + std::to_string(predicted) + " is not in [0, " +
                                    std::to_string(k) + ")");
    }
    if (!(weight >= 0.0) || !std::isfinite(weight))
    {
        throw std::invalid_argument("LearnConfusionMatrix::Add: weight is negative or not finite");
    }
    m_counts(truth, predicted) += weight;
    m_present[static_cast<size_t>(truth)] = true;
    m_present[static_cast<size_t>(predicted)] = true;
}

size_t
LearnConfusionMatrix::ClassCount() const
{
    return m_present.size();
}

const Eigen::MatrixXd&
LearnConfusionMatrix::GetMatrix() const
{
    return m_counts;
}

void
LearnConfusionMatrix::Check(size_t c, const char* where) const
{
    if (c >= m_present.size())
    {
        throw std::out_of_range(std::string("LearnConfusionMatrix::") + where + ": class " +
                                std::to_string(c) + " out of range");
    }
}

bool
LearnConfusionMatrix::IsPresent(size_t c) const
{
    Check(c, "IsPresent");
    return m_present[c];
}

double
LearnConfusionMatrix::Total() const
{
    return m_counts.sum();
}

double
LearnConfusionMatrix::Precision(size_t c) const
{
    Check(c, "Precision");
    const auto i = static_cast<Eigen::Index>(c);
    const double predicted = m_counts.col(i).sum();
    return predicted > 0.0 ? m_counts(i, i) / predicted : 0.0;
}

double
LearnConfusionMatrix::Recall(size_t c) const
{
    Check(c, "Recall");
    const auto i = static_cast<Eigen::Index>(c);
    const double actual = m_counts.row(i).sum();
    return actual > 0.0 ? m_counts(i, i) / actual : 0.0;
}

double
LearnConfusionMatrix::F1(size_t c) const
{
    const double p = Precision(c);
    const double r = Recall(c);
    return p + r > 0.0 ? 2.0 * p * r / (p + r) : 0.0;
}

double
LearnConfusionMatrix::Support(size_t c) const
{
    Check(c, "Support");
    return m_counts.row(static_cast<Eigen::Index>(c)).sum();
}

std::vector<double>
LearnConfusionMatrix::PerClassF1() const
{
    std::vector<double> f(m_present.size());
    for (size_t c = 0; c < f.size(); ++c)
    {
        f[c] = F1(c);
    }
    return f;
}

double
LearnConfusionMatrix::MacroF1() const
{
    double sum = 0.0;
    size_t present = 0;
    for (size_t c = 0; c < m_present.size(); ++c)
    {
        if (m_present[c])
        {
            sum += F1(c);
            ++present;
        }
    }
    return present > 0 ? sum / static_cast<double>(present) : 0.0;
}

double
LearnConfusionMatrix::WeightedF1() const
{
    double sum = 0.0;
    double support = 0.0;
    for (size_t c = 0; c < m_present.size(); ++c)
    {
        if (m_present[c])
        {
            sum += Support(c) * F1(c);
            support += Support(c);
        }
    }
    return support > 0.0 ? sum / support : 0.0;
}

double
LearnConfusionMatrix::MicroF1() const
{
    // Pooled over the present classes: tp = trace, tp + fp = tp + fn = total.
    const double total = Total();
    const double p = total > 0.0 ? m_counts.trace() / total : 0.0;
    return p; // 2 p p / (p + p) = p, and 0 when p = 0
}

double
LearnConfusionMatrix::Accuracy() const
{
    const double total = Total();
    return total > 0.0 ? m_counts.trace() / total : 0.0;
}

} // namespace ns3
