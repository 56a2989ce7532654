/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef NSF_CLIENT_H
#define NSF_CLIENT_H

#include "nsf-batch-log.h"
#include "nsf-frame.h"

#include "ns3/application.h"
#include "ns3/ipv6-address.h"
#include "ns3/learn-dataset.h"

#include <map>
#include <memory>

namespace ns3
{

class Socket;

/**
 * \ingroup aisfc
 * The client of multi-hop split inference: sends mini-batches of input samples to the chain
 * (to the service address, which an SR policy steers through the NSFs, or to the first NSF in
 * the baseline) and receives the results on its own port from the last NSF.  Closed loop: the
 * next mini-batch leaves when the previous result has arrived, as the paper's real-time
 * inference does.
 */
class NsfClient : public Application
{
  public:
    /// \brief \return the TypeId
    static TypeId GetTypeId();
    NsfClient();
    ~NsfClient() override;

    /// \brief Configure (before start): where to send, bytes of one input sample, the batch
    /// log (may be null).
    void Setup(const Ipv6Address& destination,
               uint16_t port,
               uint64_t inputBytesPerSample,
               Ptr<NsfBatchLog> log);
    /// \brief Numeric mode: send real mini-batches of this data set (features then one 32-bit
    /// label per sample), in the seeded order of LearnBatchIterator.
    void SetNumericData(std::shared_ptr<const LearnDataset> data, uint64_t shuffleSeed);
    /// \brief U-shaped split learning: the client keeps the labels, computes the loss on the
    /// output the last NSF returns (a RESULT marked LOGITS) and sends the gradient back to
    /// `destination` (the reverse chain's service address, or the last NSF); the iteration
    /// ends with the first NSF's RESULT.
    void SetLabelsAtClient(const Ipv6Address& destination, uint16_t port);
    /// \brief \return the loss of every batch (U-shaped, numeric mode)
    const std::vector<double>& GetLosses() const;
    /// \brief \return mini-batches whose result arrived
    uint32_t GetCompleted() const;
    /// \brief \return data segments its connections had to send again
    uint64_t GetRetransmissions() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void SendBatch();
    void AcceptResult(Ptr<Socket> socket, const Address& from);
    void ReceiveResult(Ptr<Socket> socket);

    uint32_t m_batchSize;
    uint32_t m_batches;
    uint16_t m_resultPort;
    Ipv6Address m_destination;
    uint16_t m_port = 0;
    uint64_t m_inputBytes = 0;
    Ptr<NsfBatchLog> m_log;

    Ptr<Socket> m_out;
    std::unique_ptr<NsfFrameWriter> m_writer;
    Ptr<Socket> m_listener;
    std::vector<std::pair<Ptr<Socket>, std::shared_ptr<NsfFrameReader>>> m_results;
    uint32_t m_next = 0;
    uint32_t m_completed = 0;
    std::shared_ptr<const LearnDataset> m_data;
    std::unique_ptr<LearnBatchIterator> m_batchesOfData;
    bool m_labelsAtClient = false;
    Ipv6Address m_backwardDestination;
    uint16_t m_backwardPort = 0;
    std::unique_ptr<NsfFrameWriter> m_backward;
    std::map<uint32_t, std::vector<int>> m_labels; //!< per batch in flight (U-shaped, numeric)
    std::vector<double> m_losses;
    void ReturnGradient(const NsfFrame& logits);
};

} // namespace ns3

#endif
