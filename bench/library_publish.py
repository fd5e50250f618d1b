"""Lesson publishing at scale: a 50-lesson library with pictures published to 100 simulated
centers through one central broker. Bytes on the wire per center, and the time from the offer
until every center teaches the new version, as ratios to the floor measured in the same run:
the same files copied raw (256 KB messages, QoS 1) over the same broker to as many clients.

Starts its own Mosquitto on a free port. Run: `.venv/bin/python bench/library_publish.py`
(`--centers N`, default 100; `--quick` for a smoke run of 10 centers).

Central's side is what the site monitor does: one MqttLink on every center's `library/fetch`,
answered by `LibraryOffers.request`, and the retained offers of `LibraryOffers.due`. Each
center is a real `LibraryKeeper` with its own MqttLink and LibraryStore, all in one child
process (so central's Python does not share a GIL with them), one thread each as in
production. The floor's receivers are plain paho clients in a child process the same way.
Two floors: fan-out (one publish per chunk, the broker copies it to every client: the least
any transfer through this broker can cost) and unicast (a copy per client on its own topic:
what a pull per center, like ours, must at least cost central).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import queue
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from central import library_offers
from central.library_offers import LibraryOffers
from central.library_publish import library_problems, publish
from lessons import BUNDLED_LIBRARY
from lessons.bundle import Manifest, new_private_key, public_key_text, trusted_keys
from lessons.library_store import LibraryStore
from robot_bridge.library.keeper import LibraryKeeper, lessons_load, subscriptions
from robot_bridge.link.mqtt_link import MAX_INFLIGHT, BrokerAddress, MqttLink
from robot_bridge.protocol import topics
from robot_bridge.protocol.library_messages import CHUNK_BYTES, WINDOW
from robot_bridge.protocol.topics import Kind
from tests.mosquitto import Broker, free_port

EXTRA_LESSONS = 14  # the bundled 36 + 14 renamed copies = 50
DEADLINE_SECONDS = 600.0  # a run that has not finished by then is reported as it stands
_PICTURE = re.compile(r"^(\s*picture:\s*)(\S+\.png)\s*$", re.M)


# ---- the library ----------------------------------------------------------------------------


def distinct_png(data: bytes, mark: str) -> bytes:
    """The same picture with a text chunk added before its end: a different, still whole PNG."""
    body = b"Comment\x00" + mark.encode()
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + body))
    end = data.rindex(b"IEND") - 4
    return data[:end] + chunk + data[end:]


def make_library(root: Path) -> Path:
    """The bundled library plus renamed copies of its first lessons, each with pictures of its
    own, checked as `publish-lessons` would."""
    shutil.copytree(BUNDLED_LIBRARY, root)
    pictures = root / "pictures"
    for n, source in enumerate(sorted((root / "lessons").glob("*.yaml"))[:EXTRA_LESSONS], 1):
        new_id = f"{source.stem}-copy{n}"
        text = re.sub(
            r"^id:\s*\S+", f"id: {new_id}", source.read_text("utf-8"), count=1, flags=re.M
        )

        def copy_picture(match: re.Match[str], n: int = n) -> str:
            new = f"{Path(match[2]).stem}-copy{n}.png"
            data = (pictures / match[2]).read_bytes()
            (pictures / new).write_bytes(distinct_png(data, new))
            return match[1] + new

        (root / "lessons" / f"{new_id}.yaml").write_text(_PICTURE.sub(copy_picture, text))
    problems = library_problems(root)
    if problems:
        raise RuntimeError("the bench library does not check:\n" + "\n".join(problems[:10]))
    return root


def library_files(store: LibraryStore, manifest: Manifest) -> list[bytes]:
    """Every file a center fetches (the signed manifest too), as bytes."""
    document = store.document(manifest.version)
    return [document] + [store.blob_path(e.sha256).read_bytes() for e in manifest.files]


# ---- central's side -------------------------------------------------------------------------


class Central:
    """What the site monitor does for the library: answer fetches, publish the offers."""

    def __init__(self, broker: BrokerAddress, store: LibraryStore) -> None:
        self.offers = LibraryOffers(store)
        self.limited = 0  # requests that waited for their center's next second
        self.link = MqttLink(
            broker, "bench-central", [(topics.every_center(Kind.LIBRARY_FETCH), 1)]
        )
        self.stop = threading.Event()
        self.link.start()
        if not self.link.connected.wait(10):
            raise RuntimeError("central could not connect")
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        """As the site monitor's loop: take requests (≤ 0.1 s apart), answer what waited."""
        while not self.stop.is_set():
            try:
                topic, payload = self.link.inbox.get(timeout=0.1)
            except queue.Empty:
                pass
            else:
                answered = self.offers.request(topic, payload, time.time())
                if answered:
                    self.link.publish(*answered)
                else:
                    self.limited += 1
            for topic, payload, retain in self.offers.waiting_answers(time.time()):
                self.link.publish(topic, payload, retain=retain)

    def offer(self, centers: list[str]) -> None:
        for topic, payload, retain in self.offers.due(centers):
            self.link.publish(topic, payload, retain=retain)

    def close(self) -> None:
        self.stop.set()
        self.link.stop()


