"""A site's mkdocs.yml, ours or a team's own: loaded as MkDocs loads it, with its mistakes reported as
`mkdocs.yml:LINE: message` (all of them, never a traceback) and its paths taken relative to the file,
as `mkdocs build` run beside it takes them.

MkDocs itself resolves `docs_dir` and the theme's `custom_dir` against the file; `extra_css` and
`extra_javascript` name files of the docs folder. pymdownx.snippets' `base_path` is relative to the
folder `mkdocs` runs in, which for a team is the one that holds its mkdocs.yml: it is made absolute here,
so the site and the HTML the index stores find the same snippets wherever the build runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError
from mkdocs.plugins import get_plugins

from .includes import SnippetBases
from .problems import ContentError, Problem

SNIPPETS = "pymdownx.snippets"


def load(path: Path, **overrides: Any) -> MkDocsConfig:
    """The validated configuration of `path`, with `overrides` (None: keep the file's value) on top;
    raises ContentError naming the line of every setting MkDocs refuses."""
    path = path.resolve()
    tree = _compose(path)
    missing = _missing_plugins(tree, path)
    if missing:  # MkDocs stops at the first; name them all
        raise ContentError(missing)
    config = MkDocsConfig(config_file_path=str(path))
    try:
        with path.open("rb") as file:
            config.load_file(file)
    except ConfigurationError as exc:  # INHERIT naming a missing file, a tag MkDocs cannot read
        raise ContentError([Problem(str(path), 1, str(exc))]) from None
    config.load_dict({k: v for k, v in overrides.items() if v is not None})
    errors, _warnings = config.validate()
    if errors:
        raise ContentError([Problem(str(path), _line(tree, key, str(error)), _message(key, error)) for key, error in errors])
    absolute_snippets(config, path.parent)
    return config


def docs_dir(path: Path) -> Path:
    """The docs folder a mkdocs.yml names (MkDocs' default `docs`), relative to the file; read without
    validating, so that a setting's default can name it before the build reports what else is wrong."""
    try:
        tree = _compose(path)
    except ContentError:
        tree = None
    node = _value(tree, "docs_dir")
    name = node.value if isinstance(node, yaml.ScalarNode) and node.value else "docs"
    return (path.parent / name).resolve()


def snippet_bases(path: Path) -> SnippetBases | None:
    """The folders pymdownx.snippets finds includes in for the site of `path` (its `base_path`, relative to the
    file) and its `check_paths`, or None when the file does not use the extension; read without validating,
    like docs_dir."""
    try:
        extensions = _value(_compose(path), "markdown_extensions")
    except ContentError:
        return None
    for item in extensions.value if isinstance(extensions, yaml.SequenceNode) else []:
        if isinstance(item, yaml.ScalarNode) and item.value == SNIPPETS:
            return SnippetBases([path.resolve().parent])
        options = _value(item, SNIPPETS)
        if options is not None:
            base = _value(options, "base_path")
            names = [base] if isinstance(base, yaml.ScalarNode) else base.value if isinstance(base, yaml.SequenceNode) else []
            bases = [(path.resolve().parent / n.value).resolve() for n in names if isinstance(n, yaml.ScalarNode)]
            check = _value(options, "check_paths")
            required = isinstance(check, yaml.ScalarNode) and check.value.lower() in ("true", "yes", "on")
            return SnippetBases(bases or [path.resolve().parent], required)
    return None


def _compose(path: Path) -> yaml.Node | None:
    """The file's YAML nodes, which know their lines (tags such as !!python/name are not resolved)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([Problem(str(path), 1, f"cannot read the mkdocs configuration: {exc}")]) from None
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ContentError([Problem(str(path), mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from None


def _missing_plugins(tree: yaml.Node | None, path: Path) -> list[Problem]:
    """Every plugin the file names that no installed package provides (a theme's own, such as Material's
    `blog` for `material/blog`, counts as installed)."""
    installed = get_plugins()
    theme = _value(tree, "theme")
    theme = _value(theme, "name") if isinstance(theme, yaml.MappingNode) else theme
    namespace = f"{theme.value}/" if isinstance(theme, yaml.ScalarNode) else ""
    return [Problem(str(path), n.start_mark.line + 1, _message("plugins", f'The "{n.value}" plugin is not installed'))
            for n in _plugin_names(_value(tree, "plugins")) if n.value not in installed and namespace + n.value not in installed]


def _plugin_names(plugins: yaml.Node | None) -> list[yaml.ScalarNode]:
    """The names in `plugins`: a list of names or of one-key mappings (name: options), or a mapping."""
    items = plugins.value if isinstance(plugins, yaml.SequenceNode) else [plugins] if isinstance(plugins, yaml.MappingNode) else []
    names = []
    for item in items:
        names += [item] if isinstance(item, yaml.ScalarNode) else [k for k, _ in item.value] if isinstance(item, yaml.MappingNode) else []
    return [n for n in names if isinstance(n, yaml.ScalarNode)]


def _value(tree: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(tree, yaml.MappingNode):
        return None
    return next((v for k, v in tree.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _line(tree: yaml.Node | None, key: str, message: str) -> int:
    """The line of the value the message quotes (a plugin's or an extension's name) under `key`, else of `key`."""
    if not isinstance(tree, yaml.MappingNode):
        return 1
    for name, value in tree.value:
        if isinstance(name, yaml.ScalarNode) and name.value == key:
            quoted = [n for n in _scalars(value) if n.value and (f'"{n.value}"' in message or f"'{n.value}'" in message)]
            return (quoted[0] if quoted else name).start_mark.line + 1
    return 1


def _scalars(node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)
    elif isinstance(node, yaml.MappingNode):
        for name, value in node.value:
            yield from _scalars(name)
            yield from _scalars(value)


def _message(key: str, error: Exception) -> str:
    """MkDocs' message, without the traceback it puts inside some (an extension that failed to load)."""
    lines = [line for line in str(error).splitlines() if line.strip()]
    text = lines[0] if len(lines) < 2 else f"{lines[0]} {lines[-1]}"
    if "plugin is not installed" in text:
        text += " (install its package in the build's Python environment, or remove it from `plugins`)"
    return f"{key}: {text}"


def absolute_snippets(config: MkDocsConfig, folder: Path) -> None:
    """pymdownx.snippets' base_path, relative to `folder` (the mkdocs.yml's) rather than to where the build runs."""
    if SNIPPETS not in config.markdown_extensions:
        return
    options = config.mdx_configs.setdefault(SNIPPETS, {})
    base = options.get("base_path", ["."])
    options["base_path"] = [str((folder / b).resolve()) if isinstance(b, str) else b for b in ([base] if isinstance(base, str) else base)]
