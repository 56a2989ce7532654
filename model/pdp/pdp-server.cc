/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "pdp-server.h"

#include "ns3/abort.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(PdpServer);

TypeId
PdpServer::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PdpServer")
                            .SetParent<Object>()
                            .SetGroupName("Aisfc")
                            .AddConstructor<PdpServer>()
                            .AddTraceSource("Memory",
                                            "Memory used after a VM was placed or removed.",
                                            MakeTraceSourceAccessor(&PdpServer::m_memoryTrace),
                                            "ns3::PdpServer::MemoryTracedCallback");
    return tid;
}

PdpServer::PdpServer()
    : m_memory(std::make_unique<PdpMemoryAccountant>(m_name, PdpMemoryBudget::Server(0)))
{
}

PdpServer::~PdpServer() = default;

void
PdpServer::SetMemory(const std::string& name, uint64_t bytes)
{
    NS_ABORT_MSG_UNLESS(m_memory->GetReservations().empty(),
                        "PdpServer " << name << ": set the memory before reserving");
    m_name = name;
    m_memory = std::make_unique<PdpMemoryAccountant>(name, PdpMemoryBudget::Server(bytes));
}

PdpMemoryAccountant&
PdpServer::GetMemory()
{
    return *m_memory;
}

const PdpMemoryAccountant&
PdpServer::GetMemory() const
{
    return *m_memory;
}

const std::string&
PdpServer::GetName() const
{
    return m_name;
}

void
PdpServer::MemoryChanged()
{
    m_memoryTrace("server",
                  m_memory->Used(PdpMemoryKind::SERVER),
                  m_memory->Capacity(PdpMemoryKind::SERVER));
}

PdpReserveResult
PdpServer::ReserveVm(const std::string& name, uint64_t bytes)
{
    PdpReserveResult r = m_memory->ReserveBytes(name, bytes, PdpMemoryKind::SERVER);
    if (r.ok)
    {
        MemoryChanged();
    }
    return r;
}

bool
PdpServer::ReleaseVm(const std::string& name)
{
    bool released = m_memory->Release(name);
    if (released)
    {
        MemoryChanged();
    }
    return released;
}

} // namespace ns3
