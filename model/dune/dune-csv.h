/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef DUNE_CSV_H
#define DUNE_CSV_H

#include "dune-features.h"

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace ns3
{

/// Largest CSV file the DUNE readers open unless told otherwise (they stream: this bounds run
/// time; memory grows with the rows kept).
constexpr uint64_t DUNE_MAX_CSV_FILE_BYTES = 4ULL * 1024 * 1024 * 1024;

/**
 * \ingroup aisfc
 * Streams the rows of a CSV file that has a header line.
 *
 * Blank lines are skipped, CR-LF line ends and a UTF-8 byte order mark accepted, cells trimmed
 * of spaces and tabs (CICFlowMeter's headers start with a space: " Flow Duration"), fields in
 * double quotes may hold the delimiter and "" for a quote (a quoted field cannot span lines).
 * Repeated column names get ".1", ".2" appended, as pandas does (CIC-IDS2017 repeats
 * "Fwd Header Length").
 */
class DuneCsvReader
{
  public:
    /**
     * \brief Open a file and read its header line.
     * \param path the file
     * \param delimiter cell separator
     * \param maxFileBytes larger files are refused
     * \throws AisfcInputError naming path when it is missing, too large or has no header line,
     *         and "path:line" on a malformed header
     */
    DuneCsvReader(const std::string& path,
                  char delimiter = ',',
                  uint64_t maxFileBytes = DUNE_MAX_CSV_FILE_BYTES);

    /// \brief \return the column names
    const std::vector<std::string>& Header() const;

    /**
     * \brief The column of a name: exact match first, then ignoring case, spaces, '_' and '.'.
     * \param name the name
     * \return its index, or -1
     */
    int Find(const std::string& name) const;

    /**
     * \brief The next data row.
     * \param cells receives one cell per column
     * \return false at the end of the file
     * \throws AisfcInputError "path:line: ..." on a row with another number of cells than the
     *         header or an unterminated quote
     */
    bool Next(std::vector<std::string>& cells);

    /// \brief \return "path:line" of the header line
    std::string HeaderPlace() const;

    /**
     * \brief Where a cell of the last row is.
     * \param column its index
     * \return "path:line: column c ('name')"
     */
    std::string Place(size_t column) const;

    /// \brief \return the path
    const std::string& Path() const;

  private:
    /// Split one line into cells; throws on an unterminated quote.
    std::vector<std::string> Split(const std::string& line) const;

    std::string m_path;                //!< the file
    char m_delimiter;                  //!< cell separator
    std::ifstream m_in;                //!< the stream
    std::vector<std::string> m_header; //!< column names
    size_t m_headerLine = 0;           //!< line of the header
    size_t m_line = 0;                 //!< line last read
};

/**
 * \ingroup aisfc
 * What to do with a cell that is not a finite number (CICFlowMeter writes "Infinity" and
 * "NaN" for rates over zero durations; an empty cell counts as NaN).
 */
enum class DuneNonFinitePolicy : uint8_t
{
    DROP_ROW = 0, //!< skip the row, count it (what most CIC pipelines do)
    REPLACE = 1,  //!< +-Infinity -> +-infinityValue, NaN -> nanValue, counted
    ERROR = 2,    //!< AisfcInputError naming file, line and column
};

/**
 * \ingroup aisfc
 * How DuneReadFlowCsv reads a flow-level CSV.
 */
struct DuneCsvOptions
{
    std::string labelColumn = "Label"; //!< the class column, by name (see DuneCsvReader::Find)
    char delimiter = ',';              //!< cell separator
    /// Drop the identifier columns of CICFlowMeter and DUNE CSVs when present: Flow ID,
    /// Src IP / Source IP, Dst IP / Destination IP, Src Port / Source Port, Timestamp, File,
    /// SimillarHTTP, "Unnamed: 0" (a pandas index), matched by exact name ignoring case (DUNE's
    /// "srcport" is a feature and stays).  Destination port and protocol stay.
    bool dropIdentifierColumns = true;
    std::vector<std::string> dropColumns;    //!< more columns to drop, by name
    std::vector<std::string> featureColumns; //!< if not empty: exactly these, in this order
    std::string weightColumn;                //!< per-sample weights; empty: all 1
    DuneNonFinitePolicy nonFinite = DuneNonFinitePolicy::DROP_ROW; //!< Infinity, NaN, empty
    double infinityValue = 1e12;         //!< replacement for +-Infinity under REPLACE
    double nanValue = -1.0;              //!< replacement for NaN under REPLACE (DUNE's "absent")
    std::vector<std::string> classNames; //!< classes numbered first, in this order
    uint64_t maxFileBytes = DUNE_MAX_CSV_FILE_BYTES; //!< larger files are refused
    uint64_t maxRows = 0;                            //!< keep at most this many rows; 0: all
};

/**
 * \ingroup aisfc
 * What DuneReadFlowCsv did.
 */
struct DuneCsvSummary
{
    uint64_t rows = 0;                       //!< data rows read
    uint64_t kept = 0;                       //!< rows in the data set
    uint64_t droppedRows = 0;                //!< rows dropped for a non-finite cell
    uint64_t replacedInfinity = 0;           //!< cells replaced under REPLACE
    uint64_t replacedNan = 0;                //!< cells replaced under REPLACE
    std::vector<std::string> droppedColumns; //!< identifier and requested columns dropped

    /// \brief \return one line for a log
    std::string ToString() const;
};

/**
 * \ingroup aisfc
 * \brief Read a flow-level CSV (CICFlowMeter's, DUNE's hybrid CSVs, or any table of numeric
 * features with a label column) into a data set of weight-1 samples, one per row; labels are
 * strings, numbered in order of appearance after options.classNames.
 * \param path the file
 * \param options label column, dropped columns, non-finite handling
 * \param summary receives counts when not null
 * \return the data set (no sample or flow info)
 * \throws AisfcInputError "path:line: no label column 'Label' (columns: ...)" when the label
 *         column is missing, "path:line: column c ('name'): 'x' is not a number" on a cell that
 *         is neither a number nor Infinity/NaN, "path:line: column c ('Label'): empty label",
 *         a negative or non-finite weight, or a file without data rows
 */
DuneDataset DuneReadFlowCsv(const std::string& path,
                            const DuneCsvOptions& options = DuneCsvOptions(),
                            DuneCsvSummary* summary = nullptr);

/**
 * \ingroup aisfc
 * How DuneReadLabelCsv reads a label file.
 */
struct DuneLabelCsvOptions
{
    std::string labelColumn = "Label";               //!< the class column
    char delimiter = ',';                            //!< cell separator
    uint64_t maxFileBytes = DUNE_MAX_CSV_FILE_BYTES; //!< larger files are refused
};

/**
 * \ingroup aisfc
 * \brief Read flow or device labels from CSV.  The key is, by the first columns found:
 * a flow id column ("Flow ID", "flow_id", "flow.id") in DUNE's form "src dst sport dport proto"
 * or CICFlowMeter's "src-dst-sport-dport-proto"; five columns (Src IP / Source IP / ip.src,
 * Dst IP / Destination IP / ip.dst, Src Port / Source Port / srcport, Dst Port /
 * Destination Port / dstport, Protocol / proto / ip.proto); or a MAC column ("MAC ADDRESS",
 * "mac", "eth.src").  A key labelled twice keeps its first label; conflicts counts the keys
 * labelled differently later.
 * \param path the file
 * \param options label column and delimiter
 * \param conflicts receives the number of conflicting rows when not null
 * \return the map
 * \throws AisfcInputError naming the header line when no key or label column is found, and
 *         file:line: column on an address, port, protocol or MAC that does not parse
 */
DuneLabelMap DuneReadLabelCsv(const std::string& path,
                              const DuneLabelCsvOptions& options = DuneLabelCsvOptions(),
                              uint64_t* conflicts = nullptr);

} // namespace ns3

#endif // DUNE_CSV_H
