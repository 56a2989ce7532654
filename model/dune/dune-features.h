/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DUNE_FEATURES_H
#define DUNE_FEATURES_H

#include "dune-packet.h"

#include "ns3/learn-dataset.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * The 31 features of DUNE's data sets ("feats_all" in DUNE's params.ini), in DUNE's column
 * order: 15 packet features of the current packet, then 16 flow features accumulated over the
 * flow's first packets.
 */
enum DuneFeature : uint8_t
{
    DUNE_IP_LEN = 0,   //!< "ip.len": IP total length
    DUNE_IP_TTL,       //!< "ip.ttl"
    DUNE_TCP_FLAG_SYN, //!< "tcp.flags.syn": 0 or 1
    DUNE_TCP_FLAG_ACK, //!< "tcp.flags.ack"
    DUNE_TCP_FLAG_PSH, //!< "tcp.flags.push"
    DUNE_TCP_FLAG_FIN, //!< "tcp.flags.fin"
    DUNE_TCP_FLAG_RST, //!< "tcp.flags.rst"
    DUNE_TCP_FLAG_ECE, //!< "tcp.flags.ece"
    DUNE_IP_PROTO,     //!< "ip.proto"
    DUNE_SRC_PORT,     //!< "srcport"
    DUNE_DST_PORT,     //!< "dstport"
    DUNE_IP_HDR_LEN,   //!< "ip.hdr_len": bytes
    DUNE_TCP_WINDOW,   //!< "tcp.window_size_value": raw field
    DUNE_TCP_HDR_LEN,  //!< "tcp.hdr_len": 32-bit words (DUNE divides tshark's bytes by 4)
    DUNE_UDP_LENGTH,   //!< "udp.length"
    DUNE_LEN_MIN,      //!< "Min Packet Length": of ip.len
    DUNE_LEN_MAX,      //!< "Max Packet Length"
    DUNE_LEN_MEAN,     //!< "Packet Length Mean": total / count (the only fraction with IAT mean)
    DUNE_LEN_TOTAL,    //!< "Packet Length Total"
    DUNE_UDP_LEN_MIN,  //!< "UDP Len Min": 0 for TCP packets, as in DUNE
    DUNE_UDP_LEN_MAX,  //!< "UDP Len Max"
    DUNE_IAT_MIN,      //!< "Flow IAT Min": ns
    DUNE_IAT_MAX,      //!< "Flow IAT Max": ns
    DUNE_IAT_MEAN,     //!< "Flow IAT Mean": duration / (count - 1), ns
    DUNE_DURATION,     //!< "Flow Duration": last - first timestamp, ns
    DUNE_SYN_COUNT,    //!< "SYN Flag Count"
    DUNE_ACK_COUNT,    //!< "ACK Flag Count"
    DUNE_PSH_COUNT,    //!< "PSH Flag Count"
    DUNE_FIN_COUNT,    //!< "FIN Flag Count"
    DUNE_RST_COUNT,    //!< "RST Flag Count"
    DUNE_ECE_COUNT,    //!< "ECE Flag Count"
    DUNE_FEATURE_COUNT //!< number of features (31)
};

/// Number of packet features (the first ones).
constexpr size_t DUNE_PACKET_FEATURE_COUNT = 15;

/// Number of flow features (the last ones).
constexpr size_t DUNE_FLOW_FEATURE_COUNT = DUNE_FEATURE_COUNT - DUNE_PACKET_FEATURE_COUNT;

/**
 * \ingroup aisfc
 * \brief \return DUNE's column name of a feature ("ip.len", "Flow IAT Min", ...)
 * \param feature index < DUNE_FEATURE_COUNT
 */
std::string DuneFeatureName(size_t feature);

/// \brief \return the 31 names in order
std::vector<std::string> DuneFeatureNames();

/**
 * \ingroup aisfc
 * \brief A named feature subset of DUNE's params.ini.
 * \param set "all" (31), "pkt" (15 packet features), "flow" (16), "easy" (29: no means) or
 *        "no_time" (23: no timing features and no ip.hdr_len, DUNE's choice for ToN-IoT)
 * \return the names, in DUNE's order
 * \throws AisfcInputError naming the set when it is unknown
 */
