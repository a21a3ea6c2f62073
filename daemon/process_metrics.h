// The standard Prometheus process_* metrics of this process (read from /proc) and
// jscore_build_info, appended to the metrics endpoint's text.
#ifndef JSCORE_DAEMON_PROCESS_METRICS_H_
#define JSCORE_DAEMON_PROCESS_METRICS_H_

#include <string>

namespace jscore::daemon {

// Any thread. Appends process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_start_time_seconds, process_open_fds,
// process_max_fds, process_threads and jscore_build_info{version, v8} in Prometheus text
// format 0.0.4. A /proc file that cannot be read leaves its metrics out.
void AppendProcessMetrics(std::string& out);

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_PROCESS_METRICS_H_
