#!/usr/bin/env python3
"""Writes fixtures/split/complete-corpus.json: fuzzed SQL fragments and SQLite's own verdict on each
(sqlite3_complete, through Python's sqlite3.complete_statement), and where SQLite ends each statement in it: the
offset after every `;` at which the text since the previous end is complete, and whether the tail after the last one
completes with a `;`. Deterministic: same seed, same file. test/replay/complete-corpus.test.ts checks
src/replay/split.ts's isComplete and splitStatements against every entry."""
import json
import os
import random
import sqlite3

SEED = 20261124
CASES = 6000

WORDS = [
    "CREATE", "create", "Create", "TEMP", "temp", "TEMPORARY", "TRIGGER", "trigger", "BEGIN", "begin",
    "END", "end", "EnD", "EXPLAIN", "explain", "CASE", "WHEN", "THEN", "ELSE", "SELECT", "INSERT", "INTO",
    "TABLE", "ON", "AFTER", "BEFORE", "UPDATE", "OF", "FOR", "EACH", "ROW", "QUERY", "PLAN", "t", "x", "x1",
    "endx", "_end", "end_", "$end", "end$", "createx", "temps", "triggers", "é", "endé", "日本", "1", "0x1f", "1e5",
    # Non-ASCII characters are identifier characters to SQLite: each of these is one word, never END or CREATE.
    "éend", "ÉND", "endé", "createé", "триггер", "trigger日", "temp€", "end\u00a0", "😀end", "end😀",
]
PUNCT = [";", ";", ";", "(", ")", ",", ".", "-", "/", "*", "=", "+", "!", "?", "@", ":", "#"]
SPACE = [" ", " ", "\n", "\t", "\r\n", "\f", "  "]
QUOTED = [
    "'a;b'", "'", '"', "`", "[", "]", "[a;b]", '"x;"', "`END`", "'it''s'", "''", '""', "[END]", "'--'",
    "'/*'", "[;", "\"a\"\"b\"", "'END;'", "`;`",
]
COMMENTS = ["-- c\n", "--", "-- ; END\n", "/* x */", "/* ; */", "/*", "*/", "/**/", "/*/", "-- END;\n", "/* END; */", "-\n-"]

TEMPLATES = [
    "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;",
    "CREATE TEMP TRIGGER t BEFORE UPDATE ON x FOR EACH ROW BEGIN UPDATE x SET a = 1; INSERT INTO y VALUES (';'); END;",
    "EXPLAIN CREATE TRIGGER t AFTER DELETE ON x BEGIN DELETE FROM y; END;",
    "CREATE TABLE t (a TEXT DEFAULT 'x;y', [b;c] INT, \"d;\" INT, `e;` INT);",
    "SELECT CASE WHEN a THEN 1 ELSE 2 END FROM t;",
    "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT CASE WHEN 1 THEN 2 END; END;",
    "INSERT INTO t VALUES ('--', '/*', '[', ';');",
    "CREATE TEMPORARY TRIGGER IF NOT EXISTS t INSTEAD OF INSERT ON v BEGIN SELECT 1; SELECT 2; END ;",
    "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT endé; END; SELECT 2;",
    "CREATE TRIGGER é AFTER INSERT ON x BEGIN SELECT 1; éend; END; SELECT 2;",
    "SELECT 1; CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END😀; END; SELECT 2;",
]

rng = random.Random(SEED)


def piece():
    r = rng.random()
    if r < 0.40:
        return rng.choice(WORDS)
    if r < 0.60:
        return rng.choice(PUNCT)
    if r < 0.75:
        return rng.choice(QUOTED)
    if r < 0.88:
        return rng.choice(COMMENTS)
    return rng.choice(SPACE)


def fuzzed():
    parts = []
    for _ in range(rng.randint(1, 18)):
        parts.append(piece())
        if rng.random() < 0.55:
            parts.append(rng.choice(SPACE))
    return "".join(parts)


def mutated_template():
    text = rng.choice(TEMPLATES)
    tokens = text.split(" ")
    for _ in range(rng.randint(0, 3)):
        op = rng.random()
        i = rng.randrange(len(tokens))
        if op < 0.35:
            del tokens[i]
            if not tokens:
                tokens = [piece()]
        elif op < 0.7:
            tokens.insert(i, piece())
        else:
            tokens[i] = piece()
    sep = rng.choice([" ", "\n", " -- c\n", " /* c */ "])
    return sep.join(tokens)


def statement_ends(sql):
    """Offsets (UTF-16) just after each `;` where SQLite ends a statement, and whether the tail would run."""
    ends = []
    start = 0
    for p, ch in enumerate(sql):
        if ch == ";" and p >= start and sqlite3.complete_statement(sql[start : p + 1]):
            ends.append(len(sql[: p + 1].encode("utf-16-le")) // 2)  # JavaScript offsets count UTF-16 units
            start = p + 1
    # The last statement may lack its `;`: SQLite runs it when a `;` would complete it. "*/;" covers a tail ending
    # inside a block comment (SQLite ends the comment at the end of the text), "\n;" one ending in a `--` comment.
    tail = sql[start:]
    return ends, bool(sqlite3.complete_statement(tail + "\n;") or sqlite3.complete_statement(tail + "*/;"))


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    seen = set()
    cases = []
    while len(cases) < CASES:
        sql = mutated_template() if rng.random() < 0.3 else fuzzed()
        if rng.random() < 0.25:
            sql = sql + rng.choice([";", " ;", ";\n", "; -- tail", "\n-- tail\n", " END;", "; END;"])
        if sql in seen:
            continue
        seen.add(sql)
        ends, tail = statement_ends(sql)
        cases.append([sql, bool(sqlite3.complete_statement(sql)), ends, tail])
    out = {
        "about": "Fuzzed inputs, sqlite3_complete()'s verdict (via Python's sqlite3.complete_statement), the offsets "
        "after each `;` where SQLite ends a statement, and whether the tail completes with a `;`. "
        "Regenerate with: python3 scripts/make-split-corpus.py",
        "seed": SEED,
        "sqliteVersion": sqlite3.sqlite_version,
        "complete": sum(1 for c in cases if c[1]),
        "cases": cases,
    }
    path = os.path.join(root, "fixtures", "split", "complete-corpus.json")
    with open(path, "w", encoding="utf-8") as f:
        # One case per line keeps diffs of a regenerated corpus readable.
        head = {k: v for k, v in out.items() if k != "cases"}
        f.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "cases": [\n')
        f.write(",\n".join(json.dumps(c, ensure_ascii=False) for c in cases))
        f.write("\n]}\n")
    print(f"wrote {path}: {len(cases)} cases, {out['complete']} complete")


if __name__ == "__main__":
    main()
