#!/usr/bin/env python3
"""Measures `doclint lsp` on a whole doc set, as an editor would meet it.

Usage: scripts/lsp-bench.py [DOCLINT] [WORKSPACE] [PAGE] [EDITS]

Defaults: target/release/doclint, ../shared/corpora/microsoft-graph-docs,
api-reference/v1.0/api/user-get.md, 10 edits.

Prints two figures: the time from sending `initialize` to the first diagnostics of the page
opened right after it (the index of the whole doc set is built in between), and the median
time from a `didChange` to the diagnostics of that version, over EDITS edits of the page
(alternately a word typed at the end of its first paragraph line and removed again).
"""

import json
import os
import pathlib
import statistics
import subprocess
import sys
import time


def main():
    args = sys.argv[1:]
    # The server runs in the workspace: a relative path to it is made absolute first.
    doclint = os.path.abspath(args[0] if len(args) > 0 else "target/release/doclint")
    root = pathlib.Path(args[1] if len(args) > 1 else "../shared/corpora/microsoft-graph-docs")
    page = root / (args[2] if len(args) > 2 else "api-reference/v1.0/api/user-get.md")
    edits = int(args[3]) if len(args) > 3 else 10
    root, page = root.resolve(), page.resolve()
    text = page.read_text(encoding="utf-8")

    server = subprocess.Popen(
        [doclint, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=root
    )

    def send(message):
        body = json.dumps(message).encode("utf-8")
        server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        server.stdin.flush()

    def receive():
        length = None
        while True:
            line = server.stdout.readline()
            if not line:
                sys.exit("the server stopped")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        message = json.loads(server.stdout.read(length))
        if "method" in message and "id" in message:
            send({"jsonrpc": "2.0", "id": message["id"], "result": None})
        return message

    def diagnostics_of(version):
        while True:
            message = receive()
            params = message.get("params") or {}
            if (
                message.get("method") == "textDocument/publishDiagnostics"
                and params.get("uri") == uri
                and params.get("version") == version
            ):
                return params["diagnostics"]

    uri = page.as_uri()
    started = time.perf_counter()
    send({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {}},
    })
    while receive().get("id") != 1:
        pass
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send({
        "jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}},
    })
    first = diagnostics_of(1)
    first_seconds = time.perf_counter() - started

    # The end of the first line of prose after the H1.
    lines = text.split("\n")
    h1 = next(i for i, l in enumerate(lines) if l.startswith("# "))
    line = next(i for i in range(h1 + 1, len(lines)) if lines[i].strip() and not lines[i].startswith("#"))
    column = len(lines[line].encode("utf-16-le")) // 2
    word = " edited"
    times = []
    for n in range(edits):
        version = n + 2
        if n % 2 == 0:
            change = {"range": {"start": {"line": line, "character": column},
                                "end": {"line": line, "character": column}}, "text": word}
        else:
            change = {"range": {"start": {"line": line, "character": column},
                                "end": {"line": line, "character": column + len(word)}}, "text": ""}
        sent = time.perf_counter()
        send({
            "jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
        })
        diagnostics_of(version)
        times.append(time.perf_counter() - sent)

    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
    while receive().get("id") != 2:
        pass
    send({"jsonrpc": "2.0", "method": "exit", "params": None})
    code = server.wait(timeout=30)

    print(f"page: {page.relative_to(root)} ({len(first)} diagnostics on open)")
    print(f"initialize -> first diagnostics: {first_seconds:.2f} s")
    print(f"didChange -> publishDiagnostics over {edits} edits: median {statistics.median(times) * 1000:.1f} ms, "
          f"min {min(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms")
    print(f"exit code after shutdown: {code}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
