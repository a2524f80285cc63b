"""Differential run: the same operations through govgraph and Apollo Gateway, compared.

    .venv/bin/python differential/run.py [--count 200] [--seed 1] [--data-dir DIR]
        [--source DIR] [--apollo-modules DIR] [--report FILE] [--json FILE] ...

Starts the legacy registry, the five department subgraphs (no signing secret), govgraph
(``--auth off``) and Apollo Gateway on the same supergraph, asks both every operation of
the corpus (``differential/operations/*.graphql``) and ``--count`` random ones, prints
one line per operation and a summary, minimises each disagreement, and exits 1 when
any operation disagrees (2 when the stack could not be set up). See README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import Answer, Client, Verdict, compare, spec_order_mismatch, volatile_paths
from generator import Generator, api_schema
from keys import Keys, harvest
from minimise import minimise
from stack import REPO, Stack, StackConfig

HERE = Path(__file__).resolve().parent


@dataclass(slots=True)
class Case:
    name: str
    source: str  # corpus | random
    query: str
    variables: dict[str, Any]
    expect: str = ""  # from the corpus header: errors | no-errors | ""
    apollo_wrong: str = ""  # corpus header: why Apollo's answer is known to be wrong
    operation_name: str | None = None  # corpus header: operationName to send


@dataclass(slots=True)
class Outcome:
    case: Case
    verdict: Verdict
    apollo: Answer
    ours: Answer
    minimal: tuple[str, dict[str, Any]] | None = None
    minimal_answers: tuple[Answer, Answer] | None = None
    minimal_verdict: Verdict | None = None
    minimise_asks: int = 0
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------- corpus
_HEADER = re.compile(r"^#\s*(variables|expect|description|apollo-wrong|operationName)\s*:\s*(.*)$")


def load_corpus(folder: Path, keys: Keys) -> list[Case]:
    """Each file is one operation; ``# variables: {json}`` lines (repeatable) give the
    variable sets it runs with; ``{{name}}`` placeholders take keys from the dataset."""
    cases: list[Case] = []
    placeholders = keys.placeholders()

    def fill(text: str) -> str:
        def one(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in placeholders:
                raise KeyError(f"unknown placeholder {{{{{name}}}}}")
            return placeholders[name]

        return re.sub(r"\{\{(\w+)\}\}", one, text)

    for path in sorted(folder.glob("*.graphql")):
        text = fill(path.read_text(encoding="utf-8"))
        variable_sets: list[dict[str, Any]] = []
        expect = apollo_wrong = ""
        operation_name: str | None = None
        for line in text.splitlines():
            m = _HEADER.match(line.strip())
            if not m:
                continue
            if m.group(1) == "variables":
                variable_sets.append(json.loads(m.group(2)))
            elif m.group(1) == "expect":
                expect = m.group(2).strip()
            elif m.group(1) == "operationName":
                operation_name = m.group(2).strip()
            elif m.group(1) == "apollo-wrong":
                apollo_wrong = m.group(2).strip()
        query = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        for i, variables in enumerate(variable_sets or [{}]):
            suffix = f"#{i + 1}" if len(variable_sets) > 1 else ""
            cases.append(
                Case(
                    f"{path.stem}{suffix}",
                    "corpus",
                    query.strip(),
                    variables,
                    expect,
                    apollo_wrong,
                    operation_name,
                )
            )
    return cases


def _snapshot(folder: Path) -> Path:
    """HEAD of the repository, exported to ``folder``, its commit in ``folder/COMMIT``."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "HEAD"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    commit = subprocess.run(
        ["git", "-C", str(REPO), "log", "-1", "--format=%h %s"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (folder / "COMMIT").write_text(commit + "\n")
    return folder


# ---------------------------------------------------------------------- report
def _commit(source: Path | None) -> str:
    if source is not None:
        marker = source / "COMMIT"
        return marker.read_text().strip() if marker.exists() else f"snapshot {source}"
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            [
                "git",
                "-C",
                str(REPO),
                "status",
                "--porcelain",
                "--",
                "gateway",
                "subgraphs",
                "schema.graphql",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return head + (" +uncommitted changes in gateway/subgraphs" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _json(value: Any, limit: int = 1500) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _answer_summary(a: Answer) -> dict[str, Any]:
    return {
        "status": a.status,
        "data": a.data,
        "errors": a.error_summary(5),
    }


def markdown_report(outcomes: list[Outcome], meta: dict[str, Any]) -> str:
    bad = [o for o in outcomes if not o.verdict.agrees]
    lines = [
        "# Differential run: govgraph vs Apollo Gateway",
        "",
        f"- govgraph commit: `{meta['commit']}`",
        f"- when: {meta['when']}; seed {meta['seed']}, {meta['random']} random + "
        f"{meta['corpus']} corpus operations; dataset {meta['persons']} persons",
        f"- result: {len(outcomes) - len(bad)} agree, {len(bad)} disagree "
        f"({', '.join(f'{k} {v}' for k, v in meta['kinds'].items()) or 'none'})",
        "",
    ]
    groups: dict[str, list[Outcome]] = {}
    for o in bad:
        key = o.verdict.kind + "\n" + (o.minimal[0] if o.minimal else o.case.query)
        groups.setdefault(key, []).append(o)
    for n, (_, group) in enumerate(groups.items(), 1):
        o = group[0]
        query, variables = o.minimal or (o.case.query, o.case.variables)
        apollo, ours = o.minimal_answers or (o.apollo, o.ours)
        verdict = o.minimal_verdict or o.verdict
        lines += [
            f"## {n}. {o.verdict.kind}: {verdict.detail}",
            "",
            f"Seen in: {', '.join(x.case.name for x in group)}",
            "",
            "Minimised operation:" if o.minimal else "Operation:",
            "",
            "```graphql",
            query,
            "```",
            "",
        ]
        if variables:
            lines += [f"Variables: `{_json(variables)}`", ""]
        lines += [
            f"Apollo: `{_json(_answer_summary(apollo))}`",
            "",
            f"govgraph: `{_json(_answer_summary(ours))}`",
            "",
        ]
        if o.minimal:
            lines += ["<details><summary>original operation</summary>", "", "```graphql"]
            lines += [o.case.query, "```", ""]
            if o.case.variables:
                lines += [f"Variables: `{_json(o.case.variables)}`", ""]
            lines += ["</details>", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--count", type=int, default=200, help="random operations (default 200)")
    p.add_argument("--seed", type=int, default=1, help="seed of the random operations")
    p.add_argument("--max-depth", type=int, default=5, help="nesting of random operations")
    p.add_argument(
        "--error-rate", type=float, default=0.04, help="share of deliberately bad arguments"
    )
    p.add_argument(
        "--stress",
        type=float,
        default=1.0,
        help="multiply the rates of repeated fields, directives and fragments (e.g. 2.5)",
    )
    p.add_argument(
        "--replay",
        type=Path,
        help="run the disagreements recorded in an earlier --json file (with --no-corpus "
        "and --count 0 for only those)",
    )
    p.add_argument("--no-corpus", action="store_true", help="skip operations/*.graphql")
    p.add_argument("--operations", type=Path, default=HERE / "operations")
    p.add_argument("--only", help="run only corpus cases whose name contains this")
    p.add_argument("--persons", type=int, default=1000, help="dataset size (default 1000)")
    p.add_argument(
        "--data-dir",
        type=Path,
        help="reuse (or create once) the dataset here instead of a fresh temp dir",
    )
    p.add_argument(
        "--work", type=Path, help="scratch folder (logs, supergraph); default a temp dir"
    )
    p.add_argument("--source", type=Path, help="run govgraph and the subgraphs from this snapshot")
    p.add_argument(
        "--snapshot",
        action="store_true",
        help="run from `git archive HEAD` (in the work dir), not the shared working tree",
    )
    p.add_argument("--apollo-modules", type=Path, help="node_modules with @apollo/gateway")
    p.add_argument("--node", default=os.environ.get("BENCH_NODE", "node"))
    p.add_argument(
        "--caches",
        action="store_true",
        help="govgraph with the in-memory entity, response and in-flight caches on (as "
        "`govgraph up` runs it)",
    )
    p.add_argument("--private-ports", action="store_true", help="never use 4001-4005")
    p.add_argument("--timeout", type=float, default=900, help="overall time bound, seconds")
    p.add_argument("--minimise-budget", type=int, default=150, help="asks per disagreement")
    p.add_argument("--max-minimise", type=int, default=15, help="disagreements to minimise")
    p.add_argument(
        "--strict-order",
        action="store_true",
        help="key-order differences count in the exit status (by default they are reported only)",
    )
    p.add_argument("--report", type=Path, help="write a markdown report here")
    p.add_argument("--json", type=Path, help="write every outcome as JSON here")
    p.add_argument("-v", "--verbose", action="store_true", help="print every query")
    args = p.parse_args(argv)

    started = time.monotonic()
    deadline = started + args.timeout

    def on_term(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    work = (args.work or Path(tempfile.mkdtemp(prefix="govgraph-diff-"))).resolve()
    work.mkdir(parents=True, exist_ok=True)
    if args.snapshot and not args.source:
        args.source = _snapshot(work / "source")
    config = StackConfig(
        work=work,
        data_dir=args.data_dir.resolve() if args.data_dir else None,
        persons=args.persons,
        source=args.source.resolve() if args.source else None,
        apollo_modules=args.apollo_modules,
        node=args.node,
        private_ports=args.private_ports,
        caches=args.caches,
    )
    stack = Stack(config)
    outcomes: list[Outcome] = []
    cases: list[Case] = []
    commit = _commit(config.source)
    try:
        print(f"govgraph {commit}; work dir {config.work}", flush=True)
        try:
            stack.start()
        except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
            print(f"setup failed: {exc}", file=sys.stderr)
            return 2
        print(
            f"stack up in {time.monotonic() - started:.1f}s: govgraph {stack.govgraph_url}, "
            f"apollo {stack.apollo_url}, subgraphs {stack.subgraph_ports}",
            flush=True,
        )
        keys = harvest(stack.subgraph_url, random.Random(args.seed))
        assert stack.supergraph is not None
        schema = api_schema(stack.supergraph.read_text(encoding="utf-8"))
        if not args.no_corpus:
            cases += [
                c
                for c in load_corpus(args.operations, keys)
                if not args.only or args.only in c.name
            ]
        if args.replay:
            for o in json.loads(args.replay.read_text(encoding="utf-8"))["outcomes"]:
                if o["kind"] != "agree":
                    cases.append(Case(o["name"], o["source"], o["query"], o["variables"]))
        gen = Generator(
            schema,
            keys,
            random.Random(args.seed),
            max_depth=args.max_depth,
            error_rate=args.error_rate,
            stress=args.stress,
        )
        for i in range(args.count):
            try:
                q, v = gen.operation()
            except RuntimeError as exc:
                print(f"random-{args.seed}-{i:04d}: not generated ({exc})", file=sys.stderr)
                continue
            cases.append(Case(f"random-{args.seed}-{i:04d}", "random", q, v))

        apollo, ours = Client(stack.apollo_url), Client(stack.govgraph_url)
        minimised = 0
        for case in cases:
            if time.monotonic() > deadline:
                print(f"time bound reached: {len(cases) - len(outcomes)} operations not run")
                break
            a = apollo.ask(case.query, case.variables, case.operation_name)
            g = ours.ask(case.query, case.variables, case.operation_name)
            verdict = compare(a, g, volatile_paths(case.query, schema, case.operation_name))
            if case.apollo_wrong:
                if verdict.agrees:
                    verdict.notes.append("govgraph gives Apollo's known-wrong answer too")
                else:
                    verdict = Verdict(
                        "apollo-wrong",
                        f"{verdict.kind}: {verdict.detail} (known: {case.apollo_wrong})",
                        verdict.notes,
                    )
            if not verdict.agrees and verdict.kind != "apollo-wrong":
                # Ask both again: a disagreement that does not repeat is flaky (a dropped
                # keep-alive connection, a timeout), reported but not minimised or counted.
                a2 = apollo.ask(case.query, case.variables, case.operation_name)
                g2 = ours.ask(case.query, case.variables, case.operation_name)
                again = compare(a2, g2, volatile_paths(case.query, schema, case.operation_name))
                if again.kind != verdict.kind:
                    verdict = Verdict(
                        "flaky",
                        f"{verdict.kind} then {again.kind}: {verdict.detail}",
                        verdict.notes,
                    )
            if verdict.kind == "order":
                # Which side keeps the selection-set order? (GraphQL spec, CollectFields)
                off_a = spec_order_mismatch(
                    case.query, schema, case.variables, a.data, case.operation_name
                )
                off_g = spec_order_mismatch(
                    case.query, schema, case.variables, g.data, case.operation_name
                )
                verdict.notes.append(
                    "spec order: "
                    + ("Apollo deviates" if off_a else "Apollo keeps it")
                    + ", "
                    + ("govgraph deviates" if off_g else "govgraph keeps it")
                    + (f" ({off_g})" if off_g else "")
                )
            elif verdict.agrees and g.data is not None:
                off = spec_order_mismatch(
                    case.query, schema, case.variables, g.data, case.operation_name
                )
                if off:
                    verdict.notes.append(f"both deviate from the spec order: {off}")
            outcome = Outcome(case, verdict, a, g)
            if case.expect == "errors" and not a.has_errors:
                outcome.notes.append("expected errors, Apollo returned none")
            if case.expect == "no-errors" and a.has_errors:
                outcome.notes.append(
                    "expected no errors, Apollo returned some: " + "; ".join(a.error_summary())
                )
            dead = stack.alive()
            if dead:
                print(f"stopped early: {', '.join(dead)} exited", file=sys.stderr)
                outcomes.append(outcome)
                break
            if (
                not verdict.agrees
                and verdict.kind not in ("apollo-wrong", "flaky")
                and case.operation_name is None
                and not case.query.lstrip().startswith("mutation")
                and minimised < args.max_minimise
                and time.monotonic() < deadline - 30
            ):
                minimised += 1
                kind = verdict.kind

                def still(q: str, v: dict[str, Any], kind: str = kind) -> bool:
                    if time.monotonic() > deadline - 20:
                        return False
                    vk = compare(apollo.ask(q, v), ours.ask(q, v), volatile_paths(q, schema)).kind
                    return vk == kind

                mq, mv, used = minimise(
                    case.query, case.variables, schema, still, args.minimise_budget
                )
                outcome.minimise_asks = used
                if mq.strip() != case.query.strip():
                    outcome.minimal = (mq, mv)
                    ma, mo = apollo.ask(mq, mv), ours.ask(mq, mv)
                    outcome.minimal_answers = (ma, mo)
                    outcome.minimal_verdict = compare(ma, mo, volatile_paths(mq, schema))
            outcomes.append(outcome)
            _print_outcome(outcome, args.verbose)
        apollo.close()
        ours.close()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    finally:
        stack.stop()

    bad = [o for o in outcomes if not o.verdict.agrees]
    kinds: dict[str, int] = {}
    for o in bad:
        kinds[o.verdict.kind] = kinds.get(o.verdict.kind, 0) + 1
    by_source = {
        s: (
            sum(1 for o in outcomes if o.case.source == s and o.verdict.agrees),
            sum(1 for o in outcomes if o.case.source == s),
        )
        for s in ("corpus", "random")
    }
    print()
    print(f"govgraph commit {commit}")
    for s, (ok, total) in by_source.items():
        print(f"  {s:7s} {ok}/{total} agree")
    print(
        f"TOTAL {len(outcomes) - len(bad)}/{len(outcomes)} agree; {len(bad)} disagree"
        + (f" ({', '.join(f'{k}: {v}' for k, v in kinds.items())})" if kinds else "")
        + f"; {time.monotonic() - started:.0f}s"
    )
    uncounted = {"apollo-wrong", "flaky"} | (set() if args.strict_order else {"order"})
    failing = [o for o in bad if o.verdict.kind not in uncounted]
    if len(failing) != len(bad):
        print(
            f"  ({len(bad) - len(failing)} of them not counted in the exit status: "
            "known Apollo mistakes (corpus `# apollo-wrong:`), flaky answers"
            + ("" if args.strict_order else " and key-order-only differences (--strict-order)")
            + ")"
        )
    meta = {
        "commit": commit,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "seed": args.seed,
        "random": by_source["random"][1],
        "corpus": by_source["corpus"][1],
        "persons": args.persons,
        "kinds": kinds,
    }
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(markdown_report(outcomes, meta), encoding="utf-8")
        print(f"report: {args.report}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "meta": meta,
                    "outcomes": [
                        {
                            "name": o.case.name,
                            "source": o.case.source,
                            "kind": o.verdict.kind,
                            "detail": o.verdict.detail,
                            "query": o.case.query,
                            "variables": o.case.variables,
                            "apollo": _answer_summary(o.apollo),
                            "govgraph": _answer_summary(o.ours),
                            "minimal": o.minimal,
                            "minimal_apollo": _answer_summary(o.minimal_answers[0])
                            if o.minimal_answers
                            else None,
                            "minimal_govgraph": _answer_summary(o.minimal_answers[1])
                            if o.minimal_answers
                            else None,
                            "notes": o.notes + o.verdict.notes,
                        }
                        for o in outcomes
                    ],
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    if failing:
        return 1
    return 0 if outcomes and len(outcomes) == len(cases) else 2


def _print_outcome(o: Outcome, verbose: bool) -> None:
    v = o.verdict
    errs = (
        f" errors a={len(o.apollo.errors)} g={len(o.ours.errors)}"
        if (o.apollo.errors or o.ours.errors)
        else ""
    )
    notes = [*o.notes, *v.notes]
    if v.agrees:
        print(
            f"agree     {o.case.name}{errs}" + (f"  (note: {'; '.join(notes)})" if notes else ""),
            flush=True,
        )
    else:
        label = {"apollo-wrong": "KNOWN    ", "order": "ORDER    ", "flaky": "FLAKY    "}.get(
            v.kind, "DISAGREE "
        )
        print(f"{label} {o.case.name} [{v.kind}] {v.detail}{errs}", flush=True)
        for n in notes:
            print(f"          note: {n}", flush=True)
        if o.minimal:
            print("          minimised: " + " ".join(o.minimal[0].split()), flush=True)
            if o.minimal[1]:
                print(f"          variables: {_json(o.minimal[1], 300)}", flush=True)
        for e in o.ours.error_summary(2):
            print(f"          govgraph error: {e[:200]}", flush=True)
        for e in o.apollo.error_summary(2):
            print(f"          apollo error: {e[:200]}", flush=True)
    if verbose:
        print("          " + " ".join(o.case.query.split()), flush=True)


if __name__ == "__main__":
    sys.exit(main())
