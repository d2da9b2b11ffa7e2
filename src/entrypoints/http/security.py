"""Who is calling: the bearer token in, the :class:`Actor` the use cases take out."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from dependency_injector.wiring import Provide, inject
from flask import request

from application.auth import Authenticate
from application.errors import MissingCredentials
from application.policy import Actor
from entrypoints.container import Container
from entrypoints.http.api import BEARER, Blueprint

F = TypeVar("F", bound=Callable[..., Any])


def bearer_token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise MissingCredentials("Send an access token: Authorization: Bearer <token>.")
    return token


@inject
def current_actor(authenticate: Authenticate = Provide[Container.authenticate]) -> Actor:
    return authenticate(bearer_token())


def authenticated(blp: Blueprint) -> Callable[[F], F]:
    """Require an access token and pass the caller to the view as ``actor``.

    Apply it above ``@blp.arguments`` so that an anonymous caller learns nothing about
    the validity of a body it is not allowed to send. Documents the bearer requirement
    and the 401 answer in the OpenAPI document."""

    def decorator(view: F) -> F:
        @wraps(view)
        def with_actor(*args: Any, **kwargs: Any) -> Any:
            return view(*args, actor=current_actor(), **kwargs)

        documented = blp.doc(security=[{BEARER: []}])(with_actor)
        return blp.errors(401)(documented)  # type: ignore[no-any-return]

    return decorator
