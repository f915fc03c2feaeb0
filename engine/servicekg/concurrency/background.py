"""A two-stage pipeline: items are produced on this thread and consumed on another.

Meant for a consumer that lets go of Python's lock while it works, such as pyoxigraph loading
N-Quads text: the assessment of the next chunk of businesses (Python) then runs while the last
chunk is written into the store (Rust), on two cores. Measured on 2,000 synthetic businesses on
an otherwise idle 2-core machine: 1,216-1,265 businesses per second against 783-873 with the
two stages one after the other (loading is about 40% of a run).

>>> consume_in_background(sum, iter(range(5)))
10
>>> consume_in_background(list, (n * n for n in range(4)), depth=1)
[0, 1, 4, 9]
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from servicekg.errors import ProductionStopped

__all__ = ["consume_in_background"]

_T = TypeVar("_T")
_R = TypeVar("_R")


_END = object()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def consume_in_background(
    consume: Callable[[Iterator[_T]], _R],
    items: Iterable[_T],
    *,
    depth: int = 2,
    name: str = "servicekg-consumer",
) -> _R:
    """Iterate ``items`` on this thread while ``consume`` reads them on a background thread;
    returns what ``consume`` returns.

    At most ``depth`` items wait between the two, so memory holds a bounded number of them.
    If producing an item raises, the consumer's iterator raises :class:`ProductionStopped`
    (so it can roll back) and, once the consumer has stopped, the producer's error is raised
    here. If the consumer raises, production stops and its error is raised here. ``consume``
    must read its iterator to the end.
    """
    waiting: queue.Queue[Any] = queue.Queue(maxsize=max(depth, 1))
    outcome: dict[str, Any] = {}

    def feed() -> Iterator[_T]:
        while True:
            item = waiting.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise ProductionStopped("producing the items failed") from None
            yield item

    def run() -> None:
        try:
            outcome["value"] = consume(feed())
        except BaseException as error:  # handed to the caller's thread
            outcome["error"] = error

    consumer = threading.Thread(target=run, name=name, daemon=True)
    consumer.start()
    try:
        for item in items:
            if not _hand_over(waiting, item, consumer):
                break  # the consumer stopped: its error is raised below
    except BaseException as error:
        _hand_over(waiting, _Failed(error), consumer)
        consumer.join()
        raise
    _hand_over(waiting, _END, consumer)
    consumer.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _hand_over(waiting: queue.Queue[Any], item: object, consumer: threading.Thread) -> bool:
    """Put ``item`` in the queue unless the consumer has stopped; whether it was put."""
    while consumer.is_alive():
        try:
            waiting.put(item, timeout=0.05)
            return True
        except queue.Full:
            continue
    return False
