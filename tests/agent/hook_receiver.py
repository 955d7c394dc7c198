#!/usr/bin/env python3
"""Webhook receiver for doorlockd's end-to-end tests.

    hook_receiver.py --port P --secret whsec_... --record FILE
                     [--control-port C]
    hook_receiver.py --verify-vector

Accepts POST on any path of 127.0.0.1:P, checks the Standard Webhooks
signature and appends every delivery to FILE as one JSON line:

    {"webhook_id", "timestamp", "timestamp_fresh", "signature_valid",
     "status_returned", "body", "raw", "signature", "path", "received_at"}

A valid delivery is answered 204, an invalid one 401. The control endpoint
on 127.0.0.1:C changes that at runtime, so a test can play an outage:

    POST /mode  {"status": 503, "retry_after": "2"}   every following valid
                delivery gets 503 (and Retry-After: 2); optional "times": N
                applies it to the next N deliveries only, "delay": S waits S
                seconds before answering; {"status": 204} restores normal.
    GET /mode   the current mode.
    GET /count  {"count": N}, the number of lines recorded.

Prints "listening PORT CONTROL_PORT" on stdout once both sockets are bound
(either port may be 0 to let the kernel choose).
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Standard Webhooks: receivers should refuse timestamps this far off.
TIMESTAMP_TOLERANCE_S = 5 * 60

# The published test vector of the Standard Webhooks specification.
VECTOR = {
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "timestamp": "1614265330",
    "body": b'{"test": 2432232314}',
    "signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}


def secret_key(secret):
    """The HMAC key: the base64 part of whsec_<base64>, decoded."""
    if secret.startswith("whsec_"):
        secret = secret[len("whsec_"):]
    return base64.b64decode(secret)


def sign(key, msg_id, timestamp, body):
    """The v1 signature of one delivery, as a sender computes it."""
    signed = b"%s.%s.%s" % (msg_id.encode(), timestamp.encode(), body)
    mac = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def signature_valid(key, msg_id, timestamp, body, header):
    """True if any v1 entry of the space-separated header matches."""
    if not (msg_id and timestamp and header):
        return False
    want = sign(key, msg_id, timestamp, body).encode()
    # Check every entry, whatever the first ones gave: a sender rotating
    # secrets lists several and only one need match.
    found = False
    for entry in header.split():
        if entry.startswith("v1,"):
            found |= hmac.compare_digest(entry.encode(), want)
    return found


def verify_vector():
    key = secret_key(VECTOR["secret"])
    ok = signature_valid(key, VECTOR["id"], VECTOR["timestamp"],
                         VECTOR["body"], VECTOR["signature"])
    bad = signature_valid(key, VECTOR["id"], VECTOR["timestamp"],
                          VECTOR["body"] + b" ", VECTOR["signature"])
    print("test vector: %s" % ("ok" if ok and not bad else "MISMATCH"))
    return 0 if ok and not bad else 1


class State:
    """What the two servers share: the mode and the record file."""

    def __init__(self, key, record):
        self.key = key
        self.record = record
        self.lock = threading.Lock()
        self.mode = {"status": 204}
        self.count = self._count_lines()

    def _count_lines(self):
        # A restarted receiver appends to the same file; keep counting.
        try:
            with open(self.record, "rb") as f:
                return sum(1 for _ in f)
        except FileNotFoundError:
            return 0

    def take_mode(self):
        """The mode for one delivery; counts down a mode with "times"."""
        with self.lock:
            mode = dict(self.mode)
            if "times" in self.mode:
                self.mode["times"] -= 1
                if self.mode["times"] <= 0:
                    self.mode = {"status": 204}
            return mode

    def append(self, entry):
        line = json.dumps(entry, sort_keys=True) + "\n"
        with self.lock:
            with open(self.record, "a", encoding="utf-8") as f:
                f.write(line)
                f.flush()
                # A test may kill us at any point; what we answered must
                # already be on disk.
                os.fsync(f.fileno())
            self.count += 1


class Handler(BaseHTTPRequestHandler):
    # Keep-alive: the daemon may reuse its connection between deliveries.
    protocol_version = "HTTP/1.1"
    state = None        # set on the subclass made per server

    def log_message(self, fmt, *args):
        pass            # stdout is for "listening"; stderr stays quiet

    def read_body(self):
        """The request's body, or None when the sender went away before
        sending all of it (a daemon killed mid-delivery): such a request
        was never made, so nothing of it may be recorded or answered."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self.read_chunked()
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        return body if len(body) == length else None

    def read_chunked(self):
        body = b""
        while True:
            try:
                size = int(self.rfile.readline().split(b";")[0], 16)
            except ValueError:
                return None
            if size == 0:
                # Trailers, if any, end with an empty line.
                while True:
                    line = self.rfile.readline()
                    if line in (b"\r\n", b"\n"):
                        return body
                    if not line:
                        return None
            chunk = self.rfile.read(size)
            if len(chunk) != size or not self.rfile.readline():
                return None
            body += chunk

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        # Always, even on 204: a client that waits for the body's end
        # must never hang on a kept-alive connection.
        self.send_header("Content-Length", str(len(body)))
        if body:
            self.send_header("Content-Type", "application/json")
        self.end_headers()
        if body:
            self.wfile.write(body)

    def reply_json(self, status, obj):
        self.reply(status, json.dumps(obj).encode())


