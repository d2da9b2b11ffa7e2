"""Driving adapters: the HTTP API, the RQ jobs and their schedule, the CLI, and the
dependency-injector container that wires everything (the composition root)."""
