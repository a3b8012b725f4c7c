// glibc declares struct ucred (SO_PEERCRED's answer), accept4 and pipe2 only under _GNU_SOURCE,
// which Swift's Glibc module does not define: this file is the only place that reaches them.
#define _GNU_SOURCE
#include "CPeerCredentials.h"

#include <errno.h>

#ifdef __linux__
#include <fcntl.h>
#include <stddef.h>
#include <sys/socket.h>
#include <unistd.h>

int32_t footprint_peer_credentials(int32_t fd, uint32_t *uid, uint32_t *gid, int32_t *pid) {
    struct ucred credentials;
    socklen_t length = sizeof(credentials);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return errno;
    if (length != sizeof(credentials)) return EINVAL;
    if (uid) *uid = credentials.uid;
    if (gid) *gid = credentials.gid;
    if (pid) *pid = credentials.pid;
    return 0;
}

int32_t footprint_accept_client(int32_t fd) {
    return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

int32_t footprint_wake_pipe(int32_t ends[2]) {
    int descriptors[2];
    if (pipe2(descriptors, O_NONBLOCK | O_CLOEXEC) != 0) return -1;
    ends[0] = descriptors[0];
    ends[1] = descriptors[1];
    return 0;
}

#else

int32_t footprint_peer_credentials(int32_t fd, uint32_t *uid, uint32_t *gid, int32_t *pid) {
    (void)fd; (void)uid; (void)gid; (void)pid;
    return ENOSYS;
}

int32_t footprint_accept_client(int32_t fd) {
    (void)fd;
    errno = ENOSYS;
    return -1;
}

int32_t footprint_wake_pipe(int32_t ends[2]) {
    (void)ends;
    errno = ENOSYS;
    return -1;
}

#endif
