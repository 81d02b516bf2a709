"""Word forms reduce to shared lemmas in Ukrainian and English."""
from trainer.search.lemmas import lemma_set, query_terms, verb_forms, words


def test_ukrainian_forms_meet():
    assert set(lemma_set("плаче")) & set(lemma_set("плакати"))
    assert set(lemma_set("сльозами")) & set(lemma_set("сльози"))
    assert set(lemma_set("скарги")) & set(lemma_set("скаргу"))


def test_english_forms_meet():
    assert set(lemma_set("crying")) & set(lemma_set("cries"))
    assert set(lemma_set("complaints")) & set(lemma_set("complaint"))


def test_words_keep_apostrophes_and_drop_numbers():
    assert words("Ім’я та 2024 рік, п'ятниця") == ["ім'я", "та", "рік", "п'ятниця"]


def test_query_terms_are_safe_for_the_engines():
    for group in query_terms('"плаче" OR NEAR(x) AND -- ;drop'):
        for term in group:
            assert term.replace("'", "").replace("-", "").isalnum()


def test_verb_forms_name_person_infinitive_or_neither():
    assert verb_forms("запишу") == (("записати", "1per"),)
    assert verb_forms("запишіть") == (("записати", "2per"),)
    assert verb_forms("чекатиме") == (("чекати", "3per"),)
    assert verb_forms("записати") == (("записати", "infn"),)
    assert verb_forms("записала") == (("записати", ""),)
    assert verb_forms("адреса") == ()
    assert verb_forms("write") == ()


def test_a_short_infinitive_that_is_also_the_third_person_reads_as_the_third_person():
    # «Юристка вам подзвонить»: the colloquial infinitive «подзвонить» is rarely written.
    assert verb_forms("подзвонить") == (("подзвонити", "3per"),)
    assert verb_forms("подзвонити") == (("подзвонити", "infn"),)
