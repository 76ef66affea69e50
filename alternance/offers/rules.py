"""What an offer's page says about it and whether it takes applications (pure, no database)."""

import datetime as dt
import re
from dataclasses import dataclass

from .workflow import OfferStatus

MAX_APPLICATIONS = 80
"""An offer takes at most 80 applications (issue 9: popular offers must not be flooded); then it is complete."""

PUBLIC_STATUSES = frozenset(
    {OfferStatus.PUBLISHED, OfferStatus.PAUSED, OfferStatus.FILLED, OfferStatus.EXPIRED, OfferStatus.CANCELLED}
)
"""Statuses whose page is public: every offer once published keeps its address (a draft has none)."""


@dataclass(frozen=True)
class Availability:
    """Whether the offer takes applications now; `state` is stable for machines, `notice` is for people."""

    state: str  # open, complete, paused, filled, expired, closed
    accepts_applications: bool
    notice: str


NOTICES = {
    "open": "",
    "complete": (
        "Cette offre a reçu {count} candidatures, le maximum\u00a0: elle est complète et n'en reçoit plus. "
        "Voici des offres proches pour le même métier."
    ),
    "paused": "L'entreprise a suspendu cette offre\u00a0: elle ne reçoit pas de candidature pour l'instant.",
    "filled": "Cette offre est pourvue\u00a0: l'entreprise a trouvé son apprenti ou son apprentie.",
    "expired": "Cette offre a expiré\u00a0: elle ne reçoit plus de candidature.",
    "closed": "L'entreprise a retiré cette offre\u00a0: elle ne reçoit plus de candidature.",
}


def availability(
    status: str, expires_at: dt.datetime | None, applications_count: int, now: dt.datetime
) -> Availability:
    """The offer's state for a candidate: published, not past its expiry date and under MAX_APPLICATIONS is open."""
    status = OfferStatus(status)
    if status == OfferStatus.PUBLISHED and expires_at is not None and expires_at <= now:
        state = "expired"
    elif status == OfferStatus.PUBLISHED:
        state = "complete" if applications_count >= MAX_APPLICATIONS else "open"
    else:
        state = {
            OfferStatus.PAUSED: "paused",
            OfferStatus.FILLED: "filled",
            OfferStatus.EXPIRED: "expired",
        }.get(status, "closed")
    return Availability(state, state == "open", NOTICES[state].format(count=applications_count))


# ---------------------------------------------------------------------------------------------- posting rules
DESCRIPTION_MIN, DESCRIPTION_MAX = 30, 5000
"""A description of 30 to 5,000 characters (issue 10: enough to tell the job, short enough to be read)."""
DURATION_MIN, DURATION_MAX = 6, 36
"""An apprenticeship contract lasts 6 months to 3 years (Code du travail, L6222-7-1)."""
START_HORIZON_YEARS = 2
"""A start date from today to two years ahead (issue 10: an offer is for a real, near recruitment)."""
OPENINGS_MIN, OPENINGS_MAX = 1, 50
"""1 to 50 positions per offer (platform rule: a larger campaign is several offers, one per site)."""
DIPLOMA_LEVELS = {
    3: "CAP, BEP",
    4: "Bac, bac professionnel, brevet professionnel",
    5: "BTS, BUT (2 ans)",
    6: "Licence, licence professionnelle, BUT",
    7: "Master, diplôme d'ingénieur",
}
"""Levels 3 to 7 of the national framework of certifications (décret n° 2019-14 du 8 janvier 2019)."""
MAX_QUESTIONS = 3
"""A recruiter asks candidates at most 3 questions (issue 10)."""
QUESTION_MAX = 200
"""A question is at most 200 characters: one sentence a candidate can answer."""
RHYTHM_MAX = 255

URL_PATTERN = re.compile(
    r"(?i)(?:\bhttps?://|\bwww\.|\b[\w.+-]+@[\w-]+\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:fr|com|net|org|eu|io|info|biz)\b)"
)
"""Web or e-mail addresses: candidates apply through the platform, never through a link of the description."""


