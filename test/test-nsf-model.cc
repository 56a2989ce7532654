/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/aisfc-error.h"
#include "ns3/aisfc-json-reader.h"
#include "ns3/nsf-device.h"
#include "ns3/nsf-model.h"

#include <catch2/catch.hpp>

using namespace ns3;
using Catch::Matchers::Contains;

namespace
{

// Relative distance of a computed figure from a published one.
double
RelErr(double value, double published)
{
    return std::abs(value - published) / published;
}

NsfModel
FromText(const std::string& text)
{
    return NsfModel::FromJson(ParseJsonText(text, "m.json"), "m.json");
}

} // namespace

TEST_CASE("a hand-checked convolution has the expected params MACs and bytes", "[nsf-model]")
{
    NsfModel m("one-conv", NsfShape{3, 224, 224});
    size_t i = m.Add(NsfLayer::Conv2d("conv", 64, 3, 1, 1));
    const NsfLayer& c = m.GetLayer(i);
    // Output: (224 + 2*1 - 3) / 1 + 1 = 224, so 64 x 224 x 224.
    CHECK(c.shape == NsfShape{64, 224, 224});
    CHECK(c.inChannels == 3);
    // Params: 64 filters of 3 x 3 x 3 weights = 1728, plus 64 biases = 1792.
    CHECK(c.params == 1792);
    // MACs: 64 * 224 * 224 = 3,211,264 outputs, each 3 * 3 * 3 = 27 MACs: 86,704,128.
    CHECK(c.macs == 86704128ull);
    // A multiply-add is 2 FLOPs; backward of a weight layer is 2 x forward.
    CHECK(c.forwardFlops == 2 * 86704128ull);
    CHECK(c.backwardFlops == 4 * 86704128ull);
    // 3,211,264 float32 elements = 12,845,056 bytes.
    CHECK(c.outputBytes == 12845056ull);
    CHECK(m.GetInputBytes() == 3 * 224 * 224 * 4);

    // Half precision halves the bytes, not the FLOPs.
    NsfModel h("half", NsfShape{3, 224, 224}, 2);
    h.Add(NsfLayer::Conv2d("conv", 64, 3, 1, 1));
    CHECK(h.GetOutputBytes() == 6422528ull);
    CHECK(h.GetMacs() == 86704128ull);
    CHECK(h.GetParamBytes() == 1792 * 2);

    // Average pool 2x2 (stride defaults to the kernel) on 8 x 4 x 4: 8 x 2 x 2 = 32 outputs,
    // each 3 adds and a divide = 128 FLOPs.
    NsfModel p("pool", NsfShape{8, 4, 4});
    p.Add(NsfLayer::AvgPool("avg", 2));
    CHECK(p.GetOutputShape() == NsfShape{8, 2, 2});
    CHECK(p.GetForwardFlops() == 128);
    CHECK(p.GetBackwardFlops() == 128);
}

