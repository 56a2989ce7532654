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
 * client and the NSFs as events happen, so that a batch's latency splits exactly into transfer
 * per hop (the last byte of the previous stage's output to the last byte received here; it
 * includes the SFC proxy), queueing (waiting for the device) and compute per stage, and the
 * return to the client.
 */
class NsfBatchLog : public SimpleRefCount<NsfBatchLog>
{
  public:
    /// One stage's times for a batch.
    struct Stage
    {
        Time received;     //!< the whole input arrived
        Time computeStart; //!< the device took it
        Time computeEnd;   //!< the device finished
    };

    /// One batch.
    struct Batch
    {
        uint32_t samples = 0;
        Time sent; //!< the client started sending it
        std::map<uint32_t, Stage> stages;
        Time resultReceived; //!< the client had the whole result (zero until then)
        bool done = false;
    };

    /// \brief The client starts sending a batch.
    void Sent(uint32_t batch, uint32_t samples);
    /// \brief Stage k received a batch's whole input.
    void Received(uint32_t stage, uint32_t batch);
    /// \brief Stage k's device starts / ends a batch.
    void Compute(uint32_t stage, uint32_t batch, Time start, Time end);
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
