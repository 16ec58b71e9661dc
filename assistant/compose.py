"""Extractive, cited answers: the passages' own sentences, verbatim, each marked with its citation.

No sentence is written by us: the answer is chosen sentences of retrieved passages, whitespace
normalised and stripped of the article's own citation markers (whose numbers are replaced by ours,
with the article's reference entries carried inside each citation). Three steps, docs/answers.md:

1. **Coverage.** The question's salient terms (after spelling and vocabulary, see understand.py) must be
   in the evidence: a term the corpus never mentions is named in a plain-words abstention ("The indexed
   guidelines do not mention pembrolizumab."); a passage is evidence only when it holds enough of the
   question's terms together (idf-weighted) and is close to it in meaning.
2. **Sentences.** Each sentence of the evidence is scored by its meaning (cosine of its embedding to the
   question's) and by the question's terms it holds; sentences about a contradicting subgroup
   (HER2-negative when the question says HER2-positive, ...) and heading fragments are left out.
3. **Order.** The best sentence first, then others only when nearly as good; a sentence from another
   document than the article open is labelled with that document's title.

`Composer` is the seam: the assistant is given one (`Assistant(..., composer=...)`) or builds the one
`AnswerSettings.composer` names from `COMPOSERS`. Another composer (an LLM behind claim verification)
is a class with the same `compose` plus one line in `COMPOSERS`.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from indexer.errors import SettingsError
from indexer.settings import AnswerSettings, Settings
from indexer.terms import TermWeights, content_terms, matches, zipf
from indexer.text import normalize_space, strip_markers

from .converse import ASPECTS, moves_on
from .types import Answer, Citation, Passage, Request, UsedSentence
from .understand import ASKS_FOR, COMMON_ZIPF, UBIQUITOUS

if TYPE_CHECKING:
    from .index import SearchIndex

NOT_COVERED = "The indexed guidelines do not cover this question."

# Words that frame a question without saying what it is about.
QUESTION_WORDS = frozenset(
    content_terms(
        """say says said guideline guidelines article text tell know information info mention mentioned
        regarding whats what's hows current latest advice advise suggest suggested suggestion approach
        question questions answer answers okay ok please thanks hi hello wondering someone anything
        something thing things kind sort way ways need needs want wants look looking like one ones go goes
        going away come comes take takes taking make makes happen happens work works matter matters worth
        reasonable fine likely different same else already still really actually mean means case diff incl
        switching switch usually usual often typically typical commonly generally normally mostly sometimes
        quite rather fairly somewhat slightly extremely bit fraction proportion percentage percent portion ratio"""
    )
)
# Aspects a question often leaves implied ("first-line for TNBC?"): they rank sentences but weigh little
# in coverage. Specific aspects (dose, schedule, duration, ...) weigh fully: "What is the dose of X?"
# is not answered by a sentence about X without a dose.
GENERIC_ASPECTS = frozenset(
    content_terms(
        """treatment treatments treat treated therapy therapies first second line lines option options use used
        given give recommended management manage best standard preferred role indicated indication
        patients patient women men people disease cancer tumour tumours tumor tumors approach choice choose
        start started modality modalities candidate candidates eligible eligibility qualify qualifies suitable
        suitability comers"""
    )
)
GENERIC_WEIGHT = 0.25
HEAD_WORDS = frozenset(content_terms("tumour tumours tumor tumors cancer cancers disease"))  # never topics
_POPULATION = frozenset(content_terms("men man male males women woman female females"))  # see _SUBGROUPS
SPECIFIC_ASPECTS = frozenset(
    content_terms("dose doses dosing dosage schedule duration interval frequency years months weeks cutoff")
)
_DOSING = frozenset(content_terms("dose doses dosing dosage schedule"))  # what only a named drug has
ASKED_BY_WH = frozenset(content_terms("age"))  # "what age ...?" wants an age
# "Which drugs ...?" is answered by a passage naming drugs, not the word: any drug or class the vocabulary
# names covers these words.
ANY_DRUG = frozenset(content_terms("drug drugs medication medications medicine medicines"))
FOCUS_WEIGHT = 2.0  # the word a "which ...?" question asks for counts double in a sentence
LEAD_BONUS = 0.05  # a section's first sentence usually states its key claim
# A word the corpus never uses is named in an abstention only when it looks like what a question is about:
# a term of the vocabulary, a word rare in general English (wordfreq's Zipf scale: under ENTITY_ZIPF,
# about one use in 100,000 words: "fulvestrant" 1.2, "aspirin" 3.3, "prostate" 3.7, against "worth" 5.2,
# "painful" 4.3), a drug or disease by its ending, or the word before "cancer", "disease", ...; other
# unknown words are ordinary English the evidence need not repeat.
ENTITY_ZIPF = 4.0
# Drug names by their ending: mostly the WHO INN / USAN stems that name a drug's class ("-mab" monoclonal
# antibodies, "-dronate" bisphosphonates, "-goline" ergoline dopamine agonists, "-peridol"/"-peridone"
# antipsychotics, "-thyronine"/"-thyroxine" thyroid hormones, "-sone"/"-olone" corticosteroids, ...).
_DRUG = re.compile(
    r"(mab|nib|lisib|ciclib|platin|taxel|rubicin|mycin|trozole|azole|oxifen|ifene|relin|rorelin|stat|pril|sartan|"
    r"olol|vir|cillin|cycline|floxacin|parin|xaban|gliptin|glutide|tecan|mustine|fosfamide|tabine|fluridine|"
    r"strant|parib|lutamide|semide|(?<!s)pine|zepam|tinib|limus|ciclib|lisib|deruxtecan|vedotin|govitecan|"
    r"tansine|dronate|dronic|goline|criptine|peridol|peridone|perazine|promazine|clopramide|thyronine|thyroxine|"
    r"sone|olone|gestrel|farin|dogrel|sugrel|grelor|grelide|feron|formin|setron|triptan|afil|gliflozin|"
    r"glitazone|lukast|thiazide|tidine|pamil|caine|profen|coxib|penem|citonin|poetin|poietin|methyldopa|levodopa|"
    r"statin|gatran|tiazem)$"
)
_DRUG_PREFIX = re.compile(r"(?:cef|ceph)[a-z]{4,}$")  # the cephalosporins: cefazolin, ceftriaxone, cephalexin


def drug_like(term: str, vocabulary_terms: frozenset[str] = frozenset()) -> bool:
    """A drug by the vocabulary (a class member, a brand) or by its name's ending."""
    return bool(_DRUG.search(term) or _DRUG_PREFIX.match(term)) or term in vocabulary_terms


# Words that say something of the word before them rather than being qualified by it: "ultrasound
# better?" asks about ultrasound.
_PREDICATES = frozenset(
    content_terms(
        """better worse safer riskier preferable preferred ok okay fine good bad enough useful helpful
        necessary needed required possible appropriate reasonable accurate reliable effective"""
    )
)
_DISEASE = re.compile(r"(oma|itis|emia|aemia|osis|pathy|plasia|ectomy|otomy)$")
_MODIFIER = re.compile(r"(able|ible|ful|ous|ier|iest|less|ish|ed|en)$")  # adjectives, participles, verbs
# "ca" is cancer after a word ("prostate ca"), but not in a marker's name ("CA 15-3") nor calcium ("urine ca raised")
_CA = r"ca(?![\s-]*\d)(?!\s+(?:raised|high|low|levels?|is|was)\b)"
_HEAD = rf"(cancers?|{_CA}|tumou?rs?|disease|syndrome|carcinoma|neoplasm|malignancy|leuka?emia|lymphoma)"
# What people take or eat: the word before one of these names it ("soy foods", "green tea", "fish oil
# supplements"), however short or common the word is.
_INTAKE = r"(foods?|diets?|supplements?|products?|intake|consumption|teas?|extracts?|oils?|juices?|drinks?|milk)"

