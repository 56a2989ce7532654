/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef NSF_APPLICATION_H
#define NSF_APPLICATION_H

#include "nsf-batch-log.h"
#include "nsf-device.h"
#include "nsf-frame.h"
#include "nsf-model.h"

#include "ns3/application.h"
#include "ns3/ipv6-address.h"
#include "ns3/learn-dense-network.h"

#include <deque>
#include <map>
#include <memory>

namespace ns3
{

class Socket;

/// \ingroup aisfc Where a neural service function sends what it computed.
struct NsfNextHop
{
    Ipv6Address address; //!< the chain's service address (SFC), the next NSF (baseline), or
                         //!< the client (the last stage)
    uint16_t port = 0;   //!< its port
    bool result = false; //!< send RESULT frames (the last stage) rather than FORWARD
};

/**
 * \ingroup aisfc
 * A neural service function: a transparent TCP proxy that runs one sub-model.  It accepts the
 * previous hop's connection on its port (with an NsfInterceptor, also connections addressed to
 * the chain's service address, as Linux's TPROXY does), reads whole mini-batches, runs them one
 * at a time on its device (time from NsfDevice), and writes the output activations on its own
 * connection to the next hop: in an SFC, to the service address again, which its SRv6 proxy
 * steers to the next segment; in the baseline, to the next NSF's address; the last stage sends
 * the result to the client.  When training, gradients travel back the same way along the
 * reverse chain, and the first stage tells the client that the iteration is done.
 */
class NsfApplication : public Application
{
  public:
    /// \brief \return the TypeId
    static TypeId GetTypeId();
    NsfApplication();
    ~NsfApplication() override;

    /// \brief Configure (before start): its stage index, sub-model, device, next hop and the
    /// shared batch log (may be null).
    void Setup(uint32_t stage,
               const NsfSubModel& sub,
               const NsfDevice& device,
               const NsfNextHop& next,
               Ptr<NsfBatchLog> log);
    /// \brief Train (split learning): BACKWARD frames run the backward pass and go to
    /// `previous` (the reverse chain's service address, the previous NSF, or, for the first
    /// stage, the client as a RESULT); the last stage (`isLast`) holds the labels and turns its
    /// forward pass straight into its backward pass, unless the labels stay at the client
    /// (U-shaped): then it sends its output to the client (a RESULT marked LOGITS) and waits
    /// for the gradient.
    void SetTraining(const NsfNextHop& previous, bool isLast, bool labelsAtClient = false);
    /// \brief Numeric mode: run this network slice on the real tensors the frames carry
    /// (FORWARD: activations then the labels; BACKWARD: gradients), training it with its own
    /// optimiser, so the chain computes what the unsplit model would.
    void SetNumeric(std::shared_ptr<LearnDenseNetwork> slice);
    /// \brief \return the network slice (numeric mode), or null
    std::shared_ptr<LearnDenseNetwork> GetNetwork() const;
    /// \brief \return the loss of every batch, in order (the label holder, numeric mode)
    const std::vector<double>& GetLosses() const;
    /// \brief \return mini-batches computed
    uint64_t GetComputed() const;
    /// \brief \return bytes received
    uint64_t GetReceivedBytes() const;
    /// \brief \return data segments its connections had to send again
    uint64_t GetRetransmissions() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void Accept(Ptr<Socket> socket, const Address& from);
    void Receive(Ptr<Socket> socket);

    /// A pass waiting for the device.
    struct Job
    {
        NsfFrameHeader header;
        bool backward = false;
        std::vector<uint8_t> payload; //!< numeric mode: the tensor (and labels)
    };

    /// What Finish sends on: the output tensor (numeric) or nothing (timing).
    std::vector<uint8_t> Compute(const Job& job, bool& lossReady);

    void StartNext();
    void Finish(Job job);
    void Send(const NsfFrameHeader& header,
              const NsfNextHop& to,
              const std::vector<uint8_t>& payload);

    uint16_t m_port;
    uint32_t m_stage = 0;
    NsfSubModel m_sub;
    std::unique_ptr<NsfDevice> m_device;
    NsfNextHop m_next;
    bool m_training = false;
    bool m_isLast = false;
    bool m_labelsAtClient = false;
    NsfNextHop m_previous;
    Ptr<NsfBatchLog> m_log;
    std::shared_ptr<LearnDenseNetwork> m_net;
    std::map<uint32_t, LearnDenseCache> m_caches;    //!< per batch in flight (numeric)
    std::map<uint32_t, std::vector<int>> m_labels;   //!< per batch in flight (numeric)
    std::map<uint32_t, Eigen::MatrixXd> m_lossGrads; //!< the label holder's (numeric)
    std::vector<double> m_losses;

    Ptr<Socket> m_listener;
    std::vector<std::pair<Ptr<Socket>, std::shared_ptr<NsfFrameReader>>> m_accepted;
    /// One connection per destination (next hop, reverse hop), kept for every batch.
    std::map<std::pair<Ipv6Address, uint16_t>, std::unique_ptr<NsfFrameWriter>> m_writers;
    std::deque<Job> m_waiting; //!< whole inputs waiting for the device
    bool m_busy = false;
    uint64_t m_computed = 0;
    uint64_t m_receivedBytes = 0;
};

} // namespace ns3

#endif
