#include "daemon/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "daemon/version.h"
#include "engine/platform.h"

namespace jscore::daemon {
namespace {

void Gauge(std::string& out, const char* name, const char* type, const char* help,
           const std::string& value) {
  absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ", type, "\n", name, " ",
                  value, "\n");
}

std::string ReadFile(const char* path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Fields of /proc/self/stat after the command name (which may hold spaces): index 0 is
// field 3 ("state") of proc(5).
std::vector<std::string> StatFields() {
  std::string stat = ReadFile("/proc/self/stat");
  size_t paren = stat.rfind(')');
  if (paren == std::string::npos || paren + 2 > stat.size()) return {};
  return absl::StrSplit(stat.substr(paren + 2), ' ', absl::SkipEmpty());
}

// Seconds since the epoch at which the system booted (/proc/stat "btime").
int64_t BootTime() {
  std::istringstream stat(ReadFile("/proc/stat"));
  std::string line;
  while (std::getline(stat, line)) {
    int64_t t = 0;
    if (line.rfind("btime ", 0) == 0 && absl::SimpleAtoi(line.substr(6), &t)) return t;
  }
  return 0;
}

int64_t OpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  int64_t n = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++n;
  }
  closedir(dir);
  return n - 1;  // the directory stream's own descriptor
}

}  // namespace

void AppendProcessMetrics(std::string& out) {
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const int64_t page = sysconf(_SC_PAGESIZE);
  std::vector<std::string> f = StatFields();
  // proc(5): utime 14, stime 15, num_threads 20, starttime 22, vsize 23, rss 24.
  uint64_t utime = 0, stime = 0, threads = 0, start = 0, vsize = 0, rss = 0;
  if (f.size() > 21 && absl::SimpleAtoi(f[11], &utime) && absl::SimpleAtoi(f[12], &stime) &&
      absl::SimpleAtoi(f[17], &threads) && absl::SimpleAtoi(f[19], &start) &&
      absl::SimpleAtoi(f[20], &vsize) && absl::SimpleAtoi(f[21], &rss)) {
    Gauge(out, "process_cpu_seconds_total", "counter", "User and system CPU time spent in seconds.",
          absl::StrFormat("%.2f", (utime + stime) / ticks));
    Gauge(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
          absl::StrCat(rss * page));
    Gauge(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
          absl::StrCat(vsize));
    Gauge(out, "process_start_time_seconds", "gauge",
          "Start time of the process since unix epoch in seconds.",
          absl::StrFormat("%.2f", BootTime() + start / ticks));
    Gauge(out, "process_threads", "gauge", "Number of OS threads in the process.",
          absl::StrCat(threads));
  }
  if (int64_t fds = OpenFds(); fds >= 0) {
    Gauge(out, "process_open_fds", "gauge", "Number of open file descriptors.", absl::StrCat(fds));
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    Gauge(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.",
          absl::StrCat(limit.rlim_cur));
  }
  absl::StrAppend(&out,
                  "# HELP jscore_build_info The jscored build: its version and V8's.\n"
                  "# TYPE jscore_build_info gauge\n"
                  "jscore_build_info{version=\"",
                  kVersion, "\",v8=\"", engine::V8Version(), "\"} 1\n");
}

}  // namespace jscore::daemon
