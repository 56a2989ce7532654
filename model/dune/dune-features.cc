/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dune-features.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <tuple>

namespace ns3
{

namespace
{

/// DUNE's column names, in DuneFeature order (DUNE's params.ini, feats_all).
const char* const FEATURE_NAMES[DUNE_FEATURE_COUNT] = {
    "ip.len",
    "ip.ttl",
    "tcp.flags.syn",
    "tcp.flags.ack",
    "tcp.flags.push",
    "tcp.flags.fin",
    "tcp.flags.rst",
    "tcp.flags.ece",
    "ip.proto",
    "srcport",
    "dstport",
    "ip.hdr_len",
    "tcp.window_size_value",
    "tcp.hdr_len",
    "udp.length",
    "Min Packet Length",
    "Max Packet Length",
    "Packet Length Mean",
    "Packet Length Total",
    "UDP Len Min",
    "UDP Len Max",
    "Flow IAT Min",
    "Flow IAT Max",
    "Flow IAT Mean",
    "Flow Duration",
    "SYN Flag Count",
    "ACK Flag Count",
    "PSH Flag Count",
    "FIN Flag Count",
    "RST Flag Count",
    "ECE Flag Count",
};

uint64_t
MacKey(const std::array<uint8_t, 6>& mac)
{
    uint64_t k = 0;
    for (uint8_t b : mac)
    {
        k = k << 8 | b;
    }
    return k;
}

/// Integers print as integers, other values with enough digits to read back the same double.
std::string
FormatValue(double v)
{
    char buf[40];
    if (v == std::floor(v) && std::fabs(v) < 1e15)
    {
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    }
    else
    {
        std::snprintf(buf, sizeof buf, "%.17g", v);
    }
    return buf;
}

} // namespace

std::string
DuneFeatureName(size_t feature)
{
    if (feature >= DUNE_FEATURE_COUNT)
    {
        throw std::out_of_range("DuneFeatureName: feature " + std::to_string(feature));
    }
    return FEATURE_NAMES[feature];
}

std::vector<std::string>
DuneFeatureNames()
{
    return std::vector<std::string>(FEATURE_NAMES, FEATURE_NAMES + DUNE_FEATURE_COUNT);
}

bool
DuneIsFlowFeature(size_t feature)
{
    return feature >= DUNE_PACKET_FEATURE_COUNT && feature < DUNE_FEATURE_COUNT;
}

std::vector<std::string>
DuneFeatureSet(const std::string& set)
{
    std::vector<size_t> keep;
    if (set == "all")
    {
        for (size_t f = 0; f < DUNE_FEATURE_COUNT; ++f)
        {
            keep.push_back(f);
        }
    }
    else if (set == "pkt")
    {
        for (size_t f = 0; f < DUNE_PACKET_FEATURE_COUNT; ++f)
        {
            keep.push_back(f);
        }
    }
    else if (set == "flow")
    {
        for (size_t f = DUNE_PACKET_FEATURE_COUNT; f < DUNE_FEATURE_COUNT; ++f)
        {
            keep.push_back(f);
        }
    }
    else if (set == "easy")
    {
        for (size_t f = 0; f < DUNE_FEATURE_COUNT; ++f)
        {
            if (f != DUNE_LEN_MEAN && f != DUNE_IAT_MEAN)
            {
                keep.push_back(f);
            }
        }
    }
    else if (set == "no_time")
    {
        for (size_t f = 0; f < DUNE_FEATURE_COUNT; ++f)
        {
            const bool dropped = f == DUNE_IP_HDR_LEN || f == DUNE_LEN_MEAN ||
                                 f == DUNE_UDP_LEN_MIN || f == DUNE_UDP_LEN_MAX ||
                                 (f >= DUNE_IAT_MIN && f <= DUNE_DURATION);
            if (!dropped)
            {
                keep.push_back(f);
            }
        }
    }
    else
    {
        throw AisfcInputError("feature set '" + set + "'",
                              "unknown (all, pkt, flow, easy, no_time)");
    }
    std::vector<std::string> names;
    for (size_t f : keep)
    {
        names.emplace_back(FEATURE_NAMES[f]);
    }
    return names;
}

DuneFlowKey
DuneFlowKey::FromPacket(const DunePacket& packet, DuneFlowDirection direction, uint32_t source)
{
    DuneFlowKey key;
    key.ipVersion = packet.ipVersion;
    key.protocol = packet.protocol;
    key.addressA = packet.srcAddress;
    key.addressB = packet.dstAddress;
    key.portA = packet.srcPort;
    key.portB = packet.dstPort;
    key.source = source;
    if (direction == DuneFlowDirection::BIDIRECTIONAL &&
        std::tie(key.addressB, key.portB) < std::tie(key.addressA, key.portA))
    {
        return key.Reversed();
    }
    return key;
}

DuneFlowKey
DuneFlowKey::Reversed() const
{
    DuneFlowKey key = *this;
    std::swap(key.addressA, key.addressB);
    std::swap(key.portA, key.portB);
    return key;
}

std::string
DuneFlowKey::ToString() const
{
    return DuneAddressText(ipVersion, addressA) + " " + DuneAddressText(ipVersion, addressB) + " " +
           std::to_string(portA) + " " + std::to_string(portB) + " " + std::to_string(protocol);
}

bool
DuneFlowKey::operator==(const DuneFlowKey& other) const
{
    return ipVersion == other.ipVersion && protocol == other.protocol &&
           addressA == other.addressA && addressB == other.addressB && portA == other.portA &&
           portB == other.portB && source == other.source;
}

size_t
DuneFlowKeyHash::operator()(const DuneFlowKey& key) const
{
    uint64_t h = 1469598103934665603ULL;
    auto mix = [&h](uint8_t b) {
        h ^= b;
        h *= 1099511628211ULL;
    };
    mix(key.ipVersion);
    mix(key.protocol);
    const size_t n = key.ipVersion == 6 ? 16 : 4;
    for (size_t i = 0; i < n; ++i)
    {
        mix(key.addressA[i]);
        mix(key.addressB[i]);
    }
    for (uint32_t v : {static_cast<uint32_t>(key.portA), static_cast<uint32_t>(key.portB)})
    {
        mix(static_cast<uint8_t>(v >> 8));
        mix(static_cast<uint8_t>(v));
    }
    for (int s = 0; s < 32; s += 8)
    {
        mix(static_cast<uint8_t>(key.source >> s));
    }
    return static_cast<size_t>(h);
}

void
DuneFlowState::Update(const DunePacket& p)
{
    const uint32_t length = p.ipLength;
    const uint32_t udpLength = p.udpLength;
    if (packetCount == 0)
    {
        firstTimestampNs = lastTimestampNs = p.timestampNs;
        lengthMin = lengthMax = length;
        udpLengthMin = udpLengthMax = udpLength;
    }
    else
    {
        const uint64_t gap = p.timestampNs > lastTimestampNs ? p.timestampNs - lastTimestampNs : 0;
        if (packetCount == 1)
        {
            iatMinNs = iatMaxNs = gap;
        }
        else
        {
            iatMinNs = std::min(iatMinNs, gap);
            iatMaxNs = std::max(iatMaxNs, gap);
        }
        lastTimestampNs = std::max(lastTimestampNs, p.timestampNs);
        lengthMin = std::min(lengthMin, length);
        lengthMax = std::max(lengthMax, length);
        udpLengthMin = std::min(udpLengthMin, udpLength);
        udpLengthMax = std::max(udpLengthMax, udpLength);
    }
    lengthTotal += length;
    synCount += p.HasFlag(DUNE_TCP_SYN);
    ackCount += p.HasFlag(DUNE_TCP_ACK);
    pshCount += p.HasFlag(DUNE_TCP_PSH);
    finCount += p.HasFlag(DUNE_TCP_FIN);
    rstCount += p.HasFlag(DUNE_TCP_RST);
    eceCount += p.HasFlag(DUNE_TCP_ECE);
    ++packetCount;
}

uint64_t
DuneFlowState::DurationNs() const
{
    return lastTimestampNs - firstTimestampNs;
}

double
DuneFlowState::LengthMean() const
{
    return packetCount == 0 ? 0.0 : static_cast<double>(lengthTotal) / packetCount;
}

double
DuneFlowState::IatMeanNs() const
{
    return packetCount < 2 ? 0.0 : static_cast<double>(DurationNs()) / (packetCount - 1);
}

void
DunePacketFeatures(const DunePacket& p, double* out)
{
    out[DUNE_IP_LEN] = p.ipLength;
    out[DUNE_IP_TTL] = p.ttl;
    out[DUNE_TCP_FLAG_SYN] = p.HasFlag(DUNE_TCP_SYN);
    out[DUNE_TCP_FLAG_ACK] = p.HasFlag(DUNE_TCP_ACK);
    out[DUNE_TCP_FLAG_PSH] = p.HasFlag(DUNE_TCP_PSH);
    out[DUNE_TCP_FLAG_FIN] = p.HasFlag(DUNE_TCP_FIN);
    out[DUNE_TCP_FLAG_RST] = p.HasFlag(DUNE_TCP_RST);
    out[DUNE_TCP_FLAG_ECE] = p.HasFlag(DUNE_TCP_ECE);
    out[DUNE_IP_PROTO] = p.protocol;
    out[DUNE_SRC_PORT] = p.srcPort;
    out[DUNE_DST_PORT] = p.dstPort;
    out[DUNE_IP_HDR_LEN] = p.ipHeaderLength;
    out[DUNE_TCP_WINDOW] = p.tcpWindow;
    out[DUNE_TCP_HDR_LEN] = p.tcpHeaderLength;
    out[DUNE_UDP_LENGTH] = p.udpLength;
}

void
DuneFlowFeatures(const DuneFlowState& s, double* out)
{
    auto at = [out](DuneFeature f) -> double& { return out[f - DUNE_PACKET_FEATURE_COUNT]; };
    at(DUNE_LEN_MIN) = s.lengthMin;
    at(DUNE_LEN_MAX) = s.lengthMax;
    at(DUNE_LEN_MEAN) = s.LengthMean();
    at(DUNE_LEN_TOTAL) = static_cast<double>(s.lengthTotal);
    at(DUNE_UDP_LEN_MIN) = s.udpLengthMin;
    at(DUNE_UDP_LEN_MAX) = s.udpLengthMax;
    at(DUNE_IAT_MIN) = static_cast<double>(s.iatMinNs);
    at(DUNE_IAT_MAX) = static_cast<double>(s.iatMaxNs);
    at(DUNE_IAT_MEAN) = s.IatMeanNs();
    at(DUNE_DURATION) = static_cast<double>(s.DurationNs());
    at(DUNE_SYN_COUNT) = s.synCount;
    at(DUNE_ACK_COUNT) = s.ackCount;
    at(DUNE_PSH_COUNT) = s.pshCount;
    at(DUNE_FIN_COUNT) = s.finCount;
    at(DUNE_RST_COUNT) = s.rstCount;
    at(DUNE_ECE_COUNT) = s.eceCount;
}

void
DuneLabelMap::SetFlow(const DuneFlowKey& key, const std::string& label)
{
    DuneFlowKey k = key;
    k.source = 0;
    m_flows[k] = label;
    Remember(label);
}

void
DuneLabelMap::Remember(const std::string& label)
{
    if (std::find(m_classNames.begin(), m_classNames.end(), label) == m_classNames.end())
    {
        m_classNames.push_back(label);
    }
}

const std::vector<std::string>&
DuneLabelMap::ClassNames() const
{
    return m_classNames;
}

void
DuneLabelMap::SetMac(const std::array<uint8_t, 6>& mac, const std::string& label)
{
    m_macs[MacKey(mac)] = label;
    Remember(label);
}

const std::string*
DuneLabelMap::Lookup(const DunePacket& packet) const
{
    if (!m_flows.empty())
    {
        const DuneFlowKey key = DuneFlowKey::FromPacket(packet);
        auto it = m_flows.find(key);
        if (it == m_flows.end())
        {
            it = m_flows.find(key.Reversed());
        }
        if (it != m_flows.end())
        {
            return &it->second;
        }
    }
    if (packet.hasMac && !m_macs.empty())
    {
        for (const auto* mac : {&packet.srcMac, &packet.dstMac})
        {
            auto it = m_macs.find(MacKey(*mac));
            if (it != m_macs.end())
            {
                return &it->second;
            }
        }
    }
    return nullptr;
}

size_t
DuneLabelMap::Size() const
{
    return m_flows.size() + m_macs.size();
}

size_t
DuneDataset::Size() const
{
    return data.labels.size();
}

DuneDataset
DuneDataset::SelectFeatures(const std::vector<std::string>& names) const
{
    std::vector<Eigen::Index> rows;
    for (const std::string& name : names)
    {
        auto it = std::find(featureNames.begin(), featureNames.end(), name);
        if (it == featureNames.end())
        {
            std::string known;
            for (size_t i = 0; i < featureNames.size() && i < 8; ++i)
            {
                known += (i ? ", " : "") + featureNames[i];
            }
            if (featureNames.size() > 8)
            {
                known += ", ...";
            }
            throw AisfcInputError("feature '" + name + "'", "not in the data set (" + known + ")");
        }
        rows.push_back(static_cast<Eigen::Index>(it - featureNames.begin()));
    }
    DuneDataset out = *this;
    out.featureNames = names;
    out.data.features.resize(static_cast<Eigen::Index>(rows.size()), data.features.cols());
    for (size_t r = 0; r < rows.size(); ++r)
    {
        out.data.features.row(static_cast<Eigen::Index>(r)) = data.features.row(rows[r]);
    }
    return out;
}

DuneDataset
DuneDataset::Subset(const std::vector<size_t>& indices) const
{
    DuneDataset out;
    out.featureNames = featureNames;
    out.classNames = classNames;
    out.flows = flows;
    out.packetsPerFlow = packetsPerFlow;
    out.data = data.Subset(indices); // checks the indices
    out.weights.reserve(indices.size());
    for (size_t i : indices)
    {
        out.weights.push_back(weights[i]);
        if (!samples.empty())
        {
            out.samples.push_back(samples[i]);
        }
    }
    return out;
}

void
DuneDataset::SplitByFlow(double testFraction,
                         uint64_t seed,
                         DuneDataset& train,
                         DuneDataset& test) const
{
    if (!(testFraction >= 0.0 && testFraction <= 1.0))
    {
        throw std::invalid_argument("DuneDataset::SplitByFlow: test fraction outside [0, 1]");
    }
    const bool byFlow = !samples.empty();
    const size_t groups = byFlow ? flows.size() : Size();
    size_t classes = classNames.size();
    for (int label : data.labels)
    {
        classes = std::max(classes, static_cast<size_t>(label) + 1);
    }
    // Only flows with samples here: a subset keeps every flow record, and splitting it again
    // must divide its own flows.
    std::vector<bool> present(groups, !byFlow);
    for (size_t i = 0; byFlow && i < Size(); ++i)
    {
        present[samples[i].flow] = true;
    }
    std::vector<std::vector<size_t>> perClass(classes);
    for (size_t g = 0; g < groups; ++g)
    {
        if (present[g])
        {
            perClass[static_cast<size_t>(byFlow ? flows[g].label : data.labels[g])].push_back(g);
        }
    }
    std::mt19937_64 rng(seed);
    std::vector<bool> inTest(groups, false);
    for (std::vector<size_t>& members : perClass)
    {
        // Fisher-Yates of this module's own: std::shuffle differs across standard libraries.
        for (size_t i = members.size(); i > 1; --i)
        {
            std::swap(members[i - 1], members[static_cast<size_t>(rng() % i)]);
        }
        const auto n = static_cast<size_t>(testFraction * members.size() + 0.5);
        for (size_t k = 0; k < n; ++k)
        {
            inTest[members[k]] = true;
        }
    }
    std::vector<size_t> trainIdx;
    std::vector<size_t> testIdx;
    for (size_t i = 0; i < Size(); ++i)
    {
        (inTest[byFlow ? samples[i].flow : i] ? testIdx : trainIdx).push_back(i);
    }
    train = Subset(trainIdx);
    test = Subset(testIdx);
}

std::vector<double>
DuneDataset::ClassWeights() const
{
    std::vector<double> sums(std::max(classNames.size(), data.ClassCount()), 0.0);
    for (size_t i = 0; i < Size(); ++i)
    {
        sums[static_cast<size_t>(data.labels[i])] += weights[i];
    }
    return sums;
}

void
DuneDataset::WriteCsv(const std::string& path) const
{
    std::string out = "Flow ID";
    for (const std::string& name : featureNames)
    {
        out += "," + name;
    }
    out += ",pkt_count,sample_nature,weight,Label\n";
    for (size_t i = 0; i < Size(); ++i)
    {
        const bool packetData = !samples.empty();
        const DuneSampleInfo* s = packetData ? &samples[i] : nullptr;
        out += packetData ? flows[s->flow].key.ToString() : "";
        for (Eigen::Index f = 0; f < data.features.rows(); ++f)
        {
            out += "," + FormatValue(data.features(f, static_cast<Eigen::Index>(i)));
        }
        out += "," + std::to_string(packetData ? flows[s->flow].packetCount : 0);
        out += std::string(",") + (s && s->kind == DuneSampleKind::PACKET ? "pkt" : "flw");
        out += "," + FormatValue(weights[i]);
        const auto label = static_cast<size_t>(data.labels[i]);
        out += "," + (label < classNames.size() ? classNames[label] : std::to_string(label));
        out += "\n";
    }
    WriteFileAtomically(path, out);
}

DuneFeatureExtractor::DuneFeatureExtractor(const DuneFeatureOptions& options)
    : m_options(options)
{
    if (options.packetsPerFlow == 0 || options.packetsPerFlow > 64)
    {
        throw AisfcInputError("packetsPerFlow",
                              std::to_string(options.packetsPerFlow) + " is outside [1, 64]");
    }
}

int
DuneFeatureExtractor::ClassIndex(const std::string& name)
{
    auto it = m_classIndex.find(name);
    if (it != m_classIndex.end())
    {
        return it->second;
    }
    const int index = static_cast<int>(m_classNames.size());
    m_classNames.push_back(name);
    m_classIndex.emplace(name, index);
    return index;
}

void
DuneFeatureExtractor::Add(const DunePacket& packet, int label, uint32_t source)
{
    if (label < 0 || static_cast<size_t>(label) >= m_classNames.size())
    {
        throw std::out_of_range("DuneFeatureExtractor::Add: class index " + std::to_string(label) +
                                " of " + std::to_string(m_classNames.size()));
    }
    const DuneFlowKey key = DuneFlowKey::FromPacket(packet, m_options.direction, source);
    auto it = m_index.find(key);
    size_t index;
    if (it == m_index.end())
    {
        if (m_flows.size() >= m_options.maxFlows)
        {
            throw AisfcInputError("maxFlows",
                                  "more than " + std::to_string(m_options.maxFlows) +
                                      " flows (DuneFeatureOptions::maxFlows)");
        }
        index = m_flows.size();
        m_index.emplace(key, index);
        Flow flow;
        flow.info.key = key;
        flow.info.label = label;
        flow.info.firstTimestampNs = packet.timestampNs;
        m_flows.push_back(std::move(flow));
    }
    else
    {
        index = it->second;
    }
    Flow& flow = m_flows[index];
    if (flow.info.label != label)
    {
        ++m_conflicts;
    }
    if (flow.info.packetCount < UINT32_MAX)
    {
        ++flow.info.packetCount;
    }
    if (flow.firstN.size() < m_options.packetsPerFlow)
    {
        flow.firstN.push_back(packet);
        flow.state.Update(packet);
    }
    ++m_packets;
}

bool
DuneFeatureExtractor::Add(const DunePacket& packet, const DuneLabelMap& labels, uint32_t source)
{
    const std::string* label = labels.Lookup(packet);
    if (!label)
    {
        ++m_unlabelled;
        return false;
    }
    Add(packet, ClassIndex(*label), source);
    return true;
}

DunePcapSummary
DuneFeatureExtractor::AddPcapFile(const std::string& path,
                                  const std::string& label,
                                  const DunePcapOptions& options)
{
    const int index = ClassIndex(label);
    const uint32_t source = m_nextSource++;
    DunePcapReader reader(path, options);
    DunePacket p;
    while (reader.Next(p))
    {
        Add(p, index, source);
    }
    return reader.GetSummary();
}

DunePcapSummary
DuneFeatureExtractor::AddPcapFile(const std::string& path,
                                  const DuneLabelMap& labels,
                                  const DunePcapOptions& options)
{
    const uint32_t source = m_nextSource++;
    DunePcapReader reader(path, options);
    DunePacket p;
    while (reader.Next(p))
    {
        Add(p, labels, source);
    }
    return reader.GetSummary();
}

DuneDataset
DuneFeatureExtractor::Build() const
{
    const uint32_t n = m_options.packetsPerFlow;
    DuneDataset d;
    d.featureNames = DuneFeatureNames();
    d.classNames = m_classNames;
    d.packetsPerFlow = n;
    size_t total = 0;
    for (const Flow& f : m_flows)
    {
        total += std::min(f.info.packetCount, n);
    }
    d.data.features.resize(DUNE_FEATURE_COUNT, static_cast<Eigen::Index>(total));
    d.data.labels.reserve(total);
    d.weights.reserve(total);
    d.samples.reserve(total);
    d.flows.reserve(m_flows.size());
    double column[DUNE_FEATURE_COUNT];
    Eigen::Index col = 0;
    for (size_t fi = 0; fi < m_flows.size(); ++fi)
    {
        const Flow& f = m_flows[fi];
        d.flows.push_back(f.info);
        const uint32_t count = f.info.packetCount;
        DuneFlowState soFar;
        for (size_t j = 0; j < f.firstN.size(); ++j)
        {
            soFar.Update(f.firstN[j]);
            const bool flowSample = count >= n && j + 1 == n;
            DunePacketFeatures(f.firstN[j], column);
            if (flowSample ||
                m_options.packetSampleFlowFeatures == DunePacketSampleFlowFeatures::SO_FAR)
            {
                DuneFlowFeatures(soFar, column + DUNE_PACKET_FEATURE_COUNT);
            }
            else
            {
                std::fill(column + DUNE_PACKET_FEATURE_COUNT,
                          column + DUNE_FEATURE_COUNT,
                          m_options.sentinel);
            }
            d.data.features.col(col++) =
                Eigen::Map<const Eigen::VectorXd>(column, DUNE_FEATURE_COUNT);
            d.data.labels.push_back(f.info.label);
            DuneSampleInfo info;
            info.flow = static_cast<uint32_t>(fi);
            info.kind = flowSample ? DuneSampleKind::FLOW : DuneSampleKind::PACKET;
            info.packetIndex = static_cast<uint32_t>(j + 1);
            info.packetsRepresented = flowSample ? count - n + 1 : 1;
            d.samples.push_back(info);
            d.weights.push_back(static_cast<double>(info.packetsRepresented) / count);
        }
    }
    return d;
}

size_t
DuneFeatureExtractor::FlowCount() const
{
    return m_flows.size();
}

uint64_t
DuneFeatureExtractor::PacketCount() const
{
    return m_packets;
}

uint64_t
DuneFeatureExtractor::UnlabelledPackets() const
{
    return m_unlabelled;
}

uint64_t
DuneFeatureExtractor::LabelConflicts() const
{
    return m_conflicts;
}

const DuneFlowState&
DuneFeatureExtractor::GetFlowState(size_t flow) const
{
    return m_flows.at(flow).state;
}

} // namespace ns3
