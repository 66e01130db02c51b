#include "bench/proc_util.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace mxsweep::bench {
namespace {

[[noreturn]] void ExecOrDie(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
  _exit(127);
}

ChildUsage Reap(pid_t pid, std::chrono::steady_clock::time_point started) {
  ChildUsage u;
  rusage ru{};
  wait4(pid, &u.status, 0, &ru);
  u.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  u.user_s = static_cast<double>(ru.ru_utime.tv_sec) + ru.ru_utime.tv_usec / 1e6;
  u.sys_s = static_cast<double>(ru.ru_stime.tv_sec) + ru.ru_stime.tv_usec / 1e6;
  u.maxrss_kib = ru.ru_maxrss;
  return u;
}

}  // namespace

std::string SelfDir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return ".";
  std::string path(buf, static_cast<size_t>(n));
  return path.substr(0, path.rfind('/'));
}

pid_t SpawnFleet(const std::vector<std::string>& args) {
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<std::string> argv = {SelfDir() + "/mxsweep-sim-fleet"};
    argv.insert(argv.end(), args.begin(), args.end());
    ExecOrDie(argv);
  }
  close(fds[1]);
  std::string line;
  char c;
  while (read(fds[0], &c, 1) == 1 && c != '\n') line.push_back(c);
  close(fds[0]);
  if (line.rfind("READY", 0) != 0) {
    std::fprintf(stderr, "fleet did not start (said '%s')\n", line.c_str());
    std::exit(1);
  }
  return pid;
}

ChildUsage StopChild(pid_t pid) {
  kill(pid, SIGTERM);
  return Reap(pid, std::chrono::steady_clock::now());
}

ChildUsage RunChild(const std::vector<std::string>& argv, const std::string& stdout_path,
                    const std::string& stderr_path) {
  auto started = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    if (!stdout_path.empty()) {
      int fd = open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, STDOUT_FILENO);
    }
    if (!stderr_path.empty()) {
      int fd = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, STDERR_FILENO);
    }
    int null = open("/dev/null", O_RDONLY);
    dup2(null, STDIN_FILENO);
    ExecOrDie(argv);
  }
  return Reap(pid, started);
}

long RssKib(bool peak) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const char* key = peak ? "VmHWM:" : "VmRSS:";
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key));
  }
  return -1;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace mxsweep::bench
