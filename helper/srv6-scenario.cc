/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "srv6-scenario.h"

#include "aisfc-network-builder.h"
#include "srv6-helper.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-flow-probe.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/aisfc-topology.h"
#include "ns3/simulator.h"
#include "ns3/srv6-service-function.h"
#include "ns3/srv6-sid-table.h"
#include "ns3/uinteger.h"

#include <arpa/inet.h>
#include <map>
#include <set>
#include <sstream>

namespace ns3
{

namespace
{

constexpr size_t MAX_SEGMENTS = 64; // keeps every SRH under 1500-byte MTUs with room to spare

std::vector<std::string>
StringArray(JsonReader& r, const std::string& key)
{
    std::vector<std::string> out;
    if (!r.Has(key))
    {
        return out;
    }
    const nlohmann::json& v = r.RequireValue(key);
    if (!v.is_array())
    {
        throw AisfcInputError(r.Place(key), "must be an array of strings");
    }
    for (size_t i = 0; i < v.size(); ++i)
    {
        if (!v[i].is_string())
        {
            throw AisfcInputError(r.Place(key) + "/" + std::to_string(i), "must be a string");
        }
        out.push_back(v[i].get<std::string>());
    }
    return out;
}

std::optional<Ipv6Address>
ParseAddress(const std::string& text)
{
    uint8_t b[16];
    if (inet_pton(AF_INET6, text.c_str(), b) != 1)
    {
        return std::nullopt;
    }
    return Ipv6Address(b);
}

std::pair<Ipv6Address, uint8_t>
ParsePrefix(const std::string& text, const std::string& place)
{
    size_t slash = text.find('/');
    auto address = ParseAddress(text.substr(0, slash));
    int length = 128;
    if (slash != std::string::npos)
    {
        std::string l = text.substr(slash + 1);
        if (l.empty() || l.size() > 3 || l.find_first_not_of("0123456789") != std::string::npos ||
            (length = std::stoi(l)) > 128)
        {
            throw AisfcInputError(place, "bad prefix length in '" + text + "'");
        }
    }
    if (!address)
    {
        throw AisfcInputError(place, "'" + text + "' is not an IPv6 address or prefix");
    }
    return {*address, static_cast<uint8_t>(length)};
}

std::vector<Srv6ScenarioConfig::SegmentList>
ReadLists(JsonReader& r, const std::string& key, bool required)
{
    std::vector<Srv6ScenarioConfig::SegmentList> lists;
    for (JsonReader& l : r.GetObjectArray(key))
    {
        Srv6ScenarioConfig::SegmentList list;
        list.place = l.Place();
        list.segments = StringArray(l, "segments");
        if (list.segments.empty())
        {
            throw AisfcInputError(l.Place("segments"), "needs at least one segment");
        }
        if (list.segments.size() > MAX_SEGMENTS)
        {
            throw AisfcInputError(l.Place("segments"),
                                  "more than " + std::to_string(MAX_SEGMENTS) + " segments");
        }
        list.weight = l.GetUnsigned("weight", 1, 1, 1000000);
        l.Finish();
        lists.push_back(list);
    }
    if (required && lists.empty())
    {
        throw AisfcInputError(r.Place(key), "needs at least one segment list");
    }
    return lists;
}

std::optional<uint8_t>
ReadProtocol(JsonReader& r)
{
    if (!r.Has("protocol"))
    {
        return std::nullopt;
    }
    const nlohmann::json& v = r.RequireValue("protocol");
    if (v.is_string() && v.get<std::string>() == "udp")
    {
        return 17;
    }
    if (v.is_string() && v.get<std::string>() == "tcp")
    {
        return 6;
    }
    if (v.is_number_unsigned() && v.get<uint64_t>() <= 255)
    {
        return v.get<uint8_t>();
    }
    throw AisfcInputError(r.Place("protocol"), "must be \"udp\", \"tcp\" or a number 0-255");
}

nlohmann::json
ListsToJson(const std::vector<Srv6ScenarioConfig::SegmentList>& lists)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto& l : lists)
    {
        out.push_back({{"segments", l.segments}, {"weight", l.weight}});
    }
    return out;
}

} // namespace

