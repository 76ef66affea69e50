"""Pure rules of memberships (no database)."""

EDUCATION_NAF_DIVISION = "85"
"""NAF rev.2 division 85 « Enseignement » (INSEE): a training body joins as a CFA, never as an employer."""


def is_education(naf_code: str) -> bool:
    """NAF rev.2 division 85 (INSEE nomenclature): education, sent to the CFA path."""
    return (naf_code or "").replace(".", "")[:2] == EDUCATION_NAF_DIVISION


def first_member_role(existing_members: int) -> tuple[str, str]:
    """(role, status) of a new member: the first one administers, the others wait for an administrator."""
    if existing_members == 0:
        return "admin", "active"
    return "member", "pending"


def can_manage(*, is_staff: bool, role: str | None, status: str | None) -> bool:
    """Accept or remove members, edit the record: an active administrator, or staff."""
    return is_staff or (role == "admin" and status == "active")


def can_act(*, is_staff: bool, status: str | None) -> bool:
    """Read the inbox, post offers: any active member, or staff."""
    return is_staff or status == "active"
