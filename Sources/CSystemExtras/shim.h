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

/* Open file description locks (fcntl F_OFD_*), marks beside the tree's flock: a daemon sets a
   read mark, a reconcile a write mark, for as long as each holds the lock. Unlike flock they can
   be asked about without being taken (F_OFD_GETLK), also through overlayfs, whose flock entries
   in /proc/locks name the underlying file system's device. */
#include <fcntl.h>
#ifndef F_OFD_GETLK
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#endif

/* write: 1 for a write mark (reconcile), 0 for a read mark (daemon). */
static inline int persona_registry_ofd_mark(int fd, int write) {
    struct flock lock = { .l_type = write ? F_WRLCK : F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0, .l_pid = 0 };
    return fcntl(fd, F_OFD_SETLK, &lock);
}

/* The mark another open file description holds on the file: 0 none, 1 a read mark, 2 a write
   mark, -1 on error. */
static inline int persona_registry_ofd_probe(int fd) {
    struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0, .l_pid = 0 };
    if (fcntl(fd, F_OFD_GETLK, &lock) < 0) return -1;
    return lock.l_type == F_UNLCK ? 0 : lock.l_type == F_RDLCK ? 1 : 2;
}

/* The processors this process may run on (its affinity mask, which systemd's CPUAffinity=
   and a container's cpuset narrow), at least 1. sched_getaffinity(2) through syscall(2): the
   glibc wrapper and CPU_COUNT need _GNU_SOURCE. */
#include <unistd.h>
#include <sys/syscall.h>

static inline int persona_registry_processor_count(void) {
    unsigned long mask[128] = {0}; /* 8,192 processors */
    long size = syscall(SYS_sched_getaffinity, 0, sizeof mask, mask);
    if (size <= 0) return 1;
    int count = 0;
    for (long i = 0; i < size / (long)sizeof mask[0]; i++) count += __builtin_popcountl(mask[i]);
    return count > 0 ? count : 1;
}

/* Linux descriptors for the daemon's poll loop that Swift's Glibc module
   does not export. */
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/inotify.h>

#endif
