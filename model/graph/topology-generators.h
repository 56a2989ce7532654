/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_TOPOLOGY_GENERATORS_H
#define AISFC_TOPOLOGY_GENERATORS_H

#include "topology-builder.h"

namespace ns3
{

/**
 * \ingroup aisfc
 * \brief The standard k-ary fat-tree: (k/2)^2 cores "core<i>", k pods of k/2 aggregation
 * "agg<i>" and k/2 edge switches "edge<i>", k/2 hosts "host<i>" per edge switch; aggregation
 * switch j of a pod links to cores j*k/2 ... (j+1)*k/2-1.
 * \param k even port count (2..64)
 * \param rateBps capacity of every link
 * \param delaySeconds delay of every link
 * \param options shared loading rules
 * \return the topology "fattree-k<k>"
 */
AisfcTopology MakeFatTree(uint32_t k,
                          double rateBps,
                          double delaySeconds,
                          const TopologyOptions& options);

/**
 * \ingroup aisfc
 * \brief The SR-EM network: cores core0, core1; two pods of two aggregation and two edge
 * switches (agg0..agg3, edge0..edge3); every aggregation switch links to both cores;
 * aggregation-edge complete within a pod; three servers per edge switch (server0..server11).
 * 22 nodes, 28 links.
 * \return the topology "fattree-srem"
 */
AisfcTopology MakeSremFatTree(double rateBps, double delaySeconds, const TopologyOptions& options);

/// \brief A line n0 - n1 - ... - n<N-1>. \return the topology "line-<N>"
AisfcTopology MakeLine(uint32_t n,
                       double rateBps,
                       double delaySeconds,
                       const TopologyOptions& options);

/// \brief A ring n0 - ... - n<N-1> - n0. \return the topology "ring-<N>"
AisfcTopology MakeRing(uint32_t n,
                       double rateBps,
                       double delaySeconds,
                       const TopologyOptions& options);

} // namespace ns3

#endif // AISFC_TOPOLOGY_GENERATORS_H
