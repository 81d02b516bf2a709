"""The play page's cached pieces: the same as rendering the macros, per version and language."""
from __future__ import annotations

import pytest
from flask import g, get_template_attribute, session
from markupsafe import escape

from trainer.layout import fragment_cache
from trainer.play import pieces
from trainer.scenario.engine import CompiledScenario
from trainer.scenario.loader import load_scenario_text
from trainer.web import manual_url


@pytest.fixture
def compiled(app):
    return app.extensions["trainer_registry"].latest("example-queue")


def _in(app, lang):
    context = app.test_request_context("/")
    context.push()
    session["locale"] = lang
    g.lang = lang  # as the app's before-request hook sets it
    return context


def _direct(name, *args):
    return get_template_attribute(f"{'_macros.html' if name == 'client_lines' else 'play/_pieces.html'}", name)(*args)


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_each_piece_is_what_its_macro_renders(app, compiled, lang):
    context = _in(app, lang)
    try:
        node = compiled.scenario.start
        choice = compiled.scenario.nodes[node].choices[0]
        options = {c.id: c.text.get(lang) for c in compiled.scenario.nodes[node].choices}
        name = compiled.scenario.persona.name.get(lang)
        assert pieces.client_lines(compiled, (node,)) == \
            _direct("client_lines", compiled.client_lines([node]), name, False)
        assert pieces.client_lines(compiled, (node,), each_in_div=True) == \
            _direct("client_lines", compiled.client_lines([node]), name, True)
        assert pieces.choice_options(compiled, node, options) == _direct("choice_options", options, None)
        assert pieces.choice_feedback(compiled, choice, 7) == \
            _direct("choice_feedback", choice, lambda number: manual_url(number, 7))
        # Each attempt's links name it, from the one cached piece.
        assert "?attempt=7#page-title" in pieces.choice_feedback(compiled, choice, 7)
        assert "?attempt=8#page-title" in pieces.choice_feedback(compiled, choice, 8)
        words = compiled.scenario.nodes[node].client.says.get(lang)
        assert str(escape(words)) in pieces.client_lines(compiled, (node,))
        assert str(escape(options[choice.id])) in pieces.choice_options(compiled, node, options)
    finally:
        context.pop()


def test_a_piece_is_rendered_once_per_language(app, compiled, monkeypatch):
    calls = []
    real = pieces.get_template_attribute
    monkeypatch.setattr(pieces, "get_template_attribute", lambda *a: calls.append(a) or real(*a))
    node = compiled.scenario.start
    for lang in ("uk", "uk", "en", "uk", "en"):
        context = _in(app, lang)
        try:
            pieces.choice_options(compiled, node, {c.id: c.text.get(lang) for c in compiled.scenario.nodes[node].choices})
        finally:
            context.pop()
    assert len(calls) == 2
    with app.app_context():
        ids = tuple(c.id for c in compiled.scenario.nodes[node].choices)
        assert ("choices", compiled.content_hash, "en", node, ids) in fragment_cache()._store


def test_another_version_gets_its_own_pieces(app, compiled):
    source = compiled.loaded.source
    start = compiled.scenario.start
    words = compiled.scenario.nodes[start].client.says.get("uk")
    registry = app.extensions["trainer_registry"]
    loaded = load_scenario_text(source.replace(words, "Інші слова клієнта"), "example-queue.yaml",
                                registry.library.framework, registry.toc, file_stem="example-queue")
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    other = CompiledScenario(loaded)
    assert other.content_hash != compiled.content_hash
    context = _in(app, "uk")
    try:
        assert words in pieces.client_lines(compiled, (start,))
        assert "Інші слова клієнта" in pieces.client_lines(other, (start,))
        assert words in pieces.client_lines(compiled, (start,))
    finally:
        context.pop()


def test_words_of_someone_other_than_the_client_are_given_with_their_name(app, compiled, example_data, load):
    example_data["nodes"]["greeting"]["client"]["speaker"] = {"uk": "Син клієнта", "en": "The client's son"}
    other = CompiledScenario(load(example_data))
    for lang, name, words in (("uk", "Син клієнта:", "«Я вже сорок хвилин тут стою!»"),
                              ("en", "The client's son:", "“I've been standing here forty minutes!”")):
        context = _in(app, lang)
        try:
            html = str(pieces.client_lines(other, ("greeting",)))
            plain = str(pieces.client_lines(compiled, ("greeting",)))
        finally:
            context.pop()
        assert f'<span class="speaker">{escape(name)}</span> {escape(words)}' in html
        client = compiled.scenario.persona.name.get(lang)
        says = {"uk": f"{client} каже:", "en": f"{client} says:"}[lang]
        assert says not in html  # not announced as the client's words
        assert "speaker" not in plain and f'<span class="visually-hidden">{says}</span>' in plain


