/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-units.h"

#include "aisfc-error.h"

#include <charconv>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <utility>
#include <vector>

namespace ns3
{

namespace
{

struct Unit
{
    const char* name;
    double factor;
};

// Longest names first is not needed: units are matched whole, after the number.
const std::vector<Unit> RATE_UNITS = {
    {"bps", 1},    {"b/s", 1},    {"kbps", 1e3}, {"Kbps", 1e3}, {"kb/s", 1e3},
    {"Mbps", 1e6}, {"Mb/s", 1e6}, {"Gbps", 1e9}, {"Gb/s", 1e9}, {"Tbps", 1e12},
    {"Bps", 8},    {"B/s", 8},    {"kBps", 8e3}, {"KBps", 8e3}, {"KB/s", 8e3},
    {"MBps", 8e6}, {"MB/s", 8e6}, {"GBps", 8e9}, {"GB/s", 8e9},
};

const std::vector<Unit> TIME_UNITS = {
    {"s", 1},
    {"ms", 1e-3},
    {"us", 1e-6},
    {"ns", 1e-9},
    {"ps", 1e-12},
};

// Decimal (kB, MB, GB: SI) and binary (KiB, MiB, GiB) multiples, as storage vendors print them.
const std::vector<Unit> BYTE_UNITS = {
    {"B", 1},
    {"kB", 1e3},
    {"KB", 1e3},
    {"MB", 1e6},
    {"GB", 1e9},
    {"TB", 1e12},
    {"KiB", 1024.0},
    {"MiB", 1048576.0},
    {"GiB", 1073741824.0},
    {"TiB", 1099511627776.0},
};

std::string
Trim(const std::string& s)
{
    size_t b = s.find_first_not_of(" \t");
    size_t e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// Splits "2.5 Gbps" into 2.5 and "Gbps"; false when there is no number in front.
bool
SplitNumberUnit(const std::string& text, double& number, std::string& unit)
{
    std::string t = Trim(text);
    const char* first = t.data();
    const char* last = t.data() + t.size();
    auto [ptr, ec] = std::from_chars(first, last, number);
    if (ec != std::errc() || !std::isfinite(number))
    {
        return false;
    }
    unit = Trim(std::string(ptr, last));
    return true;
}

double
ParseWithUnits(const std::string& text,
               const std::string& place,
               const std::vector<Unit>& units,
               double defaultFactor,
               const char* kind,
               const char* examples)
{
    double number = 0;
    std::string unit;
    if (!SplitNumberUnit(text, number, unit))
    {
        throw AisfcInputError(place,
                              "'" + text + "' is not a " + kind + " (examples: " + examples + ")");
    }
    double factor = defaultFactor;
    if (!unit.empty())
    {
        factor = 0;
        for (const auto& u : units)
        {
            if (unit == u.name)
            {
                factor = u.factor;
            }
        }
        if (factor == 0)
        {
            throw AisfcInputError(place,
                                  "unknown unit '" + unit + "' in '" + text +
                                      "' (examples: " + examples + ")");
        }
    }
    return number * factor;
}

// Shortest decimal text that reads back to exactly the same double.
std::string
ShortestExact(double v)
{
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    return std::string(buf, ec == std::errc() ? end : buf);
}

// The largest unit whose text reads back to exactly the same value, else the plain base unit.
std::string
FormatWithUnits(double value, const std::vector<Unit>& units, const char* baseName)
{
    for (const auto& u : units)
    {
        if (std::fabs(value) < u.factor)
        {
            continue;
        }
        std::string text = ShortestExact(value / u.factor);
        double back = 0;
        std::from_chars(text.data(), text.data() + text.size(), back);
        if (back * u.factor == value)
        {
            return text + u.name;
        }
    }
    return ShortestExact(value) + baseName;
}

} // namespace

double
ParseDataRateBps(const std::string& text, const std::string& place)
{
    double bps =
        ParseWithUnits(text, place, RATE_UNITS, 1, "data rate", "\"10Gbps\", \"100Mbps\", 1e9");
    if (!(bps > 0))
    {
        throw AisfcInputError(place, "data rate '" + text + "' must be positive");
    }
    return bps;
}

double
ParseDurationSeconds(const std::string& text, const std::string& place)
{
    double s = ParseWithUnits(text, place, TIME_UNITS, 1, "duration", "\"2ms\", \"1.5s\", 0.001");
    if (s < 0)
    {
        throw AisfcInputError(place, "duration '" + text + "' must not be negative");
    }
    return s;
}

uint64_t
ParseBytes(const std::string& text, const std::string& place)
{
    double bytes =
        ParseWithUnits(text, place, BYTE_UNITS, 1, "size in bytes", "\"64MB\", \"4GiB\", 1024");
    // 2^63: beyond any memory and still exact in a double's range for the check below.
    if (!(bytes >= 0) || bytes > 9.2e18 || bytes != std::floor(bytes))
    {
        throw AisfcInputError(place, "size '" + text + "' must be a whole number of bytes >= 0");
    }
    return static_cast<uint64_t>(bytes);
}

std::string
FormatDataRate(double bps)
{
    return FormatWithUnits(bps,
                           {{"Tbps", 1e12}, {"Gbps", 1e9}, {"Mbps", 1e6}, {"kbps", 1e3}},
                           "bps");
}

std::string
FormatDuration(double seconds)
{
    if (seconds == 0)
    {
        return "0s";
    }
    return FormatWithUnits(seconds, {{"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}}, "s");
}

unsigned long
ParseCount(const std::string& text,
           const std::string& place,
           unsigned long minimum,
           unsigned long maximum)
{
    unsigned long value = 0;
    const char* last = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), last, value);
    if (text.empty() || ec != std::errc() || ptr != last)
    {
        throw AisfcInputError(place, "'" + text + "' is not a whole number");
    }
    if (value < minimum || value > maximum)
    {
        throw AisfcInputError(place,
                              std::to_string(value) + " is out of range [" +
                                  std::to_string(minimum) + ", " + std::to_string(maximum) + "]");
    }
    return value;
}

std::string
FormatFixed(double v, int digits)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(digits) << v;
    return os.str();
}

} // namespace ns3
