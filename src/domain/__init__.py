"""The heart of Task Assigner: tasks, users and their rules, in plain Python."""
