# syntax=docker/dockerfile:1
# The production image of PIL Tracker: one image for the web (gunicorn), worker and beat services
# of docker-compose.yml. Not built in this project's CI (no Docker engine there); see README.

# ---- front-end libraries, from package-lock.json -------------------------------------------
FROM node:20-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# ---- Python packages, psycopg2 built from source against libpq -----------------------------
FROM python:3.11-slim AS python-build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
COPY requirements/base.txt requirements/postgres.txt /tmp/requirements/
RUN /opt/venv/bin/pip install -r /tmp/requirements/base.txt -r /tmp/requirements/postgres.txt

# ---- the runtime image ---------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    PIL_VAR_DIR=/app/var \
    STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage
# libpq5: the run-time library psycopg2 was built against (libpq-dev stays in the build stage).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 pil \
    && useradd --system --uid 10001 --gid pil --home-dir /app --shell /usr/sbin/nologin pil
WORKDIR /app
COPY --from=python-build /opt/venv /opt/venv
COPY --from=frontend /build/node_modules /app/node_modules
COPY . /app
# Hashed, compressed static files for whitenoise; settings need a SECRET_KEY to load, and this
# build-time value is used for nothing else.
RUN SECRET_KEY=collectstatic-build-only python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media /app/var/celery \
    && chown -R pil:pil /app/var
USER pil
VOLUME ["/app/var"]
EXPOSE 8000
CMD ["gunicorn", "pil_tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
