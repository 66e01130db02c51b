// scan_outputs.h: the files `scan` writes — the outreach CSV and the hosts JSONL — opened (or,
// with --resume, continued) before the first probe, written one whole record at a time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/options.h"
#include "input/domain_input.h"
#include "output/file_sink.h"
#include "output/resume.h"
#include "scanner/verdict/domain_result.h"

namespace mxsweep::app {

// CheckOutputFile finds what writing |path| would refuse, without creating anything: an
// existing file unless |may_replace| (a usage error, exit 2; the message ends with
// "(|how_to_replace|)"), a directory (exit 2), or a folder that cannot be written into
// (exit 1). "-" (stdout) and "" (no file) always pass.
bool CheckOutputFile(const std::string& path, bool may_replace, const std::string& how_to_replace,
                     std::string* error, int* exit_code);

class ScanOutputs {
 public:
  // RowCounts is what the summary reports: the rows this run wrote, per verdict, and the rows
  // that reached a verdict but were not written because writing had failed.
  struct RowCounts {
    size_t written = 0;
    size_t verdicts[kVerdictCount] = {};
    size_t not_written = 0;
  };

  // Open cuts what a killed run left half-written (--resume), learns which domains are done,
  // and opens the sinks. On failure it returns null with |*error| and the exit code.
  static std::unique_ptr<ScanOutputs> Open(const ScanOptions& options, std::string* error,
                                           int* exit_code);

  // done_rows: the rows already in the CSV (--resume), or null. The row router uses them up.
  output::DoneRows* done_rows() { return resuming_ ? &resume_.rows : nullptr; }

  // The write calls return false once writing has failed (the message is printed); the sweep
  // must then stop. Every record already written stays whole. WriteDomain counts each result
  // in rows(), written or not.
  //
  // WriteHeader writes the CSV header for |reader|'s carried columns or, resuming, checks that
  // the file's header has the same columns.
  bool WriteHeader(const DomainReader& reader);
  bool WriteDomain(const DomainResult& result);
  bool WriteAddress(const AddressFacts& facts, const std::vector<std::string>& domains);
  // Close flushes and closes both files.
  bool Close();
  // Discard closes both files and removes them, unless they are stdout or were continued
  // (--resume): a run that swept nothing leaves nothing that a rerun would need --force for.
  void Discard();

  const RowCounts& rows() const { return rows_; }
  bool header_written() const { return header_written_; }
  bool failed() const { return failed_; }
  bool has_hosts() const { return hosts_ != nullptr; }

 private:
  ScanOutputs() = default;
  bool Fail(const std::string& message, const char* consequence);

  std::string csv_path_;
  std::string hosts_path_;
  bool resuming_ = false;
  output::CsvResumeState resume_;
  std::unique_ptr<output::FileSink> csv_;
  std::unique_ptr<output::FileSink> hosts_;
  std::vector<std::string> carried_;
  RowCounts rows_;
  bool header_written_ = false;
  bool failed_ = false;
};

}  // namespace mxsweep::app
