// glibc declares posix_spawn_file_actions_addclosefrom_np only under _GNU_SOURCE, which Swift's
// Glibc module does not define: this file is the only place that reaches it.
#define _GNU_SOURCE
#include "CProcessSpawn.h"

#include <errno.h>

int footprint_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
#if defined(__GLIBC__) && defined(__GLIBC_PREREQ)
#if __GLIBC_PREREQ(2, 34)
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
#else
    (void)actions;
    (void)lowest;
    return ENOSYS;
#endif
#else
    (void)actions;
    (void)lowest;
    return ENOSYS;
#endif
}
