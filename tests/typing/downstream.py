"""A downstream script: `mypy --strict` (run on tests/) must infer these precise types."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING

import fusion_strategies as fs

if TYPE_CHECKING:
    from typing import assert_type

    catalog = fs.catalog()
    assert_type(catalog, fs.Catalog)
    assert_type(fs.strategies(), tuple[fs.Strategy, ...])
    assert_type(catalog.strategies(), tuple[fs.Strategy, ...])
    strategy = fs.lookup("QHSR")
    assert_type(strategy, fs.Strategy)
    assert_type(fs.get(strategy.id), fs.Strategy)
    assert_type(strategy.period.start, int)
    assert_type(strategy.issuer, fs.Entity)
    assert_type(strategy.issuer.acronym, str | None)
    assert_type(strategy.themes, tuple[fs.Theme, ...])
    assert_type(strategy.published, fs.PartialDate | None)
    assert_type(strategy.excerpts[0].children, tuple[fs.Excerpt, ...])
    assert_type(fs.find(year=2018, theme="counterterrorism"), tuple[fs.Strategy, ...])
    assert_type(fs.mentioning("HIDTA"), tuple[fs.Mention, ...])
    assert_type(fs.mentioning("HIDTA")[0].excerpt.text, str)
    assert_type(fs.entities(), tuple[fs.Entity, ...])
    assert_type(fs.entity("HIDTA").kind, fs.EntityKind)
    assert_type(fs.entities_in(strategy), tuple[fs.Entity, ...])
    assert_type(fs.source().last_updated, datetime.date)
    assert_type(fs.source().breadcrumb, tuple[str, ...])
    assert_type(fs.loads("{}"), fs.Catalog)
    assert_type(fs.load("catalog.json"), fs.Catalog)
    assert_type(fs.dumps(catalog), str)
    assert_type(fs.json_schema(), dict[str, object])
    assert_type(catalog.vocabulary(), Mapping[fs.Theme, tuple[str, ...]])
    assert_type(fs.__version__, str)
    try:
        fs.lookup("NBS")
    except fs.AmbiguousLookupError as error:
        assert_type(error.candidates, tuple[fs.Strategy | fs.Entity, ...])
    except fs.NotFoundError as error:
        assert_type(error.suggestions, tuple[str, ...])
