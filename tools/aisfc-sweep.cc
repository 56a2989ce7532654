/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// `aisfc sweep ...`: parameter sweeps in parallel processes, over MPI ranks or SLURM array tasks.

#include "aisfc-sweep.h"

#include "aisfc-cli-args.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-sweep.h"

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>
#include <unistd.h>

#ifdef AISFC_WITH_MPI
// Only the C API is used; the deprecated C++ bindings of OpenMPI warn under -Wextra.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace ns3
{

namespace
{

const char* SWEEP_USAGE = R"(usage: aisfc sweep SWEEP.json --out DIR [--jobs N] [--slice K/N]
       aisfc sweep SWEEP.json --out DIR --merge
       aisfc sweep SWEEP.json --out DIR --emit-slurm [--tasks N]
       mpirun -np N aisfc sweep SWEEP.json --out DIR --mpi
  SWEEP.json   {"base": {scenario} | "file": "scenario.json",
                "grid": {"/json/pointer": [values, ...], ...}   every combination,
                "zip": {"/json/pointer": [values, ...], ...}    equal lists, varied together,
                "replications": R, "timeout": "600s"}
               run r of a parameter set has the scenario's "run" (ns-3 RngRun) = r + 1
  --jobs N     runs at a time (default: the number of cores); each run is `aisfc run` of
               DIR/runs/<id>/scenario.json into DIR/runs/<id>/
  results      DIR/results.db (SQLite, table runs: id, params, replication, status, exit_code,
               wall_seconds, metrics = the run's results.json, error, finished_at) and
               DIR/results.csv; running the same command again skips ok runs and retries
               failed ones; a different sweep is refused in the same DIR
  --mpi        rank 0 keeps the store and hands out runs, ranks 1..N-1 run them one at a time
               (as root: mpirun --allow-run-as-root --oversubscribe)
  --emit-slurm write DIR/sweep.sbatch: a job array of --tasks N tasks (default: runs, at most
               64); task i runs `--slice i/N`, every N-th run, into DIR/slices/i.db (SQLite on a
               shared file system is fragile with many writers); when all are done,
               `aisfc sweep SWEEP.json --out DIR --merge` merges the slices into results.db
)";

std::string
SelfExe()
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    if (n <= 0)
    {
        throw std::runtime_error("cannot read /proc/self/exe");
    }
    return std::string(buf, static_cast<size_t>(n));
}

/// "K/N" of --slice.
void
ParseSlice(const std::string& v, SweepOptions& options)
{
    size_t slash = v.find('/');
    bool good = slash != std::string::npos && slash > 0 && slash + 1 < v.size() &&
                v.find_first_not_of("0123456789/") == std::string::npos &&
                v.find('/', slash + 1) == std::string::npos && slash < 10 &&
                v.size() - slash - 1 < 10;
    if (good)
    {
        options.sliceIndex = std::stoul(v.substr(0, slash));
        options.sliceCount = std::stoul(v.substr(slash + 1));
        good = options.sliceCount >= 1 && options.sliceIndex < options.sliceCount;
    }
    if (!good)
    {
        throw AisfcInputError("--slice", "expected K/N with 0 <= K < N, got '" + v + "'");
    }
}

int
Report(const SweepSummary& s, const std::string& outDir)
{
    if (s.failed > 0)
    {
        std::cerr << "aisfc: " << s.failed << " of " << s.selected
                  << " runs failed or timed out (errors in the store and in " << outDir
                  << "/runs/<id>/stderr.txt); run the same command again to retry them\n";
        return 1;
    }
    return 0;
}

#ifdef AISFC_WITH_MPI

constexpr int TAG_READY = 1;
constexpr int TAG_TASK = 2;
constexpr int TAG_RESULT = 3;
constexpr int TAG_STOP = 4;

void
SendString(const std::string& s, int to, int tag)
{
    MPI_Send(s.data(), static_cast<int>(s.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD);
}

std::string
ReceiveString(int from, int& source, int& tag)
{
    MPI_Status st;
    MPI_Probe(from, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    int len = 0;
    MPI_Get_count(&st, MPI_CHAR, &len);
    std::string s(static_cast<size_t>(len), '\0');
    MPI_Recv(s.data(), len, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    source = st.MPI_SOURCE;
    tag = st.MPI_TAG;
    return s;
}

/// Rank 0: the store, the run list and the hand-out; answers each idle worker with a task.
int
MpiCoordinator(const SweepSpec& spec, const SweepOptions& options, int size)
{
    SweepSession session(spec, options, std::cerr);
    const auto& pending = session.Pending();
    size_t next = 0;
    int active = size - 1;
    while (active > 0)
    {
        int source = 0;
        int tag = 0;
        std::string msg = ReceiveString(MPI_ANY_SOURCE, source, tag);
        if (tag == TAG_RESULT)
        {
            session.Record(SweepResultFromJson(nlohmann::json::parse(msg)));
        }
        if (next < pending.size())
        {
            const SweepRun& run = *pending[next++];
            nlohmann::json task = {{"index", run.index},
                                   {"id", run.id},
                                   {"params", run.params},
                                   {"replication", run.replication},
                                   {"scenario", run.scenario},
                                   {"timeout", spec.timeoutSeconds}};
            SendString(task.dump(), source, TAG_TASK);
        }
        else
        {
            SendString("", source, TAG_STOP);
            --active;
        }
    }
    return Report(session.Finish(), options.outDir);
}

/// Ranks 1..N-1: run what rank 0 sends, one at a time, and send back the row.
void
MpiWorker(const SweepOptions& options)
{
    SendString("", 0, TAG_READY);
    for (;;)
    {
        int source = 0;
        int tag = 0;
        std::string msg = ReceiveString(0, source, tag);
        if (tag == TAG_STOP)
        {
            return;
        }
        nlohmann::json task = nlohmann::json::parse(msg);
        SweepRun run;
        run.index = task.at("index").get<size_t>();
        run.id = task.at("id").get<std::string>();
        run.params = task.at("params");
        run.replication = task.at("replication").get<uint32_t>();
        run.scenario = task.at("scenario");
        SweepResult r;
        {
            SweepExecutor executor(options.exe, options.outDir, task.at("timeout").get<double>());
            executor.Start(run);
            r = executor.Wait().at(0);
        }
        SendString(SweepResultToJson(r).dump(), 0, TAG_RESULT);
    }
}

int
MpiSweep(const std::string& sweepPath, const SweepOptions& options)
{
    MPI_Init(nullptr, nullptr);
    int rank = 0;
    int size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int status = 0;
    std::unique_ptr<SweepSpec> spec;
    if (rank == 0)
    {
        // Only rank 0 reads the sweep: workers get each run's scenario in its task.
        try
        {
            spec = std::make_unique<SweepSpec>(LoadSweep(sweepPath));
            // Open (and check) the store before any worker starts.
            SweepStore check(SweepStorePath(options), *spec);
        }
        catch (const AisfcInputError& e)
        {
            std::cerr << "aisfc: " << e.what() << "\n";
            status = 2;
        }
        catch (const std::exception& e)
        {
            std::cerr << "aisfc: internal error: " << e.what() << "\n";
            status = 1;
        }
    }
    MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (status == 0)
    {
        try
        {
            if (rank == 0 && size == 1)
            {
                std::cerr << "aisfc: --mpi with one rank: running the sweep locally\n";
                status = Report(RunSweep(*spec, options, std::cerr), options.outDir);
            }
            else if (rank == 0)
            {
                status = MpiCoordinator(*spec, options, size);
            }
            else
            {
                MpiWorker(options);
            }
        }
        catch (const std::exception& e)
        {
            std::cerr << "aisfc: rank " << rank << ": " << e.what() << "\n";
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
    }
    MPI_Finalize();
    return status;
}

#endif // AISFC_WITH_MPI

} // namespace

int
SweepCommand(int argc, char** argv)
{
    Args args(argc,
              argv,
              2,
              {"--mpi", "--merge", "--emit-slurm"},
              {"--jobs", "--slice", "--tasks"},
              SWEEP_USAGE);
    if (args.positional.size() != 1 || !args.hasOut)
    {
        throw AisfcInputError("sweep",
                              std::string("expected SWEEP.json and --out DIR\n") + SWEEP_USAGE);
    }
    const std::string& sweepPath = args.positional[0];
    int modes = int(args.Has("--mpi")) + int(args.Has("--merge")) + int(args.Has("--emit-slurm")) +
                int(args.values.count("--slice") > 0);
    if (modes > 1)
    {
        throw AisfcInputError("sweep",
                              "--mpi, --merge, --emit-slurm and --slice exclude each other");
    }
    SweepOptions options;
    options.outDir = args.out;
    options.exe = SelfExe();
    unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    options.jobs = static_cast<unsigned>(ArgUnsigned(args, "--jobs", cores, 1, 4096));
    if (args.values.count("--slice"))
    {
        ParseSlice(args.values.at("--slice"), options);
    }
    std::string dir = std::filesystem::path(options.exe).parent_path().string();
#ifdef AISFC_WITH_MPI
    // aisfc-sweep-mpi: the runs are `aisfc-cli run`, which does not load libmpi (faster start).
    const char* cli = std::getenv("AISFC_CLI");
    options.exe = cli ? cli : dir + "/aisfc-cli";
    if (args.Has("--mpi"))
    {
        return MpiSweep(sweepPath, options);
    }
#else
    if (args.Has("--mpi"))
    {
        // MPI lives in its own program so that aisfc-cli, which every run starts, stays free
        // of libmpi; exec keeps the pid and the environment mpirun gave this rank.
        std::string mpi = dir + "/aisfc-sweep-mpi";
        if (access(mpi.c_str(), X_OK) == 0)
        {
            std::vector<char*> av{mpi.data()};
            for (int i = 1; i < argc; ++i)
            {
                av.push_back(argv[i]);
            }
            av.push_back(nullptr);
            execv(mpi.c_str(), av.data());
        }
        throw AisfcInputError("--mpi",
                              "this aisfc was built without MPI (" + mpi +
                                  " missing); install libopenmpi-dev and openmpi-bin and "
                                  "rebuild (./aisfc build), or use --jobs N or --emit-slurm");
    }
#endif
    SweepSpec spec = LoadSweep(sweepPath);
    if (args.Has("--merge"))
    {
        size_t ok = MergeSweepSlices(spec, options.outDir, std::cerr);
        return ok == spec.runs.size() ? 0 : 1;
    }
    if (args.Has("--emit-slurm"))
    {
        size_t tasks = ArgUnsigned(args,
                                   "--tasks",
                                   std::min<size_t>(spec.runs.size(), 64),
                                   1,
                                   std::max<size_t>(spec.runs.size(), 1));
        std::filesystem::create_directories(std::filesystem::path(options.outDir) / "slurm");
        std::string path = (std::filesystem::path(options.outDir) / "sweep.sbatch").string();
        WriteFileAtomically(path, SweepSlurmScript(spec, options.exe, options.outDir, tasks));
        std::cout << "wrote " << path << " (" << spec.runs.size() << " runs in " << tasks
                  << " array tasks); submit with: sbatch " << path
                  << "\nthen merge with: " << options.exe << " sweep " << sweepPath << " --out "
                  << options.outDir << " --merge\n";
        return 0;
    }
    return Report(RunSweep(spec, options, std::cerr), options.outDir);
}

} // namespace ns3
