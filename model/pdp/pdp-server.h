/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PDP_SERVER_H
#define PDP_SERVER_H

#include "pdp-memory-accountant.h"

#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <memory>
#include <string>

namespace ns3
{

/**
 * \ingroup aisfc
 * A server that hosts function instances as VMs: its memory, accounted in bytes by the same
 * PdpMemoryAccountant as switches.  Processing (capacity, per-MB delay) belongs to each VM's
 * PdpFunctionInstance.
 */
class PdpServer : public Object
{
  public:
    /// \brief \return the TypeId
    static TypeId GetTypeId();
    PdpServer();
    ~PdpServer() override;

    /// \brief Set the server's name and memory (before any reservation).
    void SetMemory(const std::string& name, uint64_t bytes);
    /// \brief \return the memory accountant
    PdpMemoryAccountant& GetMemory();
    /// \brief \return the memory accountant
    const PdpMemoryAccountant& GetMemory() const;
    /// \brief \return the server's name
    const std::string& GetName() const;
    /// \brief Reserve a VM's state. \return the reservation or the refusal
    PdpReserveResult ReserveVm(const std::string& name, uint64_t bytes);
    /// \brief Release a VM's state. \return whether it was reserved
    bool ReleaseVm(const std::string& name);

    /// Signature of the Memory trace: "server", bytes used and capacity after a change.
    using MemoryTracedCallback = void (*)(const std::string&, uint64_t, uint64_t);

  private:
    void MemoryChanged();

    std::string m_name = "server";
    std::unique_ptr<PdpMemoryAccountant> m_memory;
    TracedCallback<const std::string&, uint64_t, uint64_t> m_memoryTrace;
};

} // namespace ns3

#endif
