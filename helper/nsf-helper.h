/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef NSF_HELPER_H
#define NSF_HELPER_H

#include "ns3/ipv6-address.h"
#include "ns3/nsf-batch-log.h"
#include "ns3/nsf-device.h"
#include "ns3/nsf-model.h"
#include "ns3/srv6-policy.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

class AisfcNetworkBuilder;
class LearnDataset;
class LearnDenseNetwork;
class NsfApplication;
class NsfClient;
class NsfInterceptor;
class NetDevice;
class NsfPathController;
class Node;
class Srv6Helper;

/// \ingroup aisfc A chain of neural service functions for multi-hop split inference.
struct NsfChainConfig
{
    uint32_t client = 0;                      //!< topology node of the client
    std::vector<uint32_t> routers;            //!< per stage: the node its NSF hangs off
    std::vector<NsfSubModel> stages;          //!< the split model, one sub-model per stage
    std::vector<NsfDevice> devices;           //!< per stage (or one for all)
    bool sfc = true;                          //!< SRv6 SFC with proxies; false: the baseline
    double linkRateBps = 10e9;                //!< each NSF's link to its router
    double linkDelaySeconds = 1e-6;           //!< likewise
    uint16_t port = 7000;                     //!< the chain's TCP port
    uint16_t resultPort = 7100;               //!< the client's result port
    Ipv6Address service{"fd61:4e53:4600::1"}; //!< the chain's service address (SFC)
    bool training = false;                    //!< split learning: backward along the chain
    bool labelsAtClient = false;              //!< U-shaped: the client computes the loss
    Ipv6Address backwardService{"fd61:4e53:4600::2"}; //!< the reverse chain's (SFC, training)
    uint32_t batchSize = 8;                           //!< samples per mini-batch
    uint32_t batches = 10;                            //!< mini-batches
    double startSeconds = 0.1;                        //!< the client's start
    /// Numeric mode: the dense network the stages split (each stage's linear layers, in
    /// order, are its slice); every NSF computes and trains its slice on real tensors.
    std::shared_ptr<const LearnDenseNetwork> network;
    std::shared_ptr<const LearnDataset> data; //!< numeric mode: what the client sends
    uint64_t shuffleSeed = 1;                 //!< numeric mode: the client's batch order
    /// SFC path alternatives: per alternative, per hop (client to stage 0, stage k-1 to k),
    /// the waypoint nodes (End SIDs) the chain visits; alternative 0 is used first, and with
    /// two or more an NsfPathController moves the chain off an overloaded one.
    std::vector<std::vector<std::vector<uint32_t>>> paths;
    double pollIntervalSeconds = 0.01;  //!< controller
    double controlDelaySeconds = 0.001; //!< controller
    double threshold = 0.9;             //!< controller
};

/**
 * \ingroup aisfc
 * Builds a multi-hop split inference chain on a network with SRv6 installed.  Each stage's
 * NSF runs on its own node linked to its router.  SFC mode (the paper's architecture): the
 * router owns an End.AD.flow proxy SID keyed by destination (transparent proxy) towards its
 * NSF, the NSF node intercepts the service address (NsfInterceptor), and the client's node
 * steers the service address into the policy "nsf-chain" [proxy SIDs..., client]; every NSF
 * sends its output to the service address again and its proxy restores the chain.  Baseline
 * ("existing architecture"): the client connects to the first NSF's address, each NSF to the
 * next one's, over plain IPv6.  The last NSF sends results to the client's result port.
 * Training (split learning): the last NSF holds the labels; gradients go back to the reverse
 * chain's service address, which the last NSF's router steers into "nsf-backward" [proxy SIDs
 * in reverse..., client] (baseline: to the previous NSF's address); the first NSF tells the
 * client the iteration is done.
 */
class NsfChainHelper
{
  public:
    /// \brief Work on this network and its SRv6 (both installed; kept by reference).
    NsfChainHelper(AisfcNetworkBuilder& network, Srv6Helper& srv6);
    ~NsfChainHelper();

    /// \brief Build the chain; throws AisfcInputError on a bad configuration.
    void Install(const NsfChainConfig& config);
    /// \brief \return the batch log
    Ptr<NsfBatchLog> GetLog() const;
    /// \brief \return the client
    Ptr<NsfClient> GetClient() const;
    /// \brief \return the NSFs in chain order
    const std::vector<Ptr<NsfApplication>>& GetFunctions() const;
    /// \brief \return the NSF nodes' interceptors (SFC mode)
    const std::vector<Ptr<NsfInterceptor>>& GetInterceptors() const;
    /// \brief \return the proxy SIDs in chain order (SFC mode)
    const std::vector<Ipv6Address>& GetProxySids() const;
    /// \brief \return the NSF nodes in chain order
    const std::vector<Ptr<Node>>& GetNodes() const;
    /// \brief \return the path controller (with two or more path alternatives), or null
    Ptr<NsfPathController> GetController() const;

  private:
    std::vector<Srv6SegmentList> ForwardLists(const NsfChainConfig& c,
                                              const Ipv6Address& clientAddress);
    Ipv6Address Waypoint(uint32_t node);
    std::vector<std::vector<std::pair<Ptr<NetDevice>, double>>> PathLinks(
        const NsfChainConfig& c) const;

    AisfcNetworkBuilder& m_network;
    Srv6Helper& m_srv6;
    Ptr<NsfBatchLog> m_log;
    Ptr<NsfClient> m_client;
    std::vector<Ptr<NsfApplication>> m_functions;
    std::vector<Ptr<NsfInterceptor>> m_interceptors;
    std::vector<Ipv6Address> m_sids;
    std::vector<Ptr<Node>> m_nodes;
    Ptr<NsfPathController> m_controller;
    std::map<uint32_t, Ipv6Address> m_waypoints; //!< End SID per waypoint node
};

} // namespace ns3

#endif
