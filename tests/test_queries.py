"""The questions analysts ask, through the public API."""

from __future__ import annotations

import re

import pytest

import fusion_strategies as fs
from source_page import DOCUMENTS, read_page

QHSR = "quadrennial-homeland-security-review-2014"
CBP = "us-customs-and-border-protection-strategy-2020"


@pytest.mark.parametrize(
    ("name", "strategy_id"),
    [
        ("QHSR", QHSR),
        ("qhsr", QHSR),
        ("2014 QHSR", QHSR),
        ("QHSR 2014", QHSR),
        ("The 2014 Quadrennial Homeland Security Review", QHSR),
        ("quadrennial homeland security review (2014)", QHSR),
        ("  Quadrennial   Homeland Security\tReview ", QHSR),
        (QHSR, QHSR),
        ("DHS’s Northern Border Strategy", "dhs-northern-border-strategy-2018"),
        ("DHS's northern border strategy", "dhs-northern-border-strategy-2018"),
        ("DHS Northern Border Strategy (2018)", "dhs-northern-border-strategy-2018"),
        ("U.S. Customs and Border Protection Strategy", CBP),
        ("US Customs and Border Protection Strategy 2020-2025", CBP),
        ("u. s. customs & border protection strategy", CBP),
        ("CBP Strategy 2020-2025", CBP),
        ("NSS 2017", "national-security-strategy-of-the-united-states-of-america-2017"),
        (
            "National Counterintelligence Strategy of the United States of America 2020-2022",
            "national-counterintelligence-strategy-of-the-united-states-of-america-2020",
        ),
        (
            "the national counterintelligence strategy of the united states of america",
            "national-counterintelligence-strategy-of-the-united-states-of-america-2020",
        ),
        ("National Strategy for Counterterrorism", "national-strategy-for-counterterrorism-2018"),
    ],
)
def test_lookup_takes_the_names_people_type(name: str, strategy_id: str) -> None:
    assert fs.lookup(name).id == strategy_id


@pytest.mark.parametrize("strategy", fs.strategies(), ids=lambda s: s.id)
def test_every_strategy_answers_to_its_id_title_heading_and_aliases(
    strategy: fs.Strategy,
) -> None:
    bare_heading = re.sub(r"\s*\(\d{4}(-\d{4})?\)$", "", strategy.heading)
    for name in (strategy.id, strategy.title, strategy.heading, bare_heading):
        assert fs.lookup(name) is strategy
        assert fs.lookup(name.upper()) is strategy
    for alias in strategy.aliases:
        if alias != "NBS":
            assert fs.lookup(alias) is strategy


def test_a_typo_is_not_found_and_close_names_are_suggested() -> None:
    with pytest.raises(fs.StrategyNotFoundError) as caught:
        fs.lookup("Quadrenial Homeland Security Reveiw")
    assert isinstance(caught.value, KeyError)
    assert caught.value.suggestions
    assert fs.lookup(caught.value.suggestions[0]).id == QHSR
    assert "did you mean" in str(caught.value)
    assert len(caught.value.suggestions) <= 3


def test_get_takes_exact_ids_only_and_suggests_ids() -> None:
    assert fs.get(QHSR).id == QHSR
    with pytest.raises(fs.StrategyNotFoundError) as caught:
        fs.get("QHSR")
    assert caught.value.suggestions[0] == QHSR
    with pytest.raises(fs.StrategyNotFoundError):
        fs.get(QHSR.upper())


def test_an_alias_of_two_documents_is_ambiguous() -> None:
    with pytest.raises(fs.AmbiguousLookupError) as caught:
        fs.lookup("nbs")
    assert isinstance(caught.value, LookupError)
    assert [s.id for s in caught.value.candidates] == [
        "dhs-northern-border-strategy-2018",
        "national-biodefense-strategy-2018",
    ]


def test_nothing_matches_nonsense() -> None:
    with pytest.raises(fs.StrategyNotFoundError) as caught:
        fs.lookup("zzzz qqqq")
    assert caught.value.suggestions == ()
    assert str(caught.value) == "no strategy matches 'zzzz qqqq'"


