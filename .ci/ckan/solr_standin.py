#!/usr/bin/env python3
"""A small Apache Solr stand-in that speaks enough of Solr's HTTP protocol for CKAN.

Standard library only.  It keeps the documents of one core in memory (optionally
persisted to a JSON file on every commit and on shutdown) and serves:

  GET|POST /solr/<core>/select            q, fq (repeatable), sort, rows, start, fl,
                                          defType (lucene/dismax/edismax), qf, mm,
                                          q.op, df, facet, facet.field, facet.limit,
                                          facet.mincount, facet.sort, facet.prefix
  POST     /solr/<core>/update[/json[/docs]|/xml]
                                          JSON (array of docs or command object) and XML
                                          (<add>, <delete><id|query>, <commit/>,
                                          <optimize/>, <rollback/>) bodies, ?commit=true
  GET      /solr/<core>/admin/ping        {"status": "OK"}
  GET      /solr/<core>/schema?wt=schema.xml and /admin/file?file=schema.xml
                                          the schema XML (CKAN checks its version)
  GET      /solr/<core>/schema[/name|/version|/uniquekey|/fields]   JSON
  GET      /solr/admin/cores?action=STATUS, /solr/admin/info/system  minimal JSON

The field types come from a real Solr schema.xml (pass CKAN's
ckan/config/solr/schema.xml with --schema); without one, a built-in excerpt of
CKAN's schema is used.  Query syntax: *:*, field:value, field:"phrase", +/-/NOT/!,
AND/&&, OR/||, parentheses and field:(a OR b) groups, [a TO b] / {a TO b} ranges
(with * and NOW date math), * and ? wildcards, ^boost and ~slop (accepted,
boost used for scoring only), {!local params} prefixes (ignored).
Text fields are analysed crudely (ASCII folding, lower case, word-delimiter
splitting, a light English stemmer) -- close to, not identical with, Solr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import functools
import json
import logging
import os
import re
import signal
import sys
import threading
import time
import unicodedata
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

log = logging.getLogger("solr-standin")

# --------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------

# Excerpt of CKAN 2.12's ckan/config/solr/schema.xml, used when --schema is not given.
FALLBACK_SCHEMA = """<?xml version="1.0" encoding="UTF-8" ?>
<schema name="ckan-2.12" version="1.6">
<types>
  <fieldType name="string" class="solr.StrField" sortMissingLast="true"/>
  <fieldType name="boolean" class="solr.BoolField" sortMissingLast="true"/>
  <fieldType name="int" class="solr.IntPointField"/>
  <fieldType name="date" class="solr.DatePointField"/>
  <fieldType name="text" class="solr.TextField">
    <analyzer><tokenizer class="solr.WhitespaceTokenizerFactory"/>
      <filter class="solr.SnowballPorterFilterFactory"/></analyzer>
  </fieldType>
  <fieldType name="text_general" class="solr.TextField">
    <analyzer><tokenizer class="solr.WhitespaceTokenizerFactory"/></analyzer>
  </fieldType>
  <fieldType name="text_ngram" class="solr.TextField">
    <analyzer><tokenizer class="solr.NGramTokenizerFactory"/></analyzer>
  </fieldType>
</types>
<fields>
  <field name="index_id" type="string" indexed="true" stored="true" required="true"/>
  <field name="id" type="string" indexed="true" stored="true" required="true"/>
  <field name="site_id" type="string" indexed="true" stored="true" required="true"/>
  <field name="title" type="text" indexed="true" stored="true"/>
  <field name="title_ngram" type="text_ngram" indexed="true" stored="true"/>
  <field name="entity_type" type="string" indexed="true" stored="true"/>
  <field name="dataset_type" type="string" indexed="true" stored="true"/>
  <field name="state" type="string" indexed="true" stored="true"/>
  <field name="name" type="string" indexed="true" stored="true"/>
  <field name="name_ngram" type="text_ngram" indexed="true" stored="true"/>
  <field name="version" type="string" indexed="true" stored="true"/>
  <field name="url" type="string" indexed="true" stored="true"/>
  <field name="notes" type="text" indexed="true" stored="true"/>
  <field name="author" type="text_general" indexed="true" stored="true"/>
  <field name="maintainer" type="text_general" indexed="true" stored="true"/>
  <field name="license" type="string" indexed="true" stored="true"/>
  <field name="license_id" type="string" indexed="true" stored="true"/>
  <field name="tags" type="string" indexed="true" stored="true" multiValued="true"/>
  <field name="groups" type="string" indexed="true" stored="true" multiValued="true"/>
  <field name="organization" type="string" indexed="true" stored="true"/>
  <field name="capacity" type="string" indexed="true" stored="true"/>
  <field name="permission_labels" type="string" indexed="true" stored="false" multiValued="true"/>
  <field name="res_name" type="text_general" indexed="true" stored="true" multiValued="true"/>
  <field name="res_description" type="text_general" stored="true" multiValued="true"/>
  <field name="res_format" type="string" indexed="true" stored="true" multiValued="true"/>
  <field name="res_url" type="string" indexed="true" stored="true" multiValued="true"/>
  <field name="res_type" type="string" indexed="true" stored="true" multiValued="true"/>
  <field name="text" type="text" indexed="true" stored="false" multiValued="true"/>
  <field name="urls" type="text" indexed="true" stored="false" multiValued="true"/>
  <field name="views_total" type="int" indexed="true" stored="false"/>
  <field name="views_recent" type="int" indexed="true" stored="false"/>
  <field name="metadata_created" type="date" indexed="true" stored="true"/>
  <field name="metadata_modified" type="date" indexed="true" stored="true"/>
  <field name="indexed_ts" type="date" indexed="true" stored="true" default="NOW"/>
  <field name="title_string" type="string" indexed="true" stored="false"/>
  <field name="data_dict" type="string" indexed="false" stored="true"/>
  <field name="validated_data_dict" type="string" indexed="false" stored="true"/>
  <field name="_version_" type="string" indexed="true" stored="true"/>
  <dynamicField name="*_date" type="date" indexed="true" stored="true"/>
  <dynamicField name="extras_*" type="text" indexed="true" stored="true"/>
  <dynamicField name="res_extras_*" type="text" indexed="true" stored="true" multiValued="true"/>
  <dynamicField name="vocab_*" type="string" indexed="true" stored="true" multiValued="true"/>
  <dynamicField name="*" type="string" indexed="true" stored="false"/>
