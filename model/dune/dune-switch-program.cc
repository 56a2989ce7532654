/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dune-switch-program.h"

#include "ns3/aisfc-bytes.h"
#include "ns3/aisfc-error.h"
#include "ns3/boolean.h"
#include "ns3/data-rate.h"
#include "ns3/ipv6-header.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/pdp-switch.h"
#include "ns3/simulator.h"
#include "ns3/udp-header.h"
#include "ns3/udp-l4-protocol.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DuneSwitchProgram");
NS_OBJECT_ENSURE_REGISTERED(DuneSwitchProgram);
NS_OBJECT_ENSURE_REGISTERED(DuneController);

namespace
{

constexpr uint32_t UDP_BYTES = 8;
/// Bytes of a datagram the program reads: UDP, DUNE header and the tunnelled headers (an IPv6
/// header with extensions and TCP options stays far below).
constexpr uint32_t READ_BYTES = 4096;
constexpr uint32_t ENTRY_KEY_BITS = 8 + 8 + 128 + 128 + 16 + 16;
constexpr uint32_t ENTRY_ACTION_BITS = 16 + 8;
constexpr uint64_t MASK48 = (uint64_t(1) << 48) - 1;
constexpr uint64_t MASK32 = 0xffffffffULL;

/// The register arrays: name and width.  Fields are packed into 64-bit cells (see Load/Store).
const std::pair<const char*, uint32_t> REGISTERS[] = {
    {"dune.flow_id", 58},      // id 32 | count 8 | verdict 2 | class 16
    {"dune.flow_first", 64},   // first timestamp 48 | SYN 8 | ACK 8
    {"dune.flow_last", 64},    // last timestamp 48 | PSH 8 | FIN 8
    {"dune.flow_len", 64},     // min length 32 | max length 32
    {"dune.flow_total", 64},   // total length 32 | min UDP length 16 | max UDP length 16
    {"dune.flow_iat_min", 64}, // min inter-arrival 48 | RST 8 | ECE 8
    {"dune.flow_iat_max", 48}, // max inter-arrival 48
};
constexpr size_t REGISTER_COUNT = sizeof(REGISTERS) / sizeof(REGISTERS[0]);

} // namespace

/// The switch's register arrays the program uses (owned by the switch).
struct DuneSwitchProgram::RegisterSet
{
    PdpSwitch::Register* r[REGISTER_COUNT] = {};
};

nlohmann::json
DuneSwitchCounters::ToJson() const
{
    return {{"packets", packets},
            {"tunnelled", tunnelled},
            {"bad_headers", badHeaders},
            {"bad_inner", badInner},
            {"upstream_decided", upstreamDecided},
            {"entry_hits", entryHits},
            {"register_hits", registerHits},
            {"handed_on", handedOn},
            {"packet_inferences", packetInferences},
            {"flow_inferences", flowInferences},
            {"packet_decisions", packetDecisions},
            {"flow_decisions", flowDecisions},
            {"collisions", collisions},
            {"flows_tracked", flowsTracked},
            {"evictions", evictions},
            {"released", released},
            {"out_of_order", outOfOrder},
            {"digests", digests},
            {"entries_installed", entriesInstalled},
            {"entries_refused", entriesRefused}};
}

TypeId
DuneSwitchProgram::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DuneSwitchProgram")
            .SetParent<Object>()
            .SetGroupName("Aisfc")
            .AddConstructor<DuneSwitchProgram>()
            .AddTraceSource("Decision",
                            "This switch's model decided a packet's class.",
                            MakeTraceSourceAccessor(&DuneSwitchProgram::m_decisionTrace),
                            "ns3::DuneSwitchProgram::DecisionTracedCallback");
    return tid;
}

DuneSwitchProgram::DuneSwitchProgram()
    : m_registers(std::make_unique<RegisterSet>()),
      m_buffer(READ_BYTES),
      m_sample(Eigen::VectorXd::Zero(DUNE_FEATURE_COUNT))
{
}

DuneSwitchProgram::~DuneSwitchProgram() = default;

void
DuneSwitchProgram::DoDispose()
{
    if (m_switch)
    {
        m_switch->SetProgram(PdpSwitch::Program());
    }
    m_switch = nullptr;
    m_controller = nullptr;
    Object::DoDispose();
}

