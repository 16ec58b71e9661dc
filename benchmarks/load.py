"""Enter-to-answer in real browsers under concurrent use: the app on 127.0.0.1, 1 and then N clinicians.

One run starts `streamlit run app.py` on a free 127.0.0.1 port (headless, usage statistics and the file
watcher off, no GUIDELINE_QA_* variables of the caller: quoted answers, no model endpoint) and one
Debian Chromium driven by Playwright. Each session is its own browser context (its own cookies, so its
own conversation on the server, as another clinician's browser would be); one Chromium holds them all,
which costs the client less memory than N browsers and the same CPU per page. Each session opens an
article, waits until it is shown (the sessions open one after another, as clinicians arrive: twenty pages
loading Streamlit's scripts at the same moment on two cores take over a minute), and once all are open,
every session asks its questions one after another: it pauses (--think, 10 s on average: the clinician
reads the last answer and types the next question, which for three cited claims of about 60 words and a
question of 50 characters takes a person longer than that; each pause is drawn uniformly from 0.5 to 1.5
times the mean, so the sessions do not ask in lock-step), fills the chat box and presses Enter. The scripts
mix first questions, follow-ups ("What loading dose is used?") and one question the guidelines do not
answer; session i follows script i mod 4.

Enter-to-answer is measured in the page: from the Enter key's keydown to the moment the reply for that
question shows its closing caption (the claims or the refusal are above it; the "Searching" state is
gone). An error is an exception in the page or the driver, a reply not shown within --answer-timeout,
an error or exception element or the connection-lost banner on the page, or a traceback in the server's
log. The model loads and each article's suggested questions are checked in a warm-up session first,
outside the figures.

Client and server share this machine's cores; the server's CPU seconds per answer (from /proc, over the
asking phase) and the browser's are printed apart, with the load average, so the figures can be read
against what else the machine was doing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .ask_latency import percentile

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1440, "height": 900}
CAPTIONS = ("Quoted from the indexed guidelines", "Written by the model from the indexed guidelines")
READY = "Have a follow-up question?"

# (article, questions): first questions, follow-ups that lean on the one before, one out-of-scope question.
SCRIPTS = [
    (
        "metastatic-breast-cancer",
        [
            "What is the first-line treatment for HER2-positive metastatic breast cancer?",
            "What loading dose is used?",
            "How is the heart monitored during trastuzumab treatment?",
            "What is the median survival with liver metastases?",
            "And with brain metastases?",
        ],
    ),
    (
        "metastatic-breast-cancer",
        [
            "What is the first-line endocrine therapy for postmenopausal women with hormone receptor-positive "
            "HER2-negative metastatic breast cancer?",
            "And for premenopausal patients?",
            "What should happen when endocrine resistance develops?",
            "What imaging is needed to stage metastatic breast cancer?",
            "What is the treatment for metastatic prostate cancer?",
        ],
    ),
    (
        "metastatic-breast-cancer",
        [
            "How is metastatic triple-negative breast cancer treated?",
            "When is combination chemotherapy preferred?",
            "What are bisphosphonates used for in bone metastases?",
            "What if receptor status differs between the primary tumour and the metastasis?",
            "Who should discuss cases of receptor discordance?",
        ],
    ),
    (
        "male-breast-cancer",
        [
            "What are the risk factors for breast cancer in men?",
            "How much breast cancer is hereditary?",
            "What surgery is usually done for men with breast cancer?",
            "Which adjuvant treatments are used for node-positive male breast cancer?",
            "What are the side effects of hormone therapy in men?",
        ],
    ),
]

# In every page, before Streamlit's own scripts: the time of the chat box's Enter, and a wait for reply n
# (the n-th chat message) that resolves on a DOM change, without polling.
INSTRUMENT = """
window.__gqa = {enter: null};
document.addEventListener('keydown', e => {
  if (e.key === 'Enter' && e.target.closest && e.target.closest('[data-testid="stChatInput"]'))
    window.__gqa.enter = performance.now();
}, true);
window.__gqaWait = (n, captions, timeoutMs) => new Promise(resolve => {
  const errors = '[data-testid="stException"], [data-testid="stAlertContentError"], ' +
                 '[data-testid="stConnectionStatus"]';
  let observer, timer;
  const finish = result => { observer.disconnect(); clearTimeout(timer); resolve(result); };
  const check = () => {
    const bad = document.querySelector(errors);
    if (bad) return finish({error: (bad.textContent || bad.dataset.testid).slice(0, 200)});
    const reply = document.querySelectorAll('[data-testid="stChatMessage"]')[n];
    if (!reply) return;
    const text = reply.textContent;  // not innerText: no layout forced on every change
    if (window.__gqa.enter === null) return finish({error: 'the Enter key was not seen by the page'});
    if (captions.some(c => text.includes(c)) && !text.includes('Searching the guidelines')) {
      const refused = reply.querySelector('[data-testid="stAlertContentWarning"]') !== null;
      finish({seconds: (performance.now() - window.__gqa.enter) / 1000, refused});
    }
  };
  observer = new MutationObserver(check);
  observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  timer = setTimeout(() => finish({error: `no reply within ${timeoutMs / 1000} s`}), timeoutMs);
  check();
});
"""


@dataclass
class Phase:
    sessions: int
    times: list[float] = field(default_factory=list)  # Enter-to-answer, seconds
    opens: list[float] = field(default_factory=list)  # page load to the article and chat shown
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0  # the browser's processes
    driver_cpu: float = 0.0  # this process and Playwright's driver
    machine_cpu: float = 0.0  # every process on the machine, this benchmark's and others'
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average at start and end


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def die_with_parent() -> None:
    """In the server's child process: SIGTERM when this benchmark dies, however it dies (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_server(index: Path, log) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUIDELINE_QA_")}
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
        "--", "--index", str(index),
    ]  # fmt: skip
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}; its log: {log.name}")
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                return proc, url
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer on {url} within 60 s; its log: {log.name}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a live process, its threads included (/proc/PID/stat)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def machine_cpu_seconds() -> float:
    """CPU time spent by the whole machine since boot, all cores (/proc/stat: user, nice, system, irq, softirq)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6]) / TICK


def descendants(pid: int) -> list[int]:
    """Live processes under `pid` (the Playwright driver and the browser's processes under this one)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def client_cpu(server: int) -> dict[int, float]:
    """CPU time of the client side: this process, the Playwright driver and the browser's processes."""
    return {p: cpu_seconds(p) for p in [os.getpid(), *descendants(os.getpid())] if p != server}


def browser_processes(pids) -> set[int]:
    """Those of `pids` that are Chromium's (the rest, this process and Playwright's node, drive it)."""
    out = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip().startswith("chrom"):
                    out.add(pid)
        except OSError:
            continue
    return out


def tracebacks(log: Path) -> int:
    return log.read_text(encoding="utf-8", errors="replace").count("Traceback (most recent call last)")


async def open_session(browser, url: str, article: str, timeout_s: float):
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_init_script(INSTRUMENT)
    context.set_default_timeout(timeout_s * 1000)
    page = await context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(f"page error: {str(exc)[:200]}"))
    page.on("request", lambda r: r.url.startswith(url) or page_errors.append(f"request beyond the app: {r.url}"))
    started = time.perf_counter()
    try:
        await page.goto(f"{url}/?article={article}")
        await page.get_by_text(READY).wait_for()
        # Complete: the suggested questions (the last thing a fresh conversation shows) are on screen.
        await page.locator(".st-key-chat-pane").get_by_role("button").first.wait_for()
    except BaseException:
        await context.close()
        raise
    return context, page, page_errors, time.perf_counter() - started


