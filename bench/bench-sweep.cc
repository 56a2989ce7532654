/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Sweep overhead: 100 trivial scenarios through `aisfc sweep --jobs N` against the same 100
// scenarios run directly as `aisfc run` with N processes at a time.  The difference is what the
// sweep adds per run: validation, scenario.json, spawning, reading results.json, one SQLite
// transaction and results.csv.  Target: under 20%.
//
// usage: bench-sweep [AISFC_CLI] [--runs R] [--jobs N]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace
{

const char* TRIVIAL = R"({"name": "trivial", "duration": "0.01s", "topology": "line:2",
  "traffic": [{"name": "f", "type": "udp-cbr", "src": "n0", "dst": "n1", "rate": "1Mbps",
               "packet_size": 100, "start": "0s", "stop": "0.01s"}]})";

pid_t
Spawn(const std::vector<std::string>& args)
{
    pid_t pid = fork();
    if (pid == 0)
    {
        std::vector<char*> argv;
        for (const auto& a : args)
        {
            argv.push_back(const_cast<char*>(a.c_str()));
        }
        argv.push_back(nullptr);
        if (!std::freopen("/dev/null", "w", stdout) || !std::freopen("/dev/null", "w", stderr))
        {
            _exit(126);
        }
        execv(argv[0], argv.data());
        _exit(127);
    }
    return pid;
}

bool
Reap(pid_t pid)
{
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

double
Seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

} // namespace

int
main(int argc, char** argv)
{
#ifdef AISFC_CLI
    std::string cli = AISFC_CLI;
#else
    std::string cli = "build/aisfc-cli";
#endif
    unsigned runs = 100;
    unsigned jobs = std::max(1U, std::thread::hardware_concurrency());
    for (int i = 1; i < argc; ++i)
    {
        std::string a = argv[i];
        if (a == "--runs" && i + 1 < argc)
        {
            runs = static_cast<unsigned>(std::stoul(argv[++i]));
        }
        else if (a == "--jobs" && i + 1 < argc)
        {
            jobs = static_cast<unsigned>(std::stoul(argv[++i]));
        }
        else
        {
            cli = a;
        }
    }
    cli = fs::absolute(cli).string();
    fs::path dir = fs::temp_directory_path() / ("aisfc-bench-sweep-" + std::to_string(getpid()));
    fs::create_directories(dir / "direct");

    // The same scenarios both ways: the trivial base with "run" (RngRun) = 1..runs.
    std::string base = TRIVIAL;
    for (unsigned i = 0; i < runs; ++i)
    {
        std::string s = base;
        s.insert(1, "\"run\": " + std::to_string(i + 1) + ", ");
        std::ofstream(dir / "direct" / (std::to_string(i) + ".json")) << s;
    }
    std::ofstream(dir / "sweep.json")
        << "{\"base\": " << base << ", \"replications\": " << runs << "}\n";

    // Direct: `aisfc run` with `jobs` processes at a time.
    auto start = std::chrono::steady_clock::now();
    std::vector<pid_t> running;
    unsigned failed = 0;
    for (unsigned i = 0; i < runs; ++i)
    {
        if (running.size() == jobs)
        {
            int status = 0;
            pid_t done = wait(&status);
            failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
            running.erase(std::find(running.begin(), running.end(), done));
        }
        std::string n = std::to_string(i);
        running.push_back(Spawn({cli,
                                 "run",
                                 (dir / "direct" / (n + ".json")).string(),
                                 "--out",
                                 (dir / "direct" / n).string()}));
    }
    for (pid_t p : running)
    {
        failed += !Reap(p);
    }
    double direct = Seconds(start);

    // Through the sweep runner.
    start = std::chrono::steady_clock::now();
    bool ok = Reap(Spawn({cli,
                          "sweep",
                          (dir / "sweep.json").string(),
                          "--out",
                          (dir / "sweep").string(),
                          "--jobs",
                          std::to_string(jobs)}));
    double sweep = Seconds(start);
    fs::remove_all(dir);

    if (failed > 0 || !ok)
    {
        std::cerr << "bench-sweep: " << failed << " direct runs failed, sweep "
                  << (ok ? "ok" : "failed") << "\n";
        return 1;
    }
    double overhead = (sweep - direct) / runs;
    double ratio = sweep / direct;
    std::printf("bench-sweep: %u trivial scenarios, %u processes at a time\n", runs, jobs);
    std::printf("  direct `aisfc run`: %8.3f s  (%.1f ms per run)\n", direct, 1e3 * direct / runs);
    std::printf("  `aisfc sweep`:      %8.3f s  (%.1f ms per run)\n", sweep, 1e3 * sweep / runs);
    std::printf("  overhead per run:   %8.1f ms  ratio sweep/direct %.3f (%+.1f%%; target < "
                "+20%%) %s\n",
                1e3 * overhead,
                ratio,
                100 * (ratio - 1),
                ratio < 1.2 ? "PASS" : "OVER TARGET");
    return 0;
}
