"""One blueprint per resource. A view is: parsed arguments → one use case → schema."""
