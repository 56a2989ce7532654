/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-scenario-runner.h"

#include "aisfc-scenario-kinds.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-flow-probe.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/boolean.h"
#include "ns3/bulk-send-helper.h"
#include "ns3/config.h"
#include "ns3/global-value.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/packet-sink-helper.h"
#include "ns3/packet-sink.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/topology-source.h"
#include "ns3/udp-client-server-helper.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <sstream>

namespace ns3
{

namespace
{

constexpr uint8_t PROTOCOL_TCP = 6;
constexpr uint8_t PROTOCOL_UDP = 17;

// Nearest-rank percentile of sorted values.
double
Percentile(const std::vector<double>& sorted, double q)
{
    size_t rank = static_cast<size_t>(std::ceil(q * sorted.size()));
    return sorted[std::max<size_t>(rank, 1) - 1];
}

uint32_t
NodeOf(const AisfcTopology& topo, const std::string& name, const std::string& place)
{
    auto index = topo.FindNode(name);
    if (!index)
    {
        throw AisfcInputError(place,
                              "no node named '" + name + "' in topology '" + topo.GetName() + "'");
    }
    if (topo.GetLinksOf(*index).empty())
    {
        throw AisfcInputError(place, "node '" + name + "' has no links");
    }
    return *index;
}

Ptr<PacketSink>
InstallFlow(const FlowConfig& f,
            const ScenarioConfig& config,
            const AisfcNetworkBuilder& net,
            uint32_t src,
            uint32_t dst)
{
    Ipv6Address dstAddress = net.GetNodeAddress(dst);
    ApplicationContainer senders;
    std::string socketFactory;
    if (f.type == "udp-cbr")
    {
        UdpClientHelper client(dstAddress, f.port);
        // In ns-3.37 MaxPackets 0 means one packet, not unlimited; stop time ends the flow.
        client.SetAttribute("MaxPackets", UintegerValue(UINT32_MAX));
        client.SetAttribute("Interval", TimeValue(Seconds(f.packetSize * 8.0 / f.rateBps)));
        client.SetAttribute("PacketSize", UintegerValue(f.packetSize));
        senders = client.Install(net.GetNode(src));
        socketFactory = "ns3::UdpSocketFactory";
    }
    else
    {
        BulkSendHelper bulk("ns3::TcpSocketFactory", Inet6SocketAddress(dstAddress, f.port));
        bulk.SetAttribute("MaxBytes", UintegerValue(f.maxBytes));
        bulk.SetAttribute("SendSize", UintegerValue(config.tcpSegmentSize));
        senders = bulk.Install(net.GetNode(src));
        socketFactory = "ns3::TcpSocketFactory";
    }
    senders.Start(Seconds(f.startSeconds));
    senders.Stop(Seconds(f.stopSeconds));
    PacketSinkHelper sink(socketFactory, Inet6SocketAddress(Ipv6Address::GetAny(), f.port));
    ApplicationContainer sinks = sink.Install(net.GetNode(dst));
    sinks.Start(Seconds(0));
    sinks.Stop(Seconds(config.durationSeconds));
    return DynamicCast<PacketSink>(sinks.Get(0));
}

nlohmann::json
FlowResult(const FlowConfig& f, const AisfcFlowProbe::FlowStats& s, uint64_t appBytes)
{
    nlohmann::json r;
    r["name"] = f.name;
    r["type"] = f.type;
    r["src"] = f.src;
    r["dst"] = f.dst;
    r["tx_packets"] = s.txPackets;
    r["rx_packets"] = s.rxPackets;
    r["dropped_packets"] = s.droppedPackets;
    r["in_flight_packets"] = s.txPackets - s.rxPackets - s.droppedPackets;
    r["loss_ratio"] = s.txPackets ? double(s.droppedPackets) / s.txPackets : 0.0;
    r["tx_bytes"] = s.txBytes;
    r["rx_bytes"] = s.rxBytes;
    r["app_rx_bytes"] = appBytes; // payload the receiving application got
    double active = s.lastRxSeconds - s.firstTxSeconds;
    r["throughput_bps"] = s.rxPackets > 0 && active > 0 ? s.rxBytes * 8.0 / active : 0.0;
    if (s.delays.empty())
    {
        r["delay_mean_s"] = nullptr;
        r["delay_p50_s"] = nullptr;
        r["delay_p99_s"] = nullptr;
    }
    else
    {
        std::vector<double> sorted = s.delays;
        std::sort(sorted.begin(), sorted.end());
        double sum = 0;
        for (double d : s.delays)
        {
            sum += d;
        }
        r["delay_mean_s"] = sum / s.delays.size();
        r["delay_p50_s"] = Percentile(sorted, 0.50);
        r["delay_p99_s"] = Percentile(sorted, 0.99);
    }
    return r;
}

std::string
FlowsCsv(const nlohmann::json& flows)
{
    const std::vector<std::string> COLUMNS = {"name",
                                              "type",
                                              "src",
                                              "dst",
                                              "tx_packets",
                                              "rx_packets",
                                              "dropped_packets",
                                              "in_flight_packets",
                                              "loss_ratio",
                                              "tx_bytes",
                                              "rx_bytes",
                                              "throughput_bps",
                                              "delay_mean_s",
                                              "delay_p50_s",
                                              "delay_p99_s"};
    std::ostringstream csv;
    for (size_t i = 0; i < COLUMNS.size(); ++i)
    {
        csv << (i ? "," : "") << COLUMNS[i];
    }
    csv << "\n";
    for (const auto& flow : flows)
    {
        for (size_t i = 0; i < COLUMNS.size(); ++i)
        {
            const auto& v = flow[COLUMNS[i]];
            csv << (i ? "," : "");
            if (v.is_string())
            {
                // Quote every text field: node names may hold commas.
                std::string text = v.get<std::string>();
                std::string quoted;
                for (char ch : text)
                {
                    quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
                }
                csv << '"' << quoted << '"';
            }
            else if (!v.is_null())
            {
                csv << v.dump();
            }
        }
        csv << "\n";
    }
    return csv.str();
}

} // namespace

nlohmann::json
RunScenario(const ScenarioConfig& config, const std::string& outDir)
{
    // 1. Everything that can be bad input is checked before anything is written or simulated.
    AisfcTopology topo;
    try
    {
        topo = LoadTopology(config.topologySpec, config.topologyOptions);
    }
    catch (const AisfcInputError& e)
    {
        throw AisfcInputError(config.source + ": /topology", e.what());
    }
    std::vector<std::pair<uint32_t, uint32_t>> ends;
    for (const FlowConfig& f : config.flows)
    {
        ends.emplace_back(NodeOf(topo, f.src, f.place + "/src"),
                          NodeOf(topo, f.dst, f.place + "/dst"));
    }

    // pdp functions and NSF chains are SRv6 SIDs: either brings SRv6 (an empty section when
    // absent), and srv6 segment lists may name the pdp functions.
    std::optional<PdpDeployment> pdp;
    std::optional<NsfDeployment> nsf;
    std::optional<Srv6Deployment> srv6;
    if (config.pdp)
    {
        pdp.emplace(*config.pdp, topo);
    }
    if (config.nsf)
    {
        nsf.emplace(*config.nsf, topo);
    }
    if (config.srv6 || pdp || nsf)
    {
        srv6.emplace(config.srv6 ? *config.srv6 : Srv6ScenarioConfig(),
                     topo,
                     pdp ? pdp->NamedSegments() : std::map<std::string, Ipv6Address>());
    }

    std::filesystem::create_directories(outDir);
    WriteFileAtomically(outDir + "/config.resolved.json", ScenarioToJson(config).dump(2) + "\n");

    // 2. Build and run.
    RngSeedManager::SetSeed(config.seed);
    RngSeedManager::SetRun(config.run);
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(config.tcpSegmentSize));
    // Captures should decode as real traffic would: with UDP/TCP/ICMPv6 checksums filled in.
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(config.pcap));
    AisfcNetworkBuilder net(topo, config.network);
    AisfcFlowProbe probe;
    std::vector<Ptr<PacketSink>> sinks;
    if (srv6)
    {
        srv6->Install(net, probe); // before the probe and pcaps, which cover its extra nodes
    }
    if (pdp)
    {
        pdp->Install(net, srv6->GetHelper(), probe); // memory servers are extra nodes too
    }
    if (nsf)
    {
        nsf->Install(net, srv6->GetHelper()); // NSF nodes too
    }
    for (size_t i = 0; i < config.flows.size(); ++i)
    {
        const FlowConfig& f = config.flows[i];
        probe.AddFlow(net.GetNodeAddress(ends[i].first),
                      net.GetNodeAddress(ends[i].second),
                      f.type == "udp-cbr" ? PROTOCOL_UDP : PROTOCOL_TCP,
                      f.port);
        sinks.push_back(InstallFlow(f, config, net, ends[i].first, ends[i].second));
    }
    for (uint32_t i = 0; i < net.GetNodes().GetN(); ++i)
    {
        probe.Install(net.GetNode(i));
    }
    if (config.pcap)
    {
        std::filesystem::create_directories(outDir + "/pcap");
        PointToPointHelper p2p;
        for (uint32_t l = 0; l < topo.GetNLinks(); ++l)
        {
            p2p.EnablePcap(outDir + "/pcap/" + config.name, net.GetLink(l).deviceA, false, false);
            p2p.EnablePcap(outDir + "/pcap/" + config.name, net.GetLink(l).deviceB, false, false);
        }
        for (const auto& stub : net.GetStubNodes())
        {
            p2p.EnablePcap(outDir + "/pcap/" + config.name, stub.link.deviceA, false, false);
            p2p.EnablePcap(outDir + "/pcap/" + config.name, stub.link.deviceB, false, false);
        }
    }
    Simulator::Stop(Seconds(config.durationSeconds));
    Simulator::Run();

    // 3. Results.
    nlohmann::json results;
    results["scenario"] = config.name;
    results["seed"] = config.seed;
    results["run"] = config.run;
    results["simulated_seconds"] = config.durationSeconds;
    results["topology"] = {{"name", topo.GetName()},
                           {"nodes", topo.GetNNodes()},
                           {"links", topo.GetNLinks()}};
    results["flows"] = nlohmann::json::array();
    uint64_t tx = 0;
    uint64_t rx = 0;
    uint64_t dropped = 0;
    for (size_t i = 0; i < config.flows.size(); ++i)
    {
        const auto& s = probe.GetStats(i);
        results["flows"].push_back(FlowResult(config.flows[i], s, sinks[i]->GetTotalRx()));
        tx += s.txPackets;
        rx += s.rxPackets;
        dropped += s.droppedPackets;
    }
    results["totals"] = {{"tx_packets", tx}, {"rx_packets", rx}, {"dropped_packets", dropped}};
    if (srv6)
    {
        results["srv6"] = srv6->Results();
    }
    if (pdp)
    {
        results["pdp"] = pdp->Results();
    }
    if (nsf)
    {
        results["nsf"] = nsf->Results();
    }
    Simulator::Destroy();

    WriteFileAtomically(outDir + "/results.json", results.dump(2) + "\n");
    if (config.flowsCsv)
    {
        WriteFileAtomically(outDir + "/flows.csv", FlowsCsv(results["flows"]));
    }
    return results;
}

