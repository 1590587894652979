"""The headspace layout's revisions embed migrations/headspace/NNNN_*.sql exactly,
1001 revises the host's 0462474af024 and 1002 revises 1001, and `--check`
covers them as well as the prd layout's."""

import hashlib
import subprocess
import sys

import pytest

from conftest import HOST_REVISION_FILES, HOST_SQL_FILES, HOST_TABLES_REVISION, KIT, REPO, REVISION_FILES, SQL_FILES

sys.path.insert(0, str(KIT))
from generate_revision import HOST_VERSIONS, VERSIONS, split_sections  # noqa: E402
from test_revision_source import load_revision, run_generator  # noqa: E402


def test_headspace_revisions_are_the_sql_files_sections_and_form_one_chain():
    assert [path.name for path in HOST_SQL_FILES] == ["1001_host_tables.sql", "1002_host_rules.sql"]
    assert [path.name for path in HOST_REVISION_FILES] == [
        "persona_registry_1001_host_tables.py", "persona_registry_1002_host_rules.py"]
    assert all(path.parent == HOST_VERSIONS for path in HOST_REVISION_FILES)
    previous = HOST_TABLES_REVISION
    for sql_file, revision_file in zip(HOST_SQL_FILES, HOST_REVISION_FILES, strict=True):
        revision = load_revision(revision_file)
        version = sql_file.name.split("_", 1)[0]
        assert (revision.UP_SQL, revision.DOWN_SQL) == split_sections(sql_file.read_text(encoding="utf-8"))
        assert revision.SOURCE_FILE == sql_file.name and revision.SOURCE_VERSION == version
        assert revision.SOURCE_SHA256 == hashlib.sha256(sql_file.read_bytes()).hexdigest()
        assert revision.revision == f"persona_registry_{version}"
        assert revision.down_revision == previous
        assert f"from migrations/headspace/{sql_file.name} (sha256 {revision.SOURCE_SHA256})" in revision.__doc__
        previous = revision.revision


def test_1001_says_what_a_host_may_edit_and_how_to_keep_existing_rows():
    source = HOST_REVISION_FILES[0].read_text(encoding="utf-8")
    assert f'Revises: {HOST_TABLES_REVISION}\n' in source
    assert "# A host whose head is later may set its current head here (`alembic heads`)," in source
    assert "all this revision needs" in source
    assert "`alembic -x existing_rows=keep upgrade head`" in source
    assert "persona_registry.existing_rows" in source and "persona_registry_rule_breaks()" in source
    assert "a host edits nothing" in HOST_REVISION_FILES[1].read_text(encoding="utf-8")


def test_the_prd_revisions_know_nothing_of_the_headspace_layout():
    assert all(path.parent == VERSIONS for path in REVISION_FILES)
    for path in REVISION_FILES:
        source = path.read_text(encoding="utf-8")
        assert "existing_rows" not in source and "_apply_settings" not in source
        assert load_revision(path).SOURCE_FILE in (p.name for p in (REPO / "migrations").glob("*.sql"))


def test_check_covers_both_layouts(tmp_path):
    """`--check` with no arguments compares every SQL file of both layouts with its revision."""
    import generate_revision

    result = run_generator("--check")
    assert result.returncode == 0, result.stderr
    sources = generate_revision.sql_files()
    assert sources == SQL_FILES + HOST_SQL_FILES
    assert [path.name.split("_", 1)[0] for path in sources][-2:] == ["1001", "1002"]
    shipped = [generate_revision.revision_file(path.name.split("_", 1)[0]) for path in sources]
    assert shipped == REVISION_FILES + HOST_REVISION_FILES
    # A revision that differs from its SQL file fails the check (a copy, not the shipped file, is edited).
    for sql_file, revision_file in zip(sources, shipped, strict=True):
        stale = tmp_path / revision_file.name
        stale.write_bytes(revision_file.read_bytes() + b"# edited\n")
        result = run_generator("--check", "--sql", str(sql_file), "--output", str(stale))
        assert result.returncode == 1 and "is out of date" in result.stderr, revision_file.name


@pytest.mark.parametrize("index", [0, 1])
def test_check_fails_when_a_headspace_sql_file_changes(tmp_path, index):
    source = HOST_SQL_FILES[index]
    edited = tmp_path / source.name
    edited.write_bytes(source.read_bytes().replace(b"-- migrate:down", b"-- migrate:down\n-- edit"))
    result = run_generator("--check", "--sql", str(edited))
    assert result.returncode == 1
    assert "out of date" in result.stderr and HOST_REVISION_FILES[index].name in result.stderr


def test_a_sql_file_without_an_entry_is_refused(tmp_path):
    stray = tmp_path / "1003_more.sql"
    stray.write_text("-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n", encoding="utf-8")
    result = run_generator("--check", "--sql", str(stray))
    assert result.returncode == 1
    assert "no entry for version 1003" in result.stderr


def test_generating_into_another_file_gives_the_shipped_text(tmp_path):
    for sql_file, revision_file in zip(HOST_SQL_FILES, HOST_REVISION_FILES, strict=True):
        output = tmp_path / revision_file.name
        result = subprocess.run(
            [sys.executable, str(KIT / "generate_revision.py"), "--sql", str(sql_file), "--output", str(output)],
            capture_output=True, text=True, timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert output.read_bytes() == revision_file.read_bytes()
