"""The library's free-text nodes: realistic good and poor answers lead different ways.

Each case plays the recommended path up to the free-text node, then answers it in writing.
The first node after the answer (a reaction node passed through, or the next node) must
differ between the good and the poor answer.
"""
from __future__ import annotations

import pytest

from tests.conftest import SCENARIO_DIR
from trainer.scenario.engine import CompiledScenario
from trainer.scenario.loader import load_scenario_file

CASES = {
    "crying-client": dict(
        node="quiet_words",
        good="Ой, та що ви, не вибачайтеся. Я бачу, як вам зараз тяжко. Посидьте, попийте води — "
             "у нас є час, черга почекає.",
        good_outcome="qw_heard", good_next="feels_heard",
        poor="Ну не плачте, заспокойтеся. Давайте швиденько допишемо бланк, там люди чекають.",
        poor_outcome="qw_hushed", poor_next="holds_back",
        english="Please don't apologise. I can see how hard this is for you. Take your time, "
                "the queue can wait.",
    ),
    "aggressive-client": dict(
        node="second_wave",
        good="Вікторе, я чую, як ви обурені, і маєте на це право. Я хочу вам допомогти, але "
             "давайте говорити спокійно, без крику.",
        good_outcome="sw_limit_heard", good_next="lowers_voice",
        poor="Не кричіть на мене! Я тут ні до чого, відмову дала комісія.",
        poor_outcome="sw_provoked", poor_next="flares_up",
        english="I understand you're angry, and it's unfair. Please lower your voice, and let's "
                "look into it together.",
    ),
    "off-hours-meeting": dict(
        node="one_question",
        good="Зінаїдо Павлівно, розумію, як вам тривожно. Але тут, на ринку, без документів я "
             "не можу нічого порадити. Приходьте у вівторок о десятій до бюро — юрист усе "
             "перевірить.",
        good_outcome="oq_kind_limit", good_next="she_nods",
        poor="Приходьте в робочий час, тоді й поговоримо.",
        poor_outcome="oq_rebuffed", poor_next="she_flinches",
        english="I know waiting is hard. I can't answer that here without your documents. "
                "Come to the bureau on Tuesday at ten.",
    ),
    "referral-outside-competence": dict(
        node="where_to_go",
        good="Вам у ЦНАП на вулиці Незалежності, 8, перший поверх, вікно 4. Працює з понеділка "
             "по п'ятницю з восьмої до п'ятої. Питайте Ірину Миколаївну Кравець, телефон "
             "2-14-35. Я вам усе запишу.",
        good_outcome="c_full_referral", good_next="takes_note",
        poor="Жіночко, це не до нас. Ідіть у соцзахист, там скажуть.",
        poor_outcome="c_brush_off", poor_next="fourth_refusal",
        english="Go to the TsNAP at 8 Nezalezhnosti Street, window 4, open Monday to Friday from "
                "eight to five. Ask for Iryna Mykolaivna Kravets, phone 2-14-35.",
    ),
    "income-documents": dict(
        node="in_room",
        good="Питання слушне. Адвоката безоплатно дають людям, у яких дохід нижчий за певну межу, "
             "тому центр має побачити довідку, щоб вирішити. Стороннім ми її не показуємо.",
        good_outcome="ir_why", good_next="what_papers",
        poor="Та не соромтеся, у школах усім копійки платять. Несіть довідку, і все.",
        poor_outcome="ir_pity", poor_next="bristles",
        english="It's a fair question. A free lawyer depends on your income, so the centre needs "
                "to see it to decide. Nobody else will see it.",
    ),
    "complaint-front-desk": dict(
        node="written_complaint",
        good="Звісно, пишіть — це ваше право. Я сьогодні ж передам ваш запис керівниці центру, "
             "а не Оксані, і вам дадуть письмову відповідь протягом місяця.",
        good_outcome="wc_accepted", good_next="she_writes",
        poor="Та нащо вже писати, ми ж усе вирішили. Нащо людей засмучувати?",
        poor_outcome="wc_discouraged", poor_next="she_bristles",
        english="Of course, it's your right. I'll pass it to the head of the centre today, not to "
                "Oksana, and you'll get a written answer within a month.",
    ),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request, framework, toc):
    loaded = load_scenario_file(SCENARIO_DIR / f"{request.param}.yaml", framework, toc)
    compiled = CompiledScenario(loaded)
    spec = CASES[request.param]
    state = compiled.start()
    for _node, choice_id in loaded.analysis.recommended_path:
        if state.node == spec["node"]:
            break
        state = compiled.step(state, choice_id).state
    assert state.node == spec["node"], "the free-text node is on the recommended path"
    return compiled, state, spec


