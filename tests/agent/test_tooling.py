#!/usr/bin/env python3
"""Self-test of the end-to-end tooling, on the host (no VM, no daemon):
the webhook receiver, agentlib's curl() and Receiver, ws_client against a
small WebSocket server written here, and agentlib's Daemon and plant()
against stand-ins. TAP on stdout.

    python3 tests/agent/test_tooling.py
"""
import base64
import hashlib
import http.client
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import agentlib                                         # noqa: E402
import hook_receiver                                    # noqa: E402
from ws_client import GUID, WsClient, WsClosed          # noqa: E402

SECRET = "whsec_" + base64.b64encode(b"doorlock tooling self-test").decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"someone else").decode()


def signed_headers(secret, msg_id, body):
    ts = str(int(time.time()))
    sig = hook_receiver.sign(hook_receiver.secret_key(secret), msg_id, ts,
                             body)
    return {"webhook-id": msg_id, "webhook-timestamp": ts,
            "webhook-signature": sig, "Content-Type": "application/json"}


def test_vector(tap):
    r = subprocess.run([sys.executable,
                        os.path.join(HERE, "hook_receiver.py"),
                        "--verify-vector"], capture_output=True, text=True)
    tap.ok(r.returncode == 0, "receiver --verify-vector passes", r.stdout)


def test_receiver(tap):
    rx = agentlib.Receiver(SECRET).start()
    try:
        receiver_checks(tap, rx)
    finally:
        rx.stop()