PdpReserveResult
DuneSwitchProgram::Install(Ptr<PdpSwitch> sw,
                           const DuneSwitchModel& model,
                           uint8_t index,
                           const DuneSwitchProgramConfig& config,
                           DuneController* controller)
{
    NS_ABORT_MSG_IF(m_switch, "DuneSwitchProgram: installed twice");
    if (config.packetsPerFlow < 1 || config.packetsPerFlow > 64)
    {
        throw AisfcInputError("packetsPerFlow",
                              std::to_string(config.packetsPerFlow) + " is outside [1, 64]");
    }
    if (config.registerCells < 1)
    {
        throw AisfcInputError("registerCells", "must be at least 1");
    }
    if (config.classifiedEntries < 1)
    {
        throw AisfcInputError("classifiedEntries", "must be at least 1");
    }
    if (!(config.ingressRateBps > 0))
    {
        throw AisfcInputError("ingressRateBps", "must be positive");
    }
    if (!model.tables || model.features.size() != model.specs.size())
    {
        throw AisfcInputError("DUNE model '" + model.name + "'", "has no compiled tables");
    }
    for (size_t k = 0; k < model.features.size(); ++k)
    {
        const uint32_t row = model.features[k];
        if (row >= DUNE_FEATURE_COUNT || DuneFeatureName(row) != model.specs[k].name)
        {
            throw AisfcInputError("DUNE model '" + model.name + "'",
                                  "reads row " + std::to_string(row) + " ('" + model.specs[k].name +
                                      "') of its training data, which is not DUNE's feature of "
                                      "that index: the switch computes DUNE's 31 features in "
                                      "their order (train on a DuneFeatureExtractor data set)");
        }
    }

    // Everything the program declares, checked on a copy of the switch's accountant first so
    // that a refusal leaves the switch as it was.
    std::vector<std::pair<PdpTableShape, PdpMemoryKind>> tables;
    for (const PdpTableShape& shape : model.tables->Shapes())
    {
        tables.emplace_back(shape,
                            shape.match == PdpMatchKind::EXACT ? PdpMemoryKind::SRAM
                                                               : PdpMemoryKind::TCAM);
    }
    PdpTableShape classified;
    classified.name = "dune.classified";
    classified.match = PdpMatchKind::EXACT;
    classified.keyBits = ENTRY_KEY_BITS;
    classified.actionBits = ENTRY_ACTION_BITS;
    classified.entries = config.classifiedEntries;
    tables.emplace_back(classified, PdpMemoryKind::SRAM);
    PdpMemoryAccountant trial = sw->GetMemory();
    PdpReserveResult last;
    for (const auto& [shape, kind] : tables)
    {
        last = trial.ReserveTable(shape, kind);
        if (!last.ok)
        {
            return last;
        }
    }
    for (const auto& [name, width] : REGISTERS)
    {
        PdpTableShape shape;
        shape.name = name;
        shape.keyBits = 0;
        shape.actionBits = width;
        shape.entries = config.registerCells;
        last = trial.ReserveTable(shape, PdpMemoryKind::SRAM);
        if (!last.ok)
        {
            return last;
        }
    }

    for (const auto& [shape, kind] : tables)
    {
        // One stage per step of the encoding: every feature's range table in parallel, then
        // every tree's code table in parallel, then the vote (and the flow entries).
        const uint32_t level = shape.match == PdpMatchKind::RANGE     ? 0
                               : shape.match == PdpMatchKind::TERNARY ? 1
                                                                      : 2;
        last = sw->AddTable(shape, kind, true, level);
        NS_ABORT_MSG_UNLESS(last.ok, "DuneSwitchProgram: " << last.reason);
    }
    for (size_t k = 0; k < REGISTER_COUNT; ++k)
    {
        last = sw->AddRegister(REGISTERS[k].first, REGISTERS[k].second, config.registerCells);
        NS_ABORT_MSG_UNLESS(last.ok, "DuneSwitchProgram: " << last.reason);
        m_registers->r[k] = sw->GetRegister(REGISTERS[k].first);
    }
    m_classified = std::make_unique<PdpTable>(classified.name,
                                              PdpMatchKind::EXACT,
                                              ENTRY_KEY_BITS,
                                              config.classifiedEntries);
    m_switch = sw;
    m_model = model;
    m_index = index;
    m_config = config;
    m_controller = controller;
    sw->SetProgram(MakeCallback(&DuneSwitchProgram::Process, this));
    return last;
}

