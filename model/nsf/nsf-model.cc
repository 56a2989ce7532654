/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "nsf-model.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-json-reader.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ns3
{

namespace
{

struct TypeEntry
{
    NsfLayerType type;
    const char* name;
};

const TypeEntry g_layerTypes[] = {
    {NsfLayerType::INPUT, "input"},
    {NsfLayerType::CONV2D, "conv2d"},
    {NsfLayerType::BATCHNORM, "batchnorm"},
    {NsfLayerType::RELU, "relu"},
    {NsfLayerType::RELU6, "relu6"},
    {NsfLayerType::MAXPOOL, "maxpool"},
    {NsfLayerType::AVGPOOL, "avgpool"},
    {NsfLayerType::GLOBAL_AVGPOOL, "global_avgpool"},
    {NsfLayerType::FLATTEN, "flatten"},
    {NsfLayerType::LINEAR, "linear"},
    {NsfLayerType::ADD, "add"},
    {NsfLayerType::SOFTMAX, "softmax"},
    {NsfLayerType::DROPOUT, "dropout"},
};

std::string
KnownTypeNames()
{
    std::string out;
    for (const auto& e : g_layerTypes)
    {
        if (e.type != NsfLayerType::INPUT)
        {
            out += (out.empty() ? "" : ", ") + std::string(e.name);
        }
    }
    return out;
}

// Output size of a sliding window (PyTorch's floor mode, dilation 1).
uint64_t
WindowOut(uint64_t in, uint32_t kernel, uint32_t stride, uint32_t padding)
{
    return (in + 2 * uint64_t(padding) - kernel) / stride + 1;
}

bool
HasWeights(NsfLayerType type)
{
    return type == NsfLayerType::CONV2D || type == NsfLayerType::LINEAR ||
           type == NsfLayerType::BATCHNORM;
}

// torchvision's _make_divisible: channel counts of MobileNetV2 rounded to multiples of 8.
uint64_t
MakeDivisible(double v, uint64_t divisor)
{
    uint64_t n =
        std::max<uint64_t>(divisor, static_cast<uint64_t>(v + divisor / 2.0) / divisor * divisor);
    if (n < 0.9 * v)
    {
        n += divisor;
    }
    return n;
}

NsfModel
BuildVgg16(uint32_t bpe)
{
    NsfModel m("vgg16", NsfShape{3, 224, 224}, bpe);
    // torchvision cfg "D": channel counts, 0 = max pool.  The adaptive 7 x 7 average pool
    // before the classifier is the identity at 224 x 224 and is left out.
    const uint64_t cfg[] =
        {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};
    int block = 1;
    int conv = 1;
    for (uint64_t c : cfg)
    {
        std::string id = std::to_string(block) + "_" + std::to_string(conv);
        if (c == 0)
        {
            m.Add(NsfLayer::MaxPool("pool" + std::to_string(block), 2, 2));
            ++block;
            conv = 1;
            continue;
        }
        m.Add(NsfLayer::Conv2d("conv" + id, c, 3, 1, 1));
        m.Add(NsfLayer::Relu("relu" + id));
        ++conv;
    }
    m.Add(NsfLayer::Flatten("flatten"));
    m.Add(NsfLayer::Linear("fc1", 4096));
    m.Add(NsfLayer::Relu("fc1_relu"));
    m.Add(NsfLayer::Dropout("fc1_dropout", 0.5));
    m.Add(NsfLayer::Linear("fc2", 4096));
    m.Add(NsfLayer::Relu("fc2_relu"));
    m.Add(NsfLayer::Dropout("fc2_dropout", 0.5));
    m.Add(NsfLayer::Linear("fc3", 1000));
    return m;
}

NsfModel
BuildResnet18(uint32_t bpe)
{
    NsfModel m("resnet18", NsfShape{3, 224, 224}, bpe);
    m.Add(NsfLayer::Conv2d("conv1", 64, 7, 2, 3, 1, false));
    m.Add(NsfLayer::BatchNorm("bn1"));
    m.Add(NsfLayer::Relu("relu"));
    size_t x = m.Add(NsfLayer::MaxPool("maxpool", 3, 2, 1));
    uint64_t inC = 64;
    for (int stage = 1; stage <= 4; ++stage)
    {
        uint64_t outC = 64u << (stage - 1);
        for (int b = 0; b < 2; ++b)
        {
            uint32_t stride = (stage > 1 && b == 0) ? 2 : 1;
            std::string p = "layer" + std::to_string(stage) + "." + std::to_string(b) + ".";
            m.Add(NsfLayer::Conv2d(p + "conv1", outC, 3, stride, 1, 1, false), {x});
            m.Add(NsfLayer::BatchNorm(p + "bn1"));
            m.Add(NsfLayer::Relu(p + "relu1"));
            m.Add(NsfLayer::Conv2d(p + "conv2", outC, 3, 1, 1, 1, false));
            size_t main = m.Add(NsfLayer::BatchNorm(p + "bn2"));
            size_t shortcut = x;
            if (stride != 1 || inC != outC)
            {
                m.Add(NsfLayer::Conv2d(p + "downsample.0", outC, 1, stride, 0, 1, false), {x});
                shortcut = m.Add(NsfLayer::BatchNorm(p + "downsample.1"));
            }
            m.Add(NsfLayer::Add(p + "add"), {main, shortcut});
            x = m.Add(NsfLayer::Relu(p + "relu2"));
            inC = outC;
        }
    }
    m.Add(NsfLayer::GlobalAvgPool("avgpool"));
    m.Add(NsfLayer::Flatten("flatten"));
    m.Add(NsfLayer::Linear("fc", 1000));
    return m;
}

NsfModel
BuildMobilenetV2(uint32_t bpe, double width)
{
    NsfModel m("mobilenetv2", NsfShape{3, 224, 224}, bpe);
    uint64_t inC = MakeDivisible(32 * width, 8);
    uint64_t lastC = MakeDivisible(1280 * std::max(1.0, width), 8);
    m.Add(NsfLayer::Conv2d("features.0.conv", inC, 3, 2, 1, 1, false));
    m.Add(NsfLayer::BatchNorm("features.0.bn"));
    size_t x = m.Add(NsfLayer::Relu6("features.0.relu6"));
    // Inverted residual settings of the paper: expansion t, channels c, repeats n, stride s.
    const uint64_t settings[][4] = {{1, 16, 1, 1},
                                    {6, 24, 2, 2},
                                    {6, 32, 3, 2},
                                    {6, 64, 4, 2},
                                    {6, 96, 3, 1},
                                    {6, 160, 3, 2},
                                    {6, 320, 1, 1}};
    int f = 1;
    for (const auto& s : settings)
    {
        uint64_t outC = MakeDivisible(s[1] * width, 8);
        for (uint64_t i = 0; i < s[2]; ++i, ++f)
        {
            uint32_t stride = i == 0 ? static_cast<uint32_t>(s[3]) : 1;
            uint64_t hidden = static_cast<uint64_t>(std::llround(double(inC) * s[0]));
            std::string p = "features." + std::to_string(f) + ".";
            if (s[0] != 1)
            {
                m.Add(NsfLayer::Conv2d(p + "expand", hidden, 1, 1, 0, 1, false), {x});
                m.Add(NsfLayer::BatchNorm(p + "expand_bn"));
                m.Add(NsfLayer::Relu6(p + "expand_relu6"));
            }
            m.Add(NsfLayer::Conv2d(p + "dw",
                                   hidden,
                                   3,
                                   stride,
                                   1,
                                   static_cast<uint32_t>(hidden),
                                   false));
            m.Add(NsfLayer::BatchNorm(p + "dw_bn"));
            m.Add(NsfLayer::Relu6(p + "dw_relu6"));
            m.Add(NsfLayer::Conv2d(p + "project", outC, 1, 1, 0, 1, false));
            size_t out = m.Add(NsfLayer::BatchNorm(p + "project_bn"));
            if (stride == 1 && inC == outC)
            {
                out = m.Add(NsfLayer::Add(p + "add"), {out, x});
            }
            x = out;
            inC = outC;
        }
    }
    std::string p = "features." + std::to_string(f) + ".";
    m.Add(NsfLayer::Conv2d(p + "conv", lastC, 1, 1, 0, 1, false));
    m.Add(NsfLayer::BatchNorm(p + "bn"));
    m.Add(NsfLayer::Relu6(p + "relu6"));
    m.Add(NsfLayer::GlobalAvgPool("avgpool"));
    m.Add(NsfLayer::Flatten("flatten"));
    m.Add(NsfLayer::Dropout("dropout", 0.2));
    m.Add(NsfLayer::Linear("classifier", 1000));
    return m;
}

NsfModel
BuildSmallCnn(uint32_t bpe)
{
    NsfModel m("small-cnn", NsfShape{3, 32, 32}, bpe);
    m.Add(NsfLayer::Conv2d("conv1", 32, 3, 1, 1));
    m.Add(NsfLayer::Relu("relu1"));
    m.Add(NsfLayer::MaxPool("pool1", 2));
    m.Add(NsfLayer::Conv2d("conv2", 64, 3, 1, 1));
    m.Add(NsfLayer::Relu("relu2"));
    m.Add(NsfLayer::MaxPool("pool2", 2));
    m.Add(NsfLayer::Flatten("flatten"));
    m.Add(NsfLayer::Linear("fc1", 128));
    m.Add(NsfLayer::Relu("relu3"));
    m.Add(NsfLayer::Linear("fc2", 10));
    return m;
}

NsfModel
BuildMlp(uint32_t bpe)
{
    NsfModel m("mlp", NsfShape{1, 28, 28}, bpe);
    m.Add(NsfLayer::Flatten("flatten"));
    m.Add(NsfLayer::Linear("fc1", 256));
    m.Add(NsfLayer::Relu("relu1"));
    m.Add(NsfLayer::Linear("fc2", 128));
    m.Add(NsfLayer::Relu("relu2"));
    m.Add(NsfLayer::Linear("fc3", 10));
    return m;
}

uint64_t
RequireUnsigned(JsonReader& r, const std::string& key, uint64_t min, uint64_t max)
{
    if (!r.Has(key))
    {
        throw AisfcInputError(r.Place(key), "missing required whole number");
    }
    return r.GetUnsigned(key, 0, min, max);
}

constexpr uint64_t MAX_DIM = 1u << 24;
constexpr uint64_t MAX_WINDOW = 1u << 12;

} // namespace

std::string
NsfLayerTypeName(NsfLayerType type)
{
    for (const auto& e : g_layerTypes)
    {
        if (e.type == type)
        {
            return e.name;
        }
    }
    return "unknown";
}

std::string
NsfShape::ToString() const
{
    return std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w);
}

