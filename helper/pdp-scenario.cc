/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pdp-scenario.h"

#include "aisfc-network-builder.h"
#include "srv6-helper.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-flow-probe.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-units.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/pdp-controller.h"
#include "ns3/pdp-external-memory.h"
#include "ns3/pdp-helper.h"
#include "ns3/pdp-memory-server.h"
#include "ns3/pdp-server.h"
#include "ns3/pdp-switch.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <set>
#include <sstream>

namespace ns3
{

namespace
{
/// Function ids of pdp SIDs start here, clear of the srv6 section's (which count from 1).
constexpr uint16_t FIRST_FUNCTION_ID = 0x8000;

std::optional<PdpHosting::Kind>
ParseHostingKind(const std::string& text)
{
    for (auto k : {PdpHosting::Kind::LOCAL, PdpHosting::Kind::EXTERNAL, PdpHosting::Kind::SERVER})
    {
        if (PdpHostingKindName(k) == text)
        {
            return k;
        }
    }
    return std::nullopt;
}

std::string
RequireMemory(JsonReader& r)
{
    std::string memory = r.RequireString("memory");
    if (!ParseHostingKind(memory))
    {
        throw AisfcInputError(r.Place("memory"),
                              "unknown memory '" + memory + "' (known: local, external, server)");
    }
    return memory;
}

double
PositiveNumber(JsonReader& r, const std::string& key, double def)
{
    double v = r.GetNumber(key, def);
    if (!(v > 0))
    {
        throw AisfcInputError(r.Place(key), "must be positive");
    }
    return v;
}

PdpFunctionType
ReadFunctionType(JsonReader& t, const std::map<std::string, PdpFunctionType>& known)
{
    PdpFunctionType f;
    std::string base = t.GetString("base", "");
    if (!base.empty())
    {
        auto it = known.find(base);
        if (it == known.end())
        {
            throw AisfcInputError(t.Place("base"), "unknown function type '" + base + "'");
        }
        f = it->second;
    }
    f.name = t.RequireString("name");
    if (t.Has("match"))
    {
        std::string match = t.RequireString("match");
        auto kind = PdpParseMatchKind(match);
        if (!kind)
        {
            throw AisfcInputError(t.Place("match"),
                                  "unknown match kind '" + match +
                                      "' (known: exact, lpm, ternary, range)");
        }
        f.match = *kind;
    }
    f.keyBits = t.GetUnsigned("key_bits", f.keyBits, 1, 512);
    f.actionBits = t.GetUnsigned("action_bits", f.actionBits, 0, 1024);
    f.tableEntries = t.GetUnsigned("table_entries", f.tableEntries, 1, uint64_t(1) << 32);
    f.serverStorageBytes = t.GetBytes("server_storage", f.serverStorageBytes);
    f.switchCapacityBps = t.GetRate("switch_capacity", f.switchCapacityBps);
    f.serverCapacityBps = t.GetRate("server_capacity", f.serverCapacityBps);
    f.switchPerPacket = Seconds(t.GetDuration("switch_per_packet", f.switchPerPacket.GetSeconds()));
    f.switchPerMegabyte =
        Seconds(t.GetDuration("switch_per_megabyte", f.switchPerMegabyte.GetSeconds()));
    f.serverPerPacket = Seconds(t.GetDuration("server_per_packet", f.serverPerPacket.GetSeconds()));
    f.serverPerMegabyte =
        Seconds(t.GetDuration("server_per_megabyte", f.serverPerMegabyte.GetSeconds()));
    f.rdmaAccesses = t.GetUnsigned("rdma_accesses", f.rdmaAccesses, 1, 64);
    f.recirculations = t.GetUnsigned("recirculations", f.recirculations, 0, 16);
    t.Finish();
    return f;
}

nlohmann::json
FunctionTypeToJson(const PdpFunctionType& f)
{
    return {{"name", f.name},
            {"match", PdpMatchKindName(f.match)},
            {"key_bits", f.keyBits},
            {"action_bits", f.actionBits},
            {"table_entries", f.tableEntries},
            {"server_storage", f.serverStorageBytes},
            {"switch_capacity", FormatDataRate(f.switchCapacityBps)},
            {"server_capacity", FormatDataRate(f.serverCapacityBps)},
            {"switch_per_packet", FormatDuration(f.switchPerPacket.GetSeconds())},
            {"switch_per_megabyte", FormatDuration(f.switchPerMegabyte.GetSeconds())},
            {"server_per_packet", FormatDuration(f.serverPerPacket.GetSeconds())},
            {"server_per_megabyte", FormatDuration(f.serverPerMegabyte.GetSeconds())},
            {"rdma_accesses", f.rdmaAccesses},
            {"recirculations", f.recirculations}};
}

nlohmann::json
Distribution(const PdpLatencyStats& s)
{
    return {{"count", s.Count()},
            {"mean_s", s.Count() ? nlohmann::json(s.Mean()) : nlohmann::json()},
            {"p99_s", s.Count() ? nlohmann::json(s.Quantile(0.99)) : nlohmann::json()},
            {"max_s", s.Count() ? nlohmann::json(s.Max()) : nlohmann::json()}};
}
} // namespace

PdpScenarioConfig
ReadPdpSection(JsonReader& r, double durationSeconds)
{
    PdpScenarioConfig c;
    c.types = PdpBuiltinFunctionTypes();
    if (r.Has("pipeline"))
    {
        JsonReader p = r.RequireObject("pipeline");
        auto& q = c.pipeline;
        q.stages = p.GetUnsigned("stages", q.stages, 1, 64);
        q.fixedLatencySeconds = p.GetDuration("fixed_latency", q.fixedLatencySeconds);
        q.stageLatencySeconds = p.GetDuration("stage_latency", q.stageLatencySeconds);
        q.tcamKSeconds = p.GetDuration("tcam_k", q.tcamKSeconds);
        q.packetRate = PositiveNumber(p, "packet_rate", q.packetRate);
        q.queueLimit = p.GetUnsigned("queue_limit", q.queueLimit, 0, 100000000);
        q.recirculationSeconds = p.GetDuration("recirculation_latency", q.recirculationSeconds);
        p.Finish();
    }
    if (r.Has("switch_memory"))
    {
        JsonReader m = r.RequireObject("switch_memory");
        auto& b = c.switchMemory;
        b.sramBlocksPerStage =
            m.GetUnsigned("sram_blocks_per_stage", b.sramBlocksPerStage, 0, 1 << 20);
        b.tcamBlocksPerStage =
            m.GetUnsigned("tcam_blocks_per_stage", b.tcamBlocksPerStage, 0, 1 << 20);
        b.sramBlockBits = m.GetUnsigned("sram_block_bits", b.sramBlockBits, 1, 4096);
        b.sramBlockEntries = m.GetUnsigned("sram_block_entries", b.sramBlockEntries, 1, 1 << 24);
        b.tcamBlockBits = m.GetUnsigned("tcam_block_bits", b.tcamBlockBits, 1, 4096);
        b.tcamBlockEntries = m.GetUnsigned("tcam_block_entries", b.tcamBlockEntries, 1, 1 << 24);
        m.Finish();
    }
    c.switchMemory.stages = c.pipeline.stages;
    c.serverBytes = r.GetBytes("server_memory", c.serverBytes);
    if (r.Has("external_memory"))
    {
        JsonReader e = r.RequireObject("external_memory");
        c.externalMode = e.GetString("mode", c.externalMode);
        if (c.externalMode != "packets" && c.externalMode != "analytic")
        {
            throw AisfcInputError(e.Place("mode"),
                                  "unknown mode '" + c.externalMode +
                                      "' (known: packets, analytic)");
        }
        c.cacheEntries = e.GetUnsigned("cache_entries", c.cacheEntries, 0, 100000000);
        c.analyticRoundTripSeconds =
            e.GetDuration("analytic_round_trip", c.analyticRoundTripSeconds);
        c.analyticLookupRate = PositiveNumber(e, "analytic_lookup_rate", c.analyticLookupRate);
        e.Finish();
    }
    for (JsonReader& m : r.GetObjectArray("memory_servers"))
    {
        PdpScenarioConfig::MemoryServer s;
        s.place = m.Place();
        s.sw = m.RequireString("switch");
        s.rateBps = m.GetRate("rate", s.rateBps);
        s.delaySeconds = m.GetDuration("delay", s.delaySeconds);
        s.bytes = m.GetBytes("memory", s.bytes);
        s.accessLatencySeconds = m.GetDuration("access_latency", s.accessLatencySeconds);
        s.lookupRate = PositiveNumber(m, "lookup_rate", s.lookupRate);
        s.queueLimit = m.GetUnsigned("queue_limit", s.queueLimit, 0, 100000000);
        m.Finish();
        c.memoryServers.push_back(s);
    }
    if (r.Has("controller"))
    {
        JsonReader k = r.RequireObject("controller");
        c.controlBandwidthBps = k.GetRate("control_bandwidth", c.controlBandwidthBps);
        c.controlLatencySeconds = k.GetDuration("control_latency", c.controlLatencySeconds);
        c.migrationBandwidthBps = k.GetRate("migration_bandwidth", c.migrationBandwidthBps);
        c.controlCostPerGb = k.GetNumber("control_cost_per_gb", c.controlCostPerGb);
        c.migrationCostPerGb = k.GetNumber("migration_cost_per_gb", c.migrationCostPerGb);
        c.drainSeconds = k.GetDuration("drain_time", c.drainSeconds);
        if (c.controlCostPerGb < 0 || c.migrationCostPerGb < 0)
        {
            throw AisfcInputError(k.Place(), "costs must not be negative");
        }
        k.Finish();
    }
    for (JsonReader& t : r.GetObjectArray("function_types"))
    {
        PdpFunctionType f = ReadFunctionType(t, c.types);
        if (std::find(c.customTypes.begin(), c.customTypes.end(), f.name) != c.customTypes.end())
        {
            throw AisfcInputError(t.Place("name"), "duplicate function type '" + f.name + "'");
        }
        c.customTypes.push_back(f.name);
        c.types[f.name] = f;
    }
    std::set<std::string> names;
    for (JsonReader& f : r.GetObjectArray("functions"))
    {
        PdpScenarioConfig::Function fn;
        fn.place = f.Place();
        fn.name = f.RequireString("name");
        if (fn.name.empty() || fn.name.find('@') != std::string::npos)
        {
            throw AisfcInputError(f.Place("name"), "a function name is not empty and has no '@'");
        }
        if (!names.insert(fn.name).second)
        {
            throw AisfcInputError(f.Place("name"), "duplicate function name '" + fn.name + "'");
        }
        fn.type = f.RequireString("type");
        if (!c.types.count(fn.type))
        {
            throw AisfcInputError(f.Place("type"), "unknown function type '" + fn.type + "'");
        }
        fn.host = f.RequireString("host");
        fn.memory = RequireMemory(f);
        f.Finish();
        c.functions.push_back(fn);
    }
    double last = 0;
    for (JsonReader& k : r.GetObjectArray("reconfigurations"))
    {
        PdpScenarioConfig::Change ch;
        ch.place = k.Place();
        ch.atSeconds = k.GetDuration("at", 0);
        if (ch.atSeconds > durationSeconds)
        {
            throw AisfcInputError(k.Place("at"), "after the end of the scenario");
        }
        if (ch.atSeconds < last)
        {
            throw AisfcInputError(k.Place("at"), "reconfigurations must be in time order");
        }
        last = ch.atSeconds;
        ch.function = k.RequireString("function");
        if (!names.count(ch.function))
        {
            throw AisfcInputError(k.Place("function"), "no function named '" + ch.function + "'");
        }
        ch.action = k.GetString("action", "migrate");
        if (ch.action == "migrate")
        {
            ch.host = k.RequireString("host");
            ch.memory = RequireMemory(k);
        }
        else if (ch.action != "remove")
        {
            throw AisfcInputError(k.Place("action"),
                                  "unknown action '" + ch.action + "' (known: migrate, remove)");
        }
        k.Finish();
        c.changes.push_back(ch);
    }
    r.Finish();
    return c;
}

nlohmann::json
PdpSectionToJson(const PdpScenarioConfig& c)
{
    const auto& q = c.pipeline;
    const auto& b = c.switchMemory;
    nlohmann::json j;
    j["pipeline"] = {{"stages", q.stages},
                     {"fixed_latency", FormatDuration(q.fixedLatencySeconds)},
                     {"stage_latency", FormatDuration(q.stageLatencySeconds)},
                     {"tcam_k", FormatDuration(q.tcamKSeconds)},
                     {"packet_rate", q.packetRate},
                     {"queue_limit", q.queueLimit},
                     {"recirculation_latency", FormatDuration(q.recirculationSeconds)}};
    j["switch_memory"] = {{"sram_blocks_per_stage", b.sramBlocksPerStage},
                          {"tcam_blocks_per_stage", b.tcamBlocksPerStage},
                          {"sram_block_bits", b.sramBlockBits},
                          {"sram_block_entries", b.sramBlockEntries},
                          {"tcam_block_bits", b.tcamBlockBits},
                          {"tcam_block_entries", b.tcamBlockEntries}};
    j["server_memory"] = c.serverBytes;
    j["external_memory"] = {{"mode", c.externalMode},
                            {"cache_entries", c.cacheEntries},
                            {"analytic_round_trip", FormatDuration(c.analyticRoundTripSeconds)},
                            {"analytic_lookup_rate", c.analyticLookupRate}};
    j["memory_servers"] = nlohmann::json::array();
    for (const auto& m : c.memoryServers)
    {
        j["memory_servers"].push_back({{"switch", m.sw},
                                       {"rate", FormatDataRate(m.rateBps)},
                                       {"delay", FormatDuration(m.delaySeconds)},
                                       {"memory", m.bytes},
                                       {"access_latency", FormatDuration(m.accessLatencySeconds)},
                                       {"lookup_rate", m.lookupRate},
                                       {"queue_limit", m.queueLimit}});
    }
    j["controller"] = {{"control_bandwidth", FormatDataRate(c.controlBandwidthBps)},
                       {"control_latency", FormatDuration(c.controlLatencySeconds)},
                       {"migration_bandwidth", FormatDataRate(c.migrationBandwidthBps)},
                       {"control_cost_per_gb", c.controlCostPerGb},
                       {"migration_cost_per_gb", c.migrationCostPerGb},
                       {"drain_time", FormatDuration(c.drainSeconds)}};
    j["function_types"] = nlohmann::json::array();
    for (const auto& name : c.customTypes)
    {
        j["function_types"].push_back(FunctionTypeToJson(c.types.at(name)));
    }
    j["functions"] = nlohmann::json::array();
    for (const auto& f : c.functions)
    {
        j["functions"].push_back(
            {{"name", f.name}, {"type", f.type}, {"host", f.host}, {"memory", f.memory}});
    }
    j["reconfigurations"] = nlohmann::json::array();
    for (const auto& ch : c.changes)
    {
        nlohmann::json k = {{"at", ch.atSeconds}, {"function", ch.function}, {"action", ch.action}};
        if (ch.action == "migrate")
        {
            k["host"] = ch.host;
            k["memory"] = ch.memory;
        }
        j["reconfigurations"].push_back(k);
    }
    return j;
}

struct PdpDeployment::Impl
{
    PdpScenarioConfig config;
    std::vector<std::string> nodeNames;
    std::vector<uint32_t> memoryServerNodes;

