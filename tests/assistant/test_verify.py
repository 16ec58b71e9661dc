"""The claim verifier: numbers compared as written (after unicode, spelling and units), never by value; each rule
shown on a clinical example of our own, the wrong claim dropped for its reason and its faithful twin kept; each
kind of perturbation caught against a real passage of the sample index; and the harness that measures it."""

from __future__ import annotations

import json
import time

import pytest

from assistant.compose import drug_like
from assistant.types import Passage
from assistant.verify import Verifier, drug_names, normalise, quantities, schedules
from evals.claims import evaluate_claims
from indexer.settings import LLMSettings, Settings
from indexer.terms import TermWeights
from indexer.vocabulary import Entry

from ..helpers import ROOT


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a loading dose of 4 mg/kg IV", ["4 mg/kg"]),
        ("in up to 20–40% of cases", ["under 20-40 %"]),  # an en dash; "up to" bounds it
        ("in up to 20 to 40 % of cases", ["under 20-40 %"]),
        ("every three weeks", ["3 week"]),  # a number word
        ("1 month, against 12 months", ["1 month", "12 month"]),
        ("≥1 earlier regimen", ["over 1"]),
        ("HER2-positive, stage IV", ["4"]),  # a stage is a figure: "stage III" for "stage IV" is a changed number
        ("a CDK4/6 inhibitor", []),  # part of a name, not a number
        # units written out, thousands separators and a bare decimal point, as patient-facing text writes them
        ("half of a 2.5 milligram (mg) tablet", ["2.5 mg"]),
        ("250 micrograms a day", ["250 mcg"]),
        ("600 international units (IU) daily, 800 IUs over 70", ["600 iu", "800 iu", "over 70"]),
        ("no more than 2,300 milligrams", ["under 2300 mg"]),
        ("start at .125 mg", ["0.125 mg"]),
        ("10 milligrams per kilogram", ["10 mg/kg"]),
        # bounds: which side of a value
        ("children younger than 12 years", ["under 12 year"]),
        ("adults aged 65 or older", ["over 65"]),
        ("between the ages of 40 and 74", ["40-74"]),
        ("most common in 50-to 70-year-olds", ["50-70"]),  # the hyphen of "50-year-olds" carried to the first
        ("in their late forties", ["40"]),  # decades written out, as "40s"
        ("if the next dose is a day or more away", ["over 1 day"]),
        # "15 or older" bounds 15, but in "over 15 and below 11" the "below" is the next number's
        ("in boys over 15 and below 11 g/dL", ["over 15", "under 11 g/dl"]),
        # a unit the table lacks, kept as written: "7.0 mg/dL" is not "7.0 mmol/L"
        ("7.0 mmol/L, 0.05 mcg/kg/min, 13 grams per deciliter", ["7.0 mmol/l", "0.05 mcg/kg/min", "13 g/dl"]),
        # not counts: a number word ending a name, "one" as a pronoun
        ("HbS-beta-zero thalassemia", []),
        ("one of the options; surgery is another", []),
        ("no one needs another course", []),
        ("a single application, then one more dose", ["1", "1"]),
        ("take ½ tablet, or 1/2 a tablet", ["0.5", "0.5"]),  # half of one, not 1 and 2
        ("bisoprolol 2,5 mg", ["2.5 mg"]),  # a decimal comma before a unit
        ("500 millilitres, then 1 litre", ["500 ml", "1 l"]),
        ("stage III and IV disease in the third trimester", ["3", "4", "3"]),  # stages and ordinals count
        ("for eighteen months", ["18 month"]),
    ],
)
def test_numbers_are_read_with_their_units(text, found):
    assert [str(q) for q in quantities(normalise(text))] == found