bool
NsfLayer::IsDepthwise() const
{
    return type == NsfLayerType::CONV2D && groups > 1 && groups == inChannels;
}

NsfLayer
NsfLayer::Conv2d(const std::string& name,
                 uint64_t outChannels,
                 uint32_t kernel,
                 uint32_t stride,
                 uint32_t padding,
                 uint32_t groups,
                 bool bias)
{
    NsfLayer l;
    l.name = name;
    l.type = NsfLayerType::CONV2D;
    l.outChannels = outChannels;
    l.kernel = kernel;
    l.stride = stride;
    l.padding = padding;
    l.groups = groups;
    l.bias = bias;
    return l;
}

namespace
{
NsfLayer
Simple(const std::string& name, NsfLayerType type)
{
    NsfLayer l;
    l.name = name;
    l.type = type;
    return l;
}

NsfLayer
Pool(const std::string& name, NsfLayerType type, uint32_t kernel, uint32_t stride, uint32_t pad)
{
    NsfLayer l = Simple(name, type);
    l.kernel = kernel;
    // PyTorch's pooling default: stride = kernel (non-overlapping windows).
    l.stride = stride == 0 ? kernel : stride;
    l.padding = pad;
    return l;
}
} // namespace

NsfLayer
NsfLayer::BatchNorm(const std::string& name)
{
    return Simple(name, NsfLayerType::BATCHNORM);
}