TEST_CASE("hand-checked depthwise strided pooling and element-wise layers", "[nsf-model]")
{
    NsfModel m("mix", NsfShape{64, 112, 112});
    // Depthwise 3x3 on 64 x 112 x 112, no bias: 64 * 9 = 576 params; 64*112*112 = 802,816
    // outputs of 9 MACs each = 7,225,344.
    size_t dw = m.Add(NsfLayer::Conv2d("dw", 64, 3, 1, 1, 64, false));
    CHECK(m.GetLayer(dw).IsDepthwise());
    CHECK(m.GetLayer(dw).params == 576);
    CHECK(m.GetLayer(dw).macs == 7225344ull);
    // Batchnorm: gamma and beta per channel = 128 params; 2 FLOPs per element forward
    // (1,605,632) and, having weights, twice that backward.
    size_t bn = m.Add(NsfLayer::BatchNorm("bn"));
    CHECK(m.GetLayer(bn).params == 128);
    CHECK(m.GetLayer(bn).macs == 0);
    CHECK(m.GetLayer(bn).forwardFlops == 1605632ull);
    CHECK(m.GetLayer(bn).backwardFlops == 3211264ull);
    // ReLU: one FLOP per element, backward the same.
    size_t relu = m.Add(NsfLayer::Relu("relu"));
    CHECK(m.GetLayer(relu).forwardFlops == 802816ull);
    CHECK(m.GetLayer(relu).backwardFlops == 802816ull);
    // Max pool 3, stride 2, pad 1: (112 + 2 - 3) / 2 + 1 = 56; 64*56*56 = 200,704 outputs of
    // 3*3 - 1 = 8 comparisons = 1,605,632 FLOPs.
    size_t pool = m.Add(NsfLayer::MaxPool("pool", 3, 2, 1));
    CHECK(m.GetLayer(pool).shape == NsfShape{64, 56, 56});
    CHECK(m.GetLayer(pool).forwardFlops == 1605632ull);
    // Strided conv 64 -> 128, 3x3, stride 2, pad 1: (56 + 2 - 3) / 2 + 1 = 28; params
    // 128 * 64 * 9 = 73,728; MACs 128*28*28 = 100,352 outputs x 576 = 57,802,752.
    size_t down = m.Add(NsfLayer::Conv2d("down", 128, 3, 2, 1, 1, false));
    CHECK(m.GetLayer(down).shape == NsfShape{128, 28, 28});
    CHECK(m.GetLayer(down).params == 73728);
    CHECK(m.GetLayer(down).macs == 57802752ull);
    // 1x1 shortcut on the pooled tensor, then a residual add: 1 FLOP per element (100,352).
    size_t sc = m.Add(NsfLayer::Conv2d("shortcut", 128, 1, 2, 0, 1, false), {pool});
    size_t add = m.Add(NsfLayer::Add("add"), {down, sc});
    CHECK(m.GetLayer(add).forwardFlops == 100352ull);
    CHECK(m.GetLayer(add).params == 0);
    // Global average pool: one FLOP per input element; 128 x 1 x 1 out.
    size_t gap = m.Add(NsfLayer::GlobalAvgPool("gap"));
    CHECK(m.GetLayer(gap).shape == NsfShape{128, 1, 1});
    CHECK(m.GetLayer(gap).forwardFlops == 100352ull);
    // Linear 128 -> 10: 1280 weights + 10 biases; 1280 MACs.
    size_t fc = m.Add(NsfLayer::Linear("fc", 10));
    CHECK(m.GetLayer(fc).params == 1290);
    CHECK(m.GetLayer(fc).macs == 1280);
    size_t sm = m.Add(NsfLayer::Softmax("softmax"));
    CHECK(m.GetLayer(sm).forwardFlops == 30);
    CHECK(m.GetLayer(sm).outputBytes == 40);
}

TEST_CASE("bad layers are refused naming the layer", "[nsf-model]")
{
    NsfModel m("bad", NsfShape{3, 32, 32});
    CHECK_THROWS_WITH(m.Add(NsfLayer::Linear("fc", 10)),
                      Contains("layer 'fc'") && Contains("add a flatten layer"));
    CHECK_THROWS_WITH(m.Add(NsfLayer::Conv2d("g", 8, 3, 1, 1, 2)),
                      Contains("layer 'g'") && Contains("groups 2 must divide"));
    CHECK_THROWS_WITH(m.Add(NsfLayer::Conv2d("big", 8, 35)), Contains("larger than"));
    size_t a = m.Add(NsfLayer::Conv2d("a", 8, 3, 1, 1));
    size_t b = m.Add(NsfLayer::MaxPool("b", 2));
    CHECK_THROWS_WITH(m.Add(NsfLayer::Add("sum"), {a, b}),
                      Contains("add needs inputs of one shape"));
    CHECK_THROWS_WITH(m.Add(NsfLayer::Add("sum"), {a}), Contains("two or more inputs"));
    CHECK_THROWS_WITH(m.Add(NsfLayer::Relu("a")), Contains("duplicate layer name 'a'"));
    CHECK_THROWS_WITH(m.Add(NsfLayer::Relu("r"), {99}), Contains("not an earlier layer"));
    CHECK_THROWS_AS(NsfModel("empty", NsfShape{0, 1, 1}), AisfcInputError);
    CHECK_THROWS_WITH(NsfModel::BuiltIn("alexnet"),
                      Contains("alexnet") && Contains("vgg16") && Contains("small-cnn"));
}

