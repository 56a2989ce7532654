/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_DUNE_CLI_H
#define AISFC_DUNE_CLI_H

namespace ns3
{

/// \brief `aisfc dune ...` (argv[1] is "dune"). \return the exit status
/// \throws AisfcInputError on bad input
int DuneCommand(int argc, char** argv);

} // namespace ns3

#endif // AISFC_DUNE_CLI_H
