"""Helpers shared by the views and templates: translation of scenario texts, labels, links."""
from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from babel import dates as babel_dates
from flask import Flask, current_app, g, url_for
from flask_babel import gettext, get_locale, get_timezone, get_translations, pgettext, to_user_timezone
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from markupsafe import Markup

from . import clock
from .content.render import mark_languages
from .content.toc import PUBLIC_MANUAL_URL
from .scenario.model import StateVar, Text
from .scenario.registry import Registry
from .scenario.rubric import in_language
from .study.scores import framework_order

RATING_LABELS = {
    "recommended": _l("Recommended"),
    "acceptable": _l("Acceptable"),
    "ineffective": _l("Ineffective"),
    "harmful": _l("Harmful"),
}
OUTCOME_LABELS = {
    "good": _l("Good outcome"),
    "mixed": _l("Mixed outcome"),
    "poor": _l("Poor outcome"),
    "failed": _l("Failed (critical error)"),
}
DIFFICULTY_LABELS = {
    "introductory": _l("Introductory"),
    "intermediate": _l("Intermediate"),
    "advanced": _l("Advanced"),
}
DOMAIN_LABELS = {
    "self_awareness": _l("Self-awareness"),
    "self_management": _l("Self-management"),
    "social_awareness": _l("Social awareness"),
    "relationship_management": _l("Relationship management"),
}


