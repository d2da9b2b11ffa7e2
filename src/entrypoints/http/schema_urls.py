"""The original's schema URL: ``/v1/schema``, the original dialect's OpenAPI document, in
YAML as the original answered it by default, or in JSON when the client accepts JSON and not
YAML. (Its Swagger UI, ``/v1/schema/swagger/``, is flask-smorest's.)"""

from __future__ import annotations

import json
from typing import Final

from flask import Flask, Response, request

from entrypoints.http.api import Api

YAML: Final = "application/vnd.oai.openapi"
JSON: Final = "application/json"


def serve_original_schema(app: Flask, api: Api, path: str) -> None:
    def schema() -> Response:
        best = request.accept_mimetypes.best_match([YAML, "application/yaml", JSON], YAML)
        if best == JSON:
            return Response(json.dumps(api.spec.to_dict()), mimetype=JSON)
        return Response(api.spec.to_yaml(), mimetype=YAML)

    app.add_url_rule(path, endpoint="original_schema", view_func=schema)