std::vector<std::string> DuneFeatureSet(const std::string& set);

/// \brief \return whether a feature index is a flow feature
bool DuneIsFlowFeature(size_t feature);

/**
 * \ingroup aisfc
 * How packets are grouped into flows.  DUNE uses UNIDIRECTIONAL: its "Flow ID" is
 * "ip.src ip.dst srcport dstport ip.proto", so the two directions of a connection are two flows.
 */
enum class DuneFlowDirection : uint8_t
{
    UNIDIRECTIONAL = 0, //!< (src, dst, sport, dport, proto): DUNE's flows
    BIDIRECTIONAL = 1,  //!< both directions of a 5-tuple are one flow
};

/**
 * \ingroup aisfc
 * The key of a flow: the 5-tuple plus the index of the source (file) it came from, as DUNE
 * appends the file name to the Flow ID when it merges captures.  In BIDIRECTIONAL keys the
 * endpoint that sorts first (address, then port) is endpoint A.
 */
struct DuneFlowKey
{
    uint8_t ipVersion = 4;              //!< 4 or 6
    uint8_t protocol = 0;               //!< ip.proto
    std::array<uint8_t, 16> addressA{}; //!< source (unidirectional)
    std::array<uint8_t, 16> addressB{}; //!< destination (unidirectional)
    uint16_t portA = 0;                 //!< source port
    uint16_t portB = 0;                 //!< destination port
    uint32_t source = 0;                //!< input index (file)

    /**
     * \brief The key of a packet's flow.
     * \param packet the packet
     * \param direction unidirectional or bidirectional
     * \param source input index
     * \return the key
     */
    static DuneFlowKey FromPacket(const DunePacket& packet,
                                  DuneFlowDirection direction = DuneFlowDirection::UNIDIRECTIONAL,
                                  uint32_t source = 0);

    /// \brief \return the key with A and B swapped
    DuneFlowKey Reversed() const;

    /// \brief \return DUNE's Flow ID text: "srcip dstip srcport dstport proto"
    std::string ToString() const;

    /// \brief \return whether two keys are equal
    bool operator==(const DuneFlowKey& other) const;
};

/**
 * \ingroup aisfc
 * Hash of a flow key (FNV-1a over its fields).
 */
struct DuneFlowKeyHash
{
    /// \brief \return the hash of key
    size_t operator()(const DuneFlowKey& key) const;
};

/**
 * \ingroup aisfc
 * The per-flow state DUNE accumulates, kept as the integers a switch keeps in registers (the
 * two means are derived on demand; a switch divides the total by the fixed N instead).  Before
 * the second packet the inter-arrival fields are 0, as in DUNE.
 */
struct DuneFlowState
{
    uint32_t packetCount = 0;      //!< packets seen
    uint64_t firstTimestampNs = 0; //!< first packet
    uint64_t lastTimestampNs = 0;  //!< last packet
    uint32_t lengthMin = 0;        //!< min ip.len
    uint32_t lengthMax = 0;        //!< max ip.len
    uint64_t lengthTotal = 0;      //!< sum of ip.len
    uint32_t udpLengthMin = 0;     //!< min udp.length (0 for TCP packets)
    uint32_t udpLengthMax = 0;     //!< max udp.length
    uint64_t iatMinNs = 0;         //!< smallest gap between consecutive packets
    uint64_t iatMaxNs = 0;         //!< largest gap
    uint32_t synCount = 0;         //!< packets with SYN
    uint32_t ackCount = 0;         //!< packets with ACK
    uint32_t pshCount = 0;         //!< packets with PSH
    uint32_t finCount = 0;         //!< packets with FIN
    uint32_t rstCount = 0;         //!< packets with RST
    uint32_t eceCount = 0;         //!< packets with ECE

    /**
     * \brief Account for the next packet of the flow.  A timestamp earlier than the last one
     * (captures merged out of order) counts as a gap of 0.
     * \param packet the packet
     */
    void Update(const DunePacket& packet);

    /// \brief \return last - first timestamp, ns
    uint64_t DurationNs() const;

