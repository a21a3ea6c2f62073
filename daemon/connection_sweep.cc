#include "daemon/connection_sweep.h"

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cstdlib>
#include <vector>

namespace jscore::daemon {
namespace {

// The local TCP port of `fd`, or -1 if it is not an IPv4/IPv6 stream socket.
int LocalPort(int fd) {
  int type = 0;
  socklen_t length = sizeof type;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0 || type != SOCK_STREAM) return -1;
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) return -1;
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
  }
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  }
  return -1;
}

bool IsListening(int fd) {
  int listening = 0;
  socklen_t length = sizeof listening;
  return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) == 0 && listening != 0;
}

}  // namespace

int ShutDownSocketsOnPort(int port) {
  std::vector<int> listeners;
  std::vector<int> connections;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == dirfd(dir)) continue;
    struct stat info {};
    if (fstat(static_cast<int>(fd), &info) != 0 || !S_ISSOCK(info.st_mode)) continue;
    if (LocalPort(static_cast<int>(fd)) != port) continue;
    (IsListening(static_cast<int>(fd)) ? listeners : connections).push_back(static_cast<int>(fd));
  }
  closedir(dir);
  for (int fd : listeners) shutdown(fd, SHUT_RDWR);
  for (int fd : connections) shutdown(fd, SHUT_RDWR);
  return static_cast<int>(listeners.size() + connections.size());
}

}  // namespace jscore::daemon
