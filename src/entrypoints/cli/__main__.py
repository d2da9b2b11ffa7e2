"""`python -m entrypoints.cli`, as `task-assigner run` starts its children."""

from entrypoints.cli import main

main(prog_name="task-assigner")
