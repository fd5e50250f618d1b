"""Central's broker as a three-node NATS cluster: how long events stop flowing when a node
is killed (SIGKILL) while they flow, against the same backlog with no node killed.

Two centers' site Mosquittos bridged over TLS to all three nodes, four kiosks' sync agents
and central's intake as processes (tests/deploy/failover.py, as the test uses it). Each
round: a backlog recorded at every kiosk, a random wait of 0–1 s, one node killed (each in
turn) and started again 2 s later; timed from the kill until a walk recorded then is stored
at central and acknowledged at every kiosk. At the end: every event stored exactly once.
Run: `.venv/bin/python bench/broker_failover.py [ROUNDS]` (default 9, about 2 minutes).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.deploy.failover import FailoverCity

DEFAULT_ROUNDS = 9


def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="broker-failover-") as directory:
        city = FailoverCity(Path(directory))
        try:
            baseline = city.warm_up()
            recoveries = []
            for n in range(rounds):
                recoveries.append(city.kill_round(random.Random(n)))
                print(f"kill {n + 1}: events flowing again after {recoveries[-1]:.1f} s")
            city.wait_drained()
            produced, stored, distinct = city.counts()
        finally:
            city.close()
    ordered = sorted(recoveries)
    print(f"\nno node killed: {baseline:.2f} s; after a node's SIGKILL ({rounds} kills): "
          f"median {statistics.median(ordered):.1f} s, worst {ordered[-1]:.1f} s, "
          f"best {ordered[0]:.1f} s")  # fmt: skip
    print(f"events: {produced} recorded, {stored} stored at central, {distinct} distinct")
    if not stored == distinct == produced:
        raise SystemExit("LOST OR DOUBLED EVENTS")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_ROUNDS)
