/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef NSF_BATCH_LOG_H
#define NSF_BATCH_LOG_H

#include "ns3/nstime.h"
#include "ns3/simple-ref-count.h"

#include <map>
#include <nlohmann/json.hpp>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * The timeline of every mini-batch through a chain of neural service functions, written by the
 * client and the NSFs as events happen, so that a batch's latency (an inference, or a training
 * iteration: forward along the chain, backward along the reverse chain) splits exactly into
 * transfer per hop (the previous visit's end to the whole input here; it includes the SFC
 * proxy), queueing (waiting for the device) and compute per visit, and the return to the
 * client.
 */
class NsfBatchLog : public SimpleRefCount<NsfBatchLog>
{
  public:
    /// One visit of a batch at a stage: its forward pass, or (training) its backward pass.
    struct Visit
    {
        uint32_t stage = 0;
        bool backward = false;
        Time received;     //!< the whole input (activations or gradients) was there
        Time computeStart; //!< the device took it
        Time computeEnd;   //!< the device finished
    };

    /// One batch.
    struct Batch
    {
        uint32_t samples = 0;
        Time sent;                 //!< the client started sending it
        std::vector<Visit> visits; //!< in the order they happened
        Time resultReceived;       //!< the client had the whole result (zero until then)
        bool done = false;
    };

    /// \brief The client starts sending a batch.
    void Sent(uint32_t batch, uint32_t samples);
    /// \brief Stage k has a batch's whole input for a forward or backward pass.
    void Received(uint32_t stage, uint32_t batch, bool backward = false);
    /// \brief Stage k's device starts / ends that pass.
    void Compute(uint32_t stage, uint32_t batch, Time start, Time end, bool backward = false);
    /// \brief The client received a batch's whole result.
    void ResultReceived(uint32_t batch);

    /// \brief \return every batch
    const std::map<uint32_t, Batch>& GetBatches() const;
    /// \brief \return batches whose result arrived
    uint32_t Completed() const;
    /// \brief \return per batch: latency and its parts (seconds); and means over batches
    nlohmann::json ToJson() const;

  private:
    std::map<uint32_t, Batch> m_batches;
};

} // namespace ns3

#endif
