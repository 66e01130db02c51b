#include "app/scan_outputs.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "app/scan_input.h"
#include "output/domain_report.h"
#include "output/host_report.h"

namespace mxsweep::app {

bool CheckOutputFile(const std::string& path, bool may_replace, const std::string& how_to_replace,
                     std::string* error, int* exit_code) {
  if (path.empty() || path == "-") return true;
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      *error = path + ": is a directory";
      *exit_code = kExitUsage;
      return false;
    }
    if (!may_replace && S_ISREG(st.st_mode)) {
      *error = path + ": already exists; refusing to overwrite it (" + how_to_replace + ")";
      *exit_code = kExitUsage;
      return false;
    }
    return true;
  }
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  if (access(dir.c_str(), W_OK) != 0) {
    *error = path + ": cannot open for writing: " + std::strerror(errno);
    *exit_code = kExitError;
    return false;
  }
  return true;
}

namespace {

// CheckOutputPath is CheckOutputFile with scan's options: --force replaces, --resume appends.
bool CheckOutputPath(const std::string& path, const output::FileSinkOptions& options,
                     std::string* error, int* exit_code) {
  return CheckOutputFile(path, options.force || options.append,
                         "use --force to replace it or --resume to append", error, exit_code);
}

}  // namespace

std::unique_ptr<ScanOutputs> ScanOutputs::Open(const ScanOptions& options, std::string* error,
                                               int* exit_code) {
  std::unique_ptr<ScanOutputs> out(new ScanOutputs());
  out->csv_path_ = options.output;
  out->hosts_path_ = options.hosts;
  *exit_code = kExitError;
  if (options.resume) {
    if (options.output == "-") {
      *error = "--resume needs -o FILE (the output to continue)";
      *exit_code = kExitUsage;
      return nullptr;
    }
    uint64_t hosts_cut = 0;
    if (!output::PrepareCsvResume(options.output, &out->resume_, error) ||
        (!options.hosts.empty() && !output::PrepareLinesResume(options.hosts, &hosts_cut, error))) {
      return nullptr;
    }
    if (out->resume_.cut_bytes || hosts_cut) {
      std::fprintf(stderr, "mxsweep scan: --resume: cut a partial last record (%llu bytes) left by the interrupted run\n",
                   static_cast<unsigned long long>(out->resume_.cut_bytes + hosts_cut));
    }
    if (!out->resume_.header.empty() && out->resume_.header.rfind("domain,verdict,", 0) != 0) {
      *error = "--resume: " + options.output + " is not an mxsweep domain CSV";
      *exit_code = kExitUsage;
      return nullptr;
    }
    out->resuming_ = true;
  }

  output::SinkError sink_error;
  output::FileSinkOptions sink_options;
  sink_options.force = options.force;
  sink_options.append = options.resume;
  // Every path is checked before any file is made: a bad --hosts path must not leave an empty
  // -o file behind that the next run then refuses to overwrite.
  for (const std::string& path : {options.output, options.hosts}) {
    if (!CheckOutputPath(path, sink_options, error, exit_code)) return nullptr;
  }
  out->csv_ = output::FileSink::Open(options.output, sink_options, &sink_error);
  if (!out->csv_) {
    *error = sink_error.message;
    if (sink_error.code == EEXIST) *exit_code = kExitUsage;
    return nullptr;
  }
  if (!options.hosts.empty()) {
    out->hosts_ = output::FileSink::Open(options.hosts, sink_options, &sink_error);
    if (!out->hosts_) {
      *error = sink_error.message;
      if (sink_error.code == EEXIST) *exit_code = kExitUsage;
      return nullptr;
    }
  }
  return out;
}

bool ScanOutputs::Fail(const std::string& message, const char* consequence) {
  if (!failed_) std::fprintf(stderr, "mxsweep scan: %s%s\n", message.c_str(), consequence);
  failed_ = true;
  return false;
}

bool ScanOutputs::WriteHeader(const DomainReader& reader) {
  if (failed_) return false;
  carried_ = CarriedColumns(reader);
  header_written_ = true;
  std::string header = DomainCsvHeader(carried_);
  if (!resume_.header.empty()) {
    // Resuming: the header is there; rows must keep its columns.
    if (header.substr(0, header.size() - 2) != resume_.header) {
      return Fail("--resume: the input's columns differ from " + csv_path_ + "'s header",
                  "; stopping");
    }
    return true;
  }
  output::SinkError sink_error;
  // Found by the full-disk test: this failure used to be silent, and the sweep went on probing
  // for rows it could not write.
  if (!csv_->WriteLine(header, &sink_error)) return Fail(sink_error.message, "; stopping");
  return true;
}

bool ScanOutputs::WriteDomain(const DomainResult& result) {
  // A verdict reached after a failed write (of this file or the hosts file) is not on disk:
  // the summary must not count it as reported.
  if (failed_) {
    rows_.not_written++;
    return false;
  }
  output::SinkError sink_error;
  if (!csv_->WriteLine(DomainCsvRow(result, carried_), &sink_error)) {
    rows_.not_written++;
    return Fail(sink_error.message, "; stopping (rows already written are intact)");
  }
  rows_.written++;
  rows_.verdicts[static_cast<size_t>(result.verdict.verdict)]++;
  return true;
}

bool ScanOutputs::WriteAddress(const AddressFacts& facts, const std::vector<std::string>& domains) {
  if (failed_ || !hosts_) return !failed_;
  output::SinkError sink_error;
  // Streamed: an address's line is written as soon as its facts are final, so a killed sweep
  // keeps them too.
  if (!hosts_->WriteLine(HostJson(facts, &domains) + "\n", &sink_error)) {
    return Fail(sink_error.message, "; stopping (lines already written are intact)");
  }
  return true;
}

bool ScanOutputs::Close() {
  output::SinkError sink_error;
  if (!csv_->Close(&sink_error) || (hosts_ && !hosts_->Close(&sink_error))) {
    std::fprintf(stderr, "mxsweep scan: %s\n", sink_error.message.c_str());
    failed_ = true;
    return false;
  }
  return true;
}

void ScanOutputs::Discard() {
  output::SinkError ignored;  // the files go: what closing them says no longer matters
  csv_->Close(&ignored);
  if (hosts_) hosts_->Close(&ignored);
  if (resuming_) return;
  if (csv_path_ != "-") std::remove(csv_path_.c_str());
  if (hosts_ && hosts_path_ != "-") std::remove(hosts_path_.c_str());
}

}  // namespace mxsweep::app