# ---- the children: centers, and the floor's receivers ---------------------------------------


def packet_bytes(topic: str, payload: bytes) -> int:
    """A QoS 1 PUBLISH on the wire: fixed header, topic, packet id, payload."""
    rest = 2 + len(topic.encode()) + 2 + len(payload)
    return 1 + max(1, (rest.bit_length() + 6) // 7) + rest


class CountingLink(MqttLink):
    """An MqttLink that counts what arrives (payload and whole packets) and when it last did."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.payload = self.wire = 0
        self.last = 0.0

    def _on_message(self, c: mqtt.Client, u: Any, message: mqtt.MQTTMessage) -> None:
        self.payload += len(message.payload)
        self.wire += packet_bytes(message.topic, message.payload)
        self.last = time.monotonic()
        super()._on_message(c, u, message)


class Center:
    """A center: a real keeper with its own link and store, on a thread of its own."""

    def __init__(self, port: int, name: str, root: Path, key: str, version: int) -> None:
        self.name, self.version, self.current_at = name, version, 0.0
        broker = BrokerAddress("127.0.0.1", port)
        self.link = CountingLink(broker, f"bench-{name}", subscriptions(name))
        self.sent = 0
        publish = self.link.publish
        self.link.publish = self._counted(publish)  # type: ignore[method-assign]
        self.keeper = LibraryKeeper(LibraryStore(root), trusted_keys([key]), self.link, name)
        self.keeper.fetcher.on_switch = self._switched
        self.load_cpu = 0.0  # CPU seconds in the keeper's check that the lessons load
        self.keeper.fetcher.accept = self._accept

    def _accept(self, folder: Path) -> str | None:
        started = time.thread_time()
        try:
            return lessons_load(folder)
        finally:
            self.load_cpu += time.thread_time() - started

    def _counted(self, publish: Any) -> Any:
        def counted(topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> None:
            if topic.endswith("/library/fetch"):
                self.sent += len(payload)
            publish(topic, payload, qos, retain)

        return counted

    def _switched(self, version: int) -> None:
        if version == self.version and not self.current_at:
            self.current_at = time.monotonic()
        self.keeper._switched(version)

    def result(self) -> dict[str, Any]:
        fetcher = self.keeper.fetcher
        return {
            "current_at": self.current_at,
            "last_byte_at": self.link.last,
            "payload": self.link.payload,
            "wire": self.link.wire,
            "sent": self.sent,
            "resends": fetcher.resends,
            "load_cpu": self.load_cpu,
        }


def center_names(tag: str, count: int) -> list[str]:
    """Names of a run's own (so that no run finds another's retained offer)."""
    return [f"{tag}-c{i:03d}" for i in range(count)]


def run_centers(port: int, tag: str, count: int, root: Path, key: str, version: int) -> None:
    """Child process: `count` centers; prints `ready`, then one JSON line when all (or the
    deadline) are done."""
    logging.basicConfig(level=logging.ERROR)
    centers = [Center(port, name, root / name, key, version) for name in center_names(tag, count)]
    stop = threading.Event()
    for center in centers:
        center.link.start()
    for center in centers:
        if not center.link.connected.wait(30):
            raise RuntimeError(f"{center.name} could not connect")
        threading.Thread(target=center.keeper.run, args=(stop,), daemon=True).start()
    started = sum(os.times()[:2])
    print("ready", flush=True)
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline and not all(c.current_at for c in centers):
        time.sleep(0.05)
    cpu = sum(os.times()[:2]) - started
    print(json.dumps({"centers": [c.result() for c in centers], "cpu": cpu}), flush=True)
    os._exit(0)  # 200 threads: no need to wind each down


def run_receivers(port: int, count: int, unicast: bool, expected: int) -> None:
    """Child process: `count` plain paho clients counting bytes on the floor's topic(s)."""
    done = [0.0] * count
    got = [0] * count
    clients = []

    def receiver(i: int) -> mqtt.Client:
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"floor-{i}")
        subscribed = threading.Event()

        def on_message(_c: mqtt.Client, _u: Any, message: mqtt.MQTTMessage) -> None:
            got[i] += len(message.payload)
            if got[i] >= expected and not done[i]:
                done[i] = time.monotonic()

        client.on_message = on_message
        client.on_subscribe = lambda *_: subscribed.set()
        client.on_connect = lambda c, *_: c.subscribe(floor_topic(i, unicast), qos=1)
        client.on_socket_open = lambda _c, _u, sock: sock.setsockopt(6, 1, 1)  # TCP_NODELAY
        client.connect("127.0.0.1", port)
        client.loop_start()
        client.subscribed = subscribed  # type: ignore[attr-defined]
        return client

    clients = [receiver(i) for i in range(count)]
    for client in clients:
        client.subscribed.wait(30)  # type: ignore[attr-defined]
    print("ready", flush=True)
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline and not all(done):
        time.sleep(0.02)
    print(json.dumps([{"done_at": d, "payload": g} for d, g in zip(done, got, strict=True)]))
    sys.stdout.flush()
    os._exit(0)