class HookHandler(Handler):
    def do_POST(self):
        raw = self.read_body()
        if raw is None:
            self.close_connection = True
            return
        h = self.headers
        msg_id = h.get("webhook-id")
        timestamp = h.get("webhook-timestamp")
        valid = signature_valid(self.state.key, msg_id or "",
                                timestamp or "", raw,
                                h.get("webhook-signature", ""))
        mode = self.state.take_mode() if valid else {"status": 401}
        status = mode["status"]
        headers = []
        if mode.get("retry_after") is not None:
            headers.append(("Retry-After", str(mode["retry_after"])))
        text = raw.decode("utf-8", errors="replace")
        try:
            body = json.loads(text)
        except ValueError:
            body = None
        try:
            fresh = abs(time.time() - int(timestamp)) <= TIMESTAMP_TOLERANCE_S
        except (TypeError, ValueError):
            fresh = False
        # Recorded before answering: once the sender sees our status, the
        # test can already find the delivery.
        self.state.append({
            "webhook_id": msg_id, "timestamp": timestamp,
            "timestamp_fresh": fresh, "signature_valid": valid,
            "status_returned": status, "body": body, "raw": text,
            "signature": h.get("webhook-signature"),
            "path": self.path, "received_at": time.time(),
        })
        if mode.get("delay"):
            time.sleep(float(mode["delay"]))
        if status == 401:
            self.reply_json(401, {"error": "invalid signature"})
        else:
            self.reply(status, headers=headers)

    def do_GET(self):
        self.reply_json(405, {"error": "POST only"})

    do_PUT = do_DELETE = do_PATCH = do_GET


class ControlHandler(Handler):
    def do_POST(self):
        if self.path != "/mode":
            return self.reply_json(404, {"error": "no such endpoint"})
        try:
            mode = json.loads(self.read_body())
            mode["status"] = int(mode["status"])
            if "times" in mode:
                mode["times"] = int(mode["times"])
        except (ValueError, KeyError, TypeError) as e:
            return self.reply_json(400, {"error": "bad mode: %s" % e})
        with self.state.lock:
            self.state.mode = mode
        self.reply_json(200, mode)

    def do_GET(self):
        if self.path == "/count":
            with self.state.lock:
                return self.reply_json(200, {"count": self.state.count})
        if self.path == "/mode":
            with self.state.lock:
                return self.reply_json(200, self.state.mode)
        self.reply_json(404, {"error": "no such endpoint"})


class Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A sender that hangs up before our answer (a daemon timing out a
        # stuck delivery, or killed) is part of the tests, not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(handler, state, port):
    """A threaded HTTP server on 127.0.0.1:port, serving in a thread."""
    cls = type(handler.__name__, (handler,), {"state": state})
    server = Server(("127.0.0.1", port), cls)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int)
    ap.add_argument("--secret")
    ap.add_argument("--record")
    ap.add_argument("--control-port", type=int)
    ap.add_argument("--verify-vector", action="store_true")
    args = ap.parse_args()
    if args.verify_vector:
        return verify_vector()
    if args.port is None or not args.secret or not args.record:
        ap.error("--port, --secret and --record are required")

    state = State(secret_key(args.secret), args.record)
    hooks = serve(HookHandler, state, args.port)
    control_port = 0
    if args.control_port is not None:
        control = serve(ControlHandler, state, args.control_port)
        control_port = control.server_address[1]
    print("listening %d %d" % (hooks.server_address[1], control_port),
          flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