async def converse(page, questions: list[str], think: float, rng: random.Random, timeout_s: float, phase: Phase):
    box = page.get_by_placeholder("Ask a follow-up question about this article")
    for i, question in enumerate(questions):
        if think:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
        try:
            await box.fill(question)
            await page.evaluate("window.__gqa.enter = null")
            await box.press("Enter")
            result = await page.evaluate("a => window.__gqaWait(...a)", [2 * i + 1, list(CAPTIONS), timeout_s * 1000])
        except Exception as exc:  # the driver's own failures are the benchmark's errors, counted and shown
            phase.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
            return
        if "error" in result:
            phase.errors.append(f"{question[:60]!r}: {result['error']}")
            return  # the rest of this session's conversation would measure a broken page
        phase.times.append(result["seconds"])
        phase.refused += bool(result["refused"])


async def run_phase(browser, url: str, server: subprocess.Popen, log: Path, n: int, args, seed: int) -> Phase:
    phase = Phase(n)
    before_log = tracebacks(log)
    sessions = []
    try:
        for i in range(n):  # one after another, as clinicians arrive; then all of them ask at once
            try:
                opened = await open_session(browser, url, SCRIPTS[i % len(SCRIPTS)][0], args.answer_timeout)
            except Exception as exc:
                phase.errors.append(f"opening the app: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
                continue
            sessions.append(opened)
            phase.opens.append(opened[3])
        server_before, client_before = cpu_seconds(server.pid), client_cpu(server.pid)
        machine_before = machine_cpu_seconds()
        phase.load = (os.getloadavg()[0], 0.0)
        started = time.perf_counter()
        await asyncio.gather(
            *(
                converse(
                    page, SCRIPTS[i % len(SCRIPTS)][1][: args.questions], args.think,
                    random.Random(seed * 1000 + i), args.answer_timeout, phase,
                )
                for i, (_, page, _, _) in enumerate(sessions)
            )
        )  # fmt: skip
        phase.wall = time.perf_counter() - started
        phase.server_cpu = cpu_seconds(server.pid) - server_before
        phase.machine_cpu = machine_cpu_seconds() - machine_before
        client_after = client_cpu(server.pid)
        chromium = browser_processes(client_after)
        for p, t in client_after.items():
            spent = t - client_before.get(p, 0.0)
            if p in chromium:
                phase.client_cpu += spent
            else:
                phase.driver_cpu += spent
        phase.load = (phase.load[0], os.getloadavg()[0])
    finally:
        for context, page, page_errors, _ in sessions:
            with contextlib.suppress(Exception):
                visible = await page.locator("[data-testid='stException']").count()
                if visible:
                    phase.errors.append(f"{visible} exception element(s) on a page")
            phase.errors.extend(page_errors)
            with contextlib.suppress(Exception):
                await context.close()
    after_log = tracebacks(log)
    if after_log > before_log:
        phase.errors.append(f"{after_log - before_log} traceback(s) in the server's log ({log})")
    return phase


async def drive(url: str, server: subprocess.Popen, log: Path, args) -> list[Phase]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            # Warm-up, outside the figures: the model loads, each article's suggestions are checked once.
            for article in dict.fromkeys(a for a, _ in SCRIPTS):
                context, _, errors, _ = await open_session(browser, url, article, 180)
                await context.close()
                if errors:
                    raise RuntimeError(f"warm-up failed: {errors[0]}")
            phases = []
            for seed, n in enumerate(args.sessions, start=1):
                phases.append(await run_phase(browser, url, server, log, n, args, seed))
                report(phases[-1], args)
            return phases
        finally:
            await browser.close()


def report(phase: Phase, args) -> None:
    answers = len(phase.times)
    asked = phase.sessions * args.questions
    print(f"\n{phase.sessions} concurrent session(s): {answers}/{asked} answered ({phase.refused} of them refusals), "
          f"{len(phase.errors)} error(s)")  # fmt: skip
    for error in phase.errors[:10]:
        print(f"  error: {error}")
    if answers:
        times = phase.times
        print(f"  Enter-to-answer  p50 {statistics.median(times):5.2f} s   p95 {percentile(times, 0.95):5.2f} s   "
              f"max {max(times):5.2f} s")  # fmt: skip
    if phase.opens:
        print(f"  page open to complete  p50 {statistics.median(phase.opens):5.2f} s   max {max(phase.opens):5.2f} s")
    if answers and phase.wall:
        others = max(0.0, phase.machine_cpu - phase.server_cpu - phase.client_cpu - phase.driver_cpu)
        print(f"  {answers / phase.wall:.2f} answers/s over {phase.wall:.0f} s; CPU per answer: server "
              f"{phase.server_cpu / answers:.2f} s, browser {phase.client_cpu / answers:.2f} s, driver "
              f"{phase.driver_cpu / answers:.2f} s")  # fmt: skip
        print(f"  cores busy: server {phase.server_cpu / phase.wall:.2f}, browser {phase.client_cpu / phase.wall:.2f}, "
              f"driver {phase.driver_cpu / phase.wall:.2f}, other processes {others / phase.wall:.2f}")  # fmt: skip
    print(f"  load average (1 min) {phase.load[0]:.2f} at start, {phase.load[1]:.2f} at end; {os.cpu_count()} cores")


def summary(phases: list[Phase]) -> None:
    if len(phases) < 2 or not phases[0].times or not phases[-1].times:
        return
    one, many = phases[0], phases[-1]
    p50 = statistics.median(many.times) / statistics.median(one.times)
    p95 = percentile(many.times, 0.95) / percentile(one.times, 0.95)
    print(f"\n{many.sessions} against {one.sessions} session(s): p50 x{p50:.1f}, p95 x{p95:.1f}")


def sessions_list(text: str) -> list[int]:
    try:
        counts = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        counts = []
    if not counts or any(not 1 <= c <= 50 for c in counts):
        raise argparse.ArgumentTypeError(f"a comma-separated list of session counts from 1 to 50, got {text!r}")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=ROOT / ".bench" / "sample", help="index folder (sample corpus)")
    parser.add_argument("--sessions", type=sessions_list, default=[1, 20], help="concurrent sessions per phase")
    parser.add_argument("--questions", type=int, default=5, choices=range(1, 6), help="questions per session")
    parser.add_argument("--think", type=float, default=10.0, help="mean pause before each question, seconds (0: none)")
    parser.add_argument("--answer-timeout", type=float, default=60.0, help="seconds a reply may take")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds the whole run may take")
    args = parser.parse_args(argv)
    if not (args.index / "manifest.json").is_file():
        sys.exit(f"{args.index}: no index; build it with: python -m indexer build --corpus corpus --index {args.index}")
    if not os.path.exists(CHROMIUM):
        sys.exit(f"{CHROMIUM} not found; `make browser` installs Debian's chromium")
    print(
        f"load: {args.index}, sessions {', '.join(map(str, args.sessions))}, {args.questions} questions each, "
        f"think {args.think:g} s mean (uniform 0.5-1.5x) before each; reply timeout {args.answer_timeout:g} s; "
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    with tempfile.TemporaryDirectory(prefix="gqa-load-") as tmp:
        log_path = Path(tmp) / "server.log"
        with open(log_path, "w") as log:
            server, url = start_server(args.index, log)
            try:
                phases = asyncio.run(asyncio.wait_for(drive(url, server, log_path, args), args.timeout))
            except TimeoutError:
                print(f"stopped: the run took over --timeout {args.timeout:g} s", file=sys.stderr)
                return 2
            except KeyboardInterrupt:
                print("interrupted", file=sys.stderr)
                return 130
            finally:
                stop(server)
        summary(phases)
    return 1 if any(p.errors for p in phases) else 0


if __name__ == "__main__":
    sys.exit(main())
