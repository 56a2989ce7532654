/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_PLACEMENT_CLI_H
#define AISFC_PLACEMENT_CLI_H

namespace ns3
{

/// \brief `aisfc placement ...` (argv[1] is "placement"). \return the exit status
/// \throws AisfcInputError on bad input
int PlacementCommand(int argc, char** argv);

} // namespace ns3

#endif // AISFC_PLACEMENT_CLI_H
