#!/usr/bin/python3
"""doorlockd under outages and crashes, in the test VM:

    tests/vm/run --locks 2 -- tests/agent/crash_test.py

- The receiver is down while 200 events happen; when it is back, all 200
  arrive, in order per lock, each signed.
- Retry-After is honoured and 410 Gone disables an endpoint.
- doorlockd is killed (SIGKILL) at random moments during 20 actions and
  restarted each time: every action ends in exactly one
  lock.action_completed, every event is delivered at least once under a
  stable webhook-id, and seq keeps counting up across restarts.
TAP output.
"""
import json
import os
import random
import re
import signal
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from agentlib import (LINE_DOOR, TOP, Daemon, Receiver, Tap,  # noqa: E402
                      free_port, LINE_LOCK, LINE_UNLOCK, plant, sim_pull,
                      sim_value, turn_by_hand, wait_until)
from ws_client import WsClient  # noqa: E402

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
TOKEN = "crash-test-token"
LOCKS = ("lock_a", "lock_b")
OUTAGE_EVENTS = 200

t = Tap()


def config(state_dir, port, hooks):
    return {
        "listen": {"address": "127.0.0.1", "port": port},
        "state_dir": state_dir,
        "tokens": [{"name": "seam", "token": TOKEN,
                    "performed_via": "remote_api"}],
        "locks": [{"lock_id": LOCKS[n], "device": "lock-%d" % n,
                   "door_sensor": {"chip": "doorlock-sim-%d" % n,
                                   "line": LINE_DOOR}} for n in (0, 1)],
        "webhooks": [{"url": h.url(), "secret": SECRET} for h in hooks],
        # 16 attempts over 3.5 minutes: long enough to outlast the outage
        # below even in the slow VM, short enough to test.
        "webhook_retry_s": [0, 1] + [15] * 14,
    }


def get(port, path):
    """A quick poll without spawning curl (the VM is slow to start it)."""
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path),
                                 headers={"Authorization": "Bearer " + TOKEN})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def logged_events(port):
    events, after = [], 0
    while True:
        page = get(port, "/events?after=%d&limit=1000" % after)["events"]
        if not page:
            return events
        events += page
        after = page[-1]["seq"]


def first_deliveries(hooks):
    """Each webhook-id once, in the order the receiver first saw it."""
    seen, out = set(), []
    for r in hooks.records():
        if r["webhook_id"] not in seen and r["status_returned"] < 300:
            seen.add(r["webhook_id"])
            out.append(r)
    return out


def door_events(port, n):
    """Toggles the doors @n times in all, waiting for each to register so
    no edge is folded into the next."""
    state = {0: False, 1: False}
    for i in range(n):
        lock = i % 2
        state[lock] = not state[lock]
        sim_pull(lock, LINE_DOOR, state[lock])
        want = "open" if state[lock] else "closed"
        if not wait_until(lambda: get(port, "/locks/" + LOCKS[lock])
                          ["door_state"] == want, timeout=10, interval=0.01):
            return False
    return True


def outage(d, hooks, port):
    start = get(port, "/events?after=0&limit=1")
    floor = logged_events(port)[-1]["seq"] if start["events"] else 0
    hooks.stop()
    began = time.monotonic()
    ok = door_events(port, OUTAGE_EVENTS)
    t.ok(ok, "%d door events while the receiver is down" % OUTAGE_EVENTS)
    t.diag("the outage lasted %.0f s" % (time.monotonic() - began))
    hooks.start()
    made = [e for e in logged_events(port) if e["seq"] > floor]
    wait_until(lambda: len({r["webhook_id"] for r in first_deliveries(hooks)
                            if r["body"]["seq"] > floor}) >= len(made),
               timeout=300, interval=0.5)
    got = [r for r in first_deliveries(hooks) if r["body"]["seq"] > floor]
    t.ok(len(made) == OUTAGE_EVENTS and len(got) == OUTAGE_EVENTS,
         "receiver back: all %d arrive" % OUTAGE_EVENTS, (len(made), len(got)))
    t.ok(all(r["signature_valid"] for r in hooks.records()),
         "every delivery is signed correctly")
    for lock in LOCKS:
        seqs = [r["body"]["seq"] for r in got if r["body"]["device_id"] == lock]
        t.ok(seqs == sorted(seqs) and len(seqs) == OUTAGE_EVENTS // 2,
             "%s's events arrived in order" % lock, seqs)


