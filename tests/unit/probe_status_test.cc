#include "scanner/smtp/probe_status.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace mxsweep {
namespace {

TEST(ProbeStatus, NamesAreUniqueAndRoundTrip) {
  std::set<std::string> names;
  for (ProbeStatus s : kAllProbeStatuses) {
    std::string name(ProbeStatusName(s));
    EXPECT_NE(name, "unknown");
    EXPECT_TRUE(names.insert(name).second) << name;
    ProbeStatus back;
    ASSERT_TRUE(ProbeStatusFromName(name, &back));
    EXPECT_EQ(back, s);
  }
  ProbeStatus out;
  EXPECT_FALSE(ProbeStatusFromName("bogus", &out));
}

}  // namespace
}  // namespace mxsweep
