"""The polgraph graph in Neo4j: idempotent batched loading, and `trace` run as Cypher.

Layout in the database (the same property names as `polgraph export --format neo4j-csv`):

  (:Document:<Level>[:Placeholder] {id, title, doc_number, aliases, issuer, date, year, level, region,
                                    in_corpus, path, carries, label})
  (:Document)-[:<RELATION> {method, score, flags, cues, mention_count, mentions_json}]->(:Document)

<Level> is one of Central, Provincial, Municipal, County, Township, Unknown; Placeholder marks a cited
document missing from the corpus. Empty lists and missing values are absent properties (neo4j-admin import
cannot store an empty array either). Every query is static text with parameters: labels and relationship
types come from the fixed tables below, never from the data.
"""
from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import random
import re
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from importlib import resources
from typing import Iterator

from polgraph.errors import NotFoundError, PolgraphError, ServiceError
from polgraph.graph.build import number_key
from polgraph.graph.checks import CHECK_FIELDS, CITES_VOID, check_flags, check_values
from polgraph.graph.resolve import normalize_title, title_keys
from polgraph.graph.status import CHANGE_WEIGHT, REPEALING, REPLACING
from polgraph.graph.trace import (SHOWN, Matches, file_name_and_stem, latest_version, path_matches, resolve_ref,
                                  search_text)
from polgraph.vocabulary import LEVEL_TABLE, LEVELS, RELATIONS
from polgraph.progress import progress

LEVEL_LABELS = {lv.name: lv.neo4j_label for lv in LEVEL_TABLE}  # data/levels.tsv
PLACEHOLDER_LABEL = "Placeholder"
# a document's status as of a date (graph/status.py), which documents loaded later can change
STATUS_PROPERTIES = ("status", "status_changed_by", "status_changed_on", "status_as_of")
NODE_PROPERTIES = ("id", "title", "doc_number", "aliases", "issuer", "date", "year", "level", "region",
                   "in_corpus", "path", "carries", "label", "effective", "first_date", "expires", "validity", "void_on",
                   *STATUS_PROPERTIES)
# Derived from the properties above so that `trace`'s REF is found through indexes (cypher/schema.cypher),
# never by reading every node: the canonical key of the 文号, the source file's name and stem, every title
# key of the title, aliases and carried titles (exact look-up, a keyword fulltext index), and the normalised
# title, 文号 and aliases that title words are looked for in (CONTAINS, a text index).
LOOKUP_PROPERTIES = ("number_key", "file_name", "file_stem", "title_keys", "search_text")
RELATIONSHIP_PROPERTIES = ("method", "score", "flags", "cues", "mention_count", "mentions_json")
# 1,000 rows a transaction: less for the server to hold and collect than 5,000 (bench/README.md)
DEFAULT_BATCH_SIZE = 1000
# Transactions in flight at once: the server commits one batch while the next is executed and the client
# packs a third; more than two only adds lock waits on two cores (bench/README.md).
DEFAULT_WRITERS = 2
# A batch that meets a deadlock (two relationship batches touching the same nodes) is rolled back by the
# server and sent again, for up to this long.
RETRY_SECONDS = 30.0
# the driver also speaks http(s):// (the preview Query API), which polgraph does not use
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

# One query per (level, placeholder?) and per relation type, so the planner always sees static labels and
# uses the Document.id constraint. Properties are set one by one (setting null removes a property gone from
# the graph): `SET d += row.props` would make the planner add an Eager barrier (it cannot tell the map does
# not touch `id`), which buffers the whole batch and costs about a third of the load time.
_NODE_SETS = ", ".join(f"d.{p} = row.props.{p}" for p in NODE_PROPERTIES + LOOKUP_PROPERTIES if p != "id")
_REL_SETS = ", ".join(f"r.{p} = row.props.{p}" for p in RELATIONSHIP_PROPERTIES)
_ALL_LEVEL_LABELS = ":".join(LEVEL_LABELS[lvl] for lvl in LEVELS)


def _change_weight(expr: str) -> str:
    """Cypher for the weight (status.CHANGE_WEIGHT) of the status `expr`: 0 in force or unknown."""
    return f"CASE {expr} " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in CHANGE_WEIGHT.items()) + " ELSE 0 END"


def _node_query(level: str, placeholder: bool) -> str:
    label = LEVEL_LABELS[level]
    others = ":".join(LEVEL_LABELS[x] for x in LEVELS if x != level)
    ph = f"SET d:{PLACEHOLDER_LABEL}" if placeholder else f"REMOVE d:{PLACEHOLDER_LABEL}"
    # A placeholder never overwrites a document of the corpus: loading new documents that cite one the database
    # already holds (`polgraph load new.jsonl`) sees it as a placeholder, and would blank its path, date and
    # issuer and label it Placeholder. Of such a row the document takes only the change of status the new
    # documents make (a repeal, an amendment), weighed against the one it has as status_of weighs them (an end
    # over an amendment, then the earliest); an earlier placeholder takes the whole row.
    keep_documents = (
        f"WITH d, row, {_change_weight('row.props.status')} AS new, {_change_weight('d.status')} AS old\n"
        "FOREACH (_ IN CASE WHEN d.in_corpus = true AND new > 0 AND (new > old OR new = old AND "
        "coalesce(row.props.status_changed_on, '') < coalesce(d.status_changed_on, '')) THEN [1] ELSE [] END |\n"
        "  SET " + ", ".join(f"d.{p} = row.props.{p}" for p in STATUS_PROPERTIES) + ")\n"
        "WITH d, row WHERE d.in_corpus IS NULL OR d.in_corpus = false\n") if placeholder else ""
    return ("UNWIND $rows AS row\n"
            "MERGE (d:Document {id: row.id})\n"
            f"{keep_documents}"
            f"SET {_NODE_SETS}\n"
            f"REMOVE d:{others}\n"
            f"SET d:{label}\n"
            f"{ph}")


NODE_QUERIES = {(lvl, ph): _node_query(lvl, ph) for lvl in LEVELS for ph in (False, True)}
RELATIONSHIP_QUERIES = {
    rel: ("UNWIND $rows AS row\n"
          "MATCH (s:Document {id: row.source})\n"
          "MATCH (t:Document {id: row.target})\n"
          f"MERGE (s)-[r:{rel}]->(t)\n"
          f"SET {_REL_SETS}")
    for rel in RELATIONS
}
# A first load into a database without any Document: nothing to merge with, so CREATE, with the final labels
# at once (no unique-index seek with its lock per row, no label removal). A load killed midway leaves
# Documents behind, so running it again takes the MERGE queries above.
NODE_CREATE_QUERIES = {
    (lvl, ph): ("UNWIND $rows AS row\n"
                f"CREATE (d:Document:{LEVEL_LABELS[lvl]}{':' + PLACEHOLDER_LABEL if ph else ''})\n"
                f"SET d.id = row.id, {_NODE_SETS}")
    for lvl in LEVELS for ph in (False, True)
}
RELATIONSHIP_CREATE_QUERIES = {
    rel: ("UNWIND $rows AS row\n"
          "MATCH (s:Document {id: row.source})\n"
          "MATCH (t:Document {id: row.target})\n"
          f"CREATE (s)-[r:{rel}]->(t)\n"
          f"SET {_REL_SETS}")
    for rel in RELATIONS
}
WIPE_QUERY = "MATCH (d:Document) WITH d LIMIT $limit DETACH DELETE d RETURN count(*) AS deleted"
COUNT_NODES_QUERY = "MATCH (d:Document) RETURN count(d) AS n"
# Relationships out of a Document: polgraph writes no other kind, and with one label in the pattern the answer
# comes from the counts store in constant time -- (:Document)-[r]->(:Document) expands every relationship
# (0.6 s after loading 109k of them).
COUNT_RELATIONSHIPS_QUERY = "MATCH (:Document)-[r]->() RETURN count(r) AS n"


# ---------------------------------------------------------------------------------------------------------
# graph -> flat property maps


def _list_or_none(value) -> list[str] | None:
    if not value:
        return None
    if isinstance(value, str):
        return [value]
    out = [v if type(v) is str else str(v) for v in value if v is not None]
    return out or None