TEST_CASE("small-cnn totals match a hand count", "[nsf-model]")
{
    NsfModel m = NsfModel::BuiltIn("small-cnn");
    // conv1 3->32 k3 p1 on 32x32: params 3*32*9 + 32 = 896; MACs 32*32*32 outputs x 27 =
    //   884,736; output 32x32x32 = 32,768 elements (131,072 bytes)
    // relu1: 32,768 FLOPs
    // pool1 2x2: 32x16x16 = 8,192 outputs x 3 comparisons = 24,576 FLOPs
    // conv2 32->64 k3 p1 on 16x16: params 32*64*9 + 64 = 18,496; MACs 64*16*16 = 16,384
    //   outputs x 288 = 4,718,592
    // relu2: 16,384 FLOPs
    // pool2: 64x8x8 = 4,096 outputs x 3 = 12,288 FLOPs (16,384 bytes)
    // flatten: 4096 x 1 x 1, free
    // fc1 4096->128: params 524,288 + 128 = 524,416; MACs 524,288
    // relu3: 128 FLOPs
    // fc2 128->10: params 1,280 + 10 = 1,290; MACs 1,280
    const uint64_t macs = 884736 + 4718592 + 524288 + 1280;
    const uint64_t elementwise = 32768 + 24576 + 16384 + 12288 + 128;
    CHECK(m.GetParams() == 896 + 18496 + 524416 + 1290);
    CHECK(m.GetParams() == 545098);
    CHECK(m.GetMacs() == macs);
    CHECK(m.GetMacs() == 6128896);
    CHECK(m.GetForwardFlops() == 2 * macs + elementwise);
    CHECK(m.GetBackwardFlops() == 4 * macs + elementwise);
    CHECK(m.GetInputBytes() == 3 * 32 * 32 * 4);
    CHECK(m.GetLayer(m.IndexOf("conv1")).outputBytes == 131072);
    CHECK(m.GetLayer(m.IndexOf("pool2")).outputBytes == 16384);
    CHECK(m.GetLayer(m.IndexOf("flatten")).shape == NsfShape{4096, 1, 1});
    CHECK(m.GetOutputShape() == NsfShape{10, 1, 1});
    CHECK(m.GetOutputBytes() == 40);

    // mlp 784-256-128-10: params 784*256+256 + 256*128+128 + 128*10+10 = 200,960 + 32,896 +
    // 1,290 = 235,146; MACs 200,704 + 32,768 + 1,280 = 234,752.
    NsfModel mlp = NsfModel::BuiltIn("mlp");
    CHECK(mlp.GetParams() == 235146);
    CHECK(mlp.GetMacs() == 234752);
    CHECK(mlp.GetForwardFlops() == 2 * 234752 + 256 + 128);
}

TEST_CASE("built-in models match torchvision params exactly and published MACs", "[nsf-model]")
{
    NsfModel vgg = NsfModel::BuiltIn("vgg16");
    NsfModel resnet = NsfModel::BuiltIn("resnet18");
    NsfModel mobilenet = NsfModel::BuiltIn("mobilenetv2");
    // sum(p.numel() for p in torchvision.models.<name>().parameters())
    CHECK(vgg.GetParams() == 138357544ull);
    CHECK(resnet.GetParams() == 11689512ull);
    CHECK(mobilenet.GetParams() == 3504872ull);
    // Published MACs at 224 x 224 (torchvision's "GFLOPS", which count one per MAC).
    CHECK(RelErr(double(vgg.GetMacs()), 15.47e9) < 0.01);
    CHECK(RelErr(double(resnet.GetMacs()), 1.82e9) < 0.01);
    CHECK(RelErr(double(resnet.GetMacs()), 1.81e9) < 0.01);
    CHECK(RelErr(double(mobilenet.GetMacs()), 300e6) < 0.01);
    // VGG-16 by hand: convolutions 15,346,630,656 MACs plus classifier 25088*4096 + 4096*4096
    // + 4096*1000 = 123,633,664.
    CHECK(vgg.GetMacs() == 15346630656ull + 123633664ull);
    // ResNet-18's stem: 64 * 112 * 112 outputs of 3*7*7 = 147 MACs = 118,013,952.
    CHECK(resnet.GetLayer(resnet.IndexOf("conv1")).macs == 118013952ull);
    for (const NsfModel* m : {&vgg, &resnet, &mobilenet})
    {
        CHECK(m->GetInputShape() == NsfShape{3, 224, 224});
        CHECK(m->GetOutputShape() == NsfShape{1000, 1, 1});
        CHECK(m->GetParamBytes() == 4 * m->GetParams());
        CHECK(m->GetForwardFlops() > 2 * m->GetMacs());
        CHECK(m->GetForwardFlops() < 2.1 * m->GetMacs());
    }
    // MobileNetV2's first block is depthwise; its last feature map is 1280 x 7 x 7.
    CHECK(mobilenet.GetLayer(mobilenet.IndexOf("features.1.dw")).IsDepthwise());
    CHECK(mobilenet.GetLayer(mobilenet.IndexOf("features.18.relu6")).shape == NsfShape{1280, 7, 7});
}

