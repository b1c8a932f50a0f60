import pytest

from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.models import resolve_base_model


def test_unknown_base_model_lists_what_is_valid():
    with pytest.raises(BadInput, match="gemma-3-270m"):
        resolve_base_model("no-such-model")


def test_hub_id_offline_is_bad_input():
    with pytest.raises(BadInput, match="could not be fetched"):
        resolve_base_model("nobody-here/no-such-model-xyz")


def test_folder_without_config(tmp_path):
    with pytest.raises(BadInput, match="no config.json"):
        resolve_base_model(str(tmp_path))


def test_local_folder_hash_follows_content(tiny_model_dir, tmp_path):
    import shutil

    first = resolve_base_model(str(tiny_model_dir))
    assert first.sha256 == resolve_base_model(str(tiny_model_dir)).sha256
    copy = tmp_path / "copy"
    shutil.copytree(tiny_model_dir, copy)
    (copy / "config.json").write_text((copy / "config.json").read_text().replace("64", "65", 1))
    assert resolve_base_model(str(copy)).sha256 != first.sha256
