"""Scale-out: three real jscored replicas on loopback behind one client that balances
over their addresses with gRPC's ``round_robin`` (a static address list).

Checks that load spreads, that programs work on every replica (the
FAILED_PRECONDITION reload path, back to the replica that lacked the program), that
sessions stay on their replica, and that killing a replica mid-run loses only the
requests in flight there: they fail UNAVAILABLE, and gRPC's retry sends them to
another replica when the client allows it.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter
from typing import Dict, Iterator, List, Tuple

import pytest
from conftest import Daemon, record, start_daemon, stop_daemon

import jscore
from jscore._proto import pb

REPLICAS = 3


@pytest.fixture
def replicas() -> Iterator[List[Daemon]]:
    started: List[Daemon] = []
    try:
        for _ in range(REPLICAS):
            started.append(start_daemon())
        yield started
    finally:
        for d in started:
            stop_daemon(d)


def answered(daemon: Daemon) -> Counter:
    """``(method, code) -> count`` of what one replica answered (asked directly)."""
    with jscore.Client(daemon.address) as direct:
        stats = direct.stats()
    return Counter({(r.method, r.code): r.count for r in stats.requests})


def direct_stats(daemon: Daemon) -> "pb.GetStatsResponse":
    with jscore.Client(daemon.address) as direct:
        return direct.stats()


def warm_up(client: jscore.Client) -> None:
    """Until every replica has answered once (round_robin skips replicas whose
    connection is not ready yet), at most 5 s."""
    seen = set()
    deadline = time.monotonic() + 5
    while len(seen) < REPLICAS and time.monotonic() < deadline:
        seen.add(client.stats().replica)
    assert len(seen) == REPLICAS, f"only {seen} answered within 5 s"


def test_requests_spread_over_every_replica(replicas: List[Daemon]) -> None:
    addresses = [d.address for d in replicas]
    with jscore.Client(addresses) as client:
        assert client.replicas == addresses
        warm_up(client)
        errors: List[BaseException] = []

        def work(base: int) -> None:
            try:
                for i in range(base, base + 75):
                    assert client.evaluate(f"{i} * 2") == i * 2
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(t * 1000,)) for t in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not errors, errors
    served = [answered(d)[("Evaluate", 0)] for d in replicas]
    assert sum(served) == 300
    # round_robin: about 100 each; no replica is left out or takes most of it.
    assert min(served) >= 60, served
    record("replicas: 300 evaluations over 3", f"per replica {served}")


def test_programs_work_on_every_replica(replicas: List[Daemon]) -> None:
    with jscore.Client([d.address for d in replicas]) as client:
        warm_up(client)
        program = client.load_program("function sign(x) { return 'v:' + x }")
        for i in range(30):
            assert program.call("sign", i) == f"v:{i}"
        # Each replica holds it, loaded once: the first by load_program, the other two
        # by the client when they answered PROGRAM_NOT_LOADED (naming themselves).
        for d in replicas:
            counts = answered(d)
            assert direct_stats(d).programs == 1
            assert counts[("LoadProgram", 0)] == 1, (d.address, counts)
        misses = sum(answered(d)[("Call", 9)] for d in replicas)  # 9: FAILED_PRECONDITION
        assert misses == REPLICAS - 1
        # A replica that loses it (a restart, an unload) gets it back the same way.
        with jscore.Client(replicas[1].address) as direct:
            direct.stub.UnloadProgram(pb.UnloadProgramRequest(program=program.id))
        for i in range(9):
            assert program.call("sign", i) == f"v:{i}"
        assert answered(replicas[1])[("LoadProgram", 0)] == 2
        # Unloading through the balancing client drops it everywhere.
        program.unload()
        assert [direct_stats(d).programs for d in replicas] == [0, 0, 0]


def test_sessions_stay_on_their_replica(replicas: List[Daemon]) -> None:
    addresses = [d.address for d in replicas]
    with jscore.Client(addresses) as client:
        warm_up(client)
        contexts = [client.context(source="var n = 0; function inc() { return ++n }")
                    for _ in range(6)]
        try:
            # Created round-robin, so every replica holds some.
            assert {c.replica for c in contexts} == set(addresses)
            for k in range(1, 11):
                for c in contexts:
                    assert c.call("inc") == k  # its own state: always the same replica
            by_replica = Counter(c.replica for c in contexts)
            for d in replicas:
                assert direct_stats(d).sessions == by_replica[d.address]
        finally:
            for c in contexts:
                c.close()
        assert [direct_stats(d).sessions for d in replicas] == [0, 0, 0]


def run_until_killed(
    client: jscore.Client, victim: Daemon, threads: int = 6
) -> Tuple[Dict[str, int], int, int]:
    """Evaluations (each awaiting 30 ms) from `threads` threads; once 60 have
    succeeded, SIGKILL `victim`; once 150 more have succeeded, stop. Returns
    (outcome -> count, successes after the kill, requests in flight at the kill)."""
    lock = threading.Lock()
    outcomes: Counter = Counter()
    state = {"ok": 0, "ok_after_kill": 0, "in_flight": 0, "in_flight_at_kill": -1}
    killed = threading.Event()
    stop = threading.Event()
    deadline = time.monotonic() + 60

    def work(t: int) -> None:
        i = 0
        while not stop.is_set() and time.monotonic() < deadline:
            i += 1
            with lock:
                state["in_flight"] += 1
            try:
                value = client.evaluate(
                    f"new Promise(r => setTimeout(() => r({t * 100000 + i}), 30))", timeout=5
                )
                outcome = "OK" if value == t * 100000 + i else f"WRONG {value}"
            except jscore.Error as e:
                outcome = e.code.name if e.code is not None else f"{type(e).__name__}: {e}"
            with lock:
                state["in_flight"] -= 1
                outcomes[outcome] += 1
                if outcome == "OK":
                    state["ok"] += 1
                    if killed.is_set():
                        state["ok_after_kill"] += 1
                if not killed.is_set() and state["ok"] >= 60:
                    state["in_flight_at_kill"] = state["in_flight"]
                    victim.process.send_signal(signal.SIGKILL)
                    killed.set()
                if state["ok_after_kill"] >= 150 or outcome not in ("OK", "UNAVAILABLE"):
                    stop.set()

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=90)
    assert killed.is_set() and state["ok_after_kill"] >= 150, f"unfinished in 60 s: {outcomes}"
    victim.process.wait(timeout=10)
    return dict(outcomes), state["ok_after_kill"], state["in_flight_at_kill"]


def test_killing_a_replica_loses_only_requests_in_flight(replicas: List[Daemon]) -> None:
    addresses = [d.address for d in replicas]
    threads = 6
    # Without retries: the requests in flight on the killed replica fail UNAVAILABLE
    # (a few more may have been sent before the client saw the connection drop), and
    # nothing else fails.
    with jscore.Client(addresses, retries=0) as client:
        warm_up(client)
        survivor_session = None
        doomed_session = None
        while survivor_session is None or doomed_session is None:
            c = client.context(source="var n = 0; function inc() { return ++n }")
            if c.replica == replicas[0].address and doomed_session is None:
                doomed_session = c
            elif c.replica != replicas[0].address and survivor_session is None:
                survivor_session = c
            else:
                c.close()
        assert survivor_session.call("inc") == 1 and doomed_session.call("inc") == 1
        outcomes, ok_after, in_flight = run_until_killed(client, replicas[0], threads)
        failed = {k: v for k, v in outcomes.items() if k != "OK"}
        assert set(failed) <= {"UNAVAILABLE"}, outcomes
        assert failed.get("UNAVAILABLE", 0) <= threads, (outcomes, in_flight)
        # Its sessions are gone with it; the others' keep their state.
        with pytest.raises(jscore.Unavailable):
            doomed_session.call("inc")
        assert survivor_session.call("inc") == 2
        record("replicas: kill one, no retries",
               f"{outcomes} ({in_flight} in flight at the kill)")
    # With the client's default retries, gRPC sends them again to a live replica:
    # nothing fails.
    with jscore.Client(addresses[1:] + [addresses[0]]) as client:
        warm_up_two = time.monotonic() + 5
        seen = set()
        while len(seen) < 2 and time.monotonic() < warm_up_two:
            seen.add(client.stats().replica)
        outcomes, ok_after, in_flight = run_until_killed(client, replicas[1], threads)
        assert outcomes == {"OK": sum(outcomes.values())}, (outcomes, in_flight)
        record("replicas: kill one, retries on",
               f"{outcomes} ({in_flight} in flight at the kill)")