def receiver_checks(tap, rx):
    # A good delivery, through curl as the e2e tests send requests.
    body = json.dumps({"event_type": "lock.action_completed", "seq": 1})
    hdrs = signed_headers(SECRET, "evt_1", body.encode())
    status, _, raw = agentlib.curl(
        "POST", rx.url(), raw_body=body,
        headers=["%s: %s" % kv for kv in hdrs.items()])
    tap.ok(status == 204, "a signed delivery is answered 204", (status, raw))
    rec = rx.wait_for(lambda b: b["seq"] == 1, timeout=5)
    tap.ok(rec and rec["signature_valid"] and rec["status_returned"] == 204
           and rec["webhook_id"] == "evt_1" and rec["path"] == "/hook"
           and rec["timestamp_fresh"],
           "it is recorded valid, with its id and path", rec)

    # Signed with another secret, and with no signature at all.
    hdrs = signed_headers(OTHER_SECRET, "evt_2", body.encode())
    status, reply, _ = agentlib.curl(
        "POST", rx.url("/x"), raw_body=body,
        headers=["%s: %s" % kv for kv in hdrs.items()])
    tap.ok(status == 401 and reply == {"error": "invalid signature"},
           "a wrongly signed delivery is answered 401", status)
    status, _, _ = agentlib.curl("POST", rx.url(), body={"seq": 3})
    tap.ok(status == 401, "an unsigned delivery is answered 401", status)
    recs = rx.records()
    tap.ok(len(recs) == 3 and [r["signature_valid"] for r in recs] ==
           [True, False, False] and recs[1]["status_returned"] == 401,
           "both are recorded invalid", recs)

    # Outage mode, over one kept-alive connection.
    rx.set_mode(503, retry_after="2")
    conn = http.client.HTTPConnection("127.0.0.1", rx.port, timeout=5)
    seen, sockets = [], set()
    for i in range(2):
        raw = json.dumps({"seq": 10 + i}).encode()
        conn.request("POST", "/hook", raw,
                     signed_headers(SECRET, "evt_%d" % (10 + i), raw))
        resp = conn.getresponse()
        resp.read()
        seen.append((resp.status, resp.getheader("Retry-After")))
        # http.client reconnects silently; a kept-alive socket stays open.
        sockets.add(conn.sock and conn.sock.getsockname())
    tap.ok(seen == [(503, "2")] * 2,
           "mode 503 answers 503 with Retry-After", seen)
    tap.ok(len(sockets) == 1 and None not in sockets,
           "the connection is kept alive", sockets)
    rx.set_mode(204)
    raw = json.dumps({"seq": 12}).encode()
    conn.request("POST", "/hook", raw, signed_headers(SECRET, "evt_12", raw))
    resp = conn.getresponse()
    resp.read()
    conn.close()
    tap.ok(resp.status == 204, "mode 204 restores normal", resp.status)
    recs = rx.records()
    tap.ok([r["status_returned"] for r in recs[3:]] == [503, 503, 204],
           "outage answers are recorded", recs[3:])

    # "times": fail the next delivery only.
    rx.set_mode(500, times=1)
    codes = []
    for seq in (20, 21):
        raw = json.dumps({"seq": seq}).encode()
        h = signed_headers(SECRET, "evt_%d" % seq, raw)
        codes.append(agentlib.curl(
            "POST", rx.url(), raw_body=raw,
            headers=["%s: %s" % kv for kv in h.items()])[0])
    tap.ok(codes == [500, 204], "a mode with times=1 applies once", codes)
    tap.ok(rx.count() == 8, "GET /count counts every line", rx.count())

    # An outage of the receiver itself: same port, same record file.
    rx.stop()
    status, _, err = agentlib.curl("POST", rx.url(), body={"seq": 30})
    tap.ok(status == 0, "a stopped receiver refuses connections", err)
    rx.start()
    raw = json.dumps({"seq": 31}).encode()
    h = signed_headers(SECRET, "evt_31", raw)
    status = agentlib.curl("POST", rx.url(), raw_body=raw,
                           headers=["%s: %s" % kv for kv in h.items()])[0]
    tap.ok(status == 204 and rx.count() == 9 and
           rx.wait_for(lambda b: b["seq"] == 31, timeout=5),
           "after a restart it records on, in the same file", rx.count())

    # A sender killed halfway through its body made no request.
    raw = json.dumps({"seq": 32}).encode()
    head = "".join("%s: %s\r\n" % kv for kv in
                   signed_headers(SECRET, "evt_32", raw).items())
    with socket.create_connection(("127.0.0.1", rx.port), timeout=5) as s:
        s.sendall(("POST /hook HTTP/1.1\r\nHost: x\r\n%s"
                   "Content-Length: %d\r\n\r\n" % (head, len(raw))).encode()
                  + raw[:len(raw) // 2])
        s.shutdown(socket.SHUT_WR)
        answer = s.recv(4096)
    h = signed_headers(SECRET, "evt_33", raw)
    status = agentlib.curl("POST", rx.url(), raw_body=raw,
                           headers=["%s: %s" % kv for kv in h.items()])[0]
    ids = [r["webhook_id"] for r in rx.records()]
    tap.ok(answer == b"" and status == 204 and "evt_32" not in ids and
           ids[-1] == "evt_33" and rx.count() == 10,
           "a delivery cut off mid-body is neither answered nor recorded",
           (answer, ids[-2:]))


# -- a tiny WebSocket server -------------------------------------------------

def server_frame(opcode, payload):
    """An unmasked server frame, with the length form its size needs."""
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, n)
    elif n < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, n)
    return head + payload


