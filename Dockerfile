# syntax=docker/dockerfile:1
# Task Assigner: one image for every role (api, worker, scheduler, migrate); the command picks
# the role. Configuration, secrets included, comes from the environment at run time only.

FROM python:3.11-slim AS build
WORKDIR /build
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
# Wheels for the package and every pinned dependency, so the runtime stage needs no compiler.
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    APP_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index --find-links=/wheels task-assigner \
    && useradd --create-home --uid 10001 app
USER app
WORKDIR /home/app
EXPOSE 8000
ENTRYPOINT ["task-assigner"]
CMD ["serve"]
