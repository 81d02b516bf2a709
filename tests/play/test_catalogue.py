"""The catalogue's filters (trainer.play.catalogue): plain functions over loaded scenarios."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from trainer.play.catalogue import (
    LEVELS, TEXT_MAX, Entry, Filters, Group, build_catalogue, count, filter_catalogue, matches, read_filters,
)

COMPETENCIES = ["empathy", "clarity", "respect", "accessibility"]


@pytest.fixture
def scenario(load, example_data):
    """The doc example with texts of our own, so that what the filter finds does not depend
    on the library's wording."""
    def _make(name="sample", competencies=None, **changes):
        data = {**example_data, "id": name, **changes}
        loaded = load(data, name=name)
        assert loaded.ok, [d.format() for d in loaded.diagnostics]
        if competencies is not None:  # set after validation, which wants each one scored
            loaded = replace(loaded, scenario=loaded.scenario.model_copy(update={"competencies": competencies}))
        return loaded
    return _make


def entries(*loaded, **fields) -> list[Entry]:
    return [Entry(item, **fields) for item in loaded]


# -- reading the query string ---------------------------------------------------------------

def test_read_filters_keeps_known_values():
    filters = read_filters({"competency": "clarity", "level": "advanced", "status": "due", "q": "  крик   Агресія "},
                           COMPETENCIES)
    assert filters == Filters("clarity", "advanced", "due", "крик Агресія")
    assert filters.active


@pytest.mark.parametrize("args", [
    {"competency": "nonsense"}, {"level": "hard"}, {"status": "finished"}, {"q": "   "},
    {"competency": "", "level": "", "status": "", "q": ""}, {},
])
def test_read_filters_ignores_what_is_not_a_choice(args):
    assert read_filters(args, COMPETENCIES) == Filters()
    assert not Filters().active


def test_a_long_text_is_cut_not_refused():
    assert len(read_filters({"q": "слово " * 100}, COMPETENCIES).text) <= TEXT_MAX


def test_the_levels_are_the_scenario_formats():
    assert LEVELS == ("introductory", "intermediate", "advanced")


# -- filtering ---------------------------------------------------------------------------

def test_no_filter_returns_the_catalogue_as_it_is(scenario):
    groups = [Group("2", entries(scenario()))]
    assert filter_catalogue(groups, Filters(), "uk") is groups


def test_competency_and_level_keep_the_scenarios_that_have_them_and_drop_empty_chapters(scenario):
    calm = scenario("calm", competencies=["empathy", "clarity"], difficulty="introductory")
    hard = scenario("hard", competencies=["respect", "clarity"], difficulty="advanced")
    access = scenario("access", competencies=["accessibility", "respect"], difficulty="intermediate")
    groups = [Group("2", entries(calm, hard)), Group("5.2", entries(access))]

    def ids(filters):
        return [[e.loaded.scenario.id for e in g.entries] for g in filter_catalogue(groups, filters, "uk")]
    assert ids(Filters(competency="clarity")) == [["calm", "hard"]]
    assert ids(Filters(competency="respect")) == [["hard"], ["access"]]
    assert ids(Filters(level="advanced")) == [["hard"]]
    assert ids(Filters(competency="empathy", level="advanced")) == []
    assert [g.chapter for g in filter_catalogue(groups, Filters(competency="accessibility"), "uk")] == ["5.2"]
    assert count(filter_catalogue(groups, Filters(competency="respect"), "uk")) == 2
    assert [len(g.entries) for g in groups] == [2, 1]  # the catalogue itself is left as it was


def test_status_unplayed_means_never_finished_and_due_means_a_refresher_is_due(scenario):
    loaded = scenario()
    never = Entry(loaded)
    started = Entry(loaded, in_progress=True)  # begun, not finished: still not played
    played = Entry(loaded, last_outcome="poor")
    due = Entry(loaded, last_outcome="good", due=True)
    unplayed = Filters(status="unplayed")
    refresh = Filters(status="due")
    assert [matches(e, unplayed, "uk") for e in (never, started, played, due)] == [True, True, False, False]
    assert [matches(e, refresh, "uk") for e in (never, started, played, due)] == [False, False, False, True]


