"""GET /api/v1/checks/siret/{value} and /api/v1/checks/uai/{value}."""

import pytest


@pytest.mark.parametrize(
    ("kind", "value", "valid", "fragment"),
    [
        ("siret", "85052026300011", True, None),
        ("siret", "35600000009075", True, None),
        ("siret", "85052026300012", False, "clé de contrôle"),
        ("siret", "123", False, "14 chiffres"),
        ("siret", "8505202630001X", False, "que des chiffres"),
        ("uai", "0010826T", True, None),
        ("uai", "0010826U", False, "lettre de contrôle"),
        ("uai", "001082", False, "8 caractères"),
        ("uai", "0A10826T", False, "chiffres"),
    ],
)
def test_checks(client, kind, value, valid, fragment):
    response = client.get(f"/api/v1/checks/{kind}/{value}")
    assert response.status_code == 200
    body = response.json()
    assert body["value"] == value and body["valid"] is valid
    if fragment:
        assert any(fragment in e for e in body["errors"])
    else:
        assert body["errors"] == []