TEST_CASE("a vgg16 split at two cuts conserves FLOPs and carries the cut outputs", "[nsf-model]")
{
    NsfModel m = NsfModel::BuiltIn("vgg16");
    std::vector<NsfSubModel> subs = m.Split({"pool2", "pool5"});
    REQUIRE(subs.size() == 3);
    uint64_t fwd = 0;
    uint64_t bwd = 0;
    uint64_t params = 0;
    uint64_t macs = 0;
    size_t layers = 0;
    for (const auto& s : subs)
    {
        fwd += s.forwardFlops;
        bwd += s.backwardFlops;
        params += s.params;
        macs += s.macs;
        layers += s.layers.size();
    }
    CHECK(fwd == m.GetForwardFlops());
    CHECK(bwd == m.GetBackwardFlops());
    CHECK(params == m.GetParams());
    CHECK(macs == m.GetMacs());
    CHECK(layers == m.GetLayerCount());
    // pool2 output: 128 x 56 x 56 = 401,408 floats = 1,605,632 bytes.
    CHECK(subs[0].outputBytes == 1605632);
    CHECK(subs[0].outputBytes == m.GetLayer(m.IndexOf("pool2")).outputBytes);
    CHECK(subs[1].inputBytes == subs[0].outputBytes);
    CHECK(subs[1].inputShape == NsfShape{128, 56, 56});
    // pool5 output: 512 x 7 x 7 = 25,088 floats = 100,352 bytes.
    CHECK(subs[1].outputBytes == 100352);
    CHECK(subs[2].inputBytes == 100352);
    CHECK(subs[0].inputBytes == 3 * 224 * 224 * 4);
    CHECK(subs[2].outputBytes == 4000);
    CHECK(subs[0].layers.front().name == "input");
    CHECK(subs[1].layers.front().name == "conv3_1");
    CHECK(subs[2].layers.back().name == "fc3");
    CHECK(subs[1].name == "vgg16/1");
    // The classifier holds most weights: fc1..fc3 = 123,633,664 weights + 9,192 biases.
    CHECK(subs[2].params == 123642856ull);
    CHECK(subs[2].paramBytes == 4 * 123642856ull);
    // The largest live set of the first part: conv1_2 reads conv1_1's 64x224x224 output
    // while writing its own: 2 x 12,845,056 bytes.
    CHECK(subs[0].peakActivationBytes == 2 * 12845056ull);

    // Same split by index; and no cut gives the whole model.
    std::vector<NsfSubModel> byIndex = m.SplitAtIndexes({m.IndexOf("pool2"), m.IndexOf("pool5")});
    CHECK(byIndex[1].forwardFlops == subs[1].forwardFlops);
    std::vector<NsfSubModel> one = m.Split(std::vector<std::string>{});
    REQUIRE(one.size() == 1);
    CHECK(one[0].forwardFlops == m.GetForwardFlops());
    CHECK(one[0].outputBytes == 4000);

    CHECK_THROWS_WITH(m.Split({"pool5", "pool2"}),
                      Contains("cut after 'pool2'") && Contains("in model order"));
    CHECK_THROWS_WITH(m.Split({"pool2", "pool2"}), Contains("distinct"));
    CHECK_THROWS_WITH(m.Split({"pool9"}), Contains("'pool9'") && Contains("no layer"));
    CHECK_THROWS_WITH(m.Split({"fc3"}), Contains("after the last layer"));
    CHECK_THROWS_WITH(m.Split({"input"}), Contains("empty sub-model"));
}