def test_a_screen_reader_hears_the_client_by_name_and_a_scene_as_a_scene(app, compiled):
    """The hidden labels name the client (in Ukrainian "каже" fits a woman and a man alike;
    "Клієнт каже" called every client a man) and do not call a scene description the
    client's action: it may describe someone else."""
    start = compiled.scenario.start
    line = compiled.client_lines([start])[0]
    assert line.says and line.does, "the example's opening has words and a scene"
    for lang, says, scene in (("uk", "каже:", "У сцені:"), ("en", "says:", "In the scene:")):
        context = _in(app, lang)
        try:
            html = str(pieces.client_lines(compiled, (start,)))
        finally:
            context.pop()
        name = escape(compiled.scenario.persona.name.get(lang))
        assert f'<p class="says"><span class="visually-hidden">{name} {says}</span>' in html
        assert f'<p class="does"><span class="visually-hidden">{scene}</span> {escape(line.does.get(lang))}</p>' in html
        assert "Клієнт" not in html and "The client" not in html


def _with_via(example_data, load, via, speaker=None):
    """The example with its opening line typed or signed (and said by ``speaker``, if given)."""
    example_data["nodes"]["greeting"]["client"]["says_via"] = via
    if speaker:
        example_data["nodes"]["greeting"]["client"]["speaker"] = speaker
    loaded = load(example_data)
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    return CompiledScenario(loaded)


@pytest.mark.parametrize("via, lang, verb", [
    ("writing", "uk", "пише:"), ("writing", "en", "writes:"),
    ("sign", "uk", "показує жестовою мовою:"), ("sign", "en", "signs:"),
])
def test_typed_or_signed_words_are_announced_as_written_or_signed(app, example_data, load, via, lang, verb):
    """A deaf client's typed words are not "said": a screen reader hears «Олег пише:», and a
    sighted reader sees the verb before the words, in the history too."""
    compiled = _with_via(example_data, load, via)
    context = _in(app, lang)
    try:
        pieces_html = [str(pieces.client_lines(compiled, ("greeting",))),
                       str(pieces.client_lines(compiled, ("greeting",), each_in_div=True))]
    finally:
        context.pop()
    name = compiled.scenario.persona.name.get(lang)
    words = {"uk": "«Я вже сорок хвилин тут стою!»", "en": "“I've been standing here forty minutes!”"}[lang]
    for html in pieces_html:
        # The name is hidden inside the visible sentence, so it is heard once, not twice.
        assert (f'<p class="says"><span class="via"><span class="visually-hidden">{name}</span> {escape(verb)}</span> '
                f'{escape(words)}</p>') in html
        assert {"uk": "каже:", "en": "says:"}[lang] not in html


def test_a_speaker_who_writes_is_named_as_writing(app, example_data, load):
    compiled = _with_via(example_data, load, "writing", {"uk": "Син клієнта", "en": "The client's son"})
    for lang, named in (("uk", "Син клієнта пише:"), ("en", "The client's son writes:")):
        context = _in(app, lang)
        try:
            html = str(pieces.client_lines(compiled, ("greeting",)))
        finally:
            context.pop()
        assert f'<span class="speaker">{escape(named)}</span> ' in html
        assert "visually-hidden" not in html.split('<p class="does">')[0]  # the speaker is shown, not announced


def test_the_words_of_a_line_typed_by_a_hostile_name_stay_text(app, example_data, load):
    from tests.hostile import HOSTILE_TEXT, assert_shown_as_text
    example_data["persona"]["name"] = {"uk": HOSTILE_TEXT, "en": HOSTILE_TEXT}
    compiled = _with_via(example_data, load, "writing")
    context = _in(app, "en")
    try:
        html = str(pieces.client_lines(compiled, ("greeting",)))
    finally:
        context.pop()
    assert_shown_as_text(html, HOSTILE_TEXT)
    assert "<script>" not in html


@pytest.mark.parametrize("first", [False, True])
def test_what_happens_is_shown_after_the_words_unless_it_comes_first(app, example_data, load, first):
    """A gesture follows the words; a scene that happens first (a phone rings, someone walks
    in) is read before them, on the page and by a screen reader alike."""
    example_data["nodes"]["greeting"]["client"]["does_first"] = first
    loaded = load(example_data)
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    context = _in(app, "en")
    try:
        html = str(pieces.client_lines(CompiledScenario(loaded), ("greeting",)))
    finally:
        context.pop()
    scene, words = html.index("He speaks loudly and looks back"), html.index("forty minutes!")
    assert (scene < words) is first
    assert html.count('<p class="does">') == 1
