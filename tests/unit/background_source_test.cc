// The piped-input reader's thread on a pipe (no sockets): it is always joined, even when its
// owner is destroyed without Stop while the thread waits for the producer.
#include "app/background_source.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <uv.h>

#include <chrono>
#include <istream>
#include <string>
#include <thread>

namespace mxsweep::app {
namespace {

// LineSource yields one domain per line of |in|; Next blocks while the pipe is empty.
class LineSource : public DomainSource {
 public:
  explicit LineSource(std::istream& in) : in_(in) {}
  bool Next(DomainEntry* out) override {
    std::string line;
    if (!std::getline(in_, line)) return false;
    out->domain = line;
    out->line = ++lines_;
    return true;
  }

 private:
  std::istream& in_;
  size_t lines_ = 0;
};

class BackgroundSourceTest : public ::testing::Test {
 protected:
  BackgroundSourceTest() {
    uv_loop_init(&loop_);
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    read_fd_ = fds[0];
    write_fd_ = fds[1];
    std::string error;
    input_ = CancellableInput::Create(read_fd_, &error);
    EXPECT_NE(input_, nullptr) << error;
  }
  ~BackgroundSourceTest() override {
    if (write_fd_ >= 0) close(write_fd_);
    close(read_fd_);
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0) << "a libuv handle was left open";
  }

  void Write(const std::string& text) {
    ASSERT_EQ(write(write_fd_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }

  // PullOne waits (off the loop, bounded) until the reader has handed over one entry.
  bool PullOne(BackgroundSource& source, DomainEntry* out) {
    for (int i = 0; i < 500; i++) {
      if (source.Pull(out) == SourcePull::kEntry) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  uv_loop_t loop_;
  int read_fd_ = -1;
  int write_fd_ = -1;
  std::unique_ptr<CancellableInput> input_;
};

TEST_F(BackgroundSourceTest, StopCancelsTheReadAndJoins) {
  LineSource inner(input_->stream());
  BackgroundSource source(&loop_, inner, [] {}, [this] { input_->Cancel(); });
  source.Start();
  Write("a.example\n");
  DomainEntry entry;
  ASSERT_TRUE(PullOne(source, &entry));
  EXPECT_EQ(entry.domain, "a.example");
  // The reader now waits for a producer that never writes again nor closes.
  source.Stop();
  EXPECT_EQ(source.Pull(&entry), SourcePull::kEnd);
}

// Under ASan (MXSWEEP_SANITIZE): the destructor used to detach the thread, which woke up later
// inside the freed object (heap-use-after-free), and the uv_async stayed open on the loop.
TEST_F(BackgroundSourceTest, DestroyedWithoutStopWhileTheThreadWaitsOnThePipe) {
  LineSource inner(input_->stream());
  auto source = std::make_unique<BackgroundSource>(&loop_, inner, [] {}, [this] { input_->Cancel(); });
  source->Start();
  Write("a.example\n");
  DomainEntry entry;
  ASSERT_TRUE(PullOne(*source, &entry));
  source.reset();  // no Stop: the destructor must stop and join the blocked reader itself
  // Had the thread been left running, this wakes it inside the freed object.
  close(write_fd_);
  write_fd_ = -1;
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

TEST_F(BackgroundSourceTest, DestroyedWithoutStopWhileTheThreadWaitsForRoom) {
  LineSource inner(input_->stream());
  auto source = std::make_unique<BackgroundSource>(&loop_, inner, [] {}, [this] { input_->Cancel(); });
  // More than the queue holds (and less than the pipe holds), so the reader ends up waiting for
  // room rather than for the pipe.
  std::string lines;
  for (int i = 0; i < 5000; i++) lines += "d" + std::to_string(i) + "\n";
  Write(lines);
  source->Start();
  DomainEntry entry;
  ASSERT_TRUE(PullOne(*source, &entry));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  source.reset();
}

}  // namespace
}  // namespace mxsweep::app
