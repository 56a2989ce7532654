/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef NSF_DEVICE_H
#define NSF_DEVICE_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

struct NsfSubModel;
class JsonReader;

/**
 * \ingroup aisfc
 * A compute device that runs sub-models: peak FLOP/s, memory, a batch-efficiency curve and a
 * fixed overhead per call.
 *
 * Time of one pass over a batch of b samples of F FLOPs each:
 *
 *     t(b) = overhead + b * F / (peakFlops * efficiency(b)),
 *     efficiency(b) = effMax * b / (b + bHalf).
 *
 * The efficiency curve is the usual saturating fit of accelerator utilisation: small batches
 * leave most of the cores idle, large ones approach effMax (a real framework never reaches
 * peak); bHalf is the batch at which half of effMax is reached.  Substituting gives
 * t(b) = overhead + F * (b + bHalf) / (effMax * peakFlops): time grows linearly with the batch
 * while the time per sample falls, as measured for split inference (small batches suit real-time
 * MSI).  The overhead stands for the kernel launches and framework dispatch of one call.
 *
 * Memory (per device, one sub-model):
 * - inference: parameter bytes + b x the sub-model's peak live activation bytes per sample;
 * - training: 2 x parameter bytes (weights and their gradients; optimiser state is not
 *   counted) + b x the activation bytes kept for the backward pass (input and every output).
 */
class NsfDevice
{
  public:
    /**
     * \brief Describe a device.
     * \param name device name (used in errors)
     * \param peakFlops peak FLOP/s (> 0)
     * \param memoryBytes memory available to sub-models (> 0)
     * \param effMax largest fraction of peak reached, in (0, 1]
     * \param bHalf batch at which efficiency is effMax / 2 (>= 0; 0: no batch effect)
     * \param callOverhead seconds added to every call (>= 0)
     * \throws AisfcInputError naming the device when a figure is out of range
     */
    NsfDevice(std::string name,
              double peakFlops,
              uint64_t memoryBytes,
              double effMax,
              double bHalf,
              double callOverhead);

    /**
     * \brief A preset device.
     *
     * Assumed figures (FP32, no tensor cores):
     * - "server-gpu": an NVIDIA A100-class card: 19.5 TFLOP/s FP32 peak (datasheet), 40 GiB,
     *   effMax 0.6, bHalf 4, 50 us per call;
     * - "edge-gpu": a Jetson Orin Nano-class module: 1024 CUDA cores x 625 MHz x 2 = 1.28
     *   TFLOP/s, 6 GiB usable of its 8 GB shared with the CPU, effMax 0.5, bHalf 2, 100 us per
     *   call;
     * - "cpu": an 8-core AVX2 server CPU: 8 cores x 2 FMA units x 8 lanes x 2 FLOP x 2 GHz =
     *   512 GFLOP/s, 64 GiB, effMax 0.5, bHalf 1 (few cores fill early), 10 us per call.
     * \param name the preset
     * \return the device
     * \throws AisfcInputError for an unknown preset, listing the known ones
     */
    static NsfDevice Preset(const std::string& name);

    /// \brief \return the names Preset accepts
    static std::vector<std::string> PresetNames();

    /**
     * \brief Read a device from JSON: {"preset"?, "name"?, "peak_flops"?, "memory"?,
     * "eff_max"?, "b_half"?, "call_overhead"?}; values not given come from the preset, and
     * without a preset all of peak_flops, memory, eff_max and b_half are required.
     * \param r reader of the device object (Finish() is called)
     * \return the device
     * \throws AisfcInputError naming the JSON path of a bad value
     */
    static NsfDevice FromJson(JsonReader& r);

    /// \brief \return the device name
    const std::string& GetName() const;
    /// \brief \return peak FLOP/s
    double GetPeakFlops() const;
    /// \brief \return memory in bytes
    uint64_t GetMemoryBytes() const;
    /// \brief \return the largest fraction of peak reached
    double GetEffMax() const;
    /// \brief \return the batch at which half of effMax is reached
    double GetBHalf() const;
    /// \brief \return seconds added to every call
    double GetCallOverhead() const;

    /**
     * \brief Fraction of peak reached with a batch.
     * \param batch samples per call (>= 1)
     * \return effMax * batch / (batch + bHalf)
     */
    double Efficiency(uint32_t batch) const;

    /**
     * \brief Time of one pass given the forward FLOPs per sample (no memory check).
     * \param forwardFlopsPerSample forward FLOPs of one sample (>= 0)
     * \param batch samples per call (>= 1)
     * \param backward false: the forward pass; true: the backward pass alone, taken as 2 x the
     * forward FLOPs (the NsfLayer convention for weight layers, which dominate)
     * \return seconds
     */
    double ComputeTime(double forwardFlopsPerSample, uint32_t batch, bool backward) const;

    /**
     * \brief Time of one pass of a sub-model over a batch, after checking it fits in memory.
     *
     * Split learning runs the forward pass when data arrive and the backward pass when the
     * gradient comes back, so the two are timed separately; a training step costs both.  The
     * forward pass checks the inference memory, the backward pass the training memory: call
     * CheckFits(sub, batch, true) first to refuse a training configuration up front.
     * \param sub the sub-model
     * \param batch samples per call (>= 1)
     * \param backward false: forward pass; true: backward pass alone
     * \return seconds
     * \throws AisfcInputError naming the device when the batch does not fit
     */
    double ComputeTime(const NsfSubModel& sub, uint32_t batch, bool backward) const;

    /**
     * \brief Memory a sub-model needs for a batch (see the class description).
     * \param sub the sub-model
     * \param batch samples per call
     * \param training whether activations and gradients are kept for a backward pass
     * \return bytes
     */
    static uint64_t MemoryRequired(const NsfSubModel& sub, uint32_t batch, bool training);

    /**
     * \brief Whether a sub-model and its batch fit in this device's memory.
     * \param sub the sub-model
     * \param batch samples per call
     * \param training whether for training
     * \return true when MemoryRequired <= memory
     */
    bool Fits(const NsfSubModel& sub, uint32_t batch, bool training) const;

    /**
     * \brief Refuse a sub-model and batch that do not fit, with the figures.
     * \param sub the sub-model
     * \param batch samples per call
     * \param training whether for training
     * \throws AisfcInputError naming the device, the sub-model and the bytes needed
     */
    void CheckFits(const NsfSubModel& sub, uint32_t batch, bool training) const;

  private:
    void CheckBatch(uint32_t batch) const;

    std::string m_name;
    double m_peakFlops;
    uint64_t m_memoryBytes;
    double m_effMax;
    double m_bHalf;
    double m_callOverhead;
};

} // namespace ns3

#endif // NSF_DEVICE_H
