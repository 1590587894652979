/*
 * The floor: what this machine allows for the work persona-registry does,
 * with nothing else in the way. Used by scripts/bench, not shipped.
 *
 *   floor files TREE N TEMPLATES_DIR [FIRST]
 *       A bare loop over N personas (numbered from FIRST, default 1) doing the directory and file operations of
 *       a new persona as the daemon does them (a staging directory made with mkdirat, two seed
 *       files and the identity file created O_EXCL in it, renameat2 RENAME_NOREPLACE to the slug),
 *       then one syncfs for the batch. Prints `seconds=<total>` on stdout.
 *
 *   floor files-watched TREE N TEMPLATES_DIR [FIRST]
 *       The same loop with the tree watched as the daemon watches it: an inotify watch on the root
 *       and one added on each staging directory before its rename, the same event mask, the queue
 *       read every 256 personas and at the end. What watching costs the floor itself (bench/RESULTS.md).
 *
 *   floor respond DATABASE_URL TREE TEMPLATES_DIR [nosync|watched|job]
 *       A bare responder: LISTEN persona_registry, and for every batch of
 *       notifications one fetch of the rows, then the same file operations and
 *       one syncfs (none with `nosync`; with `watched` the tree watched as in `files-watched`,
 *       the queue read every 256 personas and after each batch's syncfs). Sends READY=1 to
 *       $NOTIFY_SOCKET once listening. No YAML library, no checks: the lower bound for the
 *       latency of a notification.
 *       `job` is `watched` with the syncfs once per burst, as the daemon flushes: put off while
 *       more notifications are already there (libpq's queue, or the socket read without
 *       blocking). The floor doing the daemon's whole job in a burst: the notifications and the
 *       rows read from PostgreSQL, the files written, the tree watched (bench/RESULTS.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static char *seed_text[2];
static size_t seed_size[2];
static const char *seed_name[2] = {"skill.md", "experience.md"};
static unsigned long temp_counter;

static void die(const char *what) {
    perror(what);
    exit(1);
}

static char *read_file(const char *dir, const char *name, size_t *size) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *file = fopen(path, "rb");
    if (!file) die(path);
    char *buffer = malloc(1 << 20);
    *size = fread(buffer, 1, 1 << 20, file);
    fclose(file);
    return buffer;
}

static void write_all(int fd, const char *bytes, size_t size) {
    while (size > 0) {
        ssize_t n = write(fd, bytes, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("write");
        }
        bytes += n;
        size -= (size_t)n;
    }
}

/* The watching of `files-watched` (-1: none), with the daemon's mask (RegistrySystem/Inotify.swift). */
static int watch_fd = -1;
static const uint32_t watch_mask = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ATTRIB
    | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK;

static void watch_tree(const char *tree) {
    watch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (watch_fd < 0 || inotify_add_watch(watch_fd, tree, watch_mask) < 0) die("inotify");
}

static void drain_events(void) {
    char buffer[65536] __attribute__((aligned(8)));
    while (read(watch_fd, buffer, sizeof buffer) > 0) {}
    if (errno != EAGAIN) die("read inotify");
}

static void write_new(int dir, const char *name, const char *bytes, size_t size) {
    int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) die("openat");
    write_all(fd, bytes, size);
    close(fd);
}

/* The operations of one new persona, relative to the tree's root descriptor, as
   persona-registry does them: a staging directory, the two seed files and the
   identity file written straight into it, then one rename to the slug that never
   replaces anything. */
static void make_persona(int root, const char *slug, const char *identity, size_t identity_size) {
    char staging[64];
    snprintf(staging, sizeof staging, ".persona-registry-new-%d-%lu", (int)getpid(), ++temp_counter);
    if (mkdirat(root, staging, 0755) != 0) die("mkdirat");
    int dir = openat(root, staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dir < 0) die("openat dir");
    for (int i = 0; i < 2; i++) write_new(dir, seed_name[i], seed_text[i], seed_size[i]);
    write_new(dir, "identity.yaml", identity, identity_size);
    if (watch_fd >= 0) {
        char path[128];
        snprintf(path, sizeof path, "/proc/self/fd/%d/%s", root, staging);
        if (inotify_add_watch(watch_fd, path, watch_mask) < 0) die("inotify_add_watch");
    }
    close(dir);
    if (renameat2(root, staging, root, slug, RENAME_NOREPLACE) != 0) die("renameat2");
}

