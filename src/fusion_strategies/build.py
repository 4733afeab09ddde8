"""Build a catalog from a page capture, a curated overlay, and the catalog it replaces.

`build_catalog` is what ``fusion-strategies build PAGE [--curated FILE] [--previous
CATALOG] -o OUT`` and the repository's ``scripts/build-data.sh`` run:

- The page gives the headings, periods and excerpts, verbatim, and the page's title,
  breadcrumb, introduction and last-updated date; the catalog records the SHA-256 of the
  capture (`Catalog.data_version`).
- The overlay (`fusion_strategies.curation`) gives the rest, by strategy id, and only its
  confirmed facts. Without one, the build still makes a valid catalog and says, in
  `Build.notes`, how it filled what only curation can give: a title is the heading without
  its year, the kind is judged from the heading's words, the issuer is the entity
  ``unknown-issuer``, and there are no themes, aliases or dates.
- Ids: a document gets the slug of its heading and first year (see the docs), an excerpt
  its position (``"2"``, ``"1.3"``). With the previous catalog, a document or an excerpt
  still on the page keeps its id, even if its text was edited, a bullet was put before it
  or it moved; one that left the page is recorded as withdrawn, with the new page's date,
  and no id is ever given again.

How documents are paired with the previous catalog's, in passes, each taking only what is
left: the same heading; the same name without the year; half or more of the excerpts the
same. Excerpts, within a paired document: the same text; then the most similar texts (by
their words), if at least half the words agree. A withdrawn document whose heading comes
back gets its id back.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence

import attrs

from ._names import normalize_name, split_heading, strategy_slug
from .capture import Capture, CapturedBullet, CapturedDocument
from .catalog import Catalog
from .curation import Curation, StrategyFacts
from .errors import CurationError
from .model import (
    DocumentKind,
    Entity,
    EntityKind,
    Excerpt,
    SourcePage,
    Strategy,
    Theme,
    Withdrawn,
)

__all__ = ["UNKNOWN_ISSUER", "Build", "build_catalog"]

UNKNOWN_ISSUER = Entity(
    id="unknown-issuer",
    name="Issuer not curated",
    kind=EntityKind.ORGANIZATION,
    description="The page does not say who issued the document, and no overlay did.",
)
"""The issuer of a document that no overlay names one for."""

SIMILAR = 0.5
"""How alike an edited excerpt's words must be to the old ones to keep its id (0 to 1)."""

_FUZZY_LIMIT = 100
"""At most this many unpaired excerpts a side are compared by words, to stay fast."""

_KIND_WORDS = (
    ("strategic plan", DocumentKind.STRATEGIC_PLAN),
    ("review", DocumentKind.REVIEW),
    ("framework", DocumentKind.FRAMEWORK),
    ("standards", DocumentKind.STANDARDS),
    ("report", DocumentKind.REPORT),
    ("strategy", DocumentKind.STRATEGY),
)


@attrs.frozen(kw_only=True)
class Build:
    """A built catalog, and notes on how it was filled and what happened to its ids.

    >>> from fusion_strategies.build import build_catalog
    >>> from fusion_strategies.capture import EXAMPLE, parse_capture
    >>> built = build_catalog(parse_capture(EXAMPLE), url="https://example.org/strategies")
    >>> [strategy.id for strategy in built.catalog]
    ['national-drug-control-strategy-2019']
    >>> for note in built.notes:
    ...     print(note)
    publisher: not in the capture or an overlay; the URL's host 'example.org' is used
    title: not curated for 1 document; the heading without its year is used
    issuer: not curated for 1 document; 'unknown-issuer' is used
    kind: not curated for 1 document; judged from the heading's words
    themes, aliases, dates, glossary and vocabulary: none curated
    """

    catalog: Catalog
    notes: tuple[str, ...] = ()


