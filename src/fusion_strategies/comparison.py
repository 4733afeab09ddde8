"""What changed between two catalogs: documents, excerpts, curated fields, glossary, page.

`diff` (also ``fusion_strategies.diff`` and ``fusion-strategies diff OLD NEW``) compares
two catalogs by id and gives a `CatalogDiff`: documents added and withdrawn, and for each
document in both, its fields that changed and its excerpts added, withdrawn and edited
(with the old and the new text); entities of the glossary added, removed and changed;
the terms each theme's vocabulary gained and lost; and the page's own fields that changed.
It names nothing that did not change: the diff of a catalog with itself is empty and false.

`CatalogDiff.to_text`, `to_markdown` (the shape of a CHANGELOG entry for a data release)
and `to_data` (plain JSON data) write it out.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping, Sequence

import attrs

from .catalog import Catalog
from .model import Entity, Excerpt, SourcePage, Strategy, Theme

__all__ = [
    "CatalogDiff",
    "EntityChanges",
    "ExcerptEdit",
    "FieldChange",
    "StrategyChanges",
    "ThemeTerms",
    "diff",
]

_STRATEGY_FIELDS = (
    "title",
    "heading",
    "period",
    "issuer",
    "kind",
    "themes",
    "aliases",
    "published",
)
_ENTITY_FIELDS = ("name", "acronym", "kind", "aliases", "description")
_WORDS = {"last_updated": "last-updated date"}
_SOURCE_FIELDS = ("title", "url", "publisher", "last_updated", "breadcrumb", "introduction")


@attrs.frozen(kw_only=True)
class FieldChange:
    """A field whose value changed, both values written as text.

    >>> FieldChange(field="title", old="A", new="B").field
    'title'
    """

    field: str
    old: str
    new: str


@attrs.frozen(kw_only=True)
class ExcerptEdit:
    """An excerpt whose id stayed and whose text changed."""

    id: str
    old: str
    new: str


@attrs.frozen(kw_only=True)
class StrategyChanges:
    """What changed in a document found in both catalogs; `strategy` is the new record."""

    strategy: Strategy
    fields: tuple[FieldChange, ...] = ()
    excerpts_added: tuple[Excerpt, ...] = ()
    excerpts_withdrawn: tuple[Excerpt, ...] = ()
    excerpts_edited: tuple[ExcerptEdit, ...] = ()


@attrs.frozen(kw_only=True)
class EntityChanges:
    """The fields that changed of an entity found in both glossaries (the new record)."""

    entity: Entity
    fields: tuple[FieldChange, ...]


@attrs.frozen(kw_only=True)
class ThemeTerms:
    """The terms a theme's vocabulary gained and lost."""

    theme: Theme
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class CatalogDiff:
    """What changed from one catalog to another; false when nothing did.

    ``withdrawn`` holds the old records of the documents that the new catalog lacks.

    >>> import fusion_strategies as fs
    >>> bool(fs.diff(fs.catalog(), fs.catalog()))
    False
    """

    source: tuple[FieldChange, ...] = ()
    added: tuple[Strategy, ...] = ()
    withdrawn: tuple[Strategy, ...] = ()
    changed: tuple[StrategyChanges, ...] = ()
    entities_added: tuple[Entity, ...] = ()
    entities_removed: tuple[Entity, ...] = ()
    entities_changed: tuple[EntityChanges, ...] = ()
    vocabulary: tuple[ThemeTerms, ...] = ()

    def __bool__(self) -> bool:
        return any(getattr(self, field.name) for field in attrs.fields(CatalogDiff))

    def to_text(self) -> str:
        """The diff for a terminal: ``+`` added, ``-`` withdrawn, ``~`` changed.

        >>> import fusion_strategies as fs
        >>> fs.diff(fs.catalog(), fs.catalog()).to_text()
        'no differences'
        """
        if not self:
            return "no differences"
        lines = [f"page: {c.field}: {c.old} -> {c.new}" for c in self.source]
        lines += (f"+ {s.id}: {s.heading}" for s in self.added)
        lines += (f"- {s.id}: {s.heading}" for s in self.withdrawn)
        for changes in self.changed:
            lines.append(f"~ {changes.strategy.id}: {changes.strategy.heading}")
            lines += (f"    {c.field}: {c.old} -> {c.new}" for c in changes.fields)
            lines += (f"    + excerpt {e.id}: {e.text}" for e in changes.excerpts_added)
            lines += (f"    - excerpt {e.id}: {e.text}" for e in changes.excerpts_withdrawn)
            for edit in changes.excerpts_edited:
                lines += [
                    f"    ~ excerpt {edit.id}:",
                    f"        - {edit.old}",
                    f"        + {edit.new}",
                ]
        lines += (f"+ entity {e.id}: {e.name}" for e in self.entities_added)
        lines += (f"- entity {e.id}: {e.name}" for e in self.entities_removed)
        for entity in self.entities_changed:
            lines.append(f"~ entity {entity.entity.id}: {entity.entity.name}")
            lines += (f"    {c.field}: {c.old} -> {c.new}" for c in entity.fields)
        for terms in self.vocabulary:
            said = [*(f"+ {t}" for t in terms.added), *(f"- {t}" for t in terms.removed)]
            lines.append(f"vocabulary {terms.theme.value}: {', '.join(said)}")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """The diff as the CHANGELOG entry of a data release, under a ``### Data`` heading.

        >>> import fusion_strategies as fs
        >>> print(fs.diff(fs.catalog(), fs.catalog()).to_markdown())
        ### Data
        <BLANKLINE>
        No changes.
        """
        from .export import escape_markdown as escape

        lines = ["### Data", ""]
        if not self:
            return "\n".join([*lines, "No changes."])
        lines += (
            f"- The page's {_WORDS.get(c.field, c.field)}: "
            f"{_quote(c.old, escape)} → {_quote(c.new, escape)}."
            for c in self.source
        )
        lines += (f"- Added {_name(s, escape)}, with {_count(s)}." for s in self.added)
        lines += (f"- Withdrawn: {_name(s, escape)}." for s in self.withdrawn)
        for changes in self.changed:
            lines.append(f"- Changed {_name(changes.strategy, escape)}:")
            lines += (
                f"  - {c.field}: {_quote(c.old, escape)} → {_quote(c.new, escape)}"
                for c in changes.fields
            )
            lines += (
                f"  - excerpt {e.id} added: {_quote(e.text, escape)}"
                for e in changes.excerpts_added
            )
            lines += (
                f"  - excerpt {e.id} withdrawn: {_quote(e.text, escape)}"
                for e in changes.excerpts_withdrawn
            )
            lines += (
                f"  - excerpt {e.id} edited: {_quote(e.old, escape)} → {_quote(e.new, escape)}"
                for e in changes.excerpts_edited
            )
        lines += (f"- Glossary: added `{e.id}`, {escape(e.name)}." for e in self.entities_added)
        lines += (f"- Glossary: removed `{e.id}`, {escape(e.name)}." for e in self.entities_removed)
        for entity in self.entities_changed:
            said = "; ".join(
                f"{c.field} {_quote(c.old, escape)} → {_quote(c.new, escape)}"
                for c in entity.fields
            )
            lines.append(f"- Glossary: `{entity.entity.id}`: {said}.")
        for terms in self.vocabulary:
            said = ", ".join(
                [
                    *(f"added {_quote(t, escape)}" for t in terms.added),
                    *(f"removed {_quote(t, escape)}" for t in terms.removed),
                ]
            )
            lines.append(f"- Vocabulary of `{terms.theme.value}`: {said}.")
        return "\n".join(lines)

    def to_data(self) -> dict[str, object]:
        """The diff as plain JSON data, with ``"equal"`` true when nothing changed.

        >>> import fusion_strategies as fs
        >>> fs.diff(fs.catalog(), fs.catalog()).to_data()["equal"]
        True
        """
        return {
            "equal": not self,
            "source": [_change_data(c) for c in self.source],
            "added": [{"id": s.id, "heading": s.heading} for s in self.added],
            "withdrawn": [{"id": s.id, "heading": s.heading} for s in self.withdrawn],
            "changed": [
                {
                    "id": c.strategy.id,
                    "heading": c.strategy.heading,
                    "fields": [_change_data(f) for f in c.fields],
                    "excerpts_added": [{"id": e.id, "text": e.text} for e in c.excerpts_added],
                    "excerpts_withdrawn": [
                        {"id": e.id, "text": e.text} for e in c.excerpts_withdrawn
                    ],
                    "excerpts_edited": [
                        {"id": e.id, "old": e.old, "new": e.new} for e in c.excerpts_edited
                    ],
                }
                for c in self.changed
            ],
            "entities_added": [e.id for e in self.entities_added],
            "entities_removed": [e.id for e in self.entities_removed],
            "entities_changed": [
                {"id": e.entity.id, "fields": [_change_data(f) for f in e.fields]}
                for e in self.entities_changed
            ],
            "vocabulary": [
                {"theme": t.theme.value, "added": list(t.added), "removed": list(t.removed)}
                for t in self.vocabulary
            ],
        }


