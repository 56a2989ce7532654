/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "learn-tree.h"

#include "ns3/aisfc-error.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <queue>
#include <sstream>
#include <stdexcept>

namespace ns3
{

namespace
{

/// scikit-learn's EPSILON: a node this pure is a leaf.
constexpr double PURE = std::numeric_limits<double>::epsilon();

/// Below this many samples a node sorts with std::sort, above with counting or radix sort.
constexpr size_t SMALL_SORT = 64;

/// \return 1 - sum_k (c_k / w)^2
double
Gini(const double* counts, size_t classes, double weight)
{
    if (weight <= 0.0)
    {
        return 0.0;
    }
    double sq = 0.0;
    for (size_t k = 0; k < classes; ++k)
    {
        sq += counts[k] * counts[k];
    }
    return 1.0 - sq / (weight * weight);
}

/**
 * Sort keys (rank offset << 32 | sample) by their upper half.  Ranks are small integers, so
 * large nodes use a counting sort (range below a few times the size) or an LSD radix sort on
 * 8-bit digits; both are stable and O(n) per pass, where sorting doubles costs n log n.
 */
void
SortKeys(uint64_t* keys, uint64_t* tmp, size_t n, uint32_t range, std::vector<uint32_t>& count)
{
    if (n < SMALL_SORT)
    {
        std::sort(keys, keys + n);
        return;
    }
    if (range < 4 * n)
    {
        count.assign(static_cast<size_t>(range) + 2, 0);
        for (size_t i = 0; i < n; ++i)
        {
            ++count[(keys[i] >> 32) + 1];
        }
        for (size_t r = 1; r < count.size(); ++r)
        {
            count[r] += count[r - 1];
        }
        for (size_t i = 0; i < n; ++i)
        {
            tmp[count[keys[i] >> 32]++] = keys[i];
        }
        std::copy(tmp, tmp + n, keys);
        return;
    }
    int passes = 0;
    for (uint32_t r = range; r != 0; r >>= 8)
    {
        ++passes;
    }
    uint64_t* from = keys;
    uint64_t* to = tmp;
    uint32_t hist[256];
    for (int p = 0; p < passes; ++p)
    {
        const int shift = 32 + 8 * p;
        std::fill(hist, hist + 256, 0);
        for (size_t i = 0; i < n; ++i)
        {
            ++hist[(from[i] >> shift) & 0xff];
        }
        uint32_t sum = 0;
        for (uint32_t& h : hist)
        {
            const uint32_t c = h;
            h = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; ++i)
        {
            to[hist[(from[i] >> shift) & 0xff]++] = from[i];
        }
        std::swap(from, to);
    }
    if (from != keys)
    {
        std::copy(from, from + n, keys);
    }
}

} // namespace

// ---- LearnMaxFeatures ---------------------------------------------------------------------------

LearnMaxFeatures
LearnMaxFeatures::All()
{
    return LearnMaxFeatures{ALL, 0.0};
}

LearnMaxFeatures
LearnMaxFeatures::Sqrt()
{
    return LearnMaxFeatures{SQRT, 0.0};
}

LearnMaxFeatures
LearnMaxFeatures::Log2()
{
    return LearnMaxFeatures{LOG2, 0.0};
}

LearnMaxFeatures
LearnMaxFeatures::Count(size_t count)
{
    return LearnMaxFeatures{COUNT, static_cast<double>(count)};
}

LearnMaxFeatures
LearnMaxFeatures::Fraction(double fraction)
{
    return LearnMaxFeatures{FRACTION, fraction};
}

LearnMaxFeatures
LearnMaxFeatures::FromName(const std::string& text, const std::string& place)
{
    if (text == "all" || text == "none")
    {
        return All();
    }
    if (text == "sqrt")
    {
        return Sqrt();
    }
    if (text == "log2")
    {
        return Log2();
    }
    const std::string expected =
        "expected all, sqrt, log2, a positive count or a fraction in (0, 1]";
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos)
    {
        if (text.size() > 9 || std::stoul(text) == 0)
        {
            throw AisfcInputError(place, "'" + text + "': " + expected);
        }
        return Count(std::stoul(text));
    }
    if (!text.empty() && text.find('.') != std::string::npos &&
        text.find_first_not_of("0123456789.") == std::string::npos)
    {
        char* end = nullptr;
        const double f = std::strtod(text.c_str(), &end);
        if (end == text.c_str() + text.size() && f > 0.0 && f <= 1.0)
        {
            return Fraction(f);
        }
    }
    throw AisfcInputError(place, "'" + text + "': " + expected);
}

