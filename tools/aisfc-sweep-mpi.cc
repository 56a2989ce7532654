/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// aisfc-sweep-mpi: `aisfc sweep ... --mpi` under mpirun (aisfc-cli execs it).  Built only when
// CMake finds MPI; it links libmpi so that aisfc-cli, started once per run, does not.
// Exit status: 0 success, 2 bad input, 1 failed runs or internal failure.

#include "aisfc-sweep.h"

#include "ns3/aisfc-error.h"

#include <iostream>

int
main(int argc, char** argv)
{
    try
    {
        return ns3::SweepCommand(argc, argv);
    }
    catch (const ns3::AisfcInputError& e)
    {
        std::cerr << "aisfc: " << e.what() << "\n";
        return 2;
    }
    catch (const std::exception& e)
    {
        std::cerr << "aisfc: internal error: " << e.what() << "\n";
        return 1;
    }
}
