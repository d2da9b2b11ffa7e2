"""Unit tests of the domain and the use cases, against hand-written in-memory fakes."""
