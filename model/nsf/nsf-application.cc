/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "nsf-application.h"

#include "ns3/inet6-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NsfApplication");
NS_OBJECT_ENSURE_REGISTERED(NsfApplication);

TypeId
NsfApplication::GetTypeId()
{
    static TypeId tid = TypeId("ns3::NsfApplication")
                            .SetParent<Application>()
                            .SetGroupName("Aisfc")
                            .AddConstructor<NsfApplication>()
                            .AddAttribute("Port",
                                          "TCP port the function listens on.",
                                          UintegerValue(7000),
                                          MakeUintegerAccessor(&NsfApplication::m_port),
                                          MakeUintegerChecker<uint16_t>(1));
    return tid;
}

NsfApplication::NsfApplication() = default;
NsfApplication::~NsfApplication() = default;

void
NsfApplication::DoDispose()
{
    m_listener = nullptr;
    m_accepted.clear();
    m_writers.clear();
    m_log = nullptr;
    Application::DoDispose();
}

void
NsfApplication::Setup(uint32_t stage,
                      const NsfSubModel& sub,
                      const NsfDevice& device,
                      const NsfNextHop& next,
                      Ptr<NsfBatchLog> log)
{
    m_stage = stage;
    m_sub = sub;
    m_device = std::make_unique<NsfDevice>(device);
    m_next = next;
    m_log = log;
}

void
NsfApplication::SetTraining(const NsfNextHop& previous, bool isLast, bool labelsAtClient)
{
    m_training = true;
    m_previous = previous;
    m_isLast = isLast;
    m_labelsAtClient = labelsAtClient;
}

void
NsfApplication::SetNumeric(std::shared_ptr<LearnDenseNetwork> slice)
{
    m_net = std::move(slice);
}

std::shared_ptr<LearnDenseNetwork>
NsfApplication::GetNetwork() const
{
    return m_net;
}

const std::vector<double>&
NsfApplication::GetLosses() const
{
    return m_losses;
}

uint64_t
NsfApplication::GetComputed() const
{
    return m_computed;
}

uint64_t
NsfApplication::GetRetransmissions() const
{
    uint64_t total = 0;
    for (const auto& [to, writer] : m_writers)
    {
        total += writer->GetRetransmissions();
    }
    return total;
}

uint64_t
NsfApplication::GetReceivedBytes() const
{
    return m_receivedBytes;
}

void
NsfApplication::StartApplication()
{
    NS_ABORT_MSG_UNLESS(m_device, "NsfApplication: Setup() was not called");
    m_listener = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    m_listener->Bind(Inet6SocketAddress(Ipv6Address::GetAny(), m_port));
    m_listener->Listen();
    m_listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                  MakeCallback(&NsfApplication::Accept, this));
}

void
NsfApplication::StopApplication()
{
    if (m_listener)
    {
        m_listener->Close();
    }
}

void
NsfApplication::Accept(Ptr<Socket> socket, const Address&)
{
    socket->SetRecvCallback(MakeCallback(&NsfApplication::Receive, this));
    m_accepted.emplace_back(socket, std::make_shared<NsfFrameReader>(m_net != nullptr));
}

void
NsfApplication::Receive(Ptr<Socket> socket)
{
    std::shared_ptr<NsfFrameReader> reader;
    for (const auto& [s, r] : m_accepted)
    {
        reader = s == socket ? r : reader;
    }
    while (Ptr<Packet> chunk = socket->Recv())
    {
        m_receivedBytes += chunk->GetSize();
        for (NsfFrame& frame : reader->Push(chunk))
        {
            bool backward = frame.header.kind == NsfFrameHeader::BACKWARD;
            if (m_log)
            {
                m_log->Received(m_stage, frame.header.batch, backward);
            }
            m_waiting.push_back(Job{frame.header, backward, std::move(frame.payload)});
        }
    }
    StartNext();
}

void
NsfApplication::StartNext()
{
    if (m_busy || m_waiting.empty())
    {
        return;
    }
    m_busy = true;
    Job job = m_waiting.front();
    m_waiting.pop_front();
    Time work = Seconds(m_device->ComputeTime(m_sub, job.header.samples, job.backward));
    Time start = Simulator::Now();
    if (m_log)
    {
        m_log->Compute(m_stage, job.header.batch, start, start + work, job.backward);
    }
    Simulator::Schedule(work, [this, job]() { Finish(job); });
}

