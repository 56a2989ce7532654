/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Time per update of the SR-EM DRL placement policy network (LearnDenseNetwork, Eigen, float64)
// against the same network, data, loss and optimiser in PyTorch (Debian's python3-torch), in one
// run, as a ratio; target: aisfc at least 3x faster (issue #5).
//
// One update is a Q-learning step: Q = Forward(states); loss 0.5 (Q[a_j, j] - target_j)^2
// averaged over the batch, whose gradient w.r.t. Q is nonzero only at the chosen actions;
// Backward; Step (SGD, lr 0.2); ZeroGrad.  Batch 1 is SR-EM's online update, batch 32 a DDQN
// replay minibatch.  Both sides start from the same weights and cycle through the same 16
// synthetic batches (mt19937_64 through LearnUniform01), handed to bench/torch-update.py in a
// temporary float64 file; warm-up updates are not timed.
//
//   build/bench/bench-placement-update [--inputs=324] [--hidden=64] [--outputs=32]
//       [--updates=N] [--check] [--python=/usr/bin/python3] [--script=PATH]
//
// Without --updates each side runs enough updates for about 1.5 s.  --check also verifies once
// that one to ten updates from the same weights and batches give the same weights in both
// (max |difference| <= 1e-12), i.e. that the two sides time the same computation.

#include "ns3/learn-dense-network.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace ns3;

