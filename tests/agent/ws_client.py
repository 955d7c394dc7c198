#!/usr/bin/env python3
"""A minimal WebSocket client (RFC 6455) for doorlockd's event stream.

    ws_client.py --url ws://127.0.0.1:8080/events/stream --token TOKEN
                 [--protocol NAME] [--count N] [--timeout S]

Prints each text message received as one line on stdout. Exits 0 after N
messages (without --count: when the server closes), 1 on timeout, on a
close before N messages, or on a refused handshake (whose HTTP status line
goes to stderr).

Importable: WsClient(url, token).connect(), .recv_text(timeout),
.send_text(text), .close(). Written on a raw socket so that the tests see
exactly what the daemon sends, with no library smoothing it over.
"""
import argparse
import base64
import hashlib
import os
import select
import socket
import struct
import sys
import time
from urllib.parse import urlsplit

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"   # RFC 6455, section 1.3

OP_CONT, OP_TEXT, OP_BINARY = 0x0, 0x1, 0x2
OP_CLOSE, OP_PING, OP_PONG = 0x8, 0x9, 0xA


class HandshakeError(Exception):
    """The server did not switch protocols; .status_line says what it did,
    .body is what it answered instead (text, "" if none)."""

    def __init__(self, status_line, reason=None, body=""):
        super().__init__(reason or status_line)
        self.status_line = status_line
        self.body = body


class WsClosed(Exception):
    """The connection closed; .code is the server's close code, if any."""

    def __init__(self, code=None, reason=""):
        super().__init__("closed (%s) %s" % (code, reason))
        self.code = code
        self.reason = reason


def accept_key(key):
    """What the server must answer in Sec-WebSocket-Accept for @key."""
    digest = hashlib.sha1((key + GUID).encode()).digest()
    return base64.b64encode(digest).decode()