def build_catalog(
    capture: Capture,
    *,
    curation: Curation | None = None,
    previous: Catalog | None = None,
    url: str | None = None,
    publisher: str | None = None,
    strict: bool = False,
) -> Build:
    r"""Build a catalog from a capture, with an overlay's facts and a previous catalog's ids.

    `url` and `publisher` override what the capture and the overlay say of the page.
    `CurationError` lists every problem of the overlay against the page, with its path:
    a theme's grounds that its heading and excerpts do not hold, an issuer not in the
    glossary, a page without a URL. Facts for a strategy that is neither on the page nor
    withdrawn are a note (an overlay may serve several pages), or with `strict` a problem
    too (so that a mistyped id cannot drop facts unseen).

    >>> from fusion_strategies.build import build_catalog
    >>> from fusion_strategies.capture import EXAMPLE, parse_capture
    >>> first = build_catalog(parse_capture(EXAMPLE), url="https://example.org/").catalog
    >>> edited = EXAMPLE.replace("  • HIDTAs", "  • A new first bullet.\n  • HIDTAs")
    >>> second = build_catalog(
    ...     parse_capture(edited), previous=first, url="https://example.org/"
    ... ).catalog
    >>> [(e.id, e.text) for e in second.get("national-drug-control-strategy-2019").excerpts]
    [('2', 'A new first bullet.'), ('1', 'HIDTAs provide an umbrella.')]
    """
    builder = _Builder(capture, curation or Curation(format=1, sources={}), previous, strict)
    return builder.build(url, publisher)


