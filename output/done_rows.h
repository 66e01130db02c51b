// done_rows.h: the rows an interrupted sweep already wrote, as a resumed sweep matches its input
// rows against them (`scan --resume`).
//
// The outreach CSV has one row per input row, so "done" is per row, not per domain: a domain's
// own row carries its verdict, but a DUPLICATE row names the same domain, and an INVALID_INPUT
// row may have no domain at all. The file records no input line numbers (a list edited between
// the runs would make them lie), so rows are matched by what they say, with multiplicity:
//   - a domain row by its domain;
//   - the k-th DUPLICATE row of a domain by (domain, DUPLICATE): done when the file holds at
//     least k of them;
//   - the k-th INVALID_INPUT row with a given input_domain cell likewise by (cell, INVALID_INPUT).
// Both kinds are written the moment they are read, in input order, so the rows of each kind in
// the file are the first ones of the input, and counting finds exactly those.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "input/domain_input.h"
#include "scanner/verdict/verdict.h"

namespace mxsweep::output {

class DoneRows {
 public:
  // Add records one row of the file: its domain, verdict and input_domain cells as read. It
  // returns false (and records nothing) when |verdict| is not a verdict name: such a row is not
  // ours and matches no input row.
  bool Add(std::string_view domain, std::string_view verdict, std::string_view input_domain);

  // Take reports whether |entry|'s row is already in the file; if so it sets |*verdict| to that
  // row's verdict and uses the row up, so that it matches no other input row.
  bool Take(const DomainEntry& entry, Verdict* verdict);

  // size is the number of rows recorded and not yet taken.
  size_t size() const { return size_; }

 private:
  std::unordered_map<std::string, Verdict> domains_;
  std::unordered_map<std::string, size_t> duplicates_;  // domain -> DUPLICATE rows
  std::unordered_map<std::string, size_t> invalid_;     // input_domain cell -> INVALID_INPUT rows
  size_t size_ = 0;
};

}  // namespace mxsweep::output