def floor_topic(i: int, unicast: bool) -> str:
    return f"floor/{i}" if unicast else "floor/all"


def child(args: list[str]) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    if process.stdout.readline().strip() != "ready":
        raise RuntimeError(f"the child {args[:2]} did not start")
    return process


def results(process: subprocess.Popen[str]) -> Any:
    assert process.stdout is not None
    line = process.stdout.readline()
    process.wait(30)
    return json.loads(line)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---- the runs -------------------------------------------------------------------------------


def floor_run(port: int, files: list[bytes], count: int, unicast: bool) -> dict[str, Any]:
    """The same files in 256 KB QoS 1 messages to `count` plain clients."""
    chunks = [f[i : i + CHUNK_BYTES] for f in files for i in range(0, len(f), CHUNK_BYTES)]
    expected = sum(map(len, chunks))
    receivers = child(
        ["--child-receivers", str(port), str(count), str(int(unicast)), str(expected)]
    )
    sender = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="floor-sender")
    sender.max_inflight_messages_set(MAX_INFLIGHT)
    sender.on_socket_open = lambda _c, _u, sock: sock.setsockopt(6, 1, 1)
    sender.connect("127.0.0.1", port)
    sender.loop_start()
    start = time.monotonic()
    for chunk in chunks:
        for i in range(count if unicast else 1):
            sender.publish(floor_topic(i, unicast), chunk, qos=1)
    got = results(receivers)
    sender.disconnect()
    sender.loop_stop()
    topic_len = len(floor_topic(count - 1, unicast))
    wire = sum(packet_bytes("x" * topic_len, c) for c in chunks)
    return {
        "seconds": max(g["done_at"] for g in got) - start
        if all(g["done_at"] for g in got)
        else None,
        "median_seconds": statistics.median(g["done_at"] - start for g in got),
        "payload": expected,
        "wire": wire,
    }


def our_run(
    broker: Broker, store: LibraryStore, key: str, tag: str, count: int, root: Path
) -> dict[str, Any]:
    """Central offers the version; `count` keepers fetch it and make it current."""
    version = store.current()
    central = Central(BrokerAddress("127.0.0.1", broker.port), store)
    args = [str(broker.port), tag, str(count), str(root / tag), key, str(version)]
    centers = child(["--child-centers", *args])
    assert broker.process is not None
    cpu = time.process_time(), cpu_seconds(broker.process.pid)
    start = time.monotonic()
    central.offer(center_names(tag, count))
    done = results(centers)
    got = done["centers"]
    central_cpu = time.process_time() - cpu[0]
    broker_cpu = cpu_seconds(broker.process.pid) - cpu[1]
    central.close()
    late = [g for g in got if not g["current_at"]]
    return {
        "seconds": None if late else max(g["current_at"] for g in got) - start,
        "median_seconds": statistics.median(
            g["current_at"] - start for g in got if g["current_at"]
        ),
        "bytes_seconds": max(g["last_byte_at"] for g in got) - start,
        "payload": statistics.mean(g["payload"] for g in got),
        "wire": statistics.mean(g["wire"] for g in got),
        "sent": statistics.mean(g["sent"] for g in got),
        "resends": sum(g["resends"] for g in got),
        "limited": central.limited,
        "late": len(late),
        "cpu": (central_cpu, broker_cpu, done["cpu"], sum(g["load_cpu"] for g in got)),
    }


def ratio(ours: float | None, floor: float | None) -> str:
    return f"{ours / floor:7.2f} ×" if ours and floor else "    n/a"


def seconds(value: float | None) -> str:
    return f"{value:8.2f} s" if value is not None else "  (late)"


