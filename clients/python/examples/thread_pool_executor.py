"""A ThreadPoolExecutor with thread-local contexts (way 3 of never_jscore's
multithreading guide), for jscore.

never_jscore binds a ``Context`` to each executor thread with ``threading.local()``,
created lazily on the thread's first task. jscore does the same with sessions; the
difference is that a session lives on the daemon, so the executor's owner deletes
them when the executor is done (or lets their idle TTL expire).

Run: ``python3 thread_pool_executor.py [HOST:PORT] [THREADS] [TASKS]``.
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, List

import jscore


class ThreadLocalContexts:
    """One session per thread, created on first use; :meth:`close` deletes them all."""

    def __init__(self, client: jscore.Client) -> None:
        self._client = client
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: List[jscore.Context] = []

    def get(self) -> jscore.Context:
        ctx = getattr(self._local, "context", None)
        if ctx is None:
            ctx = self._client.context()
            self._local.context = ctx
            with self._lock:
                self._all.append(ctx)
        return ctx

    def count(self) -> int:
        with self._lock:
            return len(self._all)

    def close(self) -> None:
        with self._lock:
            contexts, self._all = self._all, []
        for ctx in contexts:
            ctx.close()


def main(target: str = "127.0.0.1:50051", threads: int = 8, tasks: int = 40) -> List[Any]:
    """Runs ``tasks`` tasks on ``threads`` executor threads; returns their results in
    task order (``[0, 1, ..., tasks-1]``) and checks each thread kept its own context."""
    with jscore.Client(target, timeout=10.0) as client:
        contexts = ThreadLocalContexts(client)

        def process(i: int) -> Any:
            ctx = contexts.get()
            # Count the tasks this thread's context has run: state stays per thread.
            ctx.compile("var runs = (typeof runs === 'number' ? runs : 0) + 1;")
            return ctx.evaluate(
                "(async () => { await new Promise(r => setTimeout(r, 10)); return i; })()",
                globals={"i": i},
            )

        try:
            with ThreadPoolExecutor(max_workers=threads) as executor:
                results = list(executor.map(process, range(tasks)))
            runs = sum(ctx.evaluate("runs") for ctx in contexts._all)
            if runs != tasks:
                raise AssertionError(f"contexts ran {runs} tasks, expected {tasks}")
        finally:
            contexts.close()
    return results


if __name__ == "__main__":
    args = sys.argv[1:]
    target = args[0] if args else "127.0.0.1:50051"
    results = main(target, *(int(a) for a in args[1:3]))
    print(f"processed {len(results)} tasks: {results}")
