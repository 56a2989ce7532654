/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef PDP_CONTROLLER_H
#define PDP_CONTROLLER_H

#include "pdp-function.h"

#include "ns3/ipv6-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{

class PdpServer;
class PdpSwitch;
class Srv6SidTable;

/// \ingroup aisfc One reconfiguration the controller made, with its delay and cost.
struct PdpReconfiguration
{
    double timeSeconds = 0;  //!< when it was decided
    std::string instance;    //!< function instance
    std::string action;      //!< "deploy", "migrate" or "remove"
    std::string from;        //!< previous hosting ("" for deploy), e.g. "external@s1"
    std::string to;          //!< new hosting ("" for remove)
    uint64_t bytes = 0;      //!< control traffic or migrated state
    double delaySeconds = 0; //!< programming or migration time (unavailability at the new place)
    double cost = 0;         //!< in units of currency
};

/**
 * \ingroup aisfc
 * The SDN controller of the in-network functions: deploys, migrates and removes function
 * instances on switches (local or external memory) and servers, each reachable at its own End
 * SID.  Memory is reserved at the new host when the controller decides (a refusal changes
 * nothing and gives the reason); the SID at the new place becomes active once the work is done:
 *  - into a switch (local or external memory): the table's bytes cross the controller link,
 *    ControlLatency + bytes x 8 / ControlBandwidth (SR-EM: programming data = function size);
 *  - onto a server: the VM's state crosses the servers' network, bytes x 8 / MigrationBandwidth.
 * Switch-over rule for a migration: the old instance keeps serving until the new one is ready;
 * then every registered headend's policies are rewritten from the old SID to the new one, and the
 * old SID is withdrawn (its memory released) DrainTime later, so packets already on their way to
 * it are still served.  A removal withdraws at once; packets still addressed to the removed SID
 * are dropped by its node as "no-sid".
 */
class PdpController : public Object
{
  public:
    /// \brief \return the TypeId
    static TypeId GetTypeId();
    PdpController();
    ~PdpController() override;

    /// \brief Manage a switch (topology node `node`) and its SID table.
    void AddSwitch(uint32_t node, Ptr<PdpSwitch> sw, Ptr<Srv6SidTable> sids);
    /// \brief Manage a server and its SID table.
    void AddServer(uint32_t node, Ptr<PdpServer> server, Ptr<Srv6SidTable> sids);
    /// \brief Rewrite this headend's policies when an instance moves.
    void AddHeadend(Ptr<Srv6SidTable> headend);

    /// \brief Deploy an instance at `where`, reachable at `sid` once programmed.
    /// \return "" or why it was refused (nothing changes then)
    std::string Deploy(const std::string& name,
                       const PdpFunctionType& type,
                       const PdpHosting& where,
                       const Ipv6Address& sid);
    /// \brief Move an instance to `where`, at `sid` there. \return "" or why it was refused
    std::string Migrate(const std::string& name, const PdpHosting& where, const Ipv6Address& sid);
    /// \brief Remove an instance. \return "" or why not
    std::string Remove(const std::string& name);

    /// \brief \return the serving instance (the old one until a migration switches over), or
    /// nullptr
    Ptr<PdpFunctionInstance> GetInstance(const std::string& name) const;
    /// \brief \return the SID the instance is reached at now
    Ipv6Address GetSid(const std::string& name) const;
    /// \brief \return the instance's programming (or migration) delay to `where` now
    Time ReconfigurationDelay(const PdpFunctionType& type, const PdpHosting& where) const;
    /// \brief \return every instance that has served, in the order they became ready (a
    /// migration adds one; removed and replaced instances stay, with their counters)
    const std::vector<Ptr<PdpFunctionInstance>>& GetAllInstances() const;
    /// \brief \return every reconfiguration so far
    const std::vector<PdpReconfiguration>& GetRecords() const;
    /// \brief \return a hosting as text, e.g. "external@s1"
    std::string Describe(const PdpHosting& where) const;

    /// Signature of the Reconfiguration trace.
    using ReconfigurationTracedCallback = void (*)(const PdpReconfiguration&);

  protected:
    void DoDispose() override;

  private:
    struct Host
    {
        Ptr<PdpSwitch> sw;
        Ptr<PdpServer> server;
        Ptr<Srv6SidTable> sids;
    };

    struct Managed
    {
        PdpFunctionType type;
        PdpHosting where;
        Ipv6Address sid;
        std::string reservation;           //!< its table or VM state on the host
        Ptr<PdpFunctionInstance> instance; //!< serving (nullptr until first ready)
        bool pending = false;              //!< a deployment or migration is under way
    };

    const Host* FindHost(uint32_t node) const;
    /// \return "" or the refusal; `reservation` names what was reserved
    std::string Reserve(const std::string& name,
                        const PdpFunctionType& type,
                        const PdpHosting& where,
                        std::string& reservation);
    void Release(const std::string& reservation, const PdpHosting& where);
    void Activate(const std::string& name, const Managed& next);
    void Withdraw(const std::string& reservation, const PdpHosting& where, const Ipv6Address& sid);
    void Record(const std::string& name,
                const std::string& action,
                const std::string& from,
                const std::string& to,
                uint64_t bytes,
                Time delay,
                double cost);

    double m_controlBandwidth;
    Time m_controlLatency;
    double m_migrationBandwidth;
    double m_controlCostPerGb;
    double m_migrationCostPerGb;
    Time m_drainTime;
    uint32_t m_sidLength;

    std::map<uint32_t, Host> m_hosts;
    std::vector<Ptr<Srv6SidTable>> m_headends;
    std::map<std::string, Managed> m_instances;
    std::vector<PdpReconfiguration> m_records;
    std::vector<Ptr<PdpFunctionInstance>> m_allInstances;
    TracedCallback<const PdpReconfiguration&> m_reconfigurationTrace;
};

} // namespace ns3

#endif
