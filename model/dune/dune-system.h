/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DUNE_SYSTEM_H
#define DUNE_SYSTEM_H

#include "dune-compiler.h"
#include "dune-features.h"
#include "dune-partition.h"

#include "ns3/learn-forest.h"
#include "ns3/pdp-memory-accountant.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * Settings of DUNE and of the baselines it is compared with.  The per-switch budget is what
 * inference may use of a switch; every model must fit it (DUNE: one sub-model per switch).
 */
struct DuneConfig
{
    /// DuneFeatureSet name ("easy" by default: no means, a switch cannot divide), or "data" for
    /// every column of the data set (flow-level CSVs of other tools)
    std::string featureSet = "easy";
    uint32_t switches = 3;        //!< switches in the chain: DUNE's sub-models at most
    uint32_t minModels = 2;       //!< fewest sub-models (1 would be Jewel)
    bool exactPartition = false;  //!< CBC set partitioning instead of the greedy merge
    uint32_t modelTrees = 3;      //!< trees of each switch model (sub-models and Jewel)
    uint32_t modelDepth = 5;      //!< their depth before fitting the budget
    uint32_t modelFeatures = 5;   //!< most features a switch model matches on (a switch parses few)
    uint32_t referenceTrees = 30; //!< the unconstrained model (DUNE: 30 trees, depth 15)
    uint32_t referenceDepth = 15; //!< its depth
    uint64_t seed = 1;            //!< every forest's seed
    PdpMemoryBudget budget = DefaultBudget(); //!< what inference may use on one switch

    /// \brief \return the inference budget by default: 6 of Tofino's 12 stages
    static PdpMemoryBudget DefaultBudget();
    /// \brief \return the switch width of a DUNE feature (8, 16 or 32 bits)
    static uint32_t FeatureBits(const std::string& name);
    /// \brief Override from JSON (keys as the fields; "budgetStages"). \throws AisfcInputError
    static DuneConfig FromJson(const nlohmann::json& doc, const std::string& place);
};

/**
 * \ingroup aisfc
 * One model on one switch: a forest over some features deciding some classes (plus "Other"
 * when it hands the rest on), compiled into tables.  Inputs are feature values as the switch
 * holds them: the data set's value + 1 (the -1 of absent flow features becomes 0), clipped to
 * the feature's width.
 */
struct DuneSwitchModel
{
    std::string name;                          //!< e.g. "dune-1"
    std::vector<int> classes;                  //!< global class of each local class
    bool hasOther = false;                     //!< local class classes.size() is "Other"
    std::vector<uint32_t> features;            //!< rows of the data set it reads
    std::vector<DuneFeatureSpec> specs;        //!< their switch widths
    std::shared_ptr<LearnForest> forest;       //!< trained on local classes
    std::shared_ptr<DuneCompiledModel> tables; //!< the same forest as tables
    uint32_t depth = 0;                        //!< tree depth after fitting the budget
    uint32_t trees = 0;                        //!< trees after fitting the budget
    uint64_t tcamBlocks = 0;                   //!< TCAM blocks it took on its switch
    uint64_t sramBlocks = 0;                   //!< SRAM blocks it took
    uint32_t stages = 0;                       //!< pipeline stages its tables touch
    uint64_t tcamRows = 0;                     //!< TCAM rows of its tables

    /// \brief \return the global class, or -1 for "Other", of a sample (data set column)
    int Classify(const Eigen::Ref<const Eigen::VectorXd>& sample) const;
    /// \brief \return the integer inputs of a sample, as the switch holds them
    std::vector<uint64_t> Inputs(const Eigen::Ref<const Eigen::VectorXd>& sample) const;
    /// \brief \return resources as JSON
    nlohmann::json Resources() const;
};

/**
 * \ingroup aisfc
 * A classifier that runs on switches: DUNE's chain of sub-models, or a single-switch baseline.
 * A sample goes through the models in order; the first that does not say "Other" decides.
 */
class DuneSystem
{
  public:
    /// \brief \return "dune", "jewel" or "mousika"
    const std::string& GetName() const;
    /// \brief \return the models in chain order
    const std::vector<DuneSwitchModel>& GetModels() const;
    /// \brief \return the global class of a sample (a data set column), and which model decided
    int Classify(const Eigen::Ref<const Eigen::VectorXd>& sample, size_t* model = nullptr) const;

    /**
     * \brief DUNE: the unconstrained forest, PCFI and per-class F1, the partition (at most
     * `switches` blocks), one sub-model per block (its classes plus "Other", on its kept
     * features, the most important first), the least-damage order, and the last model
     * retrained without "Other"; each sub-model's depth lowered until its tables fit the
     * budget.
     * \param train the training set
     * \param config the settings
     * \param report receives the steps' figures (may be null)
     * \return the system
     */
    static DuneSystem TrainDune(const DuneDataset& train,
                                const DuneConfig& config,
                                nlohmann::json* report = nullptr);
    /// \brief Jewel: one packet-and-flow forest over every class on one switch.
    static DuneSystem TrainJewel(const DuneDataset& train, const DuneConfig& config);
    /// \brief Mousika: one binary-split decision tree distilled from the unconstrained forest
    /// (trained on the teacher's labels) on one switch.
    static DuneSystem TrainMousika(const DuneDataset& train, const DuneConfig& config);

    /**
     * \brief Evaluate on a data set with DUNE's sample weights.
     * \param data the data set
     * \return {"macro_f1", "weighted_f1", "micro_f1", "per_class_f1": [...],
     *          "decided_by": [share per model], "packet_level_share", "flow_level_share"}
     */
    nlohmann::json Evaluate(const DuneDataset& data) const;

  private:
    std::string m_name;
    std::vector<DuneSwitchModel> m_models;
};

} // namespace ns3

#endif // DUNE_SYSTEM_H
