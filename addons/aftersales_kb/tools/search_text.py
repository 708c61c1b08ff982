"""Search documents and queries for the knowledge base.

Chinese has no spaces between words and most queries are two characters long
(开机, 屏幕, 充电), below what a trigram index serves. Articles therefore carry
a search document built here, in Python, at write time:

- latin words (English, model numbers) lower-cased, with a light plural strip
  and without a few English filler words;
- every run of Chinese characters cut into its overlapping character bigrams
  (设备无法开机 -> 设备 备无 无法 法开 开机), plus its single characters so
  that a one-character query still matches.

PostgreSQL indexes ``to_tsvector('simple', document)`` with GIN, and a query is
turned into a tsquery the same way (all bigrams and words AND-ed), so every
search is an index lookup ranked by ``ts_rank``.

A query is its first ``MAX_QUERY_LENGTH`` characters: what a user types is cut
there before anything else is done with it (no error: a longer text searches
as its beginning), so that no query costs more than a short one.
"""

import re
import unicodedata

from odoo.tools import SQL, html2plaintext

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_CJK_RE = re.compile(rf"[{_CJK}]")
# Words that carry no meaning in a fault description; dropped on both sides.
STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "has", "have", "i", "in"}
    | {"is", "it", "its", "my", "of", "on", "or", "so", "the", "this", "to", "was", "when", "with"}
)
MAX_TOKEN_LENGTH = 40
MAX_QUERY_TOKENS = 24
MAX_QUERY_LENGTH = 200
# Markup of a fault description read before its text is taken for a query.
MAX_HTML_QUERY_LENGTH = 20 * MAX_QUERY_LENGTH


def cap_query(text):
    """The part of a user's query that is searched: its first MAX_QUERY_LENGTH characters."""
    return (text or "")[:MAX_QUERY_LENGTH]


def html_query(html):
    """The text of the beginning of an HTML description, to search with."""
    return cap_query(html2plaintext(html[:MAX_HTML_QUERY_LENGTH])) if html else ""


def _normalize(text):
    return unicodedata.normalize("NFKC", text or "").lower()


def _stem(word):
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _split(text):
    """Yield (is_chinese, chunk) for the words and Chinese runs of ``text``."""
    for chunk in _TOKEN_RE.findall(_normalize(text)):
        yield bool(_CJK_RE.match(chunk)), chunk


def build_document(*texts, html=False):
    """Return the search document of ``texts``: distinct tokens joined by spaces."""
    tokens = []
    seen = set()

    def add(token):
        if token not in seen:
            seen.add(token)
            tokens.append(token)

    for text in texts:
        if not text:
            continue
        for chinese, chunk in _split(html2plaintext(text) if html else text):
            if chinese:
                for char in chunk:
                    add(char)
                for index in range(len(chunk) - 1):
                    add(chunk[index : index + 2])
            elif chunk not in STOPWORDS:
                add(_stem(chunk)[:MAX_TOKEN_LENGTH])
    return " ".join(tokens)


def query_tokens(text, prefix=False):
    """Return the tokens of a user's query as (token, is_prefix) pairs.

    A Chinese run of one character is searched as that character, a longer
    run as its bigrams. With ``prefix``, the last latin word is matched as a
    prefix (type-ahead: "pow" finds "power") unless the query ends with a space.
    Only the first MAX_QUERY_LENGTH characters of ``text`` are read.
    """
    text = cap_query(text)
    result = []
    for chinese, chunk in _split(text):
        if chinese:
            if len(chunk) == 1:
                result.append((chunk, False))
            else:
                result.extend((chunk[index : index + 2], False) for index in range(len(chunk) - 1))
        elif chunk not in STOPWORDS:
            result.append((_stem(chunk)[:MAX_TOKEN_LENGTH], False))
    if prefix and result and text and not text[-1].isspace():
        last, _is_prefix = result[-1]
        if not _CJK_RE.match(last):
            result[-1] = (last, True)
    unique = list(dict.fromkeys(result))
    return unique[:MAX_QUERY_TOKENS]


def build_tsquery(text, prefix=False, operator="&"):
    """Return the tsquery source text for ``text`` (to give to
    ``to_tsquery('simple', ...)``), or None when the query has no word."""
    tokens = query_tokens(text, prefix=prefix)
    if not tokens:
        return None
    return f" {operator} ".join(f"'{token}'" + (":*" if is_prefix else "") for token, is_prefix in tokens)


def search_vector_expression():
    """The weighted tsvector of an article: title (A) > symptom (B) > body (C).

    PostgreSQL keeps it in the generated column ``search_vector`` (see the
    article's ``init()``), indexed with GIN: ranking reads the stored vector
    instead of parsing the documents again."""
    return SQL(
        "setweight(to_tsvector('simple'::regconfig, COALESCE(search_doc_title, '')), 'A')"
        " || setweight(to_tsvector('simple'::regconfig, COALESCE(search_doc_symptom, '')), 'B')"
        " || setweight(to_tsvector('simple'::regconfig, COALESCE(search_doc_body, '')), 'C')"
    )


def search_vector_sql(alias=None):
    """The indexed search vector column, qualified with ``alias`` if given."""
    return SQL.identifier(alias, "search_vector") if alias else SQL.identifier("search_vector")
