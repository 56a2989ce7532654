/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Shared helpers of the libFuzzer targets (tools/aisfc-fuzz.sh builds and runs them).
 * Bad input must end in AisfcInputError or the parser's error return; anything else (another
 * exception, a crash, a sanitizer report, a leak) is a finding.
 */
#ifndef AISFC_FUZZ_COMMON_H
#define AISFC_FUZZ_COMMON_H

#include "ns3/aisfc-error.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace aisfcfuzz
{

/// A file holding the fuzz input, for readers that take a path; removed on destruction.
class TempFile
{
  public:
    TempFile(const uint8_t* data, size_t size, const char* suffix)
    {
        const char* dir = std::getenv("TMPDIR");
        m_path = std::string(dir && *dir ? dir : "/tmp") + "/aisfc-fuzz-" +
                 std::to_string(::getpid()) + suffix;
        std::ofstream out(m_path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }

    ~TempFile()
    {
        std::remove(m_path.c_str());
    }

    const std::string& Path() const
    {
        return m_path;
    }

  private:
    std::string m_path;
};

/// Run f; AisfcInputError is the expected outcome of bad input, anything else aborts.
template <typename F>
void
ExpectCleanError(F&& f)
{
    try
    {
        f();
    }
    catch (const ns3::AisfcInputError&)
    {
    }
}

} // namespace aisfcfuzz

#endif // AISFC_FUZZ_COMMON_H