NsfLayer
NsfLayer::Relu(const std::string& name)
{
    return Simple(name, NsfLayerType::RELU);
}

NsfLayer
NsfLayer::Relu6(const std::string& name)
{
    return Simple(name, NsfLayerType::RELU6);
}

NsfLayer
NsfLayer::MaxPool(const std::string& name, uint32_t kernel, uint32_t stride, uint32_t padding)
{
    return Pool(name, NsfLayerType::MAXPOOL, kernel, stride, padding);
}

NsfLayer
NsfLayer::AvgPool(const std::string& name, uint32_t kernel, uint32_t stride, uint32_t padding)
{
    return Pool(name, NsfLayerType::AVGPOOL, kernel, stride, padding);
}

NsfLayer
NsfLayer::GlobalAvgPool(const std::string& name)
{
    return Simple(name, NsfLayerType::GLOBAL_AVGPOOL);
}

NsfLayer
NsfLayer::Flatten(const std::string& name)
{
    return Simple(name, NsfLayerType::FLATTEN);
}

NsfLayer
NsfLayer::Linear(const std::string& name, uint64_t outFeatures, bool bias)
{
    NsfLayer l = Simple(name, NsfLayerType::LINEAR);
    l.outChannels = outFeatures;
    l.bias = bias;
    return l;
}

NsfLayer
NsfLayer::Add(const std::string& name)
{
    return Simple(name, NsfLayerType::ADD);
}

NsfLayer
NsfLayer::Softmax(const std::string& name)
{
    return Simple(name, NsfLayerType::SOFTMAX);
}

