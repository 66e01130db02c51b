// scan_input.h: the domain list of `scan` as the sweep reads it — opened from a path, stdin or
// a pipe, and parsed with bad lines reported. Where each row goes is row_router.h's.
#pragma once

#include <fstream>
#include <functional>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/background_source.h"
#include "input/domain_input.h"
#include "scanner/engine/sweep.h"

namespace mxsweep::app {

// ScanInput is the opened list. A regular file is read in place (it never makes the loop wait
// long); a pipe, a terminal or a socket gets a CancellableInput, to be read on a thread of its
// own (background_source.h).
class ScanInput {
 public:
  // Open opens |path| ("-" for stdin), or uses |override_stream| when non-null. On failure it
  // returns null with |*error| and the exit code in |*exit_code|.
  static std::unique_ptr<ScanInput> Open(const std::string& path, std::istream* override_stream,
                                         std::string* error, int* exit_code);
  ~ScanInput();
  ScanInput(const ScanInput&) = delete;
  ScanInput& operator=(const ScanInput&) = delete;

  std::istream& stream() { return *in_; }
  // piped is non-null when the input must be read off the loop.
  CancellableInput* piped() { return piped_.get(); }

 private:
  ScanInput() = default;

  std::ifstream file_;
  std::unique_ptr<CancellableInput> piped_;
  int fd_ = -1;  // a named pipe's descriptor, open for the whole scan
  std::istream* in_ = nullptr;
};

// ReaderSource adapts the domain-list reader to the sweep: it yields every data row (its kind
// says whether it is a domain, an invalid row or a duplicate), and reports each bad line on
// stderr with its line number too; |on_first| runs when the input's form (and so its carried
// columns) is known, before the first row is handed out.
class ReaderSource : public DomainSource {
 public:
  ReaderSource(std::istream* in, std::string name, std::function<void(const DomainReader&)> on_first)
      : reader_(in), name_(std::move(name)), on_first_(std::move(on_first)) {}

  bool Next(DomainEntry* out) override;
  const DomainReader& reader() const { return reader_; }
  // NoDomainsReason says, as one message naming the input, why the input yielded no domain at
  // all (a usage error), or is empty when it yielded some. Call it once reading has ended.
  std::string NoDomainsReason() const;

 private:
  DomainReader reader_;
  std::string name_;
  std::function<void(const DomainReader&)> on_first_;
  std::string refusal_;  // set when the first line showed the input is not a domain list
};

// HeaderOnFirstPull runs |on_first| on the loop the first time |inner| yields an entry or its
// end: the input's form (and so the CSV header) is known by then.
class HeaderOnFirstPull : public DomainSource {
 public:
  HeaderOnFirstPull(DomainSource& inner, std::function<void()> on_first)
      : inner_(inner), on_first_(std::move(on_first)) {}
  bool Next(DomainEntry* out) override;
  SourcePull Pull(DomainEntry* out) override;

 private:
  void RunFirst();

  DomainSource& inner_;
  std::function<void()> on_first_;
};

// NotAListReason says why |line|, the line that decided the input's form and is no domain,
// shows the whole input is not a domain list (a ';'-separated CSV; a ','- or ';'-separated row
// of column names, none `domain`), or returns "" when it may be one bad line among good ones.
std::string NotAListReason(std::string_view line, size_t line_no);

// CarriedColumns lists the input's CSV columns other than `domain`, in header order.
std::vector<std::string> CarriedColumns(const DomainReader& reader);

}  // namespace mxsweep::app