std::string
LearnMaxFeatures::Name() const
{
    switch (kind)
    {
    case ALL:
        return "all";
    case SQRT:
        return "sqrt";
    case LOG2:
        return "log2";
    case COUNT:
        return std::to_string(static_cast<uint64_t>(value));
    case FRACTION: {
        std::ostringstream out;
        out.precision(17);
        out << value;
        std::string s = out.str();
        return s.find('.') == std::string::npos ? s + ".0" : s;
    }
    }
    return "all";
}

size_t
LearnMaxFeatures::Resolve(size_t features, const std::string& place) const
{
    if (features == 0)
    {
        throw std::invalid_argument("LearnMaxFeatures::Resolve: no feature");
    }
    const auto n = static_cast<double>(features);
    size_t m = features;
    switch (kind)
    {
    case ALL:
        m = features;
        break;
    case SQRT:
        m = static_cast<size_t>(std::floor(std::sqrt(n)));
        break;
    case LOG2:
        m = static_cast<size_t>(std::floor(std::log2(n)));
        break;
    case COUNT:
        if (!(value >= 1.0) || value > n || value != std::floor(value))
        {
            throw AisfcInputError(place,
                                  "a count of " + Name() + " features is not in [1, " +
                                      std::to_string(features) + "] (the data has " +
                                      std::to_string(features) + " features)");
        }
        m = static_cast<size_t>(value);
        break;
    case FRACTION:
        if (!(value > 0.0 && value <= 1.0))
        {
            throw AisfcInputError(place, "fraction " + Name() + " is not in (0, 1]");
        }
        m = static_cast<size_t>(std::floor(value * n));
        break;
    }
    return std::min(std::max<size_t>(m, 1), features);
}

void
LearnTreeParams::Validate(const std::string& place) const
{
    if (minSamplesSplit < 2)
    {
        throw AisfcInputError(place + ".minSamplesSplit",
                              std::to_string(minSamplesSplit) + " is below 2");
    }
    if (minSamplesLeaf < 1)
    {
        throw AisfcInputError(place + ".minSamplesLeaf", "0 is below 1");
    }
    if (maxLeafNodes == 1)
    {
        throw AisfcInputError(place + ".maxLeafNodes", "1 is below 2 (0 for no limit)");
    }
    if (maxFeatures.kind == LearnMaxFeatures::COUNT &&
        (!(maxFeatures.value >= 1.0) || maxFeatures.value != std::floor(maxFeatures.value)))
    {
        throw AisfcInputError(place + ".maxFeatures", "count must be a positive integer");
    }
    if (maxFeatures.kind == LearnMaxFeatures::FRACTION &&
        !(maxFeatures.value > 0.0 && maxFeatures.value <= 1.0))
    {
        throw AisfcInputError(place + ".maxFeatures", "fraction must be in (0, 1]");
    }
}

// ---- LearnTreeData ------------------------------------------------------------------------------

LearnTreeData::LearnTreeData(const Eigen::MatrixXd& x)
    : m_samples(static_cast<size_t>(x.cols())),
      m_features(static_cast<size_t>(x.rows()))
{
    if (m_samples == 0 || m_features == 0)
    {
        throw std::invalid_argument("LearnTreeData: empty feature matrix");
    }
    if (m_samples >= std::numeric_limits<uint32_t>::max())
    {
        throw std::invalid_argument("LearnTreeData: more than 2^32 - 2 samples");
    }
    m_ranks.resize(m_samples * m_features);
    m_value.resize(m_features);
    std::vector<std::pair<double, uint32_t>> column(m_samples);
    for (size_t f = 0; f < m_features; ++f)
    {
        for (size_t s = 0; s < m_samples; ++s)
        {
            const double v = x(static_cast<Eigen::Index>(f), static_cast<Eigen::Index>(s));
            if (!std::isfinite(v))
            {
                throw std::invalid_argument("LearnTreeData: feature " + std::to_string(f) +
                                            " of sample " + std::to_string(s) + " is not finite");
            }
            column[s] = {v == 0.0 ? 0.0 : v, static_cast<uint32_t>(s)}; // -0 ranks as 0
        }
        std::sort(column.begin(), column.end());
        std::vector<double>& values = m_value[f];
        uint32_t* ranks = m_ranks.data() + f * m_samples;
        for (const auto& [v, s] : column)
        {
            if (values.empty() || v != values.back())
            {
                values.push_back(v);
            }
            ranks[s] = static_cast<uint32_t>(values.size() - 1);
        }
        values.shrink_to_fit();
    }
}