NsfLayer
NsfLayer::Dropout(const std::string& name, double p)
{
    NsfLayer l = Simple(name, NsfLayerType::DROPOUT);
    l.dropout = p;
    return l;
}

NsfModel::NsfModel(std::string name, NsfShape input, uint32_t bytesPerElement)
    : m_name(std::move(name)),
      m_bytesPerElement(bytesPerElement)
{
    if (input.c == 0 || input.h == 0 || input.w == 0 || input.c > MAX_DIM || input.h > MAX_DIM ||
        input.w > MAX_DIM)
    {
        throw AisfcInputError("model '" + m_name + "'",
                              "input shape " + input.ToString() + " is empty or too large");
    }
    if (bytesPerElement == 0)
    {
        throw AisfcInputError("model '" + m_name + "'", "bytes per element must be positive");
    }
    NsfLayer in;
    in.name = "input";
    in.type = NsfLayerType::INPUT;
    in.shape = input;
    in.outputBytes = input.Elements() * m_bytesPerElement;
    m_layers.push_back(in);
    m_index[in.name] = 0;
    m_lastReader.push_back(0);
}

std::string
NsfModel::LayerPlace(const std::string& layer) const
{
    return "model '" + m_name + "' layer '" + layer + "'";
}

size_t
NsfModel::Add(NsfLayer l, std::vector<size_t> inputs, const std::string& place)
{
    const std::string where = place.empty() ? LayerPlace(l.name) : place;
    auto fail = [&where](const std::string& what) { throw AisfcInputError(where, what); };

    if (l.name.empty())
    {
        fail("a layer needs a name");
    }
    if (m_index.count(l.name))
    {
        fail("duplicate layer name '" + l.name + "'");
    }
    if (l.type == NsfLayerType::INPUT)
    {
        fail("only layer 0 is an input; give the input shape to the model");
    }
    if (inputs.empty())
    {
        inputs.push_back(m_layers.size() - 1);
    }
    for (size_t i : inputs)
    {
        if (i >= m_layers.size())
        {
            fail("input index " + std::to_string(i) + " is not an earlier layer");
        }
    }
    if (l.type == NsfLayerType::ADD ? inputs.size() < 2 : inputs.size() != 1)
    {
        fail(NsfLayerTypeName(l.type) + " takes " +
             (l.type == NsfLayerType::ADD ? std::string("two or more inputs")
                                          : std::string("one input")) +
             ", got " + std::to_string(inputs.size()));
    }
    l.inputs = inputs;
    const NsfShape in = m_layers[inputs[0]].shape;
    const uint64_t inElems = in.Elements();
    l.params = 0;
    l.macs = 0;
    l.forwardFlops = 0;

    auto checkWindow = [&](bool pooling) {
        if (l.kernel == 0 || l.stride == 0 || l.kernel > MAX_WINDOW || l.stride > MAX_WINDOW ||
            l.padding > MAX_WINDOW)
        {
            fail("kernel and stride must be in [1, " + std::to_string(MAX_WINDOW) +
                 "], padding at most " + std::to_string(MAX_WINDOW));
        }
        // PyTorch refuses pooling windows that could lie wholly in the padding.
        if (pooling && 2 * l.padding > l.kernel)
        {
            fail("padding " + std::to_string(l.padding) + " exceeds half the kernel " +
                 std::to_string(l.kernel));
        }
        if (in.h + 2 * l.padding < l.kernel || in.w + 2 * l.padding < l.kernel)
        {
            fail("kernel " + std::to_string(l.kernel) + " is larger than the padded input " +
                 in.ToString());
        }
    };

    switch (l.type)
    {
    case NsfLayerType::CONV2D: {
        if (l.inChannels != 0 && l.inChannels != in.c)
        {
            fail("in_channels " + std::to_string(l.inChannels) + " does not match the input's " +
                 std::to_string(in.c) + " channels (" + in.ToString() + ")");
        }
        l.inChannels = in.c;
        if (l.outChannels == 0 || l.outChannels > MAX_DIM)
        {
            fail("out_channels must be in [1, " + std::to_string(MAX_DIM) + "]");
        }
        if (l.groups == 0 || l.inChannels % l.groups != 0 || l.outChannels % l.groups != 0)
        {
            fail("groups " + std::to_string(l.groups) + " must divide in_channels " +
                 std::to_string(l.inChannels) + " and out_channels " +
                 std::to_string(l.outChannels));
        }
        checkWindow(false);
        l.shape = NsfShape{l.outChannels,
                           WindowOut(in.h, l.kernel, l.stride, l.padding),
                           WindowOut(in.w, l.kernel, l.stride, l.padding)};
        const uint64_t perOutput = (l.inChannels / l.groups) * l.kernel * l.kernel;
        l.params = l.outChannels * perOutput + (l.bias ? l.outChannels : 0);
        l.macs = l.shape.Elements() * perOutput;
        l.forwardFlops = 2 * l.macs;
        break;
    }
    case NsfLayerType::LINEAR: {
        if (in.h != 1 || in.w != 1)
        {
            fail("linear needs a vector input (C x 1 x 1), got " + in.ToString() +
                 ": add a flatten layer");
        }
        if (l.inChannels != 0 && l.inChannels != in.c)
        {
            fail("in_features " + std::to_string(l.inChannels) + " does not match the input's " +
                 std::to_string(in.c) + " features");
        }
        l.inChannels = in.c;
        if (l.outChannels == 0 || l.outChannels > MAX_DIM)
        {
            fail("out_features must be in [1, " + std::to_string(MAX_DIM) + "]");
        }
        l.shape = NsfShape{l.outChannels, 1, 1};
        l.params = l.inChannels * l.outChannels + (l.bias ? l.outChannels : 0);
        l.macs = l.inChannels * l.outChannels;
        l.forwardFlops = 2 * l.macs;
        break;
    }
    case NsfLayerType::BATCHNORM:
        l.shape = in;
        l.params = 2 * in.c; // gamma and beta; running statistics are buffers, not parameters
        l.forwardFlops = 2 * inElems;
        break;
    case NsfLayerType::RELU:
    case NsfLayerType::RELU6:
        l.shape = in;
        l.forwardFlops = inElems;
        break;
    case NsfLayerType::MAXPOOL:
    case NsfLayerType::AVGPOOL: {
        checkWindow(true);
        l.shape = NsfShape{in.c,
                           WindowOut(in.h, l.kernel, l.stride, l.padding),
                           WindowOut(in.w, l.kernel, l.stride, l.padding)};
        const uint64_t window = uint64_t(l.kernel) * l.kernel;
        l.forwardFlops =
            l.shape.Elements() * (l.type == NsfLayerType::MAXPOOL ? window - 1 : window);
        break;
    }
    case NsfLayerType::GLOBAL_AVGPOOL:
        l.shape = NsfShape{in.c, 1, 1};
        l.forwardFlops = inElems;
        break;
    case NsfLayerType::FLATTEN:
        l.shape = NsfShape{inElems, 1, 1};
        break;
    case NsfLayerType::ADD:
        for (size_t i : inputs)
        {
            if (m_layers[i].shape != in)
            {
                fail("add needs inputs of one shape: '" + m_layers[inputs[0]].name + "' is " +
                     in.ToString() + ", '" + m_layers[i].name + "' is " +
                     m_layers[i].shape.ToString());
            }
        }
        l.shape = in;
        l.forwardFlops = (inputs.size() - 1) * inElems;
        break;
    case NsfLayerType::SOFTMAX:
        l.shape = in;
        l.forwardFlops = 3 * inElems;
        break;
    case NsfLayerType::DROPOUT:
        if (!(l.dropout >= 0.0 && l.dropout < 1.0))
        {
            fail("dropout probability must be in [0, 1)");
        }
        l.shape = in;
        break;
    case NsfLayerType::INPUT:
        break;
    }
    if (l.shape.c > MAX_DIM)
    {
        fail("output shape " + l.shape.ToString() + " is too large");
    }
    l.backwardFlops = HasWeights(l.type) ? 2 * l.forwardFlops : l.forwardFlops;
    l.outputBytes = l.shape.Elements() * m_bytesPerElement;

    const size_t index = m_layers.size();
    for (size_t i : inputs)
    {
        m_lastReader[i] = std::max(m_lastReader[i], index);
    }
    m_index[l.name] = index;
    m_layers.push_back(std::move(l));
    m_lastReader.push_back(index);
    return index;
}

