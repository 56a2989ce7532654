/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-io.h"

#include "aisfc-error.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace ns3
{

uint64_t
CheckInputFile(const std::string& path, uint64_t maxBytes)
{
    struct stat info;
    if (stat(path.c_str(), &info) != 0)
    {
        throw AisfcInputError(path, "no such file");
    }
    if (!S_ISREG(info.st_mode))
    {
        throw AisfcInputError(path, "not a regular file");
    }
    const uint64_t size = static_cast<uint64_t>(info.st_size);
    if (size > maxBytes)
    {
        throw AisfcInputError(path,
                              "file is " + std::to_string(size) +
                                  " bytes, more than the limit of " + std::to_string(maxBytes));
    }
    return size;
}

std::string
ReadInputFile(const std::string& path)
{
    CheckInputFile(path, AISFC_MAX_INPUT_FILE_BYTES);
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw AisfcInputError(path, "cannot open file");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string
PlaceAt(const std::string& source, const std::string& text, size_t offset)
{
    size_t line = 1;
    size_t column = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i)
    {
        if (text[i] == '\n')
        {
            ++line;
            column = 1;
        }
        else
        {
            ++column;
        }
    }
    return source + ":" + std::to_string(line) + ":" + std::to_string(column);
}

void
WriteFileAtomically(const std::string& path, const std::string& content)
{
    std::string tmp = path + ".tmp." + std::to_string(getpid());
    FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f)
    {
        throw std::runtime_error(path + ": cannot write file");
    }
    bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
    ok = std::fflush(f) == 0 && ok;
    ok = fsync(fileno(f)) == 0 && ok;
    ok = std::fclose(f) == 0 && ok;
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0)
    {
        std::remove(tmp.c_str());
        throw std::runtime_error(path + ": cannot write file");
    }
}

std::string
AisfcTrim(const std::string& s)
{
    size_t a = 0;
    size_t b = s.size();
    while (a < b && (s[a] == ' ' || s[a] == '\t'))
    {
        ++a;
    }
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
    {
        --b;
    }
    return s.substr(a, b - a);
}

} // namespace ns3
