# Production image: Daphne serving Poradnia; PostgreSQL and Redis come from the environment
# (DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORADNIA_VAR_DIR=/tmp/poradnia

WORKDIR /app

RUN groupadd --system --gid 10001 poradnia \
    && useradd --system --uid 10001 --gid poradnia --home-dir /app --shell /usr/sbin/nologin poradnia

# Dependencies first, from pyproject.toml alone, so code changes reuse this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY manage.py ./
COPY poradnia ./poradnia
COPY core ./core
COPY advice ./advice
COPY cases ./cases
COPY stats ./stats
COPY chat ./chat
COPY triage ./triage
COPY knowledge_base ./knowledge_base
COPY frontend ./frontend
COPY locale ./locale

# Build-time only values: no secret or database is baked into the image.
RUN SECRET_KEY=build-only python manage.py compile_catalogues \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0 \
    && rm -rf /tmp/poradnia

USER poradnia
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["sh", "-c", "python manage.py migrate --noinput && exec python -m poradnia.serve -b 0.0.0.0 -p 8000 --proxy-headers --websocket-max-message-size 65536 --websocket-max-frame-size 65536 --websocket_connect_timeout 10 poradnia.asgi:application"]
