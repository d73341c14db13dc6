"""Sentences dropped from or added to a translation, found by aligning it
with its source (mtqa/bilingual/omissions.py). Articles written for these
tests."""

from __future__ import annotations

import mtqa
from mtqa.bilingual.alignment import model_for
from mtqa.bilingual.omissions import gaps

SOURCE = ("Die Stadt Mainz hat am Montag ein neues Verkehrskonzept vorgestellt. "
          "Bürgermeister Klaus Weber sagte, der Autoverkehr in der Altstadt solle bis 2030 halbiert werden. "
          "Dafür sollen 40 Kilometer neue Radwege entstehen. "
          "Die Opposition kritisierte die Pläne als zu teuer und warf der Verwaltung vor, die Händler nicht "
          "gefragt zu haben. "
          "Der Stadtrat stimmt am 12. Mai ab.")
TARGET = ("On Monday the city of Mainz presented a new traffic plan. "
          "Mayor Klaus Weber said car traffic in the old town should be halved by 2030. "
          "To that end, 40 kilometres of new cycle paths are to be built. "
          "The opposition criticised the plans as too expensive and accused the administration of not "
          "having consulted shopkeepers. "
          "The city council votes on 12 May.")


def omissions(target: str, source: str = SOURCE) -> list[tuple[str, str, str | None]]:
    result = mtqa.check(target, "en", source=source, source_lang="de", select=["bilingual"])
    return [(f.rule, f.text, f.source_text) for f in result.findings]


def test_a_faithful_article_is_clean():
    assert omissions(TARGET) == []


def test_a_dropped_sentence_is_named_and_placed_where_it_stood():
    dropped = "The opposition criticised the plans as too expensive and accused the administration of not " \
              "having consulted shopkeepers. "
    target = TARGET.replace(dropped, "")
    result = mtqa.check(target, "en", source=SOURCE, source_lang="de", select=["bilingual"])
    (finding,) = result.findings
    assert finding.rule == "bilingual.omission"
    assert finding.source_text.startswith("Die Opposition kritisierte")
    place = target.index("The city council")
    assert finding.start <= place <= finding.end  # at the gap (or the neighbours the lengths leave open)
    assert SOURCE[finding.source_start:finding.source_end] == finding.source_text


def test_a_dropped_first_or_last_sentence_is_found():
    first = TARGET.split(". ", 1)[1]
    assert [rule for rule, _, _ in omissions(first)] == ["bilingual.omission"]
    last = TARGET[: TARGET.index(" The opposition")]
    source = SOURCE[: SOURCE.index(" Der Stadtrat")]
    ((rule, text, source_text),) = omissions(last, source)
    assert (rule, text) == ("bilingual.omission", "")
    assert source_text.startswith("Die Opposition kritisierte")


def test_two_sentences_merged_into_one_are_no_omission():
    merged = TARGET.replace("2030. To that end, 40 kilometres", "2030, for which 40 kilometres")
    assert omissions(merged) == []


def test_a_made_up_sentence_is_an_addition():
    added = TARGET.replace("The city council votes on 12 May.",
                           "Critics fear that the shops of the old town will lose a third of their customers "
                           "within a year. The city council votes on 12 May.")
    ((rule, text, _),) = omissions(added)
    assert rule == "bilingual.addition"
    assert text.startswith("Critics fear")


def test_each_sentence_of_a_dropped_paragraph_is_an_omission_where_the_paragraph_stood():
    source = "\n\n".join([SOURCE, "Die Polizei sperrte am Abend die Rheinbrücke, nachdem ein Lastwagen "
                                  "liegen geblieben war. Verletzt wurde bei dem Unfall niemand.",
                           "Weitere Berichte folgen."])
    target = "\n\n".join([TARGET, "Further reports will follow."])
    result = mtqa.check(target, "en", source=source, source_lang="de", select=["bilingual"])
    assert [f.rule for f in result.findings] == ["bilingual.omission", "bilingual.omission"]
    assert [f.source_text[:20] for f in result.findings] == ["Die Polizei sperrte ", "Verletzt wurde bei d"]
    place = target.index("Further")
    assert all(f.start <= place <= f.end for f in result.findings)


def test_informal_sentence_ends_of_a_chat_source_are_no_additions():
    source = "thanks for waiting. i sent you a new link to reset the password. please check your mail."
    target = ("Danke fürs Warten. Ich habe Ihnen einen neuen Link zum Zurücksetzen des Passworts geschickt. "
              "Bitte prüfen Sie Ihre E-Mails.")
    assert mtqa.check(target, "de", source=source, source_lang="en", select=["bilingual"]).findings == []


def test_names_and_numbers_tell_which_of_two_similar_sentences_was_dropped():
    source = ("Der Verein Borussia Dortmund gewann am Samstag mit drei zu eins. "
              "Der Verein Werder Bremen verlor am Sonntag mit null zu zwei. "
              "Beide Spiele waren ausverkauft, und die Polizei meldete keine Zwischenfälle.")
    target = ("Werder Bremen lost nil to two on Sunday. "
              "Both matches were sold out, and the police reported no incidents.")
    (gap,) = gaps(source, target, "de", "en")
    assert gap.kind == "omission" and gap.source.text.startswith("Der Verein Borussia")
    assert gap.start == 0