    /// \brief \return lengthTotal / packetCount (0 before the first packet)
    double LengthMean() const;

    /// \brief \return DurationNs / (packetCount - 1) (0 before the second packet)
    double IatMeanNs() const;
};

/**
 * \ingroup aisfc
 * \brief The 15 packet features of a packet, in DuneFeature order.
 * \param packet the packet
 * \param out receives DUNE_PACKET_FEATURE_COUNT values
 */
void DunePacketFeatures(const DunePacket& packet, double* out);

/**
 * \ingroup aisfc
 * \brief The 16 flow features of a flow state, in DuneFeature order (from DUNE_LEN_MIN).
 * \param state the state
 * \param out receives DUNE_FLOW_FEATURE_COUNT values
 */
void DuneFlowFeatures(const DuneFlowState& state, double* out);

/**
 * \ingroup aisfc
 * Labels for flows: by 5-tuple (DUNE's ToN-IoT labels flows by Flow ID) or by MAC address
 * (DUNE's UNSW labels devices by MAC).  Built in code or read from CSV with DuneReadLabelCsv.
 *
 * A packet's label is looked up as: its 5-tuple, the reversed 5-tuple, its source MAC, its
 * destination MAC; the first match wins.
 */
class DuneLabelMap
{
  public:
    /**
     * \brief Label a 5-tuple (the source index of key is ignored).
     * \param key the flow, unidirectional
     * \param label the class name
     */
    void SetFlow(const DuneFlowKey& key, const std::string& label);

    /**
     * \brief Label a device.
     * \param mac the MAC address
     * \param label the class name
     */
    void SetMac(const std::array<uint8_t, 6>& mac, const std::string& label);

    /**
     * \brief The label of a packet.
     * \param packet the packet
     * \return the class name, or nullptr when the packet matches nothing
     */
    const std::string* Lookup(const DunePacket& packet) const;

    /// \brief \return number of flow and MAC entries
    size_t Size() const;

    /// \brief \return the labels in the order they were first given (a label file's row
    /// order): the class numbering of data sets built from it
    const std::vector<std::string>& ClassNames() const;

  private:
    /// Note a label's first appearance.
    void Remember(const std::string& label);

    std::unordered_map<DuneFlowKey, std::string, DuneFlowKeyHash> m_flows; //!< by 5-tuple
    std::unordered_map<uint64_t, std::string> m_macs;                      //!< by MAC
    std::vector<std::string> m_classNames; //!< labels in order of first appearance
};

/**
 * \ingroup aisfc
 * What the flow features of a packet sample hold.
 */
enum class DunePacketSampleFlowFeatures : uint8_t
{
    /// All 16 flow features are the sentinel (DUNE's data generation writes -1): the packet
    /// model sees packet features only.
    SENTINEL = 0,
    /// The flow features accumulated up to and including this packet.
    SO_FAR = 1,
};

/**
 * \ingroup aisfc
 * How samples are built.
 */
struct DuneFeatureOptions
{
    /// N: packet samples for the first N - 1 packets of each flow, a flow sample at packet N
    /// (DUNE evaluates 2, 3 and 4).
    uint32_t packetsPerFlow = 3;
    DuneFlowDirection direction = DuneFlowDirection::UNIDIRECTIONAL; //!< flow grouping
    DunePacketSampleFlowFeatures packetSampleFlowFeatures =
        DunePacketSampleFlowFeatures::SENTINEL; //!< flow features of packet samples
    double sentinel = -1.0;                     //!< value of absent flow features
    uint64_t maxFlows = 10000000; //!< more flows are refused (about 500 bytes each at N = 3)
};

/**
 * \ingroup aisfc
 * The kind of a sample.
 */
enum class DuneSampleKind : uint8_t
{
    PACKET = 0, //!< one of the first N - 1 packets (or every packet of a flow shorter than N)
    FLOW = 1,   //!< the N-th packet with the flow features of the first N packets
};

/**
 * \ingroup aisfc
 * Where a sample comes from.
 */
