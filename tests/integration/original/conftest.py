"""The importer's tests log in over the API too."""

from integration.api.fixtures import app, client, clock, container

__all__ = ["app", "client", "clock", "container"]
