/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_SWEEP_CLI_H
#define AISFC_SWEEP_CLI_H

namespace ns3
{

/// \brief `aisfc sweep ...` (argv[1] is "sweep"). \return the exit status
/// \throws AisfcInputError on bad input
int SweepCommand(int argc, char** argv);

} // namespace ns3

#endif // AISFC_SWEEP_CLI_H
