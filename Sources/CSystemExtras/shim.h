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

/* Open file description locks (fcntl F_OFD_*), a mark beside the tree's flock: reconcile
   sets one while it holds the lock, so that a daemon that finds the lock held can tell a
   reconcile (waited for) from another daemon (an error). */
#include <fcntl.h>
#ifndef F_OFD_GETLK
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#endif

static inline int persona_registry_ofd_mark(int fd) {
    struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0, .l_pid = 0 };
    return fcntl(fd, F_OFD_SETLK, &lock);
}

/* 1 when another open file description holds a mark on the file, 0 when none, -1 on error. */
static inline int persona_registry_ofd_marked(int fd) {
    struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0, .l_pid = 0 };
    if (fcntl(fd, F_OFD_GETLK, &lock) < 0) return -1;
    return lock.l_type != F_UNLCK;
}

/* Linux descriptors for the daemon's poll loop that Swift's Glibc module
   does not export. */
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/inotify.h>

#endif