const std::string&
NsfModel::GetName() const
{
    return m_name;
}

uint32_t
NsfModel::GetBytesPerElement() const
{
    return m_bytesPerElement;
}

const std::vector<NsfLayer>&
NsfModel::GetLayers() const
{
    return m_layers;
}

const NsfLayer&
NsfModel::GetLayer(size_t index) const
{
    return m_layers.at(index);
}

size_t
NsfModel::GetLayerCount() const
{
    return m_layers.size();
}

size_t
NsfModel::IndexOf(const std::string& name) const
{
    auto it = m_index.find(name);
    if (it == m_index.end())
    {
        throw AisfcInputError("model '" + m_name + "'", "no layer named '" + name + "'");
    }
    return it->second;
}

bool
NsfModel::HasLayer(const std::string& name) const
{
    return m_index.count(name) != 0;
}

NsfShape
NsfModel::GetInputShape() const
{
    return m_layers.front().shape;
}

NsfShape
NsfModel::GetOutputShape() const
{
    return m_layers.back().shape;
}

uint64_t
NsfModel::GetParams() const
{
    uint64_t n = 0;
    for (const auto& l : m_layers)
    {
        n += l.params;
    }
    return n;
}

uint64_t
NsfModel::GetParamBytes() const
{
    return GetParams() * m_bytesPerElement;
}

