/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "dune-synthetic.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/learn-dense-network.h"

#include <algorithm>
#include <random>
#include <utility>

namespace ns3
{

namespace
{

/// An inclusive range.
struct Range
{
    uint32_t lo; //!< smallest value
    uint32_t hi; //!< largest value
};

/// One component of a size mixture: IPv4 total lengths uniform in r.
struct SizePart
{
    double weight; //!< relative weight
    Range r;       //!< sizes
};

/// How a class's conversations unfold.
enum class Kind : uint8_t
{
    NORMAL, //!< handshake (TCP), data, close
    SCAN,   //!< a probe and at most a refusal
    FLOOD,  //!< repeated SYNs from a spoofed source, no reply
};

/// Host stacks, which set TTL, SYN options, header options, ports and windows.
enum Os : uint8_t
{
    LINUX = 0,
    WINDOWS = 1,
    EMBEDDED = 2,
};

/// What an operating system puts in its packets.
struct OsModel
{
    uint8_t ttl;                       //!< initial TTL (EMBEDDED: 64 or 255)
    uint8_t synWords;                  //!< TCP header words of a SYN
    uint8_t dataWords;                 //!< TCP header words after the handshake
    Range ephemeral;                   //!< client source ports
    std::vector<uint16_t> synWindows;  //!< window of SYN and SYN-ACK
    std::vector<uint16_t> dataWindows; //!< window base after the handshake (scaled windows)
    uint32_t windowJitter;             //!< window = base + [0, jitter]
};

const OsModel&
Model(Os os)
{
    static const OsModel models[3] = {
        {64, 10, 8, {32768, 60999}, {64240, 65535, 29200}, {501, 502, 509, 1444, 2053}, 64},
        {128, 8, 5, {49152, 65535}, {64240, 65535, 8192}, {1026, 2052, 4106, 8212}, 256},
        {64, 6, 5, {49152, 65535}, {5840, 2920, 14600}, {5840, 2920, 1460}, 0},
    };
    return models[os];
}

/// A class behaviour.
struct Archetype
{
    const char* name;                               //!< short name
    const char* description;                        //!< one line
    Kind kind;                                      //!< how conversations unfold
    double tcpShare;                                //!< probability of TCP, else UDP
    std::vector<std::pair<uint16_t, double>> ports; //!< server ports (0: random high port)
    std::array<double, 3> clientOs;                 //!< weights of LINUX, WINDOWS, EMBEDDED
    std::array<double, 3> serverOs;                 //!< same for the server
    Range packets;                                  //!< packets per conversation
    double forwardShare;                            //!< probability a data packet is forward
    bool alternate;                                 //!< request-response (DNS, NTP)
    std::vector<SizePart> forwardSizes;             //!< client-to-server sizes
    std::vector<SizePart> backwardSizes;            //!< server-to-client sizes
    Range gapUs;                                    //!< gap between data packets
    Range rttUs;                                    //!< reply delay of handshakes and requests
    double psh;                                     //!< probability of PSH on a data packet
    double fin;                                     //!< probability of a FIN close
    double rst;                                     //!< probability of an RST close
    double ecn;                                     //!< probability a conversation uses ECN
};

const std::vector<Archetype>&
Archetypes()
{
    static const std::vector<Archetype> table = {
        {"web",
         "Web browsing: TCP to 443/80, small requests, large responses, 6-60 packets, "
         "gaps 0.2-200 ms, Linux and Windows clients",
         Kind::NORMAL,
         1.0,
         {{443, 0.8}, {80, 0.2}},
         {0.4, 0.6, 0.0},
         {0.8, 0.2, 0.0},
         {6, 60},
         0.4,
         false,
         {{0.5, {52, 100}}, {0.5, {100, 700}}},
         {{0.2, {52, 100}}, {0.8, {1000, 1500}}},
         {200, 200000},
         {5000, 80000},
         0.3,
         0.7,
         0.1,
         0.05},
        {"video",
         "Video streaming: TCP 443/80 (15% UDP 443, QUIC), long downloads of full-size "
         "packets, 30-200 packets, gaps 0.05-20 ms",
         Kind::NORMAL,
         0.85,
         {{443, 0.9}, {80, 0.1}},
         {0.5, 0.5, 0.0},
         {0.9, 0.1, 0.0},
         {30, 200},
         0.15,
         false,
         {{1.0, {52, 120}}},
         {{0.9, {1200, 1500}}, {0.1, {300, 1200}}},
         {50, 20000},
         {5000, 60000},
         0.1,
         0.5,
         0.1,
         0.1},
        {"bulk",
         "Bulk upload (backup, SFTP, rsync): TCP 22/443/873, full-size forward packets, "
         "ACKs back, 20-150 packets, gaps 0.02-5 ms",
         Kind::NORMAL,
         1.0,
         {{22, 0.5}, {443, 0.3}, {873, 0.2}},
         {0.8, 0.2, 0.0},
         {1.0, 0.0, 0.0},
         {20, 150},
         0.8,
         false,
         {{0.85, {1200, 1500}}, {0.15, {52, 200}}},
         {{1.0, {52, 100}}},
         {20, 5000},
         {1000, 40000},
         0.2,
         0.7,
         0.05,
         0.1},
        {"dns",
         "DNS lookups: UDP 53 (5% TCP), query and response, 1-4 packets, 55-90 byte "
         "queries, 80-300 byte answers",
         Kind::NORMAL,
         0.05,
         {{53, 1.0}},
         {0.5, 0.4, 0.1},
         {0.9, 0.1, 0.0},
         {1, 4},
         0.5,
         true,
         {{1.0, {55, 90}}},
         {{1.0, {80, 300}}},
         {1000, 100000},
         {1000, 60000},
         0.5,
         0.5,
         0.0,
         0.0},
        {"mqtt",
         "IoT telemetry (MQTT): TCP 1883/8883 from embedded stacks (TTL 64 or 255), small "
         "publishes, 3-20 packets, gaps 0.1-5 s",
         Kind::NORMAL,
         1.0,
         {{1883, 0.6}, {8883, 0.4}},
         {0.1, 0.0, 0.9},
         {0.9, 0.1, 0.0},
         {3, 20},
         0.6,
         false,
         {{1.0, {60, 250}}},
         {{1.0, {52, 80}}},
         {100000, 5000000},
         {20000, 200000},
         0.6,
         0.3,
         0.2,
         0.0},
        {"camera",
         "IP camera: RTP over UDP to a high port (70%) or RTSP TCP 554, 400-1400 byte "
         "frames upstream, 20-150 packets, gaps 5-50 ms",
         Kind::NORMAL,
         0.2,
         {{554, 0.3}, {0, 0.7}},
         {0.1, 0.0, 0.9},
         {0.8, 0.2, 0.0},
         {20, 150},
         0.9,
         false,
         {{1.0, {400, 1400}}},
         {{1.0, {60, 120}}},
         {5000, 50000},
         {5000, 50000},
         0.3,
         0.5,
         0.1,
         0.0},
        {"voip",
         "VoIP call: UDP 5060 or a high port, 180-230 byte voice frames both ways every "
         "15-25 ms, 20-150 packets",
         Kind::NORMAL,
         0.0,
         {{5060, 0.3}, {0, 0.7}},
         {0.3, 0.3, 0.4},
         {0.7, 0.2, 0.1},
         {20, 150},
         0.5,
         false,
         {{1.0, {180, 230}}},
         {{1.0, {180, 230}}},
         {15000, 25000},
         {10000, 80000},
         0.0,
         0.0,
         0.0,
         0.0},
        {"scan",
         "Port scan: a SYN (or an empty UDP datagram) to a random or common port, refused "
         "by RST, answered by SYN-ACK and reset, or unanswered; 1-3 packets",
         Kind::SCAN,
         0.9,
         {{0, 0.7}, {22, 0.06}, {23, 0.06}, {80, 0.06}, {443, 0.06}, {3389, 0.06}},
         {0.8, 0.2, 0.0},
         {0.6, 0.4, 0.0},
         {1, 3},
         1.0,
         false,
         {{1.0, {40, 44}}},
         {{1.0, {40, 44}}},
         {100, 10000},
         {100, 10000},
         0.0,
         0.0,
         0.0,
         0.0},
        {"synflood",
         "SYN flood: SYNs to 80/443 from spoofed sources (random TTL, window, port), "
         "retransmitted 1-4 times 0.5-3 s apart, never answered",
         Kind::FLOOD,
         1.0,
         {{80, 0.6}, {443, 0.4}},
         {0.4, 0.4, 0.2},
         {0.8, 0.2, 0.0},
         {1, 4},
         1.0,
         false,
         {{1.0, {40, 60}}},
         {{1.0, {40, 60}}},
         {500000, 3000000},
         {500000, 3000000},
         0.0,
         0.0,
         0.0,
         0.0},
        {"bruteforce",
         "Password brute force: TCP 22 (60%), 21, 23, short login exchanges of 52-300 "
         "bytes, 8-30 packets, gaps 1-300 ms, often reset",
         Kind::NORMAL,
         1.0,
         {{22, 0.6}, {21, 0.2}, {23, 0.2}},
         {0.9, 0.1, 0.0},
         {0.9, 0.1, 0.0},
         {8, 30},
         0.5,
         false,
         {{1.0, {52, 200}}},
         {{1.0, {52, 300}}},
         {1000, 300000},
         {1000, 50000},
         0.7,
         0.5,
         0.4,
         0.0},
        {"webattack",
         "Web attack (injection, XSS): TCP 80/443/8080 with large requests (300-1400 "
         "bytes), 5-25 packets, gaps 0.5-100 ms",
         Kind::NORMAL,
         1.0,
         {{80, 0.6}, {443, 0.3}, {8080, 0.1}},
         {0.7, 0.3, 0.0},
         {0.8, 0.2, 0.0},
         {5, 25},
         0.55,
         false,
         {{0.6, {300, 1400}}, {0.4, {52, 100}}},
         {{0.3, {52, 100}}, {0.7, {200, 1500}}},
         {500, 100000},
         {2000, 60000},
         0.6,
         0.6,
         0.2,
         0.05},
        {"c2",
         "Backdoor / C2 beacon: TCP 4444/8080/443 (20% UDP), small check-ins, 3-12 "
         "packets, gaps 0.2-10 s",
         Kind::NORMAL,
         0.8,
         {{4444, 0.3}, {8080, 0.3}, {443, 0.4}},
         {0.3, 0.6, 0.1},
         {0.9, 0.1, 0.0},
         {3, 12},
         0.5,
         false,
         {{1.0, {60, 200}}},
         {{1.0, {60, 400}}},
         {200000, 10000000},
         {20000, 300000},
         0.5,
         0.4,
         0.3,
         0.0},
        {"ntp",
         "Time sync (NTP): UDP 123, 76-byte request and reply, 1-4 packets",
         Kind::NORMAL,
         0.0,
         {{123, 1.0}},
         {0.4, 0.3, 0.3},
         {0.9, 0.0, 0.1},
         {1, 4},
         0.5,
         true,
         {{1.0, {76, 76}}},
         {{1.0, {76, 76}}},
         {1000, 1000000},
         {1000, 100000},
         0.0,
         0.0,
         0.0,
         0.0},
        {"smb",
         "File shares / ransomware over SMB: TCP 445/139, mixed sizes both ways, 20-120 "
         "packets, gaps 0.05-10 ms",
         Kind::NORMAL,
         1.0,
         {{445, 0.8}, {139, 0.2}},
         {0.1, 0.9, 0.0},
         {0.2, 0.8, 0.0},
         {20, 120},
         0.5,
         false,
         {{1.0, {100, 1500}}},
         {{1.0, {52, 1500}}},
         {50, 10000},
         {500, 20000},
         0.4,
         0.6,
         0.1,
         0.0},
        {"p2p",
         "Peer to peer (BitTorrent): UDP (60%) or TCP to high ports or 6881, any size, "
         "2-60 packets, gaps 1-1000 ms",
         Kind::NORMAL,
         0.4,
         {{0, 0.8}, {6881, 0.2}},
         {0.5, 0.5, 0.0},
         {0.5, 0.5, 0.0},
         {2, 60},
         0.5,
         false,
         {{1.0, {60, 1500}}},
         {{1.0, {60, 1500}}},
         {1000, 1000000},
         {10000, 300000},
         0.3,
         0.4,
         0.2,
         0.0},
        {"smtp",
         "Mail submission (SMTP): TCP 587/25, commands and message bodies forward, short "
         "replies, 10-40 packets, gaps 1-200 ms",
         Kind::NORMAL,
         1.0,
         {{587, 0.6}, {25, 0.4}},
         {0.5, 0.5, 0.0},
         {1.0, 0.0, 0.0},
         {10, 40},
         0.6,
         false,
         {{1.0, {52, 1500}}},
         {{1.0, {52, 200}}},
         {1000, 200000},
         {5000, 80000},
         0.6,
         0.8,
         0.05,
         0.05},
    };
    return table;
}

/// The draws: every one goes through LearnUniform01 and plain arithmetic.
class Draw
{
  public:
    explicit Draw(uint64_t seed)
        : m_rng(seed)
    {
    }

