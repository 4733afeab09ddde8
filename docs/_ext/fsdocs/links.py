"""Link inline code that names a public object to its entry in the API reference.

In docstrings, the default role (`code_or_reference`) links `Catalog.get`, `Strategy`
or `fusion_strategies.catalog()`, but keeps a bare lower-case word as code: in
```source` defaults to the bundled page``, `source` is a parameter, not the function.

The pages are Markdown, where `` `fs.lookup` `` is plain code. After every page is read,
this post-transform turns such code into a link when it names an object the API
reference documents: ``fs.lookup``, ``fs.lookup("QHSR")``, ``Catalog.vocabulary()``,
``Strategy.heading`` or a class name such as ``Excerpt``. A bare lower-case word
(``source``, ``title``) stays code, since it is more often a field than the function.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from docutils.parsers.rst.states import Inliner
from sphinx.domains.python import PyXRefRole
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.nodes import make_refnode

_NAME = re.compile(r"(?P<prefix>fs\.)?(?P<name>[A-Za-z_]\w*(?:\.\w+)?)(?P<call>\(.*\))?")
_SKIPPED = (nodes.reference, nodes.title, nodes.literal_block, nodes.table, nodes.rubric)


class LinkPublicNames(SphinxPostTransform):
    """Wrap inline code that names a documented public object in a link to it."""

    default_priority = 5
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        """Link every literal of the page that names a documented object."""
        objects = self.env.get_domain("py").objects  # type: ignore[attr-defined]
        for literal in list(self.document.findall(nodes.literal)):
            if _inside_skipped(literal):
                continue
            target = _target(literal.astext(), objects)
            if target is None:
                continue
            entry = objects[target]
            reference = make_refnode(
                self.app.builder, self.env.docname, entry.docname, entry.node_id, literal.deepcopy()
            )
            literal.replace_self(reference)


_PY_OBJ = PyXRefRole()


def code_or_reference(  # noqa: PLR0917 (docutils calls a role with these seven)
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Inliner,
    options: dict[str, Any] | None = None,
    content: list[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """The default role: a ``py:obj`` reference, or code for a bare lower-case word."""
    if _names_an_object(text):
        return _PY_OBJ("py:obj", rawtext, text, lineno, inliner, options or {}, content or [])
    return [nodes.literal(rawtext, text)], []


def _names_an_object(text: str) -> bool:
    bare = text.lstrip("~!")
    return "." in bare or bare[:1].isupper() or bare.endswith("()")


def _target(text: str, objects: dict[str, Any]) -> str | None:
    found = _NAME.fullmatch(text.strip())
    if found is None:
        return None
    name = found["name"]
    if not (found["prefix"] or found["call"] or name[0].isupper()):
        return None
    qualified = f"fusion_strategies.{name}"
    return qualified if qualified in objects else None


def _inside_skipped(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _SKIPPED):
            return True
        parent = parent.parent
    return False
