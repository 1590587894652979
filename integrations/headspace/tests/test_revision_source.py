"""Each revision embeds its migrations/NNNN_*.sql exactly and revises the one before; the snippet is true."""

import hashlib
import importlib.util
import subprocess
import sys

import pytest

from conftest import KIT, REVISION_FILE, REVISION_FILES, SQL_FILE, SQL_FILES, STANDIN

sys.path.insert(0, str(KIT))
from generate_revision import SectionError, split_sections  # noqa: E402


def load_revision(path=REVISION_FILE):
    spec = importlib.util.spec_from_file_location("persona_registry_revision", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_generator(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(KIT / "generate_revision.py"), *args],
        capture_output=True, text=True, timeout=60,
    )


def test_generated_revision_is_up_to_date():
    result = run_generator("--check")
    assert result.returncode == 0, result.stderr


def test_revision_sql_is_the_sql_files_sections():
    revision = load_revision()
    up, down = split_sections(SQL_FILE.read_text(encoding="utf-8"))
    assert revision.UP_SQL == up
    assert revision.DOWN_SQL == down
    assert revision.SOURCE_SHA256 == hashlib.sha256(SQL_FILE.read_bytes()).hexdigest()
    assert revision.revision == "persona_registry_0001"
    assert revision.down_revision is None
    assert up.startswith("CREATE TABLE role (") and "DROP TABLE persona;\nDROP TABLE role;" in down


def test_every_migration_has_its_revision_and_they_form_one_chain():
    assert [path.name.split("_", 1)[0] for path in SQL_FILES] == ["0001", "0002", "0003"]
    assert len(REVISION_FILES) == len(SQL_FILES)
    previous = None
    for sql_file, revision_file in zip(SQL_FILES, REVISION_FILES):
        revision = load_revision(revision_file)
        version = sql_file.name.split("_", 1)[0]
        up, down = split_sections(sql_file.read_text(encoding="utf-8"))
        assert (revision.UP_SQL, revision.DOWN_SQL) == (up, down)
        assert revision.SOURCE_FILE == sql_file.name and revision.SOURCE_VERSION == version
        assert revision.SOURCE_SHA256 == hashlib.sha256(sql_file.read_bytes()).hexdigest()
        assert revision.revision == f"persona_registry_{version}"
        assert revision.down_revision == previous
        previous = revision.revision


@pytest.mark.parametrize("index", [0, 1, 2])
def test_check_fails_when_any_sql_file_changes(tmp_path, index):
    source = SQL_FILES[index]
    edited = tmp_path / source.name
    edited.write_text(source.read_text(encoding="utf-8").replace("-- migrate:down", "-- migrate:down\n-- edit"),
                      encoding="utf-8")
    result = run_generator("--check", "--sql", str(edited))
    assert result.returncode == 1
    assert "out of date" in result.stderr


def test_check_fails_when_the_sql_file_changes(tmp_path):
    edited = tmp_path / "0001_role_persona.sql"
    edited.write_text(SQL_FILE.read_text(encoding="utf-8").replace("<= 64", "<= 65"), encoding="utf-8")
    result = run_generator("--check", "--sql", str(edited))
    assert result.returncode == 1
    assert "out of date" in result.stderr


def test_sections_are_parsed_strictly():
    for bad in ("SELECT 1;", "-- migrate:up\nSELECT 1;", "-- migrate:up\nA;\n-- migrate:down\nB;\n-- migrate:up\nC;",
                "-- migrate:up transaction:false\nA;\n-- migrate:down\nB;"):
        try:
            split_sections(bad)
        except SectionError:
            continue
        raise AssertionError(f"accepted {bad!r}")
    assert split_sections("-- header\n-- migrate:up\n\nA;\n\n-- migrate:down\nB;\n") == ("A;\n", "B;\n")


def test_snippet_lines_are_those_of_the_standin_models_package():
    snippet = (KIT / "models" / "__init__.snippet.py").read_text(encoding="utf-8").splitlines()
    standin = (STANDIN / "src" / "claude_headspace" / "models" / "__init__.py").read_text(encoding="utf-8")
    added = [line for line in snippet if line.startswith("from .") or line.strip() in ('"Persona",', '"Role",')]
    assert added == ["from .persona import Persona", "from .role import Role", '    "Persona",', '    "Role",']
    standin_lines = standin.splitlines()
    for line in added:
        assert line in standin_lines
