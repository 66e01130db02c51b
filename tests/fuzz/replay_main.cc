// replay_main: runs a fuzz target over files and directories of inputs, without libFuzzer, so the
// seed corpus and every input that once crashed a target are replayed by ctest in every build
// (including the ASan+UBSan one).
#include <dirent.h>
#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

int RunFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    return 1;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  return 0;
}

int RunPath(const std::string& path, size_t* count) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    std::fprintf(stderr, "replay: no such path %s\n", path.c_str());
    return 1;
  }
  if (!S_ISDIR(st.st_mode)) {
    ++*count;
    return RunFile(path);
  }
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return 1;
  int rc = 0;
  while (dirent* e = readdir(dir)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    rc |= RunPath(path + "/" + name, count);
  }
  closedir(dir);
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  int rc = 0;
  size_t count = 0;
  for (int i = 1; i < argc; i++) rc |= RunPath(argv[i], &count);
  std::printf("replayed %zu inputs\n", count);
  return rc;
}