def test_value_is_not_normalised_away():
    assert [str(q) for q in quantities(normalise("4.0 mg/kg"))] == ["4.0 mg/kg"]  # not "4 mg/kg": as written


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("then 6 mg/kg every 3 weeks", ["every 3 weeks"]),
        ("3-weekly", ["every 3 weeks"]),
        ("reviewed every 6 to 12 months", ["every 6-12 months"]),
        ("weekly, or every other day", ["every week", "every 2 days"]),
        ("weekly, biweekly or fortnightly", ["every week", "every 2 weeks", "every 2 weeks"]),  # not "weekly"
        ("500 mg tds, 5 mg BID, q8h, 4-hourly", ["3 times a day", "2 times a day", "every 8 hours", "every 4 hours"]),
        ("every third week, twice-yearly", ["every 3 weeks", "2 times a year"]),
        ("once daily", ["every day"]),
        ("5 mg a day", ["every day"]),
        ("twice a week, or two times a week", ["2 times a week", "2 times a week"]),
        ("either once or twice daily", ["1-2 times a day"]),
        ("annually", ["every year"]),
        ("the rash settles within a week; treat for a month", []),  # durations, not schedules
    ],
)
def test_schedules_are_read_whether_written_with_digits_or_words(text, found):
    assert [str(s) for s in schedules(normalise(text))] == found


def test_british_and_american_spelling_read_alike():
    assert normalise("Tumour oestrogen levels normalise; haemoglobin; HER2/neu") == normalise(
        "tumor estrogen levels normalize; hemoglobin; HER2"
    )


def test_a_biomarker_named_in_a_drug_class_is_not_a_drug():
    vocabulary = [
        Entry("anti-her2 treatment", "trastuzumab", "class", "vocabulary.yaml"),
        Entry("first-degree relative", "mother", "class", "some-article"),  # found in a text: no drug among them
        Entry("aromatase inhibitor", "letrozole", "class", "some-article"),
    ]
    assert drug_names(vocabulary) == {"anti-her2 treatment", "trastuzumab", "aromatase inhibitor", "letrozole"}
    assert all(drug_like(d) for d in ("cabergoline", "bromocriptine", "alendronate", "haloperidol", "interferon"))
    assert all(drug_like(d) for d in ("atorvastatin", "dabigatran", "diltiazem", "ceftriaxone", "cephalexin"))
    assert not any(drug_like(w) for w in ("her2", "spine", "hormone", "mother"))


def passage(sentences: list[str], title: str = "Drug handbook") -> Passage:
    spans, offset = [], 0
    for s in sentences:
        spans.append((offset, offset + len(s)))
        offset += len(s) + 1
    return Passage(
        row=0, chunk_id="handbook/section#0", doc_id="handbook", section_id="handbook/section", title=title,
        section=(title, "Use"), text=" ".join(sentences), start=0, end=offset, sentences=tuple(spans),
        sentence_texts=tuple(sentences), citations=(),
    )  # fmt: skip


