/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "placement-problem.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-units.h"

#include <limits>
#include <map>
#include <set>
#include <stdexcept>

namespace ns3
{

namespace
{

constexpr const char* FORMAT = "aisfc-placement-problem";

const std::vector<std::pair<PlacementHostKind, const char*>> HOST_KIND_NAMES = {
    {PlacementHostKind::SERVER, "server"},
    {PlacementHostKind::LOCAL, "local"},
    {PlacementHostKind::EXTERNAL, "external"},
};

std::string
Describe(const nlohmann::json& v)
{
    std::string text = v.dump();
    return text.size() > 40 ? text.substr(0, 37) + "..." : text;
}

// A non-negative number (costs, weights): JsonReader's GetNumber plus the sign check.
double
GetNonNegative(JsonReader& r, const std::string& key, double def)
{
    double v = r.GetNumber(key, def);
    if (!(v >= 0))
    {
        throw AisfcInputError(r.Place(key), "must not be negative");
    }
    return v;
}

enum class ArrayUnit
{
    RATE,
    DURATION,
};

// An array of rates or durations, each a number (bit/s, seconds) or a string with a unit.
std::vector<double>
ReadArray(JsonReader& r, const std::string& key, size_t expected, const char* what, ArrayUnit unit)
{
    const nlohmann::json& v = r.RequireValue(key);
    std::string place = r.Place(key);
    if (!v.is_array())
    {
        throw AisfcInputError(place, "expected an array, got " + Describe(v));
    }
    if (v.size() != expected)
    {
        throw AisfcInputError(place,
                              "expected " + std::to_string(expected) + " values (one per " + what +
                                  "), got " + std::to_string(v.size()));
    }
    std::vector<double> out;
    for (size_t i = 0; i < v.size(); ++i)
    {
        std::string at = place + "/" + std::to_string(i);
        const nlohmann::json& e = v[i];
        if (e.is_string())
        {
            out.push_back(unit == ArrayUnit::RATE ? ParseDataRateBps(e.get<std::string>(), at)
                                                  : ParseDurationSeconds(e.get<std::string>(), at));
            continue;
        }
        if (!e.is_number())
        {
            throw AisfcInputError(at,
                                  std::string("expected ") +
                                      (unit == ArrayUnit::RATE ? "a data rate" : "a duration") +
                                      ", got " + Describe(e));
        }
        double x = e.get<double>();
        if (unit == ArrayUnit::RATE ? !(x > 0) : !(x >= 0))
        {
            throw AisfcInputError(at,
                                  unit == ArrayUnit::RATE ? "data rate must be positive"
                                                          : "duration must not be negative");
        }
        out.push_back(x);
    }
    return out;
}

std::vector<std::string>
ReadStringArray(JsonReader& r, const std::string& key)
{
    const nlohmann::json& v = r.RequireValue(key);
    std::string place = r.Place(key);
    if (!v.is_array())
    {
        throw AisfcInputError(place, "expected an array of names, got " + Describe(v));
    }
    std::vector<std::string> out;
    for (size_t i = 0; i < v.size(); ++i)
    {
        if (!v[i].is_string())
        {
            throw AisfcInputError(place + "/" + std::to_string(i),
                                  "expected a name, got " + Describe(v[i]));
        }
        out.push_back(v[i].get<std::string>());
    }
    return out;
}

uint32_t
RequireNode(const AisfcTopology& topo, JsonReader& r, const std::string& key)
{
    std::string name = r.RequireString(key);
    std::optional<uint32_t> n = topo.FindNode(name);
    if (!n)
    {
        throw AisfcInputError(r.Place(key), "unknown node '" + name + "'");
    }
    return *n;
}

uint64_t
CeilDiv(uint64_t a, uint64_t b)
{
    return (a + b - 1) / b;
}

[[noreturn]] void
Invalid(const std::string& what)
{
    throw std::invalid_argument("placement problem: " + what);
}

} // namespace

std::string
PlacementHostKindName(PlacementHostKind kind)
{
    for (const auto& [k, name] : HOST_KIND_NAMES)
    {
        if (k == kind)
        {
            return name;
        }
    }
    return "server";
}

std::optional<PlacementHostKind>
PlacementParseHostKind(const std::string& name)
{
    for (const auto& [k, n] : HOST_KIND_NAMES)
    {
        if (name == n)
        {
            return k;
        }
    }
    return std::nullopt;
}

PdpMemoryKind
PlacementMemoryKind(PlacementHostKind kind)
{
    switch (kind)
    {
    case PlacementHostKind::SERVER:
        return PdpMemoryKind::SERVER;
    case PlacementHostKind::LOCAL:
        return PdpMemoryKind::SRAM;
    case PlacementHostKind::EXTERNAL:
        return PdpMemoryKind::EXTERNAL;
    }
    return PdpMemoryKind::SERVER;
}

std::string
PlacementNodeTypeName(PlacementNodeType type)
{
    return type == PlacementNodeType::SERVER ? "server" : "switch";
}

bool
PlacementHostSlot::operator==(const PlacementHostSlot& o) const
{
    return node == o.node && kind == o.kind;
}

bool
PlacementHostSlot::operator!=(const PlacementHostSlot& o) const
{
    return !(*this == o);
}

bool
PlacementHostSlot::operator<(const PlacementHostSlot& o) const
{
    return node != o.node ? node < o.node : kind < o.kind;
}

PlacementDeployment
PlacementDeployment::Unplaced(uint32_t instances)
{
    PlacementDeployment d;
    d.hosts.assign(instances, std::nullopt);
    return d;
}

uint32_t
PlacementProblem::InstanceCount() const
{
    uint32_t n = 0;
    for (const auto& t : types)
    {
        n += t.instances;
    }
    return n;
}

uint32_t
PlacementProblem::FirstInstance(uint32_t type) const
{
    uint32_t n = 0;
    for (uint32_t t = 0; t < type && t < types.size(); ++t)
    {
        n += types[t].instances;
    }
    return n;
}

uint32_t
PlacementProblem::InstanceType(uint32_t instance) const
{
    for (uint32_t t = 0; t < types.size(); ++t)
    {
        if (instance < types[t].instances)
        {
            return t;
        }
        instance -= types[t].instances;
    }
    Invalid("instance index out of range");
}

std::string
PlacementProblem::InstanceName(uint32_t instance) const
{
    uint32_t t = InstanceType(instance);
    return types[t].name + "#" + std::to_string(instance - FirstInstance(t));
}

std::optional<uint32_t>
PlacementProblem::FindInstance(const std::string& name) const
{
    size_t hash = name.rfind('#');
    if (hash == std::string::npos || hash + 1 >= name.size() ||
        name.find_first_not_of("0123456789", hash + 1) != std::string::npos ||
        name.size() - hash > 10)
    {
        return std::nullopt;
    }
    std::string type = name.substr(0, hash);
    uint64_t k = std::stoull(name.substr(hash + 1));
    for (uint32_t t = 0; t < types.size(); ++t)
    {
        if (types[t].name == type && k < types[t].instances)
        {
            return FirstInstance(t) + uint32_t(k);
        }
    }
    return std::nullopt;
}

std::vector<PlacementHostSlot>
PlacementProblem::HostSlots() const
{
    std::vector<PlacementHostSlot> out;
    for (uint32_t n = 0; n < nodes.size(); ++n)
    {
        if (nodes[n].type == PlacementNodeType::SERVER)
        {
            out.push_back({n, PlacementHostKind::SERVER});
        }
        else
        {
            out.push_back({n, PlacementHostKind::LOCAL});
            out.push_back({n, PlacementHostKind::EXTERNAL});
        }
    }
    return out;
}

std::optional<uint32_t>
PlacementProblem::HostSlotIndex(const PlacementHostSlot& slot) const
{
    if (!IsHostSlot(slot))
    {
        return std::nullopt;
    }
    uint32_t index = 0;
    for (uint32_t n = 0; n < slot.node; ++n)
    {
        index += nodes[n].type == PlacementNodeType::SERVER ? 1 : 2;
    }
    return index + (slot.kind == PlacementHostKind::EXTERNAL ? 1 : 0);
}

bool
PlacementProblem::IsHostSlot(const PlacementHostSlot& slot) const
{
    if (slot.node >= nodes.size())
    {
        return false;
    }
    bool server = nodes[slot.node].type == PlacementNodeType::SERVER;
    return server == (slot.kind == PlacementHostKind::SERVER);
}

std::string
PlacementProblem::HostSlotName(const PlacementHostSlot& slot) const
{
    std::string node = slot.node < topology.GetNNodes() ? topology.GetNode(slot.node).name
                                                        : "node" + std::to_string(slot.node);
    return node + "/" + PlacementHostKindName(slot.kind);
}

uint64_t
PlacementProblem::StorageDemand(uint32_t instance, PlacementHostKind kind) const
{
    const PlacementFunctionType& t = types.at(InstanceType(instance));
    return kind == PlacementHostKind::SERVER ? t.serverBytes : t.switchBytes;
}

double
PlacementProblem::ProcessingCapacity(uint32_t instance, PlacementHostKind kind) const
{
    const PlacementFunctionType& t = types.at(InstanceType(instance));
    return kind == PlacementHostKind::SERVER ? t.serverCapacityBps : t.switchCapacityBps;
}

double
PlacementProblem::StorageCostPerMB(const PlacementHostSlot& slot) const
{
    const PlacementNode& n = nodes.at(slot.node);
    switch (slot.kind)
    {
    case PlacementHostKind::SERVER:
        return n.serverCostPerMB;
    case PlacementHostKind::LOCAL:
        return n.localCostPerMB;
    case PlacementHostKind::EXTERNAL:
        return n.externalCostPerMB;
    }
    return 0;
}

uint32_t
PlacementProblem::RdmaAccesses(uint32_t type, uint32_t node) const
{
    const PlacementNode& n = nodes.at(node);
    if (n.rdmaTableBytes == 0)
    {
        return 0;
    }
    uint64_t accesses = CeilDiv(types.at(type).switchBytes, n.rdmaTableBytes);
    return uint32_t(std::max<uint64_t>(1, accesses));
}

PdpMemoryBudget
PlacementProblem::MemoryBudget(uint32_t node) const
{
    const PlacementNode& n = nodes.at(node);
    if (n.type == PlacementNodeType::SERVER)
    {
        return PdpMemoryBudget::Server(n.serverBytes);
    }
    // Local memory as one stage of byte-addressed SRAM blocks: placement stores opaque function
    // state, so the stage a block sits in does not matter, only the block granularity.
    PdpMemoryBudget b;
    b.stages = 1;
    b.tcamBlocksPerStage = 0;
    b.sramBlockBits = 8;
    b.sramBlockEntries = uint32_t(sramBlockBytes);
    b.sramBlocksPerStage = uint32_t(n.localBytes / sramBlockBytes);
    // Without an RDMA table the switch cannot reach its external memory: none is usable.
    b.externalBytes = n.rdmaTableBytes > 0 ? n.externalBytes : 0;
    b.serverBytes = 0;
    return b;
}

double
PlacementProblem::TrafficMB(uint32_t request, uint32_t slot) const
{
    return requests.at(request).rateBps.at(slot) * trafficWindow / 8e6;
}

double
PlacementProblem::SlotStart(uint32_t slot) const
{
    return start + slot * slotLength;
}

void
PlacementProblem::Validate() const
{
    uint32_t nNodes = topology.GetNNodes();
    if (nodes.size() != nNodes)
    {
        Invalid(std::to_string(nodes.size()) + " placement nodes for " + std::to_string(nNodes) +
                " topology nodes");
    }
    if (linkCostPerMB.size() != topology.GetNLinks())
    {
        Invalid("one link cost per topology link is needed");
    }
    if (types.empty())
    {
        Invalid("no function types");
    }
    if (slots == 0 || !(slotLength > 0) || !(trafficWindow > 0))
    {
        Invalid("slots, slot length and traffic window must be positive");
    }
    if (sramBlockBytes == 0 || sramBlockBytes > std::numeric_limits<uint32_t>::max())
    {
        Invalid("SRAM block size must be in [1, 2^32)");
    }
    std::set<std::string> typeNames;
    for (const auto& t : types)
    {
        if (!typeNames.insert(t.name).second || t.name.empty() ||
            t.name.find('#') != std::string::npos)
        {
            Invalid("type name '" + t.name + "' is empty, repeated or contains '#'");
        }
        if (t.instances == 0)
        {
            Invalid("type '" + t.name + "' has no instance");
        }
    }
    for (uint32_t n = 0; n < nNodes; ++n)
    {
        const PlacementNode& node = nodes[n];
        const std::string& name = topology.GetNode(n).name;
        if (node.delayPerMB.size() != types.size())
        {
            Invalid("node '" + name + "' needs one delay per MB per function type");
        }
        if (node.type == PlacementNodeType::SWITCH &&
            node.localBytes / sramBlockBytes > std::numeric_limits<uint32_t>::max())
        {
            Invalid("node '" + name + "': local memory has too many SRAM blocks");
        }
    }
    std::set<std::string> requestNames;
    for (const auto& r : requests)
    {
        if (!requestNames.insert(r.name).second)
        {
            Invalid("request name '" + r.name + "' is repeated");
        }
        if (r.source >= nNodes || r.destination >= nNodes)
        {
            Invalid("request '" + r.name + "': source or destination out of range");
        }
        if (r.chain.empty())
        {
            Invalid("request '" + r.name + "' has an empty chain");
        }
        for (uint32_t t : r.chain)
        {
            if (t >= types.size())
            {
                Invalid("request '" + r.name + "': type index out of range");
            }
        }
        if (r.rateBps.size() != slots || r.deadline.size() != slots)
        {
            Invalid("request '" + r.name + "' needs one rate and one deadline per slot");
        }
    }
    uint32_t nInstances = InstanceCount();
    if (initialDeployment.hosts.size() != nInstances && !initialDeployment.hosts.empty())
    {
        Invalid("the initial deployment needs one entry per instance");
    }
    for (const auto& h : initialDeployment.hosts)
    {
        if (h && !IsHostSlot(*h))
        {
            Invalid("initial deployment on " + HostSlotName(*h) + ", which is no host slot");
        }
    }
    if (!initialAssignment.instances.empty())
    {
        if (initialAssignment.instances.size() != requests.size())
        {
            Invalid("the initial assignment needs one entry per request");
        }
        for (uint32_t r = 0; r < requests.size(); ++r)
        {
            const auto& a = initialAssignment.instances[r];
            if (a.size() != requests[r].chain.size())
            {
                Invalid("request '" + requests[r].name + "': one instance per chain position");
            }
            for (uint32_t p = 0; p < a.size(); ++p)
            {
                if (a[p] >= nInstances || InstanceType(a[p]) != requests[r].chain[p])
                {
                    Invalid("request '" + requests[r].name + "': position " + std::to_string(p) +
                            " is assigned an instance of another type");
                }
            }
        }
    }
}

nlohmann::json
PlacementProblem::ToJson() const
{
    using nlohmann::json;
    json doc;
    doc["format"] = FORMAT;
    doc["name"] = name;
    doc["seed"] = seed;
    doc["topology"] = topology.GetName();
    doc["start"] = start;
    doc["slotLength"] = slotLength;
    doc["slots"] = slots;
    doc["trafficWindow"] = trafficWindow;
    doc["sramBlock"] = sramBlockBytes;
    doc["weights"] = {{"alpha", weights.alpha},
                      {"beta", weights.beta},
                      {"acceptance", weights.acceptance},
                      {"cost", weights.cost},
                      {"linkViolationZeroesReward", weights.linkViolationZeroesReward}};
    json jt = json::array();
    for (const auto& t : types)
    {
        json o = {{"name", t.name},
                  {"instances", t.instances},
                  {"switchStorage", t.switchBytes},
                  {"serverStorage", t.serverBytes},
                  {"program", t.programBytes}};
        // Rates are written only when positive: JSON rates must be > 0.
        if (t.switchCapacityBps > 0)
        {
            o["switchCapacity"] = t.switchCapacityBps;
        }
        if (t.serverCapacityBps > 0)
        {
            o["serverCapacity"] = t.serverCapacityBps;
        }
        jt.push_back(o);
    }
    doc["types"] = jt;
    json jn = json::array();
    for (uint32_t i = 0; i < nodes.size() && i < topology.GetNNodes(); ++i)
    {
        const PlacementNode& n = nodes[i];
        const TopologyNode& tn = topology.GetNode(i);
        json o = {{"name", tn.name},
                  {"role", NodeRoleName(tn.role)},
                  {"type", PlacementNodeTypeName(n.type)}};
        if (tn.latitude)
        {
            o["latitude"] = *tn.latitude;
        }
        if (tn.longitude)
        {
            o["longitude"] = *tn.longitude;
        }
        if (n.type == PlacementNodeType::SERVER)
        {
            o["storage"] = n.serverBytes;
            o["storageCostPerMB"] = n.serverCostPerMB;
        }
        else
        {
            o["localMemory"] = n.localBytes;
            o["externalMemory"] = n.externalBytes;
            o["rdmaTable"] = n.rdmaTableBytes;
            o["localCostPerMB"] = n.localCostPerMB;
            o["externalCostPerMB"] = n.externalCostPerMB;
            if (n.controllerBps > 0)
            {
                o["controllerBandwidth"] = n.controllerBps;
            }
            o["controllerCostPerMB"] = n.controllerCostPerMB;
            o["rdmaAccessDelay"] = n.rdmaAccessDelay;
        }
        o["delayPerMB"] = n.delayPerMB;
        jn.push_back(o);
    }
    doc["nodes"] = jn;
    json jl = json::array();
    for (uint32_t l = 0; l < topology.GetNLinks(); ++l)
    {
        const TopologyLink& tl = topology.GetLink(l);
        json o = {{"a", topology.GetNode(tl.a).name},
                  {"b", topology.GetNode(tl.b).name},
                  {"bandwidth", tl.capacityBps},
                  {"delay", tl.delaySeconds},
                  {"costPerMB", l < linkCostPerMB.size() ? linkCostPerMB[l] : 0.0}};
        jl.push_back(o);
    }
    doc["links"] = jl;
    json jr = json::array();
    for (uint32_t r = 0; r < requests.size(); ++r)
    {
        const PlacementRequest& q = requests[r];
        json chain = json::array();
        for (uint32_t t : q.chain)
        {
            chain.push_back(types.at(t).name);
        }
        json o = {{"name", q.name},
                  {"source", topology.GetNode(q.source).name},
                  {"destination", topology.GetNode(q.destination).name},
                  {"chain", chain},
                  {"rate", q.rateBps},
                  {"deadline", q.deadline}};
        if (r < initialAssignment.instances.size())
        {
            json inst = json::array();
            for (uint32_t i : initialAssignment.instances[r])
            {
                inst.push_back(InstanceName(i));
            }
            o["instances"] = inst;
        }
        jr.push_back(o);
    }
    doc["requests"] = jr;
    json jd = json::array();
    for (uint32_t i = 0; i < initialDeployment.hosts.size(); ++i)
    {
        if (const auto& h = initialDeployment.hosts[i])
        {
            jd.push_back({{"instance", InstanceName(i)},
                          {"node", topology.GetNode(h->node).name},
                          {"kind", PlacementHostKindName(h->kind)}});
        }
    }
    doc["initialDeployment"] = jd;
    return doc;
}

PlacementProblem
PlacementProblem::FromJson(const nlohmann::json& doc, const std::string& source)
{
    JsonReader top(doc, source);
    std::string format = top.GetString("format", FORMAT);
    if (format != FORMAT)
    {
        throw AisfcInputError(top.Place("format"),
                              "expected \"" + std::string(FORMAT) + "\", got \"" + format + "\"");
    }
    PlacementProblem p;
    p.name = top.RequireString("name");
    p.seed = top.GetUnsigned("seed", 0, 0, std::numeric_limits<uint64_t>::max());
    p.start = top.GetDuration("start", 0);
    p.slotLength = top.GetDuration("slotLength", p.slotLength);
    if (!(p.slotLength > 0))
    {
        throw AisfcInputError(top.Place("slotLength"), "must be positive");
    }
    p.slots = uint32_t(top.GetUnsigned("slots", 1, 1, 1000000));
    p.trafficWindow = top.GetDuration("trafficWindow", p.trafficWindow);
    if (!(p.trafficWindow > 0))
    {
        throw AisfcInputError(top.Place("trafficWindow"), "must be positive");
    }
    p.sramBlockBytes = top.GetBytes("sramBlock", p.sramBlockBytes);
    if (p.sramBlockBytes == 0 || p.sramBlockBytes > std::numeric_limits<uint32_t>::max())
    {
        throw AisfcInputError(top.Place("sramBlock"), "must be in [1 B, 4 GiB)");
    }
    if (top.Has("weights"))
    {
        JsonReader w = top.RequireObject("weights");
        p.weights.alpha = GetNonNegative(w, "alpha", p.weights.alpha);
        p.weights.beta = GetNonNegative(w, "beta", p.weights.beta);
        p.weights.acceptance = GetNonNegative(w, "acceptance", p.weights.acceptance);
        p.weights.cost = GetNonNegative(w, "cost", p.weights.cost);
        p.weights.linkViolationZeroesReward = w.GetBool("linkViolationZeroesReward", false);
        w.Finish();
    }

    std::map<std::string, uint32_t> typeIndex;
    std::vector<JsonReader> jt = top.GetObjectArray("types");
    if (jt.empty())
    {
        throw AisfcInputError(top.Place("types"), "at least one function type is needed");
    }
    for (JsonReader& t : jt)
    {
        PlacementFunctionType f;
        f.name = t.RequireString("name");
        if (f.name.empty() || f.name.find('#') != std::string::npos ||
            !typeIndex.emplace(f.name, p.types.size()).second)
        {
            throw AisfcInputError(t.Place("name"),
                                  "type name '" + f.name + "' is empty, repeated or contains '#'");
        }
        f.instances = uint32_t(t.GetUnsigned("instances", 1, 1, 100000));
        f.switchBytes = t.GetBytes("switchStorage", 0);
        f.serverBytes = t.GetBytes("serverStorage", 0);
        // The paper: the data that programs a function into a switch is its size.
        f.programBytes = t.GetBytes("program", f.switchBytes);
        f.switchCapacityBps = t.GetRate("switchCapacity", 0);
        f.serverCapacityBps = t.GetRate("serverCapacity", 0);
        t.Finish();
        p.types.push_back(f);
    }

    AisfcTopology topo(top.GetString("topology", p.name));
    std::vector<JsonReader> jn = top.GetObjectArray("nodes");
    if (jn.empty())
    {
        throw AisfcInputError(top.Place("nodes"), "at least one node is needed");
    }
    for (JsonReader& n : jn)
    {
        TopologyNode tn;
        tn.name = n.RequireString("name");
        if (topo.FindNode(tn.name))
        {
            throw AisfcInputError(n.Place("name"), "node '" + tn.name + "' is repeated");
        }
        std::string type = n.RequireString("type");
        PlacementNode node;
        if (type == "server")
        {
            node.type = PlacementNodeType::SERVER;
        }
        else if (type != "switch")
        {
            throw AisfcInputError(n.Place("type"),
                                  "expected \"switch\" or \"server\", got \"" + type + "\"");
        }
        std::string role = n.GetString("role", type == "server" ? "server" : "switch");
        std::optional<NodeRole> r = NodeRoleFromName(role);
        if (!r)
        {
            throw AisfcInputError(n.Place("role"), "unknown role '" + role + "'");
        }
        tn.role = *r;
        if (n.Has("latitude"))
        {
            tn.latitude = n.GetNumber("latitude", 0);
        }
        if (n.Has("longitude"))
        {
            tn.longitude = n.GetNumber("longitude", 0);
        }
        if (node.type == PlacementNodeType::SERVER)
        {
            node.serverBytes = n.GetBytes("storage", 0);
            node.serverCostPerMB = GetNonNegative(n, "storageCostPerMB", 0);
        }
        else
        {
            node.localBytes = n.GetBytes("localMemory", 0);
            node.externalBytes = n.GetBytes("externalMemory", 0);
            node.rdmaTableBytes = n.GetBytes("rdmaTable", 0);
            node.localCostPerMB = GetNonNegative(n, "localCostPerMB", 0);
            node.externalCostPerMB = GetNonNegative(n, "externalCostPerMB", 0);
            node.controllerBps = n.GetRate("controllerBandwidth", 0);
            node.controllerCostPerMB = GetNonNegative(n, "controllerCostPerMB", 0);
            node.rdmaAccessDelay = n.GetDuration("rdmaAccessDelay", 0);
            if (node.localBytes / p.sramBlockBytes > std::numeric_limits<uint32_t>::max())
            {
                throw AisfcInputError(n.Place("localMemory"), "too many SRAM blocks");
            }
        }
        node.delayPerMB =
            ReadArray(n, "delayPerMB", p.types.size(), "function type", ArrayUnit::DURATION);
        n.Finish();
        topo.AddNode(tn);
        p.nodes.push_back(node);
    }
    for (JsonReader& l : top.GetObjectArray("links"))
    {
        TopologyLink tl;
        tl.a = RequireNode(topo, l, "a");
        tl.b = RequireNode(topo, l, "b");
        if (tl.a == tl.b)
        {
            throw AisfcInputError(l.Place("b"), "a link must join two different nodes");
        }
        if (!l.Has("bandwidth"))
        {
            throw AisfcInputError(l.Place("bandwidth"), "missing required data rate");
        }
        tl.capacityBps = l.GetRate("bandwidth", 0);
        tl.delaySeconds = l.GetDuration("delay", 0);
        p.linkCostPerMB.push_back(GetNonNegative(l, "costPerMB", 0));
        l.Finish();
        topo.AddLink(tl);
    }
    p.topology = std::move(topo);

    uint32_t nInstances = p.InstanceCount();
    std::set<std::string> requestNames;
    bool anyAssigned = false;
    std::vector<JsonReader> jr = top.GetObjectArray("requests");
    for (uint32_t ri = 0; ri < jr.size(); ++ri)
    {
        JsonReader& r = jr[ri];
        PlacementRequest q;
        q.name = r.RequireString("name");
        if (!requestNames.insert(q.name).second)
        {
            throw AisfcInputError(r.Place("name"), "request '" + q.name + "' is repeated");
        }
        q.source = RequireNode(p.topology, r, "source");
        q.destination = RequireNode(p.topology, r, "destination");
        std::vector<std::string> chain = ReadStringArray(r, "chain");
        if (chain.empty())
        {
            throw AisfcInputError(r.Place("chain"), "a chain needs at least one function");
        }
        for (size_t i = 0; i < chain.size(); ++i)
        {
            auto it = typeIndex.find(chain[i]);
            if (it == typeIndex.end())
            {
                throw AisfcInputError(r.Place("chain") + "/" + std::to_string(i),
                                      "unknown function type '" + chain[i] + "'");
            }
            q.chain.push_back(it->second);
        }
        q.rateBps = ReadArray(r, "rate", p.slots, "slot", ArrayUnit::RATE);
        q.deadline = ReadArray(r, "deadline", p.slots, "slot", ArrayUnit::DURATION);
        bool assigned = r.Has("instances");
        if (ri > 0 && assigned != anyAssigned)
        {
            throw AisfcInputError(r.Place("instances"),
                                  "either every request or none has its initial instances");
        }
        anyAssigned = assigned;
        if (assigned)
        {
            std::vector<std::string> names = ReadStringArray(r, "instances");
            if (names.size() != q.chain.size())
            {
                throw AisfcInputError(r.Place("instances"), "expected one instance per function");
            }
            std::vector<uint32_t> a;
            for (size_t i = 0; i < names.size(); ++i)
            {
                std::optional<uint32_t> inst = p.FindInstance(names[i]);
                if (!inst || p.InstanceType(*inst) != q.chain[i])
                {
                    throw AisfcInputError(r.Place("instances") + "/" + std::to_string(i),
                                          "'" + names[i] + "' is no instance of type '" +
                                              p.types[q.chain[i]].name + "'");
                }
                a.push_back(*inst);
            }
            p.initialAssignment.instances.push_back(a);
        }
        r.Finish();
        p.requests.push_back(q);
    }

    p.initialDeployment = PlacementDeployment::Unplaced(nInstances);
    for (JsonReader& d : top.GetObjectArray("initialDeployment"))
    {
        std::string inst = d.RequireString("instance");
        std::optional<uint32_t> i = p.FindInstance(inst);
        if (!i)
        {
            throw AisfcInputError(d.Place("instance"), "unknown instance '" + inst + "'");
        }
        if (p.initialDeployment.hosts[*i])
        {
            throw AisfcInputError(d.Place("instance"), "instance '" + inst + "' placed twice");
        }
        PlacementHostSlot slot;
        slot.node = RequireNode(p.topology, d, "node");
        std::string kind = d.RequireString("kind");
        std::optional<PlacementHostKind> k = PlacementParseHostKind(kind);
        if (!k)
        {
            throw AisfcInputError(d.Place("kind"),
                                  "expected \"server\", \"local\" or \"external\", got \"" + kind +
                                      "\"");
        }
        slot.kind = *k;
        if (!p.IsHostSlot(slot))
        {
            throw AisfcInputError(d.Place("kind"),
                                  "node '" + p.topology.GetNode(slot.node).name + "' is a " +
                                      PlacementNodeTypeName(p.nodes[slot.node].type) +
                                      " and has no " + kind + " memory");
        }
        d.Finish();
        p.initialDeployment.hosts[*i] = slot;
    }
    top.Finish();
    try
    {
        p.Validate();
    }
    catch (const std::invalid_argument& e)
    {
        throw AisfcInputError(source, e.what());
    }
    return p;
}

} // namespace ns3
