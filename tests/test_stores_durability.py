"""An on-disk store survives a process killed in the middle of a load: it opens, with all of
that load or none of it, and everything committed before."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from servicekg.knowledge_base import KnowledgeBase

TRIPLES = 200_000
COPIED = 100_000

_LOADER = textwrap.dedent(
    """
    import sys
    from servicekg.knowledge_base import KnowledgeBase
    kb = KnowledgeBase.open(sys.argv[1])
    print("loading", flush=True)
    kb.load_files([sys.argv[2], sys.argv[3]], "http://x/loaded")
    kb.close()
    print("done", flush=True)
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("kill_after_s", [0.2, 0.8])
def test_a_load_killed_midway_leaves_all_or_nothing(tmp_path: Path, kill_after_s: float) -> None:
    store = tmp_path / "store"
    kb = KnowledgeBase.open(store)
    kb.update("INSERT DATA { GRAPH <http://x/before> { <http://x/a> <http://x/p> 1 } }")
    kb.close()
    first, second = tmp_path / "one.nt", tmp_path / "two.nt"
    for path, offset in ((first, 0), (second, TRIPLES // 2)):
        path.write_text(
            "".join(
                f'<http://x/s{i}> <http://x/p> "{i}" .\n'
                for i in range(offset, offset + TRIPLES // 2)
            )
        )
    with subprocess.Popen(
        [sys.executable, "-c", _LOADER, str(store), str(first), str(second)],
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "loading"
        time.sleep(kill_after_s)
        child.send_signal(signal.SIGKILL)
        finished = child.stdout.read().strip() == "done"
    again = KnowledgeBase.open(store)
    sizes = again.graph_sizes()
    again.close()
    assert sizes["http://x/before"] == 1
    assert sizes.get("http://x/loaded", 0) in (0, TRIPLES)
    if not finished:  # the kill landed during the load (the usual case): none of it
        assert sizes.get("http://x/loaded", 0) == 0


_UPDATER = textwrap.dedent(
    """
    import sys
    from servicekg.knowledge_base import KnowledgeBase
    kb = KnowledgeBase.open(sys.argv[1])
    print("updating", flush=True)
    kb.update("INSERT { GRAPH <http://x/copy> { ?s <http://x/q> ?o } } "
              "WHERE { GRAPH <http://x/loaded> { ?s ?p ?o } }")
    kb.close()
    print("done", flush=True)
    """
)


@pytest.mark.slow
def test_an_update_killed_midway_leaves_all_or_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    kb = KnowledgeBase.open(store)
    data = tmp_path / "data.nt"
    data.write_text("".join(f'<http://x/s{i}> <http://x/p> "{i}" .\n' for i in range(COPIED)))
    kb.load_files([data], "http://x/loaded")
    kb.close()
    with subprocess.Popen(
        [sys.executable, "-c", _UPDATER, str(store)], stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "updating"
        time.sleep(0.3)
        child.send_signal(signal.SIGKILL)
        finished = child.stdout.read().strip() == "done"
    again = KnowledgeBase.open(store)
    sizes = again.graph_sizes()
    again.close()
    assert sizes["http://x/loaded"] == COPIED
    assert sizes.get("http://x/copy", 0) == (COPIED if finished else 0)
