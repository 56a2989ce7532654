/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "nsf-client.h"

#include "ns3/inet6-socket-address.h"
#include "ns3/learn-dense-network.h"
#include "ns3/packet.h"
#include "ns3/socket.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(NsfClient);

TypeId
NsfClient::GetTypeId()
{
    static TypeId tid = TypeId("ns3::NsfClient")
                            .SetParent<Application>()
                            .SetGroupName("Aisfc")
                            .AddConstructor<NsfClient>()
                            .AddAttribute("BatchSize",
                                          "Samples per mini-batch.",
                                          UintegerValue(8),
                                          MakeUintegerAccessor(&NsfClient::m_batchSize),
                                          MakeUintegerChecker<uint32_t>(1))
                            .AddAttribute("Batches",
                                          "Mini-batches to send.",
                                          UintegerValue(10),
                                          MakeUintegerAccessor(&NsfClient::m_batches),
                                          MakeUintegerChecker<uint32_t>(1))
                            .AddAttribute("ResultPort",
                                          "TCP port the results arrive on.",
                                          UintegerValue(7100),
                                          MakeUintegerAccessor(&NsfClient::m_resultPort),
                                          MakeUintegerChecker<uint16_t>(1));
    return tid;
}

NsfClient::NsfClient() = default;
NsfClient::~NsfClient() = default;

void
NsfClient::DoDispose()
{
    m_writer.reset();
    m_backward.reset();
    m_batchesOfData.reset();
    m_out = nullptr;
    m_listener = nullptr;
    m_results.clear();
    m_log = nullptr;
    Application::DoDispose();
}

void
NsfClient::Setup(const Ipv6Address& destination,
                 uint16_t port,
                 uint64_t inputBytesPerSample,
                 Ptr<NsfBatchLog> log)
{
    m_destination = destination;
    m_port = port;
    m_inputBytes = inputBytesPerSample;
    m_log = log;
}

void
NsfClient::SetNumericData(std::shared_ptr<const LearnDataset> data, uint64_t shuffleSeed)
{
    m_data = std::move(data);
    m_batchesOfData = std::make_unique<LearnBatchIterator>(*m_data, m_batchSize, shuffleSeed);
}

void
NsfClient::SetLabelsAtClient(const Ipv6Address& destination, uint16_t port)
{
    m_labelsAtClient = true;
    m_backwardDestination = destination;
    m_backwardPort = port;
}

const std::vector<double>&
NsfClient::GetLosses() const
{
    return m_losses;
}

uint64_t
NsfClient::GetRetransmissions() const
{
    return (m_writer ? m_writer->GetRetransmissions() : 0) +
           (m_backward ? m_backward->GetRetransmissions() : 0);
}

uint32_t
NsfClient::GetCompleted() const
{
    return m_completed;
}

void
NsfClient::StartApplication()
{
    m_listener = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    m_listener->Bind(Inet6SocketAddress(Ipv6Address::GetAny(), m_resultPort));
    m_listener->Listen();
    m_listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                  MakeCallback(&NsfClient::AcceptResult, this));
    m_out = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    m_out->Bind6();
    m_out->Connect(Inet6SocketAddress(m_destination, m_port));
    m_writer = std::make_unique<NsfFrameWriter>(m_out);
    SendBatch();
}

void
NsfClient::StopApplication()
{
    if (m_listener)
    {
        m_listener->Close();
    }
}

void
NsfClient::SendBatch()
{
    if (m_next >= m_batches)
    {
        return;
    }
    NsfFrameHeader h;
    h.kind = NsfFrameHeader::FORWARD;
    h.batch = m_next++;
    h.samples = m_batchSize;
    h.payload = m_inputBytes * m_batchSize;
    std::vector<uint8_t> payload;
    if (m_batchesOfData)
    {
        Eigen::MatrixXd x;
        std::vector<int> y;
        if (!m_batchesOfData->Next(x, y))
        {
            m_batchesOfData->Next(x, y); // a new epoch
        }
        payload = MatrixToBytes(x, false);
        if (m_labelsAtClient)
        {
            m_labels[h.batch] = y; // the labels never leave the client
        }
        else
        {
            h.flags = NsfFrameHeader::LABELS;
            for (int label : y)
            {
                for (int shift = 24; shift >= 0; shift -= 8)
                {
                    payload.push_back(static_cast<uint8_t>(uint32_t(label) >> shift));
                }
            }
        }
        h.samples = static_cast<uint32_t>(y.size());
        h.payload = payload.size();
    }
    if (m_log)
    {
        m_log->Sent(h.batch, h.samples);
    }
    m_writer->Write(h, payload);
}

void
NsfClient::AcceptResult(Ptr<Socket> socket, const Address&)
{
    socket->SetRecvCallback(MakeCallback(&NsfClient::ReceiveResult, this));
    m_results.emplace_back(socket, std::make_shared<NsfFrameReader>(m_batchesOfData != nullptr));
}

void
NsfClient::ReceiveResult(Ptr<Socket> socket)
{
    std::shared_ptr<NsfFrameReader> reader;
    for (const auto& [s, r] : m_results)
    {
        reader = s == socket ? r : reader;
    }
    while (Ptr<Packet> chunk = socket->Recv())
    {
        for (const NsfFrame& frame : reader->Push(chunk))
        {
            if (frame.header.flags & NsfFrameHeader::LOGITS)
            {
                ReturnGradient(frame);
                continue;
            }
            ++m_completed;
            if (m_log)
            {
                m_log->ResultReceived(frame.header.batch);
            }
            SendBatch(); // closed loop
        }
    }
}

void
NsfClient::ReturnGradient(const NsfFrame& logits)
{
    NsfFrameHeader h = logits.header;
    h.kind = NsfFrameHeader::BACKWARD;
    h.flags = 0;
    std::vector<uint8_t> payload;
    if (m_batchesOfData)
    {
        LearnLoss loss = LearnSoftmaxCrossEntropy(MatrixFromBytes(logits.payload, "NSF result"),
                                                  m_labels.at(h.batch));
        m_labels.erase(h.batch);
        m_losses.push_back(loss.value);
        payload = MatrixToBytes(loss.gradient, false);
        h.payload = payload.size();
    }
    if (!m_backward)
    {
        Ptr<Socket> socket = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
        socket->Bind6();
        socket->Connect(Inet6SocketAddress(m_backwardDestination, m_backwardPort));
        m_backward = std::make_unique<NsfFrameWriter>(socket);
    }
    m_backward->Write(h, payload);
}

} // namespace ns3
