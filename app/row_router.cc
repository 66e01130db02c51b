#include "app/row_router.h"

#include <chrono>

namespace mxsweep::app {

DomainResult InputRowResult(const DomainEntry& entry) {
  DomainResult result;
  result.entry = entry;
  result.verdict = InputRowVerdict(
      ExoProfile(), entry.kind == RowKind::kInvalid ? Verdict::kInvalidInput : Verdict::kDuplicate);
  result.finished = std::chrono::system_clock::now();
  return result;
}

bool RowRouter::Route(const DomainEntry& entry) {
  counts_.rows++;
  Verdict verdict;
  if (done_ != nullptr && done_->Take(entry, &verdict)) {
    counts_.resumed++;
    counts_.resumed_verdicts[static_cast<size_t>(verdict)]++;
    return false;
  }
  if (entry.kind == RowKind::kDomain) {
    counts_.swept++;
    return true;
  }
  counts_.unswept++;
  if (!write_row_(InputRowResult(entry))) write_failed_ = true;
  return false;
}

bool RowRouter::Next(DomainEntry* out) {
  while (!write_failed_ && inner_.Next(out)) {
    if (Route(*out)) return true;
  }
  return false;
}

SourcePull RowRouter::Pull(DomainEntry* out) {
  for (;;) {
    if (write_failed_) return SourcePull::kEnd;
    SourcePull pull = inner_.Pull(out);
    if (pull != SourcePull::kEntry || Route(*out)) return pull;
  }
}

}  // namespace mxsweep::app
