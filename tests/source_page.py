"""A reader for the shipped capture of the DHS page, independent of the package's code.

The fidelity tests compare the bundled catalog against what this reader finds, so it
shares nothing with the package: it knows only the capture's layout (see
``shared/source/README.md``): a heading line, then bullets ``•`` indented by two
spaces, sub-bullets by four.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# The capture is a source of the bundled data, kept with the others outside tests/.
CAPTURE = Path(__file__).parents[1] / "sources" / "national-strategies-page.txt"
PAGE_TITLE = "Fusion Centers' Support of National Strategies and Guidance"
_LAST_UPDATED = re.compile(r"^Last Updated: (\d\d)/(\d\d)/(\d{4})$")


def normalize(text: str) -> str:
    """Make every run of whitespace, NBSP included, one space, and strip."""
    return " ".join(text.split())


@dataclass
class Bullet:
    text: str
    children: list[Bullet] = field(default_factory=list)


@dataclass
class Document:
    heading: str
    bullets: list[Bullet] = field(default_factory=list)


@dataclass
class Page:
    title: str
    introduction: list[str]
    documents: list[Document]
    last_updated: str
    breadcrumb: list[str]


def read_page(path: Path = CAPTURE) -> Page:
    """Read the capture into its introduction, documents and bullets."""
    lines = path.read_text(encoding="utf-8").splitlines()
    breadcrumb = [
        normalize(line.split(".", 1)[1])
        for line in lines[lines.index("Breadcrumb") + 1 :]
        if re.match(r"^\s+\d+\. ", line)
    ]
    start = lines.index(PAGE_TITLE, lines.index("Breadcrumb") + len(breadcrumb) + 1)
    introduction: list[str] = []
    documents: list[Document] = []
    last_updated = ""
    for line in lines[start + 1 :]:
        if match := _LAST_UPDATED.match(line):
            month, day, year = match.groups()
            last_updated = f"{year}-{month}-{day}"
            break
        if not line.strip():
            continue
        if line.startswith("    •"):
            documents[-1].bullets[-1].children.append(Bullet(normalize(line[5:])))
        elif line.startswith("  •"):
            documents[-1].bullets.append(Bullet(normalize(line[3:])))
        elif documents or re.search(r"\(\d{4}(-\d{4})?\)\s*$", line):
            documents.append(Document(normalize(line)))
        else:
            introduction.append(normalize(line))
    return Page(PAGE_TITLE, introduction, documents, last_updated, breadcrumb)


def counts(path: Path = CAPTURE) -> tuple[int, int]:
    """How many documents, and how many bullets (nested ones included), the capture holds.

    Tests that count what the catalog holds take their numbers from here, so that a new
    capture of the page needs no edit to them.
    """
    page = read_page(path)

    def bullets(items: list[Bullet]) -> int:
        return sum(1 + bullets(item.children) for item in items)

    return len(page.documents), sum(bullets(document.bullets) for document in page.documents)


DOCUMENTS, BULLETS = counts()
