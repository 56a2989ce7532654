/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The `aisfc` Python module: scenarios, topologies, the placement environment and policies, and
// the DUNE pipeline, each a thin wrapper over the C++ function the CLI calls (one road for data).
// JSON crosses the boundary as Python dicts and lists, converted here value by value, so numbers
// keep their exact type (int stays int, float keeps every bit).

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-paths.h"
#include "ns3/aisfc-scenario-runner.h"
#include "ns3/aisfc-topology-inspect.h"
#include "ns3/aisfc-topology.h"
#include "ns3/dune-experiment.h"
#include "ns3/placement-env.h"
#include "ns3/placement-filters.h"
#include "ns3/placement-generator.h"
#include "ns3/placement-policy.h"
#include "ns3/simulator.h"
#include "ns3/topology-source.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <string>
#include <vector>

#ifndef AISFC_VERSION
#define AISFC_VERSION "0.1"
#endif

namespace py = pybind11;
using nlohmann::json;

namespace
{

using namespace ns3;

// ---- JSON <-> Python -----------------------------------------------------------------------

/// One JSON Pointer reference token (RFC 6901): "~" and "/" escaped.
std::string
PointerToken(const std::string& key)
{
    std::string out;
    for (char c : key)
    {
        out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    }
    return out;
}

/// A Python value as JSON; `what` and `path` name the place of a value that has no JSON form.
json
ToJson(py::handle o, const std::string& what, const std::string& path)
{
    auto fail = [&](const std::string& why) {
        throw py::type_error(what + ": " + (path.empty() ? "/" : path) + ": " + why);
    };
    if (o.is_none())
    {
        return nullptr;
    }
    if (py::isinstance<py::bool_>(o)) // before int: bool is an int in Python
    {
        return o.cast<bool>();
    }
    if (py::isinstance<py::int_>(o))
    {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(o.ptr(), &overflow);
        if (overflow == 0)
        {
            // As nlohmann's parser does: non-negative integers are unsigned, which the strict
            // readers (JsonReader::GetUnsigned) ask for.
            return v >= 0 ? json(static_cast<uint64_t>(v)) : json(static_cast<int64_t>(v));
        }
        if (overflow > 0)
        {
            unsigned long long u = PyLong_AsUnsignedLongLong(o.ptr());
            if (!PyErr_Occurred())
            {
                return static_cast<uint64_t>(u);
            }
            PyErr_Clear();
        }
        fail("integer " + py::str(o).cast<std::string>() + " does not fit in 64 bits");
    }
    if (py::isinstance<py::float_>(o))
    {
        return o.cast<double>();
    }
    if (py::isinstance<py::str>(o))
    {
        return o.cast<std::string>();
    }
    if (py::isinstance<py::dict>(o))
    {
        json obj = json::object();
        for (auto item : o.cast<py::dict>())
        {
            if (!py::isinstance<py::str>(item.first))
            {
                fail("key " + py::repr(item.first).cast<std::string>() + " is not a string");
            }
            std::string key = item.first.cast<std::string>();
            obj[key] = ToJson(item.second, what, path + "/" + PointerToken(key));
        }
        return obj;
    }
    if (py::isinstance<py::list>(o) || py::isinstance<py::tuple>(o))
    {
        json arr = json::array();
        size_t i = 0;
        for (py::handle v : o)
        {
            arr.push_back(ToJson(v, what, path + "/" + std::to_string(i++)));
        }
        return arr;
    }
    if (py::hasattr(o, "tolist")) // numpy arrays and scalars
    {
        return ToJson(o.attr("tolist")(), what, path);
    }
    fail("a " + py::str(o.get_type().attr("__name__")).cast<std::string>() + " has no JSON form");
    return nullptr; // not reached
}

/// JSON as Python: objects become dicts, arrays lists, numbers int or float.
py::object
ToPython(const json& j)
{
    switch (j.type())
    {
    case json::value_t::boolean:
        return py::bool_(j.get<bool>());
    case json::value_t::number_integer:
        return py::int_(j.get<int64_t>());
    case json::value_t::number_unsigned:
        return py::int_(j.get<uint64_t>());
    case json::value_t::number_float:
        return py::float_(j.get<double>());
    case json::value_t::string:
        return py::str(j.get_ref<const std::string&>());
    case json::value_t::array: {
        py::list list;
        for (const json& v : j)
        {
            list.append(ToPython(v));
        }
        return std::move(list);
    }
    case json::value_t::object: {
        py::dict dict;
        for (const auto& item : j.items())
        {
            dict[py::str(item.key())] = ToPython(item.value());
        }
        return std::move(dict);
    }
    default: // null, binary, discarded
        return py::none();
    }
}

/// A dict argument (None means {}), as a JSON object.
json
ObjectArgument(py::handle o, const std::string& what)
{
    if (o.is_none())
    {
        return json::object();
    }
    if (!py::isinstance<py::dict>(o))
    {
        throw py::type_error(what + ": expected a dict, got " +
                             py::str(o.get_type().attr("__name__")).cast<std::string>());
    }
    return ToJson(o, what, "");
}

// ---- scenarios -------------------------------------------------------------------------------

/// ns-3's Simulator, node list and seeds are process-wide: one scenario at a time.
std::mutex g_simulatorMutex;

py::dict
RunScenarioPy(py::object scenario, py::object out, const std::string& sourceName)
{
    std::string text;
    std::string source = sourceName;
    if (py::isinstance<py::dict>(scenario))
    {
        text = ToJson(scenario, source, "").dump();
    }
    else if (py::isinstance<py::str>(scenario) || py::hasattr(scenario, "__fspath__"))
    {
        source = py::module_::import("os").attr("fspath")(scenario).cast<std::string>();
        text = ReadInputFile(source);
    }
    else
    {
        throw py::type_error("run_scenario: expected a dict or a scenario file path, got " +
                             py::str(scenario.get_type().attr("__name__")).cast<std::string>());
    }
    std::string outDir;
    bool temporary = out.is_none();
    if (temporary)
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "aisfc-XXXXXX").string();
        if (!mkdtemp(pattern.data()))
        {
            throw std::runtime_error("run_scenario: cannot create a temporary directory");
        }
        outDir = pattern;
    }
    else
    {
        outDir = py::module_::import("os").attr("fspath")(out).cast<std::string>();
    }

    json results;
    {
        py::gil_scoped_release release; // first the GIL, then the lock: no deadlock
        std::lock_guard<std::mutex> lock(g_simulatorMutex);
        try
        {
            results = RunScenarioText(text, source, outDir);
        }
        catch (...)
        {
            // RunScenario destroys the simulator only on success; a failure after the network
            // was built would otherwise leave its nodes and events to the next scenario.
            Simulator::Destroy();
            if (temporary)
            {
                std::error_code ignored;
                std::filesystem::remove_all(outDir, ignored);
            }
            throw;
        }
        if (temporary)
        {
            std::error_code ignored;
            std::filesystem::remove_all(outDir, ignored);
        }
    }
    return ToPython(results);
}