struct DuneSampleInfo
{
    uint32_t flow = 0;                          //!< index into DuneDataset::flows
    DuneSampleKind kind = DuneSampleKind::FLOW; //!< packet or flow sample
    uint32_t packetIndex = 0;                   //!< position of the packet in its flow, from 1
    uint32_t packetsRepresented = 1;            //!< packets that take this sample's decision (1, or
                                                //!< packetCount - N + 1 for a flow sample)
};

/**
 * \ingroup aisfc
 * A flow of a data set.
 */
struct DuneFlowInfo
{
    DuneFlowKey key;               //!< its key
    int label = 0;                 //!< class index
    uint32_t packetCount = 0;      //!< packets of the whole flow (DUNE's pkt_count)
    uint64_t firstTimestampNs = 0; //!< first packet
};

/**
 * \ingroup aisfc
 * The data set DUNE trains on, in the layout of LearnDataset (features x samples), with a
 * weight per sample and, for data built from packets, where each sample came from.
 *
 * DUNE's weights: a packet sample weighs 1 / pkt_count and a flow sample
 * (pkt_count - N + 1) / pkt_count, where pkt_count is the number of packets of the whole flow;
 * a flow's samples thus weigh 1 together, and a flow sample counts for the packets that follow
 * its decision.  Flows loaded from a flow-level CSV weigh 1 each.
 */
struct DuneDataset
{
    std::vector<std::string> featureNames; //!< one per feature row
    std::vector<std::string> classNames;   //!< label i is classNames[i]
    LearnDataset data;                     //!< features x samples and labels
    std::vector<double> weights;           //!< one per sample
    std::vector<DuneSampleInfo> samples;   //!< one per sample; empty for CSV data
    std::vector<DuneFlowInfo> flows;       //!< flows of packet data; empty for CSV data
    uint32_t packetsPerFlow = 0;           //!< N, 0 for CSV data

    /// \brief \return the number of samples
    size_t Size() const;

    /**
     * \brief The dataset restricted to some features, in the order given.
     * \param names feature names
     * \return the subset
     * \throws AisfcInputError "feature 'x'" on a name not in featureNames
     */
    DuneDataset SelectFeatures(const std::vector<std::string>& names) const;

    /**
     * \brief The samples at some indices, in that order (flows are kept whole: the indices
     * still refer to them).
     * \param indices sample indices
     * \return the subset
     * \throws std::out_of_range on an index out of range
     */
    DuneDataset Subset(const std::vector<size_t>& indices) const;

    /**
     * \brief Split into training and test sets by flow, stratified by class: all samples of a
     * flow fall on one side (a packet sample and the flow sample of one flow on both sides
     * would leak).  CSV data splits by sample.  Seeded Fisher-Yates per class on
     * std::mt19937_64.
     * \param testFraction share of each class's flows in the test set, in [0, 1]
     * \param seed shuffle seed
     * \param train receives the training samples
     * \param test receives the test samples
     */
    void SplitByFlow(double testFraction,
                     uint64_t seed,
                     DuneDataset& train,
                     DuneDataset& test) const;

    /// \brief \return the sum of weights per class
    std::vector<double> ClassWeights() const;

    /**
     * \brief Write the samples as CSV in DUNE's hybrid layout: "Flow ID", the features,
     * "pkt_count", "sample_nature" (pkt or flw), "weight", "Label" (the class name).  Data
     * loaded from a flow CSV has no flows: its Flow ID is empty, pkt_count 0 and every sample
     * "flw".  DuneReadFlowCsv reads the file back (drop pkt_count and sample_nature, weight
     * column "weight").
     * \param path the file
     * \throws std::runtime_error naming path when writing fails
     */
    void WriteCsv(const std::string& path) const;
};

/**
 * \ingroup aisfc
 * Builds DUNE's data set from packets, streaming: memory grows with flows (their first N
 * packets' features), not with packets.
 *
 * For each flow with at least N packets: a packet sample for each of packets 1 .. N - 1
 * (packet features of that packet; flow features the sentinel -1 in DUNE's mode), then one
 * flow sample made of the packet features of packet N and the flow features over packets
 * 1 .. N.  A flow shorter than N gives a packet sample for each of its packets and no flow
 * sample.  Packets after the N-th only count towards pkt_count.  Samples are emitted flow by
 * flow in order of first appearance.
 *
 * \code
 *   DuneFeatureExtractor x(options);
 *   x.AddPcapFile("benign.pcap", "benign");
 *   x.AddPcapFile("attack.pcap", labelsFromCsv);
 *   DuneDataset d = x.Build();
 * \endcode
 */