namespace
{

constexpr double LEARNING_RATE = 0.2;
constexpr uint64_t NETWORK_SEED = 1;
constexpr size_t POOL = 16;   // distinct batches cycled through by both sides
constexpr size_t WARMUP = 50; // untimed updates before calibration and timing
constexpr double TARGET_SECONDS = 1.5;
constexpr size_t CHECK_UPDATES = 10; // updates compared by --check
constexpr double CHECK_TOLERANCE = 1e-12;
constexpr double TARGET_RATIO = 3.0;

struct Options
{
    size_t inputs = 324;
    size_t hidden = 64;
    size_t outputs = 32;
    size_t updates = 0; // 0: calibrate to TARGET_SECONDS
    bool check = false;
    std::string python = "/usr/bin/python3"; // Debian's interpreter, which sees python3-torch
    std::string script;
};

/// One replay batch: states (inputs x batch, one sample per column), actions and targets.
struct Batch
{
    Eigen::MatrixXd states;
    std::vector<int> actions;
    Eigen::VectorXd targets;
};

[[noreturn]] void
Usage(const std::string& message)
{
    std::cerr << "bench-placement-update: " << message << "\n"
              << "usage: bench-placement-update [--inputs=N] [--hidden=N] [--outputs=N] "
                 "[--updates=N] [--check] [--python=PATH] [--script=PATH]\n";
    std::exit(2);
}

size_t
ParsePositive(const std::string& option, const std::string& text)
{
    size_t used = 0;
    unsigned long long v = 0;
    try
    {
        v = std::stoull(text, &used);
    }
    catch (const std::exception&)
    {
        used = 0;
    }
    if (text.empty() || used != text.size() || text[0] == '-' || v == 0 || v > 0xffffffffULL)
    {
        Usage(option + " needs an integer in [1, 2^32), got '" + text + "'");
    }
    return static_cast<size_t>(v);
}

/// The script: --script, else next to the source tree (AISFC_SOURCE_DIR), else near argv[0].
std::string
FindScript(const std::string& argv0)
{
    std::vector<std::filesystem::path> candidates;
#ifdef AISFC_SOURCE_DIR
    candidates.emplace_back(std::filesystem::path(AISFC_SOURCE_DIR) / "bench" / "torch-update.py");
#endif
    std::filesystem::path dir = std::filesystem::path(argv0).parent_path();
    if (dir.empty())
    {
        dir = ".";
    }
    for (const char* rel : {".", "..", "../..", "../../.."})
    {
        candidates.push_back(dir / rel / "bench" / "torch-update.py");
        candidates.push_back(dir / rel / "torch-update.py");
    }
    for (const auto& c : candidates)
    {
        std::error_code ec;
        if (std::filesystem::is_regular_file(c, ec))
        {
            return std::filesystem::weakly_canonical(c, ec).string();
        }
    }
    return "";
}

Options
ParseOptions(int argc, char* argv[])
{
    Options o;
    for (int i = 1; i < argc; ++i)
    {
        std::string arg = argv[i];
        std::string name = arg;
        std::optional<std::string> value;
        if (auto eq = arg.find('='); eq != std::string::npos)
        {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
        }
        if (name == "--check" || name == "--help" || name == "-h")
        {
            if (name != "--check")
            {
                Usage("time Q-learning updates of the placement policy network, aisfc vs PyTorch");
            }
            if (value)
            {
                Usage("--check takes no value");
            }
            o.check = true;
            continue;
        }
        if (name != "--inputs" && name != "--hidden" && name != "--outputs" &&
            name != "--updates" && name != "--python" && name != "--script")
        {
            Usage("unknown option '" + arg + "'");
        }
        if (!value)
        {
            if (i + 1 >= argc)
            {
                Usage(name + " needs a value");
            }
            value = argv[++i];
        }
        if (name == "--python")
        {
            o.python = *value;
        }
        else if (name == "--script")
        {
            o.script = *value;
        }
        else
        {
            size_t v = ParsePositive(name, *value);
            (name == "--inputs"    ? o.inputs
             : name == "--hidden"  ? o.hidden
             : name == "--outputs" ? o.outputs
                                   : o.updates) = v;
        }
    }
    if (o.script.empty())
    {
        o.script = FindScript(argv[0]);
    }
    return o;
}

LearnDenseNetwork
MakeNetwork(const Options& o)
{
    LearnDenseNetwork net({o.inputs, o.hidden, o.outputs},
                          LearnActivation::RELU,
                          LearnActivation::IDENTITY,
                          NETWORK_SEED);
    net.SetOptimizer(LearnOptimizer::Sgd(LEARNING_RATE));
    return net;
}

std::vector<Batch>
MakeBatches(const Options& o, size_t batchSize)
{
    std::mt19937_64 rng(1000 + batchSize);
    // Features in [0, sqrt(3 / inputs)), so E|x|^2 = 1 as for normalised states: with raw
    // [0, 1) features SGD at lr 0.2 diverges on batch 1 within a few updates and then kills
    // every ReLU, and the weights compared by --check would be meaningless.
    const double scale = std::sqrt(3.0 / static_cast<double>(o.inputs));
    std::vector<Batch> pool(POOL);
    for (Batch& b : pool)
    {
        b.states.resize(static_cast<Eigen::Index>(o.inputs), static_cast<Eigen::Index>(batchSize));
        for (Eigen::Index i = 0; i < b.states.size(); ++i)
        {
            b.states.data()[i] = scale * LearnUniform01(rng);
        }
        b.actions.resize(batchSize);
        b.targets.resize(static_cast<Eigen::Index>(batchSize));
        for (size_t j = 0; j < batchSize; ++j)
        {
            b.actions[j] = std::min(static_cast<int>(LearnUniform01(rng) * o.outputs),
                                    static_cast<int>(o.outputs) - 1);
            b.targets(static_cast<Eigen::Index>(j)) = 2.0 * LearnUniform01(rng) - 1.0;
        }
    }
    return pool;
}

/// One Q-learning update, as the placement policy does it.
void
Update(LearnDenseNetwork& net, const Batch& b)
{
    Eigen::MatrixXd q = net.Forward(b.states);
    Eigen::MatrixXd grad = Eigen::MatrixXd::Zero(q.rows(), q.cols());
    const double n = static_cast<double>(q.cols());
    for (Eigen::Index j = 0; j < q.cols(); ++j)
    {
        const int a = b.actions[static_cast<size_t>(j)];
        grad(a, j) = (q(a, j) - b.targets(j)) / n;
    }
    net.BackwardParameters(grad); // as PlacementDrl: no input gradient, like torch
    net.Step();
    net.ZeroGrad();
}

/// Parameters, then states, actions and targets of every batch, as torch-update.py --data reads.
void
WriteData(const std::string& path, const LearnDenseNetwork& net, const std::vector<Batch>& pool)
{
    std::ofstream f(path, std::ios::binary);
    auto put = [&f](const double* p, size_t n) {
        f.write(reinterpret_cast<const char*>(p), static_cast<std::streamsize>(n * sizeof(double)));
    };
    Eigen::VectorXd params = net.GetParameters();
    put(params.data(), static_cast<size_t>(params.size()));
    for (const Batch& b : pool)
    {
        put(b.states.data(), static_cast<size_t>(b.states.size()));
    }
    for (const Batch& b : pool)
    {
        for (int a : b.actions)
        {
            double d = a;
            put(&d, 1);
        }
    }
    for (const Batch& b : pool)
    {
        put(b.targets.data(), static_cast<size_t>(b.targets.size()));
    }
    if (!f.good())
    {
        std::cerr << "bench-placement-update: cannot write " << path << "\n";
        std::exit(1);
    }
}

struct Timing
{
    size_t updates = 0;
    double usPerUpdate = 0;
};

Timing
TimeEigen(const Options& o, size_t batchSize)
{
    LearnDenseNetwork net = MakeNetwork(o);
    std::vector<Batch> pool = MakeBatches(o, batchSize);
    size_t i = 0;
    for (; i < WARMUP; ++i)
    {
        Update(net, pool[i % POOL]);
    }
    auto run = [&](size_t n) {
        auto start = std::chrono::steady_clock::now();
        for (size_t k = 0; k < n; ++k, ++i)
        {
            Update(net, pool[i % POOL]);
        }
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    Timing t;
    t.updates = o.updates;
    if (t.updates == 0)
    {
        // Calibration, untimed like the warm-up; torch-update.py does the same.
        size_t n = 16;
        double s = run(n);
        while (s < 0.2)
        {
            n *= 2;
            s = run(n);
        }
        t.updates = std::max<size_t>(1, static_cast<size_t>(TARGET_SECONDS * n / s));
    }
    t.usPerUpdate = run(t.updates) / t.updates * 1e6;
    return t;
}

struct Child
{
    int status = -1; // exit status, or -1 when it did not exit normally
    std::string out; // its stdout; stderr goes to ours
};

Child
RunCapture(std::vector<std::string> args)
{
    int fds[2];
    if (pipe(fds) != 0)
    {
        std::perror("pipe");
        std::exit(1);
    }
    std::fflush(nullptr);
    pid_t pid = fork();
    if (pid == 0)
    {
        close(fds[0]);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[1]);
        std::vector<char*> argv;
        for (auto& a : args)
        {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        std::perror(argv[0]);
        _exit(127);
    }
    close(fds[1]);
    Child c;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0)
    {
        c.out.append(buf, static_cast<size_t>(n));
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    c.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return c;
}

/// key=value fields of the first line of out that has key first.
std::map<std::string, std::string>
Fields(const std::string& out, const std::string& key)
{
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line))
    {
        if (line.rfind(key + "=", 0) != 0)
        {
            continue;
        }
        std::map<std::string, std::string> f;
        std::istringstream words(line);
        std::string w;
        while (words >> w)
        {
            if (auto eq = w.find('='); eq != std::string::npos)
            {
                f[w.substr(0, eq)] = w.substr(eq + 1);
            }
        }
        // error= runs to the end of the line
        if (auto e = line.find(" error="); e != std::string::npos)
        {
            f["error"] = line.substr(e + 7);
        }
        return f;
    }
    return {};
}