TEST_CASE("a cut inside a resnet residual block is refused naming the layer", "[nsf-model]")
{
    NsfModel m = NsfModel::BuiltIn("resnet18");
    CHECK_THROWS_AS(m.Split({"layer1.0.conv1"}), AisfcInputError);
    CHECK_THROWS_WITH(m.Split({"layer1.0.conv1"}),
                      Contains("cut after 'layer1.0.conv1'") && Contains("residual block") &&
                          Contains("'maxpool'"));
    CHECK_THROWS_WITH(m.Split({"maxpool", "layer2.0.downsample.1"}),
                      Contains("layer2.0.downsample.1") && Contains("2 tensors"));
    std::string why;
    CHECK_FALSE(m.CanCutAfter(m.IndexOf("layer3.1.bn2"), &why));
    CHECK_THAT(why, Contains("residual"));
    // Block outputs are valid cuts: one 128 x 28 x 28 tensor crosses.
    std::vector<NsfSubModel> subs = m.Split({"layer2.1.relu2"});
    REQUIRE(subs.size() == 2);
    CHECK(subs[0].outputBytes == 128 * 28 * 28 * 4);
    CHECK(subs[0].forwardFlops + subs[1].forwardFlops == m.GetForwardFlops());
    // Valid cuts: the 4 stem layers, add and relu2 of 8 blocks, avgpool and flatten.
    size_t valid = 0;
    for (size_t i = 0; i < m.GetLayerCount(); ++i)
    {
        valid += m.CanCutAfter(i) ? 1 : 0;
    }
    CHECK(valid == 4 + 2 * 8 + 2);
}

TEST_CASE("JSON import round trips and builds custom residual models", "[nsf-model]")
{
    for (const std::string& name : NsfModel::BuiltInNames())
    {
        NsfModel m = NsfModel::BuiltIn(name);
        NsfModel back = NsfModel::FromJson(m.ToJson(), name + ".json");
        INFO(name);
        CHECK(back.GetName() == m.GetName());
        CHECK(back.GetLayerCount() == m.GetLayerCount());
        CHECK(back.GetParams() == m.GetParams());
        CHECK(back.GetMacs() == m.GetMacs());
        CHECK(back.GetForwardFlops() == m.GetForwardFlops());
        CHECK(back.GetBackwardFlops() == m.GetBackwardFlops());
        CHECK(back.Whole().storedActivationBytes == m.Whole().storedActivationBytes);
        CHECK(back.ToJson() == m.ToJson());
    }
    NsfModel m = FromText(R"({"name": "tiny-res", "input": [8, 16, 16], "bytes_per_element": 2,
        "layers": [
          {"name": "c1", "type": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1},
          {"name": "r1", "type": "relu"},
          {"name": "c2", "type": "conv2d", "in_channels": 8, "out_channels": 8, "kernel": 3,
           "padding": 1, "bias": false},
          {"name": "sum", "type": "add", "inputs": ["c2", "input"]},
          {"name": "gap", "type": "global_avgpool"},
          {"name": "flat", "type": "flatten"},
          {"name": "drop", "type": "dropout", "p": 0.1},
          {"name": "fc", "type": "linear", "out_features": 4},
          {"name": "prob", "type": "softmax"}]})");
    CHECK(m.GetBytesPerElement() == 2);
    // c1: 8*8*9 + 8 = 584; c2: 576; fc: 8*4 + 4 = 36.
    CHECK(m.GetParams() == 584 + 576 + 36);
    CHECK(m.GetLayer(m.IndexOf("sum")).inputs == std::vector<size_t>{3, 0});
    CHECK(m.GetInputBytes() == 8 * 16 * 16 * 2);
    CHECK_THROWS_WITH(m.Split({"r1"}), Contains("residual"));
    CHECK(m.Split({"sum"}).size() == 2);
}

