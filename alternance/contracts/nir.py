"""The NIR (numéro d'inscription au répertoire, « numéro de sécurité sociale »): format and check key (pure).

The NIR is personal data of the most sensitive kind: it is checked and written into the printed PDF, never
stored, logged or put in a URL (see alternance/web/contracts/views.py, ``contract_pdf``).
"""

from __future__ import annotations

import re

NIR_RE = re.compile(r"^([1-478])(\d{2})(\d{2})(\d[0-9AB]|\d{2})(\d{3})(\d{3})(\d{2})$")


def normalize_nir(value: str) -> str:
    """Spaces, dots and dashes removed, letters upper-cased (« 1 84 12 2A 004 123 45 » -> « 184122A00412345 »)."""
    return re.sub(r"[\s.\-\u00a0\u202f]", "", value or "").upper()


def nir_key(first13: str) -> int:
    """Key = 97 − (the 13 first characters mod 97); Corsica 2A counts as 19, 2B as 18 (INSEE, RNIPP, NIR)."""
    digits = first13.upper()
    if digits[5:7] == "2A":
        digits = digits[:5] + "19" + digits[7:]
    elif digits[5:7] == "2B":
        digits = digits[:5] + "18" + digits[7:]
    return 97 - int(digits) % 97


def nir_errors(value: str) -> list[str]:
    """French messages for a NIR that is malformed or whose key is wrong; [] when it is valid."""
    nir = normalize_nir(value)
    if not nir:
        return []
    match = NIR_RE.match(nir)
    if not match:
        return [
            "saisissez les 15 caractères du numéro de sécurité sociale : 13 chiffres (2A ou 2B pour un "
            "département de Corse) puis la clé de 2 chiffres, par exemple 2 09 11 69 123 456 78."
        ]
    month = int(match.group(3))
    if not (1 <= month <= 12 or 20 <= month <= 42 or 50 <= month <= 99):
        return ["le mois de naissance (4e et 5e chiffres) n'existe pas : vérifiez le numéro."]
    if int(match.group(7)) != nir_key(nir[:13]):
        return ["la clé (les 2 derniers chiffres) ne correspond pas au numéro : vérifiez chaque chiffre."]
    return []
