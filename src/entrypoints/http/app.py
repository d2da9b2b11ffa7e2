"""The Flask application factory."""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
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
from entrypoints.http.dialects import ORIGINAL, STRICT, Dialect
from entrypoints.http.flask_app import ServiceFlask
from entrypoints.http.json_answers import answer_with_orjson
from entrypoints.http.metrics import serve_metrics
from entrypoints.http.observe import observe_requests
from entrypoints.http.preconditions import require_if_match
from entrypoints.http.schema_urls import serve_original_schema
from entrypoints.http.views import auth, health, history, task_actions, tasks, users, webhooks

#: The view modules; each builds its blueprint for a dialect with ``blueprint(dialect)``.
VIEWS: Final = (auth, users, tasks, task_actions, history, health)
#: The strict dialect's view modules: the original had no webhooks, so `/v1` has none either.
STRICT_VIEWS: Final = (*VIEWS, webhooks)
SWAGGER_ASSETS: Final = "/docs/assets"
#: The original dialect's settings carry this prefix (flask-smorest's config_prefix).
ORIGINAL_CONFIG: Final = "V1_"

DESCRIPTION: Final = f"""\
Create tasks, assign them, work on them; tasks fail by themselves when their deadline passes.

Every path is also served under `{VERSION_PREFIX}` (`{VERSION_PREFIX}/tasks` is `/tasks`).
Protected operations need `Authorization: Bearer <access token>`: get a pair from
`/auth/register` or `/auth/login`, then use **Authorize**.

Errors are problem details (RFC 9457, `application/problem+json`): `type`, `title`, `status`,
`detail`, `instance`, and for invalid input `errors`, a list of `{{"pointer", "detail"}}`.

The original service's clients use `{ORIGINAL.prefix}/...` instead, which speaks its dialect;
its document is `{ORIGINAL.prefix}/schema`.
"""
ORIGINAL_DESCRIPTION: Final = """\
The original service's API, as its clients speak it: bodies as JSON, form or multipart,
unknown fields ignored, errors as Django REST framework wrote them. The same service as the
unprefixed paths, with the same rules: every operation but `/auth/*` needs
`Authorization: Bearer <access token>`.
"""


def create_app(container: Container | None = None) -> Flask:
    """An app over ``container`` (one built from the environment by default).

    Wires the container into the view modules: the last app created in a process is the
    one whose container the views use."""
    container = container or build_container()
    settings = container.settings()
    settings.check_secret()

    app = ServiceFlask(__name__)
    app.config.update(_config(settings.max_request_bytes))
    answer_with_orjson(app)
    require_if_match(app, settings.require_if_match)
    _serve(app, Api(app, STRICT), STRICT, STRICT_VIEWS)
    original = Api(app, ORIGINAL, config_prefix=ORIGINAL_CONFIG)
    _serve(app, original, ORIGINAL, VIEWS)
    # After the blueprints exist: their views are what gets wired.
    container.wire(modules=[security, *STRICT_VIEWS])
    serve_original_schema(app, original, f"{ORIGINAL.prefix}/schema")
    _serve_swagger_assets(app)
    app.after_request(_no_type_without_content)
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


def _serve(app: Flask, api: Api, dialect: Dialect, views: Sequence[ModuleType]) -> None:
    api.spec.components.security_scheme(
        BEARER, {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    for module in views:
        api.register_blueprint(module.blueprint(dialect))


def _config(max_request_bytes: int) -> dict[str, Any]:
    swagger_ui = {
        # Served from the swagger-ui-bundle package: the UI works without internet access.
        "OPENAPI_SWAGGER_UI_URL": f"{SWAGGER_ASSETS}/",
        "OPENAPI_SWAGGER_UI_CONFIG": {
            "persistAuthorization": True,
            "validatorUrl": None,  # no call to validator.swagger.io
            "tryItOutEnabled": True,
        },
    }
    original = {
        "API_TITLE": "Task Assigner (the original's API)",
        "API_VERSION": "1.0",
        "OPENAPI_VERSION": "3.0.3",
        "API_SPEC_OPTIONS": {"info": {"description": ORIGINAL_DESCRIPTION}},
        "OPENAPI_URL_PREFIX": f"{ORIGINAL.prefix}/schema",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "/swagger/",
        **swagger_ui,
    }
    return {
        "MAX_CONTENT_LENGTH": max_request_bytes,
        "API_TITLE": "Task Assigner",
        "API_VERSION": "2.0",
        "OPENAPI_VERSION": "3.0.3",
        "API_SPEC_OPTIONS": {"info": {"description": DESCRIPTION}},
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        **swagger_ui,
        **{ORIGINAL_CONFIG + key: value for key, value in original.items()},
    }


def _serve_swagger_assets(app: Flask) -> None:
    app.add_url_rule(
        f"{SWAGGER_ASSETS}/<path:filename>",
        endpoint="swagger_ui_assets",
        view_func=_swagger_asset,
    )


def _swagger_asset(filename: str) -> Response:
    return send_from_directory(swagger_ui_path, filename, max_age=3600)


def _no_type_without_content(response: Response) -> Response:
    """A 204 has no content, so no type of content either (as the original answered)."""
    if response.status_code == 204:
        response.headers.pop("Content-Type", None)
    return response


def _refuse_oversized_bodies() -> None:
    """413 up front, for every route, even those that never read their body (streamed
    bodies too: :class:`SizedBodies` gave them a length)."""
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
