// resume.h: what an interrupted run left in its output files, for `scan --resume`.
//
// A run killed at any instant (SIGKILL, power loss) leaves files that end in whole records
// followed by at most one partial record: every record is one write(2). PrepareCsvResume and
// PrepareLinesResume find the end of the last whole record, cut off what follows it, and (for
// the domain CSV) collect the rows already there (done_rows.h), so that the resumed run skips
// their input rows and appends after them.
#pragma once

#include <cstdint>
#include <string>

#include "output/done_rows.h"

namespace mxsweep::output {

struct CsvResumeState {
  bool existed = false;                     // the file was there (possibly empty)
  std::string header;                       // the first record without its line end, "" if none
  DoneRows rows;                            // every later whole record that is a row of ours
  uint64_t kept_bytes = 0;                  // size after cutting the partial record off
  uint64_t cut_bytes = 0;                   // bytes of partial record cut off
};

// PrepareCsvResume reads the RFC 4180 file at |path| (quoted cells may hold line breaks; a
// record ends at an LF outside quotes) and truncates it after its last whole record. A missing
// file is not an error (existed = false). Returns false with |*error| set when the file cannot
// be read or truncated.
bool PrepareCsvResume(const std::string& path, CsvResumeState* out, std::string* error);

// PrepareLinesResume truncates the line-oriented file at |path| (JSONL) after its last LF and
// reports how many bytes it cut in |*cut_bytes|. A missing file is fine.
bool PrepareLinesResume(const std::string& path, uint64_t* cut_bytes, std::string* error);

}  // namespace mxsweep::output