size_t
LearnTreeData::SampleCount() const
{
    return m_samples;
}

size_t
LearnTreeData::FeatureCount() const
{
    return m_features;
}

const uint32_t*
LearnTreeData::Ranks(size_t feature) const
{
    if (feature >= m_features)
    {
        throw std::out_of_range("LearnTreeData::Ranks: feature out of range");
    }
    return m_ranks.data() + feature * m_samples;
}

const std::vector<double>&
LearnTreeData::Values(size_t feature) const
{
    if (feature >= m_features)
    {
        throw std::out_of_range("LearnTreeData::Values: feature out of range");
    }
    return m_value[feature];
}

// ---- growth -------------------------------------------------------------------------------------

/**
 * Grows one LearnTree: scikit-learn's DepthFirstTreeBuilder and BestFirstTreeBuilder with its
 * BestSplitter and Gini criterion, on ranked features.
 */
class LearnTreeBuilder
{
  public:
    LearnTreeBuilder(const LearnTreeData& data,
                     const std::vector<int>& labels,
                     size_t classes,
                     const std::vector<double>& weights,
                     const LearnTreeParams& params,
                     uint64_t seed)
        : m_data(data),
          m_classes(classes),
          m_params(params),
          m_rng(seed)
    {
        const size_t n = data.SampleCount();
        m_sample.resize(n);
        for (size_t s = 0; s < n; ++s)
        {
            m_sample[s].weight = weights.empty() ? 1.0 : weights[s];
            m_sample[s].label = static_cast<uint32_t>(labels[s]);
            if (m_sample[s].weight > 0.0)
            {
                m_order.push_back(static_cast<uint32_t>(s));
            }
        }
        m_features = data.FeatureCount();
        m_mtry = params.maxFeatures.Resolve(m_features, "tree.maxFeatures");
        m_perm.resize(m_features);
        m_known.assign(m_features, 0);
        m_keys.resize(m_order.size());
        m_tmp.resize(m_order.size());
        m_left.resize(classes);
        m_right.resize(classes);
    }

    void Build(LearnTree& tree)
    {
        tree.m_classes = m_classes;
        tree.m_features = m_features;
        tree.m_node.clear();
        tree.m_value.clear();
        m_tree = &tree;
        Open root;
        root.start = 0;
        root.end = static_cast<uint32_t>(m_order.size());
        root.counts.assign(m_classes, 0.0);
        for (uint32_t s : m_order)
        {
            root.counts[m_sample[s].label] += m_sample[s].weight;
        }
        root.weight = std::accumulate(root.counts.begin(), root.counts.end(), 0.0);
        m_rootWeight = root.weight;
        if (m_params.maxLeafNodes == 0)
        {
            BuildDepthFirst(std::move(root));
        }
        else
        {
            BuildBestFirst(std::move(root));
        }
        m_tree = nullptr;
    }

  private:
    /// A node waiting to be created (depth first) or expanded (best first).
    struct Open
    {
        uint32_t start = 0;               //!< first position in m_order
        uint32_t end = 0;                 //!< one past the last
        uint32_t depth = 0;               //!< depth
        int32_t parent = -1;              //!< parent node
        bool isLeft = false;              //!< left child of the parent
        std::vector<double> counts;       //!< weighted class counts
        double weight = 0;                //!< their sum
        std::vector<uint32_t> constants;  //!< features known to be constant here
        int32_t id = -1;                  //!< node id once created
        uint32_t pos = 0;                 //!< split position once found
        double improvement = 0;           //!< of the split found (best first)
        bool leaf = true;                 //!< no split
        std::vector<double> leftCounts;   //!< class counts of the left child
        std::vector<double> rightCounts;  //!< class counts of the right child
        std::vector<uint32_t> childConst; //!< constants passed to the children
    };