std::vector<std::string>
TorchArgs(const Options& o, size_t batchSize, const std::string& data)
{
    return {o.python,
            o.script,
            "--inputs",
            std::to_string(o.inputs),
            "--hidden",
            std::to_string(o.hidden),
            "--outputs",
            std::to_string(o.outputs),
            "--batch",
            std::to_string(batchSize),
            "--data",
            data,
            "--pool",
            std::to_string(POOL)};
}

struct TorchTiming
{
    Timing timing;
    std::string threads;
    std::string defaultThreads;
    std::string version;
};

/// Why the torch side cannot run at all (missing python3 or torch); empty when it can.
std::string g_torchMissing;

std::optional<TorchTiming>
TimeTorch(const Options& o, size_t batchSize, const std::string& data, int threads)
{
    std::vector<std::string> args = TorchArgs(o, batchSize, data);
    args.insert(args.end(),
                {"--warmup", std::to_string(WARMUP), "--threads", std::to_string(threads)});
    if (o.updates > 0)
    {
        args.insert(args.end(), {"--updates", std::to_string(o.updates)});
    }
    else
    {
        args.insert(args.end(), {"--seconds", std::to_string(TARGET_SECONDS)});
    }
    Child c = RunCapture(args);
    if (c.status == 3)
    {
        g_torchMissing = "PyTorch cannot be imported by " + o.python + " (" +
                         Fields(c.out, "torch_missing")["error"] + ")";
        return std::nullopt;
    }
    auto f = Fields(c.out, "torch_us_per_update");
    if (c.status != 0 || f.empty())
    {
        std::cerr << "bench-placement-update: " << o.script << " failed (exit " << c.status
                  << "), output:\n"
                  << c.out;
        return std::nullopt;
    }
    TorchTiming t;
    t.timing.usPerUpdate = std::stod(f["torch_us_per_update"]);
    t.timing.updates = std::stoul(f["updates"]);
    t.threads = f["threads"];
    t.defaultThreads = f["default_threads"];
    t.version = f["version"];
    return t;
}