def first_node_after(compiled, result):
    """The first node after the answer that shows the client's reaction (a route that only
    decides where to go, such as off-hours-meeting's limit_heard, shows nothing)."""
    nodes = compiled.scenario.nodes
    return next(n for n in (*result.via, result.state.node) if n not in nodes or nodes[n].client is not None)


def test_good_answer(case):
    compiled, state, spec = case
    result = compiled.step_text(state, spec["good"])
    assert result.choice == spec["good_outcome"], result.rubric["found"]
    assert first_node_after(compiled, result) == spec["good_next"]
    assert result.rubric["discouraged_found"] == []
    assert all(v > 0 for v in result.rubric["score_delta"].values())


def test_poor_answer(case):
    compiled, state, spec = case
    result = compiled.step_text(state, spec["poor"])
    assert result.choice == spec["poor_outcome"], result.rubric["found"]
    assert first_node_after(compiled, result) == spec["poor_next"] != spec["good_next"]
    assert result.rubric["discouraged_found"]
    assert compiled.choices[result.choice][1].rating in ("ineffective", "harmful")


def test_good_answer_in_english(case):
    compiled, state, spec = case
    result = compiled.step_text(state, spec["english"], "en")
    assert result.choice == spec["good_outcome"], result.rubric["found"]
    assert first_node_after(compiled, result) == spec["good_next"]


def test_the_model_answer_is_recommended_in_both_languages(case):
    compiled, state, spec = case
    free_text = compiled.scenario.nodes[spec["node"]].free_text
    for lang in ("uk", "en"):
        result = compiled.match(spec["node"], free_text.model_answer.get(lang), lang)
        assert result["outcome"] == spec["good_outcome"] and result["expected_missing"] == []


def _rubric(framework, toc, scenario_id, node, answer, lang):
    loaded = load_scenario_file(SCENARIO_DIR / f"{scenario_id}.yaml", framework, toc)
    return CompiledScenario(loaded).match(node, answer, lang)


@pytest.mark.parametrize(("answer", "lang", "outcome", "advises"), [
    # Sending her to show the message to the lawyer on Tuesday is the model limit, not
    # advice on the run: «покажіть» alone and "appeal it" used to find advises_here here.
    ("Розумію, як вас це тривожить, чекати важко. Але тут, без ваших документів, я не можу "
     "сказати напевно. У вівторок о десятій приходьте до бюро й покажіть це повідомлення "
     "юристу — він насамперед перевірить строки.", "uk", "oq_kind_limit", False),
    ("I understand how worrying this is. But without your documents I can't tell here. Come "
     "to the bureau on Tuesday at ten and show the message to the lawyer; she will help you "
     "appeal it.", "en", "oq_kind_limit", False),
    ("I know waiting is hard, but I can't answer that here without your documents. On Tuesday "
     "at ten at the bureau the lawyer will help you file an appeal.", "en", "oq_kind_limit", False),
    # Looking at it or advising right there is still caught.
    ("Та покажіть мені, я гляну.", "uk", "oq_advice_on_run", True),
    ("Покажіть, я зараз гляну одним оком.", "uk", "oq_advice_on_run", True),
    ("Перешліть, я ввечері гляну.", "uk", "oq_advice_on_run", True),
    ("Подавайте в суд, строк ви не пропустите.", "uk", "oq_advice_on_run", True),
    ("You should appeal, there's plenty of time.", "en", "oq_advice_on_run", True),
    ("Show me, I'll have a look.", "en", "oq_advice_on_run", True),
])
def test_off_hours_advice_on_the_run_is_not_a_referral_to_the_lawyer(framework, toc, answer, lang,
                                                                     outcome, advises):
    result = _rubric(framework, toc, "off-hours-meeting", "one_question", answer, lang)
    assert result["outcome"] == outcome, result["found"]
    assert ("advises_here" in result["discouraged_found"]) is advises