// ---- topologies ------------------------------------------------------------------------------

/// A loaded topology, immutable once loaded.
struct PyTopology
{
    std::shared_ptr<const AisfcTopology> topo;

    uint32_t NodeIndex(py::handle node) const
    {
        if (py::isinstance<py::str>(node))
        {
            std::string name = node.cast<std::string>();
            auto index = topo->FindNode(name);
            if (!index)
            {
                throw AisfcInputError("shortest_path",
                                      "no node named '" + name + "' in topology '" +
                                          topo->GetName() + "'");
            }
            return *index;
        }
        if (py::isinstance<py::int_>(node) || py::hasattr(node, "__index__"))
        {
            long long i = py::int_(py::reinterpret_borrow<py::object>(node)).cast<long long>();
            if (i < 0 || i >= topo->GetNNodes())
            {
                throw py::index_error("shortest_path: node index " + std::to_string(i) +
                                      " is not in [0, " + std::to_string(topo->GetNNodes()) + ")");
            }
            return uint32_t(i);
        }
        throw py::type_error("shortest_path: a node is a name (str) or an index (int)");
    }

    py::list Nodes() const
    {
        py::list nodes;
        for (uint32_t i = 0; i < topo->GetNNodes(); ++i)
        {
            const TopologyNode& n = topo->GetNode(i);
            py::dict d;
            d["name"] = n.name;
            d["role"] = NodeRoleName(n.role);
            d["latitude"] = n.latitude ? py::object(py::float_(*n.latitude)) : py::none();
            d["longitude"] = n.longitude ? py::object(py::float_(*n.longitude)) : py::none();
            nodes.append(d);
        }
        return nodes;
    }