</fields>
<uniqueKey>index_id</uniqueKey>
<copyField source="url" dest="urls"/>
<copyField source="title" dest="title_ngram"/>
<copyField source="name" dest="name_ngram"/>
<copyField source="res_url" dest="urls"/>
<copyField source="extras_*" dest="text"/>
<copyField source="res_extras_*" dest="text"/>
<copyField source="vocab_*" dest="text"/>
<copyField source="urls" dest="text"/>
<copyField source="name" dest="text"/>
<copyField source="title" dest="text"/>
<copyField source="text" dest="text"/>
<copyField source="license" dest="text"/>
<copyField source="notes" dest="text"/>
<copyField source="tags" dest="text"/>
<copyField source="groups" dest="text"/>
<copyField source="organization" dest="text"/>
<copyField source="res_name" dest="text"/>
<copyField source="res_description" dest="text"/>
<copyField source="maintainer" dest="text"/>
<copyField source="author" dest="text"/>
</schema>
"""


class SolrError(Exception):
    def __init__(self, msg: str, code: int = 400):
        super().__init__(msg)
        self.msg = msg
        self.code = code


def _truthy(v, default=False) -> bool:
    if v is None:
        return default
    return str(v).strip().lower() in ("true", "1", "yes", "on")


class FieldInfo:
    __slots__ = ("default", "kind", "multi", "name", "required", "stem", "stored")

    def __init__(
        self, name, kind, stored=True, multi=False, required=False, default=None, stem=False
    ):
        self.name, self.kind, self.stored, self.multi = name, kind, stored, multi
        self.required, self.default, self.stem = required, default, stem


class Schema:
    """The parts of a Solr schema.xml that matter for matching and returning fields."""

    def __init__(self, xml_text: str):
        self.xml_text = xml_text
        root = ET.fromstring(xml_text.encode("utf-8") if isinstance(xml_text, str) else xml_text)
        self.name = root.get("name", "")
        self.version = root.get("version", "")
        types = {}
        for ft in root.iter():
            if ft.tag.lower() != "fieldtype":
                continue
            cls = (ft.get("class") or "").rsplit(".", 1)[-1]
            kind = "string"
            stem = False
            if cls == "TextField":
                kind = "text"
                for tok in ft.iter("tokenizer"):
                    if "NGram" in (tok.get("class") or ""):
                        kind = "ngram"
                for flt in ft.iter("filter"):
                    if "Snowball" in (flt.get("class") or "") or "Porter" in (
                        flt.get("class") or ""
                    ):
                        stem = True
            elif cls == "BoolField":
                kind = "bool"
            elif cls in (
                "IntPointField",
                "LongPointField",
                "TrieIntField",
                "TrieLongField",
                "IntField",
                "LongField",
            ):
                kind = "int"
            elif cls in (
                "FloatPointField",
                "DoublePointField",
                "TrieFloatField",
                "TrieDoubleField",
                "FloatField",
                "DoubleField",
            ):
                kind = "float"
            elif cls in ("DatePointField", "TrieDateField", "DateField"):
                kind = "date"
            types[ft.get("name")] = (
                kind,
                _truthy(ft.get("multiValued")),
                stem,
                _truthy(ft.get("stored"), True),
            )
        self.fields: dict[str, FieldInfo] = {}
        self.dynamic: list[tuple[str, FieldInfo]] = []
        for el in root.iter():
            if el.tag not in ("field", "dynamicField"):
                continue
            kind, tmulti, stem, tstored = types.get(el.get("type"), ("string", False, False, True))
            info = FieldInfo(
                el.get("name"),
                kind,
                stored=_truthy(el.get("stored"), tstored),
                multi=_truthy(el.get("multiValued"), tmulti),
                required=_truthy(el.get("required")),
                default=el.get("default"),
                stem=stem,
            )
            if el.tag == "field":
                self.fields[info.name] = info
            else:
                self.dynamic.append((info.name, info))
        # Solr tries the longest dynamic field patterns first
        self.dynamic.sort(key=lambda p: -len(p[0]))
        uk = root.find("uniqueKey")
        self.unique_key = (uk.text or "id").strip() if uk is not None else "id"
        self.copy_fields = [(c.get("source"), c.get("dest")) for c in root.iter("copyField")]
        self._cache: dict[str, FieldInfo | None] = {}

    def info(self, name: str) -> FieldInfo | None:
        if name in self.fields:
            return self.fields[name]
        if name in self._cache:
            return self._cache[name]
        found = None
        for pattern, info in self.dynamic:
            if (pattern.startswith("*") and name.endswith(pattern[1:])) or (
                pattern.endswith("*") and name.startswith(pattern[:-1])
            ):
                found = info
                break
        self._cache[name] = found
        return found

    def kind(self, name: str) -> str:
        info = self.info(name)
        return info.kind if info else "string"

    def copy_targets(self, name: str) -> list[str]:
        out = []
        for src, dest in self.copy_fields:
            matches = src == name or ("*" in src and fnmatch.fnmatchcase(name, src))
            if matches and dest != name:
                out.append(dest)
        return out


# --------------------------------------------------------------------------
# Analysis
# --------------------------------------------------------------------------

_SPLIT_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\W\d_]+", re.UNICODE)


def fold(s: str) -> str:
    return (
        unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
        if not s.isascii()
        else s
    )


def stem(w: str) -> str:
    """A deliberately light English stemmer (Snowball would be the real thing)."""
    if len(w) <= 3 or w.isdigit():
        return w
    if w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "i"
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suf in ("ing", "ed"):
        if w.endswith(suf) and len(w) - len(suf) >= 3 and re.search(r"[aeiouy]", w[: -len(suf)]):
            w = w[: -len(suf)]
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]
            break
    if w.endswith("y") and len(w) > 3 and w[-2] not in "aeiou":
        w = w[:-1] + "i"
    return w


def analyze(value: str, with_stem: bool, catenated: list | None = None) -> list[str]:
    """Whitespace tokenizer + word delimiter + lower case (+ stem).  If `catenated` is a
    list, the catenations of split words (wi-fi -> wifi) are appended to it."""
    out: list[str] = []
    for chunk in fold(str(value)).split():
        parts = _SPLIT_RE.findall(chunk)
        low = [p.lower() for p in parts]
        out.extend(low)
        if catenated is not None and len(low) > 1:
            catenated.append(stem("".join(low)) if with_stem else "".join(low))
    if with_stem:
        out = [stem(t) for t in out]
    return out


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------

_DATE_RE = re.compile(
    r"^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?)?(Z|[+-]\d\d:?\d\d)?"
)
_MATH_RE = re.compile(
    r"([+-]\d+|/)(YEARS?|MONTHS?|DAYS?|DATE|HOURS?|MINUTES?|SECONDS?|MILLIS(?:ECONDS?)?|MILLI)"
)


def _floor(d: dt.datetime, unit: str) -> dt.datetime:
    if unit.startswith("YEAR"):
        return d.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if unit.startswith("MONTH"):
        return d.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if unit.startswith("DAY") or unit == "DATE":
        return d.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit.startswith("HOUR"):
        return d.replace(minute=0, second=0, microsecond=0)
    if unit.startswith("MINUTE"):
        return d.replace(second=0, microsecond=0)
    if unit.startswith("SECOND"):
        return d.replace(microsecond=0)
    return d


def _add(d: dt.datetime, n: int, unit: str) -> dt.datetime:
    if unit.startswith("YEAR"):
        try:
            return d.replace(year=d.year + n)
        except ValueError:
            return d.replace(year=d.year + n, day=28)
    if unit.startswith("MONTH"):
        m = d.month - 1 + n
        y, m = d.year + m // 12, m % 12 + 1
        for day in (d.day, 30, 29, 28):
            try:
                return d.replace(year=y, month=m, day=day)
            except ValueError:
                continue
    if unit.startswith("DAY") or unit == "DATE":
        return d + dt.timedelta(days=n)
    if unit.startswith("HOUR"):
        return d + dt.timedelta(hours=n)
    if unit.startswith("MINUTE"):
        return d + dt.timedelta(minutes=n)
    if unit.startswith("SECOND"):
        return d + dt.timedelta(seconds=n)
    return d + dt.timedelta(milliseconds=n)


def parse_date(value) -> dt.datetime | None:
    """ISO date (any precision, Z or offset) or NOW, each optionally followed by date math."""
    if isinstance(value, dt.datetime):
        return value
    s = str(value).strip()
    if s.startswith("NOW"):
        d = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        rest = s[3:]
    else:
        m = _DATE_RE.match(s)
        if not m:
            return None
        y, mo, da, hh, mi, ss, frac, tz = m.groups()
        try:
            d = dt.datetime(
                int(y),
                int(mo),
                int(da),
                int(hh or 0),
                int(mi or 0),
                int(ss or 0),
                int((frac or "0")[:6].ljust(6, "0")),
            )
        except ValueError:
            return None
        if tz and tz != "Z":
            sign = 1 if tz[0] == "+" else -1
            tzd = tz[1:].replace(":", "")
            d -= sign * dt.timedelta(hours=int(tzd[:2]), minutes=int(tzd[2:]))
        rest = s[m.end() :]
    pos = 0
    while pos < len(rest):
        mm = _MATH_RE.match(rest, pos)
        if not mm:
            return None
        op, unit = mm.groups()
        d = _floor(d, unit) if op == "/" else _add(d, int(op), unit)
        pos = mm.end()
    return d


def to_number(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return v
    try:
        return float(str(v).strip())
    except ValueError:
        return None


# --------------------------------------------------------------------------
# Query AST and parser (a subset of the Lucene / dismax syntax)
# --------------------------------------------------------------------------

MUST, SHOULD, MUST_NOT = "MUST", "SHOULD", "MUST_NOT"


class MatchAll:
    boost = 1.0

    def __repr__(self):
        return "*:*"


class TermQ:
    """field may be None: then the query's default fields (df or dismax qf) are used."""

    def __init__(self, field, value, phrase=False, wildcard=None, boost=1.0):
        self.field, self.value, self.phrase, self.wildcard, self.boost = (
            field,
            value,
            phrase,
            wildcard,
            boost,
        )

    def __repr__(self):
        return "{}:{}{}".format(
            self.field or "<default>",
            f'"{self.value}"' if self.phrase else self.value,
            "(wild)" if self.wildcard else "",
        )


