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


def test_an_english_page_marks_its_ukrainian_and_russian_titles():
    html = renderer().render(
        "The Law «Про безоплатну правову допомогу» (2011), *«Довідник безбар'єрності»*, "
        "[«Про звернення громадян»](6.3.md) and «Обратная связь с клиентом — инструмент работы».", "en")
    assert '«<span lang="uk">Про безоплатну правову допомогу</span>» (2011)' in html
    assert "<em>«<span lang=\"uk\">Довідник безбар'єрності</span>»</em>" in html
    assert '<a href="/manual/6.3">«<span lang="uk">Про звернення громадян</span>»</a>' in html
    assert '«<span lang="ru">Обратная связь с клиентом — инструмент работы</span>»' in html
    assert html.count("<span") == 4 and "The Law «" in html


def test_marked_text_is_still_escaped_and_ukrainian_pages_are_left_alone():
    html = renderer().render("«<b>Закон</b> про & все»", "en")
    assert '<span lang="uk">Закон</span>&lt;/b&gt; <span lang="uk">про</span> &amp; <span lang="uk">все</span>' in html
    assert "<b>" not in html
    assert "span" not in renderer().render("Закон «Про безоплатну правову допомогу»", "uk")


def test_the_same_file_is_cached_per_language(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("«Закон»", encoding="utf-8")
    r = renderer()
    assert "span" not in r.render_file(str(page), "«Закон»", "uk")
    assert '<span lang="uk">Закон</span>' in r.render_file(str(page), "«Закон»", "en")


def test_plain_source_titles_are_marked_and_escaped():
    from trainer.content.render import mark_languages

    marked = mark_languages("Law of Ukraine «Про захист персональних даних» <i>(2010)", "en")
    assert str(marked) == 'Law of Ukraine «<span lang="uk">Про захист персональних даних</span>» &lt;i&gt;(2010)'
    assert str(mark_languages("Закон <i>", "uk")) == "Закон &lt;i&gt;"


def test_a_long_page_is_cut_before_its_first_section_with_a_list_of_them():
    from trainer.content.render import CONTENTS_FROM, contents
    terms = [f"Термін {n}" for n in range(CONTENTS_FROM + 1)]
    html = renderer().render("Вступ до словника.\n\n" + "".join(f"## {t}\n\nПояснення.\n\n" for t in terms))
    page = contents(html)
    assert [heading for _anchor, heading in page.headings] == terms
    assert [anchor for anchor, _heading in page.headings] == [f"термін-{n}" for n in range(CONTENTS_FROM + 1)]
    assert page.intro == "<p>Вступ до словника.</p>\n" and page.intro + page.rest == html


def test_a_short_page_has_no_list_and_stays_whole():
    from trainer.content.render import CONTENTS_FROM, contents
    html = renderer().render("Вступ.\n\n" + "".join(f"## Розділ {n}\n\nТекст.\n\n" for n in range(CONTENTS_FROM)))
    page = contents(html)
    assert page.headings == [] and page.intro == html and page.rest == ""


def test_the_list_shows_a_heading_as_the_page_does_language_marks_included():
    from trainer.content.render import CONTENTS_FROM, contents
    text = "".join(f"## Centre {n} (ЦНАП)\n\nText.\n\n" for n in range(CONTENTS_FROM + 1))
    page = contents(renderer().render(text, "en"))
    assert page.headings[0][1] == 'Centre 0 (<span lang="uk">ЦНАП</span>)' and page.intro == ""
