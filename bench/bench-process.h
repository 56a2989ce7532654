/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Runs one benchmark subject in its own process, so its peak RSS and wall time are its own.
#ifndef BENCH_PROCESS_H
#define BENCH_PROCESS_H

#include <chrono>
#include <cstdio>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

/// Result of one subprocess.
struct BenchProcess
{
    bool ok = false;        //!< exited with status 0
    double wallSeconds = 0; //!< from fork to exit
    double peakRssMiB = 0;  //!< its maximum resident set
};

/// Run args[0] with args, stdout to /dev/null.
inline BenchProcess
RunBenchProcess(std::vector<std::string> args)
{
    auto start = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid == 0)
    {
        std::vector<char*> argv;
        for (auto& a : args)
        {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        if (!std::freopen("/dev/null", "w", stdout))
        {
            _exit(126);
        }
        execv(argv[0], argv.data());
        std::perror(argv[0]);
        _exit(127);
    }
    int status = 0;
    struct rusage usage;
    wait4(pid, &status, 0, &usage);
    BenchProcess r;
    r.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    r.peakRssMiB = usage.ru_maxrss / 1024.0;
    return r;
}

#endif // BENCH_PROCESS_H