Srv6ScenarioConfig
ReadSrv6Section(JsonReader& r, double durationSeconds)
{
    Srv6ScenarioConfig c;
    c.hopLimit = r.GetUnsigned("hop_limit", c.hopLimit, 1, 255);
    for (JsonReader& s : r.GetObjectArray("sids"))
    {
        Srv6ScenarioConfig::Sid sid;
        sid.place = s.Place();
        sid.name = s.RequireString("name");
        sid.node = s.RequireString("node");
        if (s.Has("function"))
        {
            sid.function = s.GetUnsigned("function", 1, 1, 65535);
        }
        sid.behavior = s.RequireString("behavior");
        if (!Srv6ParseBehavior(sid.behavior))
        {
            throw AisfcInputError(s.Place("behavior"),
                                  "unknown behaviour '" + sid.behavior +
                                      "' (known: End, End.X, End.T, End.DX6, End.DT6, "
                                      "End.B6.Encaps, End.AS, End.AD, End.AD.flow, End.AM)");
        }
        sid.flavors = StringArray(s, "flavors");
        for (size_t i = 0; i < sid.flavors.size(); ++i)
        {
            const std::string& f = sid.flavors[i];
            if (f != "PSP" && f != "USP" && f != "USD")
            {
                throw AisfcInputError(s.Place("flavors") + "/" + std::to_string(i),
                                      "unknown flavour '" + f + "' (known: PSP, USP, USD)");
            }
        }
        sid.neighbor = s.GetString("neighbor", "");
        sid.table = s.GetUnsigned("table", 0, 0, 0); // only the node's own FIB in scenarios
        sid.policy = s.GetString("policy", "");
        sid.serviceFunction = s.GetString("service_function", "");
        sid.proxySegments = StringArray(s, "proxy_segments");
        sid.cacheSize = s.GetUnsigned("cache_size", sid.cacheSize, 1, 10000000);
        sid.proxyByDestination = s.GetBool("proxy_by_destination", false);
        sid.cacheTimeoutSeconds = s.GetDuration("cache_timeout", sid.cacheTimeoutSeconds);
        sid.processingDelaySeconds = s.GetDuration("processing_delay", 0);
        s.Finish();
        c.sids.push_back(sid);
    }
    for (JsonReader& f : r.GetObjectArray("functions"))
    {
        Srv6ScenarioConfig::Function fn;
        fn.place = f.Place();
        fn.name = f.RequireString("name");
        fn.node = f.RequireString("node");
        fn.processingDelaySeconds = f.GetDuration("processing_delay", fn.processingDelaySeconds);
        fn.linkRateBps = f.GetRate("link_rate", fn.linkRateBps);
        fn.linkDelaySeconds = f.GetDuration("link_delay", fn.linkDelaySeconds);
        fn.queueLimit = f.GetUnsigned("queue_limit", fn.queueLimit, 1, 10000000);
        f.Finish();
        c.functions.push_back(fn);
    }
    for (JsonReader& p : r.GetObjectArray("policies"))
    {
        Srv6ScenarioConfig::Policy pol;
        pol.place = p.Place();
        pol.name = p.RequireString("name");
        pol.headend = p.RequireString("headend");
        pol.mode = p.GetString("mode", pol.mode);
        if (!Srv6ParseHeadendMode(pol.mode))
        {
            throw AisfcInputError(p.Place("mode"),
                                  "unknown mode '" + pol.mode +
                                      "' (known: encaps, encaps.red, insert)");
        }
        JsonReader steer = p.RequireObject("steer");
        pol.steerDst = steer.GetString("dst", "");
        pol.steerDstPrefix = steer.GetString("dst_prefix", "");
        pol.steerSrc = steer.GetString("src", "");
        pol.steerSrcPrefix = steer.GetString("src_prefix", "");
        pol.protocol = ReadProtocol(steer);
        if (steer.Has("src_port"))
        {
            pol.srcPort = steer.GetUnsigned("src_port", 0, 0, 65535);
        }
        if (steer.Has("dst_port"))
        {
            pol.dstPort = steer.GetUnsigned("dst_port", 0, 0, 65535);
        }
        if (pol.steerDst.empty() == pol.steerDstPrefix.empty())
        {
            throw AisfcInputError(steer.Place(), "needs exactly one of dst, dst_prefix");
        }
        if (!pol.steerSrc.empty() && !pol.steerSrcPrefix.empty())
        {
            throw AisfcInputError(steer.Place(), "give src or src_prefix, not both");
        }
        if (!pol.steerDstPrefix.empty())
        {
            ParsePrefix(pol.steerDstPrefix, steer.Place("dst_prefix"));
        }
        if (!pol.steerSrcPrefix.empty())
        {
            ParsePrefix(pol.steerSrcPrefix, steer.Place("src_prefix"));
        }
        steer.Finish();
        pol.lists = ReadLists(p, "segment_lists", true);
        double last = 0;
        for (JsonReader& ch : p.GetObjectArray("changes"))
        {
            Srv6ScenarioConfig::Change change;
            change.place = ch.Place();
            change.atSeconds = ch.GetDuration("at", -1);
            if (!(change.atSeconds > last) || change.atSeconds >= durationSeconds)
            {
                throw AisfcInputError(ch.Place("at"),
                                      "changes need increasing times within the duration");
            }
            last = change.atSeconds;
            change.lists = ReadLists(ch, "segment_lists", true);
            ch.Finish();
            pol.changes.push_back(change);
        }
        p.Finish();
        c.policies.push_back(pol);
    }
    r.Finish();
    return c;
}

