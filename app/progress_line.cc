#include "app/progress_line.h"

#include <time.h>

#include <cstdio>

namespace mxsweep::app {
namespace {

std::string Counts(const ProgressSnapshot& p, const char* done) {
  char text[160];
  std::snprintf(text, sizeof(text), "%zu/%zu%s domains%s, %zu/%zu addresses%s, %zu connections",
                p.domains_done, p.domains_started, p.input_done ? "" : "+", done, p.addresses_done,
                p.addresses, done, p.connections);
  return text;
}

}  // namespace

ProgressSnapshot MakeSnapshot(const SweepStats& stats, bool input_done, const RateEstimate& domain_rate,
                              std::chrono::seconds elapsed) {
  ProgressSnapshot p;
  p.domains_done = stats.domains_done;
  p.domains_started = stats.domains_started;
  p.input_done = input_done;
  p.addresses_done = stats.addresses_done;
  p.addresses = stats.addresses;
  p.connections = stats.connections;
  p.rate = domain_rate.rate();
  if (input_done && stats.domains_started >= stats.domains_done) {
    p.eta = domain_rate.Eta(stats.domains_started - stats.domains_done);
  }
  p.elapsed = elapsed;
  return p;
}

std::string FormatDuration(std::chrono::seconds duration) {
  long long s = duration.count() < 0 ? 0 : static_cast<long long>(duration.count());
  char text[48];
  if (s < 60) {
    std::snprintf(text, sizeof(text), "%llds", s);
  } else if (s < 3600) {
    std::snprintf(text, sizeof(text), "%lldm%02llds", s / 60, s % 60);
  } else if (s < 86400) {
    std::snprintf(text, sizeof(text), "%lldh%02lldm", s / 3600, s % 3600 / 60);
  } else {
    std::snprintf(text, sizeof(text), "%lldd%02lldh", s / 86400, s % 86400 / 3600);
  }
  return text;
}

std::string FormatRate(double per_second) {
  char text[32];
  if (!(per_second > 0)) return "0";
  if (per_second < 1) {
    std::snprintf(text, sizeof(text), "%.2f", per_second);
  } else if (per_second < 100) {
    std::snprintf(text, sizeof(text), "%.1f", per_second);
  } else {
    std::snprintf(text, sizeof(text), "%.0f", per_second);
  }
  return text;
}

std::string LiveProgressLine(const ProgressSnapshot& p) {
  return Counts(p, "") + ", " + FormatRate(p.rate) + "/s, ETA " + (p.eta ? FormatDuration(*p.eta) : "?");
}

std::string StatusProgressLine(const ProgressSnapshot& p, std::chrono::system_clock::time_point now) {
  time_t t = std::chrono::system_clock::to_time_t(now);
  tm utc{};
  gmtime_r(&t, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &utc);
  std::string eta;
  if (p.eta) {
    eta = "ETA " + FormatDuration(*p.eta);
  } else if (!p.input_done) {
    // The total is not known until the input is read (a pipe, or a list longer than
    // --max-domains-in-flight): an ETA for the part read so far would only mislead.
    eta = "no ETA until the input is read";
  } else {
    eta = "no ETA yet";
  }
  return std::string(stamp) + " mxsweep scan: " + Counts(p, " done") + ", " + FormatRate(p.rate) +
         " domains/s, " + eta + ", elapsed " + FormatDuration(p.elapsed) + "\n";
}

}  // namespace mxsweep::app