static size_t format_identity(char *out, size_t capacity, const char *id, const char *slug, const char *name,
                              const char *role, const char *status, const char *description, const char *created) {
    int n = snprintf(out, capacity,
                     "# Managed by persona-registry from the persona table. Edit the database, not this file.\n"
                     "id: %s\nslug: %s\nname: %s\nrole: %s\nstatus: %s\ndescription: %s\ncreated_at: %s\n",
                     id, slug, name, role, status, description ? description : "null", created);
    return (size_t)n < capacity ? (size_t)n : capacity - 1;
}

static int open_root(const char *tree) {
    mkdir(tree, 0755);
    int root = open(tree, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) die(tree);
    return root;
}

static void load_seeds(const char *templates) {
    for (int i = 0; i < 2; i++) seed_text[i] = read_file(templates, seed_name[i], &seed_size[i]);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int files(const char *tree, long count, const char *templates, long first, int watched) {
    load_seeds(templates);
    int root = open_root(tree);
    if (watched) watch_tree(tree);
    char slug[128], id[32], identity[1024];
    double start = now();
    for (long i = first; i < first + count; i++) {
        snprintf(id, sizeof id, "%ld", i);
        snprintf(slug, sizeof slug, "developer-floor-%ld", i);
        size_t size = format_identity(identity, sizeof identity, id, slug, "Floor", "developer", "active",
                                      "Benchmark persona", "2026-11-24T17:22:53Z");
        make_persona(root, slug, identity, size);
        if (watch_fd >= 0 && (i - first) % 256 == 255) drain_events();
    }
    if (watch_fd >= 0) drain_events();
    if (syncfs(root) != 0) die("syncfs");
    printf("seconds=%.6f\n", now() - start);
    return 0;
}

static void notify_ready(void) {
    const char *path = getenv("NOTIFY_SOCKET");
    if (!path || !*path) return;
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    strncpy(address.sun_path, path, sizeof address.sun_path - 1);
    if (address.sun_path[0] == '@') address.sun_path[0] = 0;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    const char message[] = "READY=1";
    socklen_t length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
    if (sendto(fd, message, sizeof message - 1, 0, (struct sockaddr *)&address, length) < 0) die("sendto");
    close(fd);
}

static PGnotify *held_note;

/* Whether libpq holds a notification not yet served (taken aside, handed out first below). */
static int notification_waiting(PGconn *conn) {
    if (!held_note) held_note = PQnotifies(conn);
    return held_note != NULL;
}

static PGnotify *next_note(PGconn *conn) {
    PGnotify *note = held_note ? held_note : PQnotifies(conn);
    held_note = NULL;
    return note;
}

static const char *fetch_sql =
    "SELECT p.id::text, p.slug, p.name, r.name, p.status, p.description, "
    "to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
    "FROM persona p JOIN role r ON r.id = p.role_id WHERE p.id = ANY($1::int[])";

static int respond(const char *url, const char *tree, const char *templates, int sync, int watched, int per_burst) {
    load_seeds(templates);
    int root = open_root(tree);
    if (watched) watch_tree(tree);
    PGconn *conn = PQconnectdb(url);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "floor: %s", PQerrorMessage(conn));
        return 1;
    }
    PGresult *listen = PQexec(conn, "LISTEN persona_registry");
    if (PQresultStatus(listen) != PGRES_COMMAND_OK) {
        fprintf(stderr, "floor: %s", PQerrorMessage(conn));
        return 1;
    }
    PQclear(listen);
    notify_ready();
    /* A burst's ids in one array literal: 10,000 of them take about 60 kB. */
    static char ids[1 << 20];
    char identity[65536];
    long made = 0;
    for (;;) {
        /* Notifications that arrived while the last fetch was answered are already in libpq's
           queue (PQexecParams read them off the socket): served before waiting in poll again. */
        if (!notification_waiting(conn)) {
            struct pollfd pfd = {.fd = PQsocket(conn), .events = POLLIN};
            if (poll(&pfd, 1, -1) < 0) {
                if (errno == EINTR) continue;
                die("poll");
            }
            if (!PQconsumeInput(conn)) {
                fprintf(stderr, "floor: %s", PQerrorMessage(conn));
                return 1;
            }
        }
        size_t used = 0;
        ids[used++] = '{';
        PGnotify *note;
        int pending = 0;
        while ((note = next_note(conn)) != NULL) {
            const char *id = strstr(note->extra, "\"id\"");
            if (id && strstr(note->extra, "\"persona\"") && used < sizeof ids - 32) {
                id = strchr(id + 4, ':');
                long value = id ? strtol(id + 1, NULL, 10) : 0;
                used += (size_t)snprintf(ids + used, sizeof ids - used, "%s%ld", pending ? "," : "", value);
                pending++;
            }
            PQfreemem(note);
        }
        if (!pending) continue;
        ids[used++] = '}';
        ids[used] = 0;
        const char *values[1] = {ids};
        PGresult *rows = PQexecParams(conn, fetch_sql, 1, NULL, values, NULL, NULL, 0);
        if (PQresultStatus(rows) != PGRES_TUPLES_OK) {
            fprintf(stderr, "floor: %s", PQerrorMessage(conn));
            return 1;
        }
        for (int r = 0; r < PQntuples(rows); r++) {
            const char *description = PQgetisnull(rows, r, 5) ? NULL : PQgetvalue(rows, r, 5);
            size_t size = format_identity(identity, sizeof identity, PQgetvalue(rows, r, 0), PQgetvalue(rows, r, 1),
                                          PQgetvalue(rows, r, 2), PQgetvalue(rows, r, 3), PQgetvalue(rows, r, 4),
                                          description, PQgetvalue(rows, r, 6));
            make_persona(root, PQgetvalue(rows, r, 1), identity, size);
            if (watch_fd >= 0 && ++made % 256 == 0) drain_events();
        }
        PQclear(rows);
        if (per_burst) {
            if (!PQconsumeInput(conn)) {
                fprintf(stderr, "floor: %s", PQerrorMessage(conn));
                return 1;
            }
            if (notification_waiting(conn)) continue;
        }
        if (sync && syncfs(root) != 0) die("syncfs");
        if (watch_fd >= 0) drain_events();
    }
}

int main(int argc, char **argv) {
    if ((argc == 5 || argc == 6) && strcmp(argv[1], "files") == 0)
        return files(argv[2], atol(argv[3]), argv[4], argc == 6 ? atol(argv[5]) : 1, 0);
    if ((argc == 5 || argc == 6) && strcmp(argv[1], "files-watched") == 0)
        return files(argv[2], atol(argv[3]), argv[4], argc == 6 ? atol(argv[5]) : 1, 1);
    if ((argc == 5 || argc == 6) && strcmp(argv[1], "respond") == 0) {
        const char *mode = argc == 6 ? argv[5] : "";
        int job = strcmp(mode, "job") == 0, watched = job || strcmp(mode, "watched") == 0;
        if (argc == 5 || watched || strcmp(mode, "nosync") == 0)
            return respond(argv[2], argv[3], argv[4], strcmp(mode, "nosync") != 0, watched, job);
    }
    fprintf(stderr, "usage: floor files|files-watched TREE N TEMPLATES_DIR [FIRST] | floor respond DATABASE_URL TREE TEMPLATES_DIR [nosync|watched|job]\n");
    return 64;
}