const DuneSwitchCounters&
DuneSwitchProgram::GetCounters() const
{
    return m_counters;
}

uint8_t
DuneSwitchProgram::GetIndex() const
{
    return m_index;
}

const DuneSwitchModel&
DuneSwitchProgram::GetModel() const
{
    return m_model;
}

const DuneSwitchProgramConfig&
DuneSwitchProgram::GetConfig() const
{
    return m_config;
}

Ptr<PdpSwitch>
DuneSwitchProgram::GetSwitch() const
{
    return m_switch;
}

uint32_t
DuneSwitchProgram::GetEntries() const
{
    return m_classified ? m_classified->Size() : 0;
}

std::vector<std::tuple<std::string, uint32_t, uint32_t>>
DuneSwitchProgram::GetRegisters() const
{
    std::vector<std::tuple<std::string, uint32_t, uint32_t>> out;
    for (const auto& [name, width] : REGISTERS)
    {
        out.emplace_back(name, width, m_config.registerCells);
    }
    return out;
}

PdpKey
DuneSwitchProgram::EntryKey(const DuneFlowKey& key)
{
    PdpKey k;
    k.reserve(ENTRY_KEY_BITS / 8);
    k.push_back(key.ipVersion);
    k.push_back(key.protocol);
    k.insert(k.end(), key.addressA.begin(), key.addressA.end());
    k.insert(k.end(), key.addressB.begin(), key.addressB.end());
    k.push_back(static_cast<uint8_t>(key.portA >> 8));
    k.push_back(static_cast<uint8_t>(key.portA));
    k.push_back(static_cast<uint8_t>(key.portB >> 8));
    k.push_back(static_cast<uint8_t>(key.portB));
    return k;
}

void
DuneSwitchProgram::Locate(const DuneFlowKey& key, uint32_t& cell, uint32_t& id) const
{
    DuneFlowKey k = key;
    k.source = 0;
    const uint64_t h = DuneFlowKeyHash()(k);
    cell = static_cast<uint32_t>((h & MASK32) % m_config.registerCells);
    id = static_cast<uint32_t>(h >> 32);
    if (id == 0)
    {
        id = 1;
    }
}

DuneFlowState
DuneSwitchProgram::Load(uint32_t cell) const
{
    PdpSwitch::Register* const* r = m_registers->r;
    const uint64_t head = r[0]->Read(cell);
    const uint64_t first = r[1]->Read(cell);
    const uint64_t last = r[2]->Read(cell);
    const uint64_t len = r[3]->Read(cell);
    const uint64_t total = r[4]->Read(cell);
    const uint64_t iatMin = r[5]->Read(cell);
    const uint64_t iatMax = r[6]->Read(cell);
    DuneFlowState s;
    s.packetCount = static_cast<uint32_t>((head >> 32) & 0xff);
    s.firstTimestampNs = first & MASK48;
    s.synCount = static_cast<uint32_t>((first >> 48) & 0xff);
    s.ackCount = static_cast<uint32_t>(first >> 56);
    s.lastTimestampNs = last & MASK48;
    s.pshCount = static_cast<uint32_t>((last >> 48) & 0xff);
    s.finCount = static_cast<uint32_t>(last >> 56);
    s.lengthMin = static_cast<uint32_t>(len & MASK32);
    s.lengthMax = static_cast<uint32_t>(len >> 32);
    s.lengthTotal = total & MASK32;
    s.udpLengthMin = static_cast<uint32_t>((total >> 32) & 0xffff);
    s.udpLengthMax = static_cast<uint32_t>(total >> 48);
    s.iatMinNs = iatMin & MASK48;
    s.rstCount = static_cast<uint32_t>((iatMin >> 48) & 0xff);
    s.eceCount = static_cast<uint32_t>(iatMin >> 56);
    s.iatMaxNs = iatMax & MASK48;
    return s;
}

