"""Helpers for doorlockd's end-to-end tests.

The tests run as root in the test VM (tests/vm/run --locks N), where the
repository is at its host path, /tmp and /run are fresh tmpfs and only
127.0.0.1 exists. Lock N of the test board is: gpio-sim chip
"doorlock-sim-N", platform device "gpio-doorlock.N", label "lock-N", and
usually (not necessarily: see find_lock) /sys/class/doorlock/doorlockN.
"""
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time

from openapi_check import api_doc

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))

# tests/board/doorlock_board.h: the lines of each lock's gpio-sim chip.
LINE_LOCK, LINE_UNLOCK = 0, 1           # motor outputs
LINE_LOCKED, LINE_UNLOCKED = 2, 3       # end-stops
LINE_FAULT = 4                          # motor-driver fault flag
LINE_DOOR = 5                           # door contact, for the agent

CONFIGFS_SIM = "/sys/kernel/config/gpio-sim"
SIM_LABEL_PREFIX = "doorlock-sim-"
DOORLOCK_CLASS = "/sys/class/doorlock"
DRIVER_DIR = "/sys/bus/platform/drivers/gpio-doorlock"
PLANT_SOCK_FMT = "/run/doorlock-plant-%u.sock"


# -- TAP ---------------------------------------------------------------------

class Tap:
    """TAP output, plan at the end unless plan() was called first."""

    def __init__(self):
        self.n = 0
        self.failed = 0
        self.planned = None

    def plan(self, n):
        self.planned = n
        print("1..%d" % n, flush=True)

    def diag(self, text):
        for line in str(text).splitlines() or [""]:
            print("# " + line, flush=True)

    def ok(self, cond, name, diag=None):
        """One test point; @diag is printed only when it fails."""
        self.n += 1
        if not cond:
            self.failed += 1
        print("%sok %d - %s" % ("" if cond else "not ", self.n, name),
              flush=True)
        if not cond and diag is not None:
            self.diag(diag)
        return bool(cond)

    def skip(self, name, why):
        """A test point that could not run here: reported as such."""
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, name, why), flush=True)

    def api_doc_held(self, coverage=True):
        """The TAP points of openapi_check: every answer (and event) checked
        matched the document; with @coverage, every operation was seen."""
        doc = api_doc()
        self.ok(doc.checked and not doc.problems,
                "%d answers and events matched agent/openapi.yaml"
                % doc.checked, "\n".join(doc.problems[:20]))
        if coverage:
            self.ok(not doc.uncalled(),
                    "every operation of agent/openapi.yaml was called",
                    sorted(doc.uncalled()))

    def done(self):
        """Ends the output; returns the exit code (0 only if all passed)."""
        if self.planned is None:
            print("1..%d" % self.n, flush=True)
        elif self.planned != self.n:
            self.diag("planned %d tests but ran %d" % (self.planned, self.n))
            return 1
        return 1 if self.failed else 0


# -- HTTP through curl -------------------------------------------------------

def curl(method, url, token=None, body=None, headers=(), raw_body=None,
         timeout=30, source=None):
    """One request through the curl binary. Returns (status, parsed JSON or
    None, raw text); status 0 means no HTTP answer (raw is curl's error).
    @body is JSON-encoded; @raw_body (str or bytes) is sent as it is.
    @source: the local address to send from ("127.0.0.5")."""
    cmd = ["curl", "-s", "-S", "--noproxy", "*", "-o", "-",
           "-w", "\n%{http_code}",
           "-X", method, "--max-time", str(timeout),
           # No "Expect: 100-continue" pause on larger bodies.
           "-H", "Expect:"]
    if source:
        cmd += ["--interface", source]
    if token is not None:
        cmd += ["-H", "Authorization: Bearer " + token]
    if body is not None:
        raw_body = json.dumps(body)
    if raw_body is not None:
        if isinstance(raw_body, str):
            raw_body = raw_body.encode()
        cmd += ["--data-binary", "@-"]
        if not any(h.lower().startswith("content-type:") for h in headers):
            cmd += ["-H", "Content-Type: application/json"]
    for h in headers:
        cmd += ["-H", h]
    cmd.append(url)
    r = subprocess.run(cmd, input=raw_body or b"", capture_output=True)
    out = r.stdout.decode("utf-8", errors="replace")
    text, _, code = out.rpartition("\n")
    status = int(code) if code.isdigit() else 0
    if status == 0:
        return 0, None, r.stderr.decode(errors="replace").strip()
    try:
        parsed = json.loads(text) if text.strip() else None
    except ValueError:
        parsed = None
    return status, parsed, text


