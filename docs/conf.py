"""Sphinx configuration: MyST pages, the furo theme, and our generators in _ext/fsdocs."""

from __future__ import annotations

import sys
from pathlib import Path

import fusion_strategies

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "fusion_strategies"
author = "The fusion_strategies maintainers"
copyright = "the fusion_strategies maintainers; quoted text: U.S. federal government, public domain"
release = fusion_strategies.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "fsdocs",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "README.md"]
# In docstrings, `Catalog.get` links to the reference and a bare `name` is code; nothing
# comes from the network, so a reference we cannot resolve renders as code too.
default_role = "fs-code-or-reference"

# The data is quoted verbatim: a straight apostrophe on the page stays one here.
smartquotes = False

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_class_signature = "mixed"
autodoc_preserve_defaults = False

# The function that builds the argparse parser of the fusion-strategies command.
fsdocs_cli_parser = "fusion_strategies.cli:build_parser"

html_theme = "furo"
html_title = f"fusion_strategies {release}"
html_show_sourcelink = False
pygments_style = "friendly"
pygments_dark_style = "monokai"
html_static_path = ["_static"]
