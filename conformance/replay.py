"""Ask the gateway the failing queries again to learn what the audit does not record: its errors.

The audit's log keeps only whether errors came back. For each suite with failures this
starts the gateway once more through ``run.sh`` (the audit's server is still up), posts
each failed query, and adds the gateway's error messages to the failure's reason.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from audit_runner import RUN_SCRIPT, end_group
from audit_tap import SuiteResult

__all__ = ["replay_failures"]

_MESSAGES = 2
_MESSAGE_LIMIT = 200


def replay_failures(
    suites: list[SuiteResult],
    env: dict[str, str],
    audit_port: int,
    gateway_port: int,
    logs: Path,
) -> None:
    """Append ``| gateway said: ...`` to each failed case's reason, in place."""
    for suite in suites:
        failed = [index for index, case in enumerate(suite.cases) if not case.passed]
        if not failed:
            continue
        queries = _suite_queries(audit_port, suite.suite)
        log = logs / f"{suite.suite}-replay.log"
        with log.open("wb") as out:
            gateway = subprocess.Popen(
                ["sh", str(RUN_SCRIPT), suite.suite],
                cwd=RUN_SCRIPT.parent,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            if not _wait_ready(gateway_port, gateway):
                continue
            for index in failed:
                case = suite.cases[index]
                query = queries.get(case.name)
                if query is None:
                    continue
                said = _ask(gateway_port, query)
                if said:
                    suite.cases[index] = dataclasses.replace(
                        case, reason=f"{case.reason} | gateway said: {said}"
                    )
        finally:
            end_group(gateway)


def _suite_queries(audit_port: int, suite: str) -> dict[str, str]:
    """Test name (``<suite>_<i>``) -> the exact query, from the audit's server."""
    url = f"http://127.0.0.1:{audit_port}/{suite}/tests"
    request = urllib.request.Request(url, headers={"accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=15) as answer:
            tests = json.loads(answer.read())
    except (OSError, ValueError):
        return {}
    return {
        f"{suite}_{index}": test["query"]
        for index, test in enumerate(tests)
        if isinstance(test, dict) and isinstance(test.get("query"), str)
    }


def _wait_ready(port: int, gateway: subprocess.Popen[bytes], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if gateway.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
                if answer.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def _ask(port: int, query: str) -> str:
    """The gateway's error messages for ``query``, or its HTTP failure; '' if none."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json", "accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as answer:
            body = answer.read()
    except urllib.error.HTTPError as exc:
        body = exc.read()
    except OSError as exc:
        return f"no answer ({exc})"
    try:
        payload = json.loads(body)
    except ValueError:
        return f"not JSON: {body[:_MESSAGE_LIMIT]!r}"
    errors = payload.get("errors") if isinstance(payload, dict) else None
    if not errors:
        return ""
    messages = []
    for error in errors[:_MESSAGES]:
        message = str(error.get("message", error)) if isinstance(error, dict) else str(error)
        code = error.get("extensions", {}).get("code") if isinstance(error, dict) else None
        text = f"{message} [{code}]" if code else message
        messages.append(text[:_MESSAGE_LIMIT])
    more = f" (+{len(errors) - _MESSAGES} more)" if len(errors) > _MESSAGES else ""
    return "; ".join(messages) + more
