/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Fuzz target "csv": bytes as a DUNE flow CSV (DuneReadFlowCsv, DuneReadLabelCsv) and as a
 * learning data set (LearnDataset::ReadCsv).  The first byte picks the options.
 */
#include "fuzz-common.h"

#include "ns3/dune-csv.h"
#include "ns3/learn-dataset.h"

#include <string>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
    {
        return 0;
    }
    uint8_t selector = data[0];
    aisfcfuzz::TempFile file(data + 1, size - 1, ".csv");
    char delimiter = (selector & 0x80) ? ';' : ',';

    DuneCsvOptions dune;
    dune.delimiter = delimiter;
    dune.nonFinite = DuneNonFinitePolicy(selector % 3);
    dune.dropIdentifierColumns = (selector & 0x04) == 0;
    dune.maxFileBytes = 1 << 20;
    if (selector & 0x08)
    {
        dune.weightColumn = "Weight";
    }
    if (selector & 0x10)
    {
        dune.maxRows = 3;
    }
    DuneCsvSummary summary;
    aisfcfuzz::ExpectCleanError([&] {
        (void)DuneReadFlowCsv(file.Path(), dune, &summary);
        (void)summary.ToString();
    });

    DuneLabelCsvOptions labels;
    labels.delimiter = delimiter;
    uint64_t conflicts = 0;
    aisfcfuzz::ExpectCleanError([&] { (void)DuneReadLabelCsv(file.Path(), labels, &conflicts); });

    LearnCsvOptions learn;
    learn.delimiter = delimiter;
    learn.header = LearnCsvOptions::Header(selector % 3);
    learn.labelColumn = (selector & 0x20) ? 0 : -1;
    aisfcfuzz::ExpectCleanError([&] { (void)LearnDataset::ReadCsv(file.Path(), learn); });
    return 0;
}
