"""Installs outside the checkout: a non-editable install carries the configs and the user
scripts; without models it fails at start-up with one line that names the settings."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import pytest

from conftest import ROOT


def test_a_non_editable_install_carries_every_config_folder_and_user_script():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    folders = {p.relative_to(ROOT).as_posix() for p in (ROOT / "configs").rglob("*") if p.is_dir()} | {"configs"}
    assert {f"share/quotestance/{f}" for f in folders} | {"share/quotestance/scripts"} == set(data)
    for target, patterns in data.items():
        assert patterns == [f"{target.removeprefix('share/quotestance/')}/*.{'py' if 'scripts' in target else 'yaml'}"]


def test_a_missing_shipped_model_names_the_settings_that_find_it(monkeypatch):
    from pipeline import locations
    from pipeline.models import resolve_checkpoint

    monkeypatch.setattr(locations, "CHECKOUT", None)  # as in an installed copy
    with pytest.raises(FileNotFoundError, match="QUOTESTANCE_ROOT=<checkout> or paths.models_dir"):
        resolve_checkpoint("/nowhere/models/quotes", "quote tagger", "scripts/train_quotes.py",
                           "segmenter.name_or_path")


def _install_wheel(wheel, prefix):
    """Unpack a wheel as ``pip install --prefix`` lays it out (package in site-packages, data
    under ``<prefix>/share``), without pip: ``pip install --prefix`` run by this interpreter
    would first uninstall the project from the environment running the tests."""
    import zipfile

    site = prefix / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.endswith("/"):
                continue
            parts = name.split("/")
            if parts[0].endswith(".data") and parts[1] == "data":
                target = prefix.joinpath(*parts[2:])
            else:
                target = site.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(name))
    return site


@pytest.mark.slow
def test_a_built_wheel_runs_from_another_directory(tmp_path):
    """The wheel of ``pip install .`` (no editable link), unpacked into a fresh prefix and used
    from an empty directory: the Python API and the console command's entry point."""
    source = tmp_path / "src"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    for name in files:
        if (ROOT / name).is_file() and not name.startswith("models/"):
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes((ROOT / name).read_bytes())
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(wheels), str(source)], check=True, capture_output=True, timeout=300)
    site = _install_wheel(next(wheels.glob("quotestance-*.whl")), tmp_path / "prefix")
    work = tmp_path / "work"
    work.mkdir()
    (work / "a.txt").write_text("“We will win,” Mayor Ana Lopez said.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "QUOTESTANCE_ROOT"} | {"PYTHONPATH": str(site)}

    def run(*args, **extra):
        return subprocess.run(args, cwd=work, env=env | extra, capture_output=True, text=True, timeout=600)

    api = run(sys.executable, "-c", "import pipeline; from pipeline import Pipeline; "
              "nlp = Pipeline.from_pretrained(overrides=['segmenter=rules', 'attributor=rules', '~stance']); "
              "print(pipeline.__file__, nlp(['“We will win,” Mayor Ana Lopez said.'])[0]['speaker'])")
    assert api.returncode == 0, api.stderr[-2000:]
    assert str(site) in api.stdout and "Ana Lopez" in api.stdout
    command = [sys.executable, "-c", "import sys; from pipeline.cli import infer; sys.argv[0] = 'quotestance-infer'; infer()"]
    missing = run(*command, "input_path=a.txt", "output_dir=out")
    assert missing.returncode == 2 and "error: quote tagger" in missing.stderr
    assert "QUOTESTANCE_ROOT=<checkout>" in missing.stderr and "Traceback" not in missing.stderr
    found = run(*command, "input_path=a.txt", "output_dir=out", "targets=[the race]", "progress=false",
                QUOTESTANCE_ROOT=str(ROOT))
    assert found.returncode == 0, found.stderr[-2000:]
    assert "Ana Lopez" in found.stdout
