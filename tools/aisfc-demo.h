/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_DEMO_CLI_H
#define AISFC_DEMO_CLI_H

namespace ns3
{

/// \brief `aisfc demo [--out DIR] [--quick]`: the tour. \return 0 when every stop ran
int DemoCommand(int argc, char** argv);

} // namespace ns3

#endif // AISFC_DEMO_CLI_H
