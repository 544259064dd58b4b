"""The `c1` command: a thin Click layer over the library (pipeline.stages and friends)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import click

from . import __version__
from .errors import C1Error

T = TypeVar("T")
DEFAULT_RAW = "data/raw"
DEFAULT_WORK = "work"
DEFAULT_OUT = "data/published"


class C1Group(click.Group):
    """Turns every error into a message and an exit code; never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except C1Error as exc:
            click.echo(f"c1: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException,
                SystemExit):
            raise
        except BrokenPipeError:  # `c1 ... | head`: the reader left, nothing to report
            sys.stderr.close()
            sys.exit(0)
        except KeyboardInterrupt:
            click.echo("c1: interrupted; the previous published output is untouched", err=True)
            sys.exit(130)
        except Exception as exc:  # the last net: a bug must still not print a traceback
            if os.environ.get("C1_DEBUG"):
                raise
            click.echo(f"c1: internal error: {type(exc).__name__}: {exc} "
                       "(set C1_DEBUG=1 for details and please report it)", err=True)
            sys.exit(1)


def _track(quiet: bool):
    def track(items: Iterable[T], label: str, length: int) -> Iterator[T]:
        if quiet or length < 2:
            yield from items
            return
        with click.progressbar(items, length=length, label=f"{label:>9}", file=sys.stderr,
                               show_pos=True) as bar:
            yield from bar
    return track


def raw_option(f):
    return click.option("--raw", type=click.Path(path_type=Path), default=DEFAULT_RAW,
                        show_default=True,
                        help="Election folder: election.toml, region master, C1 inputs.")(f)


def work_option(f):
    return click.option("--work", type=click.Path(path_type=Path), default=DEFAULT_WORK,
                        show_default=True,
                        help="Work folder between stages (one subfolder per contest).")(f)


def out_option(f):
    return click.option("--out", type=click.Path(path_type=Path), default=DEFAULT_OUT,
                        show_default=True,
                        help="Where releases go: <out>/<contest-id>/.")(f)


def strict_option(f):
    return click.option("--strict", is_flag=True,
                        help="Exit 1 if any input was rejected or flagged: bermasalah, "
                             "konflik or a plausibility warning.")(f)


def quiet_option(f):
    return click.option("--quiet", "-q", is_flag=True, help="No progress bars.")(f)


@click.group(cls=C1Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="c1")
def main() -> None:
    """c1: C1 tally forms -> checked open election data.

    Drop C1 inputs (CSV/XLSX sheets, Sirekap JSON, zips of them) into an election folder
    beside its election.toml, then `c1 run`. Stages can also run one at a time:
    ingest -> validate -> aggregate -> publish; each reads what the one before wrote.
    Exit codes: 0 done (even with rejected inputs), 1 --strict and something was flagged,
    2 usage or config error.
    """


def _summary_lines(validation, aggregated=None, report: Path | None = None) -> list[str]:
    v = validation
    lines = [
        f"received   {v.received} submissions "
        f"(accepted {v.accepted}, bermasalah {v.bermasalah}, rejected {v.rejected}, "
        f"incomplete {v.incomplete}; {v.rejected_files} files rejected; "
        f"{v.warnings} plausibility warnings)",
    ]
    if aggregated is not None:
        c = aggregated.status_counts
        lines.append(f"TPS        {aggregated.tps_total} in the region master: masuk {c['masuk']}, "
                     f"bermasalah {c['bermasalah']}, konflik {c['konflik']}, "
                     f"belum_masuk {c['belum_masuk']}")
    else:
        lines.append(f"konflik    {v.konflik_tps} TPS")
    lines.append(f"report     {report or v.report_path} (and issues.csv beside it)")
    return lines


def _flagged(validation, aggregated=None) -> bool:
    konflik = aggregated.status_counts["konflik"] if aggregated else validation.konflik_tps
    return bool(validation.rejected or validation.rejected_files or validation.bermasalah
                or konflik or validation.warnings)


