#include "scanner/engine/exclude_list.h"

#include <gtest/gtest.h>

#include <sstream>

namespace mxsweep {
namespace {

bool Has(const ExcludeList& list, const char* ip) {
  IpAddress addr;
  EXPECT_TRUE(IpAddress::Parse(ip, &addr)) << ip;
  return list.Contains(addr);
}

TEST(ExcludeList, CidrsOfBothFamilies) {
  std::istringstream in("# partners who asked us not to scan\n192.0.2.0/24\n\n198.51.100.7  # one host\n2001:db8::/32\n");
  ExcludeList list;
  std::string error;
  ASSERT_TRUE(list.Load(in, "exclude.txt", &error)) << error;
  EXPECT_EQ(list.size(), 3u);
  EXPECT_TRUE(Has(list, "192.0.2.200"));
  EXPECT_FALSE(Has(list, "192.0.3.1"));
  EXPECT_TRUE(Has(list, "198.51.100.7"));
  EXPECT_FALSE(Has(list, "198.51.100.8"));
  EXPECT_TRUE(Has(list, "2001:db8:1::5"));
  EXPECT_FALSE(Has(list, "2001:db9::5"));
  EXPECT_TRUE(Has(list, "::ffff:192.0.2.1")) << "IPv4-mapped matches the IPv4 entry";
}

TEST(ExcludeList, OddPrefixes) {
  std::string error;
  ExcludeList everything;
  ASSERT_TRUE(everything.Add("0.0.0.0/0", &error));
  EXPECT_TRUE(Has(everything, "203.0.113.1"));
  EXPECT_FALSE(Has(everything, "2001:db8::1")) << "an IPv4 entry never matches IPv6";
  ExcludeList narrow;
  ASSERT_TRUE(narrow.Add("203.0.113.128/25", &error));
  EXPECT_TRUE(Has(narrow, "203.0.113.200"));
  EXPECT_FALSE(Has(narrow, "203.0.113.100"));
}

TEST(ExcludeList, BadLinesNameTheLineAndLoadNothing) {
  std::istringstream in("192.0.2.0/24\nnot-a-network\n");
  ExcludeList list;
  std::string error;
  EXPECT_FALSE(list.Load(in, "exclude.txt", &error));
  EXPECT_EQ(error.rfind("exclude.txt:2:", 0), 0u) << error;
  EXPECT_EQ(list.size(), 0u);
  for (const char* bad : {"192.0.2.0/33", "192.0.2.0/", "192.0.2.0/x", "2001:db8::/129", ""}) {
    EXPECT_FALSE(list.Add(bad, &error)) << bad;
  }
}

}  // namespace
}  // namespace mxsweep
