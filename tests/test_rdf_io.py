"""Reading RDF files: a syntax error names the file, the line and what was expected."""

from pathlib import Path

import pytest

from servicekg.errors import InputError, ParseError
from servicekg.rdf_io import read_quads


def test_a_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix a: <http://x/> .\na:b a:c a:d ;\n  a:e "unterminated .\n')
    with pytest.raises(ParseError) as caught:
        read_quads(broken)
    assert caught.value.location.path == broken
    assert caught.value.location.line == 3
    assert str(caught.value).startswith(f"{broken}:3:")


def test_an_unknown_extension_lists_the_accepted_ones(tmp_path: Path) -> None:
    odd = tmp_path / "graph.txt"
    odd.write_text("")
    with pytest.raises(InputError, match=r"graph\.txt.*\.ttl"):
        read_quads(odd)


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.ttl"):
        read_quads(tmp_path / "missing.ttl")
