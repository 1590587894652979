#ifndef PERSONA_REGISTRY_CSYSTEMEXTRAS_SHIM_H
#define PERSONA_REGISTRY_CSYSTEMEXTRAS_SHIM_H

/* glibc declares these only under _GNU_SOURCE, which Swift's Glibc module
   does not define; thin wrappers keep the calls visible to Swift. */

extern int syncfs(int fd);

static inline int persona_registry_syncfs(int fd) {
    return syncfs(fd);
}

/* renameat2(2) with RENAME_NOREPLACE: a rename that fails with EEXIST
   rather than replace what is there. */
#include <stdio.h>
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

extern int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

static inline int persona_registry_renameat_noreplace(int olddirfd, const char *oldpath, int newdirfd, const char *newpath) {
    return renameat2(olddirfd, oldpath, newdirfd, newpath, RENAME_NOREPLACE);
}

/* glibc: hand freed heap pages back to the system after a peak. */
#include <malloc.h>

static inline int persona_registry_malloc_trim(void) {
    return malloc_trim(0);
}

/* Linux descriptors for the daemon's poll loop that Swift's Glibc module
   does not export. */
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/inotify.h>

#endif