    double U01()
    {
        return LearnUniform01(m_rng);
    }

    bool Chance(double p)
    {
        return U01() < p;
    }

    /// Uniform integer in [lo, hi].
    uint64_t Int(uint64_t lo, uint64_t hi)
    {
        const uint64_t span = hi - lo + 1;
        const auto k = static_cast<uint64_t>(U01() * static_cast<double>(span));
        return lo + std::min(k, span - 1);
    }

    /// Log-uniform by octaves: an octave [lo 2^k, lo 2^(k+1)) of the range, each equally
    /// likely (the last one cut at hi), then uniform in it.  Only doublings: no logarithm.
    uint64_t LogInt(uint64_t lo, uint64_t hi)
    {
        lo = std::max<uint64_t>(lo, 1);
        if (hi <= lo)
        {
            return lo;
        }
        uint64_t octaves = 1;
        for (uint64_t x = lo; x * 2 <= hi; x *= 2)
        {
            ++octaves;
        }
        const uint64_t k = Int(0, octaves - 1);
        const uint64_t a = lo << k;
        const uint64_t b = std::min(hi, (lo << (k + 1)) - 1);
        return Int(a, std::max(a, b));
    }

    /// An index drawn with the given weights.
    template <typename Weights>
    size_t Pick(const Weights& weights)
    {
        double total = 0;
        for (double w : weights)
        {
            total += w;
        }
        double u = U01() * total;
        size_t i = 0;
        for (double w : weights)
        {
            if (u < w)
            {
                return i;
            }
            u -= w;
            ++i;
        }
        return i - 1;
    }

