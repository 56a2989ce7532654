/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_UNITS_H
#define AISFC_UNITS_H

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup aisfc
 * \brief Parse a data rate such as "10Gbps", "2.5 Mbps", "100kb/s", "1GB/s" or a plain number
 * of bits per second.
 * \param text the value to parse
 * \param place where the value comes from, for the error message
 * \return bits per second (> 0)
 * \throws AisfcInputError naming place when text is not a positive rate
 */
double ParseDataRateBps(const std::string& text, const std::string& place);

/**
 * \ingroup aisfc
 * \brief Parse a duration such as "2ms", "1.5 s", "300us", "40ns" or a plain number of seconds.
 * \param text the value to parse
 * \param place where the value comes from, for the error message
 * \return seconds (>= 0)
 * \throws AisfcInputError naming place when text is not a non-negative duration
 */
double ParseDurationSeconds(const std::string& text, const std::string& place);

/**
 * \ingroup aisfc
 * \brief Parse a size such as "64MB", "4GiB", "512 KiB" or a plain number of bytes (kB/MB/GB
 * are powers of 1000, KiB/MiB/GiB powers of 1024).
 * \param text the value to parse
 * \param place where the value comes from, for the error message
 * \return bytes
 * \throws AisfcInputError naming place when text is not a whole, non-negative size
 */
uint64_t ParseBytes(const std::string& text, const std::string& place);

/**
 * \ingroup aisfc
 * \brief Format bits per second the way ParseDataRateBps reads it back ("10Gbps", "2.5Mbps").
 * \param bps the rate
 * \return the shortest exact text for the rate
 */
std::string FormatDataRate(double bps);

/**
 * \ingroup aisfc
 * \brief Format seconds the way ParseDurationSeconds reads it back ("1ms", "2.5us").
 * \param seconds the duration
 * \return the shortest exact text for the duration
 */
std::string FormatDuration(double seconds);

/// \ingroup aisfc \brief \return v with `digits` digits after the point ("0.7962"), for tables
std::string FormatFixed(double v, int digits);

/**
 * \ingroup aisfc
 * \brief Parse a whole decimal number (digits only, no sign, no spaces).
 * \param text the value to parse
 * \param place where the value comes from, for the error message
 * \param minimum smallest value accepted
 * \param maximum largest value accepted
 * \return the number
 * \throws AisfcInputError naming place when text is not a number within the bounds
 */
unsigned long ParseCount(const std::string& text,
                         const std::string& place,
                         unsigned long minimum,
                         unsigned long maximum);

} // namespace ns3

#endif // AISFC_UNITS_H