def diff(old: Catalog, new: Catalog) -> CatalogDiff:
    """What changed from `old` to `new`, matched by id; see `CatalogDiff`.

    >>> import fusion_strategies as fs
    >>> from fusion_strategies.comparison import diff
    >>> catalog = fs.catalog()
    >>> fewer = fs.Catalog(
    ...     source=catalog.source(),
    ...     strategies=catalog.strategies()[1:],
    ...     entities=catalog.entities(),
    ...     vocabulary=catalog.vocabulary(),
    ... )
    >>> print(diff(catalog, fewer).to_text())
    - dhs-fusion-center-engagement-and-information-sharing-strategy-2022: DHS Fusion Center \
Engagement and Information Sharing Strategy (2022-2026)
    """
    for argument, value in (("old", old), ("new", new)):
        if not isinstance(value, Catalog):
            raise TypeError(f"diff() takes two Catalogs; {argument} is a {type(value).__name__}")
    before = {strategy.id: strategy for strategy in old.strategies()}
    after = {strategy.id: strategy for strategy in new.strategies()}
    changed = (_strategy_changes(before[s.id], s) for s in new.strategies() if s.id in before)
    old_entities = {entity.id: entity for entity in old.entities()}
    new_entities = {entity.id: entity for entity in new.entities()}
    return CatalogDiff(
        source=tuple(_field_changes(old.source(), new.source(), _SOURCE_FIELDS)),
        added=tuple(s for s in new.strategies() if s.id not in before),
        withdrawn=tuple(s for s in old.strategies() if s.id not in after),
        changed=tuple(changes for changes in changed if changes is not None),
        entities_added=tuple(e for e in new.entities() if e.id not in old_entities),
        entities_removed=tuple(e for e in old.entities() if e.id not in new_entities),
        entities_changed=tuple(
            EntityChanges(entity=e, fields=fields)
            for e in new.entities()
            if e.id in old_entities
            and (fields := tuple(_field_changes(old_entities[e.id], e, _ENTITY_FIELDS)))
        ),
        vocabulary=tuple(_vocabulary_changes(old.vocabulary(), new.vocabulary())),
    )