TEST_CASE("bad model JSON gives errors naming the JSON path", "[nsf-model]")
{
    auto doc = [](const std::string& layers, const std::string& extra = "") {
        return R"({"name": "x", "input": [3, 8, 8])" + extra + R"(, "layers": [)" + layers + "]}";
    };
    CHECK_THROWS_WITH(FromText(doc(R"({"name": "a", "type": "conv3d"})")),
                      Contains("m.json: /layers/0/type") && Contains("unknown layer type") &&
                          Contains("conv2d"));
    CHECK_THROWS_WITH(FromText(doc(R"({"name": "a", "type": "conv2d", "kernel": 3})")),
                      Contains("m.json: /layers/0/out_channels") && Contains("missing"));
    CHECK_THROWS_WITH(
        FromText(
            doc(R"({"name": "a", "type": "conv2d", "out_channels": 4, "kernel": 3, "kernal": 3})")),
        Contains("/layers/0/kernal"));
    CHECK_THROWS_WITH(FromText(doc(R"({"name": "a", "type": "relu"},
                                     {"name": "b", "type": "add", "inputs": ["a", "zz"]})")),
                      Contains("m.json: /layers/1/inputs/1") && Contains("'zz'"));
    CHECK_THROWS_WITH(FromText(doc(R"({"name": "a", "type": "relu"},
                                     {"name": "b", "type": "linear", "out_features": 2})")),
                      Contains("m.json: /layers/1") && Contains("flatten"));
    CHECK_THROWS_WITH(FromText(doc(R"({"name": "a", "type": "conv2d", "out_channels": 4,
                                       "kernel": 3, "in_channels": 5})")),
                      Contains("m.json: /layers/0") && Contains("in_channels 5"));
    CHECK_THROWS_WITH(FromText(doc(R"({"name": "a", "type": "conv2d", "out_channels": -4,
                                       "kernel": 3})")),
                      Contains("m.json: /layers/0/out_channels"));
    CHECK_THROWS_WITH(FromText(doc(R"({"name": "a", "type": "input"})")),
                      Contains("/layers/0/type") && Contains("implicit"));
    CHECK_THROWS_WITH(FromText(doc("")), Contains("m.json: /layers") && Contains("at least one"));
    CHECK_THROWS_WITH(
        FromText(doc(R"({"name": "a", "type": "relu"})", R"(, "bytes_per_element": 0)")),
        Contains("m.json: /bytes_per_element"));
    CHECK_THROWS_WITH(FromText(R"({"name": "x", "input": [3, 8], "layers": []})"),
                      Contains("m.json: /input") && Contains("[C, H, W]"));
    CHECK_THROWS_WITH(
        FromText(R"({"name": "x", "input": [3, 8, 8], "layers": [{"name": "r", "type": "relu"}],
                                  "extra": 1})"),
        Contains("m.json: /extra"));
}

TEST_CASE("device time follows the batch-efficiency curve", "[nsf-model]")
{
    NsfDevice gpu = NsfDevice::Preset("server-gpu");
    CHECK(gpu.GetPeakFlops() == 19.5e12);
    // efficiency(b) = effMax * b / (b + bHalf) with effMax 0.6 and bHalf 4:
    // b = 1: 0.6 / 5 = 0.12; b = 16: 0.6 * 16 / 20 = 0.48.
    CHECK(gpu.Efficiency(1) == Approx(0.12));
    CHECK(gpu.Efficiency(16) == Approx(0.48));
    // 1 GFLOP per sample: b = 1 takes 50 us + 1e9 / (19.5e12 * 0.12);
    // b = 16 takes 50 us + 16e9 / (19.5e12 * 0.48).
    CHECK(gpu.ComputeTime(1e9, 1, false) == Approx(50e-6 + 1e9 / (19.5e12 * 0.12)));
    CHECK(gpu.ComputeTime(1e9, 16, false) == Approx(50e-6 + 16e9 / (19.5e12 * 0.48)));
    CHECK(gpu.ComputeTime(1e9, 16, true) == Approx(50e-6 + 32e9 / (19.5e12 * 0.48)));

    NsfSubModel resnet = NsfModel::BuiltIn("resnet18").Whole();
    for (const std::string& preset : NsfDevice::PresetNames())
    {
        INFO(preset);
        NsfDevice d = NsfDevice::Preset(preset);
        double last = 0;
        double lastPerSample = 1e9;
        for (uint32_t b = 1; b <= 64; ++b)
        {
            double t = d.ComputeTime(resnet, b, false);
            CHECK(t > last);
            CHECK(t / b < lastPerSample);
            last = t;
            lastPerSample = t / b;
        }
        CHECK(d.ComputeTime(resnet, 8, false) ==
              Approx(d.ComputeTime(double(resnet.forwardFlops), 8, false)));
        CHECK(d.ComputeTime(resnet, 8, true) > d.ComputeTime(resnet, 8, false));
    }
    // The presets rank as their peaks: one ResNet-18 sample is fastest on the server GPU.
    CHECK(NsfDevice::Preset("server-gpu").ComputeTime(resnet, 32, false) <
          NsfDevice::Preset("edge-gpu").ComputeTime(resnet, 32, false));
    CHECK_THROWS_WITH(gpu.Efficiency(0), Contains("batch size"));
    CHECK_THROWS_WITH(NsfDevice::Preset("tpu"), Contains("tpu") && Contains("edge-gpu"));
    CHECK_THROWS_WITH(NsfDevice("d", 1e12, 1, 1.5, 1, 0),
                      Contains("device 'd'") && Contains("effMax"));
}

TEST_CASE("device refuses a batch that does not fit in memory", "[nsf-model]")
{
    NsfModel vgg = NsfModel::BuiltIn("vgg16");
    NsfSubModel whole = vgg.Whole();
    NsfDevice edge = NsfDevice::Preset("edge-gpu");
    // Inference, batch 1: 138,357,544 * 4 = 553,430,176 bytes of weights + the peak live set
    // of 2 x 12,845,056 = 25,690,112 bytes.
    CHECK(NsfDevice::MemoryRequired(whole, 1, false) == 553430176ull + 25690112ull);
    // Training keeps gradients (2 x weights) and every activation.
    CHECK(NsfDevice::MemoryRequired(whole, 2, true) ==
          2 * 553430176ull + 2 * whole.storedActivationBytes);
    // 6 GiB: 8 training samples need about 2.0 GB; 64 need about 8.5 GB.
    CHECK(edge.Fits(whole, 8, true));
    CHECK_FALSE(edge.Fits(whole, 64, true));
    CHECK_NOTHROW(edge.CheckFits(whole, 8, true));
    CHECK_THROWS_WITH(edge.CheckFits(whole, 64, true),
                      Contains("device 'edge-gpu'") && Contains("vgg16/0") &&
                          Contains("batch 64") && Contains("training"));
    CHECK_THROWS_WITH(edge.ComputeTime(whole, 64, true),
                      Contains("does not fit") || Contains("needs"));
    // Inference fits more: 128 samples need 3.8 GB, 256 need 7.1 GB.
    CHECK_NOTHROW(edge.ComputeTime(whole, 128, false));
    CHECK_THROWS_AS(edge.ComputeTime(whole, 256, false), AisfcInputError);
    // The small tail of a split fits where the whole model does not.
    std::vector<NsfSubModel> subs = vgg.Split({"pool5"});
    CHECK(edge.Fits(subs[1], 256, false));
}

TEST_CASE("devices read from JSON start from a preset and name bad paths", "[nsf-model]")
{
    nlohmann::json j = nlohmann::json::parse(
        R"({"preset": "edge-gpu", "name": "jetson-1", "memory": "4GiB", "call_overhead": "1ms"})");
    JsonReader r(j, "d.json");
    NsfDevice d = NsfDevice::FromJson(r);
    CHECK(d.GetName() == "jetson-1");
    CHECK(d.GetMemoryBytes() == 4ull << 30);
    CHECK(d.GetCallOverhead() == Approx(1e-3));
    CHECK(d.GetPeakFlops() == NsfDevice::Preset("edge-gpu").GetPeakFlops());

    nlohmann::json full = nlohmann::json::parse(
        R"({"peak_flops": 1e12, "memory": 1000000, "eff_max": 0.5, "b_half": 0})");
    JsonReader rf(full, "d.json", "/devices/0");
    NsfDevice f = NsfDevice::FromJson(rf);
    CHECK(f.Efficiency(1) == Approx(0.5));

    auto bad = [](const std::string& text) {
        nlohmann::json b = nlohmann::json::parse(text);
        JsonReader rb(b, "d.json", "/devices/0");
        return NsfDevice::FromJson(rb);
    };
    CHECK_THROWS_WITH(bad(R"({"preset": "tpu"})"),
                      Contains("d.json: /devices/0/preset") && Contains("'tpu'"));
    CHECK_THROWS_WITH(bad(R"({"peak_flops": 1e12})"),
                      Contains("d.json: /devices/0/memory") && Contains("no preset"));
    CHECK_THROWS_WITH(bad(R"({"preset": "cpu", "eff_max": 2})"),
                      Contains("d.json: /devices/0/eff_max"));
    CHECK_THROWS_WITH(bad(R"({"preset": "cpu", "speed": 2})"), Contains("/devices/0/speed"));
}