    py::list Links() const
    {
        py::list links;
        for (uint32_t l = 0; l < topo->GetNLinks(); ++l)
        {
            const TopologyLink& link = topo->GetLink(l);
            py::dict d;
            d["a"] = topo->GetNode(link.a).name;
            d["b"] = topo->GetNode(link.b).name;
            d["capacity_bps"] = link.capacityBps;
            d["delay_s"] = link.delaySeconds;
            d["merged_edges"] = link.mergedEdges;
            links.append(d);
        }
        return links;
    }

    py::object ShortestPathPy(py::handle a, py::handle b, const std::string& metric) const
    {
        PathMetric m;
        if (metric == "hops")
        {
            m = PathMetric::HOPS;
        }
        else if (metric == "delay")
        {
            m = PathMetric::DELAY;
        }
        else
        {
            throw py::value_error("shortest_path: metric is \"hops\" or \"delay\", not \"" +
                                  metric + "\"");
        }
        uint32_t src = NodeIndex(a);
        uint32_t dst = NodeIndex(b);
        std::optional<TopologyPath> path;
        {
            py::gil_scoped_release release;
            path = ShortestPath(*topo, src, dst, MetricWeight(*topo, m));
        }
        if (!path)
        {
            return py::none();
        }
        py::list names;
        for (uint32_t n : path->nodes)
        {
            names.append(topo->GetNode(n).name);
        }
        py::dict d;
        d["nodes"] = names;
        d["links"] = path->links;
        d["cost"] = path->cost;
        return std::move(d);
    }
};

PyTopology
LoadTopologyPy(const std::string& spec,
               bool keepParallelEdges,
               bool largestComponentOnly,
               double propagationSpeedMps,
               double defaultCapacityBps,
               double fallbackDelaySeconds)
{
    TopologyOptions options;
    options.keepParallelEdges = keepParallelEdges;
    options.largestComponentOnly = largestComponentOnly;
    options.propagationSpeedMps = propagationSpeedMps;
    options.defaultCapacityBps = defaultCapacityBps;
    options.fallbackDelaySeconds = fallbackDelaySeconds;
    py::gil_scoped_release release;
    return PyTopology{std::make_shared<const AisfcTopology>(LoadTopology(spec, options))};
}

// ---- placement -------------------------------------------------------------------------------

/// A generator configuration from a preset name and optional JSON overrides (whose own
/// "preset" key wins).
PlacementGeneratorConfig
GeneratorConfig(const std::string& preset, py::handle config, const std::string& what)
{
    if (config.is_none())
    {
        return PlacementGenerator::Preset(preset);
    }
    json doc = ObjectArgument(config, what);
    if (!doc.contains("preset"))
    {
        doc["preset"] = preset;
    }
    return PlacementGenerator::ConfigFromJson(doc, what);
}

/// A slot's evaluation as the dict of step()'s info and run_policy's slots.
py::dict
SlotResultDict(const PlacementSlotResult& r)
{
    py::dict d;
    d["reward"] = r.reward;
    d["acceptance_ratio"] = r.acceptanceRatio;
    d["accepted"] = r.accepted;
    d["requests"] = r.requests.size();
    d["total_cost"] = r.totalCost;
    d["it_cost"] = r.itCost;
    d["bandwidth_cost"] = r.bandwidthCost;
    d["reconfiguration_cost"] = r.reconfigurationCost;
    d["migration_cost"] = r.migrationCost;
    d["programming_cost"] = r.programmingCost;
    d["migration_delay_s"] = r.migrationDelay;
    d["programming_delay_s"] = r.programmingDelay;
    d["feasible"] = r.Feasible();
    py::list violations;
    for (const PlacementViolation& v : r.violations)
    {
        violations.append(PlacementViolationKindName(v.kind) + ": " + v.reason);
    }
    d["violations"] = violations;
    return d;
}