void
DuneSwitchProgram::Store(uint32_t cell,
                         const DuneFlowState& s,
                         uint32_t id,
                         Verdict v,
                         uint16_t cls)
{
    // The widths hold every value N <= 64 packets can reach (lengths below 2^32 in total,
    // ns timestamps below 2^48: 78 hours of simulated time); Write keeps the low bits as the
    // hardware does.
    PdpSwitch::Register** r = m_registers->r;
    auto b8 = [](uint32_t v) { return static_cast<uint64_t>(std::min<uint32_t>(v, 0xff)); };
    r[0]->Write(cell,
                uint64_t(id) | b8(s.packetCount) << 32 | uint64_t(v & 3) << 40 |
                    uint64_t(cls) << 42);
    r[1]->Write(cell, (s.firstTimestampNs & MASK48) | b8(s.synCount) << 48 | b8(s.ackCount) << 56);
    r[2]->Write(cell, (s.lastTimestampNs & MASK48) | b8(s.pshCount) << 48 | b8(s.finCount) << 56);
    r[3]->Write(cell, uint64_t(s.lengthMin) | uint64_t(s.lengthMax) << 32);
    r[4]->Write(cell,
                (s.lengthTotal & MASK32) | uint64_t(s.udpLengthMin & 0xffff) << 32 |
                    uint64_t(s.udpLengthMax & 0xffff) << 48);
    r[5]->Write(cell, (s.iatMinNs & MASK48) | b8(s.rstCount) << 48 | b8(s.eceCount) << 56);
    r[6]->Write(cell, s.iatMaxNs & MASK48);
}

void
DuneSwitchProgram::Clear(uint32_t cell)
{
    for (PdpSwitch::Register* r : m_registers->r)
    {
        r->Write(cell, 0);
    }
}

bool
DuneSwitchProgram::PeekFlow(const DuneFlowKey& key, DuneFlowState& state, Verdict& verdict) const
{
    if (!m_switch)
    {
        return false;
    }
    uint32_t cell;
    uint32_t id;
    Locate(key, cell, id);
    const uint64_t head = m_registers->r[0]->Read(cell);
    if ((head & MASK32) != id)
    {
        return false;
    }
    state = Load(cell);
    verdict = static_cast<Verdict>((head >> 40) & 3);
    return true;
}

bool
DuneSwitchProgram::ReleaseFlow(const DuneFlowKey& key)
{
    uint32_t cell;
    uint32_t id;
    Locate(key, cell, id);
    if ((m_registers->r[0]->Read(cell) & MASK32) != id)
    {
        return false;
    }
    Clear(cell);
    ++m_counters.released;
    return true;
}

bool
DuneSwitchProgram::InstallEntry(const DuneFlowKey& key, uint16_t cls, uint8_t model)
{
    PdpAction action;
    action.data = {cls, model};
    const std::string error = m_classified->AddExact(EntryKey(key), action);
    if (!error.empty())
    {
        ++m_counters.entriesRefused;
        return false;
    }
    ++m_counters.entriesInstalled;
    ReleaseFlow(key);
    return true;
}

bool
DuneSwitchProgram::MyTurn(const DuneHeader& header)
{
    if (header.GetModelsRun() == m_index)
    {
        return true;
    }
    ++m_counters.outOfOrder;
    return false;
}

int
DuneSwitchProgram::Infer(const DunePacket& packet, const DuneFlowState* state)
{
    double* x = m_sample.data();
    DunePacketFeatures(packet, x);
    if (state)
    {
        DuneFlowFeatures(*state, x + DUNE_PACKET_FEATURE_COUNT);
        ++m_counters.flowInferences;
    }
    else
    {
        std::fill(x + DUNE_PACKET_FEATURE_COUNT, x + DUNE_FEATURE_COUNT, -1.0);
        ++m_counters.packetInferences;
    }
    return m_model.Classify(m_sample);
}

