"""The timeline: text that fits its width, and an SVG whose labels fit and never overlap."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import attrs
import pytest

import fusion_strategies as fs
from fusion_strategies import timeline

SVG = "{http://www.w3.org/2000/svg}"
CATALOG = fs.catalog()
ISSUERS = {strategy.issuer.id for strategy in CATALOG}
FIRST = min(strategy.period.start for strategy in CATALOG)
LAST = max(strategy.period.end for strategy in CATALOG)

# -- text ----------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [60, 72, 80, 100, 120, 160])
def test_text_fits_its_width(width: int) -> None:
    lines = timeline.to_text(fs.catalog(), width=width).splitlines()
    assert max(len(line) for line in lines) <= width
    assert "\x1b" not in "".join(lines)


@pytest.mark.parametrize("width", [72, 80, 120])
def test_text_has_one_row_per_document_under_its_issuer(width: int) -> None:
    lines = timeline.to_text(fs.catalog(), width=width).splitlines()
    rows = [line for line in lines[2:] if line.startswith("  ")]
    assert len(rows) == len(CATALOG)
    headers = [line for line in lines[2:] if not line.startswith(" ")]
    assert headers == [line for line in headers if line in {s.issuer.name for s in CATALOG}]
    assert len(headers) == len(ISSUERS)
    for strategy in CATALOG:
        header = lines.index(strategy.issuer.name)
        following = itertools.takewhile(lambda line: line.startswith("  "), lines[header + 1 :])
        assert any(row.rstrip().endswith(f" {strategy.period}") for row in following)


@pytest.mark.parametrize("width", [80, 120])
def test_text_bars_sit_under_their_years(width: int) -> None:
    lines = timeline.to_text(fs.catalog(), width=width).splitlines()
    axis = lines[0]
    ticks = {int(match[0]): match.start() for match in re.finditer(r"\d{4}", axis)}
    (first_tick, second_tick) = sorted(ticks)[:2]
    cell = (ticks[second_tick] - ticks[first_tick]) // (second_tick - first_tick)
    rows = [line for line in lines[2:] if line.startswith("  ")]
    periods = sorted(
        (strategy.period.start, strategy.period.end) for strategy in CATALOG
    )  # each row's bar, read off the text, must be one of the periods
    read = []
    for row in rows:
        bar = re.search(r"█+", row)
        assert bar is not None, row
        start = first_tick + (bar.start() - ticks[first_tick]) // cell
        end = start + len(bar[0]) // cell - 1
        assert len(bar[0]) % cell == 0
        assert row.rstrip().endswith(str(fs.Period(start=start, end=end)))
        read.append((start, end))
    assert sorted(read) == periods


def test_text_in_color_marks_issuers_and_bars() -> None:
    text = timeline.to_text(fs.catalog(), width=100, color=True)
    assert "\x1b[1mThe White House\x1b[0m" in text
    assert "\x1b[36m" in text


# -- SVG -----------------------------------------------------------------------------------


def text_width(text: str, size: float, bold: bool) -> float:
    """A conservative width for DejaVu Sans or Arial: wider than either draws any letter."""
    width = 0.0
    for char in text:
        if char in "MWmw@…—%":
            width += 1.0
        elif char == " ":
            width += 0.35
        elif char.isupper() or char.isdigit():
            width += 0.8
        else:
            width += 0.68
    return width * size * (1.12 if bold else 1.0)


@attrs.frozen
class Box:
    text: str
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return not (
            self.right <= other.left
            or other.right <= self.left
            or self.bottom <= other.top
            or other.bottom <= self.top
        )


def label_boxes(svg: ET.Element) -> list[Box]:
    boxes = []
    for element in svg.iter(f"{SVG}text"):
        text = "".join(element.itertext())
        size = float(element.attrib["font-size"])
        width = text_width(text, size, element.get("font-weight") == "bold")
        x, y = float(element.attrib["x"]), float(element.attrib["y"])
        anchor = element.get("text-anchor", "start")
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        boxes.append(Box(text, left, y - 0.95 * size, left + width, y + 0.25 * size))
    return boxes


def inside(box: Box, width: float, height: float) -> bool:
    return 0 <= box.left <= box.right <= width and 0 <= box.top <= box.bottom <= height


def parse(svg_text: str) -> ET.Element:
    root = ET.fromstring(svg_text)
    assert root.tag == f"{SVG}svg"
    return root


@pytest.fixture(scope="module")
def svg() -> ET.Element:
    return parse(timeline.to_svg(fs.catalog()))


def test_svg_has_one_row_per_document_grouped_by_issuer(svg: ET.Element) -> None:
    groups = svg.findall(f".//{SVG}g[@class='issuer']")
    assert {group.attrib["data-id"] for group in groups} == ISSUERS
    assert len(groups) == len(ISSUERS)
    by_id = {strategy.id: strategy for strategy in CATALOG}
    seen = []
    for group in groups:
        documents = group.findall(f"{SVG}g[@class='document']")
        assert documents
        (header,) = group.findall(f"{SVG}text[@class='issuer']")
        for document in documents:
            strategy = by_id[document.attrib["data-id"]]
            assert strategy.issuer.id == group.attrib["data-id"]
            assert header.text == strategy.issuer.name
            assert len(document.findall(f"{SVG}rect[@class='bar']")) == 1
            seen.append(strategy.id)
    assert sorted(seen) == sorted(by_id)


def test_svg_rows_are_stacked_one_per_document(svg: ET.Element) -> None:
    bars = svg.findall(f".//{SVG}rect[@class='bar']")
    tops = sorted(float(bar.attrib["y"]) for bar in bars)
    assert len(tops) == len(CATALOG)
    assert all(lower - upper >= 14 for upper, lower in itertools.pairwise(tops))


def test_svg_has_a_tick_for_every_year_and_bars_span_their_years(svg: ET.Element) -> None:
    ticks: dict[int, list[float]] = {}
    for tick in svg.iter(f"{SVG}text"):
        if tick.get("class") == "tick":
            ticks.setdefault(int(tick.text or ""), []).append(float(tick.attrib["x"]))
    assert set(ticks) == set(range(FIRST, LAST + 1))
    for document in svg.iter(f"{SVG}g"):
        if document.get("class") != "document":
            continue
        strategy = CATALOG.get(document.attrib["data-id"])
        (bar,) = document.findall(f"{SVG}rect")
        left = float(bar.attrib["x"])
        right = left + float(bar.attrib["width"])
        inside = {year for year, (x, *_) in ticks.items() if left < x < right}
        assert inside == set(range(strategy.period.start, strategy.period.end + 1)), strategy.id
        (period,) = (t for t in document.iter(f"{SVG}text") if t.get("class") == "period")
        assert period.text == str(strategy.period)


def test_svg_labels_stay_inside_the_canvas(svg: ET.Element) -> None:
    width, height = float(svg.attrib["width"]), float(svg.attrib["height"])
    assert svg.attrib["viewBox"] == f"0 0 {width:.0f} {height:.0f}"
    for box in label_boxes(svg):
        assert inside(box, width, height), box
    for rect in svg.iter(f"{SVG}rect"):
        x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
        right, bottom = x + float(rect.attrib["width"]), y + float(rect.attrib["height"])
        assert inside(Box("rect", x, y, right, bottom), width, height), rect.attrib


def test_svg_labels_never_overlap(svg: ET.Element) -> None:
    boxes = label_boxes(svg)
    assert len(boxes) > 2 * len(CATALOG)
    for one, other in itertools.combinations(boxes, 2):
        assert not one.overlaps(other), (one, other)


def test_svg_escapes_labels_and_keeps_them_in_bounds() -> None:
    nasty = "<Plan> & “Quotes” \"and\" 'more' ]]>" + " Wide Words" * 20
    issuer = fs.Entity(id="r-and-d", name="R&D <Office>", kind=fs.EntityKind.ORGANIZATION)
    strategies = [
        fs.Strategy(
            id=f"plan-{year}",
            title=nasty,
            heading=f"{nasty.strip()} ({year})",
            period=fs.Period(start=year, end=year + 3),
            issuer=issuer,
            kind=fs.DocumentKind.STRATEGY,
        )
        for year in (1999, 2001)
    ]
    source = attrs.evolve(CATALOG.source(), title="Ours & <Theirs>", url="https://x.org/?a=1&b=2")
    catalog = fs.Catalog(source=source, strategies=strategies, entities=[issuer])
    text = timeline.to_svg(catalog)
    assert "<Plan>" not in text
    assert "&lt;Plan&gt; &amp;" in text
    root = parse(text)
    labels = [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "label"]
    assert all(label.startswith("<Plan> & “Quotes”") and label.endswith("…") for label in labels)
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "issuer"] == [
        "R&D <Office>"
    ]
    width, height = float(root.attrib["width"]), float(root.attrib["height"])
    for box in label_boxes(root):
        assert inside(box, width, height), box
    for one, other in itertools.combinations(label_boxes(root), 2):
        assert not one.overlaps(other), (one, other)


def test_an_empty_catalog_has_no_timeline() -> None:
    empty = fs.Catalog(source=CATALOG.source(), strategies=[])
    with pytest.raises(ValueError, match="at least one strategy"):
        timeline.to_svg(empty)
    with pytest.raises(TypeError):
        timeline.to_text("catalog.json")  # type: ignore[arg-type]
