"""Find the audit's toolchain, check the ports are ours, and run the audit's own runner.

Nothing is installed here: a missing piece is reported with the command that installs it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "AuditSetup",
    "SetupError",
    "audit_env",
    "check_port_free",
    "end_group",
    "find_setup",
    "run_runner",
    "start_audit_server",
]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RUN_SCRIPT = HERE / "run.sh"
LOOPBACK_PRELOAD = HERE / "loopback.cjs"
MIN_NODE_MAJOR = 22


class SetupError(Exception):
    """Something the audit needs is missing or in the way; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class AuditSetup:
    """Where everything is: the checkout, node 22+, tsx, and the gateway to launch."""

    audit: Path
    node: Path
    tsx: Path
    gateway: str
    apollo_modules: Path | None


def find_setup(
    audit: Path,
    node: str | None,
    tsx: str | None,
    gateway: str,
    apollo_modules: str | None,
    source: Path | None = None,
) -> AuditSetup:
    """Check the checkout, node, tsx, the runner's dependencies and the gateway under test."""
    audit = audit.resolve()
    if not (audit / "src" / "cli.ts").is_file():
        raise SetupError(f"{audit} is not a federation-gateway-audit checkout (no src/cli.ts)")
    node_path = _find_node(node)
    tsx_path = _find_tsx(audit, tsx)
    _check_runner_modules(audit, node_path)
    modules = _check_gateway(gateway, apollo_modules, source)
    return AuditSetup(audit, node_path, tsx_path, gateway, modules)


