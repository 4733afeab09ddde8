"""A timeline of the documents' periods: text for a terminal, or an SVG picture.

Both show one row per document, grouped by issuer: the groups in order of their first
year, the documents of a group by period. A document's bar covers the years of its
period, inclusive, as the page gives them. The command line is ``fusion-strategies
timeline`` and ``fusion-strategies timeline --svg PATH``.

The SVG needs no library: it is written as text, every label escaped, and laid out so
that no label overlaps another and all of them fit the canvas. Its structure is stable:
a ``<g class="issuer">`` per issuer holds a ``<g class="document" data-id="…">`` per
document, each with a ``<title>`` (the full title and period), a ``label``, a ``bar``
and a ``period``.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

from .catalog import Catalog
from .model import Entity, Strategy

__all__ = ["to_svg", "to_text"]

_Group = tuple[Entity, tuple[Strategy, ...]]

_BOLD, _BAR_COLOR, _RESET = "\x1b[1m", "\x1b[36m", "\x1b[0m"
_PALETTE = (
    "#2f6f9f",
    "#b5562b",
    "#3f8a4f",
    "#7b4f9d",
    "#a07a1b",
    "#2b8a8a",
    "#9d3f5f",
    "#5a6b2a",
    "#4a5fc1",
    "#8a5a3c",
)

# SVG metrics, in pixels.
_MARGIN = 20
_LABEL_SIZE, _SMALL_SIZE, _TITLE_SIZE = 12, 11, 15
_INDENT = 14
_MAX_LABEL = 430
_YEAR_WIDTH = 38
_ROW, _GROUP_ROW = 22, 24
_BAR_HEIGHT = 12
_FOOTER_ROW = 18
_GAP = 8


def to_text(catalog: Catalog, *, width: int = 80, color: bool = False) -> str:
    """The timeline as lines of text at most `width` columns wide; `color` adds ANSI bold.

    >>> import fusion_strategies as fs
    >>> lines = to_text(fs.catalog(), width=80).splitlines()
    >>> print(lines[0].strip())
    2010 2015 2020 2025
    >>> print(lines[2])
    The White House
    >>> print(lines[3])
      National Information Sharing Strategy           █  ·    ·    ·    ·       2007
    """
    catalog = _catalog(catalog)
    groups = _groups(catalog)
    first, last = _years(catalog)
    years = last - first + 1
    tail = max(len(str(strategy.period)) for strategy in catalog) + 1
    longest = max(len(_shown(_label(strategy))) for strategy in catalog) + 4
    # Wider years only where the labels keep room enough to be read.
    cell = next((cell for cell in (3, 2) if width - tail - cell * years >= min(longest, 40)), 1)
    label_width = max(10, min(longest, width - tail - cell * years))
    step = next(step for step in (1, 2, 5, 10, 20, 50) if step * cell >= 5)
    ticks = range(first + (-first) % step, last + 1, step)  # `in` a range costs nothing

    # Every row is the empty chart with its bar cut in: string slices, not a loop per year.
    empty = "".join(("·" if year in ticks else " ").ljust(cell) for year in range(first, last + 1))
    bar_cell = f"{_BAR_COLOR}{'█' * cell}{_RESET}" if color else "█" * cell

    def chart(strategy: Strategy | None) -> str:
        if strategy is None:
            return empty
        start = (strategy.period.start - first) * cell
        end = (strategy.period.end - first + 1) * cell
        years_on = strategy.period.end - strategy.period.start + 1
        return f"{empty[:start]}{bar_cell * years_on}{empty[end:]}"

    axis = [" "] * (years * cell + 4)
    for year in ticks:
        at = (year - first) * cell
        axis[at : at + 4] = str(year)
    lines = [
        " " * label_width + "".join(axis).rstrip(),
        " " * label_width + chart(None).rstrip(),
    ]
    for issuer, strategies in groups:
        name = _truncate(_shown(issuer.name), width)
        lines.append(f"{_BOLD}{name}{_RESET}" if color else name)
        for strategy in strategies:
            label = _truncate(_shown(_label(strategy)), label_width - 4)
            period = str(strategy.period).rjust(tail)
            lines.append(f"  {label.ljust(label_width - 2)}{chart(strategy)}{period}")
    return "\n".join(lines) + "\n"


def to_svg(catalog: Catalog) -> str:
    """The timeline as an SVG document, one row per document grouped by issuer.

    >>> import xml.etree.ElementTree as ET
    >>> import fusion_strategies as fs
    >>> svg = ET.fromstring(to_svg(fs.catalog()))
    >>> len(svg.findall(".//{http://www.w3.org/2000/svg}g[@class='document']"))
    22
    """
    catalog = _catalog(catalog)
    return _Svg(catalog).render()


class _Svg:
    """The layout of the SVG timeline: a label column, then one column per year."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.groups = _groups(catalog)
        self.first, self.last = _years(catalog)
        self.labels = {s.id: _fit(_label(s), _MAX_LABEL, _LABEL_SIZE) for s in catalog}
        label_width = max(
            [_text_width(label, _LABEL_SIZE) + _INDENT for label in self.labels.values()]
            + [_text_width(issuer.name, _LABEL_SIZE, bold=True) for issuer, _ in self.groups]
        )
        self.chart_left = _MARGIN + label_width + 2 * _GAP
        self.chart_right = self.chart_left + (self.last - self.first + 1) * _YEAR_WIDTH
        periods = max(_text_width(str(s.period), _SMALL_SIZE) for s in catalog)
        self.title = f"{catalog.source().title}: documents by issuer and period"
        self.footer = _footer(catalog)
        self.width = _MARGIN + max(
            self.chart_right + _GAP + periods,
            _MARGIN + _text_width(self.title, _TITLE_SIZE, bold=True),
            *(_MARGIN + _text_width(line, _SMALL_SIZE) for line in self.footer),
        )
        self.top = _MARGIN + _TITLE_SIZE + 16 + _SMALL_SIZE + 8
        rows = sum(_GROUP_ROW + len(strategies) * _ROW for _, strategies in self.groups)
        self.bottom = self.top + rows
        self.height = self.bottom + 8 + _SMALL_SIZE + len(self.footer) * _FOOTER_ROW + _MARGIN

    def x(self, year: int) -> float:
        return self.chart_left + (year - self.first) * _YEAR_WIDTH

    def render(self) -> str:
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width:.0f}" '
            f'height="{self.height:.0f}" viewBox="0 0 {self.width:.0f} {self.height:.0f}" '
            'font-family="DejaVu Sans, Verdana, Arial, sans-serif">',
            f"<title>{_escape(self.title)}</title>",
            f'<rect width="{self.width:.0f}" height="{self.height:.0f}" fill="#ffffff"/>',
            _text(_MARGIN, _MARGIN + _TITLE_SIZE, self.title, _TITLE_SIZE, "title", bold=True),
            *self.bands(),
            *self.grid(),
            *self.groups_svg(),
            *self.footer_svg(),
            "</svg>",
        ]
        return "\n".join(parts) + "\n"

    def grid(self) -> Iterator[str]:
        yield '<g class="axis">'
        for year in range(self.first, self.last + 2):
            shade = "#b8b8b8" if year % 5 == 0 else "#e2e2e2"
            yield (
                f'<line x1="{self.x(year):.1f}" y1="{self.top - 4}" x2="{self.x(year):.1f}" '
                f'y2="{self.bottom + 4}" stroke="{shade}" stroke-width="1"/>'
            )
        for year in range(self.first, self.last + 1):
            middle = self.x(year) + _YEAR_WIDTH / 2
            yield _text(middle, self.top - 8, str(year), _SMALL_SIZE, "tick", anchor="middle")
            below = self.bottom + 8 + _SMALL_SIZE
            yield _text(middle, below, str(year), _SMALL_SIZE, "tick", anchor="middle")
        yield "</g>"

    def bands(self) -> Iterator[str]:
        """A light band behind every other issuer's rows, drawn first, under the grid."""
        y = self.top
        for index, (_, strategies) in enumerate(self.groups):
            height = _GROUP_ROW + len(strategies) * _ROW
            if index % 2 == 0:
                yield (
                    f'<rect class="band" x="{_MARGIN / 2:.0f}" y="{y}" '
                    f'width="{self.width - _MARGIN:.0f}" height="{height}" fill="#eef2f6"/>'
                )
            y += height

    def footer_svg(self) -> Iterator[str]:
        y = self.height - _MARGIN - (len(self.footer) - 1) * _FOOTER_ROW
        for line in self.footer:
            yield _text(_MARGIN, y, line, _SMALL_SIZE, "source")
            y += _FOOTER_ROW

    def groups_svg(self) -> Iterator[str]:
        y = self.top
        for index, (issuer, strategies) in enumerate(self.groups):
            color = _PALETTE[index % len(_PALETTE)]
            yield f'<g class="issuer" data-id="{_escape(issuer.id)}">'
            yield _text(_MARGIN, y + 17, issuer.name, _LABEL_SIZE, "issuer", bold=True)
            y += _GROUP_ROW
            for strategy in strategies:
                yield from self.row(strategy, y, color)
                y += _ROW
            yield "</g>"

    def row(self, strategy: Strategy, y: int, color: str) -> Iterator[str]:
        start, end = self.x(strategy.period.start), self.x(strategy.period.end + 1)
        baseline = y + 15
        tooltip = f"{strategy.title} ({strategy.period}), {strategy.issuer.name}"
        yield f'<g class="document" data-id="{_escape(strategy.id)}">'
        yield f"<title>{_escape(tooltip)}</title>"
        yield _text(_MARGIN + _INDENT, baseline, self.labels[strategy.id], _LABEL_SIZE, "label")
        yield (
            f'<rect class="bar" x="{start + 2:.1f}" y="{y + (_ROW - _BAR_HEIGHT) / 2:.1f}" '
            f'width="{end - start - 4:.1f}" height="{_BAR_HEIGHT}" rx="3" fill="{color}"/>'
        )
        yield _text(end + _GAP, baseline - 1, str(strategy.period), _SMALL_SIZE, "period")
        yield "</g>"


