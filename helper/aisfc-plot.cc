/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-plot.h"

#include <cstdlib>
#include <iostream>
#include <sys/wait.h>

namespace ns3
{

namespace
{
std::string
Quote(const std::string& s)
{
    std::string q = "'";
    for (char c : s)
    {
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return q + "'";
}
} // namespace

std::string
AisfcPlot(const std::string& figure,
          const std::string& resultsJson,
          const std::string& png,
          const std::vector<std::string>& extra)
{
    // Debian's interpreter: a python3 earlier on the PATH may lack Debian's matplotlib.
    std::string command = "/usr/bin/python3 " +
                          Quote(std::string(AISFC_SOURCE_DIR) + "/tools/aisfc-plot.py") + " " +
                          Quote(figure) + " " + Quote(resultsJson) + " " + Quote(png);
    for (const std::string& e : extra)
    {
        command += " " + Quote(e);
    }
    int status = std::system(command.c_str());
    if (status == 0)
    {
        return "";
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
    {
        return "plotting " + figure + ": bad input (aisfc-plot's message above names it)";
    }
    return "plotting " + figure + " failed (is python3-matplotlib installed?)";
}

void
AisfcPlotFigures(const std::string& dir,
                 const std::vector<std::pair<std::string, std::string>>& figures)
{
    for (const auto& [figure, png] : figures)
    {
        if (std::string why = AisfcPlot(figure, dir + "/results.json", dir + "/" + png);
            !why.empty())
        {
            std::cerr << "warning: " << why << "\n";
        }
    }
}

} // namespace ns3
