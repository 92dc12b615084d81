"""The `polgraph` command line: a thin click layer over the library API.

Every command prints user errors as one line on stderr (no traceback) and exits with the codes
documented in polgraph/errors.py.
"""
from __future__ import annotations

import functools
import json
import os
import sys

import click

from polgraph import __version__
from polgraph.errors import EXIT_BUG, EXIT_PARTIAL, PolgraphError, Terminated
from polgraph.output import ESCAPE_ERRORS, atomic_output, check_output_path, display, raise_on_sigterm
from polgraph.vocabulary import LEVELS, RELATIONS


def _fail(message: str, code: int) -> None:
    click.echo(f"polgraph: {display(message)}", err=True)
    sys.exit(code)


def user_errors(fn):
    """Turn PolgraphError into one line on stderr and its exit code; keep real bugs visible."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except PolgraphError as e:
            _fail(str(e), e.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except Terminated:
            _fail("terminated", 143)
        except BrokenPipeError:
            sys.exit(0)
        except (SystemExit, click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as e:  # a bug: say so in one line, show the traceback only on request
            if os.environ.get("POLGRAPH_DEBUG"):
                raise
            _fail(f"internal error: {type(e).__name__}: {e} (set POLGRAPH_DEBUG=1 for the traceback)",
                  EXIT_BUG)

    return wrapper


def report_skipped(skipped) -> bool:
    """List the skipped inputs at the end of a run; True when there were any."""
    if not skipped:
        return False
    from polgraph.extract.read import is_line_skip

    n_lines = sum(1 for path, _ in skipped if is_line_skip(path))
    counts = [f"{n} {what}" for n, what in ((len(skipped) - n_lines, "file(s)"), (n_lines, "JSON Lines line(s)")) if n]
    click.echo(f"polgraph: skipped {' and '.join(counts)}:", err=True)
    for path, reason in skipped:
        click.echo(f"  {display(path)}: {display(reason)}", err=True)
    return True


def open_graph(paths, jobs: int = 1, quiet: bool = False):
    """A built graph file (`polgraph build` JSON) or a corpus (files, dirs, extract JSON Lines)."""
    from polgraph.graph.build import open_graph as _open

    return _open(list(paths), jobs=jobs, quiet=quiet)


def _set_max_file_size(ctx, param, value):
    if value is not None:
        from polgraph.extract.read import MAX_FILE_SIZE_ENV, parse_size

        try:
            parse_size(value)
        except ValueError as e:
            raise click.BadParameter(str(e)) from None
        os.environ[MAX_FILE_SIZE_ENV] = value  # in the environment: worker processes read it too
    return value


def _check_names(option: str, names, allowed, what: str) -> None:
    """The library's unknown-name error, said with the option that gave the name."""
    from polgraph.graph.trace import check_names

    try:
        check_names(names, allowed, what)
    except PolgraphError as e:
        raise PolgraphError(f"{option}: {e}") from None


quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary on stderr.")
jobs_option = click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
                           help="Worker processes for extraction.")
graph_arg = click.argument("source", nargs=1, type=click.Path(exists=True, dir_okay=True))
# load and export: a graph file, or a corpus (documents, folders, extract JSON Lines), streamed
sources_arg = click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=True))


def _graph_file(sources) -> bool:
    from polgraph.graph.io import is_graph_file, is_records_file

    return len(sources) == 1 and is_graph_file(sources[0]) and not is_records_file(sources[0])
as_of_option = click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
                            help="Status (in force, amended, repealed, expired …) as of this day (default: today).")
in_force_option = click.option("--in-force-only", is_flag=True,
                               help="Leave out documents amended, repealed, expired or not yet in force.")


def as_of_day(as_of) -> str:
    """--as-of checked (today when not given)."""
    from polgraph.graph.status import parse_as_of

    try:
        return parse_as_of(as_of)
    except ValueError as e:
        raise PolgraphError(f"--as-of {e}") from None


def with_status(G, as_of, in_force_only: bool = False):
    """G with each document's status as of `as_of` (graph/status.py); only those in force with --in-force-only."""
    from polgraph.graph.status import annotate_status, in_force_subgraph

    day = as_of_day(as_of)
    annotate_status(G, day)
    return in_force_subgraph(G, day) if in_force_only else G