uint64_t
NsfModel::GetMacs() const
{
    uint64_t n = 0;
    for (const auto& l : m_layers)
    {
        n += l.macs;
    }
    return n;
}

uint64_t
NsfModel::GetForwardFlops() const
{
    uint64_t n = 0;
    for (const auto& l : m_layers)
    {
        n += l.forwardFlops;
    }
    return n;
}

uint64_t
NsfModel::GetBackwardFlops() const
{
    uint64_t n = 0;
    for (const auto& l : m_layers)
    {
        n += l.backwardFlops;
    }
    return n;
}

uint64_t
NsfModel::GetInputBytes() const
{
    return m_layers.front().outputBytes;
}

uint64_t
NsfModel::GetOutputBytes() const
{
    return m_layers.back().outputBytes;
}

bool
NsfModel::CanCutAfter(size_t k, std::string* why) const
{
    auto no = [why](const std::string& reason) {
        if (why)
        {
            *why = reason;
        }
        return false;
    };
    if (k == 0)
    {
        return no("a cut after the input leaves an empty sub-model");
    }
    if (k + 1 >= m_layers.size())
    {
        return no(k + 1 == m_layers.size() ? "a cut after the last layer leaves an empty sub-model"
                                           : "no such layer");
    }
    // Tensors crossing the cut: outputs of layers up to k read by a layer after k.
    std::vector<std::string> crossing;
    bool ownCrosses = false;
    for (size_t j = 0; j <= k; ++j)
    {
        if (m_lastReader[j] > k)
        {
            if (j == k)
            {
                ownCrosses = true;
            }
            else
            {
                crossing.push_back(m_layers[j].name);
            }
        }
    }
    if (!crossing.empty())
    {
        std::string list;
        for (const auto& n : crossing)
        {
            list += (list.empty() ? "'" : ", '") + n + "'";
        }
        return no(std::to_string(crossing.size() + (ownCrosses ? 1 : 0)) +
                  " tensors cross the cut (also the output of " + list +
                  "): a cut is valid only where exactly one tensor crosses, not inside a "
                  "residual block");
    }
    if (!ownCrosses)
    {
        return no("no later layer reads its output");
    }
    return true;
}

NsfSubModel
NsfModel::MakeSubModel(size_t index, size_t first, size_t last) const
{
    NsfSubModel s;
    s.name = m_name + "/" + std::to_string(index);
    s.index = index;
    s.firstLayer = first;
    s.lastLayer = last;
    const size_t inTensor = first == 0 ? 0 : first - 1;
    s.inputShape = m_layers[inTensor].shape;
    s.inputBytes = m_layers[inTensor].outputBytes;
    s.outputShape = m_layers[last].shape;
    s.outputBytes = m_layers[last].outputBytes;
    s.storedActivationBytes = first == 0 ? 0 : s.inputBytes;
    for (size_t i = first; i <= last; ++i)
    {
        const NsfLayer& l = m_layers[i];
        s.layers.push_back(l);
        s.params += l.params;
        s.macs += l.macs;
        s.forwardFlops += l.forwardFlops;
        s.backwardFlops += l.backwardFlops;
        s.storedActivationBytes += l.outputBytes;
    }
    s.paramBytes = s.params * m_bytesPerElement;
    // A tensor stays in memory from its producer to its last reader; the sub-model's output
    // stays until it is sent.  Running the layers in order, the peak is the largest live set.
    auto end = [&](size_t t) { return t == last ? last : std::min(m_lastReader[t], last); };
    for (size_t i = first; i <= last; ++i)
    {
        uint64_t live = 0;
        for (size_t t = inTensor; t <= i; ++t)
        {
            if (t == i || end(t) >= i)
            {
                live += m_layers[t].outputBytes;
            }
        }
        s.peakActivationBytes = std::max(s.peakActivationBytes, live);
    }
    return s;
}