    /// Label and weight of a sample side by side (one cache line serves both).
    struct Sample
    {
        double weight;
        uint32_t label;
    };

    /// Create the node of an open record, find its split (partitioning its samples).
    void CreateNode(Open& rec)
    {
        LearnTree& tree = *m_tree;
        LearnTreeNode node;
        node.parent = rec.parent;
        node.depth = rec.depth;
        node.samples = rec.end - rec.start;
        node.weightedSamples = rec.weight;
        node.impurity = Gini(rec.counts.data(), m_classes, rec.weight);
        rec.id = static_cast<int32_t>(tree.m_node.size());
        if (rec.parent >= 0)
        {
            LearnTreeNode& p = tree.m_node[static_cast<size_t>(rec.parent)];
            (rec.isLeft ? p.left : p.right) = rec.id;
        }
        tree.m_node.push_back(node);
        tree.m_value.insert(tree.m_value.end(), rec.counts.begin(), rec.counts.end());

        const uint32_t n = rec.end - rec.start;
        rec.leaf = (m_params.maxDepth > 0 && rec.depth >= m_params.maxDepth) ||
                   n < m_params.minSamplesSplit || n < 2 * m_params.minSamplesLeaf ||
                   node.impurity <= PURE;
        if (!rec.leaf)
        {
            rec.leaf = !FindSplit(rec);
        }
    }

    void BuildDepthFirst(Open root)
    {
        std::vector<Open> stack;
        stack.push_back(std::move(root));
        while (!stack.empty())
        {
            Open rec = std::move(stack.back());
            stack.pop_back();
            CreateNode(rec);
            if (rec.leaf)
            {
                continue;
            }
            Open left;
            Open right;
            MakeChildren(rec, left, right);
            stack.push_back(std::move(right));
            stack.push_back(std::move(left));
        }
    }

    void BuildBestFirst(Open root)
    {
        // Open records by id; the frontier orders (improvement desc, id asc).
        std::vector<Open> open;
        auto worse = [&open](int32_t a, int32_t b) {
            const double ia = open[static_cast<size_t>(a)].improvement;
            const double ib = open[static_cast<size_t>(b)].improvement;
            return ia != ib ? ia < ib : a > b;
        };
        std::priority_queue<int32_t, std::vector<int32_t>, decltype(worse)> frontier(worse);
        auto add = [&](Open rec) {
            CreateNode(rec);
            const int32_t id = rec.id;
            if (static_cast<size_t>(id) >= open.size())
            {
                open.resize(static_cast<size_t>(id) + 1);
            }
            open[static_cast<size_t>(id)] = std::move(rec);
            frontier.push(id);
        };
        add(std::move(root));
        uint32_t splitsLeft = m_params.maxLeafNodes - 1;
        while (!frontier.empty())
        {
            const int32_t id = frontier.top();
            frontier.pop();
            Open& rec = open[static_cast<size_t>(id)];
            LearnTreeNode& node = m_tree->m_node[static_cast<size_t>(id)];
            if (rec.leaf || splitsLeft == 0)
            {
                node.feature = -1;
                node.threshold = 0.0;
                node.improvement = 0.0;
                rec = Open();
                continue;
            }
            Open left;
            Open right;
            MakeChildren(rec, left, right);
            rec = Open();
            add(std::move(left));
            add(std::move(right));
            --splitsLeft;
        }
    }

    void MakeChildren(Open& rec, Open& left, Open& right)
    {
        left.start = rec.start;
        left.end = rec.pos;
        right.start = rec.pos;
        right.end = rec.end;
        left.depth = right.depth = rec.depth + 1;
        left.parent = right.parent = rec.id;
        left.isLeft = true;
        left.counts = std::move(rec.leftCounts);
        right.counts = std::move(rec.rightCounts);
        left.weight = std::accumulate(left.counts.begin(), left.counts.end(), 0.0);
        right.weight = std::accumulate(right.counts.begin(), right.counts.end(), 0.0);
        left.constants = rec.childConst;
        right.constants = std::move(rec.childConst);
    }

