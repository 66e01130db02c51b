// external_server.h: start a helper server process (Python's ssl, openssl s_server) for interop
// tests, wait until it is ready, and kill it at the end of the test.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace mxsweep::testing {

class ExternalServer {
 public:
  // Start runs |argv| and, when |ready_token| is not empty, waits up to |timeout_ms| for a stdout
  // line starting with it; the rest of that line is kept in ready_line(). When it is empty, the
  // process is given |timeout_ms| to start and must still be running. Returns false (with
  // |*error|) when the process dies or never gets ready.
  bool Start(const std::vector<std::string>& argv, const std::string& ready_token, int timeout_ms,
             std::string* error);
  ~ExternalServer();
  void Stop();
  const std::string& ready_line() const { return ready_line_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string ready_line_;
};

// SourceDir is the project's source directory (for scripts under tests/).
std::string SourceDir();

// MakeTempDir creates a fresh directory under /tmp and returns its path.
std::string MakeTempDir();

// RunCommand runs a shell command and returns its exit status (for openssl req and the like).
int RunCommand(const std::string& command);

}  // namespace mxsweep::testing
