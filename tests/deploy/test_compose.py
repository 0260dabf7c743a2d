"""compose.yaml and the nginx configuration, checked for structure and for what they refer to."""

from __future__ import annotations

import re
from typing import Any

from django.core.management import get_commands

from deploy import scheduler
from tests.deploy.conftest import ROOT, compose
from tests.deploy.test_dockerfile import in_build_context, runtime_command

NGINX = ROOT / "deploy" / "nginx.conf"


def services() -> dict[str, dict[str, Any]]:
    return compose()["services"]


def runs_the_app_image(service: dict[str, Any]) -> bool:
    return service.get("build") in (".", {"context": "."})


def web_services() -> dict[str, dict[str, Any]]:
    """Services that run the image's own command: Daphne."""
    return {
        name: service
        for name, service in services().items()
        if runs_the_app_image(service) and "command" not in service
    }


def by_image(prefix: str) -> dict[str, Any]:
    [service] = [s for s in services().values() if str(s.get("image", "")).startswith(prefix)]
    return service


def nginx_text() -> str:
    """The configuration without comments."""
    return "\n".join(line.split("#", 1)[0] for line in NGINX.read_text().splitlines())


def nginx_statements() -> list[str]:
    """Every statement of the configuration, one per item."""
    return [s.strip() for s in re.split(r"[;{}]", nginx_text()) if s.strip()]


def nginx_server(listen: str) -> str:
    """The text of the server block that has ``listen <listen>``."""
    [server] = [c for c in nginx_text().split("server {")[1:] if f"listen {listen}" in c]
    return server


def nginx_block(selector: str, within: str | None = None) -> str:
    """The body of the first block whose header is ``selector`` (no nested blocks inside)."""
    match = re.search(re.escape(selector) + r"\s*\{([^{}]*)\}", within or nginx_text())
    assert match, selector
    return match.group(1)


def nginx_server_level(listen: str = "443 ssl") -> list[str]:
    """Statements of a server block outside its locations."""
    server = re.sub(r"location[^{]*\{[^{}]*\}", "", nginx_server(listen))
    server = server[: server.index("}")]
    return [s.strip() for s in server.split(";") if s.strip()]


def seconds(value: str) -> float:
    match = re.fullmatch(r"(\d+)(ms|s|m)?", value)
    assert match, value
    number, unit = int(match.group(1)), match.group(2) or "s"
    return number * {"ms": 0.001, "s": 1, "m": 60}[unit]


def test_compose_has_a_proxy_two_daphnes_postgres_redis_migrate_and_scheduler():
    names = set(services())
    assert {"proxy", "postgres", "redis", "migrate", "scheduler"} <= names
    webs = web_services()
    replicas = sum(s.get("deploy", {}).get("replicas", 1) for s in webs.values())
    assert replicas >= 2, webs.keys()


