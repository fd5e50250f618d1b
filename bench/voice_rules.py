"""The combined recogniser's rule tried on recorded evidence: which margins, on which half.

    .venv/bin/python bench/voice.py now --backend vosk+whisper --every 2 --evidence a.jsonl
    .venv/bin/python bench/voice.py now --backend vosk+whisper --every 2 --start 1 \\
        --evidence b.jsonl
    .venv/bin/python bench/voice_rules.py a.jsonl          # choose on one half …
    .venv/bin/python bench/voice_rules.py b.jsonl          # … and check on the other

For each pair of margins (`combined_recognizer.decide`'s veto and rescue), and for vosk and
Whisper alone, it prints by room: right %, wrong commands and false accepts (counts). No
model runs: `decide` is pure, so every rule is tried on the same recorded hearing.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk_app.voice.combined_recognizer import SPELLINGS, Evidence, decide
from kiosk_app.voice.commands import HeardWord, interpret
from kiosk_app.voice.whisper_recognizer import verdict

VETOES = (99.0, 3.0, 2.0, 1.0, 0.01)  # 99: no veto
RESCUES = (2.0, 3.0, 4.0, 5.0)
Rule = Callable[[Evidence], str | None]


def load(path: Path) -> list[tuple[dict[str, str | None], Evidence]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        heard = [HeardWord(word, confidence) for word, confidence in row["vosk"]]
        rows.append((row, Evidence(heard, row["whisper"])))
    return rows


def command(words: list[HeardWord]) -> str | None:
    said = interpret(words)
    return str(said.command) if said.command else None


def rules() -> dict[str, Rule]:
    found: dict[str, Rule] = {
        "vosk": lambda e: command(e.vosk),
        "whisper": lambda e: command(verdict(e.whisper, SPELLINGS).words()) if e.whisper else None,
    }
    for veto in VETOES:
        for rescue in RESCUES:
            found[f"veto {veto:g} rescue {rescue:g}"] = lambda e, v=veto, r=rescue: command(
                decide(e, v, r)
            )
    return found


def report(name: str, rule: Rule, rows: list[tuple[dict[str, str | None], Evidence]]) -> None:
    rooms: dict[str, list[int]] = {}
    for row, evidence in rows:
        tally = rooms.setdefault(str(row["room"]), [0, 0, 0, 0, 0])
        got = rule(evidence)
        if row["want"] is None:
            tally[3] += 1
            tally[4] += got is not None
        else:
            tally[0] += 1
            tally[1] += got == row["want"]
            tally[2] += got is not None and got != row["want"]
    total = [sum(t[i] for t in rooms.values()) for i in range(5)]
    parts = [
        f"{room[:8]:8} {100 * t[1] / max(1, t[0]):3.0f}% {t[2]} {t[4]}" for room, t in rooms.items()
    ]
    print(
        f"{name:22} right {100 * total[1] / max(1, total[0]):4.1f}% wrong {total[2]:2d}"
        f" false acc {total[4]:2d} | " + " | ".join(parts)
    )


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    rows = [row for name in sys.argv[1:] for row in load(Path(name))]
    print(f"{len(rows)} utterances; by room: right %, wrong commands, false accepts")
    for name, rule in rules().items():
        report(name, rule, rows)


if __name__ == "__main__":
    main()
