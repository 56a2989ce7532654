/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "aisfc-progress.h"

#include <cstdio>
#include <iomanip>
#include <sstream>
#include <unistd.h>

namespace ns3
{

AisfcProgress::AisfcProgress(std::string label,
                             uint64_t total,
                             std::string unit,
                             std::ostream& out,
                             bool terminal)
    : m_label(std::move(label)),
      m_total(total),
      m_unit(std::move(unit)),
      m_out(out),
      m_terminal(terminal),
      m_start(std::chrono::steady_clock::now()),
      m_last(m_start)
{
}

bool
AisfcProgress::StderrIsTerminal()
{
    return isatty(fileno(stderr)) != 0;
}

std::string
AisfcProgress::Line(uint64_t done, const std::string& note) const
{
    using namespace std::chrono;
    double elapsed = duration<double>(steady_clock::now() - m_start).count();
    double rate = elapsed > 0 ? double(done - m_startCount) / elapsed : 0;
    std::ostringstream os;
    os << m_label << ": " << done << "/" << m_total << " " << m_unit << std::fixed
       << std::setprecision(rate < 10 ? 2 : 0) << ", " << rate << "/s";
    if (rate > 0 && done < m_total)
    {
        auto left = uint64_t(double(m_total - done) / rate);
        os << ", ETA " << left / 60 << "m" << std::setw(2) << std::setfill('0') << left % 60 << "s";
    }
    if (!note.empty())
    {
        os << ", " << note;
    }
    return os.str();
}

void
AisfcProgress::Update(uint64_t done, const std::string& note)
{
    using namespace std::chrono;
    const bool first = m_first;
    if (m_first)
    {
        // Work resumed from a checkpoint: the rate counts only what this run did.
        m_startCount = done > 0 ? done - 1 : 0;
        m_first = false;
    }
    m_done = done;
    auto now = steady_clock::now();
    const auto every = m_terminal ? milliseconds(200) : seconds(10);
    // The first unit is always shown: a log then says at once that the work has begun.
    if (!first && now - m_last < every && done < m_total)
    {
        return;
    }
    m_last = now;
    if (m_terminal)
    {
        m_out << "\r\033[K" << Line(done, note) << std::flush;
    }
    else
    {
        m_out << Line(done, note) << "\n" << std::flush;
    }
}

void
AisfcProgress::Resumed(uint64_t done)
{
    m_startCount = done;
    m_done = done;
    m_first = false;
    m_out << Line(done, "resumed from a checkpoint") << (m_terminal ? "" : "\n") << std::flush;
}

void
AisfcProgress::Finish(const std::string& note)
{
    if (m_terminal)
    {
        m_out << "\r\033[K";
    }
    m_out << Line(m_done, note) << "\n" << std::flush;
}

} // namespace ns3