FULL_REFERRAL = ("Вам у ЦНАП на вулиці Незалежності, 8, перший поверх, вікно 4. Працює з понеділка "
                 "по п'ятницю з восьмої до п'ятої. Питайте Ірину Миколаївну Кравець, телефон 2-14-35. "
                 "Я вам усе запишу. ")
FULL_REFERRAL_EN = ("Go to the TsNAP at 8 Nezalezhnosti Street, window 4, open Monday to Friday from "
                    "eight to five. Ask for Iryna Mykolaivna Kravets, phone 2-14-35. ")


@pytest.mark.parametrize(("answer", "lang", "outcome", "diia"), [
    # Saying she does NOT need Diia is part of a good referral: «у Дії» used to be found
    # even though the negation comes after it.
    (FULL_REFERRAL + "Кнопковий телефон не завадить: у Дії нічого оформлювати не треба.", "uk",
     "c_full_referral", False),
    (FULL_REFERRAL_EN + "Your push-button phone is no problem: you don't need to set anything up in Diia.",
     "en", "c_full_referral", False),
    # Sending her to do it in Diia is still vague.
    ("Та подайте в Дії, там усе просто.", "uk", "c_vague", True),
    ("Зробіть через Дію або попросіть онуків.", "uk", "c_vague", True),
    ("Зробіть усе в Дії.", "uk", "c_vague", True),
    ("У Дії можна подати.", "uk", "c_vague", True),
    ("Just do it in Diia.", "en", "c_vague", True),
    ("You can do that in Diia, or ask your grandchildren.", "en", "c_vague", True),
])
def test_referral_saying_diia_is_not_needed_is_not_sending_her_to_diia(framework, toc, answer, lang,
                                                                       outcome, diia):
    result = _rubric(framework, toc, "referral-outside-competence", "where_to_go", answer, lang)
    assert result["outcome"] == outcome, result["found"]
    assert ("vague_or_diia" in result["discouraged_found"]) is diia


REFERRAL_FACTS = ("ЦНАП на вулиці Незалежності, 8, перший поверх, вікно 4. Працює з понеділка по п'ятницю "
                  "з восьмої до п'ятої. Питайте Ірину Миколаївну Кравець, телефон 2-14-35. ")


@pytest.mark.parametrize(("answer", "handover"), [
    # Ukrainian drops «я»: the verb's person says who makes the call or writes the note.
    (REFERRAL_FACTS + "Зателефоную їй заздалегідь, щоб вона на вас чекала.", True),
    (REFERRAL_FACTS + "Запишу все на папірці.", True),
    (REFERRAL_FACTS + "Можу записати вам усе це.", True),
    (REFERRAL_FACTS + "Давайте запишемо це разом.", True),
    # Handing the step back to her is no warm handover.
    (REFERRAL_FACTS + "Подзвоніть їй заздалегідь.", False),
    (REFERRAL_FACTS + "Запишіть собі, будь ласка.", False),
    (REFERRAL_FACTS + "Можете записати, якщо треба.", False),
])
def test_referral_warm_handover_reads_who_is_to_act(framework, toc, answer, handover):
    result = _rubric(framework, toc, "referral-outside-competence", "where_to_go", answer, "uk")
    assert ("warm_handover" in result["found"]) is handover, result["found"]