std::vector<NsfSubModel>
NsfModel::SplitAtIndexes(const std::vector<size_t>& cutAfter) const
{
    std::vector<NsfSubModel> out;
    size_t first = 0;
    for (size_t k : cutAfter)
    {
        const std::string name = k < m_layers.size() ? m_layers[k].name : std::to_string(k);
        const std::string place = "model '" + m_name + "': cut after '" + name + "'";
        if (k < first)
        {
            throw AisfcInputError(place,
                                  "cut points must be distinct and in model order (after '" +
                                      m_layers[first - 1].name + "')");
        }
        std::string why;
        if (!CanCutAfter(k, &why))
        {
            throw AisfcInputError(place, why);
        }
        out.push_back(MakeSubModel(out.size(), first, k));
        first = k + 1;
    }
    out.push_back(MakeSubModel(out.size(), first, m_layers.size() - 1));
    return out;
}

std::vector<NsfSubModel>
NsfModel::Split(const std::vector<std::string>& cutAfter) const
{
    std::vector<size_t> idx;
    for (const auto& n : cutAfter)
    {
        auto it = m_index.find(n);
        if (it == m_index.end())
        {
            throw AisfcInputError("model '" + m_name + "': cut after '" + n + "'",
                                  "no layer of that name");
        }
        idx.push_back(it->second);
    }
    return SplitAtIndexes(idx);
}

NsfSubModel
NsfModel::Whole() const
{
    return MakeSubModel(0, 0, m_layers.size() - 1);
}

nlohmann::json
NsfModel::ToJson() const
{
    nlohmann::json layers = nlohmann::json::array();
    for (size_t i = 1; i < m_layers.size(); ++i)
    {
        const NsfLayer& l = m_layers[i];
        nlohmann::json j;
        j["name"] = l.name;
        j["type"] = NsfLayerTypeName(l.type);
        if (!(l.inputs.size() == 1 && l.inputs[0] == i - 1))
        {
            nlohmann::json in = nlohmann::json::array();
            for (size_t k : l.inputs)
            {
                in.push_back(m_layers[k].name);
            }
            j["inputs"] = in;
        }
        switch (l.type)
        {
        case NsfLayerType::CONV2D:
            j["in_channels"] = l.inChannels;
            j["out_channels"] = l.outChannels;
            j["kernel"] = l.kernel;
            j["stride"] = l.stride;
            j["padding"] = l.padding;
            j["groups"] = l.groups;
            j["bias"] = l.bias;
            break;
        case NsfLayerType::LINEAR:
            j["in_features"] = l.inChannels;
            j["out_features"] = l.outChannels;
            j["bias"] = l.bias;
            break;
        case NsfLayerType::MAXPOOL:
        case NsfLayerType::AVGPOOL:
            j["kernel"] = l.kernel;
            j["stride"] = l.stride;
            j["padding"] = l.padding;
            break;
        case NsfLayerType::DROPOUT:
            j["p"] = l.dropout;
            break;
        default:
            break;
        }
        layers.push_back(j);
    }
    const NsfShape in = GetInputShape();
    return nlohmann::json{{"name", m_name},
                          {"input", {in.c, in.h, in.w}},
                          {"bytes_per_element", m_bytesPerElement},
                          {"layers", layers}};
}

