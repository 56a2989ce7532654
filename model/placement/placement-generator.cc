/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "placement-generator.h"

#include "placement-storage.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-rng.h"
#include "ns3/topology-source.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>

namespace ns3
{

namespace
{

enum class Unit
{
    BYTES,
    RATE,
    DURATION,
    NUMBER,
};

struct RangeField
{
    const char* name;
    Unit unit;
    PlacementRange PlacementGeneratorConfig::*member;
};

using C = PlacementGeneratorConfig;

// Every range of the configuration, in the order ToJson writes them.
const std::vector<RangeField> RANGES = {
    {"serverStorage", Unit::BYTES, &C::serverStorage},
    {"localMemory", Unit::BYTES, &C::localMemory},
    {"externalMemory", Unit::BYTES, &C::externalMemory},
    {"rdmaTable", Unit::BYTES, &C::rdmaTable},
    {"linkBandwidth", Unit::RATE, &C::linkBandwidth},
    {"linkDelay", Unit::DURATION, &C::linkDelay},
    {"linkCostPerGB", Unit::NUMBER, &C::linkCostPerGB},
    {"controllerBandwidth", Unit::RATE, &C::controllerBandwidth},
    {"controllerCostPerGB", Unit::NUMBER, &C::controllerCostPerGB},
    {"functionStorage", Unit::BYTES, &C::functionStorage},
    {"serverProcessing", Unit::RATE, &C::serverProcessing},
    {"switchProcessing", Unit::RATE, &C::switchProcessing},
    {"serverDelayPerMB", Unit::DURATION, &C::serverDelayPerMB},
    {"switchDelayPerMB", Unit::DURATION, &C::switchDelayPerMB},
    {"rdmaAccessDelay", Unit::DURATION, &C::rdmaAccessDelay},
    {"serverCostPerGB", Unit::NUMBER, &C::serverCostPerGB},
    {"localCostPerMB", Unit::NUMBER, &C::localCostPerMB},
    {"externalDiscountPerMB", Unit::NUMBER, &C::externalDiscountPerMB},
    {"workRate", Unit::RATE, &C::workRate},
    {"offRate", Unit::RATE, &C::offRate},
    {"workDeadline", Unit::DURATION, &C::workDeadline},
    {"offDeadline", Unit::DURATION, &C::offDeadline},
};

using PlaceOf = std::function<std::string(const std::string& key)>;

/**
 * Uniform draws from std::mt19937_64, whose output sequence the C++ standard fixes; the
 * mappings to [0, 1) and to integers are ours, so a seed gives the same problem with any
 * standard library (std::uniform_*_distribution does not promise that).
 */
class Rng
{
  public:
    explicit Rng(uint64_t seed)
        : m_gen(seed)
    {
    }

    /// 53 random bits as a double in [0, 1).
    double Unit01()
    {
        return double(m_gen() >> 11) * 0x1.0p-53;
    }

    double Uniform(const PlacementRange& r)
    {
        return r.min + (r.max - r.min) * Unit01();
    }

    /// Uniform in [0, n), n > 0, by rejection (no modulo bias).
    uint64_t Below(uint64_t n)
    {
        uint64_t threshold = (0 - n) % n; // 2^64 mod n
        for (;;)
        {
            uint64_t x = m_gen();
            if (x >= threshold)
            {
                return x % n;
            }
        }
    }

    /// Uniform whole number in [lo, hi].
    uint64_t Integer(uint64_t lo, uint64_t hi)
    {
        return hi - lo == std::numeric_limits<uint64_t>::max() ? m_gen() : lo + Below(hi - lo + 1);
    }

    uint64_t Bytes(const PlacementRange& r)
    {
        return Integer(uint64_t(r.min), uint64_t(r.max));
    }