@main.command()
@raw_option
@work_option
@out_option
@strict_option
@quiet_option
def run(raw: Path, work: Path, out: Path, strict: bool, quiet: bool) -> None:
    """Run all stages: ingest, validate, aggregate, publish."""
    from .stages import run_all

    def on_stage(name: str) -> None:
        if not quiet:
            click.echo(f"c1: {name} ...", err=True)

    summary = run_all(raw, work, out, _track(quiet), on_stage)
    published_report = summary.publish.folder / "validation" / "report.json"
    for line in _summary_lines(summary.validation, summary.aggregate, published_report):
        click.echo(line)
    totals = ", ".join(f"{k}={v}" for k, v in summary.aggregate.totals.items()
                       if k.startswith("suara_paslon_"))
    click.echo(f"totals     {totals} (TPS masuk only)")
    click.echo(f"published  {summary.publish.folder}/ ({len(summary.publish.files)} files)")
    if summary.publish.site is not None:
        site = summary.publish.site
        click.echo(f"site       {summary.publish.folder}/site/index.html ({site.pages} pages: "
                   f"{site.rendered} rendered, {site.linked} unchanged) - preview: c1 serve")
    if strict and _flagged(summary.validation, summary.aggregate):
        sys.exit(1)


@main.command("ingest")
@raw_option
@work_option
@quiet_option
def ingest_cmd(raw: Path, work: Path, quiet: bool) -> None:
    """Read every input file into work/<contest>/records (one row per submission)."""
    from .ingest import ingest
    from .stages import setup

    s = setup(raw, work)
    summary = ingest(s.election, s.regions, s.work, _track(quiet))
    click.echo(f"ingest     {summary.files} files, {summary.sources} sources "
               f"({summary.rejected_sources} rejected), {summary.records} submissions -> "
               f"{s.work.root / 'records'}")


@main.command("validate")
@raw_option
@work_option
@strict_option
def validate_cmd(raw: Path, work: Path, strict: bool) -> None:
    """Check submissions against the schema and the form's rules; pick the current one."""
    from .stages import setup
    from .validate import validate

    s = setup(raw, work)
    summary = validate(s.election, s.regions, s.work)
    for line in _summary_lines(summary):
        click.echo(line)
    if strict and _flagged(summary):
        sys.exit(1)


@main.command("aggregate")
@raw_option
@work_option
def aggregate_cmd(raw: Path, work: Path) -> None:
    """Sum TPS masuk up every level of the region master, with TPS coverage counts."""
    from .aggregate import aggregate
    from .stages import setup

    s = setup(raw, work)
    summary = aggregate(s.election, s.regions, s.work)
    c = summary.status_counts
    click.echo(f"aggregate  {summary.tps_total} TPS ({', '.join(f'{k} {v}' for k, v in c.items())})"
               f"; levels {', '.join(summary.levels)}")


@main.command("publish")
@raw_option
@work_option
@out_option
@click.option("--no-site", is_flag=True, help="Downloads only, no HTML site.")
def publish_cmd(raw: Path, work: Path, out: Path, no_site: bool) -> None:
    """Write downloads, datapackage.json, the site, SHA256SUMS and the report to
    <out>/<contest-id>/."""
    from .publish import publish
    from .stages import setup

    s = setup(raw, work)
    summary = publish(s.election, s.regions, s.work, out, site=not no_site)
    click.echo(f"published  {summary.folder}/ ({len(summary.files)} files)")


@main.command("init")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--regions", "regions_csv", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Region master CSV: kode,nama,tingkat,kode_induk (tingkat 5 = TPS).")
@click.option("--candidates", "candidates_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Candidates: CSV nomor_urut,nama[,sirekap_id] or a Sirekap paslon JSON.")
@click.option("--contest", "kind", default="pkwkk", show_default=True,
              help="Contest kind: ppwp (presiden), pkwkp (gubernur), pkwkk (bupati/wali kota).")
