#ifndef FOOTPRINT_CPEERCREDENTIALS_H
#define FOOTPRINT_CPEERCREDENTIALS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The credentials of the process at the other end of the connected Unix socket `fd`, as the
/// kernel recorded them when it connected (SO_PEERCRED): they cannot be forged by the client.
///
/// Returns 0 and fills `uid`, `gid` and `pid`, or an errno value (ENOSYS off Linux).
int32_t footprint_peer_credentials(int32_t fd, uint32_t *uid, uint32_t *gid, int32_t *pid);

/// Accepts one connection on the listening socket `fd`, non-blocking and close-on-exec from the
/// start (accept4, another GNU declaration). Returns the descriptor, or -1 with errno set.
int32_t footprint_accept_client(int32_t fd);

/// A non-blocking, close-on-exec pipe (pipe2): `ends[0]` reads, `ends[1]` writes.
/// Returns 0, or -1 with errno set.
int32_t footprint_wake_pipe(int32_t ends[2]);

#ifdef __cplusplus
}
#endif

#endif