bool
DuneSwitchProgram::Process(Ptr<Packet> p, const Ipv6Header& ip)
{
    ++m_counters.packets;
    if (ip.GetNextHeader() != UdpL4Protocol::PROT_NUMBER || p->GetSize() < UDP_BYTES)
    {
        return true; // not DUNE's tunnel: plain forwarding
    }
    const uint32_t n = p->CopyData(m_buffer.data(), READ_BYTES);
    if (AisfcGetBigEndian(m_buffer.data() + 2, 2) != m_config.port)
    {
        return true;
    }
    ++m_counters.tunnelled;
    DuneHeader in;
    if (!DuneHeader::Parse(m_buffer.data() + UDP_BYTES, n - UDP_BYTES, in))
    {
        ++m_counters.badHeaders;
        return false;
    }
    const uint32_t innerOffset = UDP_BYTES + DuneHeader::SIZE;
    DunePacket packet;
    if (DuneParseFrame(m_buffer.data() + innerOffset, n - innerOffset, DUNE_LINKTYPE_RAW, packet) !=
        DuneSkipReason::NONE)
    {
        ++m_counters.badInner;
        return false;
    }
    DuneHeader out = in;
    if (!out.HasTimestamp())
    {
        // The start of the packet's reception: its last bit arrives now.
        const Time frame = DataRate(static_cast<uint64_t>(m_config.ingressRateBps))
                               .CalculateBytesTxTime(p->GetSize() + ip.GetSerializedSize() +
                                                     m_config.ingressOverheadBytes);
        const int64_t sop = (Simulator::Now() - frame).GetNanoSeconds();
        out.SetTimestampNs(static_cast<uint64_t>(std::max<int64_t>(sop, 0)));
    }
    packet.timestampNs = out.GetTimestampNs();
    Decide(packet, out);
    if (out != in)
    {
        UdpHeader udp;
        p->RemoveHeader(udp);
        p->RemoveAtStart(DuneHeader::SIZE);
        p->AddHeader(out);
        if (Node::ChecksumEnabled())
        {
            udp.EnableChecksums();
            udp.InitializeChecksum(ip.GetSource(), ip.GetDestination(), UdpL4Protocol::PROT_NUMBER);
        }
        p->AddHeader(udp);
    }
    return true;
}

void
DuneSwitchProgram::Decide(const DunePacket& packet, DuneHeader& h)
{
    const DuneFlowKey key = DuneFlowKey::FromPacket(packet);
    // Inference-aware forwarding.
    if (h.IsClassified() && h.IsFlowLevel())
    {
        ++m_counters.upstreamDecided;
        ReleaseFlow(key);
        return;
    }
    if (const PdpAction* a = m_classified->Lookup(EntryKey(key)))
    {
        ++m_counters.entryHits;
        h.SetDecision(static_cast<uint16_t>(a->data[0]), static_cast<uint8_t>(a->data[1]), true);
        return;
    }

    // Flow management.
    uint32_t cell;
    uint32_t id;
    Locate(key, cell, id);
    const uint64_t head = m_registers->r[0]->Read(cell);
    const uint32_t holder = static_cast<uint32_t>(head & MASK32);
    bool own = holder == id;
    bool claim = holder == 0;
    if (!own && !claim && m_config.flowIdleTimeout.IsStrictlyPositive())
    {
        const uint64_t lastNs = m_registers->r[2]->Read(cell) & MASK48;
        claim = packet.timestampNs > lastNs &&
                packet.timestampNs - lastNs > uint64_t(m_config.flowIdleTimeout.GetNanoSeconds());
        m_counters.evictions += claim ? 1 : 0;
    }
    if (claim)
    {
        Store(cell, DuneFlowState(), id, TRACKING, DuneHeader::NO_CLASS);
        ++m_counters.flowsTracked;
        own = true;
    }

    if (!own)
    {
        // Collision: no flow state here, packet-level inference only.
        ++m_counters.collisions;
        h.SetCollision();
        if (h.IsClassified())
        {
            ++m_counters.upstreamDecided;
            return;
        }
        if (!MyTurn(h))
        {
            return;
        }
        const int c = Infer(packet, nullptr);
        if (c >= 0)
        {
            ++m_counters.packetDecisions;
            h.SetDecision(static_cast<uint16_t>(c), m_index, false);
            m_decisionTrace(static_cast<uint16_t>(c), false, 0);
        }
        else
        {
            ++m_counters.handedOn;
            h.SetModelsRun(m_index + 1);
        }
        return;
    }

    const uint64_t cellHead = m_registers->r[0]->Read(cell);
    const auto verdict = static_cast<Verdict>((cellHead >> 40) & 3);
    if (verdict == CLASSIFIED_HERE)
    {
        ++m_counters.registerHits;
        h.SetDecision(static_cast<uint16_t>(cellHead >> 42), m_index, true);
        return;
    }
    if (verdict == HANDED_ON)
    {
        if (!h.IsClassified() && h.GetModelsRun() == m_index)
        {
            ++m_counters.handedOn;
            h.SetModelsRun(m_index + 1);
        }
        return;
    }

    DuneFlowState state = Load(cell);
    if (state.packetCount < m_config.packetsPerFlow)
    {
        state.Update(packet);
        Store(cell, state, id, TRACKING, DuneHeader::NO_CLASS);
        h.SetPacketIndex(state.packetCount);
    }
    if (h.IsClassified())
    {
        ++m_counters.upstreamDecided; // at packet level: the flow goes on
        return;
    }
    if (!MyTurn(h))
    {
        return;
    }

    // Inference.
    if (state.packetCount < m_config.packetsPerFlow)
    {
        const int c = Infer(packet, nullptr);
        if (c >= 0)
        {
            ++m_counters.packetDecisions;
            h.SetDecision(static_cast<uint16_t>(c), m_index, false);
            m_decisionTrace(static_cast<uint16_t>(c), false, state.packetCount);
        }
        else
        {
            ++m_counters.handedOn;
            h.SetModelsRun(m_index + 1);
        }
        return;
    }
    const int c = Infer(packet, &state);
    if (c >= 0)
    {
        ++m_counters.flowDecisions;
        h.SetDecision(static_cast<uint16_t>(c), m_index, true);
        Store(cell, state, id, CLASSIFIED_HERE, static_cast<uint16_t>(c));
        m_decisionTrace(static_cast<uint16_t>(c), true, state.packetCount);
        if (m_controller)
        {
            ++m_counters.digests;
            m_controller->Digest(m_index, key, static_cast<uint16_t>(c), m_index);
        }
    }
    else
    {
        ++m_counters.handedOn;
        h.SetModelsRun(m_index + 1);
        Store(cell, state, id, HANDED_ON, DuneHeader::NO_CLASS);
    }
}

