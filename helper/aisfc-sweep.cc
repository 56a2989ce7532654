/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Parameter sweeps: run list, child processes, the SQLite result store and results.csv.

#include "aisfc-sweep.h"

#include "aisfc-progress.h"
#include "aisfc-scenario-kinds.h"
#include "aisfc-scenario.h"

#include "ns3/aisfc-error.h"
#include "ns3/aisfc-io.h"
#include "ns3/aisfc-json-reader.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <spawn.h>
#include <sqlite3.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace ns3
{

namespace fs = std::filesystem;

namespace
{

uint64_t
Fnv1a(const std::string& s, uint64_t h = 14695981039346656037ULL)
{
    for (unsigned char c : s)
    {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

std::string
Hex(uint64_t v)
{
    std::ostringstream os;
    os << std::hex << std::setw(16) << std::setfill('0') << v;
    return os.str();
}

/// A key as one token of a JSON pointer (RFC 6901: ~ as ~0, / as ~1).
std::string
PointerToken(const std::string& key)
{
    std::string out;
    for (char c : key)
    {
        out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    }
    return out;
}

double
Now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// The parameter lists of "grid" or "zip": pointer -> values, checked against the base.
std::map<std::string, std::vector<nlohmann::json>>
ReadLists(const nlohmann::json& doc,
          const std::string& key,
          const std::string& source,
          const nlohmann::json& base,
          const std::string& baseName)
{
    std::map<std::string, std::vector<nlohmann::json>> lists;
    if (!doc.contains(key))
    {
        return lists;
    }
    const nlohmann::json& obj = doc.at(key);
    std::string place = source + ": /" + key;
    if (!obj.is_object())
    {
        throw AisfcInputError(place, "expected an object {\"/json/pointer\": [values, ...]}");
    }
    for (const auto& [ptr, values] : obj.items())
    {
        std::string at = place + "/" + PointerToken(ptr);
        nlohmann::json::json_pointer p;
        try
        {
            p = nlohmann::json::json_pointer(ptr);
        }
        catch (const nlohmann::json::exception&)
        {
            throw AisfcInputError(at, "'" + ptr + "' is not a JSON pointer (e.g. \"/duration\")");
        }
        if (ptr.empty())
        {
            throw AisfcInputError(at, "the empty pointer would replace the whole scenario");
        }
        if (ptr == "/run")
        {
            throw AisfcInputError(at, "the scenario's \"run\" (RngRun) is set by \"replications\"");
        }
        bool exists = false;
        try
        {
            exists = base.contains(p);
        }
        catch (const nlohmann::json::exception&)
        {
            exists = false;
        }
        if (!exists)
        {
            throw AisfcInputError(at,
                                  "pointer '" + ptr + "' does not exist in the base scenario (" +
                                      baseName + ")");
        }
        if (!values.is_array() || values.empty())
        {
            throw AisfcInputError(at, "expected a non-empty array of values");
        }
        lists[ptr] = values.get<std::vector<nlohmann::json>>();
    }
    return lists;
}

std::string
CsvCell(const std::string& s)
{
    if (s.find_first_of(",\"\n\r") == std::string::npos)
    {
        return s;
    }
    std::string out = "\"";
    for (char c : s)
    {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return out + "\"";
}

std::string
JsonCell(const nlohmann::json& v)
{
    return v.is_string() ? v.get<std::string>() : v.dump();
}

/// Numeric and boolean leaves of j, named by dotted paths; arrays of named objects by name.
void
Flatten(const nlohmann::json& j, const std::string& prefix, std::map<std::string, std::string>& out)
{
    auto join = [&](const std::string& k) { return prefix.empty() ? k : prefix + "." + k; };
    if (j.is_object())
    {
        for (const auto& [k, v] : j.items())
        {
            Flatten(v, join(k), out);
        }
    }
    else if (j.is_array())
    {
        for (size_t i = 0; i < j.size(); ++i)
        {
            const auto& e = j[i];
            bool named = e.is_object() && e.contains("name") && e["name"].is_string();
            Flatten(e, join(named ? e["name"].get<std::string>() : std::to_string(i)), out);
        }
    }
    else if (j.is_number() || j.is_boolean())
    {
        out[prefix] = j.dump();
    }
}

std::string
Column(sqlite3_stmt* st, int i)
{
    const unsigned char* t = sqlite3_column_text(st, i);
    return t ? reinterpret_cast<const char*>(t) : "";
}

/// The last bytes of a file, from a line start.
std::string
Tail(const std::string& path, size_t bytes)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        return "";
    }
    in.seekg(0, std::ios::end);
    auto size = static_cast<size_t>(in.tellg());
    size_t from = size > bytes ? size - bytes : 0;
    in.seekg(static_cast<std::streamoff>(from));
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (from > 0)
    {
        auto nl = s.find('\n');
        s = nl == std::string::npos ? s : s.substr(nl + 1);
    }
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
    {
        s.pop_back();
    }
    return s;
}

} // namespace

std::string
SweepRunId(const nlohmann::json& params, uint32_t replication)
{
    return Hex(Fnv1a(params.dump() + "#" + std::to_string(replication)));
}

std::string
SweepTimestamp()
{
    auto now = std::chrono::system_clock::now();
    std::time_t t = std::chrono::system_clock::to_time_t(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::ostringstream os;
    os << std::put_time(&tm, "%Y-%m-%dT%H:%M:%S") << "." << std::setw(3) << std::setfill('0')
       << ms.count() << "Z";
    return os.str();
}

SweepSpec
ParseSweep(const nlohmann::json& doc, const std::string& source)
{
    if (!doc.is_object())
    {
        throw AisfcInputError(source, "a sweep is a JSON object with \"base\" or \"file\"");
    }
    SweepSpec spec;
    spec.source = source;
    JsonReader root(doc, source);
    root.Has("grid");
    root.Has("zip");
    bool hasBase = root.Has("base");
    bool hasFile = root.Has("file");
    if (hasBase == hasFile)
    {
        throw AisfcInputError(source + ": /",
                              "give the base scenario as \"base\": {...} or \"file\": \"x.json\" "
                              "(exactly one)");
    }
    nlohmann::json base;
    std::string baseSource = source;
    std::string baseName = source + ": /base";
    if (hasBase)
    {
        base = doc.at("base");
        if (!base.is_object())
        {
            throw AisfcInputError(source + ": /base", "expected a scenario object");
        }
    }
    else
    {
        std::string file = root.RequireString("file");
        fs::path p(file);
        if (p.is_relative())
        {
            p = fs::path(source).parent_path() / p;
        }
        baseSource = p.lexically_normal().string();
        baseName = baseSource;
        base = ReadJsonFile(baseSource);
        if (!base.is_object())
        {
            throw AisfcInputError(baseSource, "expected a scenario object");
        }
    }
    auto replications = static_cast<uint32_t>(root.GetUnsigned("replications", 1, 1, 1000000));
    spec.timeoutSeconds = root.GetDuration("timeout", 0);
    if (spec.timeoutSeconds < 0)
    {
        throw AisfcInputError(root.Place("timeout"), "must not be negative");
    }
    root.Finish();

    auto grid = ReadLists(doc, "grid", source, base, baseName);
    auto zip = ReadLists(doc, "zip", source, base, baseName);
    size_t zipLen = zip.empty() ? 1 : zip.begin()->second.size();
    for (const auto& [ptr, values] : zip)
    {
        if (values.size() != zipLen)
        {
            throw AisfcInputError(source + ": /zip/" + PointerToken(ptr),
                                  "has " + std::to_string(values.size()) + " values, /zip/" +
                                      PointerToken(zip.begin()->first) + " has " +
                                      std::to_string(zipLen) + ": zip lists vary together");
        }
        if (grid.count(ptr))
        {
            throw AisfcInputError(source + ": /zip/" + PointerToken(ptr),
                                  "also in /grid: vary a pointer in one of them");
        }
    }
    for (const auto& [ptr, values] : grid)
    {
        spec.pointers.push_back(ptr);
    }
    for (const auto& [ptr, values] : zip)
    {
        spec.pointers.push_back(ptr);
    }
    size_t combos = zipLen;
    for (const auto& [ptr, values] : grid)
    {
        combos *= values.size();
        if (combos * replications > 10000000)
        {
            throw AisfcInputError(source, "more than 10 million runs");
        }
    }

    std::set<std::string> ids;
    std::string hashInput = base.dump();
    for (size_t c = 0; c < combos; ++c)
    {
        nlohmann::json params = nlohmann::json::object();
        size_t rest = c / zipLen;
        // The last grid pointer varies fastest.
        for (auto it = grid.rbegin(); it != grid.rend(); ++it)
        {
            params[it->first] = it->second[rest % it->second.size()];
            rest /= it->second.size();
        }
        for (const auto& [ptr, values] : zip)
        {
            params[ptr] = values[c % zipLen];
        }
        for (uint32_t r = 0; r < replications; ++r)
        {
            SweepRun run;
            run.index = spec.runs.size();
            run.params = params;
            run.replication = r;
            run.id = SweepRunId(params, r);
            nlohmann::json scenario = base;
            for (const auto& [ptr, value] : params.items())
            {
                scenario[nlohmann::json::json_pointer(ptr)] = value;
            }
            scenario["run"] = r + 1;
            try
            {
                run.scenario = FindScenarioKind(scenario, baseSource).check(scenario, baseSource);
            }
            catch (const AisfcInputError& e)
            {
                throw AisfcInputError(source + ": run " + params.dump() + " replication " +
                                          std::to_string(r),
                                      e.what());
            }
            if (!ids.insert(run.id).second)
            {
                throw AisfcInputError(source,
                                      "two runs with the same parameters " + params.dump() +
                                          " (a value repeated in a list?)");
            }
            hashInput += "\n" + run.id;
            spec.runs.push_back(std::move(run));
        }
    }
    spec.hash = Hex(Fnv1a(hashInput));
    return spec;
}

SweepSpec
LoadSweep(const std::string& path)
{
    return ParseSweep(ReadJsonFile(path), path);
}

nlohmann::json
SweepResultToJson(const SweepResult& r)
{
    return {{"id", r.id},
            {"params", r.params},
            {"replication", r.replication},
            {"status", r.status},
            {"exit_code", r.exitCode},
            {"wall_seconds", r.wallSeconds},
            {"metrics", r.metrics},
            {"error", r.error},
            {"finished_at", r.finishedAt}};
}

SweepResult
SweepResultFromJson(const nlohmann::json& j)
{
    SweepResult r;
    r.id = j.at("id").get<std::string>();
    r.params = j.at("params");
    r.replication = j.at("replication").get<uint32_t>();
    r.status = j.at("status").get<std::string>();
    r.exitCode = j.at("exit_code").get<int>();
    r.wallSeconds = j.at("wall_seconds").get<double>();
    r.metrics = j.at("metrics");
    r.error = j.at("error").get<std::string>();
    r.finishedAt = j.at("finished_at").get<std::string>();
    return r;
}

// ---- SweepStore ----------------------------------------------------------------------------

SweepStore::SweepStore(const std::string& path, const SweepSpec& spec)
    : m_path(path)
{
    fs::path parent = fs::path(path).parent_path();
    if (!parent.empty())
    {
        std::error_code ec;
        fs::create_directories(parent, ec);
        if (ec)
        {
            throw AisfcInputError(parent.string(), "cannot create the directory: " + ec.message());
        }
    }
    if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK)
    {
        std::string msg = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close(m_db);
        m_db = nullptr;
        throw AisfcInputError(path, "cannot open the result store: " + msg);
    }
    sqlite3_busy_timeout(m_db, 30000);
    Exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
         "CREATE TABLE IF NOT EXISTS runs(id TEXT PRIMARY KEY, params TEXT, replication INT, "
         "status TEXT, exit_code INT, wall_seconds REAL, metrics TEXT, error TEXT, "
         "finished_at TEXT);");
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(m_db, "SELECT value FROM meta WHERE key='sweep_hash'", -1, &st, nullptr);
    std::string stored;
    bool has = sqlite3_step(st) == SQLITE_ROW;
    if (has)
    {
        stored = Column(st, 0);
    }
    sqlite3_finalize(st);
    if (has && stored != spec.hash)
    {
        sqlite3_close(m_db);
        m_db = nullptr;
        throw AisfcInputError(path,
                              "holds the results of a different sweep (sweep hash " + stored +
                                  ", " + spec.source + " has " + spec.hash +
                                  "); give this sweep a new --out DIR");
    }
    if (!has)
    {
        sqlite3_prepare_v2(m_db,
                           "INSERT INTO meta(key, value) VALUES ('sweep_hash', ?1), "
                           "('sweep_source', ?2), ('created_at', ?3), ('runs', ?4)",
                           -1,
                           &st,
                           nullptr);
        std::string created = SweepTimestamp();
        std::string count = std::to_string(spec.runs.size());
        sqlite3_bind_text(st, 1, spec.hash.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, spec.source.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, created.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, count.c_str(), -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
        {
            throw std::runtime_error(path + ": " + sqlite3_errmsg(m_db));
        }
    }
}

SweepStore::~SweepStore()
{
    sqlite3_close(m_db);
}

void
SweepStore::Exec(const std::string& sql) const
{
    char* err = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK)
    {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        throw std::runtime_error(m_path + ": " + msg);
    }
}

std::vector<std::string>
SweepStore::OkIds() const
{
    std::vector<std::string> ids;
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(m_db, "SELECT id FROM runs WHERE status='ok'", -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW)
    {
        ids.push_back(Column(st, 0));
    }
    sqlite3_finalize(st);
    return ids;
}

void
SweepStore::Record(const SweepResult& r)
{
    Exec("BEGIN IMMEDIATE");
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(m_db,
                       "INSERT OR REPLACE INTO runs(id, params, replication, status, exit_code, "
                       "wall_seconds, metrics, error, finished_at) VALUES (?1, ?2, ?3, ?4, ?5, "
                       "?6, ?7, ?8, ?9)",
                       -1,
                       &st,
                       nullptr);
    std::string params = r.params.dump();
    std::string metrics = r.metrics.is_null() ? "" : r.metrics.dump();
    sqlite3_bind_text(st, 1, r.id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, params.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, r.replication);
    sqlite3_bind_text(st, 4, r.status.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 5, r.exitCode);
    sqlite3_bind_double(st, 6, r.wallSeconds);
    if (metrics.empty())
    {
        sqlite3_bind_null(st, 7);
    }
    else
    {
        sqlite3_bind_text(st, 7, metrics.c_str(), -1, SQLITE_TRANSIENT);
    }
    if (r.error.empty())
    {
        sqlite3_bind_null(st, 8);
    }
    else
    {
        sqlite3_bind_text(st, 8, r.error.c_str(), -1, SQLITE_TRANSIENT);
    }
    sqlite3_bind_text(st, 9, r.finishedAt.c_str(), -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
    {
        std::string msg = sqlite3_errmsg(m_db);
        Exec("ROLLBACK");
        throw std::runtime_error(m_path + ": " + msg);
    }
    Exec("COMMIT");
}

std::vector<SweepResult>
SweepStore::Rows() const
{
    std::vector<SweepResult> rows;
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(m_db,
                       "SELECT id, params, replication, status, exit_code, wall_seconds, "
                       "metrics, error, finished_at FROM runs ORDER BY id",
                       -1,
                       &st,
                       nullptr);
    while (sqlite3_step(st) == SQLITE_ROW)
    {
        SweepResult r;
        r.id = Column(st, 0);
        r.params = nlohmann::json::parse(Column(st, 1), nullptr, false);
        r.replication = static_cast<uint32_t>(sqlite3_column_int64(st, 2));
        r.status = Column(st, 3);
        r.exitCode = sqlite3_column_int(st, 4);
        r.wallSeconds = sqlite3_column_double(st, 5);
        std::string m = Column(st, 6);
        r.metrics = m.empty() ? nlohmann::json() : nlohmann::json::parse(m, nullptr, false);
        r.error = Column(st, 7);
        r.finishedAt = Column(st, 8);
        rows.push_back(std::move(r));
    }
    sqlite3_finalize(st);
    return rows;
}

size_t
SweepStore::Merge(const std::string& slicePath)
{
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(m_db, "ATTACH DATABASE ?1 AS slice", -1, &st, nullptr);
    sqlite3_bind_text(st, 1, slicePath.c_str(), -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
    {
        throw AisfcInputError(slicePath, std::string("cannot open: ") + sqlite3_errmsg(m_db));
    }
    std::string mine;
    std::string theirs;
    size_t rows = 0;
    sqlite3_prepare_v2(m_db,
                       "SELECT (SELECT value FROM main.meta WHERE key='sweep_hash'), "
                       "(SELECT value FROM slice.meta WHERE key='sweep_hash'), "
                       "(SELECT count(*) FROM slice.runs)",
                       -1,
                       &st,
                       nullptr);
    if (sqlite3_step(st) == SQLITE_ROW)
    {
        mine = Column(st, 0);
        theirs = Column(st, 1);
        rows = static_cast<size_t>(sqlite3_column_int64(st, 2));
    }
    sqlite3_finalize(st);
    if (mine != theirs)
    {
        Exec("DETACH DATABASE slice");
        throw AisfcInputError(slicePath,
                              "belongs to another sweep (sweep hash '" + theirs + "', expected " +
                                  mine + ")");
    }
    Exec("BEGIN IMMEDIATE;"
         "INSERT OR REPLACE INTO main.runs SELECT * FROM slice.runs AS s WHERE s.status='ok' OR "
         "NOT EXISTS (SELECT 1 FROM main.runs AS m WHERE m.id=s.id AND m.status='ok');"
         "COMMIT;");
    Exec("DETACH DATABASE slice");
    return rows;
}

// ---- CSV -----------------------------------------------------------------------------------

std::string
SweepCsv(const SweepSpec& spec, const std::vector<SweepResult>& rows)
{
    std::map<std::string, size_t> order;
    for (const auto& run : spec.runs)
    {
        order[run.id] = run.index;
    }
    std::vector<const SweepResult*> sorted;
    for (const auto& r : rows)
    {
        sorted.push_back(&r);
    }
    std::stable_sort(sorted.begin(), sorted.end(), [&](const auto* a, const auto* b) {
        auto ia = order.count(a->id) ? order.at(a->id) : SIZE_MAX;
        auto ib = order.count(b->id) ? order.at(b->id) : SIZE_MAX;
        return ia < ib;
    });
    std::vector<std::map<std::string, std::string>> flat(sorted.size());
    std::set<std::string> metricColumns;
    for (size_t i = 0; i < sorted.size(); ++i)
    {
        Flatten(sorted[i]->metrics, "", flat[i]);
        for (const auto& [k, v] : flat[i])
        {
            metricColumns.insert(k);
        }
    }
    std::ostringstream os;
    os << "id,replication,status,exit_code,wall_seconds,finished_at";
    for (const auto& p : spec.pointers)
    {
        os << "," << CsvCell(p);
    }
    for (const auto& m : metricColumns)
    {
        os << "," << CsvCell(m);
    }
    os << ",error\n";
    for (size_t i = 0; i < sorted.size(); ++i)
    {
        const SweepResult& r = *sorted[i];
        os << r.id << "," << r.replication << "," << r.status << "," << r.exitCode << ","
           << nlohmann::json(r.wallSeconds).dump() << "," << r.finishedAt;
        for (const auto& p : spec.pointers)
        {
            os << ","
               << (r.params.is_object() && r.params.contains(p) ? CsvCell(JsonCell(r.params[p]))
                                                                : "");
        }
        for (const auto& m : metricColumns)
        {
            auto it = flat[i].find(m);
            os << "," << (it == flat[i].end() ? "" : it->second);
        }
        os << "," << CsvCell(r.error) << "\n";
    }
    return os.str();
}

// ---- SweepExecutor -------------------------------------------------------------------------

struct SweepExecutor::Child
{
    std::string id;
    nlohmann::json params;
    uint32_t replication = 0;
    std::string dir;
    pid_t pid = -1;
    double start = 0;
    double deadline = 0; //!< 0: none
    bool timedOut = false;
};

SweepExecutor::SweepExecutor(std::string exe, std::string outDir, double timeoutSeconds)
    : m_exe(std::move(exe)),
      m_outDir(std::move(outDir)),
      m_timeout(timeoutSeconds)
{
    // SIGCHLD stays pending while blocked, so Wait() sleeps in sigtimedwait and wakes the
    // moment a child ends, without polling.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    m_masked = pthread_sigmask(SIG_BLOCK, &set, &m_oldMask) == 0;
}

SweepExecutor::~SweepExecutor()
{
    for (Child* c : m_children)
    {
        kill(c->pid, SIGKILL);
        int status = 0;
        waitpid(c->pid, &status, 0);
        delete c;
    }
    if (m_masked)
    {
        pthread_sigmask(SIG_SETMASK, &m_oldMask, nullptr);
    }
}

size_t
SweepExecutor::Running() const
{
    return m_children.size();
}

void
SweepExecutor::Start(const SweepRun& run)
{
    auto c = std::make_unique<Child>();
    c->id = run.id;
    c->params = run.params;
    c->replication = run.replication;
    c->dir = (fs::path(m_outDir) / "runs" / run.id).string();
    fs::remove_all(c->dir);
    fs::create_directories(c->dir);
    std::string scenarioPath = c->dir + "/scenario.json";
    WriteFileAtomically(scenarioPath, run.scenario.dump(2) + "\n");
    std::string out = c->dir + "/stdout.txt";
    std::string err = c->dir + "/stderr.txt";

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    std::vector<std::string> args = {m_exe, "run", scenarioPath, "--out", c->dir};
    std::vector<char*> argv;
    for (auto& a : args)
    {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    c->start = Now();
    int rc = posix_spawn(&c->pid, m_exe.c_str(), &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0)
    {
        throw std::runtime_error("cannot start " + m_exe + ": " + std::strerror(rc));
    }
    c->deadline = m_timeout > 0 ? c->start + m_timeout : 0;
    m_children.push_back(c.release());
}

SweepResult
SweepExecutor::Finish(Child& c, int status)
{
    SweepResult r;
    r.id = c.id;
    r.params = c.params;
    r.replication = c.replication;
    r.wallSeconds = Now() - c.start;
    r.finishedAt = SweepTimestamp();
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status)
                                   : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    if (c.timedOut)
    {
        r.status = "timeout";
        std::ostringstream os;
        os << "killed after the sweep's timeout of " << m_timeout << " s";
        r.error = os.str();
        return r;
    }
    if (r.exitCode == 0)
    {
        std::string results = c.dir + "/results.json";
        std::ifstream in(results);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        nlohmann::json metrics = nlohmann::json::parse(text, nullptr, false);
        if (in && !metrics.is_discarded() && metrics.is_object())
        {
            r.status = "ok";
            r.metrics = std::move(metrics);
            return r;
        }
        r.status = "failed";
        r.error = results + ": missing or not JSON after exit status 0";
        return r;
    }
    r.status = "failed";
    r.error = Tail(c.dir + "/stderr.txt", 2000);
    if (r.error.empty() && WIFSIGNALED(status))
    {
        r.error = "killed by signal " + std::to_string(WTERMSIG(status));
    }
    return r;
}

std::vector<SweepResult>
SweepExecutor::Wait()
{
    std::vector<SweepResult> done;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    while (!m_children.empty())
    {
        for (auto it = m_children.begin(); it != m_children.end();)
        {
            int status = 0;
            pid_t p = waitpid((*it)->pid, &status, WNOHANG);
            if (p == (*it)->pid || (p < 0 && errno == ECHILD))
            {
                done.push_back(Finish(**it, status));
                delete *it;
                it = m_children.erase(it);
            }
            else
            {
                ++it;
            }
        }
        if (!done.empty())
        {
            return done;
        }
        double now = Now();
        double wait = 1.0;
        for (Child* c : m_children)
        {
            if (c->deadline > 0 && !c->timedOut)
            {
                if (now >= c->deadline)
                {
                    kill(c->pid, SIGKILL);
                    c->timedOut = true;
                    wait = 0;
                }
                else
                {
                    wait = std::min(wait, c->deadline - now);
                }
            }
        }
        if (wait > 0)
        {
            timespec ts;
            ts.tv_sec = static_cast<time_t>(wait);
            ts.tv_nsec = static_cast<long>((wait - double(ts.tv_sec)) * 1e9);
            if (m_masked)
            {
                sigtimedwait(&set, nullptr, &ts);
            }
            else
            {
                usleep(2000);
            }
        }
    }
    return done;
}

// ---- sessions ------------------------------------------------------------------------------

std::string
SweepStorePath(const SweepOptions& options)
{
    if (options.sliceCount > 1)
    {
        return (fs::path(options.outDir) / "slices" / (std::to_string(options.sliceIndex) + ".db"))
            .string();
    }
    return (fs::path(options.outDir) / "results.db").string();
}

SweepSession::SweepSession(const SweepSpec& spec, const SweepOptions& options, std::ostream& log)
    : m_spec(spec),
      m_options(options),
      m_log(log),
      m_store(nullptr),
      m_progress(nullptr)
{
    std::string path = SweepStorePath(options);
    m_store = new SweepStore(path, spec);
    auto okIds = m_store->OkIds();
    std::set<std::string> ok(okIds.begin(), okIds.end());
    for (const auto& run : spec.runs)
    {
        if (run.index % options.sliceCount != options.sliceIndex)
        {
            continue;
        }
        ++m_summary.selected;
        if (ok.count(run.id))
        {
            ++m_summary.skipped;
        }
        else
        {
            m_pending.push_back(&run);
        }
    }
    std::string label = "sweep";
    if (options.sliceCount > 1)
    {
        label += " slice " + std::to_string(options.sliceIndex) + "/" +
                 std::to_string(options.sliceCount);
    }
    m_log << label << ": " << m_summary.selected << " runs, " << m_summary.skipped
          << " already ok, " << m_pending.size() << " to run; store " << path << "\n";
    m_progress = new AisfcProgress(label,
                                   m_summary.selected,
                                   "runs",
                                   m_log,
                                   AisfcProgress::StderrIsTerminal() && &log == &std::cerr);
}

SweepSession::~SweepSession()
{
    delete m_progress;
    delete m_store;
}

const std::vector<const SweepRun*>&
SweepSession::Pending() const
{
    return m_pending;
}

void
SweepSession::WriteCsv()
{
    if (m_options.sliceCount > 1)
    {
        return;
    }
    WriteFileAtomically((fs::path(m_options.outDir) / "results.csv").string(),
                        SweepCsv(m_spec, m_store->Rows()));
    m_lastCsv = Now();
}

void
SweepSession::Record(const SweepResult& r)
{
    m_store->Record(r);
    if (r.status == "ok")
    {
        ++m_summary.ok;
    }
    else
    {
        ++m_summary.failed;
        std::string first = r.error.substr(0, r.error.find('\n'));
        std::string last =
            r.error.substr(r.error.rfind('\n') == std::string::npos ? 0 : r.error.rfind('\n') + 1);
        m_log << "\nrun " << r.id << " " << r.params.dump() << " replication " << r.replication
              << ": " << r.status << " (exit " << r.exitCode << "): " << last << "\n";
    }
    // results.csv follows the store after every run, at most once a second on long sweeps
    // (Finish writes the last one).
    if (m_lastCsv < 0 || Now() - m_lastCsv >= 1.0)
    {
        WriteCsv();
    }
    std::ostringstream note;
    note << m_summary.ok << " ok, " << m_summary.failed << " failed";
    m_progress->Update(m_summary.skipped + m_summary.ok + m_summary.failed, note.str());
}

SweepSummary
SweepSession::Finish()
{
    WriteCsv();
    std::ostringstream note;
    note << m_summary.skipped << " skipped, " << m_summary.ok << " ok, " << m_summary.failed
         << " failed";
    m_progress->Finish(note.str());
    return m_summary;
}

SweepSummary
RunSweep(const SweepSpec& spec, const SweepOptions& options, std::ostream& log)
{
    SweepSession session(spec, options, log);
    const auto& pending = session.Pending();
    SweepExecutor executor(options.exe, options.outDir, spec.timeoutSeconds);
    size_t next = 0;
    unsigned jobs = std::max(1U, options.jobs);
    std::vector<SweepResult> finished;
    while (next < pending.size() || executor.Running() > 0 || !finished.empty())
    {
        // Refill the free slots first: recording (an fsync'ed transaction, results.csv) then
        // overlaps with the runs instead of delaying them.
        while (executor.Running() < jobs && next < pending.size())
        {
            executor.Start(*pending[next++]);
        }
        for (const auto& r : finished)
        {
            session.Record(r);
        }
        finished = executor.Wait();
    }
    return session.Finish();
}

size_t
MergeSweepSlices(const SweepSpec& spec, const std::string& outDir, std::ostream& log)
{
    fs::path dir = fs::path(outDir) / "slices";
    std::vector<std::string> slices;
    if (fs::is_directory(dir))
    {
        for (const auto& e : fs::directory_iterator(dir))
        {
            if (e.path().extension() == ".db")
            {
                slices.push_back(e.path().string());
            }
        }
    }
    if (slices.empty())
    {
        throw AisfcInputError(dir.string(), "no slice stores (*.db) to merge");
    }
    std::sort(slices.begin(), slices.end());
    std::string path = (fs::path(outDir) / "results.db").string();
    SweepStore store(path, spec);
    for (const auto& s : slices)
    {
        size_t n = store.Merge(s);
        log << "merged " << s << " (" << n << " rows)\n";
    }
    auto rows = store.Rows();
    WriteFileAtomically((fs::path(outDir) / "results.csv").string(), SweepCsv(spec, rows));
    size_t ok = store.OkIds().size();
    log << path << ": " << ok << " of " << spec.runs.size() << " runs ok\n";
    return ok;
}

std::string
SweepSlurmScript(const SweepSpec& spec,
                 const std::string& exe,
                 const std::string& outDir,
                 size_t tasks)
{
    std::string sweep = fs::absolute(spec.source).lexically_normal().string();
    std::string dir = fs::absolute(outDir).lexically_normal().string();
    auto quote = [](const std::string& s) {
        std::string out = "'";
        for (char c : s)
        {
            out += c == '\'' ? std::string("'\\''") : std::string(1, c);
        }
        return out + "'";
    };
    std::ostringstream os;
    os << "#!/bin/bash\n"
       << "# aisfc sweep " << sweep << ": " << spec.runs.size() << " runs in " << tasks
       << " array tasks; task i runs runs i, i + " << tasks << ", i + 2*" << tasks << ", ...\n"
       << "# Each task writes its own store, " << dir << "/slices/<i>.db (SQLite on shared file\n"
       << "# systems is fragile with several writers); when all tasks are done, merge them:\n"
       << "#   aisfc sweep " << sweep << " --out " << dir << " --merge\n"
       << "# or submit with the merge chained:\n"
       << "#   jid=$(sbatch --parsable " << dir << "/sweep.sbatch)\n"
       << "#   sbatch --dependency=afterany:$jid --wrap \"" << exe << " sweep " << sweep
       << " --out " << dir << " --merge\"\n"
       << "#SBATCH --job-name=aisfc-sweep\n"
       << "#SBATCH --array=0-" << tasks - 1 << "\n"
       << "#SBATCH --cpus-per-task=1\n"
       << "#SBATCH --output=" << dir << "/slurm/%A_%a.out\n"
       << "set -euo pipefail\n"
       << "AISFC=\"${AISFC:-" << exe << "}\"\n"
       << "mkdir -p " << quote(dir + "/slurm") << "\n"
       << "exec \"$AISFC\" sweep " << quote(sweep) << " --out " << quote(dir)
       << " --slice \"${SLURM_ARRAY_TASK_ID}/" << tasks
       << "\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\"\n";
    return os.str();
}

} // namespace ns3
