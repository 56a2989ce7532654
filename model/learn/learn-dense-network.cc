/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "learn-dense-network.h"

#include "ns3/aisfc-error.h"

#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace ns3
{

namespace
{

// Byte order is fixed (little-endian) rather than native so that tensors and weights written by
// one host read back the same on any other.

void
PutU8(std::vector<uint8_t>& out, uint8_t v)
{
    out.push_back(v);
}

void
PutU32(std::vector<uint8_t>& out, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
    {
        out.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
}

void
PutU64(std::vector<uint8_t>& out, uint64_t v)
{
    for (int i = 0; i < 8; ++i)
    {
        out.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
}

void
PutReal(std::vector<uint8_t>& out, double v, bool float32)
{
    if (float32)
    {
        float f = static_cast<float>(v);
        uint32_t bits;
        std::memcpy(&bits, &f, sizeof bits);
        PutU32(out, bits);
    }
    else
    {
        uint64_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        PutU64(out, bits);
    }
}

/// Sequential reader whose errors name the place and the offset of the bad field.
class ByteReader
{
  public:
    ByteReader(const uint8_t* data, size_t size, const std::string& place)
        : m_data(data),
          m_size(size),
          m_place(place)
    {
    }

    [[noreturn]] void Fail(size_t offset, const std::string& what) const
    {
        throw AisfcInputError(m_place + " at offset " + std::to_string(offset), what);
    }

    void Need(size_t n, const char* what) const
    {
        if (m_size - m_offset < n)
        {
            Fail(m_offset,
                 std::string("truncated ") + what + ": need " + std::to_string(n) + " bytes, " +
                     std::to_string(m_size - m_offset) + " left");
        }
    }

    uint8_t U8(const char* what)
    {
        Need(1, what);
        return m_data[m_offset++];
    }

    uint32_t U32(const char* what)
    {
        Need(4, what);
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
        {
            v |= static_cast<uint32_t>(m_data[m_offset + i]) << (8 * i);
        }
        m_offset += 4;
        return v;
    }

    /// Elements already checked to be present by the caller.
    double Real(bool float32)
    {
        if (float32)
        {
            uint32_t bits = 0;
            for (int i = 0; i < 4; ++i)
            {
                bits |= static_cast<uint32_t>(m_data[m_offset + i]) << (8 * i);
            }
            m_offset += 4;
            float f;
            std::memcpy(&f, &bits, sizeof f);
            return f;
        }
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i)
        {
            bits |= static_cast<uint64_t>(m_data[m_offset + i]) << (8 * i);
        }
        m_offset += 8;
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }

    /// Check that count elements of the given width follow, without overflowing.
    void NeedElements(uint64_t count, size_t width, const char* what) const
    {
        if (count > (m_size - m_offset) / width)
        {
            Fail(m_offset,
                 std::string("truncated ") + what + ": " + std::to_string(count) +
                     " elements need " + (width == 4 ? "4" : "8") + " bytes each, " +
                     std::to_string(m_size - m_offset) + " bytes left");
        }
    }

    size_t Offset() const
    {
        return m_offset;
    }

    size_t Left() const
    {
        return m_size - m_offset;
    }

  private:
    const uint8_t* m_data;
    size_t m_size;
    size_t m_offset = 0;
    std::string m_place;
};

/// Element type byte of MatrixToBytes and Serialize.
uint8_t
ElementType(bool float32)
{
    return float32 ? 1 : 0;
}

void
Activate(LearnActivation activation, Eigen::MatrixXd& z)
{
    switch (activation)
    {
    case LearnActivation::IDENTITY:
        break;
    case LearnActivation::RELU:
        z = z.cwiseMax(0.0);
        break;
    case LearnActivation::TANH:
        z = z.array().tanh();
        break;
    case LearnActivation::SIGMOID:
        // exp(-z) overflows to +inf for z < -709, which still gives the right limit 0.
        z = (1.0 + (-z.array()).exp()).inverse();
        break;
    }
}

/// Turn dLoss/dOutput into dLoss/dPreactivation, using the layer output y.
void
MultiplyByDerivative(LearnActivation activation, const Eigen::MatrixXd& y, Eigen::MatrixXd& g)
{
    switch (activation)
    {
    case LearnActivation::IDENTITY:
        break;
    case LearnActivation::RELU:
        // y > 0 exactly when z > 0; select rather than multiply so an inf or NaN gradient on an
        // inactive unit is not turned into NaN.
        g = (y.array() > 0.0).select(g, 0.0);
        break;
    case LearnActivation::TANH:
        g.array() *= 1.0 - y.array().square();
        break;
    case LearnActivation::SIGMOID:
        g.array() *= y.array() * (1.0 - y.array());
        break;
    }
}

void
CheckOptimizer(const LearnOptimizer& o)
{
    if (!(o.learningRate > 0.0) || !std::isfinite(o.learningRate))
    {
        throw std::invalid_argument("LearnOptimizer: learning rate must be positive");
    }
    if (o.kind == LearnOptimizer::SGD && !(o.momentum >= 0.0 && o.momentum < 1.0))
    {
        throw std::invalid_argument("LearnOptimizer: momentum must be in [0, 1)");
    }
    if (o.kind == LearnOptimizer::ADAM &&
        !(o.beta1 >= 0.0 && o.beta1 < 1.0 && o.beta2 >= 0.0 && o.beta2 < 1.0 && o.epsilon > 0.0))
    {
        throw std::invalid_argument("LearnOptimizer: Adam needs betas in [0, 1) and epsilon > 0");
    }
    if (o.kind != LearnOptimizer::SGD && o.kind != LearnOptimizer::ADAM)
    {
        throw std::invalid_argument("LearnOptimizer: unknown kind");
    }
}

} // namespace

std::string
LearnActivationName(LearnActivation activation)
{
    switch (activation)
    {
    case LearnActivation::IDENTITY:
        return "identity";
    case LearnActivation::RELU:
        return "relu";
    case LearnActivation::TANH:
        return "tanh";
    case LearnActivation::SIGMOID:
        return "sigmoid";
    }
    return "unknown";
}

LearnActivation
LearnActivationFromName(const std::string& name, const std::string& place)
{
    if (name == "identity" || name == "linear")
    {
        return LearnActivation::IDENTITY;
    }
    if (name == "relu")
    {
        return LearnActivation::RELU;
    }
    if (name == "tanh")
    {
        return LearnActivation::TANH;
    }
    if (name == "sigmoid")
    {
        return LearnActivation::SIGMOID;
    }
    throw AisfcInputError(place,
                          "unknown activation '" + name +
                              "' (expected identity, linear, relu, tanh or sigmoid)");
}

LearnOptimizer
LearnOptimizer::Sgd(double learningRate, double momentum)
{
    LearnOptimizer o;
    o.kind = SGD;
    o.learningRate = learningRate;
    o.momentum = momentum;
    return o;
}

LearnOptimizer
LearnOptimizer::Adam(double learningRate, double beta1, double beta2, double epsilon)
{
    LearnOptimizer o;
    o.kind = ADAM;
    o.learningRate = learningRate;
    o.beta1 = beta1;
    o.beta2 = beta2;
    o.epsilon = epsilon;
    return o;
}

size_t
LearnDenseCache::Bytes() const
{
    size_t n = 0;
    for (const auto& a : activations)
    {
        n += static_cast<size_t>(a.size()) * sizeof(double);
    }
    return n;
}

void
LearnDenseCache::Clear()
{
    activations.clear();
}

LearnDenseNetwork::LearnDenseNetwork(const std::vector<size_t>& sizes,
                                     LearnActivation hidden,
                                     LearnActivation output,
                                     uint64_t seed)
    : LearnDenseNetwork(
          sizes,
          [&] {
              std::vector<LearnActivation> a(sizes.size() > 1 ? sizes.size() - 1 : 0, hidden);
              if (!a.empty())
              {
                  a.back() = output;
              }
              return a;
          }(),
          seed)
{
}

LearnDenseNetwork::LearnDenseNetwork(const std::vector<size_t>& sizes,
                                     const std::vector<LearnActivation>& activations,
                                     uint64_t seed)
{
    if (sizes.size() < 2)
    {
        throw std::invalid_argument("LearnDenseNetwork: need an input size and at least one "
                                    "layer size");
    }
    if (activations.size() != sizes.size() - 1)
    {
        throw std::invalid_argument("LearnDenseNetwork: " + std::to_string(sizes.size() - 1) +
                                    " layers but " + std::to_string(activations.size()) +
                                    " activations");
    }
    for (size_t s : sizes)
    {
        if (s == 0 || s > static_cast<size_t>(std::numeric_limits<uint32_t>::max()))
        {
            throw std::invalid_argument("LearnDenseNetwork: layer sizes must be in [1, 2^32)");
        }
    }
    for (size_t l = 0; l + 1 < sizes.size(); ++l)
    {
        AddLayer(sizes[l], sizes[l + 1], activations[l]);
    }
    Initialize(seed);
}

void
LearnDenseNetwork::AddLayer(size_t in, size_t out, LearnActivation activation)
{
    Layer layer;
    const auto r = static_cast<Eigen::Index>(out);
    const auto c = static_cast<Eigen::Index>(in);
    layer.w = Eigen::MatrixXd::Zero(r, c);
    layer.b = Eigen::VectorXd::Zero(r);
    layer.activation = activation;
    layer.dw = Eigen::MatrixXd::Zero(r, c);
    layer.db = Eigen::VectorXd::Zero(r);
    m_layers.push_back(std::move(layer));
}

void
LearnDenseNetwork::Initialize(uint64_t seed)
{
    std::mt19937_64 rng(seed);
    for (Layer& layer : m_layers)
    {
        const double fanIn = static_cast<double>(layer.w.cols());
        const double fanOut = static_cast<double>(layer.w.rows());
        // He for ReLU keeps the activation variance constant through layers that zero half
        // their inputs; Xavier balances forward and backward variance for the others.
        const double limit = layer.activation == LearnActivation::RELU
                                 ? std::sqrt(6.0 / fanIn)
                                 : std::sqrt(6.0 / (fanIn + fanOut));
        double* w = layer.w.data(); // column-major storage: the documented draw order
        for (Eigen::Index i = 0; i < layer.w.size(); ++i)
        {
            w[i] = limit * (2.0 * LearnUniform01(rng) - 1.0);
        }
        layer.b.setZero();
        layer.dw.setZero();
        layer.db.setZero();
    }
    ResetOptimizerState();
    m_cache.Clear();
}

void
LearnDenseNetwork::ResetOptimizerState()
{
    for (Layer& layer : m_layers)
    {
        layer.mw = Eigen::MatrixXd::Zero(layer.w.rows(), layer.w.cols());
        layer.mb = Eigen::VectorXd::Zero(layer.b.size());
        if (m_optimizer.kind == LearnOptimizer::ADAM)
        {
            layer.vw = Eigen::MatrixXd::Zero(layer.w.rows(), layer.w.cols());
            layer.vb = Eigen::VectorXd::Zero(layer.b.size());
        }
        else
        {
            layer.vw.resize(0, 0);
            layer.vb.resize(0);
        }
    }
    m_steps = 0;
}

size_t
LearnDenseNetwork::LayerCount() const
{
    return m_layers.size();
}

size_t
LearnDenseNetwork::InputSize() const
{
    return m_layers.empty() ? 0 : static_cast<size_t>(m_layers.front().w.cols());
}

size_t
LearnDenseNetwork::OutputSize() const
{
    return m_layers.empty() ? 0 : static_cast<size_t>(m_layers.back().w.rows());
}

std::vector<size_t>
LearnDenseNetwork::LayerSizes() const
{
    std::vector<size_t> sizes;
    if (m_layers.empty())
    {
        return sizes;
    }
    sizes.push_back(InputSize());
    for (const Layer& layer : m_layers)
    {
        sizes.push_back(static_cast<size_t>(layer.w.rows()));
    }
    return sizes;
}

const LearnDenseNetwork::Layer&
LearnDenseNetwork::At(size_t layer) const
{
    if (layer >= m_layers.size())
    {
        throw std::out_of_range("LearnDenseNetwork: layer " + std::to_string(layer) +
                                " of a network with " + std::to_string(m_layers.size()) +
                                " layers");
    }
    return m_layers[layer];
}

LearnActivation
LearnDenseNetwork::GetActivation(size_t layer) const
{
    return At(layer).activation;
}

const Eigen::MatrixXd&
LearnDenseNetwork::GetWeights(size_t layer) const
{
    return At(layer).w;
}

const Eigen::VectorXd&
LearnDenseNetwork::GetBias(size_t layer) const
{
    return At(layer).b;
}

const Eigen::MatrixXd&
LearnDenseNetwork::GetWeightGradient(size_t layer) const
{
    return At(layer).dw;
}

const Eigen::VectorXd&
LearnDenseNetwork::GetBiasGradient(size_t layer) const
{
    return At(layer).db;
}

void
LearnDenseNetwork::CheckInput(const Eigen::MatrixXd& x) const
{
    if (m_layers.empty())
    {
        throw std::logic_error("LearnDenseNetwork: forward pass through an empty network");
    }
    if (static_cast<size_t>(x.rows()) != InputSize())
    {
        throw std::invalid_argument("LearnDenseNetwork: input has " + std::to_string(x.rows()) +
                                    " rows, the network expects " + std::to_string(InputSize()));
    }
}

Eigen::MatrixXd
LearnDenseNetwork::Forward(const Eigen::MatrixXd& x)
{
    return Forward(x, m_cache);
}

Eigen::MatrixXd
LearnDenseNetwork::Forward(const Eigen::MatrixXd& x, LearnDenseCache& cache) const
{
    CheckInput(x);
    cache.activations.resize(m_layers.size() + 1);
    cache.activations[0] = x;
    for (size_t l = 0; l < m_layers.size(); ++l)
    {
        const Layer& layer = m_layers[l];
        Eigen::MatrixXd& y = cache.activations[l + 1];
        y.noalias() = layer.w * cache.activations[l];
        y.colwise() += layer.b;
        Activate(layer.activation, y);
    }
    return cache.activations.back();
}

Eigen::MatrixXd
LearnDenseNetwork::Predict(const Eigen::MatrixXd& x) const
{
    // The same operations as Forward, so a policy acts on exactly the values it was trained on.
    CheckInput(x);
    Eigen::MatrixXd a = x;
    Eigen::MatrixXd y;
    for (const Layer& layer : m_layers)
    {
        y.noalias() = layer.w * a;
        y.colwise() += layer.b;
        Activate(layer.activation, y);
        a.swap(y);
    }
    return a;
}

Eigen::MatrixXd
LearnDenseNetwork::Backward(const Eigen::MatrixXd& gradOutput)
{
    return Backward(gradOutput, m_cache);
}

Eigen::MatrixXd
LearnDenseNetwork::Backward(const Eigen::MatrixXd& gradOutput, const LearnDenseCache& cache)
{
    return Backpropagate(gradOutput, cache, true);
}

void
LearnDenseNetwork::BackwardParameters(const Eigen::MatrixXd& gradOutput)
{
    Backpropagate(gradOutput, m_cache, false);
}

Eigen::MatrixXd
LearnDenseNetwork::Backpropagate(const Eigen::MatrixXd& gradOutput,
                                 const LearnDenseCache& cache,
                                 bool inputGradient)
{
    if (m_layers.empty() || cache.activations.size() != m_layers.size() + 1)
    {
        throw std::logic_error("LearnDenseNetwork: Backward without a matching Forward");
    }
    for (size_t l = 0; l <= m_layers.size(); ++l)
    {
        const size_t rows = l == 0 ? InputSize() : static_cast<size_t>(m_layers[l - 1].w.rows());
        if (static_cast<size_t>(cache.activations[l].rows()) != rows)
        {
            throw std::logic_error("LearnDenseNetwork: cache made by another network");
        }
    }
    const Eigen::MatrixXd& out = cache.activations.back();
    if (gradOutput.rows() != out.rows() || gradOutput.cols() != out.cols())
    {
        throw std::invalid_argument("LearnDenseNetwork: output gradient is " +
                                    std::to_string(gradOutput.rows()) + "x" +
                                    std::to_string(gradOutput.cols()) + ", the cached output is " +
                                    std::to_string(out.rows()) + "x" + std::to_string(out.cols()));
    }
    Eigen::MatrixXd g = gradOutput;
    Eigen::MatrixXd gIn;
    for (size_t l = m_layers.size(); l-- > 0;)
    {
        Layer& layer = m_layers[l];
        MultiplyByDerivative(layer.activation, cache.activations[l + 1], g);
        layer.dw.noalias() += g * cache.activations[l].transpose();
        layer.db.noalias() += g.rowwise().sum();
        if (l == 0 && !inputGradient)
        {
            return Eigen::MatrixXd();
        }
        // Computed for the first layer too: it is the tensor a split stage sends upstream, and
        // doing it in every slice alike is what keeps split and unsplit training bit-identical.
        gIn.noalias() = layer.w.transpose() * g;
        g.swap(gIn);
    }
    return g;
}

const LearnDenseCache&
LearnDenseNetwork::GetCache() const
{
    return m_cache;
}

void
LearnDenseNetwork::ClearCache()
{
    m_cache.Clear();
}

void
LearnDenseNetwork::ZeroGrad()
{
    for (Layer& layer : m_layers)
    {
        layer.dw.setZero();
        layer.db.setZero();
    }
}

void
LearnDenseNetwork::SetOptimizer(const LearnOptimizer& optimizer)
{
    CheckOptimizer(optimizer);
    m_optimizer = optimizer;
    ResetOptimizerState();
}

const LearnOptimizer&
LearnDenseNetwork::GetOptimizer() const
{
    return m_optimizer;
}

uint64_t
LearnDenseNetwork::GetStepCount() const
{
    return m_steps;
}

void
LearnDenseNetwork::Step()
{
    ++m_steps;
    const LearnOptimizer& o = m_optimizer;
    if (o.kind == LearnOptimizer::SGD)
    {
        for (Layer& layer : m_layers)
        {
            if (o.momentum > 0.0)
            {
                layer.mw = o.momentum * layer.mw + layer.dw;
                layer.mb = o.momentum * layer.mb + layer.db;
                layer.w -= o.learningRate * layer.mw;
                layer.b -= o.learningRate * layer.mb;
            }
            else
            {
                layer.w -= o.learningRate * layer.dw;
                layer.b -= o.learningRate * layer.db;
            }
        }
        return;
    }
    const double t = static_cast<double>(m_steps);
    const double c1 = 1.0 - std::pow(o.beta1, t);
    const double c2 = 1.0 - std::pow(o.beta2, t);
    for (Layer& layer : m_layers)
    {
        layer.mw = o.beta1 * layer.mw + (1.0 - o.beta1) * layer.dw;
        layer.mb = o.beta1 * layer.mb + (1.0 - o.beta1) * layer.db;
        layer.vw = o.beta2 * layer.vw + (1.0 - o.beta2) * layer.dw.cwiseAbs2();
        layer.vb = o.beta2 * layer.vb + (1.0 - o.beta2) * layer.db.cwiseAbs2();
        layer.w.array() -=
            o.learningRate * (layer.mw.array() / c1) / ((layer.vw.array() / c2).sqrt() + o.epsilon);
        layer.b.array() -=
            o.learningRate * (layer.mb.array() / c1) / ((layer.vb.array() / c2).sqrt() + o.epsilon);
    }
}

size_t
LearnDenseNetwork::ParameterCount() const
{
    size_t n = 0;
    for (const Layer& layer : m_layers)
    {
        n += static_cast<size_t>(layer.w.size() + layer.b.size());
    }
    return n;
}

Eigen::VectorXd
LearnDenseNetwork::GetParameters() const
{
    Eigen::VectorXd p(static_cast<Eigen::Index>(ParameterCount()));
    Eigen::Index k = 0;
    for (const Layer& layer : m_layers)
    {
        p.segment(k, layer.w.size()) =
            Eigen::Map<const Eigen::VectorXd>(layer.w.data(), layer.w.size());
        k += layer.w.size();
        p.segment(k, layer.b.size()) = layer.b;
        k += layer.b.size();
    }
    return p;
}

void
LearnDenseNetwork::SetParameters(const Eigen::VectorXd& parameters)
{
    if (static_cast<size_t>(parameters.size()) != ParameterCount())
    {
        throw std::invalid_argument("LearnDenseNetwork: " + std::to_string(parameters.size()) +
                                    " parameters given, the network has " +
                                    std::to_string(ParameterCount()));
    }
    Eigen::Index k = 0;
    for (Layer& layer : m_layers)
    {
        Eigen::Map<Eigen::VectorXd>(layer.w.data(), layer.w.size()) =
            parameters.segment(k, layer.w.size());
        k += layer.w.size();
        layer.b = parameters.segment(k, layer.b.size());
        k += layer.b.size();
    }
}

Eigen::VectorXd
LearnDenseNetwork::GetGradients() const
{
    Eigen::VectorXd g(static_cast<Eigen::Index>(ParameterCount()));
    Eigen::Index k = 0;
    for (const Layer& layer : m_layers)
    {
        g.segment(k, layer.dw.size()) =
            Eigen::Map<const Eigen::VectorXd>(layer.dw.data(), layer.dw.size());
        k += layer.dw.size();
        g.segment(k, layer.db.size()) = layer.db;
        k += layer.db.size();
    }
    return g;
}

void
LearnDenseNetwork::SoftUpdateFrom(const LearnDenseNetwork& source, double tau)
{
    if (!(tau >= 0.0 && tau <= 1.0))
    {
        throw std::invalid_argument("LearnDenseNetwork: soft update fraction must be in [0, 1]");
    }
    if (source.LayerSizes() != LayerSizes())
    {
        throw std::invalid_argument("LearnDenseNetwork: soft update from a network of another "
                                    "shape");
    }
    for (size_t l = 0; l < m_layers.size(); ++l)
    {
        m_layers[l].w = tau * source.m_layers[l].w + (1.0 - tau) * m_layers[l].w;
        m_layers[l].b = tau * source.m_layers[l].b + (1.0 - tau) * m_layers[l].b;
    }
}

LearnDenseNetwork
LearnDenseNetwork::Slice(size_t firstLayer, size_t endLayer) const
{
    if (firstLayer >= endLayer || endLayer > m_layers.size())
    {
        throw std::out_of_range("LearnDenseNetwork: slice [" + std::to_string(firstLayer) + ", " +
                                std::to_string(endLayer) + ") of a network with " +
                                std::to_string(m_layers.size()) + " layers");
    }
    LearnDenseNetwork part;
    part.m_layers.assign(m_layers.begin() + static_cast<std::ptrdiff_t>(firstLayer),
                         m_layers.begin() + static_cast<std::ptrdiff_t>(endLayer));
    part.m_optimizer = m_optimizer;
    part.m_steps = m_steps;
    return part;
}

void
LearnDenseNetwork::SetSlice(size_t firstLayer, const LearnDenseNetwork& part)
{
    if (part.m_layers.empty() || firstLayer + part.m_layers.size() > m_layers.size())
    {
        throw std::out_of_range("LearnDenseNetwork: a slice of " +
                                std::to_string(part.m_layers.size()) + " layers at layer " +
                                std::to_string(firstLayer) + " of a network with " +
                                std::to_string(m_layers.size()) + " layers");
    }
    for (size_t l = 0; l < part.m_layers.size(); ++l)
    {
        const Layer& src = part.m_layers[l];
        const Layer& dst = m_layers[firstLayer + l];
        if (src.w.rows() != dst.w.rows() || src.w.cols() != dst.w.cols() ||
            src.activation != dst.activation)
        {
            throw std::invalid_argument("LearnDenseNetwork: slice layer " + std::to_string(l) +
                                        " does not match layer " + std::to_string(firstLayer + l));
        }
    }
    for (size_t l = 0; l < part.m_layers.size(); ++l)
    {
        m_layers[firstLayer + l] = part.m_layers[l];
    }
    m_cache.Clear();
}

LearnDenseNetwork
LearnDenseNetwork::Concatenate(const std::vector<LearnDenseNetwork>& parts)
{
    if (parts.empty())
    {
        throw std::invalid_argument("LearnDenseNetwork: nothing to concatenate");
    }
    LearnDenseNetwork whole;
    for (size_t i = 0; i < parts.size(); ++i)
    {
        if (parts[i].m_layers.empty())
        {
            throw std::invalid_argument("LearnDenseNetwork: part " + std::to_string(i) +
                                        " is empty");
        }
        if (i > 0 && parts[i].InputSize() != parts[i - 1].OutputSize())
        {
            throw std::invalid_argument("LearnDenseNetwork: part " + std::to_string(i) + " takes " +
                                        std::to_string(parts[i].InputSize()) + " inputs, part " +
                                        std::to_string(i - 1) + " gives " +
                                        std::to_string(parts[i - 1].OutputSize()));
        }
        whole.m_layers.insert(whole.m_layers.end(),
                              parts[i].m_layers.begin(),
                              parts[i].m_layers.end());
    }
    whole.m_optimizer = parts.front().m_optimizer;
    whole.m_steps = parts.front().m_steps;
    return whole;
}

std::vector<uint8_t>
LearnDenseNetwork::Serialize(bool float32) const
{
    std::vector<uint8_t> out;
    out.reserve(14 + 5 * m_layers.size() + ParameterCount() * (float32 ? 4 : 8));
    for (char c : {'L', 'D', 'N', '1'})
    {
        PutU8(out, static_cast<uint8_t>(c));
    }
    PutU8(out, ElementType(float32));
    PutU32(out, static_cast<uint32_t>(m_layers.size()));
    PutU32(out, static_cast<uint32_t>(InputSize()));
    for (const Layer& layer : m_layers)
    {
        PutU32(out, static_cast<uint32_t>(layer.w.rows()));
        PutU8(out, static_cast<uint8_t>(layer.activation));
    }
    for (const Layer& layer : m_layers)
    {
        for (Eigen::Index i = 0; i < layer.w.size(); ++i)
        {
            PutReal(out, layer.w.data()[i], float32);
        }
        for (Eigen::Index i = 0; i < layer.b.size(); ++i)
        {
            PutReal(out, layer.b[i], float32);
        }
    }
    return out;
}

LearnDenseNetwork
LearnDenseNetwork::Deserialize(const std::vector<uint8_t>& bytes, const std::string& place)
{
    ByteReader r(bytes.data(), bytes.size(), place);
    r.Need(4, "magic");
    if (std::memcmp(bytes.data(), "LDN1", 4) != 0)
    {
        r.Fail(0, "not a LearnDenseNetwork (magic is not \"LDN1\")");
    }
    r.U32("magic");
    const size_t typeOffset = r.Offset();
    const uint8_t type = r.U8("element type");
    if (type > 1)
    {
        r.Fail(typeOffset, "unknown element type " + std::to_string(type));
    }
    const bool float32 = type == 1;
    const size_t countOffset = r.Offset();
    const uint32_t layers = r.U32("layer count");
    if (layers == 0)
    {
        r.Fail(countOffset, "a network needs at least one layer");
    }
    // Five header bytes per layer: refuse a count the bytes cannot hold before allocating.
    if (layers > r.Left() / 5)
    {
        r.Fail(countOffset,
               std::to_string(layers) + " layers cannot fit in the " + std::to_string(r.Left()) +
                   " bytes left");
    }
    const size_t inOffset = r.Offset();
    uint32_t in = r.U32("input size");
    if (in == 0)
    {
        r.Fail(inOffset, "input size 0");
    }

    struct Shape
    {
        uint64_t in;
        uint64_t out;
        LearnActivation activation;
    };

    std::vector<Shape> shapes;
    for (uint32_t l = 0; l < layers; ++l)
    {
        const size_t outOffset = r.Offset();
        const uint32_t out = r.U32("layer size");
        if (out == 0)
        {
            r.Fail(outOffset, "layer " + std::to_string(l) + " has size 0");
        }
        const size_t actOffset = r.Offset();
        const uint8_t act = r.U8("activation");
        if (act > static_cast<uint8_t>(LearnActivation::SIGMOID))
        {
            r.Fail(actOffset, "unknown activation " + std::to_string(act));
        }
        shapes.push_back({in, out, static_cast<LearnActivation>(act)});
        in = out;
    }
    // Refuse sizes the bytes cannot hold before allocating, with a sum that cannot overflow.
    const uint64_t capacity = r.Left() / (float32 ? 4 : 8);
    uint64_t elements = 0;
    for (size_t l = 0; l < shapes.size(); ++l)
    {
        const uint64_t layerElements = (shapes[l].in + 1) * shapes[l].out;
        if (layerElements > capacity - elements)
        {
            r.Fail(r.Offset(),
                   "truncated weights: layer " + std::to_string(l) + " (" +
                       std::to_string(shapes[l].in) + " -> " + std::to_string(shapes[l].out) +
                       ") does not fit in the " + std::to_string(r.Left()) + " bytes left");
        }
        elements += layerElements;
    }
    LearnDenseNetwork net;
    for (const Shape& shape : shapes)
    {
        net.AddLayer(static_cast<size_t>(shape.in),
                     static_cast<size_t>(shape.out),
                     shape.activation);
    }
    for (Layer& layer : net.m_layers)
    {
        for (Eigen::Index i = 0; i < layer.w.size(); ++i)
        {
            layer.w.data()[i] = r.Real(float32);
        }
        for (Eigen::Index i = 0; i < layer.b.size(); ++i)
        {
            layer.b[i] = r.Real(float32);
        }
    }
    if (r.Left() != 0)
    {
        r.Fail(r.Offset(), std::to_string(r.Left()) + " unexpected bytes after the weights");
    }
    net.ResetOptimizerState();
    return net;
}

LearnLoss
LearnSoftmaxCrossEntropy(const Eigen::MatrixXd& logits, const std::vector<int>& labels)
{
    if (static_cast<size_t>(logits.cols()) != labels.size())
    {
        throw std::invalid_argument("LearnSoftmaxCrossEntropy: " + std::to_string(logits.cols()) +
                                    " columns but " + std::to_string(labels.size()) + " labels");
    }
    LearnLoss loss;
    loss.gradient.resize(logits.rows(), logits.cols());
    const double n = static_cast<double>(logits.cols());
    double total = 0.0;
    for (Eigen::Index j = 0; j < logits.cols(); ++j)
    {
        const int label = labels[static_cast<size_t>(j)];
        if (label < 0 || label >= logits.rows())
        {
            throw std::invalid_argument("LearnSoftmaxCrossEntropy: label " + std::to_string(label) +
                                        " of column " + std::to_string(j) + " is not in [0, " +
                                        std::to_string(logits.rows()) + ")");
        }
        const double m = logits.col(j).maxCoeff();
        const Eigen::ArrayXd e = (logits.col(j).array() - m).exp();
        const double s = e.sum();
        total += std::log(s) - (logits(label, j) - m);
        loss.gradient.col(j) = e / (s * n);
        loss.gradient(label, j) -= 1.0 / n;
    }
    loss.value = logits.cols() > 0 ? total / n : 0.0;
    return loss;
}

namespace
{

void
CheckSameShape(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, const char* who)
{
    if (a.rows() != b.rows() || a.cols() != b.cols())
    {
        throw std::invalid_argument(std::string(who) + ": output is " + std::to_string(a.rows()) +
                                    "x" + std::to_string(a.cols()) + ", target is " +
                                    std::to_string(b.rows()) + "x" + std::to_string(b.cols()));
    }
}

} // namespace

LearnLoss
LearnMeanSquaredError(const Eigen::MatrixXd& output, const Eigen::MatrixXd& target)
{
    CheckSameShape(output, target, "LearnMeanSquaredError");
    LearnLoss loss;
    const double n = static_cast<double>(output.size());
    if (output.size() == 0)
    {
        loss.gradient = output;
        return loss;
    }
    Eigen::MatrixXd d = output - target;
    loss.value = d.squaredNorm() / n;
    loss.gradient = (2.0 / n) * d;
    return loss;
}

LearnLoss
LearnHuberLoss(const Eigen::MatrixXd& output, const Eigen::MatrixXd& target, double delta)
{
    CheckSameShape(output, target, "LearnHuberLoss");
    if (!(delta > 0.0))
    {
        throw std::invalid_argument("LearnHuberLoss: delta must be positive");
    }
    LearnLoss loss;
    const double n = static_cast<double>(output.size());
    if (output.size() == 0)
    {
        loss.gradient = output;
        return loss;
    }
    Eigen::ArrayXXd d = (output - target).array();
    Eigen::ArrayXXd a = d.abs();
    loss.value = (a <= delta).select(0.5 * d.square(), delta * (a - 0.5 * delta)).sum() / n;
    loss.gradient = ((a <= delta).select(d, delta * d.sign()) / n).matrix();
    return loss;
}

std::vector<int>
LearnArgmax(const Eigen::MatrixXd& scores)
{
    std::vector<int> best(static_cast<size_t>(scores.cols()), 0);
    for (Eigen::Index j = 0; j < scores.cols(); ++j)
    {
        Eigen::Index i = 0;
        if (scores.rows() > 0)
        {
            scores.col(j).maxCoeff(&i);
        }
        best[static_cast<size_t>(j)] = static_cast<int>(i);
    }
    return best;
}

double
LearnAccuracy(const Eigen::MatrixXd& scores, const std::vector<int>& labels)
{
    if (static_cast<size_t>(scores.cols()) != labels.size())
    {
        throw std::invalid_argument("LearnAccuracy: " + std::to_string(scores.cols()) +
                                    " columns but " + std::to_string(labels.size()) + " labels");
    }
    if (labels.empty())
    {
        return 0.0;
    }
    const std::vector<int> predicted = LearnArgmax(scores);
    size_t right = 0;
    for (size_t j = 0; j < labels.size(); ++j)
    {
        right += predicted[j] == labels[j] ? 1 : 0;
    }
    return static_cast<double>(right) / static_cast<double>(labels.size());
}

size_t
MatrixByteSize(size_t rows, size_t cols, bool float32)
{
    return 9 + rows * cols * (float32 ? 4 : 8);
}

std::vector<uint8_t>
MatrixToBytes(const Eigen::MatrixXd& m, bool float32)
{
    const auto maxDim = static_cast<Eigen::Index>(std::numeric_limits<uint32_t>::max());
    if (m.rows() > maxDim || m.cols() > maxDim)
    {
        throw std::invalid_argument("MatrixToBytes: dimension does not fit 32 bits");
    }
    std::vector<uint8_t> out;
    out.reserve(
        MatrixByteSize(static_cast<size_t>(m.rows()), static_cast<size_t>(m.cols()), float32));
    PutU8(out, ElementType(float32));
    PutU32(out, static_cast<uint32_t>(m.rows()));
    PutU32(out, static_cast<uint32_t>(m.cols()));
    const double* d = m.data();
    for (Eigen::Index i = 0; i < m.size(); ++i)
    {
        PutReal(out, d[i], float32);
    }
    return out;
}

Eigen::MatrixXd
MatrixFromBytes(const uint8_t* data, size_t size, const std::string& place)
{
    ByteReader r(data, size, place);
    const uint8_t type = r.U8("tensor header");
    if (type > 1)
    {
        r.Fail(0, "unknown element type " + std::to_string(type) + " (0 float64, 1 float32)");
    }
    const bool float32 = type == 1;
    const uint32_t rows = r.U32("tensor header");
    const uint32_t cols = r.U32("tensor header");
    const uint64_t count = static_cast<uint64_t>(rows) * cols;
    const size_t width = float32 ? 4 : 8;
    r.NeedElements(count, width, "tensor");
    if (r.Left() != count * width)
    {
        r.Fail(r.Offset() + count * width,
               std::to_string(r.Left() - count * width) + " unexpected bytes after a " +
                   std::to_string(rows) + "x" + std::to_string(cols) + " tensor");
    }
    Eigen::MatrixXd m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    double* d = m.data();
    for (uint64_t i = 0; i < count; ++i)
    {
        d[i] = r.Real(float32);
    }
    return m;
}

Eigen::MatrixXd
MatrixFromBytes(const std::vector<uint8_t>& bytes, const std::string& place)
{
    return MatrixFromBytes(bytes.data(), bytes.size(), place);
}

} // namespace ns3
