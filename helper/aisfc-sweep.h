/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_SWEEP_H
#define AISFC_SWEEP_H

#include <nlohmann/json.hpp>
#include <ostream>
#include <signal.h>
#include <string>
#include <vector>

struct sqlite3;

namespace ns3
{

/**
 * \ingroup aisfc
 * One run of a sweep: the base scenario with parameter values set, and a replication.
 */
struct SweepRun
{
    size_t index = 0;        //!< position in the sweep (slices take every N-th)
    std::string id;          //!< stable hash of params and replication (SweepRunId)
    nlohmann::json params;   //!< {"/json/pointer": value, ...}
    uint32_t replication{};  //!< 0-based; the scenario's "run" (ns-3 RngRun) is replication + 1
    nlohmann::json scenario; //!< the resolved scenario (ScenarioToJson), written as scenario.json
};

/**
 * \ingroup aisfc
 * A validated sweep: every run's scenario has passed ParseScenario.
 */
struct SweepSpec
{
    std::string source;                //!< the sweep file
    std::vector<std::string> pointers; //!< varied JSON pointers (grid, then zip; each sorted)
    std::vector<SweepRun> runs;        //!< all runs, in a stable order
    std::string hash;                  //!< identifies the sweep (base and run ids)
    double timeoutSeconds = 0;         //!< per-run wall-clock limit (0: none)
};

/**
 * \ingroup aisfc
 * \brief Validate a sweep document: {"base": {...} | "file": "scenario.json", "grid": {ptr:
 * [values]}, "zip": {ptr: [values]}, "replications": R, "timeout": "10min"}.
 *
 * Grid pointers take every combination; zip lists have equal length and vary together; the
 * product of both times the replications is the run list.  Every run's scenario is checked.
 * \param doc the parsed document
 * \param source its file name: errors name it and the JSON path; "file" is relative to it
 * \return the sweep
 * \throws AisfcInputError naming the file and the JSON path
 */
SweepSpec ParseSweep(const nlohmann::json& doc, const std::string& source);

/// \ingroup aisfc \brief Read and validate a sweep file (ParseSweep). \return the sweep
SweepSpec LoadSweep(const std::string& path);

/// \ingroup aisfc \brief \return the run id: 16 hex digits of a hash of params and replication
std::string SweepRunId(const nlohmann::json& params, uint32_t replication);

/**
 * \ingroup aisfc
 * The outcome of one run: a row of the runs table.
 */
struct SweepResult
{
    std::string id;         //!< run id
    nlohmann::json params;  //!< its parameters
    uint32_t replication{}; //!< its replication
    std::string status;     //!< "ok", "failed" or "timeout"
    int exitCode = 0;       //!< the process's exit status (128 + signal when killed)
    double wallSeconds = 0; //!< from start to exit
    nlohmann::json metrics; //!< the run's whole results.json (null unless ok)
    std::string error;      //!< failures: the tail of stderr
    std::string finishedAt; //!< UTC, ISO 8601 with milliseconds
};

/// \ingroup aisfc \brief \return r as JSON (MPI messages)
nlohmann::json SweepResultToJson(const SweepResult& r);
/// \ingroup aisfc \brief \return the result that SweepResultToJson wrote
SweepResult SweepResultFromJson(const nlohmann::json& j);

/**
 * \ingroup aisfc
 * The result store of a sweep: an SQLite file with tables runs (one row per run id) and meta
 * (the sweep's hash).  Each Record is one transaction, so a killed sweep keeps every finished
 * run and never holds two rows for one run.  Only one process writes a store.
 */
class SweepStore
{
  public:
    /**
     * \brief Open or create the store of spec.
     * \param path the database file
     * \param spec the sweep
     * \throws AisfcInputError when the file holds a different sweep
     */
    SweepStore(const std::string& path, const SweepSpec& spec);
    ~SweepStore();
    SweepStore(const SweepStore&) = delete;
    SweepStore& operator=(const SweepStore&) = delete;

    /// \brief \return the ids of runs with status ok
    std::vector<std::string> OkIds() const;
    /// \brief Insert or replace the row of r.id in its own transaction.
    void Record(const SweepResult& r);
    /// \brief \return every row
    std::vector<SweepResult> Rows() const;
    /**
     * \brief Copy a slice store's rows in (an ok row is never replaced by a failed one).
     * \param slicePath a store written by `--slice`
     * \return the number of rows the slice holds
     * \throws AisfcInputError when the slice belongs to another sweep
     */
    size_t Merge(const std::string& slicePath);

