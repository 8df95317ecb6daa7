#!/usr/bin/env python3
"""Plant drifts between a real doc set and its service metadata, and measure how many the
metadata rules find.

Copies an API version folder of a Microsoft Graph docs checkout (default
../shared/corpora/microsoft-graph-docs/api-reference/v1.0) to a temporary folder, picks
resource pages whose Properties tables agree with the CSDL, and applies one mutation per
page, in equal parts:

  rename  a Properties row's name changes          -> DL821 expected on that row
  retype  a row's type String <-> Int32             -> DL822 expected on that row
  delete  a row is removed                          -> DL823 expected on that page, naming it

Then runs doclint once with --metadata and reports the detection rate and every miss.

    scripts/metadata-drift.py [--version beta --metadata ../shared/corpora/msgraph-metadata/beta_metadata.xml]
"""

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
EDM = "{http://docs.oasis-open.org/odata/ns/edm}"


def csdl_properties(path):
    """Qualified type name -> {property name: Type attribute}, own properties only."""
    root = ET.parse(path).getroot()
    types = {}
    for schema in root.iter(f"{EDM}Schema"):
        namespace = schema.get("Namespace")
        for element in list(schema):
            if element.tag not in (f"{EDM}EntityType", f"{EDM}ComplexType"):
                continue
            props = {p.get("Name"): p.get("Type") for p in element.findall(f"{EDM}Property")}
            types[f"{namespace}.{element.get('Name')}"] = props
    return types


ROW = re.compile(r"^\|\s*([A-Za-z][A-Za-z0-9_]*)\s*\|\s*([^|]*?)\s*\|")
TYPE_OF = re.compile(r'"@odata\.type"\s*:\s*"#?([^"]+)"')


def candidates(page, types):
    """The Properties rows of a one-resource page whose type agrees with the CSDL:
    (line index, name, type cell, CSDL type)."""
    text = page.read_text(encoding="utf-8", errors="replace")
    if text.count('"blockType": "resource"') + text.count('"blockType":"resource"') != 1:
        return []
    match = TYPE_OF.search(text[text.find('"resource"'):] if '"resource"' in text else "")
    if not match or match.group(1) not in types:
        return []
    own = types[match.group(1)]
    lines = text.split("\n")
    rows, in_properties = [], False
    for i, line in enumerate(lines):
        if line.startswith("#"):
            in_properties = line.strip("# ").strip().lower() == "properties"
            continue
        row = ROW.match(line) if in_properties else None
        if row and row.group(1) in own and row.group(1).lower() not in ("property", "name"):
            rows.append((i, row.group(1), row.group(2), own[row.group(1)]))
    return rows


def run(doclint, folder, metadata):
    out = subprocess.run(
        [str(doclint), str(folder), "--select", "metadata", "--metadata", str(metadata),
         "--format", "json", "--quiet"],
        capture_output=True, text=True, check=False,
    )
    if out.returncode == 2:
        sys.exit(f"doclint failed: {out.stderr}")
    report = json.loads(out.stdout)
    return report["diagnostics"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=Path, default=CORPORA / "microsoft-graph-docs")
    parser.add_argument("--version", default="v1.0")
    parser.add_argument("--metadata", type=Path, default=CORPORA / "msgraph-metadata" / "v1.0_metadata.xml")
    parser.add_argument("--doclint", type=Path, default=REPO / "target" / "release" / "doclint")
    parser.add_argument("--count", type=int, default=45, help="mutations (at least 30)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not args.doclint.exists():
        sys.exit(f"{args.doclint} not found: build it with `cargo build --release`")
    types = csdl_properties(args.metadata)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / args.version
        shutil.copytree(args.docs / "api-reference" / args.version, folder)
        baseline = run(args.doclint, folder, args.metadata)
        flagged = {(d["path"].rsplit(f"/{args.version}/", 1)[-1], d["line"]) for d in baseline}
        pages = sorted((folder / "resources").glob("*.md"))
        random.Random(args.seed).shuffle(pages)
        kinds = ["rename", "retype", "delete"]
        planted = []
        for page in pages:
            if len(planted) >= args.count:
                break
            rel = page.relative_to(folder).as_posix()
            rows = [r for r in candidates(page, types) if (rel, r[0] + 1) not in flagged]
            kind = kinds[len(planted) % 3]
            if kind == "retype":
                rows = [r for r in rows if (r[2], r[3]) in (("String", "Edm.String"), ("Int32", "Edm.Int32"))]
            if not rows:
                continue
            line, name, cell, _ = rows[0]
            lines = page.read_text(encoding="utf-8").split("\n")
            if kind == "rename":
                new_name = name + "Renamed"
                lines[line] = lines[line].replace(name, new_name, 1)
                planted.append((kind, rel, line + 1, new_name))
            elif kind == "retype":
                new_type = "Int32" if cell == "String" else "String"
                lines[line] = re.sub(r"(\|\s*%s\s*\|\s*)%s" % (name, cell), r"\g<1>" + new_type, lines[line], count=1)
                planted.append((kind, rel, line + 1, name))
            else:
                del lines[line]
                planted.append((kind, rel, None, name))
            page.write_text("\n".join(lines), encoding="utf-8")
        found = run(args.doclint, folder, args.metadata)
    by_page = {}
    for d in found:
        by_page.setdefault(d["path"].rsplit(f"/{args.version}/", 1)[-1], []).append(d)
    expected_rule = {"rename": "DL821", "retype": "DL822", "delete": "DL823"}
    detected, misses = 0, []
    for kind, rel, line, name in planted:
        rule = expected_rule[kind]
        hit = any(
            d["rule"] == rule
            and (line is None or d["line"] == line)
            and f"`{name}`" in d["message"]
            for d in by_page.get(rel, [])
        )
        detected += hit
        if not hit:
            misses.append(f"  missed {kind} of `{name}` in {rel}" + (f":{line}" if line else ""))
    total = len(planted)
    print(f"{args.version}: {detected}/{total} planted drifts found ({100 * detected / max(total, 1):.1f}%)")
    for kind in kinds:
        n = sum(1 for p in planted if p[0] == kind)
        print(f"  {kind}: {n} planted ({expected_rule[kind]})")
    print("\n".join(misses))
    return 0 if total >= 30 else 1


if __name__ == "__main__":
    sys.exit(main())