OUT_OF_SCOPE = 0.8  # sentence score factor for another document's sentences when the open article has evidence

# Subgroups a question can name whose sentences contradict each other's: when a question names one side
# of a pair (and not the other), sentences naming only the other side are left out of the answer.
SUBGROUPS: tuple[tuple[str, str], ...] = (
    (r"her2(/neu)?[- ]?positive|her2\+", r"her2(/neu)?[- ]?negative|her2-(?!positive)"),
    (r"premenopausal|pre-menopausal", r"postmenopausal|post-menopausal"),
    (r"\b(men|man|males?|boys?)\b", r"\b(women|woman|females?|girls?)\b"),
    (r"\b(child|children|childhood|pa?ediatric|infants?|boys?|girls?)\b", r"\b(adults?|adulthood)\b"),
    (r"\bmild(ly)?\b", r"\b(moderate|severe)(ly)?\b"),
    (r"triple[- ]negative", r"hormone receptor[- ]positive|\ber[- ]?positive|her2[- ]?positive"),
    (r"hormone receptor[- ]positive|\bhr\+|\ber[- ]?positive", r"triple[- ]negative"),
    (r"early[- ]stage|stage (i|ii|1|2)\b", r"late[- ]stage|stage (iii|iv|3|4)\b|advanced"),
    (r"first[- ]line", r"second[- ]line|later lines?"),
    (r"node[- ]positive", r"node[- ]negative"),
    (
        r"(?<!after the )(first|1st) (trimester|(3|three) months)|early pregnancy",
        r"(second|third|2nd|3rd) trimester|after the (first|1st) ((3|three) months|trimester)|later in pregnancy",
    ),
    (
        r"estrogen[- ]only|estrogen alone",
        r"combin\w* (hormone|hrt|one|therapy|pill)|estrogen (with|plus) progest(in|ogen)\b"
        r"|\b(with|w/|w|plus)\s*progest(in|ogen)\b",
    ),
)
_SUBGROUPS = [(re.compile(x, re.I), re.compile(y, re.I)) for a, b in SUBGROUPS for x, y in ((a, b), (b, a))]


class Composer(Protocol):
    def compose(self, request: Request, passages: list[Passage], disclaimer: str) -> Answer:
        """An answer to `request` from `passages` (retrieved for `request.query`), citing them, or an abstention."""
        ...


@dataclass
class _Candidate:
    score: float
    semantic: float
    lexical: float
    rank: int  # the passage's rank among the evidence
    position: int  # the sentence's position in its passage
    passage: Passage
    span: tuple[int, int]
    text: str
    factor: float = 1.0  # below 1 for a sentence about what an "anything else?" follow-up moves beyond


