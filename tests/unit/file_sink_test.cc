#include "output/file_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace mxsweep::output {
namespace {

class FileSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/mxsweep-sink-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    for (const std::string& f : created_) unlink(f.c_str());
    rmdir(dir_.c_str());
  }
  std::string PathFor(const std::string& name) {
    std::string p = dir_ + "/" + name;
    created_.push_back(p);
    return p;
  }
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::string dir_;
  std::vector<std::string> created_;
};

TEST_F(FileSinkTest, CreatesAndWritesWholeLines) {
  std::string path = PathFor("out.csv");
  SinkError err;
  auto sink = FileSink::Open(path, {}, &err);
  ASSERT_NE(sink, nullptr) << err.message;
  EXPECT_TRUE(sink->WriteLine("a,b", &err));
  EXPECT_TRUE(sink->WriteLine("c,d\r\n", &err));  // already terminated: no second newline
  EXPECT_TRUE(sink->WriteLine("", &err));
  // Visible before Close: nothing waits in a user-space buffer.
  EXPECT_EQ(Slurp(path), "a,b\nc,d\r\n\n");
  EXPECT_EQ(sink->records_written(), 3u);
  EXPECT_EQ(sink->bytes_written(), 10u);
  EXPECT_TRUE(sink->Close(&err));
}

TEST_F(FileSinkTest, RefusesToOverwriteWithoutForce) {
  std::string path = PathFor("out.csv");
  { std::ofstream(path) << "precious\n"; }
  SinkError err;
  EXPECT_EQ(FileSink::Open(path, {}, &err), nullptr);
  EXPECT_EQ(err.code, EEXIST);
  EXPECT_NE(err.message.find(path), std::string::npos);
  EXPECT_NE(err.message.find("--force"), std::string::npos);
  EXPECT_EQ(Slurp(path), "precious\n");

  FileSinkOptions force;
  force.force = true;
  auto sink = FileSink::Open(path, force, &err);
  ASSERT_NE(sink, nullptr) << err.message;
  ASSERT_TRUE(sink->WriteLine("new", &err));
  EXPECT_EQ(Slurp(path), "new\n");
}

TEST_F(FileSinkTest, AppendKeepsWhatIsThere) {
  std::string path = PathFor("out.jsonl");
  { std::ofstream(path) << "one\n"; }
  FileSinkOptions append;
  append.append = true;
  SinkError err;
  auto sink = FileSink::Open(path, append, &err);
  ASSERT_NE(sink, nullptr) << err.message;
  ASSERT_TRUE(sink->WriteLine("two", &err));
  EXPECT_EQ(Slurp(path), "one\ntwo\n");

  // Append creates a missing file too.
  std::string fresh = PathFor("fresh.jsonl");
  auto sink2 = FileSink::Open(fresh, append, &err);
  ASSERT_NE(sink2, nullptr) << err.message;
  ASSERT_TRUE(sink2->WriteLine("x", &err));
  EXPECT_EQ(Slurp(fresh), "x\n");
}

TEST_F(FileSinkTest, UnwritablePathsAreClearErrors) {
  SinkError err;
  FileSinkOptions force;
  force.force = true;
  EXPECT_EQ(FileSink::Open(dir_, force, &err), nullptr);
  EXPECT_EQ(err.code, EISDIR);
  EXPECT_NE(err.message.find(dir_), std::string::npos);
  EXPECT_NE(err.message.find("directory"), std::string::npos) << err.message;

  EXPECT_EQ(FileSink::Open(dir_ + "/no/such/dir/out.csv", {}, &err), nullptr);
  EXPECT_EQ(err.code, ENOENT);

  EXPECT_EQ(FileSink::Open("", {}, &err), nullptr);
  EXPECT_EQ(err.code, EINVAL);

  // /proc/version is read-only even with --force: a non-root user cannot open it, root can open
  // it but the kernel refuses the write. Either way the error names the path.
  auto proc = FileSink::Open("/proc/version", force, &err);
  if (proc == nullptr) {
    EXPECT_EQ(err.code, EACCES) << err.message;
  } else {
    EXPECT_FALSE(proc->WriteLine("x", &err));
    EXPECT_NE(err.code, 0);
  }
  EXPECT_NE(err.message.find("/proc/version"), std::string::npos) << err.message;

  if (geteuid() != 0) {  // root ignores directory permissions
    std::string ro = PathFor("ro");
    ASSERT_EQ(mkdir(ro.c_str(), 0500), 0);
    EXPECT_EQ(FileSink::Open(ro + "/out.csv", {}, &err), nullptr);
    EXPECT_EQ(err.code, EACCES) << err.message;
    rmdir(ro.c_str());
  }
}

TEST_F(FileSinkTest, FullDeviceReportsEnospc) {
  if (access("/dev/full", W_OK) != 0) GTEST_SKIP() << "/dev/full not writable here";
  SinkError err;
  // It exists, so only --force opens it.
  EXPECT_EQ(FileSink::Open("/dev/full", {}, &err), nullptr);
  FileSinkOptions force;
  force.force = true;
  auto sink = FileSink::Open("/dev/full", force, &err);
  ASSERT_NE(sink, nullptr) << err.message;
  EXPECT_FALSE(sink->WriteLine("lost", &err));
  EXPECT_EQ(err.code, ENOSPC);
  EXPECT_NE(err.message.find("/dev/full"), std::string::npos);
  EXPECT_NE(err.message.find("No space left"), std::string::npos) << err.message;
  // The first error sticks.
  SinkError again;
  EXPECT_FALSE(sink->WriteLine("more", &again));
  EXPECT_EQ(again.code, ENOSPC);
  EXPECT_EQ(sink->records_written(), 0u);
}

TEST_F(FileSinkTest, WriteAfterCloseIsAnError) {
  std::string path = PathFor("out.csv");
  SinkError err;
  auto sink = FileSink::Open(path, {}, &err);
  ASSERT_NE(sink, nullptr);
  EXPECT_TRUE(sink->Close(&err));
  EXPECT_TRUE(sink->Close(&err));  // idempotent
  EXPECT_FALSE(sink->WriteLine("x", &err));
  EXPECT_EQ(err.code, EBADF);
}

TEST_F(FileSinkTest, DashIsStdout) {
  SinkError err;
  FileSinkOptions force;
  auto sink = FileSink::Open("-", force, &err);
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->path(), "-");
  EXPECT_TRUE(sink->Close(&err));  // does not close fd 1
  EXPECT_NE(fcntl(STDOUT_FILENO, F_GETFD), -1);
}

}  // namespace
}  // namespace mxsweep::output
