/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PDP_LATENCY_STATS_H
#define PDP_LATENCY_STATS_H

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * A latency distribution in constant, small memory (16 KiB once used), for telemetry kept over
 * millions of events at every switch: count, mean, min, max, and quantiles from a histogram of
 * logarithmic bins 1% wide from 1 ns to 1000 s (as HdrHistogram does), so a quantile is within
 * 1% of the exact one, and never above the maximum.
 */
class PdpLatencyStats
{
  public:
    static constexpr double FIRST_EDGE_SECONDS = 1e-9; //!< bin 0 holds everything below
    static constexpr double BIN_RATIO = 1.01;          //!< upper / lower edge of a bin
    static constexpr uint32_t BINS = 2800;             //!< up to about 1000 s

    /// \brief Record one latency in seconds.
    void Add(double seconds);
    /// \brief \return how many were recorded
    uint64_t Count() const;
    /// \brief \return the mean in seconds (0 when empty)
    double Mean() const;
    /// \brief \return the smallest (0 when empty)
    double Min() const;
    /// \brief \return the largest (0 when empty)
    double Max() const;
    /// \brief \return the q-quantile (0 <= q <= 1) in seconds: the upper edge of its bin, at
    /// most Max() and at least Min(); 0 when empty
    double Quantile(double q) const;

  private:
    uint64_t m_count = 0;
    double m_sum = 0;
    double m_min = 0;
    double m_max = 0;
    std::vector<uint64_t> m_bins; //!< allocated on the first Add
    uint64_t m_overflow = 0;
};

} // namespace ns3

#endif
