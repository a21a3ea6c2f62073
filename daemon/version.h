// The daemon's version string.
#ifndef JSCORE_DAEMON_VERSION_H_
#define JSCORE_DAEMON_VERSION_H_

namespace jscore::daemon {
inline constexpr char kVersion[] = "0.1.0";
}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_VERSION_H_
