"""Checks of French administrative identifiers (pure, no database).

Each function returns a list of French error messages; an empty list means the value is valid.
"""

UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"  # the one La Poste SIRET that follows Luhn (INSEE, lettre Sirene 11/2013)


def luhn_ok(digits: str) -> bool:
    """Luhn checksum (ISO/IEC 7812-1), used by SIREN and SIRET."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siret_errors(value: str) -> list[str]:
    """SIRET: 14 digits, Luhn key; La Poste's establishments use sum of digits % 5 (INSEE, SIRENE)."""
    value = (value or "").replace(" ", "")
    if not value:
        return ["Le SIRET est vide : saisissez les 14 chiffres du SIRET."]
    if not (value.isascii() and value.isdigit()):  # "²" or "١" are digits for str.isdigit, not for int()
        return ["Le SIRET ne doit comporter que des chiffres ; retirez les lettres et signes."]
    if len(value) != 14:
        return [f"Le SIRET doit comporter 14 chiffres ; vous en avez saisi {len(value)}."]
    if value.startswith(LA_POSTE_SIREN) and value != LA_POSTE_HEAD_OFFICE:
        if sum(int(c) for c in value) % 5 != 0:
            return ["La clé de contrôle de ce SIRET de La Poste est fausse : vérifiez les chiffres."]
        return []
    if not luhn_ok(value):
        return ["La clé de contrôle du SIRET est fausse (algorithme de Luhn) : vérifiez les chiffres."]
    return []


def siren_errors(value: str) -> list[str]:
    """SIREN: 9 digits with a Luhn key (INSEE, SIRENE)."""
    value = (value or "").replace(" ", "")
    if not (value.isascii() and value.isdigit()) or len(value) != 9:
        return ["Le SIREN doit comporter 9 chiffres."]
    if not luhn_ok(value):
        return ["La clé de contrôle du SIREN est fausse (algorithme de Luhn) : vérifiez les chiffres."]
    return []


def uai_check_letter(first_seven: str) -> str:
    """UAI check letter: the 23-letter alphabet indexed by the 7-digit number modulo 23 (BCN, RAMSESE)."""
    return UAI_LETTERS[int(first_seven) % 23]


def uai_errors(value: str) -> list[str]:
    """UAI: 7 digits (the first three may be 2A/2B for Corsica) then a check letter (BCN, RAMSESE)."""
    value = (value or "").strip().upper()
    if not value:
        return ["L'UAI est vide : saisissez 7 chiffres suivis d'une lettre."]
    if len(value) != 8:
        return [f"L'UAI doit comporter 8 caractères (7 chiffres et une lettre) ; vous en avez saisi {len(value)}."]
    digits, letter = value[:7], value[7]
    if not (digits.isascii() and digits.isdigit()):
        return ["Les 7 premiers caractères de l'UAI doivent être des chiffres."]
    if not letter.isalpha():
        return ["Le dernier caractère de l'UAI doit être une lettre."]
    expected = uai_check_letter(digits)
    if letter != expected:
        return [f"La lettre de contrôle de l'UAI est fausse : pour {digits}, elle doit être {expected}."]
    return []


def make_siret(siren_body8: str, nic_body4: str) -> str:
    """Complete an 8-digit SIREN body and a 4-digit NIC body into a Luhn-valid SIRET (for synthetic data)."""
    siren = siren_body8 + next(str(d) for d in range(10) if luhn_ok(siren_body8 + str(d)))
    base = siren + nic_body4
    return base + next(str(d) for d in range(10) if luhn_ok(base + str(d)))


def uai_departement(value: str) -> str | None:
    """Département of a UAI: its first 3 characters, 0xx for mainland, 620/720 for Corsica, 97x overseas (BCN)."""
    value = (value or "").strip().upper()
    if len(value) != 8 or not value[:3].isdigit():
        return None
    prefix = value[:3]
    if prefix == "620":
        return "2A"
    if prefix == "720":
        return "2B"
    if prefix.startswith("0"):
        return prefix[1:]
    if prefix.startswith("97"):
        return prefix
    return None