class _Builder:
    """One build: the inputs, the problems found, and the notes to give."""

    def __init__(
        self, capture: Capture, curation: Curation, previous: Catalog | None, strict: bool
    ) -> None:
        self.capture = capture
        self.curation = curation
        self.previous = previous
        self.strict = strict
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.glossary = {curated.entity.id: curated.entity for curated in curation.entities}

    def build(self, url: str | None, publisher: str | None) -> Build:
        source = self._source(url, publisher)
        ids = _DocumentIds(self.capture.documents, self.previous)
        # Excerpt ids that left the page, by strategy: a fresh id never takes one of them.
        gone_excerpts: dict[str, set[str]] = {}
        for gone in self.previous.withdrawn() if self.previous else ():
            if gone.excerpt_id is not None:
                gone_excerpts.setdefault(gone.strategy_id, set()).add(gone.excerpt_id)
        withdrawn = list(ids.withdrawn(self.capture.last_updated))
        uncurated: dict[str, int] = {}
        strategies = []
        for document, (strategy_id, old) in zip(self.capture.documents, ids.assigned, strict=True):
            excerpts = _ExcerptIds(document.bullets, old, gone_excerpts.get(strategy_id, set()))
            withdrawn += excerpts.withdrawn(strategy_id, self.capture.last_updated)
            strategies.append(self._strategy(strategy_id, document, excerpts.excerpts, uncurated))
        self._unused_facts(ids)
        if self.problems:
            raise CurationError(self.problems)
        entities = [curated.entity for curated in self.curation.entities]
        if uncurated.get("issuer"):
            entities.append(UNKNOWN_ISSUER)
        self.notes += _uncurated_notes(uncurated, self.curation)
        self.notes += ids.notes
        catalog = Catalog(
            source=source,
            strategies=strategies,
            entities=entities,
            vocabulary=self.curation.vocabulary,
            withdrawn=withdrawn,
            capture_sha256=self.capture.sha256,
        )
        return Build(catalog=catalog, notes=tuple(self.notes))

    def _source(self, url: str | None, publisher: str | None) -> SourcePage:
        page = self.curation.page
        curated_url = page.url.value if page.url is not None and page.url.confirmed else None
        url = url or curated_url or self.capture.url
        if url is None:
            self.problems.append(
                "$.page.url: a text capture holds no URL; give one in the overlay's page.url "
                "or as the build's url (--url)"
            )
            url = "https://invalid.invalid/"
        if publisher is None and page.publisher is not None and page.publisher.confirmed:
            publisher = page.publisher.value
        publisher = publisher or self.capture.publisher
        if publisher is None:
            host = re.sub(r"^[a-z][a-z0-9+.-]*://([^/?#:]*).*$", r"\1", url, flags=re.I)
            publisher = host or url
            self.notes.append(
                f"publisher: not in the capture or an overlay; the URL's host {publisher!r} is used"
            )
        return SourcePage(
            title=self.capture.title,
            url=url,
            publisher=publisher,
            last_updated=self.capture.last_updated,
            breadcrumb=self.capture.breadcrumb,
            introduction=self.capture.introduction,
        )

    def _strategy(
        self,
        strategy_id: str,
        document: CapturedDocument,
        excerpts: tuple[Excerpt, ...],
        uncurated: dict[str, int],
    ) -> Strategy:
        facts = self.curation.strategies.get(strategy_id, StrategyFacts())
        at = f"$.strategies[{strategy_id!r}]"
        name, _ = split_heading(document.heading)
        title = facts.title.value if facts.title and facts.title.confirmed else None
        if title is None:
            uncurated["title"] = uncurated.get("title", 0) + 1
        issuer = self._issuer(facts, at)
        if issuer is None:
            uncurated["issuer"] = uncurated.get("issuer", 0) + 1
        if facts.kind is None:
            uncurated["kind"] = uncurated.get("kind", 0) + 1
        strategy = Strategy(
            id=strategy_id,
            title=title or name,
            heading=document.heading,
            period=document.period,
            issuer=issuer or UNKNOWN_ISSUER,
            kind=facts.kind.value if facts.kind else _judged_kind(name),
            themes=self._themes(facts, document.heading, excerpts, strategy_id),
            aliases=tuple(alias.value for alias in facts.aliases),
            published=(
                facts.published.value if facts.published and facts.published.confirmed else None
            ),
            excerpts=excerpts,
        )
        return strategy

    def _issuer(self, facts: StrategyFacts, at: str) -> Entity | None:
        if facts.issuer is None or not facts.issuer.confirmed:
            return None
        entity = self.glossary.get(facts.issuer.value)
        if entity is None:
            self.problems.append(
                f"{at}.issuer.value: {facts.issuer.value!r} is not the id of one of $.entities"
            )
        return entity

    def _themes(
        self,
        facts: StrategyFacts,
        heading: str,
        excerpts: tuple[Excerpt, ...],
        strategy_id: str,
    ) -> tuple[Theme, ...]:
        """The curated themes that the strategy's heading and excerpts on this page ground.

        The heading counts, because it is the page's name for the document's subject
        ("DHS's Northern Border Strategy"), whether or not the excerpts quoted repeat it.
        Strict, every ground must stand in them: the overlay says exactly which words
        ground a theme. Otherwise a theme holds while one of its grounds does, for an
        overlay written for a fuller page, and one that none grounds is left out.
        """
        texts = (heading, *(e.text for top in excerpts for e in top.iter_excerpts()))
        words = " ".join(texts).casefold()
        at = f"$.strategies[{strategy_id!r}]"
        themes = []
        for index, grounded in enumerate(facts.themes):
            missing = [
                number
                for number, ground in enumerate(grounded.grounds)
                if not _holds_words(words, ground.casefold())
            ]
            if self.strict:
                self.problems += (
                    f"{at}.themes[{index}].grounds[{number}]: {grounded.grounds[number]!r} "
                    "is not in the strategy's heading or excerpts"
                    for number in missing
                )
            elif grounded.grounds and len(missing) == len(grounded.grounds):
                self.notes.append(
                    f"themes: {grounded.theme.value!r} of {strategy_id} is left out: "
                    "none of its grounds is in its heading or excerpts"
                )
                continue
            themes.append(grounded.theme)
        return tuple(themes)

    def _unused_facts(self, ids: _DocumentIds) -> None:
        on_page = {strategy_id for strategy_id, _ in ids.assigned}
        unused = [
            strategy_id
            for strategy_id in self.curation.strategies
            if strategy_id not in on_page and strategy_id not in ids.withdrawn_ids
        ]
        if self.strict:
            self.problems += (
                f"$.strategies[{strategy_id!r}]: no document on the page has this id, "
                "and none was withdrawn with it"
                for strategy_id in unused
            )
        elif unused:
            count = len(unused)
            self.notes.append(
                f"curated facts: {count} {'strategy' if count == 1 else 'strategies'} of the "
                f"overlay {'is' if count == 1 else 'are'} not on this page (--strict names them)"
            )


