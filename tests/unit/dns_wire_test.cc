// The DNS message reader must never read past the end and must refuse compression loops; the
// zone must answer each case with the right code. No sockets.
#include "resolver/dns_wire.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/dns_zone.h"

namespace mxsweep {
namespace {

std::vector<uint8_t> Query(const std::string& name, uint16_t type, uint16_t id = 0x1234) {
  dns::Writer w;
  dns::Header h;
  h.id = id;
  h.flags = dns::kFlagRd;
  h.qdcount = 1;
  dns::WriteHeader(&w, h);
  EXPECT_TRUE(w.Name(name));
  w.U16(type);
  w.U16(dns::kClassIn);
  return w.Release();
}

TEST(DnsReader, ReadsCompressedNames) {
  // Header-less toy message: "example.test" at 0, then "mx" + pointer to 0 at 14.
  const uint8_t msg[] = {7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 'T', 'E', 'S', 'T', 0,
                         2, 'm', 'x', 0xc0, 0x00, 0xff};
  dns::Reader r(msg, sizeof(msg));
  std::string name;
  ASSERT_TRUE(r.ReadName(&name));
  EXPECT_EQ(name, "example.test");
  ASSERT_TRUE(r.ReadName(&name));
  EXPECT_EQ(name, "mx.example.test");
  EXPECT_EQ(r.offset(), 19u);  // continues after the pointer, not after the target
}

TEST(DnsReader, RefusesLoopsAndForwardPointers) {
  const uint8_t self_loop[] = {0xc0, 0x00};
  const uint8_t forward[] = {0xc0, 0x02, 0};
  const uint8_t label_loop[] = {1, 'a', 0xc0, 0x00};  // "a" then back to itself: endless a.a.a
  for (auto [msg, len] : {std::pair{self_loop, sizeof(self_loop)},
                          std::pair{forward, sizeof(forward)},
                          std::pair{label_loop, sizeof(label_loop)}}) {
    dns::Reader r(msg, len);
    std::string name = "untouched";
    EXPECT_FALSE(r.ReadName(&name));
    EXPECT_EQ(name, "untouched");
  }
}

TEST(DnsReader, NeverReadsPastTheEnd) {
  std::vector<uint8_t> query = Query("mx.example.test", dns::kTypeMx);
  dns::Message m;
  ASSERT_TRUE(dns::ParseMessage(query.data(), query.size(), &m));
  ASSERT_EQ(m.questions.size(), 1u);
  EXPECT_EQ(m.questions[0].name, "mx.example.test");
  // Every strict prefix is rejected; a heap copy of exactly that length lets ASan catch an
  // overread.
  for (size_t len = 0; len < query.size(); ++len) {
    std::vector<uint8_t> prefix(query.begin(), query.begin() + len);
    EXPECT_FALSE(dns::ParseMessage(prefix.data(), prefix.size(), &m)) << len;
  }
  query.push_back(0);  // trailing garbage
  EXPECT_FALSE(dns::ParseMessage(query.data(), query.size(), &m));
}

TEST(DnsReader, RefusesBadLabelsAndOverlongNames) {
  const uint8_t dot_in_label[] = {3, 'a', '.', 'b', 0};
  const uint8_t extended_label[] = {0x41, 0};
  for (auto [msg, len] : {std::pair{dot_in_label, sizeof(dot_in_label)},
                          std::pair{extended_label, sizeof(extended_label)}}) {
    dns::Reader r(msg, len);
    std::string name;
    EXPECT_FALSE(r.ReadName(&name));
  }
  std::vector<uint8_t> longname;
  for (int i = 0; i < 5; ++i) {
    longname.push_back(63);
    longname.insert(longname.end(), 63, 'a');
  }
  longname.push_back(0);
  dns::Reader r(longname.data(), longname.size());
  std::string name;
  EXPECT_FALSE(r.ReadName(&name));
}

TEST(DnsWriter, RejectsBadNames) {
  dns::Writer w;
  EXPECT_FALSE(w.Name("a..b"));
  EXPECT_FALSE(w.Name(std::string(64, 'a')));
  EXPECT_EQ(w.size(), 0u);
  EXPECT_TRUE(w.Name("."));
  EXPECT_EQ(w.size(), 1u);
}

class DnsZoneTest : public ::testing::Test {
 protected:
  dns::Message Ask(const std::string& name, uint16_t type, size_t max = dns::kMaxUdpPayload) {
    std::vector<uint8_t> q = Query(name, type);
    EXPECT_TRUE(zone_.Answer(q.data(), q.size(), max, &answer_));
    dns::Message m;
    EXPECT_TRUE(dns::ParseMessage(answer_.data(), answer_.size(), &m));
    EXPECT_EQ(m.header.id, 0x1234);
    EXPECT_TRUE(m.header.flags & dns::kFlagQr);
    return m;
  }
  sim::DnsZone zone_;
  std::vector<uint8_t> answer_;
};

TEST_F(DnsZoneTest, AnswersNxDomainNoDataAndRecords) {
  zone_.AddMx("example.test", 10, "mx.example.test");
  zone_.AddA("mx.example.test", "127.0.0.1");
  EXPECT_EQ(Ask("missing.test", dns::kTypeMx).header.rcode(), dns::kRcodeNxDomain);
  dns::Message nodata = Ask("example.test", dns::kTypeA);
  EXPECT_EQ(nodata.header.rcode(), dns::kRcodeNoError);
  EXPECT_EQ(nodata.answers.size(), 0u);
  dns::Message mx = Ask("EXAMPLE.test", dns::kTypeMx);
  EXPECT_EQ(mx.header.rcode(), dns::kRcodeNoError);
  EXPECT_TRUE(mx.header.flags & dns::kFlagAa);
  ASSERT_EQ(mx.answers.size(), 1u);
  EXPECT_EQ(mx.answers[0].type, dns::kTypeMx);
  EXPECT_EQ(zone_.QueryCount("example.test", dns::kTypeMx), 1u);
  EXPECT_EQ(zone_.total_queries(), 3u);
}

TEST_F(DnsZoneTest, FollowsCnameInsideTheZone) {
  zone_.AddCname("alias.test", "target.test");
  zone_.AddA("target.test", "127.0.0.2");
  dns::Message m = Ask("alias.test", dns::kTypeA);
  ASSERT_EQ(m.answers.size(), 2u);
  EXPECT_EQ(m.answers[0].type, dns::kTypeCname);
  std::string target;
  ASSERT_TRUE(dns::RdataName(answer_.data(), answer_.size(), m.answers[0], &target));
  EXPECT_EQ(target, "target.test");
  EXPECT_EQ(m.answers[1].name, "target.test");
  EXPECT_EQ(m.answers[1].type, dns::kTypeA);
  // A CNAME to nothing: NXDOMAIN with the CNAME (RFC 6604).
  zone_.AddCname("dangling.test", "nowhere.test");
  dns::Message d = Ask("dangling.test", dns::kTypeA);
  EXPECT_EQ(d.header.rcode(), dns::kRcodeNxDomain);
  EXPECT_EQ(d.answers.size(), 1u);
}

TEST_F(DnsZoneTest, Faults) {
  zone_.SetFault("sf.test", sim::DnsFault::kServFail);
  zone_.SetFault("ref.test", sim::DnsFault::kRefused);
  zone_.SetFault("drop.test", sim::DnsFault::kDrop);
  EXPECT_EQ(Ask("sf.test", dns::kTypeMx).header.rcode(), dns::kRcodeServFail);
  EXPECT_EQ(Ask("ref.test", dns::kTypeMx).header.rcode(), dns::kRcodeRefused);
  std::vector<uint8_t> q = Query("drop.test", dns::kTypeMx);
  EXPECT_FALSE(zone_.Answer(q.data(), q.size(), 512, &answer_));
  EXPECT_EQ(zone_.QueryCount("drop.test", dns::kTypeMx), 1u);
}

TEST_F(DnsZoneTest, TruncatesOverUdpLimit) {
  for (int i = 0; i < 100; ++i) zone_.AddMx("big.test", 10, "mx" + std::to_string(i) + ".big.test");
  dns::Message udp = Ask("big.test", dns::kTypeMx);
  EXPECT_TRUE(udp.header.flags & dns::kFlagTc);
  EXPECT_EQ(udp.answers.size(), 0u);
  EXPECT_EQ(udp.questions.size(), 1u);
  EXPECT_LE(answer_.size(), dns::kMaxUdpPayload);
  dns::Message tcp = Ask("big.test", dns::kTypeMx, 65535);
  EXPECT_FALSE(tcp.header.flags & dns::kFlagTc);
  EXPECT_EQ(tcp.answers.size(), 100u);
}

TEST_F(DnsZoneTest, MalformedQueriesGetFormErrOrNothing) {
  std::vector<uint8_t> q = Query("example.test", dns::kTypeMx);
  // Too short for a header: no ID to answer to.
  EXPECT_FALSE(zone_.Answer(q.data(), 11, 512, &answer_));
  // A response is never answered (two responders must not ping-pong).
  std::vector<uint8_t> response = q;
  response[2] |= 0x80;
  EXPECT_FALSE(zone_.Answer(response.data(), response.size(), 512, &answer_));
  // Truncated question, and trailing bytes: FORMERR, echoing the ID.
  for (size_t len : {q.size() - 1, size_t{13}}) {
    ASSERT_TRUE(zone_.Answer(q.data(), len, 512, &answer_));
    dns::Message m;
    ASSERT_TRUE(dns::ParseMessage(answer_.data(), answer_.size(), &m));
    EXPECT_EQ(m.header.rcode(), dns::kRcodeFormErr);
    EXPECT_EQ(m.header.id, 0x1234);
  }
  std::vector<uint8_t> trailing = q;
  trailing.push_back(0);
  ASSERT_TRUE(zone_.Answer(trailing.data(), trailing.size(), 512, &answer_));
  EXPECT_EQ(answer_[3] & 0x0f, dns::kRcodeFormErr);
  // Two questions: FORMERR.
  std::vector<uint8_t> two = q;
  two[5] = 2;
  ASSERT_TRUE(zone_.Answer(two.data(), two.size(), 512, &answer_));
  EXPECT_EQ(answer_[3] & 0x0f, dns::kRcodeFormErr);
  EXPECT_EQ(zone_.total_queries(), 0u);
}

}  // namespace
}  // namespace mxsweep
