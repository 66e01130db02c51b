#include "app/background_source.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mxsweep::app {

std::unique_ptr<CancellableInput> CancellableInput::Create(int fd, std::string* error) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    *error = std::string("cannot make a pipe: ") + std::strerror(errno);
    return nullptr;
  }
  return std::unique_ptr<CancellableInput>(new CancellableInput(fd, fds[0], fds[1]));
}

CancellableInput::CancellableInput(int fd, int cancel_read, int cancel_write)
    : cancel_read_(cancel_read), cancel_write_(cancel_write), buffer_(fd, cancel_read),
      stream_(&buffer_) {}

CancellableInput::~CancellableInput() {
  close(cancel_read_);
  close(cancel_write_);
}

void CancellableInput::Cancel() {
  char byte = 0;
  // One byte is enough: the pipe stays readable, so every later read ends too.
  while (write(cancel_write_, &byte, 1) < 0 && errno == EINTR) {
  }
}

CancellableInput::Buffer::int_type CancellableInput::Buffer::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  for (;;) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {cancel_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return traits_type::eof();
    }
    if (fds[1].revents != 0) return traits_type::eof();
    ssize_t n = read(fd_, data_, sizeof(data_));
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return traits_type::eof();  // end of input, or an error: the list ends here
    setg(data_, data_, data_ + n);
    return traits_type::to_int_type(*gptr());
  }
}

BackgroundSource::BackgroundSource(uv_loop_t* loop, DomainSource& inner, std::function<void()> on_ready,
                                   std::function<void()> cancel_input)
    : inner_(inner), on_ready_(std::move(on_ready)), cancel_input_(std::move(cancel_input)),
      async_(new uv_async_t) {
  uv_async_init(loop, async_, [](uv_async_t* handle) {
    auto* self = static_cast<BackgroundSource*>(handle->data);
    self->on_ready_();
  });
  async_->data = this;
}

BackgroundSource::~BackgroundSource() {
  StopThread();
  CloseHandle();
}

void BackgroundSource::CloseHandle() {
  if (async_ == nullptr) return;
  // No callback runs after uv_close; the memory goes in the close callback, which may come after
  // this object is gone.
  async_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(async_),
           [](uv_handle_t* handle) { delete reinterpret_cast<uv_async_t*>(handle); });
  async_ = nullptr;
}

void BackgroundSource::Start() { thread_ = std::thread([this] { Run(); }); }

void BackgroundSource::Run() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
    }
    DomainEntry entry;
    bool more = inner_.Next(&entry);
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (!more) {
        end_ = true;
      } else {
        space_.wait(lock, [this] { return queue_.size() < kMaxQueued || stopping_; });
        if (stopping_) return;
        queue_.push_back(std::move(entry));
      }
      filled_.notify_one();
      if (!stopping_) uv_async_send(async_);
    }
    if (!more) return;
  }
}

void BackgroundSource::StopThread() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    end_ = true;
    queue_.clear();
  }
  space_.notify_all();
  filled_.notify_all();
  // The thread may be inside inner_.Next, waiting for the producer: only the input can end that.
  if (thread_.joinable() && cancel_input_) cancel_input_();
  if (thread_.joinable()) thread_.join();
}

void BackgroundSource::Stop() {
  StopThread();
  CloseHandle();
}

bool BackgroundSource::Next(DomainEntry* out) {
  std::unique_lock<std::mutex> lock(mutex_);
  filled_.wait(lock, [this] { return !queue_.empty() || end_; });
  if (queue_.empty()) return false;
  *out = std::move(queue_.front());
  queue_.pop_front();
  space_.notify_one();
  return true;
}

SourcePull BackgroundSource::Pull(DomainEntry* out) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (queue_.empty()) return end_ ? SourcePull::kEnd : SourcePull::kLater;
  *out = std::move(queue_.front());
  queue_.pop_front();
  space_.notify_one();
  return SourcePull::kEntry;
}

}  // namespace mxsweep::app
