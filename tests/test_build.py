"""The build: the bundled catalog from its sources, ids kept across page edits, and diffs.

Every expectation here is read off the capture or off the edit made to it, never off the
build's own output.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import fusion_strategies as fs
from fusion_strategies.build import UNKNOWN_ISSUER, Build, build_catalog
from fusion_strategies.capture import parse_capture, read_capture
from fusion_strategies.curation import Curation, load_curation, loads_curation
from source_page import CAPTURE, normalize, read_page

SOURCES = CAPTURE.parent
CURATED = SOURCES / "curated.json"
ROOT = SOURCES.parent
PAGE_TEXT = CAPTURE.read_text(encoding="utf-8")


def build(text: str, **options: object) -> Build:
    return build_catalog(parse_capture(text), **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def curation() -> Curation:
    return load_curation(CURATED)


# -- the bundled catalog ------------------------------------------------------------------


def test_the_sources_build_the_bundled_catalog(curation: Curation) -> None:
    built = build_catalog(read_capture(CAPTURE), curation=curation).catalog
    assert built == fs.catalog()


def test_the_bundled_catalog_records_the_hash_of_its_capture() -> None:
    import hashlib

    version = fs.data_version()
    assert version.capture_sha256 == hashlib.sha256(CAPTURE.read_bytes()).hexdigest()
    assert version.last_updated.isoformat() == read_page().last_updated


# -- without an overlay -------------------------------------------------------------------


def test_without_an_overlay_the_page_still_makes_a_valid_catalog() -> None:
    page = read_page()
    built = build(PAGE_TEXT, url="https://example.org/page")
    catalog = fs.loads(fs.dumps(built.catalog))
    assert [s.heading for s in catalog] == [d.heading for d in page.documents]
    assert [s.title for s in catalog] == [
        re.sub(r" \(\d{4}(-\d{4})?\)$", "", d.heading) for d in page.documents
    ]
    assert {s.issuer for s in catalog} == {UNKNOWN_ISSUER}
    assert all(s.themes == () and s.aliases == () and s.published is None for s in catalog)
    # It says how it filled each field that only curation gives.
    said = "\n".join(built.notes)
    for field in ("publisher", "title", "issuer", "kind", "themes"):
        assert f"{field}" in said
    assert catalog.source().publisher == "example.org"


def test_a_text_capture_without_a_url_is_refused() -> None:
    with pytest.raises(fs.CurationError, match=r"\$\.page\.url: a text capture holds no URL"):
        build(PAGE_TEXT)


def test_kinds_are_judged_from_the_headings_words_without_an_overlay() -> None:
    built = build(PAGE_TEXT, url="https://example.org/").catalog
    # Where the bundled catalog's curated kind is one the heading names, the judgement agrees.
    for judged, curated in zip(built, fs.catalog(), strict=True):
        if curated.kind.value.replace("-", " ") in curated.heading.casefold():
            assert judged.kind is curated.kind, curated.id


# -- ids across an edit of the page --------------------------------------------------------

PAGE = read_page()
EDITED_DOCUMENT = PAGE.documents[12]  # a document with several bullets
EDITED_BULLET = EDITED_DOCUMENT.bullets[0].text
INSERTED_BEFORE = PAGE.documents[2].bullets[0].text
REMOVED_DOCUMENT = PAGE.documents[8]
NEW_BULLET = "Fusion centers will share a new product with every partner."


def edited_page() -> str:
    """The capture with a word changed, a bullet put first, and a document removed."""
    text = PAGE_TEXT
    line = next(line for line in text.splitlines() if normalize(line[3:]) == EDITED_BULLET)
    assert " and " in line
    text = text.replace(line, line.replace(" and ", " or ", 1))
    first = next(line for line in text.splitlines() if normalize(line[3:]) == INSERTED_BEFORE)
    text = text.replace(first, f"  • {NEW_BULLET}\n{first}")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if normalize(line) == REMOVED_DOCUMENT.heading)
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end].startswith("  •")):
        end += 1
    return "\n".join(lines[:start] + lines[end:]) + "\n"


@pytest.fixture(scope="module")
def rebuilt(curation: Curation) -> fs.Catalog:
    return build(edited_page(), curation=curation, previous=fs.catalog()).catalog


def test_every_untouched_document_and_excerpt_keeps_its_id(rebuilt: fs.Catalog) -> None:
    removed = fs.lookup(REMOVED_DOCUMENT.heading).id
    before = {
        (s.id, e.text): e.id for s in fs.strategies() for e in s.iter_excerpts() if s.id != removed
    }
    after = {(s.id, e.text): e.id for s in rebuilt for e in s.iter_excerpts()}
    untouched = {key: value for key, value in before.items() if key[1] != EDITED_BULLET}
    assert {key: after.get(key) for key in untouched} == untouched
    assert [s.id for s in rebuilt] == [s.id for s in fs.strategies() if s.id != removed]


def test_an_edited_excerpt_keeps_its_id_and_takes_the_new_text(rebuilt: fs.Catalog) -> None:
    strategy = fs.lookup(EDITED_DOCUMENT.heading)
    old = next(e for e in strategy.iter_excerpts() if e.text == EDITED_BULLET)
    new = next(e for e in rebuilt.get(strategy.id).iter_excerpts() if e.id == old.id)
    assert new.text == EDITED_BULLET.replace(" and ", " or ", 1)


def test_an_inserted_bullet_gets_a_fresh_id_and_the_rest_keep_theirs(rebuilt: fs.Catalog) -> None:
    strategy = fs.lookup(PAGE.documents[2].heading)
    inserted = rebuilt.get(strategy.id).excerpts[0]
    assert inserted.text == NEW_BULLET
    assert inserted.id not in {e.id for e in strategy.iter_excerpts()}
    assert [e.id for e in rebuilt.get(strategy.id).excerpts[1:]] == [
        e.id for e in strategy.excerpts
    ]


def test_a_removed_document_is_withdrawn_with_the_pages_date(rebuilt: fs.Catalog) -> None:
    removed = fs.lookup(REMOVED_DOCUMENT.heading)
    (gone,) = rebuilt.withdrawn()
    assert (gone.strategy_id, gone.excerpt_id, gone.text) == (removed.id, None, removed.heading)
    assert gone.date.isoformat() == PAGE.last_updated
    assert removed.id not in rebuilt
    for query in (rebuilt.get, rebuilt.lookup):
        with pytest.raises(fs.StrategyNotFoundError, match="withdrawn from the page on") as error:
            query(removed.id)
        assert error.value.withdrawn == gone


def test_the_diff_of_the_edit_names_exactly_the_three_changes(rebuilt: fs.Catalog) -> None:
    changes = fs.diff(fs.catalog(), rebuilt)
    edited, inserted = fs.lookup(EDITED_DOCUMENT.heading), fs.lookup(PAGE.documents[2].heading)
    assert [s.id for s in changes.withdrawn] == [fs.lookup(REMOVED_DOCUMENT.heading).id]
    assert changes.added == ()
    assert sorted(c.strategy.id for c in changes.changed) == sorted([edited.id, inserted.id])
    by_id = {c.strategy.id: c for c in changes.changed}
    (edit,) = by_id[edited.id].excerpts_edited
    assert (edit.old, edit.new) == (EDITED_BULLET, EDITED_BULLET.replace(" and ", " or ", 1))
    assert [e.text for e in by_id[inserted.id].excerpts_added] == [NEW_BULLET]
    for one in by_id.values():
        assert one.fields == ()
    assert sum(bool(c.excerpts_withdrawn) for c in changes.changed) == 0
    assert (changes.source, changes.entities_added, changes.vocabulary) == ((), (), ())


def test_the_diff_in_markdown_is_a_changelog_entry(rebuilt: fs.Catalog) -> None:
    markdown = fs.diff(fs.catalog(), rebuilt).to_markdown()
    assert markdown.startswith("### Data\n\n")
    items = [line for line in markdown.splitlines() if line.startswith("- ")]
    assert len(items) == 3  # one withdrawn, two changed
    assert NEW_BULLET in markdown


def test_ids_are_never_reused_over_two_page_updates() -> None:
    """A bullet removed, then a new one added: the new one does not take the old id."""
    # No overlay: the bullet removed grounds a curated theme, which the build would refuse.
    url = "https://example.org/"
    document = PAGE.documents[0]
    last = document.bullets[-1].text
    line = next(line for line in PAGE_TEXT.splitlines() if normalize(line[3:]) == last)
    without = PAGE_TEXT.replace(line + "\n", "")
    second = build(without, previous=fs.catalog(), url=url).catalog
    strategy_id = fs.lookup(document.heading).id
    (gone,) = second.withdrawn()
    assert (gone.strategy_id, gone.text) == (strategy_id, last)
    again = without.replace(
        f"  • {document.bullets[-2].text}", f"  • {document.bullets[-2].text}\n  • {NEW_BULLET}"
    )
    third = build(again, previous=second, url=url).catalog
    new = next(e for e in third.get(strategy_id).iter_excerpts() if e.text == NEW_BULLET)
    assert new.id != gone.excerpt_id
    assert third.withdrawn() == second.withdrawn()


def test_a_withdrawn_document_that_comes_back_gets_its_id_back(
    curation: Curation, rebuilt: fs.Catalog
) -> None:
    back = build(PAGE_TEXT, curation=curation, previous=rebuilt).catalog
    assert [s.id for s in back] == [s.id for s in fs.strategies()]
    # The bullet the edit inserted has left the page in its turn; no document has.
    inserted = fs.lookup(PAGE.documents[2].heading).id
    assert [(w.strategy_id, w.text) for w in back.withdrawn()] == [(inserted, NEW_BULLET)]


def test_a_new_document_never_takes_a_withdrawn_id(rebuilt: fs.Catalog) -> None:
    removed = fs.lookup(REMOVED_DOCUMENT.heading)
    # Another heading with the withdrawn one's slug: "FBI’s …" folds to "fbi …".
    renamed = REMOVED_DOCUMENT.heading.replace("FBI", "FBI’s", 1)
    assert renamed != removed.heading
    page = edited_page().replace("Last Updated:", f"{renamed}\n\n  • A bullet.\nLast Updated:")
    built = build(page, previous=rebuilt, url="https://example.org/").catalog
    new = next(s for s in built if s.heading == renamed)
    assert new.id == f"{removed.id}-2"
    assert built.withdrawn() == rebuilt.withdrawn()


def test_moved_bullets_keep_their_ids(curation: Curation) -> None:
    document = PAGE.documents[0]
    first, second = (bullet.text for bullet in document.bullets[:2])
    lines = PAGE_TEXT.splitlines()
    a = next(i for i, line in enumerate(lines) if normalize(line[3:]) == first)
    b = next(i for i, line in enumerate(lines) if normalize(line[3:]) == second)
    lines[a], lines[b] = lines[b], lines[a]
    built = build("\n".join(lines), curation=curation, previous=fs.catalog()).catalog
    strategy = fs.lookup(document.heading)
    ids = {e.text: e.id for e in strategy.excerpts}
    assert [(e.text, e.id) for e in built.get(strategy.id).excerpts[:2]] == [
        (second, ids[second]),
        (first, ids[first]),
    ]
    # The order of excerpts is not a change the diff names: no text or field changed.
    assert not fs.diff(fs.catalog(), built)


# -- broken inputs: one problem a line, nothing written -----------------------------------


def test_a_long_page_builds_and_rebuilds_in_linear_time() -> None:
    """20,000 bullets: each new excerpt's id once took a look at every id before it (over
    five minutes here); it takes a second or two now, so a minute is a generous limit."""
    bullets = "".join(f"  • Bullet number {n} of the page.\n" for n in range(20_000))
    page = f"Title\n\nA Strategy (2020)\n\n{bullets}Last Updated: 01/02/2024\n"
    started = time.perf_counter()
    first = build(page, url="https://example.org/").catalog
    edited = build(
        page.replace("Bullet number", "Point"), url="https://example.org/", previous=first
    )
    assert time.perf_counter() - started < 60
    (strategy,) = edited.catalog
    assert len(strategy.excerpts) == 20_000
    assert len(
        {e.id for e in strategy.excerpts} | {w.excerpt_id for w in edited.catalog.withdrawn()}
    ) == (len(strategy.excerpts) + len(edited.catalog.withdrawn()))


def test_bullets_nest_at_most_max_nesting_levels() -> None:
    from fusion_strategies.capture import MAX_NESTING

    nested = "".join(f"{'  ' * (level + 1)}• Level {level}.\n" for level in range(MAX_NESTING + 1))
    with pytest.raises(fs.CaptureError) as error:
        parse_capture(f"Title\n\nA Strategy (2020)\n\n{nested}Last Updated: 01/02/2024\n")
    assert error.value.problems == (
        f"line {MAX_NESTING + 5}: bullets nest at most {MAX_NESTING} levels deep",
    )


def test_a_broken_capture_lists_every_problem_with_its_line() -> None:
    lines = PAGE_TEXT.splitlines()
    heading = next(i for i, line in enumerate(lines) if line == PAGE.documents[3].heading)
    lines[heading] = "A heading that lost its year"
    lines = [line for line in lines if not line.startswith("Last Updated")]
    with pytest.raises(fs.CaptureError) as error:
        parse_capture("\n".join(lines))
    assert error.value.problems[0].startswith(f"line {heading + 1}: a heading needs its year")
    assert error.value.problems[-1].startswith("end of the capture: no 'Last Updated")


def test_an_overlay_that_does_not_fit_the_page_lists_every_problem() -> None:
    data = json.loads(CURATED.read_text(encoding="utf-8"))
    first = next(iter(data["strategies"]))
    data["strategies"][first]["themes"][0]["grounds"] = ["zyzzyva"]
    data["strategies"][first]["issuer"]["value"] = "no-such-entity"
    data["strategies"]["no-such-strategy-2030"] = {}
    with pytest.raises(fs.CurationError) as error:
        build(PAGE_TEXT, curation=loads_curation(json.dumps(data)), strict=True)
    assert error.value.problems == (
        f"$.strategies[{first!r}].issuer.value: 'no-such-entity' is not the id of one of "
        "$.entities",
        f"$.strategies[{first!r}].themes[0].grounds[0]: 'zyzzyva' is not in the strategy's "
        "heading or excerpts",
        "$.strategies['no-such-strategy-2030']: no document on the page has this id, and none "
        "was withdrawn with it",
    )


def test_an_overlay_may_hold_facts_for_other_pages_unless_strict(curation: Curation) -> None:
    document = PAGE.documents[0]
    text = PAGE_TEXT.split(PAGE.documents[1].heading)[0] + "Last Updated: 11/07/2023\n"
    built = build(text, curation=curation)
    assert [s.heading for s in built.catalog] == [document.heading]
    (note,) = (note for note in built.notes if note.startswith("curated facts:"))
    assert f"{len(PAGE.documents) - 1} strategies of the overlay are not on this page" in note
    with pytest.raises(fs.CurationError) as error:
        build(text, curation=curation, strict=True)
    assert len(error.value.problems) == len(PAGE.documents) - 1


def test_a_theme_holds_while_one_of_its_grounds_is_on_the_page() -> None:
    strategy_id = fs.lookup(PAGE.documents[0].heading).id
    word = PAGE.documents[0].bullets[0].text.split()[1]  # a word of its first bullet
    overlay = {
        "format": 1,
        "sources": {},
        "strategies": {
            strategy_id: {
                "themes": [
                    {"theme": "cybersecurity", "grounds": [word, "zyzzyva"]},
                    {"theme": "public-health", "grounds": ["zyzzyva"]},
                    {"theme": "counterterrorism", "why": "No word of the page; a reason."},
                ]
            }
        },
    }
    curation = loads_curation(json.dumps(overlay))
    built = build(PAGE_TEXT, curation=curation, url="https://example.org/")
    themes = built.catalog.get(strategy_id).themes
    assert themes == (fs.Theme.CYBERSECURITY, fs.Theme.COUNTERTERRORISM)
    assert f"themes: 'public-health' of {strategy_id} is left out" in "\n".join(built.notes)
    with pytest.raises(fs.CurationError) as error:
        build(PAGE_TEXT, curation=curation, url="https://example.org/", strict=True)
    assert [problem.split(":")[0] for problem in error.value.problems] == [
        f"$.strategies[{strategy_id!r}].themes[0].grounds[1]",
        f"$.strategies[{strategy_id!r}].themes[1].grounds[0]",
    ]


def test_a_theme_may_be_grounded_by_the_heading() -> None:
    document = PAGE.documents[0]
    strategy_id = fs.lookup(document.heading).id
    bullets = set(re.findall(r"\w+", " ".join(b.text for b in document.bullets).casefold()))
    word = next(w for w in re.findall(r"[^\W\d]+", document.heading) if w.casefold() not in bullets)
    overlay = {
        "format": 1,
        "sources": {},
        "strategies": {strategy_id: {"themes": [{"theme": "cybersecurity", "grounds": [word]}]}},
    }
    curation = loads_curation(json.dumps(overlay))
    built = build(PAGE_TEXT, curation=curation, url="https://example.org/", strict=True)
    assert built.catalog.get(strategy_id).themes == (fs.Theme.CYBERSECURITY,)


def test_an_overlay_names_its_sources() -> None:
    data = json.loads(CURATED.read_text(encoding="utf-8"))
    first = next(iter(data["strategies"]))
    data["strategies"][first]["title"].pop("source")
    data["strategies"][first]["issuer"]["source"] = "nowhere"
    with pytest.raises(fs.CurationError) as error:
        loads_curation(json.dumps(data))
    assert error.value.problems == (
        f"$.strategies[{first!r}].title.source: a confirmed fact must name its source",
        f"$.strategies[{first!r}].issuer.source: 'nowhere' is not one of $.sources",
    )


def test_unconfirmed_facts_stay_out_of_the_data(curation: Curation) -> None:
    for strategy_id, facts in curation.strategies.items():
        strategy = fs.get(strategy_id)
        if facts.title is not None and not facts.title.confirmed:
            assert strategy.title != facts.title.value
        if facts.published is not None and not facts.published.confirmed:
            assert strategy.published is None


# -- the command line ---------------------------------------------------------------------


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fusion_strategies", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_build_then_diff_at_the_command_line(tmp_path: Path) -> None:
    edited = tmp_path / "edited.txt"
    edited.write_text(edited_page(), encoding="utf-8")
    bundled, new = tmp_path / "bundled.json", tmp_path / "new.json"
    bundled.write_text(fs.dumps(fs.catalog()), encoding="utf-8")
    result = run(
        "build", str(edited), "--curated", str(CURATED), "--previous", str(bundled), "-o", str(new)
    )
    assert (result.returncode, result.stdout) == (0, "")
    assert "note: documents:" in result.stderr
    same = run("diff", str(bundled), str(bundled))
    assert (same.returncode, same.stdout) == (0, "no differences\n")
    different = run("diff", str(bundled), str(new), "--format", "json")
    assert different.returncode == 1
    data = json.loads(different.stdout)
    assert data["equal"] is False
    assert [item["id"] for item in data["withdrawn"]] == [fs.lookup(REMOVED_DOCUMENT.heading).id]
    listed = run("--catalog", str(new), "list", "--format", "json")
    assert len(json.loads(listed.stdout)) == len(PAGE.documents) - 1


def test_a_failed_build_writes_nothing_and_shows_no_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_text(PAGE_TEXT.replace("Last Updated:", "Updated:"), encoding="utf-8")
    out = tmp_path / "out.json"
    out.write_text("keep me", encoding="utf-8")
    result = run("build", str(broken), "--url", "https://example.org/", "-o", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # One problem a line, as the error lists them.
    assert "\nend of the capture: no 'Last Updated: MM/DD/YYYY' line" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.txt", "out.json"]


def test_diff_exits_2_on_a_file_it_cannot_use(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{}", encoding="utf-8")
    for args in ((str(broken), str(broken)), ("no-such.json", str(broken)), ()):
        result = run("diff", *args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr


# -- the repository's script --------------------------------------------------------------

needs_repository = pytest.mark.skipif(
    not (ROOT / "scripts" / "build-data.sh").is_file(), reason="the repository's scripts/"
)


@needs_repository
def test_the_check_fails_on_a_hand_edited_catalog(tmp_path: Path) -> None:
    for folder in ("scripts", "sources"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    data = tmp_path / "src" / "fusion_strategies" / "data"
    data.mkdir(parents=True)
    bundled = ROOT / "src" / "fusion_strategies" / "data" / "catalog.json"
    shutil.copy(bundled, data / "catalog.json")

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "scripts/build-data.sh", "--check"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "FUSION_STRATEGIES_PYTHON": sys.executable},
        )

    assert check().returncode == 0
    text = (data / "catalog.json").read_text(encoding="utf-8")
    edited = text.replace("programatic", "programmatic", 1)
    (data / "catalog.json").write_text(edited, encoding="utf-8")
    failed = check()
    assert failed.returncode == 1
    assert "- programatic" in failed.stderr or "programatic" in failed.stderr
    assert "programmatic" in failed.stderr
    renumbered = text.replace('"id": "3"', '"id": "4"', 1)
    (data / "catalog.json").write_text(renumbered, encoding="utf-8")
    assert check().returncode == 1


def test_the_withdrawn_date_is_the_new_pages(curation: Curation) -> None:
    later = edited_page().replace("Last Updated: 11/07/2023", "Last Updated: 05/01/2024")
    rebuilt = build(later, curation=curation, previous=fs.catalog()).catalog
    assert [w.date for w in rebuilt.withdrawn()] == [datetime.date(2024, 5, 1)]
    changes = fs.diff(fs.catalog(), rebuilt)
    assert [(c.field, c.old, c.new) for c in changes.source] == [
        ("last_updated", "2023-11-07", "2024-05-01")
    ]


# -- the build's inputs are read as a catalog is: bounded, never waiting -----------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_capture_or_overlay_is_refused_not_read_forever() -> None:
    with pytest.raises(fs.CaptureError, match="larger than"):
        read_capture("/dev/zero")
    with pytest.raises(fs.CurationError, match="larger than"):
        load_curation("/dev/zero")


def test_a_fifo_without_a_writer_is_an_empty_capture(tmp_path: Path) -> None:
    fifo = tmp_path / "page.txt"
    os.mkfifo(fifo)
    with pytest.raises(fs.CaptureError, match="no 'Last Updated"):
        read_capture(fifo)


def test_a_capture_with_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(fs.CaptureError, match="character 5: a lone surrogate"):
        parse_capture("Title\ud800\n")