    /**
     * Best split of rec's samples; on success set the node's feature, threshold and
     * improvement, partition the samples and fill rec.pos, the children's counts and constants.
     */
    bool FindSplit(Open& rec)
    {
        const size_t n = rec.end - rec.start;
        const uint32_t* order = m_order.data() + rec.start;
        const size_t msl = m_params.minSamplesLeaf;
        const bool draw = m_mtry < m_features;
        for (uint32_t f : rec.constants)
        {
            m_known[f] = 1;
        }
        std::iota(m_perm.begin(), m_perm.end(), 0);
        std::vector<uint32_t> found;
        double sqTotal = 0.0;
        for (size_t k = 0; k < m_classes; ++k)
        {
            sqTotal += rec.counts[k] * rec.counts[k];
        }

        double bestProxy = -std::numeric_limits<double>::infinity();
        int32_t bestFeature = -1;
        uint32_t bestRankLeft = 0;
        uint32_t bestRankRight = 0;
        size_t visited = 0;
        size_t constantsSeen = 0;
        for (size_t i = 0; i < m_features; ++i)
        {
            if (visited >= m_mtry && visited > constantsSeen)
            {
                break;
            }
            if (draw)
            {
                std::swap(m_perm[i], m_perm[i + LearnUniformIndex(m_rng, m_features - i)]);
            }
            const uint32_t f = m_perm[i];
            ++visited;
            if (m_known[f])
            {
                ++constantsSeen;
                continue;
            }
            const uint32_t* ranks = m_data.Ranks(f);
            uint32_t lo = std::numeric_limits<uint32_t>::max();
            uint32_t hi = 0;
            for (size_t p = 0; p < n; ++p)
            {
                const uint32_t r = ranks[order[p]];
                lo = std::min(lo, r);
                hi = std::max(hi, r);
            }
            if (lo == hi)
            {
                found.push_back(f);
                ++constantsSeen;
                continue;
            }
            uint64_t* keys = m_keys.data();
            for (size_t p = 0; p < n; ++p)
            {
                const uint32_t s = order[p];
                keys[p] = (static_cast<uint64_t>(ranks[s] - lo) << 32) | s;
            }
            SortKeys(keys, m_tmp.data(), n, hi - lo, m_count);

            // Scan the boundaries; proxy = sum_k L_k^2 / wL + sum_k R_k^2 / wR, which orders
            // splits as the weighted Gini decrease does (scikit-learn's proxy improvement).
            std::fill(m_left.begin(), m_left.end(), 0.0);
            std::copy(rec.counts.begin(), rec.counts.end(), m_right.begin());
            double sqL = 0.0;
            double sqR = sqTotal;
            double wL = 0.0;
            double wR = rec.weight;
            for (size_t p = 0; p + 1 < n; ++p)
            {
                const Sample& smp = m_sample[keys[p] & 0xffffffffu];
                const double w = smp.weight;
                double& l = m_left[smp.label];
                double& r = m_right[smp.label];
                sqL += w * (2.0 * l + w);
                sqR -= w * (2.0 * r - w);
                l += w;
                r -= w;
                wL += w;
                wR -= w;
                if ((keys[p] >> 32) == (keys[p + 1] >> 32) || p + 1 < msl)
                {
                    continue;
                }
                if (n - (p + 1) < msl)
                {
                    break;
                }
                if (wR <= 0.0)
                {
                    continue;
                }
                const double proxy = sqL / wL + sqR / wR;
                if (proxy > bestProxy)
                {
                    bestProxy = proxy;
                    bestFeature = static_cast<int32_t>(f);
                    bestRankLeft = static_cast<uint32_t>(keys[p] >> 32) + lo;
                    bestRankRight = static_cast<uint32_t>(keys[p + 1] >> 32) + lo;
                }
            }
        }
        for (uint32_t f : rec.constants)
        {
            m_known[f] = 0;
        }
        if (bestFeature < 0)
        {
            return false;
        }

        // Partition: x <= threshold (rank <= bestRankLeft) first.
        const uint32_t* ranks = m_data.Ranks(static_cast<size_t>(bestFeature));
        uint32_t* begin = m_order.data() + rec.start;
        uint32_t* mid =
            std::partition(begin, begin + n, [&](uint32_t s) { return ranks[s] <= bestRankLeft; });
        rec.pos = rec.start + static_cast<uint32_t>(mid - begin);
        rec.leftCounts.assign(m_classes, 0.0);
        rec.rightCounts.assign(m_classes, 0.0);
        for (uint32_t* p = begin; p != mid; ++p)
        {
            rec.leftCounts[m_sample[*p].label] += m_sample[*p].weight;
        }
        for (uint32_t* p = mid; p != begin + n; ++p)
        {
            rec.rightCounts[m_sample[*p].label] += m_sample[*p].weight;
        }
        rec.childConst = rec.constants;
        rec.childConst.insert(rec.childConst.end(), found.begin(), found.end());

        const std::vector<double>& values = m_data.Values(static_cast<size_t>(bestFeature));
        const double a = values[bestRankLeft];
        const double b = values[bestRankRight];
        double threshold = a / 2.0 + b / 2.0;
        if (threshold == b || !std::isfinite(threshold))
        {
            threshold = a;
        }
        const double wL = std::accumulate(rec.leftCounts.begin(), rec.leftCounts.end(), 0.0);
        const double wR = std::accumulate(rec.rightCounts.begin(), rec.rightCounts.end(), 0.0);
        LearnTreeNode& node = m_tree->m_node[static_cast<size_t>(rec.id)];
        node.feature = bestFeature;
        node.threshold = threshold;
        node.improvement =
            (rec.weight / m_rootWeight) *
            (node.impurity - wR / rec.weight * Gini(rec.rightCounts.data(), m_classes, wR) -
             wL / rec.weight * Gini(rec.leftCounts.data(), m_classes, wL));
        rec.improvement = node.improvement;
        return true;
    }

