"""Settings come from the environment: an embedded default, and production by variables alone."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-enough-0123456789abcdefghij",
    "ALLOWED_HOSTS": "luk.example.no",
    "HTTPS": "true",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run_manage(*args, env_extra):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "HTTPS")
    }
    env.update({"DJANGO_SETTINGS_MODULE": "luk_portal.settings.base", **env_extra})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_the_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_complains_without_them():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra={})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr + result.stdout


def show(setting, env_extra):
    code = f"from django.conf import settings; print(settings.{setting})"
    return run_manage("shell", "-c", code, env_extra=env_extra).stdout.strip().splitlines()[-1]


def test_the_embedded_default_is_sqlite_with_tasks_in_process():
    assert show("DATABASES['default']['ENGINE']", {}) == "django.db.backends.sqlite3"
    assert show("CELERY_TASK_ALWAYS_EAGER", {}) == "True"


def test_database_and_redis_urls_switch_to_the_real_stack():
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/luk", "REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert show("DATABASES['default']['ENGINE']", env) == "django.db.backends.postgresql"
    assert show("CELERY_BROKER_URL", env) == "redis://127.0.0.1:6379/0"
    assert show("CELERY_TASK_ALWAYS_EAGER", env) == "False"
    assert show("CACHES['default']['BACKEND']", env) == "django.core.cache.backends.redis.RedisCache"


def test_time_and_language(settings):
    assert settings.TIME_ZONE == "Europe/Oslo" and settings.USE_TZ
    assert settings.LANGUAGE_CODE == "nn"
    assert [code for code, _ in settings.LANGUAGES] == ["nn", "nb", "en"]


def test_models_and_migrations_agree():
    result = run_manage("makemigrations", "--check", "--dry-run", env_extra={"DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_health_check_answers(client, db):
    response = client.get("/helse/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


def test_outside_the_demo_the_portal_refuses_to_start_without_its_own_secret_key():
    for env_extra in ({"ALLOWED_HOSTS": "luk.example.no"}, {"HTTPS": "true"}):
        result = run_manage("check", env_extra=env_extra)
        assert result.returncode != 0, env_extra
        assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY is not set" in result.stderr
        assert "secrets.token_urlsafe" in result.stderr  # the message says what to set


def test_the_embedded_demo_and_debug_still_start_without_a_secret_key():
    for env_extra in ({}, {"DEBUG": "true", "ALLOWED_HOSTS": "luk.example.no"}):
        result = run_manage("check", env_extra=env_extra)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_production_settings_send_every_security_header():
    code = (
        "from django.test import Client; r = Client(HTTP_HOST='luk.example.no').get('/helse/', secure=True);"
        "print(r.status_code); [print(h, '=', r.headers.get(h)) for h in ("
        "'Content-Security-Policy', 'Permissions-Policy', 'Referrer-Policy', 'X-Content-Type-Options',"
        "'X-Frame-Options', 'Strict-Transport-Security', 'Cross-Origin-Opener-Policy')]"
    )
    lines = run_manage("shell", "-c", code, env_extra=PRODUCTION).stdout.strip().splitlines()
    assert lines[-8] == "200", lines
    headers = dict(line.split(" = ", 1) for line in lines[-7:])
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