# Realistic answers where polarity decides: the right words negated, said with a brush-off,
# or under a double negation that affirms them.
@pytest.mark.parametrize(("scenario_id", "node", "answer", "lang", "outcome", "found"), [
    # Plain, negated and double-negated acknowledgement.
    ("crying-client", "quiet_words", "Бачу, як вам важко. Не поспішайте, у нас є час.", "uk",
     "qw_heard", ["names_feeling", "offers_time"]),
    ("crying-client", "quiet_words", "Я не бачу, як вам важко. Допишемо бланк.", "uk",
     "qw_hushed", ["hurries_her"]),
    ("crying-client", "quiet_words", "Не можу не помітити як вам тяжко, у нас є час.", "uk",
     "qw_heard", ["names_feeling", "offers_time"]),
    ("crying-client", "quiet_words", "I can't not see how hard this is for you. Take your time.", "en",
     "qw_heard", ["names_feeling", "offers_time"]),
    ("aggressive-client", "second_wave", "Розумію, чому ви злитеся. Говоріть спокійно, і я допоможу.", "uk",
     "sw_limit_heard", ["acknowledges_anger", "sets_limit", "offers_help"]),
    ("aggressive-client", "second_wave", "Я не розумію, чому ви злитеся. Говоріть спокійно, я допоможу.", "uk",
     "sw_partial", ["sets_limit", "offers_help"]),
    ("aggressive-client", "second_wave", "Не кричіть я вас чую і допоможу", "uk",
     "sw_limit_heard", ["acknowledges_anger", "sets_limit", "offers_help"]),
    ("aggressive-client", "second_wave", "I'm not going to help you while you're shouting.", "en",
     "sw_partial", ["sets_limit"]),
    # A rubric phrase that carries its own negation still counts («не переживайте так» is hushing
    # here, while «не хвилюйтеся за чергу» reassures her about the time).
    ("crying-client", "quiet_words", "Не переживайте ви так, черга почекає.", "uk",
     "qw_hushed", ["offers_time", "stop_crying"]),
    ("crying-client", "quiet_words", "Не хвилюйтеся за чергу, вона почекає.", "uk",
     "qw_partly", ["offers_time"]),
    # Dismissive frames cancel the empathy beside them and steer to the cold outcome.
    ("crying-client", "quiet_words", "Мені байдуже, що вам важко.", "uk", "qw_missed", ["dismissive"]),
    ("crying-client", "quiet_words", "I don't care that it's hard for you. Take your time.", "en",
     "qw_missed", ["offers_time", "dismissive"]),
    ("aggressive-client", "second_wave", "Мене не цікавить, що ви обурені. Говоріть тихіше.", "uk",
     "sw_provoked", ["sets_limit", "dismissive"]),
    ("aggressive-client", "second_wave", "That's your problem that you're angry. Lower your voice.", "en",
     "sw_provoked", ["sets_limit", "dismissive"]),
    ("off-hours-meeting", "one_question", "Мені все одно, що вас тривожить, у мене вихідний. Приходьте у "
     "вівторок до бюро.", "uk", "oq_rebuffed", ["kind_boundary", "when_where", "dismissive"]),
    ("referral-outside-competence", "where_to_go", "Not my problem. Try the TsNAP on Nezalezhnosti.", "en",
     "c_brush_off", ["names_office", "gives_address", "dismissive"]),
    # «Мені все одно» meaning "still" is no brush-off.
    ("off-hours-meeting", "one_question", "Мені все одно не можна радити без документів. Розумію, як вас "
     "це тривожить, приходьте у вівторок до бюро.", "uk", "oq_kind_limit",
     ["acknowledges_worry", "kind_boundary", "when_where"]),
])
def test_polarity_in_realistic_answers(framework, toc, scenario_id, node, answer, lang, outcome, found):
    result = _rubric(framework, toc, scenario_id, node, answer, lang)
    assert (result["outcome"], result["found"]) == (outcome, found)