class RangeQ:
    def __init__(self, field, lo, hi, inc_lo, inc_hi, boost=1.0):
        self.field, self.lo, self.hi, self.inc_lo, self.inc_hi, self.boost = (
            field,
            lo,
            hi,
            inc_lo,
            inc_hi,
            boost,
        )

    def __repr__(self):
        return "{}:{}{} TO {}{}".format(
            self.field, "[" if self.inc_lo else "{", self.lo, self.hi, "]" if self.inc_hi else "}"
        )


class BoolQ:
    def __init__(self, clauses, min_should=0, boost=1.0):
        self.clauses, self.min_should, self.boost = clauses, min_should, boost

    def __repr__(self):
        return (
            "("
            + " ".join(
                "{}{!r}".format({"MUST": "+", "MUST_NOT": "-", "SHOULD": ""}[o], q)
                for o, q in self.clauses
            )
            + ")"
        )


_SPECIAL = set(' \t\r\n()[]{}:"^~')


def _lex(q: str) -> list[tuple]:  # noqa: PLR0915
    """Tokens: ('(',) (')',) (':',) ('+',) ('-',) ('NOT',) ('AND',) ('OR',)
    ('TERM', raw_value, wildcard_pattern_or_None) ('PHRASE', text) ('RANGE', lo, hi, inc_lo, inc_hi)
    ('BOOST', float) ('SLOP',)."""
    toks: list[tuple] = []
    i, n = 0, len(q)
    at_clause_start = True
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
            at_clause_start = True
            continue
        if c in "()":
            toks.append((c,))
            i += 1
            at_clause_start = True
            continue
        if c == ":":
            toks.append((":",))
            i += 1
            at_clause_start = False
            continue
        if q.startswith("&&", i):
            toks.append(("AND",))
            i += 2
            at_clause_start = True
            continue
        if q.startswith("||", i):
            toks.append(("OR",))
            i += 2
            at_clause_start = True
            continue
        if at_clause_start and c in "+-!":
            toks.append(({"+": "+", "-": "-", "!": "NOT"}[c],))
            i += 1
            continue
        if c == "^":
            m = re.compile(r"\^(\d+(?:\.\d+)?)").match(q, i)
            if not m:
                raise SolrError(
                    f"org.apache.solr.search.SyntaxError: Cannot parse '{q}': bad boost"
                )
            toks.append(("BOOST", float(m.group(1))))
            i = m.end()
            continue
        if c == "~":
            m = re.compile(r"~(\d+(?:\.\d+)?)?").match(q, i)
            toks.append(("SLOP",))
            i = m.end()
            continue
        if c == '"':
            j = i + 1
            buf = []
            while j < n and q[j] != '"':
                if q[j] == "\\" and j + 1 < n:
                    j += 1
                buf.append(q[j])
                j += 1
            if j >= n:
                raise SolrError(
                    f"org.apache.solr.search.SyntaxError: Cannot parse '{q}': "
                    "Lexical error: unterminated quoted string"
                )
            toks.append(("PHRASE", "".join(buf)))
            i = j + 1
            at_clause_start = False
            continue
        if c in "[{":
            j = i + 1
            parts, buf, in_q = [], [], False
            while j < n:
                ch = q[j]
                if in_q:
                    if ch == "\\" and j + 1 < n:
                        j += 1
                        buf.append(q[j])
                    elif ch == '"':
                        in_q = False
                    else:
                        buf.append(ch)
                elif ch == '"':
                    in_q = True
                elif ch in "]}":
                    break
                elif ch.isspace():
                    if buf:
                        parts.append("".join(buf))
                        buf = []
                elif ch == "\\" and j + 1 < n:
                    j += 1
                    buf.append(q[j])
                else:
                    buf.append(ch)
                j += 1
            if buf:
                parts.append("".join(buf))
            if j >= n or len(parts) != 3 or parts[1] != "TO":
                raise SolrError(
                    f"org.apache.solr.search.SyntaxError: Cannot parse '{q}': bad range"
                )
            toks.append(("RANGE", parts[0], parts[2], c == "[", q[j] == "]"))
            i = j + 1
            at_clause_start = False
            continue
        # a bare term: runs until whitespace or a special character; backslash escapes
        j = i
        raw, pattern, wild = [], [], False
        while j < n and q[j] not in _SPECIAL:
            ch = q[j]
            if ch == "\\" and j + 1 < n:
                raw.append(q[j + 1])
                pattern.append(re.escape(q[j + 1]))
                j += 2
                continue
            if ch in "*?":
                wild = True
                pattern.append(".*" if ch == "*" else ".")
            else:
                pattern.append(re.escape(ch))
            raw.append(ch)
            j += 1
        word = "".join(raw)
        if word in ("AND", "OR", "NOT") and j > i and q[i:j] == word:
            toks.append((word,))
        else:
            toks.append(("TERM", word, "".join(pattern) if wild else None))
        i = j
        at_clause_start = False
    return toks