class _DocumentIds:
    """The id of each document of the page, paired with the previous catalog's strategies."""

    def __init__(self, documents: Sequence[CapturedDocument], previous: Catalog | None) -> None:
        self.notes: list[str] = []
        old = previous.strategies() if previous else ()
        gone = [w for w in previous.withdrawn() if w.excerpt_id is None] if previous else []
        pairs = _pair_documents(documents, old, gone)
        taken = {strategy.id for strategy in old} | {w.strategy_id for w in gone}
        self.assigned: list[tuple[str, Strategy | None]] = []
        for index, document in enumerate(documents):
            paired = pairs.get(index)
            if isinstance(paired, Strategy):
                self.assigned.append((paired.id, paired))
            elif isinstance(paired, Withdrawn):
                self.assigned.append((paired.strategy_id, None))
            else:
                strategy_id = _fresh(strategy_slug(document.heading, document.period.start), taken)
                taken.add(strategy_id)
                self.assigned.append((strategy_id, None))
        kept = {strategy.id for _, strategy in self.assigned if strategy is not None}
        self.dropped = [strategy for strategy in old if strategy.id not in kept]
        self.revived = {w.strategy_id for w in pairs.values() if isinstance(w, Withdrawn)}
        self.kept_withdrawn = [
            w
            for w in (previous.withdrawn() if previous else ())
            if w.strategy_id not in self.revived
        ]
        self.withdrawn_ids = {w.strategy_id for w in gone} | {s.id for s in self.dropped}
        if previous is not None:
            added = len(documents) - len(kept) - len(self.revived)
            self.notes.append(
                f"documents: {len(kept)} kept their ids, {added} new, "
                f"{len(self.dropped)} withdrawn, {len(self.revived)} back from withdrawn"
            )

    def withdrawn(self, date: datetime.date) -> Iterator[Withdrawn]:
        """The previous catalog's withdrawn records, then the documents that left the page."""
        yield from self.kept_withdrawn
        for strategy in self.dropped:
            yield Withdrawn(strategy_id=strategy.id, text=strategy.heading, date=date)


def _pair_documents(
    documents: Sequence[CapturedDocument],
    old: Sequence[Strategy],
    gone: Sequence[Withdrawn],
) -> dict[int, Strategy | Withdrawn]:
    """Which previous strategy (or withdrawn one) each document of the page is, by index."""
    pairs: dict[int, Strategy | Withdrawn] = {}
    free = {strategy.id: strategy for strategy in old}  # not paired yet, in page order
    order = {strategy.id: position for position, strategy in enumerate(old)}

    def pass_by(key: Callable[[str], Hashable]) -> None:
        keyed: dict[Hashable, list[Strategy]] = {}
        for strategy in reversed(free.values()):
            keyed.setdefault(key(strategy.heading), []).append(strategy)
        for index, document in enumerate(documents):
            same = None if index in pairs else keyed.get(key(document.heading))
            if same:
                strategy = same.pop()  # the first on the old page: the lists are reversed
                pairs[index] = free.pop(strategy.id)

    pass_by(lambda heading: heading)
    pass_by(_bare_name)
    quoting: dict[str, list[str]] = {}
    for strategy in free.values():
        for text in {excerpt.text for excerpt in strategy.iter_excerpts()}:
            quoting.setdefault(text, []).append(strategy.id)
    for index, document in enumerate(documents):
        if index in pairs:
            continue
        texts = {bullet.text for bullet in _bullets(document.bullets)}
        shared = Counter(i for text in texts for i in quoting.get(text, ()) if i in free)
        if shared:
            best = min(shared, key=lambda i: (-shared[i], order[i]))
            if 2 * shared[best] >= len(texts):
                pairs[index] = free.pop(best)
    by_heading = {w.text: w for w in gone}
    for index, document in enumerate(documents):
        if index not in pairs and document.heading in by_heading:
            pairs[index] = by_heading.pop(document.heading)
    return pairs