uint32_t
Srv6MaxEncapsulationBytes(const Srv6ScenarioConfig& c)
{
    constexpr uint32_t IPV6 = 40;
    constexpr uint32_t SRH = 8;
    constexpr uint32_t SEGMENT = 16;
    uint32_t most = 0;
    auto consider = [&](const std::vector<Srv6ScenarioConfig::SegmentList>& lists,
                        const std::string& mode) {
        Srv6HeadendMode m = Srv6ParseHeadendMode(mode).value_or(Srv6HeadendMode::ENCAPS);
        for (const auto& l : lists)
        {
            uint32_t n = l.segments.size();
            uint32_t bytes = m == Srv6HeadendMode::INSERT ? SRH + SEGMENT * (n + 1) // + the DA
                             : m == Srv6HeadendMode::ENCAPS_RED
                                 ? IPV6 + (n > 1 ? SRH + SEGMENT * (n - 1) : 0)
                                 : IPV6 + SRH + SEGMENT * n;
            most = std::max(most, bytes);
        }
    };
    for (const auto& p : c.policies)
    {
        consider(p.lists, p.mode);
        for (const auto& ch : p.changes)
        {
            consider(ch.lists, p.mode);
        }
    }
    bool binding = false;
    for (const auto& s : c.sids)
    {
        if (!s.proxySegments.empty())
        {
            most = std::max<uint32_t>(most, IPV6 + SRH + SEGMENT * s.proxySegments.size());
        }
        binding |= Srv6ParseBehavior(s.behavior) == Srv6Behavior::END_B6_ENCAPS;
    }
    // A binding SID stacks its policy's encapsulation on the packet's own.
    return binding ? 2 * most : most;
}

