"""The words of a query and the highlighting of results, without a database."""

from __future__ import annotations

from tillit.search import text


def test_the_words_are_letters_and_digits_case_folded_each_once():
    assert text.words('Skolan "ÅTGÄRD" och skolan, F–6 100%') == [
        "skolan",
        "åtgärd",
        "och",
        "f",
        "6",
        "100",
    ]


def test_signs_alone_are_no_words():
    assert text.words("% _ %_% \" ' -- ; \\") == []


def test_highlight_escapes_the_text_and_marks_every_occurrence_in_any_case():
    html = text.highlight("<b>Åtgärd</b> & åtgärder", ["åtgärd"])
    assert html == "&lt;b&gt;<mark>Åtgärd</mark>&lt;/b&gt; &amp; <mark>åtgärd</mark>er"


def test_the_snippet_is_the_passage_around_the_first_match():
    before = "ord " * 60
    after = " mer" * 100
    snippet = text.snippet(f"{before}Skolgården byggs om{after}", ["skolgården"])
    assert "<mark>Skolgården</mark> byggs om" in snippet
    assert snippet.startswith(text.ELLIPSIS + " ord")
    assert snippet.endswith(text.ELLIPSIS)
    assert len(snippet) < 300


def test_the_snippet_of_a_short_text_without_a_match_is_the_text():
    assert text.snippet("Kort <text>", ["annat"]) == "Kort &lt;text&gt;"
    assert text.snippet("", ["annat"]) == ""


def test_a_headline_becomes_escaped_html_with_marks():
    headline = f"a <i>{text.START}skola{text.STOP}</i> & {text.START}skolor"
    assert (
        text.from_headline(headline)
        == "a &lt;i&gt;<mark>skola</mark>&lt;/i&gt; &amp; <mark>skolor</mark>"
    )
    assert text.from_headline(f"{text.STOP}x") == "x"
    assert text.from_headline(None) == ""
