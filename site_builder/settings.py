"""Settings declared once: each names its variable, attribute, default, kind and help, and drives
the config object, the command-line option that overrides it, `--help` and the docs check.

Standard library only: the API server imports this, and must not load the build's modules.
"""

from __future__ import annotations

import argparse
import math
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, make_dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingError(ValueError):
    """A variable holds a value its setting cannot take; the message names the variable."""


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Kind:
    """How a setting's text becomes its value."""

    type: type
    parse: Callable[[str, str], Any]  # (variable name, its text) -> value; raises SettingError
    option_type: Callable[[str], Any] = str  # argparse's `type` for the overriding option
    normalize: Callable[[Any], Any] = _same  # applied to the value chosen: option, variable or default
    blank_is_unset: bool = True  # an empty variable counts as unset (else it is parsed, and refused)
    metavar: str | None = None


def _resolve(path: Path) -> Path:
    return path.expanduser().resolve()


PATH = Kind(Path, lambda name, raw: Path(raw), option_type=Path, normalize=_resolve, metavar="DIR")
TEXT = Kind(str, lambda name, raw: raw)
STRIPPED = Kind(str, lambda name, raw: raw.strip() or None)  # blank after stripping: unset


def number(kind: type = int) -> Kind:
    """A finite number, 0 or more (int or float)."""

    def parse(name: str, raw: str):
        try:
            value = kind(raw)
        except ValueError:
            raise SettingError(f"{name} must be a number, not '{raw}'") from None
        if not math.isfinite(value) or value < 0:
            raise SettingError(f"{name} must be a finite number, not negative")
        return value

    return Kind(kind, parse, option_type=kind)


def choice(*values: str) -> Kind:
    """One of a few words, in any case."""

    def parse(name: str, raw: str) -> str:
        word = raw.strip().lower()
        if word not in values:
            raise SettingError(f"{name} must be one of {', '.join(values)}, not '{raw}'")
        return word

    return Kind(str, parse, option_type=str, metavar="{" + ",".join(values) + "}")


_SWITCHES = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def _switch(name: str, raw: str) -> bool:
    word = raw.strip().lower()
    if word not in _SWITCHES:
        raise SettingError(f"{name} must be on or off (1/0, true/false, yes/no), not '{raw}'")
    return _SWITCHES[word]


SWITCH = Kind(bool, _switch, option_type=str)


def whole_number(low: int, high: int) -> Kind:
    """A whole number from `low` to `high`; an empty variable is refused too."""

    def parse(name: str, raw: str) -> int:
        if not (raw.isascii() and raw.isdecimal()) or not low <= int(raw) <= high:
            raise SettingError(f"{name} must be a whole number from {low} to {high}, not '{raw}'")
        return int(raw)

    return Kind(int, parse, option_type=int, blank_is_unset=False)


@dataclass(frozen=True)
class Setting:
    """One setting. `default` is a value, or a function of the values read before it (called only
    when needed, so a costly default such as the model's path is computed only when it is used)."""

    env: str  # environment variable
    attr: str  # attribute of the config object
    default: Any
    help: str
    kind: Kind = TEXT
    shown: str | None = None  # the default as --help and docs/operators.md write it
    secret: bool = False  # never shown: not in repr, not in --help
    option: str | None = None  # the command-line option that wins over the variable

    def __post_init__(self):
        self.shown_default  # a default --help cannot write is a mistake in the table: fail at import

    @property
    def shown_default(self) -> str:
        if self.shown is not None:
            return self.shown
        if callable(self.default) or isinstance(self.default, Path):
            raise TypeError(f"{self.env}: give `shown` for a computed or path default")
        if self.default is None:
            return "unset"
        return f"{self.default:g}" if isinstance(self.default, float) else str(self.default)

    def read(self, env: Mapping[str, str], option: Any, values: Mapping[str, Any]) -> Any:
        """The option if given, else the variable if set, else the default."""
        if option is not None and option != "":
            return self.kind.normalize(option)
        raw = env.get(self.env)
        if raw is None or (raw == "" and self.kind.blank_is_unset):
            value = self.default(values) if callable(self.default) else self.default
        else:
            value = self.kind.parse(self.env, raw)
        return None if value is None else self.kind.normalize(value)


def read_settings(table: Iterable[Setting], env: Mapping[str, str], options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every setting's value by attribute, in table order; `options` are parsed options by attribute."""
    options = options or {}
    values: dict[str, Any] = {}
    for setting in table:
        values[setting.attr] = setting.read(env, options.get(setting.attr) if setting.option else None, values)
    return values


def config_class(name: str, module: str, table: Sequence[Setting], extra: Sequence[tuple] = (), base: type = object,
                 doc: str = "") -> type:
    """A frozen dataclass with one attribute per setting, then `extra` fields (name, type, default);
    its repr hides secrets."""
    secrets = {s.attr for s in table if s.secret}

    def __repr__(self) -> str:
        shown = (f"{k}={('set' if v else 'unset') if k in secrets else repr(v)}" for k, v in vars(self).items())
        return f"{name}({', '.join(shown)})"

    fields = [(s.attr, s.kind.type if s.default is not None else s.kind.type | None) for s in table] + list(extra)
    return make_dataclass(name, fields, bases=(base,), frozen=True, repr=False,
                          namespace={"__repr__": __repr__, "__doc__": doc, "__module__": module})


def add_options(parser: argparse.ArgumentParser, table: Iterable[Setting]) -> None:
    """The command-line options that override settings, each helped by its setting."""
    for s in table:
        if s.option:
            parser.add_argument(s.option, dest=s.attr, type=s.kind.option_type, metavar=s.kind.metavar,
                                help=f"{s.help} (default: ${s.env}, else {s.shown_default})")


def epilog(table: Iterable[Setting], title: str) -> str:
    """The settings for `--help` (use argparse.RawDescriptionHelpFormatter): each variable, its
    option if any, its default and what it sets."""
    lines = [f"{title}:"]
    for s in table:
        name = f"{s.env} ({s.option})" if s.option else s.env
        lines.append(f"  {name}  [default: {s.shown_default}{'; secret: never logged or shown' if s.secret else ''}]")
        lines += textwrap.wrap(s.help, width=78, initial_indent=" " * 6, subsequent_indent=" " * 6, break_on_hyphens=False)
    return "\n".join(lines)
