/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef AISFC_PROGRESS_H
#define AISFC_PROGRESS_H

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace ns3
{

/**
 * \ingroup aisfc
 * A progress report for long work (training, evaluation, sweeps): on a terminal one line
 * rewritten in place at most five times a second, in a log a plain line every ten seconds;
 * both with the count, the rate, the time left and what the caller adds ("reward 1.52 eps
 * 0.83").
 */
class AisfcProgress
{
  public:
    /**
     * \param label what is counted, e.g. "train srem"
     * \param total the count at the end
     * \param unit what one count is, e.g. "episodes"
     * \param out where to write (std::cerr in the CLI)
     * \param terminal rewrite one line (true) or print plain lines (false)
     */
    AisfcProgress(std::string label,
                  uint64_t total,
                  std::string unit,
                  std::ostream& out,
                  bool terminal);

    /// \brief Report `done` counts (with a note); prints when due.
    void Update(uint64_t done, const std::string& note = "");
    /// \brief Say that `done` counts were finished by an earlier run (restored from a
    /// checkpoint); rates then count only this run's work.
    void Resumed(uint64_t done);
    /// \brief Print the final line.
    void Finish(const std::string& note = "");

    /// \brief \return whether stderr is a terminal
    static bool StderrIsTerminal();

  private:
    std::string Line(uint64_t done, const std::string& note) const;

    std::string m_label;
    uint64_t m_total;
    std::string m_unit;
    std::ostream& m_out;
    bool m_terminal;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last;
    uint64_t m_startCount = 0; //!< counts done before this run (resumed work)
    bool m_first = true;
    uint64_t m_done = 0;
};

} // namespace ns3

#endif // AISFC_PROGRESS_H
