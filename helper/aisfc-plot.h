/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_PLOT_H
#define AISFC_PLOT_H

#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * \brief Draw a figure from a results file with tools/aisfc-plot.py (Debian's python3 and
 * matplotlib).  \return "" on success, else why not (the caller warns: plots come after the
 * results, which are already written)
 */
std::string AisfcPlot(const std::string& figure,
                      const std::string& resultsJson,
                      const std::string& png,
                      const std::vector<std::string>& extra = {});

/**
 * \ingroup aisfc
 * \brief Draw figures (name, PNG file name) from DIR/results.json into DIR, warning on standard
 * error for any that cannot be drawn (the results are written already).
 */
void AisfcPlotFigures(const std::string& dir,
                      const std::vector<std::pair<std::string, std::string>>& figures);

} // namespace ns3

#endif