py::array_t<double>
ToArray(const std::vector<double>& v)
{
    py::array_t<double> a(v.size());
    std::copy(v.begin(), v.end(), a.mutable_data());
    return a;
}

/// PlacementEnvironment with Gym's method names; its generator makes a new problem on
/// reset(seed) with another seed.
class PyPlacementEnv
{
  public:
    PyPlacementEnv(const std::string& preset, uint64_t seed, py::handle config)
        : m_generator(GeneratorConfig(preset, config, "PlacementEnv config")),
          m_seed(seed)
    {
        py::gil_scoped_release release;
        m_env = std::make_unique<PlacementEnvironment>(m_generator.Generate(seed));
    }

    py::array_t<double> Reset(std::optional<uint64_t> seed)
    {
        std::vector<double> obs;
        {
            py::gil_scoped_release release;
            std::lock_guard<std::mutex> lock(m_mutex);
            if (seed && *seed != m_seed)
            {
                auto env = std::make_unique<PlacementEnvironment>(m_generator.Generate(*seed));
                m_env = std::move(env);
                m_seed = *seed;
            }
            m_env->Reset();
            obs = m_env->Observe();
        }
        return ToArray(obs);
    }

    py::tuple Step(const std::vector<int64_t>& hosts)
    {
        PlacementSlotResult r;
        std::vector<double> obs;
        bool done = false;
        uint32_t slot = 0;
        {
            py::gil_scoped_release release;
            std::lock_guard<std::mutex> lock(m_mutex);
            slot = m_env->GetSlot();
            r = m_env->StepHosts(hosts);
            obs = m_env->Observe();
            done = m_env->Done();
        }
        py::dict info = SlotResultDict(r);
        info["slot"] = slot;
        return py::make_tuple(ToArray(obs), r.reward, done, info);
    }

    py::array_t<bool> Mask(py::object instance, const std::string& modeName)
    {
        auto mode = PlacementParseFilterMode(modeName);
        if (!mode)
        {
            throw py::value_error("action_mask: mode is none, static, dynamic or hybrid, not '" +
                                  modeName + "'");
        }
        std::lock_guard<std::mutex> lock(m_mutex); // quick: the GIL stays held
        const PlacementProblem& p = m_env->GetProblem();
        const size_t slots = m_env->GetHostSlots().size();
        const uint32_t instances = p.InstanceCount();
        auto row = [&](uint32_t i, bool* out) {
            PlacementMask mask = m_env->GetFilters().Mask(*mode, m_env->GetDeployment(), i);
            for (size_t s = 0; s < slots; ++s)
            {
                out[s] = mask.allowed[s];
            }
        };
        if (!instance.is_none())
        {
            long long i = 0;
            if (py::isinstance<py::str>(instance))
            {
                std::string name = instance.cast<std::string>();
                auto found = p.FindInstance(name);
                if (!found)
                {
                    throw AisfcInputError("action_mask", "no instance named '" + name + "'");
                }
                i = *found;
            }
            else if (py::isinstance<py::int_>(instance) || py::hasattr(instance, "__index__"))
            {
                i = py::int_(instance).cast<long long>();
            }
            else
            {
                throw py::type_error("action_mask: an instance is an index (int) or a name (str)");
            }
            if (i < 0 || i >= instances)
            {
                throw py::index_error("action_mask: instance " + std::to_string(i) +
                                      " is not in [0, " + std::to_string(instances) + ")");
            }
            py::array_t<bool> a(slots);
            row(uint32_t(i), a.mutable_data());
            return a;
        }
        py::array_t<bool> a({size_t(instances), slots});
        for (uint32_t i = 0; i < instances; ++i)
        {
            row(i, a.mutable_data(i, 0));
        }
        return a;
    }

