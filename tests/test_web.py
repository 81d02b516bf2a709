"""Template helpers: the request-bound gettext that templates call."""
from __future__ import annotations

import pytest
from flask import render_template_string, session
from flask_babel import get_translations
from markupsafe import Markup


def _render(app, locale: str, source: str, **context) -> str:
    with app.test_request_context("/"):
        session["locale"] = locale
        return render_template_string(source, **context)


@pytest.mark.parametrize(("locale", "expected"), [("uk", "Крок &lt;1&gt; · імовірно, останній"),
                                                  ("en", "Step &lt;1&gt; · probably the last one")])
def test_template_gettext_translates_formats_and_escapes(app, locale, expected):
    source = '{{ _("Step %(n)s · probably the last one", n="<1>") }}|{{ gettext("Answer") }}'
    answer = "Відповісти" if locale == "uk" else "Answer"
    assert _render(app, locale, source) == f"{expected}|{answer}"


def test_template_gettext_matches_jinja_and_flask_babel(app):
    """The same result as Jinja's newstyle gettext over Flask-Babel's catalog, which it replaces."""
    source = ('{{ _("Time left for this decision: %(n)s s", n=value) }}|'
              '{{ ngettext("%(num)s result", "%(num)s results", count) }}')
    for locale in ("uk", "en"):
        for value, count in ((1, 1), ("<b>", 2), (5, 5), (21, 21), (11, 11)):
            with app.test_request_context("/"):
                session["locale"] = locale
                catalog = get_translations()
                expected = (Markup(catalog.ugettext("Time left for this decision: %(n)s s")) % {"n": value} + "|"
                            + Markup(catalog.ungettext("%(num)s result", "%(num)s results", count)) % {"num": count})
                assert render_template_string(source, value=value, count=count) == expected, (locale, value)


def test_template_gettext_without_autoescape_leaves_values_alone(app):
    source = '{% autoescape false %}{{ _("Step %(n)s · probably the last one", n="<1>") }}{% endautoescape %}'
    assert _render(app, "en", source) == "Step <1> · probably the last one"


def test_each_request_gets_its_own_language(app):
    """The catalog is looked up once per request, never carried into the next one."""
    source = '{{ _("Answer") }} {{ rating_label("recommended") }}'
    assert _render(app, "uk", source) == "Відповісти Рекомендовано"
    assert _render(app, "en", source) == "Answer Recommended"
    assert _render(app, "uk", source) == "Відповісти Рекомендовано"


def test_play_page_in_both_languages(client, auth):
    """The play page through the app: interface strings and lazy form labels in each language."""
    from tests.test_play_views import start

    auth.login()
    url = start(client)
    html = client.get(url).get_data(as_text=True)
    assert "Що ви скажете чи зробите?" in html and "Відповісти" in html and 'lang="uk"' in html
    client.post("/account/language", data={"locale": "en", "csrf_token": auth.token("/account/language")})
    html = client.get(url).get_data(as_text=True)
    assert "What do you say or do?" in html and ">Answer<" in html and 'lang="en"' in html


# -- dates and times ---------------------------------------------------------------------

@pytest.mark.parametrize(("locale", "expected"), [("uk", "22 листопада 2026, 00:05"),
                                                  ("en", "22 Nov 2026, 00:05")])
def test_a_stored_time_is_shown_in_the_centres_zone_and_the_readers_language(app, locale, expected):
    """22:05 UTC on 21 November is five past midnight on the 22nd in Kyiv (UTC+2 in winter).
    (Ukrainian writes the month out: «лист.» would read as «лист», a letter.)"""
    from datetime import datetime

    assert _render(app, locale, "{{ when | moment }}", when=datetime(2026, 11, 21, 22, 5, 26)) == expected


def test_english_dates_and_times_are_british_and_the_language_stays_en(app):
    """Day before month and a 24-hour clock, as the interface's British spelling (English
    review, finding 3): every date helper, the templates' filters and the range labels of
    the team pages; the page itself is still lang="en"."""
    from datetime import date, datetime

    from flask_babel import get_locale

    from trainer.web import format_date, format_datetime, format_time, moment
    source = ('{{ day | dateformat }}|{{ when | timeformat("medium") }}|{{ when | timeformat("short") }}|'
              '{{ when | datetimeformat }}|{{ when | moment }}|{{ day | dateformat("LLLL yyyy") }}')
    when = datetime(2026, 11, 29, 14, 35, 9)  # 16:35 in Kyiv
    assert _render(app, "en", source, day=date(2026, 11, 29), when=when) == (
        "29 Nov 2026|16:35:09|16:35|29 Nov 2026, 16:35:09|29 Nov 2026, 16:35|November 2026")
    with app.test_request_context("/"):
        session["locale"] = "en"
        assert (format_date(when), format_time(when, "short"), moment(when)) == (
            "29 Nov 2026", "16:35", "29 Nov 2026, 16:35")
        assert format_datetime(when, "short") == "29/11/2026, 16:35"
        assert str(get_locale()) == "en"  # what g.lang, <html lang> and the catalogue go by


def test_a_period_on_the_team_pages_is_british_in_english(app):
    from datetime import date
    from types import SimpleNamespace

    from trainer.team.views import _period_label  # the label a comparison of two periods shows
    with app.test_request_context("/"):
        session["locale"] = "en"
        label = _period_label("A", SimpleNamespace(data=date(2026, 11, 2), errors=[]),
                              SimpleNamespace(data=date(2026, 11, 29), errors=[]))
    assert label == "A, 2 Nov 2026 – 29 Nov 2026"


