"""Faults with nothing lost: a process killed with SIGKILL in the middle of a load, an update or
an assessment's write-back leaves an on-disk store that opens and holds either all of that
work or none of it, and everything committed before it. And a load of several observation
files is one transaction: one bad file and none of them is loaded.

The kills are real: a child process writes to the store in a loop, saying on stdout what it
has committed, and is killed at a random moment (seeded, so each run kills at the same ones).
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from servicekg.assessment.pipeline import run_assessment
from servicekg.errors import ObservationError, ParseError
from servicekg.knowledge_base import KnowledgeBase
from servicekg.namespace import GRAPH

TRIPLES_PER_LOAD = 40_000
KILLS = 3
BUSINESSES = 150
G = "https://example.org/load/"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"

LOADER = """
import sys
from pathlib import Path
import pyoxigraph as ox
from servicekg.knowledge_base import KnowledgeBase

store, data, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
kb = KnowledgeBase.open(store)
lines = data.read_text(encoding="utf-8")
for number in range(1, 1000):
    graph = ox.NamedNode(f"{G}{number}")
    if kb.has_graph(graph):
        continue  # committed before an earlier kill
    print(f"start {number}", flush=True)
    if mode == "load":
        kb.load_files([data], graph)
    else:
        kb.update(f"INSERT DATA {{ GRAPH <{graph.value}> {{ {lines} }} }}")
    print(f"committed {number}", flush=True)
"""


def _write_data(path: Path, tag: str) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(TRIPLES_PER_LOAD):
            out.write(f'<https://example.org/{tag}/s{i}> <https://example.org/p> "v{i} Rīga" .\n')


def _run_until_killed(args: list[str], rng: random.Random, mark: str = "start") -> list[str]:
    """Run the child until it has committed once, then kill it with SIGKILL at a random moment
    of its next piece of work: after it says ``mark``, within the time from ``mark`` to
    ``committed`` the first time. Returns what it said."""
    child = subprocess.Popen(
        [sys.executable, "-c", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    lines: list[str] = []
    started = took = 0.0
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = child.stdout.readline().strip()
        if not line:
            break  # the child ended: its error is reported below
        lines.append(line)
        if line.startswith(mark):
            if took:
                time.sleep(rng.uniform(0.0, took))
                break
            started = time.monotonic()
        elif line.startswith("committed") and not took:
            took = time.monotonic() - started
    child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, err
    return lines + out.splitlines()


def _counts(store: Path) -> dict[int, int]:
    kb = KnowledgeBase.open(store)  # opens after the kill
    counts = {
        int(graph.removeprefix(G)): size
        for graph, size in kb.graph_sizes().items()
        if graph.startswith(G)
    }
    del kb
    return counts


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["load", "update"])
def test_a_killed_load_or_update_leaves_all_of_it_or_none_and_all_before(
    tmp_path: Path, mode: str
) -> None:
    data = tmp_path / "data.nt"
    _write_data(data, "d")
    store = tmp_path / "store"
    script = f"G = {G!r}\n" + LOADER
    rng = random.Random(f"kill-{mode}")  # noqa: S311 (when to kill, not a secret)
    committed: set[int] = set()
    started: set[int] = set()
    for _ in range(KILLS):
        lines = _run_until_killed([script, str(store), str(data), mode], rng)
        committed |= {int(line.split()[1]) for line in lines if line.startswith("committed")}
        started |= {int(line.split()[1]) for line in lines if line.startswith("start")}
        counts = _counts(store)
        partial = {g: n for g, n in counts.items() if n != TRIPLES_PER_LOAD}
        assert not partial, f"half-loaded graphs after a kill: {partial}"
        assert committed <= set(counts), "a committed load was lost"
        # a load killed after its commit but before it said so is whole, like the others
        assert set(counts) <= started, "a load that never started is present"
    assert committed


ASSESSOR = """
import sys
from pathlib import Path
from servicekg.assessment.pipeline import run_assessment
from servicekg.knowledge_base import KnowledgeBase

replace = KnowledgeBase.replace_graphs_nquads
def replacing(*args, **kwargs):  # say when the write-back begins: the kills aim at it
    print("assessed", flush=True)
    return replace(*args, **kwargs)
KnowledgeBase.replace_graphs_nquads = replacing

store, first, second = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
kb = KnowledgeBase.with_ontology()  # the ontology in memory, copied to disk once
disk = KnowledgeBase.open(store)
if not len(disk):
    disk.add_quads(kb.quads())
for number in range(1, 1000):
    data = first if number % 2 else second
    print(f"start {data.name}", flush=True)
    run_assessment([data], kb=disk)
    print(f"committed {data.name}", flush=True)
