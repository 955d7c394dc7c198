#!/usr/bin/python3
"""doorlockd's HTTP layer on the host, with curl as the client: every bad
input gets its code and a message, keep-alive holds, and a bad
configuration is refused naming the field. No driver here, so the lock is
offline (the driver-backed story is e2e_test.py, in the test VM).

    tests/agent/http_test.py          (TAP)
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import socket
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from agentlib import (Daemon, Receiver, Tap, curl,  # noqa: E402
                      doorlockd_bin, free_port, offline_config)
from openapi_check import api_doc  # noqa: E402
from ws_client import HandshakeError, WsClient  # noqa: E402

TOKEN = "host-test-token"
HOOK_SECRET = "whsec_" + base64.b64encode(b"http_test webhooks").decode()
LOCK = "lock_491829"
t = Tap()


def config(work, port):
    return offline_config(work, port, TOKEN, LOCK)


def error(ans, code, status, expect_status, name):
    ok = (status == expect_status and isinstance(ans, dict) and
          ans.get("error_code") == code and ans.get("message"))
    t.ok(ok, "%s: %d %s" % (name, expect_status, code), (status, ans))


def check_config_errors(work):
    good = config(work, 1)
    path = os.path.join(work, "check.json")
    cases = [
        ("good", good, None),
        ("unknown top-level key", dict(good, extra=1), 'unknown key "extra"'),
        ("missing tokens", {k: v for k, v in good.items() if k != "tokens"},
         "tokens: missing"),
        ("lock without device",
         dict(good, locks=[{"lock_id": "x"}]), "locks[0].device: missing"),
        ("bad webhook secret",
         dict(good, webhooks=[{"url": "http://h/", "secret": "plain"}]),
         "webhooks[0].secret"),
    ]
    for name, cfg, says in cases:
        with open(path, "w") as f:
            json.dump(cfg, f)
        r = subprocess.run([doorlockd_bin(), "--config", path,
                            "--check-config"], capture_output=True, text=True)
        if says is None:
            t.ok(r.returncode == 0, "--check-config accepts a good file",
                 r.stderr)
        else:
            t.ok(r.returncode == 1 and says in r.stderr,
                 "config with %s: refused, naming %s" % (name, says),
                 r.stderr)
    r = subprocess.run([doorlockd_bin(), "--config", "/nonexistent.json"],
                       capture_output=True, text=True)
    t.ok(r.returncode == 1 and "/nonexistent.json" in r.stderr,
         "a missing config file is named", r.stderr)


def keep_alive(url, *extra):
    """Two requests through one curl: did the second reuse the connection?
    curl counts the connections each transfer opened (its wording of the
    reuse in -v output differs between versions)."""
    r = subprocess.run(["curl", "-sv", "-o", "/dev/null", "-o", "/dev/null",
                        "-w", "%{num_connects}\\n",
                        "-H", "Authorization: Bearer " + TOKEN, *extra,
                        url, url], capture_output=True, text=True)
    return r.stdout.split() == ["1", "0"], r.stdout + r.stderr


def daemon_notifying(work, name, path, watchdog_usec):
    """A daemon of its own under @work/@name, told to notify @path and
    to ping the watchdog at half @watchdog_usec."""
    port = free_port()
    os.environ.update(NOTIFY_SOCKET=path, WATCHDOG_USEC=str(watchdog_usec))
    try:
        return Daemon(config(os.path.join(work, name), port),
                      workdir=os.path.join(work, name)).start()
    finally:
        del os.environ["NOTIFY_SOCKET"], os.environ["WATCHDOG_USEC"]


def systemd_notify(work):
    """READY=1 once serving, WATCHDOG=1 pings, STOPPING=1 on SIGTERM.
    The socket is drained while the daemon runs, as systemd does: a
    datagram queue holds only net.unix.max_dgram_qlen messages (10 by
    default), which a slow start fills with pings."""
    path = os.path.join(work, "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.2)
    got, done = [], threading.Event()

    def drain():
        while not done.is_set():
            try:
                got.extend(sock.recv(4096).decode().split("\n"))
            except socket.timeout:
                pass

    reader = threading.Thread(target=drain)
    reader.start()
    d = daemon_notifying(work, "notify", path, 400000)
    time.sleep(1)
    code = d.stop()
    time.sleep(0.5)
    done.set()
    reader.join()
    sock.close()
    t.ok("READY=1" in got, "systemd: READY=1 once serving", got)
    t.ok(got.count("WATCHDOG=1") >= 2,
         "systemd: WATCHDOG=1 at half the watchdog interval", got)
    t.ok(code == 0 and "STOPPING=1" in got,
         "systemd: STOPPING=1 on SIGTERM, and a clean exit",
         (code, got))


def notify_never_blocks(work):
    """A notify socket nobody reads (a stuck or restarting manager) must
    not stall the daemon: it still answers and still stops on SIGTERM."""
    path = os.path.join(work, "deaf.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    d = daemon_notifying(work, "deaf", path, 20000)
    # 10 ms pings fill the queue in a tenth of a second.
    time.sleep(1)
    status, _, text = d.request("GET", "/locks")
    t.ok(status == 200,
         "with the notify queue full the API still answers", text)
    start = time.monotonic()
    code = d.stop()
    took = time.monotonic() - start
    sock.close()
    t.ok(code == 0 and took < 5,
         "with the notify queue full SIGTERM still stops it at once",
         (code, took))


def tls(work):
    """listen.tls_cert and tls_key: the API over HTTPS."""
    key, cert = os.path.join(work, "key.pem"), os.path.join(work, "cert.pem")
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                        "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext",
                        "subjectAltName=IP:127.0.0.1"], capture_output=True)
    port = free_port()
    cfg = config(os.path.join(work, "tls"), port)
    cfg["listen"].update(tls_cert=cert, tls_key=key)
    d = Daemon(cfg, workdir=os.path.join(work, "tls"))
    d.base = "https://127.0.0.1:%d" % port
    # start() polls with request(): over HTTPS, trusting this cert.
    d.request = lambda method, path, **kw: (
        _tls_curl(method, d.base + path, cert) + (None,))
    try:
        d.start()
        status, ans = _tls_curl("GET", d.base + "/locks", cert)
        t.ok(r.returncode == 0 and status == 200 and ans["locks"],
             "HTTPS with listen.tls_cert and tls_key",
             (status, ans, r.stderr[-300:], d.log()))
        status, _ = _tls_curl("GET", "http://127.0.0.1:%d/locks" % port,
                              None)
        t.ok(status != 200, "and no plain HTTP on that port", status)
        for _ in range(3):
            status, ans = _tls_curl("GET", d.base + "/locks", cert)
        t.ok(status == 200 and d.running(),
             "HTTPS keeps serving after a plain-HTTP knock", status)
    finally:
        d.stop()


def _tls_curl(method, url, cert):
    cmd = ["curl", "-s", "-o", "-", "-w", "\n%{http_code}", "-X", method,
           "-H", "Authorization: Bearer " + TOKEN, "--max-time", "10"]
    if cert:
        cmd += ["--cacert", cert]
    out = subprocess.run(cmd + [url], capture_output=True,
                         text=True).stdout
    text, _, code = out.rpartition("\n")
    try:
        return int(code), json.loads(text)
    except ValueError:
        return int(code) if code.isdigit() else 0, None


def webhook_host_names(work):
    """A webhook URL may name its host: the name is looked up off the
    loop, so a DNS server that never answers holds up neither the API nor
    the attempt's retry."""
    work = os.path.join(work, "names")
    hooks = Receiver(HOOK_SECRET, work).start()
    try:
        url = hooks.url().replace("127.0.0.1", "localhost")
        d = Daemon(dict(config(work, free_port()), webhooks=[
            {"url": url, "secret": HOOK_SECRET}]), workdir=work).start()
        rec = hooks.wait_for(lambda b: b["event_type"] == "device.offline")
        d.stop()
        t.ok(rec and rec["signature_valid"],
             "a webhook to %s is delivered" % url, d.log())
        stuck_dns(work, hooks)
    finally:
        hooks.stop()


