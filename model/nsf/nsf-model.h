/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef NSF_MODEL_H
#define NSF_MODEL_H

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * Kind of one layer of a split model.
 */
enum class NsfLayerType
{
    INPUT,          //!< the model input (always layer 0, no cost)
    CONV2D,         //!< 2-D convolution, grouped or depthwise when groups > 1
    BATCHNORM,      //!< batch normalisation (scale and shift per channel)
    RELU,           //!< max(x, 0)
    RELU6,          //!< min(max(x, 0), 6)
    MAXPOOL,        //!< max pooling
    AVGPOOL,        //!< average pooling
    GLOBAL_AVGPOOL, //!< average over H and W to C x 1 x 1
    FLATTEN,        //!< C x H x W to (C*H*W) x 1 x 1
    LINEAR,         //!< fully connected layer
    ADD,            //!< element-wise sum of two or more earlier outputs (residual)
    SOFTMAX,        //!< softmax over all elements of a sample
    DROPOUT,        //!< identity at inference
};

/**
 * \ingroup aisfc
 * \brief \return the JSON name of a layer type ("conv2d", "global_avgpool", ...)
 */
std::string NsfLayerTypeName(NsfLayerType type);

/**
 * \ingroup aisfc
 * Shape of one sample's tensor, channels x height x width.  Vectors (after flatten, linear)
 * are C x 1 x 1.
 */
struct NsfShape
{
    uint64_t c = 0; //!< channels (features for a vector)
    uint64_t h = 1; //!< height
    uint64_t w = 1; //!< width

    /// \brief \return c * h * w
    uint64_t Elements() const
    {
        return c * h * w;
    }

    /// \brief \return whether both shapes are equal
    bool operator==(const NsfShape& o) const
    {
        return c == o.c && h == o.h && w == o.w;
    }

    /// \brief \return whether the shapes differ
    bool operator!=(const NsfShape& o) const
    {
        return !(*this == o);
    }

    /// \brief \return "CxHxW"
    std::string ToString() const;
};

/**
 * \ingroup aisfc
 * One layer of an NsfModel: its hyper-parameters (set by the factories) and the figures
 * NsfModel::Add computes from the input shape.
 *
 * Cost conventions, all per sample:
 * - MACs are the multiply-accumulates of the weight layers only (conv2d and linear), the
 *   convention of torchvision's published "GFLOPS" (fvcore) and of most papers quoting VGG-16 at
 *   15.5 G and ResNet-18 at 1.8 G.  Conv: Cout * Hout * Wout * (Cin / groups) * k * k; linear:
 *   in * out.  Bias adds are not counted: they take the place of the first accumulation.
 * - Forward FLOPs count one multiply-add as 2 FLOPs (conv2d, linear: 2 * MACs) and add the
 *   element-wise work of the other layers, one FLOP per operation: batchnorm 2 per element
 *   (inference form a * x + b), relu/relu6 1 per element, max pooling k*k - 1 comparisons and
 *   average pooling k*k (k*k - 1 adds and a divide) per output element, global average pooling
 *   one per input element, add (inputs - 1) per element, softmax 3 per element (exp, sum,
 *   divide).  Flatten, dropout and the input cost nothing.  A device that is memory bound on
 *   these layers is not modelled: their FLOPs are a small share of the total.
 * - Backward FLOPs: 2 x forward for layers with trainable parameters (conv2d, linear,
 *   batchnorm), which compute the gradient with respect to their input and with respect to their
 *   weights, each about as costly as the forward pass; 1 x forward for the others, which only
 *   propagate the gradient.  The gradient of the model input itself is counted too (an
 *   overestimate of one layer's input gradient for the first sub-model).
 * - Output bytes: output elements x the model's bytes per element (4 for float32); this is the
 *   tensor a cut after this layer puts on the wire.
 */
struct NsfLayer
{
    std::string name;                        //!< unique within the model
    NsfLayerType type = NsfLayerType::INPUT; //!< kind
    std::vector<size_t> inputs;              //!< indexes of the input layers (earlier layers)

    uint64_t inChannels = 0;  //!< conv: input channels; linear: in features (0: inferred)
    uint64_t outChannels = 0; //!< conv: output channels; linear: out features
    uint32_t kernel = 1;      //!< conv and pooling: square kernel size
    uint32_t stride = 1;      //!< conv and pooling: stride
    uint32_t padding = 0;     //!< conv and pooling: zero padding on each side
    uint32_t groups = 1;      //!< conv: groups (== in channels: depthwise)
    bool bias = false;        //!< conv and linear: has a bias vector
    double dropout = 0.0;     //!< dropout: drop probability (kept for round trips only)

