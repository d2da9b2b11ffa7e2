"""The original service's own OpenAPI document, and the departures from it that we allow.

``original-openapi.yaml`` is the document the original service generated from its own code
(drf-spectacular), copied here unchanged. It is the reference ``/v1`` must conform to."""
