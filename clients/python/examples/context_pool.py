"""A shared pool of contexts (way 2 of never_jscore's multithreading guide), for jscore.

never_jscore keeps N ``Context`` objects in a ``queue.Queue`` so that threads reuse
them instead of building an isolate per task. With jscore the same pattern holds
sessions: each pooled context is a session on the daemon with the library already
compiled, handed to one task at a time. As with never_jscore, tasks that share a
context share its globals.

(With jscore a pool is only needed for *state*: for stateless work, share one
``jscore.Program`` between all threads, since the daemon already pools its workers.)

Run: ``python3 context_pool.py [HOST:PORT] [THREADS] [POOL_SIZE]``.
"""

from __future__ import annotations

import queue
import sys
import threading
from typing import Any, Dict, List

import jscore

HASH_JS = r"""
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
async function task(taskId) {
  const hash = fnv1a("task-" + taskId);
  await new Promise(resolve => setTimeout(resolve, 5));
  return { task_id: taskId, hash: hash };
}
"""


class ContextPool:
    """``size`` sessions, each with ``library`` compiled, lent to one task at a time."""

    def __init__(self, client: jscore.Client, library: str, size: int = 4) -> None:
        self._pool: "queue.Queue[jscore.Context]" = queue.Queue(maxsize=size)
        self._all: List[jscore.Context] = []
        for _ in range(size):
            ctx = client.context()
            ctx.compile(library)
            self._all.append(ctx)
            self._pool.put(ctx)

    def call(self, function: str, *args: Any) -> Any:
        ctx = self._pool.get()  # borrow a context
        try:
            return ctx.call(function, *args)
        finally:
            self._pool.put(ctx)  # give it back

    def close(self) -> None:
        for ctx in self._all:
            ctx.close()


def main(
    target: str = "127.0.0.1:50051", threads: int = 20, size: int = 4
) -> List[Dict[str, Any]]:
    """Runs ``threads`` tasks, one thread each, over a pool of ``size`` contexts;
    returns the results in task order."""
    results: Dict[int, Dict[str, Any]] = {}
    with jscore.Client(target, timeout=10.0) as client:
        pool = ContextPool(client, HASH_JS, size=size)
        try:

            def worker(task_id: int) -> None:
                results[task_id] = pool.call("task", task_id)

            workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
            for t in workers:
                t.start()
            for t in workers:
                t.join()
        finally:
            pool.close()
    return [results[i] for i in range(threads)]


if __name__ == "__main__":
    args = sys.argv[1:]
    target = args[0] if args else "127.0.0.1:50051"
    for r in main(target, *(int(a) for a in args[1:3])):
        print(f"task {r['task_id']}: {r}")