  private:
    std::mt19937_64 m_gen;
};

double
GetValue(JsonReader& r, const std::string& key, Unit unit, double def)
{
    switch (unit)
    {
    case Unit::BYTES:
        return double(r.GetBytes(key, uint64_t(def)));
    case Unit::RATE:
        return r.GetRate(key, def);
    case Unit::DURATION:
        return r.GetDuration(key, def);
    case Unit::NUMBER: {
        double v = r.GetNumber(key, def);
        if (!(v >= 0))
        {
            throw AisfcInputError(r.Place(key), "must not be negative");
        }
        return v;
    }
    }
    return def;
}

PlacementRange
ReadRange(JsonReader& r, const RangeField& f, PlacementRange def)
{
    if (!r.Has(f.name))
    {
        return def;
    }
    PlacementRange out;
    if (r.RequireValue(f.name).is_object())
    {
        JsonReader o = r.RequireObject(f.name);
        out.min = GetValue(o, "min", f.unit, def.min);
        out.max = GetValue(o, "max", f.unit, def.max);
        o.Finish();
    }
    else
    {
        out.min = out.max = GetValue(r, f.name, f.unit, def.min);
    }
    return out;
}

void
Check(const PlacementGeneratorConfig& c, const PlaceOf& place)
{
    auto fail = [&](const std::string& key, const std::string& what) {
        throw AisfcInputError(place(key), what);
    };
    if (c.types == 0)
    {
        fail("types", "at least one function type is needed");
    }
    if (c.instancesPerType == 0)
    {
        fail("instancesPerType", "at least one instance per type is needed");
    }
    if (c.minChainLength == 0 || c.minChainLength > c.maxChainLength)
    {
        fail("minChainLength", "must be in [1, maxChainLength]");
    }
    if (c.maxChainLength > c.types)
    {
        fail("maxChainLength",
             "chains hold distinct types: at most types (" + std::to_string(c.types) +
                 ") functions");
    }
    if (c.slots == 0)
    {
        fail("slots", "at least one slot is needed");
    }
    if (!(c.slotLength > 0))
    {
        fail("slotLength", "must be positive");
    }
    if (!(c.trafficWindow > 0))
    {
        fail("trafficWindow", "must be positive");
    }
    if (c.sramBlock == 0 || c.sramBlock > std::numeric_limits<uint32_t>::max())
    {
        fail("sramBlock", "must be in [1 B, 4 GiB)");
    }
    for (const RangeField& f : RANGES)
    {
        const PlacementRange& r = c.*f.member;
        if (!(r.min >= 0) || !(r.min <= r.max) || !std::isfinite(r.max))
        {
            fail(f.name, "needs 0 <= min <= max");
        }
        if (f.unit == Unit::RATE && !(r.min > 0))
        {
            fail(f.name, "rates must be positive");
        }
        if (f.unit == Unit::BYTES &&
            (r.max > 9e15 || r.min != std::floor(r.min) || r.max != std::floor(r.max)))
        {
            fail(f.name, "sizes must be whole numbers of bytes below 9 PB");
        }
    }
    if (c.localMemory.max / c.sramBlock > std::numeric_limits<uint32_t>::max())
    {
        fail("localMemory", "too many SRAM blocks of sramBlock bytes");
    }
    if (c.externalDiscountPerMB.max > c.localCostPerMB.min)
    {
        fail("externalDiscountPerMB",
             "must not exceed localCostPerMB (external memory would cost less than nothing)");
    }
}

bool
IsServerRole(NodeRole role)
{
    return role == NodeRole::SERVER || role == NodeRole::HOST;
}

} // namespace

PlacementGeneratorConfig
PlacementGenerator::Preset(const std::string& name)
{
    if (name == "srem")
    {
        return PlacementGeneratorConfig();
    }
    throw AisfcInputError("placement preset '" + name + "'", "unknown (known: srem)");
}

std::vector<std::string>
PlacementGenerator::PresetNames()
{
    return {"srem"};
}

PlacementGeneratorConfig
PlacementGenerator::ConfigFromJson(const nlohmann::json& doc, const std::string& source)
{
    JsonReader r(doc, source);
    PlacementGeneratorConfig c;
    std::string preset = r.GetString("preset", "srem");
    try
    {
        c = Preset(preset);
    }
    catch (const AisfcInputError&)
    {
        throw AisfcInputError(r.Place("preset"), "unknown preset '" + preset + "' (known: srem)");
    }
    c.preset = preset;
    c.topology = r.GetString("topology", c.topology);
    c.types = uint32_t(r.GetUnsigned("types", c.types, 1, 1000));
    c.instancesPerType = uint32_t(r.GetUnsigned("instancesPerType", c.instancesPerType, 1, 1000));
    c.requests = uint32_t(r.GetUnsigned("requests", c.requests, 0, 1000000));
    c.minChainLength = uint32_t(r.GetUnsigned("minChainLength", c.minChainLength, 1, 1000));
    c.maxChainLength = uint32_t(r.GetUnsigned("maxChainLength", c.maxChainLength, 1, 1000));
    c.start = r.GetDuration("start", c.start);
    c.slotLength = r.GetDuration("slotLength", c.slotLength);
    c.slots = uint32_t(r.GetUnsigned("slots", c.slots, 1, 100000));
    c.workEnd = r.GetDuration("workEnd", c.workEnd);
    c.trafficWindow = r.GetDuration("trafficWindow", c.trafficWindow);
    c.sramBlock = r.GetBytes("sramBlock", c.sramBlock);
    c.rdmaTableEqualsLocal = r.GetBool("rdmaTableEqualsLocal", c.rdmaTableEqualsLocal);
    for (const RangeField& f : RANGES)
    {
        c.*f.member = ReadRange(r, f, c.*f.member);
    }
    if (r.Has("weights"))
    {
        JsonReader w = r.RequireObject("weights");
        c.weights.alpha = GetValue(w, "alpha", Unit::NUMBER, c.weights.alpha);
        c.weights.beta = GetValue(w, "beta", Unit::NUMBER, c.weights.beta);
        c.weights.acceptance = GetValue(w, "acceptance", Unit::NUMBER, c.weights.acceptance);
        c.weights.cost = GetValue(w, "cost", Unit::NUMBER, c.weights.cost);
        c.weights.linkViolationZeroesReward =
            w.GetBool("linkViolationZeroesReward", c.weights.linkViolationZeroesReward);
        w.Finish();
    }
    r.Finish();
    Check(c, [&r](const std::string& key) { return r.Place(key); });
    return c;
}

nlohmann::json
PlacementGenerator::ConfigToJson(const PlacementGeneratorConfig& c)
{
    nlohmann::json j = {{"preset", c.preset},
                        {"topology", c.topology},
                        {"types", c.types},
                        {"instancesPerType", c.instancesPerType},
                        {"requests", c.requests},
                        {"minChainLength", c.minChainLength},
                        {"maxChainLength", c.maxChainLength},
                        {"start", c.start},
                        {"slotLength", c.slotLength},
                        {"slots", c.slots},
                        {"workEnd", c.workEnd},
                        {"trafficWindow", c.trafficWindow},
                        {"sramBlock", c.sramBlock},
                        {"rdmaTableEqualsLocal", c.rdmaTableEqualsLocal}};
    for (const RangeField& f : RANGES)
    {
        const PlacementRange& r = c.*f.member;
        if (f.unit == Unit::BYTES)
        {
            j[f.name] = {{"min", uint64_t(r.min)}, {"max", uint64_t(r.max)}};
        }
        else
        {
            j[f.name] = {{"min", r.min}, {"max", r.max}};
        }
    }
    j["weights"] = {{"alpha", c.weights.alpha},
                    {"beta", c.weights.beta},
                    {"acceptance", c.weights.acceptance},
                    {"cost", c.weights.cost},
                    {"linkViolationZeroesReward", c.weights.linkViolationZeroesReward}};
    return j;
}

PlacementGenerator::PlacementGenerator(const PlacementGeneratorConfig& config)
    : m_config(config)
{
    PlaceOf place = [](const std::string& key) { return "placement generator: /" + key; };
    Check(m_config, place);
    try
    {
        m_topology = LoadTopology(m_config.topology, TopologyOptions());
    }
    catch (const AisfcInputError& e)
    {
        throw AisfcInputError(place("topology"), e.what());
    }
    uint32_t servers = 0;
    uint32_t switches = 0;
    for (uint32_t n = 0; n < m_topology.GetNNodes(); ++n)
    {
        (IsServerRole(m_topology.GetNode(n).role) ? servers : switches) += 1;
    }
    if (servers == 0)
    {
        throw AisfcInputError(place("topology"),
                              "'" + m_config.topology +
                                  "' has no server (role server or host) for the initial "
                                  "deployment");
    }
    if (m_config.requests > 0 && switches < 2)
    {
        throw AisfcInputError(place("topology"),
                              "'" + m_config.topology +
                                  "' needs two switches as request sources and destinations");
    }
}

const PlacementGeneratorConfig&
PlacementGenerator::GetConfig() const
{
    return m_config;
}

uint64_t
PlacementGenerator::SetSeed(uint64_t seed, uint64_t index)
{
    return AisfcDerivedSeed(seed, index);
}

std::vector<PlacementProblem>
PlacementGenerator::GenerateSet(uint64_t seed, uint32_t count, uint32_t first) const
{
    std::vector<PlacementProblem> out;
    out.reserve(count);
    for (uint32_t k = 0; k < count; ++k)
    {
        out.push_back(Generate(SetSeed(seed, uint64_t(first) + k)));
    }
    return out;
}

PlacementProblem
PlacementGenerator::Generate(uint64_t seed) const
{
    const PlacementGeneratorConfig& c = m_config;
    Rng rng(seed);
    PlacementProblem p;
    p.name = c.preset + "-" + std::to_string(seed);
    p.seed = seed;
    p.start = c.start;
    p.slotLength = c.slotLength;
    p.slots = c.slots;
    p.trafficWindow = c.trafficWindow;
    p.sramBlockBytes = c.sramBlock;
    p.weights = c.weights;

    // The draws happen in a fixed order: types, links, nodes, requests, assignment.
    for (uint32_t t = 0; t < c.types; ++t)
    {
        PlacementFunctionType f;
        f.name = "f" + std::to_string(t);
        f.instances = c.instancesPerType;
        // The paper gives one storage demand per function, and "the data for programming a
        // function in a switch is the same as its size".
        uint64_t size = rng.Bytes(c.functionStorage);
        f.switchBytes = size;
        f.serverBytes = size;
        f.programBytes = size;
        f.switchCapacityBps = rng.Uniform(c.switchProcessing);
        f.serverCapacityBps = rng.Uniform(c.serverProcessing);
        p.types.push_back(f);
    }

    AisfcTopology topo(m_topology.GetName());
    for (uint32_t n = 0; n < m_topology.GetNNodes(); ++n)
    {
        topo.AddNode(m_topology.GetNode(n));
    }
    for (uint32_t l = 0; l < m_topology.GetNLinks(); ++l)
    {
        TopologyLink link = m_topology.GetLink(l);
        link.capacityBps = rng.Uniform(c.linkBandwidth);
        link.delaySeconds = rng.Uniform(c.linkDelay);
        // "The cost per GB transfer is in proportion with BW": the bandwidth's position in its
        // range is the cost's position in its range.
        double span = c.linkBandwidth.max - c.linkBandwidth.min;
        double where = span > 0 ? (link.capacityBps - c.linkBandwidth.min) / span : 0.5;
        double perGB = c.linkCostPerGB.min + where * (c.linkCostPerGB.max - c.linkCostPerGB.min);
        p.linkCostPerMB.push_back(perGB / 1000);
        topo.AddLink(link);
    }
    p.topology = std::move(topo);

    std::vector<uint32_t> servers;
    std::vector<uint32_t> switches;
    for (uint32_t n = 0; n < p.topology.GetNNodes(); ++n)
    {
        PlacementNode node;
        if (IsServerRole(p.topology.GetNode(n).role))
        {
            node.type = PlacementNodeType::SERVER;
            node.serverBytes = rng.Bytes(c.serverStorage);
            node.serverCostPerMB = rng.Uniform(c.serverCostPerGB) / 1000;
            for (uint32_t t = 0; t < c.types; ++t)
            {
                node.delayPerMB.push_back(rng.Uniform(c.serverDelayPerMB));
            }
            servers.push_back(n);
        }
        else
        {
            node.type = PlacementNodeType::SWITCH;
            node.localBytes = rng.Bytes(c.localMemory) / c.sramBlock * c.sramBlock;
            node.externalBytes = rng.Bytes(c.externalMemory);
            node.rdmaTableBytes = c.rdmaTableEqualsLocal ? node.localBytes : rng.Bytes(c.rdmaTable);
            node.localCostPerMB = rng.Uniform(c.localCostPerMB);
            node.externalCostPerMB = node.localCostPerMB - rng.Uniform(c.externalDiscountPerMB);
            node.controllerBps = rng.Uniform(c.controllerBandwidth);
            node.controllerCostPerMB = rng.Uniform(c.controllerCostPerGB) / 1000;
            node.rdmaAccessDelay = rng.Uniform(c.rdmaAccessDelay);
            for (uint32_t t = 0; t < c.types; ++t)
            {
                node.delayPerMB.push_back(rng.Uniform(c.switchDelayPerMB));
            }
            switches.push_back(n);
        }
        p.nodes.push_back(node);
    }

    for (uint32_t r = 0; r < c.requests; ++r)
    {
        PlacementRequest q;
        q.name = "r" + std::to_string(r);
        // A random subset of distinct types in random order (partial Fisher-Yates).
        uint32_t length = uint32_t(rng.Integer(c.minChainLength, c.maxChainLength));
        std::vector<uint32_t> order(c.types);
        for (uint32_t t = 0; t < c.types; ++t)
        {
            order[t] = t;
        }
        for (uint32_t k = 0; k < length; ++k)
        {
            std::swap(order[k], order[k + rng.Below(c.types - k)]);
            q.chain.push_back(order[k]);
        }
        uint32_t s = uint32_t(rng.Below(switches.size()));
        uint32_t d = uint32_t(rng.Below(switches.size() - 1));
        q.source = switches[s];
        q.destination = switches[d >= s ? d + 1 : d];
        for (uint32_t slot = 0; slot < c.slots; ++slot)
        {
            bool working = p.SlotStart(slot) < c.workEnd;
            // Whole bits per second keep the data sets readable.
            q.rateBps.push_back(
                std::max(1.0, std::round(rng.Uniform(working ? c.workRate : c.offRate))));
            q.deadline.push_back(rng.Uniform(working ? c.workDeadline : c.offDeadline));
        }
        p.requests.push_back(q);
    }

    // "Initially, VNF instances are deployed on the servers with minimum cost that can provide
    // the required storage" (ties to the lower node index).
    std::stable_sort(servers.begin(), servers.end(), [&p](uint32_t a, uint32_t b) {
        return p.nodes[a].serverCostPerMB < p.nodes[b].serverCostPerMB;
    });
    uint32_t nInstances = p.InstanceCount();
    p.initialDeployment = PlacementDeployment::Unplaced(nInstances);
    PlacementStorage storage(p);
    for (uint32_t i = 0; i < nInstances; ++i)
    {
        for (uint32_t s : servers)
        {
            PlacementHostSlot slot{s, PlacementHostKind::SERVER};
            if (storage.Place(i, slot).ok)
            {
                p.initialDeployment.hosts[i] = slot;
                break;
            }
        }
        if (!p.initialDeployment.hosts[i])
        {
            throw AisfcInputError("placement generator: /serverStorage",
                                  "no server can hold instance " + p.InstanceName(i) + " (seed " +
                                      std::to_string(seed) + ")");
        }
    }

    // "Then, a VNF in a request is mapped to a random VNF instance that can accommodate the
    // chain traffic flow" (at the first slot's rate; any instance of the type when none can).
    std::vector<double> load(nInstances, 0);
    for (const PlacementRequest& q : p.requests)
    {
        std::vector<uint32_t> chosen;
        for (uint32_t type : q.chain)
        {
            uint32_t first = p.FirstInstance(type);
            std::vector<uint32_t> room;
            for (uint32_t i = first; i < first + p.types[type].instances; ++i)
            {
                if (load[i] + q.rateBps[0] <= p.types[type].serverCapacityBps)
                {
                    room.push_back(i);
                }
            }
            uint32_t i = room.empty() ? first + uint32_t(rng.Below(p.types[type].instances))
                                      : room[rng.Below(room.size())];
            load[i] += q.rateBps[0];
            chosen.push_back(i);
        }
        p.initialAssignment.instances.push_back(chosen);
    }
    p.Validate();
    return p;
}

} // namespace ns3