def stream_replay(port):
    """The WebSocket stream replays a log longer than its queue (the
    outage's events and some more), then goes live without losing or
    doubling an event that was committed while it replayed."""
    with open(os.path.join(TOP, "agent", "event_stream.h")) as f:
        header = f.read()
    queue_max = int(re.search(r"#define EVENT_STREAM_QUEUE_MAX\s+(\d+)",
                              header).group(1))
    short = queue_max + 1 - len(logged_events(port))
    if short > 0:
        door_events(port, short + short % 2)    # even: the doors closed
    logged = logged_events(port)
    stream = WsClient("ws://127.0.0.1:%d/events/stream?after=0" % port,
                      token=TOKEN)
    got = []
    try:
        stream.connect()
        # Committed while the replay is under way: the log has it.
        sim_pull(0, LINE_DOOR, True)
        want = len(logged) + 1
        while len(got) < want:
            got.append(json.loads(stream.recv_text(timeout=30)))
    except Exception as e:  # noqa: BLE001
        t.diag("stream: %r" % e)
    finally:
        stream.close()
    seqs = [e["seq"] for e in got]
    t.ok(len(logged) > queue_max and
         got[:len(logged)] == logged and
         seqs == list(range(seqs[0] if seqs else 1, len(seqs) + 1)),
         "the stream replays %d events, more than its queue holds, then "
         "the live one once"
         % len(logged), (len(logged), len(got), seqs[-5:]))
    sim_pull(0, LINE_DOOR, False)       # the door as it was
    wait_until(lambda: get(port, "/locks/" + LOCKS[0])["door_state"] ==
               "closed", timeout=10)


def retry_after_and_gone(d, hooks, slow, port):
    slow.set_mode(503, retry_after="4", times=1)
    before = len(slow.records())
    sim_pull(0, LINE_DOOR, True)
    wait_until(lambda: len(slow.records()) >= before + 2, timeout=30)
    recs = slow.records()[before:before + 2]
    gap = recs[1]["received_at"] - recs[0]["received_at"] if len(recs) == 2 \
        else 0
    t.ok(len(recs) == 2 and recs[0]["status_returned"] == 503 and
         recs[0]["webhook_id"] == recs[1]["webhook_id"] and gap >= 3.9,
         "a 503 with Retry-After: 4 is retried after 4 s, same webhook-id",
         (gap, recs))
    slow.set_mode(410)
    before = len(slow.records())
    sim_pull(0, LINE_DOOR, False)
    wait_until(lambda: len(slow.records()) > before, timeout=10)
    sim_pull(0, LINE_DOOR, True)
    sim_pull(1, LINE_DOOR, True)
    # The healthy endpoint got both; the gone one saw only the first.
    wait_until(lambda: len([r for r in hooks.records()
                            if r["body"]["event_type"] == "lock.door_opened"])
               >= 3, timeout=20)
    time.sleep(3)
    t.ok(len(slow.records()) == before + 1 and
         "410 Gone: endpoint disabled" in d.log(),
         "410 Gone disables the endpoint: nothing more is sent to it",
         slow.records()[before:])
    # A receiver that does not answer holds only its own lane: the
    # healthy one gets the event at once and the API answers meanwhile.
    slow_hooks = Receiver(SECRET, os.path.join(os.path.dirname(
        slow.workdir), "stuck"))
    t.diag("stuck receiver: %s" % slow_hooks.workdir)
    d.config["webhooks"].append({"url": slow_hooks.url(), "secret": SECRET})
    d.restart()
    slow_hooks.start()
    slow_hooks.set_mode(204, delay=40)
    before = len(hooks.records())
    started = time.monotonic()
    sim_pull(1, LINE_DOOR, False)
    rec = hooks.wait_for(lambda b: b["event_type"] == "lock.door_closed" and
                         b["device_id"] == LOCKS[1], timeout=10)
    took = time.monotonic() - started
    api_started = time.monotonic()
    get(port, "/locks")
    api_took = time.monotonic() - api_started
    t.ok(rec and len(hooks.records()) > before and took < 8 and
         api_took < 2 and len(slow_hooks.records()) >= 1,
         "a receiver that never answers delays neither the others nor "
         "the API (%.1f s, %.2f s)" % (took, api_took))
    wait_until(lambda: "lock.door_closed" in d.log() and
               "attempt 1 failed (0)" in d.log(), timeout=40)
    t.ok("attempt 1 failed (0)" in d.log(),
         "its delivery times out and is retried")
    slow_hooks.stop()
    d.config["webhooks"].pop()
    d.restart()

    # Closed doors again: a lock is refused while its door is open.
    sim_pull(0, LINE_DOOR, False)
    sim_pull(1, LINE_DOOR, False)


