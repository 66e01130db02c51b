// dns_error_window.h: notices when a sweep's DNS goes bad mid-run (issue 15).
//
// A resolver that dies or starts refusing an hour into a sweep turns every later partner into
// DNS_ERROR: rows that look like findings and are only our own outage. The window watches the
// share of DNS_ERROR verdicts among the last domains finished.
#pragma once

#include <cstddef>
#include <vector>

namespace mxsweep::app {

class DnsErrorWindow {
 public:
  // 200 domains: large enough that a run of genuinely broken partner domains (a parked
  // registrar batch, a few hundred at most in lists we have seen) does not trip it alone,
  // small enough that an outage wastes minutes, not hours. Half: a healthy list is well
  // below 10 % DNS_ERROR.
  static constexpr size_t kDefaultSize = 200;
  static constexpr double kDefaultLimit = 0.5;

  explicit DnsErrorWindow(size_t size = kDefaultSize, double limit = kDefaultLimit)
      : limit_(limit), ring_(size == 0 ? 1 : size, false) {}

  // Add records one finished domain and returns true when the window is full and more than
  // the limit of it are DNS errors.
  bool Add(bool dns_error);

  size_t size() const { return ring_.size(); }
  size_t errors() const { return errors_; }

 private:
  double limit_;
  std::vector<bool> ring_;
  size_t next_ = 0;
  size_t filled_ = 0;
  size_t errors_ = 0;
};

}  // namespace mxsweep::app
