# mypy: allow-untyped-decorators
"""Sign-up, login and token refresh, open to anyone; logout, with the login's access token."""

from __future__ import annotations

from functools import cache
from typing import Any

from dependency_injector.wiring import Provide, inject
from flask import request
from flask.views import MethodView

from application.auth import REUSE_GRACE, LogIn, LogOut, RefreshTokens, TokenPair
from application.users import RegisterUser
from entrypoints.container import Container
from entrypoints.http.api import BEARER, Blueprint
from entrypoints.http.dialects.base import Dialect
from entrypoints.http.ratelimit import DOCUMENTED, DOCUMENTED_WITH_RETRY, rate_limit_headers
from entrypoints.http.security import bearer_token

#: The rotation rule, in the OpenAPI document (the docstring's first line is the summary).
_REFRESH_RULE = (
    f"Each refresh token works once. Using it again within {REUSE_GRACE.seconds} seconds of its "
    "first use is a 401 that changes nothing (a client refreshing twice at once: the pair the "
    "first use got keeps working). Using it again later is a 401 that ends the login: every "
    "refresh and access token it issued stops working."
)


@cache
def blueprint(dialect: Dialect) -> Blueprint:
    blp = Blueprint(
        "Auth",
        __name__,
        dialect=dialect,
        url_prefix="/auth",
        description="Sign up, log in, refresh, log out.",
    )
    schemas = dialect.schemas

    @blp.route("/register")
    class Register(MethodView):
        @blp.arguments(schemas.register)
        @blp.response(201, schemas.token)
        @blp.errors(400, 409, 413)
        @inject
        def post(
            self,
            body: dict[str, Any],
            register_user: RegisterUser = Provide[Container.register_user],
        ) -> dict[str, TokenPair]:
            """Create an account and get a token pair straight away."""
            return {"token": register_user(**body)}

    @blp.route("/login")
    class Login(MethodView):
        @blp.arguments(schemas.login)
        @blp.response(200, schemas.token, headers=DOCUMENTED)
        @blp.errors(400, 413)
        @blp.refusal(401, "Wrong email or password.", headers=DOCUMENTED)
        @blp.refusal(
            429, "Too many attempts: wait Retry-After seconds.", headers=DOCUMENTED_WITH_RETRY
        )
        @inject
        def post(
            self, body: dict[str, Any], log_in: LogIn = Provide[Container.log_in]
        ) -> tuple[dict[str, TokenPair], dict[str, str]]:
            """Exchange email and password for a token pair.

            An unknown email and a wrong password get the same 401. Repeated attempts from one
            client address, or at one account from one address, get 429 with Retry-After. Every
            answer that counted an attempt tells the limits left (RateLimit-Policy, RateLimit)."""
            logged_in = log_in(body["email"], body["password"], request.remote_addr or "")
            return {"token": logged_in.tokens}, rate_limit_headers(logged_in.quotas)

    @blp.route("/refresh")
    class Refresh(MethodView):
        @blp.arguments(schemas.refresh)
        @blp.response(200, schemas.token)
        @blp.errors(400, 401, 413)
        @blp.doc(description=_REFRESH_RULE)
        @inject
        def post(
            self,
            body: dict[str, Any],
            refresh_tokens: RefreshTokens = Provide[Container.refresh_tokens],
        ) -> dict[str, TokenPair]:
            """Exchange a refresh token for a new pair of the same login."""
            return {"token": refresh_tokens(body["refresh"])}

    @blp.route("/logout")
    class Logout(MethodView):
        @blp.doc(security=[{BEARER: []}])
        @blp.response(204)
        @blp.errors(401)
        @inject
        def post(self, log_out: LogOut = Provide[Container.log_out]) -> None:
            """End the caller's login: its refresh and access tokens stop working at once.
            Other logins of the same user are left alone."""
            log_out(bearer_token())

    return blp
