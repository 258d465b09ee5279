"""What the ``tfconf`` subcommands call: writing the requested reports from a set of results, and
the ``report`` and ``diff`` verbs. ``conformance/cli.py`` only parses arguments and calls these.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Mapping, Sequence, TextIO

from .diff import diff_results, write_diff
from .html import write_html
from .junit import write_junit
from .markdown import write_markdown
from .model import Results, ResultsError, from_records, load, with_spec_details

EXIT_OK, EXIT_REGRESSION, EXIT_USAGE = 0, 1, 2


def write_reports(data: Results, html: str | None = None, junit: str | None = None, markdown: str | None = None,
                  baseline: str | None = None, spec: Sequence[str] | None = None,
                  err: TextIO | None = None) -> list[Path]:
    """Write each requested report; returns the paths written. A baseline that cannot be read is
    reported on ``err`` and left out (the reports of this run are still worth having).
    Raises `ResultsError` only for the results themselves."""
    diff = None
    if baseline:
        try:
            diff = diff_results(load([baseline]), data)
        except ResultsError as error:
            (err or sys.stderr).write(f"tfconf: baseline left out: {error}\n")
    written = []
    if html:
        data = with_spec_details(data, [Path(p) for p in spec] if spec else None)
        written.append(write_html(data, Path(html), diff))
    if junit:
        write_junit(data, Path(junit))
        written.append(Path(junit))
    if markdown:
        write_markdown(data, Path(markdown), diff)
        written.append(Path(markdown))
    return written


def reports_of_run(records: Sequence[Mapping], **options: object) -> list[Path]:
    """``tfconf run --html/--junit/--markdown``: reports of the records the run just made."""
    if not any(options.get(k) for k in ("html", "junit", "markdown")):
        return []
    return write_reports(from_records(records), **options)  # type: ignore[arg-type]


def report_command(paths: Sequence[str], html: str | None, junit: str | None, markdown: str | None,
                   baseline: str | None, strict: bool = False, spec: Sequence[str] | None = None,
                   out: TextIO | None = None, err: TextIO | None = None) -> int:
    """``tfconf report RESULTS.jsonl…``: merge results files and write the reports.
    Exit 0 when written, 2 when a results file cannot be read or nothing was asked for."""
    out, err = out or sys.stdout, err or sys.stderr  # looked up now: tests swap sys.stdout
    if not (html or junit or markdown):
        err.write("tfconf report: nothing to write; give --html DIR, --junit FILE and/or --markdown FILE\n")
        return EXIT_USAGE
    try:
        data = load(paths, duplicates="error" if strict else "later")
    except ResultsError as error:
        err.write(f"tfconf report: {error}\n")
        return EXIT_USAGE
    for path in write_reports(data, html, junit, markdown, baseline, spec, err):
        out.write(f"wrote {path}\n")
    if data.replaced:
        out.write(f"{len(data.replaced)} result(s) were replaced by a later file\n")
    return EXIT_OK


def diff_command(old: str, new: str, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """``tfconf diff OLD NEW``: print the differences; exit 1 on any regression, 2 on unreadable input."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        before, after = load([old]), load([new])
    except ResultsError as error:
        err.write(f"tfconf diff: {error}\n")
        return EXIT_USAGE
    return write_diff(diff_results(before, after), out)