# Each rule on an example of our own: the passage, a faithful claim that must be kept, and a claim changed in one
# way that must be dropped for that reason. Every term weighs the same (no corpus), so coverage is a plain share.
RULES = {
    "dose and schedule together": (
        "number",
        ["Enoxaparin is given at 1 mg/kg every 12 hours for treatment; for prophylaxis, 40 mg once daily is used."],
        "For treatment, enoxaparin is given at 1 mg/kg every 12 hours.",
        "For treatment, enoxaparin is given at 1 mg/kg once daily.",
    ),
    "frequency in words": (
        "number",
        [
            "Blood pressure should be checked once a year in adults with normal readings, and twice a year in those "
            "with borderline readings."
        ],
        "Adults with normal readings should have their blood pressure checked once a year.",
        "Adults with normal readings should have their blood pressure checked twice a year.",
    ),
    "age bound": (
        "number",
        ["Annual influenza vaccination is advised for everyone aged 65 or older."],
        "Everyone aged 65 or older is advised to have an influenza vaccination every year.",
        "Everyone under 65 is advised to have an influenza vaccination every year.",
    ),
    "unit written out": (
        "number",
        ["The usual starting dose is .5 milligram (mg) at night, and the dose should not exceed 1,000 mg a day."],
        "The usual starting dose is 0.5 mg at night.",
        "The usual starting dose is 0.5 mcg at night.",
    ),
    "children and adults": (
        "population",
        ["Aspirin should be avoided in children because of the risk of Reye syndrome."],
        "Children should not be given aspirin because of the risk of Reye syndrome.",
        "Adults should not be given aspirin because of the risk of Reye syndrome.",
    ),
    "comparison turned round": (
        "population",
        ["Migraine is about three times more common in women than in men."],
        "Migraine is roughly three times more common in women than in men.",
        "Migraine is roughly three times more common in men than in women.",
    ),
    "receptor status": (
        "population",
        ["Trastuzumab is used only for HER2-positive breast cancer."],
        "Trastuzumab is used only for HER2-positive breast cancer.",
        "Trastuzumab is used only for HER2-negative breast cancer.",
    ),
    "hedge dropped": (
        "certainty",
        ["Long-term metformin use may cause vitamin B12 deficiency."],
        "Long-term use of metformin may lead to vitamin B12 deficiency.",
        "Long-term use of metformin leads to vitamin B12 deficiency.",
    ),
    "certainty added": (
        "certainty",
        ["Long-term metformin use may cause vitamin B12 deficiency."],
        "Long-term use of metformin may lead to vitamin B12 deficiency.",
        "Long-term use of metformin will lead to vitamin B12 deficiency.",
    ),
    "fact added": (
        "unsupported",
        ["Ondansetron is used to prevent nausea and vomiting caused by chemotherapy."],
        "Ondansetron is used to prevent nausea and vomiting caused by chemotherapy.",
        "Ondansetron is used to prevent nausea and vomiting caused by chemotherapy, and it also relieves migraine "
        "headaches.",
    ),
    "drug of another sentence": (
        "drug",
        ["Warfarin requires regular INR monitoring.", "Apixaban does not require routine coagulation monitoring."],
        "Apixaban needs no routine coagulation monitoring.",
        "Warfarin needs no routine coagulation monitoring.",
    ),
    "negation, however worded": (
        "negation",
        ["Early chronic kidney disease usually causes no signs or symptoms."],
        "Early chronic kidney disease usually does not cause symptoms.",
        "Early chronic kidney disease usually causes symptoms.",
    ),
    "negation of a common verb": (
        "negation",
        ["Codeine is not recommended or approved for children under 12 years."],
        "Codeine is not recommended for children under 12.",
        "Codeine is recommended for children under 12.",
    ),
    "direction of a change": (
        "negation",
        ["Grapefruit juice increases blood levels of simvastatin."],
        "Grapefruit juice raises simvastatin blood levels.",
        "Grapefruit juice lowers simvastatin blood levels.",
    ),
    "group named up front": (
        "population",
        [
            "In adults with fever, ibuprofen is a reasonable first choice.",
            "In young children with fever, paracetamol is preferred.",
        ],
        "In young children with fever, paracetamol is preferred.",
        "In adults with fever, paracetamol is preferred.",
    ),
    "opposite word": (
        "negation",
        ["Weight loss is common in the first months of treatment with topiramate."],
        "Weight loss is common early in topiramate treatment.",
        "Weight gain is common early in topiramate treatment.",
    ),
    "group of one word up front": (
        "population",
        ["In women, low ferritin is the commonest cause of hair thinning.", "In men, it is rarely the cause."],
        "In women, low ferritin is the commonest cause of hair thinning.",
        "In men, low ferritin is the commonest cause of hair thinning.",
    ),
    "one of two alternatives": (
        "negation",
        ["A booster is offered when there has been no previous dose or it was given more than 10 years ago."],
        "A booster is offered when the previous dose was given more than 10 years ago.",
        "A booster is offered when there has been a previous dose.",
    ),
    "figures of two groups swapped": (
        "population",
        [
            "Iron deficiency is diagnosed in men when ferritin is below 30 ng/mL and in women when it is below "
            "15 ng/mL."
        ],
        "Iron deficiency is diagnosed when ferritin is below 30 ng/mL in men and below 15 ng/mL in women.",
        "Iron deficiency is diagnosed when ferritin is below 30 ng/mL in women and below 15 ng/mL in men.",
    ),
    "one of two options": (
        "number",
        ["Options are a short course of oral steroids, or two weeks of inhaled steroids at a high dose."],
        "One option is a short course of oral steroids; another is inhaled steroids at a high dose.",
        "One option is a short course of oral steroids; another is inhaled steroids at a high dose for 3 weeks.",
    ),
    "a drug sharing the start of another's name": (
        "drug",
        ["Hydroxychloroquine is used for the skin disease of lupus."],
        "Hydroxychloroquine treats the skin disease of lupus.",
        "Hydroxyurea treats the skin disease of lupus.",
    ),
    "a drug named only inside a longer name": (
        "drug",
        ["Trastuzumab emtansine is given at 3.6 mg/kg every 3 weeks."],
        "Trastuzumab emtansine is given at 3.6 mg/kg every 3 weeks.",
        "Trastuzumab is given at 3.6 mg/kg every 3 weeks.",
    ),
    "route turned round": (
        "negation",
        ["Enoxaparin is given by subcutaneous injection."],
        "Enoxaparin is given as a subcutaneous injection.",
        "Enoxaparin is given as an intravenous injection.",
    ),
    "comparison turned round against the same thing": (
        "negation",
        ["Apixaban causes less major bleeding than warfarin."],
        "Apixaban leads to less major bleeding than warfarin.",
        "Apixaban leads to more major bleeding than warfarin.",
    ),
    "schedule abbreviated": (
        "number",
        ["Amoxicillin 500 mg is taken three times a day for 5 days."],
        "Amoxicillin 500 mg is taken tds for 5 days.",
        "Amoxicillin 500 mg is taken bid for 5 days.",
    ),
    "a unit the table lacks": (
        "number",
        ["Diabetes is diagnosed with a fasting plasma glucose of 7.0 mmol/L or higher."],
        "A fasting plasma glucose of 7.0 mmol/L or more establishes diabetes.",
        "A fasting plasma glucose of 7.0 mg/dL or more establishes diabetes.",
    ),
    "a list, one item a sentence": (
        "drug",
        [
            "Treatment of iron deficiency anaemia may include the following:",
            "Oral iron tablets.",
            "Intravenous iron.",
            "Blood transfusion.",
        ],
        "Iron deficiency anemia may be treated with oral iron tablets, intravenous iron or a blood transfusion.",
        "Iron deficiency anemia may be treated with oral iron tablets, intravenous iron or erythropoietin.",
    ),
}