    const LearnTreeData& m_data;   //!< ranked features
    size_t m_classes;              //!< classes
    LearnTreeParams m_params;      //!< limits
    std::mt19937_64 m_rng;         //!< feature draws
    std::vector<Sample> m_sample;  //!< per sample label and weight
    std::vector<uint32_t> m_order; //!< samples of positive weight, grouped by node
    size_t m_features = 0;         //!< features
    size_t m_mtry = 0;             //!< features considered per node
    std::vector<uint32_t> m_perm;  //!< feature draw order of the current node
    std::vector<uint8_t> m_known;  //!< known constant flags of the current node
    std::vector<uint64_t> m_keys;  //!< sort keys
    std::vector<uint64_t> m_tmp;   //!< sort buffer
    std::vector<uint32_t> m_count; //!< counting-sort buckets
    std::vector<double> m_left;    //!< scan: left class counts
    std::vector<double> m_right;   //!< scan: right class counts
    double m_rootWeight = 1.0;     //!< weighted samples at the root
    LearnTree* m_tree = nullptr;   //!< tree being grown
};

// ---- LearnTree ----------------------------------------------------------------------------------

LearnTree::LearnTree(const LearnTreeParams& params)
    : m_params(params)
{
}

const LearnTreeParams&
LearnTree::GetParams() const
{
    return m_params;
}

void
LearnTree::Fit(const Eigen::MatrixXd& x,
               const std::vector<int>& labels,
               size_t classes,
               const std::vector<double>& sampleWeight,
               uint64_t seed)
{
    const LearnTreeData data(x);
    Fit(data, labels, classes, sampleWeight, seed);
}

void
LearnTree::Fit(const LearnTreeData& data,
               const std::vector<int>& labels,
               size_t classes,
               const std::vector<double>& sampleWeight,
               uint64_t seed)
{
    m_params.Validate("tree");
    const size_t n = data.SampleCount();
    if (classes == 0)
    {
        throw std::invalid_argument("LearnTree::Fit: no class");
    }
    if (labels.size() != n)
    {
        throw std::invalid_argument("LearnTree::Fit: " + std::to_string(labels.size()) +
                                    " labels for " + std::to_string(n) + " samples");
    }
    if (!sampleWeight.empty() && sampleWeight.size() != n)
    {
        throw std::invalid_argument("LearnTree::Fit: " + std::to_string(sampleWeight.size()) +
                                    " sample weights for " + std::to_string(n) + " samples");
    }
    bool positive = sampleWeight.empty();
    for (size_t s = 0; s < n; ++s)
    {
        if (labels[s] < 0 || static_cast<size_t>(labels[s]) >= classes)
        {
            throw std::invalid_argument("LearnTree::Fit: label " + std::to_string(labels[s]) +
                                        " of sample " + std::to_string(s) + " is not in [0, " +
                                        std::to_string(classes) + ")");
        }
        if (!sampleWeight.empty())
        {
            const double w = sampleWeight[s];
            if (!(w >= 0.0) || !std::isfinite(w))
            {
                throw std::invalid_argument("LearnTree::Fit: weight of sample " +
                                            std::to_string(s) + " is negative or not finite");
            }
            positive = positive || w > 0.0;
        }
    }
    if (!positive)
    {
        throw std::invalid_argument("LearnTree::Fit: no sample has a positive weight");
    }
    LearnTreeBuilder builder(data, labels, classes, sampleWeight, m_params, seed);
    builder.Build(*this);
}

