"""The OpenAPI schema and the interactive documentation: the schema is generated without a
warning and valid, and the documentation page loads its scripts and styles from this
site only (our Content-Security-Policy allows `script-src 'self'`, no inline script)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_schema_is_generated_without_warnings_and_is_valid(tmp_path: Path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")


def test_the_schema_describes_every_endpoint_and_the_key(grastorp):
    response = Client().get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in (
        "/api/v1/organisation/",
        "/api/v1/styrdokument/",
        "/api/v1/planelement/{id}/",
        "/api/v1/principer/{key}/",
        "/api/v1/matt/",
        "/api/v1/matvarden/{id}/",
        "/api/v1/malvarden/",
        "/api/v1/bedomningar/",
        "/api/v1/aktiviteter/{id}/",
        "/api/v1/rapporter/{id}/",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/matvarden/{id}/"]) >= {"get", "put", "patch", "delete"}
    assert "delete" not in paths["/api/v1/aktiviteter/{id}/"]
    assert "post" not in paths["/api/v1/matt/"]
    parameters = {p["name"] for p in paths["/api/v1/aktiviteter/"]["get"]["parameters"]}
    assert parameters >= {"sida", "per_sida", "sok", "enhet", "mal", "princip", "status", "ar"}
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    assert "409" in paths["/api/v1/aktiviteter/{id}/"]["patch"]["responses"]


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[str | None] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs.get("src"))
        elif tag == "link":
            self.links.append(attrs["href"])


def test_the_documentation_page_loads_everything_from_this_site(grastorp):
    client = Client()
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    policy = page["Content-Security-Policy"]
    assert re.search(r"script-src 'self'(;|$)", policy), policy
    assets = _Assets()
    assets.feed(page.content.decode())
    assert assets.scripts and None not in assets.scripts  # no inline script
    for url in [*assets.scripts, *assets.links]:
        assert url.startswith("/") and not url.startswith("//"), url  # this origin
        if url.startswith(static("")):
            assert finders.find(url.removeprefix(static(""))), url  # the sidecar ships it
        else:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Content-Type"].startswith("application/javascript")
            assert "SwaggerUIBundle" in response.content.decode()
            assert reverse("api:schema") in response.content.decode()