class Parser:
    """Recursive-descent parser mirroring Lucene's classic QueryParser clause handling."""

    def __init__(self, q: str, default_op: str = "OR"):
        self.q = q
        self.toks = _lex(q)
        self.pos = 0
        self.and_default = default_op.upper() == "AND"

    def peek(self, k=0):
        p = self.pos + k
        return self.toks[p] if p < len(self.toks) else None

    def take(self):
        t = self.toks[self.pos]
        self.pos += 1
        return t

    def error(self, msg):
        raise SolrError(f"org.apache.solr.search.SyntaxError: Cannot parse '{self.q}': {msg}")

    def parse(self):
        node = self.query(None, top=True)
        if self.pos != len(self.toks):
            self.error(f'Encountered "{self.toks[self.pos]}"')
        return node

    def query(self, field, top=False):
        clauses: list[list] = []  # [occur, node, prohibited]
        while True:
            t = self.peek()
            if t is None or (t[0] == ")" and not top):
                break
            if t[0] == ")":
                self.error('Encountered ")"')
            conj = None
            if t[0] in ("AND", "OR"):
                conj = t[0]
                self.take()
                t = self.peek()
                if t is None:
                    self.error(f'Encountered "<EOF>" after {conj}')
            mods = None
            if t[0] in ("+", "-", "NOT"):
                mods = "REQ" if t[0] == "+" else "NOT"
                self.take()
            node = self.clause(field)
            self.add_clause(clauses, conj, mods, node)
        if not clauses:
            return BoolQ([])
        return BoolQ([(o, n) for o, n, _ in clauses])

    def add_clause(self, clauses, conj, mods, node):
        if clauses and conj == "AND":
            c = clauses[-1]
            if c[0] != MUST_NOT:
                c[0] = MUST
        if clauses and self.and_default and conj == "OR":
            c = clauses[-1]
            if c[0] != MUST_NOT:
                c[0] = SHOULD
        if node is None:
            return
        if not self.and_default:
            prohibited = mods == "NOT"
            required = mods == "REQ"
            if conj == "AND" and not prohibited:
                required = True
        else:
            prohibited = mods == "NOT"
            required = not prohibited and conj != "OR"
        occur = MUST_NOT if prohibited else (MUST if required else SHOULD)
        clauses.append([occur, node, prohibited])

    def clause(self, field):
        t = self.peek()
        if t is None:
            self.error('Encountered "<EOF>"')
        if t[0] == "TERM" and self.peek(1) is not None and self.peek(1)[0] == ":":
            self.take()
            self.take()
            fname = t[1]
            nxt = self.peek()
            if fname == "*" and nxt is not None and nxt[0] == "TERM" and nxt[1] == "*":
                self.take()
                self.maybe_boost()
                return MatchAll()
            field = fname
            t = self.peek()
            if t is None:
                self.error(f'Encountered "<EOF>" after field {fname}')
        if t[0] == "(":
            self.take()
            node = self.query(field)
            if self.peek() is None or self.peek()[0] != ")":
                self.error('Encountered "<EOF>", expected ")"')
            self.take()
            node.boost = self.maybe_boost()
            return node
        if t[0] == "TERM":
            self.take()
            self.maybe_slop()
            boost = self.maybe_boost()
            return TermQ(field, t[1], wildcard=t[2], boost=boost)
        if t[0] == "PHRASE":
            self.take()
            self.maybe_slop()
            boost = self.maybe_boost()
            return TermQ(field, t[1], phrase=True, boost=boost)
        if t[0] == "RANGE":
            self.take()
            boost = self.maybe_boost()
            if field is None:
                field = "__default__"
            return RangeQ(field, t[1], t[2], t[3], t[4], boost=boost)
        self.error(f'Encountered "{t[0]}"')

    def maybe_boost(self):
        t = self.peek()
        if t is not None and t[0] == "BOOST":
            self.take()
            return t[1]
        return 1.0

    def maybe_slop(self):
        t = self.peek()
        if t is not None and t[0] == "SLOP":
            self.take()


_LOCAL_PARAMS_RE = re.compile(r"^\s*\{!([^}]*)\}")


def strip_local_params(s: str) -> tuple[str, dict]:
    m = _LOCAL_PARAMS_RE.match(s or "")
    if not m:
        return s, {}
    params = {}
    for part in re.findall(r"(\w[\w.]*)(?:=('[^']*'|\"[^\"]*\"|\S+))?", m.group(1)):
        k, v = part
        params[k] = v.strip("'\"") if v else True
    return s[m.end() :], params


def parse_mm(spec: str | None, n: int) -> int:
    """Solr's mm (minimum should match) spec, e.g. '2<-1 5<80%'."""
    if n == 0:
        return 0
    if spec is None or str(spec).strip() == "":
        return 1

    def one(expr: str) -> int:
        expr = expr.strip()
        if expr.endswith("%"):
            pct = int(expr[:-1])
            v = int(n * abs(pct) / 100.0)
            return n - v if pct < 0 else v
        v = int(expr)
        return n + v if v < 0 else v

    spec = str(spec).strip()
    if "<" not in spec:
        res = one(spec)
    else:
        res = n
        for cond in spec.split():
            upper, _, expr = cond.partition("<")
            if n > int(upper):
                res = one(expr)
    return max(0, min(n, res))


# --------------------------------------------------------------------------
# Index
# --------------------------------------------------------------------------


class Doc:
    __slots__ = ("fields", "seq", "stored", "tokens")

    def __init__(self, stored: dict, fields: dict, seq: int):
        self.stored = stored  # the document as received (all fields)
        self.fields = fields  # field -> list of values (incl. copyField targets)
        self.tokens = {}  # (field, stemmed) -> list of token lists, lazily
        self.seq = seq


def _as_list(v):
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        return [x for x in v if x is not None]
    return [v]