@pytest.fixture(scope="module")
def verifier(embedder):
    vocabulary = [
        Entry("anti-her2 treatment", "trastuzumab", "class", "vocabulary.yaml"),
        Entry("anti-her2 treatment", "trastuzumab emtansine", "class", "vocabulary.yaml"),
    ]
    return Verifier(
        TermWeights({}, 100),
        lambda texts: embedder.encode(list(texts)),
        min_similarity=0.6,
        min_coverage=0.5,
        drug_names=drug_names(vocabulary),
    )


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_drops_the_changed_claim_and_keeps_its_faithful_twin(verifier, rule):
    reason, sentences, faithful, changed = RULES[rule]
    kept, dropped = verifier.verify([(faithful, (1,)), (changed, (1,))], [passage(sentences)])
    assert kept.kept, kept.detail
    assert dropped.reasons == [reason], dropped.detail


def test_a_full_vector_cache_never_loses_a_vector_still_in_use(embedder, monkeypatch):
    """A long-running server fills the shared sentence-vector cache; emptying it while a check still needed
    vectors embedded earlier raised KeyError. With room for a handful of texts, every rule gives the same
    verdicts as with room for all."""
    import assistant.compose

    def verdicts() -> list[tuple[bool, list[str]]]:
        fresh = Verifier(
            TermWeights({}, 100), lambda texts: embedder.encode(list(texts)), min_similarity=0.6, min_coverage=0.5
        )
        out = []
        for _, sentences, faithful, changed in RULES.values():
            checked = fresh.verify([(faithful, (1,)), (changed, (1,))], [passage(sentences)])
            out += [(v.kept, v.reasons) for v in checked]
        return out

    roomy = verdicts()
    monkeypatch.setattr(assistant.compose, "VECTOR_CACHE", 6)
    assert verdicts() == roomy


def test_claims_built_to_be_slow_to_check_are_checked_in_seconds(verifier):
    """A model's answer (or a passage planted in the corpus) can be shaped against the checks: a sentence of
    hundreds of clauses against a claim of forty parts took 233 s, a 20,000-digit number 15 s, a claim
    listing a hundred doses in another order 10 s. A check that slow is a hang to the clinician waiting."""
    clauses = "Aspirin helps " + ", ".join(f"item{i} word{i}" for i in range(150)) + "."
    alien = "Aspirin helps item1 word1, " + ", ".join(f"zebra{i} quokka{i}" for i in range(40)) + "."
    doses = list(range(1, 101))
    listed = "Doses used were " + ", ".join(f"drug level {n} mg" for n in doses) + "."
    reordered = "Doses used were " + ", ".join(f"drug level {n} mg" for n in doses[::2] + doses[1::2]) + "."
    digits = "Aspirin reduces the risk " + "1" * 20000 + " of stroke."
    cases = [
        ([clauses], alien, False),
        ([listed], reordered, True),
        (["Aspirin reduces the risk of stroke."], digits, False),
    ]
    for sentences, claim, kept in cases:
        start = time.perf_counter()
        (verdict,) = verifier.verify([(claim, (1,))], [passage(sentences)])
        assert time.perf_counter() - start < 15, claim[:60]
        assert verdict.kept is kept, verdict.detail


