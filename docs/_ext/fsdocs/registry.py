"""What each page documented, kept in the build environment across pages and workers."""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


class Registry:
    """Names recorded per page under one attribute of the environment.

    Sphinx reads pages again when they change, and may read them in parallel workers;
    connect `purge` and `merge` so that the union stays right.
    """

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute

    def _pages(self, env: BuildEnvironment) -> dict[str, set[str]]:
        pages: dict[str, set[str]] | None = getattr(env, self.attribute, None)
        if pages is None:
            pages = {}
            setattr(env, self.attribute, pages)
        return pages

    def add(self, env: BuildEnvironment, names: set[str] | list[str]) -> None:
        """Record names as documented on the page being read."""
        self._pages(env).setdefault(env.docname, set()).update(names)

    def names(self, env: BuildEnvironment) -> set[str]:
        """Every name recorded on any page."""
        return set().union(*self._pages(env).values())

    def purge(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        """Forget a page before it is read again (``env-purge-doc``)."""
        self._pages(env).pop(docname, None)

    def merge(
        self, app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
    ) -> None:
        """Take what a parallel worker's pages recorded (``env-merge-info``)."""
        theirs = self._pages(other)
        self._pages(env).update({name: theirs[name] for name in docnames if name in theirs})

    def connect(self, app: Sphinx) -> None:
        """Keep the registry right across re-reads and parallel reads."""
        app.connect("env-purge-doc", self.purge)
        app.connect("env-merge-info", self.merge)