/// --check: max |torch - aisfc| over all parameters after 1 and after CHECK_UPDATES updates.
bool
Check(const Options& o, size_t batchSize, const std::string& dir)
{
    LearnDenseNetwork net = MakeNetwork(o);
    std::vector<Batch> pool = MakeBatches(o, batchSize);
    const std::string data = dir + "/check-" + std::to_string(batchSize) + ".f64";
    const std::string out = dir + "/check-" + std::to_string(batchSize) + ".out.f64";
    WriteData(data, net, pool);
    std::vector<std::string> args = TorchArgs(o, batchSize, data);
    args.insert(args.end(), {"--updates", std::to_string(CHECK_UPDATES), "--params-out", out});
    Child c = RunCapture(args);
    if (c.status != 0)
    {
        std::printf("check batch %2zu: torch side failed (exit %d)\n", batchSize, c.status);
        return false;
    }
    const size_t p = net.ParameterCount();
    std::vector<double> torchParams(p * CHECK_UPDATES);
    std::ifstream f(out, std::ios::binary);
    f.read(reinterpret_cast<char*>(torchParams.data()),
           static_cast<std::streamsize>(torchParams.size() * sizeof(double)));
    if (f.gcount() != static_cast<std::streamsize>(torchParams.size() * sizeof(double)))
    {
        std::printf("check batch %2zu: %s is short\n", batchSize, out.c_str());
        return false;
    }
    double first = 0;
    double worst = 0;
    double moved = 0; // how far the weights moved, to show the check is not vacuous
    const Eigen::VectorXd initial = net.GetParameters();
    for (size_t k = 0; k < CHECK_UPDATES; ++k)
    {
        Update(net, pool[k % POOL]);
        Eigen::Map<const Eigen::VectorXd> t(torchParams.data() + k * p,
                                            static_cast<Eigen::Index>(p));
        double d = (net.GetParameters() - t).cwiseAbs().maxCoeff();
        if (k == 0)
        {
            first = d;
        }
        worst = std::max(worst, d);
    }
    moved = (net.GetParameters() - initial).cwiseAbs().maxCoeff();
    bool ok = worst <= CHECK_TOLERANCE;
    std::printf("check batch %2zu: max |torch - aisfc| over %zu parameters: %.3g after 1 update, "
                "%.3g over %zu updates (weights moved up to %.3g): %s\n",
                batchSize,
                p,
                first,
                worst,
                CHECK_UPDATES,
                moved,
                ok ? "same computation (<= 1e-12)" : "MISMATCH (> 1e-12)");
    return ok;
}

} // namespace

