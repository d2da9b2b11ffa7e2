"""Marshmallow schemas: what the API reads and writes, and what its OpenAPI document says."""