def report(count: int, library_bytes: int, fanout: dict[str, Any], unicast: dict[str, Any],
           ours: dict[str, Any]) -> None:  # fmt: skip
    print(f"-- {count} center(s); the library: {library_bytes:,} bytes in files + manifest")
    print(f"{'floor, fan-out (one publish, broker copies)':<52}{seconds(fanout['seconds'])}")
    print(f"{'floor, unicast (a copy per client)':<52}{seconds(unicast['seconds'])}")
    print(f"{'ours: offer → all bytes at every center':<52}{seconds(ours['bytes_seconds'])}")
    print(f"{'ours: offer → current at every center':<52}{seconds(ours['seconds'])}"
          f"   (median center {ours['median_seconds']:.2f} s)")  # fmt: skip
    print(f"{'ratio time ours / fan-out floor':<52}{ratio(ours['seconds'], fanout['seconds'])}")
    print(f"{'ratio time ours / fan-out floor (all bytes only)':<52}"
          f"{ratio(ours['bytes_seconds'], fanout['seconds'])}")  # fmt: skip
    print(f"{'ratio time ours / unicast floor':<52}{ratio(ours['seconds'], unicast['seconds'])}")
    print(f"{'bytes to a center (payload / with MQTT headers)':<52}"
          f"{ours['payload']:12,.0f} / {ours['wire']:,.0f}")  # fmt: skip
    print(f"{'floor bytes to a client (payload / with headers)':<52}"
          f"{fanout['payload']:12,} / {fanout['wire']:,}")  # fmt: skip
    print(
        f"{'ratio bytes ours / floor (payload, with headers)':<52}"
        f"{ours['payload'] / fanout['payload']:7.3f} ×, {ours['wire'] / fanout['wire']:.3f} ×"
    )
    print(f"{'requests a center sent up':<52}{ours['sent']:12,.0f} bytes")
    print(f"{'requests that waited a second / resends by centers':<52}"
          f"{ours['limited']:12,} / {ours['resends']:,}   (late: {ours['late']})")  # fmt: skip
    central, broker, centers, loads = ours["cpu"]
    print(f"{'CPU s: central / broker / centers (of it: lessons load)':<52}"
          f"{central:8.1f} / {broker:.1f} / {centers:.1f} ({loads:.1f})")  # fmt: skip


def bench(broker: Broker, store: LibraryStore, key: str, counts: list[int], work: Path) -> None:
    port = broker.port
    manifest_version = store.current()
    assert manifest_version is not None
    from lessons.bundle import unverified

    manifest = unverified(store.document(manifest_version))
    files = library_files(store, manifest)
    library_bytes = sum(map(len, files))
    for n, count in enumerate(counts):
        fanout = floor_run(port, files, count, unicast=False)
        unicast = floor_run(port, files, count, unicast=True)
        ours = our_run(broker, store, key, f"r{n}", count, work)
        report(count, library_bytes, fanout, unicast, ours)


def main() -> None:
    if sys.argv[1:2] == ["--child-centers"]:
        port, tag, count, root, key, version = sys.argv[2:8]
        run_centers(int(port), tag, int(count), Path(root), key, int(version))
        return
    if sys.argv[1:2] == ["--child-receivers"]:
        port, count, unicast, expected = map(int, sys.argv[2:6])
        run_receivers(port, count, bool(unicast), expected)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--centers", type=int, default=100, help="simulated centers (100)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 10 centers")
    parser.add_argument(
        "--bytes-per-second",
        type=int,
        metavar="N",
        help="diagnosis only: what central sends one center a second in this run "
        f"(shipped: {library_offers.BYTES_PER_CENTER_SECOND:,})",
    )
    options = parser.parse_args()
    count = 10 if options.quick else options.centers
    if options.bytes_per_second:
        library_offers.BYTES_PER_CENTER_SECOND = options.bytes_per_second
    limit = library_offers.BYTES_PER_CENTER_SECOND
    # each hit is counted and reported below; a warning line per center and second is noise
    logging.getLogger("central.library_offers").setLevel(logging.ERROR)
    print(f"chunk {CHUNK_BYTES:,} bytes, window {WINDOW}, central sends ≤ {limit:,} B/s a center")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("making and checking the 50-lesson library…", file=sys.stderr)
        key = new_private_key()
        store = LibraryStore(work / "central")
        publish(store, make_library(work / "source"), key, "bench: 50 lessons")
        port = free_port()
        config = (
            f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
            "max_queued_messages 200000\nmax_inflight_messages 100\n"
            "max_packet_size 2000000\nset_tcp_nodelay true\n"
        )
        broker = Broker(work / "broker", config=config, port=port).start()
        try:
            bench(broker, store, public_key_text(key), [count, 1] if count > 1 else [1], work)
        finally:
            broker.stop()


if __name__ == "__main__":
    main()
