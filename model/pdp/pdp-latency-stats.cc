/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pdp-latency-stats.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

void
PdpLatencyStats::Add(double seconds)
{
    if (m_bins.empty())
    {
        m_bins.assign(BINS, 0);
    }
    m_min = m_count == 0 ? seconds : std::min(m_min, seconds);
    m_max = m_count == 0 ? seconds : std::max(m_max, seconds);
    ++m_count;
    m_sum += seconds;
    if (seconds < FIRST_EDGE_SECONDS)
    {
        ++m_bins[0];
        return;
    }
    double bin = 1 + std::floor(std::log(seconds / FIRST_EDGE_SECONDS) / std::log(BIN_RATIO));
    if (bin < BINS)
    {
        ++m_bins[static_cast<size_t>(bin)];
    }
    else
    {
        ++m_overflow;
    }
}

uint64_t
PdpLatencyStats::Count() const
{
    return m_count;
}

double
PdpLatencyStats::Mean() const
{
    return m_count ? m_sum / m_count : 0;
}

double
PdpLatencyStats::Min() const
{
    return m_min;
}

double
PdpLatencyStats::Max() const
{
    return m_max;
}

double
PdpLatencyStats::Quantile(double q) const
{
    if (m_count == 0)
    {
        return 0;
    }
    // The rank of the q-quantile among the sorted samples (1-based, nearest rank).
    auto rank = static_cast<uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * m_count));
    rank = std::max<uint64_t>(rank, 1);
    uint64_t seen = 0;
    for (uint32_t b = 0; b < BINS; ++b)
    {
        seen += m_bins[b];
        if (seen >= rank)
        {
            double upper = FIRST_EDGE_SECONDS * std::pow(BIN_RATIO, b);
            return std::clamp(upper, m_min, m_max);
        }
    }
    return m_max;
}

} // namespace ns3
