"""Build time and peak memory on each hostile corpus file of issue 11, as a user runs the build.

Each case is a corpus of one ordinary article plus one hostile file, built with
`python -m indexer build` in a child process. The child is killed past --timeout seconds or
--memory-gb of resident memory (a hang or a runaway is reported as such, not waited out), and the
table gives wall seconds, peak resident memory, exit status, whether the ordinary article was indexed
and the first warning line.

    python -m benchmarks.hostile_input                       # this checkout
    python -m benchmarks.hostile_input --source OLD_CHECKOUT # another source tree, e.g. a commit before the fix

The build includes loading the model (a few seconds here); compare rows against the `control` case.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FRONT = "---\nid: {id}\ntitle: {title}\n{extra}---\n\n"
GOOD = FRONT.format(id="good", title="What dose of drug Z?", extra="") + "## Dosing\n\nGive drug Z at 4 mg/kg weekly.\n"


def _alias_bomb(levels: int) -> str:
    names = [f"l{i}" for i in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]" for p, c in zip(names, names[1:], strict=False)]
    return "\n".join(lines) + f"\ntags: *{names[-1]}\n"


def _article(doc_id: str, extra: str = "", body: str = "## A\n\nText.\n") -> Callable[[Path], None]:
    return lambda corpus: (corpus / f"{doc_id}.md").write_text(
        FRONT.format(id=doc_id, title="Hostile?", extra=extra) + body, encoding="utf-8"
    )


def _page(text: str) -> Callable[[Path], None]:
    return lambda corpus: (corpus / "page.txt").write_text(text, encoding="utf-8")


def _fifo(corpus: Path) -> None:
    os.mkfifo(corpus / "pipe.md")


def _link(target: str) -> Callable[[Path], None]:
    return lambda corpus: (corpus / "link.md").symlink_to(target)


def _outside(corpus: Path) -> None:
    private = corpus.parent / "private"
    private.mkdir()
    (private / "notes.md").write_text(
        FRONT.format(id="notes", title="Private notes?", extra="") + "## Notes\n\nPatient Q private note.\n"
    )
    (corpus / "notes.md").symlink_to(private / "notes.md")


CASES: dict[str, Callable[[Path], None]] = {
    "control": lambda corpus: None,
    "alias bomb (9 levels)": _article("bomb", extra=_alias_bomb(9)),
    "heading + 3,200 spaces": _article("padded", body="## Dose" + " " * 3_200 + "x\n\nGive 4 mg/kg.\n"),
    "Last updated + 100,000 spaces": _page(
        "What is the dose?\n\nLast updated: a" + " " * 100_000 + "b\n\nDosing\n\nGive 4 mg/kg once a week.\n"
    ),
    "168 KB paragraph of initials": _article("authors", body=" ".join(["A."] * 56_000) + "\n"),
    "20,000 identical headings": _article("same", body="## Dose\n\n" * 20_000 + "Text.\n"),
    "FIFO named *.md": _fifo,
    "link to /dev/zero": _link("/dev/zero"),
    "link out of the corpus": _outside,
}


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def build(source: Path, corpus: Path, index: Path, timeout: float, memory_kb: int) -> tuple[float, int, str, str]:
    """(seconds, peak KB, outcome, first stderr line) of one build in a watched child process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUIDELINE_QA_")}
    env["PYTHONPATH"] = str(source)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "indexer", "build", "--corpus", str(corpus), "--index", str(index)],
        cwd=source, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.extend(child.stderr or []), daemon=True)
    reader.start()
    killed = ""
    while True:  # os.wait4 rather than poll(): poll() would reap the child and lose its resource usage
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if not killed and time.perf_counter() - started > timeout:
            killed = f"killed after {timeout:.0f} s"
        elif not killed and _rss_kb(child.pid) > memory_kb:
            killed = f"killed at {memory_kb / 1_048_576:g} GB"
        if killed:
            child.kill()
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait for it again
    reader.join(timeout=5)
    lines = [line.strip() for line in stderr if line.strip()]
    traceback = any(line.startswith("Traceback") for line in lines)
    outcome = killed or f"exit {child.returncode}" + (" (traceback)" if traceback else "")
    note = next((line for line in lines if "warning" in line.lower() or "error" in line.lower()), "")
    return seconds, usage.ru_maxrss, outcome, note.replace(str(corpus) + "/", "")


def indexed(index: Path) -> tuple[bool, bool]:
    """(the ordinary article is in the index, the private note outside the corpus is)."""
    try:
        with sqlite3.connect(f"file:{index / 'store.sqlite'}?mode=ro", uri=True) as db:
            text = " ".join(row[0] for row in db.execute("SELECT text FROM chunks"))
    except sqlite3.Error:
        return False, False
    return "4 mg/kg weekly" in text, "Patient Q private note" in text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=ROOT, help="source tree to build with (default: this one)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a build counts as hung")
    parser.add_argument("--memory-gb", type=float, default=4, help="resident memory before a build is stopped")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    args = parser.parse_args()
    source = args.source.resolve()
    print(f"source: {source}; limits {args.timeout:.0f} s, {args.memory_gb:g} GB resident")
    print("| case | seconds | peak MB | outcome | article indexed | outside file indexed | first warning |")
    print("|---|---|---|---|---|---|---|")
    for name, make in CASES.items():
        if args.only and args.only not in name:
            continue
        with tempfile.TemporaryDirectory(prefix="gqa-hostile-") as tmp:
            corpus = Path(tmp) / "corpus"
            corpus.mkdir()
            (corpus / "good.md").write_text(GOOD, encoding="utf-8")
            make(corpus)
            index = Path(tmp) / "index"
            seconds, peak_kb, outcome, note = build(
                source, corpus, index, args.timeout, int(args.memory_gb * 1_048_576)
            )
            good, outside = indexed(index)
            print(
                f"| {name} | {seconds:.1f} | {peak_kb / 1024:,.0f} | {outcome} | {'yes' if good else 'no'} "
                f"| {'yes' if outside else 'no'} | {note[:110]} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
