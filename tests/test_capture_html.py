"""The HTML form of a page capture, against the repository's text capture of the page.

`render_page` writes the text capture as the site's HTML, shaped as a browser saves a
dhs.gov page: a head with scripts and styles, the USWDS banner, the main menu, the
breadcrumb, the main content and a footer of link lists. It is written here, with none of
the package's code, so that the reader is checked against an independent rendering.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fusion_strategies as fs
from fusion_strategies.capture import Capture, CapturedBullet, parse_capture, read_capture
from fusion_strategies.errors import CaptureError
from source_page import CAPTURE

URL = "https://www.dhs.gov/topic/fusion-centers-support-national-strategies-and-guidance"
WHERE = re.compile(r"(line [1-9][0-9]*|end of the capture): ")

HEAD = f"""<!DOCTYPE html>
<html lang="en" dir="ltr" class="no-js">
<head>
<meta charset="utf-8" />
<script>window.dataLayer = []; var menu = "<ul><li>Not a list (2020)</li></ul>";</script>
<link rel="canonical" href="{URL}" />
<meta property="og:site_name" content="Homeland Security" />
<meta property="og:url" content="{URL}?utm_source=share" />
<meta property="og:title" content="Fusion Centers&#039; Support" />
<title>Fusion Centers&#039; Support of National Strategies and Guidance | Homeland Security</title>
<style>.usa-banner > ul li {{ display: none; }}</style>
<script src="/core/assets/vendor/once/once.min.js?v=1.0.1"></script>
</head>
<body class="path-node page-node-type-page">
<a href="#main-content" class="usa-sr-only focusable">Skip to main content</a>
<section class="usa-banner" aria-label="Official website of the United States government">
<header class="usa-banner__header">
  <p class="usa-banner__header-text">An official website of the United States government</p>
  <ul><li>Here&rsquo;s how you know (2024)</li></ul>
</header>
<div class="usa-banner__content" id="gov-banner" hidden>
  <p><strong>Official websites use .gov (2024)</strong></p>
  <ul><li>A <strong>.gov</strong> website belongs to an official government organization.</li></ul>
</div>
</section>
<header class="usa-header usa-header--extended" role="banner">
  <nav aria-label="Primary navigation" class="usa-nav">
    <h2>Topics (2023)</h2>
    <ul class="usa-nav__primary usa-accordion">
      <li class="usa-nav__primary-item"><button type="button">Topics</button>
        <ul class="usa-nav__submenu"><li><a href="/topics/cybersecurity">Cybersecurity</a></li>
        <li><a href="/topics/border-security">Border Security</a></li></ul></li>
      <li class="usa-nav__primary-item"><a href="/news">News</a></li>
    </ul>
  </nav>
  <svg class="usa-icon" aria-hidden="true" role="img"><title>Search (2020)</title>
  <use href="/themes/uswds/img/sprite.svg#search"></use></svg>
</header>
"""

FOOTER = """
<footer class="usa-footer usa-footer--big">
  <div class="usa-footer__primary-section">
    <h4 class="usa-footer__primary-link">Topics (2023)</h4>
    <ul class="usa-list usa-list--unstyled">
      <li class="usa-footer__secondary-link"><a href="/topics/border-security">Border</a></li>
      <li class="usa-footer__secondary-link"><a href="/topics/citizenship">Citizenship</a></li>
    </ul>
    <p><strong>News (2023)</strong></p>
    <ol><li><a href="/news-releases">News Releases</a></li></ol>
  </div>
  <aside><h2>Follow us (2023)</h2><ul><li><a href="https://x.com/dhsgov">X</a></li></ul></aside>
