"""What makes one report fast must not change what it says: the engine's plan is built once
per knowledge base and its stages are merged only where that cannot change a column; the text
wrapper's shortcuts (a line that fits, plain words wrapped greedily) give exactly what
``textwrap`` gives."""

from __future__ import annotations

import itertools
import textwrap

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from liverlens.engine import stages
from liverlens.engine.columns import schema
from liverlens.engine.findings import findings_stages
from liverlens.knowledge import load_knowledge
from liverlens.report.render import text as text_render


def test_the_plan_is_built_once_per_knowledge_base() -> None:
    kb = load_knowledge()
    assert stages(kb) is stages(kb)
    assert findings_stages(kb) is findings_stages(kb)
    # the findings are the head of the whole plan, not a second copy of the same rules
    assert stages(kb)[0] is findings_stages(kb)[0]


def test_no_stage_reads_a_column_its_own_stage_makes() -> None:
    """A with_columns stage sees only the columns before it: an expression reading one made
    beside it would read nothing (Polars raises) or an older column of the same name."""
    kb = load_knowledge()
    known = set(schema(kb))
    for i, exprs in enumerate(stages(kb)):
        made = {e.meta.output_name() for e in exprs}
        for e in exprs:
            read = set(e.meta.root_names())
            assert read <= known, (i, e.meta.output_name(), sorted(read - known))
            beside = (read & made) - known
            assert not beside, (i, e.meta.output_name(), sorted(beside))
        known |= made


def test_the_plan_captures_no_case() -> None:
    """The cached expressions read columns only: two different panels through the same plan
    give their own answers (a value baked into a cached expression would repeat)."""
    import liverlens

    low = liverlens.interpret({"labs": {"alt": 20}, "person": {"sex": "male"}}).to_dict()
    high = liverlens.interpret({"labs": {"alt": 300}, "person": {"sex": "male"}}).to_dict()
    assert (low["alt_grade"], high["alt_grade"]) == ("normal", "moderate")


words = st.text(
    alphabet=st.sampled_from([*"abc XYZ.,-()[]", "\t", "\n", "\x1c", "\u00a0", "\u3000", "肝"]),
    max_size=300,
)
long_words = st.lists(
    st.text(alphabet="abcdefghij.,", min_size=1, max_size=95), min_size=1, max_size=40
).map(" ".join)


@settings(max_examples=600, deadline=None)
@given(
    st.one_of(words, long_words),
    st.sampled_from(["", "  ", "     - ", "1. ", "[12] "]),
    st.booleans(),
)
def test_the_wrap_shortcut_gives_what_textwrap_gives(text: str, first: str, long: bool) -> None:
    assume(text_render.display_width(text) <= len(text) * 1.3)  # Chinese: its own wrap, below
    expected = textwrap.wrap(
        text,
        text_render.WIDTH,
        initial_indent=first,
        subsequent_indent="   ",
        break_on_hyphens=False,
        break_long_words=long,
    ) or ["   ".rstrip()]
    assert text_render._wrap(text, "   ", first, long_words=long) == expected


chinese = (
    st.lists(st.sampled_from([*"肝功能检查正常升高倍", *"，。：（）", " ", "ALT", "1.9", "[2]"]))
    .map("".join)
    .filter(lambda t: text_render.display_width(t) > len(t) * 1.3)
)


@settings(max_examples=400, deadline=None)
@given(chinese, st.sampled_from(["", "  ", "     - ", "1. "]))
def test_chinese_wraps_within_the_width_and_keeps_every_character(text: str, first: str) -> None:
    lines = text_render._wrap(text, "   ", first)
    assert all(text_render.display_width(line) <= text_render.WIDTH for line in lines)
    assert "".join(lines).replace(" ", "") == (first + text).replace(" ", "")


def test_chinese_never_breaks_beside_a_latin_word_or_number() -> None:
    """Seen in a report: "除 ALT" / "外", "1.9" / "倍" - a line ended at the space."""
    text = (
        "您的 ALT 轻度偏高：为正常上限的 1.9 倍，属于临界升高。 [1] "
        "除 ALT 外，也超出参考范围的项目：谷草转氨酶。 [2]"
    )
    for width in range(30, 95):
        old = text_render.WIDTH
        text_render.WIDTH = width
        try:
            lines = text_render._wrap(text)
        finally:
            text_render.WIDTH = old
        for a, b in itertools.pairwise(lines):
            assert not (a.endswith(("ALT", "1.9", "除")) or b.startswith(("外", "倍", "ALT", "[")))
            assert b.lstrip()[:1] not in set("，。：）")  # closing marks stay on their line


@given(st.text(max_size=60))
def test_display_width_counts_wide_characters_twice(text: str) -> None:
    wide = sum(1 for ch in text if "\u2e80" <= ch <= "\ufe4f" or "\uff00" <= ch <= "\uffef")
    assert text_render.display_width(text) == len(text) + wide


def test_an_enum_rank_is_its_position_and_a_foreign_word_is_still_refused() -> None:
    """The ranks are read from a table built once per enum: the same order as the members,
    and a word that is no member fails as ``Urgency(word)`` does."""
    import pytest

    from liverlens.vocabulary import Grade, Likelihood, Ordered, Urgency

    for enum in (Urgency, Grade, Likelihood):
        assert [m.rank for m in enum] == list(range(len(enum)))
        assert issubclass(enum, Ordered)
    assert Urgency.SOON < Urgency.URGENT and Urgency.SOON >= "routine"
    assert not Urgency.URGENT < "none"
    with pytest.raises(ValueError, match="not a valid"):
        _ = Urgency.SOON < "sometime"


def test_a_source_entry_is_made_per_language_and_cited_per_report() -> None:
    """A source's JSON entry is made once per source and language: each language still gets
    its own short name, and "cited" is the report's own."""
    import liverlens
    from liverlens.report.render.contract import _source

    kb = load_knowledge()
    named = [s for s in kb.sources.values() if s.short is not None]
    assert named
    for src in named:
        for lang in kb.languages:
            assert _source(src, lang)["short"] == src.short.get(lang)
    panel = {"labs": {"alt": 95, "ast": 45}, "person": {"sex": "male", "age": 28}}
    out = liverlens.interpret(panel).to_dict()
    listed = {s["id"]: s["cited"] for s in out["sources"]}
    assert True in listed.values() and False in listed.values()
    out["sources"][0]["title"] = "changed by a caller"
    again = liverlens.interpret(panel).to_dict()
    assert again["sources"][0]["title"] != "changed by a caller"


def test_numbers_are_the_same_from_the_formatter_cache() -> None:
    from liverlens.knowledge.numbers import number

    assert [number(-0.0), number(0.0), number(1), number(1.0), number(2.675)] == [
        "0",
        "0",
        "1",
        "1",
        "2.68",
    ]
    assert number(12345.5, 0, ",") == "12,346" and number(12345.5, 0) == "12346"
