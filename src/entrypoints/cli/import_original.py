"""``task-assigner import-original``: the original service's users and tasks, copied into ours."""

from __future__ import annotations

import sys

import click

from application.importing import ImportReport, NoOwner, TargetNotEmpty
from entrypoints.cli import group
from entrypoints.cli.group import main


@main.command("import-original", short_help="Copy the original service's users and tasks.")
@click.option(
    "--from",
    "source_url",
    required=True,
    metavar="URL",
    help="The original's PostgreSQL database (postgresql://user:password@host/db); only read.",
)
@click.option(
    "--dry-run", is_flag=True, help="Say what would be copied and reported; write nothing."
)
@click.option(
    "--merge", is_flag=True, help="Copy even though this database holds users or tasks of its own."
)
@click.option(
    "--owner",
    metavar="EMAIL",
    help="The admin who owns the copied tasks (the original records no creator); "
    "by default the earliest admin.",
)
def import_original(source_url: str, dry_run: bool, merge: bool, owner: str | None) -> None:
    """Copy users (with their passwords) and tasks from the original service's database, in
    one transaction. Rows already here are left alone, so running it again changes nothing;
    rows that do not fit are reported, never guessed at."""
    container = group.container(group.settings())
    importer = container.import_original(source=container.original_database(source_url))
    try:
        report = importer.plan(merge=merge, owner=owner)
        if not dry_run and not report.changes_nothing:
            total = len(report.users) + len(report.tasks)
            with click.progressbar(length=total, label="Copying", file=sys.stderr) as bar:
                report = importer(merge=merge, dry_run=False, owner=owner, progress=bar.update)
    except (TargetNotEmpty, NoOwner) as error:
        raise click.ClickException(str(error)) from error
    _summarize(report, dry_run)


def _summarize(report: ImportReport, dry_run: bool) -> None:
    copied = "Would copy" if dry_run else "Copied"
    if report.changes_nothing:
        click.echo(
            f"Nothing to copy: {report.users_already_here} users and "
            f"{report.tasks_already_here} tasks are here already."
        )
    else:
        click.echo(f"{copied} {len(report.users)} users and {len(report.tasks)} tasks.")
        if report.users_already_here or report.tasks_already_here:
            click.echo(
                f"Left alone, already here: {report.users_already_here} users, "
                f"{report.tasks_already_here} tasks."
            )
    for misfit in report.misfits:
        click.echo(
            f"Not copied: {misfit.table} {misfit.id} ({misfit.external_id}): {misfit.reason}."
        )
    for email in report.foreign_hashes:
        click.echo(
            f"Cannot log in until given a new password (a password hash of another kind): {email}."
        )
