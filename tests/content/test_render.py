"""Rendering: raw HTML is text, page links become app URLs, the cache follows the file."""
import os

from trainer.content.render import Renderer


def renderer():
    return Renderer(lambda key: f"/manual/{key}")


def test_raw_html_is_shown_as_text():
    html = renderer().render('<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1))')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html
    assert 'href="javascript' not in html


def test_headings_get_cyrillic_anchors_and_tables_render():
    html = renderer().render("## Що робити\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert '<h2 id="що-робити">' in html and "<table>" in html


def test_links_between_pages_become_app_urls():
    html = renderer().render("Див. [5.2.4](5.2.4.md) і [тут](./6.1.md#головне).")
    assert 'href="/manual/5.2.4"' in html and 'href="/manual/6.1#' in html


def test_footnotes():
    html = renderer().render("Текст[^1]\n\n[^1]: Примітка\n")
    assert 'class="footnote-ref"' in html and "Примітка" in html


def test_cache_is_invalidated_when_the_file_changes(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("старий", encoding="utf-8")
    r = renderer()
    assert "старий" in r.render_file(str(page), page.read_text(encoding="utf-8"))
    assert "старий" in r.render_file(str(page), "ігнорується: з кешу")
    page.write_text("новий текст", encoding="utf-8")
    os.utime(page, ns=(1, 2_000_000_000_000_000_000))
    assert "новий" in r.render_file(str(page), page.read_text(encoding="utf-8"))