    NsfShape shape;             //!< output shape (computed)
    uint64_t params = 0;        //!< trainable parameters (computed)
    uint64_t macs = 0;          //!< multiply-accumulates per sample (computed)
    uint64_t forwardFlops = 0;  //!< forward FLOPs per sample (computed)
    uint64_t backwardFlops = 0; //!< backward FLOPs per sample (computed)
    uint64_t outputBytes = 0;   //!< output activation bytes per sample (computed)

    /// \brief \return whether this is a depthwise convolution (groups == in channels > 1)
    bool IsDepthwise() const;

    /// \brief \return a convolution spec (PyTorch's Conv2d; in channels come from the input)
    static NsfLayer Conv2d(const std::string& name,
                           uint64_t outChannels,
                           uint32_t kernel,
                           uint32_t stride = 1,
                           uint32_t padding = 0,
                           uint32_t groups = 1,
                           bool bias = true);
    /// \brief \return a batch normalisation spec
    static NsfLayer BatchNorm(const std::string& name);
    /// \brief \return a ReLU spec
    static NsfLayer Relu(const std::string& name);
    /// \brief \return a ReLU6 spec
    static NsfLayer Relu6(const std::string& name);
    /// \brief \return a max pooling spec (stride 0 means stride = kernel, as in PyTorch)
    static NsfLayer MaxPool(const std::string& name,
                            uint32_t kernel,
                            uint32_t stride = 0,
                            uint32_t padding = 0);
    /// \brief \return an average pooling spec (stride 0 means stride = kernel)
    static NsfLayer AvgPool(const std::string& name,
                            uint32_t kernel,
                            uint32_t stride = 0,
                            uint32_t padding = 0);
    /// \brief \return a global average pooling spec
    static NsfLayer GlobalAvgPool(const std::string& name);
    /// \brief \return a flatten spec
    static NsfLayer Flatten(const std::string& name);
    /// \brief \return a fully connected spec (in features come from the input)
    static NsfLayer Linear(const std::string& name, uint64_t outFeatures, bool bias = true);
    /// \brief \return a residual sum spec (give its inputs to NsfModel::Add)
    static NsfLayer Add(const std::string& name);
    /// \brief \return a softmax spec
    static NsfLayer Softmax(const std::string& name);
    /// \brief \return a dropout spec
    static NsfLayer Dropout(const std::string& name, double p = 0.5);
};

/**
 * \ingroup aisfc
 * A consecutive run of layers of an NsfModel between two cuts: what one neural service
 * function executes.  All figures are per sample.
 */
struct NsfSubModel
{
    std::string name;             //!< "<model>/<index>"
    size_t index = 0;             //!< position in the chain, from 0
    size_t firstLayer = 0;        //!< index of its first layer in the whole model
    size_t lastLayer = 0;         //!< index of its last layer in the whole model
    std::vector<NsfLayer> layers; //!< its layers (inputs still index the whole model)

    uint64_t params = 0;        //!< trainable parameters
    uint64_t paramBytes = 0;    //!< params x bytes per element
    uint64_t macs = 0;          //!< multiply-accumulates
    uint64_t forwardFlops = 0;  //!< forward FLOPs
    uint64_t backwardFlops = 0; //!< backward FLOPs
    NsfShape inputShape;        //!< shape of the tensor it receives
    NsfShape outputShape;       //!< shape of the tensor it sends
    uint64_t inputBytes = 0;    //!< bytes it receives (the previous cut layer's output)
    uint64_t outputBytes = 0;   //!< bytes it sends (its last layer's output)
    /// Largest set of tensors alive at once when running the layers in order (input and
    /// outputs held until their last reader in this sub-model): the inference working set.
    uint64_t peakActivationBytes = 0;
    /// Input plus every layer output: what training keeps for the backward pass.  An upper
    /// bound: frameworks run ReLU in place and flatten as a view.
    uint64_t storedActivationBytes = 0;
};

/**
 * \ingroup aisfc
 * A neural network as a graph of layers in topological order, with the cost figures of
 * NsfLayer, and its split into sub-models for multi-hop split inference and learning.
 *
 * Layer 0 is the input.  Each added layer reads earlier layers only (the previous one unless
 * told otherwise); the model output is the last layer.  Shapes, parameters and FLOPs are
 * inferred when a layer is added, so a bad layer is refused at once with its name.
 */
class NsfModel
{
  public:
    /**
     * \brief Start a model with only its input layer (named "input").
     * \param name model name
     * \param input shape of one sample
     * \param bytesPerElement bytes of one activation or parameter element (4: float32)
     * \throws AisfcInputError for an empty shape or zero bytes per element
     */
    NsfModel(std::string name, NsfShape input, uint32_t bytesPerElement = 4);

    /**
     * \brief Append a layer, inferring its shape and costs.
     * \param layer the spec (from an NsfLayer factory); its computed fields are overwritten
     * \param inputs indexes of the layers it reads; empty means the previous layer
     * \param place where the layer comes from, for errors ("" names the model and layer)
     * \return the new layer's index
     * \throws AisfcInputError for a duplicate name, a bad input index or a shape mismatch
     */
    size_t Add(NsfLayer layer, std::vector<size_t> inputs = {}, const std::string& place = "");