"""


def _businesses(prefix: str, count: int) -> str:
    rows = ["business,metric,value,unit"]
    for i in range(count):
        rows.append(f"{prefix}-{i},service_time_seconds,{100 + i % 400},s")
        rows.append(f"{prefix}-{i},greeting_rate,{(i % 100) / 100},")
        rows.append(f"{prefix}-{i},complaint_rate,{i % 50},per_1000")
    return "\n".join(rows) + "\n"


def _assessed_state(store: Path) -> tuple[set[str], set[str], set[str]]:
    """The business ids in the observations graph, in the assessments graph, and the rule
    graph's state (its size), read from the store after a kill."""
    kb = KnowledgeBase.open(store)
    observed = {
        r["id"]
        for r in kb.select(
            f"SELECT DISTINCT ?id WHERE {{ GRAPH <{GRAPH.observations}> "
            "{ ?o sosa:hasFeatureOfInterest ?b } ?b schema:identifier ?id }"
        )
    }
    observed |= {
        r["b"].rsplit("/", 1)[-1]
        for r in kb.select(
            f"SELECT DISTINCT ?b WHERE {{ GRAPH <{GRAPH.observations}> "
            "{ ?o sosa:hasFeatureOfInterest ?b } }"
        )
    }
    assessed = {
        r["b"].rsplit("/", 1)[-1]
        for r in kb.select(
            f"SELECT ?b WHERE {{ GRAPH <{GRAPH.assessments}> {{ ?a skg:assessedBusiness ?b }} }}"
        )
    }
    ontology = kb.select(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH.ontology}> {{ ?s ?p ?o }} }}"
    )
    del kb
    return observed, assessed, {str(ontology[0]["n"])}


@pytest.mark.slow
def test_a_killed_assessment_write_back_leaves_one_whole_run_in_the_store(tmp_path: Path) -> None:
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(_businesses("first", BUSINESSES), encoding="utf-8")
    second.write_text(_businesses("second", BUSINESSES), encoding="utf-8")
    runs = {
        "first.csv": {f"first-{i}" for i in range(BUSINESSES)},
        "second.csv": {f"second-{i}" for i in range(BUSINESSES)},
    }
    store = tmp_path / "store"
    rng = random.Random("kill-assess")  # noqa: S311 (when to kill, not a secret)
    ontology_size: set[str] | None = None
    seen_committed = False
    for _ in range(KILLS):
        lines = _run_until_killed(
            [ASSESSOR, str(store), str(first), str(second)], rng, mark="assessed"
        )
        seen_committed |= any(line.startswith("committed") for line in lines)
        observed, assessed, ontology = _assessed_state(store)
        ontology_size = ontology_size or ontology
        assert ontology == ontology_size, "the ontology changed"
        assert observed in runs.values(), f"observations of no one run: {len(observed)} ids"
        assert assessed == observed, "assessments and observations of different runs"
    assert seen_committed


ONTOLOGY = """
import sys
from servicekg.knowledge_base import KnowledgeBase

kb = KnowledgeBase.open(sys.argv[1])
for number in range(1, 10_000):
    print(f"start {number}", flush=True)
    kb.load_ontology()
    print(f"committed {number}", flush=True)
"""


@pytest.mark.slow
def test_a_killed_ontology_reload_leaves_the_whole_ontology_and_its_shortcuts(
    tmp_path: Path,
) -> None:
    expected = KnowledgeBase.with_ontology().graph_sizes()
    store = tmp_path / "store"
    rng = random.Random("kill-ontology")  # noqa: S311 (when to kill, not a secret)
    for _ in range(KILLS):
        lines = _run_until_killed([ONTOLOGY, str(store)], rng)
        assert any(line.startswith("committed") for line in lines)
        kb = KnowledgeBase.open(store)
        sizes = kb.graph_sizes()
        del kb
        assert sizes == expected


# --- several files are one load -------------------------------------------------------------


def test_one_bad_file_of_several_loads_none_of_them(tmp_path: Path) -> None:
    good = tmp_path / "a-good.csv"
    good.write_text("business,metric,value\nA,greeting_rate,0.5\n", encoding="utf-8")
    also_good = tmp_path / "b-good.json"
    also_good.write_text(json.dumps([{"business": "B", "metric": "greeting_rate", "value": 0.4}]))
    bad = tmp_path / "c-bad.yaml"
    bad.write_text("- {business: C, metric: greeting_rate, value: 7}\n", encoding="utf-8")
    kb = KnowledgeBase.open(tmp_path / "store")
    kb.add_quads(KnowledgeBase.with_ontology().quads())
    run_assessment([good], kb=kb)  # a first run, committed
    before = set(kb.quads())
    with pytest.raises(ObservationError, match=r"c-bad\.yaml:row 1: field 'value'"):
        run_assessment([good, also_good, bad], kb=kb)
    assert set(kb.quads()) == before
    with pytest.raises(ObservationError):
        run_assessment([tmp_path], kb=kb)  # the folder: the same three files
    assert set(kb.quads()) == before
    assessed = kb.select("SELECT ?b WHERE { ?a skg:assessedBusiness ?b }")
    assert [r["b"].rsplit("/", 1)[-1] for r in assessed] == ["A"]