def test_summer_time_and_another_zone(app, make_app, monkeypatch):
    from datetime import datetime

    assert _render(app, "uk", "{{ when | moment }}", when=datetime(2026, 7, 1, 9, 0)) == "1 липня 2026, 12:00"
    monkeypatch.setenv("TRAINER_TIMEZONE", "UTC")
    assert _render(make_app(), "uk", "{{ when | moment }}", when=datetime(2026, 7, 1, 9, 0)) == "1 липня 2026, 09:00"


@pytest.mark.parametrize(("locale", "expected"), [("uk", "листопад 2026"), ("en", "November 2026")])
def test_a_month_key_reads_as_the_months_name(app, locale, expected):
    assert _render(app, locale, "{{ '2026-11' | month_label }}") == expected


def test_a_misspelt_time_zone_is_refused_with_what_to_write(monkeypatch):
    from trainer import settings

    monkeypatch.setenv("TRAINER_TIMEZONE", "Europe/Kiev ")
    with pytest.raises(ValueError, match="TRAINER_TIMEZONE is 'Europe/Kiev ', which is not a time zone name.*Europe/Kyiv"):
        settings.time_zone()
    monkeypatch.setenv("TRAINER_TIMEZONE", "America/Toronto")
    assert settings.time_zone() == "America/Toronto"
    monkeypatch.delenv("TRAINER_TIMEZONE")
    assert settings.time_zone() == "Europe/Kyiv"


@pytest.mark.parametrize(("text", "length", "expected"), [
    # Cut between words, with no full stop, comma or colon left before the ellipsis.
    ("Мені сказали, що ні хати, ні документів. А що тепер робити?", 42, "Мені сказали, що ні хати, ні документів…"),
    ("У ЦНАПі сказали: треба йти деінде", 18, "У ЦНАПі сказали…"),
    ("Я після інсульту, ледве ходжу", 19, "Я після інсульту…"),
    ("Погодитися з колегою — «Чоловіче, зачекайте»", 24, "Погодитися з колегою…"),
    ("Слово так… а далі ще слова", 12, "Слово так…"),  # one ellipsis, not two
    ("абвгдежзиклмнопрстуфх", 10, "абвгдежзи…"),  # one long word is cut inside it
    ("Коротко.", 90, "Коротко."),  # fits: untouched
    # No length: an excerpt cut elsewhere keeps its ellipsis, without the punctuation before it.
    ("…з яким вона прийшла.…", None, "…з яким вона прийшла…"),
    ("документів, …", None, "документів…"),
    ("Що?…", None, "Що?…"),
    ("…і все", None, "…і все"),
])
def test_clip_cuts_between_words_and_tidies_the_ellipsis(text, length, expected):
    from trainer.web import clip
    assert clip(text, length) == expected
    if length is not None:
        assert len(clip(text, length)) <= length


def test_clip_is_a_template_filter(app):
    assert _render(app, "uk", '{{ "Я після інсульту, ледве ходжу" | clip(19) }}|{{ "так.…" | clip }}') == \
        "Я після інсульту…|так…"


@pytest.mark.parametrize(("value", "plus", "expected"), [
    (-3, False, "\u22123"), (-3, True, "\u22123"), (2, True, "+2"), (2, False, "2"), (0, True, "0")])
def test_signed_writes_a_real_minus(value, plus, expected):
    from trainer.web import signed
    assert signed(value, plus) == expected
    assert "-" not in signed(value, plus)  # never the hyphen


@pytest.mark.parametrize(("locale", "expected"), [
    ("uk", "поганий|добрий|не пройдено (критична помилка)|погана"),
    ("en", "poor|good|not passed (critical error)|poor")])
def test_an_outcome_in_a_word_keeps_apart_from_the_agreement_reading(app, locale, expected):
    """"poor" is both an outcome and a kappa reading; in Ukrainian they differ in gender."""
    source = ('{{ outcome_word("poor") }}|{{ outcome_word("good") }}|{{ outcome_word("failed") }}|'
              '{{ kappa_reading("poor") }}')
    assert _render(app, locale, source) == expected


# -- English review, findings 17 and 18: results and flags in the supervisor's transcript ----------

@pytest.mark.parametrize(("locale", "expected"), [
    ("uk", "Гнів 4|Пообіцяли результат: ні|Інцидент записано: так|mystery 2|Не пройдено (критична помилка)"),
    ("en", "Anger 4|Promised an outcome: no|Incident recorded: yes|mystery 2|Failed (critical error)")])
def test_a_yes_no_flag_reads_yes_or_no_and_a_level_as_its_number(app, locale, expected):
    """A variable declared from 0 to 1 is a flag: «Promised an outcome 0» read as a score."""
    from trainer.scenario.model import StateVar, Text
    anger = StateVar(label=Text(uk="Гнів", en="Anger"), min=0, max=5, initial=3)
    promised = StateVar(label=Text(uk="Пообіцяли результат", en="Promised an outcome"), min=0, max=1, initial=0)
    recorded = StateVar(label=Text(uk="Інцидент записано", en="Incident recorded"), min=0, max=1, initial=0)
    source = ('{{ state_reading(anger, "anger", 4) }}|{{ state_reading(promised, "promised", 0) }}|'
              '{{ state_reading(recorded, "recorded", 1) }}|{{ state_reading(none, "mystery", 2) }}|'
              '{{ outcome_label("failed") }}')
    from flask import g
    with app.test_request_context("/"):
        session["locale"] = g.lang = locale  # g.lang: what the app sets before each view
        rendered = render_template_string(source, anger=anger, promised=promised, recorded=recorded)
    assert rendered == expected
