#include "tests/integration/external_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>

#ifndef MXSWEEP_SOURCE_DIR
#error "MXSWEEP_SOURCE_DIR must be defined by the build"
#endif

namespace mxsweep::testing {

std::string SourceDir() { return MXSWEEP_SOURCE_DIR; }

std::string MakeTempDir() {
  char tmpl[] = "/tmp/mxsweep-test-XXXXXX";
  const char* dir = mkdtemp(tmpl);
  return dir ? dir : "";
}

int RunCommand(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool ExternalServer::Start(const std::vector<std::string>& argv, const std::string& ready_token,
                           int timeout_ms, std::string* error) {
  int fds[2];
  if (pipe(fds) != 0) {
    *error = "pipe failed";
    return false;
  }
  pid_ = fork();
  if (pid_ < 0) {
    *error = "fork failed";
    return false;
  }
  if (pid_ == 0) {
    setpgid(0, 0);
    dup2(fds[1], STDOUT_FILENO);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  out_fd_ = fds[0];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string buffer;
  while (std::chrono::steady_clock::now() < deadline) {
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      *error = argv[0] + " exited before it was ready: " + buffer.substr(0, 500);
      return false;
    }
    pollfd p{out_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) > 0) {
      char chunk[512];
      ssize_t n = read(out_fd_, chunk, sizeof(chunk));
      if (n > 0) buffer.append(chunk, static_cast<size_t>(n));
    }
    if (!ready_token.empty()) {
      size_t at = buffer.find(ready_token);
      if (at != std::string::npos && buffer.find('\n', at) != std::string::npos) {
        size_t end = buffer.find('\n', at);
        ready_line_ = buffer.substr(at + ready_token.size(), end - at - ready_token.size());
        return true;
      }
    }
  }
  if (ready_token.empty()) return true;
  *error = argv[0] + " did not get ready within " + std::to_string(timeout_ms) + " ms";
  Stop();
  return false;
}

void ExternalServer::Stop() {
  if (pid_ > 0) {
    kill(-pid_, SIGTERM);
    kill(pid_, SIGTERM);
    int status;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  if (out_fd_ >= 0) {
    close(out_fd_);
    out_fd_ = -1;
  }
}

ExternalServer::~ExternalServer() { Stop(); }

}  // namespace mxsweep::testing
