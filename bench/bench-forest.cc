/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Our random forest against scikit-learn's on the same data in one run (issue #8): training
// time of LearnForest on 1 thread and on --threads threads, scikit-learn's
// RandomForestClassifier.fit with n_jobs=1 (bench/sklearn-forest.py under /usr/bin/python3),
// the ratio of the single-thread times (target <= 1.5) and the macro F1 of both on the test
// file (acceptance: within 2 points).  Also checks that the multi-thread forest is the
// single-thread forest.
//
// usage: bench-forest (--train=FILE --test=FILE | --synthetic=SAMPLES,FEATURES,CLASSES[,SEED])
//        [--trees=100] [--maxDepth=0] [--minSamplesSplit=2] [--minSamplesLeaf=1]
//        [--maxLeafNodes=0] [--maxFeatures=sqrt] [--bootstrap=1] [--classWeight=none]
//        [--seed=1] [--threads=2] [--repeat=1] [--spread=3] [--workdir=DIR]
//        [--python=/usr/bin/python3] [--sklearn=SCRIPT | --no-sklearn] [--json]
// CSV files: numeric features, integer label in the last column, no header.  --synthetic
// draws Gaussian blobs (LearnDataset::Blobs with --spread), writes 80 % as the training file and
// 20 % as the test file in --workdir (a new temporary directory by default) and goes on as
// with --train/--test.  Exit status 2 on a bad option or input file.

#include "ns3/aisfc-error.h"
#include "ns3/learn-dataset.h"
#include "ns3/learn-forest.h"
#include "ns3/learn-metrics.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <unistd.h>

#ifndef AISFC_SOURCE_DIR
#define AISFC_SOURCE_DIR "."
#endif

using namespace ns3;

namespace
{

double
Seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

/// A value for a POSIX shell, in single quotes.
std::string
Quote(const std::string& s)
{
    std::string q = "'";
    for (char c : s)
    {
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return q + "'";
}

uint64_t
ParseCount(const std::string& option, const std::string& text, bool allowZero)
{
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != text.npos)
    {
        throw AisfcInputError(option, "'" + text + "' is not a count");
    }
    const uint64_t v = std::stoull(text);
    if (v == 0 && !allowZero)
    {
        throw AisfcInputError(option, "'" + text + "' must be positive");
    }
    return v;
}

void
WriteCsv(const std::string& path, const LearnDataset& data, size_t first, size_t end)
{
    std::ofstream out(path);
    if (!out)
    {
        throw AisfcInputError(path, "cannot write");
    }
    char buf[32];
    for (size_t s = first; s < end; ++s)
    {
        for (Eigen::Index f = 0; f < data.features.rows(); ++f)
        {
            std::snprintf(buf,
                          sizeof buf,
                          "%.17g,",
                          data.features(f, static_cast<Eigen::Index>(s)));
            out << buf;
        }
        out << data.labels[s] << '\n';
    }
}

struct OurRun
{
    double fitSeconds = 0;
    LearnForest forest;
};

OurRun
TrainOurs(const LearnForestParams& params,
          const LearnDataset& train,
          size_t classes,
          uint32_t threads,
          uint32_t repeat)
{
    OurRun r;
    r.fitSeconds = 1e300;
    for (uint32_t i = 0; i < repeat; ++i)
    {
        LearnForest forest(params);
        forest.SetThreads(threads);
        const auto start = std::chrono::steady_clock::now();
        forest.Fit(train.features, train.labels, classes);
        r.fitSeconds = std::min(r.fitSeconds, Seconds(start));
        r.forest = std::move(forest);
    }
    return r;
}

} // namespace