def test_text_filter_reads_title_summary_and_persona_in_the_readers_language(scenario):
    loaded = scenario(
        title={"uk": "Клієнт КРИЧИТЬ на стійці", "en": "A client SHOUTS at the desk"},
        summary={"uk": "Розлючений відвідувач вимагає начальника.", "en": "A furious visitor demands the boss."},
        persona={"name": {"uk": "Віктор", "en": "Viktor"}, "age": 50,
                 "who": {"uk": "Переселенець з-під Куп'янська.", "en": "Displaced from near Kupiansk."},
                 "wants": {"uk": "Отримати компенсацію.", "en": "To get compensation."},
                 "backstory": {"uk": "Таємниця бекстора.", "en": "A hidden backstory secret."}})
    entry = Entry(loaded)

    def found(text, lang="uk"):
        return matches(entry, Filters(text=text), lang)
    assert found("кричить")  # any case
    assert found("ВІДВІДУВАЧ начальника")  # every word, in any order, from the summary
    assert found("віктор") and found("компенсац")  # the persona's name and what they want
    assert found("Куп’янськ") and found("Купʼянськ")  # any apostrophe
    assert not found("кричить агресія")  # one word missing
    assert not found("таємниця")  # the backstory is hidden from the reader, so not searched
    assert not found("shouts") and found("shouts", "en") and found("KUPIANSK", "en")
    assert not found("кричить", "en")
    # Any form of a word, as the site's search reads it (found by playing: «конфіденційності»
    # found fewer scenarios than «конфіденційність»).
    assert found("кричав") and found("відвідувача начальникові") and found("компенсацією")
    assert found("visitors", "en") and found("demanded", "en")
    assert not found("кричала агресією")


# -- building: which refreshers are due ---------------------------------------------------

def test_build_catalogue_marks_the_refreshers_due_by_now(app, users, registry):
    from tests.study.factory import attempt
    from trainer.extensions import db
    from trainer.models import ReviewCard

    now = datetime(2025, 3, 12, 12, 0)
    me = users["trainee"]
    with app.app_context():
        s = db.session
        attempt(s, me, "busy-queue", now - timedelta(days=5), "mixed")
        attempt(s, me, "crying-client", now - timedelta(days=5), "good")
        for scenario_id, due_at in (("busy-queue", now - timedelta(hours=1)), ("crying-client", now + timedelta(days=3))):
            s.add(ReviewCard(user_id=me, scenario_id=scenario_id, card={}, due_at=due_at, updated_at=now))
        s.add(ReviewCard(user_id=users["other"], scenario_id="no-contact", card={}, due_at=now, updated_at=now))
        s.commit()
        groups = build_catalogue(s, me, registry.current, registry.toc, now)
    by_id = {e.loaded.scenario.id: e for g in groups for e in g.entries}
    assert {i for i, e in by_id.items() if e.due} == {"busy-queue"}
    assert by_id["busy-queue"].last_outcome == "mixed"
    due = filter_catalogue(groups, Filters(status="due"), "uk")
    assert [e.loaded.scenario.id for g in due for e in g.entries] == ["busy-queue"]
    unplayed = filter_catalogue(groups, Filters(status="unplayed"), "uk")
    assert count(unplayed) == len(registry.current) - 2


def test_by_chapter_files_every_scenario_once_in_manual_order_and_alphabet_order(real_library, toc):
    """The assign form's groups: the catalogue's chapters, in the manual's order, each one's
    titles in Ukrainian alphabet order (І after Д, «…» ignored)."""
    from trainer.collation import title_key
    from trainer.play.catalogue import by_chapter, chapter_of
    loaded = {sid: item for sid, item in real_library.items() if item.ok}
    title = {sid: item.scenario.title.uk for sid, item in loaded.items()}
    groups = by_chapter(loaded, toc, title.__getitem__)
    assert sorted(sid for _n, sids in groups for sid in sids) == sorted(loaded)
    numbers = [number for number, _sids in groups]
    assert numbers == sorted(numbers, key=toc.position.__getitem__) and len(set(numbers)) == len(numbers)
    assert {"5.2", "5.3"} <= set(numbers)  # chapter 5 by its sub-chapters, as the catalogue shows it
    for number, sids in groups:
        assert all(chapter_of(loaded[sid], toc) == number for sid in sids)
        assert [title_key(title[sid]) for sid in sids] == sorted(title_key(title[sid]) for sid in sids)
