"""A gate between threads that read a pyoxigraph store in this process and the fork of a query
worker (:mod:`servicekg.querying.worker`).

pyoxigraph lets go of Python's lock while it works, so another thread can fork while one is
inside the store; the child then inherits the store's own locks as they were at that moment,
held by a thread it does not have, and hangs on its first query (measured: a query worker
forked while another thread dumped a graph waited out its whole time limit). Readers pass the
gate together; a fork waits until none is inside, and readers wait for the fork (which takes
milliseconds).

>>> gate = ForkGate()
>>> with gate.reading(), gate.reading():  # a reader may read again inside its reading
...     pass
>>> with gate.forking():
...     pass
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

__all__ = ["ForkGate"]


class ForkGate:
    """Many readers at once, or one fork."""

    def __init__(self) -> None:
        self._turn = threading.Condition()
        self._readers = 0
        self._forks = 0
        self._depth = threading.local()

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Hold while this thread reads the store (calls and iteration alike)."""
        depth = getattr(self._depth, "n", 0)
        if depth == 0:
            with self._turn:
                while self._forks:
                    self._turn.wait()
                self._readers += 1
        self._depth.n = depth + 1
        try:
            yield
        finally:
            self._depth.n = depth
            if depth == 0:
                with self._turn:
                    self._readers -= 1
                    if not self._readers:
                        self._turn.notify_all()

    @contextlib.contextmanager
    def forking(self) -> Iterator[None]:
        """Hold while forking: waits until no thread reads, keeps new readers out."""
        with self._turn:
            self._forks += 1
            try:
                while self._readers:
                    self._turn.wait()
            except BaseException:
                self._forks -= 1
                self._turn.notify_all()
                raise
        try:
            yield
        finally:
            with self._turn:
                self._forks -= 1
                self._turn.notify_all()
