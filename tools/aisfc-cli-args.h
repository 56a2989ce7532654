/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_CLI_ARGS_H
#define AISFC_CLI_ARGS_H

#include "ns3/aisfc-error.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/// Command-line arguments after the subcommand: positional values, --flags and --options with
/// a value (`--name VALUE` or `--name=VALUE`; `--out` is one for every command).
struct Args
{
    std::vector<std::string> positional;
    std::vector<std::string> flags;
    std::map<std::string, std::string> values;
    std::string out;
    bool hasOut = false;

    Args(int argc,
         char** argv,
         int first,
         const std::vector<std::string>& knownFlags,
         std::vector<std::string> knownValued = {},
         const std::string& usage = "")
    {
        knownValued.push_back("--out");
        auto known = [](const std::vector<std::string>& list, const std::string& name) {
            return std::find(list.begin(), list.end(), name) != list.end();
        };
        for (int i = first; i < argc; ++i)
        {
            std::string a = argv[i];
            if (a.rfind("--", 0) != 0)
            {
                positional.push_back(a);
                continue;
            }
            size_t eq = a.find('=');
            std::string name = a.substr(0, eq);
            if (known(knownValued, name))
            {
                if (eq == std::string::npos && i + 1 >= argc)
                {
                    throw AisfcInputError(name, "needs a value");
                }
                values[name] = eq == std::string::npos ? argv[++i] : a.substr(eq + 1);
            }
            else if (eq == std::string::npos && known(knownFlags, a))
            {
                flags.push_back(a);
            }
            else
            {
                throw AisfcInputError(name, "unknown option\n" + usage);
            }
        }
        if (values.count("--out"))
        {
            out = values["--out"];
            hasOut = true;
        }
    }

    bool Has(const std::string& flag) const
    {
        return std::find(flags.begin(), flags.end(), flag) != flags.end();
    }

    /// \return the value of a required --option
    const std::string& Require(const std::string& name) const
    {
        auto it = values.find(name);
        if (it == values.end())
        {
            throw AisfcInputError(name, "missing (required)");
        }
        return it->second;
    }
};

/**
 * \brief Parse an unsigned option value.
 * \param args the arguments
 * \param name the option, e.g. "--episodes"
 * \param def the value when absent
 * \param min smallest allowed
 * \param max largest allowed
 * \return the value
 * \throws AisfcInputError naming the option on anything but an integer in [min, max]
 */
inline uint64_t
ArgUnsigned(const Args& args, const std::string& name, uint64_t def, uint64_t min, uint64_t max)
{
    auto it = args.values.find(name);
    if (it == args.values.end())
    {
        return def;
    }
    const std::string& v = it->second;
    size_t used = 0;
    unsigned long long x = 0;
    try
    {
        x = std::stoull(v, &used);
    }
    catch (const std::exception&)
    {
        used = 0;
    }
    if (v.empty() || used != v.size() || v[0] == '-' || x < min || x > max)
    {
        throw AisfcInputError(name,
                              "expected an integer in [" + std::to_string(min) + ", " +
                                  std::to_string(max) + "], got '" + v + "'");
    }
    return x;
}

} // namespace ns3

#endif // AISFC_CLI_ARGS_H