@pytest.mark.parametrize(
    ("call", "error"),  # the wrong types are the point
    [
        (lambda: fs.get(2018), TypeError),  # type: ignore[arg-type]
        (lambda: fs.lookup(None), TypeError),  # type: ignore[arg-type]
        (lambda: fs.entity(b"HIDTA"), TypeError),  # type: ignore[arg-type]
        (lambda: fs.find(year="2019"), TypeError),  # type: ignore[arg-type]
        (lambda: fs.find(year=True), TypeError),
        (lambda: fs.find(theme=3), TypeError),  # type: ignore[arg-type]
        (lambda: fs.find(theme="terrorism"), ValueError),
        (lambda: fs.find(kind="memo"), ValueError),
        (lambda: fs.find(issuer=42), TypeError),  # type: ignore[arg-type]
        (lambda: fs.entities_in("national-biodefense-strategy-2018"), TypeError),  # type: ignore[arg-type]
        (lambda: fs.mentioning(None), TypeError),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_raise_type_or_value_errors(call: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        call()  # type: ignore[operator]


def test_an_unknown_theme_lists_the_valid_values() -> None:
    with pytest.raises(ValueError, match="valid values") as caught:
        fs.find(theme="terrorism")
    for theme in fs.Theme:
        assert repr(theme.value) in str(caught.value)


def test_find_by_year_uses_the_whole_period() -> None:
    # From the page: the periods that contain 2021.
    assert {s.id for s in fs.find(year=2021)} == {
        "national-counterintelligence-strategy-of-the-united-states-of-america-2020",
        "bureau-of-alcohol-tobacco-firearms-and-explosives-strategic-plan-2017",
        CBP,
    }
    assert fs.find(year=1999) == ()
    for strategy in fs.find(year=2018):
        assert strategy.period.start <= 2018 <= strategy.period.end


def test_find_combines_filters_with_and() -> None:
    everything = fs.strategies()
    by_theme = fs.find(theme=fs.Theme.COUNTERNARCOTICS)
    by_issuer = fs.find(issuer="Office of National Drug Control Policy")
    both = fs.find(theme="counternarcotics", issuer="ONDCP")
    assert both == tuple(s for s in everything if s in by_theme and s in by_issuer)
    assert {s.id for s in both} == {
        "national-drug-control-strategy-2019",
        "national-northern-border-counternarcotics-strategy-2014",
        "national-southwest-border-counternarcotics-strategy-2016",
    }
    assert fs.find() == everything


def test_find_by_kind_and_issuer_entity() -> None:
    assert [s.id for s in fs.find(kind="review")] == [QHSR]
    fema = fs.entity("FEMA")
    assert {s.id for s in fs.find(issuer=fema)} == {
        "national-preparedness-report-2019",
        "national-prevention-framework-2016",
    }
    assert fs.find(kind=fs.DocumentKind.STRATEGIC_PLAN, year=2017)[0].issuer.acronym == "ATF"


def test_which_strategies_name_hidta_by_acronym_plural_or_full_name() -> None:
    mentions = fs.mentioning("HIDTA")
    assert [m.strategy.id for m in mentions] == [
        "national-drug-control-strategy-2019",
        "national-prevention-framework-2016",
    ]
    assert "HIDTAs" in mentions[0].excerpt.text
    assert "High Intensity Drug Trafficking Areas" in mentions[1].excerpt.text
    assert fs.mentioning(fs.entity("hidta")) == mentions
    assert all(m.entity is fs.entity("HIDTA") for m in mentions)


def test_which_strategies_call_for_sharing_with_tribal_partners() -> None:
    # Computed from the page capture alone: documents whose bullets say "tribal".
    page = read_page()
    expected = {
        document.heading
        for document in page.documents
        for bullet in document.bullets
        for text in [bullet.text, *(child.text for child in bullet.children)]
        if re.search(r"\btribal\b", text, re.IGNORECASE)
    }
    assert {s.heading for s in fs.find(mentions="tribal")} == expected
    assert len(expected) > 10


def test_acronyms_match_in_capitals_only_on_word_boundaries() -> None:
    ic = fs.entity("IC")
    excerpts = (
        fs.Excerpt(id="1", text="The IC and its partners."),
        fs.Excerpt(id="2", text="Public health, in the Pacific."),  # "ic" inside words
        fs.Excerpt(id="3", text="an ic in lower case is not the acronym"),
        fs.Excerpt(id="4", text="The ICs and the intelligence community."),
    )
    strategy = fs.get("national-biodefense-strategy-2018")
    catalog = fs.Catalog(
        source=fs.source(),
        strategies=[
            fs.Strategy(
                id="test-2020",
                title="Test",
                heading="Test (2020)",
                period=fs.Period(start=2020, end=2020),
                issuer=strategy.issuer,
                kind=fs.DocumentKind.STRATEGY,
                excerpts=excerpts,
            )
        ],
        entities=fs.entities(),
    )
    assert [m.excerpt.id for m in catalog.mentioning(ic)] == ["1", "4"]
    assert [e.id for e in catalog.entities_in(excerpts[1])] == []


def test_every_mention_names_its_entity() -> None:
    for entity in fs.entities():
        for mention in fs.mentioning(entity):
            text = mention.excerpt.text.casefold()
            stems = [name.casefold().rstrip("s") for name in entity.names]
            assert any(stem in text for stem in stems), (entity.id, mention.excerpt.text)


def test_every_excerpt_that_says_fusion_center_mentions_fusion_centers() -> None:
    said = {
        s.id
        for s in fs.strategies()
        for e in s.iter_excerpts()
        if re.search(r"fusion\s+center", e.text, re.IGNORECASE)
    }
    assert {s.id for s in fs.find(mentions="fusion centers")} == said
    assert len(said) >= 12


def test_entities_in_a_strategy_are_those_its_excerpts_name() -> None:
    strategy = fs.lookup("FBI National Information Sharing Strategy")
    named = fs.entities_in(strategy)
    assert {e.acronym for e in named} >= {"FBI", "FIG", "JTTF", "TSC", "KST", "SLTT"}
    from_excerpts = {e for excerpt in strategy.iter_excerpts() for e in fs.entities_in(excerpt)}
    assert set(named) == from_excerpts


def test_an_excerpt_counts_its_own_text_not_its_children() -> None:
    lead = fs.get("dhs-information-sharing-strategy-2013").excerpts[0]
    assert fs.entity("NSI") not in fs.entities_in(lead)
    assert fs.entity("NSI") in fs.entities_in(lead.children[1])


@pytest.mark.parametrize(
    ("key", "entity_id"),
    [
        ("HIDTA", "hidta"),
        ("hidtas", "hidta"),
        ("High Intensity Drug Trafficking Areas", "hidta"),
        ("I&A", "ia"),
        ("DHS Office of Intelligence and Analysis", "ia"),
        ("Fusion Centers", "fusion-centers"),
        ("sltt", "sltt"),
        ("State, Local, Tribal, and Territorial", "sltt"),
        ("HSIN-Intel", "hsin-intel"),
        ("the white house", "white-house"),
    ],
)
def test_entity_takes_id_acronym_name_alias_or_plural(key: str, entity_id: str) -> None:
    assert fs.entity(key).id == entity_id


def test_an_unknown_entity_suggests_close_ones() -> None:
    with pytest.raises(fs.EntityNotFoundError) as caught:
        fs.entity("HDITA")
    assert caught.value.suggestions[0] == "HIDTA"
    with pytest.raises(fs.EntityNotFoundError):
        fs.mentioning("no such thing at all")


def test_the_catalog_is_a_collection_of_strategies() -> None:
    catalog = fs.catalog()
    assert len(catalog) == len(read_page().documents)
    assert list(catalog) == list(fs.strategies())
    assert QHSR in catalog
    assert "QHSR" not in catalog
    assert fs.get(QHSR) not in catalog  # membership is by id
    assert f"{DOCUMENTS} strategies" in repr(catalog)


def test_flattened_excerpts_follow_the_page() -> None:
    strategy = fs.get("national-counterintelligence-strategy-of-the-united-states-of-america-2020")
    flat = list(strategy.iter_excerpts())
    assert [e.id for e in flat] == ["1", "1.1", "1.2", "1.3"]
    assert flat[0].text == "The U.S. Government will:"


def test_records_are_frozen() -> None:
    strategy = fs.get(QHSR)
    with pytest.raises(AttributeError):
        strategy.title = "changed"  # type: ignore[misc]
    assert isinstance(strategy.excerpts, tuple)
    assert hash(strategy) == hash(fs.get(QHSR))


def test_the_fbi_date_differs_from_the_page_and_both_are_kept() -> None:
    fbi = fs.lookup("NISS")
    assert str(fbi.period) == "2012"
    assert fbi.published == fs.PartialDate(year=2011)
