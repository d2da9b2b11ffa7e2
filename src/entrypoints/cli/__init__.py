"""The ``task-assigner`` command: every way of running the service, for people and for ops.

Configuration is the environment only (see :mod:`entrypoints.settings`); options here are about
the one invocation, never about the deployment. The group and what its commands share are in
:mod:`entrypoints.cli.group`; the long-running services in :mod:`entrypoints.cli.services`;
one-off operations in :mod:`entrypoints.cli.operations`.
"""

from entrypoints.cli import import_original, operations, services
from entrypoints.cli.group import main

__all__ = ["import_original", "main", "operations", "services"]