nlohmann::json
Srv6SectionToJson(const Srv6ScenarioConfig& c)
{
    nlohmann::json j;
    j["hop_limit"] = c.hopLimit;
    j["sids"] = nlohmann::json::array();
    for (const auto& s : c.sids)
    {
        nlohmann::json sid = {{"name", s.name},
                              {"node", s.node},
                              {"behavior", s.behavior},
                              {"flavors", s.flavors},
                              {"processing_delay", s.processingDelaySeconds}};
        if (s.function)
        {
            sid["function"] = *s.function;
        }
        auto put = [&](const char* key, const std::string& v) {
            if (!v.empty())
            {
                sid[key] = v;
            }
        };
        put("neighbor", s.neighbor);
        put("policy", s.policy);
        put("service_function", s.serviceFunction);
        if (!s.proxySegments.empty())
        {
            sid["proxy_segments"] = s.proxySegments;
        }
        if (Srv6ParseBehavior(s.behavior) == Srv6Behavior::END_AD_FLOW)
        {
            sid["cache_size"] = s.cacheSize;
            sid["proxy_by_destination"] = s.proxyByDestination;
            sid["cache_timeout"] = s.cacheTimeoutSeconds;
        }
        j["sids"].push_back(sid);
    }
    j["functions"] = nlohmann::json::array();
    for (const auto& f : c.functions)
    {
        j["functions"].push_back({{"name", f.name},
                                  {"node", f.node},
                                  {"processing_delay", f.processingDelaySeconds},
                                  {"link_rate", f.linkRateBps},
                                  {"link_delay", f.linkDelaySeconds},
                                  {"queue_limit", f.queueLimit}});
    }
    j["policies"] = nlohmann::json::array();
    for (const auto& p : c.policies)
    {
        nlohmann::json steer = nlohmann::json::object();
        auto put = [&](const char* key, const std::string& v) {
            if (!v.empty())
            {
                steer[key] = v;
            }
        };
        put("dst", p.steerDst);
        put("dst_prefix", p.steerDstPrefix);
        put("src", p.steerSrc);
        put("src_prefix", p.steerSrcPrefix);
        if (p.protocol)
        {
            steer["protocol"] = *p.protocol;
        }
        if (p.srcPort)
        {
            steer["src_port"] = *p.srcPort;
        }
        if (p.dstPort)
        {
            steer["dst_port"] = *p.dstPort;
        }
        nlohmann::json changes = nlohmann::json::array();
        for (const auto& ch : p.changes)
        {
            changes.push_back({{"at", ch.atSeconds}, {"segment_lists", ListsToJson(ch.lists)}});
        }
        j["policies"].push_back({{"name", p.name},
                                 {"headend", p.headend},
                                 {"mode", p.mode},
                                 {"steer", steer},
                                 {"segment_lists", ListsToJson(p.lists)},
                                 {"changes", changes}});
    }
    return j;
}

// ---------------------------------------------------------------------------------------------

struct Srv6Deployment::Impl
{
    struct ResolvedSid
    {
        const Srv6ScenarioConfig::Sid* spec;
        uint32_t node;
        uint16_t function;
        Srv6SidConfig config;
        int serviceFunction = -1; //!< index in functions
    };

    struct ResolvedPolicy
    {
        const Srv6ScenarioConfig::Policy* spec;
        uint32_t headend;
        Srv6Policy policy;
        bool byPrefix = true; //!< prefix steering, else a 5-tuple rule
        Srv6FlowMatch match;
        std::vector<std::vector<Srv6SegmentList>> changes;
    };

    /// Lists of one policy between two changes, with the packets they carried.
    struct Version
    {
        double fromSeconds;
        const std::vector<Srv6ScenarioConfig::SegmentList>* lists;
        std::vector<uint64_t> packets;
    };

    Srv6ScenarioConfig config;
    std::vector<std::string> nodeNames;
    std::vector<ResolvedSid> sids;
    std::map<std::string, Ipv6Address> named; //!< SIDs of other sections
    std::vector<uint32_t> functionNodes;
    std::vector<ResolvedPolicy> policies;

    std::unique_ptr<Srv6Helper> helper;
    std::vector<Srv6Helper::ServiceFunction> functions;
    std::vector<std::vector<Version>> history;

    uint32_t Node(const AisfcTopology& topo, const std::string& name, const std::string& place)
    {
        auto i = topo.FindNode(name);
        if (!i)
        {
            throw AisfcInputError(place, "no node named '" + name + "'");
        }
        return *i;
    }

