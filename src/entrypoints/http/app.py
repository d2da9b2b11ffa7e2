"""The Flask application factory."""

from __future__ import annotations

from typing import Any, Final

from flask import Flask, Response, request, send_from_directory
from swagger_ui_bundle import swagger_ui_path
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from entrypoints.container import Container, build_container
from entrypoints.http import idempotency, security
from entrypoints.http.alias import VERSION_PREFIX, VersionAlias
from entrypoints.http.api import BEARER, Api
from entrypoints.http.bodies import SizedBodies
from entrypoints.http.cors import allow_origins
from entrypoints.http.metrics import serve_metrics
from entrypoints.http.observe import observe_requests
from entrypoints.http.preconditions import require_if_match
from entrypoints.http.views import auth, health, history, task_actions, tasks, users, webhooks

_VIEWS: Final = (auth, users, tasks, task_actions, history, webhooks, health)
SWAGGER_ASSETS: Final = "/docs/assets"

DESCRIPTION: Final = f"""\
Create tasks, assign them, work on them; tasks fail by themselves when their deadline passes.

Every path is also served under `{VERSION_PREFIX}` (`{VERSION_PREFIX}/tasks` is `/tasks`), as the
original deployment did. Protected operations need `Authorization: Bearer <access token>`:
get a pair from `/auth/register` or `/auth/login`, then use **Authorize**.

Errors always have the body `{{"code", "status", "message", "errors"}}`, where `errors` maps
fields to their problems.
"""


def create_app(container: Container | None = None) -> Flask:
    """An app over ``container`` (one built from the environment by default).

    Wires the container into the view modules: the last app created in a process is the
    one whose container the views use."""
    container = container or build_container()
    settings = container.settings()
    settings.check_secret()

    app = Flask(__name__)
    app.config.update(_config(settings.max_request_bytes))
    app.json.sort_keys = False  # type: ignore[attr-defined]
    require_if_match(app, settings.require_if_match)
    container.wire(modules=[security, *_VIEWS])

    api = Api(app)
    api.spec.components.security_scheme(
        BEARER, {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    for module in _VIEWS:
        api.register_blueprint(module.blp)
    _serve_swagger_assets(app)
    observe_requests(app)  # first: every answer gets its request id, refusals included
    allow_origins(app, settings.cors_origins)
    serve_metrics(app, container)
    app.before_request(_refuse_oversized_bodies)
    idempotency.install(app, container)
    sized = SizedBodies(app.wsgi_app, settings.max_request_bytes)
    app.wsgi_app = VersionAlias(sized)  # type: ignore[method-assign]
    if settings.trusted_proxies > 0:
        # The client's address (the login throttle counts it) from that many proxies' word.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies)  # type: ignore[method-assign]
    return app


def _config(max_request_bytes: int) -> dict[str, Any]:
    return {
        "MAX_CONTENT_LENGTH": max_request_bytes,
        "API_TITLE": "Task Assigner",
        "API_VERSION": "1.0",
        "OPENAPI_VERSION": "3.0.3",
        "API_SPEC_OPTIONS": {"info": {"description": DESCRIPTION}},
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        # Served from the swagger-ui-bundle package: /docs works without internet access.
        "OPENAPI_SWAGGER_UI_URL": f"{SWAGGER_ASSETS}/",
        "OPENAPI_SWAGGER_UI_CONFIG": {
            "persistAuthorization": True,
            "validatorUrl": None,  # no call to validator.swagger.io
            "tryItOutEnabled": True,
        },
    }


def _serve_swagger_assets(app: Flask) -> None:
    app.add_url_rule(
        f"{SWAGGER_ASSETS}/<path:filename>",
        endpoint="swagger_ui_assets",
        view_func=_swagger_asset,
    )


def _swagger_asset(filename: str) -> Response:
    return send_from_directory(swagger_ui_path, filename, max_age=3600)


def _refuse_oversized_bodies() -> None:
    """413 up front, for every route, even those that never read their body (streamed
    bodies too: :class:`SizedBodies` gave them a length)."""
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