TypeId
DuneController::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DuneController")
            .SetParent<Object>()
            .SetGroupName("Aisfc")
            .AddConstructor<DuneController>()
            .AddAttribute("ControlDelay",
                          "From a digest leaving the switch to its entry being installed.",
                          TimeValue(MilliSeconds(1)),
                          MakeTimeAccessor(&DuneController::m_controlDelay),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("InstallUpstream",
                          "Install a classified flow's entry on every switch up to the one "
                          "that decided (true) or on that switch only (false).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&DuneController::m_installUpstream),
                          MakeBooleanChecker());
    return tid;
}

DuneController::DuneController() = default;

DuneController::~DuneController() = default;

void
DuneController::DoDispose()
{
    m_programs.clear();
    Object::DoDispose();
}

void
DuneController::AddProgram(Ptr<DuneSwitchProgram> program)
{
    m_programs.push_back(program);
}

void
DuneController::Digest(uint8_t switchIndex, const DuneFlowKey& key, uint16_t cls, uint8_t model)
{
    ++m_digests;
    const int64_t at = Simulator::Now().GetNanoSeconds();
    Simulator::Schedule(m_controlDelay,
                        &DuneController::Install,
                        this,
                        switchIndex,
                        key,
                        cls,
                        model,
                        at);
}

void
DuneController::Install(uint8_t switchIndex,
                        DuneFlowKey key,
                        uint16_t cls,
                        uint8_t model,
                        int64_t digestNs)
{
    const size_t first = m_installUpstream ? 0 : switchIndex;
    for (size_t s = first; s <= switchIndex && s < m_programs.size(); ++s)
    {
        DuneControllerEntry e;
        e.switchIndex = static_cast<uint8_t>(s);
        e.model = model;
        e.cls = cls;
        e.digestNs = digestNs;
        e.installNs = Simulator::Now().GetNanoSeconds();
        e.installed = m_programs[s]->InstallEntry(key, cls, model);
        m_entries.push_back(e);
    }
}

const std::vector<DuneControllerEntry>&
DuneController::GetEntries() const
{
    return m_entries;
}

uint64_t
DuneController::GetDigests() const
{
    return m_digests;
}

} // namespace ns3