nlohmann::json
RunScenarioText(const std::string& text, const std::string& source, const std::string& outDir)
{
    nlohmann::json doc = ParseJsonText(text, source);
    return FindScenarioKind(doc, source).run(doc, source, outDir);
}

std::string
SummariseResults(const nlohmann::json& results)
{
    std::ostringstream out;
    const auto& topo = results["topology"];
    out << "scenario " << results["scenario"].get<std::string>() << " on "
        << topo["name"].get<std::string>() << " (" << topo["nodes"] << " nodes, " << topo["links"]
        << " links), " << results["simulated_seconds"] << " s simulated\n";
    out << std::left << std::setw(16) << "flow" << std::setw(10) << "type" << std::right
        << std::setw(10) << "rx/tx" << std::setw(14) << "Mbit/s" << std::setw(10) << "loss"
        << std::setw(14) << "p50 delay" << std::setw(14) << "p99 delay"
        << "\n";
    for (const auto& f : results["flows"])
    {
        auto ms = [](const nlohmann::json& v) {
            std::ostringstream s;
            if (v.is_null())
            {
                s << "-";
            }
            else
            {
                s << std::fixed << std::setprecision(3) << v.get<double>() * 1e3 << " ms";
            }
            return s.str();
        };
        std::ostringstream counts;
        counts << f["rx_packets"] << "/" << f["tx_packets"];
        out << std::left << std::setw(16) << f["name"].get<std::string>() << std::setw(10)
            << f["type"].get<std::string>() << std::right << std::setw(10) << counts.str()
            << std::setw(14) << std::fixed << std::setprecision(3)
            << f["throughput_bps"].get<double>() / 1e6 << std::setw(9) << std::setprecision(2)
            << f["loss_ratio"].get<double>() * 100 << "%" << std::setw(14) << ms(f["delay_p50_s"])
            << std::setw(14) << ms(f["delay_p99_s"]) << "\n";
    }
    if (results.contains("pdp"))
    {
        const auto& pdp = results["pdp"];
        for (const auto& f : pdp["functions"])
        {
            out << "function " << f["name"].get<std::string>() << " ("
                << f["type"].get<std::string>() << ") at " << f["placement"].get<std::string>()
                << ": " << f["served_packets"] << " packets served\n";
        }
        for (const auto& r : pdp["reconfigurations"])
        {
            std::string from = r["from"].get<std::string>();
            std::string to = r["to"].get<std::string>();
            out << "at " << r["at_s"].get<double>() << " s: " << r["action"].get<std::string>()
                << " " << r["instance"].get<std::string>() << (from.empty() ? "" : " " + from);
            if (!to.empty())
            {
                out << " -> " << to << ", ready after " << r["delay_s"].get<double>() * 1e3
                    << " ms";
            }
            out << "\n";
        }
        for (const auto& r : pdp["refused"])
        {
            out << "refused: " << r["request"].get<std::string>() << ": "
                << r["reason"].get<std::string>() << "\n";
        }
    }
    if (results.contains("nsf"))
    {
        const auto& nsf = results["nsf"];
        out << "nsf " << nsf["task"].get<std::string>() << " (" << nsf["mode"].get<std::string>()
            << ", batch size " << nsf["batch_size"] << "): " << nsf["completed"] << "/"
            << nsf["sent"] << " batches, mean latency " << std::setprecision(3)
            << nsf["mean_latency_s"].get<double>() * 1e3 << " ms, "
            << nsf["throughput_samples_per_s"].get<double>() << " samples/s\n";
    }
    return out.str();
}

} // namespace ns3
