/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_JSON_READER_H
#define AISFC_JSON_READER_H

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * \brief Read a JSON file; syntax errors name the file, line and column.
 * \param path the file
 * \return the parsed document
 * \throws AisfcInputError when the file cannot be read or is not JSON
 */
nlohmann::json ReadJsonFile(const std::string& path);

/// Deepest nesting of arrays and objects aisfc accepts in JSON input.  Its own documents nest
/// under 10 levels; the bound keeps recursive code (dump, comparison) off the stack's end.
constexpr size_t AISFC_MAX_JSON_DEPTH = 100;

/**
 * \ingroup aisfc
 * \brief Parse JSON text; syntax errors name the source, line and column, and so does nesting
 * deeper than AISFC_MAX_JSON_DEPTH.
 * \param text the JSON text
 * \param source the name used in error messages (a file name)
 * \return the parsed document
 */
nlohmann::json ParseJsonText(const std::string& text, const std::string& source);

/**
 * \ingroup aisfc
 * Strict reader of one JSON object of a configuration.
 *
 * Each getter checks the type and records the key; Finish() then rejects every key nobody
 * asked for.  Errors name the source file and the JSON Pointer of the bad value, e.g.
 * "demo.json: /traffic/0/rate: expected a data rate, got true".
 */
class JsonReader
{
  public:
    /**
     * \brief Wrap an object.
     * \param value the JSON value (must be an object)
     * \param source file name used in errors
     * \param path JSON Pointer of value inside the document ("" for the root)
     */
    JsonReader(const nlohmann::json& value, std::string source, std::string path = "");

    /// \brief \return whether key is present (and marks it known)
    bool Has(const std::string& key);
    /// \brief \return the string at key, or def when absent
    std::string GetString(const std::string& key, const std::string& def);
    /// \brief \return the string at key; error when absent
    std::string RequireString(const std::string& key);
    /// \brief \return the number at key, or def when absent
    double GetNumber(const std::string& key, double def);
    /// \brief \return the whole number at key within [min, max], or def when absent
    uint64_t GetUnsigned(const std::string& key, uint64_t def, uint64_t min, uint64_t max);
    /// \brief \return the boolean at key, or def when absent
    bool GetBool(const std::string& key, bool def);
    /// \brief \return a size in bytes ("64MB", "4GiB" or a number of bytes), or def when absent
    uint64_t GetBytes(const std::string& key, uint64_t def);
    /// \brief \return a data rate in bit/s ("10Gbps" or a number of bit/s), or def when absent
    double GetRate(const std::string& key, double def);
    /// \brief \return a duration in seconds ("2ms" or a number of seconds), or def when absent
    double GetDuration(const std::string& key, double def);
    /// \brief \return a reader for the object at key; error when absent or not an object
    JsonReader RequireObject(const std::string& key);
    /// \brief \return readers for each object of the array at key (empty when absent)
    std::vector<JsonReader> GetObjectArray(const std::string& key);
    /// \brief \return the raw value at key (marks it known); error when absent
    const nlohmann::json& RequireValue(const std::string& key);

    /// \brief Reject every key that no getter asked for, naming it and the known keys.
    void Finish() const;

    /// \brief \return "source: /path/key", the place of key for error messages
    std::string Place(const std::string& key) const;
    /// \brief \return "source: /path", the place of this object
    std::string Place() const;

  private:
    const nlohmann::json* Find(const std::string& key);
    [[noreturn]] void Fail(const std::string& key, const std::string& what) const;

    const nlohmann::json& m_value;
    std::string m_source;
    std::string m_path;
    std::set<std::string> m_known;
};

} // namespace ns3

#endif // AISFC_JSON_READER_H
