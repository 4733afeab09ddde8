"""The diff of two catalogs on hand-made changes to the bundled one: curated fields, the
glossary, the vocabulary and the page, each named once and nothing else."""

from __future__ import annotations

import json

import attrs

import fusion_strategies as fs
from fusion_strategies.comparison import FieldChange

CATALOG = fs.catalog()


def changed(**changes: object) -> fs.Catalog:
    parts: dict[str, object] = {
        "source": CATALOG.source(),
        "strategies": CATALOG.strategies(),
        "entities": CATALOG.entities(),
        "vocabulary": CATALOG.vocabulary(),
    }
    parts.update(changes)
    return fs.Catalog(**parts)  # type: ignore[arg-type]


def test_a_catalog_equals_itself_and_a_copy_of_itself() -> None:
    assert not fs.diff(CATALOG, fs.loads(fs.dumps(CATALOG)))


def test_a_curated_title_and_themes_changed() -> None:
    first = CATALOG.strategies()[0]
    retitled = attrs.evolve(first, title="A New Title", themes=first.themes[:1])
    changes = fs.diff(CATALOG, changed(strategies=(retitled, *CATALOG.strategies()[1:])))
    (one,) = changes.changed
    assert one.strategy == retitled
    assert one.fields == (
        FieldChange(field="title", old=first.title, new="A New Title"),
        FieldChange(
            field="themes",
            old="; ".join(theme.value for theme in first.themes),
            new=first.themes[0].value,
        ),
    )
    assert (one.excerpts_added, one.excerpts_withdrawn, one.excerpts_edited) == ((), (), ())
    assert f"    title: {first.title} -> A New Title" in changes.to_text().splitlines()


def test_the_glossary_and_the_vocabulary() -> None:
    entities = list(CATALOG.entities())
    at = entities.index(CATALOG.entity("JTTF"))  # an entity that issues no strategy
    old = entities[at]
    entities[at] = renamed = attrs.evolve(old, name="Renamed")
    added = fs.Entity(id="new-entity", name="New", kind=fs.EntityKind.TERM)
    vocabulary = dict(CATALOG.vocabulary())
    vocabulary[fs.Theme.CYBERSECURITY] = (*vocabulary[fs.Theme.CYBERSECURITY][1:], "new term")
    new = changed(entities=(*entities, added), vocabulary=vocabulary)
    changes = fs.diff(CATALOG, new)
    assert changes.entities_added == (added,)
    assert changes.entities_removed == ()
    ((entity, fields),) = ((c.entity, c.fields) for c in changes.entities_changed)
    assert entity == renamed
    assert fields == (FieldChange(field="name", old=old.name, new="Renamed"),)
    (terms,) = changes.vocabulary
    assert terms.theme is fs.Theme.CYBERSECURITY
    assert terms.added == ("new term",)
    assert terms.removed == (CATALOG.vocabulary()[fs.Theme.CYBERSECURITY][0],)
    assert changes.changed == ()
    data = changes.to_data()
    assert json.loads(json.dumps(data)) == data
    assert data["entities_added"] == ["new-entity"]


def test_markdown_escapes_what_a_catalog_holds() -> None:
    first = CATALOG.strategies()[0]
    sneaky = attrs.evolve(first, title="A *bold* | [link](x)")
    markdown = fs.diff(CATALOG, changed(strategies=(sneaky, *CATALOG.strategies()[1:])))
    text = markdown.to_markdown()
    assert "A \\*bold\\* \\| \\[link\\](x)" in text
