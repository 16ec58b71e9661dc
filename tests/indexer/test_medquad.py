import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from indexer.corpus import load_corpus
from indexer.errors import CorpusError
from indexer.medquad import parse_medquad

from ..helpers import MEDQUAD, need_shared


def parse(path: Path):
    return parse_medquad(path, path.read_bytes())


@pytest.mark.parametrize(
    "relpath, source, tag",
    [
        ("2_GARD_QA/0004450.xml", "GARD", "QAPair"),
        ("1_CancerGov_QA/0000027_2.xml", "CancerGov", "QAPair"),
        ("6_NINDS_QA/0000007.xml", "NINDS", "pair"),  # the older <doc docid corpus> schema
        ("9_CDC_QA/0000397.xml", "CDC", "QAPair"),  # <DiseaseFile fid source>
    ],
)
def test_section_ids_follow_pair_positions(relpath, source, tag):
    path = need_shared(MEDQUAD / relpath)
    doc = parse(path)
    root = ET.parse(path).getroot()
    questions = [
        " ".join((p.find(tag[0].upper() + "uestion" if tag == "QAPair" else "question").text or "").split())
        for p in root.iter(tag)
    ]
    assert doc.id == f"{source}_{path.stem}"
    assert [s.id for s in doc.sections] == [f"{source}_{path.stem}_Sec{n}" for n in range(1, len(questions) + 1)]
    assert [s.heading for s in doc.sections] == questions
    assert doc.url == root.get("url")


def test_known_section_id_names_its_question():
    doc = parse(need_shared(MEDQUAD / "2_GARD_QA/0004450.xml"))
    sec3 = next(s for s in doc.sections if s.id == "GARD_0004450_Sec3")
    assert sec3.heading == "Is Noonan syndrome inherited ?"
    assert sec3.path == ("Noonan syndrome", "Is Noonan syndrome inherited ?")
    assert "inherited" in doc.text[sec3.blocks[0].start : sec3.blocks[-1].end].lower()


def test_inline_bullets_become_blocks_with_exact_spans():
    doc = parse(need_shared(MEDQUAD / "1_CancerGov_QA/0000001_1.xml"))
    first = doc.sections[0]
    bullets = [doc.text[b.start : b.end] for b in first.blocks if b.kind == "bullet"]
    assert any(b.startswith("Leukemia may affect red blood cells") for b in bullets)
    assert all("  " not in b and not b.startswith("-") for b in bullets)


def test_files_sharing_an_id_get_distinct_document_ids():
    folder = need_shared(MEDQUAD / "1_CancerGov_QA")
    corpus = load_corpus([folder])
    ids = [d.id for d in corpus.documents]
    assert len(ids) == len(set(ids)) == len(list(folder.glob("*.xml")))
    assert "CancerGov_0000013_2_1" in ids and "CancerGov_0000013_2" in ids


def test_entity_expansion_is_refused_fast(tmp_path):
    bomb = tmp_path / "bomb.xml"
    entities = "".join(f'<!ENTITY e{i} "&e{i - 1};&e{i - 1};&e{i - 1};&e{i - 1};&e{i - 1};">' for i in range(1, 30))
    bomb.write_text(
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e0 "boom">{entities}]>'
        '<Document id="1" source="GARD"><Focus>&e29;</Focus><QAPairs/></Document>'
    )
    started = time.perf_counter()
    with pytest.raises(CorpusError, match=r"bomb.xml: refused unsafe XML .*entity"):
        parse(bomb)
    assert time.perf_counter() - started < 1.0


def test_malformed_xml_names_the_line(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text('<?xml version="1.0"?>\n<Document id="1" source="GARD">\n<Focus>x</Foc>\n</Document>')
    with pytest.raises(CorpusError, match=r"bad.xml:3: not well-formed XML"):
        parse(bad)


@pytest.mark.parametrize(
    "doc_id, source, shown",
    [
        ("0000001&#x202e;lmx.exe", "GARD", "'GARD_0000001\\u202elmx.exe'"),  # right-to-left override
        ("0000001&#10;x", "GARD", "'GARD_0000001\\nx'"),
        ("../../etc", "GARD", "'GARD_../../etc'"),
        ("0000001", "GARD Rare", "'GARD Rare_0000001'"),
    ],
    ids=["bidi-override", "newline", "path", "space"],
)
def test_medquad_document_ids_are_validated_like_article_ids(tmp_path, doc_id, source, shown):
    folder = tmp_path / "medquad"
    folder.mkdir()
    (folder / "0000001.xml").write_text(
        f'<?xml version="1.0"?><Document id="{doc_id}" source="{source}"><Focus>F</Focus><QAPairs>'
        "<QAPair pid='1'><Question>What is F?</Question><Answer>F is rare.</Answer></QAPair></QAPairs></Document>"
    )
    loaded = load_corpus([folder])
    assert loaded.documents == []
    assert [str(p) for p in loaded.problems] == [
        f"{folder / '0000001.xml'}:1: document id {shown} (source '_' id) must be letters, digits, '-', '_' or '.' "
        "(at most 128, starting with a letter or digit)"
    ]
