#include "resolver/ares_loop.h"

#include <arpa/nameser.h>

#include <memory>
#include <mutex>
#include <utility>

namespace mxsweep::resolver {

namespace {

// c-ares wants ares_library_init once per process before the first channel (a no-op on Linux
// today, but the contract is what later versions rely on).
bool LibraryInit(std::string* error) {
  static std::once_flag once;
  static int rc = ARES_SUCCESS;
  std::call_once(once, [] { rc = ares_library_init(ARES_LIB_INIT_ALL); });
  if (rc != ARES_SUCCESS) {
    *error = std::string("ares_library_init: ") + ares_strerror(rc);
    return false;
  }
  return true;
}

}  // namespace

bool AresLoop::Init(const AresOptions& options, std::string* error) {
  if (!LibraryInit(error)) return false;
  max_in_flight_ = options.max_in_flight == 0 ? 1 : options.max_in_flight;

  ares_options opts{};
  // NOSEARCH: names from the input are absolute; appending resolv.conf's search domains would
  // turn a partner's NXDOMAIN into an answer about our own network. NOALIASES: HOSTALIASES in
  // the environment must not rewrite partner names.
  opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
  opts.timeout = static_cast<int>(options.timeout.count());
  opts.tries = options.tries < 1 ? 1 : options.tries;
  opts.sock_state_cb = &AresLoop::SockStateCb;
  opts.sock_state_cb_data = this;
  // Answers to every in-flight query can arrive while the loop is busy with handshakes. Linux
  // charges ~2 KiB of socket buffer per small datagram, so the 208 KiB default overflows at ~100
  // queued answers and the rest are dropped (UdpRcvbufErrors; seen as spurious timeouts in the
  // 100k-domain benchmark). 1 MiB holds the answers to 256 queries; the kernel caps it at
  // net.core.rmem_max.
  opts.socket_receive_buffer_size = 1 << 20;
  int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB |
             ARES_OPT_SOCK_RCVBUF;
  int rc = ares_init_options(&channel_, &opts, mask);
  if (rc != ARES_SUCCESS) {
    channel_ = nullptr;
    *error = std::string("ares_init_options: ") + ares_strerror(rc);
    return false;
  }
  if (!options.servers.empty()) {
    std::string csv;
    for (const std::string& server : options.servers) {
      if (!csv.empty()) csv.push_back(',');
      csv += server;
    }
    rc = ares_set_servers_ports_csv(channel_, csv.c_str());
    if (rc != ARES_SUCCESS) {
      *error = "bad DNS server list \"" + csv + "\": " + ares_strerror(rc);
      return false;  // the destructor destroys the channel: no socket or handle exists yet
    }
  }
  // Last, so that a failed Init leaves no libuv handle behind.
  uv_timer_init(loop_, &timer_);
  timer_.data = this;
  timer_initialized_ = true;
  ++open_handles_;
  return true;
}

AresLoop::~AresLoop() {
  // Only reached with a live channel when Init failed (Close destroys it otherwise).
  if (channel_ != nullptr) ares_destroy(channel_);
}

void AresLoop::Query(const std::string& name, uint16_t type, QueryCallback done) {
  if (closing_ || channel_ == nullptr) {
    done(ARES_ECANCELLED, nullptr, 0);
    return;
  }
  Pending pending{name, type, std::move(done)};
  if (in_flight_ < max_in_flight_) {
    Start(std::move(pending));
  } else {
    queue_.push_back(std::move(pending));
  }
}

void AresLoop::Start(Pending pending) {
  ++in_flight_;
  ++queries_sent_;
  auto* context = new QueryContext{this, std::move(pending.done)};
  ares_query(channel_, pending.name.c_str(), ns_c_in, pending.type, &AresLoop::OnAresAnswer,
             context);
  UpdateTimer();
}

void AresLoop::PumpQueue() {
  // A query can complete inside ares_query (out of memory, no servers); the guard keeps that
  // from recursing through Start once per queued query.
  if (pumping_) return;
  pumping_ = true;
  while (!closing_ && in_flight_ < max_in_flight_ && !queue_.empty()) {
    Pending next = std::move(queue_.front());
    queue_.pop_front();
    Start(std::move(next));
  }
  pumping_ = false;
}

void AresLoop::OnAresAnswer(void* arg, int status, int /*timeouts*/, unsigned char* abuf,
                            int alen) {
  std::unique_ptr<QueryContext> context(static_cast<QueryContext*>(arg));
  AresLoop* self = context->owner;
  --self->in_flight_;
  context->done(status, abuf, abuf != nullptr && alen > 0 ? static_cast<size_t>(alen) : 0);
  self->PumpQueue();
}

void AresLoop::UpdateTimer() {
  if (closing_ || channel_ == nullptr) return;
  timeval tv{};
  if (ares_timeout(channel_, nullptr, &tv) == nullptr) {
    uv_timer_stop(&timer_);  // nothing outstanding: an idle resolver costs no wake-ups
    return;
  }
  uint64_t ms = static_cast<uint64_t>(tv.tv_sec) * 1000 + (static_cast<uint64_t>(tv.tv_usec) + 999) / 1000;
  uv_timer_start(&timer_, &AresLoop::OnTimer, ms, 0);
}

void AresLoop::OnTimer(uv_timer_t* timer) {
  auto* self = static_cast<AresLoop*>(timer->data);
  if (self->channel_ == nullptr) return;
  ares_process_fd(self->channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
  self->UpdateTimer();
}

void AresLoop::SockStateCb(void* data, ares_socket_t fd, int readable, int writable) {
  static_cast<AresLoop*>(data)->OnSocketState(fd, readable != 0, writable != 0);
}

void AresLoop::OnSocketState(ares_socket_t fd, bool readable, bool writable) {
  auto it = polls_.find(fd);
  if (!readable && !writable) {
    if (it == polls_.end()) return;
    Poll* poll = it->second;
    polls_.erase(it);
    // uv_close stops the watcher now, before c-ares closes the descriptor.
    uv_close(reinterpret_cast<uv_handle_t*>(&poll->handle), &AresLoop::OnHandleClosed);
    return;
  }
  if (closing_) return;
  Poll* poll;
  if (it != polls_.end()) {
    poll = it->second;
  } else {
    poll = new Poll{};
    poll->owner = this;
    poll->fd = fd;
    if (uv_poll_init_socket(loop_, &poll->handle, fd) != 0) {
      // Without a watcher the query still ends: the timer makes c-ares time it out.
      delete poll;
      return;
    }
    poll->handle.data = poll;
    ++open_handles_;
    polls_.emplace(fd, poll);
  }
  int events = (readable ? UV_READABLE : 0) | (writable ? UV_WRITABLE : 0);
  uv_poll_start(&poll->handle, events, &AresLoop::OnPoll);
}

void AresLoop::OnPoll(uv_poll_t* handle, int status, int events) {
  auto* poll = static_cast<Poll*>(handle->data);
  AresLoop* self = poll->owner;
  if (self->channel_ == nullptr) return;
  ares_socket_t read_fd = ARES_SOCKET_BAD;
  ares_socket_t write_fd = ARES_SOCKET_BAD;
  if (status < 0) {
    // An error on the socket: let c-ares read and write so it sees the error and fails over.
    read_fd = write_fd = poll->fd;
  } else {
    if (events & UV_READABLE) read_fd = poll->fd;
    if (events & UV_WRITABLE) write_fd = poll->fd;
  }
  ares_process_fd(self->channel_, read_fd, write_fd);
  self->UpdateTimer();
}

void AresLoop::Close(std::function<void()> closed) {
  if (closing_) return;
  closing_ = true;
  closed_ = std::move(closed);

  std::deque<Pending> queued = std::move(queue_);
  queue_.clear();
  if (channel_ != nullptr) ares_cancel(channel_);
  for (Pending& pending : queued) pending.done(ARES_ECANCELLED, nullptr, 0);
  if (channel_ != nullptr) {
    // Safe here and only here: Close is never called from inside a c-ares callback.
    ares_destroy(channel_);
    channel_ = nullptr;
  }
  // ares_destroy reported every socket closed; anything left is a watcher c-ares forgot.
  for (auto& entry : polls_) {
    uv_close(reinterpret_cast<uv_handle_t*>(&entry.second->handle), &AresLoop::OnHandleClosed);
  }
  polls_.clear();
  if (timer_initialized_) {
    uv_timer_stop(&timer_);
    uv_close(reinterpret_cast<uv_handle_t*>(&timer_), &AresLoop::OnHandleClosed);
  }
}

void AresLoop::OnHandleClosed(uv_handle_t* handle) {
  AresLoop* self;
  if (handle->type == UV_POLL) {
    auto* poll = static_cast<Poll*>(handle->data);
    self = poll->owner;
    delete poll;
  } else {
    self = static_cast<AresLoop*>(handle->data);
  }
  self->HandleClosed();
}

void AresLoop::HandleClosed() {
  if (--open_handles_ == 0 && closing_ && closed_) {
    std::function<void()> closed = std::move(closed_);
    closed();
  }
}

}  // namespace mxsweep::resolver