std::vector<uint8_t>
NsfApplication::Compute(const Job& job, bool& lossReady)
{
    lossReady = false;
    if (!m_net)
    {
        return {};
    }
    uint32_t batch = job.header.batch;
    if (!job.backward)
    {
        // FORWARD payload: the tensor, then (LABELS) one 32-bit label per sample.
        size_t labelBytes =
            job.header.flags & NsfFrameHeader::LABELS ? 4 * size_t(job.header.samples) : 0;
        NS_ABORT_MSG_IF(job.payload.size() < labelBytes, "NSF: forward frame without labels");
        size_t tensorBytes = job.payload.size() - labelBytes;
        Eigen::MatrixXd x = MatrixFromBytes(job.payload.data(), tensorBytes, "NSF frame");
        std::vector<int>& labels = m_labels[batch];
        labels.clear();
        for (size_t i = tensorBytes; i < job.payload.size(); i += 4)
        {
            labels.push_back(int32_t(uint32_t(job.payload[i]) << 24 |
                                     uint32_t(job.payload[i + 1]) << 16 |
                                     uint32_t(job.payload[i + 2]) << 8 | job.payload[i + 3]));
        }
        m_net->ZeroGrad();
        Eigen::MatrixXd y = m_net->Forward(x, m_caches[batch]);
        if (m_training && m_isLast && !m_labelsAtClient)
        {
            LearnLoss loss = LearnSoftmaxCrossEntropy(y, labels);
            m_losses.push_back(loss.value);
            m_lossGrads[batch] = loss.gradient;
            lossReady = true;
            return {};
        }
        std::vector<uint8_t> out = MatrixToBytes(y, false);
        out.insert(out.end(), job.payload.begin() + tensorBytes, job.payload.end());
        return out;
    }
    Eigen::MatrixXd g;
    if (auto it = m_lossGrads.find(batch); it != m_lossGrads.end())
    {
        g = it->second;
        m_lossGrads.erase(it);
    }
    else
    {
        g = MatrixFromBytes(job.payload, "NSF frame");
    }
    Eigen::MatrixXd gin = m_net->Backward(g, m_caches.at(batch));
    m_net->Step();
    m_caches.erase(batch);
    m_labels.erase(batch);
    return MatrixToBytes(gin, false);
}

void
NsfApplication::Finish(Job job)
{
    ++m_computed;
    m_busy = false;
    bool lossReady = false;
    std::vector<uint8_t> tensor = Compute(job, lossReady);
    NsfFrameHeader out = job.header;
    if (!job.backward && m_training && m_isLast && !m_labelsAtClient)
    {
        // The label holder: the loss, then straight into its own backward pass.
        if (m_log)
        {
            m_log->Received(m_stage, job.header.batch, true);
        }
        m_waiting.push_front(Job{job.header, true, {}});
    }
    else if (!job.backward)
    {
        out.kind = m_next.result ? NsfFrameHeader::RESULT : NsfFrameHeader::FORWARD;
        if (m_training && m_isLast)
        {
            out.flags = NsfFrameHeader::LOGITS; // U-shaped: the client computes the loss
        }
        out.payload = m_net ? tensor.size() : uint64_t(m_sub.outputBytes) * job.header.samples;
        Send(out, m_next, tensor);
    }
    else
    {
        // The gradient with respect to its input goes back; the first stage only reports.
        out.kind = m_previous.result ? NsfFrameHeader::RESULT : NsfFrameHeader::BACKWARD;
        out.flags = 0;
        if (m_previous.result)
        {
            tensor.assign(8, 0);
        }
        out.payload = m_net || m_previous.result ? tensor.size()
                                                 : uint64_t(m_sub.inputBytes) * job.header.samples;
        Send(out, m_previous, tensor);
    }
    StartNext();
}

void
NsfApplication::Send(const NsfFrameHeader& header,
                     const NsfNextHop& to,
                     const std::vector<uint8_t>& payload)
{
    auto key = std::make_pair(to.address, to.port);
    auto it = m_writers.find(key);
    if (it == m_writers.end())
    {
        // One connection per destination, kept for every batch (as a TCP proxy's upstream).
        Ptr<Socket> socket = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
        socket->Bind6();
        socket->Connect(Inet6SocketAddress(to.address, to.port));
        it = m_writers.emplace(key, std::make_unique<NsfFrameWriter>(socket)).first;
    }
    it->second->Write(header, payload);
}

} // namespace ns3
