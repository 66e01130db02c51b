// row_router.h: where each input row of `scan` goes, on the loop — to the sweep (a domain to
// probe), straight to the outreach CSV (an INVALID_INPUT or DUPLICATE row: nothing to probe, so
// it is written the moment it is read), or past (--resume: its row is in the output already) —
// and the counts the summary and the final line add up.
//
// It sits between the sweep and the list reader, so that every row is counted where it is
// handled: a reader thread (piped input) reads ahead of the sweep, and rows it has read but the
// sweep has not pulled when a sweep stops are neither written nor lost (--resume reads them).
#pragma once

#include <cstddef>
#include <functional>

#include "output/done_rows.h"
#include "scanner/engine/sweep.h"
#include "scanner/verdict/domain_result.h"

namespace mxsweep::app {

class RowRouter : public DomainSource {
 public:
  struct Counts {
    size_t rows = 0;      // input data rows pulled from the reader
    size_t swept = 0;     // of those, handed to the sweep
    size_t unswept = 0;   // written (or meant to be) without probing: INVALID_INPUT, DUPLICATE
    size_t resumed = 0;   // already in the output (--resume), by verdict below
    size_t resumed_verdicts[kVerdictCount] = {};
  };

  // WriteRow writes an unswept row's result; it returns false when writing has failed, and the
  // router then ends the input (the sweep is being stopped).
  using WriteRow = std::function<bool(const DomainResult&)>;

  // |done| (may be null: no --resume) is used up as rows match it. |inner| and |done| must
  // outlive the router.
  RowRouter(DomainSource& inner, output::DoneRows* done, WriteRow write_row)
      : inner_(inner), done_(done), write_row_(std::move(write_row)) {}

  bool Next(DomainEntry* out) override;
  SourcePull Pull(DomainEntry* out) override;

  const Counts& counts() const { return counts_; }

 private:
  // Route handles one row pulled from |inner_|: true when it is for the sweep.
  bool Route(const DomainEntry& entry);

  DomainSource& inner_;
  output::DoneRows* done_;
  WriteRow write_row_;
  Counts counts_;
  bool write_failed_ = false;
};

// InputRowResult is the result of a row that is reported without being swept: its verdict
// (INVALID_INPUT or DUPLICATE, under the Exchange Online profile's texts), found now.
DomainResult InputRowResult(const DomainEntry& entry);

}  // namespace mxsweep::app