def test_the_cli_loads_nothing_when_one_of_several_files_is_bad(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("business,metric,value\nA,greeting_rate,0.5\n")
    (tmp_path / "b.csv").write_text("business,metric,value\nB,greeting_rate,x\n")
    out = tmp_path / "report.json"
    result = run_cli("assess", str(tmp_path), "--format", "json", "--out", str(out))
    assert result.exit_code == 2
    assert "b.csv:row 2: field 'value'" in result.stderr
    assert "nothing loaded" in result.stderr
    assert not out.exists()


def test_the_in_memory_store_is_untouched_by_a_failed_graph_load(tmp_path: Path) -> None:
    bad = tmp_path / "b.ttl"
    bad.write_text("<a> <b> .\n")
    good = tmp_path / "a.ttl"
    good.write_text("<http://x/a> <http://x/b> <http://x/c> .\n")
    kb = KnowledgeBase.with_ontology()
    before = len(kb)
    with pytest.raises(ParseError, match=r"b\.ttl"):
        kb.load_files([good, bad], ox.NamedNode("http://x/g"))
    assert len(kb) == before


@pytest.mark.parametrize("on_disk", [False, True], ids=["in memory", "on disk"])
@pytest.mark.parametrize("filled", [False, True], ids=["into empty graphs", "replacing"])
def test_replace_graphs_swaps_whole_graphs_or_changes_nothing(
    tmp_path: Path, filled: bool, on_disk: bool
) -> None:
    g, h, other = (ox.NamedNode(f"https://example.org/{n}") for n in ("g", "h", "other"))
    kb = KnowledgeBase.open(tmp_path / "store") if on_disk else KnowledgeBase()
    kb.add_quads([ox.Quad(other, other, ox.Literal("kept"), other)])
    if filled:
        kb.add_quads([ox.Quad(g, g, ox.Literal("old"), g), ox.Quad(h, h, ox.Literal("old"), h)])
    new = [
        ox.Quad(g, g, ox.Literal('say "hi"\n', language="lv"), g),
        ox.Quad(h, h, ox.Literal("1.50", datatype=ox.NamedNode(XSD_DECIMAL)), h),
    ]

    def failing() -> Iterator[ox.Quad]:
        yield new[0]
        raise OSError("the source broke midway")

    before = set(kb.quads())
    with pytest.raises(OSError, match="midway"):
        kb.replace_graphs({g: failing(), h: [new[1]]})
    assert set(kb.quads()) == before
    assert kb.replace_graphs({g: [new[0]], h: [new[1]]}) == 2
    assert {q.object.value for q in kb.quads()} == {"kept", 'say "hi"\n', "1.5"}


STREAMER = """
import sys
from pathlib import Path
from servicekg.assessment.pipeline import stream_assessment

stores, data = Path(sys.argv[1]), Path(sys.argv[2])
for number in range(1, 1000):
    store = stores / f"s{number}"
    if store.exists():
        continue  # streamed into before an earlier kill
    print(f"start {number}", flush=True)
    stream_assessment([data], store)
    print(f"committed {number}", flush=True)
"""
STREAMED = 1_000


@pytest.mark.slow
def test_a_killed_streamed_run_leaves_none_of_its_load_in_the_store(tmp_path: Path) -> None:
    # a streamed run bulk-loads (not one transaction): its graphs are marked incomplete until
    # it ends, and a store opened after a kill drops them; the ontology stays
    data = tmp_path / "obs.csv"
    data.write_text(_businesses("b", STREAMED), encoding="utf-8")
    everyone = {f"b-{i}" for i in range(STREAMED)}
    rng = random.Random("kill-stream")  # noqa: S311 (when to kill, not a secret)
    seen_empty = 0
    for _ in range(KILLS):
        lines = _run_until_killed([STREAMER, str(tmp_path / "stores"), str(data)], rng)
        committed = {int(x.split()[1]) for x in lines if x.startswith("committed")}
        started = {int(x.split()[1]) for x in lines if x.startswith("start")}
        for number in started:
            observed, assessed, ontology = _assessed_state(tmp_path / "stores" / f"s{number}")
            if number in committed:
                assert observed == assessed == everyone
            else:
                assert (observed, assessed) in ((set(), set()), (everyone, everyone))
                seen_empty += not observed
            # the rules stay once written; a kill before they were written (the window after
            # "start" widens on a loaded machine) leaves a store with nothing of the run at all
            assert ontology != {"0"} or (observed, assessed) == (set(), set())
        graphs = KnowledgeBase.open(tmp_path / "stores" / f"s{max(started)}").named_graphs()
        assert not [g for g in graphs if "incomplete" in g or "staging" in g]
    assert seen_empty  # some kill landed before the run finished


def test_a_streamed_run_refuses_a_store_holding_assessments(tmp_path: Path) -> None:
    from servicekg.assessment.pipeline import stream_assessment
    from servicekg.errors import InputError

    data = tmp_path / "obs.csv"
    data.write_text(_businesses("b", 5), encoding="utf-8")
    stream_assessment([data], tmp_path / "kb")
    before = _assessed_state(tmp_path / "kb")
    with pytest.raises(InputError, match="new folder"):
        stream_assessment([data], tmp_path / "kb")
    assert _assessed_state(tmp_path / "kb") == before