int
main(int argc, char* argv[])
{
    Options o = ParseOptions(argc, argv);
    const std::vector<size_t> batchSizes = {1, 32};
    const size_t parameters = MakeNetwork(o).ParameterCount();
    std::printf("Policy network %zu-%zu-%zu (ReLU hidden, identity output), %zu parameters, "
                "float64, SGD lr %.1f,\nloss 0.5 (Q[a] - target)^2 averaged over the batch; "
                "aisfc: LearnDenseNetwork, Eigen %d.%d.%d, single thread\n",
                o.inputs,
                o.hidden,
                o.outputs,
                parameters,
                LEARNING_RATE,
                EIGEN_WORLD_VERSION,
                EIGEN_MAJOR_VERSION,
                EIGEN_MINOR_VERSION);

    std::vector<Timing> eigen;
    for (size_t b : batchSizes)
    {
        eigen.push_back(TimeEigen(o, b));
    }

    if (access(o.python.c_str(), X_OK) != 0)
    {
        g_torchMissing = "no Python interpreter at " + o.python;
    }
    else if (o.script.empty())
    {
        std::cerr << "bench-placement-update: torch-update.py not found next to the source tree "
                     "or the program; pass --script=PATH\n";
        return 2;
    }

    std::string dir;
    std::vector<std::optional<TorchTiming>> torch1(batchSizes.size());
    std::vector<std::optional<TorchTiming>> torchDefault(batchSizes.size());
    if (g_torchMissing.empty())
    {
        char tmpl[] = "/tmp/aisfc-bench-placement-update-XXXXXX";
        if (!mkdtemp(tmpl))
        {
            std::perror("mkdtemp");
            return 1;
        }
        dir = tmpl;
        for (size_t k = 0; k < batchSizes.size() && g_torchMissing.empty(); ++k)
        {
            const std::string data = dir + "/batch-" + std::to_string(batchSizes[k]) + ".f64";
            WriteData(data, MakeNetwork(o), MakeBatches(o, batchSizes[k]));
            torch1[k] = TimeTorch(o, batchSizes[k], data, 1);
            if (torch1[k] && torch1[k]->defaultThreads != "1")
            {
                torchDefault[k] = TimeTorch(o, batchSizes[k], data, 0);
            }
        }
    }

    if (!g_torchMissing.empty())
    {
        std::printf("\n batch  updates  aisfc us/update\n");
        for (size_t k = 0; k < batchSizes.size(); ++k)
        {
            std::printf("%6zu %8zu %16.2f\n",
                        batchSizes[k],
                        eigen[k].updates,
                        eigen[k].usPerUpdate);
        }
        std::printf("\nNo PyTorch figures: %s.\nInstall Debian's python3-torch "
                    "(apt-get install python3-torch) for the comparison; it is used through "
                    "/usr/bin/python3 (or --python=PATH).\n",
                    g_torchMissing.c_str());
        if (!dir.empty())
        {
            std::filesystem::remove_all(dir);
        }
        return 0;
    }

    std::string version;
    std::string defaultThreads;
    for (const auto& t : torch1)
    {
        if (t)
        {
            version = t->version;
            defaultThreads = t->defaultThreads;
        }
    }
    std::printf("torch %s, float64, nn.Linear + ReLU, torch.optim.SGD, via %s; "
                "torch's default thread count here: %s\n",
                version.c_str(),
                o.python.c_str(),
                defaultThreads.c_str());
    std::printf("\n batch  aisfc updates  aisfc us/update  torch updates  torch us/update  "
                "ratio torch/aisfc  target >= 3x\n");
    bool allMet = true;
    bool torchFailed = false;
    for (size_t k = 0; k < batchSizes.size(); ++k)
    {
        if (!torch1[k])
        {
            allMet = false;
            torchFailed = true;
            std::printf("%6zu %14zu %16.2f %14s %16s %18s  %s\n",
                        batchSizes[k],
                        eigen[k].updates,
                        eigen[k].usPerUpdate,
                        "-",
                        "failed",
                        "-",
                        "not measured");
            continue;
        }
        const double ratio = torch1[k]->timing.usPerUpdate / eigen[k].usPerUpdate;
        const bool met = ratio >= TARGET_RATIO;
        allMet = allMet && met;
        std::printf("%6zu %14zu %16.2f %14zu %16.2f %18.2f  %s\n",
                    batchSizes[k],
                    eigen[k].updates,
                    eigen[k].usPerUpdate,
                    torch1[k]->timing.updates,
                    torch1[k]->timing.usPerUpdate,
                    ratio,
                    met ? "met" : "not met");
    }
    std::printf("(torch with torch.set_num_threads(1), the same as aisfc's single thread)\n");
    bool anyDefault = false;
    for (size_t k = 0; k < batchSizes.size(); ++k)
    {
        if (torchDefault[k])
        {
            anyDefault = true;
            std::printf("torch default threads (%s), batch %zu: %.2f us/update, ratio %.2f\n",
                        torchDefault[k]->threads.c_str(),
                        batchSizes[k],
                        torchDefault[k]->timing.usPerUpdate,
                        torchDefault[k]->timing.usPerUpdate / eigen[k].usPerUpdate);
        }
    }
    if (!anyDefault)
    {
        std::printf("torch's default is %s thread here, so the default-thread figures are the "
                    "ones above\n",
                    defaultThreads.c_str());
    }

    bool checked = true;
    if (o.check)
    {
        std::printf("\n");
        for (size_t b : batchSizes)
        {
            checked = Check(o, b, dir) && checked;
        }
    }
    std::filesystem::remove_all(dir);
    std::printf("\ntarget >= 3x: %s\n", allMet ? "met" : "not met");
    return checked && !torchFailed ? 0 : 1;
}