@click.option("--id", "contest_id", help="Contest id (names the output folder).")
@click.option("--name", help="Contest name, e.g. 'Pemilihan Bupati ... 2024'.")
@click.option("--date", default="", help="Voting day, YYYY-MM-DD.")
@click.option("--root", help="Only this region code and what lies under it.")
@click.option("--force", is_flag=True, help="Overwrite an existing election.toml.")
def init_cmd(folder: Path, regions_csv: Path, candidates_file: Path, kind: str,
             contest_id: str | None, name: str | None, date: str, root: str | None,
             force: bool) -> None:
    """Scaffold a new election folder: election.toml plus a copy of the region master."""
    from .scaffold import init_election

    config = init_election(folder, regions_csv, candidates_file, kind, contest_id, name, date,
                           root, force)
    click.echo(f"created    {config}")
    click.echo(f"next       put C1 inputs in {folder}/ and run: c1 run --raw {folder}")


@main.command("check")
@click.argument("data", required=False, type=click.Path(path_type=Path))
@click.option("--schema", "schema_path", type=click.Path(path_type=Path),
              help="Table Schema (JSON) to check DATA against.")
@click.option("--package", "package_path", type=click.Path(path_type=Path),
              help="datapackage.json: check its table resources (foreign keys across them), "
                   "or DATA against one of them with --resource.")
@click.option("--resource", help="With --package: the resource to check (or to check DATA as).")
@click.option("--json", "as_json", is_flag=True,
              help="Print the report as JSON, in frictionless-py's report shape.")
