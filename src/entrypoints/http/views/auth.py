# mypy: allow-untyped-decorators
"""Sign-up, login and token refresh: open to anyone."""

from __future__ import annotations

from typing import Any

from dependency_injector.wiring import Provide, inject
from flask.views import MethodView

from application.auth import LogIn, RefreshTokens, TokenPair
from application.users import RegisterUser
from entrypoints.container import Container
from entrypoints.http.api import Blueprint
from entrypoints.http.schemas.auth import LoginSchema, RefreshSchema, RegisterSchema, TokenSchema

blp = Blueprint("Auth", __name__, url_prefix="/auth", description="Sign up, log in, refresh.")


@blp.route("/register")
class Register(MethodView):
    @blp.arguments(RegisterSchema)
    @blp.response(201, TokenSchema)
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
    @blp.arguments(LoginSchema)
    @blp.response(200, TokenSchema)
    @blp.errors(400, 401, 413, 429)
    @inject
    def post(
        self, body: dict[str, Any], log_in: LogIn = Provide[Container.log_in]
    ) -> dict[str, TokenPair]:
        """Exchange email and password for a token pair.

        An unknown email and a wrong password get the same 401; repeated failures for one
        account get 429 with Retry-After."""
        return {"token": log_in(body["email"], body["password"])}


@blp.route("/refresh")
class Refresh(MethodView):
    @blp.arguments(RefreshSchema)
    @blp.response(200, TokenSchema)
    @blp.errors(400, 401, 413)
    @inject
    def post(
        self,
        body: dict[str, Any],
        refresh_tokens: RefreshTokens = Provide[Container.refresh_tokens],
    ) -> dict[str, TokenPair]:
        """Exchange a refresh token for a new pair. Each refresh token works once: using it
        again is a 401 and ends every token descended from the same login."""
        return {"token": refresh_tokens(body["refresh"])}