def backend_options(fn):
    """--backend networkx|neo4j and the Neo4j connection options (trace, diffusion)."""
    for option in reversed([
            click.option("--backend", type=click.Choice(["networkx", "neo4j"]), default="networkx",
                         show_default=True),
            click.option("--uri", envvar="NEO4J_URI", default="bolt://127.0.0.1:7687", show_default=True),
            click.option("--user", envvar="NEO4J_USER", default="neo4j", show_default=True),
            click.option("--password", envvar="NEO4J_PASSWORD", default="", show_default=False),
            click.option("--database", envvar="NEO4J_DATABASE", default="neo4j", show_default=True)]):
        fn = option(fn)
    return fn


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="polgraph")
@click.option("--max-file-size", default=None, expose_value=False, is_eager=True, callback=_set_max_file_size,
              help="Skip input files larger than this (a JSON Lines line: that line), e.g. 64M "
                   "[default: 512M; env POLGRAPH_MAX_FILE_SIZE].")
def cli():
    """Trace how Chinese policy documents cite and implement each other.

    SOURCE arguments accept a corpus (files or folders of .txt/.md/.html/.jsonl) or a graph file
    written by `polgraph build`.
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="JSON Lines output file (default: stdout).")
@jobs_option
@quiet_option
@user_errors
def extract(paths, output, jobs, quiet):
    """Extract own metadata and citations of each document as JSON Lines."""
    from polgraph.extract.pipeline import write_jsonl

    def nothing_read(skipped):
        report_skipped(skipped)
        where = "; nothing written" if output in (None, "-") else f"; {output} not written"
        return PolgraphError(f"no readable document ({len(skipped)} skipped){where}" if skipped
                             else f"no document found{where}")

    if output in (None, "-"):
        n_docs, n_cit, skipped = write_jsonl(list(paths), sys.stdout, jobs=jobs, quiet=quiet)
        if not n_docs:
            raise nothing_read(skipped)
    else:
        # the file appears at `output` only complete (renamed over it at the end), and not at all when no
        # document could be read
        check_output_path(output, paths)
        with atomic_output(output, "wb") as out:
            n_docs, n_cit, skipped = write_jsonl(list(paths), out, jobs=jobs, quiet=quiet)
            if not n_docs:
                raise nothing_read(skipped)
    if not quiet:
        click.echo(f"polgraph: {n_docs} document(s), {n_cit} citation(s)", err=True)
    if report_skipped(skipped):
        sys.exit(EXIT_PARTIAL)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Graph file (node-link JSON); with --update, default: the updated graph file.")
@click.option("--update", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Add PATHS to this graph (written by polgraph build, with its .cache.jsonl beside it): only new "
                   "or changed files are extracted; the result equals a full build of the union.")
@jobs_option
@quiet_option
@user_errors
def build(paths, output, update, jobs, quiet):
    """Build the citation graph and save it as node-link JSON (and, beside it, OUTPUT.cache.jsonl: what each file
    extracted to, so that a rebuild or --update extracts only new or changed files)."""
    from polgraph.graph.build import open_lean, write_graph
    from polgraph.graph.io import is_graph_file, is_records_file
    from polgraph.graph.update import build_cached, cache_path

    if output is None and update is None:
        raise click.UsageError("Missing option '-o' / '--output'.")
    output = output or update
    check_output_path(output, paths)
    if update is None and len(paths) == 1 and is_graph_file(paths[0]) and not is_records_file(paths[0]):
        G = open_lean(paths, jobs=jobs, quiet=quiet)
        write_graph(G, output)
    else:
        G, cache, extracted = build_cached(paths, cache_path(update or output), update=update is not None,
                                           jobs=jobs, quiet=quiet)
        write_graph(G, output)
        cache.write(cache_path(output))
        n_files = sum(1 for e in cache.files.values() if "items" in e)
        if not quiet and (update or extracted < n_files):
            click.echo(f"polgraph: {extracted} of {n_files} file(s) extracted, the others from "
                       f"{cache_path(output)}", err=True)
    if not quiet:
        n_in = sum(1 for d in G.nodes.values() if d.get("in_corpus"))
        click.echo(f"polgraph: {G.number_of_nodes()} node(s) ({n_in} in corpus, "
                   f"{G.number_of_nodes() - n_in} placeholder(s)), {G.number_of_edges()} edge(s) -> {output}",
                   err=True)
    if report_skipped(G.graph.get("skipped")):
        sys.exit(EXIT_PARTIAL)


@cli.command()
@graph_arg
@click.argument("ref")
@click.option("--direction", type=click.Choice(["down", "up"]), default="down", show_default=True,
              help="down: who implements/cites REF; up: what REF rests on.")
@click.option("--depth", type=click.IntRange(1, None), default=None, help="Maximum hops (default: all).")
@click.option("--relations", default=None,
              help=f"Comma-separated relations to follow (default: all): {', '.join(RELATIONS)}.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@backend_options
@as_of_option
@in_force_option
@jobs_option
@quiet_option
@user_errors
def trace(source, ref, direction, depth, relations, fmt, backend, uri, user, password, database, as_of,
          in_force_only, jobs, quiet):
    """Which documents implement REF (a 文号 in any bracket style, or title words), level by level."""
    from polgraph.graph.trace import format_trace_text, trace as trace_fn

    rels = [r.strip().upper() for r in relations.split(",")] if relations else None
    if backend == "neo4j" and (as_of or in_force_only):
        raise PolgraphError("--as-of and --in-force-only need --backend networkx: the database holds the status "
                            "`polgraph load --as-of` wrote")
    if backend == "neo4j":
        from polgraph.graph.neo4j_store import trace_neo4j

        result = trace_neo4j(ref, direction=direction, depth=depth, relations=rels, uri=uri, user=user,
                             password=password, database=database)
    else:
        G = with_status(open_graph([source], jobs=jobs, quiet=quiet), as_of, in_force_only)
        result = trace_fn(G, ref, direction=direction, depth=depth, relations=rels)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        click.echo(format_trace_text(result))


@cli.command()
@graph_arg
@click.argument("ref")
@click.option("--unit", type=click.Choice(["province", "city", "county"]), default="province", show_default=True)
@click.option("--within", default=None, help="Only this province or city (e.g. 四川省).")
@click.option("--relations", default=None, help="Comma-separated adoption relations (default: "
              "IMPLEMENTS,BASED_ON,FORWARDS).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("--panel", type=click.Path(dir_okay=False), default=None, help="Write an event-history panel CSV.")
@click.option("--period", type=click.Choice(["year", "month"]), default="year", show_default=True,
              help="Period of the --panel rows.")
@click.option("--plot", type=click.Path(dir_okay=False), default=None,
              help="Draw the cumulative adoption curve (.png or .svg; needs matplotlib).")
@click.option("--html", "html_out", type=click.Path(dir_okay=False), default=None,
              help="Write an offline page: province tile map, curve and table.")
@backend_options
@as_of_option
@click.option("--in-force-only", is_flag=True,
              help="Count only adopting documents still in force (not amended, repealed or expired).")
@click.option("--all-versions", is_flag=True,
              help="Count the adopters of every version of REF's document; lags from its first version.")
@jobs_option
@quiet_option
@user_errors
def diffusion(source, ref, unit, within, relations, fmt, panel, period, plot, html_out, backend, uri, user,
              password, database, as_of, in_force_only, all_versions, jobs, quiet):
    """Who adopted REF, where and when: first adopter, lag and route per province, city or county."""
    from polgraph.graph import diffusion as d

    rels = [r.strip().upper() for r in relations.split(",")] if relations else None
    for out in (panel, plot, html_out):
        if out:  # before any work: a bad path fails at once, not after the graph is built
            check_output_path(out, [] if backend == "neo4j" else [source])
    if backend == "neo4j" and as_of:
        raise PolgraphError("--as-of needs --backend networkx: the database holds the status "
                            "`polgraph load --as-of` wrote")
    if backend == "neo4j":
        conn = {"uri": uri, "user": user, "password": password, "database": database}
        answer = functools.partial(d.diffusion_neo4j, ref, within=within, relations=rels,
                                   in_force_only=in_force_only, all_versions=all_versions, **conn)
    else:
        G = with_status(open_graph([source], jobs=jobs, quiet=quiet), as_of)
        answer = functools.partial(d.diffusion, G, ref, within=within, relations=rels, in_force_only=in_force_only,
                                   all_versions=all_versions)
    try:
        result = answer(unit=unit)
    except d.UnknownDivision as e:
        raise PolgraphError(f"--within {e}") from None
    if panel:
        d.write_text_atomic(panel, d.format_panel_csv(d.diffusion_panel(result, period)))
    if plot:
        if not plot.lower().endswith((".png", ".svg")):
            raise PolgraphError(f"{plot}: --plot writes .png or .svg")
        try:
            d.plot_adoption_curve(result, plot)
        except d.PlotError:  # the one left: matplotlib is missing
            raise PolgraphError(f"--plot {d.MATPLOTLIB_MISSING}") from None
    if html_out:
        provinces = result if unit == "province" else answer(unit="province")
        d.write_text_atomic(html_out, d.diffusion_html(result, provinces))
    click.echo({"json": d.format_diffusion_json, "csv": d.format_diffusion_csv,
                "text": d.format_diffusion_text}[fmt](result), nl=False)
    versions = result["target"].get("versions") or []
    if len(versions) > 1 and not all_versions and not quiet:
        click.echo(f"polgraph: {len(versions)} versions of this document in the graph; --all-versions counts "
                   f"the adopters of every one", err=True)


@cli.command()
@graph_arg
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--top", type=click.IntRange(1, None), default=20, show_default=True,
              help="How many most-cited missing documents to list.")
@as_of_option
@in_force_option
@jobs_option
@quiet_option
@user_errors
def stats(source, fmt, top, as_of, in_force_only, jobs, quiet):
    """Documents and citations by level and relation, resolution rates, gaps and flagged edges."""
    from polgraph.graph.stats import format_stats_text, graph_stats

    G = with_status(open_graph([source], jobs=jobs, quiet=quiet), as_of, in_force_only)
    s = graph_stats(G, top=top)
    if fmt == "json":
        click.echo(json.dumps(s, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        click.echo(format_stats_text(s, see_all="use --format json"))


@cli.command()
@sources_arg
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "jsonl", "neo4j-csv"]), required=True)
@click.option("-o", "--output", type=click.Path(), required=True,
              help="Output file (a folder for neo4j-csv).")
@jobs_option
@quiet_option
@user_errors
def export(sources, fmt, output, jobs, quiet):
    """Export the graph for Gephi (GraphML, GEXF), as JSON Lines, or as neo4j-admin import CSV.

    SOURCES: a graph file, or a corpus (documents, folders, extract JSON Lines); a corpus goes to neo4j-csv
    from its records in two passes, without the graph in memory."""
    from polgraph.graph.export import export_graph, export_streamed

    check_output_path(output, list(sources), folder=fmt == "neo4j-csv")
    skipped = []
    if fmt == "neo4j-csv" and not _graph_file(sources):
        written, skipped = export_streamed(list(sources), output, jobs=jobs, quiet=quiet)
    else:
        G = open_graph(sources, jobs=jobs, quiet=quiet)
        written = export_graph(G, fmt, output)
    if not quiet:
        for p in written:
            click.echo(f"polgraph: wrote {p}", err=True)
    if report_skipped(skipped):
        sys.exit(EXIT_PARTIAL)


@cli.command()
@graph_arg
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="HTML file to write.")
@click.option("--focus", default=None, help="Draw only the neighbourhood of this document (文号 or title).")
@click.option("--depth", type=click.IntRange(1, None), default=None, help="Hops around --focus (default: all).")
@click.option("--direction", type=click.Choice(["down", "up", "both"]), default="both", show_default=True)
@click.option("--levels", default=None, help=f"Comma-separated levels to keep: {', '.join(LEVELS)}.")
@click.option("--relations", default=None, help=f"Comma-separated relations to keep: {', '.join(RELATIONS)}.")
@click.option("--max-nodes", type=click.IntRange(1, None), default=2000, show_default=True)
@click.option("--force", is_flag=True, help="Render even past --max-nodes.")
@click.option("--title", "page_title", default=None, help="Page title.")
@click.option("--status", "statuses", default=None,
              help="Comma-separated statuses to keep, e.g. in_force,amended (see --as-of).")
@as_of_option
@in_force_option
@jobs_option
@quiet_option
@user_errors
def render(source, output, focus, depth, direction, levels, relations, max_nodes, force, page_title, statuses,
           as_of, in_force_only, jobs, quiet):
    """Render the graph as one self-contained, offline, interactive HTML file (pyvis)."""
    from polgraph.errors import LimitError, NotFoundError
    from polgraph.graph.render import TooManyNodes, render_html
    from polgraph.graph.status import STATUSES

    check_output_path(output, [source])
    levels = [x.strip() for x in levels.split(",")] if levels else None
    relations = [x.strip().upper() for x in relations.split(",")] if relations else None
    statuses = [x.strip() for x in statuses.split(",")] if statuses else None
    G = with_status(open_graph([source], jobs=jobs, quiet=quiet), as_of, in_force_only)
    _check_names("--status", statuses, STATUSES, "status")
    _check_names("--levels", levels, LEVELS, "level")
    _check_names("--relations", relations, RELATIONS, "relation")
    try:
        info = render_html(G, output, focus=focus, depth=depth, direction=direction, levels=levels,
                           relations=relations, max_nodes=max_nodes, force=force, title=page_title,
                           diffusion_page=os.path.splitext(output)[0] + ".diffusion.html" if focus else None,
                           statuses=statuses)
    except NotFoundError as e:  # only --focus names a document
        raise NotFoundError(f"--focus: {e}") from None
    except TooManyNodes as e:
        hint = "narrow it with --focus REF (and --depth N)" if focus is None else "lower --depth"
        raise LimitError(f"{e.count} nodes to draw, more than --max-nodes {e.limit}: "
                         f"{hint}, --levels or --relations, or pass --force") from None
    if not quiet:
        click.echo(f"polgraph: {info['nodes']} node(s), {info['edges']} edge(s) -> {output}", err=True)


@cli.command()
@click.argument("doc", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="HTML file to write.")
@click.option("--graph", "graph_source", type=click.Path(exists=True), default=None,
              help="Corpus or graph file to link citations into (default: the document's own folder).")
@quiet_option
@user_errors
def annotate(doc, output, graph_source, quiet):
    """Write DOC as HTML with each citation highlighted, its relation shown and linked."""
    from polgraph.graph.annotate import annotate_document

    check_output_path(output, [doc] + ([graph_source] if graph_source else []))
    info = annotate_document(doc, output, graph_source=graph_source, quiet=quiet)
    if not quiet:
        click.echo(f"polgraph: {info['citations']} citation(s), {info['resolved']} resolved -> {output}", err=True)


@cli.command()
@sources_arg
@click.option("--uri", envvar="NEO4J_URI", default="bolt://127.0.0.1:7687", show_default=True,
              help="bolt://, neo4j:// or neo4j+s:// (env NEO4J_URI).")
@click.option("--user", envvar="NEO4J_USER", default="neo4j", show_default=True)
@click.option("--password", envvar="NEO4J_PASSWORD", default="", help="(env NEO4J_PASSWORD)")
@click.option("--database", envvar="NEO4J_DATABASE", default="neo4j", show_default=True)
@click.option("--batch-size", type=click.IntRange(1, None), default=1000, show_default=True)
@click.option("--wipe", is_flag=True, help="Delete every polgraph node first.")
@as_of_option
@jobs_option
@quiet_option
@user_errors
def load(sources, uri, user, password, database, batch_size, wipe, as_of, jobs, quiet):
    """Load the graph into Neo4j (idempotent batched UNWIND ... MERGE).

    SOURCES: a graph file, or a corpus (documents, folders, extract JSON Lines), streamed from its records in
    two passes without the graph in memory."""
    from polgraph.graph.neo4j_store import load_graph_into_neo4j, load_streamed

    conn = dict(uri=uri, user=user, password=password, database=database, batch_size=batch_size, wipe=wipe)
    skipped = []
    if _graph_file(sources):
        G = with_status(open_graph(sources, jobs=jobs, quiet=quiet), as_of)
        counts = load_graph_into_neo4j(G, quiet=quiet, **conn)
    else:
        counts, skipped = load_streamed(list(sources), as_of_day(as_of), jobs=jobs, quiet=quiet, **conn)
    click.echo(f"polgraph: loaded {counts['nodes']} node(s), {counts['relationships']} relationship(s); "
               f"database now holds {counts['db_nodes']} node(s), {counts['db_relationships']} relationship(s)",
               err=True)
    if report_skipped(skipped):
        sys.exit(EXIT_PARTIAL)


def main():
    # a file name that is not UTF-8 (a surrogate escape) is printed escaped instead of crashing the print
    for stream, errors in ((sys.stdout, ESCAPE_ERRORS), (sys.stderr, "backslashreplace")):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors=errors)
    raise_on_sigterm()  # SIGTERM ends a command as Ctrl-C does: temporary outputs removed, exit 143
    cli(prog_name="polgraph")


if __name__ == "__main__":
    main()
