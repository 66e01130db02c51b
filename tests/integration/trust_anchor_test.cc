// Where trust anchors come from: a PEM bundle, a hashed directory, the system's anchors.
//
// The client contexts keep peer certificates as raw DER during the handshake
// (TLS_with_buffers_method) and parse them only for the summary; these tests check that the
// summary and its verification still see the whole chain whichever way the anchors are given.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "tests/integration/test_fleet.h"

namespace mxsweep::testing {
namespace {

// HashedCaDir writes the test CA into a fresh directory under its subject-hash name.
class HashedCaDir {
 public:
  HashedCaDir() {
    char tmpl[] = "/tmp/mxsweep-hashed-ca-XXXXXX";
    dir_ = mkdtemp(tmpl) != nullptr ? tmpl : "";
    std::string pem = Pki().CaPem();
    bssl::UniquePtr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    bssl::UniquePtr<X509> ca(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (dir_.empty() || !ca) return;
    char name[16];
    std::snprintf(name, sizeof(name), "%08lx.0", X509_NAME_hash(X509_get_subject_name(ca.get())));
    file_ = dir_ + "/" + name;
    std::ofstream(file_) << pem;
  }
  ~HashedCaDir() {
    if (!file_.empty()) std::remove(file_.c_str());
    if (!dir_.empty()) rmdir(dir_.c_str());
  }
  const std::string& dir() const { return dir_; }
  bool ok() const { return !file_.empty(); }

 private:
  std::string dir_, file_;
};

AddressFacts ProbeWith(const tls::ClientContexts& contexts) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.host_name = "mx.anchors.test";
  return ProbeOne(loop, fleet, fleet.Start(config), PlanOptions{}, {}, &contexts);
}

TEST(TrustAnchors, HashedDirectoryVerifiesTheChain) {
  HashedCaDir dir;
  ASSERT_TRUE(dir.ok());
  std::string error;
  auto contexts = tls::ClientContexts::Create(dir.dir(), &error);
  ASSERT_TRUE(contexts) << error;
  AddressFacts f = ProbeWith(*contexts);
  ASSERT_TRUE(f.certificate.has_value());
  EXPECT_TRUE(f.certificate->chain_valid) << f.certificate->chain_error;
  EXPECT_EQ(f.certificate->chain_length, 2);
  EXPECT_EQ(f.certificate->sans, std::vector<std::string>{"mx.anchors.test"});
}

TEST(TrustAnchors, DirectoryWithoutHashedFilesIsRefused) {
  char tmpl[] = "/tmp/mxsweep-empty-ca-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string error;
  auto contexts = tls::ClientContexts::Create(tmpl, &error);
  rmdir(tmpl);
  EXPECT_FALSE(contexts);
  EXPECT_NE(error.find("no hashed trust anchors"), std::string::npos) << error;
}

TEST(TrustAnchors, MissingBundleIsRefused) {
  std::string error;
  auto contexts = tls::ClientContexts::Create("/nonexistent/mxsweep-ca.pem", &error);
  EXPECT_FALSE(contexts);
  EXPECT_NE(error.find("/nonexistent/mxsweep-ca.pem"), std::string::npos) << error;
}

TEST(TrustAnchors, SystemAnchorsDoNotTrustTheTestCa) {
  std::string error;
  auto contexts = tls::ClientContexts::Create("", &error);
  ASSERT_TRUE(contexts) << error;
  if (!contexts->trust_warning().empty()) GTEST_SKIP() << contexts->trust_warning();
  AddressFacts f = ProbeWith(*contexts);
  ASSERT_TRUE(f.certificate.has_value());
  EXPECT_EQ(f.probes.front().status, ProbeStatus::kAccepted);
  EXPECT_FALSE(f.certificate->chain_valid);
  // The simulated server sends its CA along: a self-signed root nobody trusts.
  EXPECT_EQ(f.certificate->chain_error, "self signed certificate in certificate chain");
  // The summary itself does not depend on trust.
  EXPECT_EQ(f.certificate->key_type, "EC");
  EXPECT_TRUE(f.certificate->name_matches);
}

// The handshake needs only the leaf's key, so a chain with an entry X.509 cannot read still
// completes; the summary says which certificate it could not read instead of verifying.
TEST(TrustAnchors, UnparsableIntermediateIsAFactNotAFailure) {
  TestLoop loop;
  Fleet fleet(loop.get());
  sim::SimServerConfig config;
  config.host_name = "mx.junk-chain.test";
  config.unparsable_intermediate = true;
  AddressFacts f = ProbeOne(loop, fleet, fleet.Start(config), PlanOptions{});
  ASSERT_FALSE(f.probes.empty());
  EXPECT_EQ(f.probes.front().status, ProbeStatus::kAccepted) << f.probes.front().detail;
  ASSERT_TRUE(f.certificate.has_value());
  EXPECT_EQ(f.certificate->chain_length, 2);
  EXPECT_FALSE(f.certificate->chain_valid);
  EXPECT_EQ(f.certificate->chain_error, "certificate 2 of the chain cannot be parsed");
  // The leaf itself was read.
  EXPECT_EQ(f.certificate->sans, std::vector<std::string>{"mx.junk-chain.test"});
  EXPECT_TRUE(f.certificate->name_matches);
}

// FirstSystemAnchor reads one certificate of /etc/ssl/certs under its hashed name, or null.
bssl::UniquePtr<X509> FirstSystemAnchor() {
  DIR* d = opendir("/etc/ssl/certs");
  if (d == nullptr) return nullptr;
  std::string path;
  while (const dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name.size() == 10 && name.compare(8, 2, ".0") == 0) {
      path = "/etc/ssl/certs/" + name;
      break;
    }
  }
  closedir(d);
  if (path.empty()) return nullptr;
  bssl::UniquePtr<BIO> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return nullptr;
  return bssl::UniquePtr<X509>(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

// The system store is found (not silently empty): one of its own roots verifies against it.
TEST(TrustAnchors, SystemStoreHoldsTheSystemRoots) {
  bssl::UniquePtr<X509> root = FirstSystemAnchor();
  if (!root) GTEST_SKIP() << "no hashed anchors in /etc/ssl/certs (package ca-certificates)";
  std::string error;
  auto contexts = tls::ClientContexts::Create("", &error);
  ASSERT_TRUE(contexts) << error;
  EXPECT_TRUE(contexts->trust_warning().empty()) << contexts->trust_warning();
  bssl::UniquePtr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  ASSERT_TRUE(X509_STORE_CTX_init(ctx.get(), contexts->trust_store(), root.get(), nullptr));
  EXPECT_EQ(X509_verify_cert(ctx.get()), 1)
      << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
}

}  // namespace
}  // namespace mxsweep::testing