def test_a_claim_may_merge_adjacent_sentences_but_not_far_ones(verifier):
    sentences = [
        "Lithium has a narrow therapeutic range.",
        "Serum levels are checked every 3 months once stable.",
        "Thyroid and kidney function are tested before starting.",
        "Dehydration and NSAIDs can raise lithium levels.",
        "Patients should carry a treatment card.",
        "Thyroid function is then tested every 6 months.",
    ]
    merged = "Lithium has a narrow therapeutic range, so serum levels are checked every 3 months once stable."
    far = "Lithium has a narrow therapeutic range, so thyroid function is tested every 6 months."
    kept, dropped = verifier.verify([(merged, (1,)), (far, (1,))], [passage(sentences)])
    assert kept.kept, kept.detail
    assert kept.sentence in (0, 1)  # cited by a sentence it rests on
    assert not dropped.kept


PERTURBED = {
    "number": "Trastuzumab starts with a loading dose of 6 mg/kg IV over 90 minutes.",
    "drug": "Do not combine anthracyclines with tamoxifen because together they raise the risk of cardiotoxicity.",
    "negation": "Combine anthracyclines with trastuzumab because together they raise the risk of cardiotoxicity.",
    "citation": "Bone is the commonest site of metastatic spread, at 51%.",
}
FAITHFUL = [
    "Trastuzumab is started with a loading dose of 4 mg/kg IV over 90 minutes.",
    "Anthracyclines should not be combined with trastuzumab, because together they raise the risk of cardiotoxicity.",
]
PASSAGE = "Trastuzumab starts with a loading dose"


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    folder = tmp_path_factory.mktemp("claims")
    rows = [{"id": f"f{i}", "claim": c, "cites": PASSAGE, "label": "faithful"} for i, c in enumerate(FAITHFUL)]
    rows += [
        {"id": k, "claim": c, "cites": PASSAGE, "source": "Bone is the commonest site", "label": "perturbed",
         "perturbation": k}
        for k, c in PERTURBED.items()
    ]
    (folder / "claims.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return folder


def test_each_perturbation_is_caught_and_faithful_claims_kept(sample_index, embedder, small_set):
    result = evaluate_claims(sample_index, small_set, Settings(), embedder=embedder)
    assert result["by_kind"] == {
        "faithful": {"kept": 2, "of": 2},
        **{k: {"caught": 1, "of": 1} for k in PERTURBED},
    }
    assert result["precision"] == 1.0 and result["recall"] == 1.0
    assert result["dropped_by_reason"] == {"number": 2, "drug": 1, "negation": 1}  # 51% is not in that passage


def test_thresholds_decide_what_counts_as_support(sample_index, embedder, small_set):
    strict = Settings().replace(llm=LLMSettings(min_similarity=0.99))
    result = evaluate_claims(sample_index, small_set, strict, embedder=embedder)
    assert result["by_kind"]["faithful"] == {"kept": 0, "of": 2}  # paraphrases fall below 0.99
    assert result["faithful_dropped"][0]["reason"] == "unsupported"


def test_the_committed_labelled_set_is_balanced_and_large_enough():
    rows = [json.loads(line) for line in (ROOT / "evals/datasets/claims/claims.jsonl").read_text().splitlines()]
    kinds = [r.get("perturbation", "none") for r in rows if r["label"] == "perturbed"]
    assert len(rows) >= 100 and len(kinds) == len(rows) - len(kinds)
    assert {k: kinds.count(k) for k in set(kinds)} == {"number": 14, "drug": 14, "negation": 14, "citation": 14}
    assert len({r["id"] for r in rows}) == len(rows)
