"""Extract the subgraph SDLs of the federation gateway audit's suites for comparison.

    python tests/composition/reference/extract_audit_suites.py AUDIT_CHECKOUT OUT_DIR

AUDIT_CHECKOUT is a checkout of the public federation-gateway-audit repository (each
suite is ``src/test-suites/<suite>/`` with ``index.ts`` listing its subgraphs and one
``<name>.subgraph.ts`` per subgraph holding a ``typeDefs`` template literal). Writes
``OUT_DIR/<suite>/<subgraph>.graphql`` and ``OUT_DIR/<suite>/manifest.json``. Nothing
here is committed output; regenerate whenever needed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

__all__ = ["extract"]

_IMPORT = re.compile(r'import (\w+) from "\./([\w.-]+)\.js"')
_SERVE = re.compile(r'serve\(\s*"[^"]+",\s*\[(.*?)\]', re.S)
_NAME = re.compile(r'createSubgraph\("([^"]+)"')
_TYPEDEFS = re.compile(r"typeDefs: /\* GraphQL \*/ `(.*?)`", re.S)


def extract(checkout: Path, out: Path) -> int:
    suites = sorted(p for p in (checkout / "src" / "test-suites").iterdir() if p.is_dir())
    for suite in suites:
        index = (suite / "index.ts").read_text()
        imports = dict(_IMPORT.findall(index))
        serve = _SERVE.search(index)
        if serve is None:
            raise SystemExit(f"{suite.name}: no serve(...) call in index.ts")
        manifest = []
        target = out / suite.name
        target.mkdir(parents=True, exist_ok=True)
        for var in (v.strip() for v in serve.group(1).split(",") if v.strip()):
            text = (suite / f"{imports[var]}.ts").read_text()
            name, sdl = _NAME.search(text), _TYPEDEFS.search(text)
            if name is None or sdl is None:
                raise SystemExit(f"{suite.name}/{imports[var]}: no createSubgraph name or typeDefs")
            (target / f"{name.group(1)}.graphql").write_text(sdl.group(1))
            manifest.append(
                {
                    "name": name.group(1),
                    "url": f"http://127.0.0.1:4200/{suite.name}/{name.group(1)}",
                    "file": f"{name.group(1)}.graphql",
                }
            )
        (target / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return len(suites)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    print(f"{extract(Path(sys.argv[1]), Path(sys.argv[2]))} suites extracted")