class DuneFeatureExtractor
{
  public:
    /**
     * \brief An empty extractor.
     * \param options N, flow grouping, packet-sample flow features
     * \throws AisfcInputError "packetsPerFlow" when N is 0 or above 64
     */
    explicit DuneFeatureExtractor(const DuneFeatureOptions& options = DuneFeatureOptions());

    /**
     * \brief The index of a class, added when new (classes are numbered in order of
     * appearance unless declared first).
     * \param name the class name
     * \return its index
     */
    int ClassIndex(const std::string& name);

    /**
     * \brief Account for one packet of a known class.  A flow keeps the label of its first
     * packet; a later packet with another label is counted as a conflict.
     * \param packet the packet, in capture order
     * \param label the class index (from ClassIndex)
     * \param source input index: flows of different sources are different flows
     * \throws std::out_of_range on an unknown class index; AisfcInputError "maxFlows" when
     *         there are too many flows
     */
    void Add(const DunePacket& packet, int label, uint32_t source = 0);

    /**
     * \brief Account for one packet labelled by a map.
     * \param packet the packet
     * \param labels the label map
     * \param source input index
     * \return false (and the packet counted as unlabelled) when the map has no label for it
     */
    bool Add(const DunePacket& packet, const DuneLabelMap& labels, uint32_t source = 0);

    /**
     * \brief Add every packet of a pcap file with one label (DUNE's per-file labelling); the
     * file gets the next source index.
     * \param path the file
     * \param label the class name
     * \param options reader options
     * \return the reader's summary
     * \throws AisfcInputError from the reader
     */
    DunePcapSummary AddPcapFile(const std::string& path,
                                const std::string& label,
                                const DunePcapOptions& options = DunePcapOptions());

    /**
     * \brief Add the packets of a pcap file labelled by a map; unlabelled packets are counted
     * and dropped (as DUNE's merge on Flow ID drops them).
     * \param path the file
     * \param labels the label map
     * \param options reader options
     * \return the reader's summary
     */
    DunePcapSummary AddPcapFile(const std::string& path,
                                const DuneLabelMap& labels,
                                const DunePcapOptions& options = DunePcapOptions());

    /// \brief \return the data set of all packets added so far
    DuneDataset Build() const;

    /// \brief \return flows seen
    size_t FlowCount() const;

    /// \brief \return packets accounted for
    uint64_t PacketCount() const;

    /// \brief \return packets dropped for want of a label
    uint64_t UnlabelledPackets() const;

    /// \brief \return packets whose label differed from their flow's
    uint64_t LabelConflicts() const;

    /**
     * \brief The state of a flow over its first N packets (what the switch registers hold
     * when the flow sample is taken).
     * \param flow flow index (order of appearance)
     * \return the state
     */
    const DuneFlowState& GetFlowState(size_t flow) const;

  private:
    /// One flow.
    struct Flow
    {
        DuneFlowInfo info;              //!< key, label, count
        DuneFlowState state;            //!< over the first N packets
        std::vector<DunePacket> firstN; //!< the first N packets (rebuilt into samples)
    };

    DuneFeatureOptions m_options;                                     //!< options
    std::vector<std::string> m_classNames;                            //!< class names
    std::unordered_map<std::string, int> m_classIndex;                //!< name -> index
    std::vector<Flow> m_flows;                                        //!< flows in order
    std::unordered_map<DuneFlowKey, size_t, DuneFlowKeyHash> m_index; //!< key -> flow
    uint32_t m_nextSource = 0;                                        //!< for AddPcapFile
    uint64_t m_packets = 0;                                           //!< packets added
    uint64_t m_unlabelled = 0;                                        //!< dropped packets
    uint64_t m_conflicts = 0;                                         //!< label conflicts
};

} // namespace ns3

#endif // DUNE_FEATURES_H