</footer>
<noscript><p>Turn on JavaScript (2020)</p><ul><li>for menus</li></ul></noscript>
<script type="application/json" data-drupal-selector="drupal-settings-json">
{"path": {"baseUrl": "/", "currentPath": "node/1"}, "html": "</div><ul><li>x</li></ul>"}
</script>
</body>
</html>
"""


def inline(text: str, number: int) -> str:
    """The page's text as the site's HTML: references, some markup and a line break."""
    marked = html.escape(text, quote=False).replace("\xa0", "&nbsp;")
    apostrophe = "&rsquo;" if number % 2 else "&#8217;"
    marked = marked.replace("’", apostrophe)
    marked = marked.replace("fusion centers", '<a href="/fusion-centers">fusion centers</a>', 1)
    marked = marked.replace("information sharing", "<em>information sharing</em>", 1)
    marked = marked.replace("partners", "<span class='term'>partners</span>", 1)
    return marked.replace(", ", ",\n      ", 1) if number % 3 else marked.replace(", ", ",<br>", 1)


def heading(text: str, number: int) -> str:
    body = inline(text, number)
    kind = ("h2", "h3", "p")[number % 3]
    if kind == "p":
        return f'<p class="text-bold"><strong>{body}</strong></p>'
    return f'<{kind} class="usa-heading">{body}</{kind}>'


def render_bullets(bullets: list[tuple[str, list[str]]], numbers: itertools.count[int]) -> str:
    items = []
    for text, children in bullets:
        nested = "".join(f"<li>{inline(child, next(numbers))}</li>\n" for child in children)
        sublist = f'\n<ul class="usa-list">\n{nested}</ul>' if children else ""
        items.append(f"<li>{inline(text, next(numbers))}{sublist}</li>\n")
    return '<ul class="usa-list">\n' + "".join(items) + "</ul>\n"


def render_page(text: str) -> str:
    """The text capture of the page as the HTML a browser saves of it."""
    lines = text.splitlines()
    numbered = [i for i, line in enumerate(lines) if re.match(r"  \d+\. ", line)]
    crumbs = [lines[i].split(". ", 1)[1] for i in numbered]
    body = [line for line in lines[numbered[-1] + 1 :] if line.strip()]
    title, rest = body[0], body[1:]
    numbers = itertools.count()
    parts = ['<nav class="usa-breadcrumb" aria-label="Breadcrumb">\n<ol>']
    parts += [f'<li><a href="/"><span>{html.escape(c)}</span></a></li>' for c in crumbs[:-1]]
    parts.append(f'<li aria-current="page"><span>{html.escape(crumbs[-1])}</span></li></ol></nav>')
    parts.append('<main id="main-content" class="usa-layout-docs">')
    parts.append('<p class="usa-tag">Topic</p>')
    parts.append(f"<h1 class='usa-page-title'>{inline(title, 0)}</h1>")
    parts.append('<svg aria-hidden="true"><text>Not a paragraph</text></svg>')
    parts.append('<div class="field--name-body">')
    bullets: list[tuple[str, list[str]]] = []
    documents = 0
    for line, following in zip(rest, [*rest[1:], ""], strict=True):
        if line.startswith("Last Updated"):
            break
        if line.startswith("    •"):
            bullets[-1][1].append(line[5:])
        elif line.startswith("  •"):
            bullets.append((line[3:], []))
        elif following.startswith("  •"):
            parts.append(heading(line, documents))
            documents += 1
        else:
            parts.append(f"<p>{inline(line, next(numbers))}</p>\n<p>&nbsp;</p>")
        if bullets and not following.startswith(("  •", "    •")):
            parts.append(render_bullets(bullets, numbers))
            bullets = []
    parts.append("</div>")
    parts.append('<div class="usa-page-last-updated">Last Updated: 11/07/2023</div>')
    parts.append("<form><h2>Was this page helpful?</h2><p>Yes</p></form></main>")
    return HEAD + "\n".join(parts) + FOOTER


@pytest.fixture(scope="module")
def text_capture() -> Capture:
    return read_capture(CAPTURE)


@pytest.fixture(scope="module")
def page() -> str:
    return render_page(CAPTURE.read_text(encoding="utf-8"))


def problems_of(page: str) -> tuple[str, ...]:
    with pytest.raises(CaptureError) as raised:
        parse_capture(page)
    for problem in raised.value.problems:
        assert WHERE.match(problem), problem
    return raised.value.problems


def test_the_rendering_is_shaped_as_the_site(page: str) -> None:
    # The rendering must hold what the reader has to pass over, or the tests prove little.
    for markup in ("&nbsp;", "&rsquo;", "&#8217;", "<br>", "<em>", "<h2 ", "<h3 ", "<strong>"):
        assert markup in page
    assert page.count("<footer") == 1
    assert re.search(r"<li>[^<]*<ul", page)


MAIN = {
    "main": ("<main", "</main>"),
    "role": ('<div role="main"', "</div>"),
    "none": ("<div", "</div>"),
}


@pytest.mark.parametrize("main", MAIN)
def test_the_html_says_what_the_text_capture_says(
    page: str, text_capture: Capture, main: str
) -> None:
    start, end = MAIN[main]
    capture = parse_capture(page.replace("<main", start).replace("</main>", end))
    assert capture.title == text_capture.title
    assert capture.breadcrumb == text_capture.breadcrumb
    assert capture.introduction == text_capture.introduction
    assert capture.last_updated == text_capture.last_updated
    assert capture.documents == text_capture.documents
    assert len(capture.documents) == 22


def test_the_html_builds_the_bundled_catalog(page: str, tmp_path: Path) -> None:
    """At the command line too: the same strategies and excerpts, with the ids they have."""
    saved = tmp_path / "page.html"
    saved.write_text(page, encoding="utf-8")
    curated = CAPTURE.parent / "curated.json"
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "fusion_strategies",
            "build",
            str(saved),
            "--curated",
            str(curated),
            "--strict",
            "-o",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    catalog = fs.loads(built.stdout)
    assert catalog.strategies() == fs.catalog().strategies()
    assert catalog.source() == fs.catalog().source()
    assert json.loads(built.stdout)["capture_sha256"] != fs.data_version().capture_sha256


def test_nested_bullets_keep_their_nesting(page: str) -> None:
    counterintelligence = parse_capture(page).documents[3]
    assert counterintelligence.bullets[0].text == "The U.S. Government will:"
    assert len(counterintelligence.bullets[0].children) == 3


def test_the_html_names_its_url_and_publisher(page: str) -> None:
    capture = parse_capture(page)
    assert (capture.url, capture.publisher) == (URL, "Homeland Security")


def test_text_is_kept_but_for_whitespace(page: str) -> None:
    capture = parse_capture(page)
    bullets = [bullet.text for document in capture.documents for bullet in document.bullets]
    assert any(bullet.startswith("The federal government’s approach") for bullet in bullets)
    assert any("…" in bullet for bullet in bullets)
    assert all("\xa0" not in bullet and "  " not in bullet for bullet in bullets)


def minimal(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><main><h1>Support</h1>\n{body}\n</main></body></html>"


DOCUMENT = "<h2>National Drug Control Strategy (2019)</h2><ul><li>HIDTAs.</li></ul>"
UPDATED = "<div>Last Updated: 11/07/2023</div>"


def test_a_saved_from_comment_gives_the_url() -> None:
    page = f"<!-- saved from url=(0072){URL} -->\n" + minimal(DOCUMENT + UPDATED)
    assert parse_capture(page).url == URL


def test_og_url_comes_before_the_saved_from_comment() -> None:
    head = '<meta property="og:url" content="https://www.dhs.gov/og">'
    page = "<!-- saved from url=(0014)about:internet -->\n" + minimal(DOCUMENT + UPDATED, head)
    assert parse_capture(page).url == "https://www.dhs.gov/og"


def test_a_page_names_no_url_or_publisher_unless_it_says() -> None:
    page = "<!-- saved from url=(0014)about:internet -->\n" + minimal(DOCUMENT + UPDATED)
    capture = parse_capture(page)
    assert (capture.url, capture.publisher) == (None, None)


def test_the_title_falls_back_on_the_title_element() -> None:
    page = (
        "<title>Support of Strategies | Homeland Security</title>"
        f"<main><p>Intro.</p>{DOCUMENT}{UPDATED}</main>"
    )
    capture = parse_capture(page)
    assert (capture.title, capture.introduction) == ("Support of Strategies", ("Intro.",))


def test_unclosed_tags_are_closed_as_a_browser_closes_them() -> None:
    page = (
        "<html><body><main><h1>Title<p>Intro one<p>Intro two\n"
        "<h2>Doc (2018)</h2><ul><li>one<li>two<ul><li>two.one</ul><li>three</ul>\n"
        "<div>Last Updated: <time datetime='2023-11-07'>11/07/2023</time>"
    )
    capture = parse_capture(page)
    assert (capture.title, capture.introduction) == ("Title", ("Intro one", "Intro two"))
    assert capture.documents[0].bullets == (
        CapturedBullet(text="one"),
        CapturedBullet(text="two", children=(CapturedBullet(text="two.one"),)),
        CapturedBullet(text="three"),
    )


def test_a_time_element_gives_the_date() -> None:
    updated = "<p>Last Updated: <time datetime='2023-11-07T12:00:00Z'>November 7, 2023</time></p>"
    assert parse_capture(minimal(DOCUMENT + updated)).last_updated.isoformat() == "2023-11-07"


def test_self_closing_svg_and_script_hide_nothing_after_them() -> None:
    page = minimal('<svg class="usa-icon"/><script src="x.js"/>' + DOCUMENT + UPDATED)
    assert len(parse_capture(page).documents) == 1


def test_an_inline_icon_does_not_split_a_paragraph_or_a_heading() -> None:
    icon = '<svg class="usa-icon" role="img"><use href="#launch"></use></svg>'
    page = minimal(
        f"<p>Read the <a href='/x'>strategy{icon}</a> here.</p>"
        f"<p><strong>Doc{icon} (2018)</strong></p><ul><li>x</li></ul>" + UPDATED
    )
    capture = parse_capture(page)
    assert capture.introduction == ("Read the strategy here.",)
    assert capture.documents[0].heading == "Doc (2018)"


def test_lists_that_follow_one_another_make_one_document() -> None:
    page = minimal(DOCUMENT + "<ul><li>More.</li></ul>" + UPDATED)
    (document,) = parse_capture(page).documents
    assert [bullet.text for bullet in document.bullets] == ["HIDTAs.", "More."]


HOSTILE = {
    "a list before any heading": (
        minimal("<ul><li>orphan</li></ul>\n" + DOCUMENT + UPDATED),
        ["line 2: no document: every list must follow a heading with its year"],
    ),
    "a heading without its year": (
        minimal("<p>Intro.</p>\n<h3>A strategy</h3>\n<ul><li>x</li></ul>" + UPDATED),
        ["line 3: a heading needs its year in parentheses"],
    ),
    "a heading written over lines": (
        minimal("<p>Intro.</p><h3>\n  A strategy\n</h3>\n<ul><li>x</li></ul>" + UPDATED),
        ["line 3: a heading needs its year in parentheses"],
    ),
    "a heading with no list": (
        minimal(DOCUMENT + "\n<h2>Lonely Strategy (2020)</h2>\n" + UPDATED),
        ["line 3: a document heading must be followed by its list"],
    ),
    "text between documents": (
        minimal(DOCUMENT + "\n<p>Stray text</p>\n" + DOCUMENT + UPDATED),
        ["line 3: text between documents"],
    ),
    "an empty bullet": (
        minimal("<h2>Doc (2018)</h2><ul>\n<li> &nbsp; </li></ul>" + UPDATED),
        ["line 3: an empty bullet"],
    ),
    "a period that ends before it starts": (
        minimal("\n<h2>Doc (2020-2018)</h2><ul><li>x</li></ul>" + UPDATED),
        ["line 3: the period ends in 2018, before it starts in 2020"],
    ),
    "no date": (
        minimal(DOCUMENT),
        ["end of the capture: no 'Last Updated: MM/DD/YYYY' text in the page"],
    ),
    "an invalid date": (
        minimal(DOCUMENT + "\n\n<div>Last Updated: 13/45/2023</div>"),
        ["line 4: invalid last-updated date: month must be in 1..12"],
    ),
    "a time element that is no date": (
        minimal(DOCUMENT + "\n<p>Last Updated: <time datetime='2023-W45'>soon</time></p>"),
        ["line 3: invalid last-updated date: '2023-W45' does not start with YYYY-MM-DD"],
    ),
    "no title": (
        "<html><body><p>Nothing here</p>" + UPDATED,
        ["end of the capture: no title: no <h1> in the main content, no <title>"],
    ),
    "truncated in a tag": (
        minimal(DOCUMENT + UPDATED)[:90] + '<a href="/x',
        ["end of the capture: no 'Last Updated"],
    ),
    "footer lists only": (
        "<h1>T</h1><footer><h2>Links (2020)</h2><ul><li>a</li></ul></footer>" + UPDATED,
        ["end of the capture: no document heading followed by a list"],
    ),
    "a list in a hidden element": (
        minimal("<h2>Doc (2018)</h2><div hidden><ul><li>x</li></ul></div>" + UPDATED),
        ["line 2: a document heading must be followed by its list"],
    ),
    "text in a list outside its items": (
        minimal("<h2>Doc (2018)</h2><ul>\nstray<li>x</li></ul>" + UPDATED),
        ["line 3: text in a list outside its items"],
    ),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_broken_page_gives_every_problem_with_its_line(name: str) -> None:
    page, expected = HOSTILE[name]
    problems = problems_of(page)
    assert len(problems) == len(expected), problems
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start), problems


def test_one_hundred_thousand_nested_lists_are_a_problem_not_an_overflow() -> None:
    page = minimal("<h2>Doc (2018)</h2>\n" + "<ul><li>deeper" * 100_000) + UPDATED
    started = time.perf_counter()
    problems = problems_of(page)
    assert time.perf_counter() - started < 30  # linear: 2-5 s on a busy machine
    assert problems == ("line 3: bullets nest at most 8 levels deep",)


def test_one_hundred_thousand_nested_empty_lists_are_no_list() -> None:
    page = minimal("<h2>Doc (2018)</h2>\n" + "<ul>" * 100_000) + UPDATED
    started = time.perf_counter()
    problems = problems_of(page)
    assert time.perf_counter() - started < 30  # linear: 2-5 s on a busy machine
    assert problems == ("line 2: a document heading must be followed by its list",)


def test_one_hundred_thousand_nested_divisions_are_read() -> None:
    depth = 100_000
    page = minimal("<div>" * depth + DOCUMENT + "</div>" * depth + UPDATED)
    started = time.perf_counter()
    capture = parse_capture(page)
    assert time.perf_counter() - started < 30  # linear: 2-5 s on a busy machine
    assert [document.heading for document in capture.documents] == [
        "National Drug Control Strategy (2019)"
    ]


@pytest.mark.parametrize(
    "fragment",
    ['<a b="', "<a b='c>", "<!-- x", "<a ", "</a ", "<![CDATA[", "<?x", "&#9999999999"],
)
def test_unclosed_markup_is_read_in_linear_time(fragment: str) -> None:
    # html.parser before CPython's 2025 fixes takes a minute for 20,000 of these.
    started = time.perf_counter()
    problems_of("<h1>T</h1>" + fragment * 20_000)
    assert time.perf_counter() - started < 10  # quadratic: over a minute


def test_an_overlong_character_reference_is_no_character() -> None:
    # int() refuses 4,300 digits; the reference must not reach it.
    page = minimal(f"<h2>Doc (2018)</h2><ul><li>a&#{'1' * 5000};b</li></ul>" + UPDATED)
    assert parse_capture(page).documents[0].bullets[0].text == "a\ufffdb"


FRAGMENTS = st.sampled_from(
    [
        "<h1>",
        "</h1>",
        "Title",
        "<h2>",
        "</h2>",
        "Doc (2018)",
        "Doc (2020-2019)",
        "<p>",
        "<p><strong>",
        "<ul>",
        "<ol>",
        "<li>",
        "</li>",
        "</ul>",
        "<div>",
        "</div>",
        "<main>",
        "<footer>",
        "<nav aria-label='Breadcrumb'>",
        "<svg/>",
        "<svg>",
        "<script>",
        "</script>",
        "<template>",
        "<br/>",
        "<!--",
        "-->",
        "<!-- saved from url=(0010)https://x -->",
        "<a href='",
        "'",
        '"',
        ">",
        "</",
        "<",
        "&",
        "&#",
        "&nbsp;",
        "&#99999999999;",
        "<time datetime='2023-99-01'>",
        "Last Updated: 11/07/2023",
        "Last Updated: 02/30/2023",
        "\n",
        " ",
        "\xa0",
        "\r",
    ]
)


def outcome(page: str) -> Capture | CaptureError:
    """What a page gives: its capture, or the capture error; any other exception escapes."""
    try:
        return parse_capture(page)
    except CaptureError as error:
        return error


def assert_read_or_refused(result: Capture | CaptureError) -> None:
    if isinstance(result, CaptureError):
        assert result.problems
        assert all(WHERE.match(problem) for problem in result.problems), result.problems
    else:
        assert result.documents


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS, max_size=40), st.text(max_size=30))
def test_any_markup_gives_a_capture_or_a_capture_error(fragments: list[str], tail: str) -> None:
    assert_read_or_refused(outcome("<" + "".join(fragments) + tail))


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_starting_with_a_tag_gives_a_capture_or_a_capture_error(text: str) -> None:
    assert_read_or_refused(outcome("<" + text))