def read_client_frame(conn):
    """One frame from the client, which must be masked."""
    def take(n):
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data
    b0, b1 = take(2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack("!H", take(2))[0]
    elif n == 127:
        n = struct.unpack("!Q", take(8))[0]
    assert b1 & 0x80, "client frame not masked"
    mask = take(4)
    data = bytes(b ^ mask[i % 4] for i, b in enumerate(take(n)))
    return b0 & 0x0F, data


class WsServer:
    """Accepts connections; refuses a bad token with 401, otherwise pings,
    pushes self.messages (the last one in two fragments), then waits for
    the client's close. What the client did is kept in self.log."""

    def __init__(self, token, messages):
        self.token = token
        self.messages = messages
        self.log = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def url(self):
        return "ws://127.0.0.1:%d/events/stream" % self.port

    def serve(self):
        while True:
            conn, _ = self.sock.accept()
            threading.Thread(target=self.session, args=(conn,),
                             daemon=True).start()

    def session(self, conn):
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                head += conn.recv(4096)
            lines = head.decode().split("\r\n")
            hdrs = {k.lower(): v.strip() for k, _, v in
                    (line.partition(":") for line in lines[1:] if line)}
            if hdrs.get("authorization") != "Bearer " + self.token:
                conn.sendall(b"HTTP/1.1 401 Unauthorized\r\n"
                             b"Content-Length: 0\r\n\r\n")
                return
            accept = base64.b64encode(hashlib.sha1(
                (hdrs["sec-websocket-key"] + GUID).encode()).digest())
            reply = (b"HTTP/1.1 101 Switching Protocols\r\n"
                     b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Accept: " + accept + b"\r\n")
            if "sec-websocket-protocol" in hdrs:
                reply += b"Sec-WebSocket-Protocol: %s\r\n" % \
                    hdrs["sec-websocket-protocol"].encode()
            conn.sendall(reply + b"\r\n")
            conn.sendall(server_frame(0x9, b"are you there"))
            self.log.append(read_client_frame(conn))        # the pong
            for msg in self.messages[:-1]:
                conn.sendall(server_frame(0x1, msg.encode()))
            last = self.messages[-1].encode()
            half = len(last) // 2
            conn.sendall(bytes([0x01, 126]) + struct.pack("!H", half)
                         + last[:half])                     # FIN clear
            conn.sendall(server_frame(0x0, last[half:]))    # continuation
            try:
                while True:
                    op, data = read_client_frame(conn)
                    self.log.append((op, data))
                    if op == 0x8:
                        conn.sendall(server_frame(0x8, data))
                        return
            except EOFError:
                pass


def test_ws(tap):
    messages = [json.dumps({"seq": 1, "event_type": "device.online"}),
                json.dumps({"seq": 2, "pad": "x" * 300}),
                json.dumps({"seq": 3, "pad": "y" * 70000}),
                json.dumps({"seq": 4, "pad": "z" * 1000})]
    srv = WsServer("t0ken", messages)

    ws = WsClient(srv.url(), "t0ken", protocol="doorlock.v1").connect()
    got = [ws.recv_text(5) for _ in messages]
    tap.ok(got == messages,
           "WsClient receives short, 16-bit, 64-bit and fragmented messages",
           [len(m) for m in got])
    tap.ok(ws.protocol == "doorlock.v1", "the subprotocol is agreed",
           ws.protocol)
    tap.ok(srv.log and srv.log[0] == (0xA, b"are you there"),
           "a ping is answered with its pong", srv.log[:1])
    ws.close()
    tap.ok(srv.log[-1][0] == 0x8 and
           struct.unpack("!H", srv.log[-1][1])[0] == 1000,
           "close() sends a 1000 close frame", srv.log[-1:])
    try:
        ws.recv_text(1)
        closed = False
    except WsClosed:
        closed = True
    tap.ok(closed, "recv_text after close raises WsClosed")

    cli = [sys.executable, os.path.join(HERE, "ws_client.py"),
           "--url", srv.url()]
    r = subprocess.run(cli + ["--token", "t0ken", "--count", "3",
                              "--timeout", "10"],
                       capture_output=True, text=True)
    lines = r.stdout.splitlines()
    tap.ok(r.returncode == 0 and lines == messages[:3],
           "ws_client --count 3 prints 3 lines and exits 0",
           (r.returncode, [len(x) for x in lines], r.stderr))

    r = subprocess.run(cli + ["--token", "t0ken", "--count", "5",
                              "--timeout", "2"],
                       capture_output=True, text=True)
    tap.ok(r.returncode == 1 and len(r.stdout.splitlines()) == 4
           and "timed out" in r.stderr,
           "ws_client exits 1 on timeout", (r.returncode, r.stderr))

    r = subprocess.run(cli + ["--token", "wrong", "--count", "1"],
                       capture_output=True, text=True)
    tap.ok(r.returncode == 1 and
           r.stderr.startswith("HTTP/1.1 401 Unauthorized"),
           "a refused handshake exits 1 with the status line on stderr",
           (r.returncode, r.stderr))


# -- Daemon and plant(), against stand-ins ------------------------------------

FAKE_DAEMON = r"""
import json, signal, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
cfg = json.load(open(sys.argv[sys.argv.index("--config") + 1]))
token = cfg["tokens"][0]["token"]
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.headers.get("Authorization") == "Bearer " + token
        body = b'{"locks": []}' if ok else b'{"error_code": "UNAUTHORIZED"}'
        self.send_response(200 if ok else 401)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
srv = HTTPServer((cfg["listen"]["address"], cfg["listen"]["port"]), H)
print("fake doorlockd up", file=sys.stderr, flush=True)
srv.serve_forever()
"""


def test_daemon(tap, workdir):
    fake = os.path.join(workdir, "fake-doorlockd")
    with open(fake, "w") as f:
        f.write("#!%s\n%s" % (sys.executable, FAKE_DAEMON))
    os.chmod(fake, 0o755)
    os.environ["DOORLOCKD"] = fake
    cfg = {"listen": {"address": "127.0.0.1", "port": agentlib.free_port()},
           "tokens": [{"name": "seam", "token": "s3cret",
                       "performed_via": "remote_api"}]}
    d = agentlib.Daemon(cfg, workdir=workdir).start()
    status, reply, _ = d.request("GET", "/locks")
    tap.ok(status == 200 and reply == {"locks": []},
           "Daemon starts it and waits for GET /locks", (status, reply))
    status, reply, _ = d.request("GET", "/locks", token="nope")
    tap.ok(status == 401 and reply["error_code"] == "UNAUTHORIZED",
           "another token can be given per request", (status, reply))
    tap.ok(d.kill() == -9 and not d.running(), "kill() SIGKILLs it")
    d.restart()
    tap.ok(d.running() and d.request("GET", "/locks")[0] == 200,
           "restart() brings it back")
    tap.ok(d.stop() == 0, "stop() returns its exit code after SIGTERM")
    tap.ok(d.log().count("fake doorlockd up") == 2,
           "log() holds the output of both runs", d.log())
    cfg["tokens"][0]["token"] = "other"
    d = agentlib.Daemon(cfg, token="s3cret", workdir=workdir)
    try:
        d.start(timeout=2)
        failed = False
    except RuntimeError:
        failed = True
    tap.ok(failed and not d.running(),
           "a daemon that never answers 200 fails start() and is stopped")


def fake_plant(path, replies):
    """Serves the plant's protocol: one line in, one line out, close."""
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(4)
    seen = []

    def serve():
        while True:
            conn, _ = srv.accept()
            with conn:
                line = conn.recv(128).decode()
                seen.append(line)
                conn.sendall(replies.get(line.strip(), "error unknown "
                                         "command '%s'" % line.strip())
                             .encode() + b"\n")
    threading.Thread(target=serve, daemon=True).start()
    return seen


def test_plant(tap, workdir):
    agentlib.PLANT_SOCK_FMT = os.path.join(workdir, "plant-%u.sock")
    seen = fake_plant(agentlib.PLANT_SOCK_FMT % 3, {
        "jam": "ok",
        "status": "ok pos=0 mode=normal motor=off locked=0 unlocked=1 "
                  "fault=0 manual=0 violations=0"})
    tap.ok(agentlib.plant(3, "jam") == "ok" and seen == ["jam\n"],
           "plant() sends one line and returns the answer", seen)
    st = agentlib.plant_status(3)
    tap.ok(st["mode"] == "normal" and st["unlocked"] == "1",
           "plant_status() parses the status line", st)
    try:
        agentlib.plant(3, "explode")
        raised = None
    except agentlib.PlantError as e:
        raised = str(e)
    tap.ok(raised and "unknown command" in raised,
           "a non-ok answer raises PlantError", raised)


def main():
    tap = agentlib.Tap()
    test_vector(tap)
    test_receiver(tap)
    test_ws(tap)
    with tempfile.TemporaryDirectory() as workdir:
        test_daemon(tap, workdir)
        test_plant(tap, workdir)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