def crashes(d, hooks, port):
    accepted = []
    rng = random.Random(4)
    for i in range(20):
        lock = LOCKS[i % 2]
        action = ("unlock", "lock")[(i // 2) % 2]
        status, ans, _ = d.request("POST", "/locks/%s/actions" % lock,
                                   {"action": action,
                                    "custom_id": "crash_%d" % i})
        if status == 202:
            accepted.append(ans["action_id"])
        else:
            t.diag("action %d: %s %s" % (i, status, ans))
        time.sleep(rng.uniform(0, 0.6))
        d.kill(signal.SIGKILL)
        d.start()
    t.ok(len(accepted) >= 15, "most of 20 actions were answered before "
         "their kill (%d)" % len(accepted))

    def settled():
        events = logged_events(port)
        done = {e["action_id"] for e in events
                if e["event_type"] == "lock.action_completed"}
        return all(a in done for a in accepted) and \
            all(not lk.get("action_in_progress")
                for lk in get(port, "/locks")["locks"])
    wait_until(settled, timeout=60, interval=0.5)
    events = logged_events(port)
    completions = [e["action_id"] for e in events
                   if e["event_type"] == "lock.action_completed"]
    t.ok(all(completions.count(a) == 1 for a in accepted),
         "every accepted action ended in exactly one lock.action_completed",
         [a for a in accepted if completions.count(a) != 1])
    t.ok(len(completions) == len(set(completions)),
         "no action completed twice")
    seqs = [e["seq"] for e in events]
    t.ok(seqs == list(range(1, len(seqs) + 1)),
         "seq counts up by one across %d restarts" % 20, seqs[-5:])
    t.ok(len({e["event_id"] for e in events}) == len(events),
         "event_id unique")

    wait_until(lambda: {e["event_id"] for e in events} <=
               {r["webhook_id"] for r in first_deliveries(hooks)},
               timeout=60, interval=0.5)
    by_id = {}
    stable = True
    for r in (r for r in hooks.records() if r["signature_valid"]):
        if r["webhook_id"] in by_id and by_id[r["webhook_id"]] != r["raw"]:
            stable = False
        by_id.setdefault(r["webhook_id"], r["raw"])
    missing = [e["event_id"] for e in events
               if json.loads(by_id.get(e["event_id"], "null")) != e]
    t.ok(not missing, "every logged event was delivered at least once",
         missing)
    t.ok(stable, "a redelivery carries the same webhook-id and body")
    dups = len(hooks.records()) - len(by_id)
    t.diag("%d deliveries were repeats after a kill" % dups)
    t.ok(len(by_id) == len(events),
         "after de-duplication by webhook-id, each event exactly once",
         (len(by_id), len(events)))


def completion_of(ans):
    action_id = (ans or {}).get("action_id")
    return lambda b: (b["event_type"] == "lock.action_completed" and
                      b["action_id"] == action_id)


def overrun(hooks, port, work):
    """Events lost to the overflow of the driver's queue: the action's
    outcome is not."""
    d = Daemon(config(os.path.join(work, "state-overrun"), port, [hooks]),
               workdir=os.path.join(work, "overrun")).start()
    try:
        now = get(port, "/locks/" + LOCKS[0])["lock_state"]
        action = "unlock" if now == "locked" else "lock"
        status, ans, _ = d.request("POST", "/locks/%s/actions" % LOCKS[0],
                                   {"action": action})
        d.kill(signal.SIGSTOP)
        # The action ends while doorlockd is stopped; then turns by hand
        # of the same lock, two events each, push its completion out of
        # the driver's 64-deep queue.
        wait_until(lambda: sim_value(0, LINE_LOCK) == 0 and
                   sim_value(0, LINE_UNLOCK) == 0, timeout=20)
        rest = "locked" if action == "lock" else "unlocked"
        for i in range(36):
            rest = "unlocked" if rest == "locked" else "locked"
            turn_by_hand(0, rest)
        d.kill(signal.SIGCONT)
        rec = hooks.wait_for(completion_of(ans), timeout=20)
        t.ok(status == 202 and rec and rec["body"]["status"] == "success",
             "after the driver's queue overflowed the action's outcome still arrives",
             (status, rec))
        # The tick may settle the action by its cookie before the queue is
        # read: the overflow is noticed when it is.
        t.ok(wait_until(lambda: "event queue overrun" in d.log(), timeout=20),
             "the overflow was noticed and resynchronised", d.log()[-2000:])
        events = logged_events(port)
        done = [e["action_id"] for e in events
                if e["event_type"] == "lock.action_completed"]
        t.ok(done.count((ans or {}).get("action_id")) == 1,
             "and it completed exactly once")
        status, ans, _ = d.request("POST", "/locks/%s/actions" % LOCKS[0],
                                   {"action": "lock" if rest == "unlocked"
                                    else "unlock"})
        rec = hooks.wait_for(completion_of(ans), timeout=20)
        t.ok(rec and rec["body"]["status"] == "success",
             "the lock works normally afterwards", rec)
    finally:
        d.stop()


def turned_while_down(hooks, port, work):
    """A bolt turned by hand while doorlockd is down is reported when it
    comes back, so a cloud following the webhooks is not left stale."""
    state = os.path.join(work, "state-down")
    d = Daemon(config(state, port, [hooks]),
               workdir=os.path.join(work, "down")).start()
    try:
        # An action first, so the log says where the bolt rests.
        now = get(port, "/locks/" + LOCKS[1])["lock_state"]
        action = "unlock" if now == "locked" else "lock"
        status, ans, _ = d.request("POST", "/locks/%s/actions" % LOCKS[1],
                                   {"action": action})
        rec = hooks.wait_for(completion_of(ans), timeout=20)
        t.ok(rec and rec["body"]["status"] == "success",
             "before the restart: the log says where the bolt rests", rec)
    finally:
        d.stop()
    to = "locked" if action == "unlock" else "unlocked"
    # This log's seq starts low: what is new is told by its webhook-id.
    seen = {r["webhook_id"] for r in hooks.records()}

    def turns():
        return [r for r in hooks.records() if r["webhook_id"] not in seen and
                r["body"]["event_type"] == "lock.action_completed" and
                r["body"]["device_id"] == LOCKS[1] and
                r["body"]["performed_via"] == "manual_turn"]

    turn_by_hand(1, to)
    d = Daemon(config(state, port, [hooks]),
               workdir=os.path.join(work, "down")).start()
    try:
        rec = (wait_until(turns, timeout=20) or [None])[0]
        t.ok(rec and rec["body"]["status"] == "success" and
             rec["body"]["action"] == ("lock" if to == "locked" else "unlock"),
             "a turn by hand while doorlockd was down: lock.action_completed via manual_turn at start",
             rec)
        t.ok(get(port, "/locks/" + LOCKS[1])["lock_state"] == to,
             "and the lock says where the bolt is")
    finally:
        d.stop()
    # Started again with nothing new: nothing is reported twice.
    d = Daemon(config(state, port, [hooks]),
               workdir=os.path.join(work, "down")).start()
    try:
        time.sleep(2)
        again = turns()
        t.ok(len({r["webhook_id"] for r in again}) == 1,
             "a restart with the bolt where it was reports nothing more",
             again)
    finally:
        d.stop()


def main():
    work = tempfile.mkdtemp(prefix="crash-")
    hooks = Receiver(SECRET, os.path.join(work, "hooks")).start()
    slow = Receiver(SECRET, os.path.join(work, "slow")).start()
    port = free_port()
    d = Daemon(config(os.path.join(work, "state"), port, [hooks, slow]),
               workdir=work).start()
    # crash_test.py [PART...]: only those parts (outage, crashes, overrun,
    # down).
    parts = sys.argv[1:] or ["outage", "crashes", "overrun", "down"]
    try:
        if "outage" in parts:
            outage(d, hooks, port)
            stream_replay(port)
            retry_after_and_gone(d, hooks, slow, port)
        if "crashes" in parts:
            crashes(d, hooks, port)
        d.stop()
        if "overrun" in parts:
            overrun(hooks, port, work)
        if "down" in parts:
            turned_while_down(hooks, port, work)
    finally:
        d.stop()
        hooks.stop()
        slow.stop()
        if t.failed:
            t.diag(d.log()[-6000:])
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
