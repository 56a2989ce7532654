/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef NSF_PATH_CONTROLLER_H
#define NSF_PATH_CONTROLLER_H

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/srv6-policy.h"

#include <string>
#include <vector>

namespace ns3
{

class NetDevice;
class Packet;
class Srv6SidTable;

/**
 * \ingroup aisfc
 * Dynamic path reconfiguration of a service chain (the MSI/MSL paper's controller): it polls
 * the utilisation of the links each candidate segment list uses (bytes sent per PollInterval
 * over the link rate) and, when the active list's busiest link exceeds Threshold, switches the
 * headend's policy to the least loaded other list after ControlDelay (detection to the
 * headend's update), and re-points the headers the chain's proxies cached, so data already in
 * flight between the functions moves too.  Mini-batches in flight keep their connections: TCP
 * carries them over the new path.
 */
class NsfPathController : public Object
{
  public:
    /// One switch-over.
    struct Switch
    {
        Time detected;          //!< when the overload was seen
        Time applied;           //!< when the headend took the new list
        size_t from = 0;        //!< list index before
        size_t to = 0;          //!< list index after
        double utilisation = 0; //!< of the busiest link of the old list
    };

    /// \brief \return the TypeId
    static TypeId GetTypeId();
    NsfPathController();
    ~NsfPathController() override;

    /// \brief Control this policy of this headend; `links[i]` are the devices (transmit side)
    /// of candidate list i, with their rates in bit/s; the headend starts on list 0.
    void Setup(Ptr<Srv6SidTable> headend,
               const std::string& policy,
               const std::vector<Srv6SegmentList>& lists,
               const std::vector<std::vector<std::pair<Ptr<NetDevice>, double>>>& links);
    /// \brief Also re-point the chain's proxies (their cached headers) at a switch-over, so the
    /// hops after each proxy move at once, not with the client's next mini-batch.
    void SetProxies(const std::vector<Ptr<Srv6SidTable>>& proxies);
    /// \brief Start polling at this time.
    void Start(Time at);
    /// \brief \return the switch-overs made
    const std::vector<Switch>& GetSwitches() const;
    /// \brief \return the active list
    size_t GetActive() const;

  protected:
    void DoDispose() override;

  private:
    void Poll();
    void Count(uint32_t device, Ptr<const Packet> p);
    double Utilisation(size_t list) const;

    Ptr<Srv6SidTable> m_headend;
    std::vector<Ptr<Srv6SidTable>> m_proxies;
    std::string m_policy;
    std::vector<Srv6SegmentList> m_lists;
    std::vector<std::vector<std::pair<uint32_t, double>>> m_links; //!< (device slot, rate)
    std::vector<Ptr<NetDevice>> m_devices;
    std::vector<uint64_t> m_bytes; //!< per device slot, in the current interval
    std::vector<double> m_lastUtilisation;
    size_t m_active = 0;
    bool m_pending = false;
    Time m_interval;
    Time m_controlDelay;
    double m_threshold;
    std::vector<Switch> m_switches;
};

} // namespace ns3

#endif
