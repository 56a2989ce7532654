/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dune-dataplane.h"

#include "aisfc-network-builder.h"

#include "ns3/aisfc-error.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/dune-synthetic.h"
#include "ns3/dune-system.h"
#include "ns3/ipv6-list-routing.h"
#include "ns3/ipv6.h"
#include "ns3/learn-metrics.h"
#include "ns3/node.h"
#include "ns3/pdp-switch.h"
#include "ns3/simulator.h"
#include "ns3/topology-builder.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <unordered_set>

namespace ns3
{

namespace
{

/// Pass delays of one switch, summed exactly in ns.
struct PassDelays
{
    int64_t sumNs = 0;
    uint64_t count = 0;
};

void
AddPass(PassDelays* d, Ptr<const Packet>, Time delay)
{
    d->sumNs += delay.GetNanoSeconds();
    ++d->count;
}

/// The source handed packet `sequence` to its socket.
void
MarkSent(std::vector<DuneDataPlanePacket>* fate, Ptr<const Packet>, uint64_t sequence)
{
    if (sequence < fate->size())
    {
        (*fate)[sequence].sent = true;
        (*fate)[sequence].sendNs = Simulator::Now().GetNanoSeconds();
    }
}

/// Destroys the simulation however the run ends.
struct SimulatorGuard
{
    ~SimulatorGuard()
    {
        Simulator::Destroy();
    }
};

void
Check(bool ok, const std::string& option, const std::string& what)
{
    if (!ok)
    {
        throw AisfcInputError(option, what);
    }
}

/// A switch's resources as its accountant and its program see them.
nlohmann::json
SwitchResources(const PdpSwitch& sw, const DuneSwitchProgram* program)
{
    const PdpMemoryAccountant& memory = sw.GetMemory();
    const PdpMemoryBudget& budget = memory.GetBudget();
    nlohmann::json tables = nlohmann::json::array();
    for (const auto& [name, reservation] : memory.GetReservations())
    {
        const PdpSwitch::Table* t = sw.GetTable(name);
        if (!t)
        {
            continue; // a register array
        }
        tables.push_back({{"name", name},
                          {"match", PdpMatchKindName(t->shape.match)},
                          {"memory", PdpMemoryKindName(t->memory)},
                          {"key_bits", t->shape.keyBits},
                          {"entries", t->shape.entries},
                          {"blocks", reservation.blocks},
                          {"lookup_ns", sw.TableLookupDelay(name).GetNanoSeconds()}});
    }
    nlohmann::json registers = nlohmann::json::array();
    uint64_t registerBits = 0;
    if (program)
    {
        for (const auto& [name, width, cells] : program->GetRegisters())
        {
            const PdpReservation* r = memory.Find(name);
            registers.push_back({{"name", name},
                                 {"width", width},
                                 {"cells", cells},
                                 {"sram_blocks", r ? r->blocks : 0}});
            registerBits += uint64_t(width) * cells;
        }
    }
    const std::vector<uint64_t> freeTcam = memory.FreeBlocksPerStage(PdpMemoryKind::TCAM);
    const std::vector<uint64_t> freeSram = memory.FreeBlocksPerStage(PdpMemoryKind::SRAM);
    uint32_t stages = 0;
    for (size_t s = 0; s < freeTcam.size() && s < freeSram.size(); ++s)
    {
        stages +=
            freeTcam[s] < budget.tcamBlocksPerStage || freeSram[s] < budget.sramBlocksPerStage;
    }
    return {{"switch", sw.GetName()},
            {"model", program ? nlohmann::json(program->GetModel().Resources()) : nlohmann::json()},
            {"tables", tables},
            {"registers", registers},
            {"register_bits", registerBits},
            {"tcam_blocks", memory.Used(PdpMemoryKind::TCAM)},
            {"tcam_capacity", memory.Capacity(PdpMemoryKind::TCAM)},
            {"sram_blocks", memory.Used(PdpMemoryKind::SRAM)},
            {"sram_capacity", memory.Capacity(PdpMemoryKind::SRAM)},
            {"stages", stages},
            {"stage_capacity", budget.stages},
            {"tcam_lookup_ns", sw.PerPacketLookupDelay().GetNanoSeconds()},
            {"pipeline_latency_ns", sw.PipelineLatency().GetNanoSeconds()}};
}

double
Mean(double sum, uint64_t count)
{
    return count ? sum / static_cast<double>(count) : 0.0;
}

} // namespace

nlohmann::json
DuneDataPlaneOptions::ToJson() const
{
    return {{"switches", switches},
            {"packets_per_flow", packetsPerFlow},
            {"control_delay_ns", controlDelay.GetNanoSeconds()},
            {"install_upstream", installUpstream},
            {"register_cells", registerCells},
            {"classified_entries", classifiedEntries},
            {"flow_idle_timeout_ns", flowIdleTimeout.GetNanoSeconds()},
            {"link_rate_bps", linkRateBps},
            {"link_delay_ns", linkDelay.GetNanoSeconds()},
            {"speedup", speedup},
            {"packet_rate", packetRate},
            {"max_packets", maxPackets},
            {"switch_stages", switchBudget.stages},
            {"port", port}};
}

nlohmann::json
DuneDataPlaneResult::ToJson(const std::vector<std::string>& classNames) const
{
    auto f1 = [this](double v) { return inference ? nlohmann::json(v) : nlohmann::json(); };
    nlohmann::json names = nlohmann::json::array();
    for (size_t c = 0; c < perClassF1.size(); ++c)
    {
        names.push_back(c < classNames.size() ? classNames[c] : std::to_string(c));
    }
    nlohmann::json drop = nlohmann::json::object();
    for (const auto& [reason, n] : drops)
    {
        drop[reason] = n;
    }
    return {
        {"system", system},
        {"macro_f1", f1(macroF1)},
        {"weighted_f1", f1(weightedF1)},
        {"micro_f1", f1(microF1)},
        {"per_class_f1", inference ? nlohmann::json(perClassF1) : nlohmann::json()},
        {"classes", names},
        {"total_latency_ns", totalLatencyNs},
        {"per_switch_latency_ns", perSwitchLatencyNs},
        {"end_to_end_latency_ns",
         {{"mean", endToEndMeanNs}, {"min", endToEndMinNs}, {"max", endToEndMaxNs}}},
        {"time_to_classification_ns",
         inference ? nlohmann::json(timeToClassificationNs) : nlohmann::json()},
        {"time_to_flow_decision_ns",
         inference && flowsFlowLevel ? nlohmann::json(timeToFlowDecisionNs) : nlohmann::json()},
        {"packet_level_share", f1(packetLevelShare)},
        {"flow_level_share", f1(flowLevelShare)},
        {"decisions",
         {{"packet_level", packetLevelDecisions},
          {"flow_level", flowLevelDecisions},
          {"unclassified", unclassifiedPackets}}},
        {"decided_by", decidedBy},
        {"collisions", collisions},
        {"digests", digests},
        {"entries_installed", entriesInstalled},
        {"entries_refused", entriesRefused},
        {"control_delay_ns", controlDelayNs},
        {"resources", resources},
        {"switch_counters", counters},
        {"switches", switches},
        {"models", models},
        {"packets",
         {{"trace", tracePackets},
          {"replayed", packetsReplayed},
          {"unencodable", packetsUnencodable},
          {"delivered", packetsDelivered},
          {"lost", packetsLost},
          {"labelled", packetsLabelled},
          {"unlabelled", packetsUnlabelled}}},
        {"flows",
         {{"labelled", flows}, {"classified", flowsClassified}, {"flow_level", flowsFlowLevel}}},
        {"drops", drop},
        {"replay",
         {{"packets", packetsReplayed},
          {"simulated_seconds", simulatedSeconds},
          {"wall_seconds", wallSeconds},
          {"packets_per_wall_second", replayRate}}},
        {"options", options.ToJson()}};
}

DuneDataPlaneResult
DuneRunDataPlane(const DuneSystem* system,
                 const std::vector<DunePacket>& packets,
                 const DuneLabelMap& labels,
                 const std::vector<std::string>& classNames,
                 const DuneDataPlaneOptions& options)
{
    const uint32_t S = options.switches;
    Check(S >= 1 && S <= 64, "switches", std::to_string(S) + " is outside [1, 64]");
    Check(options.packetsPerFlow >= 1 && options.packetsPerFlow <= 64,
          "packetsPerFlow",
          std::to_string(options.packetsPerFlow) + " is outside [1, 64]");
    Check(options.linkRateBps > 0 && std::isfinite(options.linkRateBps),
          "linkRate",
          "must be positive");
    Check(!options.linkDelay.IsStrictlyNegative(), "linkDelay", "must not be negative");
    Check(!options.controlDelay.IsStrictlyNegative(), "controlDelay", "must not be negative");
    Check(options.speedup > 0 && std::isfinite(options.speedup), "speedup", "must be positive");
    Check(options.packetRate >= 0 && std::isfinite(options.packetRate),
          "packetRate",
          "must not be negative");
    Check(options.registerCells >= 1, "registerCells", "must be at least 1");
    Check(options.classifiedEntries >= 1, "classifiedEntries", "must be at least 1");
    Check(options.port >= 1, "port", "must be a UDP port");
    const size_t nModels = system ? system->GetModels().size() : 0;
    if (system)
    {
        Check(nModels >= 1, "system", "'" + system->GetName() + "' has no model");
        Check(nModels <= S,
              "switches",
              std::to_string(S) + " switches for the " + std::to_string(nModels) + " models of '" +
                  system->GetName() + "'");
        Check(!classNames.empty(), "classNames", "empty");
        for (const DuneSwitchModel& m : system->GetModels())
        {
            for (int c : m.classes)
            {
                Check(c >= 0 && size_t(c) < classNames.size(),
                      "classNames",
                      "model '" + m.name + "' decides class " + std::to_string(c) + " of " +
                          std::to_string(classNames.size()));
            }
        }
    }

    DuneDataPlaneResult result;
    result.system = system ? system->GetName() : "no_inference";
    result.switches = S;
    result.models = static_cast<uint32_t>(nModels);
    result.options = options;
    result.tracePackets = packets.size();
    const uint64_t end = options.maxPackets > 0 && options.maxPackets < packets.size()
                             ? options.maxPackets
                             : packets.size();

    // Truth: class and flow of every replayed packet, flows numbered by first appearance of
    // their labelled packets (as DuneFeatureExtractor numbers them).
    std::unordered_map<std::string, int> classIndex;
    for (size_t c = 0; c < classNames.size(); ++c)
    {
        classIndex.emplace(classNames[c], static_cast<int>(c));
    }
    std::vector<DuneDataPlanePacket> fate(end);
    std::unordered_map<DuneFlowKey, int32_t, DuneFlowKeyHash> flowIndex;
    std::vector<uint32_t> flowPackets;
    for (uint64_t i = 0; i < end; ++i)
    {
        DuneDataPlanePacket& f = fate[i];
        f.sequence = i;
        const std::string* label = labels.Lookup(packets[i]);
        auto it = label ? classIndex.find(*label) : classIndex.end();
        if (it == classIndex.end())
        {
            continue;
        }
        f.truth = it->second;
        const DuneFlowKey key = DuneFlowKey::FromPacket(packets[i]);
        auto [pos, added] = flowIndex.emplace(key, static_cast<int32_t>(flowPackets.size()));
        if (added)
        {
            flowPackets.push_back(0);
        }
        f.flow = pos->second;
        f.packetIndex = ++flowPackets[f.flow];
    }
    result.flows = flowPackets.size();

    // The testbed.
    SimulatorGuard guard;
    TopologyBuilder builder("dune-chain");
    builder.AddNode({"source", NodeRole::HOST, {}, {}});
    for (uint32_t k = 1; k <= S; ++k)
    {
        builder.AddNode({"s" + std::to_string(k), NodeRole::SWITCH, {}, {}});
    }
    builder.AddNode({"sink", NodeRole::HOST, {}, {}});
    for (uint32_t k = 0; k <= S; ++k)
    {
        builder.AddEdge(k, k + 1, options.linkRateBps, options.linkDelay.GetSeconds());
    }
    NetworkOptions netOptions;
    netOptions.queuePackets = options.queuePackets;
    AisfcNetworkBuilder net(builder.Build(TopologyOptions()), netOptions);

    std::vector<Ptr<PdpSwitch>> switches;
    std::vector<PassDelays> delays(S);
    for (uint32_t k = 0; k < S; ++k)
    {
        Ptr<Node> node = net.GetNode(k + 1);
        Ptr<PdpSwitch> sw = CreateObject<PdpSwitch>();
        sw->SetMemoryBudget("s" + std::to_string(k + 1), options.switchBudget);
        DynamicCast<Ipv6ListRouting>(node->GetObject<Ipv6>()->GetRoutingProtocol())
            ->AddRoutingProtocol(sw, PdpSwitch::PRIORITY);
        sw->TraceConnectWithoutContext("Pipeline", MakeBoundCallback(&AddPass, &delays[k]));
        switches.push_back(sw);
    }
    Ptr<DuneController> controller = CreateObject<DuneController>();
    controller->SetAttribute("ControlDelay", TimeValue(options.controlDelay));
    controller->SetAttribute("InstallUpstream", BooleanValue(options.installUpstream));
    std::vector<Ptr<DuneSwitchProgram>> programs;
    DuneSwitchProgramConfig config;
    config.packetsPerFlow = options.packetsPerFlow;
    config.registerCells = options.registerCells;
    config.classifiedEntries = options.classifiedEntries;
    config.flowIdleTimeout = options.flowIdleTimeout;
    config.port = options.port;
    config.ingressRateBps = options.linkRateBps;
    for (size_t k = 0; k < nModels; ++k)
    {
        const DuneSwitchModel& model = system->GetModels()[k];
        Ptr<DuneSwitchProgram> program = CreateObject<DuneSwitchProgram>();
        PdpReserveResult r = program->Install(switches[k],
                                              model,
                                              static_cast<uint8_t>(k),
                                              config,
                                              PeekPointer(controller));
        if (!r.ok)
        {
            throw AisfcInputError("switch s" + std::to_string(k + 1) + " (model '" + model.name +
                                      "')",
                                  r.reason);
        }
        controller->AddProgram(program);
        programs.push_back(program);
    }

    auto trace = std::shared_ptr<const std::vector<DunePacket>>(std::shared_ptr<void>(), &packets);
    Ptr<DuneReplaySource> source = CreateObject<DuneReplaySource>();
    source->SetAttribute("Remote", Ipv6AddressValue(net.GetNodeAddress(S + 1)));
    source->SetAttribute("Port", UintegerValue(options.port));
    source->SetAttribute("Speedup", DoubleValue(options.speedup));
    source->SetAttribute("PacketRate", DoubleValue(options.packetRate));
    source->SetAttribute("MaxPackets", UintegerValue(end));
    source->SetTrace(trace);
    source->TraceConnectWithoutContext("Tx", MakeBoundCallback(&MarkSent, &fate));
    source->SetStartTime(Time(0));
    net.GetNode(0)->AddApplication(source);
    Ptr<DuneReplaySink> sink = CreateObject<DuneReplaySink>();
    sink->SetAttribute("Port", UintegerValue(options.port));
    sink->SetStartTime(Time(0));
    net.GetNode(S + 1)->AddApplication(sink);

    const auto wallStart = std::chrono::steady_clock::now();
    Simulator::Run();
    result.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    result.simulatedSeconds = Simulator::Now().GetSeconds();
    result.packetsReplayed = source->GetSent();
    result.packetsUnencodable = source->GetUnencodable();
    result.replayRate = result.wallSeconds > 0
                            ? static_cast<double>(result.packetsReplayed) / result.wallSeconds
                            : 0.0;

    // What reached the sink.
    double e2eSum = 0;
    result.endToEndMinNs = std::numeric_limits<double>::infinity();
    for (const DuneSinkRecord& r : sink->GetRecords())
    {
        if (r.sequence >= fate.size())
        {
            continue;
        }
        DuneDataPlanePacket& f = fate[r.sequence];
        f.delivered = true;
        f.sendNs = r.sendNs;
        f.arrivalNs = r.arrivalNs;
        f.collision = r.header.HasCollision();
        if (r.header.IsClassified())
        {
            f.predicted = r.header.GetClass();
            f.model = r.header.GetModel();
            f.flowLevel = r.header.IsFlowLevel();
        }
        const double e2e = static_cast<double>(r.arrivalNs - r.sendNs);
        e2eSum += e2e;
        result.endToEndMinNs = std::min(result.endToEndMinNs, e2e);
        result.endToEndMaxNs = std::max(result.endToEndMaxNs, e2e);
        ++result.packetsDelivered;
    }
    if (result.packetsDelivered == 0)
    {
        result.endToEndMinNs = 0;
    }
    result.endToEndMeanNs = Mean(e2eSum, result.packetsDelivered);
    result.packetsLost =
        result.packetsReplayed - std::min(result.packetsReplayed, result.packetsDelivered);

    // Classification, DUNE's weighting.
    result.inference = nModels > 0;
    LearnConfusionMatrix cm(std::max<size_t>(classNames.size(), 1));
    result.decidedBy.assign(nModels, 0.0);
    double total = 0;
    double packetLevel = 0;
    std::vector<int64_t> firstSent(flowPackets.size(), -1);
    std::vector<int64_t> firstClassified(flowPackets.size(), -1);
    std::vector<int64_t> firstFlowLevel(flowPackets.size(), -1);
    for (const DuneDataPlanePacket& f : fate)
    {
        if (f.flow < 0)
        {
            result.packetsUnlabelled += f.sent;
            continue;
        }
        result.packetsLabelled += f.sent;
        if (f.sent && firstSent[f.flow] < 0)
        {
            firstSent[f.flow] = f.sendNs;
        }
        if (!f.delivered)
        {
            continue;
        }
        if (f.predicted < 0)
        {
            ++result.unclassifiedPackets;
            continue;
        }
        const double w = 1.0 / flowPackets[f.flow];
        cm.Add(f.truth, f.predicted, w);
        total += w;
        if (f.model >= 0 && size_t(f.model) < nModels)
        {
            result.decidedBy[f.model] += w;
        }
        if (f.flowLevel)
        {
            ++result.flowLevelDecisions;
            if (firstFlowLevel[f.flow] < 0)
            {
                firstFlowLevel[f.flow] = f.arrivalNs;
            }
        }
        else
        {
            ++result.packetLevelDecisions;
            packetLevel += w;
        }
        if (firstClassified[f.flow] < 0)
        {
            firstClassified[f.flow] = f.arrivalNs;
        }
    }
    if (result.inference)
    {
        result.macroF1 = cm.MacroF1();
        result.weightedF1 = cm.WeightedF1();
        result.microF1 = cm.MicroF1();
        result.perClassF1 = cm.PerClassF1();
        result.packetLevelShare = total > 0 ? packetLevel / total : 0.0;
        result.flowLevelShare = total > 0 ? 1.0 - packetLevel / total : 0.0;
        for (double& d : result.decidedBy)
        {
            d = total > 0 ? d / total : 0.0;
        }
    }
    // From the flow's first packet sent, delivered or not.
    double ttc = 0;
    double ttf = 0;
    for (size_t fl = 0; fl < flowPackets.size(); ++fl)
    {
        if (firstSent[fl] < 0)
        {
            continue;
        }
        if (firstClassified[fl] >= 0)
        {
            ttc += static_cast<double>(firstClassified[fl] - firstSent[fl]);
            ++result.flowsClassified;
        }
        if (firstFlowLevel[fl] >= 0)
        {
            ttf += static_cast<double>(firstFlowLevel[fl] - firstSent[fl]);
            ++result.flowsFlowLevel;
        }
    }
    result.timeToClassificationNs = Mean(ttc, result.flowsClassified);
    result.timeToFlowDecisionNs = Mean(ttf, result.flowsFlowLevel);

    // Latency, resources, switch counters, the controller.
    for (uint32_t k = 0; k < S; ++k)
    {
        const double mean = Mean(static_cast<double>(delays[k].sumNs), delays[k].count);
        result.perSwitchLatencyNs.push_back(mean);
        result.totalLatencyNs += mean;
        const DuneSwitchProgram* program = k < programs.size() ? PeekPointer(programs[k]) : nullptr;
        result.resources.push_back(SwitchResources(*switches[k], program));
        result.counters.push_back(program ? program->GetCounters().ToJson() : nlohmann::json());
        if (program)
        {
            result.collisions += program->GetCounters().collisions;
        }
        for (const auto& [reason, n] : switches[k]->GetDrops())
        {
            result.drops[switches[k]->GetName() + ": " + reason] += n;
        }
    }
    result.digests = controller->GetDigests();
    result.entries = controller->GetEntries();
    double control = 0;
    for (const DuneControllerEntry& e : result.entries)
    {
        result.entriesInstalled += e.installed;
        result.entriesRefused += !e.installed;
        control += static_cast<double>(e.installNs - e.digestNs);
    }
    result.controlDelayNs = Mean(control, result.entries.size());
    if (options.keepPackets)
    {
        result.packets = std::move(fate);
    }
    for (Ptr<DuneSwitchProgram>& p : programs)
    {
        p->Dispose();
    }
    controller->Dispose();
    return result;
}

std::vector<DunePacket>
DuneFlowPackets(const std::vector<DunePacket>& packets, const DuneDataset& data)
{
    std::unordered_set<DuneFlowKey, DuneFlowKeyHash> flows;
    for (const DuneSampleInfo& s : data.samples)
    {
        DuneFlowKey key = data.flows.at(s.flow).key;
        key.source = 0;
        flows.insert(key);
    }
    std::vector<DunePacket> out;
    for (const DunePacket& p : packets)
    {
        if (flows.count(DuneFlowKey::FromPacket(p)))
        {
            out.push_back(p);
        }
    }
    return out;
}

DuneDataPlaneResult
DuneRunDataPlane(const DuneSystem* system,
                 const DuneSyntheticTraffic& traffic,
                 const DuneDataPlaneOptions& options)
{
    return DuneRunDataPlane(system, traffic.packets, traffic.labels, traffic.classNames, options);
}

} // namespace ns3