def node_properties(node_id: str, attrs: dict) -> dict:
    """The Neo4j property map of one node (every key of NODE_PROPERTIES, None where absent)."""
    level = attrs.get("level") or "unknown"
    if level not in LEVEL_LABELS:
        raise PolgraphError(f"node {node_id!r}: unknown level {level!r} (expected one of {', '.join(LEVELS)})")
    year = attrs.get("year")
    return {
        "id": str(node_id),
        "title": attrs.get("title"),
        "doc_number": attrs.get("doc_number"),
        "aliases": _list_or_none(attrs.get("aliases")),
        "issuer": _list_or_none(attrs.get("issuer")),
        "date": attrs.get("date"),
        "year": int(year) if year is not None else None,
        "level": level,
        "region": attrs.get("region"),
        "in_corpus": bool(attrs.get("in_corpus", False)),
        "path": attrs.get("path"),
        "carries": _list_or_none(attrs.get("carries")),
        "label": attrs.get("label"),
        "effective": attrs.get("effective"),
        "first_date": attrs.get("first_date"),
        "expires": attrs.get("expires"),
        "validity": attrs.get("validity"),
        "void_on": attrs.get("void_on"),
        "status": attrs.get("status"),
        "status_changed_by": attrs.get("status_changed_by"),
        "status_changed_on": attrs.get("status_changed_on"),
        "status_as_of": attrs.get("status_as_of"),
        **lookup_properties(attrs),
    }


def lookup_properties(attrs: dict) -> dict:
    """The LOOKUP_PROPERTIES of a node (None where nothing to look up), from its attributes."""
    file = file_name_and_stem(attrs.get("path"))
    names = [attrs.get("title")] + list(attrs.get("aliases") or []) + list(attrs.get("carries") or [])
    keys = sorted({k for t in names if t for k in title_keys(t)})
    return {"number_key": number_key(attrs.get("doc_number")),
            "file_name": file[0] if file else None,
            "file_stem": file[1] if file else None,
            "title_keys": keys or None,
            "search_text": search_text(attrs) or None}


# json.dumps(mentions, ensure_ascii=False, sort_keys=True, separators=(",", ":")) without building an encoder
# for every relationship
_MENTIONS_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def relationship_properties(attrs: dict) -> dict:
    """The Neo4j property map of one edge: mentions as compact JSON plus their count and (sorted) cues."""
    mentions = attrs.get("mentions") or []
    cues = sorted({m.get("cue") for m in mentions if isinstance(m, dict) and m.get("cue")})
    score = attrs.get("score")
    return {
        "method": attrs.get("method"),
        "score": float(score) if score is not None else None,
        "flags": _list_or_none(attrs.get("flags")),
        "cues": cues or None,
        "mention_count": len(mentions),
        "mentions_json": _MENTIONS_JSON.encode(mentions),
    }


def _edge_relation(u, v, key, attrs) -> str:
    rel = attrs.get("relation") or key
    if rel not in RELATIONSHIP_QUERIES:
        raise PolgraphError(f"edge {u!r} -> {v!r}: unknown relation {rel!r} "
                            f"(expected one of {', '.join(RELATIONS)})")
    return rel


