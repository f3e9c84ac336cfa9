"""An operator's settings are read once, and a bad one stops the server with a clear message."""

from __future__ import annotations

import pytest

from api.config import serve_config


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
