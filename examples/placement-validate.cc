/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Packet-level validation of a placement decision (doc/placement.rst, "Packet-level
// validation"): a srem problem of the given seed, a policy run from the initial configuration up
// to the slot, and that slot's decision carried out in ns-3: PDP switches and servers, one End
// SID per instance, an SRv6 policy per request through its instances, the slot's traffic.  Per
// request it prints the analytic delay (eq. 16), the completion of a back-to-back burst of the
// window's volume, the mean steady-state packet delay, the deadline and which of the three meet
// it.
//
//   ./aisfc example placement-validate --seed=7 --slot=0 --policy=lag --outDir=out/validate
//
// OUT/validation.json: the whole report (PlacementValidationReport::ToJson), with the problem,
// policy and options; OUT/validation.csv: one row per request.

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/command-line.h"
#include "ns3/placement-generator.h"
#include "ns3/placement-policy.h"
#include "ns3/placement-validation.h"

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>

using namespace ns3;

namespace
{
std::string
Ms(double seconds)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(3) << seconds * 1e3;
    return os.str();
}

std::string
Join(const std::vector<std::string>& parts, const std::string& sep)
{
    std::string out;
    for (size_t k = 0; k < parts.size(); ++k)
    {
        out += (k ? sep : "") + parts[k];
    }
    return out;
}

/// "edge0/local" -> "edge0:LM", "edge0/external" -> "edge0:EM", "server3/server" -> "server3".
std::string
ShortHosts(const std::vector<std::string>& hosts)
{
    std::vector<std::string> out;
    for (const std::string& h : hosts)
    {
        size_t slash = h.find('/');
        std::string node = h.substr(0, slash);
        std::string kind = slash == std::string::npos ? "" : h.substr(slash + 1);
        out.push_back(kind == "local" ? node + ":LM" : kind == "external" ? node + ":EM" : node);
    }
    return Join(out, " ");
}

std::string
TimeOfDay(double seconds)
{
    auto minutes = static_cast<long>(seconds / 60);
    std::ostringstream os;
    os << std::setfill('0') << std::setw(2) << (minutes / 60) % 24 << ":" << std::setw(2)
       << minutes % 60;
    return os.str();
}
} // namespace

