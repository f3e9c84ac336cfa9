"""Build settings are declared once; the authors' `check` stays light (no embedding runtime)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from site_builder.config import BUILD_SETTINGS, build_config, content_folder, parser
from site_builder.settings import PROJECT_ROOT
from tests.conftest import PROJECT


@pytest.mark.parametrize("raw", ["", "31", "513", "two hundred", "²", "３００", "٣٠٠", "-64"])
def test_a_bad_chunk_size_is_refused_by_name(raw, capsys):
    with pytest.raises(SystemExit) as refused:
        build_config([], {"HELP_CENTER_CHUNK_TOKENS": raw})
    assert refused.value.code == 2
    assert capsys.readouterr().err.endswith(f"error: HELP_CENTER_CHUNK_TOKENS must be a whole number from 32 to 512, not '{raw}'\n")


def test_options_win_over_variables_and_defaults_follow_the_output(tmp_path):
    env = {"HELP_CENTER_CONTENT": str(tmp_path / "elsewhere"), "HELP_CENTER_BUILD": str(tmp_path / "ignored"),
           "HELP_CENTER_CHUNK_TOKENS": "64", "HELP_CENTER_MKDOCS": ""}
    config = build_config(["--out", str(tmp_path / "out"), "--preview"], env)
    assert config.content == tmp_path / "elsewhere" and config.out == tmp_path / "out"
    assert config.cache == tmp_path / ".cache" and config.mkdocs_config == PROJECT_ROOT / "mkdocs.yml"
    assert config.chunk_tokens == 64 and config.statuses == ("published", "draft", "review") and config.site
    assert content_folder(None, {}) == PROJECT_ROOT / "content"


def test_help_lists_every_build_setting_with_its_default():
    text = parser().format_help()
    for setting in BUILD_SETTINGS:
        assert f"{setting.env}" in text and f"[default: {setting.shown_default}]" in text


def test_check_does_not_load_the_embedding_runtime(small_content):
    script = ("import sys\nfrom site_builder.cli import main\ncode = main(['--content', sys.argv[1], 'check'])\n"
              "print('loaded:', sorted(m for m in ('onnxruntime', 'site_builder.embeddings') if m in sys.modules))\n"
              "sys.exit(code)\n")
    result = subprocess.run([sys.executable, "-c", script, str(small_content)], cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "loaded: []" in result.stdout