def description_error(text: str) -> str:
    """30 to 5,000 characters, no web or e-mail address (platform rule, issue 10)."""
    text = (text or "").strip()
    if not text:
        return "Décrivez le poste : les missions, l'équipe, ce que l'apprenti apprendra (30 caractères au moins)."
    if len(text) < DESCRIPTION_MIN:
        return (
            f"La description doit comporter au moins {DESCRIPTION_MIN} caractères ; "
            f"vous en avez saisi {len(text)}. Ajoutez les missions du poste."
        )
    if len(text) > DESCRIPTION_MAX:
        return (
            f"La description doit comporter au plus {DESCRIPTION_MAX:_} caractères ; vous en avez saisi "
            f"{len(text):_}. Raccourcissez-la."
        ).replace("_", "\u202f")
    found = URL_PATTERN.search(text)
    if found:
        return (
            f"La description contient une adresse internet ou électronique (« {found.group(0)}… ») : retirez-la. "
            "Les candidats postulent par la plateforme."
        )
    return ""


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def start_error(start: dt.date | None, asap: bool, today: dt.date) -> str:
    """From today to today + 2 years, or « dès que possible » (issue 10)."""
    if asap:
        return "" if start is None else "Choisissez une date de début ou « dès que possible », pas les deux."
    if start is None:
        return "Indiquez la date de début du contrat (JJ/MM/AAAA) ou cochez « dès que possible »."
    if start < today:
        return f"La date de début est passée : choisissez une date à partir d'aujourd'hui ({today:%d/%m/%Y})."
    limit = add_years(today, START_HORIZON_YEARS)
    if start > limit:
        return f"La date de début doit être dans les deux ans : au plus tard le {limit:%d/%m/%Y}."
    return ""


def duration_error(months: int | None) -> str:
    """6 to 36 months (Code du travail, L6222-7-1)."""
    if months is None:
        return "Indiquez la durée du contrat en mois (de 6 à 36)."
    if not DURATION_MIN <= months <= DURATION_MAX:
        return (
            f"Un contrat d'apprentissage dure de {DURATION_MIN} à {DURATION_MAX} mois ; "
            f"vous avez saisi {months}\u00a0mois."
        )
    return ""


def openings_error(count: int | None) -> str:
    """1 to 50 positions."""
    if count is None:
        return "Indiquez le nombre de postes (1 au moins)."
    if not OPENINGS_MIN <= count <= OPENINGS_MAX:
        return f"Le nombre de postes va de {OPENINGS_MIN} à {OPENINGS_MAX} ; vous avez saisi {count}."
    return ""


def level_error(level: int | None) -> str:
    """Levels 3 to 7 (décret n° 2019-14)."""
    if level is None:
        return "Choisissez le niveau du diplôme préparé."
    if level not in DIPLOMA_LEVELS:
        return "Choisissez un niveau de diplôme de 3 (CAP) à 7 (master) dans la liste."
    return ""


def question_errors(questions: list[str]) -> dict[int, str]:
    """At most 3 questions of at most 200 characters, each ending as a question or a request (issue 10)."""
    errors = {}
    filled = [q for q in (q.strip() for q in questions) if q]
    if len(filled) > MAX_QUESTIONS:
        errors[MAX_QUESTIONS + 1] = f"Posez au plus {MAX_QUESTIONS} questions aux candidats."
    for i, question in enumerate(questions, start=1):
        question = question.strip()
        if len(question) > QUESTION_MAX:
            errors[i] = (
                f"La question {i} comporte {len(question)} caractères ; {QUESTION_MAX} au plus : raccourcissez-la."
            )
        elif question and URL_PATTERN.search(question):
            errors[i] = f"La question {i} contient une adresse internet ou électronique : retirez-la."
    return errors


def posting_errors(values: dict, today: dt.date) -> dict[str, str]:
    """Every posting rule over an offer's fields ({field: message}); empty when the offer can be published."""
    checks = {
        "appellation": "" if values.get("rome") else "Choisissez le métier dans la liste des suggestions.",
        "diploma_level": level_error(values.get("diploma_level")),
        "start_date": start_error(values.get("start_date"), bool(values.get("start_asap")), today),
        "duration_months": duration_error(values.get("duration_months")),
        "openings": openings_error(values.get("openings")),
        "rhythm": "" if len(values.get("rhythm") or "") <= RHYTHM_MAX else "Le rythme dépasse 255 caractères.",
        "description": description_error(values.get("description") or ""),
    }
    for i, message in question_errors(list(values.get("questions") or [])).items():
        checks[f"question_{i}"] = message
    return {field: message for field, message in checks.items() if message}