    /// Each instance name's placements (first, then one per migration), with their SIDs.
    struct Placement
    {
        PdpHosting where;
        Ipv6Address sid;
    };

    std::vector<Placement> first;               //!< per function
    std::vector<std::optional<Placement>> next; //!< per change (migrations)
    std::map<std::string, Ipv6Address> segments;

    std::unique_ptr<PdpHelper> helper;
    std::vector<Ptr<PdpMemoryServer>> memoryServers;
    nlohmann::json refused = nlohmann::json::array();

    uint32_t Node(const AisfcTopology& topo, const std::string& name, const std::string& place)
    {
        auto i = topo.FindNode(name);
        if (!i)
        {
            throw AisfcInputError(place, "no node named '" + name + "'");
        }
        return *i;
    }

    /// A placement on `host` in `memory`, checked against the node's role.
    PdpHosting Hosting(const AisfcTopology& topo,
                       const std::string& host,
                       const std::string& memory,
                       const std::string& place)
    {
        PdpHosting h;
        h.node = Node(topo, host, place + "/host");
        h.kind = *ParseHostingKind(memory);
        NodeRole role = topo.GetNode(h.node).role;
        if (h.kind == PdpHosting::Kind::SERVER && role != NodeRole::SERVER)
        {
            throw AisfcInputError(place + "/host",
                                  "'" + host + "' is not a server (its role is " +
                                      NodeRoleName(role) + ")");
        }
        if (h.kind != PdpHosting::Kind::SERVER &&
            (role == NodeRole::SERVER || role == NodeRole::HOST))
        {
            throw AisfcInputError(place + "/host",
                                  "'" + host + "' is not a switch (its role is " +
                                      NodeRoleName(role) + ")");
        }
        return h;
    }