def stuck_dns(work, hooks):
    name = "a DNS server that never answers delays no API answer"
    if os.geteuid() != 0 or not shutil.which("unshare"):
        t.skip(name, "needs root and unshare to give doorlockd its own "
               "/etc/resolv.conf")
        return
    # The server: a socket that takes each query and answers none.
    dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    dns.bind(("127.0.0.77", 53))
    dns.setblocking(False)
    resolv = os.path.join(work, "resolv.conf")
    with open(resolv, "w") as f:
        f.write("nameserver 127.0.0.77\noptions timeout:3 attempts:1\n")
    wrapper = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
               'mount --bind "$0" /etc/resolv.conf && exec "$@"', resolv]
    url = "http://hooks.doorlock.test:%d/hook" % hooks.port
    port = free_port()
    d = Daemon(dict(config(work, port), state_dir=os.path.join(work, "s2"),
                    webhooks=[{"url": url, "secret": HOOK_SECRET}],
                    webhook_retry_s=[0, 1, 1, 1, 1, 1, 1, 1]),
               workdir=os.path.join(work, "stuck"), wrapper=wrapper).start()
    try:
        slowest, end = 0.0, time.monotonic() + 10
        while time.monotonic() < end:
            began = time.monotonic()
            status = d.request("GET", "/locks", timeout=20)[0]
            slowest = max(slowest, time.monotonic() - began)
            if status != 200:
                slowest = 99
            time.sleep(0.05)
        queries = 0
        while True:
            try:
                dns.recvfrom(512)
                queries += 1
            except BlockingIOError:
                break
    finally:
        d.stop()
        dns.close()
    failed = d.log().count("cannot resolve hooks.doorlock.test")
    t.ok(slowest < 1 and queries > 0 and failed >= 2,
         "%s (slowest of 10 s of GET /locks: %.2f s; %d queries went "
         "unanswered; %d attempts failed, each retried)"
         % (name, slowest, queries, failed), d.log())


