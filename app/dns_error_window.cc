#include "app/dns_error_window.h"

namespace mxsweep::app {

bool DnsErrorWindow::Add(bool dns_error) {
  if (filled_ == ring_.size()) {
    if (ring_[next_]) --errors_;
  } else {
    ++filled_;
  }
  ring_[next_] = dns_error;
  if (dns_error) ++errors_;
  next_ = (next_ + 1) % ring_.size();
  return filled_ == ring_.size() &&
         static_cast<double>(errors_) > limit_ * static_cast<double>(ring_.size());
}

}  // namespace mxsweep::app
