/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LEARN_METRICS_H
#define LEARN_METRICS_H

#include <Eigen/Dense>
#include <cstddef>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * A confusion matrix of a classifier over classes 0..K-1 (rows: true class, columns: predicted
 * class) with the scores scikit-learn's precision_recall_fscore_support, f1_score and
 * accuracy_score compute from it, zero_division=0: a precision, recall or F1 whose denominator
 * is 0 counts as 0.
 *
 * Averages run, as scikit-learn's with labels=None, over the classes that occur as a true or a
 * predicted label of at least one sample added (whatever its weight); a class that never occurs
 * is left out of the macro and weighted means rather than counted as F1 = 0.
 */
class LearnConfusionMatrix
{
  public:
    /**
     * \brief An empty matrix.
     * \param classes number of classes, > 0
     * \throws std::invalid_argument on 0 classes
     */
    explicit LearnConfusionMatrix(size_t classes);

    /**
     * \brief The matrix of a set of predictions.
     * \param truth true class per sample
     * \param predicted predicted class per sample
     * \param classes number of classes
     * \param sampleWeight one weight >= 0 per sample, or empty for all 1
     * \return the matrix
     * \throws std::invalid_argument on a size mismatch, a class out of range or a bad weight
     */
    static LearnConfusionMatrix From(const std::vector<int>& truth,
                                     const std::vector<int>& predicted,
                                     size_t classes,
                                     const std::vector<double>& sampleWeight = {});

    /**
     * \brief Count one sample.
     * \param truth its true class
     * \param predicted its predicted class
     * \param weight its weight, >= 0 and finite
     * \throws std::invalid_argument on a class out of range or a bad weight
     */
    void Add(int truth, int predicted, double weight = 1.0);

    /// \brief \return the number of classes
    size_t ClassCount() const;

    /// \brief \return the weighted counts, classes x classes, rows true, columns predicted
    const Eigen::MatrixXd& GetMatrix() const;

    /**
     * \brief \return true when the class occurred as a true or predicted label
     * \param c class
     */
    bool IsPresent(size_t c) const;

    /// \brief \return the total weight counted
    double Total() const;

    /**
     * \brief \return tp / (tp + fp) of one class, 0 when nothing was predicted as it
     * \param c class
     */
    double Precision(size_t c) const;

    /**
     * \brief \return tp / (tp + fn) of one class, 0 when it has no true sample
     * \param c class
     */
    double Recall(size_t c) const;

    /**
     * \brief \return 2 P R / (P + R) of one class, 0 when P + R = 0
     * \param c class
     */
    double F1(size_t c) const;

    /**
     * \brief \return the weight of the true samples of one class (scikit-learn's support)
     * \param c class
     */
    double Support(size_t c) const;

    /// \brief \return F1 of every class (0 for classes never present), DUNE's vector f
    std::vector<double> PerClassF1() const;

    /// \brief \return the mean F1 of the present classes (0 when none)
    double MacroF1() const;

    /// \brief \return the support-weighted mean F1 of the present classes (0 for no support)
    double WeightedF1() const;

    /// \brief \return F1 of the pooled counts, equal to the accuracy for single-label data
    double MicroF1() const;

    /// \brief \return the weight on the diagonal over the total (0 when empty)
    double Accuracy() const;

  private:
    /// Check a class index.
    void Check(size_t c, const char* where) const;

    Eigen::MatrixXd m_counts;    //!< weighted counts, rows true, columns predicted
    std::vector<bool> m_present; //!< occurred as a true or predicted label
};

} // namespace ns3

#endif // LEARN_METRICS_H
