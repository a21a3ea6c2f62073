"""The multithreading examples (never_jscore's three ways, for jscore), run with 8+ threads."""

from __future__ import annotations

import datetime as dt

import context_per_thread
import context_pool
import thread_pool_executor


def test_context_per_thread(address: str) -> None:
    results = context_per_thread.main(address, threads=8)
    assert [r["thread_id"] for r in results] == list(range(8))
    for r in results:
        assert r["hash"] == context_per_thread.fnv1a(f"thread-{r['thread_id']}")
        assert isinstance(r["timestamp"], dt.datetime) and r["timestamp"].tzinfo is not None


def test_context_pool(address: str) -> None:
    results = context_pool.main(address, threads=20, size=4)
    assert [r["task_id"] for r in results] == list(range(20))
    for r in results:
        assert r["hash"] == context_per_thread.fnv1a(f"task-{r['task_id']}")


def test_thread_pool_executor(address: str) -> None:
    assert thread_pool_executor.main(address, threads=8, tasks=40) == list(range(40))