def test_a_pair_that_was_never_calibrated_gets_a_model_from_each_languages_density():
    calibrated = model_for("en", "de")
    made_up = model_for("fr", "ja")
    assert calibrated.c > 1  # German is longer than English
    assert made_up.c < 1 and made_up.s2 > 0  # Japanese is denser than French


def test_a_long_article_with_many_dropped_sentences_finds_each():
    source = " ".join(f"Der Rat von Ort{i} tagte am Montag und beschloss {i} neue Regeln für die Stadt."
                      for i in range(600))
    target = " ".join(f"The council of Ort{i} met on Monday and passed {i} new rules for the city."
                      for i in range(600) if i % 25)
    found = gaps(source, target, "de", "en")
    assert [g.source.text.split()[3] for g in found] == [f"Ort{i}" for i in range(0, 600, 25)]


def test_far_more_target_sentences_than_source_ones_are_additions_not_one_bead():
    # the alignment's band once lost its way when the target had thousands of sentences to the source's one
    source = "Der Rat tagte am Montag in der Stadt und beschloss neue Regeln für den Verkehr."
    target = " ".join(["The council met on Monday in the city and passed new rules for traffic."] * 3000)
    found = gaps(source, target, "de", "en")
    assert len(found) >= 2999 and all(g.kind == "addition" for g in found)


def _plain_gale_church(source: list[int], target: list[int], model, skip_penalty: float,
                       source_anchors, target_anchors, anchor_weight: float) -> float:
    """The textbook programme over the whole table, cell by cell: what the
    banded, bead-by-bead programme must equal where the band holds every cell."""
    import math
    from collections import Counter

    from mtqa.bilingual.alignment import _PRIORS, match_cost, unmatched

    def run(anchors, start, end):
        merged = Counter()
        for counts in (anchors or [])[start:end]:
            merged.update(counts)
        return merged

    n, m = len(source), len(target)
    cost = [[math.inf] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for (di, dj), p in _PRIORS.items():
                if (i, j) == (0, 0) or di > i or dj > j or cost[i - di][j - dj] == math.inf:
                    continue
                total = cost[i - di][j - dj] - math.log(p) + (skip_penalty if 0 in (di, dj) else 0.0)
                if di and dj:
                    total += match_cost(sum(source[i - di:i]), sum(target[j - dj:j]), model)
                left, right = run(source_anchors, i - di, i), run(target_anchors, j - dj, j)
                if anchor_weight and (left or right):
                    total += anchor_weight * unmatched(left, right)
                cost[i][j] = min(cost[i][j], total)
    return cost[n][m]


def test_the_banded_programme_finds_the_cheapest_alignment_of_the_full_table():
    import random
    from collections import Counter

    from mtqa.bilingual.alignment import align

    rng = random.Random(11)
    model = model_for("de", "en")
    for _ in range(300):
        n = rng.randint(1, 6)  # within the band: every cell of the table is in it
        m = max(1, n + rng.randint(-2, 2))
        source = [rng.choice([12, 40, 41, 90, rng.randint(1, 150)]) for _ in range(n)]
        target = [rng.choice([13, 44, 45, 99, rng.randint(1, 150)]) for _ in range(m)]
        anchored = rng.random() < 0.5
        source_anchors = [Counter(rng.choice(["Merkel", "12", ""]) for _ in range(1)) - Counter({"": 1})
                          for _ in range(n)] if anchored else None
        target_anchors = [Counter(rng.choice(["Merkel", "12", ""]) for _ in range(1)) - Counter({"": 1})
                          for _ in range(m)] if anchored else None
        weight = 1.5 if anchored else 0.0
        skip = rng.choice([0.0, 3.0])
        found = align(source, target, model, skip, source_anchors, target_anchors, weight)
        expected = _plain_gale_church(source, target, model, skip, source_anchors, target_anchors, weight)
        assert abs(found.cost - expected) < 1e-9, (source, target)
        covered = [(b.source_start, b.source_end, b.target_start, b.target_end) for b in found.beads]
        assert covered[0][0] == covered[0][2] == 0 and covered[-1][1] == n and covered[-1][3] == m
        assert all(a[1] == b[0] and a[3] == b[2] for a, b in zip(covered, covered[1:]))


def test_a_question_mark_tells_which_of_two_similar_sentences_was_dropped():
    # No names or numbers to go by, three sentences of about one length: the
    # kept question keeps its `?`, so the dropped one is the first.
    source = ("Die Stadt will das alte Schwimmbad im Sommer wieder öffnen. "
              "Wer aber bezahlt am Ende die teure Sanierung des Daches? "
              "Der Stadtrat berät am Abend erneut über den knappen Haushalt.")
    target = ("But who will pay for the costly repair of the roof in the end? "
              "The council will again discuss the tight budget in the evening.")
    (gap,) = gaps(source, target, "de", "en")
    assert gap.kind == "omission" and gap.source.text.startswith("Die Stadt will")
    assert (gap.start, gap.end) == (0, 0)
