"""The readable summary of a mirror that ``eventmirror replay`` prints.

Deterministic on purpose: the same mirror always gives the same text (no timings, no
wall-clock), so a summary can be diffed or pinned in a test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from reducers import Mirror

from .errors import noun, plural

if TYPE_CHECKING:
    from .replay import UntilId

_WIDTH = 16
_NAMES_SHOWN = 10  # unknown field names in the summary; the JSON form has them all


def _when(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    try:
        stamp = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (OverflowError, OSError, ValueError):
        return str(seconds)
    return f"{stamp} ({seconds})"


def _row(label: str, value: object, detail: str = "") -> str:
    text = f"  {label:<{_WIDTH}}{value!s:>8}"
    return f"{text}   {detail}" if detail else text


def domain_rows(mirror: Mirror) -> Iterator[str]:
    """One line per domain slice: how many entities, and what is notable about them."""
    objects = mirror.objects.values()
    comments = sum(len(o.comments) for o in objects)
    trashed = len(mirror.objects.trash)
    yield _row("tags", len(mirror.tags))
    yield _row("objects", len(mirror.objects), f"{trashed} in trash, {plural(comments, 'comment')}")
    yield _row("invitations", len(mirror.invitations))
    yield _row("user metadata", len(mirror.user_metadata), noun(len(mirror.user_metadata), "key"))
    yield _row("stale", len(mirror.stale), ", ".join(sorted(mirror.stale)) or "")
    yield _row("faxes", len(mirror.faxes))
    yield _row("announcements", len(mirror.announcements))
    live = sum(1 for c in mirror.conferences.values() if c.live)
    yield _row("conferences", len(mirror.conferences), f"{live} live")
    files = sum(len(v.files) for v in mirror.volumes.values())
    yield _row(
        "volumes", len(mirror.volumes), f"{plural(files, 'file or folder', 'files and folders')}"
    )
    online = sum(1 for b in mirror.boxes.values() if b.online)
    yield _row("boxes", len(mirror.boxes), f"{online} online")
    yield _row("call-reverse", len(mirror.callreverse), "active")
    registrations = sum(len(a.registrations) for a in mirror.sip.values())
    yield _row("sip accounts", len(mirror.sip), f"{plural(registrations, 'active registration')}")
    live = sum(1 for p in mirror.presentations.values() if p.live)
    yield _row("presentations", len(mirror.presentations), f"{live} live")
    messages = sum(len(c.message) for c in mirror.chats.values())
    yield _row("chats", len(mirror.chats), plural(messages, "message"))
    yield _row("calls", len(mirror.calls))
    yield _row("sensors", len(mirror.sensors))


def stream_rows(mirror: Mirror) -> Iterator[str]:
    """The stream's position and health, each anomaly with its event id and line."""
    health = mirror.health
    yield _row("last id", "-" if mirror.last_id is None else mirror.last_id)
    yield f"  {'now':<{_WIDTH}}{_when(mirror.now):>8}"
    yield _row("applied", mirror.applied)
    yield _row("duplicates", health.duplicates)
    gap_detail = ", ".join(f"{g.first}..{g.last}" for g in health.gaps[:5])
    if len(health.gaps) > 5:
        gap_detail += f", ... ({plural(len(health.gaps), 'gap')})"
    missing = plural(health.missing, "id")
    yield _row("gaps", len(health.gaps), f"{missing} missing: {gap_detail}" if gap_detail else "")
    yield _row("resets", health.reset_count)
    kinds = ", ".join(f"{name} x{count}" for name, count in sorted(health.unknown_types.items()))
    yield _row("unknown types", health.unknown, kinds)
    fields = sorted(health.unknown_fields.items())
    named = ", ".join(f"{name} x{count}" for name, count in fields[:_NAMES_SHOWN])
    if len(fields) > _NAMES_SHOWN:
        named += f", ... ({plural(len(fields), 'name')})"
    yield _row("unknown fields", sum(count for _, count in fields), named)
    yield _row("time backwards", health.time_backwards_count)
    yield _row(
        "anomalies",
        health.anomaly_count,
        f"{health.rejected} rejected, {health.inconsistent} inconsistent",
    )
    for anomaly in health.anomalies:
        # Without an id the message itself already names the line.
        where = (
            f"line {anomaly.line}: " if anomaly.line is not None and anomaly.id is not None else ""
        )
        yield f"    - {where}{anomaly.message}"
    if health.anomaly_count > len(health.anomalies):
        yield f"    ... {health.anomaly_count - len(health.anomalies)} more not kept"
    yield _row("resync needed", "yes" if health.resync else "no")


def render(
    mirror: Mirror, source: str, read: int | None = None, until: UntilId | None = None
) -> str:
    """The whole summary for the mirror replayed from ``source`` (``read`` records in all;
    ``until``: where ``--until-id`` stopped it)."""
    lines = [f"replayed {source}"]
    if until is not None:
        lines.append(f"--until-id {until.requested}: {until.message}")
    lines += ["", f"mirror (me = {mirror.me or 'unknown'})"]
    lines.extend(domain_rows(mirror))
    lines.extend(["", "stream"])
    if read is not None:
        # The account a reader can check: every record is exactly one of these four.
        lines.append(_row("records read", read, "= applied + duplicates + unknown + rejected"))
    lines.extend(stream_rows(mirror))
    return "\n".join(lines) + "\n"
