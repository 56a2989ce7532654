/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_ERROR_H
#define AISFC_ERROR_H

#include <stdexcept>
#include <string>

/**
 * \defgroup aisfc AI service function chaining
 * SRv6 service chains, programmable data-plane switches, AI service identifiers, neural service
 * functions and in-network ML on one ns-3 substrate.
 */

namespace ns3
{

/**
 * \ingroup aisfc
 * Bad input from a user: a file, JSON document, command-line value or generator spec.
 *
 * The message always starts with the place (file:line, JSON path or field name), so front ends
 * print it as is and exit with status 2.  Internal failures use other exception types (exit 1).
 */
class AisfcInputError : public std::runtime_error
{
  public:
    /**
     * \brief Build an error whose message is "place: what".
     * \param place where the bad input is (file:line, JSON path, option name)
     * \param what what is wrong with it
     */
    AisfcInputError(const std::string& place, const std::string& what)
        : std::runtime_error(place.empty() ? what : place + ": " + what)
    {
    }
};

} // namespace ns3

#endif // AISFC_ERROR_H
