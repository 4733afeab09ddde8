"""Sphinx extension: pages generated from fusion_strategies at build time, and checked.

Directives (see each module):

- ``fs-source``, ``fs-strategies``, ``fs-themes``, ``fs-enum``, ``fs-entities``,
  ``fs-fields``, ``fs-json-schema`` and ``fs-schema-objects`` (`fsdocs.data`);
- ``fs-api`` (`fsdocs.api`);
- ``fs-cli`` (`fsdocs.cli`), which reads the parser that ``fsdocs_cli_parser`` names;
- ``fs-benchmarks`` and ``fs-benchmark-scripts`` (`fsdocs.benchmarks`).

Inline code that names a public object links to the API reference (`fsdocs.links`).

Every check warns, so ``sphinx-build -W`` turns a stale page into a failed build.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from . import api, benchmarks, cli, data, links, markup


def _check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    api.check_every_name_referenced(app, env)
    data.check_every_record_documented(app, env)


def setup(app: Sphinx) -> dict[str, object]:
    """Register the directives and the whole-site checks."""
    app.add_directive("fs-source", data.SourcePageTable)
    app.add_directive("fs-strategies", data.StrategyTable)
    app.add_directive("fs-themes", data.ThemeTable)
    app.add_directive("fs-enum", data.EnumTable)
    app.add_directive("fs-entities", data.EntityTable)
    app.add_directive("fs-fields", data.FieldTable)
    app.add_directive("fs-json-schema", data.JsonSchema)
    app.add_directive("fs-schema-objects", data.SchemaObjects)
    app.add_directive("fs-api", api.ApiReference)
    app.add_directive("fs-cli", cli.CliReference)
    app.add_directive("fs-benchmarks", benchmarks.BenchmarkTable)
    app.add_directive("fs-benchmark-scripts", benchmarks.BenchmarkScripts)
    app.add_config_value("fsdocs_cli_parser", "", "env", types=[str])
    for registry in (api.REFERENCED, data.DOCUMENTED_RECORDS):
        registry.connect(app)
    app.connect("env-check-consistency", _check_consistency)
    app.connect("doctree-read", markup.strip_trailing_blank_lines)
    app.add_post_transform(links.LinkPublicNames)
    app.add_role("fs-code-or-reference", links.code_or_reference)
    app.add_css_file("fsdocs.css")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