  private:
    void Exec(const std::string& sql) const;
    std::string m_path;
    sqlite3* m_db = nullptr;
};

/**
 * \ingroup aisfc
 * \brief \return results.csv: one row per row of the store in sweep order, the parameters
 * (columns named by their JSON pointer) and the numeric and boolean leaves of the metrics
 * (columns such as "flows.video.throughput_bps"; arrays of named objects keyed by name).
 */
std::string SweepCsv(const SweepSpec& spec, const std::vector<SweepResult>& rows);

/**
 * \ingroup aisfc
 * Runs sweep runs as child processes, `EXE run DIR/runs/<id>/scenario.json --out
 * DIR/runs/<id>`, at most `jobs` at a time, each with an optional wall-clock limit.
 */
class SweepExecutor
{
  public:
    /**
     * \param exe the aisfc CLI
     * \param outDir the sweep directory
     * \param timeoutSeconds per-run limit (0: none)
     */
    SweepExecutor(std::string exe, std::string outDir, double timeoutSeconds);
    ~SweepExecutor();

    /// \brief Write the run's scenario.json (a fresh directory) and start it.
    void Start(const SweepRun& run);
    /// \brief \return the number of runs started and not yet returned by Wait
    size_t Running() const;
    /// \brief Wait until at least one run ends. \return the runs that ended
    std::vector<SweepResult> Wait();

  private:
    struct Child;
    SweepResult Finish(Child& c, int status);
    std::string m_exe;
    std::string m_outDir;
    double m_timeout;
    std::vector<Child*> m_children;
    bool m_masked = false;
    sigset_t m_oldMask; //!< the caller's signal mask, restored at the end
};

/**
 * \ingroup aisfc
 * How RunSweep runs.
 */
struct SweepOptions
{
    std::string outDir;    //!< the sweep directory
    std::string exe;       //!< the aisfc CLI
    unsigned jobs = 1;     //!< processes at a time
    size_t sliceIndex = 0; //!< this slice (with sliceCount > 1)
    size_t sliceCount = 1; //!< 1: the whole sweep into results.db; N: DIR/slices/K.db
};

/**
 * \ingroup aisfc
 * Counts of one RunSweep.
 */
struct SweepSummary
{
    size_t selected = 0; //!< runs of this slice
    size_t skipped = 0;  //!< already ok in the store
    size_t ok = 0;       //!< ok now
    size_t failed = 0;   //!< failed or timed out now
};

/**
 * \ingroup aisfc
 * The recording side of a sweep, shared by local and MPI runs: opens the store, lists the runs
 * still to do, records each result (store, results.csv, progress) and counts.
 */
class SweepSession
{
  public:
    /// \brief Open the store of options (refuses another sweep's) and list what is to do.
    SweepSession(const SweepSpec& spec, const SweepOptions& options, std::ostream& log);
    ~SweepSession();
    /// \brief \return the runs of this slice without an ok row, in sweep order
    const std::vector<const SweepRun*>& Pending() const;
    /// \brief Record one finished run (its own transaction), report it.
    void Record(const SweepResult& r);
    /// \brief Write results.csv a last time, print the final line. \return the counts
    SweepSummary Finish();

  private:
    void WriteCsv();
    const SweepSpec& m_spec;
    SweepOptions m_options;
    std::ostream& m_log;
    SweepStore* m_store;
    std::vector<const SweepRun*> m_pending;
    SweepSummary m_summary;
    class AisfcProgress* m_progress;
    double m_lastCsv = -1;
};

/// \ingroup aisfc \brief \return the store of a sweep directory (a slice's when sliceCount > 1)
std::string SweepStorePath(const SweepOptions& options);

/**
 * \ingroup aisfc
 * \brief Run the runs of a sweep (of one slice) that are not ok in its store; record each as it
 * ends and rewrite results.csv (not for slices); report progress on log.
 * \return the counts
 */
SweepSummary RunSweep(const SweepSpec& spec, const SweepOptions& options, std::ostream& log);

/**
 * \ingroup aisfc
 * \brief Merge DIR/slices/ *.db into DIR/results.db and write DIR/results.csv.
 * \return the number of runs with an ok row after the merge
 */
size_t MergeSweepSlices(const SweepSpec& spec, const std::string& outDir, std::ostream& log);

/**
 * \ingroup aisfc
 * \brief \return an sbatch script: a job array of `tasks` tasks, task i running
 * `EXE sweep SWEEP --out DIR --slice i/tasks`
 */
std::string SweepSlurmScript(const SweepSpec& spec,
                             const std::string& exe,
                             const std::string& outDir,
                             size_t tasks);

/// \ingroup aisfc \brief \return the current UTC time as ISO 8601 with milliseconds
std::string SweepTimestamp();

} // namespace ns3

#endif // AISFC_SWEEP_H