  private:
    std::mt19937_64 m_rng; //!< the generator
};

uint16_t
PickPort(Draw& draw, const std::vector<std::pair<uint16_t, double>>& ports)
{
    std::vector<double> weights;
    for (const auto& p : ports)
    {
        weights.push_back(p.second);
    }
    const uint16_t port = ports[draw.Pick(weights)].first;
    return port != 0 ? port : static_cast<uint16_t>(draw.Int(1024, 65535));
}

uint32_t
PickSize(Draw& draw, const std::vector<SizePart>& parts, uint32_t shift)
{
    std::vector<double> weights;
    for (const SizePart& p : parts)
    {
        weights.push_back(p.weight);
    }
    const Range r = parts[draw.Pick(weights)].r;
    return static_cast<uint32_t>(draw.Int(r.lo, r.hi)) + shift;
}

/// One host's side of a conversation.
struct Endpoint
{
    Os os;           //!< its stack
    uint8_t ttl;     //!< TTL seen at the capture point
    uint16_t window; //!< data window base
};

/// One packet of a conversation before it becomes a record.
struct Step
{
    bool forward;    //!< client to server
    uint32_t size;   //!< IPv4 total length wanted
    uint8_t flags;   //!< TCP flags
    uint8_t words;   //!< TCP header words
    uint16_t window; //!< TCP window
    uint64_t gapUs;  //!< time since the previous packet
};

} // namespace

std::string
DuneSyntheticClassName(uint32_t c)
{
    if (c >= DUNE_SYNTHETIC_MAX_CLASSES)
    {
        throw std::out_of_range("DuneSyntheticClassName: class " + std::to_string(c));
    }
    const std::string base = Archetypes()[c % DUNE_SYNTHETIC_ARCHETYPES].name;
    const uint32_t variant = c / DUNE_SYNTHETIC_ARCHETYPES;
    return variant == 0 ? base : base + "-v" + std::to_string(variant);
}

std::string
DuneSyntheticClassDescription(uint32_t c)
{
    if (c >= DUNE_SYNTHETIC_MAX_CLASSES)
    {
        throw std::out_of_range("DuneSyntheticClassDescription: class " + std::to_string(c));
    }
    std::string text = Archetypes()[c % DUNE_SYNTHETIC_ARCHETYPES].description;
    const uint32_t variant = c / DUNE_SYNTHETIC_ARCHETYPES;
    if (variant > 0)
    {
        text += " (variant " + std::to_string(variant) + ": sizes +" +
                std::to_string(37 * variant) + " bytes, gaps x" +
                std::to_string(1.0 + variant / 2.0).substr(0, 3) + ", +" + std::to_string(variant) +
                " packets)";
    }
    return text;
}

DuneSyntheticTraffic
DuneGenerateSyntheticTraffic(const DuneSyntheticOptions& options)
{
    if (options.classes < 2 || options.classes > DUNE_SYNTHETIC_MAX_CLASSES)
    {
        throw AisfcInputError("classes",
                              std::to_string(options.classes) + " is outside [2, " +
                                  std::to_string(DUNE_SYNTHETIC_MAX_CLASSES) + "]");
    }
    const uint64_t conversations = static_cast<uint64_t>(options.classes) * options.flowsPerClass;
    if (options.flowsPerClass == 0 || conversations >= (1u << 24))
    {
        throw AisfcInputError("flowsPerClass",
                              std::to_string(options.flowsPerClass) +
                                  " gives no conversation or more than 2^24 in all");
    }
    if (!(options.durationSeconds > 0.0 && options.durationSeconds <= 86400.0 * 365))
    {
        throw AisfcInputError("durationSeconds",
                              std::to_string(options.durationSeconds) + " is not in (0, 1 year]");
    }
    if (!(options.ipv6Fraction >= 0.0 && options.ipv6Fraction <= 1.0))
    {
        throw AisfcInputError("ipv6Fraction", "outside [0, 1]");
    }
    if (!(options.confusion >= 0.0 && options.confusion <= 1.0))
    {
        throw AisfcInputError("confusion", "outside [0, 1]");
    }
    if (options.startEpochSeconds > 4000000000ULL)
    {
        throw AisfcInputError("startEpochSeconds", "beyond what pcap time stamps hold");
    }

    DuneSyntheticTraffic out;
    for (uint32_t c = 0; c < options.classes; ++c)
    {
        out.classNames.push_back(DuneSyntheticClassName(c));
    }
    Draw draw(options.seed);
    const uint64_t durationUs =
        std::max<uint64_t>(1, static_cast<uint64_t>(options.durationSeconds * 1e6));
    const std::array<uint8_t, 6> gatewayMac = {0x02, 0xff, 0, 0, 0, 0x01};

    struct Timed
    {
        uint64_t timeUs;
        uint32_t conversation;
        uint32_t index;
        DunePacket packet;
    };

    std::vector<Timed> all;
    for (uint32_t i = 0; i < conversations; ++i)
    {
        const uint32_t c = i % options.classes;
        const uint32_t variant = c / DUNE_SYNTHETIC_ARCHETYPES;
        const Archetype& a = Archetypes()[c % DUNE_SYNTHETIC_ARCHETYPES];
        // Draws in a fixed order: the look (ports and stacks) first.
        const Archetype* look = &a;
        if (draw.Chance(options.confusion))
        {
            uint32_t other = static_cast<uint32_t>(draw.Int(0, options.classes - 2));
            other += other >= c ? 1 : 0;
            look = &Archetypes()[other % DUNE_SYNTHETIC_ARCHETYPES];
        }
        const bool ipv6 = draw.Chance(options.ipv6Fraction);
        const bool tcp = a.kind == Kind::FLOOD || draw.Chance(a.tcpShare);
        const uint16_t serverPort = PickPort(draw, look->ports);
        auto endpoint = [&](const std::array<double, 3>& weights,
                            uint32_t hopsLo,
                            uint32_t hopsHi) {
            Endpoint e;
            e.os = static_cast<Os>(draw.Pick(weights));
            const OsModel& m = Model(e.os);
            const uint8_t initial = e.os == EMBEDDED && draw.Chance(0.5) ? 255 : m.ttl;
            e.ttl = static_cast<uint8_t>(initial - draw.Int(hopsLo, hopsHi));
            e.window = static_cast<uint16_t>(m.dataWindows[draw.Int(0, m.dataWindows.size() - 1)]);
            return e;
        };
        Endpoint client = endpoint(look->clientOs, 0, 3);
        Endpoint server = endpoint(look->serverOs, 4, 20);
        const OsModel& cm = Model(client.os);
        const OsModel& sm = Model(server.os);
        uint16_t clientPort = static_cast<uint16_t>(draw.Int(cm.ephemeral.lo, cm.ephemeral.hi));
        const uint16_t clientSynWindow = cm.synWindows[draw.Int(0, cm.synWindows.size() - 1)];
        const uint16_t serverSynWindow = sm.synWindows[draw.Int(0, sm.synWindows.size() - 1)];
        const uint64_t startUs = draw.Int(0, durationUs - 1);
        const uint64_t rttUs = draw.LogInt(a.rttUs.lo, a.rttUs.hi);
        const bool ecn = tcp && draw.Chance(a.ecn);
        const uint32_t shift = 37 * variant;
        const double gapScale = 1.0 + variant / 2.0;
        auto gap = [&]() {
            return static_cast<uint64_t>(static_cast<double>(draw.LogInt(a.gapUs.lo, a.gapUs.hi)) *
                                         gapScale);
        };
        auto windowOf = [&](const Endpoint& e) {
            const uint32_t jitter = Model(e.os).windowJitter;
            return static_cast<uint16_t>(std::min<uint32_t>(
                65535,
                e.window + static_cast<uint32_t>(jitter ? draw.Int(0, jitter) : 0)));
        };

        std::vector<Step> steps;
        if (a.kind == Kind::SCAN)
        {
            const uint8_t probeWords = static_cast<uint8_t>(draw.Int(5, 6));
            static const uint16_t scanWindows[] = {1024, 2048, 3072, 4096, 65535};
            const uint16_t probeWindow = scanWindows[draw.Int(0, 4)];
            const double outcome = draw.U01();
            if (tcp)
            {
                steps.push_back(
                    {true, 20u + probeWords * 4u, DUNE_TCP_SYN, probeWords, probeWindow, 0});
                if (outcome >= 0.3 && outcome < 0.8)
                {
                    steps.push_back({false, 40, DUNE_TCP_RST | DUNE_TCP_ACK, 5, 0, rttUs});
                }
                else if (outcome >= 0.8)
                {
                    steps.push_back({false,
                                     20u + sm.synWords * 4u,
                                     DUNE_TCP_SYN | DUNE_TCP_ACK,
                                     sm.synWords,
                                     serverSynWindow,
                                     rttUs});
                    steps.push_back({true, 40, DUNE_TCP_RST, 5, 0, gap()});
                }
            }
            else
            {
                steps.push_back({true, static_cast<uint32_t>(draw.Int(28, 60)), 0, 0, 0, 0});
            }
        }
        else if (a.kind == Kind::FLOOD)
        {
            // Spoofed: the source's TTL, window and port say nothing about a real stack.
            client.ttl = static_cast<uint8_t>(draw.Int(30, 255));
            const auto window = static_cast<uint16_t>(draw.Int(512, 65535));
            clientPort = static_cast<uint16_t>(draw.Int(1024, 65535));
            const uint8_t words = static_cast<uint8_t>(draw.Int(5, 10));
            const uint64_t count = draw.LogInt(a.packets.lo + variant, a.packets.hi + variant);
            for (uint64_t k = 0; k < count; ++k)
            {
                steps.push_back(
                    {true, 20u + words * 4u, DUNE_TCP_SYN, words, window, k == 0 ? 0 : gap()});
            }
        }
        else
        {
            const uint64_t count = draw.LogInt(a.packets.lo + variant, a.packets.hi + variant);
            const bool fin = draw.Chance(a.fin);
            const bool rst = !fin && draw.Chance(a.rst);
            for (uint64_t k = 0; k < count; ++k)
            {
                Step s{true, 0, 0, 0, 0, 0};
                if (tcp && k < 3)
                {
                    // Handshake; a conversation cut short keeps what it has.
                    if (k == 0)
                    {
                        s = {true,
                             20u + cm.synWords * 4u,
                             static_cast<uint8_t>(DUNE_TCP_SYN |
                                                  (ecn ? DUNE_TCP_ECE | DUNE_TCP_CWR : 0)),
                             cm.synWords,
                             clientSynWindow,
                             0};
                    }
                    else if (k == 1)
                    {
                        s = {false,
                             20u + sm.synWords * 4u,
                             static_cast<uint8_t>(DUNE_TCP_SYN | DUNE_TCP_ACK |
                                                  (ecn ? DUNE_TCP_ECE : 0)),
                             sm.synWords,
                             serverSynWindow,
                             rttUs};
                    }
                    else
                    {
                        s = {true,
                             20u + cm.dataWords * 4u,
                             DUNE_TCP_ACK,
                             cm.dataWords,
                             windowOf(client),
                             draw.Int(20, 500)};
                    }
                    steps.push_back(s);
                    continue;
                }
                if (a.alternate)
                {
                    s.forward = k % 2 == 0;
                }
                else
                {
                    s.forward = k == 0 || draw.Chance(a.forwardShare);
                }
                s.size = PickSize(draw, s.forward ? a.forwardSizes : a.backwardSizes, shift);
                const bool reply = k > 0 && !steps.empty() && steps.back().forward && !s.forward;
                s.gapUs = k == 0 ? 0 : (reply && a.alternate ? rttUs : gap());
                if (tcp)
                {
                    const Endpoint& e = s.forward ? client : server;
                    s.words = Model(e.os).dataWords;
                    s.window = windowOf(e);
                    s.flags = DUNE_TCP_ACK;
                    if (draw.Chance(a.psh))
                    {
                        s.flags |= DUNE_TCP_PSH;
                    }
                    if (ecn && draw.Chance(0.1))
                    {
                        s.flags |= DUNE_TCP_ECE;
                    }
                    if (k + 1 == count && k >= 3 && (fin || rst))
                    {
                        s.flags = fin ? DUNE_TCP_FIN | DUNE_TCP_ACK : DUNE_TCP_RST | DUNE_TCP_ACK;
                        s.size = 20u + s.words * 4u;
                    }
                }
                steps.push_back(s);
            }
        }

        // Steps to records.
        DunePacket base;
        base.ipVersion = ipv6 ? 6 : 4;
        base.protocol = tcp ? DUNE_PROTO_TCP : DUNE_PROTO_UDP;
        base.ipHeaderLength = ipv6 ? 40 : 20;
        base.hasMac = true;
        std::array<uint8_t, 16> clientAddress{};
        std::array<uint8_t, 16> serverAddress{};
        const uint32_t host = i + 1;
        const auto serverHost = static_cast<uint8_t>(draw.Int(1, 254));
        if (ipv6)
        {
            clientAddress = {0x20, 0x01, 0x0d, 0xb8, 0, 1};
            serverAddress = {0x20, 0x01, 0x0d, 0xb8, 0, 2};
            serverAddress[14] = static_cast<uint8_t>(c);
            serverAddress[15] = serverHost;
        }
        else
        {
            clientAddress[0] = 10;
            serverAddress = {198, 18, static_cast<uint8_t>(c), serverHost};
        }
        const size_t hostAt = ipv6 ? 13 : 1;
        clientAddress[hostAt] = static_cast<uint8_t>(host >> 16);
        clientAddress[hostAt + 1] = static_cast<uint8_t>(host >> 8);
        clientAddress[hostAt + 2] = static_cast<uint8_t>(host);
        const std::array<uint8_t, 6> clientMac = {0x02,
                                                  0x00,
                                                  0x00,
                                                  static_cast<uint8_t>(host >> 16),
                                                  static_cast<uint8_t>(host >> 8),
                                                  static_cast<uint8_t>(host)};
        uint64_t t = startUs;
        for (uint32_t k = 0; k < steps.size(); ++k)
        {
            const Step& s = steps[k];
            t += std::max<uint64_t>(k == 0 ? 0 : 1, s.gapUs);
            DunePacket p = base;
            p.srcAddress = s.forward ? clientAddress : serverAddress;
            p.dstAddress = s.forward ? serverAddress : clientAddress;
            p.srcPort = s.forward ? clientPort : serverPort;
            p.dstPort = s.forward ? serverPort : clientPort;
            p.srcMac = s.forward ? clientMac : gatewayMac;
            p.dstMac = s.forward ? gatewayMac : clientMac;
            p.ttl = s.forward ? client.ttl : server.ttl;
            const uint32_t extra = ipv6 ? 20 : 0;
            uint32_t minimum = 0;
            if (tcp)
            {
                p.tcpFlags = s.flags;
                p.tcpHeaderLength = s.words;
                p.tcpWindow = s.window;
                minimum = base.ipHeaderLength + s.words * 4u;
            }
            else
            {
                minimum = base.ipHeaderLength + 8u;
            }
            p.ipLength = std::max(minimum, std::min<uint32_t>(s.size + extra, 1500));
            if (!tcp)
            {
                p.udpLength = static_cast<uint16_t>(p.ipLength - base.ipHeaderLength);
            }
            p.frameLength = p.ipLength + 14;
            all.push_back({t, i, k, p});
        }
        DuneFlowKey key;
        key.ipVersion = base.ipVersion;
        key.protocol = base.protocol;
        key.addressA = clientAddress;
        key.addressB = serverAddress;
        key.portA = clientPort;
        key.portB = serverPort;
        out.conversationKeys.push_back(key);
        out.conversationLabels.push_back(static_cast<int>(c));
        out.labels.SetFlow(key, out.classNames[c]);
    }
    std::sort(all.begin(), all.end(), [](const Timed& x, const Timed& y) {
        return std::tie(x.timeUs, x.conversation, x.index) <
               std::tie(y.timeUs, y.conversation, y.index);
    });
    out.packets.reserve(all.size());
    const uint64_t epochUs = options.startEpochSeconds * 1000000ULL;
    for (Timed& tp : all)
    {
        tp.packet.timestampNs = (epochUs + tp.timeUs) * 1000ULL;
        out.packets.push_back(tp.packet);
    }
    return out;
}

void
DuneSyntheticTraffic::WritePcap(const std::string& path, const DunePcapWriterOptions& options) const
{
    DunePcapWriter::WriteAll(path, packets, options);
}

void
DuneSyntheticTraffic::WriteLabelCsv(const std::string& path) const
{
    std::string text = "Flow ID,Label\n";
    for (size_t i = 0; i < conversationKeys.size(); ++i)
    {
        text += conversationKeys[i].ToString() + "," +
                classNames[static_cast<size_t>(conversationLabels[i])] + "\n";
    }
    WriteFileAtomically(path, text);
}

DuneDataset
DuneSyntheticTraffic::Extract(const DuneFeatureOptions& options) const
{
    DuneFeatureExtractor extractor(options);
    for (const std::string& name : classNames)
    {
        extractor.ClassIndex(name);
    }
    for (const DunePacket& p : packets)
    {
        extractor.Add(p, labels);
    }
    return extractor.Build();
}

} // namespace ns3
