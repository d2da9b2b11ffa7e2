"""``task-assigner run``: the whole service in the foreground, on a machine with nothing set up.

What it is made of, one module each: the development defaults (:mod:`.environment`), the
PostgreSQL and Redis servers it starts and owns when nothing is configured (:mod:`.postgres`,
:mod:`.redis`), how it starts and stops processes (:mod:`.processes`) and the run loop itself
(:mod:`.run`). The integration tests start the same embedded servers.
"""
