"""`protocols -o FILE` writes the catalogue atomically, like every printing command."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run


def test_output_file_matches_stdout(tmp_path: Path) -> None:
    """The file written with -o holds exactly what stdout would have shown."""
    target = tmp_path / "catalogue.json"
    to_file = run("protocols", "--format", "json", "-o", str(target))
    assert to_file.code == 0, to_file.err
    assert to_file.out == ""
    assert target.read_text(encoding="utf-8") == run("protocols", "--format", "json").out


def test_failed_run_writes_nothing(tmp_path: Path) -> None:
    """An unknown protocol id exits 2 and leaves no file (and no temporary file) behind."""
    target = tmp_path / "catalogue.json"
    result = run("protocols", "no-such-protocol", "-o", str(target))
    assert result.code == 2
    assert "protocol_id" in result.err
    assert list(tmp_path.iterdir()) == []


def test_table_to_file_has_no_colour(tmp_path: Path) -> None:
    """Even with --color, a table written to a file carries no terminal escapes."""
    target = tmp_path / "catalogue.txt"
    result = run("protocols", "--color", "-o", str(target))
    assert result.code == 0, result.err
    text = target.read_text(encoding="utf-8")
    assert "uk-bnf-hydroxo-nonneuro" in text
    assert "\x1b[" not in text
