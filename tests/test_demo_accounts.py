"""The demo_accounts command: an editor and a reviewer, each with a password generated for this install."""

from django.core.management import call_command


def test_demo_accounts_print_generated_passwords(db, capsys, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("demo_accounts")
    output = capsys.readouterr().out
    assert "editor" in output and "reviewer" in output


def test_demo_accounts_can_log_in_with_the_printed_password(db, capsys, settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    call_command("demo_accounts")
    line = next(line for line in capsys.readouterr().out.splitlines() if line.strip().startswith("editor"))
    response = client.post("/admin/login/", {"username": "editor", "password": line.split()[1], "next": "/admin/"})
    assert response.status_code == 302


def test_demo_passwords_differ_between_installs(db, capsys, settings, tmp_path, django_user_model):
    settings.VAR_DIR = tmp_path
    call_command("demo_accounts")
    first = capsys.readouterr().out
    django_user_model.objects.all().delete()
    (tmp_path / "demo-accounts").unlink()
    call_command("demo_accounts")
    assert capsys.readouterr().out != first


def test_demo_accounts_rerun_reprints_the_same_password(db, capsys, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("demo_accounts")
    first = capsys.readouterr().out
    call_command("demo_accounts")
    assert capsys.readouterr().out == first


def test_demo_accounts_have_email_addresses(db, capsys, settings, tmp_path, django_user_model):
    settings.VAR_DIR = tmp_path
    call_command("demo_accounts")
    addresses = dict(django_user_model.objects.values_list("username", "email"))
    assert addresses == {"editor": "editor@example.com", "reviewer": "reviewer@example.com"}


def test_demo_accounts_print_their_email_addresses(db, capsys, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("demo_accounts")
    output = capsys.readouterr().out
    assert "editor@example.com" in output and "reviewer@example.com" in output


def test_demo_accounts_without_an_address_get_one(db, capsys, settings, tmp_path, django_user_model):
    settings.VAR_DIR = tmp_path
    call_command("demo_accounts")
    django_user_model.objects.filter(username="editor").update(email="")
    call_command("demo_accounts")
    assert django_user_model.objects.get(username="editor").email == "editor@example.com"


def test_demo_accounts_keep_an_address_someone_set(db, capsys, settings, tmp_path, django_user_model):
    settings.VAR_DIR = tmp_path
    call_command("demo_accounts")
    django_user_model.objects.filter(username="editor").update(email="edna@example.org")
    call_command("demo_accounts")
    assert django_user_model.objects.get(username="editor").email == "edna@example.org"
