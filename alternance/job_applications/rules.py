"""Rules of applications and appointment requests (pure, no database): limits, CV checks, reply statistics."""

import datetime as dt
import io
import statistics
import zipfile
from dataclasses import dataclass

from alternance.offers.rules import MAX_APPLICATIONS

# ---------------------------------------------------------------------------------------------- limits
MAX_CV_BYTES = 3 * 1024 * 1024
"""A CV weighs at most 3 MB."""
MAX_PER_OFFER = MAX_APPLICATIONS
"""An offer takes at most 80 applications (offers.rules.MAX_APPLICATIONS); then it is « complète »."""
MAX_PER_DAY_PER_EMAIL = 100
"""At most 100 applications a day from one e-mail address."""
MAX_QUESTIONS = 3
"""A recruiter asks at most 3 questions per offer."""
MAX_MESSAGE_CHARS = 3000
MAX_ANSWER_CHARS = 1000

REMINDER_AFTER = dt.timedelta(days=7)
"""A recruiter (or a CFA) with a request unanswered for 7 days gets one reminder."""
UNANSWERED_NOTICE_AFTER = dt.timedelta(days=30)
"""After 30 days without answer, the candidate is told plainly and pointed to other results."""
RETENTION = dt.timedelta(days=2 * 365)
"""Applications, CVs and appointment requests are deleted 2 years after their last activity."""
STATS_WINDOW = dt.timedelta(days=365)
"""Reply rates and delays are computed over the requests of the last 12 months."""
STATS_MIN_REQUESTS = 3
"""Below 3 requests old enough to judge, no reply rate is shown (too few to mean anything)."""

ANSWER_LINK_MAX_AGE = int(dt.timedelta(days=90).total_seconds())
"""Answer links in recruiters' and CFAs' e-mails stay valid 90 days."""
CV_LINK_MAX_AGE = int(dt.timedelta(days=30).total_seconds())
"""A CV download link expires after 30 days (a fresh one is shown on the answer page)."""
FOLLOW_LINK_MAX_AGE = int(RETENTION.total_seconds())
"""The candidate's follow-up link lasts as long as the data it shows."""


# ---------------------------------------------------------------------------------------------- fixed lists
REFUSAL_REASONS = {
    "poste_pourvu": "Le poste est déjà pourvu",
    "profil": "Le profil ne correspond pas au poste",
    "formation": "La formation visée ne correspond pas au poste",
    "experience": "Le poste demande une expérience que la candidature ne montre pas",
    "distance": "Le lieu de travail est trop loin du domicile ou du centre de formation",
    "pas_de_recrutement": "L'entreprise ne recrute pas d'apprenti en ce moment",
    "injoignable": "La personne n'a pas pu être jointe",
    "autre": "Autre motif",
}
"""Reasons a recruiter may give when refusing (a fixed list, like les emplois de l'inclusion)."""

APPOINTMENT_REASONS = {
    "inscription": "Les modalités d'inscription",
    "dates": "Les dates de rentrée et le rythme",
    "contenu": "Le contenu de la formation",
    "entreprise": "De l'aide pour trouver une entreprise",
    "cout": "Le coût et la rémunération",
    "handicap": "L'accueil des personnes en situation de handicap",
    "logement": "Le logement et le transport",
    "autre": "Autre question",
}
"""Why a candidate asks a CFA for an appointment (fixed list)."""

APPOINTMENT_DECLINE_REASONS = {
    "complet": "La formation est complète",
    "prerequis": "Les prérequis de la formation ne sont pas remplis",
    "hors_zone": "Le CFA ne peut pas accueillir cette demande (autre formation ou autre site)",
    "autre": "Autre motif",
}


# ---------------------------------------------------------------------------------------------- CV checks
class CvError(ValueError):
    """A CV refused: `code` is "too_large" (413 in the API) or "bad_type" (415)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


PDF = "pdf"
DOCX = "docx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def cv_kind(head: bytes, data: bytes | None = None) -> str | None:
    """The CV's real type read from its content, never from its name: "pdf", "docx" or None.

    PDF: the file starts with « %PDF- » (ISO 32000-1, 7.5.2). DOCX: a ZIP archive (PK\\x03\\x04) holding
    word/document.xml (ECMA-376 Part 2, Open Packaging Conventions).
    """
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04") and data is not None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return DOCX
    return None


def check_cv(data: bytes) -> str:
    """The CV's kind, or CvError with a French message naming the fix."""
    if len(data) > MAX_CV_BYTES:
        size = f"{len(data) / (1024 * 1024):.1f}".replace(".", ",")
        raise CvError("too_large", f"Le CV pèse {size} Mo ; envoyez un fichier de 3 Mo au plus.")
    if len(data) == 0:
        raise CvError("bad_type", "Le fichier du CV est vide ; choisissez un fichier PDF ou Word (DOCX).")
    kind = cv_kind(data[:8], data)
    if kind is None:
        raise CvError(
            "bad_type",
            "Le CV doit être un fichier PDF ou Word (DOCX) ; le fichier envoyé n'en est pas un, quel que soit son nom.",
        )
    return kind


# ---------------------------------------------------------------------------------------------- statistics
@dataclass(frozen=True)
class ReplyStats:
    considered: int  # requests old enough to judge (answered, or waiting for REMINDER_AFTER or more)
    answered: int
    rate: float | None  # answered / considered, None below STATS_MIN_REQUESTS
    median_days: float | None  # median delay of the answers, in days (one decimal)


def reply_stats(requests: list[tuple[dt.datetime, dt.datetime | None]], now: dt.datetime) -> ReplyStats:
    """Reply rate and median delay from (received_at, answered_at or None) pairs.

    A request still waiting counts only once it has waited REMINDER_AFTER (7 days): a fresh one says nothing yet.
    """
    considered = answered = 0
    delays = []
    for received, answered_at in requests:
        if answered_at is not None:
            considered += 1
            answered += 1
            delays.append((answered_at - received).total_seconds() / 86400)
        elif now - received >= REMINDER_AFTER:
            considered += 1
    rate = answered / considered if considered >= STATS_MIN_REQUESTS else None
    median = round(statistics.median(delays), 1) if delays and rate is not None else None
    return ReplyStats(considered, answered, rate, median)


def percent_fr(rate: float | None) -> str:
    """0.456 -> « 46 % » (non-breaking space)."""
    return "" if rate is None else f"{round(rate * 100)}\u00a0%"


def days_fr(days: float | None) -> str:
    """2.0 -> « 2 jours », 0.4 -> « moins d'un jour »."""
    if days is None:
        return ""
    if days < 1:
        return "moins d'un jour"
    n = round(days)
    return "1 jour" if n == 1 else f"{n} jours"