    /// \brief \return the model name
    const std::string& GetName() const;
    /// \brief \return bytes per activation or parameter element
    uint32_t GetBytesPerElement() const;
    /// \brief \return the layers in topological order (layer 0 is the input)
    const std::vector<NsfLayer>& GetLayers() const;
    /// \brief \return the layer at index
    const NsfLayer& GetLayer(size_t index) const;
    /// \brief \return the number of layers, input included
    size_t GetLayerCount() const;
    /// \brief \return the index of the named layer \throws AisfcInputError when unknown
    size_t IndexOf(const std::string& name) const;
    /// \brief \return whether a layer has this name
    bool HasLayer(const std::string& name) const;

    /// \brief \return the input shape
    NsfShape GetInputShape() const;
    /// \brief \return the output shape (last layer's)
    NsfShape GetOutputShape() const;
    /// \brief \return trainable parameters of the whole model
    uint64_t GetParams() const;
    /// \brief \return parameter bytes of the whole model
    uint64_t GetParamBytes() const;
    /// \brief \return multiply-accumulates per sample of the whole model
    uint64_t GetMacs() const;
    /// \brief \return forward FLOPs per sample of the whole model
    uint64_t GetForwardFlops() const;
    /// \brief \return backward FLOPs per sample of the whole model
    uint64_t GetBackwardFlops() const;
    /// \brief \return input bytes per sample
    uint64_t GetInputBytes() const;
    /// \brief \return output bytes per sample
    uint64_t GetOutputBytes() const;

    /**
     * \brief Whether a cut after the layer is valid: exactly one tensor (that layer's output)
     * crosses it.
     * \param index layer index
     * \param why set to the reason when invalid (may be null)
     * \return true when the model can be split after the layer
     */
    bool CanCutAfter(size_t index, std::string* why = nullptr) const;

    /**
     * \brief Split the model after each named layer.
     *
     * N cuts give N + 1 sub-models; sub-model i + 1 receives the output of cut i.  Cuts must be
     * in model order, after the input and before the last layer, and where exactly one tensor
     * crosses (never inside a residual block).
     * \param cutAfter names of the layers after which to cut
     * \return the sub-models in chain order
     * \throws AisfcInputError naming the cut layer when a cut is invalid
     */
    std::vector<NsfSubModel> Split(const std::vector<std::string>& cutAfter) const;

    /**
     * \brief Split the model after each layer given by index (see Split).
     * \param cutAfter indexes of the layers after which to cut
     * \return the sub-models in chain order
     */
    std::vector<NsfSubModel> SplitAtIndexes(const std::vector<size_t>& cutAfter) const;

    /**
     * \brief The whole model as one sub-model (the result of a split with no cuts).
     * \return the sub-model
     */
    NsfSubModel Whole() const;

    /**
     * \brief Describe the model in the JSON form FromJson reads (specs only; costs are
     * recomputed on import).
     * \return the document
     */
    nlohmann::json ToJson() const;

    /**
     * \brief Build a model from JSON: {"name", "input": [C, H, W], "bytes_per_element",
     * "layers": [{"name", "type", "inputs": [names]?, type-specific keys}]}.
     * \param doc the document
     * \param source file name for error messages
     * \return the model
     * \throws AisfcInputError naming the JSON path of a bad value
     */
    static NsfModel FromJson(const nlohmann::json& doc, const std::string& source);

    /**
     * \brief Read a model from a JSON file (see FromJson).
     * \param path the file
     * \return the model
     */
    static NsfModel ReadJsonFile(const std::string& path);

    /**
     * \brief A built-in model, its layers as in torchvision (parameters match exactly).
     * \param name "vgg16", "resnet18", "mobilenetv2" (224 x 224 x 3, 1000 classes),
     * "small-cnn" (32 x 32 x 3, 10 classes) or "mlp" (1 x 28 x 28, 784-256-128-10)
     * \param bytesPerElement bytes per element (4: float32)
     * \return the model
     * \throws AisfcInputError for an unknown name, listing the known ones
     */
    static NsfModel BuiltIn(const std::string& name, uint32_t bytesPerElement = 4);

    /// \brief \return the names BuiltIn accepts
    static std::vector<std::string> BuiltInNames();

  private:
    NsfSubModel MakeSubModel(size_t index, size_t first, size_t last) const;
    std::string LayerPlace(const std::string& layer) const;

    std::string m_name;
    uint32_t m_bytesPerElement;
    std::vector<NsfLayer> m_layers;
    std::map<std::string, size_t> m_index;
    std::vector<size_t> m_lastReader; //!< per layer: index of its last reader (itself if none)
};

} // namespace ns3

#endif // NSF_MODEL_H