LearnTree
LearnTree::FromNodes(const std::vector<LearnTreeNode>& nodes,
                     const std::vector<double>& values,
                     size_t classes,
                     size_t features)
{
    if (nodes.empty() || classes == 0 || values.size() != nodes.size() * classes)
    {
        throw std::invalid_argument("LearnTree::FromNodes: no node, no class or " +
                                    std::to_string(values.size()) + " values for " +
                                    std::to_string(nodes.size()) + " nodes");
    }
    LearnTree tree;
    tree.m_classes = classes;
    tree.m_features = features;
    tree.m_node = nodes;
    tree.m_value = values;
    std::vector<int> seen(nodes.size(), 0);
    std::vector<size_t> stack{0};
    seen[0] = 1;
    tree.m_node[0].parent = -1;
    tree.m_node[0].depth = 0;
    while (!stack.empty())
    {
        const size_t i = stack.back();
        stack.pop_back();
        LearnTreeNode& node = tree.m_node[i];
        if ((node.left < 0) != (node.right < 0))
        {
            throw std::invalid_argument("LearnTree::FromNodes: node " + std::to_string(i) +
                                        " has one child");
        }
        if (node.left < 0)
        {
            node.feature = -1;
            continue;
        }
        if (node.feature < 0 || static_cast<size_t>(node.feature) >= features)
        {
            throw std::invalid_argument("LearnTree::FromNodes: split node " + std::to_string(i) +
                                        " has no valid feature");
        }
        for (int32_t child : {node.left, node.right})
        {
            if (static_cast<size_t>(child) >= nodes.size() || seen[static_cast<size_t>(child)])
            {
                throw std::invalid_argument("LearnTree::FromNodes: child " + std::to_string(child) +
                                            " of node " + std::to_string(i) +
                                            " is out of range or shared");
            }
            seen[static_cast<size_t>(child)] = 1;
            tree.m_node[static_cast<size_t>(child)].parent = static_cast<int32_t>(i);
            tree.m_node[static_cast<size_t>(child)].depth = node.depth + 1;
            stack.push_back(static_cast<size_t>(child));
        }
    }
    if (std::find(seen.begin(), seen.end(), 0) != seen.end())
    {
        throw std::invalid_argument("LearnTree::FromNodes: a node is not reachable from the root");
    }
    return tree;
}

size_t
LearnTree::NodeCount() const
{
    return m_node.size();
}

size_t
LearnTree::LeafCount() const
{
    return static_cast<size_t>(
        std::count_if(m_node.begin(), m_node.end(), [](const auto& n) { return n.IsLeaf(); }));
}

size_t
LearnTree::Depth() const
{
    uint32_t d = 0;
    for (const auto& n : m_node)
    {
        d = std::max(d, n.depth);
    }
    return d;
}

size_t
LearnTree::ClassCount() const
{
    return m_classes;
}

size_t
LearnTree::FeatureCount() const
{
    return m_features;
}

const LearnTreeNode&
LearnTree::GetNode(size_t node) const
{
    if (node >= m_node.size())
    {
        throw std::out_of_range("LearnTree::GetNode: node " + std::to_string(node) +
                                " out of range");
    }
    return m_node[node];
}

const std::vector<LearnTreeNode>&
LearnTree::GetNodes() const
{
    return m_node;
}

const double*
LearnTree::GetValue(size_t node) const
{
    if (node >= m_node.size())
    {
        throw std::out_of_range("LearnTree::GetValue: node " + std::to_string(node) +
                                " out of range");
    }
    return m_value.data() + node * m_classes;
}

