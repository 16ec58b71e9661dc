"""A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions protocol (plain and streamed), playing
scripted models. The request's `model` picks the script (or `play` sets one for all); each script reads the
passages it was sent, so it cites the label the trastuzumab dosing passage got, as a model would.

Scripts: faithful, dose-changed (4 mg/kg -> 6 mg/kg), uncited (adds a claim with no label), wrong-source
(cites a passage that does not say it), negation-flipped, unlabelled (text with no labels), not-json (a body
that is no chat completion), slow (answers after SLOW_SECONDS), http-500, no-answer; and for follow-up
rewriting, rewriter (keeps the question's words, adds the subject) and rewriter-lossy (drops them).
"""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW_SECONDS = 3.0
DOSE = "loading dose of 4 mg/kg"  # words of the passage the scripts cite
SAFETY = "Do not combine anthracyclines"


def labels(prompt: str) -> tuple[int, int]:
    """(label of the passage holding the dose, label of another passage)."""
    blocks = re.split(r"\n(?=\[S\d+\] )", prompt)
    dose = other = 0
    for b in blocks:
        m = re.match(r"\[S(\d+)\] ", b)
        if m and DOSE in b and not dose:
            dose = int(m.group(1))
        elif m and DOSE not in b and SAFETY not in b and not other:
            other = int(m.group(1))
    return dose, other


def reply(model: str, prompt: str) -> str:
    followup = re.search(r"Follow-up question: (.+)", prompt)
    if model.startswith("rewriter") and followup:  # the follow-up rewriting prompt
        asked = followup.group(1).strip().rstrip("?")
        if model == "rewriter-lossy":
            return "trastuzumab dosing"
        return f"{asked} for trastuzumab in HER2-positive metastatic breast cancer?"
    d, o = labels(prompt)
    faithful = (
        f"Trastuzumab is started with a loading dose of 4 mg/kg IV over 90 minutes [S{d}]. "
        f"It then continues at 2 mg/kg weekly [S{d}]."
    )
    return {
        "faithful": faithful,
        "dose-changed": faithful.replace("4 mg/kg", "6 mg/kg"),
        "uncited": faithful + " Trastuzumab cures most patients within a year.",
        "wrong-source": faithful + f" Trastuzumab can be given as 6 mg/kg every 3 weeks [S{o}].",
        "negation-flipped": faithful + f" Anthracyclines can be combined with trastuzumab [S{d}].",
        "only-flipped": f"Combine anthracyclines with trastuzumab [S{d}].",
        "unlabelled": "Sure! Here is what I found: trastuzumab, 4 mg/kg, then 2 mg/kg",
        "no-answer": "NO_ANSWER",
        "slow": faithful,
    }.get(model, "")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.requests.append({"path": self.path, "headers": headers, "body": body})  # type: ignore[attr-defined]
        model = self.server.script or body.get("model", "")  # type: ignore[attr-defined]
        prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
        if model == "http-500":
            return self._send(500, "application/json", json.dumps({"error": {"message": "boom"}}).encode())
        if model == "not-json":
            return self._send(200, "application/json", b"<html>this is not a chat completion</html>")
        if model == "slow":
            time.sleep(SLOW_SECONDS)
        text = reply(model, prompt)
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for i, word in enumerate(re.findall(r"\S+\s*", text)):
                delta = {"role": "assistant", "content": word} if i == 0 else {"content": word}
                self._event({"choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
                time.sleep(0.01)
            self._event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            return
        completion = {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        self._send(200, "application/json", json.dumps(completion).encode())

    def _event(self, chunk: dict) -> None:
        chunk = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 0, "model": "m", **chunk}
        self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
        self.wfile.flush()

    def _send(self, status: int, kind: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client that gave up (the slow model's timeout) closes the stream mid-answer: expected, not news."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class ScriptedModels:
    """The server, started on a free port; `url` is its OpenAI base URL, `requests` what it received."""

    def __init__(self) -> None:
        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.httpd.requests = []  # type: ignore[attr-defined]
        self.httpd.script = None  # type: ignore[attr-defined]  # a script for every request, whatever the model
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def play(self, script: str | None) -> None:
        """Answer every request with `script` (None: the script the request's model names)."""
        self.httpd.script = script  # type: ignore[attr-defined]

    @property
    def requests(self) -> list[dict]:
        return self.httpd.requests  # type: ignore[attr-defined]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def closed_port_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
