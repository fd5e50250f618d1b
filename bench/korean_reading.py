"""What reading Korean aloud (lessons/korean_reading.py) adds to a line before it is spoken,
against the floor of parsing the same line's cues, for every line of the library.

Target (issue 17): at most 5 ms added to a line. Run: `.venv/bin/python bench/korean_reading.py`.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lessons.cues import parse_line
from lessons.korean_reading import read_aloud
from lessons.library import load_library

ROUNDS = 50


def lines() -> list[str]:
    texts = []
    for lesson in load_library().lessons.values():
        for step in lesson.steps:
            for line in (step.say, step.practice and step.practice.instruction):
                if line is not None:
                    texts.append(line.speech("ko"))
    return texts


def per_line(work: object, texts: list[str]) -> list[float]:
    samples = []
    for _ in range(ROUNDS):
        for text in texts:
            started = time.perf_counter()
            work(text)  # type: ignore[operator]
            samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    texts = lines()
    floor = per_line(parse_line, texts)
    reading = per_line(read_aloud, texts)
    for name, samples in (("parse the line's cues (floor)", floor), ("read it aloud", reading)):
        median, p99 = statistics.median(samples), sorted(samples)[int(0.99 * len(samples))]
        print(f"{name:<32} median {median * 1e6:7.1f} µs   p99 {p99 * 1e6:7.1f} µs")
    ratio = statistics.median(reading) / statistics.median(floor)
    print(
        f"{'ratio to the floor':<32} median {ratio:7.2f} ×   worst {max(reading) * 1000:.3f} ms "
        f"(a busy machine's stalls included) against the 5 ms budget; {len(texts)} lines"
    )


if __name__ == "__main__":
    main()
