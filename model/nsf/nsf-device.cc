/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "nsf-device.h"

#include "nsf-model.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-json-reader.h"

#include <cmath>
#include <sstream>

namespace ns3
{

namespace
{

std::string
Place(const std::string& name)
{
    return "device '" + name + "'";
}

std::string
Gb(uint64_t bytes)
{
    std::ostringstream os;
    os.precision(4);
    os << double(bytes) / double(1ull << 30) << " GiB";
    return os.str();
}

constexpr uint64_t GIB = 1ull << 30;

} // namespace

NsfDevice::NsfDevice(std::string name,
                     double peakFlops,
                     uint64_t memoryBytes,
                     double effMax,
                     double bHalf,
                     double callOverhead)
    : m_name(std::move(name)),
      m_peakFlops(peakFlops),
      m_memoryBytes(memoryBytes),
      m_effMax(effMax),
      m_bHalf(bHalf),
      m_callOverhead(callOverhead)
{
    // Written as negations so that NaN is refused too.
    if (!(peakFlops > 0) || std::isinf(peakFlops))
    {
        throw AisfcInputError(Place(m_name), "peak FLOP/s must be positive and finite");
    }
    if (memoryBytes == 0)
    {
        throw AisfcInputError(Place(m_name), "memory must be positive");
    }
    if (!(effMax > 0 && effMax <= 1))
    {
        throw AisfcInputError(Place(m_name), "effMax must be in (0, 1]");
    }
    if (!(bHalf >= 0) || std::isinf(bHalf))
    {
        throw AisfcInputError(Place(m_name), "bHalf must be a finite number >= 0");
    }
    if (!(callOverhead >= 0) || std::isinf(callOverhead))
    {
        throw AisfcInputError(Place(m_name), "call overhead must be a finite number >= 0");
    }
}

NsfDevice
NsfDevice::Preset(const std::string& name)
{
    if (name == "server-gpu")
    {
        return NsfDevice(name, 19.5e12, 40 * GIB, 0.6, 4, 50e-6);
    }
    if (name == "edge-gpu")
    {
        return NsfDevice(name, 1024 * 625e6 * 2, 6 * GIB, 0.5, 2, 100e-6);
    }
    if (name == "cpu")
    {
        return NsfDevice(name, 8 * 2 * 8 * 2 * 2e9, 64 * GIB, 0.5, 1, 10e-6);
    }
    std::string known;
    for (const auto& n : PresetNames())
    {
        known += (known.empty() ? "" : ", ") + n;
    }
    throw AisfcInputError(Place(name), "unknown device preset (known: " + known + ")");
}

std::vector<std::string>
NsfDevice::PresetNames()
{
    return {"server-gpu", "edge-gpu", "cpu"};
}

NsfDevice
NsfDevice::FromJson(JsonReader& r)
{
    const bool hasPreset = r.Has("preset");
    const std::string preset = r.GetString("preset", "");
    NsfDevice base("device", 1, 1, 1, 0, 0);
    if (hasPreset)
    {
        try
        {
            base = Preset(preset);
        }
        catch (const AisfcInputError&)
        {
            std::string known;
            for (const auto& n : PresetNames())
            {
                known += (known.empty() ? "" : ", ") + n;
            }
            throw AisfcInputError(r.Place("preset"),
                                  "unknown device preset '" + preset + "' (known: " + known + ")");
        }
    }
    for (const char* key : {"peak_flops", "memory", "eff_max", "b_half"})
    {
        if (!hasPreset && !r.Has(key))
        {
            throw AisfcInputError(r.Place(key), "required when no preset is given");
        }
    }
    const std::string name = r.GetString("name", hasPreset ? preset : "device");
    const double peak = r.GetNumber("peak_flops", base.m_peakFlops);
    if (!(peak > 0) || std::isinf(peak))
    {
        throw AisfcInputError(r.Place("peak_flops"), "must be positive");
    }
    const uint64_t memory = r.GetBytes("memory", base.m_memoryBytes);
    if (memory == 0)
    {
        throw AisfcInputError(r.Place("memory"), "must be positive");
    }
    const double effMax = r.GetNumber("eff_max", base.m_effMax);
    if (!(effMax > 0 && effMax <= 1))
    {
        throw AisfcInputError(r.Place("eff_max"), "must be in (0, 1]");
    }
    const double bHalf = r.GetNumber("b_half", base.m_bHalf);
    if (!(bHalf >= 0))
    {
        throw AisfcInputError(r.Place("b_half"), "must be >= 0");
    }
    const double overhead = r.GetDuration("call_overhead", base.m_callOverhead);
    r.Finish();
    return NsfDevice(name, peak, memory, effMax, bHalf, overhead);
}

const std::string&
NsfDevice::GetName() const
{
    return m_name;
}

double
NsfDevice::GetPeakFlops() const
{
    return m_peakFlops;
}

uint64_t
NsfDevice::GetMemoryBytes() const
{
    return m_memoryBytes;
}

double
NsfDevice::GetEffMax() const
{
    return m_effMax;
}

double
NsfDevice::GetBHalf() const
{
    return m_bHalf;
}

double
NsfDevice::GetCallOverhead() const
{
    return m_callOverhead;
}

void
NsfDevice::CheckBatch(uint32_t batch) const
{
    if (batch == 0)
    {
        throw AisfcInputError(Place(m_name), "batch size must be at least 1");
    }
}

double
NsfDevice::Efficiency(uint32_t batch) const
{
    CheckBatch(batch);
    return m_effMax * batch / (batch + m_bHalf);
}

double
NsfDevice::ComputeTime(double forwardFlopsPerSample, uint32_t batch, bool backward) const
{
    if (!(forwardFlopsPerSample >= 0) || std::isinf(forwardFlopsPerSample))
    {
        throw AisfcInputError(Place(m_name), "FLOPs per sample must be a finite number >= 0");
    }
    const double flops = backward ? 2 * forwardFlopsPerSample : forwardFlopsPerSample;
    return m_callOverhead + batch * flops / (m_peakFlops * Efficiency(batch));
}

double
NsfDevice::ComputeTime(const NsfSubModel& sub, uint32_t batch, bool backward) const
{
    CheckFits(sub, batch, backward);
    const double flops = double(backward ? sub.backwardFlops : sub.forwardFlops);
    return m_callOverhead + batch * flops / (m_peakFlops * Efficiency(batch));
}

uint64_t
NsfDevice::MemoryRequired(const NsfSubModel& sub, uint32_t batch, bool training)
{
    if (training)
    {
        return 2 * sub.paramBytes + uint64_t(batch) * sub.storedActivationBytes;
    }
    return sub.paramBytes + uint64_t(batch) * sub.peakActivationBytes;
}

bool
NsfDevice::Fits(const NsfSubModel& sub, uint32_t batch, bool training) const
{
    return MemoryRequired(sub, batch, training) <= m_memoryBytes;
}

void
NsfDevice::CheckFits(const NsfSubModel& sub, uint32_t batch, bool training) const
{
    CheckBatch(batch);
    const uint64_t need = MemoryRequired(sub, batch, training);
    if (need > m_memoryBytes)
    {
        const uint64_t params = training ? 2 * sub.paramBytes : sub.paramBytes;
        throw AisfcInputError(
            Place(m_name),
            "sub-model '" + sub.name + "' with batch " + std::to_string(batch) + " needs " +
                Gb(need) + " for " + (training ? "training" : "inference") + " (" + Gb(params) +
                (training ? " of weights and gradients, " : " of weights, ") + Gb(need - params) +
                " of activations) but the device has " + Gb(m_memoryBytes));
    }
}

} // namespace ns3
