// background_source.h: read the domain list on a thread of its own, so a slow pipe never blocks
// the event loop.
//
// `producer | mxsweep scan -` reads whatever pace the producer keeps. Read on the loop, a pause
// in the pipe stops every session; when bytes come again, libuv runs the expired timers before
// the sockets' reads, and sessions whose replies sat unread end as timeouts. Here a thread runs
// the reader (parsing, bad-line messages and the --resume skip included) a bounded distance
// ahead and wakes the loop through a uv_async; the sweep pulls from the queue and never waits.
#pragma once

#include <uv.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <istream>
#include <memory>
#include <mutex>
#include <streambuf>
#include <thread>

#include "scanner/engine/sweep.h"

namespace mxsweep::app {

// CancellableInput is an istream over a file descriptor whose reads Cancel() can interrupt: the
// next read then ends the input, even when the descriptor has nothing to read.
class CancellableInput {
 public:
  // Create returns null (with *error) when the cancel pipe cannot be made. |fd| is not owned.
  static std::unique_ptr<CancellableInput> Create(int fd, std::string* error);
  ~CancellableInput();

  std::istream& stream() { return stream_; }
  // Cancel is safe from any thread.
  void Cancel();

 private:
  class Buffer : public std::streambuf {
   public:
    Buffer(int fd, int cancel_fd) : fd_(fd), cancel_fd_(cancel_fd) {}

   protected:
    int_type underflow() override;

   private:
    int fd_;
    int cancel_fd_;
    char data_[64 * 1024];
  };

  CancellableInput(int fd, int cancel_read, int cancel_write);

  int cancel_read_;
  int cancel_write_;
  Buffer buffer_;
  std::istream stream_;
};

// BackgroundSource runs |inner|.Next on a thread and hands the entries to the sweep on the loop.
//
// The thread is always joined, never detached: it calls into |inner| and into this object. It
// can wait in two places, and both are woken when it must end: for room in the queue (a
// condition variable and a flag) and inside |inner|.Next on a read from the producer, which only
// |cancel_input| can interrupt (CancellableInput::Cancel polls the descriptor together with its
// own pipe, so a producer that neither writes nor closes cannot hold the join up).
class BackgroundSource : public DomainSource {
 public:
  // |on_ready| runs on the loop whenever entries (or the end) arrive after a kLater.
  // |cancel_input| makes a read inside |inner|.Next that blocks, or any later one, end the input;
  // it is called from the loop thread by Stop and the destructor. Without it, both wait until
  // |inner| reaches its end (fine for a regular file, not for a pipe).
  BackgroundSource(uv_loop_t* loop, DomainSource& inner, std::function<void()> on_ready,
                   std::function<void()> cancel_input);
  // The destructor stops and joins the thread as Stop does. If Stop has not closed the loop
  // handle, the destructor closes it; the loop must then run once more to free it.
  ~BackgroundSource() override;

  BackgroundSource(const BackgroundSource&) = delete;
  BackgroundSource& operator=(const BackgroundSource&) = delete;

  // Start starts the reader thread.
  void Start();
  // Stop cancels the input, waits for the thread and closes the loop handle. Call it on the loop
  // thread; Pull answers kEnd afterwards.
  void Stop();

  bool Next(DomainEntry* out) override;
  SourcePull Pull(DomainEntry* out) override;

 private:
  // Entries read ahead of the sweep. The sweep keeps up to --max-domains-in-flight domains
  // itself; this only smooths the hand-over, so a few thousand is plenty.
  static constexpr size_t kMaxQueued = 4096;

  void Run();
  // StopThread wakes the thread wherever it waits and joins it.
  void StopThread();
  // CloseHandle closes the uv_async (once).
  void CloseHandle();

  DomainSource& inner_;
  std::function<void()> on_ready_;
  std::function<void()> cancel_input_;
  // On the heap: when the destructor closes it, the memory must stay until the close callback.
  uv_async_t* async_;
  std::thread thread_;

  std::mutex mutex_;
  std::condition_variable space_;  // the reader waits here while the queue is full
  std::condition_variable filled_; // Next waits here
  std::deque<DomainEntry> queue_;
  bool end_ = false;
  bool stopping_ = false;
};

}  // namespace mxsweep::app