def _find_node(node: str | None) -> Path:
    candidate = node or os.environ.get("AUDIT_NODE") or shutil.which("node")
    hint = (
        f"the audit needs Node {MIN_NODE_MAJOR}+: `npm install --prefix /work/audit/node22 "
        f"node@{MIN_NODE_MAJOR}` and pass --node /work/audit/node22/node_modules/.bin/node"
    )
    if not candidate:
        raise SetupError(f"no node found; {hint}")
    try:
        version = subprocess.run(
            [candidate, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        raise SetupError(f"cannot run {candidate}: {exc}; {hint}") from exc
    major = int(version.lstrip("v").split(".", 1)[0] or 0)
    if major < MIN_NODE_MAJOR:
        raise SetupError(f"{candidate} is Node {version}; {hint}")
    return Path(candidate).resolve()


def _find_tsx(audit: Path, tsx: str | None) -> Path:
    candidates = [Path(tsx)] if tsx else []
    candidates += [
        audit / "node_modules" / ".bin" / "tsx",
        audit.parent / "tools/node_modules/.bin/tsx",
    ]
    for candidate in candidates:
        if candidate.exists():
            return candidate.resolve()
    raise SetupError(
        "tsx (runs the audit's TypeScript) not found: `npm install --prefix /work/audit/tools "
        "tsx@4` and pass --tsx /work/audit/tools/node_modules/.bin/tsx"
    )


def _check_runner_modules(audit: Path, node: Path) -> None:
    """The runner's runtime dependencies, and graphql (a peer dependency), must resolve."""
    script = (
        "const paths=[process.argv[1]];const miss=[];"
        "for (const m of ['yargs','fets','wait-on','async-retry','get-port','detect-port',"
        "'kill-port-process','jest-diff','graphql-yoga','@apollo/subgraph','graphql'])"
        "{try{require.resolve(m,{paths})}catch{miss.push(m)}}"
        "process.stdout.write(miss.join(' '))"
    )
    missing = subprocess.run(
        [str(node), "-e", script, str(audit / "src")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    ).stdout.split()
    if not missing:
        return
    hints = []
    if any(name != "graphql" for name in missing):
        hints.append(f"`cd {audit} && npm install --omit=dev` (its runtime dependencies only)")
    if "graphql" in missing:
        hints.append(f"`npm install --prefix {audit.parent} graphql@16` (a peer dependency)")
    raise SetupError(f"the audit's runner misses {', '.join(missing)}: " + " and ".join(hints))


def _check_gateway(gateway: str, apollo_modules: str | None, source: Path | None) -> Path | None:
    if gateway == "govgraph":
        env = dict(os.environ)
        if source is not None:
            command = [str(REPO / ".venv" / "bin" / "python"), "-m", "gateway"]
            env["PYTHONPATH"] = str(source.resolve())
        else:
            command = [os.environ.get("GOVGRAPH_BIN", str(REPO / ".venv" / "bin" / "govgraph"))]
        probe = subprocess.run(
            [*command, "serve", "--help"], capture_output=True, env=env, timeout=120, check=False
        )
        if probe.returncode != 0:
            shown = " ".join(command)
            raise SetupError(f"`{shown} serve` is not available (the gateway under test)")
        return None
    modules = Path(
        apollo_modules
        or os.environ.get("APOLLO_NODE_MODULES")
        or REPO / "bench" / "apollo" / "node_modules"
    ).resolve()
    if not (modules / "@apollo" / "gateway").is_dir():
        raise SetupError(
            f"no @apollo/gateway in {modules}: `npm ci --prefix {REPO / 'bench' / 'apollo'}` "
            "or pass --apollo-modules DIR"
        )
    return modules


def check_port_free(port: int) -> None:
    """Refuse a port something listens on: the audit's runner would kill that process."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SetupError(
                f"port {port} is in use; the audit kills whatever listens on the gateway's "
                "port, so pick free ones with --gateway-port / --audit-port"
            )


def audit_env(
    setup: AuditSetup, work: Path, audit_port: int, gateway_port: int, punish: bool
) -> dict[str, str]:
    """Environment for the audit's server, its runner and ``run.sh``."""
    env = dict(os.environ)
    env.update(
        PATH=f"{setup.node.parent}{os.pathsep}{env.get('PATH', '')}",
        NODE_OPTIONS=f"--require {LOOPBACK_PRELOAD} --dns-result-order=ipv4first",
        # The env file the audit loads must not decide this for us: say it either way.
        PUNISH_FOR_POOR_PLANS="1" if punish else "0",
        # A Python gateway on a busy shared machine needs more than the default 5 s.
        GATEWAY_TIMEOUT=env.get("GATEWAY_TIMEOUT", "30000"),
        AUDIT_SERVER_PORT=str(audit_port),
        GATEWAY_PORT=str(gateway_port),
        CONFORMANCE_GATEWAY=setup.gateway,
        APOLLO_NODE=str(setup.node),
        CONFORMANCE_WORK=str(work / "supergraphs"),
    )
    if setup.apollo_modules is not None:
        env["APOLLO_NODE_MODULES"] = str(setup.apollo_modules)
    return env


def start_audit_server(
    setup: AuditSetup, env: dict[str, str], audit_port: int, log: Path
) -> subprocess.Popen[bytes]:
    """The audit's subgraphs and supergraphs on their own, to replay failures after the runner.

    (The runner's ``--no-server`` cannot be passed: yargs reads it as ``--server=false``.)
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(setup.tsx), "src/cli.ts", "serve", "--port", str(audit_port)],
            cwd=setup.audit,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SetupError(f"the audit's server exited early; see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{audit_port}/ids", timeout=5) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            pass
        time.sleep(0.5)
    end_group(server)
    raise SetupError(f"the audit's server did not come up on port {audit_port}; see {log}")


def run_runner(
    setup: AuditSetup,
    env: dict[str, str],
    work: Path,
    suite: str | None,
    audit_port: int,
    gateway_port: int,
    timeout: float,
) -> int:
    """Run the audit's ``test`` (all suites) or ``test-suite`` command (it serves the suites).

    Returns the runner's exit code. Logs land in ``work/logs/<suite>-tests.log``.
    """
    gateway_url = f"http://127.0.0.1:{gateway_port}"
    command = [str(setup.tsx), "src/cli.ts"]
    command += ["test-suite", "--test", suite] if suite else ["test", "--write", "results.txt"]
    command += [
        "--cwd",
        str(work),
        "--run-script",
        str(RUN_SCRIPT),
        "--graphql",
        f"{gateway_url}/graphql",
        "--healthcheck",
        f"{gateway_url}/health",
        "--port",
        str(audit_port),
        "--reporter",
        "dot",
    ]
    # Its own session, so that a timeout or Ctrl-C ends the runner, its test processes
    # and the gateway it launched together, and nothing else.
    process = subprocess.Popen(
        command, cwd=setup.audit, env=env, stdout=sys.stderr, start_new_session=True
    )
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"audit runner timed out after {timeout:.0f} s", file=sys.stderr)
        end_group(process)
        return 124
    except KeyboardInterrupt:
        end_group(process)
        raise


def end_group(process: subprocess.Popen[bytes]) -> None:
    """End a process started in its own session, with everything it started."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue
