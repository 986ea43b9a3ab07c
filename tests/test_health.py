"""The health checks (terms/health.py): healthz asks the database, livez does not."""

from unittest import mock

from django.db import DatabaseError


def test_healthz_reports_ok_when_the_database_answers(client, db, fetch):
    assert fetch(client, "/healthz").content == b"ok"


def test_healthz_answers_503_when_the_database_is_down(client, db):
    with mock.patch("terms.health.connection.cursor", side_effect=DatabaseError("down")):
        assert client.get("/healthz").status_code == 503


def test_livez_needs_no_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
