#ifndef FOOTPRINT_CPERFEVENT_H
#define FOOTPRINT_CPERFEVENT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Opens a system-wide counting event (pid -1) on one CPU for the PMU `type` and event `config`,
/// the way `perf stat -a -e power/energy-pkg/` does.
///
/// Returns the file descriptor, or -1 with the reason in `*error_number` (an errno value;
/// ENOSYS where the system has no perf_event_open, that is, anything but Linux).
int footprint_perf_open_counter(uint32_t type, uint64_t config, int32_t cpu, int32_t *error_number);

/// Reads the 64-bit count of a counter opened by `footprint_perf_open_counter`.
///
/// Returns 0 and stores the count in `*value`, or an errno value.
int32_t footprint_perf_read_counter(int32_t fd, uint64_t *value);

/// Closes a counter opened by `footprint_perf_open_counter`.
void footprint_perf_close_counter(int32_t fd);

#ifdef __cplusplus
}
#endif

#endif