    Ipv6Address Segment(const AisfcTopology& topo, const std::string& s, const std::string& place)
    {
        for (const ResolvedSid& sid : sids)
        {
            if (sid.spec->name == s)
            {
                return sid.config.sid;
            }
        }
        if (auto it = named.find(s); it != named.end())
        {
            return it->second;
        }
        if (auto node = topo.FindNode(s))
        {
            return AisfcNetworkBuilder::NodeAddress(*node);
        }
        if (auto address = ParseAddress(s))
        {
            return *address;
        }
        throw AisfcInputError(place,
                              "'" + s +
                                  "' is neither a SID name, a pdp function, a node nor an IPv6 "
                                  "address");
    }

    std::vector<Srv6SegmentList> Lists(const AisfcTopology& topo,
                                       const std::vector<Srv6ScenarioConfig::SegmentList>& in)
    {
        std::vector<Srv6SegmentList> out;
        for (const auto& l : in)
        {
            Srv6SegmentList list;
            list.weight = l.weight;
            for (size_t i = 0; i < l.segments.size(); ++i)
            {
                list.path.push_back(
                    Segment(topo, l.segments[i], l.place + "/segments/" + std::to_string(i)));
            }
            out.push_back(list);
        }
        return out;
    }
};

Srv6Deployment::Srv6Deployment(const Srv6ScenarioConfig& config,
                               const AisfcTopology& topo,
                               const std::map<std::string, Ipv6Address>& namedSegments)
    : m_impl(std::make_unique<Impl>())
{
    Impl& m = *m_impl;
    m.config = config;
    m.named = namedSegments;
    const Srv6ScenarioConfig& c = m.config;
    for (uint32_t i = 0; i < topo.GetNNodes(); ++i)
    {
        m.nodeNames.push_back(topo.GetNode(i).name);
    }

    std::map<std::string, size_t> functionIndex;
    for (const auto& f : c.functions)
    {
        if (!functionIndex.emplace(f.name, m.functionNodes.size()).second)
        {
            throw AisfcInputError(f.place + "/name", "duplicate function name '" + f.name + "'");
        }
        m.functionNodes.push_back(m.Node(topo, f.node, f.place + "/node"));
    }
    std::set<std::string> policyNames;
    for (const auto& p : c.policies)
    {
        if (!policyNames.insert(p.name).second)
        {
            throw AisfcInputError(p.place + "/name", "duplicate policy name '" + p.name + "'");
        }
    }

    // SIDs: nodes, function ids, and what each behaviour needs.
    std::map<uint32_t, std::set<uint16_t>> used;
    for (const auto& s : c.sids)
    {
        uint32_t node = m.Node(topo, s.node, s.place + "/node");
        if (s.function && !used[node].insert(*s.function).second)
        {
            throw AisfcInputError(s.place + "/function",
                                  "function " + std::to_string(*s.function) + " is taken on '" +
                                      s.node + "'");
        }
    }
    std::set<std::string> sidNames;
    std::set<size_t> proxied;
    for (const auto& s : c.sids)
    {
        if (!sidNames.insert(s.name).second)
        {
            throw AisfcInputError(s.place + "/name", "duplicate SID name '" + s.name + "'");
        }
        if (m.named.count(s.name))
        {
            throw AisfcInputError(s.place + "/name",
                                  "'" + s.name + "' is the name of a pdp function");
        }
        Impl::ResolvedSid r;
        r.spec = &s;
        r.node = m.Node(topo, s.node, s.place + "/node");
        if (s.function)
        {
            r.function = *s.function;
        }
        else
        {
            uint16_t f = 1;
            while (used[r.node].count(f))
            {
                ++f;
            }
            used[r.node].insert(f);
            r.function = f;
        }
        Srv6SidConfig& cfg = r.config;
        cfg.name = s.name;
        cfg.sid = Srv6Helper::Sid(r.node, r.function);
        cfg.length = Srv6Helper::SID_LENGTH;
        for (const auto& [name, address] : m.named)
        {
            if (address == cfg.sid)
            {
                throw AisfcInputError(s.place + "/function",
                                      "function " + std::to_string(r.function) + " on '" + s.node +
                                          "' is the SID of pdp function '" + name + "'");
            }
        }
        cfg.behavior = *Srv6ParseBehavior(s.behavior);
        for (const auto& f : s.flavors)
        {
            cfg.flavors |= f == "PSP"   ? Srv6Flavor::PSP
                           : f == "USP" ? Srv6Flavor::USP
                                        : Srv6Flavor::USD;
        }
        cfg.table = s.table;
        cfg.cacheSize = s.cacheSize;
        cfg.proxyByDestination = s.proxyByDestination;
        cfg.cacheTimeout = Seconds(s.cacheTimeoutSeconds);
        cfg.processingDelay = Seconds(s.processingDelaySeconds);
        bool adjacency =
            cfg.behavior == Srv6Behavior::END_X || cfg.behavior == Srv6Behavior::END_DX6;
        bool proxy = cfg.behavior == Srv6Behavior::END_AS || cfg.behavior == Srv6Behavior::END_AD ||
                     cfg.behavior == Srv6Behavior::END_AD_FLOW ||
                     cfg.behavior == Srv6Behavior::END_AM;
        if (adjacency)
        {
            if (s.neighbor.empty())
            {
                throw AisfcInputError(s.place, s.behavior + " needs a neighbor");
            }
            uint32_t nb = m.Node(topo, s.neighbor, s.place + "/neighbor");
            bool adjacent = false;
            for (uint32_t l : topo.GetLinksOf(r.node))
            {
                adjacent |= topo.GetLink(l).a == nb || topo.GetLink(l).b == nb;
            }
            if (!adjacent || nb == r.node)
            {
                throw AisfcInputError(s.place + "/neighbor",
                                      "'" + s.neighbor + "' is not adjacent to '" + s.node + "'");
            }
        }
        if (cfg.behavior == Srv6Behavior::END_B6_ENCAPS)
        {
            const Srv6ScenarioConfig::Policy* bound = nullptr;
            for (const auto& p : c.policies)
            {
                bound = p.name == s.policy ? &p : bound;
            }
            if (!bound || bound->headend != s.node)
            {
                throw AisfcInputError(s.place + "/policy",
                                      "End.B6.Encaps needs a policy whose headend is '" + s.node +
                                          "'");
            }
            cfg.policy = s.policy;
        }
        if (proxy)
        {
            auto f = functionIndex.find(s.serviceFunction);
            if (f == functionIndex.end())
            {
                throw AisfcInputError(s.place + "/service_function",
                                      s.behavior + " needs a service_function of the section");
            }
            if (m.functionNodes[f->second] != r.node)
            {
                throw AisfcInputError(s.place + "/service_function",
                                      "function '" + s.serviceFunction + "' is not at '" + s.node +
                                          "'");
            }
            if (!proxied.insert(f->second).second)
            {
                throw AisfcInputError(s.place + "/service_function",
                                      "function '" + s.serviceFunction + "' already has a proxy");
            }
            r.serviceFunction = f->second;
            if (cfg.behavior == Srv6Behavior::END_AS && s.proxySegments.empty())
            {
                throw AisfcInputError(s.place, "End.AS needs proxy_segments");
            }
            cfg.proxySource = AisfcNetworkBuilder::NodeAddress(r.node);
        }
        m.sids.push_back(r);
    }
    // Segments may name any SID, so they are resolved once every SID has its address.
    for (auto& r : m.sids)
    {
        for (size_t i = 0; i < r.spec->proxySegments.size(); ++i)
        {
            r.config.proxyPath.push_back(
                m.Segment(topo,
                          r.spec->proxySegments[i],
                          r.spec->place + "/proxy_segments/" + std::to_string(i)));
        }
    }
    for (const auto& p : c.policies)
    {
        Impl::ResolvedPolicy r;
        r.spec = &p;
        r.headend = m.Node(topo, p.headend, p.place + "/headend");
        r.policy.name = p.name;
        r.policy.mode = *Srv6ParseHeadendMode(p.mode);
        r.policy.lists = m.Lists(topo, p.lists);
        Srv6FlowMatch& match = r.match;
        if (!p.steerDst.empty())
        {
            match.destinationPrefix =
                AisfcNetworkBuilder::NodeAddress(m.Node(topo, p.steerDst, p.place + "/steer/dst"));
            match.destinationLength = 128;
        }
        else
        {
            std::tie(match.destinationPrefix, match.destinationLength) =
                ParsePrefix(p.steerDstPrefix, p.place + "/steer/dst_prefix");
        }
        if (!p.steerSrc.empty())
        {
            match.sourcePrefix =
                AisfcNetworkBuilder::NodeAddress(m.Node(topo, p.steerSrc, p.place + "/steer/src"));
            match.sourceLength = 128;
        }
        else if (!p.steerSrcPrefix.empty())
        {
            std::tie(match.sourcePrefix, match.sourceLength) =
                ParsePrefix(p.steerSrcPrefix, p.place + "/steer/src_prefix");
        }
        match.protocol = p.protocol;
        match.sourcePort = p.srcPort;
        match.destinationPort = p.dstPort;
        r.byPrefix = match.sourceLength == 0 && !p.protocol && !p.srcPort && !p.dstPort;
        for (const auto& ch : p.changes)
        {
            r.changes.push_back(m.Lists(topo, ch.lists));
        }
        m.policies.push_back(r);
    }
}