def test_the_proxy_is_nginx_with_its_configuration_mounted():
    proxy = services()["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert proxy["ports"]
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert "./deploy/tls:/etc/nginx/tls:ro" in proxy["volumes"]
    assert {port.split(":")[-1] for port in proxy["ports"]} == {"80", "443"}
    assert "healthcheck" in proxy


def test_every_daphne_waits_for_migrations_and_healthy_services_and_reports_readiness():
    for name, web in web_services().items():
        depends = web["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
        assert "/readyz" in " ".join(web["healthcheck"]["test"]), name
        assert web["env_file"] == ".env"
        assert web["environment"]["DATABASE_URL"].startswith("postgres://")
        assert web["environment"]["REDIS_URL"].startswith("redis://redis:")
        assert web.get("read_only") is True


def test_migrate_is_a_one_shot_of_the_same_image():
    migrate = services()["migrate"]
    assert runs_the_app_image(migrate)
    assert migrate["command"][-3:] == ["manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    assert migrate["healthcheck"] == {"disable": True}
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_the_scheduler_runs_retention_and_the_statistics_rollup():
    service = services()["scheduler"]
    assert runs_the_app_image(service)
    assert service["command"] == ["python", "deploy/scheduler.py"]
    assert service["healthcheck"] == {"disable": True}
    assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    jobs = [job[0] for job in scheduler.JOBS]
    assert jobs == ["apply_retention", "rollup_statistics"]
    assert set(jobs) <= set(get_commands())


def test_postgres_and_redis_keep_their_data_in_volumes_and_have_health_checks():
    declared = set(compose()["volumes"])
    postgres, redis = by_image("postgres:"), by_image("redis:")
    for service, data_dir in ((postgres, "/var/lib/postgresql/data"), (redis, "/data")):
        [volume] = [v for v in service["volumes"] if v.endswith(":" + data_dir)]
        assert volume.split(":")[0] in declared
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert redis["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    assert "noeviction" in redis["command"]


def test_every_path_compose_refers_to_exists_and_reaches_the_image():
    for name, service in services().items():
        if "build" in service:
            assert (ROOT / "Dockerfile").exists()
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (ROOT / source).exists(), f"{name}: {source}"
        command = service.get("command") or []
        if runs_the_app_image(service):
            for word in command:
                if word.endswith(".py"):
                    assert (ROOT / word).exists(), f"{name}: {word}"
                    assert in_build_context(word), f"{name}: {word} is not in the image"
    assert (ROOT / ".env.example").exists()


def test_every_variable_compose_needs_is_in_the_env_example_and_no_secret_is_inline():
    text = (ROOT / "compose.yaml").read_text()
    example = (ROOT / ".env.example").read_text()
    example_names = set(re.findall(r"^#?\s*([A-Z_]+)=", example, flags=re.MULTILINE))
    for variable in set(re.findall(r"\$\{([A-Z_]+)", text)):
        assert variable in example_names, variable
    secrets = ("SECRET_KEY", "METRICS_TOKEN", "POSTGRES_PASSWORD")
    assert set(secrets) <= example_names
    for name, service in services().items():
        environment = service.get("environment", {})
        for secret in secrets:
            assert str(environment.get(secret, "${")).startswith("${"), f"{name}: {secret}"
        password = environment.get("DATABASE_URL", "postgres://u:${P}@h").split(":")[2]
        assert password.startswith("${"), f"{name}: DATABASE_URL has a literal password"
    assert re.search(r"^\.env$", (ROOT / ".gitignore").read_text(), flags=re.MULTILINE)
    assert not in_build_context(".env")


def test_nginx_balances_over_every_daphne_and_upgrades_websockets():
    upstream = nginx_block("upstream poradnia")
    servers = re.findall(r"server\s+([\w.-]+):(\d+)", upstream)
    assert {name for name, _port in servers} == set(web_services())
    assert {port for _name, port in servers} == {"8000"}
    assert "resolve" in upstream
    tls = nginx_server("443 ssl")
    assert "proxy_pass http://poradnia" in nginx_block("location /ws/", tls)
    assert "proxy_pass http://poradnia" in nginx_block("location / ", tls)
    server = nginx_server_level()
    assert "proxy_http_version 1.1" in server
    assert "proxy_set_header Upgrade $http_upgrade" in server
    assert "proxy_set_header Connection $connection_upgrade" in server
    assert "server_tokens off" in nginx_statements()


def test_every_location_inherits_the_proxy_headers():
    # nginx passes the server's proxy_set_header on only to locations that set none.
    for body in re.findall(r"location[^{]*\{([^{}]*)\}", nginx_text()):
        assert "proxy_set_header" not in body


def test_nginx_serves_https_and_plain_http_only_redirects_or_answers_liveness():
    tls = nginx_server_level()
    assert "http2 on" in tls
    assert "ssl_protocols TLSv1.2 TLSv1.3" in tls
    plain = nginx_server("80")
    assert "return 301 https://$host$request_uri" in nginx_block("location / ", plain)
    assert "proxy_pass http://poradnia" in nginx_block("location = /healthz", plain)
    locations = re.findall(r"location\s+([^{]*?)\s*\{", plain)
    assert sorted(locations) == ["/", "= /healthz"]


def test_nginx_keeps_idle_sockets_longer_than_daphne_pings_them():
    websockets = nginx_block("location /ws/", nginx_server("443 ssl"))
    [read_timeout] = re.findall(r"proxy_read_timeout\s+([^;\s]+)", websockets)
    command = runtime_command()
    ping_interval = float(command[command.index("--ping-interval") + 1])
    assert seconds(read_timeout) > ping_interval


def test_nginx_hides_metrics_and_sets_the_client_address_daphne_reads():
    assert "return 404" in nginx_block("location = /metrics", nginx_server("443 ssl"))
    server = nginx_server_level()
    assert "proxy_set_header X-Forwarded-Proto https" in server
    # Set, never appended: Daphne takes the address from X-Real-IP (--proxy-headers-host).
    assert "proxy_set_header X-Real-IP $remote_addr" in server
    assert "proxy_set_header Host $host" in server
    assert not any("$proxy_add_x_forwarded_for" in s for s in nginx_statements())
    assert "X-Real-IP" in runtime_command()


def test_every_file_nginx_refers_to_is_mounted_into_the_proxy():
    mounts = dict(reversed(v.split(":")[:2]) for v in services()["proxy"]["volumes"])
    tls_readme = (ROOT / "deploy" / "tls" / "README.md").read_text()
    for statement in nginx_statements():
        directive, *args = statement.split()
        if directive in ("include", "ssl_certificate", "ssl_certificate_key", "root"):
            for path in args:
                [mount] = [m for m in mounts if path.startswith(m + "/")]
                # Certificates are the operator's: the mounted folder says which files.
                assert (ROOT / mounts[mount]).is_dir(), statement
                assert f"`{path.rsplit('/', 1)[1]}`" in tls_readme, statement
