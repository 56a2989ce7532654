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

#include <deque>
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
 * the result to the client.
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
    /// \brief \return mini-batches computed
    uint64_t GetComputed() const;
    /// \brief \return bytes received
    uint64_t GetReceivedBytes() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void Accept(Ptr<Socket> socket, const Address& from);
    void Receive(Ptr<Socket> socket);
    void StartNext();
    void Finish(NsfFrame frame);
    void Send(const NsfFrameHeader& header);

    uint16_t m_port;
    uint32_t m_stage = 0;
    NsfSubModel m_sub;
    std::unique_ptr<NsfDevice> m_device;
    NsfNextHop m_next;
    Ptr<NsfBatchLog> m_log;

    Ptr<Socket> m_listener;
    std::vector<std::pair<Ptr<Socket>, std::shared_ptr<NsfFrameReader>>> m_accepted;
    Ptr<Socket> m_out;
    std::unique_ptr<NsfFrameWriter> m_writer;
    std::deque<NsfFrame> m_waiting; //!< whole inputs waiting for the device
    bool m_busy = false;
    uint64_t m_computed = 0;
    uint64_t m_receivedBytes = 0;
};

} // namespace ns3

#endif