def _text(
    x: float,
    y: float,
    text: str,
    size: int,
    kind: str,
    *,
    anchor: str = "start",
    bold: bool = False,
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    fill = "#555555" if kind in {"tick", "source"} else "#222222"
    return (
        f'<text class="{kind}" x="{x:.1f}" y="{y:.1f}" font-size="{size}" '
        f'text-anchor="{anchor}"{weight} fill="{fill}">{_escape(text)}</text>'
    )


def _escape(text: str) -> str:
    """Text for XML: markup escaped, and what XML forbids (controls) shown as escapes."""
    from ._terminal import visible

    return html.escape(visible(text), quote=True)


def _footer(catalog: Catalog) -> tuple[str, str]:
    page = catalog.source()
    return (
        f"Source: {page.publisher}, “{page.title},” last updated {page.last_updated.isoformat()}.",
        page.url,
    )


# -- shared by both ---------------------------------------------------------------------


def _catalog(catalog: object) -> Catalog:
    if not isinstance(catalog, Catalog):
        raise TypeError(f"catalog must be a Catalog, not {type(catalog).__name__}")
    if not len(catalog):
        raise ValueError("a timeline needs at least one strategy")
    return catalog


def _groups(catalog: Catalog) -> tuple[_Group, ...]:
    """The documents grouped by issuer: groups by their first year, documents by period."""
    position = {strategy.id: index for index, strategy in enumerate(catalog)}
    by_issuer: dict[str, list[Strategy]] = {}
    for strategy in catalog:
        by_issuer.setdefault(strategy.issuer.id, []).append(strategy)

    def chronological(strategy: Strategy) -> tuple[int, int, int]:
        return strategy.period.start, strategy.period.end, position[strategy.id]

    groups = [
        (strategies[0].issuer, tuple(sorted(strategies, key=chronological)))
        for strategies in by_issuer.values()
    ]
    groups.sort(key=lambda group: (chronological(group[1][0]), group[0].name))
    return tuple(groups)


def _years(catalog: Catalog) -> tuple[int, int]:
    return (
        min(strategy.period.start for strategy in catalog),
        max(strategy.period.end for strategy in catalog),
    )


def _label(strategy: Strategy) -> str:
    """The page's heading without its years: the shortest name the page gives."""
    from ._names import split_heading

    name, _ = split_heading(strategy.heading)
    return name


def _shown(text: str) -> str:
    """Text for a terminal, with controls and bidi characters made visible."""
    from ._terminal import visible

    return visible(text)


def _truncate(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)].rstrip() + "…"


def _fit(text: str, width: float, size: int) -> str:
    """The text, cut at a word and ended with "…" if it is wider than `width` pixels."""
    if _text_width(text, size) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1 and _text_width(" ".join(words) + "…", size) > width:
        words.pop()
    fitted = " ".join(words).rstrip(",:;") + "…"
    return fitted if _text_width(fitted, size) <= width else _truncate(text, int(width / size))


_NARROW = frozenset("ijlI.,:;'’|!()[] ")
_WIDE = frozenset("mwMW…—")


def _text_width(text: str, size: int, *, bold: bool = False) -> float:
    """A generous estimate of a text's width in a sans-serif font, in pixels.

    Wider than DejaVu Sans and Arial draw it, so that a layout made with it never
    overlaps; bold adds a tenth.
    """
    ems = 0.0
    for char in text:
        if char in _WIDE:
            ems += 1.0
        elif char in _NARROW:
            ems += 0.4
        elif char.isupper() or char.isdigit():
            ems += 0.8
        else:
            ems += 0.66
    return ems * size * (1.1 if bold else 1.0)


def __dir__() -> list[str]:
    return list(__all__)  # the public names only, not the imports and helpers
