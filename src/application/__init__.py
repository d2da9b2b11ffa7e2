"""The use cases of Task Assigner, their authorization policy and the ports they need."""
