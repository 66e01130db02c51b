#include "output/done_rows.h"

#include "output/csv_writer.h"
#include "output/domain_report.h"

namespace mxsweep::output {
namespace {

// CellAsRead is |value| as a CSV reader gets it back from the file: with the quote mark the
// writer puts before a would-be formula.
std::string CellAsRead(std::string value) {
  if (NeedsFormulaNeutralising(value)) value.insert(0, "'");
  return value;
}

// TakeOne uses up one of |key|'s rows in |counts|.
bool TakeOne(std::unordered_map<std::string, size_t>* counts, const std::string& key) {
  auto it = counts->find(key);
  if (it == counts->end()) return false;
  if (--it->second == 0) counts->erase(it);
  return true;
}

}  // namespace

bool DoneRows::Add(std::string_view domain, std::string_view verdict_name,
                   std::string_view input_domain) {
  Verdict verdict;
  if (!VerdictFromName(verdict_name, &verdict)) return false;
  switch (verdict) {
    case Verdict::kInvalidInput:
      invalid_[std::string(input_domain)]++;
      break;
    case Verdict::kDuplicate:
      if (domain.empty()) return false;
      duplicates_[std::string(domain)]++;
      break;
    default:
      if (domain.empty()) return false;
      // A domain has one row of its own; were it there twice, one is enough to skip it.
      if (!domains_.emplace(std::string(domain), verdict).second) return false;
      break;
  }
  size_++;
  return true;
}

bool DoneRows::Take(const DomainEntry& entry, Verdict* verdict) {
  bool taken = false;
  switch (entry.kind) {
    case RowKind::kDomain: {
      auto it = domains_.find(entry.domain);
      if (it != domains_.end()) {
        *verdict = it->second;
        domains_.erase(it);
        taken = true;
      }
      break;
    }
    case RowKind::kDuplicate:
      taken = TakeOne(&duplicates_, entry.domain);
      if (taken) *verdict = Verdict::kDuplicate;
      break;
    case RowKind::kInvalid:
      taken = TakeOne(&invalid_, CellAsRead(InputDomainCell(entry)));
      if (taken) *verdict = Verdict::kInvalidInput;
      break;
  }
  if (taken) size_--;
  return taken;
}

}  // namespace mxsweep::output