def _strategy_changes(old: Strategy, new: Strategy) -> StrategyChanges | None:
    if old == new:
        return None
    before = {excerpt.id: excerpt for excerpt in old.iter_excerpts()}
    after = {excerpt.id: excerpt for excerpt in new.iter_excerpts()}
    changes = StrategyChanges(
        strategy=new,
        fields=tuple(_field_changes(old, new, _STRATEGY_FIELDS)),
        excerpts_added=tuple(e for e in new.iter_excerpts() if e.id not in before),
        excerpts_withdrawn=tuple(e for e in old.iter_excerpts() if e.id not in after),
        excerpts_edited=tuple(
            ExcerptEdit(id=e.id, old=before[e.id].text, new=e.text)
            for e in new.iter_excerpts()
            if e.id in before and before[e.id].text != e.text
        ),
    )
    # Only the nesting or the order changed: nothing this diff names.
    has_news = changes.fields or changes.excerpts_added or changes.excerpts_withdrawn
    return changes if has_news or changes.excerpts_edited else None


def _field_changes(
    old: Strategy | Entity | SourcePage, new: Strategy | Entity | SourcePage, fields: Sequence[str]
) -> Iterator[FieldChange]:
    for field in fields:
        before, after = _shown(getattr(old, field)), _shown(getattr(new, field))
        if before != after:
            yield FieldChange(field=field, old=before, new=after)


def _shown(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, Entity):
        return value.id
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, tuple):
        return "; ".join(_shown(item) for item in value) or "(none)"
    return str(value)


def _vocabulary_changes(
    old: Mapping[Theme, tuple[str, ...]], new: Mapping[Theme, tuple[str, ...]]
) -> Iterator[ThemeTerms]:
    for theme in Theme:
        before, after = old.get(theme, ()), new.get(theme, ())
        had, has = set(before), set(after)
        added = tuple(term for term in after if term not in had)
        removed = tuple(term for term in before if term not in has)
        if added or removed:
            yield ThemeTerms(theme=theme, added=added, removed=removed)


def _change_data(change: FieldChange) -> dict[str, str]:
    return {"field": change.field, "old": change.old, "new": change.new}


def _name(strategy: Strategy, escape: Callable[[str], str]) -> str:
    return f"**{escape(strategy.heading)}** (`{strategy.id}`)"


def _quote(text: str, escape: Callable[[str], str]) -> str:
    return f"“{escape(text)}”"


def _count(strategy: Strategy) -> str:
    count = sum(1 for _ in strategy.iter_excerpts())
    return f"{count} excerpt{'s' if count != 1 else ''}"


def __dir__() -> list[str]:
    return list(__all__)  # the public names only, not the imports and helpers
