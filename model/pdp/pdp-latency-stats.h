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
 * A latency distribution in constant memory, for telemetry kept over millions of events:
 * count, mean, min, max, and quantiles from a histogram of 10 ns bins up to 1 ms (quantiles
 * are exact to the bin; beyond 1 ms they report the maximum).
 */
class PdpLatencyStats
{
  public:
    static constexpr double BIN_SECONDS = 10e-9; //!< histogram resolution
    static constexpr uint32_t BINS = 100000;     //!< 1 ms of 10 ns bins

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
    /// \brief \return the q-quantile (0 <= q <= 1) in seconds, as the upper edge of its bin
    /// (never above Max()); 0 when empty
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
