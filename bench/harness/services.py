"""Running the daemons under test as subprocesses, with a systemd-style notify
socket, and reading what they cost from /proc."""
import os
import resource
import signal
import socket
import subprocess
import threading
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class NotifySocket:
    """A bound datagram unix socket standing in for systemd's $NOTIFY_SOCKET.

    A thread reads it all the time, as systemd does: the kernel queues only
    net.unix.max_dgram_qlen (10) datagrams, after which a daemon's blocking
    sendto() would wait for the reader."""

    def __init__(self, path):
        if os.path.exists(path):
            os.unlink(path)
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.messages = []          # (monotonic time, line)
        self.condition = threading.Condition()
        self.closed = False
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            now = time.monotonic()
            with self.condition:
                if self.closed:
                    return
                self.messages.extend((now, line) for line in data.decode(errors="replace").splitlines())
                self.condition.notify_all()

    def wait(self, line, deadline, process=None):
        """Monotonic time a datagram holding `line` arrived (e.g. READY=1)."""
        with self.condition:
            while True:
                for when, text in self.messages:
                    if text == line:
                        return when
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no {line} before the deadline")
                if process is not None and process.poll() is not None:
                    raise RuntimeError(f"exited with status {process.returncode} before {line}")
                self.condition.wait(min(remaining, 0.5))

    def close(self):
        with self.condition:
            self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


class Service:
    """One daemon under test: ours (`persona-registry serve`), the Python peer or the C floor responder."""

    def __init__(self, name, argv, work, extra_env=None):
        self.name = name
        self.argv = argv
        self.log_path = os.path.join(work, "logs", f"{name}.log")
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        self.notify = NotifySocket(os.path.join(work, f"notify-{name}-{os.getpid()}.sock"))
        self.env = dict(os.environ, NOTIFY_SOCKET=self.notify.path, **(extra_env or {}))
        self.env.pop("WATCHDOG_USEC", None)
        self.process = None
        self.started = None

    def start(self):
        self.log = open(self.log_path, "ab")
        self.started = time.monotonic()
        self.process = subprocess.Popen(self.argv, env=self.env, stdin=subprocess.DEVNULL,
                                        stdout=self.log, stderr=self.log)
        return self

    def wait_ready(self, timeout):
        try:
            return self.notify.wait("READY=1", time.monotonic() + timeout, self.process)
        except (TimeoutError, RuntimeError) as error:
            raise RuntimeError(f"{self.name}: {error}; log {self.log_path}:\n{self.log_tail()}") from None

    def log_tail(self, lines=15):
        self.log.flush()
        with open(self.log_path, "rb") as file:
            return b"".join(file.readlines()[-lines:]).decode(errors="replace")

    def cpu_seconds(self):
        return process_cpu_seconds(self.process.pid)

    def status(self, field):
        return process_status_kb(self.process.pid, field)

    def stop(self, timeout=60):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        self.notify.close()


def process_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as file:
        fields = file.read().rsplit(")", 1)[1].split()
    # fields[0] is state (field 3); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def process_status_kb(pid, field):
    with open(f"/proc/{pid}/status") as file:
        for line in file:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return None


def memory_breakdown_kb(pid):
    """Resident memory by kind, from /proc/PID/smaps_rollup and smaps: proportional
    (Pss: shared pages divided among the processes mapping them), private (pages only
    this process maps), and RSS split into the program's own file, shared libraries,
    and anonymous memory (heap, stacks)."""
    result = {}
    with open(f"/proc/{pid}/smaps_rollup") as file:
        for line in file:
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss", "Private_Clean", "Private_Dirty"):
                result[key] = int(rest.split()[0])
    result["private"] = result.pop("Private_Clean", 0) + result.pop("Private_Dirty", 0)
    program = os.path.realpath(f"/proc/{pid}/exe")
    parts = {"program": 0, "libraries": 0, "anonymous": 0}
    name = ""
    with open(f"/proc/{pid}/smaps") as file:
        for line in file:
            fields = line.split()
            if "-" in fields[0] and len(fields) >= 5 and not fields[0].endswith(":"):
                name = fields[5] if len(fields) > 5 else ""
            elif fields[0] == "Rss:":
                kind = ("program" if name == program else "libraries" if name.startswith("/")
                        else "anonymous")
                parts[kind] += int(fields[1])
    result.update(parts)
    return result


def run_measured(argv, stdout_path, env=None):
    """Runs a command to completion; returns (exit code, wall seconds, peak RSS in KiB, CPU seconds).

    The peak RSS comes from /usr/bin/time when installed: a child forked from this Python process
    would otherwise report the harness's own size (ru_maxrss counts the image it replaced at exec)."""
    timer = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
    report = stdout_path + ".time"
    command = [timer, "-f", "%M %U %S", "-o", report, *argv] if timer else argv
    with open(stdout_path, "wb") as out:
        start = time.monotonic()
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if timer:
        with open(report) as file:
            fields = file.read().split()[-3:]
        return process.returncode, wall, int(fields[0]), float(fields[1]) + float(fields[2])
    return process.returncode, wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def children_rusage():
    return resource.getrusage(resource.RUSAGE_CHILDREN)
