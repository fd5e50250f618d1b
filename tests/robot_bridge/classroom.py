"""A classroom for live tests: the class runner, simulated robots (in this process, or as
`sarangbang-robot-sim` processes that can be killed), kiosk class clients and a probe that
records every robot command, robot event and class state."""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import Any

from lessons.library import load_library
from robot_bridge.classes.bridge_service import BridgeService
from robot_bridge.classes.class_client import ClassClient
from robot_bridge.classes.class_follower import ClassUpdate
from robot_bridge.link.mqtt_link import BrokerAddress
from robot_bridge.protocol import topics
from robot_bridge.robots.robot_agent import RobotAgent
from robot_bridge.robots.robot_sim import SimulatedRobot
from tests.mosquitto import Broker
from tests.robot_bridge.probe import Probe

CENTER = "c1"
LIBRARY = load_library()


class Kiosk:
    """A kiosk in class mode whose learner finishes each practice when `practising` allows."""

    def __init__(self, broker: Broker, name: str) -> None:
        self.name = name
        self.spoken: list[str] = []
        self.steps: list[int] = []
        self.practising = threading.Event()
        self.practising.set()
        self.client = ClassClient(BrokerAddress.parse(broker.address), CENTER, name, self.seen)
        self.client.start()
        self._waiting: threading.Thread | None = None

    def seen(self, update: ClassUpdate) -> None:
        self.spoken += update.speak
        if update.new_step:
            self.steps.append(update.state.step_index)
            if update.state.step_kind != "say":
                threading.Thread(target=self._practise, daemon=True).start()

    def _practise(self) -> None:
        self.practising.wait()
        self.client.practice_done()


class Classroom:
    def __init__(self, broker: Broker) -> None:
        self.broker = broker
        self.address = BrokerAddress.parse(broker.address)
        self.probe = Probe(
            broker,
            topics.class_state_subscription(CENTER),
            f"sarangbang/v1/centers/{CENTER}/robots/#",
            topics.instructor(CENTER),
        )
        self.agents: dict[str, RobotAgent] = {}
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.kiosks: dict[str, Kiosk] = {}
        self.bridge = BridgeService(self.address, CENTER, LIBRARY).start()

    def robot(self, name: str) -> None:
        """A simulated robot in this process, acting instantly."""
        adapter = SimulatedRobot(name, out=lambda _line: None)
        self.agents[name] = RobotAgent(adapter, self.address, CENTER, name).start()
        self.wait_online(name)

    def robot_process(self, name: str, speed: float) -> None:
        """A `sarangbang-robot-sim` process (it can be killed for real)."""
        command = [
            sys.executable,
            "-m",
            "robot_bridge.robots.robot_sim_cli",
            "--broker",
            self.broker.address,
            "--center",
            CENTER,
            "--robot",
            name,
            "--speed",
            str(speed),
        ]
        self.processes[name] = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        self.wait_online(name)

    def kill(self, name: str) -> None:
        self.processes[name].kill()
        self.processes[name].wait()

    def wait_online(self, name: str) -> None:
        self.probe.wait_for(
            topics.robot_status(CENTER, name), lambda s: s.get("state") == "online", timeout=20
        )

    def kiosk(self, name: str) -> Kiosk:
        self.kiosks[name] = Kiosk(self.broker, name)
        return self.kiosks[name]

    def control(self, class_id: str, **body: Any) -> None:
        self.probe.publish(topics.class_control(CENTER, class_id), {"v": 1, **body})

    def states(self, class_id: str) -> list[dict[str, Any]]:
        return self.probe.on(topics.class_state(CENTER, class_id))

    def wait_state(self, class_id: str, timeout: float = 20, **fields: Any) -> dict[str, Any]:
        return self.probe.wait_for(
            topics.class_state(CENTER, class_id),
            lambda s: all(s.get(k) == v for k, v in fields.items()),
            timeout,
        )

    def commands(self, robot: str) -> list[dict[str, Any]]:
        return self.probe.on(topics.robot_cmd(CENTER, robot))

    def events(self, robot: str) -> list[dict[str, Any]]:
        return self.probe.on(topics.robot_events(CENTER, robot))

    def close(self) -> None:
        for kiosk in self.kiosks.values():
            kiosk.practising.set()
            kiosk.client.close()
        self.bridge.close()
        for agent in self.agents.values():
            agent.close()
        for process in self.processes.values():
            process.terminate()
            process.wait(5)
        self.probe.close()
