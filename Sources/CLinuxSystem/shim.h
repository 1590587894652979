// Linux system call headers that Swift's Glibc module does not export:
// signalfd, timerfd and inotify, used by the daemon's poll loop.
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/inotify.h>
