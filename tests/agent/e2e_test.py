#!/usr/bin/python3
"""doorlockd end to end, in the test VM with the real driver and plants:

    tests/vm/run --locks 2 -- tests/agent/e2e_test.py

Every example of the integration guide (the README's API and events), with
curl as the client and a webhook receiver that checks every signature.
TAP output.
"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from agentlib import (LINE_DOOR, Daemon, Receiver, Tap, bind,  # noqa: E402
                      completed, fields, free_port, plant, sim_pull, sysfs,
                      sysfs_write, turn_by_hand, unbind, wait_lock,
                      wait_until)
from hook_receiver import secret_key, sign  # noqa: E402
from openapi_check import api_doc  # noqa: E402
from ws_client import WsClient  # noqa: E402

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SEAM, APP = "seam-token-0123", "app-token-4567"
FRONT, BACK = "lock_front", "lock_back"

t = Tap()


def door(is_open):
    """The front door's contact as config() has it: active low, held high
    (closed) by doorlockd's own pull-up until the test pulls it low; were
    the bias not applied, gpio-sim's pull-down would read "open"."""
    sim_pull(0, LINE_DOOR, not is_open)


def config(state_dir, port, hook_url):
    return {
        "listen": {"address": "127.0.0.1", "port": port},
        "state_dir": state_dir,
        "tokens": [
            {"name": "seam", "token": SEAM, "performed_via": "remote_api"},
            {"name": "app", "token": APP, "performed_via": "mobile_app"},
        ],
        "locks": [
            {"lock_id": FRONT, "device": "lock-0",
             "door_sensor": {"chip": "doorlock-sim-0", "line": LINE_DOOR,
                             "active_low": True, "bias": "pull-up"}},
            {"lock_id": BACK, "device": "lock-1"},
        ],
        "webhooks": [{"url": hook_url, "secret": SECRET}],
        "webhook_retry_s": [0, 1, 1, 1, 1, 1, 1, 1],
    }


def event(kind, lock):
    return lambda b: b["event_type"] == kind and b["device_id"] == lock


def act(d, lock, action, token=None, custom_id=None):
    body = {"action": action}
    if custom_id:
        body["custom_id"] = custom_id
    return d.request("POST", "/locks/%s/actions" % lock, body, token=token)


def check_action(hooks, d, lock, action, token, custom_id, via, status,
                 error_code=None, message=None):
    """POSTs one action; checks the pending answer and its event."""
    code, ans, text = act(d, lock, action, token, custom_id)
    want = {"status": "pending", "lock_id": lock, "action": action}
    if custom_id:
        want["custom_id"] = custom_id
    t.ok(code == 202 and not fields(ans, want) and
         ans.get("action_id", "").startswith("act_"),
         "%s %s answers pending at once" % (action, lock), (code, text))
    if code != 202:
        return None
    rec = hooks.wait_for(completed(ans["action_id"]))
    want = {"event_type": "lock.action_completed", "device_id": lock,
            "action": action, "status": status, "performed_via": via}
    if custom_id:
        want["custom_id"] = custom_id
    if error_code:
        want.update(error_code=error_code, message=message)
    body = rec["body"] if rec else None
    t.ok(rec and rec["signature_valid"] and not fields(body, want) and
         (error_code or "error_code" not in body) and body.get("timestamp")
         and body.get("event_id") and body.get("seq"),
         "%s %s ends in a signed lock.action_completed %s" %
         (action, lock, status), (body, fields(body, want)))
    code, got, _ = d.request("GET", "/locks/%s/actions/%s" %
                             (lock, ans["action_id"]))
    t.ok(code == 200 and got.get("status") == status,
         "GET of the action says %s" % status, got)
    return ans


def main():
    work = tempfile.mkdtemp(prefix="e2e-")
    hooks = Receiver(SECRET, work).start()
    port = free_port()
    sim_pull(0, LINE_DOOR, False)   # only doorlockd's pull-up can lift it
    d = Daemon(config(os.path.join(work, "state"), port, hooks.url()),
               token=SEAM, workdir=work).start()
    stream = WsClient("ws://127.0.0.1:%d/events/stream?after=0" % port,
                      token=SEAM)
    stream.connect()
    try:
        run(d, hooks, stream)
    finally:
        stream.close()
        rc = d.stop()
        t.ok(rc == 0, "doorlockd stops cleanly on SIGTERM", rc)
        sim_pull(0, LINE_DOOR, False)   # the line as the next test expects
        hooks.stop()
        if t.failed:
            t.diag(d.log())
    return t.done()