class ExtractiveComposer:
    def __init__(
        self,
        weights: TermWeights,
        settings: AnswerSettings | None = None,
        encode: Callable[[Sequence[str]], np.ndarray] | None = None,
    ) -> None:
        self.weights = weights
        self.settings = settings or AnswerSettings()
        self.encode = encode  # sentence embeddings for semantic ranking; None: terms alone
        self._vectors: dict[str, np.ndarray] = {}  # sentence text -> unit vector, bounded

    # -- coverage ----------------------------------------------------------------------------------

    def _salient(self, request: Request) -> dict[str, float]:
        """Terms the evidence must hold, with their weights (idf). Generic aspects and what the question
        states about the patient ("at 8 weeks", "started at 10") weigh little: the evidence need not repeat
        them."""
        n = max(self.weights.n, 1)
        stated = _stated(request.corrected)
        own = {}
        timing = _timing(request)
        for t in content_terms(request.corrected):
            if _frames(request, t) or self.weights.df.get(t, 0) / n > UBIQUITOUS:
                continue
            if timing and t in _TIMING_WORDS:
                continue  # "long" of "how long" asks for a time, not for the word
            if not self._known(request, t) and (t in stated or not self._entity_like(request, t)):
                continue  # an unknown ordinary word says nothing the evidence must repeat
            light = t in GENERIC_ASPECTS or t in stated
            own[t] = self._weight(request, t) * (GENERIC_WEIGHT if light else 1.0)
        return own

    def _asked_aspects(self, request: Request, salient: dict[str, float]) -> frozenset[str]:
        """What the answer must speak of: the specific aspects the question asks for ("dose", "how many
        years"), not ones it states, and "what age" (a "which ...?" noun in general is no requirement: "which
        regimen" is answered by a sentence naming the regimen, not the word)."""
        stated = _stated(request.corrected)
        focus = _focus(request.corrected)
        wanted = SPECIFIC_ASPECTS | ({focus} & ASKED_BY_WH)
        return frozenset(t for t in salient if t in wanted and t not in stated and self.weights.knows(t))

    def _alternatives(self, request: Request, term: str) -> list[tuple[str, ...]]:
        return [(term,), *request.alternatives.get(term, [])]

    def _covered(self, request: Request, term: str, have: Sequence[str] | set[str]) -> bool:
        """The passage says the term, or all of an alternative's words but those in most passages ("TNBC"
        is said by "triple-negative" in a breast cancer corpus)."""
        for alt in self._alternatives(request, term):
            specific = [x for x in alt if not self._ubiquitous(x)] or list(alt)
            if all(matches(x, have) for x in specific):
                return True
        return term in ANY_DRUG and any(t in request.vocabulary_terms for t in have)

    def _held(self, request: Request, term: str, have: Sequence[str]) -> float:
        """How much of the term a sentence says, for ranking: 1 when covered, else the largest share of the
        specific words of one of its alternatives ("leuprolide" = "LHRH analogue": "LHRH agonist" says half)."""
        if self._covered(request, term, have):
            return 1.0
        shares = [0.0]
        for alt in request.alternatives.get(term, []):
            # generic words ("treatment" of "initial treatment") say nothing of the term on their own
            specific = [x for x in alt if not self._ubiquitous(x) and x not in GENERIC_ASPECTS]
            # only for words the corpus has: "trastuzumab" is not half of "trastuzumab deruxtecan"
            if len(specific) >= 2 and all(self.weights.knows(x) for x in specific):
                shares.append(sum(matches(x, have) for x in specific) / len(specific))
        return max(shares)

    def _ubiquitous(self, term: str) -> bool:
        return self.weights.df.get(term, 0) / self.weights.n > UBIQUITOUS

    def _known(self, request: Request, term: str) -> bool:
        return any(all(self.weights.knows(x) for x in alt) for alt in self._alternatives(request, term))

    def _entity_like(self, request: Request, term: str) -> bool:
        """Whether a word the corpus lacks is what the question is about (see ENTITY_ZIPF), not a modifier
        of a word the corpus has ("mantle radiation", "favourable prognostic factors")."""
        if term in request.vocabulary_terms:
            return True
        if term in ASPECTS or term in GENERIC_ASPECTS or term.isdigit():
            return False
        words = _words_for(request.corrected, [term])
        word = words[0].split()[0] if words else term  # the word itself, without a head noun after it
        if len(term) >= 3 and re.fullmatch(r"[A-Z][A-Z0-9-]*[A-Z0-9]|[a-z]{1,3}[A-Z][A-Za-z0-9-]*", word):
            return True  # an acronym or a gene, test or score as written: "MRI", "RFA", "ctDNA", "PALB2"
        if re.search(rf"\b{re.escape(word)}[\s-]+{_INTAKE}\b", request.corrected, re.I):
            return True
        if re.fullmatch(r"[a-z]-[a-z]{3,}", word.lower()):
            return True  # a letter and a word name a thing: "x-ray", "c-section", "t-cell"
        if word.lower() in _effect_subject(request.corrected) & _effect_subject(request.question):  # as typed
            return True  # what "does smoking raise the risk?" asks about, however everyday the word
        if len(term) < 4:
            return False  # a short lower-case word ("zap", "pts") is chatter or shorthand, not a subject
        if _DRUG.search(term) or _DISEASE.search(term):
            return True
        if _MODIFIER.search(word.lower()):
            return False  # "favourable", "nastier", "sequenced", "worsen": they qualify what is asked about
        if self._unknown_pair(request, term):
            return True  # two everyday words the corpus lacks, side by side, name a thing: "hair loss"
        if re.search(rf"\b{re.escape(term)}\w*[\s-]+{_HEAD}\b", request.corrected, re.I):
            return True  # a disease of its own: "prostate ca", "pancreatic cancer"
        if zipf(word.lower()) >= COMMON_ZIPF and self._modifies_known(request, term):
            return False  # a rare word names a thing of its own however it is used ("leptomeningeal spread")
        return zipf(word.lower()) < ENTITY_ZIPF

    def _unknown_pair(self, request: Request, term: str) -> bool:
        """The word next to `term` in the question is also a content word the corpus lacks ("night shift")."""
        stems = _stemmed(request.corrected)[1]
        for i, st in enumerate(stems):
            if st != term:
                continue
            for j in (i - 1, i + 1):
                other = stems[j] if 0 <= j < len(stems) else None
                if other is None or len(other) < 3 or other.isdigit() or other in GENERIC_ASPECTS:
                    continue
                if not _frames(request, other) and not self._known(request, other):
                    return True
        return False

    def _modifies_known(self, request: Request, term: str) -> bool:
        """The word right after `term` in the question is one the corpus knows: `term` qualifies it."""
        stems = _stemmed(request.corrected)[1]
        for st, after in zip(stems, stems[1:], strict=False):
            if st == term:
                if after is None or after in ASPECTS or after in GENERIC_ASPECTS or after in _PREDICATES:
                    return False
                return self._known(request, after)
        return False

    def _is_topic(self, request: Request, term: str) -> bool:
        """A topic term, or one whose vocabulary alternative is ("pregnant" ~ "pregnancy"); never a head word
        ("tumour" names what every passage is about)."""
        if term in HEAD_WORDS:
            return False
        if term in _acronyms(request.corrected) and self.weights.knows(term):
            return True  # a test, marker or regimen written as an acronym ("PET-CT", "LVEF"): named, not a word
        return any(all(x in request.topics for x in alt) for alt in self._alternatives(request, term))

    def _weight(self, request: Request, term: str) -> float:
        """idf of the term, or of the most specific word of the alternative the corpus knows it by."""
        if self.weights.df.get(term, 0) > 0:
            return self.weights.idf(term)
        known = [alt for alt in self._alternatives(request, term) if all(self.weights.df.get(x, 0) for x in alt)]
        if not known:
            return self.weights.idf(term)
        return max(max(self.weights.idf(x) for x in alt) for alt in known)

    def coverage(
        self, request: Request, salient: dict[str, float], have: Sequence[str], asked: frozenset[str] = frozenset()
    ) -> tuple[float, float, bool]:
        """How much of the question a passage holds: (its idf-weighted share of the salient terms, its share
        of the question's topics, whether it holds every specific aspect asked).

        Topics (drugs, conditions, populations: the corpus's own names) count alike, however common, so
        "trastuzumab in pregnancy" wants both. A specific aspect ("dose", "how long") is the point of
        the question: a passage without it does not answer. A follow-up's borrowed topic terms ("Is it
        safe?" after a trastuzumab question) count as one more term of half the average weight, held when
        the passage holds any of them; when the question refers back with a pronoun, as one more topic too.
        """
        have_set = set(have)
        covered = {t for t in salient if self._covered(request, t, have_set)}
        total = sum(salient.values())
        held = sum(w for t, w in salient.items() if t in covered)
        n = max(self.weights.n, 1)
        borrowed = [
            t for t in request.borrowed_topics if t not in salient and self.weights.df.get(t, 0) / n <= UBIQUITOUS
        ]
        topic_hits = [t in covered for t in salient if self._is_topic(request, t)]
        if borrowed:
            weight = 0.5 * (total / len(salient) if salient else 1.0)
            total += weight
            earlier = any(matches(t, have_set) for t in borrowed)
            held += weight if earlier else 0.0
        if request.refers_back and request.subject:  # what "it" points at is a topic of the question too
            topic_hits.append(any(matches(t, have_set) for t in request.subject))
        weighted = held / total if total else 1.0
        topic_share = sum(topic_hits) / len(topic_hits) if topic_hits else 1.0
        aspects = all(t in covered for t in asked)
        return weighted, topic_share, aspects

    # -- composing ---------------------------------------------------------------------------------

    def compose(self, request: Request, passages: list[Passage], disclaimer: str) -> Answer:
        s = self.settings
        salient = self._salient(request)
        # a status the vocabulary says in other words ("HER2-amplified" = HER2-positive) is not unknown
        compounds = [
            c for c in _compounds(request.corrected, passages) if not request.alternatives.get(content_terms(c)[-1])
        ]
        for compound in compounds:
            salient[compound] = self.weights.idf(compound)  # "HER2-low": each word known, the status not
        asked = self._asked_aspects(request, salient)
        own_weight = sum(salient.values())
        within = {t for c in compounds for t in content_terms(c)}  # "amplify" of "HER2-amplified": said by it
        unknown = [t for t in salient if t in compounds or (t not in within and not self._known(request, t))]
        unknown_share = sum(salient[t] for t in unknown) / own_weight if own_weight else 0.0
        # A drug or a status the corpus never names: nothing it says is about that drug or that subgroup
        # ("HER2-low"), however much else is asked.
        drug = any(self._drug(request, t) or t in compounds for t in unknown)
        clauses = _clauses(request.corrected)
        unmentioned: list[str] = []
        if unknown and (unknown_share >= s.max_unknown or drug) and len(clauses) > 1:
            # A question of several parts ("bisphosphonates vs denosumab?", "... ? and can she breastfeed?")
            # is answered in the parts the corpus knows; the others are named.
            absent = [self._unmentioned(request, salient, c) for c in clauses]
            unmentioned = [
                t for c, no in zip(clauses, absent, strict=True) if no for t in unknown if t.lower() in _keys(c)
            ]
            # a status qualifies every part ("HER2-low MBC, is T-DXd an option?"): never set aside; nor a drug
            # whose dose is asked when no other drug is named ("started capecitabine, what dose?")
            kept_keys = {k for c, no in zip(clauses, absent, strict=True) if not no for k in _keys(c)}
            dosed = bool(asked & _DOSING & kept_keys) and any(self._drug(request, t) for t in unmentioned)
            named_drug = any(self._drug(request, t) for t in salient if t not in unmentioned and t in kept_keys)
            aside = {k for c, no in zip(clauses, absent, strict=True) if no for k in _keys(c)}
            own = not any(_POINTS_BACK.search(c) for c, no in zip(clauses, absent, strict=True) if not no)
            about_aside = self._points_to_unknown(request, salient, clauses, absent)
            if (
                not all(absent)
                and not any(t in compounds for t in unmentioned)
                and (named_drug or not dosed)
                and not about_aside
            ):
                # the part set aside takes its own words with it: "what dexamethasone dose" asks for no dose
                # of anything else
                rest = {
                    t: w
                    for t, w in salient.items()
                    if t not in unmentioned and (t in kept_keys or t.lower() not in aside)
                }
                # ... when what is left names a subject of its own: "bone mets: bisphosphonate or denosumab, what
                # dose?" is not "what dose?", nor "is PET-CT used? and is it safe in pregnancy?" about pregnancy
                if own and any(self._is_topic(request, t) for t in rest):
                    salient = rest
                else:
                    salient = {t: w for t, w in salient.items() if t not in unmentioned}
                unknown = [t for t in unknown if t not in unmentioned]
                unknown_share, drug = 0.0, False
                asked = asked & set(salient)
        if unknown and (unknown_share >= s.max_unknown or drug):
            names = _words_for(request.corrected, unknown)
            return self._abstain(
                request,
                passages,
                disclaimer,
                f"The indexed guidelines do not mention {_join(names)}.",
                f"{_join(names)} {'does' if len(names) == 1 else 'do'} not occur in any indexed passage",
                missing=names,
            )
        answers: dict[str, bool] = {}
        # Every word of the question is one the corpus uses (none was set aside as ordinary English): a
        # passage holding all of them is evidence at a lower similarity ("what about exercise?" after an
        # alcohol question is far in meaning from a long list that ends "... and enough exercise").
        plain = all(
            self._known(request, t) or _frames(request, t) or t.isdigit() for t in content_terms(request.corrected)
        )
        for p in passages:
            answers[p.chunk_id], p.overlap = self._evidence(request, p, salient, asked, plain)
        evidence = [p for p in passages if answers[p.chunk_id]]
        asked_in_full = salient
        if not evidence and len(clauses) > 1:
            # No passage holds a question of several parts ("when can chemo start? and should the last dose
            # be before 35 weeks?"): the parts asked as questions that evidence answers on their own are
            # answered, and the others named as not answered (below).
            parts = [(c, {t: w for t, w in salient.items() if t.lower() in _keys(c)}) for c in clauses]
            # a part setting the scene qualifies every other: the topics it names must be in a part's evidence
            # too ("pregnant at 20 weeks, can she have a PET-CT?" is not answered by the staging sentence);
            # men or women are left to the subgroup rules (_choose), which know "man" is "men"
            scene = [
                t
                for c in clauses
                if not _ASKS.search(c)
                for t in salient
                if t.lower() in _keys(c) and self._is_topic(request, t) and t not in _POPULATION
            ]
            held = {
                c: [
                    p
                    for p in passages
                    if self._evidence(request, p, part, asked & set(part))[0]
                    and all(self._covered(request, t, set(_terms(p))) for t in scene)
                ]
                for c, part in parts
                if _ASKS.search(c) and not _POINTS_BACK.search(c) and any(self._is_topic(request, t) for t in part)
            }
            if any(held.values()) and not all(held.get(c) for c, _ in parts):
                evidence = [p for p in passages if any(p in e for e in held.values())]
                salient = {t: w for c, part in parts if held.get(c) for t, w in part.items()}
                asked = asked & set(salient)
        timing = _timing(request)
        if timing and evidence:
            # "how long ...?", "how often ...?": a passage answers only with a sentence that gives a time and
            # speaks of what is asked about; "Obesity and drinking alcohol are risk factors" is no duration.
            stated = [p for p in evidence if any(self._gives(request, salient, timing, t) for t in _texts(p))]
            if not stated:
                about = [t for t in salient if t not in GENERIC_ASPECTS] or list(salient)
                names = _words_for(request.corrected, about)
                nouns = _join([TIMING_NOUNS[k] for k in timing])
                text = f"The indexed guidelines do not give {nouns}" + (f" for {_join(names)}." if names else ".")
                return self._abstain(
                    request, passages, disclaimer, text, f"no evidence sentence gives {nouns}", missing=names
                )
            evidence = stated
        # A question naming a section's heading and nothing else (the app's suggestions) keeps that section
        # among the evidence however far down it was retrieved, the open article's first (see _choose).
        own_words = [t for t in content_terms(request.corrected) if not _frames(request, t)]
        named = sorted((p for p in evidence if _names_section(own_words, p)), key=lambda p: not p.in_scope)[:1]
        if _ASKS_SHARE.search(request.corrected) and any(_SHARE.search(p.text) for p in evidence):
            # "what % of mets go to the liver?" is answered by a passage giving shares, not by the survival
            # one retrieved first
            evidence = [p for p in evidence if _SHARE.search(p.text)]
        evidence = (named + [p for p in evidence if p not in named])[: s.max_passages]
        doses, shares = _unstated_figures(request.corrected, evidence)
        unstated = doses + shares
        if evidence and unstated:
            # "letrozole 2.5 mg daily, right?", "do we hold it under 45%?": a dose or a cut-off the evidence
            # does not give is never confirmed by sentences about something else
            said = ([f"a dose of {_join(doses)}"] if doses else []) + shares
            text = f"The indexed guidelines do not give {_join(said)}."
            return self._abstain(
                request, passages, disclaimer, text, f"no evidence passage gives {_join(unstated)}", missing=unstated
            )
        if not evidence:
            best = max(passages, key=lambda p: (p.overlap, p.dense), default=None)
            if best is None:
                return self._abstain(request, passages, disclaimer, NOT_COVERED, "no passage matched the question")
            have = set(content_terms(best.text) + content_terms(" ".join(best.section)))
            lacking = [t for t in salient if not self._covered(request, t, have)]
            found = [t for t in salient if t not in lacking]
            if request.refers_back and request.subject and not any(matches(t, have) for t in request.subject):
                lacking.append(request.subject[0])
            names = _words_for(request.corrected + " " + request.query, lacking)
            unknown_part = _words_for(request.corrected, unmentioned)
            if unknown_part:
                # a part set aside as unknown, and no evidence for the rest either: the unknown is what to say
                text, names = f"The indexed guidelines do not mention {_join(unknown_part)}.", unknown_part
            elif found and names:
                text = (
                    f"The indexed guidelines do not cover this question: no passage addresses "
                    f"{_join(names)} together with {_join(_words_for(request.corrected, found) or found)}."
                )
            else:
                text = NOT_COVERED
            return self._abstain(
                request,
                passages,
                disclaimer,
                text,
                f"the closest passage holds {best.overlap:.0%} of the question (at least {s.min_coverage:.0%} of "
                f"its terms and {s.min_topics:.0%} of its topics needed) at similarity {best.dense:.2f}",
                missing=names,
            )

        dose_of = self._dosed(request, salient)
        chosen = self._choose(request, evidence, salient, timing, dose_of)
        if not chosen:  # every sentence was a heading fragment or about the other subgroup
            return self._abstain(
                request, passages, disclaimer, NOT_COVERED, "the evidence speaks only of another subgroup"
            )
        if dose_of and not any(_gives_dose(c.text) for c in chosen):
            # "chemo, what dose?": sentences about the drug that give no dose are no answer
            names = _words_for(request.corrected, dose_of)
            return self._abstain(
                request,
                passages,
                disclaimer,
                f"The indexed guidelines do not give a dose of {_join(names)}.",
                "no evidence sentence gives a dose of what is asked about",
                missing=names,
            )
        numbers: dict[str, int] = {}
        used: dict[str, list[UsedSentence]] = {}
        claims: list[tuple[str, int | None]] = []
        labelled: str | None = None
        for c in chosen:
            n = numbers.setdefault(c.passage.chunk_id, len(numbers) + 1)
            used.setdefault(c.passage.chunk_id, []).append(UsedSentence(c.span[0], c.span[1], c.text))
            other = bool(request.article) and not c.passage.in_scope
            label = f"From “{c.passage.title}”: " if other and labelled != c.passage.doc_id else ""
            labelled = c.passage.doc_id if other else None
            claims.append((f"{label}{c.text}", n))
        by_id = {p.chunk_id: p for p in evidence}
        citations = [Citation(n, by_id[cid], tuple(used[cid])) for cid, n in numbers.items()]
        # Named only when the corpus lacks the word altogether ("bisphosphonates vs denosumab"): a word the
        # corpus has in other words than the quoted sentences' would be a false "not addressed".
        missing = [t for t in salient if t not in GENERIC_ASPECTS and not self._known(request, t)] + unmentioned
        unanswered = self._unanswered(request, asked_in_full, clauses, evidence, asked)
        # a word of a part named as not answered is not named again ("... do not mention reassure")
        within = {k for c in unanswered for k in _keys(c)}
        names = _words_for(request.corrected, [t for t in missing if t.lower() not in within])
        if names:
            claims.append((f"The indexed guidelines do not mention {_join(names)}.", None))
        if unanswered:
            claims.append((f"The indexed guidelines do not answer {_join([f'“{c}”' for c in unanswered])}.", None))
            names += [
                w for c in unanswered for w in _words_for(c, [t for t in content_terms(c) if t in asked_in_full])
            ]
        return Answer(
            question=request.question,
            text=" ".join(f"{t} [{n}]" if n else t for t, n in claims),
            claims=claims,
            abstained=False,
            disclaimer=disclaimer,
            citations=citations,
            retrieved=passages,
            query=request.query,
            missing=names,
        )

    def answers(self, request: Request, texts: Sequence[str]) -> bool:
        """Whether `texts` together hold the question as a passage must to be evidence: min_coverage of its
        salient terms, min_topics of its topics and every specific aspect asked (the LLM composer's test of
        what remains after verification)."""
        salient = self._salient(request)
        have = [t for text in texts for t in content_terms(text)]
        weighted, topics, aspects = self.coverage(request, salient, have, self._asked_aspects(request, salient))
        return weighted >= self.settings.min_coverage and topics >= self.settings.min_topics and aspects

    def _choose(
        self,
        request: Request,
        evidence: list[Passage],
        salient: dict[str, float],
        timing: Sequence[str],
        drugs: Sequence[str],
    ) -> list[_Candidate]:
        """The answer's sentences: best first, others only when nearly as good (see module docstring).
        `salient`, `timing` and `drugs` are compose's: what the question asks about, the times it asks for,
        and the drugs whose dose it asks for."""
        s = self.settings
        asked = [t for t in content_terms(request.corrected) if not _frames(request, t)]
        # What a follow-up took from earlier turns; the question's own vocabulary expansions are not borrowed.
        expanded = set(content_terms(request.text))
        borrowed = [t for t in content_terms(request.query) if t not in asked and t not in expanded]
        # Earlier turns' words weigh at most half of what the question asks: "weekly dosing?" after a
        # first-line question is answered by the weekly dose, not by another first-line sentence.
        weight = {t: self._weight(request, t) for t in asked}  # "tnbc" weighs as the words it stands for
        focus = _focus(request.corrected)
        if focus in weight:
            weight[focus] *= FOCUS_WEIGHT
        for alt in request.alternatives.get(ASKS_FOR, []):  # "where ...?": the sentence naming a site
            for t in dict.fromkeys(alt):
                weight[t] = FOCUS_WEIGHT * self.weights.idf(t)
                asked.append(t)
        cap = 0.5 * sum(weight.values())
        named = _named_subgroups(request)
        beyond = _beyond(request)
        candidates: list[_Candidate] = []
        for rank, p in enumerate(evidence):
            heading = content_terms(" ".join(p.section[1:]))
            for pos, ((a, b), raw) in enumerate(zip(p.sentences, p.sentence_texts, strict=True)):
                text = normalize_space(strip_markers(raw))
                if len(text.split()) < 3 or text.endswith(":"):
                    continue  # a heading fragment ("Key diagnostic steps:"), not a claim
                if any(other.search(text) and not side.search(text) for side, other in named):
                    continue  # about the subgroup the question did not ask about
                if timing and not self._gives(request, salient, timing, text):
                    continue  # "how long ...?" is answered by a sentence giving a time of what is asked about
                said = content_terms(text)
                if drugs and _gives_dose(text) and not any(self._covered(request, t, said) for t in drugs):
                    continue  # "what dose of chemo?" is not answered by the dose of another drug
                have = said + heading
                own = sum(weight[t] * self._held(request, t, have) for t in asked)
                context = 0.5 * sum(self.weights.idf(t) for t in borrowed if matches(t, have))
                lexical = own + (min(context, cap) if cap else context)
                candidate = _Candidate(0.0, 0.0, lexical, rank, pos, p, (a, b), text)
                # "anything else?": what was already discussed comes after
                candidate.factor = ELSEWHERE if any(matches(t, said) for t in beyond) else 1.0
                candidates.append(candidate)
        if _ASKS_SHARE.search(request.corrected) and any(_SHARE.search(c.text) for c in candidates):
            candidates = [c for c in candidates if _SHARE.search(c.text)]  # a share asked, a share given
        if not candidates:
            return []
        # A question made of a section's heading and nothing else ("What does the guideline say about
        # presentation and prognosis?", the app's own suggestions) asks for that section: its sentences as
        # they stand there, from its first.
        sections = sorted((p for p in evidence if _names_section(asked, p)), key=lambda p: not p.in_scope)
        section = sections[0] if sections else None
        if section is not None:
            in_section = sorted((c for c in candidates if c.passage is section), key=lambda c: c.position)
            if in_section:
                return in_section[: s.max_sentences]
        # What every candidate holds (a section heading's terms) tells none apart: lexical evidence counts
        # from the lowest candidate's up, or from half the best when the lowest is that good.
        top = max(c.lexical for c in candidates)
        low = min(min(c.lexical for c in candidates), 0.5 * top)
        spread = (top - low) or 1.0
        semantic = self._semantic(request, [c.text for c in candidates])
        scoped = any(p.in_scope for p in evidence)
        # "different pt, ...", "unrelated - ...": the clinician has left the article's patient; every
        # article's sentences compete alike.
        moved_on = moves_on(request.question)
        for c, sim in zip(candidates, semantic, strict=True):
            c.semantic = sim
            c.score = s.semantic_weight * sim + (1 - s.semantic_weight) * (c.lexical - low) / spread
            if c.position == 0 and c.passage.chunk_id.endswith("#0"):
                c.score += LEAD_BONUS
            if scoped and not c.passage.in_scope and not moved_on:
                c.score *= OUT_OF_SCOPE
            c.score *= c.factor
        ranked = sorted(candidates, key=lambda c: (-c.score, c.rank, c.position))
        best = ranked[0].score
        chosen = [ranked[0]]
        for c in ranked[1:]:
            if len(chosen) == s.max_sentences:
                break
            share = s.min_sentence_share if c.rank == ranked[0].rank else s.other_passage_share
            if c.score >= share * best and c.lexical > 0 and not any(_near_duplicate(c.text, d.text) for d in chosen):
                chosen.append(c)
        # The best sentence leads (another article's sentences already score OUT_OF_SCOPE of their own: when
        # one still leads, the question is about another article's subject, "different pt, woman with TNBC"
        # asked beside the men's article); the rest follow in their passages' order, as they stand there.
        lead = chosen[0]
        return [lead, *sorted((c for c in chosen if c is not lead), key=lambda c: (c.rank, c.position))]

    def _dosed(self, request: Request, salient: dict[str, float]) -> list[str]:
        """The drugs (and classes) a question asking for a dose names: a dose is given only for them."""
        if not set(salient) & _DOSING:
            return []
        # by name, or by what the vocabulary says it is ("herceptin" = trastuzumab; not "HER2+", which names
        # a drug class's target)
        return [t for t in salient if any(drug_like(x) for alt in self._alternatives(request, t) for x in alt)]

    def _gives(self, request: Request, salient: dict[str, float], timing: Sequence[str], text: str) -> bool:
        """The sentence gives every time asked and speaks of something the question names."""
        if not all(_TIMING[k][1].search(text) or k in _occurrence(request.corrected, text) for k in timing):
            return False
        said = content_terms(text)
        about = {t: w for t, w in salient.items() if t not in GENERIC_ASPECTS}
        if not about:
            # "how long?" after a question on something: the sentence must speak of that something
            subject = [t for t in request.subject if not self._ubiquitous(t)]
            return bool(subject) and sum(matches(t, said) for t in subject) / len(subject) >= 0.5
        total = sum(about.values())
        held = sum(w for t, w in about.items() if self._covered(request, t, said))
        return held >= total  # all it is asked about: "how often ... the echo on herceptin" is not the dosing interval

    def _unmentioned(self, request: Request, salient: dict[str, float], clause: str) -> bool:
        """Whether this part of the question names a drug the corpus lacks, or terms it lacks weigh
        max_unknown of the part."""
        keys = _keys(clause)
        part = {t: w for t, w in salient.items() if t.lower() in keys}
        total = sum(part.values())
        lacking = [t for t in part if not self._known(request, t)]
        if any(self._drug(request, t) for t in lacking):
            return True
        return not total or sum(part[t] for t in lacking) / total >= self.settings.max_unknown

    def _points_to_unknown(
        self, request: Request, salient: dict[str, float], clauses: list[str], absent: list[bool]
    ) -> bool:
        """Whether a part kept points back ("could that raise his risk?") to an earlier part set aside that says
        nothing the corpus knows ("guy using testosterone from the gym"): the question is about that part."""
        for i, (clause, gone) in enumerate(zip(clauses, absent, strict=True)):
            if not gone:
                continue
            keys = _keys(clause)
            if any(self._known(request, t) and t not in GENERIC_ASPECTS for t in salient if t.lower() in keys):
                continue
            later = [c for c, no in zip(clauses[i + 1 :], absent[i + 1 :], strict=True) if not no]
            if any(_POINTS_BACK.search(c) for c in later):
                return True
        return False

    def _drug(self, request: Request, term: str) -> bool:
        return drug_like(term, request.vocabulary_terms)

    def _evidence(
        self, request: Request, p: Passage, salient: dict[str, float], asked: frozenset[str], plain: bool = False
    ) -> tuple[bool, float]:
        """Whether passage `p` is evidence for the question (or one part of it, `salient` then its terms):
        it holds min_coverage of the terms, min_topics of the topics and every aspect asked, and is close
        to the question in meaning, or holds every word of a `plain` question; and how much it holds."""
        s = self.settings
        weighted, topics, aspects = self.coverage(request, salient, _terms(p), asked)
        overlap = min(weighted, topics) if aspects else 0.0
        if not (weighted >= s.min_coverage and topics >= s.min_topics and aspects):
            return False, overlap
        whole = plain and bool(salient) and overlap >= 1.0 and p.dense >= s.min_dense_whole
        return whole or p.dense >= s.min_dense or self._sentence_dense(request, p), overlap

    def _unanswered(
        self,
        request: Request,
        salient: dict[str, float],
        clauses: list[str],
        evidence: list[Passage],
        asked: frozenset[str],
    ) -> list[str]:
        """The parts of a question of several parts that no evidence answers (when another part is)."""
        if len(clauses) < 2:
            return []
        s = self.settings
        out = []
        for clause in clauses:
            part = {t: salient[t] for t in content_terms(clause) if t in salient}
            if not part or not _ASKS.search(clause) and len(clauses) > 2:
                continue  # a part setting the scene of the others asks nothing to answer
            held = False
            for p in evidence:
                weighted, topics, aspects = self.coverage(request, part, _terms(p), asked & set(part))
                held = held or (weighted >= s.min_coverage and topics >= s.min_topics and aspects)
            if not held:
                out.append(clause)
        return out if len(out) < len(clauses) else []

    def _sentence_dense(self, request: Request, passage: Passage) -> bool:
        """Whether one of the passage's sentences is close enough in meaning to the question, or, for a
        follow-up, to the question read with its history ("and her mom?" alone is close to nothing)."""
        texts = [normalize_space(strip_markers(t)) for t in passage.sentence_texts]
        best = max(self._semantic(request, texts), default=0.0)
        if request.query_vector is not None:
            best = max(best, max(self._semantic(request, texts, request.query_vector), default=0.0))
        return best >= self.settings.min_sentence_dense

    def _semantic(self, request: Request, texts: list[str], vector: np.ndarray | None = None) -> list[float]:
        """Cosine of each sentence to the question (or to `vector`); 0 without an encoder."""
        if vector is None:
            vector = request.vector
        if self.encode is None or vector is None:
            return [0.0] * len(texts)
        embed_into(self._vectors, texts, self.encode)
        return [float(self._vectors[t] @ vector) for t in texts]

    def _abstain(
        self,
        request: Request,
        passages: list[Passage],
        disclaimer: str,
        text: str,
        reason: str,
        missing: Sequence[str] = (),
    ) -> Answer:
        return Answer(
            question=request.question,
            text=text,
            abstained=True,
            disclaimer=disclaimer,
            retrieved=passages,
            reason=reason,
            query=request.query,
            missing=list(missing),
        )