def _str(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


class Core:
    def __init__(self, name: str, schema: Schema, data_file: str | None):
        self.name = name
        self.schema = schema
        self.data_file = data_file
        self.docs: dict[str, Doc] = {}
        self.lock = threading.RLock()
        self.seq = 0
        self.dirty = False
        self.load()

    # ---- persistence
    def load(self):
        if not self.data_file or not os.path.exists(self.data_file):
            return
        try:
            with open(self.data_file, encoding="utf-8") as f:
                data = json.load(f)
            for d in data.get("docs", []):
                self._add(d, validate=False)
            log.info("loaded %d documents from %s", len(self.docs), self.data_file)
        except Exception as e:  # a corrupt file must not stop the server: start empty
            log.error("could not load %s (%s); starting with an empty index", self.data_file, e)
            self.docs.clear()
        self.dirty = False

    def persist(self):
        with self.lock:
            if not self.data_file or not self.dirty:
                return
            tmp = self.data_file + ".tmp"
            docs = [d.stored for d in sorted(self.docs.values(), key=lambda d: d.seq)]
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump({"core": self.name, "docs": docs}, f)
            os.replace(tmp, self.data_file)
            self.dirty = False

    # ---- updates
    def _add(self, doc: dict, validate=True):
        sch = self.schema
        uk = sch.unique_key
        doc = dict(doc)
        for name, info in sch.fields.items():
            if name not in doc and info.default is not None:
                doc[name] = (
                    dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                    if info.default == "NOW"
                    else info.default
                )
        if validate:
            key = doc.get(uk)
            if key is None or key in ("", []):
                raise SolrError(f"Document is missing mandatory uniqueKey field: {uk}")
            for name, info in sch.fields.items():
                if info.required and not _as_list(doc.get(name)):
                    raise SolrError(f"[doc={_str(key)}] missing required field: {name}")
            for name, value in doc.items():
                info = sch.info(name)
                if info is None:
                    raise SolrError(f"[doc={_str(key)}] unknown field '{name}'")
                if isinstance(value, (list, tuple)) and len(value) > 1 and not info.multi:
                    raise SolrError(
                        f"ERROR: [doc={_str(key)}] multiple values encountered for non multiValued "
                        f"field {name}: {json.dumps(value)[:200]}"
                    )
        fields: dict[str, list] = {}
        for name, value in doc.items():
            vals = _as_list(value)
            fields.setdefault(name, []).extend(vals)
        # copyField (one level, as Solr does)
        for name, value in list(doc.items()):
            for dest in sch.copy_targets(name):
                fields.setdefault(dest, []).extend(_as_list(value))
        self.seq += 1
        key = _str(_as_list(doc.get(uk))[0]) if _as_list(doc.get(uk)) else ""
        self.docs[key] = Doc(doc, fields, self.seq)
        self.dirty = True

    def add(self, doc: dict):
        with self.lock:
            # atomic updates: {"field": {"set": v}} etc.
            if any(isinstance(v, dict) for v in doc.values()):
                key = _str(doc.get(self.schema.unique_key))
                base = dict(self.docs[key].stored) if key in self.docs else {}
                for k, v in doc.items():
                    if (
                        isinstance(v, dict)
                        and len(v) == 1
                        and next(iter(v)) in ("set", "add", "remove", "inc", "add-distinct")
                    ):
                        op, arg = next(iter(v.items()))
                        cur = _as_list(base.get(k))
                        if op == "set":
                            base[k] = arg
                        elif op in ("add", "add-distinct"):
                            new = cur + [a for a in _as_list(arg) if op == "add" or a not in cur]
                            base[k] = new
                        elif op == "remove":
                            base[k] = [c for c in cur if c not in _as_list(arg)]
                        elif op == "inc":
                            base[k] = (to_number(cur[0]) if cur else 0) + to_number(arg)
                        if base.get(k) is None or base.get(k) == []:
                            base.pop(k, None)
                    else:
                        base[k] = v
                doc = base
            self._add(doc)

    def delete_ids(self, ids):
        with self.lock:
            for i in ids:
                if self.docs.pop(_str(i), None) is not None:
                    self.dirty = True

    def delete_query(self, q: str):
        with self.lock:
            node = Parser(strip_local_params(q)[0], "OR").parse()
            ctx = QueryContext(self.schema, ["text"], {})
            doomed = [k for k, d in self.docs.items() if ctx.match(node, d) is not None]
            for k in doomed:
                del self.docs[k]
            if doomed:
                self.dirty = True
            return len(doomed)

    def clear(self):
        with self.lock:
            self.docs.clear()
            self.dirty = True


# --------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------


class QueryContext:
    def __init__(
        self, schema: Schema, default_fields: list[str], boosts: dict[str, float], tie: float = 0.0
    ):
        self.schema = schema
        self.default_fields = default_fields
        self.boosts = boosts
        self.tie = tie

    # returns a score (float > 0) on match, or None
    def match(self, node, doc: Doc):
        if isinstance(node, MatchAll):
            return 1.0
        if isinstance(node, BoolQ):
            return self._bool(node, doc)
        if isinstance(node, TermQ):
            fields = [node.field] if node.field else self.default_fields
            return self._multi(fields, doc, lambda f: self._term(f, node, doc), node.boost)
        if isinstance(node, RangeQ):
            fields = self.default_fields if node.field == "__default__" else [node.field]
            return self._multi(fields, doc, lambda f: self._range(f, node, doc), node.boost)
        raise SolrError(f"unsupported query node {node!r}")

    def _multi(self, fields, doc, fn, boost):
        scores = []
        for f in fields:
            if fn(f):
                scores.append(self.boosts.get(f, 1.0))
        if not scores:
            return None
        best = max(scores)
        return boost * (best + self.tie * (sum(scores) - best))

    def _bool(self, node: BoolQ, doc: Doc):
        musts = [q for o, q in node.clauses if o == MUST]
        shoulds = [q for o, q in node.clauses if o == SHOULD]
        nots = [q for o, q in node.clauses if o == MUST_NOT]
        score = 0.0
        for q in nots:
            if self.match(q, doc) is not None:
                return None
        for q in musts:
            s = self.match(q, doc)
            if s is None:
                return None
            score += s
        matched = 0
        for q in shoulds:
            s = self.match(q, doc)
            if s is not None:
                matched += 1
                score += s
        need = node.min_should if node.min_should else (1 if (shoulds and not musts) else 0)
        if matched < need:
            return None
        if not musts and not shoulds:
            # a purely negative (or empty) query: Solr matches all docs minus the negatives
            return 1.0 if nots else None
        return node.boost * max(score, 1e-6)

    def _values(self, field, doc):
        return doc.fields.get(field) or []

    def _tokens(self, field, doc, with_stem):
        key = (field, with_stem)
        toks = doc.tokens.get(key)
        if toks is None:
            toks = []
            for v in self._values(field, doc):
                extra: list = []
                seq = analyze(_str(v), with_stem, extra)
                toks.append((seq, set(seq) | set(extra)))
            doc.tokens[key] = toks
        return toks

    def _term(self, field, node: TermQ, doc: Doc) -> bool:
        values = self._values(field, doc)
        if not values:
            return False
        info = self.schema.info(field)
        kind = info.kind if info else "string"
        value = node.value
        if node.wildcard:
            if node.wildcard == ".*":
                return True  # field:* -> has a value
            rx = re.compile(
                node.wildcard
                if kind in ("string", "bool", "int", "float", "date")
                else node.wildcard.lower(),
                re.S,
            )
            if kind in ("text", "ngram"):
                for _seq, toks in self._tokens(field, doc, False):
                    if any(rx.fullmatch(t) for t in toks):
                        return True
                return any(rx.fullmatch(_str(v).lower()) for v in values)
            return any(rx.fullmatch(_str(v)) for v in values)
        if kind == "string":
            return any(_str(v) == value for v in values)
        if kind == "bool":
            return any(_str(v).lower() == value.lower() for v in values)
        if kind in ("int", "float"):
            want = to_number(value)
            return want is not None and any(to_number(v) == want for v in values)
        if kind == "date":
            want = parse_date(value)
            return want is not None and any(parse_date(v) == want for v in values)
        if kind == "ngram":
            needles = [t.lower() for t in fold(value).split()]
            return bool(needles) and any(
                all(nd in fold(_str(v)).lower() for nd in needles) for v in values
            )
        # text
        with_stem = bool(info and info.stem)
        qtoks = analyze(value, with_stem)
        if not qtoks:
            return False
        for toks, tokset in self._tokens(field, doc, with_stem):
            if len(qtoks) == 1:
                if qtoks[0] in tokset:
                    return True
            else:
                m = len(qtoks)
                for i in range(len(toks) - m + 1):
                    if toks[i : i + m] == qtoks:
                        return True
        return False

    def _range(self, field, node: RangeQ, doc: Doc) -> bool:
        values = self._values(field, doc)
        if not values:
            return False
        kind = self.schema.kind(field)
        lo, hi = node.lo, node.hi
        if kind == "date":
            conv = parse_date
        elif kind in ("int", "float"):
            conv = to_number
        else:
            # string fields compare as strings; numbers-looking both sides compare numerically
            def conv(x):
                return _str(x)

            los, his = (None if lo == "*" else lo), (None if hi == "*" else hi)
            if all(
                to_number(x) is not None for x in [v for v in (los, his) if v is not None]
            ) and all(to_number(v) is not None for v in values):
                conv = to_number
        lo_v = None if lo == "*" else conv(lo)
        hi_v = None if hi == "*" else conv(hi)
        if (lo != "*" and lo_v is None) or (hi != "*" and hi_v is None):
            raise SolrError(f"Invalid {kind} value in range query on field {field}: {lo} TO {hi}")
        for v in values:
            x = conv(v)
            if x is None:
                continue
            if lo_v is not None and (x < lo_v or (x == lo_v and not node.inc_lo)):
                continue
            if hi_v is not None and (x > hi_v or (x == hi_v and not node.inc_hi)):
                continue
            return True
        return False


# --------------------------------------------------------------------------
# Search
# --------------------------------------------------------------------------


def _get(params: list[tuple[str, str]], key, default=None):
    for k, v in reversed(params):
        if k == key:
            return v
    return default


def _getall(params, key):
    return [v for k, v in params if k == key]


def _parse_qf(qf: str) -> tuple[list[str], dict[str, float]]:
    fields, boosts = [], {}
    for part in (qf or "").split():
        name, _, b = part.partition("^")
        fields.append(name)
        boosts[name] = float(b) if b else 1.0
    return fields, boosts


def build_main_query(params, schema):
    q = _get(params, "q")
    deftype = _get(params, "defType", "lucene")
    q_op = _get(params, "q.op", "OR")
    df = _get(params, "df", "text")
    if q is None or q.strip() == "":
        # Solr: no q -> matches nothing for lucene, q.alt (default *:*) for dismax
        if deftype in ("dismax", "edismax"):
            q = _get(params, "q.alt", "*:*")
            deftype = "lucene"
        else:
            return MatchAll() if q is None else BoolQ([]), QueryContext(schema, [df], {})
    q, local = strip_local_params(q)
    deftype = local.get("type", local.get("defType", deftype)) if local else deftype
    if deftype in ("dismax", "edismax"):
        fields, boosts = _parse_qf(_get(params, "qf") or df)
        tie = float(_get(params, "tie", "0") or 0)
        ctx = QueryContext(schema, fields, boosts, tie)
        if deftype == "dismax":
            # dismax: only + - "phrases" (and AND/OR) are syntax, everything else is literal
            q = re.sub(r"([\\:()\[\]{}^~*?!/])", r"\\\1", q)
        node = Parser(q, "OR").parse()
        mm = _get(params, "mm")
        if mm is None:
            mm = "100%" if (deftype == "dismax" or q_op.upper() == "AND") else "0%"
        shoulds = [c for c in node.clauses if c[0] == SHOULD]
        explicit_or = any(t[0] == "OR" for t in _lex(q))
        if shoulds and not (deftype == "edismax" and explicit_or):
            node.min_should = parse_mm(mm, len(shoulds))
        return node, ctx
    if deftype not in ("lucene", "standard"):
        raise SolrError(f"Unknown query parser '{deftype}'")
    return Parser(q, q_op).parse(), QueryContext(schema, [df], {})


def _sort_key_value(doc: Doc, field: str, kind: str):
    vals = doc.fields.get(field)
    if not vals:
        return None
    v = vals[0]
    if kind in ("int", "float"):
        return to_number(v)
    if kind == "date":
        return parse_date(v)
    if kind == "bool":
        return _str(v).lower() == "true"
    return _str(v)


def parse_sort(spec: str, schema: Schema):
    out = []
    for part in [p.strip() for p in (spec or "").split(",") if p.strip()]:
        bits = part.split()
        if len(bits) != 2 or bits[1].lower() not in ("asc", "desc"):
            raise SolrError(f"Can't determine a Sort Order (asc or desc) in sort spec '{part}'")
        field = bits[0]
        if field != "score" and schema.info(field) is None:
            raise SolrError(f"sort param field can't be found: {field}")
        out.append((field, bits[1].lower() == "desc"))
    return out


def search(core: Core, params: list[tuple[str, str]]) -> dict:  # noqa: PLR0915
    t0 = time.time()
    schema = core.schema
    node, ctx = build_main_query(params, schema)
    q_op = _get(params, "q.op", "OR")
    filters = []
    for raw_fq in _getall(params, "fq"):
        fq, _local = strip_local_params(raw_fq)
        if fq.strip():
            filters.append(Parser(fq, q_op).parse())
    fctx = QueryContext(schema, [_get(params, "df", "text")], {})
    try:
        start = int(_get(params, "start", "0") or 0)
        rows = int(_get(params, "rows", "10") or 10)
    except ValueError as e:
        raise SolrError(str(e)) from None
    sort = parse_sort(_get(params, "sort", ""), schema)

    with core.lock:
        docs = list(core.docs.values())
    hits = []
    for d in docs:
        if any(fctx.match(f, d) is None for f in filters):
            continue
        s = ctx.match(node, d)
        if s is None:
            continue
        hits.append((s, d))

    if not sort:
        sort = [("score", True)]

    kinds = {f: schema.kind(f) for f, _ in sort}

    def cmp(a, b):
        for field, desc in sort:
            if field == "score":
                va, vb = a[0], b[0]
            else:
                va, vb = (
                    _sort_key_value(a[1], field, kinds[field]),
                    _sort_key_value(b[1], field, kinds[field]),
                )
            if va == vb:
                continue
            if va is None:
                return 1  # missing values last
            if vb is None:
                return -1
            try:
                r = -1 if va < vb else 1
            except TypeError:
                r = -1 if str(va) < str(vb) else 1
            return -r if desc else r
        return -1 if a[1].seq < b[1].seq else (1 if a[1].seq > b[1].seq else 0)

    hits.sort(key=functools.cmp_to_key(cmp))
    page = hits[start : start + rows] if rows >= 0 else hits[start:]

    fl = _get(params, "fl") or "*"
    want = [f for f in re.split(r"[\s,]+", fl) if f]
    with_score = "score" in want
    want = [f for f in want if f != "score"] or ["*"]
    out_docs = []
    for s, d in page:
        od = {}
        for k, v in d.stored.items():
            info = schema.info(k)
            if info is not None and not info.stored:
                continue
            if any(w in ("*", k) or ("*" in w and fnmatch.fnmatchcase(k, w)) for w in want):
                od[k] = v
        if with_score:
            od["score"] = round(float(s), 6)
        out_docs.append(od)

    resp = {
        "responseHeader": {
            "status": 0,
            "QTime": int((time.time() - t0) * 1000),
            "params": _echo_params(params),
        },
        "response": {
            "numFound": len(hits),
            "start": start,
            "numFoundExact": True,
            "maxScore": max([h[0] for h in hits], default=0.0),
            "docs": out_docs,
        },
    }
    if _truthy(_get(params, "facet")):
        resp["facet_counts"] = {
            "facet_queries": {},
            "facet_fields": facet_fields(core, params, [d for _, d in hits], docs),
            "facet_ranges": {},
            "facet_intervals": {},
            "facet_heatmaps": {},
        }
    return resp


def _facet_terms(d: Doc, field: str, info: FieldInfo | None) -> set[str]:
    vals = d.fields.get(field) or []
    if info is not None and info.kind in ("text", "ngram"):
        return {t for v in vals for t in analyze(_str(v), info.stem)}
    return {_str(v) for v in vals}


def facet_fields(core: Core, params, hit_docs: list[Doc], all_docs: list[Doc]) -> dict:
    out = {}
    schema = core.schema
    for raw in _getall(params, "facet.field"):
        field, local = strip_local_params(raw)
        field = field.strip()
        key = local.get("key", field) if local else field

        def p(name, default, field=field):
            return _get(params, f"f.{field}.facet.{name}", _get(params, f"facet.{name}", default))

        limit = int(p("limit", "100"))
        mincount = int(p("mincount", "0"))
        fsort = p("sort", "count" if limit > 0 else "index")
        prefix = p("prefix", None)
        offset = int(p("offset", "0"))
        info = schema.info(field)

        counts: dict[str, int] = {}
        for d in hit_docs:
            for t in _facet_terms(d, field, info):
                counts[t] = counts.get(t, 0) + 1
        if mincount <= 0:
            for d in all_docs:
                for t in _facet_terms(d, field, info):
                    counts.setdefault(t, 0)
        items = [
            (t, c)
            for t, c in counts.items()
            if c >= mincount and (not prefix or t.startswith(prefix))
        ]
        if fsort in ("count", "true"):
            items.sort(key=lambda tc: (-tc[1], tc[0]))
        else:
            items.sort(key=lambda tc: tc[0])
        items = items[offset:]
        if limit >= 0:
            items = items[:limit]
        flat = []
        for t, c in items:
            flat.extend([t, c])
        out[key] = flat
    return out


def _echo_params(params):
    out = {}
    for k, v in params:
        if k in out:
            if not isinstance(out[k], list):
                out[k] = [out[k]]
            out[k].append(v)
        else:
            out[k] = v
    return out


# --------------------------------------------------------------------------
# Update message parsing
# --------------------------------------------------------------------------


def _xml_value(text):
    return text if text is not None else ""


def apply_xml_update(core: Core, body: bytes) -> bool:
    """Returns True if the message contained a commit/optimize command."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        raise SolrError(f"Unexpected XML in update body: {e}") from None
    commands = list(root) if root.tag == "update" else [root]
    committed = False
    for cmd in commands:
        if cmd.tag == "add":
            for doc_el in cmd.findall("doc"):
                doc: dict = {}
                for f in doc_el.findall("field"):
                    name = f.get("name")
                    val = _xml_value(f.text)
                    upd = f.get("update")
                    if upd:
                        doc.setdefault(name, {upd: []})[upd].append(val)
                        continue
                    if name in doc:
                        if not isinstance(doc[name], list):
                            doc[name] = [doc[name]]
                        doc[name].append(val)
                    else:
                        doc[name] = val
                for k, v in list(doc.items()):
                    if isinstance(v, dict):
                        op, vals = next(iter(v.items()))
                        doc[k] = {op: vals[0] if len(vals) == 1 and op in ("set", "inc") else vals}
                core.add(doc)
        elif cmd.tag == "delete":
            ids = [el.text or "" for el in cmd.findall("id")]
            if ids:
                core.delete_ids(ids)
            for qel in cmd.findall("query"):
                core.delete_query(qel.text or "")
        elif cmd.tag in ("commit", "optimize"):
            committed = True
        elif cmd.tag == "rollback":
            pass
        else:
            raise SolrError(f"Unknown command '{cmd.tag}' in update XML")
    return committed


def apply_json_update(core: Core, body: bytes, docs_only: bool = False) -> bool:
    try:
        data = json.loads(body.decode("utf-8") or "null", object_pairs_hook=lambda pairs: pairs)
    except ValueError as e:
        raise SolrError(f"Cannot parse provided JSON: {e}") from None

    def to_obj(x):
        # convert the pairs representation back to plain objects (last key wins)
        if isinstance(x, list) and all(isinstance(p, tuple) and len(p) == 2 for p in x) and x:
            return {k: to_obj(v) for k, v in x}
        if isinstance(x, list):
            return [to_obj(v) for v in x]
        return x

    def is_obj(x):
        return (
            isinstance(x, list) and bool(x) and all(isinstance(p, tuple) and len(p) == 2 for p in x)
        )

    committed = False
    if data is None:
        return False
    if not is_obj(data) and isinstance(data, list):
        for d in data:
            core.add(to_obj(d))
        return False
    if docs_only:
        core.add(to_obj(data))
        return False
    if not is_obj(data):
        raise SolrError("Unexpected JSON in update body")
    for cmd, arg in data:
        if cmd == "add":
            a = to_obj(arg)
            if isinstance(a, list):
                for d in a:
                    core.add(d.get("doc", d) if isinstance(d, dict) else d)
            else:
                core.add(a.get("doc", a))
        elif cmd == "delete":
            a = to_obj(arg)
            items = a if isinstance(a, list) else [a]
            for it in items:
                if isinstance(it, dict):
                    if "id" in it:
                        core.delete_ids(_as_list(it["id"]))
                    if "query" in it:
                        core.delete_query(it["query"])
                else:
                    core.delete_ids([it])
        elif cmd in ("commit", "optimize"):
            committed = True
        elif cmd == "rollback":
            pass
        else:
            raise SolrError(f"Unknown command '{cmd}' at [{cmd}]")
    return committed


# --------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SolrStandin/1.0"
    core: Core = None  # set by main()

    def log_message(self, fmt, *args):
        log.debug("%s - %s", self.address_string(), fmt % args)

    def _send(self, code: int, body, ctype="application/json; charset=utf-8"):
        if not isinstance(body, (bytes, bytearray)):
            body = (json.dumps(body) if not isinstance(body, str) else body).encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, code, msg):
        self._send(
            code,
            {
                "responseHeader": {"status": code, "QTime": 0},
                "error": {
                    "metadata": ["error-class", "org.apache.solr.common.SolrException"],
                    "msg": msg,
                    "code": code,
                },
            },
        )

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0] or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        self._dispatch(b"")

    def do_HEAD(self):
        self._dispatch(b"")

    def do_POST(self):
        self._dispatch(self._body())

    def _dispatch(self, body: bytes):
        try:
            self._route(body)
        except SolrError as e:
            log.info("400 %s %s: %s", self.command, self.path, e.msg)
            self._error(e.code, e.msg)
        except Exception as e:  # pragma: no cover - report, don't die
            log.exception("error handling %s %s", self.command, self.path)
            self._error(500, f"{type(e).__name__}: {e}")

    def _route(self, body: bytes):
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/")
        params = parse_qsl(parts.query, keep_blank_values=True)
        ctype = (self.headers.get("Content-Type") or "").lower()
        if body and "application/x-www-form-urlencoded" in ctype:
            params += parse_qsl(body.decode("utf-8"), keep_blank_values=True)
            body = b""
        core = self.core

        if path in ("", "/solr"):
            return self._send(
                200,
                f"Solr stand-in for CKAN (core '{core.name}', {len(core.docs)} docs)\n",
                "text/plain; charset=utf-8",
            )
        if path == "/solr/admin/cores":
            return self._send(
                200,
                {
                    "responseHeader": {"status": 0, "QTime": 0},
                    "initFailures": {},
                    "status": {
                        core.name: {"name": core.name, "index": {"numDocs": len(core.docs)}}
                    },
                },
            )
        if path == "/solr/admin/info/system":
            return self._send(
                200,
                {
                    "responseHeader": {"status": 0, "QTime": 0},
                    "mode": "std",
                    "lucene": {
                        "solr-spec-version": "9.0.0-standin",
                        "solr-impl-version": "9.0.0-standin (CKAN stand-in)",
                    },
                },
            )
        m = re.match(r"^/solr/([^/]+)(/.*)?$", path)
        if not m:
            return self._error(404, f"Not Found: {path}")
        if m.group(1) != core.name:
            return self._error(
                404, f"Not Found: no core named '{m.group(1)}' (this stand-in serves '{core.name}')"
            )
        sub = m.group(2) or ""

        if sub in ("/select", "/query"):
            return self._send(200, search(core, params))
        if sub in ("/update", "/update/json", "/update/json/docs", "/update/xml"):
            committed = False
            if body:
                is_json = (
                    "json" in ctype
                    or sub.startswith("/update/json")
                    or body.lstrip()[:1] in (b"[", b"{")
                )
                if is_json:
                    committed = apply_json_update(core, body, docs_only=sub == "/update/json/docs")
                else:
                    committed = apply_xml_update(core, body)
            if (
                committed
                or _truthy(_get(params, "commit"))
                or _truthy(_get(params, "softCommit"))
                or _get(params, "commitWithin") is not None
                or _truthy(_get(params, "optimize"))
            ):
                core.persist()
            return self._send(200, {"responseHeader": {"status": 0, "QTime": 0}})
        if sub == "/admin/ping":
            return self._send(200, {"responseHeader": {"status": 0, "QTime": 0}, "status": "OK"})
        if sub == "/schema" and _get(params, "wt") == "schema.xml":
            return self._send(200, core.schema.xml_text, "application/xml; charset=utf-8")
        if sub == "/admin/file":
            if _get(params, "file") in ("schema.xml", "managed-schema", "managed-schema.xml"):
                return self._send(200, core.schema.xml_text, "application/xml; charset=utf-8")
            return self._error(404, "Can not find: {}".format(_get(params, "file")))
        if sub == "/schema":
            s = core.schema
            return self._send(
                200,
                {
                    "responseHeader": {"status": 0, "QTime": 0},
                    "schema": {
                        "name": s.name,
                        "version": float(s.version or 0),
                        "uniqueKey": s.unique_key,
                        "fields": [
                            {"name": f.name, "stored": f.stored, "multiValued": f.multi}
                            for f in s.fields.values()
                        ],
                        "dynamicFields": [
                            {"name": p, "stored": f.stored, "multiValued": f.multi}
                            for p, f in s.dynamic
                        ],
                        "copyFields": [{"source": a, "dest": b} for a, b in s.copy_fields],
                    },
                },
            )
        if sub == "/schema/name":
            return self._send(
                200, {"responseHeader": {"status": 0, "QTime": 0}, "name": core.schema.name}
            )
        if sub == "/schema/version":
            return self._send(
                200,
                {
                    "responseHeader": {"status": 0, "QTime": 0},
                    "version": float(core.schema.version or 0),
                },
            )
        if sub == "/schema/uniquekey":
            return self._send(
                200,
                {"responseHeader": {"status": 0, "QTime": 0}, "uniqueKey": core.schema.unique_key},
            )
        return self._error(404, f"Not Found: {path} (not implemented by the stand-in)")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8983)
    ap.add_argument("--core", default="ckan", help="core name served under /solr/<core>")
    ap.add_argument(
        "--schema", help="path to a Solr schema.xml (e.g. CKAN's ckan/config/solr/schema.xml)"
    )
    ap.add_argument("--data", help="JSON file the index is loaded from and saved to on commit")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)

    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.schema:
        with open(args.schema, encoding="utf-8") as f:
            schema = Schema(f.read())
    else:
        schema = Schema(FALLBACK_SCHEMA)
    core = Core(args.core, schema, args.data)
    Handler.core = core

    ThreadingHTTPServer.allow_reuse_address = True
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 64
    server = ThreadingHTTPServer((args.host, args.port), Handler)

    def _stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    log.info(
        "serving core '%s' (schema %s, %d docs) on http://%s:%d/solr/%s",
        core.name,
        schema.name,
        len(core.docs),
        args.host,
        args.port,
        core.name,
    )
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        try:
            core.persist()
        finally:
            server.server_close()
            log.info("stopped")


if __name__ == "__main__":
    sys.exit(main())
