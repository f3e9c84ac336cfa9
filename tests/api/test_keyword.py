"""The API's query analyzer derives from any text exactly the terms the build's full-text index stored for it.

Keyword ranking looks query stems up in the index's `dict`: a word the two sides tokenize, fold
or stem differently can never match. Each case is indexed by the build's own `write_index` (its
PRAGMA options, IGNORE pattern and extension loader) and read back by the API's own `Postings`
and `Analyzer` (the index's stopword table, DuckDB's stemmer), as `api.index.load_index` does.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import numpy as np
import pytest

from api.keyword import SPLIT, Analyzer, Postings, tokenize
from site_builder.content import Content
from site_builder.fts import write_index
from site_builder.output import CHUNKS_TABLE, FTS_SCHEMA, IGNORE, load_fts
from site_builder.problems import Problems
from site_builder.records import Chunk


def compatibility(reason: str) -> str:
    return ("tokenize folds Unicode compatibility forms (NFKD) but DuckDB's strip_accents only strips marks "
            f"after a canonical decomposition, so the index never folds them: {reason}")


def case(case_id: str, text: str, floor: set[str], disagreement: str | None = None) -> tuple:
    """`floor`: terms the index must hold for the text, so that both sides cannot agree on nothing.
    `disagreement`: why the API does not derive the same terms yet (an expected failure)."""
    return case_id, text, floor, disagreement


CASES = [
    case("error-codes", "Error E1042 after upgrading to v2.3.1: 10,000 rows, the 3rd retry, code 0x1F, HTTP/1.1 404",
         {"e1042", "v2", "3", "1", "10", "000", "3rd", "0x1f", "404", "http"}),
    case("accents", "Café, Ångström, naïve, résumé, CRÈME BRÛLÉE, Łódź, Ærø",
         {"cafe", "angstrom", "naiv", "resum", "creme", "brule"}),
    case("decomposed-accents", "cafe\u0301 re\u0301sume\u0301 nai\u0308ve", {"cafe", "resum", "naiv"}),
    case("unit-signs", "\u212bngstr\u00f6m \u212aelvin", {"angstrom", "kelvin"}),
    case("apostrophes", "Don't move the technician's van, O'Brien's rule", {"don", "technician", "brien", "rule", "van"}),
    case("curly-quotes", "Don\u2019t open the technician\u2019s \u201cwork order\u201d or \u2018draft\u2019, \u00abdevis\u00bb, \u201elow\u201c",
         {"don", "technician", "work", "order", "draft", "devi", "low"}),
    case("hyphens-slashes", "follow-up e-mail on/off read-only 24/7 and/or well\u2010known \u2013 en \u2014 em",
         {"follow", "mail", "read", "24", "7"}),
    case("dots", "e.g. i.e. U.S.A. node.js .NET 1.0 www.example.com", {"node", "js", "net", "1", "0", "www"}),
    case("underscores", "work_order_id __init__ snake_case", {"work", "order", "id", "init", "snake", "case"}),
    # Neither side keeps CJK or Hangul: such text is found by the vectors only, never by keywords.
    case("cjk", "作業指示 日本語テキスト 中文 한국어", set()),
    case("cjk-mixed", "作業指示をE1042で確認 日本語テキストabc", {"e1042", "abc"}),
    case("mixed-scripts-emoji", "Заказ order ελληνικά 🚀rocket ✅done 👩\u200d💻dev 🇯🇵 jp", {"order", "rocket", "dev", "jp"}),
    case("whitespace-and-invisibles", "a\u00a0pump\u2003valve\u200bseal\ttank\nhose co\u00adop ab\u200dcd",
         {"pump", "valv", "seal", "tank", "hose", "op", "cd"}),
    # Marks of combining class 0 (variation selector, grapheme joiner, enclosing and spacing marks) go too.
    case("class-0-marks", "wi\ufe0ffi ab\u034fcd ab\u20ddcd ab\u0903cd 1\ufe0f\u20e3 key",
         {"wifi", "abcd", "1", "key"}),
    case("sharp-s-dotted-i", "Straße STRASSE İstanbul DİYARBAKIR", {"stra", "strass", "istanbul", "diyarbakir"}),
    case("stopwords-and-stems", "The technicians were running and scheduled all of the inspections",
         {"technician", "run", "schedul", "inspect"}),
    # Known disagreements. Folding these on the query side only helps a query match text written plainly
    # ("Ｅ１０４２" finds "E1042"); agreeing would take folding them (NFKC) in the indexed text too.
    case("ligatures", "ﬁle ﬂow", {"le", "ow"}, compatibility(
        "'ﬁle ﬂow' is {'le', 'ow'} in the index (the ligature is a separator) but {'file', 'flow'} for the API")),
    case("fullwidth", "ＡＢＣ１２３ Ｅ１０４２ ｏｒｄｅｒ", set(), compatibility(
        "fullwidth forms (as a Japanese IME types them) are separators to the index, which stores nothing for "
        "'ＡＢＣ１２３ Ｅ１０４２ ｏｒｄｅｒ', but the API reads {'abc123', 'e1042', 'order'}")),
    case("superscripts-fractions", "area 10 m² ½ ①", {"area", "10"}, compatibility(
        "'area 10 m² ½ ①' is {'area', '10'} in the index ('m' is a stopword) "
        "but {'area', '10', 'm2', '1', '2'} for the API")),
    case("other-compatibility-letters", "Ⅻ ſtop ǅemal 𝟏𝟐", {"top", "emal"}, compatibility(
        "'Ⅻ ſtop ǅemal 𝟏𝟐' (roman numeral, long s, title-case digraph, mathematical digits) is {'top', 'emal'} "
        "in the index but {'xii', 'stop', 'dzemal', '12'} for the API")),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Iterator[duckdb.DuckDBPyConnection]:
    root = tmp_path_factory.mktemp("keyword")
    content = Content(root=root, articles=[], categories={}, synonyms=[], problems=Problems(root))
    chunks = [Chunk(id=case_id, article_id="a", title="", heading_path=[], anchor="", text=text, position=0)
              for case_id, text, *_ in CASES]
    write_index(root / "index.duckdb", content, chunks, {})
    db = duckdb.connect(str(root / "index.duckdb"), read_only=True)
    load_fts(db)
    yield db
    db.close()


@pytest.fixture(scope="module")
def analyzer(index) -> Analyzer:
    ids = [r[0] for r in index.execute(f"SELECT id FROM {CHUNKS_TABLE}").fetchall()]
    public = np.ones(len(ids), dtype=bool)
    return Analyzer(index, Postings(index, {i: n for n, i in enumerate(ids)}, public), [], public)


def stored_terms(index: duckdb.DuckDBPyConnection, chunk_id: str) -> set[str]:
    return {term for (term,) in index.execute(f"""
        SELECT DISTINCT dict.term FROM {FTS_SCHEMA}.terms AS terms
        JOIN {FTS_SCHEMA}.dict AS dict USING (termid) JOIN {FTS_SCHEMA}.docs AS docs USING (docid)
        WHERE docs.name = ?""", [chunk_id]).fetchall()}


def derived_terms(analyzer: Analyzer, text: str) -> set[str]:
    """What `Analyzer.terms` looks up for the text, before typo corrections and synonyms."""
    return set(analyzer.stems_of([w for w in tokenize(text) if w not in analyzer.stopwords]))


@pytest.mark.parametrize("case_id, floor", [pytest.param(c[0], c[2], id=c[0]) for c in CASES])
def test_the_index_stores_the_expected_terms(index, case_id, floor):
    assert floor <= stored_terms(index, case_id)


@pytest.mark.parametrize("case_id, text", [
    pytest.param(case_id, text, id=case_id, marks=[pytest.mark.xfail(strict=True, reason=why)] if why else [])
    for case_id, text, _, why in CASES])
def test_the_analyzer_derives_the_terms_the_index_stored(index, analyzer, case_id, text):
    assert derived_terms(analyzer, text) == stored_terms(index, case_id)


def test_both_sides_split_on_the_project_s_pattern(index):
    macro, = index.execute("SELECT macro_definition FROM duckdb_functions() WHERE schema_name = ? AND function_name = 'tokenize'",
                           [FTS_SCHEMA]).fetchone()
    assert f"'{IGNORE}'" in macro
    assert SPLIT.pattern == IGNORE


def test_the_stopwords_are_the_index_s_own(index, analyzer):
    assert analyzer.stopwords == {sw for (sw,) in index.execute(f"SELECT sw FROM {FTS_SCHEMA}.stopwords").fetchall()}
    assert {"the", "and", "of"} <= analyzer.stopwords


def test_queries_look_up_the_stored_terms(index, analyzer):
    """The query path itself: no typo corrections for words the index has, every term found."""
    terms, corrections = analyzer.terms("Café E1042 on/off follow-up technician’s résumé v2.3.1")
    assert corrections == {}
    assert {t.stem for t in terms} == {"cafe", "e1042", "follow", "technician", "resum", "v2", "3", "1"}
    assert all(t.stem in analyzer.postings.term_id for t in terms)
