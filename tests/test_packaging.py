"""The wheel a release ships: the compiled core and the data files in, build leftovers out."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """File names inside a wheel built from this checkout (pip, as the Dockerfile builds it)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = out.glob("newsflow-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_wheel_carries_the_compiled_core(wheel_names: list[str]) -> None:
    """The wheel holds the built workers._native extension module."""
    assert any(name.startswith("workers/_native.") and name.endswith(".so") for name in wheel_names)


def test_wheel_carries_every_data_file(wheel_names: list[str]) -> None:
    """Every lexicon and gazetteer file under workers/ is in the wheel."""
    data = {
        path.relative_to(ROOT).as_posix()
        for suffix in ("*.json", "*.tsv")
        for path in (ROOT / "workers").rglob(suffix)
        if "native" not in path.relative_to(ROOT).parts
    }
    assert data and data <= set(wheel_names)


def test_wheel_leaves_out_rust_sources_and_build_outputs(wheel_names: list[str]) -> None:
    """No Rust source, Cargo file or cargo target directory file ends up in the wheel."""
    assert not [name for name in wheel_names if name.startswith("workers/native/")]