def run(d, hooks, stream):
    code, ans, _ = d.request("GET", "/locks")
    locks = {lk["lock_id"]: lk for lk in (ans or {}).get("locks", [])}
    t.ok(code == 200 and all(locks.get(i, {}).get("online") for i in
                             (FRONT, BACK)),
         "GET /locks: both locks online", ans)
    code, ans, _ = d.request("GET", "/locks/" + FRONT)
    t.ok(code == 200 and not fields(ans, {
        "lock_id": FRONT, "lock_state": "unlocked", "bolt_state": "unlocked",
        "door_state": "closed", "online": True}) and ans.get("updated_at"),
        "GET /locks/<id>: the device model", ans)

    # The seed's examples: lock and unlock, attributed to the token.
    check_action(hooks, d, FRONT, "lock", SEAM, "req_39102", "remote_api",
                 "success")
    check_action(hooks, d, FRONT, "unlock", APP, "req_98aa221", "mobile_app",
                 "success")
    check_action(hooks, d, FRONT, "unlock", SEAM, None, "remote_api",
                 "success")

    # LOCK_JAMMED, both ways.
    check_action(hooks, d, BACK, "lock", SEAM, None, "remote_api", "success")
    plant(1, "jam")
    check_action(hooks, d, BACK, "unlock", SEAM, "req_jam", "remote_api",
                 "failed", "LOCK_JAMMED", "The deadbolt could not retract.")
    code, ans, _ = d.request("GET", "/locks/" + BACK)
    t.ok(ans and ans.get("last_error") == "LOCK_JAMMED" and
         ans.get("bolt_state") == "jammed",
         "the jammed lock says so", ans)
    plant(1, "normal")
    check_action(hooks, d, BACK, "unlock", SEAM, None, "remote_api",
                 "success")
    code, ans, _ = d.request("GET", "/locks/" + BACK)
    t.ok(ans and ans.get("last_error") is None and
         ans.get("bolt_state") == "unlocked" and
         sysfs(1, "last_error") == "none",
         "the next good action clears it, in the API as in sysfs", ans)
    plant(1, "jam")
    check_action(hooks, d, BACK, "lock", SEAM, None, "remote_api", "failed",
                 "LOCK_JAMMED", "The deadbolt could not extend.")
    plant(1, "normal")

    # Synchronous BOLT_OBSTRUCTED: the motor driver's fault flag is up.
    plant(1, "obstruct")
    code, ans, text = act(d, BACK, "lock")
    t.ok(code == 409 and ans == {
        "error_code": "BOLT_OBSTRUCTED",
        "message": "The lock mechanism is obstructed."},
        "a command with the fault input active: 409 BOLT_OBSTRUCTED",
        (code, text))
    plant(1, "normal")

    # The door sensor: events, state, and a lock refused while open.
    door(True)
    rec = hooks.wait_for(event("lock.door_opened", FRONT))
    t.ok(rec and rec["signature_valid"], "opening the door: lock.door_opened",
         rec)
    code, ans, _ = d.request("GET", "/locks/" + FRONT)
    t.ok(ans and ans.get("door_state") == "open", "door_state open", ans)
    code, ans, text = act(d, FRONT, "lock")
    t.ok(code == 409 and ans and ans.get("error_code") == "BOLT_OBSTRUCTED",
         "lock with the door open: 409 BOLT_OBSTRUCTED", (code, text))
    door(False)
    rec = hooks.wait_for(event("lock.door_closed", FRONT))
    t.ok(rec and rec["signature_valid"], "closing it: lock.door_closed", rec)

    # ACTION_IN_PROGRESS, and the first action still ends well.
    # A bolt stalled mid-way holds the action for travel_timeout_ms, a
    # minute: however slow the VM, the second request comes meanwhile.
    sysfs_write(0, "travel_timeout_ms", 60000)
    plant(0, "stall")
    code, first, text = act(d, FRONT, "lock")
    t.ok(code == 202, "a stalled lock is pending", (code, text))
    code, ans, text = act(d, FRONT, "unlock")
    t.ok(code == 409 and ans and
         ans.get("error_code") == "ACTION_IN_PROGRESS",
         "a second command meanwhile: 409 ACTION_IN_PROGRESS", (code, text))
    plant(0, "normal")
    rec = hooks.wait_for(completed(first["action_id"]) if first else None,
                         timeout=20)
    t.ok(rec and rec["body"]["status"] == "success",
         "freed, the first lock completes", rec)
    sysfs_write(0, "travel_timeout_ms", 3000)

    # While the bolt moves, the lock says which way. A slow bolt and a long
    # travel timeout: every request costs the emulated VM a second or so.
    sysfs_write(0, "travel_timeout_ms", 60000)
    plant(0, "slow")
    going = "unlock" if (d.request("GET", "/locks/" + FRONT)[1] or {}).get(
        "lock_state") == "locked" else "lock"
    code, moving, _ = act(d, FRONT, going)
    want = going + "ing"
    ok = wait_until(lambda: (d.request("GET", "/locks/" + FRONT)[1] or {})
                    .get("bolt_state") == want, timeout=5)
    t.ok(code == 202 and ok,
         "GET /locks/<id> while the bolt moves: bolt_state %s" % want,
         d.request("GET", "/locks/" + FRONT)[1])
    plant(0, "normal")
    rec = hooks.wait_for(completed(moving["action_id"]) if moving else None,
                         timeout=20)
    t.ok(rec and rec["body"]["status"] == "success",
         "and the movement ends well", rec)
    sysfs_write(0, "travel_timeout_ms", 3000)

    # Idempotency by custom_id.
    code, a1, _ = act(d, FRONT, "unlock", custom_id="req_idem")
    code2, a2, _ = act(d, FRONT, "unlock", custom_id="req_idem")
    t.ok(code == 202 and code2 == 200 and a1 and a2 and
         a1["action_id"] == a2["action_id"],
         "the same custom_id again: the original action (200)", (a1, a2))
    code, ans, text = act(d, FRONT, "lock", custom_id="req_idem")
    t.ok(code == 409 and ans.get("error_code") == "CUSTOM_ID_CONFLICT",
         "the same custom_id for another action: 409 CUSTOM_ID_CONFLICT",
         (code, text))
    code, ans, text = act(d, BACK, "unlock", custom_id="req_idem")
    t.ok(code == 409 and ans.get("error_code") == "CUSTOM_ID_CONFLICT",
         "the same custom_id on another lock: 409 CUSTOM_ID_CONFLICT",
         (code, text))
    hooks.wait_for(completed(a1["action_id"]) if a1 else None)
    n = [r for r in hooks.records()
         if r["body"].get("action_id") == (a1 or {}).get("action_id")]
    t.ok(len(n) == 1, "a replayed request moves the bolt once", n)

    # Manual turns, both ways.
    for cmd, action in (("manual-lock", "lock"), ("manual-unlock", "unlock")):
        floor = max([r["body"]["seq"] for r in hooks.records()] or [0])
        plant(0, cmd)
        rec = hooks.wait_for(lambda b, a=action: (
            b["event_type"] == "lock.action_completed" and
            b["performed_via"] == "manual_turn" and b["action"] == a and
            b["device_id"] == FRONT and b["seq"] > floor), timeout=10)
        body = rec["body"] if rec else {}
        t.ok(rec and body["status"] == "success" and
             "custom_id" not in body and body["action_id"].startswith("act_"),
             "a %s by hand: lock.action_completed via manual_turn" % action,
             body)

    # Bad requests.
    code, ans, _ = d.request("GET", "/locks", token="wrong-token")
    t.ok(code == 401 and ans.get("error_code") == "UNAUTHORIZED",
         "a wrong token: 401 UNAUTHORIZED", ans)
    code, ans, _ = act(d, "lock_nowhere", "lock")
    t.ok(code == 404 and ans.get("error_code") == "LOCK_NOT_FOUND",
         "an unknown lock: 404 LOCK_NOT_FOUND", ans)
    code, ans, _ = d.request("POST", "/locks/%s/actions" % FRONT,
                             raw_body=b'{"action": "lock"')
    t.ok(code == 400 and ans.get("error_code") == "INVALID_REQUEST",
         "malformed JSON: 400 INVALID_REQUEST", ans)

    # The device goes away and comes back.
    # Jammed for start_timeout_ms: unbound while the action is in flight.
    sysfs_write(1, "travel_timeout_ms", 60000)
    sysfs_write(1, "start_timeout_ms", 10000)
    plant(1, "jam")
    code, inflight, _ = act(d, BACK, "lock")
    unbind(1)
    rec = hooks.wait_for(event("device.offline", BACK))
    t.ok(rec and rec["signature_valid"], "unbinding the driver: device.offline",
         rec)
    rec = hooks.wait_for(completed(inflight["action_id"]) if inflight
                         else None)
    t.ok(rec and rec["body"]["status"] == "failed" and
         rec["body"]["error_code"] == "DEVICE_OFFLINE",
         "the action in flight fails with DEVICE_OFFLINE", rec)
    code, ans, _ = d.request("GET", "/locks/" + BACK)
    t.ok(ans and ans.get("online") is False, "the lock says online: false",
         ans)
    code, ans, text = act(d, BACK, "unlock")
    t.ok(code == 503 and ans == {
        "error_code": "DEVICE_OFFLINE",
        "message": "The device is currently offline and cannot accept commands."},
        "a command meanwhile: 503 DEVICE_OFFLINE, the seed's answer",
        (code, text))
    plant(1, "normal")
    # Turned by hand while nobody could hear: told when it comes back.
    floor = max([r["body"]["seq"] for r in hooks.records()] or [0])
    turn_by_hand(1, "locked")
    bind(1)
    wait_lock("lock-1")
    rec = hooks.wait_for(event("device.online", BACK))
    t.ok(rec and rec["signature_valid"], "binding it again: device.online", rec)
    rec = hooks.wait_for(lambda b: (
        b["event_type"] == "lock.action_completed" and
        b["device_id"] == BACK and b["seq"] > floor and
        b["performed_via"] == "manual_turn" and b["action"] == "lock"),
        timeout=10)
    t.ok(rec and rec["body"]["status"] == "success",
         "a turn by hand while it was offline: lock.action_completed via "
         "manual_turn when it is back", rec)
    ok = wait_until(lambda: d.request("GET", "/locks/" + BACK)[1]
                    .get("online"), timeout=5)
    t.ok(ok, "and the lock is online again")
    check_action(hooks, d, BACK, "unlock", SEAM, None, "remote_api",
                 "success")

    # What the receiver got, the log, and the stream agree.
    code, log, _ = d.request("GET", "/events?after=0&limit=1000")
    events = (log or {}).get("events", [])
    seqs = [e["seq"] for e in events]
    t.ok(code == 200 and seqs == sorted(seqs) and
         len(set(seqs)) == len(seqs) and
         len({e["event_id"] for e in events}) == len(events),
         "GET /events: seq increasing, event_id unique", seqs)
    wait_until(lambda: len({r["webhook_id"] for r in hooks.records()})
               >= len(events), timeout=10)
    recs = hooks.records()
    t.ok(all(r["signature_valid"] for r in recs),
         "every delivery's signature is valid")
    got = {r["webhook_id"]: r["body"] for r in recs}
    t.ok(all(got.get(e["event_id"]) == e for e in events),
         "every logged event was delivered, under its event_id",
         [e["event_id"] for e in events if got.get(e["event_id"]) != e])
    streamed = []
    try:
        while len(streamed) < len(events):
            streamed.append(json.loads(stream.recv_text(timeout=5)))
    except Exception as e:  # noqa: BLE001
        t.diag("stream: %r" % e)
    t.ok(streamed == events,
         "the WebSocket stream (replay, then live) carried the same events",
         (len(streamed), len(events)))
    for body in [r["body"] for r in recs] + streamed:
        api_doc().check_event(body)
    # Last, so that its deliveries cannot mix with the ones counted above.
    code, ans, _ = d.request("POST", "/webhooks", {
        "url": hooks.url("/second"), "events": ["lock.door_closed"]})
    t.ok(code == 201 and ans.get("status") == "active",
         "POST /webhooks registers a second endpoint", (code, ans))
    if code == 201:
        second_endpoint(d, hooks, ans["secret"])
    t.api_doc_held()


def second_endpoint(d, hooks, secret):
    """The registered endpoint gets only the events it asked for, signed
    with the secret its registration returned."""
    for is_open, state in ((True, "open"), (False, "closed")):
        door(is_open)
        wait_until(lambda s=state: (d.request("GET", "/locks/" + FRONT)[1]
                                    or {}).get("door_state") == s)
    rec = wait_until(lambda: next((r for r in hooks.records()
                                   if r["path"] == "/second"), None))
    body = (rec or {}).get("body") or {}
    want = sign(secret_key(secret), rec["webhook_id"], rec["timestamp"],
                rec["raw"].encode()) if rec else None
    t.ok(rec and body.get("event_type") == "lock.door_closed" and
         want in (rec["signature"] or "").split(),
         "it gets lock.door_closed, signed with its own secret", rec)
    t.ok(all(r["body"]["event_type"] == "lock.door_closed"
             for r in hooks.records() if r["path"] == "/second"),
         "and no other event type")




if __name__ == "__main__":
    sys.exit(main())