NsfModel
NsfModel::FromJson(const nlohmann::json& doc, const std::string& source)
{
    JsonReader root(doc, source);
    const std::string name = root.RequireString("name");
    const nlohmann::json& inJ = root.RequireValue("input");
    bool okShape = inJ.is_array() && inJ.size() == 3;
    for (size_t i = 0; okShape && i < 3; ++i)
    {
        okShape = inJ[i].is_number_unsigned() && inJ[i].get<uint64_t>() >= 1 &&
                  inJ[i].get<uint64_t>() <= MAX_DIM;
    }
    if (!okShape)
    {
        throw AisfcInputError(root.Place("input"),
                              "expected [C, H, W], whole numbers in [1, " +
                                  std::to_string(MAX_DIM) + "], got " + inJ.dump());
    }
    const uint32_t bpe = static_cast<uint32_t>(root.GetUnsigned("bytes_per_element", 4, 1, 16));
    if (!root.Has("layers"))
    {
        throw AisfcInputError(root.Place("layers"), "missing required array of layers");
    }
    std::vector<JsonReader> layers = root.GetObjectArray("layers");
    if (layers.empty())
    {
        throw AisfcInputError(root.Place("layers"), "a model needs at least one layer");
    }
    root.Finish();

    NsfModel m(name,
               NsfShape{inJ[0].get<uint64_t>(), inJ[1].get<uint64_t>(), inJ[2].get<uint64_t>()},
               bpe);
    for (JsonReader& r : layers)
    {
        NsfLayer l;
        l.name = r.RequireString("name");
        const std::string type = r.RequireString("type");
        bool found = false;
        for (const auto& e : g_layerTypes)
        {
            if (type == e.name && e.type != NsfLayerType::INPUT)
            {
                l.type = e.type;
                found = true;
            }
        }
        if (!found)
        {
            throw AisfcInputError(r.Place("type"),
                                  type == "input"
                                      ? "the input layer is implicit: give its shape in /input"
                                      : "unknown layer type '" + type +
                                            "' (known: " + KnownTypeNames() + ")");
        }
        std::vector<size_t> inputs;
        if (r.Has("inputs"))
        {
            const nlohmann::json& arr = r.RequireValue("inputs");
            if (!arr.is_array() || arr.empty())
            {
                throw AisfcInputError(r.Place("inputs"),
                                      "expected a non-empty array of layer names, got " +
                                          arr.dump());
            }
            for (size_t i = 0; i < arr.size(); ++i)
            {
                const std::string place = r.Place("inputs") + "/" + std::to_string(i);
                if (!arr[i].is_string())
                {
                    throw AisfcInputError(place, "expected a layer name, got " + arr[i].dump());
                }
                const std::string in = arr[i].get<std::string>();
                if (!m.HasLayer(in))
                {
                    throw AisfcInputError(place, "no earlier layer named '" + in + "'");
                }
                inputs.push_back(m.IndexOf(in));
            }
        }
        switch (l.type)
        {
        case NsfLayerType::CONV2D:
            l.inChannels = r.GetUnsigned("in_channels", 0, 1, MAX_DIM);
            l.outChannels = RequireUnsigned(r, "out_channels", 1, MAX_DIM);
            l.kernel = static_cast<uint32_t>(RequireUnsigned(r, "kernel", 1, MAX_WINDOW));
            l.stride = static_cast<uint32_t>(r.GetUnsigned("stride", 1, 1, MAX_WINDOW));
            l.padding = static_cast<uint32_t>(r.GetUnsigned("padding", 0, 0, MAX_WINDOW));
            l.groups = static_cast<uint32_t>(r.GetUnsigned("groups", 1, 1, MAX_DIM));
            l.bias = r.GetBool("bias", true); // PyTorch's default
            break;
        case NsfLayerType::LINEAR:
            l.inChannels = r.GetUnsigned("in_features", 0, 1, MAX_DIM);
            l.outChannels = RequireUnsigned(r, "out_features", 1, MAX_DIM);
            l.bias = r.GetBool("bias", true);
            break;
        case NsfLayerType::MAXPOOL:
        case NsfLayerType::AVGPOOL:
            l.kernel = static_cast<uint32_t>(RequireUnsigned(r, "kernel", 1, MAX_WINDOW));
            l.stride = static_cast<uint32_t>(r.GetUnsigned("stride", l.kernel, 1, MAX_WINDOW));
            l.padding = static_cast<uint32_t>(r.GetUnsigned("padding", 0, 0, MAX_WINDOW));
            break;
        case NsfLayerType::DROPOUT:
            l.dropout = r.GetNumber("p", 0.5);
            if (!(l.dropout >= 0.0 && l.dropout < 1.0))
            {
                throw AisfcInputError(r.Place("p"), "dropout probability must be in [0, 1)");
            }
            break;
        default:
            break;
        }
        r.Finish();
        m.Add(std::move(l), inputs, r.Place());
    }
    return m;
}

NsfModel
NsfModel::ReadJsonFile(const std::string& path)
{
    return FromJson(ns3::ReadJsonFile(path), path);
}

NsfModel
NsfModel::BuiltIn(const std::string& name, uint32_t bytesPerElement)
{
    if (name == "vgg16")
    {
        return BuildVgg16(bytesPerElement);
    }
    if (name == "resnet18")
    {
        return BuildResnet18(bytesPerElement);
    }
    if (name == "mobilenetv2")
    {
        return BuildMobilenetV2(bytesPerElement, 1.0);
    }
    if (name == "small-cnn")
    {
        return BuildSmallCnn(bytesPerElement);
    }
    if (name == "mlp")
    {
        return BuildMlp(bytesPerElement);
    }
    std::string known;
    for (const auto& n : BuiltInNames())
    {
        known += (known.empty() ? "" : ", ") + n;
    }
    throw AisfcInputError("model '" + name + "'", "unknown built-in model (known: " + known + ")");
}

std::vector<std::string>
NsfModel::BuiltInNames()
{
    return {"vgg16", "resnet18", "mobilenetv2", "small-cnn", "mlp"};
}

} // namespace ns3
