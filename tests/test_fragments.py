"""The per-app cache of rendered pieces and the holes a request fills in."""
from __future__ import annotations

from markupsafe import Markup

from trainer.fragments import FragmentCache, Holes


def test_a_piece_is_rendered_once_per_key():
    cache = FragmentCache()
    calls = []

    def render(text):
        calls.append(text)
        return text.upper()

    assert cache.get(("a", "uk"), lambda: render("a")) == "A"
    assert cache.get(("a", "uk"), lambda: render("again")) == "A"
    assert cache.get(("a", "en"), lambda: render("b")) == "B"
    assert calls == ["a", "b"]
    assert len(cache) == 2


def test_the_cache_starts_again_when_full():
    cache = FragmentCache(limit=2)
    cache.get(1, lambda: "one")
    cache.get(2, lambda: "two")
    cache.get(3, lambda: "three")
    assert len(cache) == 1
    assert cache.get(1, lambda: "one again") == "one again"


def test_holes_are_filled_escaped_and_markup_kept():
    rendered = f"<p>{Holes.marker('name')} said {Holes.marker('what')}</p><a href=\"{Holes.marker('url')}\">x</a>"
    holes = Holes(rendered)
    assert holes.names == {"name", "what", "url"}
    filled = holes.fill({"name": "<b>Ann</b>", "what": Markup("<em>hi</em>"), "url": '/a?x="1"&y=2'})
    assert filled == ('<p>&lt;b&gt;Ann&lt;/b&gt; said <em>hi</em></p>'
                      '<a href="/a?x=&#34;1&#34;&amp;y=2">x</a>')
    assert isinstance(filled, Markup)


def test_a_value_holding_the_marker_is_not_a_hole():
    holes = Holes(f"[{Holes.marker('a')}][{Holes.marker('b')}]")
    assert holes.fill({"a": str(Holes.marker("b")), "b": "B"}) == f"[{Holes.marker('b')}][B]"


def test_a_piece_without_holes_comes_back_whole():
    assert Holes("<p>only text</p>").fill({}) == "<p>only text</p>"