Srv6Deployment::~Srv6Deployment() = default;

void
Srv6Deployment::Install(AisfcNetworkBuilder& network, AisfcFlowProbe& probe)
{
    Impl& m = *m_impl;
    m.helper = std::make_unique<Srv6Helper>(network);
    m.helper->Install();
    uint32_t n = network.GetTopology().GetNNodes();
    for (uint32_t i = 0; i < n; ++i)
    {
        Ptr<Srv6SidTable> table = m.helper->GetSidTable(i);
        table->SetAttribute("HopLimit", UintegerValue(m.config.hopLimit));
        probe.WatchDrops(table);
    }
    for (size_t f = 0; f < m.config.functions.size(); ++f)
    {
        const auto& spec = m.config.functions[f];
        Srv6Helper::ServiceFunction sf =
            m.helper->AttachServiceFunction(m.functionNodes[f],
                                            Seconds(spec.processingDelaySeconds),
                                            spec.linkRateBps,
                                            Seconds(spec.linkDelaySeconds));
        sf.function->SetAttribute("QueueLimit", UintegerValue(spec.queueLimit));
        probe.WatchDrops(sf.function);
        m.functions.push_back(sf);
    }
    m.history.resize(m.policies.size());
    for (size_t p = 0; p < m.policies.size(); ++p)
    {
        const Impl::ResolvedPolicy& r = m.policies[p];
        Ptr<Srv6SidTable> table = m.helper->GetSidTable(r.headend);
        table->AddPolicy(r.policy);
        if (r.byPrefix)
        {
            table->SteerPrefix(r.match.destinationPrefix, r.match.destinationLength, r.policy.name);
        }
        else
        {
            table->SteerFlow(r.match, r.policy.name);
        }
        m.history[p].push_back({0.0, &r.spec->lists, {}});
        for (size_t k = 0; k < r.changes.size(); ++k)
        {
            Simulator::Schedule(Seconds(r.spec->changes[k].atSeconds), [&m, p, k, table]() {
                const Impl::ResolvedPolicy& pol = m.policies[p];
                m.history[p].back().packets = table->GetPolicy(pol.policy.name)->packetsPerList;
                m.history[p].push_back(
                    {pol.spec->changes[k].atSeconds, &pol.spec->changes[k].lists, {}});
                table->SetPolicyLists(pol.policy.name, pol.changes[k]);
            });
        }
    }
    for (const auto& r : m.sids)
    {
        if (r.serviceFunction >= 0)
        {
            m.helper->AddProxy(r.function, m.functions[r.serviceFunction], r.config);
            continue;
        }
        Srv6SidConfig cfg = r.config;
        if (cfg.behavior == Srv6Behavior::END_X || cfg.behavior == Srv6Behavior::END_DX6)
        {
            Srv6SidConfig adj =
                m.helper->Adjacency(r.node, *network.GetTopology().FindNode(r.spec->neighbor));
            cfg.interface = adj.interface;
            cfg.nextHop = adj.nextHop;
        }
        m.helper->AddSid(r.node, r.function, cfg);
    }
}