    // Readers lock too: reset(seed) may replace the environment from another thread.  Each
    // locks once (the mutex is not recursive) and keeps the GIL: they are quick.

    uint32_t Instances() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_env->GetProblem().InstanceCount();
    }

    size_t HostSlots() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_env->GetHostSlots().size();
    }

    std::vector<std::string> SlotNames() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        std::vector<std::string> names;
        for (const PlacementHostSlot& s : m_env->GetHostSlots())
        {
            names.push_back(m_env->GetProblem().HostSlotName(s));
        }
        return names;
    }

    std::vector<std::string> InstanceNames() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const PlacementProblem& p = m_env->GetProblem();
        std::vector<std::string> names;
        for (uint32_t i = 0; i < p.InstanceCount(); ++i)
        {
            names.push_back(p.InstanceName(i));
        }
        return names;
    }

    /// Host slot index of every instance now (-1 unplaced): an action that changes nothing.
    std::vector<int64_t> Placement() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        std::vector<int64_t> hosts;
        for (const auto& h : m_env->GetDeployment().hosts)
        {
            auto index = h ? m_env->GetProblem().HostSlotIndex(*h) : std::nullopt;
            hosts.push_back(index ? int64_t(*index) : -1);
        }
        return hosts;
    }

    size_t ObservationSize() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return PlacementFeatureCount(m_env->GetProblem());
    }

    uint32_t TimeSlot() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_env->GetSlot();
    }

    uint32_t Horizon() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_env->GetProblem().slots;
    }

    uint64_t Seed() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_seed;
    }

    py::object Problem() const
    {
        json doc;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            doc = m_env->GetProblem().ToJson();
        }
        return ToPython(doc);
    }

    PyTopology Topology() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return PyTopology{std::make_shared<const AisfcTopology>(m_env->GetProblem().topology)};
    }

  private:
    PlacementGenerator m_generator;
    uint64_t m_seed;
    std::unique_ptr<PlacementEnvironment> m_env;
    mutable std::mutex m_mutex; //!< one call at a time while the GIL is released
};

py::list
RunPolicyPy(const std::string& name,
            py::handle params,
            const std::string& preset,
            uint64_t seed,
            py::handle config,
            py::handle problem,
            std::optional<uint64_t> policySeed)
{
    json paramsJson =
        params.is_none() ? json(nullptr) : ObjectArgument(params, "run_policy params");
    std::optional<json> problemJson;
    std::optional<PlacementGeneratorConfig> generatorConfig;
    if (!problem.is_none())
    {
        problemJson = ObjectArgument(problem, "run_policy problem");
    }
    else
    {
        generatorConfig = GeneratorConfig(preset, config, "run_policy config");
    }
    std::vector<PlacementSlotResult> results;
    std::vector<double> starts;
    {
        py::gil_scoped_release release;
        PlacementProblem p = problemJson
                                 ? PlacementProblem::FromJson(*problemJson, "run_policy problem")
                                 : PlacementGenerator(*generatorConfig).Generate(seed);
        std::unique_ptr<PlacementPolicy> policy = PlacementPolicyRegistry::Create(name, paramsJson);
        results = PlacementRunPolicy(*policy, p, policySeed.value_or(seed));
        for (uint32_t t = 0; t < p.slots; ++t)
        {
            starts.push_back(p.SlotStart(t));
        }
    }
    py::list slots;
    for (size_t t = 0; t < results.size(); ++t)
    {
        py::dict d = SlotResultDict(results[t]);
        d["slot"] = t;
        d["start_s"] = starts[t];
        slots.append(d);
    }
    return slots;
}

// ---- DUNE ------------------------------------------------------------------------------------

