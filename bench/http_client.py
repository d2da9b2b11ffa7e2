"""Plain HTTP calls the bench makes itself: logging in, and timing requests one by one."""

from __future__ import annotations

import time
from typing import Any

import requests

from bench.dataset import BENCH_PASSWORD


def access_token(base_url: str, email: str = "user1@bench.example") -> str:
    response = requests.post(
        f"{base_url}/auth/login", json={"email": email, "password": BENCH_PASSWORD}, timeout=30
    )
    response.raise_for_status()
    return str(response.json()["token"]["access"])


def warm_up(base_url: str, path: str, token: str | None, times: int = 20) -> None:
    """Requests before a measurement: the workers have their connections and caches."""
    timed_gets(base_url, [path] * times, token)


def get_json(base_url: str, path: str, token: str | None) -> Any:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    response = requests.get(f"{base_url}{path}", headers=headers, timeout=30)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: {response.status_code} {response.text[:300]}")
    return response.json()


def timed_gets(base_url: str, paths: list[str], token: str | None) -> list[float]:
    """Seconds per request, one after the other; any answer but 200 aborts the run."""
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    timings = []
    with requests.Session() as session:
        for path in paths:
            began = time.perf_counter()
            response = session.get(f"{base_url}{path}", headers=headers, timeout=30)
            timings.append(time.perf_counter() - began)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path}: {response.status_code} {response.text[:300]}")
    return timings
