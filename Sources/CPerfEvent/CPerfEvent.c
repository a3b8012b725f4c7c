// Swift cannot call the variadic syscall(2), and glibc has no perf_event_open wrapper:
// this file is the only place that reaches the system call.
#include "CPerfEvent.h"

#include <errno.h>

#ifdef __linux__
#include <linux/perf_event.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int footprint_perf_open_counter(uint32_t type, uint64_t config, int32_t cpu, int32_t *error_number) {
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.type = type;
    attr.size = sizeof(attr);
    attr.config = config;
    /* CLOEXEC: the counter must not leak into a wrapped child (footprint wrap spawns one). */
    long fd = syscall(SYS_perf_event_open, &attr, -1 /* every process */, (int)cpu, -1 /* no group */,
                      (unsigned long)PERF_FLAG_FD_CLOEXEC);
    if (fd < 0) {
        if (error_number) *error_number = errno;
        return -1;
    }
    if (error_number) *error_number = 0;
    return (int)fd;
}

int32_t footprint_perf_read_counter(int32_t fd, uint64_t *value) {
    uint64_t count = 0;
    ssize_t got = read(fd, &count, sizeof(count));
    if (got < 0) return errno;
    if (got != (ssize_t)sizeof(count)) return EIO;
    if (value) *value = count;
    return 0;
}

void footprint_perf_close_counter(int32_t fd) {
    if (fd >= 0) close(fd);
}

#else

int footprint_perf_open_counter(uint32_t type, uint64_t config, int32_t cpu, int32_t *error_number) {
    (void)type; (void)config; (void)cpu;
    if (error_number) *error_number = ENOSYS;
    return -1;
}

int32_t footprint_perf_read_counter(int32_t fd, uint64_t *value) {
    (void)fd; (void)value;
    return ENOSYS;
}

void footprint_perf_close_counter(int32_t fd) {
    (void)fd;
}

#endif