def main():
    work = tempfile.mkdtemp(prefix="http-test-")
    check_config_errors(work)
    systemd_notify(work)
    notify_never_blocks(work)
    tls(work)
    webhook_host_names(work)
    port = free_port()
    d = Daemon(config(work, port), workdir=work).start()
    try:
        run(d, port)
        # No driver here: what needs a lock is the VM's end-to-end test's.
        t.api_doc_held(coverage=False)
        bad = api_doc().vocabulary_mismatches()
        t.ok(not bad, "agent/openapi.yaml's bolt states and result codes "
             "are the uapi header's and the agent's", bad)
    finally:
        rc = d.stop()
        t.ok(rc == 0 and "stopped" in d.log(),
             "SIGTERM: a clean stop, exit 0", rc)
        if t.failed:
            t.diag(d.log())
    return t.done()


def run(d, port):
    base = "http://127.0.0.1:%d" % port
    status, ans, _ = curl("GET", base + "/locks")
    error(ans, "UNAUTHORIZED", status, 401, "no token")
    status, ans, _ = curl("GET", base + "/locks", token="not-the-token")
    error(ans, "UNAUTHORIZED", status, 401, "a wrong token")
    status, ans, _ = curl("GET", base + "/locks",
                          headers=["Authorization: Basic aG9zdDp0ZXN0"])
    error(ans, "UNAUTHORIZED", status, 401, "Basic instead of Bearer")
    head = subprocess.run(["curl", "-s", "--noproxy", "*", "-D", "-", "-o",
                           "/dev/null", base + "/locks"],
                          capture_output=True, text=True).stdout
    t.ok(re.search(r"(?im)^www-authenticate: Bearer\b", head),
         "a 401 names the Bearer scheme (RFC 6750)", head)
    status, ans, _ = d.request("POST", "/locks/%s/actions" % LOCK,
                               {"action": "lock"}, token="nope-nope")
    error(ans, "UNAUTHORIZED", status, 401, "a POST with a wrong token")

    status, ans, _ = d.request("GET", "/locks")
    t.ok(status == 200 and ans["locks"][0]["lock_id"] == LOCK and
         ans["locks"][0]["online"] is False,
         "GET /locks: the lock, offline (no driver here)", ans)
    status, ans, _ = d.request("GET", "/locks/lock_nowhere")
    error(ans, "LOCK_NOT_FOUND", status, 404, "GET of an unknown lock")
    status, ans, _ = d.request("POST", "/locks/lock_nowhere/actions",
                               {"action": "lock"})
    error(ans, "LOCK_NOT_FOUND", status, 404, "POST to an unknown lock")
    status, ans, _ = d.request("GET", "/locks/%s/actions/act_nowhere" % LOCK)
    error(ans, "ACTION_NOT_FOUND", status, 404, "GET of an unknown action")
    status, ans, _ = d.request("GET", "/nowhere")
    error(ans, "NOT_FOUND", status, 404, "an unknown path")
    status, ans, _ = d.request("DELETE", "/locks")
    error(ans, "METHOD_NOT_ALLOWED", status, 405, "DELETE")
    status, ans, _ = d.request("POST", "/locks", {"action": "lock"})
    error(ans, "METHOD_NOT_ALLOWED", status, 405, "POST /locks")

    actions = "/locks/%s/actions" % LOCK
    bad = [
        ("malformed JSON", b'{"action": "lock"', "malformed JSON"),
        ("an empty body", b"", "empty"),
        ("a JSON array", b'["lock"]', "JSON object"),
        ("duplicate keys", b'{"action":"lock","action":"unlock"}',
         "duplicate"),
        ("an unknown action", b'{"action":"open"}', 'unknown action "open"'),
        ("a number for action", b'{"action":1}', "must be a string"),
        ("no action", b'{"custom_id":"x"}', '"action" is required'),
        ("an unknown field", b'{"action":"lock","speed":9}',
         'unknown field "speed"'),
        ("a number for custom_id", b'{"action":"lock","custom_id":7}',
         '"custom_id" must be a string'),
    ]
    for name, body, says in bad:
        status, ans, _ = d.request("POST", actions, raw_body=body)
        t.ok(status == 400 and ans and
             ans.get("error_code") == "INVALID_REQUEST" and
             says in ans.get("message", ""),
             "%s: 400 INVALID_REQUEST saying %s" % (name, says),
             (status, ans))
    status, ans, _ = d.request("POST", actions,
                               raw_body=b'{"action":"lock"}',
                               headers=["Transfer-Encoding: chunked"])
    error(ans, "INVALID_REQUEST", status, 411, "no Content-Length")
    big = json.dumps({"action": "lock", "custom_id": "x" * 17000})
    status, ans, _ = d.request("POST", actions, raw_body=big)
    error(ans, "INVALID_REQUEST", status, 413, "a 17 KB body")
    status, ans, _ = d.request("POST", actions,
                               {"action": "unlock", "custom_id": "req_off"})
    t.ok(status == 503 and ans == {
        "error_code": "DEVICE_OFFLINE",
        "message": "The device is currently offline and cannot accept commands."},
        "an offline lock: 503 DEVICE_OFFLINE, the seed's answer", ans)

    status, ans, _ = d.request("GET", "/events?after=0")
    events = (ans or {}).get("events", [])
    t.ok(status == 200 and [e["event_type"] for e in events] ==
         ["device.offline"] and events[0]["seq"] == 1 and
         events[0]["device_id"] == LOCK and ans["last_seq"] == 1,
         "GET /events: the lock's device.offline, seq 1", ans)
    status, ans, _ = d.request("GET", "/events?after=1")
    t.ok(status == 200 and ans["events"] == [], "nothing after it", ans)
    for q in ("after=x", "after=-1", "limit=0", "limit=5000"):
        status, ans, _ = d.request("GET", "/events?" + q)
        error(ans, "INVALID_REQUEST", status, 400, "GET /events?" + q)

    status, ans, _ = d.request("POST", "/webhooks",
                               {"url": "http://127.0.0.1:9/h",
                                "events": ["lock.action_completed"]})
    t.ok(status == 201 and ans.get("status") == "active" and
         ans.get("webhook_id", "").startswith("wh_") and
         ans.get("secret", "").startswith("whsec_"),
         "POST /webhooks: active, with its signing secret", ans)
    status, ans, _ = d.request("POST", "/webhooks",
                               {"url": "https://127.0.0.1:9/h"})
    t.ok(status == 400 and "TLS" in (ans or {}).get("message", ""),
         "an https webhook without TLS loaded: 400 saying why", ans)
    status, ans, _ = d.request("POST", "/webhooks", {"url": "gopher://x"})
    error(ans, "INVALID_REQUEST", status, 400, "a webhook with a bad URL")
    status, ans, _ = d.request("POST", "/webhooks",
                               {"url": "http://h/", "events": ["lock.boom"]})
    error(ans, "INVALID_REQUEST", status, 400, "a webhook for no such event")

    ok, log = keep_alive(base + "/locks")
    t.ok(ok, "keep-alive: a second GET reuses the connection", log)
    ok, log = keep_alive(base + actions, "-H", "Content-Type: application/json",
                         "--data-binary", '{"action":"nope"}')
    t.ok(ok, "keep-alive holds after a 400", log)

    # lws 4.1 can loop on a POST pipelined behind another request; the
    # daemon must close that connection and go on serving.
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    body = b'{"action":"lock"}'
    s.sendall(b"GET /locks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
              TOKEN.encode() + b"\r\n\r\nPOST " + actions.encode() +
              b" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
              TOKEN.encode() + b"\r\nContent-Length: %d\r\n\r\n" %
              len(body) + body)
    first = s.recv(65536)
    started = time.monotonic()
    status, ans, _ = d.request("GET", "/locks", timeout=5)
    s.close()
    t.ok(first.startswith(b"HTTP/1.1 200") and status == 200 and
         time.monotonic() - started < 3,
         "a POST pipelined behind a GET does not stall the daemon",
         (first[:40], status))

    # "Expect: 100-continue" is answered at once, not after a timeout.
    r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w",
                        "%{http_code} %{time_total}", "-H",
                        "Authorization: Bearer " + TOKEN, "-H",
                        "Content-Type: application/json", "-H",
                        "Expect: 100-continue", "--data-binary",
                        json.dumps({"action": "lock", "custom_id": "y" * 100}),
                        base + actions], capture_output=True, text=True)
    code, took = (r.stdout.split() + ["0", "9"])[:2]
    t.ok(code == "503" and float(took) < 0.5,
         "Expect: 100-continue gets its answer at once", r.stdout)

    ws = WsClient("ws://127.0.0.1:%d/events/stream?after=0" % port,
                  token=TOKEN)
    ws.connect()
    first = json.loads(ws.recv_text(timeout=5))
    ws.close()
    t.ok(first.get("event_type") == "device.offline",
         "the event stream replays from ?after=", first)
    for name, url, token, proto, status in (
            ("without a token", "/events/stream", None, None, 401),
            ("with a wrong token", "/events/stream", "wrong", None, 401),
            ("with a bad after=", "/events/stream?after=-4", TOKEN, None,
             400),
            ("on another path", "/locks", TOKEN, None, 404),
            ("naming an internal protocol", "/events/stream", None,
             "doorlockd-webhooks", 401),
            ("naming the fd protocol", "/x", None, "doorlockd-fdwatch",
             404)):
        answer, body = None, ""
        try:
            WsClient("ws://127.0.0.1:%d%s" % (port, url),
                     token=token, protocol=proto).connect()
        except HandshakeError as e:
            answer, body = e.status_line, e.body
        except (OSError, ConnectionError) as e:
            answer = repr(e)
        t.ok(answer and answer.split()[1:2] == [str(status)],
             "a WebSocket upgrade %s is refused: %d" % (name, status), answer)
        if url.startswith("/events/stream"):
            api_doc().check("GET", url, status, body)
        else:
            try:
                code = json.loads(body).get("error_code")
            except (ValueError, AttributeError):
                code = None
            t.ok(code == "NOT_FOUND", "its body is the JSON error NOT_FOUND",
                 body)


if __name__ == "__main__":
    sys.exit(main())