int
main(int argc, char** argv)
{
    try
    {
        std::map<std::string, std::string> opt = {
            {"trees", "100"},
            {"maxDepth", "0"},
            {"minSamplesSplit", "2"},
            {"minSamplesLeaf", "1"},
            {"maxLeafNodes", "0"},
            {"maxFeatures", "sqrt"},
            {"bootstrap", "1"},
            {"classWeight", "none"},
            {"seed", "1"},
            {"threads", "2"},
            {"repeat", "1"},
            {"spread", "3"},
            {"python", "/usr/bin/python3"},
            {"sklearn", AISFC_SOURCE_DIR "/bench/sklearn-forest.py"}};
        bool json = false;
        bool sklearn = true;
        for (int i = 1; i < argc; ++i)
        {
            const std::string a = argv[i];
            const size_t eq = a.find('=');
            if (a == "--json")
            {
                json = true;
            }
            else if (a == "--no-sklearn")
            {
                sklearn = false;
            }
            else if (a.rfind("--", 0) == 0 && eq != std::string::npos &&
                     (opt.count(a.substr(2, eq - 2)) || a.substr(2, eq - 2) == "train" ||
                      a.substr(2, eq - 2) == "test" || a.substr(2, eq - 2) == "synthetic" ||
                      a.substr(2, eq - 2) == "workdir"))
            {
                opt[a.substr(2, eq - 2)] = a.substr(eq + 1);
            }
            else
            {
                throw AisfcInputError(a,
                                      "unknown option (see the usage at the top of "
                                      "bench/bench-forest.cc)");
            }
        }

        LearnForestParams params;
        params.nEstimators = static_cast<uint32_t>(ParseCount("--trees", opt["trees"], false));
        params.tree.maxDepth =
            static_cast<uint32_t>(ParseCount("--maxDepth", opt["maxDepth"], true));
        params.tree.minSamplesSplit =
            static_cast<uint32_t>(ParseCount("--minSamplesSplit", opt["minSamplesSplit"], true));
        params.tree.minSamplesLeaf =
            static_cast<uint32_t>(ParseCount("--minSamplesLeaf", opt["minSamplesLeaf"], true));
        params.tree.maxLeafNodes =
            static_cast<uint32_t>(ParseCount("--maxLeafNodes", opt["maxLeafNodes"], true));
        params.tree.maxFeatures = LearnMaxFeatures::FromName(opt["maxFeatures"], "--maxFeatures");
        params.bootstrap = ParseCount("--bootstrap", opt["bootstrap"], true) != 0;
        params.classWeight = LearnClassWeightFromName(opt["classWeight"], "--classWeight");
        params.seed = ParseCount("--seed", opt["seed"], true);
        if (params.tree.minSamplesSplit < 2 || params.tree.minSamplesLeaf < 1 ||
            params.tree.maxLeafNodes == 1)
        {
            throw AisfcInputError("--minSamplesSplit/--minSamplesLeaf/--maxLeafNodes",
                                  "need minSamplesSplit >= 2, minSamplesLeaf >= 1 and "
                                  "maxLeafNodes 0 (no limit) or >= 2");
        }
        const auto threads = static_cast<uint32_t>(ParseCount("--threads", opt["threads"], false));
        const auto repeat = static_cast<uint32_t>(ParseCount("--repeat", opt["repeat"], false));

        std::string trainPath = opt["train"];
        std::string testPath = opt["test"];
        if (!opt["synthetic"].empty())
        {
            std::vector<uint64_t> v;
            std::stringstream ss(opt["synthetic"]);
            for (std::string item; std::getline(ss, item, ',');)
            {
                v.push_back(ParseCount("--synthetic", item, true));
            }
            if (v.size() < 3 || v.size() > 4 || v[0] < 10 || v[1] == 0 || v[2] == 0)
            {
                throw AisfcInputError("--synthetic",
                                      "expected SAMPLES,FEATURES,CLASSES[,SEED] with at least "
                                      "10 samples, 1 feature and 1 class");
            }
            char* end = nullptr;
            const double spread = std::strtod(opt["spread"].c_str(), &end);
            if (end == opt["spread"].c_str() || *end != '\0' || !(spread >= 0.0))
            {
                throw AisfcInputError("--spread", "'" + opt["spread"] + "' is not a number >= 0");
            }
            std::string dir = opt["workdir"];
            if (dir.empty())
            {
                char tmpl[] = "/tmp/bench-forest-XXXXXX";
                if (!mkdtemp(tmpl))
                {
                    throw AisfcInputError("/tmp", "cannot create a temporary directory");
                }
                dir = tmpl;
            }
            const LearnDataset all =
                LearnDataset::Blobs(v[0], v[2], v[1], v.size() == 4 ? v[3] : 1, spread);
            const size_t cut = v[0] * 4 / 5;
            trainPath = dir + "/train.csv";
            testPath = dir + "/test.csv";
            WriteCsv(trainPath, all, 0, cut);
            WriteCsv(testPath, all, cut, v[0]);
        }
        if (trainPath.empty() || testPath.empty())
        {
            throw AisfcInputError("options", "give --train and --test, or --synthetic");
        }
        const LearnDataset train = LearnDataset::ReadCsv(trainPath);
        const LearnDataset test = LearnDataset::ReadCsv(testPath);
        if (test.FeatureCount() != train.FeatureCount())
        {
            throw AisfcInputError(testPath,
                                  std::to_string(test.FeatureCount()) +
                                      " features, the training "
                                      "file has " +
                                      std::to_string(train.FeatureCount()));
        }
        const size_t classes = std::max(train.ClassCount(), test.ClassCount());

        // Ours: 1 thread (the ratio), then --threads threads (must be the same forest).
        const OurRun one = TrainOurs(params, train, classes, 1, repeat);
        const Eigen::MatrixXd proba = one.forest.PredictProba(test.features);
        const std::vector<int> pred = LearnArgmaxFirst(proba);
        const LearnConfusionMatrix cm = LearnConfusionMatrix::From(test.labels, pred, classes);
        const OurRun many = TrainOurs(params, train, classes, threads, repeat);
        const bool same = (many.forest.PredictProba(test.features).array() == proba.array()).all();
        double nodes = 0;
        double depth = 0;
        for (const LearnTree& t : one.forest.GetTrees())
        {
            nodes += static_cast<double>(t.NodeCount());
            depth += static_cast<double>(t.Depth());
        }
        nodes /= static_cast<double>(one.forest.TreeCount());
        depth /= static_cast<double>(one.forest.TreeCount());

        nlohmann::json out;
        out["data"] = {{"train", trainPath},
                       {"test", testPath},
                       {"train_samples", train.Size()},
                       {"test_samples", test.Size()},
                       {"features", train.FeatureCount()},
                       {"classes", classes}};
        out["params"] = {{"trees", params.nEstimators},
                         {"max_depth", params.tree.maxDepth},
                         {"min_samples_split", params.tree.minSamplesSplit},
                         {"min_samples_leaf", params.tree.minSamplesLeaf},
                         {"max_leaf_nodes", params.tree.maxLeafNodes},
                         {"max_features", params.tree.maxFeatures.Name()},
                         {"bootstrap", params.bootstrap},
                         {"class_weight", LearnClassWeightName(params.classWeight)},
                         {"seed", params.seed}};
        out["ours"] = {{"fit_seconds_1_thread", one.fitSeconds},
                       {"threads", threads},
                       {"fit_seconds_threads", many.fitSeconds},
                       {"same_forest_across_threads", same},
                       {"macro_f1", cm.MacroF1()},
                       {"weighted_f1", cm.WeightedF1()},
                       {"micro_f1", cm.MicroF1()},
                       {"mean_nodes", nodes},
                       {"mean_depth", depth}};

        std::string skipped;
        if (sklearn)
        {
            std::string cmd = Quote(opt["python"]) + " " + Quote(opt["sklearn"]) +
                              " --train=" + Quote(trainPath) + " --test=" + Quote(testPath) +
                              " --trees=" + opt["trees"] + " --max-depth=" + opt["maxDepth"] +
                              " --min-samples-split=" + opt["minSamplesSplit"] +
                              " --min-samples-leaf=" + opt["minSamplesLeaf"] +
                              " --max-leaf-nodes=" + opt["maxLeafNodes"] +
                              " --max-features=" + Quote(params.tree.maxFeatures.Name()) +
                              " --bootstrap=" + (params.bootstrap ? "1" : "0") +
                              " --class-weight=" + LearnClassWeightName(params.classWeight) +
                              " --seed=" + std::to_string(params.seed % 4294967296ULL) +
                              " --n-jobs=1 --repeat=" + std::to_string(repeat) + " 2>&1";
            std::string text;
            FILE* p = popen(cmd.c_str(), "r");
            if (p)
            {
                char buf[4096];
                for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
                {
                    text.append(buf, n);
                }
                const int status = pclose(p);
                const size_t brace = text.rfind("\n{");
                const std::string last = text.substr(brace == std::string::npos ? 0 : brace + 1);
                if (status == 0 && nlohmann::json::accept(last))
                {
                    out["sklearn"] = nlohmann::json::parse(last);
                }
                else
                {
                    skipped = text.empty() ? "no output" : text;
                }
            }
            else
            {
                skipped = "cannot run " + opt["python"];
            }
        }
        else
        {
            skipped = "--no-sklearn";
        }
        if (out.contains("sklearn"))
        {
            out["ratio_1_thread"] = one.fitSeconds / out["sklearn"]["fit_seconds"].get<double>();
            out["macro_f1_difference_points"] =
                100.0 * (cm.MacroF1() - out["sklearn"]["macro_f1"].get<double>());
        }
        else
        {
            while (!skipped.empty() && (skipped.back() == '\n' || skipped.back() == ' '))
            {
                skipped.pop_back();
            }
            if (skipped.rfind("skipped: ", 0) == 0)
            {
                skipped = skipped.substr(9);
            }
            out["sklearn_skipped"] = skipped;
        }

        if (json)
        {
            std::cout << out.dump(2) << "\n";
            return 0;
        }
        std::cout << std::fixed << std::setprecision(3) << "data: " << train.Size()
                  << " training and " << test.Size() << " test samples, " << train.FeatureCount()
                  << " features, " << classes << " classes\n"
                  << "forest: " << params.nEstimators << " trees, maxFeatures "
                  << params.tree.maxFeatures.Name() << ", bootstrap " << params.bootstrap
                  << ", maxDepth " << params.tree.maxDepth << ", minSamplesLeaf "
                  << params.tree.minSamplesLeaf << ", maxLeafNodes " << params.tree.maxLeafNodes
                  << "\n"
                  << "ours, 1 thread:     fit " << one.fitSeconds << " s, macro F1 "
                  << std::setprecision(4) << cm.MacroF1() << ", mean " << std::setprecision(1)
                  << nodes << " nodes, depth " << depth << "\n"
                  << std::setprecision(3) << "ours, " << threads << " threads:    fit "
                  << many.fitSeconds << " s (" << std::setprecision(2)
                  << one.fitSeconds / many.fitSeconds
                  << "x), same forest: " << (same ? "yes" : "NO") << "\n";
        if (out.contains("sklearn"))
        {
            const auto& s = out["sklearn"];
            std::cout << std::setprecision(3) << "scikit-learn "
                      << s["sklearn_version"].get<std::string>() << ", n_jobs=1: fit "
                      << s["fit_seconds"].get<double>() << " s, macro F1 " << std::setprecision(4)
                      << s["macro_f1"].get<double>() << ", mean " << std::setprecision(1)
                      << s["mean_nodes"].get<double>() << " nodes, depth "
                      << s["mean_depth"].get<double>() << "\n"
                      << std::setprecision(2) << "time ratio ours/scikit-learn (1 thread each): "
                      << out["ratio_1_thread"].get<double>() << " (target <= 1.5)\n"
                      << "macro F1 ours - scikit-learn: "
                      << out["macro_f1_difference_points"].get<double>()
                      << " points (acceptance: within 2)\n";
        }
        else
        {
            std::cout << "scikit-learn: skipped: " << skipped << "\n";
        }
        return 0;
    }
    catch (const AisfcInputError& e)
    {
        std::cerr << "bench-forest: " << e.what() << "\n";
        return 2;
    }
}
