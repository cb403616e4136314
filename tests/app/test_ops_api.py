import pytest

pytestmark = pytest.mark.postgres


def test_health_reports_the_database(client) -> None:
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    db = r.json()["database"]
    assert db["reachable"] is True and db["backend"] == "postgresql"
    assert db["schema_revision"]


def test_health_is_503_when_the_database_is_gone(settings) -> None:
    from hub import create_app

    app = create_app(settings.with_(database_url="postgresql+psycopg://nobody@127.0.0.1:1/x"))
    try:
        with app.test_client() as c:
            r = c.get("/api/v1/health")
    finally:
        app.app.extensions["hub"].close()
    assert r.status_code == 503
    assert r.json()["database"]["reachable"] is False


def test_metrics_count_requests_by_route_and_status(client) -> None:
    client.get("/api/v1/sites/NO-SUCH")
    client.get("/api/v1/departments")
    text = client.get("/metrics").text
    assert (
        'hub_http_requests_total{method="GET",route="hub.api.sites.get",status="404"} 1.0' in text
    )
    assert 'route="hub.api.departments.search",status="200"' in text
    assert "hub_http_request_duration_seconds_bucket" in text


def test_spec_and_swagger_ui_are_served(client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/observations" in spec["paths"]
    ui = client.get("/api/v1/ui/")
    assert ui.status_code == 200 and "swagger" in ui.text.lower()
