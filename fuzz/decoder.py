"""Coverage-guided fuzzing of the decoder and of applying events, lenient and strict.

    python fuzz/decoder.py -max_total_time=600

One input is a few lines: the whole input is decoded as one event, then every line is
applied leniently (never raises, the account balances, every rejection names its event or
line, type and path) and folded strictly (only EventError). See fuzz/README.md.
"""

from __future__ import annotations

from _harness import example_lines, instrumented, run

with instrumented():
    from tests.fuzz.properties import check_decode, check_lenient, check_strict

#: Lines applied per input: enough for ids and clocks to interact, few enough to stay fast.
MAX_LINES = 16


def test_one_input(data: bytes) -> None:
    check_decode(data)
    lines = data.split(b"\n")[:MAX_LINES]
    lenient = check_lenient(lines)
    check_strict(lines, lenient)


def seeds() -> list[bytes]:
    lines = example_lines()
    # Each event alone, and runs of a few for the stream rules to act on.
    runs = [b"\n".join(lines[start : start + 5]) for start in range(0, len(lines), 5)]
    return lines + runs


if __name__ == "__main__":
    run("decoder", test_one_input, seeds())
