#ifndef PERSONA_REGISTRY_CSYSTEMEXTRAS_SHIM_H
#define PERSONA_REGISTRY_CSYSTEMEXTRAS_SHIM_H

/* glibc declares these only under _GNU_SOURCE, which Swift's Glibc module
   does not define; thin wrappers keep the calls visible to Swift. */

extern int syncfs(int fd);

static inline int persona_registry_syncfs(int fd) {
    return syncfs(fd);
}

#endif