def fields(body, expect):
    """The keys of @expect whose value in @body differs."""
    return {k: (body or {}).get(k) for k, v in expect.items()
            if (body or {}).get(k) != v}


def completed(action_id):
    """Matches the lock.action_completed event of @action_id."""
    return lambda b: (b.get("event_type") == "lock.action_completed" and
                      b.get("action_id") == action_id)


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(fn, timeout=10, interval=0.05):
    """Polls fn() until it returns something true; returns that or None."""
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if value or time.monotonic() >= deadline:
            return value or None
        time.sleep(interval)


def _read_line(pipe, timeout):
    """One line from a child's stdout, or None if none came in time."""
    ready, _, _ = select.select([pipe], [], [], timeout)
    return pipe.readline().decode(errors="replace") if ready else None


# -- the webhook receiver ----------------------------------------------------

class Receiver:
    """hook_receiver.py as a child process, with its control endpoint."""

    def __init__(self, secret, workdir=None):
        self.secret = secret
        self.workdir = workdir or tempfile.mkdtemp(prefix="hooks-")
        os.makedirs(self.workdir, exist_ok=True)
        self.record = os.path.join(self.workdir, "deliveries.jsonl")
        # Chosen once: start() after stop() comes back on the same ports.
        self.port = free_port()
        self.control_port = free_port()
        self.proc = None

    def url(self, path="/hook"):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def start(self, timeout=90):
        cmd = [sys.executable, os.path.join(HERE, "hook_receiver.py"),
               "--port", str(self.port), "--secret", self.secret,
               "--record", self.record,
               "--control-port", str(self.control_port)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
        line = _read_line(self.proc.stdout, timeout)
        if not line or not line.startswith("listening"):
            self.stop()
            raise RuntimeError("hook_receiver did not start: %r" % line)
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        if self.proc:
            self.proc.stdout.close()
        self.proc = None

    def records(self):
        """Every delivery recorded so far, oldest first. A line without
        its newline is still being written by the receiver: not yet."""
        try:
            with open(self.record, encoding="utf-8") as f:
                return [json.loads(line) for line in f
                        if line.endswith("\n") and line.strip()]
        except FileNotFoundError:
            return []

    def wait_for(self, pred, timeout=10):
        """The first record whose parsed body satisfies @pred, or None."""
        def match(body):
            try:
                return body is not None and pred(body)
            except (KeyError, TypeError, IndexError):
                return False
        return wait_until(
            lambda: next((r for r in self.records() if match(r["body"])),
                         None), timeout)

    def set_mode(self, status, retry_after=None, times=None, delay=None):
        """How following valid deliveries are answered (204: normal)."""
        mode = {"status": status}
        for key, value in (("retry_after", retry_after), ("times", times),
                           ("delay", delay)):
            if value is not None:
                mode[key] = value
        code, _, text = curl("POST", self._control("/mode"), body=mode)
        if code != 200:
            raise RuntimeError("set_mode: %s %s" % (code, text))

    def count(self):
        code, reply, text = curl("GET", self._control("/count"))
        if code != 200:
            raise RuntimeError("count: %s %s" % (code, text))
        return reply["count"]

    def _control(self, path):
        return "http://127.0.0.1:%d%s" % (self.control_port, path)


# -- the daemon --------------------------------------------------------------

def offline_config(work, port, token, lock_id):
    """A configuration for a daemon on the host: one token, one lock
    whose device does not exist (offline), its state under @work."""
    return {
        "listen": {"address": "127.0.0.1", "port": port},
        "state_dir": os.path.join(work, "state"),
        "tokens": [{"name": "seam", "token": token,
                    "performed_via": "remote_api"}],
        "locks": [{"lock_id": lock_id, "device": "no-such-lock"}],
    }


def doorlockd_bin():
    return os.environ.get("DOORLOCKD") or os.path.join(TOP, "build", "agent",
                                                       "doorlockd")


class Daemon:
    """doorlockd on a config written from a dict, its output in a log."""

    def __init__(self, config, token=None, workdir=None, args=(),
                 wrapper=()):
        """@wrapper: a command doorlockd is started through, which must
        exec it (so that signals reach it)."""
        self.config = config
        self.args = list(args)
        self.wrapper = list(wrapper)
        self.token = token or config["tokens"][0]["token"]
        self.workdir = workdir or tempfile.mkdtemp(prefix="doorlockd-")
        os.makedirs(self.workdir, exist_ok=True)
        self.config_path = os.path.join(self.workdir, "config.json")
        self.log_path = os.path.join(self.workdir, "doorlockd.log")
        listen = config.get("listen", {})
        self.base = "http://%s:%d" % (listen.get("address", "127.0.0.1"),
                                      listen.get("port", 8080))
        self.proc = None

    def url(self, path):
        return self.base + path

    def request(self, method, path, body=None, token=None, **kw):
        """curl() against the daemon, with its token unless another given.
        Every answer is held to agent/openapi.yaml (openapi_check)."""
        status, parsed, text = curl(method, self.url(path),
                                    token=token or self.token, body=body, **kw)
        if status:
            api_doc().check(method, path, status, text)
        return status, parsed, text

    def start(self, timeout=60):
        with open(self.config_path, "w") as f:
            json.dump(self.config, f, indent=2)
        # Appended across restarts: a failing test shows the whole story.
        with open(self.log_path, "ab") as log:
            log.write(b"--- doorlockd start ---\n")
            log.flush()
            self.proc = subprocess.Popen(
                self.wrapper + [doorlockd_bin(), "--config",
                                self.config_path] + self.args,
                stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        if not wait_until(self._ready, timeout, interval=0.1):
            code = self.proc.poll()
            if code is None:
                self.stop()
            raise RuntimeError("doorlockd not ready (exit %s); log:\n%s"
                               % (code, self.log()))
        return self

    def _ready(self):
        if self.proc.poll() is not None:
            return True     # it died: stop waiting, start() reports it
        return self.request("GET", "/locks", timeout=5)[0] == 200

    def kill(self, sig=signal.SIGKILL):
        """Sends @sig; for a fatal one, waits and returns the exit code."""
        self.proc.send_signal(sig)
        if sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT):
            return self.proc.wait(20)
        return None

    def stop(self, timeout=20):
        """SIGTERM, wait (SIGKILL after @timeout); returns the exit code,
        negative for a signal as in subprocess."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def restart(self, timeout=60):
        """Stops it if running, then starts it on the same config and
        state_dir."""
        self.stop()
        return self.start(timeout)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8",
                      errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""


# -- the simulated lock ------------------------------------------------------

class PlantError(Exception):
    pass


def plant(lock, cmd, timeout=5):
    """Sends one command to doorlock-plant of lock @lock (jam, stall,
    obstruct, sensor-fault, manual-lock, manual-unlock, bounce, slow,
    normal, status); returns its answer, raises PlantError unless "ok..."."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(PLANT_SOCK_FMT % lock)
        # The plant reads a single line per connection and answers one.
        s.sendall(cmd.encode() + b"\n")
        reply = b""
        while b"\n" not in reply:
            data = s.recv(256)
            if not data:
                break
            reply += data
    reply = reply.decode(errors="replace").split("\n")[0]
    if not reply.startswith("ok"):
        raise PlantError("plant %d %s: %s" % (lock, cmd, reply or "no answer"))
    return reply


def plant_status(lock):
    """The plant's status as a dict: pos (percent), mode, motor, locked,
    unlocked, fault, manual, violations."""
    fields = plant(lock, "status").split()[1:]
    return dict(f.split("=", 1) for f in fields)


def turn_by_hand(lock, to):
    """Turns lock @lock's bolt by hand to @to ("locked", "unlocked") and
    waits until it rests there."""
    plant(lock, "manual-lock" if to == "locked" else "manual-unlock")
    wait_until(lambda: plant_status(lock)[to] == "1" and
               plant_status(lock)["manual"] == "0", timeout=10)


# -- sysfs and gpio-sim ------------------------------------------------------

def read_file(path):
    with open(path) as f:
        return f.read().rstrip("\n")


def write_file(path, value):
    with open(path, "w") as f:
        f.write(value)


def sim_line_path(lock, line, attr):
    """/sys/devices/platform/<dev_name>/<chip_name>/sim_gpio<line>/<attr>,
    with dev_name and chip_name from the chip's configfs directory."""
    cfg = os.path.join(CONFIGFS_SIM, SIM_LABEL_PREFIX + str(lock))
    dev = read_file(os.path.join(cfg, "dev_name"))
    chip = read_file(os.path.join(cfg, "bank0", "chip_name"))
    return "/sys/devices/platform/%s/%s/sim_gpio%d/%s" % (dev, chip, line,
                                                           attr)


def sim_pull(lock, line, high):
    """Drives input @line of lock @lock's gpio-sim chip high or low."""
    write_file(sim_line_path(lock, line, "pull"),
               "pull-up" if high else "pull-down")


def sim_value(lock, line):
    """The line's value (0 or 1): for outputs, what the driver drives."""
    return int(read_file(sim_line_path(lock, line, "value")))


def sysfs(lock, attr):
    """/sys/class/doorlock/doorlock<lock>/<attr>, without its newline."""
    return read_file("%s/doorlock%d/%s" % (DOORLOCK_CLASS, lock, attr))


def sysfs_write(lock, attr, value):
    write_file("%s/doorlock%d/%s" % (DOORLOCK_CLASS, lock, attr), str(value))


def find_lock(label):
    """The N of the doorlockN labelled @label, or None."""
    try:
        names = os.listdir(DOORLOCK_CLASS)
    except FileNotFoundError:
        return None
    for name in names:
        try:
            if read_file(os.path.join(DOORLOCK_CLASS, name, "label")) == label:
                return int(name[len("doorlock"):])
        except (OSError, ValueError):
            continue
    return None


def wait_lock(label, timeout=5):
    """find_lock(), retried while absent (e.g. after bind()); or None.
    Not wait_until(find_lock...): doorlock0 is a falsy 0."""
    deadline = time.monotonic() + timeout
    while True:
        n = find_lock(label)
        if n is not None or time.monotonic() >= deadline:
            return n
        time.sleep(0.05)


def platform_device(lock):
    """The test board's platform device of lock @lock (its id is @lock)."""
    return "gpio-doorlock.%d" % lock


def unbind(lock):
    """Unbinds lock @lock of the board from the driver: its doorlockN and
    /dev node go away, as if the hardware vanished."""
    write_file(os.path.join(DRIVER_DIR, "unbind"), platform_device(lock))


def bind(lock):
    """Binds it again. The doorlockN number is allocated afresh: while
    anything (doorlockd) still holds the old /dev node open, the old number
    stays taken and the lock comes back under another one. Look it up with
    wait_lock("lock-N") afterwards."""
    write_file(os.path.join(DRIVER_DIR, "bind"), platform_device(lock))