def _batches(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


# ---------------------------------------------------------------------------------------------------------
# connection


# Seconds to wait for a Bolt connection (TCP connect and handshake, and taking one from the pool): a port that
# never answers fails in this time, not the driver's default 60 s. Env POLGRAPH_NEO4J_TIMEOUT.
CONNECT_TIMEOUT_ENV = "POLGRAPH_NEO4J_TIMEOUT"
DEFAULT_CONNECT_TIMEOUT = 5.0


def connect_timeout() -> float:
    try:
        value = float(os.environ.get(CONNECT_TIMEOUT_ENV) or DEFAULT_CONNECT_TIMEOUT)
    except ValueError:
        raise PolgraphError(f"{CONNECT_TIMEOUT_ENV}={os.environ[CONNECT_TIMEOUT_ENV]!r} is not a number of "
                            f"seconds") from None
    if not value > 0:
        raise PolgraphError(f"{CONNECT_TIMEOUT_ENV} must be more than 0 seconds")
    return value


def _root_os_error(exc: BaseException, depth: int = 0) -> OSError | None:
    """The OSError (timed out, connection refused, an SSL failure) at the bottom of a driver error's chain."""
    if exc is None or depth > 20:
        return None
    if isinstance(exc, OSError):
        return exc
    for inner in list(getattr(exc, "exceptions", ())) + [exc.__cause__, exc.__context__]:
        found = _root_os_error(inner, depth + 1)
        if found is not None:
            return found
    return None


def _reason(exc: Exception) -> str:
    """One short line out of a driver error ("connection refused", "timed out", ...)."""
    root = _root_os_error(exc)
    if root is not None and root is not exc:
        if isinstance(root, TimeoutError) or "timed out" in str(root).lower():
            return f"timed out after {connect_timeout():g} s (set {CONNECT_TIMEOUT_ENV} to wait longer)"
        text = root.strerror or str(root) or type(root).__name__
        return " ".join(str(text).split()).rstrip(".").lower()
    text = str(exc) or type(exc).__name__
    m = re.search(r"reason (?:\[Errno -?\d+\] )?([^)\n]+)", text)
    if m:
        return m.group(1).strip().rstrip(".").lower()
    lines = [line.strip() for line in text.strip().splitlines() if line.strip().rstrip(":")]
    # "Couldn't connect to HOST (resolved to ...):" then the cause on the next line: keep the cause
    first = lines[-1] if lines and text.strip().splitlines()[0].rstrip().endswith(":") else \
        (lines[0] if lines else type(exc).__name__)
    return first.rstrip(".")


def connect(uri: str, user: str = "neo4j", password: str = "", database: str = "neo4j"):
    """An open, verified `neo4j.Driver`; an empty password means no authentication.

    Raises ServiceError with one line when the server is unreachable or refuses the credentials.
    """
    import neo4j
    from neo4j.exceptions import AuthError, ConfigurationError, DriverError, Neo4jError, ServiceUnavailable

    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in URI_SCHEMES:
        raise PolgraphError(f"bad Neo4j URI {uri!r}: use bolt://, neo4j:// or neo4j+s:// (also bolt+s, bolt+ssc, "
                            f"neo4j+ssc)")
    auth = (user, password) if password else None
    timeout = connect_timeout()
    # the driver logs a failed routing fetch as a warning; with no handler Python prints it before our line
    neo4j_log = logging.getLogger("neo4j")
    if not neo4j_log.handlers:
        neo4j_log.addHandler(logging.NullHandler())
    try:
        driver = neo4j.GraphDatabase.driver(uri, auth=auth, connection_timeout=timeout,
                                            connection_acquisition_timeout=timeout, max_transaction_retry_time=15)
    except (ValueError, ConfigurationError) as e:
        raise PolgraphError(f"bad Neo4j URI {uri!r}: {_reason(e)}") from None
    try:
        driver.verify_connectivity()
    except AuthError as e:
        driver.close()
        who = f"user {user!r}" if password else "no credentials (empty password)"
        raise ServiceError(f"Neo4j at {uri} refused {who}: {_reason(e)}") from None
    except (ServiceUnavailable, OSError) as e:
        driver.close()
        raise ServiceError(f"cannot reach Neo4j at {uri}: {_reason(e)}") from None
    except (Neo4jError, DriverError) as e:
        driver.close()
        raise ServiceError(f"Neo4j at {uri} (database {database!r}): {_reason(e)}") from None
    return driver


@contextlib.contextmanager
def _service_errors(uri: str, database: str):
    from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable

    try:
        yield
    except ServiceUnavailable as e:
        raise ServiceError(f"lost Neo4j at {uri}: {_reason(e)}") from None
    except Neo4jError as e:
        code = getattr(e, "code", None) or type(e).__name__
        message = " ".join((getattr(e, "message", None) or _reason(e)).split())
        raise ServiceError(f"Neo4j at {uri} (database {database!r}) refused the request: {code}: {message}") from None
    except DriverError as e:
        raise ServiceError(f"Neo4j at {uri}: {_reason(e)}") from None


def schema_statements() -> list[str]:
    """The statements of cypher/schema.cypher (shipped as polgraph.cypher), comments removed."""
    text = resources.files("polgraph.cypher").joinpath("schema.cypher").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


_INDEXES_NOT_ONLINE = ("SHOW INDEXES YIELD name, state WHERE state <> 'ONLINE' "
                       "RETURN name, state ORDER BY name")
_SCHEMA_INDEX = re.compile(r"^CREATE\s+(?:(?:FULLTEXT|TEXT|RANGE|POINT|VECTOR)\s+)?INDEX\s+(\w+)\s+IF\s+NOT\s+EXISTS\b",
                           re.IGNORECASE)
_EXISTING_INDEXES = "SHOW INDEXES YIELD name WHERE name IN $names RETURN name ORDER BY name"


def schema_parts() -> tuple[list[str], dict[str, str]]:
    """cypher/schema.cypher split: (the constraint statements, {index name: its statement} for the rest)."""
    constraints, indexes = [], {}
    for stmt in schema_statements():
        m = _SCHEMA_INDEX.match(stmt)
        if m:
            indexes[m.group(1)] = stmt
        else:
            constraints.append(stmt)
    return constraints, indexes


def apply_schema(driver, database: str = "neo4j") -> None:
    """Create the constraint and indexes (idempotent) and wait until they are online."""
    for stmt in schema_statements():
        driver.execute_query(stmt, database_=database)
    await_indexes(driver, database)


def await_indexes(driver, database: str = "neo4j") -> None:
    """Wait until every index of the database is online.

    Indexes created over a database already holding millions of documents (after neo4j-admin import)
    populate for minutes: the wait polls their state instead of db.awaitIndexes, whose time limit ends the
    call however far the population has come. The first polls come quickly: the indexes of a 100k-document
    load come online within a second or two."""
    delay = 0.02
    while True:
        waiting = driver.execute_query(_INDEXES_NOT_ONLINE, database_=database).records
        if not waiting:
            return
        failed = [r["name"] for r in waiting if r["state"] == "FAILED"]
        if failed:
            raise ServiceError(f"Neo4j could not build the index(es) {', '.join(failed)} (see the server's log)")
        time.sleep(delay)
        delay = min(delay * 1.5, 0.5)


def _schema_before_nodes(driver, database: str, empty: bool) -> None:
    """The id constraint, online, before any node: MERGE and the relationships' MATCH find nodes through it.

    The other indexes wait for the nodes (_schema_after_nodes): kept up to date batch by batch, the look-up
    indexes cost the server 14 s of CPU for the 78,740 nodes of bench/neo4j_load.py, against 5 s without
    them plus 3-4 s to populate them afterwards (measured on the busy shared host). Into an empty database
    the schema's indexes are dropped (nothing to drop but their definitions, so it is instant) and built
    again after the nodes; a database that holds documents keeps its indexes, which an update maintains."""
    constraints, indexes = schema_parts()
    for stmt in constraints:
        driver.execute_query(stmt, database_=database)
    if empty:
        for rec in driver.execute_query(_EXISTING_INDEXES, parameters_={"names": sorted(indexes)},
                                        database_=database).records:
            # the name is one of schema.cypher's own (\w+), checked by the query above
            driver.execute_query(f"DROP INDEX {rec['name']} IF EXISTS", database_=database)
    await_indexes(driver, database)


def _schema_after_nodes(driver, database: str) -> None:
    """Every index of the schema (IF NOT EXISTS), not waited for: the server populates them from the loaded
    nodes while the relationships load (no relationship touches a node property), and the load waits for
    them at its end (await_indexes). One transaction, so that one scan of the nodes populates them all."""
    with driver.session(database=database) as session:
        with session.begin_transaction() as tx:
            for stmt in schema_parts()[1].values():
                tx.run(stmt).consume()
            tx.commit()


def database_counts(driver, database: str = "neo4j") -> tuple[int, int]:
    """(Document nodes, relationships out of Documents) as the database's counts store holds them."""
    n = driver.execute_query(COUNT_NODES_QUERY, database_=database).records[0]["n"]
    r = driver.execute_query(COUNT_RELATIONSHIPS_QUERY, database_=database).records[0]["n"]
    return n, r


def wipe_documents(driver, database: str = "neo4j", batch_size: int = 10000) -> int:
    """Delete every Document node and its relationships, in batches; returns how many were deleted."""
    total = 0
    while True:
        deleted = driver.execute_query(WIPE_QUERY, parameters_={"limit": batch_size},
                                       database_=database).records[0]["deleted"]
        total += deleted
        if deleted == 0:
            return total


# ---------------------------------------------------------------------------------------------------------
# load


def load_plan(G) -> tuple[dict, dict]:
    """What to send, in order, without the properties: {(level, placeholder): [node]} and {relation: [(u, v, key)]}.

    Both sorted by id, so every load sends the same batches; properties are built batch by batch
    (node_rows, relationship_rows).
    """
    # G._node and G._adj, the dicts under networkx's read-only views: walking 100k edges through the views
    # costs more than the rest of the planning
    node_attrs, adj = G._node, G._adj
    ids = {n: str(n) for n in node_attrs}
    by_id = ids.__getitem__
    nodes: dict[tuple[str, bool], list] = {}
    rels: dict[str, list] = {}
    # Edges in (source, target, key) order as strings, from each source's own sorted neighbours: many small
    # sorts instead of one over every edge. Sorting by the strings means that ids equal as strings (7 and
    # "7") never get compared themselves.
    for u in sorted(node_attrs, key=by_id):
        attrs = node_attrs[u]
        level = attrs.get("level") or "unknown"
        if level not in LEVEL_LABELS:
            raise PolgraphError(f"node {u!r}: unknown level {level!r} (expected one of {', '.join(LEVELS)})")
        nodes.setdefault((level, not attrs.get("in_corpus", False)), []).append(u)
        nbrs = adj[u]
        for v in (sorted(nbrs, key=by_id) if len(nbrs) > 1 else nbrs):
            keyed = nbrs[v]
            for k in (sorted(keyed, key=str) if len(keyed) > 1 else keyed):
                rels.setdefault(_edge_relation(u, v, k, keyed[k]), []).append((u, v, k))
    return nodes, rels


def node_rows(G, nodes: list) -> list[dict]:
    node_attrs = G._node
    return [{"id": str(n), "props": node_properties(n, node_attrs[n])} for n in nodes]


def relationship_rows(G, edges: list) -> list[dict]:
    adj = G._adj
    return [{"source": str(u), "target": str(v), "props": relationship_properties(adj[u][v][k])}
            for u, v, k in edges]


def _one_row_per_entity(node_plan: dict, rel_plan: dict) -> bool:
    """True when no two nodes share an id string and no two edges the same (source, target, relation).

    Only then can a first load CREATE: MERGE would fold such duplicates into one node or relationship.
    """
    ids = [str(n) for nodes in node_plan.values() for n in nodes]
    if len(set(ids)) != len(ids):
        return False
    return all(len({(str(u), str(v)) for u, v, _ in edges}) == len(edges) for edges in rel_plan.values())


class _Rows(list):
    """A batch of rows with a short repr().

    The driver (neo4j 6.4, io/_bolt/_bolt5.py) formats every RUN's parameters with repr() for a debug log
    line even when debug logging is off: for the 109k-relationship bench graph that is 74 MB of text and
    0.44 s of the loader's CPU per load, on cores the server needs.
    """
    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def _write_batch(driver, database: str, query: str, rows: list) -> int:
    """Run one batch in its own transaction; returns how many times it had to be sent again.

    Deadlocks between concurrent batches (and other errors the driver calls retryable) roll the batch back
    on the server, so it is simply sent again, with a jittered back-off, for up to RETRY_SECONDS. The
    driver's own retry loop would do the same but log every retry to stderr.
    """
    from neo4j.exceptions import DriverError, Neo4jError

    deadline, delay, retries = time.monotonic() + RETRY_SECONDS, 0.05, 0
    rows = _Rows(rows)
    while True:
        try:
            with driver.session(database=database,
                                bookmark_manager=driver.execute_query_bookmark_manager) as session:
                with session.begin_transaction() as tx:
                    tx.run(query, rows=rows).consume()
                    tx.commit()
            # The driver's objects for the run form reference cycles that keep its parameters alive until
            # a cyclic collection, which the load pauses: emptied, the batch's row dicts are freed now.
            rows.clear()
            return retries
        except (Neo4jError, DriverError) as e:
            if not e.is_retryable() or time.monotonic() + delay > deadline:
                raise
        retries += 1
        time.sleep(delay * random.uniform(0.5, 1.5))
        delay = min(delay * 2, 1.0)


def _run_batches(driver, database: str, G, work: list, writers: int, bar) -> int:
    """Send every (query, make_rows, chunk) of `work`, `writers` transactions at a time; returns the retries.

    Rows are built in the writer threads, so at most `writers` batches of rows exist at once. The first
    error stops the phase: batches not yet started are cancelled, those in flight finish or fail.
    """
    retries = 0

    def send(query, make_rows, chunk):
        return _write_batch(driver, database, query, make_rows(G, chunk)), len(chunk)

    if writers == 1:
        for query, make_rows, chunk in work:
            n_retries, n = send(query, make_rows, chunk)
            retries += n_retries
            bar.update(n)
        return retries
    pool = ThreadPoolExecutor(max_workers=writers, thread_name_prefix="polgraph-load")
    try:
        pending = {pool.submit(send, *item) for item in work}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                n_retries, n = future.result()
                retries += n_retries
                bar.update(n)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return retries


@contextlib.contextmanager
def _cyclic_gc_paused():
    """Python's cycle collector off for a while (back on after, if it was on).

    Loading allocates hundreds of thousands of row dicts, which keeps triggering collections that walk every
    object of the graph again. Nothing piles up meanwhile: reference counting frees the rows once _write_batch
    has emptied each batch (the driver's own cycles would otherwise hold them until a collection).
    On the 109k-relationship synthetic graph this is 0.9 s of the loader's 3.3 s of CPU.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_graph_into_neo4j(G, uri: str = "bolt://127.0.0.1:7687", user: str = "neo4j", password: str = "",
                          database: str = "neo4j", batch_size: int = DEFAULT_BATCH_SIZE, wipe: bool = False,
                          quiet: bool = False, timings: dict | None = None,
                          writers: int = DEFAULT_WRITERS) -> dict:
    """Load a polgraph MultiDiGraph into Neo4j with batched `UNWIND ... MERGE`; safe to run again.

    Nodes first (all of them), then relationships, each batch its own transaction, `writers` of them in
    flight at once, so a load killed midway and run again ends with the same database as one clean run.
    Into a database holding no Document (a first load, or after `wipe`) nodes and relationships are
    CREATEd instead of merged. Rows are built batch by batch, so memory stays at `writers` batches beyond
    the graph. Returns the numbers sent and the numbers the database then holds:
    {"nodes", "relationships", "db_nodes", "db_relationships"}. A `timings` dict, when given, receives the
    seconds spent per phase (wipe, schema, nodes, relationships), "mode" ("create" or "merge") and
    "retries" (batches sent again after a deadlock).
    """
    if batch_size < 1:
        raise PolgraphError(f"batch size must be at least 1, not {batch_size}")
    if writers < 1:
        raise PolgraphError(f"writers must be at least 1, not {writers}")
    timings = {} if timings is None else timings
    t = time.perf_counter()
    with _cyclic_gc_paused():
        node_plan, rel_plan = load_plan(G)
    n_nodes = sum(len(v) for v in node_plan.values())
    n_rels = sum(len(v) for v in rel_plan.values())
    timings["plan"], t = time.perf_counter() - t, time.perf_counter()
    driver = connect(uri, user, password, database)
    timings["connect"] = time.perf_counter() - t
    try:
        with _service_errors(uri, database):
            t = time.perf_counter()
            if wipe:
                wipe_documents(driver, database)
            timings["wipe"], t = time.perf_counter() - t, time.perf_counter()
            empty = driver.execute_query(COUNT_NODES_QUERY, database_=database).records[0]["n"] == 0
            _schema_before_nodes(driver, database, empty)
            create = empty and _one_row_per_entity(node_plan, rel_plan)
            node_queries = NODE_CREATE_QUERIES if create else NODE_QUERIES
            rel_queries = RELATIONSHIP_CREATE_QUERIES if create else RELATIONSHIP_QUERIES
            timings["mode"] = "create" if create else "merge"
            timings["schema"], t = time.perf_counter() - t, time.perf_counter()
            timings["retries"] = 0
            with progress(length=n_nodes + n_rels, label="loading into Neo4j", quiet=quiet) as bar, \
                    _cyclic_gc_paused():
                # every node is committed before the first relationship batch looks for its ends
                timings["retries"] += _run_batches(
                    driver, database, G, [(node_queries[key], node_rows, chunk) for key in sorted(node_plan)
                                          for chunk in _batches(node_plan[key], batch_size)], writers, bar)
                timings["nodes"], t = time.perf_counter() - t, time.perf_counter()
                _schema_after_nodes(driver, database)
                timings["retries"] += _run_batches(
                    driver, database, G, [(rel_queries[rel], relationship_rows, chunk) for rel in sorted(rel_plan)
                                          for chunk in _batches(rel_plan[rel], batch_size)], writers, bar)
                timings["relationships"], t = time.perf_counter() - t, time.perf_counter()
            await_indexes(driver, database)
            timings["indexes"], t = time.perf_counter() - t, time.perf_counter()
            if not empty:  # an update: what it resolved among its own documents only
                loaded = {str(n): bool(a.get("in_corpus", False)) for n, a in G.nodes(data=True)}
                timings["arrived"] = _arrived_methods(driver, database, loaded)
                timings["resolved_placeholders"] = resolve_placeholders(driver, database, loaded)
                timings["fuzzy_placeholders"] = fuzzy_placeholders(driver, database, loaded)
            timings["update"], t = time.perf_counter() - t, time.perf_counter()
            db_nodes, db_rels = database_counts(driver, database)
            timings["counts"] = time.perf_counter() - t
    finally:
        driver.close()
    return {"nodes": n_nodes, "relationships": n_rels, "db_nodes": db_nodes, "db_relationships": db_rels}


# --- an update: the placeholders the documents now in the database name by title ---------------------------
# A load into a database that holds documents resolved its citations among its own documents only: a citation by
# title of a document loaded before stays a placeholder (its id is a hash of the title, the document's its 文号),
# and so does an older document's citation of a document that arrives now. Both are placeholders whose title keys
# (LOOKUP_PROPERTIES) equal those of a document of the corpus; what the same load's graph already decided (both
# ends in it) stands. A build joins a title-only citation the corpus lacks to the placeholder of a 文号 cited
# with that title (keyindex.Resolver.finish); across loads the two placeholders are joined the same way.
_PLACEHOLDER_KEYS = ("UNWIND $ids AS id MATCH (p:Document {id: id}) WHERE p:Placeholder AND p.title_keys IS NOT NULL "
                     "RETURN p.id AS id, p.title_keys AS keys, p.title AS title, p.doc_number IS NOT NULL AS numbered")
# the title keys of this load's documents and 文号 placeholders, and the placeholders holding one of them
_KEYS_OF = ("UNWIND $ids AS id MATCH (d:Document {id: id}) WHERE d.title_keys IS NOT NULL "
            "AND (d.in_corpus = true OR d.doc_number IS NOT NULL) RETURN d.id AS id, d.title_keys AS keys")
_PLACEHOLDERS_NAMING = ("UNWIND $rows AS row\n"
                        "CALL db.index.fulltext.queryNodes('document_title_keys', row.query) YIELD node AS p\n"
                        "WITH row, p WHERE p:Placeholder AND p.id <> row.id "
                        "AND any(k IN p.title_keys WHERE k IN row.keys)\n"
                        "RETURN DISTINCT p.id AS id, p.title_keys AS keys, p.title AS title, "
                        "p.doc_number IS NOT NULL AS numbered")
# for each placeholder {id, keys, query}: the documents of the corpus holding one of its title keys, and the
# placeholders of a 文号 that do
_NAMED_BY_KEYS = ("UNWIND $rows AS row\n"
                  "CALL db.index.fulltext.queryNodes('document_title_keys', row.query) YIELD node AS d\n"
                  "WITH row, d WHERE d.id <> row.id AND any(k IN d.title_keys WHERE k IN row.keys)\n"
                  "RETURN row.id AS id, collect(DISTINCT CASE WHEN d.in_corpus = true THEN d.id END) AS ids, "
                  "collect(DISTINCT CASE WHEN d.in_corpus = true THEN [d.id, d.title] END) AS titles, "
                  "collect(DISTINCT CASE WHEN d.in_corpus = false AND d.doc_number IS NOT NULL THEN d.id END) "
                  "AS numbered")


# The relationships into a placeholder, read to move them to the document it is
_INTO_PLACEHOLDERS = ("UNWIND $ids AS id MATCH (p:Document {id: id})<-[r]-(s:Document) "
                      "RETURN p.id AS placeholder, s.id AS source, type(r) AS type, properties(r) AS props "
                      "ORDER BY placeholder, source, type")
# the relationship of one row {source, document, type}
_ROW_RELATIONSHIP = ("UNWIND $rows AS row MATCH (s:Document {id: row.source})-[r]->(d:Document {id: row.document}) "
                     "WHERE type(r) = row.type ")
_EXISTING = (_ROW_RELATIONSHIP +
             "RETURN s.id AS source, d.id AS document, type(r) AS type, properties(r) AS props")
# the document takes the placeholder's change of status as a load's row does (_node_query)
_TAKE_STATUS = (
    "UNWIND $pairs AS pair MATCH (p:Document {id: pair.placeholder}), (d:Document {id: pair.document})\n"
    f"WITH p, d, {_change_weight('p.status')} AS new, {_change_weight('d.status')} AS old\n"
    "WHERE new > 0 AND (new > old OR new = old AND "
    "coalesce(p.status_changed_on, '') < coalesce(d.status_changed_on, ''))\n"
    "SET " + ", ".join(f"d.{x} = p.{x}" for x in STATUS_PROPERTIES))
_DROP_PLACEHOLDERS = "UNWIND $ids AS id MATCH (p:Document {id: id}) WHERE p:Placeholder DETACH DELETE p"


def _moved_properties(props: dict, existing: dict | None, method: str = "title", score: float = 100.0) -> dict:
    """A relationship's properties once it points at the document its placeholder names by title: resolved by
    `method` (title or alias; placeholder when it joins the placeholder of a 文号, as a build's would be); added
    to the relationship the citing document already has to it (mentions joined, cues and flags united, the
    better method kept)."""
    moved = [{**m, "method": method, "score": score} for m in json.loads(props.get("mentions_json") or "[]")]
    if existing is None:
        return {**props, "method": method, "score": score, "mentions_json": _MENTIONS_JSON.encode(moved)}
    # a mention already there (the same update loaded again) is not added twice
    place = lambda m: (str(m.get("path")), m.get("start") or 0, m.get("end") or 0)  # noqa: E731
    mentions = json.loads(existing.get("mentions_json") or "[]")
    there = {place(m) for m in mentions}
    mentions += [m for m in moved if place(m) not in there]
    mentions.sort(key=place)
    union = lambda key: sorted(set(existing.get(key) or []) | set(props.get(key) or [])) or None  # noqa: E731
    return {**existing, "mention_count": len(mentions), "mentions_json": _MENTIONS_JSON.encode(mentions),
            "cues": union("cues"), "flags": union("flags")}


# Relationships into a document that their load knew as a placeholder (its 文号): an earlier load's citation of a
# document of this load, or this load's citation of a document loaded before (the same id: MERGE joined them)
_INTO_ARRIVED = ("UNWIND $ids AS id MATCH (s:Document)-[r]->(d:Document {id: id}) "
                 "WHERE d.in_corpus = true AND r.method = 'placeholder' "
                 "RETURN s.id AS source, d.id AS document, type(r) AS type, properties(r) AS props "
                 "ORDER BY document, source, type")
_SET_METHOD = (_ROW_RELATIONSHIP +
               "SET r.method = row.method, r.mentions_json = row.mentions_json")


def _arrived_methods(driver, database: str, loaded: dict[str, bool]) -> int:
    """Citations of a 文号 their load did not hold are resolved by number once the database holds the document (by
    title when they named it by title alone), as a build of both loads resolves them. Returns how many changed."""
    rows = []
    for chunk in _batches(sorted(loaded), DEFAULT_BATCH_SIZE):
        for r in driver.execute_query(_INTO_ARRIVED, parameters_={"ids": chunk}, database_=database).records:
            mentions = json.loads(r["props"].get("mentions_json") or "[]")
            for m in mentions:
                m["method"] = "number" if m.get("doc_number") and not m.get("anonymised") else "title"
            methods = {m["method"] for m in mentions} or {"number"}
            rows.append({"source": r["source"], "document": r["document"], "type": r["type"],
                         "method": "number" if "number" in methods else "title",
                         "mentions_json": _MENTIONS_JSON.encode(mentions)})
    for chunk in _batches(rows, DEFAULT_BATCH_SIZE):
        driver.execute_query(_SET_METHOD, parameters_={"rows": chunk}, database_=database)
    _recheck_flags(driver, database, rows)
    return len(rows)


# the check fields (graph/checks.py CHECK_FIELDS) of both ends of relationships, and their flags
_ENDS = (_ROW_RELATIONSHIP +
         "RETURN s.id AS source, d.id AS document, type(r) AS type, r.flags AS flags, "
         "s {" + ", ".join(f".{f}" for f in CHECK_FIELDS) + "} AS citing, "
         "d {" + ", ".join(f".{f}" for f in CHECK_FIELDS) + "} AS cited")
_SET_FLAGS = (_ROW_RELATIONSHIP +
              "SET r.flags = row.flags")


def _recheck_flags(driver, database: str, relationships: list[dict]) -> int:
    """The check flags (graph/checks.py) of relationships {source, document, type} whose target changed in this
    load -- a placeholder became the document, or the document arrived under its 文号 -- computed again from both
    ends as a build computes them; cites_void is kept as it was (it reads the statuses of the whole database).
    Returns how many changed."""
    keys = sorted({(r["source"], r["document"], r["type"]) for r in relationships})
    rows = []
    for chunk in _batches([{"source": s, "document": d, "type": t} for s, d, t in keys], DEFAULT_BATCH_SIZE):
        for r in driver.execute_query(_ENDS, parameters_={"rows": chunk}, database_=database).records:
            had = list(r["flags"] or [])
            flags = check_flags(r["type"], had, check_values(r["citing"]), check_values(r["cited"]), None)
            if CITES_VOID in had:
                flags = sorted(set(flags) | {CITES_VOID})
            if flags != had:
                rows.append({"source": r["source"], "document": r["document"], "type": r["type"],
                             "flags": flags or None})
    for chunk in _batches(rows, DEFAULT_BATCH_SIZE):
        driver.execute_query(_SET_FLAGS, parameters_={"rows": chunk}, database_=database)
    return len(rows)


def _key_queries(records) -> list[dict]:
    """{id, keys, query} of records with title keys: the fulltext query (document_title_keys) for any of them."""
    return [{"id": r["id"], "keys": r["keys"], "query": " OR ".join(map(_lucene_phrase, r["keys"]))} for r in records]


def _move_relationships(driver, database: str, moves: list[dict]) -> None:
    """Each relationship {source, type, props} into a placeholder written again to `document`, resolved by
    `method` with `score` (_moved_properties: joined with the relationship the source already has to it)."""
    have = {(r["source"], r["document"], r["type"]): dict(r["props"]) for chunk in _batches(
        [{"source": m["source"], "document": m["document"], "type": m["type"]} for m in moves], DEFAULT_BATCH_SIZE)
        for r in driver.execute_query(_EXISTING, parameters_={"rows": chunk}, database_=database).records}
    for rel in sorted({m["type"] for m in moves}):
        rows = [{"source": m["source"], "target": m["document"],
                 "props": _moved_properties(m["props"], have.get((m["source"], m["document"], rel)), m["method"],
                                            m["score"])}
                for m in moves if m["type"] == rel and m["source"] != m["document"]]
        for chunk in _batches(rows, DEFAULT_BATCH_SIZE):
            _write_batch(driver, database, RELATIONSHIP_QUERIES[rel], chunk)
    _recheck_flags(driver, database, [m for m in moves if m["source"] != m["document"]])


def resolve_placeholders(driver, database: str, loaded: dict[str, bool]) -> int:
    """After a load into a database that held documents (`loaded`: the load's node ids, True for its corpus
    documents): a placeholder whose title keys name exactly one document of the corpus (or one document's
    versions: the latest) becomes that document when one of them is new: this load's placeholder naming a
    document loaded before, or an earlier placeholder naming a document of this load; a title-only placeholder
    that names no document joins the one placeholder of a 文号 cited with that title (not for a 《关于…》 title
    without its issuer). When both are of this load, or both of earlier ones, a build of their documents
    decided. Returns how many placeholders went."""
    def run(query, **params):
        return driver.execute_query(query, parameters_=params, database_=database).records

    # this load's placeholders, and the earlier loads' placeholders that hold a title key of this load's documents
    # or 文号 placeholders (found through the fulltext index: the work grows with the load, not the database)
    placeholders = [r for chunk in _batches(sorted(i for i, inside in loaded.items() if not inside),
                                            DEFAULT_BATCH_SIZE) for r in run(_PLACEHOLDER_KEYS, ids=chunk)]
    earlier = {}
    for chunk in _batches(sorted(loaded), DEFAULT_BATCH_SIZE):
        rows = _key_queries(run(_KEYS_OF, ids=chunk))
        if rows:
            earlier.update((r["id"], r) for r in run(_PLACEHOLDERS_NAMING, rows=rows) if r["id"] not in loaded)
    placeholders += [earlier[i] for i in sorted(earlier)]
    named, numbered, titles = {}, {}, {}
    for chunk in _batches(placeholders, DEFAULT_BATCH_SIZE):
        for r in run(_NAMED_BY_KEYS, rows=_key_queries(chunk)):
            named[r["id"]], numbered[r["id"]] = sorted(r["ids"]), sorted(r["numbered"])
            titles.update((d, t) for d, t in r["titles"])
    # a title-only placeholder joins a 文号's placeholder only when its title is not one every issuer writes
    # (《关于…》: a build weighs the cited issuer there) and the corpus has no document of it
    cited_title = {r["id"]: r["title"] for r in placeholders}
    joinable = {r["id"] for r in placeholders
                if not r["numbered"] and not normalize_title(r["title"] or "").startswith("关于")}
    pairs = []
    for pid in sorted(named):
        docs, method = named[pid], "title"
        if not docs and pid in joinable and len(numbered[pid]) == 1:
            docs, method = numbered[pid], "placeholder"
        if not docs:
            continue
        target = docs[0] if len(docs) == 1 else latest_version(docs)
        if target is None or (pid in loaded) == (target in loaded if method == "placeholder"
                                                 else loaded.get(target, False)):
            continue
        if method == "title":  # by the document's own title, or by another name of it (as a build's lookup)
            cited = title_keys(cited_title.get(pid))
            method = "title" if cited and cited[:1] == title_keys(titles.get(target))[:1] else "alias"
        pairs.append({"placeholder": pid, "document": target, "method": method})
    # a 文号's placeholder that itself becomes a document takes no other placeholder with it
    going = {p["placeholder"] for p in pairs}
    pairs = [p for p in pairs if p["document"] not in going]
    if not pairs:
        return 0
    pair_of = {p["placeholder"]: p for p in pairs}
    moves = [{**r, "document": pair_of[r["placeholder"]]["document"], "method": pair_of[r["placeholder"]]["method"],
              "score": 100.0}
             for chunk in _batches(sorted(pair_of), DEFAULT_BATCH_SIZE) for r in run(_INTO_PLACEHOLDERS, ids=chunk)]
    run(_TAKE_STATUS, pairs=[{"placeholder": p["placeholder"], "document": p["document"]} for p in pairs])
    _move_relationships(driver, database, moves)
    for chunk in _batches(sorted(pair_of), DEFAULT_BATCH_SIZE):
        run(_DROP_PLACEHOLDERS, ids=chunk)
    return len(pairs)


# This load's title-only placeholders that no document names exactly, with their citers, and the documents of
# earlier loads whose titles share the most characters with theirs (the candidates of a fuzzy match)
_LOAD_TITLE_PLACEHOLDERS = (
    "UNWIND $ids AS id MATCH (p:Placeholder {id: id}) WHERE p.doc_number IS NULL AND p.title IS NOT NULL\n"
    "MATCH (p)<-[r]-(s:Document) WHERE s.id IN $own\n"
    "RETURN p.id AS placeholder, p.title AS title, p.level AS level, s.id AS source, s.date AS date, "
    "type(r) AS type, properties(r) AS props ORDER BY placeholder, source, type")
_FUZZY_CANDIDATES = (
    "UNWIND $rows AS row\n"
    "CALL db.index.fulltext.queryNodes('document_titles', row.query, {limit: $limit}) YIELD node AS d\n"
    "WITH row, d WHERE d.in_corpus = true AND NOT d.id IN $loaded\n"
    "RETURN row.id AS id, collect({id: d.id, title: d.title, aliases: d.aliases, issuer: d.issuer, "
    "region: d.region, level: d.level, date: d.date}) AS candidates")
_DROP_RELATIONSHIPS = ("UNWIND $rows AS row MATCH (s:Document {id: row.source})-[r]->(p:Document {id: row.placeholder}) "
                       "WHERE type(r) = row.type DELETE r")
_DROP_LONE_PLACEHOLDERS = ("UNWIND $ids AS id MATCH (p:Document {id: id}) WHERE p:Placeholder AND NOT (p)--() "
                           "DELETE p")
CHANGE_RELATIONS = frozenset(REPEALING + REPLACING)  # relations whose citer changes the status of the cited
FUZZY_CANDIDATES = 50  # documents of earlier loads a fuzzy look-up scores, ranked by the fulltext index


def fuzzy_placeholders(driver, database: str, loaded: dict[str, bool]) -> int:
    """This load's citations by title that neither its own graph nor an exact title key placed, matched fuzzily
    against the documents of earlier loads as a build of both loads matches them (graph/resolve.py
    TitleIndex.fuzzy with keyindex.compatible: the cited issuer and level, a document not later than its
    citer); the `document_titles` index picks the FUZZY_CANDIDATES to score. A matched citation's relationship
    moves to the document (method fuzzy, its score); a placeholder left without relationships goes. Returns how
    many relationships moved."""
    from polgraph.graph.keyindex import compatible
    from polgraph.graph.resolve import TitleIndex

    def run(query, **params):
        return driver.execute_query(query, parameters_=params, database_=database).records

    # this load's documents: its own citations are matched (a shared placeholder's earlier citers were matched by
    # their own load), and they are no candidates (its own graph tried them)
    own_documents = sorted(i for i, inside in loaded.items() if inside)
    citers = [dict(r) for chunk in _batches(sorted(i for i, inside in loaded.items() if not inside),
                                            DEFAULT_BATCH_SIZE)
              for r in run(_LOAD_TITLE_PLACEHOLDERS, ids=chunk, own=own_documents)]
    if not citers:
        return 0
    titles = {c["placeholder"]: c["title"] for c in citers}
    candidates = {}
    for chunk in _batches(sorted(titles), DEFAULT_BATCH_SIZE):
        rows = [{"id": p, "query": _lucene_terms(" ".join(normalize_title(titles[p])))} for p in chunk]
        candidates.update((r["id"], r["candidates"]) for r in run(_FUZZY_CANDIDATES, rows=rows,
                                                                   loaded=own_documents, limit=FUZZY_CANDIDATES))
    moves, indexes = [], {}
    for c in citers:
        found = candidates.get(c["placeholder"]) or []
        if not found:
            continue
        if c["placeholder"] not in indexes:
            index, attrs = TitleIndex(), {}
            for d in sorted(found, key=lambda d: d["id"]):
                attrs[d["id"]] = {**d, "issuer": d["issuer"] or [], "in_corpus": True}
                index.add(d["id"], d["title"], "title")
                for alias in d["aliases"] or ():
                    index.add(d["id"], alias, "alias")
            indexes[c["placeholder"]] = index, attrs
        index, attrs = indexes[c["placeholder"]]
        mentions = json.loads(c["props"].get("mentions_json") or "[]")
        cited = {"cited_issuer": next((m.get("cited_issuer") for m in mentions if m.get("cited_issuer")), None),
                 "cited_level": c["level"]}
        hit = index.fuzzy(c["title"], exclude=c["source"],
                          accept=lambda n: compatible(attrs[n], cited, {"date": c["date"]}))
        if hit:
            moves.append({**c, "document": hit[0], "method": "fuzzy", "score": hit[1]})
    if not moves:
        return 0
    _move_relationships(driver, database, moves)
    # a repeal or amendment by a title one word off changes the document, as in a build (_TAKE_STATUS)
    changed = sorted({(m["placeholder"], m["document"]) for m in moves if m["type"] in CHANGE_RELATIONS})
    if changed:
        run(_TAKE_STATUS, pairs=[{"placeholder": p, "document": d} for p, d in changed])
    for chunk in _batches([{"source": m["source"], "placeholder": m["placeholder"], "type": m["type"]} for m in moves],
                          DEFAULT_BATCH_SIZE):
        run(_DROP_RELATIONSHIPS, rows=chunk)
    for chunk in _batches(sorted({m["placeholder"] for m in moves}), DEFAULT_BATCH_SIZE):
        run(_DROP_LONE_PLACEHOLDERS, ids=chunk)
    return len(moves)


def _grouped_batches(items, batch_size: int) -> Iterator[tuple[object, list]]:
    """(key, rows) batches of `batch_size` rows of one key from (key, row) items, as they come; the partial
    batches at the end, by key."""
    buffers: dict = {}
    for key, row in items:
        buf = buffers.setdefault(key, [])
        buf.append(row)
        if len(buf) >= batch_size:
            yield key, buf
            buffers[key] = []
    for key in sorted(buffers, key=str):
        if buffers[key]:
            yield key, buffers[key]


def _send_stream(driver, database: str, batches, writers: int, bar) -> int:
    """Send (query, rows) batches as they come, `writers` transactions in flight and at most as many waiting:
    memory stays at a few batches however many rows come. Returns the retries."""
    retries = 0
    pool = ThreadPoolExecutor(max_workers=writers, thread_name_prefix="polgraph-load")
    pending: set = set()

    def collect(done) -> None:
        nonlocal retries
        for future in done:
            n_retries, n = future.result()
            retries += n_retries
            bar.update(n)

    try:
        for query, rows in batches:
            if len(pending) >= 2 * writers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                collect(done)
            pending.add(pool.submit(lambda q, r: (_write_batch(driver, database, q, r), len(r)), query, rows))
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            collect(done)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return retries


def load_items_into_neo4j(node_items, edge_items, n_items: int | None = None, uri: str = "bolt://127.0.0.1:7687",
                          user: str = "neo4j", password: str = "", database: str = "neo4j",
                          batch_size: int = DEFAULT_BATCH_SIZE, wipe: bool = False, quiet: bool = False,
                          writers: int = DEFAULT_WRITERS, timings: dict | None = None) -> dict:
    """`load_graph_into_neo4j` of nodes and edges that stream in (graph/stream.py): (id, attributes) items, each
    id once, then (source, target, relation, attributes) items, each triple once. The same queries, the same
    database afterwards; rows are made batch by batch as the items come, so memory does not grow with the
    graph. Returns {"nodes", "relationships", "db_nodes", "db_relationships"}."""
    if batch_size < 1:
        raise PolgraphError(f"batch size must be at least 1, not {batch_size}")
    if writers < 1:
        raise PolgraphError(f"writers must be at least 1, not {writers}")
    timings = {} if timings is None else timings
    sent = {"nodes": 0, "relationships": 0}
    loaded: dict[str, bool] | None = None  # an update's node ids (resolve_placeholders)

    def node_rows():
        for n, attrs in node_items:
            props = node_properties(n, attrs)
            sent["nodes"] += 1
            if loaded is not None:
                loaded[props["id"]] = props["in_corpus"]
            yield (props["level"], not props["in_corpus"]), {"id": props["id"], "props": props}

    def relationship_rows():
        for u, v, k, attrs in edge_items:
            sent["relationships"] += 1
            yield _edge_relation(u, v, k, attrs), {"source": str(u), "target": str(v),
                                                   "props": relationship_properties(attrs)}

    t = time.perf_counter()
    driver = connect(uri, user, password, database)
    try:
        with _service_errors(uri, database):
            if wipe:
                wipe_documents(driver, database)
            # ids come once each (the stream's own guarantee): an empty database can take CREATE
            create = driver.execute_query(COUNT_NODES_QUERY, database_=database).records[0]["n"] == 0
            loaded = None if create else {}
            _schema_before_nodes(driver, database, create)
            node_queries = NODE_CREATE_QUERIES if create else NODE_QUERIES
            rel_queries = RELATIONSHIP_CREATE_QUERIES if create else RELATIONSHIP_QUERIES
            timings["mode"] = "create" if create else "merge"
            timings["schema"], t = time.perf_counter() - t, time.perf_counter()
            with progress(length=n_items, label="loading into Neo4j", quiet=quiet) as bar, _cyclic_gc_paused():
                timings["retries"] = _send_stream(
                    driver, database, ((node_queries[key], rows) for key, rows in
                                       _grouped_batches(node_rows(), batch_size)), writers, bar)
                timings["nodes"], t = time.perf_counter() - t, time.perf_counter()
                _schema_after_nodes(driver, database)
                timings["retries"] += _send_stream(
                    driver, database, ((rel_queries[key], rows) for key, rows in
                                       _grouped_batches(relationship_rows(), batch_size)), writers, bar)
                timings["relationships"], t = time.perf_counter() - t, time.perf_counter()
            await_indexes(driver, database)
            timings["indexes"], t = time.perf_counter() - t, time.perf_counter()
            if loaded is not None:
                timings["arrived"] = _arrived_methods(driver, database, loaded)
                timings["resolved_placeholders"] = resolve_placeholders(driver, database, loaded)
                timings["fuzzy_placeholders"] = fuzzy_placeholders(driver, database, loaded)
                timings["update"] = time.perf_counter() - t
            db_nodes, db_rels = database_counts(driver, database)
    finally:
        driver.close()
    return {"nodes": sent["nodes"], "relationships": sent["relationships"], "db_nodes": db_nodes,
            "db_relationships": db_rels}


def load_streamed(paths, as_of: str, jobs: int = 1, quiet: bool = False, **load_options) -> tuple[dict, list]:
    """A corpus (documents or extract JSON Lines) into Neo4j from its records in two passes (graph/stream.py),
    never holding the graph: the database `load` of the built graph gives, statuses as of `as_of` included.
    Returns load_items_into_neo4j's counts and the paths extraction skipped."""
    from polgraph.graph.stream import StreamedGraph

    with StreamedGraph(paths, jobs=jobs, quiet=quiet) as g:
        counts = load_items_into_neo4j(g.node_items(as_of), g.edge_items(), g.n_nodes + g.n_links, quiet=quiet,
                                       **load_options)
        return counts, g.skipped


# ---------------------------------------------------------------------------------------------------------
# trace


_FIND_BY_ID = "MATCH (d:Document {id: $id}) RETURN d.id AS id"
_NODES_BY_ID = ("UNWIND $ids AS id MATCH (d:Document {id: id}) "
                "RETURN d.id AS id, elementId(d) AS element, properties(d) AS props")
# The edges among the answer's documents: the far end of each relationship is checked by its element id, so
# no property of a document outside the answer is read.
_EDGES_AMONG = ("UNWIND $elements AS element MATCH (s:Document) WHERE elementId(s) = element\n"
                "MATCH (s)-[r]->(t:Document) WHERE elementId(t) IN $elements "
                "AND ($types IS NULL OR type(r) IN $types)\n"
                "RETURN s.id AS source, t.id AS target, type(r) AS type")


def reachable_query(direction: str, depth: int | None) -> str:
    """Cypher for every document reachable from $id (down: citing it; up: cited by it) with its hops.

    One breadth-first search (ANY SHORTEST over a quantified path) instead of enumerating every path; the
    hop bound cannot be a parameter in Cypher, so it is formatted in from a validated int.
    """
    if direction not in ("down", "up"):
        raise ValueError(f"direction must be 'down' or 'up', not {direction!r}")
    if depth is not None and (isinstance(depth, bool) or not isinstance(depth, int) or depth < 1):
        raise PolgraphError(f"depth must be a whole number of hops >= 1, not {depth!r}")
    bound = "{1,}" if depth is None else "{1,%d}" % depth
    step = "()<-[r]-()" if direction == "down" else "()-[r]->()"
    return ("MATCH (root:Document {id: $id})\n"
            f"MATCH p = ANY SHORTEST (root)({step} WHERE $types IS NULL OR type(r) IN $types){bound}(d:Document)\n"
            "WHERE d <> root\n"
            "RETURN d.id AS id, length(p) AS hops")


_NOT_ATTRIBUTES = frozenset(("id",) + LOOKUP_PROPERTIES)


def _attrs(props: dict) -> dict:
    return {k: v for k, v in props.items() if k not in _NOT_ATTRIBUTES}


_LOOKUP_INDEXES = ("document_title_keys", "document_search_text", "document_number_key", "document_file_name",
                   "document_file_stem", "document_titles")
_SHOW_LOOKUP_INDEXES = "SHOW INDEXES YIELD name, state WHERE name IN $names RETURN name, state"
_DESCRIBE = ("UNWIND $ids AS id MATCH (d:Document {id: id}) "
             "RETURN d.id AS id, d.title AS title, d.date AS date, d.in_corpus AS in_corpus")
_BY_NUMBER = ("MATCH (d:Document) WHERE d.doc_number = $number OR d.number_key = $key "
              "RETURN d.id AS id ORDER BY id")
_BY_FILE = ("MATCH (d:Document) WHERE d.file_name = $name OR d.file_stem = $ref "
            "RETURN d.id AS id, d.path AS path ORDER BY id")
# How many documents matched, in corpus and not, with the first ids of each (find_node prefers the corpus)
_MATCHES = ("WITH coalesce(d.in_corpus, false) AS inside, d.id AS id ORDER BY id\n"
            "RETURN inside, count(*) AS n, collect(id)[..$shown] AS first")
_BY_TITLE_KEYS = ("CALL db.index.fulltext.queryNodes('document_title_keys', $query) YIELD node AS d\n"
                  "WITH DISTINCT d WHERE any(k IN d.title_keys WHERE k IN $keys)\n" + _MATCHES)
# A REF that matches nothing is compared, as by find_node, with every document's name on a database of up
# to _SUGGEST_FROM_ALL documents (one property scan, well under a second); beyond, with the
# _SUGGESTION_CANDIDATES that the `document_titles` fulltext index ranks first for the REF's terms
# (a term is one Chinese character but a whole run of digits, so the closest by edit distance can be missed).
_SUGGEST_FROM_ALL = 100_000
_SUGGESTION_CANDIDATES = 1000
_ALL_NAMES = "MATCH (d:Document) RETURN d.id AS id, d.title AS title, d.label AS label"
_SUGGESTIONS = ("CALL db.index.fulltext.queryNodes('document_titles', $query, {limit: $limit}) YIELD node AS d\n"
                "RETURN DISTINCT d.id AS id, d.title AS title, d.label AS label")


def lookup_index_problem(states: dict[str, str]) -> str | None:
    """Why `trace` cannot look REFs up, given the look-up indexes' states by name (SHOW INDEXES), or None.

    A load into an empty database builds these indexes after its nodes (_schema_before_nodes), so while it
    runs they are missing, then POPULATING: the message says to wait as well as how to create them.

    >>> lookup_index_problem({name: "ONLINE" for name in _LOOKUP_INDEXES}) is None
    True
    >>> print(lookup_index_problem({name: "POPULATING" for name in _LOOKUP_INDEXES})[:60])
    the database's look-up indexes are still being built (docume
    >>> print(lookup_index_problem({name: "FAILED" for name in _LOOKUP_INDEXES})[-75:])
    FAILED (see the server's log); drop them and run cypher/schema.cypher again
    """
    missing = [n for n in _LOOKUP_INDEXES if n not in states]
    if missing:
        return (f"the database has no look-up index {', '.join(missing)}: wait for a running `polgraph load` to "
                f"finish (it builds them after the documents), load with this polgraph (`polgraph load`), or run "
                f"cypher/schema.cypher after neo4j-admin import")
    building = [n for n in _LOOKUP_INDEXES if states[n] == "POPULATING"]
    if building:
        return (f"the database's look-up indexes are still being built ({', '.join(building)}): a load has "
                f"just added documents; try again when it finishes")
    failed = [n for n in _LOOKUP_INDEXES if states[n] != "ONLINE"]
    if failed:
        return (f"the database's look-up index(es) {', '.join(failed)} are "
                f"{', '.join(sorted({states[n] for n in failed}))} (see the server's log); drop them and run "
                f"cypher/schema.cypher again")
    return None


def _lucene_phrase(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _lucene_terms(text: str) -> str:
    """`text` as a Lucene query of its terms (any of them), every syntax character escaped."""
    # lower case: the analyzer lowers every term anyway, and AND / OR / NOT in capitals would be operators
    return re.sub(r'([+\-&|!(){}\[\]^"~*?:\\/])', r"\\\1", text.lower())


class Neo4jDocuments:
    """find_node's questions (polgraph.graph.trace.GraphDocuments) answered through the indexes of
    cypher/schema.cypher: each reads only the documents that match, so a REF resolves in milliseconds on a
    database of millions. The not-found suggestions are scored among the documents the `document_titles`
    fulltext index ranks first for the REF's characters (every document, on a graph of fewer than
    1,000 that share one)."""

    def __init__(self, driver, database: str = "neo4j"):
        self.driver, self.database = driver, database

    def _run(self, cypher: str, **params):
        return self.driver.execute_query(cypher, parameters_=params, database_=self.database).records

    def check_indexes(self) -> None:
        states = {r["name"]: r["state"] for r in self._run(_SHOW_LOOKUP_INDEXES, names=list(_LOOKUP_INDEXES))}
        problem = lookup_index_problem(states)
        if problem:
            raise ServiceError(problem)

    def has(self, node_id: str) -> bool:
        return bool(self._run(_FIND_BY_ID, id=node_id))

    def by_number(self, number: str, key: str) -> list[str]:
        return [r["id"] for r in self._run(_BY_NUMBER, number=number, key=key)]

    def by_path(self, ref: str) -> list[str]:
        ref = ref.replace("\\", "/")
        rows = self._run(_BY_FILE, name=ref.rsplit("/", 1)[-1], ref=ref)
        return sorted(r["id"] for r in rows if r["path"] and path_matches(r["path"], ref))

    def _matches(self, rows) -> Matches:
        groups = {bool(r["inside"]): r for r in rows}
        group = groups.get(True) or groups.get(False)
        return Matches(group["n"], list(group["first"])) if group else Matches(0, [])

    def by_title_keys(self, keys: set[str]) -> Matches:
        keys = sorted(keys)
        query = " OR ".join(_lucene_phrase(k) for k in keys)
        return self._matches(self._run(_BY_TITLE_KEYS, query=query, keys=keys, shown=SHOWN))

    def by_words(self, words: list[str]) -> Matches:
        # one CONTAINS per word, so the planner can take the text index for one of them; the words are
        # parameters, only their count is formatted in
        where = " AND ".join(f"d.search_text CONTAINS $w{i}" for i in range(len(words)))
        query = f"MATCH (d:Document) WHERE {where}\n" + _MATCHES
        return self._matches(self._run(query, shown=SHOWN, **{f"w{i}": w for i, w in enumerate(words)}))

    def describe(self, ids: list[str]) -> dict[str, dict]:
        return {r["id"]: dict(r) for r in self._run(_DESCRIBE, ids=list(ids))}

    def suggestion_choices(self, ref: str) -> dict[str, str]:
        from polgraph.graph.resolve import normalize_title

        if self._run(COUNT_NODES_QUERY)[0]["n"] <= _SUGGEST_FROM_ALL:
            rows = self._run(_ALL_NAMES)
        else:
            terms = _lucene_terms(normalize_title(ref))
            if not terms:
                return {}
            rows = self._run(_SUGGESTIONS, query=terms, limit=_SUGGESTION_CANDIDATES)
        return {r["id"]: normalize_title(r["title"] or r["label"] or r["id"]) for r in rows}


def resolve_ref_neo4j(driver, ref: str, database: str = "neo4j") -> str:
    """The document id `ref` names, decided by `polgraph.graph.trace.resolve_ref` (find_node's rules and
    messages) with each rule answered through an index of the database."""
    docs = Neo4jDocuments(driver, database)
    docs.check_indexes()
    return resolve_ref(docs, ref)


def subgraph_neo4j(driver, ids, relations=None, database: str = "neo4j"):
    """The documents `ids` with their attributes and the edges among them (of `relations`, or all), read from
    the database as a networkx graph that the networkx code can lay out."""
    import networkx as nx

    ids = sorted(ids)
    H = nx.MultiDiGraph()
    elements = []
    for rec in driver.execute_query(_NODES_BY_ID, parameters_={"ids": ids}, database_=database).records:
        H.add_node(rec["id"], **_attrs(rec["props"]))
        elements.append(rec["element"])
    for rec in driver.execute_query(_EDGES_AMONG, parameters_={"elements": elements, "types": relations},
                                    database_=database).records:
        H.add_edge(rec["source"], rec["target"], key=rec["type"], relation=rec["type"])
    return H


def trace_neo4j(ref: str, direction: str = "down", depth: int | None = None, relations=None,
                uri: str = "bolt://127.0.0.1:7687", user: str = "neo4j", password: str = "",
                database: str = "neo4j") -> dict:
    """`polgraph.graph.trace.trace` answered by Neo4j: the same dict for the same graph and query.

    Neo4j resolves REF and finds every reachable document with one variable-length shortest-path query;
    the documents, their edges and the tree/level grouping are then laid out by the networkx code, so
    `via`, ordering and text output are shared with the networkx backend.
    """
    import networkx as nx

    from polgraph.graph.trace import trace

    rels = sorted({r.upper() for r in relations}) if relations else None
    query = reachable_query(direction, depth)
    driver = connect(uri, user, password, database)
    try:
        with _service_errors(uri, database):
            root = resolve_ref_neo4j(driver, ref, database)
            hops = {r["id"]: r["hops"] for r in driver.execute_query(
                query, parameters_={"id": root, "types": rels}, database_=database).records}
            H = subgraph_neo4j(driver, set(hops) | {root}, rels, database)
    finally:
        driver.close()
    result = trace(H, root, direction=direction, depth=depth, relations=rels)
    result["query"] = ref
    if {d["id"]: d["hops"] for d in result["documents"]} != hops:
        raise RuntimeError(f"Neo4j and the breadth-first search disagree on the documents reachable from {root!r}")
    return result