Srv6Helper&
Srv6Deployment::GetHelper()
{
    return *m_impl->helper;
}

nlohmann::json
Srv6Deployment::Results() const
{
    const Impl& m = *m_impl;
    nlohmann::json out;
    out["sids"] = nlohmann::json::array();
    for (const auto& r : m.sids)
    {
        Srv6SidCounters c = m.helper->GetSidTable(r.node)->GetCounters(r.config.sid);
        std::ostringstream sid;
        sid << r.config.sid;
        nlohmann::json j = {{"name", r.spec->name},
                            {"node", r.spec->node},
                            {"sid", sid.str()},
                            {"behavior", Srv6BehaviorName(r.config.behavior)},
                            {"packets", c.packets},
                            {"bytes", c.bytes},
                            {"forwarded", c.forwarded},
                            {"dropped", c.Dropped()},
                            {"drops", c.drops}};
        if (r.serviceFunction >= 0)
        {
            j["proxy"] = {{"to_function", c.proxyToFunction},
                          {"from_function", c.proxyFromFunction},
                          {"cache_entries", c.cacheEntries},
                          {"cache_evictions", c.cacheEvictions},
                          {"cache_expired", c.cacheExpired}};
        }
        out["sids"].push_back(j);
    }
    out["policies"] = nlohmann::json::array();
    for (size_t p = 0; p < m.policies.size(); ++p)
    {
        const auto& r = m.policies[p];
        const Srv6Policy* live = m.helper->GetSidTable(r.headend)->GetPolicy(r.policy.name);
        nlohmann::json versions = nlohmann::json::array();
        for (size_t v = 0; v < m.history[p].size(); ++v)
        {
            const Impl::Version& version = m.history[p][v];
            const std::vector<uint64_t>& packets =
                v + 1 == m.history[p].size() ? live->packetsPerList : version.packets;
            nlohmann::json lists = nlohmann::json::array();
            for (size_t l = 0; l < version.lists->size(); ++l)
            {
                lists.push_back({{"segments", (*version.lists)[l].segments},
                                 {"weight", (*version.lists)[l].weight},
                                 {"packets", l < packets.size() ? packets[l] : 0}});
            }
            versions.push_back({{"from_s", version.fromSeconds}, {"segment_lists", lists}});
        }
        out["policies"].push_back({{"name", r.spec->name},
                                   {"headend", r.spec->headend},
                                   {"mode", Srv6HeadendModeName(r.policy.mode)},
                                   {"versions", versions}});
    }
    out["functions"] = nlohmann::json::array();
    for (size_t f = 0; f < m.functions.size(); ++f)
    {
        const auto& c = m.functions[f].function->GetCounters();
        out["functions"].push_back({{"name", m.config.functions[f].name},
                                    {"node", m.config.functions[f].node},
                                    {"received", c.received},
                                    {"returned", c.returned},
                                    {"drops", c.drops},
                                    {"max_queue", c.maxQueue}});
    }
    out["nodes"] = nlohmann::json::object();
    for (uint32_t i = 0; i < m.nodeNames.size(); ++i)
    {
        const auto& counters = m.helper->GetSidTable(i)->GetNodeCounters();
        if (!counters.empty())
        {
            out["nodes"][m.nodeNames[i]] = counters;
        }
    }
    return out;
}

} // namespace ns3
