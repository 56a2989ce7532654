/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-scenario.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-json-reader.h"

#include <algorithm>
#include <filesystem>
#include <set>

namespace ns3
{

namespace
{

constexpr uint32_t MAX_UDP_PAYLOAD = 1452; // 1500-byte MTU minus IPv6 and UDP headers
constexpr uint32_t MIN_UDP_PAYLOAD = 12;   // ns-3's UdpClient sequence and timestamp header
constexpr size_t MAX_FLOWS = 100000;
// A 1500-byte MTU minus IPv6 (40), TCP (20) and the timestamp option ns-3 sends (12): larger
// segments would be fragmented.
constexpr uint32_t MAX_TCP_SEGMENT = 1428;

bool
IsFileSpec(const std::string& spec)
{
    auto ends = [&](const std::string& suffix) {
        return spec.size() >= suffix.size() &&
               spec.compare(spec.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return ends(".graphml") || ends(".json");
}

void
ReadTopology(JsonReader& root, ScenarioConfig& c)
{
    const nlohmann::json& value = root.RequireValue("topology");
    std::string place = root.Place("topology");
    if (value.is_string())
    {
        c.topologySpec = value.get<std::string>();
    }
    else
    {
        JsonReader t = root.RequireObject("topology");
        c.topologySpec = t.RequireString("spec");
        TopologyOptions& o = c.topologyOptions;
        o.keepParallelEdges = t.GetBool("keep_parallel_edges", o.keepParallelEdges);
        o.largestComponentOnly = t.GetBool("largest_component_only", o.largestComponentOnly);
        o.propagationSpeedMps = t.GetNumber("propagation_speed_mps", o.propagationSpeedMps);
        if (!(o.propagationSpeedMps > 0))
        {
            throw AisfcInputError(t.Place("propagation_speed_mps"), "must be positive");
        }
        o.defaultCapacityBps = t.GetRate("default_rate", o.defaultCapacityBps);
        o.fallbackDelaySeconds = t.GetDuration("fallback_delay", o.fallbackDelaySeconds);
        t.Finish();
        place = t.Place("spec");
    }
    if (c.topologySpec.empty())
    {
        throw AisfcInputError(place, "empty topology spec");
    }
    // A relative topology file is relative to the scenario file, not to the working directory.
    std::filesystem::path spec(c.topologySpec);
    if (IsFileSpec(c.topologySpec) && spec.is_relative())
    {
        std::filesystem::path dir = std::filesystem::path(c.source).parent_path();
        c.topologySpec = (dir / spec).lexically_normal().string();
    }
}

void
ReadNetwork(JsonReader& root, ScenarioConfig& c)
{
    if (!root.Has("network"))
    {
        return;
    }
    JsonReader n = root.RequireObject("network");
    std::string metric = n.GetString("routing_metric", "delay");
    if (metric == "delay")
    {
        c.network.routingMetric = PathMetric::DELAY;
    }
    else if (metric == "hops")
    {
        c.network.routingMetric = PathMetric::HOPS;
    }
    else
    {
        throw AisfcInputError(n.Place("routing_metric"),
                              "unknown metric '" + metric + "' (known: delay, hops)");
    }
    c.network.equalCostMultipath = n.GetBool("ecmp", c.network.equalCostMultipath);
    c.network.queuePackets = n.GetUnsigned("queue_packets", c.network.queuePackets, 1, 1000000);
    c.network.duplicateAddressDetection = n.GetBool("dad", c.network.duplicateAddressDetection);
    c.tcpSegmentSize = n.GetUnsigned("tcp_segment_size", c.tcpSegmentSize, 64, MAX_TCP_SEGMENT);
    n.Finish();
}

FlowConfig
ReadFlow(JsonReader& f, size_t index, const ScenarioConfig& c)
{
    FlowConfig flow;
    flow.place = f.Place();
    flow.type = f.RequireString("type");
    flow.name = f.GetString("name", flow.type + "-" + std::to_string(index));
    flow.src = f.RequireString("src");
    flow.dst = f.RequireString("dst");
    if (flow.src == flow.dst)
    {
        throw AisfcInputError(f.Place("dst"), "source and destination are both '" + flow.src + "'");
    }
    flow.startSeconds = f.GetDuration("start", 0);
    flow.stopSeconds = f.GetDuration("stop", c.durationSeconds);
    if (flow.stopSeconds <= flow.startSeconds)
    {
        throw AisfcInputError(f.Place("stop"), "stop must be after start");
    }
    if (flow.stopSeconds > c.durationSeconds)
    {
        throw AisfcInputError(f.Place("stop"), "stop is after the scenario's duration");
    }
    flow.port = f.GetUnsigned("port", 9000 + index, 1, 65535);
    if (flow.type == "udp-cbr")
    {
        flow.rateBps = f.GetRate("rate", flow.rateBps);
        flow.packetSize =
            f.GetUnsigned("packet_size", flow.packetSize, MIN_UDP_PAYLOAD, MAX_UDP_PAYLOAD);
    }
    else if (flow.type == "tcp-bulk")
    {
        flow.maxBytes = f.GetUnsigned("max_bytes", 0, 0, UINT64_MAX);
    }
    else
    {
        throw AisfcInputError(f.Place("type"),
                              "unknown traffic type '" + flow.type +
                                  "' (known: udp-cbr, tcp-bulk)");
    }
    f.Finish();
    return flow;
}

} // namespace

ScenarioConfig
ParseScenario(const nlohmann::json& doc, const std::string& source)
{
    ScenarioConfig c;
    c.source = source;
    JsonReader root(doc, source);
    c.name = root.GetString("name", c.name);
    c.seed = root.GetUnsigned("seed", c.seed, 1, UINT32_MAX);
    c.run = root.GetUnsigned("run", c.run, 0, UINT64_MAX);
    c.durationSeconds = root.GetDuration("duration", c.durationSeconds);
    if (!(c.durationSeconds > 0))
    {
        throw AisfcInputError(root.Place("duration"), "must be positive");
    }
    ReadTopology(root, c);
    ReadNetwork(root, c);
    bool tcpSegmentSizeGiven = doc.contains("network") && doc["network"].is_object() &&
                               doc["network"].contains("tcp_segment_size");

    std::vector<JsonReader> flows = root.GetObjectArray("traffic");
    if (flows.size() > MAX_FLOWS)
    {
        throw AisfcInputError(root.Place("traffic"),
                              "more than " + std::to_string(MAX_FLOWS) + " flows");
    }
    std::set<std::string> names;
    std::set<std::pair<std::string, uint16_t>> ports;
    for (size_t i = 0; i < flows.size(); ++i)
    {
        FlowConfig flow = ReadFlow(flows[i], i, c);
        if (!names.insert(flow.name).second)
        {
            throw AisfcInputError(flows[i].Place("name"),
                                  "duplicate flow name '" + flow.name + "'");
        }
        if (!ports.insert({flow.dst, flow.port}).second)
        {
            throw AisfcInputError(flows[i].Place("port"),
                                  "port " + std::to_string(flow.port) + " on '" + flow.dst +
                                      "' is used by an earlier flow");
        }
        c.flows.push_back(flow);
    }

    if (root.Has("srv6"))
    {
        JsonReader srv6 = root.RequireObject("srv6");
        c.srv6 = ReadSrv6Section(srv6, c.durationSeconds);
    }
    if (root.Has("nsf"))
    {
        JsonReader nsf = root.RequireObject("nsf");
        c.nsf = ReadNsfSection(nsf, source);
    }
    // ns-3.37 cannot fragment SRv6 packets (its fragmentation assumes a type-0 routing header),
    // so TCP segments shrink to leave room for the largest encapsulation, as operators clamp
    // the MSS at SRv6 headends.
    uint32_t overhead = std::max(c.srv6 ? Srv6MaxEncapsulationBytes(*c.srv6) : 0u,
                                 c.nsf ? NsfMaxEncapsulationBytes(*c.nsf) : 0u);
    if (overhead > 0)
    {
        for (const FlowConfig& f : c.flows)
        {
            if (f.type == "udp-cbr" && f.packetSize + overhead > MAX_UDP_PAYLOAD)
            {
                throw AisfcInputError(f.place + "/packet_size",
                                      std::to_string(f.packetSize) + " + " +
                                          std::to_string(overhead) +
                                          " bytes of SRv6 encapsulation exceed a 1500-byte MTU");
            }
        }
        if (!tcpSegmentSizeGiven)
        {
            c.tcpSegmentSize -= std::min(overhead, c.tcpSegmentSize - 536);
        }
        else if (c.tcpSegmentSize + overhead > MAX_TCP_SEGMENT)
        {
            throw AisfcInputError(
                root.Place("network") + "/tcp_segment_size",
                std::to_string(c.tcpSegmentSize) + " + " + std::to_string(overhead) +
                    " bytes of SRv6 encapsulation exceed a 1500-byte MTU; "
                    "at most " +
                    std::to_string(MAX_TCP_SEGMENT - std::min(overhead, MAX_TCP_SEGMENT)) +
                    " fits");
        }
    }
    if (root.Has("pdp"))
    {
        JsonReader pdp = root.RequireObject("pdp");
        c.pdp = ReadPdpSection(pdp, c.durationSeconds);
    }
    if (root.Has("outputs"))
    {
        JsonReader o = root.RequireObject("outputs");
        c.pcap = o.GetBool("pcap", c.pcap);
        c.flowsCsv = o.GetBool("flows_csv", c.flowsCsv);
        o.Finish();
    }
    root.Finish();
    return c;
}

nlohmann::json
ScenarioToJson(const ScenarioConfig& c)
{
    nlohmann::json j;
    j["name"] = c.name;
    j["seed"] = c.seed;
    j["run"] = c.run;
    j["duration"] = c.durationSeconds;
    const TopologyOptions& o = c.topologyOptions;
    j["topology"] = {
        {"spec", c.topologySpec},
        {"keep_parallel_edges", o.keepParallelEdges},
        {"largest_component_only", o.largestComponentOnly},
        {"propagation_speed_mps", o.propagationSpeedMps},
        {"default_rate", o.defaultCapacityBps},
        {"fallback_delay", o.fallbackDelaySeconds},
    };
    j["network"] = {
        {"routing_metric", c.network.routingMetric == PathMetric::HOPS ? "hops" : "delay"},
        {"ecmp", c.network.equalCostMultipath},
        {"queue_packets", c.network.queuePackets},
        {"dad", c.network.duplicateAddressDetection},
        {"tcp_segment_size", c.tcpSegmentSize},
    };
    j["traffic"] = nlohmann::json::array();
    for (const FlowConfig& f : c.flows)
    {
        nlohmann::json flow = {
            {"name", f.name},
            {"type", f.type},
            {"src", f.src},
            {"dst", f.dst},
            {"start", f.startSeconds},
            {"stop", f.stopSeconds},
            {"port", f.port},
        };
        if (f.type == "udp-cbr")
        {
            flow["rate"] = f.rateBps;
            flow["packet_size"] = f.packetSize;
        }
        else
        {
            flow["max_bytes"] = f.maxBytes;
        }
        j["traffic"].push_back(flow);
    }
    if (c.srv6)
    {
        j["srv6"] = Srv6SectionToJson(*c.srv6);
    }
    if (c.pdp)
    {
        j["pdp"] = PdpSectionToJson(*c.pdp);
    }
    if (c.nsf)
    {
        j["nsf"] = NsfSectionToJson(*c.nsf);
    }
    j["outputs"] = {{"pcap", c.pcap}, {"flows_csv", c.flowsCsv}};
    return j;
}

} // namespace ns3