py::dict
DuneRunPy(py::object options, py::kwargs kwargs)
{
    json doc = ObjectArgument(options, "dune_run options");
    for (auto item : kwargs)
    {
        std::string key = item.first.cast<std::string>();
        doc[key] = ToJson(item.second, "dune_run options", "/" + PointerToken(key));
    }
    const std::string place = "dune_run options";
    JsonReader r(doc, place);
    DuneExperimentOptions o = DuneExperimentFromJson(r);
    o.config.seed = r.GetUnsigned("seed", o.config.seed, 0, UINT64_MAX);
    o.out = r.GetString("out", "");
    r.Finish();
    json results;
    {
        py::gil_scoped_release release;
        results = DuneRunExperiment(o);
    }
    return ToPython(results);
}

} // namespace

PYBIND11_MODULE(aisfc, m)
{
    m.doc() = "aisfc: AI service function chaining on ns-3 (scenarios, topologies, VNF placement, "
              "DUNE in-network ML).";
    m.attr("__version__") = AISFC_VERSION;

    // pybind11 tries registered translators before its own, which would make this a
    // RuntimeError (AisfcInputError is a std::runtime_error).
    py::register_exception<AisfcInputError>(m, "InputError", PyExc_ValueError);
    m.attr("InputError").attr("__doc__") =
        "Bad input from a user; the message starts with the place (file:line, JSON path or "
        "option).";

    m.def("run_scenario",
          &RunScenarioPy,
          py::arg("scenario"),
          py::arg("out") = py::none(),
          py::arg("source") = "scenario",
          R"(Run a scenario as `aisfc run` does and return its results.json as a dict.

scenario: a dict (the scenario JSON) or the path of a scenario file.
out: output directory for config.resolved.json, results.json, flows.csv and pcap/; by
     default a temporary directory, removed afterwards.
source: the name errors give a dict scenario (relative topology files resolve from its
        directory).
Raises aisfc.InputError naming the JSON path of bad input.  Scenarios run one at a time
(ns-3's simulator is process-wide); the GIL is released while one runs.)");

    py::class_<PyTopology>(m, "Topology", "A substrate topology loaded by load_topology.")
        .def_property_readonly("name", [](const PyTopology& t) { return t.topo->GetName(); })
        .def_property_readonly("nodes",
                               &PyTopology::Nodes,
                               "list of dicts: name, role, latitude, longitude (None if unknown)")
        .def_property_readonly("links",
                               &PyTopology::Links,
                               "list of dicts: a, b (node names), capacity_bps, delay_s, "
                               "merged_edges")
        .def_property_readonly("n_nodes", [](const PyTopology& t) { return t.topo->GetNNodes(); })
        .def_property_readonly("n_links", [](const PyTopology& t) { return t.topo->GetNLinks(); })
        .def(
            "describe",
            [](const PyTopology& t) { return ToPython(DescribeTopology(*t.topo)); },
            "the summary `aisfc topo inspect --json` prints")
        .def("shortest_path",
             &PyTopology::ShortestPathPy,
             py::arg("a"),
             py::arg("b"),
             py::arg("metric") = "hops",
             "Dijkstra between two nodes (names or indices) by \"hops\" or \"delay\": "
             "{nodes: [names], links: [link indices], cost}, or None when unreachable")
        .def("__repr__", [](const PyTopology& t) {
            return "<aisfc.Topology '" + t.topo->GetName() +
                   "': " + std::to_string(t.topo->GetNNodes()) + " nodes, " +
                   std::to_string(t.topo->GetNLinks()) + " links>";
        });

    TopologyOptions defaults;
    m.def("load_topology",
          &LoadTopologyPy,
          py::arg("spec"),
          py::arg("keep_parallel_edges") = defaults.keepParallelEdges,
          py::arg("largest_component_only") = defaults.largestComponentOnly,
          py::arg("propagation_speed_mps") = defaults.propagationSpeedMps,
          py::arg("default_capacity_bps") = defaults.defaultCapacityBps,
          py::arg("fallback_delay_s") = defaults.fallbackDelaySeconds,
          "Load a topology: a .graphml or .json file, \"zoo:NAME\" (Topology Zoo, from "
          "$AISFC_TOPOLOGYZOO_DIR or ../shared/topologyzoo beside the sources) or a generator "
          "spec such as \"fattree:k=4\", \"line:10\", \"ring:8\".");
    m.def("topology_generators",
          &ListTopologyGenerators,
          "usage lines of the registered topology generators");

    py::class_<PyPlacementEnv>(m,
                               "PlacementEnv",
                               "The SR-EM reconfiguration MDP of one generated placement problem, "
                               "Gym-style: an episode is the problem's time slots.")
        .def(py::init<const std::string&, uint64_t, py::handle>(),
             py::arg("preset") = "srem",
             py::arg("seed") = 1,
             py::arg("config") = py::none(),
             "preset: generator preset; seed: problem seed; config: generator overrides as a "
             "dict (keys of `aisfc placement generate --config`)")
        .def("reset",
             &PyPlacementEnv::Reset,
             py::arg("seed") = py::none(),
             "Back to the first time slot; another seed generates a new problem.  Returns the "
             "observation (float64 array).")
        .def("step",
             &PyPlacementEnv::Step,
             py::arg("action"),
             "action: one host slot index per instance (-1 unplaced).  Returns (observation, "
             "reward, done, info); info holds acceptance_ratio, total_cost, it_cost, "
             "bandwidth_cost, reconfiguration_cost, feasible, violations, ...")
        .def("action_mask",
             &PyPlacementEnv::Mask,
             py::arg("instance") = py::none(),
             py::arg("mode") = "hybrid",
             "Allowed host slots on the current deployment (none, static, dynamic or hybrid "
             "filters): bool array n_instances x n_slots, or one instance's row")
        .def("problem", &PyPlacementEnv::Problem, "the problem as JSON (a dict for run_policy)")
        .def_property_readonly("n_instances", &PyPlacementEnv::Instances)
        .def_property_readonly("n_slots", &PyPlacementEnv::HostSlots, "host slots (actions)")
        .def_property_readonly("slot_names", &PyPlacementEnv::SlotNames, "\"node/kind\" names")
        .def_property_readonly("instance_names", &PyPlacementEnv::InstanceNames)
        .def_property_readonly("observation_size", &PyPlacementEnv::ObservationSize)
        .def_property_readonly("placement",
                               &PyPlacementEnv::Placement,
                               "host slot index of every instance now (-1 unplaced)")
        .def_property_readonly("time_slot",
                               &PyPlacementEnv::TimeSlot,
                               "the time slot the next step decides")
        .def_property_readonly("horizon", &PyPlacementEnv::Horizon, "time slots per episode")
        .def_property_readonly("seed", &PyPlacementEnv::Seed)
        .def_property_readonly("topology", &PyPlacementEnv::Topology);

    m.def(
        "placement_policies",
        []() {
            std::vector<std::string> names;
            for (const PlacementPolicyInfo& info : PlacementPolicyRegistry::List())
            {
                names.push_back(info.name);
            }
            return names;
        },
        "names of the registered placement policies");
    m.def("run_policy",
          &RunPolicyPy,
          py::arg("name"),
          py::arg("params") = py::none(),
          py::arg("preset") = "srem",
          py::arg("seed") = 1,
          py::arg("config") = py::none(),
          py::arg("problem") = py::none(),
          py::arg("policy_seed") = py::none(),
          "Run a placement policy over every time slot of a problem (generated from "
          "preset/config and seed, or given as problem JSON); policy_seed defaults to seed.  "
          "Returns one dict per slot: slot, start_s, reward, acceptance_ratio, total_cost, "
          "it_cost, bandwidth_cost, reconfiguration_cost, feasible, violations, ...");

    m.def("dune_run",
          &DuneRunPy,
          py::arg("options") = py::none(),
          "Train and evaluate DUNE, Jewel and Mousika as `aisfc dune run` does.  Options (a "
          "dict and/or keywords): data (\"synthetic\", FILE.pcap, FILE.csv), labels, "
          "label_column, classes, flows_per_class, packets_per_flow, test_fraction, switches, "
          "seed, out (writes results.json and a PNG there; nothing written without it), config "
          "(DuneConfig keys).  Returns the results dict.");
}
