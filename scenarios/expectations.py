"""The checking steps of a scenario run (``expect``, ``expect_client``, ``expect_events``),
kept apart from the steps that change the world (:mod:`scenarios.engine`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import reducers
from eventmirror.errors import plural

from .matching import MISSING, Difference, compare
from .model import Expect, ExpectClient, ExpectEvents, Step

if TYPE_CHECKING:
    from .engine import Client, StepFailed


class Expectations:
    """What :class:`scenarios.engine.Run` checks; the run gives the clients and the failure."""

    clients: dict[str, Client]

    def fail(self, step: Step, headline: str, **details: Any) -> StepFailed:
        raise NotImplementedError  # pragma: no cover - the run defines it

    def resolve(self, value: Any, *, text_keys: bool = False) -> Any:
        raise NotImplementedError  # pragma: no cover - the run defines it

    def client_failures(self, client: Client) -> Any:
        raise NotImplementedError  # pragma: no cover - the run defines it

    def expect(self, step: Expect) -> None:
        client = self.clients[step.session]
        differences = self.differences(step.mirror, reducers.to_json(client.mirror), step.strict)
        if differences:
            raise self.fail(
                step,
                f"the mirror of session {step.session} differs at "
                f"{plural(len(differences), 'path')}",
                differences=differences,
            )

    def expect_client(self, step: ExpectClient) -> None:
        client = self.clients[step.session]
        if client.under_test is None:
            raise self.fail(
                step,
                "expect_client checks a client under test, and this run has none (run with "
                "--client MODULE:FACTORY or --client-cmd COMMAND)",
            )
        with self.client_failures(client):
            reported = client.under_test.state()
        differences = self.differences(step.state, reported, step.strict)
        if differences:
            raise self.fail(
                step,
                f"the state of session {step.session}'s client differs at "
                f"{plural(len(differences), 'path')}",
                differences=differences,
                session=step.session,
            )

    def differences(
        self, written: Mapping[str, Any], actual: Mapping[str, Any], strict: bool
    ) -> list[Difference]:
        expected = self.resolve(written, text_keys=True)
        # Strict reaches below the sections named, never to the sections left out.
        return [
            difference
            for section, want in expected.items()
            for difference in compare(
                want, actual.get(section, MISSING), strict=strict, path=(section,)
            )
        ]

    def expect_events(self, step: ExpectEvents) -> None:
        client = self.clients[step.session]
        actual = client.received[client.checked :]
        client.checked = len(client.received)
        expected = [self.resolve(event, text_keys=True) for event in step.events]
        rows = []
        for position in range(max(len(expected), len(actual))):
            want = expected[position] if position < len(expected) else None
            got = actual[position] if position < len(actual) else None
            same = want is not None and got is not None and not compare(want, got)
            rows.append((want, got, same))
        if not all(same for _, _, same in rows):
            raise self.fail(
                step,
                f"session {step.session} received {len(actual)} "
                f"{'event' if len(actual) == 1 else 'events'} since the last check; "
                f"the step expects {len(expected)}, and they differ",
                events=rows,
            )