def encode_frame(opcode, payload, fin=True):
    """One client frame: always masked, as RFC 6455 5.3 requires."""
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 1 << 16:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    mask = os.urandom(4)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class WsClient:
    def __init__(self, url, token=None, protocol=None, headers=()):
        parts = urlsplit(url)
        if parts.scheme != "ws":
            raise ValueError("only ws:// URLs: %s" % url)
        self.host = parts.hostname
        self.port = parts.port or 80
        self.path = (parts.path or "/") + ("?" + parts.query
                                           if parts.query else "")
        self.token = token
        self.protocol = protocol     # requested; then what the server chose
        self.headers = list(headers)
        self.sock = None
        self.buf = b""
        self.fragments = None        # a fragmented message being assembled
        self.closed = False

    # -- handshake ---------------------------------------------------------

    def connect(self, timeout=10):
        """Opens the connection; raises HandshakeError if refused."""
        self.sock = socket.create_connection((self.host, self.port),
                                             timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            "GET %s HTTP/1.1" % self.path,
            "Host: %s:%d" % (self.host, self.port),
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: " + key,
            "Sec-WebSocket-Version: 13",
        ]
        if self.token is not None:
            lines.append("Authorization: Bearer " + self.token)
        if self.protocol:
            lines.append("Sec-WebSocket-Protocol: " + self.protocol)
        lines += self.headers
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())

        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while b"\r\n\r\n" not in self.buf:
                self._fill(deadline)
        except WsClosed:
            raise HandshakeError("(connection closed before a response)")
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        status_line, *fields = head.decode("latin-1").split("\r\n")
        got = {}
        for field in fields:
            name, _, value = field.partition(":")
            got[name.strip().lower()] = value.strip()
        self.response_headers = got

        if status_line.split()[1:2] != ["101"]:
            body = self._refusal_body(int(got.get("content-length", 0)),
                                      deadline)
            self.sock.close()
            raise HandshakeError(status_line, body=body)
        if got.get("upgrade", "").lower() != "websocket":
            raise HandshakeError(status_line, "Upgrade is not websocket")
        if "upgrade" not in got.get("connection", "").lower():
            raise HandshakeError(status_line, "Connection lacks Upgrade")
        if got.get("sec-websocket-accept") != accept_key(key):
            raise HandshakeError(status_line, "wrong Sec-WebSocket-Accept")
        chosen = got.get("sec-websocket-protocol")
        if chosen is not None and chosen != self.protocol:
            # RFC 6455 4.1: a subprotocol we did not offer fails it.
            raise HandshakeError(status_line,
                                 "unrequested subprotocol " + chosen)
        self.protocol = chosen
        return self

    def _refusal_body(self, length, deadline):
        """The body of a refused upgrade, as far as it came in time."""
        try:
            while len(self.buf) < length:
                self._fill(deadline)
        except (WsClosed, TimeoutError, OSError):
            pass
        return self.buf[:length].decode("utf-8", errors="replace")

    # -- reading -----------------------------------------------------------

    def _fill(self, deadline):
        """Reads more bytes into self.buf before @deadline (None: never)."""
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            raise TimeoutError("no data from the server in time")
        ready, _, _ = select.select([self.sock], [], [], left)
        if not ready:
            raise TimeoutError("no data from the server in time")
        data = self.sock.recv(65536)
        if not data:
            self.closed = True
            raise WsClosed(None, "connection dropped without a close frame")
        self.buf += data

    def _take(self, n, deadline):
        while len(self.buf) < n:
            self._fill(deadline)
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def _read_frame(self, deadline):
        b0, b1 = self._take(2, deadline)
        fin, opcode = bool(b0 & 0x80), b0 & 0x0F
        if b0 & 0x70:
            raise ValueError("reserved bits set without an extension")
        if b1 & 0x80:
            raise ValueError("the server masked a frame (RFC 6455 5.1)")
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self._take(2, deadline))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._take(8, deadline))[0]
        return fin, opcode, self._take(n, deadline)

    def recv_text(self, timeout=10):
        """The next text message; answers pings on the way. Raises
        TimeoutError, or WsClosed once the server closes."""
        if self.closed:
            raise WsClosed(None, "already closed")
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            fin, opcode, payload = self._read_frame(deadline)
            if opcode == OP_PING:
                self._send(OP_PONG, payload)
            elif opcode == OP_PONG:
                pass
            elif opcode == OP_CLOSE:
                self._on_close(payload)
            elif opcode in (OP_TEXT, OP_BINARY):
                self.fragments = (opcode, payload)
            elif opcode == OP_CONT and self.fragments:
                self.fragments = (self.fragments[0],
                                  self.fragments[1] + payload)
            else:
                raise ValueError("unexpected opcode 0x%x" % opcode)
            if fin and opcode in (OP_TEXT, OP_BINARY, OP_CONT):
                kind, data = self.fragments
                self.fragments = None
                if kind == OP_TEXT:
                    return data.decode("utf-8")
                # Binary messages are not part of the event stream: skip.

    def _on_close(self, payload):
        code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 \
            else None
        reason = payload[2:].decode("utf-8", errors="replace")
        # Echo the close (RFC 6455 5.5.1), then we are done.
        try:
            self._send(OP_CLOSE, payload[:2])
        except OSError:
            pass
        self.closed = True
        self.sock.close()
        raise WsClosed(code, reason)

    # -- writing -----------------------------------------------------------

    def _send(self, opcode, payload):
        self.sock.sendall(encode_frame(opcode, payload))

    def send_text(self, text):
        self._send(OP_TEXT, text.encode("utf-8"))

    def close(self, code=1000, wait=2):
        """Sends a close frame and waits briefly for the server's."""
        if self.closed or self.sock is None:
            return
        try:
            self._send(OP_CLOSE, struct.pack("!H", code))
            deadline = time.monotonic() + wait
            while True:
                _, opcode, _ = self._read_frame(deadline)
                if opcode == OP_CLOSE:
                    break
        except (OSError, TimeoutError, WsClosed, ValueError):
            pass
        self.closed = True
        self.sock.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--token")
    ap.add_argument("--protocol")
    ap.add_argument("--count", type=int,
                    help="exit 0 after N messages (default: at close)")
    ap.add_argument("--timeout", type=float, default=10,
                    help="give up after S seconds in all (0: never)")
    args = ap.parse_args()

    deadline = time.monotonic() + args.timeout if args.timeout else None
    ws = WsClient(args.url, args.token, args.protocol)
    try:
        ws.connect(timeout=args.timeout or None)
    except HandshakeError as e:
        print(e.status_line, file=sys.stderr)
        if str(e) != e.status_line:
            print("ws_client: %s" % e, file=sys.stderr)
        return 1
    except (OSError, TimeoutError) as e:
        print("ws_client: %s" % e, file=sys.stderr)
        return 1

    got = 0
    try:
        while args.count is None or got < args.count:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError("timed out")
            print(ws.recv_text(left), flush=True)
            got += 1
    except TimeoutError:
        print("ws_client: timed out after %d messages" % got, file=sys.stderr)
        return 1
    except WsClosed as e:
        if args.count is None:
            return 0
        print("ws_client: %s after %d messages" % (e, got), file=sys.stderr)
        return 1
    ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