# A number the question states about the patient ("at 8 weeks", "started at 10", "a 45yo"), not a dose or
# a share it asks about ("8 mg/kg", "20%"): with its time unit, a fact the evidence need not repeat.
_STATED = re.compile(
    r"(?<![\w.])\d+(?:\.\d+)?(?:\s*-?\s*(?:weeks?|wks?|months?|mos?|years?|yrs?|y|days?|yo|y/o|year-old|years? old)\b"
    r"|(?!\.?\d|\s*(?:%|mg|mcg|µg|ml|g\b|units?|iu\b|gy\b|/)))",
    re.I,
)


VECTOR_CACHE = 20_000  # sentence vectors kept per process (about 30 MB at 384 dimensions)


def embed_into(
    cache: dict[str, np.ndarray],
    texts: Sequence[str],
    encode: Callable[[list[str]], np.ndarray],
) -> None:
    """Embed the texts `cache` lacks. Past VECTOR_CACHE, the oldest half goes first, never a text asked for
    now: a caller may look up any of `texts`, and anything it embedded moments ago, right after."""
    limit = VECTOR_CACHE
    wanted = dict.fromkeys(texts)
    missing = [t for t in wanted if t not in cache]
    if not missing:
        return
    if len(cache) + len(missing) > limit:
        for old in [t for t in itertools.islice(cache, max(len(cache) - limit // 2, 0)) if t not in wanted]:
            del cache[old]
    cache.update(zip(missing, encode(missing), strict=True))


def _unstated_figures(question: str, evidence: Sequence[Passage]) -> tuple[list[str], list[str]]:
    """The doses (a number with a dose unit, "600mg", "2.5 mg/kg", or a bare number before a schedule,
    "pembro 200 q3w") and shares (a bounded percentage, "under 45%"; a figure offered for a percentage asked,
    "what % ..., like 90?"; not a patient's value, "ER 5%") the question states that no evidence passage
    gives, read as the claim verifier reads numbers."""
    from .verify import DOSE_UNITS, normalise, quantities

    text = normalise(question)
    asked = [q for q in quantities(text) if q.unit in DOSE_UNITS or q.unit == "%" and q.bound]
    bare = [m.group(1) for m in _SCHEDULED.finditer(text)]
    offered = [m.group(1) for m in _OFFERED.finditer(text)] if "%" in text or "percent" in text else []
    if not asked and not bare and not offered:
        return [], []
    found = [q for p in evidence for q in quantities(normalise(p.text))]
    given = {(q.value, q.unit) for q in found}
    values = {q.value for q in found}
    unstated = [q for q in asked if (q.value, q.unit) not in given]
    shown = [f"{q.value} {_WRITTEN.get(q.unit, q.unit)}" for q in unstated if q.unit != "%"]
    shown += [v for v in bare if v not in values]
    shares = [float(q.value) for q in found if q.unit == "%" and re.fullmatch(r"\d+(?:\.\d+)?", q.value)]
    # an offered figure is a guess: a share within 5 points of it is the answer ("about 50?": bone 51%)
    guessed = [v for v in offered if not any(abs(float(v) - x) <= 5 for x in shares)]
    return shown, [f"{q.value}%" for q in unstated if q.unit == "%"] + [f"{v}%" for v in guessed]


# A number written without a unit right before a schedule is a dose ("pembro 200 q3w", "6 every 3 weeks"); a
# number offered after "like", "about", ... in a question asking a percentage is a share ("like 90?").
_SCHEDULED = re.compile(
    r"(?<![\w./])(\d+(?:\.\d+)?)\s+(?=(?:q\d+w|qw|qd|od|bd|bid|tds|every\s+\d+\s+weeks?|weekly|daily)\b)", re.I
)
_OFFERED = re.compile(
    r"\b(?:like|about|around|roughly|approximately|approx|maybe|say)\s*~?\s*(\d+(?:\.\d+)?)\b(?!\s*%)", re.I
)


_WRITTEN = {"gy": "Gy", "iu": "IU"}  # units as guidelines write them, where the verifier reads them lower-case


def _gives_dose(text: str) -> bool:
    """A number with a dose unit, read as the claim verifier reads numbers."""
    from .verify import DOSE_UNITS, normalise, quantities

    return any(q.unit in DOSE_UNITS for q in quantities(normalise(text)))


def _stated(text: str) -> set[str]:
    return {t for m in _STATED.finditer(text) for t in content_terms(m.group())}


# "does smoking raise the risk?", "is soy linked to breast cancer?": the words between the question's verb
# and the effect asked about are what the question is about.
_EFFECT = re.compile(
    r"\b(?:does|do|did|can|could|will|would|might|may|is|are|was|were)\s+((?:[\w'/-]+\s+){1,4}?)"
    r"(?:raise|raises|increase|increases|lower|lowers|reduce|reduces|cut|cuts|cause|causes|prevent|prevents"
    r"|protect|protects|affect|affects|trigger|triggers|boost|boosts|worsen|worsens"
    r"|(?:linked|associated|related|tied)\s+(?:to|with))\b",
    re.I,
)


# Words after the subject that qualify the verb, not name a thing: "does alcohol significantly increase ...".
_QUALIFIERS = frozenset("even really actually also still ever alone too much more less just only".split())


@functools.lru_cache(maxsize=256)
def _effect_subject(question: str) -> frozenset[str]:
    """The head word of each such subject: "soy" of "eating soy" ("regular exercise" is about exercise;
    "alcohol" of "alcohol significantly"), when it is not an everyday word of general English ("kids",
    "problems": Zipf 5 or more, chatter around what is asked)."""
    heads = set()
    for m in _EFFECT.finditer(question):
        words = [w.lower() for w in m.group(1).split()]
        while words and (words[-1] in _QUALIFIERS or words[-1].endswith("ly")):
            words.pop()
        if words and zipf(words[-1]) < 5.0:
            heads.add(words[-1])
    return frozenset(heads)


@functools.lru_cache(maxsize=256)
def _acronyms(text: str) -> frozenset[str]:
    """The words `text` writes in capitals, three characters or more ("PET-CT", "LVEF"; not a status such
    as "ER" or a stage's "IV", which qualify what is asked), each by its first term: one thing named."""
    found = re.findall(r"\b[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)*\b", text)
    return frozenset(terms[0] for w in found if len(w) >= 3 and (terms := content_terms(w)))


def _names_section(asked: Sequence[str], passage: Passage) -> bool:
    """The question's own words are exactly the words of the passage's section heading."""
    heading = set(content_terms(passage.section[-1])) if len(passage.section) > 1 else set()
    return bool(asked) and set(asked) == heading


def _frames(request: Request, term: str) -> bool:
    """A word that frames the question ("say", "usually", "go"), unless the vocabulary reads it as part of a
    term ("go-to" = first-line)."""
    return term in QUESTION_WORDS and term not in request.alternatives


_WH = re.compile(r"\b(?:which|what|whats|what's)\s+([A-Za-z][\w/-]*)", re.I)


def _focus(question: str) -> str | None:
    """The word a "which ...?" or "what ...?" asks for: "which biomarker", "what age" (not "what is")."""
    m = _WH.search(question)
    terms = content_terms(m.group(1)) if m else []
    if not terms or terms[0] in QUESTION_WORDS or terms[0] in GENERIC_ASPECTS:
        return None
    return terms[0]


def _keys(clause: str) -> set[str]:
    """The salient keys a part of a question can hold: its terms and its status compounds."""
    return set(content_terms(clause)) | {m.group().lower() for m in _COMPOUND.finditer(clause)}


# A biomarker status compound ("HER2-low", "PD-L1-high", "EGFR-mutant"): its words may each be in the corpus
# while the status is not; the question is then about something the corpus does not say.
_COMPOUND = re.compile(
    r"\b[A-Za-z][A-Za-z0-9/]*-(?:low|high|ultralow|mutant|mutated|amplified|deficient|proficient|null|wild-type)\b"
    r"|\bCA[- ]?(?:\d+[-.]\d+|\d{3})\b"  # a tumour marker: "CA 15-3", "CA-125", "CA 27.29"
    r"|\b(?-i:[A-Z][A-Za-z]{0,3})-\d{1,3}\b(?!-)",  # a marker or receptor as written: "Ki-67", "IL-6", "PD-1"
    re.I,
)


def _compounds(question: str, passages: Sequence[Passage]) -> list[str]:
    """Status compounds of the question that no retrieved passage states (hyphen or space between)."""
    out = []
    texts = [re.sub(r"[\s-]+", " ", p.text.lower()) for p in passages]
    joined = [t.replace(" ", "") for t in texts]
    for m in _COMPOUND.finditer(question):
        phrase = re.sub(r"[\s-]+", " ", m.group().lower())
        # "HER-2" is the passages' "HER2"
        if not any(phrase in t for t in texts) and not any(phrase.replace(" ", "") in t for t in joined):
            if m.group() not in out:
                out.append(m.group())
    return out


_NUMBER = (
    r"(?:\d+(?:[.,]\d+)?(?:\s*(?:-|–|to)\s*\d+(?:[.,]\d+)?)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
)
# What "how long ...?" and "how often ...?" ask for, and how a sentence gives it.
_TIMING: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "how long": (
        re.compile(
            r"\bhow long\b|\bhow many (?:more )?(?:years|yrs?|months|mos?|weeks|wks?|days|cycles)\b"
            r"|\bfor how much longer\b|\bduration\b|\buntil when\b",
            re.I,
        ),
        re.compile(
            # not an interval ("every 3 weeks"), a time past ("stopped >12 months ago") or a window ("the first 3
            # months of pregnancy")
            rf"(?<!every )(?<!per )(?<!first )(?<!>)(?<!> )\b{_NUMBER}\s*-?\s*(?:years?|months?|weeks?|days?|cycles?)\b"
            r"(?!\s+ago\b)(?!\s+of pregnancy)"
            r"|\buntil\s+(?:progression|disease progression|unacceptable toxicity)\b"
            r"|\bfor life\b|\blifelong\b|\bindefinitely\b",
            re.I,
        ),
    ),
    "how often": (
        re.compile(r"\bhow often\b|\bhow frequently\b|\bat what interval|\bhow regularly\b", re.I),
        re.compile(
            rf"\bevery\s+(?:{_NUMBER}\s*|other\s+)?(?:days?|weeks?|months?|years?)\b|\b(?:daily|weekly|fortnightly|"
            r"monthly|yearly|annually|twice|three times)\b|\bonce (?:a|per|every|daily|weekly|monthly|yearly)\b"
            r"|\bq\d+w\b",
            re.I,
        ),
    ),
}
TIMING_NOUNS = {"how long": "a duration", "how often": "an interval"}
# "how often" of something that happens ("and brain, how often?" after "commonest site of spread") asks how
# common it is, not for a schedule: unless someone does it ("how often do we repeat the echo?", "how often
# to restage?"), a share given in per cent answers it.
_DOING = re.compile(
    r"\bhow often to\b|\b(?:we|you|i|should|repeat|check|give|scan|monitor|test|measure|follow|review|see|dose)\b",
    re.I,
)
_SHARE = re.compile(r"\d\s*%")
# A question asking for a share: a passage or sentence giving one answers it before any other.
_ASKS_SHARE = re.compile(
    r"\b(?:what|which|how much)\s*(?:%|per ?cent(?:age)?\b|proportion\b|fraction\b|share\b)"
    r"|%\s*of\b|\b(?:per ?cent(?:age)?|proportion|fraction) of\b",
    re.I,
)


def _occurrence(question: str, text: str) -> tuple[str, ...]:
    """("how often",) when the question asks how common something is and `text` gives a share of it."""
    return ("how often",) if not _DOING.search(question) and _SHARE.search(text) else ()


_TIMING_WORDS = frozenset(content_terms("long often frequently regularly many"))


def _timing(request: Request) -> list[str]:
    """The times a question of one part asks for: "how long", "how often" (in a question of several parts
    the part asking it is one the evidence may leave unanswered, and is named; a part that only sets the
    scene makes no second part)."""
    clauses = _clauses(request.corrected)
    if len(clauses) > 1 and sum(bool(_ASKS.search(c)) for c in clauses) != 1:
        return []  # a part setting the scene ("HER2+ on T-DXd, how often ...?") makes no second question
    return [k for k, (asked, _) in _TIMING.items() if asked.search(request.corrected)]


def _texts(p: Passage) -> list[str]:
    return [normalize_space(strip_markers(t)) for t in p.sentence_texts]


def _terms(p: Passage) -> list[str]:
    return content_terms(p.text) + content_terms(" ".join(p.section))


# Where a question of several parts divides: a further question, "what about", "vs".
_CLAUSE = re.compile(
    r"\?\s+|;\s*|\.\s+(?=[A-Za-z])|,?\s*\b(?:and\s+)?(?:what|how)\s+about\b\s*|\s+(?:vs\.?|versus)\s+"
    r"|,\s*(?:and\s+|but\s+)?(?=(?:can|could|is|are|does|do|did|should|will|would|what|how|when|which)\b)"
    r"|,\s*(?:incl\.?|including|esp\.?|especially)\s+",
    re.I,
)


# A part that points back and says nothing specific of its own ("..., does that change anything?") asks
# about the part before it: it is not a question of its own.
_POINTS_BACK = re.compile(r"\b(that|this|it|its|these|those|they|them|their)\b", re.I)
_VAGUE = frozenset(content_terms("change changes changed difference differ matter matters affect affects anything"))


def _clauses(text: str) -> list[str]:
    parts = [re.sub(r"^(and|but|also|so|or|plus)\b\s*", "", p.strip(" ,?."), flags=re.I) for p in _CLAUSE.split(text)]
    out: list[str] = []
    for part in (p for p in parts if content_terms(p)):
        vague = all(t in _VAGUE or t in QUESTION_WORDS or t in GENERIC_ASPECTS for t in content_terms(part))
        if out and _POINTS_BACK.search(part) and vague:
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


# A part of a question that asks something ("stage III and pregnant: when can chemo start", "is RT
# standard"), not one that sets the scene ("pregnant at 20 wks")
_ASKS = re.compile(
    r"\b(?:what|whats|what's|which|when|where|who|why|how)\b"
    r"|^(?:\S+\s+){0,3}?(?:is|are|can|could|does|do|did|should|will|would|may|has|have)\b",
    re.I,
)


def _named_subgroups(request: Request) -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    """The subgroup pairs (side asked, side to leave out) the question names, or for a follow-up that names
    neither side, the latest earlier turn that named one ("weekly dosing?" after "HER2+ ... first line?")."""
    out = []
    for side, other in _SUBGROUPS:
        for text in (request.text, *reversed(request.context)):
            if side.search(text) or other.search(text):
                if side.search(text) and not other.search(text):
                    out.append((side, other))
                break
    return out


_ELSE = re.compile(r"\b(else|other|others|another|besides|apart from|alternatives?|instead)\b", re.I)
ELSEWHERE = 0.5  # lexical factor for a sentence about the subject an "anything else?" follow-up moves beyond


def _beyond(request: Request) -> list[str]:
    """For "anything else for bone pain?" after a bisphosphonate question: the earlier subject's terms the
    question does not repeat, whose sentences it has already had."""
    if not request.context or not _ELSE.search(request.corrected):
        return []
    said = content_terms(request.text)  # with its expansions: "mets" says "metastases"
    return [t for t in request.subject if not matches(t, said)]


@functools.lru_cache(maxsize=256)
def _stemmed(text: str) -> tuple[tuple[str, ...], tuple[str | None, ...]]:
    """The question's tokens as written ("HER2-low", "w/"), and each one's first stemmed term (None when it has
    none): what the naming and qualifying rules look at, computed once per question."""
    tokens = tuple(re.findall(r"[A-Za-z0-9][A-Za-z0-9/+.-]*", text))
    return tokens, tuple(next(iter(content_terms(w)), None) for w in tokens)


def _words_for(text: str, terms: Sequence[str]) -> list[str]:
    """The words of `text` behind each stemmed term, as the clinician wrote them ("pembrolizumab"). Terms
    standing next to each other are one name ("fish oil supplements"), and so is a term with the noun of
    what is taken after it ("green tea", not "green")."""
    out: list[str] = []
    tokens, stems = _stemmed(text)
    wanted = set(terms)
    taken: set[int] = set()
    for term in terms:
        at = next((i for i, st in enumerate(stems) if st == term), None)
        if at is None:
            name = term
        elif at in taken:
            continue  # already part of an earlier name
        else:
            end = at + 1
            while end < len(tokens) and stems[end] in wanted:
                end += 1
            if end < len(tokens) and re.fullmatch(_INTAKE, tokens[end], re.I):
                end += 1
            taken.update(range(at, end))
            name = " ".join(tokens[at:end])
        if name not in out:
            out.append(name)
    # a word inside another name is said by it ("mutant" of "ESR1-mutant")
    return [n for n in out if not any(n != m and re.search(rf"(?i)(?<!\w){re.escape(n)}(?!\w)", m) for m in out)]


def _join(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _near_duplicate(a: str, b: str, threshold: float = 0.8) -> bool:
    ta, tb = set(content_terms(a)), set(content_terms(b))
    if not ta or not tb:
        return a == b
    return len(ta & tb) / len(ta | tb) >= threshold


def _extractive(index: SearchIndex, settings: Settings) -> ExtractiveComposer:
    return ExtractiveComposer(index.weights, settings.answer, lambda texts: index.embedder.encode(list(texts)))


def _llm(index: SearchIndex, settings: Settings) -> Composer:
    from .llm import LLMComposer
    from .verify import Verifier

    extractive = _extractive(index, settings)
    verifier = Verifier.for_index(index, settings.llm, vectors=extractive._vectors)  # one embedding per sentence
    return LLMComposer(extractive, verifier, settings.llm, settings.answer.max_passages)


COMPOSERS: dict[str, Callable[[SearchIndex, Settings], Composer]] = {"extractive": _extractive, "llm": _llm}


def check_composer(settings: Settings) -> None:
    """SettingsError when the composer the settings name cannot be built: before anything loads."""
    name = settings.answer.composer
    if name not in COMPOSERS:
        raise SettingsError(
            f"GUIDELINE_QA_COMPOSER: unknown composer {name!r}; choose from {', '.join(sorted(COMPOSERS))}"
        )
    if name == "llm" and settings.llm.problem():
        raise SettingsError(f"the llm composer needs a model endpoint: {settings.llm.problem()}")


def make_composer(index: SearchIndex, settings: Settings) -> Composer:
    check_composer(settings)
    return COMPOSERS[settings.answer.composer](index, settings)
