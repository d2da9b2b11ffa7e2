"""One module per resource, each a factory ``blueprint(dialect)`` of its blueprint in that
dialect. A view is: parsed arguments → one use case → schema, the same in every dialect."""
