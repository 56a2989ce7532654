/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "learn-dataset.h"

#include "learn-dense-network.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace ns3
{

namespace
{
constexpr double PI = 3.14159265358979323846; // M_PI is POSIX, not C++17
} // namespace

size_t
LearnDataset::Size() const
{
    return labels.size();
}

size_t
LearnDataset::FeatureCount() const
{
    return static_cast<size_t>(features.rows());
}

size_t
LearnDataset::ClassCount() const
{
    int top = -1;
    for (int label : labels)
    {
        top = std::max(top, label);
    }
    return static_cast<size_t>(top + 1);
}

LearnDataset
LearnDataset::Subset(const std::vector<size_t>& indices) const
{
    LearnDataset out;
    out.features.resize(features.rows(), static_cast<Eigen::Index>(indices.size()));
    out.labels.resize(indices.size());
    for (size_t k = 0; k < indices.size(); ++k)
    {
        if (indices[k] >= labels.size())
        {
            throw std::out_of_range("LearnDataset: sample " + std::to_string(indices[k]) + " of " +
                                    std::to_string(labels.size()));
        }
        out.features.col(static_cast<Eigen::Index>(k)) =
            features.col(static_cast<Eigen::Index>(indices[k]));
        out.labels[k] = labels[indices[k]];
    }
    return out;
}

LearnDataset
LearnDataset::Blobs(size_t samples,
                    size_t classes,
                    size_t features,
                    uint64_t seed,
                    double spread,
                    double centerBox)
{
    if (samples == 0 || classes == 0 || features == 0)
    {
        throw std::invalid_argument("LearnDataset::Blobs: samples, classes and features must be "
                                    "positive");
    }
    if (!(spread >= 0.0) || !(centerBox >= 0.0))
    {
        throw std::invalid_argument("LearnDataset::Blobs: spread and centre box must be >= 0");
    }
    std::mt19937_64 rng(seed);
    const auto d = static_cast<Eigen::Index>(features);
    Eigen::MatrixXd centers(d, static_cast<Eigen::Index>(classes));
    for (Eigen::Index i = 0; i < centers.size(); ++i)
    {
        centers.data()[i] = centerBox * (2.0 * LearnUniform01(rng) - 1.0);
    }
    // Box-Muller gives two normals per pair of uniforms; the second is kept for the next draw.
    bool haveSpare = false;
    double spare = 0.0;
    auto normal = [&]() {
        if (haveSpare)
        {
            haveSpare = false;
            return spare;
        }
        const double u1 = 1.0 - LearnUniform01(rng); // (0, 1]: log(u1) is finite
        const double u2 = LearnUniform01(rng);
        const double r = std::sqrt(-2.0 * std::log(u1));
        const double theta = 2.0 * PI * u2;
        spare = r * std::sin(theta);
        haveSpare = true;
        return r * std::cos(theta);
    };
    LearnDataset data;
    data.features.resize(d, static_cast<Eigen::Index>(samples));
    data.labels.resize(samples);
    for (size_t i = 0; i < samples; ++i)
    {
        const size_t c = i % classes;
        data.labels[i] = static_cast<int>(c);
        for (Eigen::Index f = 0; f < d; ++f)
        {
            data.features(f, static_cast<Eigen::Index>(i)) =
                centers(f, static_cast<Eigen::Index>(c)) + spread * normal();
        }
    }
    return data;
}

namespace
{

std::vector<std::string>
SplitCells(const std::string& line, char delimiter)
{
    std::vector<std::string> cells;
    size_t start = 0;
    while (true)
    {
        const size_t end = line.find(delimiter, start);
        cells.push_back(
            AisfcTrim(line.substr(start, end == std::string::npos ? end : end - start)));
        if (end == std::string::npos)
        {
            break;
        }
        start = end + 1;
    }
    return cells;
}

/// Locale-independent full-cell parse (strtod would follow LC_NUMERIC).
bool
ParseDouble(const std::string& cell, double& value)
{
    const char* first = cell.data();
    const char* last = cell.data() + cell.size();
    if (first != last && *first == '+')
    {
        ++first; // from_chars refuses a leading '+', which spreadsheets sometimes write
    }
    if (first == last)
    {
        return false;
    }
    const auto result = std::from_chars(first, last, value);
    return result.ec == std::errc() && result.ptr == last;
}

std::string
Quote(const std::string& cell)
{
    return "'" + (cell.size() > 40 ? cell.substr(0, 40) + "..." : cell) + "'";
}

} // namespace

LearnDataset
LearnDataset::ReadCsv(const std::string& path, const LearnCsvOptions& options)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
    {
        throw AisfcInputError(path, "is a directory, not a CSV file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw AisfcInputError(path, std::string("cannot open: ") + std::strerror(errno));
    }
    std::vector<double> values; // sample after sample: the column-major layout of features
    std::vector<int> labels;
    size_t cellsPerRow = 0;
    size_t firstDataLine = 0;
    size_t labelColumn = 0;
    bool sawFirstLine = false;
    std::string line;
    size_t lineNo = 0;
    while (std::getline(in, line))
    {
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
        {
            line.pop_back();
        }
        if (AisfcTrim(line).empty())
        {
            continue;
        }
        const std::string place = path + ":" + std::to_string(lineNo);
        const std::vector<std::string> cells = SplitCells(line, options.delimiter);
        if (!sawFirstLine)
        {
            sawFirstLine = true;
            bool header = options.header == LearnCsvOptions::PRESENT;
            if (options.header == LearnCsvOptions::AUTO)
            {
                header = true;
                double v;
                for (const std::string& c : cells)
                {
                    header = header && !ParseDouble(c, v);
                }
            }
            if (header)
            {
                continue;
            }
        }
        if (cellsPerRow == 0)
        {
            if (cells.size() < 2)
            {
                throw AisfcInputError(place,
                                      "a row needs at least one feature and a label, found " +
                                          std::to_string(cells.size()) + " cell");
            }
            const long long col = options.labelColumn < 0
                                      ? static_cast<long long>(cells.size()) + options.labelColumn
                                      : options.labelColumn;
            if (col < 0 || col >= static_cast<long long>(cells.size()))
            {
                throw AisfcInputError(place,
                                      "label column " + std::to_string(options.labelColumn) +
                                          " is outside the " + std::to_string(cells.size()) +
                                          " cells of the row");
            }
            cellsPerRow = cells.size();
            labelColumn = static_cast<size_t>(col);
            firstDataLine = lineNo;
        }
        if (cells.size() != cellsPerRow)
        {
            throw AisfcInputError(place,
                                  std::to_string(cells.size()) + " cells, expected " +
                                      std::to_string(cellsPerRow) + " as on line " +
                                      std::to_string(firstDataLine));
        }
        for (size_t c = 0; c < cells.size(); ++c)
        {
            const std::string cellPlace = place + ": column " + std::to_string(c + 1);
            double v;
            if (!ParseDouble(cells[c], v))
            {
                throw AisfcInputError(cellPlace, Quote(cells[c]) + " is not a number");
            }
            if (!std::isfinite(v))
            {
                throw AisfcInputError(cellPlace, Quote(cells[c]) + " is not a finite number");
            }
            if (c == labelColumn)
            {
                if (v < 0.0 || v > INT_MAX || v != std::floor(v))
                {
                    throw AisfcInputError(cellPlace,
                                          "label " + Quote(cells[c]) +
                                              " is not a non-negative integer");
                }
                labels.push_back(static_cast<int>(v));
            }
            else
            {
                values.push_back(v);
            }
        }
    }
    if (in.bad())
    {
        throw AisfcInputError(path + ":" + std::to_string(lineNo + 1), "read error");
    }
    if (labels.empty())
    {
        throw AisfcInputError(path, "no data row");
    }
    LearnDataset data;
    data.features = Eigen::Map<const Eigen::MatrixXd>(values.data(),
                                                      static_cast<Eigen::Index>(cellsPerRow - 1),
                                                      static_cast<Eigen::Index>(labels.size()));
    data.labels = std::move(labels);
    return data;
}

namespace
{

/// Header and payload of one IDX file of unsigned bytes.
struct IdxFile
{
    std::vector<uint32_t> dims;  //!< sizes from the header
    std::vector<uint8_t> values; //!< the first dims[0] (or fewer) items
};

uint32_t
BigEndian32(const uint8_t* p)
{
    return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
           static_cast<uint32_t>(p[2]) << 8 | static_cast<uint32_t>(p[3]);
}

std::string
Hex32(uint32_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
}

/**
 * Read an IDX file of unsigned bytes with the given number of dimensions, checking every size
 * against the file length before allocating, and load at most maxItems items.
 */
IdxFile
ReadIdxFile(const std::string& path, uint32_t dimensions, const char* what, size_t maxItems)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
    {
        throw AisfcInputError(path, "is a directory, not an IDX file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw AisfcInputError(path, std::string("cannot open: ") + std::strerror(errno));
    }
    in.seekg(0, std::ios::end);
    const std::streamoff end = in.tellg();
    in.seekg(0, std::ios::beg);
    if (end < 0)
    {
        throw AisfcInputError(path, "cannot determine the file size");
    }
    const uint64_t fileSize = static_cast<uint64_t>(end);
    auto fail = [&](uint64_t offset, const std::string& message) {
        throw AisfcInputError(path + " at offset " + std::to_string(offset), message);
    };

    const uint32_t magic = 0x00000800u | dimensions;
    const uint64_t headerSize = 4 + 4 * static_cast<uint64_t>(dimensions);
    uint8_t header[16] = {};
    in.read(reinterpret_cast<char*>(header),
            static_cast<std::streamsize>(std::min<uint64_t>(headerSize, fileSize)));
    if (fileSize < 4)
    {
        fail(0,
             "truncated header: the file has " + std::to_string(fileSize) +
                 " bytes, an IDX magic number needs 4");
    }
    const uint32_t found = BigEndian32(header);
    if (found != magic)
    {
        std::string hint;
        if (header[0] == 0x1f && header[1] == 0x8b)
        {
            hint = " (the file is gzip-compressed: decompress it first)";
        }
        else if (found == 0x00000801 || found == 0x00000803)
        {
            hint = found == 0x00000801 ? " (an IDX label file)" : " (an IDX image file)";
        }
        else if ((found & 0xffff0000u) == 0 && (found & 0xff00u) != 0x0800u)
        {
            hint = " (IDX with a non-byte element type is not supported)";
        }
        fail(0,
             "bad magic number " + Hex32(found) + hint + ", expected " + Hex32(magic) + " (" +
                 what + ")");
    }
    IdxFile file;
    for (uint32_t i = 0; i < dimensions; ++i)
    {
        const uint64_t offset = 4 + 4 * static_cast<uint64_t>(i);
        if (fileSize < offset + 4)
        {
            fail(offset,
                 "truncated header: the file ends after " + std::to_string(fileSize) +
                     " bytes, the header needs " + std::to_string(headerSize));
        }
        file.dims.push_back(BigEndian32(header + offset));
        if (file.dims.back() == 0)
        {
            fail(offset, std::string(i == 0 ? "item count" : "dimension") + " is 0");
        }
    }
    // Product of the sizes, refused as soon as it exceeds what the file holds, so that nothing
    // can overflow and nothing is allocated for sizes a corrupt header invents.
    const uint64_t available = fileSize - headerSize;
    uint64_t itemBytes = 1;
    for (uint32_t i = 1; i < dimensions; ++i)
    {
        itemBytes *= file.dims[i];
        if (itemBytes > available)
        {
            break;
        }
    }
    std::string shape = std::to_string(file.dims[0]) + " " + what;
    if (dimensions > 1)
    {
        shape += " of";
        for (uint32_t i = 1; i < dimensions; ++i)
        {
            shape += (i == 1 ? " " : "x") + std::to_string(file.dims[i]);
        }
    }
    if (itemBytes > available || file.dims[0] > available / itemBytes)
    {
        fail(headerSize,
             "the header announces " + shape + " but only " + std::to_string(available) +
                 " bytes follow");
    }
    const uint64_t needed = file.dims[0] * itemBytes;
    if (needed < available)
    {
        fail(headerSize + needed,
             std::to_string(available - needed) + " unexpected bytes after " + shape);
    }
    const uint64_t items =
        maxItems == 0 ? file.dims[0] : std::min<uint64_t>(maxItems, file.dims[0]);
    file.values.resize(items * itemBytes);
    in.seekg(static_cast<std::streamoff>(headerSize), std::ios::beg);
    in.read(reinterpret_cast<char*>(file.values.data()),
            static_cast<std::streamsize>(file.values.size()));
    if (!in)
    {
        fail(headerSize + static_cast<uint64_t>(std::max<std::streamsize>(in.gcount(), 0)),
             "read error");
    }
    return file;
}

} // namespace

LearnDataset
LearnDataset::ReadIdx(const std::string& imagesPath,
                      const std::string& labelsPath,
                      size_t maxSamples)
{
    const IdxFile images = ReadIdxFile(imagesPath, 3, "images", maxSamples);
    const IdxFile labels = ReadIdxFile(labelsPath, 1, "labels", maxSamples);
    if (images.dims[0] != labels.dims[0])
    {
        throw AisfcInputError(labelsPath + " at offset 4",
                              std::to_string(labels.dims[0]) + " labels, but " + imagesPath +
                                  " holds " + std::to_string(images.dims[0]) + " images");
    }
    const size_t pixels = static_cast<size_t>(images.dims[1]) * images.dims[2];
    const size_t n = labels.values.size();
    LearnDataset data;
    data.features.resize(static_cast<Eigen::Index>(pixels), static_cast<Eigen::Index>(n));
    double* f = data.features.data(); // image after image: the column-major layout
    for (size_t i = 0; i < n * pixels; ++i)
    {
        f[i] = images.values[i] / 255.0;
    }
    data.labels.assign(labels.values.begin(), labels.values.end());
    return data;
}

LearnBatchIterator::LearnBatchIterator(const LearnDataset& data,
                                       size_t batchSize,
                                       uint64_t seed,
                                       bool dropLast)
    : m_data(data),
      m_batchSize(batchSize),
      m_dropLast(dropLast),
      m_rng(seed)
{
    if (batchSize == 0)
    {
        throw std::invalid_argument("LearnBatchIterator: batch size must be positive");
    }
    Shuffle();
}

void
LearnBatchIterator::Shuffle()
{
    // Each epoch starts from the identity so that its order depends on the generator only.
    m_order.resize(m_data.Size());
    for (size_t i = 0; i < m_order.size(); ++i)
    {
        m_order[i] = i;
    }
    // Fisher-Yates; the modulo bias is below n / 2^64, far under anything measurable.
    for (size_t i = m_order.size(); i > 1; --i)
    {
        const size_t j = static_cast<size_t>(m_rng() % i);
        std::swap(m_order[i - 1], m_order[j]);
    }
    m_position = 0;
}

bool
LearnBatchIterator::Next(Eigen::MatrixXd& x, std::vector<int>& y)
{
    const size_t left = m_order.size() - m_position;
    if (left == 0 || (m_dropLast && left < m_batchSize))
    {
        ++m_epoch;
        Shuffle();
        return false;
    }
    const size_t n = std::min(left, m_batchSize);
    m_batch.assign(m_order.begin() + static_cast<std::ptrdiff_t>(m_position),
                   m_order.begin() + static_cast<std::ptrdiff_t>(m_position + n));
    m_position += n;
    x.resize(m_data.features.rows(), static_cast<Eigen::Index>(n));
    y.resize(n);
    for (size_t k = 0; k < n; ++k)
    {
        x.col(static_cast<Eigen::Index>(k)) =
            m_data.features.col(static_cast<Eigen::Index>(m_batch[k]));
        y[k] = m_data.labels[m_batch[k]];
    }
    return true;
}

const std::vector<size_t>&
LearnBatchIterator::GetBatchIndices() const
{
    return m_batch;
}

size_t
LearnBatchIterator::GetEpoch() const
{
    return m_epoch;
}

size_t
LearnBatchIterator::BatchesPerEpoch() const
{
    const size_t n = m_data.Size();
    return m_dropLast ? n / m_batchSize : (n + m_batchSize - 1) / m_batchSize;
}

} // namespace ns3
