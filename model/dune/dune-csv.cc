/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dune-csv.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>
#include <unordered_map>

namespace ns3
{

namespace
{

std::string
Lower(const std::string& s)
{
    std::string out = s;
    for (char& c : out)
    {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

/// A column name reduced for loose matching: lower case, without spaces, '_' and '.'.
std::string
Loose(const std::string& s)
{
    std::string out;
    for (char c : s)
    {
        if (c != ' ' && c != '_' && c != '.' && c != '\t')
        {
            out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
    }
    return out;
}

std::string
Quote(const std::string& cell)
{
    return "'" + (cell.size() > 40 ? cell.substr(0, 40) + "..." : cell) + "'";
}

/// Locale-independent full-cell parse; accepts inf, infinity and nan in any case, as
/// CICFlowMeter's "Infinity" and "NaN".
bool
ParseDouble(const std::string& cell, double& value)
{
    const char* first = cell.data();
    const char* last = cell.data() + cell.size();
    if (first != last && *first == '+')
    {
        ++first;
    }
    if (first == last)
    {
        return false;
    }
    const auto result = std::from_chars(first, last, value);
    return result.ec == std::errc() && result.ptr == last;
}

bool
ParseUnsigned(const std::string& cell, uint64_t max, uint64_t& value)
{
    if (cell.empty())
    {
        return false;
    }
    const auto result = std::from_chars(cell.data(), cell.data() + cell.size(), value);
    return result.ec == std::errc() && result.ptr == cell.data() + cell.size() && value <= max;
}

bool
ParseMac(const std::string& text, std::array<uint8_t, 6>& mac)
{
    if (text.size() != 17)
    {
        return false;
    }
    for (size_t i = 0; i < 6; ++i)
    {
        if (i > 0 && text[3 * i - 1] != ':' && text[3 * i - 1] != '-')
        {
            return false;
        }
        unsigned v = 0;
        for (size_t k = 0; k < 2; ++k)
        {
            const char c =
                static_cast<char>(std::tolower(static_cast<unsigned char>(text[3 * i + k])));
            if (!std::isxdigit(static_cast<unsigned char>(c)))
            {
                return false;
            }
            v = v * 16 + static_cast<unsigned>(c <= '9' ? c - '0' : c - 'a' + 10);
        }
        mac[i] = static_cast<uint8_t>(v);
    }
    return true;
}

std::string
ColumnList(const std::vector<std::string>& header)
{
    std::string list;
    for (size_t i = 0; i < header.size() && i < 12; ++i)
    {
        list += (i ? ", " : "") + header[i];
    }
    if (header.size() > 12)
    {
        list += ", ... (" + std::to_string(header.size()) + " columns)";
    }
    return list;
}

/// The first of some names that the header has, or -1.
int
FindAny(const DuneCsvReader& reader, std::initializer_list<const char*> names)
{
    for (const char* name : names)
    {
        const int c = reader.Find(name);
        if (c >= 0)
        {
            return c;
        }
    }
    return -1;
}

} // namespace

DuneCsvReader::DuneCsvReader(const std::string& path, char delimiter, uint64_t maxFileBytes)
    : m_path(path),
      m_delimiter(delimiter)
{
    CheckInputFile(path, maxFileBytes);
    m_in.open(path, std::ios::binary);
    if (!m_in)
    {
        throw AisfcInputError(path, "cannot open file");
    }
    std::string line;
    while (std::getline(m_in, line))
    {
        ++m_line;
        if (m_line == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0)
        {
            line.erase(0, 3);
        }
        if (!line.empty() && line.back() == '\r')
        {
            line.pop_back();
        }
        if (AisfcTrim(line).empty())
        {
            continue;
        }
        m_headerLine = m_line;
        m_header = Split(line);
        break;
    }
    if (m_headerLine == 0)
    {
        throw AisfcInputError(path, "empty file: no header line");
    }
    // pandas' naming of repeated columns, so that names match what DUNE's scripts saw.
    std::unordered_map<std::string, int> seen;
    for (std::string& name : m_header)
    {
        const int n = seen[name]++;
        if (n > 0)
        {
            name += "." + std::to_string(n);
        }
    }
}

const std::vector<std::string>&
DuneCsvReader::Header() const
{
    return m_header;
}

int
DuneCsvReader::Find(const std::string& name) const
{
    for (size_t i = 0; i < m_header.size(); ++i)
    {
        if (m_header[i] == name)
        {
            return static_cast<int>(i);
        }
    }
    const std::string loose = Loose(name);
    for (size_t i = 0; i < m_header.size(); ++i)
    {
        if (Loose(m_header[i]) == loose)
        {
            return static_cast<int>(i);
        }
    }
    return -1;
}

std::vector<std::string>
DuneCsvReader::Split(const std::string& line) const
{
    std::vector<std::string> cells;
    size_t i = 0;
    while (true)
    {
        // Leading blanks before a quote are allowed.
        size_t j = i;
        while (j < line.size() && (line[j] == ' ' || line[j] == '\t'))
        {
            ++j;
        }
        if (j < line.size() && line[j] == '"')
        {
            std::string cell;
            size_t k = j + 1;
            while (true)
            {
                if (k >= line.size())
                {
                    throw AisfcInputError(m_path + ":" + std::to_string(m_line),
                                          "column " + std::to_string(cells.size() + 1) +
                                              ": unterminated quote (a quoted field cannot "
                                              "span lines)");
                }
                if (line[k] == '"')
                {
                    if (k + 1 < line.size() && line[k + 1] == '"')
                    {
                        cell.push_back('"');
                        k += 2;
                        continue;
                    }
                    ++k;
                    break;
                }
                cell.push_back(line[k++]);
            }
            const size_t end = line.find(m_delimiter, k);
            const std::string rest =
                AisfcTrim(line.substr(k, end == std::string::npos ? std::string::npos : end - k));
            if (!rest.empty())
            {
                throw AisfcInputError(m_path + ":" + std::to_string(m_line),
                                      "column " + std::to_string(cells.size() + 1) +
                                          ": text after a closing quote");
            }
            cells.push_back(cell);
            if (end == std::string::npos)
            {
                break;
            }
            i = end + 1;
            continue;
        }
        const size_t end = line.find(m_delimiter, i);
        cells.push_back(
            AisfcTrim(line.substr(i, end == std::string::npos ? std::string::npos : end - i)));
        if (end == std::string::npos)
        {
            break;
        }
        i = end + 1;
    }
    return cells;
}

bool
DuneCsvReader::Next(std::vector<std::string>& cells)
{
    std::string line;
    while (std::getline(m_in, line))
    {
        ++m_line;
        if (!line.empty() && line.back() == '\r')
        {
            line.pop_back();
        }
        if (AisfcTrim(line).empty())
        {
            continue;
        }
        cells = Split(line);
        if (cells.size() != m_header.size())
        {
            throw AisfcInputError(m_path + ":" + std::to_string(m_line),
                                  std::to_string(cells.size()) + " cells, expected " +
                                      std::to_string(m_header.size()) +
                                      " as in the header on line " + std::to_string(m_headerLine));
        }
        return true;
    }
    if (m_in.bad())
    {
        throw AisfcInputError(m_path + ":" + std::to_string(m_line + 1), "read error");
    }
    return false;
}

std::string
DuneCsvReader::HeaderPlace() const
{
    return m_path + ":" + std::to_string(m_headerLine);
}

std::string
DuneCsvReader::Place(size_t column) const
{
    return m_path + ":" + std::to_string(m_line) + ": column " + std::to_string(column + 1) +
           " ('" + (column < m_header.size() ? m_header[column] : std::string("?")) + "')";
}

const std::string&
DuneCsvReader::Path() const
{
    return m_path;
}

std::string
DuneCsvSummary::ToString() const
{
    std::string text = std::to_string(rows) + " rows, " + std::to_string(kept) + " kept";
    if (droppedRows > 0)
    {
        text += ", " + std::to_string(droppedRows) + " dropped for Infinity/NaN/empty cells";
    }
    if (replacedInfinity + replacedNan > 0)
    {
        text += ", replaced " + std::to_string(replacedInfinity) + " Infinity and " +
                std::to_string(replacedNan) + " NaN/empty cells";
    }
    if (!droppedColumns.empty())
    {
        text += "; columns dropped:";
        for (size_t i = 0; i < droppedColumns.size(); ++i)
        {
            text += (i ? ", " : " ") + droppedColumns[i];
        }
    }
    return text;
}

DuneDataset
DuneReadFlowCsv(const std::string& path, const DuneCsvOptions& options, DuneCsvSummary* summary)
{
    DuneCsvReader reader(path, options.delimiter, options.maxFileBytes);
    const std::vector<std::string>& header = reader.Header();
    const int labelColumn = reader.Find(options.labelColumn);
    if (labelColumn < 0)
    {
        throw AisfcInputError(reader.HeaderPlace(),
                              "no label column '" + options.labelColumn +
                                  "' (columns: " + ColumnList(header) + ")");
    }
    int weightColumn = -1;
    if (!options.weightColumn.empty())
    {
        weightColumn = reader.Find(options.weightColumn);
        if (weightColumn < 0)
        {
            throw AisfcInputError(reader.HeaderPlace(),
                                  "no weight column '" + options.weightColumn +
                                      "' (columns: " + ColumnList(header) + ")");
        }
    }
    DuneCsvSummary counts;
    std::vector<size_t> featureColumns;
    if (!options.featureColumns.empty())
    {
        for (const std::string& name : options.featureColumns)
        {
            const int c = reader.Find(name);
            if (c < 0)
            {
                throw AisfcInputError(reader.HeaderPlace(),
                                      "no feature column '" + name +
                                          "' (columns: " + ColumnList(header) + ")");
            }
            featureColumns.push_back(static_cast<size_t>(c));
        }
    }
    else
    {
        std::set<size_t> drop;
        if (options.dropIdentifierColumns)
        {
            // Exact names (ignoring case): DUNE's "srcport" is a feature, CIC's "Src Port" not.
            for (const char* id : {"Flow ID",
                                   "flow.id",
                                   "Src IP",
                                   "Source IP",
                                   "Dst IP",
                                   "Destination IP",
                                   "Src Port",
                                   "Source Port",
                                   "Timestamp",
                                   "File",
                                   "SimillarHTTP",
                                   "Unnamed: 0"})
            {
                for (size_t c = 0; c < header.size(); ++c)
                {
                    if (Lower(header[c]) == Lower(id))
                    {
                        drop.insert(c);
                    }
                }
            }
        }
        for (const std::string& name : options.dropColumns)
        {
            const int c = reader.Find(name);
            if (c < 0)
            {
                throw AisfcInputError(reader.HeaderPlace(),
                                      "no column '" + name +
                                          "' to drop (columns: " + ColumnList(header) + ")");
            }
            drop.insert(static_cast<size_t>(c));
        }
        for (size_t c = 0; c < header.size(); ++c)
        {
            if (static_cast<int>(c) == labelColumn || static_cast<int>(c) == weightColumn)
            {
                continue;
            }
            if (drop.count(c))
            {
                counts.droppedColumns.push_back(header[c]);
                continue;
            }
            featureColumns.push_back(c);
        }
    }
    if (featureColumns.empty())
    {
        throw AisfcInputError(reader.HeaderPlace(), "no feature column left");
    }

    DuneDataset d;
    for (size_t c : featureColumns)
    {
        d.featureNames.push_back(header[c]);
    }
    std::unordered_map<std::string, int> classIndex;
    for (const std::string& name : options.classNames)
    {
        if (classIndex.emplace(name, static_cast<int>(d.classNames.size())).second)
        {
            d.classNames.push_back(name);
        }
    }
    std::vector<double> values; // sample after sample: the column-major layout of features
    std::vector<double> row(featureColumns.size());
    std::vector<std::string> cells;
    while ((options.maxRows == 0 || counts.kept < options.maxRows) && reader.Next(cells))
    {
        ++counts.rows;
        const std::string& label = cells[static_cast<size_t>(labelColumn)];
        if (label.empty())
        {
            throw AisfcInputError(reader.Place(static_cast<size_t>(labelColumn)), "empty label");
        }
        bool drop = false;
        uint64_t infinities = 0;
        uint64_t nans = 0;
        for (size_t k = 0; k < featureColumns.size(); ++k)
        {
            const size_t c = featureColumns[k];
            double v = std::nan("");
            if (!cells[c].empty() && !ParseDouble(cells[c], v))
            {
                throw AisfcInputError(reader.Place(c),
                                      Quote(cells[c]) + " is not a number (drop the column with "
                                                        "DuneCsvOptions::dropColumns)");
            }
            if (!std::isfinite(v))
            {
                switch (options.nonFinite)
                {
                case DuneNonFinitePolicy::ERROR:
                    throw AisfcInputError(
                        reader.Place(c),
                        (cells[c].empty() ? std::string("empty cell") : Quote(cells[c])) +
                            " is not a finite number");
                case DuneNonFinitePolicy::DROP_ROW:
                    drop = true;
                    break;
                case DuneNonFinitePolicy::REPLACE:
                    if (std::isnan(v))
                    {
                        v = options.nanValue;
                        ++nans;
                    }
                    else
                    {
                        v = v > 0 ? options.infinityValue : -options.infinityValue;
                        ++infinities;
                    }
                    break;
                }
            }
            row[k] = v;
        }
        double weight = 1.0;
        if (weightColumn >= 0)
        {
            const size_t c = static_cast<size_t>(weightColumn);
            if (!ParseDouble(cells[c], weight) || !std::isfinite(weight) || weight < 0.0)
            {
                throw AisfcInputError(reader.Place(c),
                                      "weight " + Quote(cells[c]) + " is not a finite number >= 0");
            }
        }
        if (drop)
        {
            ++counts.droppedRows;
            continue;
        }
        counts.replacedInfinity += infinities;
        counts.replacedNan += nans;
        auto it = classIndex.find(label);
        if (it == classIndex.end())
        {
            it = classIndex.emplace(label, static_cast<int>(d.classNames.size())).first;
            d.classNames.push_back(label);
        }
        values.insert(values.end(), row.begin(), row.end());
        d.data.labels.push_back(it->second);
        d.weights.push_back(weight);
        ++counts.kept;
    }
    if (counts.kept == 0)
    {
        throw AisfcInputError(path,
                              counts.rows == 0 ? std::string("no data row")
                                               : "no row left: all " + std::to_string(counts.rows) +
                                                     " rows hold Infinity, NaN or empty cells");
    }
    d.data.features =
        Eigen::Map<const Eigen::MatrixXd>(values.data(),
                                          static_cast<Eigen::Index>(featureColumns.size()),
                                          static_cast<Eigen::Index>(d.data.labels.size()));
    if (summary)
    {
        *summary = counts;
    }
    return d;
}

DuneLabelMap
DuneReadLabelCsv(const std::string& path, const DuneLabelCsvOptions& options, uint64_t* conflicts)
{
    DuneCsvReader reader(path, options.delimiter, options.maxFileBytes);
    const int labelColumn = reader.Find(options.labelColumn);
    if (labelColumn < 0)
    {
        throw AisfcInputError(reader.HeaderPlace(),
                              "no label column '" + options.labelColumn +
                                  "' (columns: " + ColumnList(reader.Header()) + ")");
    }
    const int flowId = FindAny(reader, {"Flow ID", "flow_id", "flow.id"});
    const int src = FindAny(reader, {"Src IP", "Source IP", "ip.src", "srcip", "saddr"});
    const int dst = FindAny(reader, {"Dst IP", "Destination IP", "ip.dst", "dstip", "daddr"});
    const int sport = FindAny(reader, {"Src Port", "Source Port", "srcport", "sport"});
    const int dport = FindAny(reader, {"Dst Port", "Destination Port", "dstport", "dport"});
    const int proto = FindAny(reader, {"Protocol", "proto", "ip.proto"});
    const int mac = FindAny(reader, {"MAC ADDRESS", "mac", "eth.src", "Src MAC"});

    enum
    {
        FLOW_ID,
        TUPLE,
        MAC
    } mode;

    if (flowId >= 0)
    {
        mode = FLOW_ID;
    }
    else if (src >= 0 && dst >= 0 && sport >= 0 && dport >= 0 && proto >= 0)
    {
        mode = TUPLE;
    }
    else if (mac >= 0)
    {
        mode = MAC;
    }
    else
    {
        throw AisfcInputError(reader.HeaderPlace(),
                              "no key column: expected 'Flow ID', the five columns Src IP, "
                              "Dst IP, Src Port, Dst Port, Protocol, or 'MAC ADDRESS' (columns: " +
                                  ColumnList(reader.Header()) + ")");
    }
    DuneLabelMap map;
    std::unordered_map<DuneFlowKey, std::string, DuneFlowKeyHash> flows;
    std::unordered_map<std::string, std::string> macs;
    uint64_t conflicting = 0;
    std::vector<std::string> cells;

    auto parseAddress = [&](size_t column, uint8_t& version, std::array<uint8_t, 16>& bytes) {
        if (!DuneParseAddress(cells[column], version, bytes))
        {
            throw AisfcInputError(reader.Place(column),
                                  Quote(cells[column]) + " is not an IP address");
        }
    };
    auto parseNumber = [&](size_t column, const std::string& text, uint64_t max) {
        uint64_t v = 0;
        if (!ParseUnsigned(text, max, v))
        {
            throw AisfcInputError(reader.Place(column),
                                  Quote(text) + " is not an integer in [0, " + std::to_string(max) +
                                      "]");
        }
        return v;
    };
    while (reader.Next(cells))
    {
        const std::string& label = cells[static_cast<size_t>(labelColumn)];
        if (label.empty())
        {
            throw AisfcInputError(reader.Place(static_cast<size_t>(labelColumn)), "empty label");
        }
        if (mode == MAC)
        {
            std::array<uint8_t, 6> m;
            const auto c = static_cast<size_t>(mac);
            if (!ParseMac(cells[c], m))
            {
                throw AisfcInputError(reader.Place(c), Quote(cells[c]) + " is not a MAC address");
            }
            const auto [it, added] = macs.emplace(DuneMacText(m), label);
            if (added)
            {
                map.SetMac(m, label);
            }
            else if (it->second != label)
            {
                ++conflicting;
            }
            continue;
        }
        DuneFlowKey key;
        if (mode == FLOW_ID)
        {
            const auto c = static_cast<size_t>(flowId);
            // DUNE separates the five parts by spaces, CICFlowMeter by dashes.
            std::vector<std::string> parts;
            std::string part;
            for (char ch : cells[c] + " ")
            {
                if (ch == ' ' || ch == '-')
                {
                    if (!part.empty())
                    {
                        parts.push_back(part);
                    }
                    part.clear();
                }
                else
                {
                    part.push_back(ch);
                }
            }
            uint8_t v2 = 0;
            if (parts.size() != 5 || !DuneParseAddress(parts[0], key.ipVersion, key.addressA) ||
                !DuneParseAddress(parts[1], v2, key.addressB) || v2 != key.ipVersion)
            {
                throw AisfcInputError(reader.Place(c),
                                      Quote(cells[c]) +
                                          " is not a flow id 'src dst sport dport proto'");
            }
            key.portA = static_cast<uint16_t>(parseNumber(c, parts[2], 65535));
            key.portB = static_cast<uint16_t>(parseNumber(c, parts[3], 65535));
            key.protocol = static_cast<uint8_t>(parseNumber(c, parts[4], 255));
        }
        else
        {
            uint8_t v2 = 0;
            parseAddress(static_cast<size_t>(src), key.ipVersion, key.addressA);
            parseAddress(static_cast<size_t>(dst), v2, key.addressB);
            if (v2 != key.ipVersion)
            {
                throw AisfcInputError(reader.Place(static_cast<size_t>(dst)),
                                      "IP version differs from the source address's");
            }
            // Ports and protocols may be written as "80.0" by pandas: accept integral floats.
            auto integral = [&](int column, uint64_t max) {
                const auto c = static_cast<size_t>(column);
                double v = 0;
                if (ParseDouble(cells[c], v) && v >= 0 && v <= static_cast<double>(max) &&
                    v == std::floor(v))
                {
                    return static_cast<uint64_t>(v);
                }
                return parseNumber(c, cells[c], max);
            };
            key.portA = static_cast<uint16_t>(integral(sport, 65535));
            key.portB = static_cast<uint16_t>(integral(dport, 65535));
            key.protocol = static_cast<uint8_t>(integral(proto, 255));
        }
        const auto [it, added] = flows.emplace(key, label);
        if (added)
        {
            map.SetFlow(key, label);
        }
        else if (it->second != label)
        {
            ++conflicting;
        }
    }
    if (conflicts)
    {
        *conflicts = conflicting;
    }
    return map;
}

} // namespace ns3
