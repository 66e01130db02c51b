// loop_util.h: a libuv loop owned by a command, and host-name lookup for `probe`.
#pragma once

#include <uv.h>

#include <string>
#include <vector>

#include "app/options.h"
#include "base/ip_address.h"

namespace mxsweep::app {

// LoopHolder owns a loop; its destructor closes every handle still open and the loop.
class LoopHolder {
 public:
  LoopHolder();
  ~LoopHolder();
  uv_loop_t* get() { return &loop_; }

 private:
  uv_loop_t loop_;
};

struct HostLookupResult {
  bool ok = false;
  std::vector<IpAddress> addresses;
  // no_address: the lookup was answered, and the name has no address (NXDOMAIN or NODATA), as
  // opposed to a lookup that failed (timeout, SERVFAIL).
  bool no_address = false;
};

// LookupHost resolves |host| (a name or an address literal) with the resolvers of |common|,
// running |loop| until the answer is in.
HostLookupResult LookupHost(uv_loop_t* loop, const std::string& host, const CommonOptions& common,
                            std::string* error);

}  // namespace mxsweep::app
