#ifndef FOOTPRINT_CPROCESSSPAWN_H
#define FOOTPRINT_CPROCESSSPAWN_H

#include <spawn.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Adds to `actions` the closing, in the child, of every descriptor numbered `lowest` or above
/// (glibc's posix_spawn_file_actions_addclosefrom_np, glibc 2.34 and later).
///
/// Returns 0, an errno value from glibc, or ENOSYS where the C library has no such action
/// (the caller then marks its descriptors close-on-exec itself).
int footprint_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

#ifdef __cplusplus
}
#endif

#endif