    void Refuse(const std::string& request, const std::string& place, const std::string& reason)
    {
        refused.push_back({{"request", request}, {"place", place}, {"reason", reason}});
    }
};

PdpDeployment::PdpDeployment(const PdpScenarioConfig& config, const AisfcTopology& topo)
    : m_impl(std::make_unique<Impl>())
{
    Impl& m = *m_impl;
    m.config = config;
    for (uint32_t i = 0; i < topo.GetNNodes(); ++i)
    {
        m.nodeNames.push_back(topo.GetNode(i).name);
    }
    for (const auto& s : config.memoryServers)
    {
        uint32_t node = m.Node(topo, s.sw, s.place + "/switch");
        NodeRole role = topo.GetNode(node).role;
        if (role == NodeRole::SERVER || role == NodeRole::HOST)
        {
            throw AisfcInputError(s.place + "/switch", "'" + s.sw + "' is not a switch");
        }
        m.memoryServerNodes.push_back(node);
    }
    std::map<uint32_t, uint16_t> nextFunction;
    std::map<std::string, Impl::Placement> byName;
    auto assign = [&](const std::string& name, const PdpHosting& where) {
        auto it = byName.find(name);
        if (it != byName.end())
        {
            return it->second;
        }
        uint16_t& f = nextFunction.emplace(where.node, FIRST_FUNCTION_ID).first->second;
        Impl::Placement p{where, Srv6Helper::Sid(where.node, f++)};
        byName[name] = p;
        m.segments[name] = p.sid;
        return p;
    };
    std::map<std::string, size_t> index;
    for (const auto& f : config.functions)
    {
        PdpHosting where = m.Hosting(topo, f.host, f.memory, f.place);
        index[f.name] = m.first.size();
        m.first.push_back(assign(f.name, where));
        byName[f.name + "@" + f.memory + "@" + f.host] = m.first.back();
        m.segments[f.name + "@" + f.memory + "@" + f.host] = m.first.back().sid;
    }
    for (const auto& ch : config.changes)
    {
        if (ch.action != "migrate")
        {
            m.next.emplace_back();
            continue;
        }
        PdpHosting where = m.Hosting(topo, ch.host, ch.memory, ch.place);
        m.next.emplace_back(assign(ch.function + "@" + ch.memory + "@" + ch.host, where));
    }
}

PdpDeployment::~PdpDeployment() = default;

const std::map<std::string, Ipv6Address>&
PdpDeployment::NamedSegments() const
{
    return m_impl->segments;
}

void
PdpDeployment::Install(AisfcNetworkBuilder& network, Srv6Helper& srv6, AisfcFlowProbe& probe)
{
    Impl& m = *m_impl;
    const PdpScenarioConfig& c = m.config;
    m.helper = std::make_unique<PdpHelper>(network, srv6);
    PdpHelper& h = *m.helper;
    const auto& q = c.pipeline;
    h.SetSwitchAttribute("Stages", UintegerValue(q.stages));
    h.SetSwitchAttribute("FixedLatency", TimeValue(Seconds(q.fixedLatencySeconds)));
    h.SetSwitchAttribute("StageLatency", TimeValue(Seconds(q.stageLatencySeconds)));
    h.SetSwitchAttribute("TcamK", TimeValue(Seconds(q.tcamKSeconds)));
    h.SetSwitchAttribute("PacketRate", DoubleValue(q.packetRate));
    h.SetSwitchAttribute("QueueLimit", UintegerValue(q.queueLimit));
    h.SetSwitchAttribute("RecirculationLatency", TimeValue(Seconds(q.recirculationSeconds)));
    h.SetExternalMemoryAttribute("Mode",
                                 EnumValue(c.externalMode == "analytic"
                                               ? PdpExternalMemory::ANALYTIC
                                               : PdpExternalMemory::PACKETS));
    h.SetExternalMemoryAttribute("CacheEntries", UintegerValue(c.cacheEntries));
    h.SetExternalMemoryAttribute("AnalyticRoundTrip",
                                 TimeValue(Seconds(c.analyticRoundTripSeconds)));
    h.SetExternalMemoryAttribute("AnalyticLookupRate", DoubleValue(c.analyticLookupRate));
    h.SetControllerAttribute("ControlBandwidth", DoubleValue(c.controlBandwidthBps));
    h.SetControllerAttribute("ControlLatency", TimeValue(Seconds(c.controlLatencySeconds)));
    h.SetControllerAttribute("MigrationBandwidth", DoubleValue(c.migrationBandwidthBps));
    h.SetControllerAttribute("ControlCostPerGB", DoubleValue(c.controlCostPerGb));
    h.SetControllerAttribute("MigrationCostPerGB", DoubleValue(c.migrationCostPerGb));
    h.SetControllerAttribute("DrainTime", TimeValue(Seconds(c.drainSeconds)));
    h.Install(c.switchMemory, c.serverBytes);
    for (size_t i = 0; i < c.memoryServers.size(); ++i)
    {
        const auto& s = c.memoryServers[i];
        h.SetMemoryServerAttribute("MemoryBytes", UintegerValue(s.bytes));
        h.SetMemoryServerAttribute("AccessLatency", TimeValue(Seconds(s.accessLatencySeconds)));
        h.SetMemoryServerAttribute("MaxLookupRate", DoubleValue(s.lookupRate));
        h.SetMemoryServerAttribute("QueueLimit", UintegerValue(s.queueLimit));
        m.memoryServers.push_back(
            h.AddMemoryServer(m.memoryServerNodes[i], s.rateBps, Seconds(s.delaySeconds)));
    }
    for (uint32_t i = 0; i < m.nodeNames.size(); ++i)
    {
        if (Ptr<PdpSwitch> sw = h.GetSwitch(i))
        {
            probe.WatchDrops(sw);
        }
    }
    Ptr<PdpController> controller = h.GetController();
    for (size_t f = 0; f < c.functions.size(); ++f)
    {
        const auto& spec = c.functions[f];
        std::string refusal =
            controller->Deploy(spec.name, c.types.at(spec.type), m.first[f].where, m.first[f].sid);
        if (!refusal.empty())
        {
            m.Refuse("deploy " + spec.name + " to " + spec.memory + "@" + spec.host,
                     spec.place,
                     refusal);
        }
    }
    for (size_t k = 0; k < c.changes.size(); ++k)
    {
        Simulator::Schedule(Seconds(c.changes[k].atSeconds), [&m, controller, k]() {
            const auto& ch = m.config.changes[k];
            std::string request = ch.action + " " + ch.function;
            std::string refusal;
            if (ch.action == "remove")
            {
                refusal = controller->Remove(ch.function);
            }
            else
            {
                request += " to " + ch.memory + "@" + ch.host;
                refusal = controller->Migrate(ch.function, m.next[k]->where, m.next[k]->sid);
            }
            if (!refusal.empty())
            {
                m.Refuse(request, ch.place, refusal);
            }
        });
    }
}

nlohmann::json
PdpDeployment::Results() const
{
    const Impl& m = *m_impl;
    const PdpHelper& h = *m.helper;
    nlohmann::json out;
    out["switches"] = nlohmann::json::array();
    out["servers"] = nlohmann::json::array();
    for (uint32_t i = 0; i < m.nodeNames.size(); ++i)
    {
        if (Ptr<PdpSwitch> sw = h.GetSwitch(i))
        {
            const PdpMemoryAccountant& mem = sw->GetMemory();
            Ptr<PdpExternalMemory> ext = sw->GetExternalMemory();
            nlohmann::json drops = sw->GetDrops();
            out["switches"].push_back(
                {{"name", m.nodeNames[i]},
                 {"packets", sw->GetPackets()},
                 {"recirculations", sw->GetRecirculations()},
                 {"drops", drops},
                 {"slot_wait", Distribution(sw->GetQueueDelays())},
                 {"memory",
                  {{"sram_blocks_used", mem.Used(PdpMemoryKind::SRAM)},
                   {"sram_blocks", mem.Capacity(PdpMemoryKind::SRAM)},
                   {"tcam_blocks_used", mem.Used(PdpMemoryKind::TCAM)},
                   {"tcam_blocks", mem.Capacity(PdpMemoryKind::TCAM)},
                   {"external_bytes_used", mem.Used(PdpMemoryKind::EXTERNAL)},
                   {"external_bytes", mem.Capacity(PdpMemoryKind::EXTERNAL)}}},
                 {"external_lookups",
                  {{"lookups", ext->GetLookups()},
                   {"cache_hits", ext->GetCacheHits()},
                   {"cache_misses", ext->GetCacheMisses()},
                   {"remote_reads", ext->GetRemoteReads()},
                   {"failures", ext->GetFailures()},
                   {"latency", Distribution(ext->GetLatencies())}}}});
        }
        else if (Ptr<PdpServer> server = h.GetServer(i))
        {
            const PdpMemoryAccountant& mem = server->GetMemory();
            out["servers"].push_back({{"name", m.nodeNames[i]},
                                      {"memory_used_bytes", mem.Used(PdpMemoryKind::SERVER)},
                                      {"memory_bytes", mem.Capacity(PdpMemoryKind::SERVER)}});
        }
    }
    out["memory_servers"] = nlohmann::json::array();
    for (size_t i = 0; i < m.memoryServers.size(); ++i)
    {
        const Ptr<PdpMemoryServer>& s = m.memoryServers[i];
        out["memory_servers"].push_back({{"switch", m.config.memoryServers[i].sw},
                                         {"requests", s->GetRequests()},
                                         {"responses", s->GetResponses()},
                                         {"naks", s->GetNaks()},
                                         {"overload_drops", s->GetDrops("server-overload")}});
    }
    Ptr<PdpController> controller = h.GetController();
    out["functions"] = nlohmann::json::array();
    for (const Ptr<PdpFunctionInstance>& f : controller->GetAllInstances())
    {
        nlohmann::json drops = f->GetDrops();
        out["functions"].push_back({{"name", f->GetName()},
                                    {"type", f->GetType().name},
                                    {"placement", controller->Describe(f->GetHosting())},
                                    {"memory", PdpHostingKindName(f->GetHosting().kind)},
                                    {"capacity_bps", f->GetCapacityBps()},
                                    {"served_packets", f->GetServed()},
                                    {"served_bytes", f->GetServedBytes()},
                                    {"drops", drops},
                                    {"latency", Distribution(f->GetLatencies())}});
    }
    out["reconfigurations"] = nlohmann::json::array();
    for (const PdpReconfiguration& r : controller->GetRecords())
    {
        out["reconfigurations"].push_back({{"at_s", r.timeSeconds},
                                           {"instance", r.instance},
                                           {"action", r.action},
                                           {"from", r.from},
                                           {"to", r.to},
                                           {"bytes", r.bytes},
                                           {"delay_s", r.delaySeconds},
                                           {"cost", r.cost}});
    }
    out["refused"] = m.refused;
    return out;
}

} // namespace ns3