def check_cmd(data: Path | None, schema_path: Path | None, package_path: Path | None,
              resource: str | None, as_json: bool) -> None:
    """Validate a CSV or Parquet table against a Table Schema, as frictionless-py would.

    Every error is reported (no limit), sorted by row then field. Exit 0 if valid, 1 if
    not, 2 if the arguments, schema or package cannot be used.
    """
    from .check import (
        SchemaError,
        check_file_tasks,
        check_package_tasks,
        load_json,
        summary_text,
        write_json,
    )
    from .check.report import error_count

    try:
        if package_path is not None:
            if schema_path is not None:
                raise click.UsageError("give --schema or --package, not both")
            if data is not None and resource is None:
                raise click.UsageError("with DATA and --package, name the --resource it is")
            results = check_package_tasks(package_path, resource, data)
        elif schema_path is not None:
            if data is None:
                raise click.UsageError("DATA is required with --schema")
            results = check_file_tasks(data, load_json(schema_path, "schema"))
        else:
            raise click.UsageError("give --schema SCHEMA.json or --package datapackage.json")
    except SchemaError as exc:
        click.echo(f"c1 check: {exc}", err=True)
        sys.exit(2)
    if as_json:
        sys.stdout.flush()
        write_json(results, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        click.echo(summary_text(results))
    sys.exit(0 if all(error_count(r) == 0 for r in results) else 1)


@main.command("serve")
@raw_option
@out_option
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
def serve_cmd(raw: Path, out: Path, port: int) -> None:
    """Preview the published site on localhost (Ctrl+C stops)."""
    from .config import load_election
    from .errors import StageInputError
    from .site.serve import make_server

    election = load_election(raw)
    folder = out / election.contest_id
    if not (folder / "site" / "index.html").is_file():
        raise StageInputError(f"{folder}/site not found: run `c1 run` (or `c1 publish`) first")
    try:
        server = make_server(folder, port)
    except OSError as exc:
        raise StageInputError(f"cannot listen on 127.0.0.1:{port}: {exc}") from None
    click.echo(f"serving    http://127.0.0.1:{server.server_address[1]}/site/index.html "
               "(Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@main.command("dictionary")
def dictionary_cmd() -> None:
    """Print the data dictionary of the published tables (Markdown, from the schemas)."""
    from .dictionary import data_dictionary_markdown

    click.echo(data_dictionary_markdown())


def _template_names() -> list[str]:
    from .forms.templates import template_names

    return template_names()


@main.command("read-form")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--template", type=click.Choice(_template_names()),
              help="The form version (default: recognised from each page).")
@click.option("--json", "as_json", is_flag=True, help="Print the readings as JSON.")
@strict_option
def read_form_cmd(files: tuple[Path, ...], template: str | None, as_json: bool,
                  strict: bool) -> None:
    """Read photographed, scanned or PDF C1 forms, without an election config.

    FILES are images (JPG, PNG), PDFs or folders of them. Files are grouped by the TPS
    code that starts their name (7322012001001-hal2.jpg, as Sirekap names photos) or names
    their folder; pages are recognised by their layout, in any order. A number is accepted
    only when its digit boxes and bubbles agree, each is confident, and every rule of the
    form it takes part in holds; anything else is listed for review with the reason.
    """
    import json

    from .forms.read import read_paths
    from .forms.report import form_summary_lines

    forms = read_paths(list(files), template)
    if as_json:
        click.echo(json.dumps([f.as_json() for f in forms], indent=1, ensure_ascii=False))
    else:
        for form in forms:
            for line in form_summary_lines(form):
                click.echo(line)
    if strict and not all(f.accepted for f in forms):
        sys.exit(1)


@main.group("review", cls=C1Group)
def review_group() -> None:
    """The review queue: forms read from photos/scans with numbers not yet verified.

    Ingest puts every form with a number it could not verify here (its numbers are not
    published meanwhile). `list` shows what waits and why, `export` writes a CSV with one
    row per number (pre-filled) and a crop of each box, `apply` turns the checked CSV into
    a new revision of those forms, with the operator's name, the time and the reason.
    """


def _review_dir(raw: Path, work: Path) -> Path:
    from .stages import setup

    return setup(raw, work).work.root / "review"


@review_group.command("list")
@raw_option
@work_option
def review_list_cmd(raw: Path, work: Path) -> None:
    """What waits for review, why, grouped by kecamatan."""
    from .forms.review import load_queue, queue_summary

    for line in queue_summary(load_queue(_review_dir(raw, work))):
        click.echo(line)


@review_group.command("export")
@click.argument("folder", type=click.Path(path_type=Path))
@raw_option
@work_option
def review_export_cmd(folder: Path, raw: Path, work: Path) -> None:
    """Write FOLDER/pemeriksaan.csv (one row per number to check) and FOLDER/gambar/."""
    from .forms.review import export_review

    target, rows = export_review(_review_dir(raw, work), folder)
    click.echo(f"review     {rows} angka untuk diperiksa -> {target}")
    click.echo("           isi/perbaiki kolom 'nilai' (kosongkan bila belum), lalu: "
               f"c1 review apply {target} --operator NAMA")


@review_group.command("apply")
@click.argument("review_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--operator", required=True, help="Who checked the forms (kept in the audit "
              "trail and published with each TPS).")
@click.option("--reason", default="", help="Why, e.g. 'diperiksa terhadap salinan C1'.")
@raw_option
@work_option
def review_apply_cmd(review_csv: Path, operator: str, reason: str, raw: Path,
                     work: Path) -> None:
    """Turn a checked review CSV into a new revision of those forms in RAW/pemeriksaan/."""
    from .forms.review import ReviewError, apply_review

    try:
        target, skipped = apply_review(review_csv, _review_dir(raw, work), raw, operator,
                                       reason)
    except ReviewError as error:
        raise click.ClickException(str(error)) from None
    for line in skipped:
        click.echo(f"review     {line}", err=True)
    if target is None:
        click.echo("review     nothing written: no TPS has all its numbers filled in")
        return
    click.echo(f"review     corrections written to {target}; run `c1 run` to publish them")


@main.command("demo-data")
@click.argument("folder", type=click.Path(path_type=Path), default=DEFAULT_RAW)
def demo_data_cmd(folder: Path) -> None:
    """(Re)generate the demo election (Luwu Utara 2024) into FOLDER, deterministically."""
    from .demo.generate import generate_demo

    files = generate_demo(folder)
    click.echo(f"demo       {len(files)} files written to {folder}/")


if __name__ == "__main__":
    main()
