/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-json-reader.h"

#include "aisfc-error.h"
#include "aisfc-io.h"
#include "aisfc-units.h"

namespace ns3
{

namespace
{

std::string
Describe(const nlohmann::json& v)
{
    std::string text = v.dump();
    if (text.size() > 40)
    {
        text = text.substr(0, 37) + "...";
    }
    return text;
}

// JSON Pointer escaping (RFC 6901) so that keys with '/' or '~' stay unambiguous.
std::string
Escape(const std::string& key)
{
    std::string out;
    for (char c : key)
    {
        out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    }
    return out;
}

/// Refuse nesting beyond AISFC_MAX_JSON_DEPTH before parsing: a file of a million '[' would
/// otherwise overflow the stack in code that walks the document recursively.
void
CheckJsonDepth(const std::string& text, const std::string& source)
{
    size_t depth = 0;
    bool inString = false;
    for (size_t k = 0; k < text.size(); ++k)
    {
        char c = text[k];
        if (inString)
        {
            if (c == '\\')
            {
                ++k; // the escaped character cannot end the string
            }
            else if (c == '"')
            {
                inString = false;
            }
        }
        else if (c == '"')
        {
            inString = true;
        }
        else if (c == '[' || c == '{')
        {
            if (++depth > AISFC_MAX_JSON_DEPTH)
            {
                throw AisfcInputError(PlaceAt(source, text, k),
                                      "JSON nested deeper than " +
                                          std::to_string(AISFC_MAX_JSON_DEPTH) + " levels");
            }
        }
        else if ((c == ']' || c == '}') && depth > 0)
        {
            --depth;
        }
    }
}

} // namespace

nlohmann::json
ParseJsonText(const std::string& text, const std::string& source)
{
    CheckJsonDepth(text, source);
    try
    {
        return nlohmann::json::parse(text);
    }
    catch (const nlohmann::json::parse_error& e)
    {
        std::string what = e.what();
        // nlohmann prefixes "[json.exception.parse_error.101] parse error at line 1, column 2: ".
        size_t colon = what.find(": ", what.find("parse error"));
        std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
        throw AisfcInputError(PlaceAt(source, text, e.byte > 0 ? e.byte - 1 : 0),
                              "invalid JSON: " + reason);
    }
    catch (const nlohmann::json::out_of_range& e)
    {
        // A number too large for a double, e.g. 1e99999: "[json.exception.out_of_range.406]
        // number overflow parsing '1e99999'" (found by the topology-json fuzz target).
        std::string what = e.what();
        size_t bracket = what.find("] ");
        throw AisfcInputError(source,
                              "invalid JSON: " +
                                  (bracket == std::string::npos ? what : what.substr(bracket + 2)));
    }
}

nlohmann::json
ReadJsonFile(const std::string& path)
{
    return ParseJsonText(ReadInputFile(path), path);
}

JsonReader::JsonReader(const nlohmann::json& value, std::string source, std::string path)
    : m_value(value),
      m_source(std::move(source)),
      m_path(std::move(path))
{
    if (!m_value.is_object())
    {
        throw AisfcInputError(Place(), "expected an object, got " + Describe(m_value));
    }
}

std::string
JsonReader::Place() const
{
    return m_source + ": " + (m_path.empty() ? "/" : m_path);
}

std::string
JsonReader::Place(const std::string& key) const
{
    return m_source + ": " + m_path + "/" + Escape(key);
}

void
JsonReader::Fail(const std::string& key, const std::string& what) const
{
    throw AisfcInputError(Place(key), what);
}

const nlohmann::json*
JsonReader::Find(const std::string& key)
{
    m_known.insert(key);
    auto it = m_value.find(key);
    return it == m_value.end() ? nullptr : &*it;
}

bool
JsonReader::Has(const std::string& key)
{
    return Find(key) != nullptr;
}

std::string
JsonReader::GetString(const std::string& key, const std::string& def)
{
    const nlohmann::json* v = Find(key);
    if (!v)
    {
        return def;
    }
    if (!v->is_string())
    {
        Fail(key, "expected a string, got " + Describe(*v));
    }
    return v->get<std::string>();
}

std::string
JsonReader::RequireString(const std::string& key)
{
    if (!Has(key))
    {
        Fail(key, "missing required string");
    }
    return GetString(key, "");
}

double
JsonReader::GetNumber(const std::string& key, double def)
{
    const nlohmann::json* v = Find(key);
    if (!v)
    {
        return def;
    }
    if (!v->is_number())
    {
        Fail(key, "expected a number, got " + Describe(*v));
    }
    return v->get<double>();
}

uint64_t
JsonReader::GetUnsigned(const std::string& key, uint64_t def, uint64_t min, uint64_t max)
{
    const nlohmann::json* v = Find(key);
    if (!v)
    {
        return def;
    }
    if (!v->is_number_unsigned())
    {
        Fail(key, "expected a whole number >= 0, got " + Describe(*v));
    }
    uint64_t n = v->get<uint64_t>();
    if (n < min || n > max)
    {
        Fail(key,
             std::to_string(n) + " is out of range [" + std::to_string(min) + ", " +
                 std::to_string(max) + "]");
    }
    return n;
}

bool
JsonReader::GetBool(const std::string& key, bool def)
{
    const nlohmann::json* v = Find(key);
    if (!v)
    {
        return def;
    }
    if (!v->is_boolean())
    {
        Fail(key, "expected true or false, got " + Describe(*v));
    }
    return v->get<bool>();
}

uint64_t
JsonReader::GetBytes(const std::string& key, uint64_t def)
{
    const nlohmann::json* v = Find(key);
    if (!v)
    {
        return def;
    }
    if (v->is_number())
    {
        return ParseBytes(v->dump(), Place(key));
    }
    if (!v->is_string())
    {
        Fail(key, "expected a size such as \"64MB\", got " + Describe(*v));
    }
    return ParseBytes(v->get<std::string>(), Place(key));
}

double
JsonReader::GetRate(const std::string& key, double def)
{
    const nlohmann::json* v = Find(key);
    if (!v)
    {
        return def;
    }
    if (v->is_number())
    {
        double bps = v->get<double>();
        if (!(bps > 0))
        {
            Fail(key, "data rate must be positive, got " + Describe(*v));
        }
        return bps;
    }
    if (!v->is_string())
    {
        Fail(key, "expected a data rate such as \"10Gbps\", got " + Describe(*v));
    }
    return ParseDataRateBps(v->get<std::string>(), Place(key));
}

double
JsonReader::GetDuration(const std::string& key, double def)
{
    const nlohmann::json* v = Find(key);
    if (!v)
    {
        return def;
    }
    if (v->is_number())
    {
        double s = v->get<double>();
        if (s < 0)
        {
            Fail(key, "duration must not be negative, got " + Describe(*v));
        }
        return s;
    }
    if (!v->is_string())
    {
        Fail(key, "expected a duration such as \"2ms\", got " + Describe(*v));
    }
    return ParseDurationSeconds(v->get<std::string>(), Place(key));
}

const nlohmann::json&
JsonReader::RequireValue(const std::string& key)
{
    const nlohmann::json* v = Find(key);
    if (!v)
    {
        Fail(key, "missing required value");
    }
    return *v;
}

JsonReader
JsonReader::RequireObject(const std::string& key)
{
    return JsonReader(RequireValue(key), m_source, m_path + "/" + Escape(key));
}

std::vector<JsonReader>
JsonReader::GetObjectArray(const std::string& key)
{
    std::vector<JsonReader> out;
    const nlohmann::json* v = Find(key);
    if (!v)
    {
        return out;
    }
    if (!v->is_array())
    {
        Fail(key, "expected an array, got " + Describe(*v));
    }
    for (size_t i = 0; i < v->size(); ++i)
    {
        out.emplace_back((*v)[i], m_source, m_path + "/" + Escape(key) + "/" + std::to_string(i));
    }
    return out;
}

void
JsonReader::Finish() const
{
    for (const auto& item : m_value.items())
    {
        if (m_known.count(item.key()) == 0)
        {
            std::string known;
            for (const auto& k : m_known)
            {
                known += (known.empty() ? "" : ", ") + k;
            }
            Fail(item.key(), "unknown key (known keys here: " + known + ")");
        }
    }
}

} // namespace ns3
