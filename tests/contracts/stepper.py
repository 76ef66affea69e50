"""Test helper: walk the contract stepper with Django's test client, one POST per block of the form."""

from alternance.contracts.fields import FIELD_BLOCKS
from tests.contracts.conftest import as_post

STEP_SLUGS = {
    "employer": "employeur",
    "apprentice": "apprenti",
    "guardian": "representant-legal",
    "supervisors": "maitres-apprentissage",
    "training": "formation",
    "contract": "contrat",
    "pay": "remuneration",
}


def step_post(data: dict, key: str) -> dict:
    fields = dict(FIELD_BLOCKS_BY_KEY[key])
    return as_post({name: data.get(name) for name in fields})


FIELD_BLOCKS_BY_KEY = {key: {name: None for name in names} for key, _title, names in FIELD_BLOCKS}


def fill_steps(client, data: dict, *, upto: str | None = None):
    """POST every step (or the steps before ``upto``) with the values of ``data``; the last response."""
    response = None
    for key, slug in STEP_SLUGS.items():
        if key == upto:
            break
        response = client.post(f"/contrats/nouveau/{slug}/", step_post(data, key))
        assert response.status_code == 302, (slug, _errors(response))
    return response


def _errors(response) -> str:
    from html import unescape

    html = unescape(response.content.decode())
    if 'id="errors-summary"' in html:
        return html.split('id="errors-summary"', 1)[1][:1500]
    return html[:300]