int
LearnTree::NodeClass(size_t node) const
{
    const double* v = GetValue(node);
    size_t best = 0;
    for (size_t k = 1; k < m_classes; ++k)
    {
        if (v[k] > v[best])
        {
            best = k;
        }
    }
    return static_cast<int>(best);
}

int64_t
LearnTree::IntegerThreshold(size_t node) const
{
    const LearnTreeNode& n = GetNode(node);
    if (n.IsLeaf())
    {
        throw std::invalid_argument("LearnTree::IntegerThreshold: node " + std::to_string(node) +
                                    " is a leaf");
    }
    return static_cast<int64_t>(std::floor(n.threshold));
}

size_t
LearnTree::ApplySample(const Eigen::Ref<const Eigen::VectorXd>& sample) const
{
    if (m_node.empty())
    {
        throw std::invalid_argument("LearnTree::ApplySample: the tree is not fitted");
    }
    if (static_cast<size_t>(sample.size()) != m_features)
    {
        throw std::invalid_argument("LearnTree::ApplySample: " + std::to_string(sample.size()) +
                                    " features for a tree of " + std::to_string(m_features));
    }
    size_t i = 0;
    while (m_node[i].left >= 0)
    {
        const LearnTreeNode& n = m_node[i];
        i = static_cast<size_t>(sample[n.feature] <= n.threshold ? n.left : n.right);
    }
    return i;
}

int
LearnTree::PredictSample(const Eigen::Ref<const Eigen::VectorXd>& sample) const
{
    return NodeClass(ApplySample(sample));
}

std::vector<size_t>
LearnTree::Apply(const Eigen::MatrixXd& x) const
{
    if (static_cast<size_t>(x.rows()) != m_features || m_node.empty())
    {
        throw std::invalid_argument("LearnTree::Apply: " + std::to_string(x.rows()) +
                                    " feature rows for a tree of " + std::to_string(m_features) +
                                    (m_node.empty() ? " (not fitted)" : ""));
    }
    std::vector<size_t> leaves(static_cast<size_t>(x.cols()));
    for (Eigen::Index j = 0; j < x.cols(); ++j)
    {
        const double* sample = x.col(j).data();
        size_t i = 0;
        while (m_node[i].left >= 0)
        {
            const LearnTreeNode& n = m_node[i];
            i = static_cast<size_t>(sample[n.feature] <= n.threshold ? n.left : n.right);
        }
        leaves[static_cast<size_t>(j)] = i;
    }
    return leaves;
}

Eigen::MatrixXd
LearnTree::PredictProba(const Eigen::MatrixXd& x) const
{
    const std::vector<size_t> leaves = Apply(x);
    Eigen::MatrixXd p(static_cast<Eigen::Index>(m_classes), x.cols());
    for (size_t j = 0; j < leaves.size(); ++j)
    {
        const double* v = m_value.data() + leaves[j] * m_classes;
        double sum = 0.0;
        for (size_t k = 0; k < m_classes; ++k)
        {
            sum += v[k];
        }
        const double norm = sum > 0.0 ? sum : 1.0;
        for (size_t k = 0; k < m_classes; ++k)
        {
            p(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) = v[k] / norm;
        }
    }
    return p;
}

std::vector<int>
LearnTree::Predict(const Eigen::MatrixXd& x) const
{
    const std::vector<size_t> leaves = Apply(x);
    std::vector<int> classes(leaves.size());
    for (size_t j = 0; j < leaves.size(); ++j)
    {
        classes[j] = NodeClass(leaves[j]);
    }
    return classes;
}

Eigen::VectorXd
LearnTree::FeatureImportances() const
{
    Eigen::VectorXd imp = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(m_features));
    for (const LearnTreeNode& n : m_node)
    {
        if (!n.IsLeaf())
        {
            const LearnTreeNode& l = m_node[static_cast<size_t>(n.left)];
            const LearnTreeNode& r = m_node[static_cast<size_t>(n.right)];
            imp[n.feature] += n.weightedSamples * n.impurity - l.weightedSamples * l.impurity -
                              r.weightedSamples * r.impurity;
        }
    }
    const double sum = imp.sum();
    if (sum > 0.0)
    {
        imp /= sum;
    }
    return imp;
}

} // namespace ns3
