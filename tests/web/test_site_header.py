"""The site header (partials/header.html), kept once per menu section and signed-in state (`{% frozen %}` in
base.html): each page still marks its own menu entry, and the account links follow the person signed in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User

from alternance.web.context_processors import menu_section

pytestmark = pytest.mark.django_db

HEADER = re.compile(r'<header role="banner".*?</header>', re.S)


def current_links(html: str) -> list[str]:
    header = HEADER.search(html).group(0)
    return re.findall(r'<a [^>]*href="([^"]+)"[^>]*aria-current="page"', header)


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("/", "/"),
        ("/recherche/", ""),
        ("/remuneration/", "/remuneration/"),
        ("/remuneration/calcul", "/remuneration/"),
        ("/organismes/12345678900011/", "/organismes/"),
        ("/donnees/", "/donnees/"),
        ("/espace/", "/espace/"),
        ("/comptes/connexion/", "/comptes/"),
        ("/espaces/", ""),
        ("/remuneration", ""),
    ],
)
def test_the_menu_section_is_the_start_the_header_tested(path, section):
    assert menu_section(path) == section


def test_each_page_marks_its_own_entry_with_the_header_kept(client):
    for _ in range(2):  # the second time from the kept renderings
        assert current_links(client.get("/").content.decode()) == ["/"]
        assert current_links(client.get("/remuneration/").content.decode()) == ["/remuneration/"]
        assert current_links(client.get("/donnees/").content.decode()) == ["/donnees/"]
        assert current_links(client.get("/recherche/").content.decode()) == []
        login = client.get("/comptes/connexion/").content.decode()
        assert [link for link in current_links(login) if link.startswith("/comptes/")]


def test_the_account_links_follow_whoever_is_signed_in(client):
    anonymous = client.get("/remuneration/").content.decode()
    assert "Se connecter" in HEADER.search(anonymous).group(0)
    person = User.objects.create_user("ines", "ines.martin@example.org", "Fournil-Croissant-2026")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    client.force_login(person)
    signed_in = HEADER.search(client.get("/remuneration/").content.decode()).group(0)
    assert "Mon espace" in signed_in and "Se déconnecter" in signed_in and "Se connecter" not in signed_in
    assert current_links(client.get("/espace/").content.decode())[0].startswith("/espace/")
    client.logout()
    again = HEADER.search(client.get("/remuneration/").content.decode()).group(0)
    assert "Se connecter" in again and "Mon espace" not in again
