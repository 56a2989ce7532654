/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "placement-drl.h"

#include "placement-env.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-json-reader.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace ns3
{

namespace
{

const char* const REWARD_NAMES[] = {"paper", "delay-migration"};

/// Little-endian bytes of the agent's file (the host is little-endian: x86, arm64).
class ByteWriter
{
  public:
    void U32(uint32_t v)
    {
        Raw(&v, sizeof v);
    }

    void U64(uint64_t v)
    {
        Raw(&v, sizeof v);
    }

    void F64(double v)
    {
        Raw(&v, sizeof v);
    }

    void Blob(const std::vector<uint8_t>& b)
    {
        U64(b.size());
        bytes.insert(bytes.end(), b.begin(), b.end());
    }

    void Doubles(const std::vector<double>& v)
    {
        U64(v.size());
        Raw(v.data(), v.size() * sizeof(double));
    }

    void Raw(const void* p, size_t n)
    {
        const auto* c = static_cast<const uint8_t*>(p);
        bytes.insert(bytes.end(), c, c + n);
    }

    std::vector<uint8_t> bytes;
};

class ByteReader
{
  public:
    ByteReader(const std::vector<uint8_t>& b, std::string place)
        : m_bytes(b),
          m_place(std::move(place))
    {
    }

    void Raw(void* p, size_t n)
    {
        if (n > m_bytes.size() - m_offset)
        {
            Fail("truncated (" + std::to_string(n) + " more bytes expected)");
        }
        std::memcpy(p, m_bytes.data() + m_offset, n);
        m_offset += n;
    }

    uint32_t U32()
    {
        uint32_t v;
        Raw(&v, sizeof v);
        return v;
    }

    uint64_t U64()
    {
        uint64_t v;
        Raw(&v, sizeof v);
        return v;
    }

    double F64()
    {
        double v;
        Raw(&v, sizeof v);
        return v;
    }

    uint64_t Count(size_t elementBytes)
    {
        uint64_t n = U64();
        if (elementBytes > 0 && n > (m_bytes.size() - m_offset) / elementBytes)
        {
            Fail("a count of " + std::to_string(n) + " exceeds the bytes left");
        }
        return n;
    }

    std::vector<uint8_t> Blob()
    {
        uint64_t n = Count(1);
        std::vector<uint8_t> b(m_bytes.begin() + m_offset, m_bytes.begin() + m_offset + n);
        m_offset += n;
        return b;
    }

    std::vector<double> Doubles()
    {
        std::vector<double> v(Count(sizeof(double)));
        Raw(v.data(), v.size() * sizeof(double));
        return v;
    }

    [[noreturn]] void Fail(const std::string& what) const
    {
        throw AisfcInputError(m_place + " at offset " + std::to_string(m_offset), what);
    }

    bool AtEnd() const
    {
        return m_offset == m_bytes.size();
    }

  private:
    const std::vector<uint8_t>& m_bytes;
    std::string m_place;
    size_t m_offset = 0;
};

const char MAGIC[] = "PDRL1";

Eigen::MatrixXd
Column(const std::vector<double>& v)
{
    return Eigen::Map<const Eigen::VectorXd>(v.data(), v.size());
}

} // namespace

PlacementDrlConfig
PlacementDrlConfig::Preset(const std::string& name)
{
    PlacementDrlConfig c;
    if (name == "srem")
    {
        return c;
    }
    if (name == "ddqn-cm")
    {
        // [18] migrates among servers to cut delays and migration cost; its learning
        // parameters are not in the seed text: common DQN values.
        c.filters = PlacementFilterMode::DYNAMIC;
        c.serversOnly = true;
        c.learningRate = 0.01;
        c.discount = 0.9;
        c.doubleQ = true;
        c.replayCapacity = 5000;
        c.batch = 32;
        c.targetTau = 0.01;
        c.reward = Reward::DELAY_MIGRATION;
        return c;
    }
    throw AisfcInputError("placement DRL preset",
                          "unknown preset '" + name + "' (known: srem, ddqn-cm)");
}

PlacementDrlConfig
PlacementDrlConfig::FromJson(PlacementDrlConfig c,
                             const nlohmann::json& params,
                             const std::string& place)
{
    JsonReader r(params, place);
    if (r.Has("filters"))
    {
        std::string name = r.RequireString("filters");
        auto mode = PlacementParseFilterMode(name);
        if (!mode)
        {
            throw AisfcInputError(r.Place("filters"),
                                  "'" + name +
                                      "' is not a filter mode (none, static, dynamic, "
                                      "hybrid)");
        }
        c.filters = *mode;
    }
    c.serversOnly = r.GetBool("serversOnly", c.serversOnly);
    c.keepAssignment = r.GetBool("keepAssignment", c.keepAssignment);
    c.hidden = r.GetUnsigned("hidden", c.hidden, 0, 4096);
    c.learningRate = r.GetNumber("learningRate", c.learningRate);
    c.discount = r.GetNumber("discount", c.discount);
    c.epsilonStart = r.GetNumber("epsilonStart", c.epsilonStart);
    c.epsilonEnd = r.GetNumber("epsilonEnd", c.epsilonEnd);
    c.errorClip = r.GetNumber("errorClip", c.errorClip);
    c.doubleQ = r.GetBool("doubleQ", c.doubleQ);
    c.replayCapacity = r.GetUnsigned("replayCapacity", c.replayCapacity, 0, 1000000);
    c.batch = r.GetUnsigned("batch", c.batch, 1, 4096);
    c.targetTau = r.GetNumber("targetTau", c.targetTau);
    if (r.Has("reward"))
    {
        std::string name = r.RequireString("reward");
        if (name == REWARD_NAMES[0])
        {
            c.reward = Reward::PAPER;
        }
        else if (name == REWARD_NAMES[1])
        {
            c.reward = Reward::DELAY_MIGRATION;
        }
        else
        {
            throw AisfcInputError(r.Place("reward"),
                                  "'" + name + "' is not a reward (paper, delay-migration)");
        }
    }
    c.seed = r.GetUnsigned("seed", c.seed, 0, std::numeric_limits<uint64_t>::max());
    r.Finish();
    auto check = [&](bool ok, const std::string& key, const std::string& what) {
        if (!ok)
        {
            throw AisfcInputError(place + ": /" + key, what);
        }
    };
    check(c.learningRate > 0 && std::isfinite(c.learningRate), "learningRate", "must be > 0");
    check(c.discount >= 0 && c.discount < 1, "discount", "must be in [0, 1)");
    check(c.epsilonStart >= 0 && c.epsilonStart <= 1, "epsilonStart", "must be in [0, 1]");
    check(c.epsilonEnd >= 0 && c.epsilonEnd <= 1, "epsilonEnd", "must be in [0, 1]");
    check(c.errorClip >= 0, "errorClip", "must be >= 0");
    check(c.targetTau > 0 && c.targetTau <= 1, "targetTau", "must be in (0, 1]");
    check(!c.doubleQ || c.replayCapacity >= c.batch,
          "replayCapacity",
          "Double DQN needs a replay of at least one batch");
    return c;
}

nlohmann::json
PlacementDrlConfig::ToJson() const
{
    return {{"filters", PlacementFilterModeName(filters)},
            {"serversOnly", serversOnly},
            {"keepAssignment", keepAssignment},
            {"hidden", hidden},
            {"learningRate", learningRate},
            {"discount", discount},
            {"epsilonStart", epsilonStart},
            {"epsilonEnd", epsilonEnd},
            {"errorClip", errorClip},
            {"doubleQ", doubleQ},
            {"replayCapacity", replayCapacity},
            {"batch", batch},
            {"targetTau", targetTau},
            {"reward", REWARD_NAMES[static_cast<int>(reward)]},
            {"seed", seed}};
}

PlacementDrl::PlacementDrl(std::string name, PlacementDrlConfig config)
    : m_name(std::move(name)),
      m_config(config)
{
}

std::string
PlacementDrl::GetName() const
{
    return m_name;
}

const PlacementDrlConfig&
PlacementDrl::GetConfig() const
{
    return m_config;
}

bool
PlacementDrl::HasNetworks() const
{
    return !m_nets.empty();
}

size_t
PlacementDrl::ParameterCount() const
{
    size_t n = 0;
    for (const LearnDenseNetwork& net : m_nets)
    {
        n += net.ParameterCount();
    }
    return n;
}

const LearnDenseNetwork&
PlacementDrl::GetNetwork(uint32_t instance) const
{
    return m_nets.at(instance);
}

void
PlacementDrl::Bind(const PlacementProblem& p)
{
    std::vector<PlacementHostSlot> actions;
    std::vector<uint32_t> actionSlot;
    const std::vector<PlacementHostSlot> all = p.HostSlots();
    for (uint32_t s = 0; s < all.size(); ++s)
    {
        if (!m_config.serversOnly || all[s].kind == PlacementHostKind::SERVER)
        {
            actions.push_back(all[s]);
            actionSlot.push_back(s);
        }
    }
    const size_t features = PlacementFeatureCount(p);
    if (HasNetworks())
    {
        if (features != m_features || actions != m_actions || p.InstanceCount() != m_nets.size())
        {
            throw AisfcInputError(
                "placement policy '" + m_name + "'",
                "its networks were made for " + std::to_string(m_nets.size()) + " instances, " +
                    std::to_string(m_features) + " state features and " +
                    std::to_string(m_actions.size()) + " host slots; problem '" + p.name +
                    "' has " + std::to_string(p.InstanceCount()) + ", " + std::to_string(features) +
                    " and " + std::to_string(actions.size()) +
                    " (a model is trained for one substrate)");
        }
        m_actionSlot = actionSlot; // a loaded model learns the problem's slot order
        return;
    }
    m_features = features;
    m_actions = actions;
    m_actionSlot = actionSlot;
    std::vector<size_t> sizes{features};
    if (m_config.hidden > 0)
    {
        sizes.push_back(m_config.hidden);
    }
    sizes.push_back(actions.size());
    for (uint32_t i = 0; i < p.InstanceCount(); ++i)
    {
        LearnDenseNetwork net(sizes,
                              LearnActivation::RELU,
                              LearnActivation::IDENTITY,
                              m_config.seed * 1000003 + i);
        net.SetOptimizer(LearnOptimizer::Sgd(m_config.learningRate));
        m_nets.push_back(net);
    }
    if (m_config.doubleQ)
    {
        m_targets = m_nets;
    }
}

std::vector<bool>
PlacementDrl::StaticKeep(const PlacementFilters& filters, uint32_t instance) const
{
    const bool useStatic = m_config.filters == PlacementFilterMode::STATIC ||
                           m_config.filters == PlacementFilterMode::HYBRID;
    return useStatic ? OfActions(filters.Static(instance))
                     : std::vector<bool>(m_actions.size(), true);
}

std::vector<bool>
PlacementDrl::OfActions(const PlacementMask& mask) const
{
    std::vector<bool> keep;
    for (uint32_t s : m_actionSlot)
    {
        keep.push_back(mask.allowed[s]);
    }
    return keep;
}

std::vector<uint32_t>
PlacementDrl::Allowed(const PlacementFilters& filters,
                      const PlacementDeployment& current,
                      uint32_t instance) const
{
    std::vector<bool> keep = OfActions(filters.Mask(m_config.filters, current, instance));
    std::vector<uint32_t> allowed;
    for (uint32_t a = 0; a < keep.size(); ++a)
    {
        if (keep[a])
        {
            allowed.push_back(a);
        }
    }
    return allowed;
}

PlacementDecision
PlacementDrl::Act(const PlacementProblem& p,
                  uint32_t slot,
                  const PlacementDeployment& previous,
                  const PlacementAssignment& previousAssignment,
                  const std::vector<double>& state,
                  double epsilon,
                  std::mt19937_64& rng,
                  PlacementTransition& transition)
{
    Bind(p);
    if (state.size() != m_features)
    {
        throw std::invalid_argument("placement DRL: state has " + std::to_string(state.size()) +
                                    " features, expected " + std::to_string(m_features));
    }
    PlacementFilters filters(p);
    PlacementDecision d;
    d.deployment = previous;
    transition.state = state;
    transition.actions.assign(p.InstanceCount(), 0);
    transition.targetMask.clear();
    const Eigen::MatrixXd x = Column(state);
    for (uint32_t i = 0; i < p.InstanceCount(); ++i)
    {
        transition.targetMask.push_back(StaticKeep(filters, i));
        std::vector<uint32_t> allowed = Allowed(filters, d.deployment, i);
        if (allowed.empty())
        {
            // Nowhere to go (servers only, all full): the instance stays.
            auto index = d.deployment.hosts[i]
                             ? std::find(m_actions.begin(), m_actions.end(), *d.deployment.hosts[i])
                             : m_actions.end();
            transition.actions[i] = index == m_actions.end() ? 0 : index - m_actions.begin();
            continue;
        }
        uint32_t action;
        if (epsilon > 0 && LearnUniform01(rng) < epsilon)
        {
            action = allowed[PlacementUniformIndex(rng, allowed.size())];
        }
        else
        {
            Eigen::MatrixXd q = m_nets[i].Predict(x);
            action = allowed[0];
            for (uint32_t a : allowed)
            {
                if (q(a, 0) > q(action, 0))
                {
                    action = a;
                }
            }
        }
        transition.actions[i] = action;
        d.deployment.hosts[i] = m_actions[action];
    }
    d.assignment = m_config.keepAssignment && !previousAssignment.instances.empty()
                       ? previousAssignment
                       : PlacementAssignNearest(p, slot, d.deployment);
    return d;
}

PlacementDecision
PlacementDrl::Decide(const PlacementProblem& p,
                     uint32_t slot,
                     const PlacementDeployment& previous,
                     const PlacementAssignment& previousAssignment,
                     std::mt19937_64& rng)
{
    PlacementTransition unused;
    return Act(p,
               slot,
               previous,
               previousAssignment,
               PlacementObserve(p, slot, previous, previousAssignment),
               0.0,
               rng,
               unused);
}

double
PlacementDrl::Reward(const PlacementSlotResult& r) const
{
    if (m_config.reward == PlacementDrlConfig::Reward::PAPER)
    {
        return r.reward;
    }
    // DDQN-CM: the chains' delays (relative to their deadlines, a rejected chain counting as
    // twice its deadline) and the migration cost.
    double delay = 0;
    for (const PlacementRequestResult& q : r.requests)
    {
        double ratio = q.deadline > 0 ? q.totalDelay / q.deadline : 2.0;
        delay += std::isfinite(ratio) ? std::min(ratio, 2.0) : 2.0;
    }
    delay /= std::max<size_t>(1, r.requests.size());
    return -(delay + r.migrationCost);
}

double
PlacementDrl::Update(uint32_t i, const std::vector<const PlacementTransition*>& batch)
{
    const size_t n = batch.size();
    Eigen::MatrixXd states(m_features, n);
    Eigen::MatrixXd nexts(m_features, n);
    for (size_t j = 0; j < n; ++j)
    {
        states.col(j) = Column(batch[j]->state);
        nexts.col(j) = Column(batch[j]->next);
    }
    // Bellman targets: r + gamma max_a' Q(s', a'), Double DQN: the online network picks a',
    // the target network values it.
    Eigen::MatrixXd qNext = m_nets[i].Predict(nexts);
    Eigen::MatrixXd qNextTarget = m_config.doubleQ ? m_targets[i].Predict(nexts) : qNext;
    std::vector<double> targets(n);
    for (size_t j = 0; j < n; ++j)
    {
        double value = 0;
        if (!batch[j]->terminal)
        {
            const std::vector<bool>& keep = batch[j]->targetMask[i];
            int best = -1;
            for (size_t a = 0; a < m_actions.size(); ++a)
            {
                if (keep[a] && (best < 0 || qNext(a, j) > qNext(best, j)))
                {
                    best = a;
                }
            }
            value = best < 0 ? 0.0 : qNextTarget(best, j);
        }
        targets[j] = batch[j]->reward + m_config.discount * value;
    }
    Eigen::MatrixXd q = m_nets[i].Forward(states);
    Eigen::MatrixXd grad = Eigen::MatrixXd::Zero(q.rows(), q.cols());
    double absError = 0;
    for (size_t j = 0; j < n; ++j)
    {
        uint32_t a = batch[j]->actions[i];
        double error = q(a, j) - targets[j];
        absError += std::abs(error);
        if (m_config.errorClip > 0)
        {
            error = std::clamp(error, -m_config.errorClip, m_config.errorClip);
        }
        grad(a, j) = error / double(n);
    }
    m_nets[i].ZeroGrad();
    m_nets[i].BackwardParameters(grad);
    m_nets[i].Step();
    m_nets[i].ClearCache();
    if (m_config.doubleQ)
    {
        m_targets[i].SoftUpdateFrom(m_nets[i], m_config.targetTau);
    }
    return absError / double(n);
}

double
PlacementDrl::Learn(const PlacementTransition& t, std::mt19937_64& rng)
{
    if (!HasNetworks())
    {
        throw std::logic_error("placement DRL: Learn before Act");
    }
    std::vector<const PlacementTransition*> batch;
    if (m_config.replayCapacity == 0)
    {
        batch.push_back(&t);
    }
    else
    {
        m_replay.push_back(t);
        if (m_replay.size() > m_config.replayCapacity)
        {
            m_replay.pop_front();
        }
        if (m_replay.size() < m_config.batch)
        {
            return 0;
        }
        for (uint32_t k = 0; k < m_config.batch; ++k)
        {
            batch.push_back(&m_replay[PlacementUniformIndex(rng, m_replay.size())]);
        }
    }
    double error = 0;
    for (uint32_t i = 0; i < m_nets.size(); ++i)
    {
        error += Update(i, batch);
    }
    return error / double(m_nets.size());
}

std::vector<uint8_t>
PlacementDrl::Save() const
{
    ByteWriter w;
    w.Raw(MAGIC, sizeof MAGIC);
    std::string name = m_name;
    w.Blob(std::vector<uint8_t>(name.begin(), name.end()));
    std::string config = m_config.ToJson().dump();
    w.Blob(std::vector<uint8_t>(config.begin(), config.end()));
    w.U64(m_features);
    w.U64(m_actions.size());
    for (const PlacementHostSlot& s : m_actions)
    {
        w.U32(s.node);
        w.U32(static_cast<uint32_t>(s.kind));
    }
    for (const auto* nets : {&m_nets, &m_targets})
    {
        w.U64(nets->size());
        for (const LearnDenseNetwork& net : *nets)
        {
            w.Blob(net.Serialize());
        }
    }
    w.U64(m_replay.size());
    for (const PlacementTransition& t : m_replay)
    {
        w.Doubles(t.state);
        w.U64(t.actions.size());
        for (uint32_t a : t.actions)
        {
            w.U32(a);
        }
        w.F64(t.reward);
        w.Doubles(t.next);
        w.U32(t.terminal ? 1 : 0);
        w.U64(t.targetMask.size());
        for (const std::vector<bool>& keep : t.targetMask)
        {
            w.U64(keep.size());
            for (bool k : keep)
            {
                w.Raw(&k, 1);
            }
        }
    }
    return w.bytes;
}

PlacementDrl
PlacementDrl::Load(const std::vector<uint8_t>& bytes, const std::string& place)
{
    ByteReader r(bytes, place);
    char magic[sizeof MAGIC];
    r.Raw(magic, sizeof magic);
    if (std::memcmp(magic, MAGIC, sizeof MAGIC) != 0)
    {
        r.Fail("not an aisfc placement DRL model (no PDRL1 header)");
    }
    std::vector<uint8_t> name = r.Blob();
    std::vector<uint8_t> configBytes = r.Blob();
    nlohmann::json config =
        nlohmann::json::parse(configBytes.begin(), configBytes.end(), nullptr, false);
    if (config.is_discarded())
    {
        r.Fail("the settings are not JSON");
    }
    PlacementDrl agent(std::string(name.begin(), name.end()),
                       PlacementDrlConfig::FromJson(PlacementDrlConfig(), config, place));
    const PlacementDrlConfig& c = agent.m_config;
    const uint32_t nodeLimit = 1u << 24;
    agent.m_features = r.U64();
    uint64_t actions = r.Count(8);
    for (uint64_t a = 0; a < actions; ++a)
    {
        PlacementHostSlot s;
        s.node = r.U32();
        uint32_t kind = r.U32();
        if (s.node >= nodeLimit || kind > static_cast<uint32_t>(PlacementHostKind::EXTERNAL))
        {
            r.Fail("bad host slot " + std::to_string(s.node) + "/" + std::to_string(kind));
        }
        s.kind = static_cast<PlacementHostKind>(kind);
        agent.m_actions.push_back(s);
    }
    for (auto* nets : {&agent.m_nets, &agent.m_targets})
    {
        uint64_t count = r.Count(8);
        for (uint64_t k = 0; k < count; ++k)
        {
            LearnDenseNetwork net = LearnDenseNetwork::Deserialize(r.Blob(), place);
            if (net.InputSize() != agent.m_features || net.OutputSize() != actions)
            {
                r.Fail("a network's shape does not match the model's features and host slots");
            }
            net.SetOptimizer(LearnOptimizer::Sgd(c.learningRate));
            nets->push_back(std::move(net));
        }
    }
    if (c.doubleQ && agent.m_targets.size() != agent.m_nets.size())
    {
        r.Fail("a Double DQN model needs one target network per network");
    }
    uint64_t replay = r.Count(8);
    for (uint64_t k = 0; k < replay; ++k)
    {
        PlacementTransition t;
        t.state = r.Doubles();
        uint64_t n = r.Count(4);
        for (uint64_t a = 0; a < n; ++a)
        {
            t.actions.push_back(r.U32());
        }
        t.reward = r.F64();
        t.next = r.Doubles();
        t.terminal = r.U32() != 0;
        uint64_t masks = r.Count(8);
        for (uint64_t i = 0; i < masks; ++i)
        {
            uint64_t m = r.Count(1);
            std::vector<bool> keep;
            for (uint64_t a = 0; a < m; ++a)
            {
                uint8_t b;
                r.Raw(&b, 1);
                keep.push_back(b != 0);
            }
            t.targetMask.push_back(std::move(keep));
        }
        if (t.state.size() != agent.m_features || t.next.size() != agent.m_features ||
            t.actions.size() != agent.m_nets.size() || t.targetMask.size() != agent.m_nets.size())
        {
            r.Fail("replay transition " + std::to_string(k) + " does not fit the networks");
        }
        for (uint32_t a : t.actions)
        {
            if (a >= actions)
            {
                r.Fail("replay transition " + std::to_string(k) + " has action " +
                       std::to_string(a) + " of " + std::to_string(actions));
            }
        }
        agent.m_replay.push_back(std::move(t));
    }
    if (!r.AtEnd())
    {
        r.Fail("trailing bytes after the model");
    }
    return agent;
}

namespace
{

void
RegisterDrl(const std::string& name, const std::string& description)
{
    PlacementPolicyRegistry::Register(name, description, [name](const nlohmann::json& params) {
        const std::string place = "placement policy '" + name + "'";
        nlohmann::json rest = params;
        std::string model;
        if (rest.contains("model"))
        {
            JsonReader r(rest, place);
            model = r.RequireString("model");
            rest.erase("model");
        }
        if (!model.empty() && !rest.empty())
        {
            throw AisfcInputError(place + ": /" + rest.begin().key(),
                                  "a trained model brings its own settings; give only \"model\"");
        }
        if (!model.empty())
        {
            std::string text = ReadInputFile(model);
            PlacementDrl loaded =
                PlacementDrl::Load(std::vector<uint8_t>(text.begin(), text.end()), model);
            if (loaded.GetName() != name)
            {
                throw AisfcInputError(model,
                                      "holds a '" + loaded.GetName() + "' model, not '" + name +
                                          "'");
            }
            return std::unique_ptr<PlacementPolicy>(new PlacementDrl(std::move(loaded)));
        }
        return std::unique_ptr<PlacementPolicy>(new PlacementDrl(
            name,
            PlacementDrlConfig::FromJson(PlacementDrlConfig::Preset(name), rest, place)));
    });
}

const bool g_registered = [] {
    RegisterDrl("srem",
                "srem: SR-EM's per-instance policy networks over servers, local and external "
                "memories with static/dynamic filters ({\"model\": FILE} for a trained one; "
                "untrained otherwise)");
    RegisterDrl("ddqn-cm",
                "ddqn-cm: Double DQN migrating instances among servers only ({\"model\": FILE} "
                "for a trained one; untrained otherwise)");
    return true;
}();

} // namespace

} // namespace ns3