int
main(int argc, char* argv[])
{
    uint64_t seed = 1;
    uint32_t slot = 0;
    std::string policyName = "lag";
    uint32_t requests = 20;
    double rateScale = 1;
    double duration = 1;
    uint32_t payload = 1200;
    bool pinPaths = true;
    bool capAtCapacity = false;
    std::string outDir = "placement-validate-out";
    std::string out;

    CommandLine cmd(__FILE__);
    cmd.AddValue("seed", "srem problem seed (also seeds the policy)", seed);
    cmd.AddValue("slot", "slot to validate (the policy runs slots 0..slot)", slot);
    cmd.AddValue("policy",
                 "placement policy by registry name (lag, random, ilp, ...), or initial: keep "
                 "the problem's initial configuration",
                 policyName);
    cmd.AddValue("requests", "keep only the first N requests of the problem", requests);
    cmd.AddValue("rateScale", "multiply every rate (analytic and sent alike)", rateScale);
    cmd.AddValue("duration", "seconds of steady traffic", duration);
    cmd.AddValue("payload", "UDP payload bytes per packet", payload);
    cmd.AddValue("pinPaths", "steer along PlacementMapLinks's paths with waypoint SIDs", pinPaths);
    cmd.AddValue("capAtCapacity",
                 "bound each function's processor by the type's capacity P too",
                 capAtCapacity);
    cmd.AddValue("outDir", "output directory", outDir);
    cmd.AddValue("out", "output directory (same as --outDir)", out);
    cmd.Parse(argc, argv);
    if (!out.empty())
    {
        outDir = out;
    }

    try
    {
        if (requests == 0)
        {
            throw AisfcInputError("--requests", "must be positive");
        }
        if (!(rateScale > 0) || std::isinf(rateScale))
        {
            throw AisfcInputError("--rateScale", "must be positive and finite");
        }
        if (!(duration > 0) || std::isinf(duration))
        {
            throw AisfcInputError("--duration", "must be positive and finite");
        }
        if (payload < 12 || payload > 65000)
        {
            throw AisfcInputError("--payload", "must be between 12 and 65000 bytes");
        }
        PlacementGenerator generator(PlacementGenerator::Preset("srem"));
        PlacementProblem problem = generator.Generate(seed);
        if (slot >= problem.slots)
        {
            throw AisfcInputError("--slot",
                                  "the srem problem has slots 0.." +
                                      std::to_string(problem.slots - 1) + ", got " +
                                      std::to_string(slot));
        }
        if (requests < problem.requests.size())
        {
            problem.requests.resize(requests);
            problem.initialAssignment.instances.resize(requests);
        }
        // As PlacementRunPolicy: each slot's decision is the next slot's previous one.
        // "initial" keeps the problem's initial configuration (srem: every instance on the
        // cheapest server that fits) in every slot.
        PlacementDeployment previous = problem.initialDeployment;
        PlacementAssignment previousAssignment = problem.initialAssignment;
        PlacementDecision decision{previous, previousAssignment};
        if (policyName != "initial")
        {
            std::unique_ptr<PlacementPolicy> policy = PlacementPolicyRegistry::Create(policyName);
            std::mt19937_64 rng(seed);
            for (uint32_t t = 0; t <= slot; ++t)
            {
                decision = policy->Decide(problem, t, previous, previousAssignment, rng);
                if (t < slot)
                {
                    previous = decision.deployment;
                    previousAssignment = decision.assignment;
                }
            }
        }

        PlacementValidationOptions options;
        options.rateScale = rateScale;
        options.duration = duration;
        options.payloadBytes = payload;
        options.pinPaths = pinPaths;
        options.capAtCapacity = capAtCapacity;
        PlacementValidationReport report =
            PlacementValidateSlot(problem, slot, previous, decision, options);

        std::filesystem::create_directories(outDir);
        nlohmann::json doc = report.ToJson();
        doc["generator"] = {{"preset", "srem"},
                            {"seed", seed},
                            {"requests", problem.requests.size()}};
        doc["policy"] = policyName;
        WriteFileAtomically(outDir + "/validation.json", doc.dump(2) + "\n");
        WriteFileAtomically(outDir + "/validation.csv", report.ToCsv());

        std::cout << problem.name << ", slot " << slot << " (" << TimeOfDay(problem.SlotStart(slot))
                  << "), policy " << policyName << ", " << problem.requests.size()
                  << " requests, rates x" << rateScale << "; " << duration
                  << " s of steady traffic, then each window's volume as a burst\n";
        std::cout << "ms: analytic total (eq. 16) and its reconfiguration part, burst completion\n"
                     "    measured and predicted, mean steady packet delay, deadline\n"
                     "ok: within the deadline: analytic / reconfiguration + burst / every packet\n";
        std::cout << std::left << std::setw(5) << "req" << std::setw(12) << "chain" << std::right
                  << std::setw(9) << "analytic" << std::setw(7) << "rec" << std::setw(8) << "burst"
                  << std::setw(8) << "model" << std::setw(9) << "mean pkt" << std::setw(9)
                  << "deadline"
                  << "  ok     hosts\n";
        uint32_t run = 0;
        uint32_t analyticOk = 0;
        uint32_t burstOk = 0;
        uint32_t packetsOk = 0;
        double ratio = 0;
        for (const PlacementValidationRequest& r : report.requests)
        {
            std::cout << std::left << std::setw(5) << r.name << std::setw(12) << Join(r.chain, ">")
                      << std::right << std::setw(9) << Ms(r.analytic.totalDelay) << std::setw(7)
                      << Ms(r.analytic.reconfigurationDelay);
            if (r.run)
            {
                std::cout << std::setw(8) << Ms(r.burstCompletion) << std::setw(8)
                          << Ms(r.modelBurstCompletion) << std::setw(9) << Ms(r.meanDelay);
            }
            else
            {
                std::cout << std::setw(25) << "not run";
            }
            std::cout << std::setw(9) << Ms(r.deadline) << "  " << (r.analyticMeets ? "y" : "n")
                      << "/" << (r.run ? (r.burstMeets ? "y" : "n") : "-") << "/"
                      << (r.run ? (r.packetsMeet ? "y" : "n") : "-") << "  " << ShortHosts(r.hosts)
                      << "\n";
            analyticOk += r.analyticMeets;
            if (r.run)
            {
                ++run;
                burstOk += r.burstMeets;
                packetsOk += r.packetsMeet;
                ratio += r.analyticTraffic > 0 ? r.burstCompletion / r.analyticTraffic : 0;
            }
        }
        std::cout << "within the deadline: analytic " << analyticOk << ", burst " << burstOk
                  << ", steady packets " << packetsOk << " of " << report.requests.size() << " ("
                  << run << " run)\n";
        if (run > 0)
        {
            std::cout << "burst completion / analytic (processing + RDMA + transmission): mean "
                      << std::fixed << std::setprecision(3) << ratio / run << "\n";
        }
        for (const PlacementValidationRequest& r : report.requests)
        {
            if (r.run)
            {
                std::cout << "e.g. " << r.name << ": " << r.explanation << "\n";
                break;
            }
        }
        for (const PlacementValidationRequest& r : report.requests)
        {
            if (!r.run)
            {
                std::cout << "not run: " << r.name << ": " << r.reason << "\n";
            }
        }
        for (const std::string& v : report.violations)
        {
            std::cout << "violation: " << v << "\n";
        }
        for (const std::string& w : report.warnings)
        {
            std::cout << "warning: " << w << "\n";
        }
        std::cout << "results in " << outDir << "/validation.json and validation.csv\n";
    }
    catch (const AisfcInputError& e)
    {
        std::cerr << "placement-validate: " << e.what() << "\n";
        return 2;
    }
    catch (const std::exception& e)
    {
        std::cerr << "placement-validate: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
