// ares_loop.h: one c-ares channel driven by a libuv loop.
//
// c-ares tells us which sockets it wants watched (sock_state_cb); each gets a uv_poll_t. One
// uv_timer_t is re-armed from ares_timeout() after every interaction so retries and timeouts
// fire without polling. This layer knows nothing about record types beyond their numbers; the
// resolver on top parses answers and caches them.
#pragma once

#include <ares.h>
#include <uv.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>

#include "resolver/ares_options.h"

namespace mxsweep::resolver {

class AresLoop {
 public:
  // QueryCallback receives the c-ares status and, when there is one, the raw answer (valid only
  // during the call). It may run inside a c-ares callback: it must not call Close.
  using QueryCallback = std::function<void(int status, const uint8_t* answer, size_t length)>;

  explicit AresLoop(uv_loop_t* loop) : loop_(loop) {}
  AresLoop(const AresLoop&) = delete;
  AresLoop& operator=(const AresLoop&) = delete;
  // The destructor requires Close to have finished, or Init to have failed.
  ~AresLoop();

  // Init creates the channel and the timer. On failure it returns false with |error| set and
  // leaves no libuv handle: the object may be deleted without Close.
  bool Init(const AresOptions& options, std::string* error);

  // Query sends an IN-class query for |name| and |type|, or queues it while max_in_flight
  // queries are out. |done| runs exactly once; with ARES_ECANCELLED after Close.
  void Query(const std::string& name, uint16_t type, QueryCallback done);

  // Close cancels every started and queued query (their callbacks run now, with
  // ARES_ECANCELLED), destroys the channel and closes every handle. |closed| runs after the
  // last close callback. Must not be called from inside a QueryCallback.
  void Close(std::function<void()> closed);

  // queries_sent counts ares_query calls, i.e. lookups that reached the wire (or c-ares).
  uint64_t queries_sent() const { return queries_sent_; }

 private:
  struct Pending {
    std::string name;
    uint16_t type;
    QueryCallback done;
  };
  struct Poll {
    uv_poll_t handle;
    AresLoop* owner;
    ares_socket_t fd;
  };
  struct QueryContext {
    AresLoop* owner;
    QueryCallback done;
  };

  void Start(Pending pending);
  void PumpQueue();
  void UpdateTimer();
  void OnSocketState(ares_socket_t fd, bool readable, bool writable);
  void HandleClosed();

  static void SockStateCb(void* data, ares_socket_t fd, int readable, int writable);
  static void OnAresAnswer(void* arg, int status, int timeouts, unsigned char* abuf, int alen);
  static void OnPoll(uv_poll_t* handle, int status, int events);
  static void OnTimer(uv_timer_t* timer);
  static void OnHandleClosed(uv_handle_t* handle);

  uv_loop_t* loop_;
  ares_channel channel_ = nullptr;
  uv_timer_t timer_{};
  bool timer_initialized_ = false;
  size_t max_in_flight_ = 1;
  size_t in_flight_ = 0;
  std::deque<Pending> queue_;
  // Keyed by descriptor; an entry leaves the map when its handle starts closing, because c-ares
  // may open a new socket with the same number before the old handle's close callback.
  std::unordered_map<ares_socket_t, Poll*> polls_;
  size_t open_handles_ = 0;
  bool closing_ = false;
  bool pumping_ = false;
  std::function<void()> closed_;
  uint64_t queries_sent_ = 0;
};

}  // namespace mxsweep::resolver
