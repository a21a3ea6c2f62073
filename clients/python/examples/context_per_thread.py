"""A context per thread (way 1 of never_jscore's multithreading guide), for jscore.

never_jscore::

    def worker(thread_id):
        ctx = never_jscore.Context(enable_extensions=True)   # one V8 isolate per thread
        result = ctx.evaluate(...)

jscore: the threads share one thread-safe ``jscore.Client`` (one gRPC channel); each
thread opens its own session (``client.context()``), which is what keeps its globals
apart from the other threads'. The JavaScript runs on the daemon's workers, so the
threads wait on the network, not on the GIL.

Run: ``python3 context_per_thread.py [HOST:PORT] [THREADS]``.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Dict, List

import jscore

# A small hash written in JS (jscore has no md5 built in): FNV-1a over UTF-16 code units.
HASH_JS = r"""
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
"""


def fnv1a(text: str) -> str:
    """The same hash in Python (for ASCII text), to check the results."""
    h = 0x811C9DC5
    for ch in text:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return f"{h:08x}"


def worker(client: jscore.Client, thread_id: int, results: Dict[int, Any]) -> None:
    # Each thread creates its own context (a session on the daemon) and deletes it at the end.
    with client.context() as ctx:
        ctx.compile(HASH_JS)
        ctx.compile(f"var threadId = {thread_id};")
        results[thread_id] = ctx.evaluate(
            """
            (async () => {
              const hash = fnv1a("thread-" + threadId);
              await new Promise(resolve => setTimeout(resolve, 10));
              return { thread_id: threadId, hash: hash, timestamp: new Date() };
            })()
            """
        )


def main(target: str = "127.0.0.1:50051", threads: int = 8) -> List[Any]:
    """Runs ``threads`` threads, each with its own context; returns their results in
    thread order."""
    results: Dict[int, Any] = {}
    with jscore.Client(target, timeout=10.0) as client:
        pool = [
            threading.Thread(target=worker, args=(client, i, results)) for i in range(threads)
        ]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
    return [results[i] for i in range(threads)]


if __name__ == "__main__":
    args = sys.argv[1:]
    for r in main(args[0] if args else "127.0.0.1:50051", int(args[1]) if len(args) > 1 else 8):
        print(f"thread {r['thread_id']}: {r}")