class _ExcerptIds:
    """The excerpts of one document, with ids kept from its previous strategy where it had one."""

    def __init__(
        self,
        bullets: tuple[CapturedBullet, ...],
        old: Strategy | None,
        withdrawn_ids: set[str],
    ) -> None:
        flat = list(_bullets(bullets))
        before = list(old.iter_excerpts()) if old else []
        paired = _pair_excerpts([bullet.text for bullet in flat], [e.text for e in before])
        self.ids: dict[int, str] = {id(flat[new]): before[was].id for new, was in paired.items()}
        kept = set(paired.values())
        self.dropped = [e for index, e in enumerate(before) if index not in kept]
        used = {e.id for e in before} | withdrawn_ids
        # The highest number used under each parent ("" for the top level), ids withdrawn
        # included: a fresh id is one past it, found without looking at every id again.
        self.highest: dict[str, int] = {}
        for used_id in used:
            self._use(used_id)
        self.excerpts = tuple(self._excerpt(bullet, None) for bullet in bullets)

    def _use(self, excerpt_id: str) -> None:
        parent, _, number = excerpt_id.rpartition(".")
        if number.isdigit():
            self.highest[parent] = max(self.highest.get(parent, 0), int(number))

    def _excerpt(self, bullet: CapturedBullet, parent: str | None) -> Excerpt:
        excerpt_id = self.ids.get(id(bullet))
        if excerpt_id is None:
            number = self.highest.get(parent or "", 0) + 1
            excerpt_id = f"{parent}.{number}" if parent else str(number)
        self._use(excerpt_id)
        children = tuple(self._excerpt(child, excerpt_id) for child in bullet.children)
        return Excerpt(id=excerpt_id, text=bullet.text, children=children)

    def withdrawn(self, strategy_id: str, date: datetime.date) -> list[Withdrawn]:
        return [
            Withdrawn(strategy_id=strategy_id, excerpt_id=e.id, text=e.text, date=date)
            for e in self.dropped
        ]


def _pair_excerpts(new: Sequence[str], old: Sequence[str]) -> dict[int, int]:
    """Which old text each new one is (by index): the same text first, then a similar one."""
    pairs: dict[int, int] = {}
    waiting: dict[str, list[int]] = {}
    for index, text in enumerate(old):
        waiting.setdefault(text, []).append(index)
    for index, text in enumerate(new):
        same = waiting.get(text)
        if same:
            pairs[index] = same.pop(0)
    taken = set(pairs.values())
    left_new = [i for i in range(len(new)) if i not in pairs][:_FUZZY_LIMIT]
    left_old = [i for i in range(len(old)) if i not in taken][:_FUZZY_LIMIT]
    scored = sorted(
        ((-_similarity(new[n], old[o]), n, o) for n in left_new for o in left_old),
    )
    for negative, n, o in scored:
        if -negative < SIMILAR:
            break
        if n not in pairs and o not in taken:
            pairs[n] = o
            taken.add(o)
    return pairs


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def _bullets(bullets: Iterable[CapturedBullet]) -> Iterator[CapturedBullet]:
    for bullet in bullets:
        yield bullet
        yield from _bullets(bullet.children)


def _bare_name(heading: str) -> str:
    return normalize_name(split_heading(heading)[0])


def _fresh(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def _judged_kind(name: str) -> DocumentKind:
    folded = name.casefold()
    for words, kind in _KIND_WORDS:
        if words in folded:
            return kind
    return DocumentKind.STRATEGY


def _holds_words(text: str, words: str) -> bool:
    """Whether `words` stand in `text` with no word character right before or after."""
    start = text.find(words)
    while start != -1:
        end = start + len(words)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return True
        start = text.find(words, start + 1)
    return False


def _uncurated_notes(uncurated: Mapping[str, int], curation: Curation) -> Iterator[str]:
    said = {
        "title": "the heading without its year is used",
        "issuer": f"{UNKNOWN_ISSUER.id!r} is used",
        "kind": "judged from the heading's words",
    }
    for field, how in said.items():
        count = uncurated.get(field, 0)
        if count:
            documents = "document" if count == 1 else "documents"
            yield f"{field}: not curated for {count} {documents}; {how}"
    if not curation.strategies and not curation.entities and not curation.vocabulary:
        yield "themes, aliases, dates, glossary and vocabulary: none curated"


def __dir__() -> list[str]:
    return list(__all__)  # the public names only, not the imports and helpers
