/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LEARN_DENSE_NETWORK_H
#define LEARN_DENSE_NETWORK_H

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * \brief A uniform double in [0, 1) from the top 53 bits of one mt19937_64 draw.
 *
 * std::mt19937_64 is specified bit for bit by the C++ standard, but
 * std::uniform_real_distribution is not (libstdc++, libc++ and MSVC give different numbers), so
 * every seeded draw in learn/ goes through this mapping instead: the same seed then gives the
 * same weights, data sets and batch orders with any standard library.
 * \param rng the generator (advanced by one draw)
 * \return k * 2^-53 for the integer k formed by the top 53 bits of the draw
 */
inline double
LearnUniform01(std::mt19937_64& rng)
{
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

/**
 * \ingroup aisfc
 * Element-wise function applied after a layer's affine map.  All four have derivatives that are
 * functions of their own output, which is why a network keeps only layer outputs for Backward.
 */
enum class LearnActivation : uint8_t
{
    IDENTITY = 0, //!< y = z (output layers of regressors and logits)
    RELU = 1,     //!< y = max(z, 0); derivative taken as 0 at z = 0
    TANH = 2,     //!< y = tanh(z)
    SIGMOID = 3,  //!< y = 1 / (1 + exp(-z))
};

/**
 * \ingroup aisfc
 * \brief \return the lower-case name of an activation ("identity", "relu", "tanh", "sigmoid")
 */
std::string LearnActivationName(LearnActivation activation);

/**
 * \ingroup aisfc
 * \brief Parse an activation name as written in a configuration.
 * \param name "identity" (or "linear"), "relu", "tanh" or "sigmoid"
 * \param place where the name comes from (JSON path, option), for the error message
 * \return the activation
 * \throws AisfcInputError naming place for any other name
 */
LearnActivation LearnActivationFromName(const std::string& name, const std::string& place);

/**
 * \ingroup aisfc
 * Optimiser settings.  The formulas are those of PyTorch's torch.optim.SGD (momentum without
 * dampening: v = mu v + g, p -= lr v) and torch.optim.Adam (bias-corrected moments, eps added to
 * the square root), so results can be compared with a reference implementation.
 */
struct LearnOptimizer
{
    /// Which update rule Step() applies.
    enum Kind : uint8_t
    {
        SGD = 0,  //!< stochastic gradient descent, optionally with momentum
        ADAM = 1, //!< Adam
    };

    Kind kind = SGD;            //!< update rule
    double learningRate = 0.01; //!< step size
    double momentum = 0.0;      //!< SGD momentum; 0 for plain SGD
    double beta1 = 0.9;         //!< Adam first-moment decay
    double beta2 = 0.999;       //!< Adam second-moment decay
    double epsilon = 1e-8;      //!< Adam denominator guard

    /**
     * \brief SGD settings.
     * \param learningRate step size
     * \param momentum momentum factor in [0, 1); 0 for plain SGD
     * \return the settings
     */
    static LearnOptimizer Sgd(double learningRate, double momentum = 0.0);

    /**
     * \brief Adam settings.
     * \param learningRate step size
     * \param beta1 first-moment decay in [0, 1)
     * \param beta2 second-moment decay in [0, 1)
     * \param epsilon denominator guard, > 0
     * \return the settings
     */
    static LearnOptimizer Adam(double learningRate,
                               double beta1 = 0.9,
                               double beta2 = 0.999,
                               double epsilon = 1e-8);
};

/**
 * \ingroup aisfc
 * What one forward pass leaves for the backward pass: the input of every layer and the output of
 * the last, i.e. LayerCount() + 1 matrices (features x batch).  Pre-activations are not kept:
 * every LearnActivation's derivative is a function of its output, so keeping outputs halves the
 * state a neural service function holds per mini-batch in flight.
 */
struct LearnDenseCache
{
    std::vector<Eigen::MatrixXd> activations; //!< [0] network input, [l + 1] output of layer l

    /// \brief \return the bytes held (8 per element), for memory accounting on an NSF
    size_t Bytes() const;

    /// \brief Drop the tensors (after Backward, when the mini-batch is done).
    void Clear();
};

/**
 * \ingroup aisfc
 * A stack of dense layers y = f(W x + b) on column-major batches (one sample per column) in
 * double precision: the network of split learning (each neural service function holds a Slice),
 * of the DRL placement policies and of anything else in aisfc that learns by gradient.
 *
 * Training is the usual three calls: Forward (keeps a LearnDenseCache), Backward with the
 * gradient of the loss w.r.t. the output (accumulates parameter gradients, returns the gradient
 * w.r.t. the input, which is exactly the tensor a split-learning stage sends upstream), then
 * Step and ZeroGrad.  A network cut into slices that pass these tensors along performs the very
 * same floating-point operations as the whole network, so split training is bit-identical to
 * unsplit training; the tests check it.
 *
 * Determinism: the weights depend only on the layer sizes, activations and seed (see
 * LearnUniform01).  Weights are drawn layer by layer, each W in column-major order, from one
 * std::mt19937_64(seed): He uniform, U(-sqrt(6 / fanIn), +sqrt(6 / fanIn)), for ReLU layers and
 * Xavier (Glorot) uniform, U(-sqrt(6 / (fanIn + fanOut)), ...), for the others; biases start at
 * zero.  Computations depend on Eigen's kernels, so results are reproducible bit for bit on one
 * build but may differ in the last bits across compilers, CPUs or Eigen versions.
 *
 * Shape errors (wrong input rows, wrong gradient shape, Backward without Forward) are bugs in
 * the caller and throw std::invalid_argument or std::logic_error; bytes from outside
 * (Deserialize) throw AisfcInputError.
 */
class LearnDenseNetwork
{
  public:
    /// \brief An empty network with no layer; assign or Deserialize into it.
    LearnDenseNetwork() = default;

    /**
     * \brief A network with one activation on every hidden layer and another on the output.
     * \param sizes input size, then the output size of every layer (at least two entries, > 0)
     * \param hidden activation of every layer but the last
     * \param output activation of the last layer (IDENTITY for logits or Q-values)
     * \param seed initialisation seed
     * \throws std::invalid_argument on fewer than two sizes or a zero size
     */
    LearnDenseNetwork(const std::vector<size_t>& sizes,
                      LearnActivation hidden,
                      LearnActivation output,
                      uint64_t seed);

    /**
     * \brief A network with one activation per layer.
     * \param sizes input size, then the output size of every layer (at least two entries, > 0)
     * \param activations one per layer: sizes.size() - 1 entries
     * \param seed initialisation seed
     * \throws std::invalid_argument on a size or count mismatch
     */
    LearnDenseNetwork(const std::vector<size_t>& sizes,
                      const std::vector<LearnActivation>& activations,
                      uint64_t seed);

    /**
     * \brief Redraw all weights from a seed (see the class description), zero the biases,
     * gradients and optimiser state and drop the cache.
     * \param seed initialisation seed
     */
    void Initialize(uint64_t seed);

    /// \brief \return the number of layers
    size_t LayerCount() const;

    /// \brief \return the input size (rows of an input batch); 0 for an empty network
    size_t InputSize() const;

    /// \brief \return the output size (rows of an output batch); 0 for an empty network
    size_t OutputSize() const;

    /// \brief \return input size followed by each layer's output size
    std::vector<size_t> LayerSizes() const;

    /**
     * \brief \return the activation of a layer
     * \param layer layer index, < LayerCount()
     */
    LearnActivation GetActivation(size_t layer) const;

    /**
     * \brief \return the weights (out x in) of a layer
     * \param layer layer index, < LayerCount()
     */
    const Eigen::MatrixXd& GetWeights(size_t layer) const;

    /**
     * \brief \return the bias (out) of a layer
     * \param layer layer index, < LayerCount()
     */
    const Eigen::VectorXd& GetBias(size_t layer) const;

    /**
     * \brief \return the accumulated weight gradient (out x in) of a layer
     * \param layer layer index, < LayerCount()
     */
    const Eigen::MatrixXd& GetWeightGradient(size_t layer) const;

    /**
     * \brief \return the accumulated bias gradient (out) of a layer
     * \param layer layer index, < LayerCount()
     */
    const Eigen::VectorXd& GetBiasGradient(size_t layer) const;

    /**
     * \brief Forward pass that keeps the layer inputs and output in the network's own cache for
     * the next Backward (one mini-batch in flight).
     * \param x input batch, InputSize() x batch
     * \return output batch, OutputSize() x batch
     * \throws std::invalid_argument when x has the wrong number of rows
     */
    Eigen::MatrixXd Forward(const Eigen::MatrixXd& x);

    /**
     * \brief Forward pass into a caller-owned cache, for several mini-batches in flight (a
     * pipelined split-learning stage keeps one cache per mini-batch).
     * \param x input batch, InputSize() x batch
     * \param cache receives the layer inputs and output
     * \return output batch, OutputSize() x batch
     * \throws std::invalid_argument when x has the wrong number of rows
     */
    Eigen::MatrixXd Forward(const Eigen::MatrixXd& x, LearnDenseCache& cache) const;

    /**
     * \brief Inference without keeping anything (action selection, evaluation); same numbers as
     * Forward.
     * \param x input batch, InputSize() x batch
     * \return output batch, OutputSize() x batch
     * \throws std::invalid_argument when x has the wrong number of rows
     */
    Eigen::MatrixXd Predict(const Eigen::MatrixXd& x) const;

    /**
     * \brief Backward pass through the network's own cache (left by Forward(x)).  Parameter
     * gradients are added to what is accumulated (call ZeroGrad between mini-batches); the
     * cache is kept, so call ClearCache to release it.
     * \param gradOutput dLoss/dOutput, OutputSize() x batch of the cached forward pass
     * \return dLoss/dInput, InputSize() x batch: what a split stage sends upstream
     * \throws std::logic_error without a cached forward pass; std::invalid_argument on a shape
     *         mismatch
     */
    Eigen::MatrixXd Backward(const Eigen::MatrixXd& gradOutput);

    /**
     * \brief Backward pass through a caller-owned cache; see Backward(gradOutput).
     * \param gradOutput dLoss/dOutput, OutputSize() x batch of the cached forward pass
     * \param cache filled by Forward(x, cache) on this network with the current weights
     * \return dLoss/dInput, InputSize() x batch
     * \throws std::logic_error on a cache not made by this network; std::invalid_argument on a
     *         shape mismatch
     */
    Eigen::MatrixXd Backward(const Eigen::MatrixXd& gradOutput, const LearnDenseCache& cache);

    /**
     * \brief Backward(gradOutput) without the gradient w.r.t. the input: the parameter
     * gradients only (the same numbers), for learners whose input is data, not an upstream
     * stage's output (the DRL policy networks).  Saves the first layer's largest product.
     * \param gradOutput dLoss/dOutput of the cached forward pass
     * \throws as Backward
     */
    void BackwardParameters(const Eigen::MatrixXd& gradOutput);

    /// \brief \return the network's own cache (state an NSF keeps between Forward and Backward)
    const LearnDenseCache& GetCache() const;

    /// \brief Release the network's own cache.
    void ClearCache();

    /// \brief Set every accumulated gradient to zero.
    void ZeroGrad();

    /**
     * \brief Choose the optimiser; resets its state (moments, step count).
     * \param optimizer settings
     * \throws std::invalid_argument on a non-positive learning rate or a decay outside [0, 1)
     */
    void SetOptimizer(const LearnOptimizer& optimizer);

    /// \brief \return the optimiser settings (SGD with lr 0.01 unless set)
    const LearnOptimizer& GetOptimizer() const;

    /// \brief \return the number of Step calls since the optimiser was set
    uint64_t GetStepCount() const;

    /**
     * \brief Apply one optimiser update with the accumulated gradients.  Gradients are not
     * cleared (as in PyTorch), so call ZeroGrad before the next Backward.
     */
    void Step();

    /// \brief \return the number of trainable parameters (weights and biases)
    size_t ParameterCount() const;

    /**
     * \brief \return all parameters flattened: for each layer in order, W in column-major order,
     * then b
     */
    Eigen::VectorXd GetParameters() const;

    /**
     * \brief Overwrite all parameters from a vector in the GetParameters order.
     * \param parameters ParameterCount() values
     * \throws std::invalid_argument on a size mismatch
     */
    void SetParameters(const Eigen::VectorXd& parameters);

    /// \brief \return all accumulated gradients flattened in the GetParameters order
    Eigen::VectorXd GetGradients() const;

    /**
     * \brief Move every parameter a fraction of the way to another network's (Polyak averaging
     * of a DDQN target network): p = tau * source + (1 - tau) * p.
     * \param source network with the same layer sizes
     * \param tau fraction in [0, 1]; 1 copies
     * \throws std::invalid_argument on a shape mismatch or tau out of range
     */
    void SoftUpdateFrom(const LearnDenseNetwork& source, double tau);

    /**
     * \brief A sub-model: copies of layers [firstLayer, endLayer) with their weights, gradients
     * and optimiser state and the same optimiser settings and step count, so a slice continues
     * training exactly as the whole network would.  The cache is not copied.
     * \param firstLayer first layer of the slice
     * \param endLayer one past the last layer, firstLayer < endLayer <= LayerCount()
     * \return the slice
     * \throws std::out_of_range on a bad range
     */
    LearnDenseNetwork Slice(size_t firstLayer, size_t endLayer) const;

    /**
     * \brief Copy a slice's layers (weights, gradients, optimiser state) back into layers
     * [firstLayer, firstLayer + part.LayerCount()) of this network.
     * \param firstLayer where the slice starts in this network
     * \param part a network whose layers have the sizes and activations of the ones replaced
     * \throws std::out_of_range or std::invalid_argument on a range or shape mismatch
     */
    void SetSlice(size_t firstLayer, const LearnDenseNetwork& part);

    /**
     * \brief Join slices back into one network (inverse of Slice).  Optimiser settings and step
     * count come from the first part.
     * \param parts consecutive slices: each part's input size is the previous one's output size
     * \return the whole network
     * \throws std::invalid_argument on no part or a size mismatch
     */
    static LearnDenseNetwork Concatenate(const std::vector<LearnDenseNetwork>& parts);

    /**
     * \brief Weights and architecture as compact little-endian bytes (optimiser state and
     * gradients are not included): "LDN1", element type (0 float64, 1 float32), uint32 layer
     * count, uint32 input size, per layer uint32 output size and uint8 activation, then per
     * layer W (column-major) and b.
     * \param float32 store values as float32 (half the size, rounded) instead of float64 (exact)
     * \return the bytes
     */
    std::vector<uint8_t> Serialize(bool float32 = false) const;

    /**
     * \brief Rebuild a network from Serialize bytes (default SGD optimiser, zero gradients).
     * \param bytes the bytes
     * \param place where the bytes come from (file, packet), for error messages
     * \return the network
     * \throws AisfcInputError "place at offset N: ..." on bad or truncated bytes
     */
    static LearnDenseNetwork Deserialize(const std::vector<uint8_t>& bytes,
                                         const std::string& place = "network bytes");

  private:
    /// Backward, with or without the input gradient.
    Eigen::MatrixXd Backpropagate(const Eigen::MatrixXd& gradOutput,
                                  const LearnDenseCache& cache,
                                  bool inputGradient);

    /// One dense layer with its gradients and optimiser state.
    struct Layer
    {
        Eigen::MatrixXd w;                                      //!< weights, out x in
        Eigen::VectorXd b;                                      //!< bias, out
        LearnActivation activation = LearnActivation::IDENTITY; //!< applied after W x + b
        Eigen::MatrixXd dw;                                     //!< accumulated dLoss/dW
        Eigen::VectorXd db;                                     //!< accumulated dLoss/db
        Eigen::MatrixXd mw; //!< SGD velocity or Adam first moment of W
        Eigen::VectorXd mb; //!< SGD velocity or Adam first moment of b
        Eigen::MatrixXd vw; //!< Adam second moment of W
        Eigen::VectorXd vb; //!< Adam second moment of b
    };

    /**
     * \brief Append a layer with zero weights, gradients and optimiser state.
     * \param in input size
     * \param out output size
     * \param activation activation
     */
    void AddLayer(size_t in, size_t out, LearnActivation activation);

    /**
     * \brief Zero the optimiser moments (sized like the parameters) and the step count.
     */
    void ResetOptimizerState();

    /**
     * \brief Check a layer index.
     * \param layer index
     * \return the layer
     */
    const Layer& At(size_t layer) const;

    /**
     * \brief Check that an input batch has InputSize() rows.
     * \param x the batch
     */
    void CheckInput(const Eigen::MatrixXd& x) const;

    std::vector<Layer> m_layers; //!< layers, input first
    LearnOptimizer m_optimizer;  //!< update rule
    uint64_t m_steps = 0;        //!< Step calls since SetOptimizer
    LearnDenseCache m_cache;     //!< state of the last Forward(x)
};

/**
 * \ingroup aisfc
 * A loss value and its gradient with respect to the network output (same shape), ready for
 * Backward.
 */
struct LearnLoss
{
    double value = 0.0;       //!< loss averaged as documented by the function
    Eigen::MatrixXd gradient; //!< dLoss/dOutput
};

/**
 * \ingroup aisfc
 * \brief Softmax cross-entropy with integer class labels, averaged over the batch (PyTorch's
 * CrossEntropyLoss), computed with a max shift so large logits do not overflow.
 * \param logits classes x batch
 * \param labels one label in [0, classes) per column
 * \return mean of -log softmax(logits)[label] and its gradient (softmax - onehot) / batch
 * \throws std::invalid_argument on a label count mismatch or a label out of range
 */
LearnLoss LearnSoftmaxCrossEntropy(const Eigen::MatrixXd& logits, const std::vector<int>& labels);

/**
 * \ingroup aisfc
 * \brief Mean squared error averaged over all elements (PyTorch's MSELoss).
 * \param output network output, rows x batch
 * \param target same shape
 * \return mean((output - target)^2) and its gradient 2 (output - target) / (rows * batch)
 * \throws std::invalid_argument on a shape mismatch
 */
LearnLoss LearnMeanSquaredError(const Eigen::MatrixXd& output, const Eigen::MatrixXd& target);

/**
 * \ingroup aisfc
 * \brief Huber loss averaged over all elements (PyTorch's HuberLoss; SmoothL1Loss for delta 1),
 * the usual DQN loss: quadratic within delta of the target, linear beyond, so large TD errors
 * do not produce large gradients.
 * \param output network output, rows x batch
 * \param target same shape
 * \param delta threshold between the quadratic and linear parts, > 0
 * \return the loss and its gradient
 * \throws std::invalid_argument on a shape mismatch or delta <= 0
 */
LearnLoss LearnHuberLoss(const Eigen::MatrixXd& output,
                         const Eigen::MatrixXd& target,
                         double delta = 1.0);

/**
 * \ingroup aisfc
 * \brief \return the index of the largest entry of every column (first on ties)
 * \param scores classes x batch (logits, probabilities or Q-values)
 */
std::vector<int> LearnArgmax(const Eigen::MatrixXd& scores);

/**
 * \ingroup aisfc
 * \brief \return the fraction of columns whose argmax equals the label (0 for an empty batch)
 * \param scores classes x batch
 * \param labels one per column
 */
double LearnAccuracy(const Eigen::MatrixXd& scores, const std::vector<int>& labels);

/**
 * \ingroup aisfc
 * \brief \return the size of MatrixToBytes(m, float32) for an m of rows x cols, so a simulation
 * can size a payload without building it
 * \param rows rows
 * \param cols columns
 * \param float32 float32 elements instead of float64
 */
size_t MatrixByteSize(size_t rows, size_t cols, bool float32);

/**
 * \ingroup aisfc
 * \brief Encode a tensor (activations, gradients) as the bytes a split-learning message
 * carries: uint8 element type (0 float64, 1 float32), uint32 rows, uint32 columns, then the
 * elements in column-major order, all little-endian.  Float64 is exact (every bit, NaN payloads
 * and signed zeros included); float32 rounds to nearest.
 * \param m the tensor (at most 2^32 - 1 rows and columns)
 * \param float32 send float32 elements
 * \return the bytes
 * \throws std::invalid_argument on a dimension that does not fit 32 bits
 */
std::vector<uint8_t> MatrixToBytes(const Eigen::MatrixXd& m, bool float32);

/**
 * \ingroup aisfc
 * \brief Decode MatrixToBytes output.
 * \param data first byte
 * \param size number of bytes, which must be exactly the encoded size
 * \param place where the bytes come from (packet, file), for error messages
 * \return the tensor
 * \throws AisfcInputError "place at offset N: ..." on an unknown element type or a size that
 *         does not match the header
 */
Eigen::MatrixXd MatrixFromBytes(const uint8_t* data,
                                size_t size,
                                const std::string& place = "tensor bytes");

/**
 * \ingroup aisfc
 * \brief Decode MatrixToBytes output.
 * \param bytes the bytes
 * \param place where the bytes come from, for error messages
 * \return the tensor
 * \throws AisfcInputError as MatrixFromBytes(data, size, place)
 */
Eigen::MatrixXd MatrixFromBytes(const std::vector<uint8_t>& bytes,
                                const std::string& place = "tensor bytes");

} // namespace ns3

#endif // LEARN_DENSE_NETWORK_H
