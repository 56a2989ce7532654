/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "nsf-batch-log.h"

#include "ns3/simulator.h"

namespace ns3
{

void
NsfBatchLog::Sent(uint32_t batch, uint32_t samples)
{
    Batch& b = m_batches[batch];
    b.samples = samples;
    b.sent = Simulator::Now();
}

void
NsfBatchLog::Received(uint32_t stage, uint32_t batch, bool backward)
{
    Visit v;
    v.stage = stage;
    v.backward = backward;
    v.received = Simulator::Now();
    m_batches[batch].visits.push_back(v);
}

void
NsfBatchLog::Compute(uint32_t stage, uint32_t batch, Time start, Time end, bool backward)
{
    std::vector<Visit>& visits = m_batches[batch].visits;
    for (auto v = visits.rbegin(); v != visits.rend(); ++v)
    {
        if (v->stage == stage && v->backward == backward)
        {
            v->computeStart = start;
            v->computeEnd = end;
            return;
        }
    }
}

void
NsfBatchLog::ResultReceived(uint32_t batch)
{
    Batch& b = m_batches[batch];
    b.resultReceived = Simulator::Now();
    b.done = true;
}

const std::map<uint32_t, NsfBatchLog::Batch>&
NsfBatchLog::GetBatches() const
{
    return m_batches;
}

uint32_t
NsfBatchLog::Completed() const
{
    uint32_t n = 0;
    for (const auto& [id, b] : m_batches)
    {
        n += b.done;
    }
    return n;
}

nlohmann::json
NsfBatchLog::ToJson() const
{
    nlohmann::json batches = nlohmann::json::array();
    double sumLatency = 0;
    double sumCompute = 0;
    double sumTransfer = 0;
    double sumQueue = 0;
    uint32_t done = 0;
    for (const auto& [id, b] : m_batches)
    {
        if (!b.done)
        {
            continue;
        }
        nlohmann::json stages = nlohmann::json::array();
        Time previous = b.sent;
        double compute = 0;
        double transfer = 0;
        double queue = 0;
        for (const Visit& v : b.visits)
        {
            double hop = (v.received - previous).GetSeconds();
            double wait = (v.computeStart - v.received).GetSeconds();
            double work = (v.computeEnd - v.computeStart).GetSeconds();
            stages.push_back({{"stage", v.stage},
                              {"direction", v.backward ? "backward" : "forward"},
                              {"transfer_s", hop},
                              {"queue_s", wait},
                              {"compute_s", work}});
            transfer += hop;
            queue += wait;
            compute += work;
            previous = v.computeEnd;
        }
        double back = (b.resultReceived - previous).GetSeconds();
        transfer += back;
        double latency = (b.resultReceived - b.sent).GetSeconds();
        batches.push_back({{"batch", id},
                           {"samples", b.samples},
                           {"sent_s", b.sent.GetSeconds()},
                           {"latency_s", latency},
                           {"compute_s", compute},
                           {"queue_s", queue},
                           {"transfer_s", transfer},
                           {"return_s", back},
                           {"stages", stages}});
        sumLatency += latency;
        sumCompute += compute;
        sumTransfer += transfer;
        sumQueue += queue;
        ++done;
    }
    auto mean = [done](double s) { return done ? nlohmann::json(s / done) : nlohmann::json(); };
    return {{"batches", batches},
            {"completed", done},
            {"sent", m_batches.size()},
            {"mean_latency_s", mean(sumLatency)},
            {"mean_compute_s", mean(sumCompute)},
            {"mean_transfer_s", mean(sumTransfer)},
            {"mean_queue_s", mean(sumQueue)}};
}

} // namespace ns3
