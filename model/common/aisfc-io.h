/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_IO_H
#define AISFC_IO_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace ns3
{

/// Largest input file (topology, scenario) aisfc reads; larger files are refused, not loaded.
constexpr size_t AISFC_MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024;

/**
 * \ingroup aisfc
 * \brief Check an input file before reading it: it exists, is a regular file and holds at most
 * maxBytes bytes.
 * \param path the file
 * \param maxBytes the largest size accepted
 * \return its size in bytes
 * \throws AisfcInputError naming path otherwise
 */
uint64_t CheckInputFile(const std::string& path, uint64_t maxBytes);

/**
 * \ingroup aisfc
 * \brief Read a whole input file.
 * \param path the file
 * \return its bytes
 * \throws AisfcInputError naming path when it is missing, unreadable, a directory or too large
 */
std::string ReadInputFile(const std::string& path);

/**
 * \ingroup aisfc
 * \brief \return "source:line:column" of byte offset in text (lines and columns from 1)
 */
std::string PlaceAt(const std::string& source, const std::string& text, size_t offset);

/**
 * \ingroup aisfc
 * \brief Write a file so that readers see the old content or the new, never a part: write
 * "path.tmp.<pid>", flush, then rename over path.
 * \param path the file
 * \param content its new bytes
 * \throws std::runtime_error naming path when writing fails
 */
void WriteFileAtomically(const std::string& path, const std::string& content);

/// \ingroup aisfc \brief \return s without leading and trailing spaces and tabs (CSV cells)
std::string AisfcTrim(const std::string& s);

} // namespace ns3

#endif // AISFC_IO_H
