"""Watching a tree for finished identity files with real inotify (ctypes on libc).

The tree root is watched for new directories. A directory renamed into the root
(IN_MOVED_TO: built under a hidden name, as persona-registry and the floor do) is
complete when it arrives: its identity file is recorded at that event. A directory
created in place (IN_CREATE: the peer) is watched for IN_MOVED_TO (identity files
are written to a temp file and renamed, so the rename is the moment the file is
complete); it can be finished before its watch is added: right after adding the
watch the directory is checked, and a file already there is recorded at that
moment (an upper bound, counted as `raced`). Hidden names (staging directories)
are ignored. A queue overflow is answered by rescanning the roots.
"""
import ctypes
import os
import select
import struct
import time

IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ONLYDIR = 0x01000000
IN_ISDIR = 0x40000000
IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000

IDENTITY = "identity.yaml"
_libc = ctypes.CDLL("libc.so.6", use_errno=True)
_EVENT = struct.Struct("iIII")


class Watcher:
    def __init__(self):
        self.fd = _libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        self.roots = {}        # wd -> root path
        self.dirs = {}         # wd -> directory path
        self.watched = set()   # directory paths
        self.seen = {}         # identity path -> monotonic time it was seen complete
        self.raced = 0
        self.overflows = 0
        self.poller = select.poll()
        self.poller.register(self.fd, select.POLLIN)

    def close(self):
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _add(self, path, mask):
        wd = _libc.inotify_add_watch(self.fd, os.fsencode(path), mask)
        if wd < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch", path)
        return wd

    def watch_root(self, root):
        self.roots[self._add(root, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR)] = root

    def _new_dir(self, path, fresh):
        if path in self.watched:
            return
        try:
            wd = self._add(path, IN_MOVED_TO | IN_ONLYDIR)
        except FileNotFoundError:
            return
        self.dirs[wd] = path
        self.watched.add(path)
        identity = os.path.join(path, IDENTITY)
        if identity not in self.seen and os.path.exists(identity):
            self.seen[identity] = time.monotonic()
            self.raced += 1
            fresh.append(identity)

    def _arrived_whole(self, path, now, fresh):
        identity = os.path.join(path, IDENTITY)
        if identity in self.seen:
            return
        if os.path.exists(identity):
            self.seen[identity] = now
            fresh.append(identity)
        else:
            self._new_dir(path, fresh)

    def rescan(self):
        fresh = []
        for root in list(self.roots.values()):
            with os.scandir(root) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                        self._new_dir(entry.path, fresh)
        return fresh

    def pump(self, timeout):
        """Waits up to `timeout` seconds for events; returns identity paths newly seen."""
        fresh = []
        if not self.poller.poll(max(0, int(timeout * 1000))):
            return fresh
        while True:
            try:
                buffer = os.read(self.fd, 1 << 20)
            except BlockingIOError:
                break
            now = time.monotonic()
            offset = 0
            overflow = False
            while offset < len(buffer):
                wd, mask, _cookie, length = _EVENT.unpack_from(buffer, offset)
                name = buffer[offset + 16: offset + 16 + length].split(b"\0", 1)[0].decode()
                offset += 16 + length
                if mask & IN_Q_OVERFLOW:
                    overflow = True
                elif wd in self.roots:
                    if not mask & IN_ISDIR or name.startswith("."):
                        pass
                    elif mask & IN_MOVED_TO:
                        self._arrived_whole(os.path.join(self.roots[wd], name), now, fresh)
                    elif mask & IN_CREATE:
                        self._new_dir(os.path.join(self.roots[wd], name), fresh)
                elif wd in self.dirs and mask & IN_MOVED_TO and name == IDENTITY:
                    identity = os.path.join(self.dirs[wd], name)
                    if identity not in self.seen:
                        self.seen[identity] = now
                        fresh.append(identity)
            if overflow:
                self.overflows += 1
                fresh.extend(self.rescan())
        return fresh

    def wait_for(self, identity, deadline):
        """Monotonic time `identity` was seen complete, or None at the deadline."""
        while identity not in self.seen:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.pump(remaining)
        return self.seen[identity]

    def wait_all(self, identities, deadline):
        """Monotonic time the last of `identities` was seen, or None at the deadline."""
        pending = set(identities) - self.seen.keys()
        quiet_since = time.monotonic()
        while pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            fresh = self.pump(min(remaining, 1.0))
            if fresh:
                pending.difference_update(fresh)
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since > 1.0:
                # A second of quiet with files outstanding: rescan (a missed IN_CREATE).
                pending.difference_update(self.rescan())
                quiet_since = time.monotonic()
        return max(self.seen[i] for i in identities)
