/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef LEARN_DATASET_H
#define LEARN_DATASET_H

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup aisfc
 * How a CSV file is read by LearnDataset::ReadCsv.
 */
struct LearnCsvOptions
{
    /// Whether the first non-empty line names the columns.
    enum Header : uint8_t
    {
        AUTO = 0,    //!< a header when no cell of the first line is a number
        PRESENT = 1, //!< always skip the first non-empty line
        ABSENT = 2,  //!< the first non-empty line is data
    };

    char delimiter = ','; //!< cell separator
    int labelColumn = -1; //!< column of the integer label, from 0; negative counts from the end
    Header header = AUTO; //!< header handling
};

/**
 * \ingroup aisfc
 * A labelled classification data set in the layout LearnDenseNetwork takes: one sample per
 * column of features (features x samples) and one integer class label per sample.
 *
 * The sources: a seeded synthetic generator (Gaussian blobs) so experiments need no external
 * data, a CSV reader and an IDX (MNIST) reader for data a user supplies.  The readers report
 * bad input as AisfcInputError naming the file and the line (CSV) or byte offset (IDX), and
 * refuse sizes a file cannot hold before allocating memory for them.
 */
struct LearnDataset
{
    Eigen::MatrixXd features; //!< features x samples
    std::vector<int> labels;  //!< one class label (>= 0) per sample

    /// \brief \return the number of samples
    size_t Size() const;

    /// \brief \return the number of features (rows of features)
    size_t FeatureCount() const;

    /// \brief \return one more than the largest label (0 for an empty set)
    size_t ClassCount() const;

    /**
     * \brief The samples at some indices, in that order.
     * \param indices sample indices, each < Size()
     * \return the subset
     * \throws std::out_of_range on an index out of range
     */
    LearnDataset Subset(const std::vector<size_t>& indices) const;

    /**
     * \brief Gaussian blobs: samples / classes samples per class (class of sample i is
     * i % classes) drawn around class centres.  Deterministic: centres are drawn first, uniform
     * in [-centerBox, centerBox] per feature, then the samples' features in order, each centre +
     * spread * N(0, 1), all from one std::mt19937_64(seed) through LearnUniform01 and a
     * Box-Muller transform of this module's own (standard library distributions differ across
     * implementations).  The Box-Muller step uses std::log, std::sqrt and std::cos, so two
     * platforms with different maths libraries may differ in the last bits.
     * \param samples number of samples, > 0
     * \param classes number of classes, > 0
     * \param features number of features, > 0
     * \param seed generator seed
     * \param spread standard deviation around a centre
     * \param centerBox half-width of the box the centres are drawn from
     * \return the data set
     * \throws std::invalid_argument on a zero count or a negative spread
     */
    static LearnDataset Blobs(size_t samples,
                              size_t classes,
                              size_t features,
                              uint64_t seed,
                              double spread = 1.0,
                              double centerBox = 5.0);

    /**
     * \brief Read a CSV file of numeric features and an integer label per row.  Blank lines are
     * skipped, CR-LF line ends accepted, cells trimmed of spaces; quoting is not supported.
     * \param path the file
     * \param options delimiter, label column, header handling
     * \return the data set, samples in file order
     * \throws AisfcInputError "path:line: ..." on a non-numeric or non-finite cell, a label that
     *         is not a non-negative integer, a row with another number of cells than the first,
     *         or a label column outside the row; "path: ..." when the file cannot be read or has
     *         no data row
     */
    static LearnDataset ReadCsv(const std::string& path,
                                const LearnCsvOptions& options = LearnCsvOptions());

    /**
     * \brief Read an IDX image file and its IDX label file (the MNIST and Fashion-MNIST
     * format, uncompressed): images magic 0x00000803 then big-endian uint32 count, rows,
     * columns and count x rows x columns unsigned bytes; labels magic 0x00000801, count and
     * count bytes.  Each image becomes one column of rows x columns features, row after row,
     * pixel values divided by 255 into [0, 1].
     * \param imagesPath the image file
     * \param labelsPath the label file
     * \param maxSamples read only the first maxSamples samples; 0 for all
     * \return the data set
     * \throws AisfcInputError "path at offset N: ..." on a wrong magic number (gzip files are
     *         named as such), a truncated header, sizes the file cannot hold, trailing bytes, or
     *         image and label counts that differ; "path: ..." when a file cannot be read
     */
    static LearnDataset ReadIdx(const std::string& imagesPath,
                                const std::string& labelsPath,
                                size_t maxSamples = 0);
};

/**
 * \ingroup aisfc
 * Mini-batches of a data set in a seeded shuffled order, reshuffled every epoch.
 *
 * The shuffle is a Fisher-Yates of this module's own driven by std::mt19937_64 (std::shuffle
 * differs across standard libraries), so the same seed gives the same batches everywhere.  The
 * data set is referenced, not copied: it must outlive the iterator.
 *
 * \code
 *   LearnBatchIterator batches(data, 32, seed);
 *   for (size_t epoch = 0; epoch < epochs; ++epoch)
 *       while (batches.Next(x, y)) { ... }
 * \endcode
 */
class LearnBatchIterator
{
  public:
    /**
     * \brief Start the first epoch.
     * \param data the data set (kept by reference)
     * \param batchSize samples per batch, > 0; the last batch of an epoch may be smaller
     * \param seed shuffle seed
     * \param dropLast skip an epoch's last batch when it is smaller than batchSize
     * \throws std::invalid_argument on a zero batch size
     */
    LearnBatchIterator(const LearnDataset& data,
                       size_t batchSize,
                       uint64_t seed,
                       bool dropLast = false);

    /**
     * \brief The next batch of the current epoch.  At the end of an epoch it returns false once
     * and prepares the next epoch in a new order, so a while loop runs exactly one epoch.
     * \param x receives the features of the batch (features x batch)
     * \param y receives the labels of the batch
     * \return false, leaving x and y unchanged, when the epoch is over
     */
    bool Next(Eigen::MatrixXd& x, std::vector<int>& y);

    /// \brief \return the sample indices of the batch last returned by Next
    const std::vector<size_t>& GetBatchIndices() const;

    /// \brief \return the number of epochs completed
    size_t GetEpoch() const;

    /// \brief \return the number of batches one epoch yields
    size_t BatchesPerEpoch() const;

  private:
    /// Draw the order of the next epoch.
    void Shuffle();

    const LearnDataset& m_data;  //!< the data set
    size_t m_batchSize;          //!< samples per batch
    bool m_dropLast;             //!< skip a short last batch
    std::mt19937_64 m_rng;       //!< shuffle generator
    std::vector<size_t> m_order; //!< sample order of the current epoch
    size_t m_position = 0;       //!< next index into m_order
    size_t m_epoch = 0;          //!< epochs completed
    std::vector<size_t> m_batch; //!< indices of the last batch
};

} // namespace ns3

#endif // LEARN_DATASET_H