ROLE_LABELS = {
    "trainee": _l("Trainee"),
    "supervisor": _l("Supervisor"),
    "admin": _l("Administrator"),
}
MODE_LABELS = {
    "practice": _l("Practice"),
    "assessment": _l("Assessment"),
}
# Landis and Koch's conventional reading of Cohen's kappa (team/agreement.kappa_label).
KAPPA_LABELS = {
    "poor": _l("poor"),
    "slight": _l("slight"),
    "fair": _l("fair"),
    "moderate": _l("moderate"),
    "substantial": _l("substantial"),
    "almost_perfect": _l("almost perfect"),
}
STATUS_LABELS = {
    "todo": _l("Not started"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
}


# The interface's English is British ("centre", "apologise"), and so are its dates: day
# before month and a 24-hour clock ("29 Nov 2026, 16:35"), which Ukrainian and other
# European readers also read at once. The language itself stays "en" everywhere else.
DATE_LOCALES = {"en": "en_GB"}
# Ukrainian's medium date shortens the month to «лист.», which reads as «лист» (a letter) in an
# app full of letters, and adds «р.»: the month is written out instead («22 листопада 2026»).
MEDIUM_DATES = {"uk": "d MMMM y"}


@lru_cache(maxsize=8)
def _parsed(name: str) -> Locale:
    return Locale.parse(name)


def date_locale() -> Locale:
    """The Babel locale dates and times are written in for the reader's language."""
    locale = get_locale()
    return _parsed(DATE_LOCALES[locale.language]) if locale.language in DATE_LOCALES else locale


def format_date(value: date | datetime, format: str = "medium") -> str:
    """A date (or a stored UTC datetime's date in the centre's time zone) for the reader;
    the templates' ``dateformat`` filter."""
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    if format == "medium":
        format = MEDIUM_DATES.get(get_locale().language, format)
    return babel_dates.format_date(value, format, locale=date_locale())


def format_time(value: datetime, format: str = "medium") -> str:
    """A stored (UTC) datetime's time on the centre's clock; the ``timeformat`` filter."""
    return babel_dates.format_time(value, format, tzinfo=get_timezone(), locale=date_locale())


def format_datetime(value: datetime, format: str = "medium") -> str:
    """A stored (UTC) datetime on the centre's clock; the ``datetimeformat`` filter."""
    return babel_dates.format_datetime(value, format, tzinfo=get_timezone(), locale=date_locale())


def moment(value: datetime) -> str:
    """A stored (UTC) date and time as the reader reads one: in their language and the
    centre's time zone, to the minute ("21 листопада 2026, 23:05" / "21 Nov 2026, 23:05")."""
    pattern = date_locale().datetime_formats["medium"]  # how the language joins a date and a time
    return pattern.format(format_time(value, "short"), format_date(value, "medium"))


def month_label(month: str) -> str:
    """A "YYYY-MM" period key as the month's name in the reader's language ("листопад 2026")."""
    year, number = month.split("-")
    return format_date(date(int(year), int(number), 1), "LLLL yyyy")


def time_zone() -> str:
    """The centre's time zone (TRAINER_TIMEZONE), for dates that follow its wall clock."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def local_today() -> date:
    """Today's date in the centre: what "due today" and "overdue" are measured against."""
    return clock.today(time_zone())


# What may not stand just before an ellipsis: a cut sentence's own punctuation ("документів.…")
# and an opening bracket or quotation mark left without its words.
_BEFORE_ELLIPSIS = re.compile("[\\s.,:;\u2026\u2013\u2014(\u00ab\u201e\u201c-]+$")
ELLIPSIS = "\u2026"
_WORD = re.compile(r"[\w'\u2019\u02bc-]")


def clip(text: object, length: int | None = None) -> str:
    """``text`` cut between words to at most ``length`` characters, ellipsis included, or
    whole when it fits (or with no ``length``). A text that ends in an ellipsis, cut here or
    before (a search excerpt), loses the punctuation left in front of it, and keeps one."""
    text = str(text or "")
    if length is not None and len(text) > length:
        cut = text[:length - len(ELLIPSIS)]
        # Cut inside a word: drop the broken word, unless it is the only one.
        if _WORD.match(text[len(cut)]) and _WORD.match(cut[-1]) and re.search(r"\s", cut):
            cut = re.sub(r"\s+\S*$", "", cut)
        text = cut + ELLIPSIS
    if not text.endswith((ELLIPSIS, "...")):
        return text
    body = _BEFORE_ELLIPSIS.sub("", text)
    return body + ELLIPSIS if body else text


def outcome_word(outcome: str) -> str:
    """The outcome in a word or two, for a sentence that already says "result" ("your last
    result: poor"), where ``outcome_label`` ("Poor outcome") would repeat it. With a context:
    "poor" is also an agreement reading (KAPPA_LABELS), of another gender in Ukrainian."""
    words = {
        "good": pgettext("outcome", "good"),
        "mixed": pgettext("outcome", "mixed"),
        "poor": pgettext("outcome", "poor"),
        "failed": pgettext("outcome", "not passed (critical error)"),
    }
    return words.get(outcome, outcome)


def state_reading(declared: StateVar | None, name: str, value: int) -> str:
    """A client-state variable's value after a step, for a transcript: "Anger 4", or for a
    yes/no flag (a variable declared from 0 to 1) "Promised an outcome: no"."""
    label = tr(declared.label) if declared is not None else name
    if declared is not None and (declared.min, declared.max) == (0, 1):
        return gettext("%(label)s: %(answer)s", label=label,
                       answer=pgettext("state flag", "yes") if value else pgettext("state flag", "no"))
    return f"{label} {value}"


def signed(value: int, plus: bool = False) -> str:
    """A whole number with a typographic minus (U+2212, not the hyphen), and with ``plus`` a
    "+" before a positive one: "\u22123", "+2"."""
    if value < 0:
        return f"\u2212{-value}"
    return f"+{value}" if plus and value > 0 else str(value)


def registry() -> Registry:
    return current_app.extensions["trainer_registry"]


def lang() -> str:
    return getattr(g, "lang", "uk")


def tr(text: Text | None) -> str:
    """A scenario text in the current language."""
    return text.get(lang()) if text is not None else ""


def section_label(number: str) -> str:
    return registry().toc.label(number, lang())


def manual_url(number: str, attempt: object = None) -> str:
    """Where a section can be read: its page in the app, else the public manual.

    ``attempt`` names the conversation the link is in (``?attempt=``), so the page can
    lead back to it; written by hand, as the play pieces pass a fragment-cache marker
    that ``url_for`` would percent-encode."""
    if registry().manual.page(number, lang()) is not None:
        query = "" if attempt is None else f"?attempt={attempt}"
        return f"{url_for('manual.page', key=number)}{query}#page-title"
    return current_app.config.get("TRAINER_MANUAL_URL") or PUBLIC_MANUAL_URL


def rubric_for_reader(compiled, node_id: str, result: dict | None) -> dict | None:
    """A step's stored rubric result with its labels, feedback and model answer in the reader's
    language (see ``rubric.in_language``); as stored when that node has no rubric in ``compiled``."""
    found = compiled.rubrics.get(node_id) if compiled is not None and result else None
    return result if found is None else in_language(result, found.free_text, lang())


def competency_title(comp_id: str) -> str:
    framework = registry().library.framework
    comp = framework.competencies.get(comp_id) if framework else None
    return tr(comp.title) if comp else comp_id


def competency_order() -> list[str]:
    """The framework's competencies in its order: every page lists competencies this way."""
    framework = registry().library.framework
    return list(framework.competencies) if framework else []


def competency_titles(compiled) -> list[tuple[str, str]]:
    """(id, title) of each competency a scenario scores, in the reader's language and the
    framework's order, as the debrief lists them."""
    return [(c, competency_title(c)) for c in framework_order(compiled.scenario.competencies, competency_order())]


def request_translations():
    """The request's message catalog, looked up once per request.

    Flask-Babel resolves the locale and the catalog again on every gettext call, through
    several context locals, and a page calls it dozens of times. The locale is fixed for the
    request (Flask-Babel caches it per request, and ``lang()`` reads ``g.lang``, set once
    before the view), so the first answer holds; kept in ``g``, it ends with the request.
    """
    try:
        return g._trainer_translations
    except AttributeError:  # the first call in this request
        g._trainer_translations = found = get_translations()
        return found
    except RuntimeError:  # outside an app context: Flask-Babel's own fallback
        return get_translations()


# Templates' _(), gettext() and ngettext(): what Jinja's i18n extension installs for
# Flask-Babel (newstyle: escaped under autoescape, always %-formatted), in one call instead
# of three nested context calls and a catalog lookup per string.
@pass_context
def template_gettext(context, string: str, **variables) -> str:
    rv = request_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables


@pass_context
def template_ngettext(context, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    rv = request_translations().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables


def register_template_helpers(app: Flask) -> None:
    from .layout import site_header

    app.jinja_env.filters.update(tr=tr, moment=moment, month_label=month_label, mark_languages=mark_languages,
                                  clip=clip, signed=signed, dateformat=format_date, timeformat=format_time,
                                  datetimeformat=format_datetime)
    app.jinja_env.globals.update(
        section_label=section_label,
        manual_url=manual_url,
        competency_title=competency_title,
        rating_label=lambda r: RATING_LABELS.get(r, r),
        outcome_label=lambda o: OUTCOME_LABELS.get(o, o),
        outcome_word=outcome_word,
        state_reading=state_reading,
        difficulty_label=lambda d: DIFFICULTY_LABELS.get(d, d),
        role_label=lambda r: ROLE_LABELS.get(r, r),
        mode_label=lambda m: MODE_LABELS.get(m, m),
        status_label=lambda s: STATUS_LABELS.get(s, s),
        kappa_reading=lambda k: KAPPA_LABELS.get(k, k),
        domain_label=lambda d: DOMAIN_LABELS.get(d, d),
        lang=lang,
        site_header=site_header,
        Markup=Markup,
        _=template_gettext,
        gettext=template_gettext,
        ngettext=template_ngettext,
    )
