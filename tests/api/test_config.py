"""An operator's settings are read once, and a bad one stops the server with a clear message."""

from __future__ import annotations

from dataclasses import fields

import pytest

from api.chat import ChatSettings
from api.config import SERVE_SETTINGS, ServeConfig, serve_config, serve_parser, token_settings
from site_builder.settings import PROJECT_ROOT


@pytest.mark.parametrize("name, raw, message", [
    ("HELP_CENTER_PORT", "eighty", "HELP_CENTER_PORT must be a number, not 'eighty'"),
    ("HELP_CENTER_QUERY_CACHE", "-1", "HELP_CENTER_QUERY_CACHE must be a finite number, not negative"),
    ("HELP_CENTER_MIN_CONFIDENCE", "nan", "HELP_CENTER_MIN_CONFIDENCE must be a finite number, not negative"),
    ("HELP_CENTER_MODEL_MIN_CONFIDENCE", "inf", "HELP_CENTER_MODEL_MIN_CONFIDENCE must be a finite number, not negative"),
])
def test_a_bad_number_is_refused_by_name(name, raw, message):
    with pytest.raises(SystemExit) as refused:
        serve_config([], {name: raw})
    assert str(refused.value) == message


def test_decline_gates_and_an_empty_key(tmp_path):
    config = serve_config([], {"HELP_CENTER_MIN_CONFIDENCE": "0.8", "ANTHROPIC_API_KEY": "  ", "HELP_CENTER_DATA": str(tmp_path)})
    assert config.min_confidence == 0.8 and config.model_min_confidence is None
    assert config.anthropic_api_key is None and config.data == tmp_path


def test_a_blank_variable_is_unset_and_a_blank_number_is_not_a_number(tmp_path):
    blank = {s.env: "" for s in SERVE_SETTINGS}
    config = serve_config([], {**blank, "HELP_CENTER_DATA": str(tmp_path)})
    assert (config.port, config.host, config.query_cache, config.secret, config.anthropic_base_url) == (8000, "127.0.0.1", 2048, None, None)
    assert config.build == PROJECT_ROOT / "build" and config.model.name == "model.onnx"
    with pytest.raises(SystemExit, match=r"^HELP_CENTER_PORT must be a number, not '  '$"):
        serve_config([], {"HELP_CENTER_PORT": "  "})


def test_options_win_over_variables(tmp_path):
    config = serve_config(["--build", str(tmp_path), "--port", "9000"], {"HELP_CENTER_BUILD": "/nowhere", "HELP_CENTER_PORT": "x"})
    assert config.build == tmp_path and config.port == 9000


def test_secrets_never_show_in_the_repr():
    proxy = "https://user:pr0xy-pass@proxy.example/anthropic"
    config = serve_config([], {"HELP_CENTER_SECRET": "s3cret-value-long-enough-to-sign-tokens", "ANTHROPIC_API_KEY": "sk-ant-value", "ANTHROPIC_BASE_URL": proxy})
    assert config.secret == "s3cret-value-long-enough-to-sign-tokens" and config.anthropic_api_key == "sk-ant-value" and config.anthropic_base_url == proxy
    text = repr(config)
    assert "s3cret-value" not in text and "sk-ant-value" not in text and "pr0xy-pass" not in text
    assert "secret=set" in text and "anthropic_api_key=set" in text and "port=8000" in text
    assert {s.attr for s in SERVE_SETTINGS if s.secret} == {"secret", "anthropic_api_key", "anthropic_base_url", "db",
                                                           "webhook_secret", "previous_secret"}


def test_help_lists_every_setting_with_its_default():
    text = serve_parser().format_help()
    for setting in SERVE_SETTINGS:
        assert setting.env in text and f"[default: {setting.shown_default}" in text, setting.env


def test_the_config_has_one_attribute_per_setting():
    assert [f.name for f in fields(ServeConfig)] == [s.attr for s in SERVE_SETTINGS]


def test_the_shown_confidence_defaults_are_the_calibrated_ones():
    shown = {s.attr: s.shown_default for s in SERVE_SETTINGS}
    assert shown["min_confidence"] == f"{ChatSettings.min_confidence:.2f}"
    assert shown["model_min_confidence"] == f"{ChatSettings.model_min_confidence:.2f}"


def test_the_token_command_reads_only_the_secret_and_the_audience():
    long = "a" * 32
    assert token_settings({"HELP_CENTER_SECRET": long, "HELP_CENTER_PORT": "eighty"}) == (long, "help-center")
    assert token_settings({"HELP_CENTER_SECRET": "", "HELP_CENTER_TOKEN_AUDIENCE": "help.example.com"}) == (None, "help.example.com")


def test_a_short_secret_stops_the_server_without_showing_it():
    with pytest.raises(SystemExit, match="HELP_CENTER_SECRET is too short \\(11 characters\\): use at least 32") as refused:
        serve_config([], env={"HELP_CENTER_SECRET": "password123"})
    assert "password123" not in str(refused.value)
    with pytest.raises(SystemExit, match="HELP_CENTER_PREVIOUS_SECRET is too short"):
        serve_config([], env={"HELP_CENTER_PREVIOUS_SECRET": "old"})


def test_a_public_key_setting_must_name_a_pem_file(tmp_path):
    with pytest.raises(SystemExit, match="HELP_CENTER_PUBLIC_KEY: cannot read"):
        serve_config([], env={"HELP_CENTER_PUBLIC_KEY": str(tmp_path / "nope.pem")})
    (tmp_path / "key.txt").write_text("not a key")
    with pytest.raises(SystemExit, match="holds no '-----BEGIN PUBLIC KEY-----' block"):
        serve_config([], env={"HELP_CENTER_PUBLIC_KEY": str(tmp_path / "key.txt")})


def test_the_log_level_and_the_access_log_are_settings_with_clear_refusals():
    quiet = serve_config([], env={"HELP_CENTER_LOG_LEVEL": "WARNING", "HELP_CENTER_ACCESS_LOG": "off"})
    assert quiet.log_level == "warning" and quiet.access_log is False
    assert serve_config([], env={}).access_log is True and serve_config([], env={}).log_level == "info"
    with pytest.raises(SystemExit, match="HELP_CENTER_LOG_LEVEL must be one of debug, info, warning, error, not 'loud'"):
        serve_config([], env={"HELP_CENTER_LOG_LEVEL": "loud"})
    with pytest.raises(SystemExit, match="HELP_CENTER_ACCESS_LOG must be on or off"):
        serve_config([], env={"HELP_CENTER_ACCESS_LOG": "maybe"})
