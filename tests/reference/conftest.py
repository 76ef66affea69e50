"""Helpers to build small data folders (modified copies of the real files) in pytest's tmp_path."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command


@pytest.fixture
def copy_dataset(data_dir, tmp_path):
    """copy_dataset("rome/cr_gd_dp_v4_utf8.csv", edit=None, keep_lines=None) -> the copy's path.

    `keep_lines` keeps the header and the first N data lines; `edit(text) -> text` rewrites the copy.
    """

    def copy(relative: str, *, edit=None, keep_lines=None, encoding="utf-8") -> Path:
        target = tmp_path / "data" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if edit is None and keep_lines is None:
            shutil.copyfile(data_dir / relative, target)
            return target
        text = (data_dir / relative).read_bytes().decode(encoding)
        if keep_lines is not None:
            text = "".join(text.splitlines(keepends=True)[: keep_lines + 1])
        if edit is not None:
            text = edit(text)
        target.write_bytes(text.encode(encoding))
        return target

    return copy


@pytest.fixture
def run_load():
    """Run load_reference on a folder without registry fallback; returns the printed report."""

    def run(folder, **options) -> str:
        out = StringIO()
        call_command("load_reference", source=str(folder), no_registry=True, stdout=out, **options)
        return out.getvalue()

    return run
