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
    m_writer.reset();
    m_out = nullptr;
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

uint64_t
NsfApplication::GetComputed() const
{
    return m_computed;
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
    m_accepted.emplace_back(socket, std::make_shared<NsfFrameReader>(false));
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
            if (m_log)
            {
                m_log->Received(m_stage, frame.header.batch);
            }
            m_waiting.push_back(std::move(frame));
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
    NsfFrame frame = std::move(m_waiting.front());
    m_waiting.pop_front();
    Time work = Seconds(m_device->ComputeTime(m_sub, frame.header.samples, false));
    Time start = Simulator::Now();
    if (m_log)
    {
        m_log->Compute(m_stage, frame.header.batch, start, start + work);
    }
    Simulator::Schedule(work, [this, frame]() { Finish(frame); });
}

void
NsfApplication::Finish(NsfFrame frame)
{
    ++m_computed;
    NsfFrameHeader out;
    out.kind = m_next.result ? NsfFrameHeader::RESULT : NsfFrameHeader::FORWARD;
    out.batch = frame.header.batch;
    out.samples = frame.header.samples;
    out.payload = uint64_t(m_sub.outputBytes) * frame.header.samples;
    Send(out);
    m_busy = false;
    StartNext();
}

void
NsfApplication::Send(const NsfFrameHeader& header)
{
    if (!m_writer)
    {
        // One connection to the next hop, kept for every batch (as a TCP proxy's upstream).
        m_out = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
        m_out->Bind6();
        m_out->Connect(Inet6SocketAddress(m_next.address, m_next.port));
        m_writer = std::make_unique<NsfFrameWriter>(m_out);
    }
    m_writer->Write(header, {});
}

} // namespace ns3
