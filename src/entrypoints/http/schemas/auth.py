"""Bodies of the sign-up, login and refresh endpoints, and the token pair they answer."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from application.passwords import PASSWORD_RULE
from domain.user import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH
from entrypoints.http.schemas.fields import Text
from entrypoints.http.schemas.representation import Representation


class RegisterSchema(Schema):
    email = Text(required=True, validate=validate.Length(max=EMAIL_MAX_LENGTH))
    name = Text(required=True, validate=validate.Length(max=NAME_MAX_LENGTH))
    password = Text(required=True, metadata={"description": PASSWORD_RULE})
    password2 = Text(required=True, metadata={"description": "The same password again."})


class LoginSchema(Schema):
    email = Text(required=True)
    password = Text(required=True)


class RefreshSchema(Schema):
    refresh = Text(required=True, metadata={"description": "A refresh token; it works once."})


class TokenPairSchema(Representation):
    access = fields.String(required=True, metadata={"description": "Bearer token, 30 minutes."})
    refresh = fields.String(required=True, metadata={"description": "Refresh token, 3 days."})


class TokenSchema(Representation):
    """``{"token": {"access", "refresh"}}``, as the original service answered."""

    token = fields.Nested(TokenPairSchema, required=True)
