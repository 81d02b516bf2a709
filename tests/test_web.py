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


@pytest.mark.parametrize(("locale", "expected"), [("uk", "Крок &lt;1&gt; з приблизно 3"),
                                                  ("en", "Step &lt;1&gt; of about 3")])
def test_template_gettext_translates_formats_and_escapes(app, locale, expected):
    source = '{{ _("Step %(n)s of about %(total)s", n="<1>", total=3) }}|{{ gettext("Answer") }}'
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
    source = '{% autoescape false %}{{ _("Step %(n)s of about %(total)s", n="<1>", total=3) }}{% endautoescape %}'
    assert _render(app, "en", source) == "Step <1> of about 3"


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
