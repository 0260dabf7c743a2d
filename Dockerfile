# Production image: Daphne serving Poradnia. PostgreSQL, Redis and every secret come from the
# environment at run time (docs/deployment.md); migrations run in their own one-shot
# container (`python manage.py migrate`, the `migrate` service of compose.yaml).

# Build stage: dependencies into a virtualenv, translation catalogues, static files.
FROM python:3.11-slim AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so code changes reuse this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The whole tree; .dockerignore keeps out the virtualenv, tests, benchmarks, docs and secrets.
COPY . .

# Build-time only values: no secret or database is baked into the image. DJANGO_DEBUG=0 so
# that collectstatic writes the hashed, compressed files and the manifest production serves.
# Twisted's plugin cache is written here, as the runtime's file system is read-only.
RUN export SECRET_KEY=build-only DJANGO_DEBUG=0 PORADNIA_VAR_DIR=/tmp/poradnia \
    && python manage.py compile_catalogues \
    && python manage.py collectstatic --noinput -v 0 \
    && python -m compileall -q -j 0 /app \
    && python -c "from twisted.plugin import IPlugin, getPlugins; list(getPlugins(IPlugin))" \
    && rm -rf /tmp/poradnia

# Runtime stage: the interpreter, the virtualenv and the prepared tree; no build leftovers.
FROM python:3.11-slim AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    PORADNIA_VAR_DIR=/tmp/poradnia

RUN groupadd --system --gid 10001 poradnia \
    && useradd --system --uid 10001 --gid poradnia --home-dir /app --shell /usr/sbin/nologin poradnia

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app

USER poradnia
EXPOSE 8000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]

# Daphne as production runs it (poradnia/serve.py: close frames for refused messages) with
# explicit websocket limits (docs/deployment.md#daphne): messages and frames up to 64 KiB
# (larger close with 1009) and handshakes within 10 s, as `make run` (Makefile); a socket
# lives at most 8 h (a shift; the client reconnects and resumes, which also spreads sockets
# over new processes); an idle socket is pinged every 20 s (under the proxy's 75 s read
# timeout) and closed 30 s after an unanswered ping; a disconnect handler gets 20 s.
CMD ["python", "-m", "poradnia.serve", "--bind", "0.0.0.0", "--port", "8000", \
     "--proxy-headers", "--proxy-headers-host", "X-Real-IP", "--no-server-name", \
     "--websocket-max-message-size", "65536", "--websocket-max-frame-size", "65536", \
     "--websocket_connect_timeout", "10", \
     "--websocket_timeout", "28800", \
     "--ping-interval", "20", \
     "--ping-timeout", "30", \
     "--application-close-timeout", "20", \
     "poradnia.asgi:application"]
