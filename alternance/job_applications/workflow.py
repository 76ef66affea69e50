"""Lifecycles of applications and appointment requests: explicit transition tables (pure, no database)."""

from enum import StrEnum


class InvalidTransition(Exception):
    def __init__(self, status: str, transition: str):
        self.status, self.transition = status, transition
        super().__init__(f"Transition « {transition} » impossible depuis le statut « {status} ».")


# ---------------------------------------------------------------------------------------------- applications
class ApplicationStatus(StrEnum):
    NEW = "nouvelle"
    INTERVIEW = "entretien_propose"
    REFUSED = "refusee"
    HIRED = "embauche"
    WITHDRAWN = "retiree"


class ApplicationTransition(StrEnum):
    PROPOSE_INTERVIEW = "proposer_entretien"
    REFUSE = "refuser"
    HIRE = "embaucher"
    WITHDRAW = "retirer"


APPLICATION_TRANSITIONS: dict[ApplicationTransition, tuple[frozenset[ApplicationStatus], ApplicationStatus]] = {
    ApplicationTransition.PROPOSE_INTERVIEW: (frozenset({ApplicationStatus.NEW}), ApplicationStatus.INTERVIEW),
    ApplicationTransition.REFUSE: (
        frozenset({ApplicationStatus.NEW, ApplicationStatus.INTERVIEW}),
        ApplicationStatus.REFUSED,
    ),
    ApplicationTransition.HIRE: (
        frozenset({ApplicationStatus.NEW, ApplicationStatus.INTERVIEW}),
        ApplicationStatus.HIRED,
    ),
    ApplicationTransition.WITHDRAW: (
        frozenset({ApplicationStatus.NEW, ApplicationStatus.INTERVIEW}),
        ApplicationStatus.WITHDRAWN,
    ),
}
RECRUITER_TRANSITIONS = frozenset(
    {ApplicationTransition.PROPOSE_INTERVIEW, ApplicationTransition.REFUSE, ApplicationTransition.HIRE}
)
APPLICATION_LABELS = {
    ApplicationStatus.NEW: "Envoyée, en attente de réponse",
    ApplicationStatus.INTERVIEW: "Entretien proposé",
    ApplicationStatus.REFUSED: "Refusée",
    ApplicationStatus.HIRED: "Embauche",
    ApplicationStatus.WITHDRAWN: "Retirée",
}
OPEN_APPLICATION = frozenset({ApplicationStatus.NEW, ApplicationStatus.INTERVIEW})


def next_application_status(status: str, transition: str) -> ApplicationStatus:
    sources, target = APPLICATION_TRANSITIONS[ApplicationTransition(transition)]
    if ApplicationStatus(status) not in sources:
        raise InvalidTransition(status, transition)
    return target


def allowed_application_transitions(status: str) -> list[ApplicationTransition]:
    return [t for t, (sources, _) in APPLICATION_TRANSITIONS.items() if ApplicationStatus(status) in sources]


# ---------------------------------------------------------------------------------------------- appointments
class AppointmentStatus(StrEnum):
    NEW = "nouvelle"
    DATE_PROPOSED = "date_proposee"
    CALLBACK = "rappel"
    DECLINED = "refusee"


class AppointmentTransition(StrEnum):
    PROPOSE_DATE = "proposer_date"
    CALL_BACK = "rappeler"
    DECLINE = "refuser"


APPOINTMENT_TRANSITIONS: dict[AppointmentTransition, tuple[frozenset[AppointmentStatus], AppointmentStatus]] = {
    AppointmentTransition.PROPOSE_DATE: (
        frozenset({AppointmentStatus.NEW, AppointmentStatus.CALLBACK}),
        AppointmentStatus.DATE_PROPOSED,
    ),
    AppointmentTransition.CALL_BACK: (frozenset({AppointmentStatus.NEW}), AppointmentStatus.CALLBACK),
    AppointmentTransition.DECLINE: (
        frozenset({AppointmentStatus.NEW, AppointmentStatus.CALLBACK}),
        AppointmentStatus.DECLINED,
    ),
}
APPOINTMENT_LABELS = {
    AppointmentStatus.NEW: "Envoyée, en attente de réponse",
    AppointmentStatus.DATE_PROPOSED: "Rendez-vous proposé",
    AppointmentStatus.CALLBACK: "Le CFA va vous rappeler",
    AppointmentStatus.DECLINED: "Refusée",
}


def next_appointment_status(status: str, transition: str) -> AppointmentStatus:
    sources, target = APPOINTMENT_TRANSITIONS[AppointmentTransition(transition)]
    if AppointmentStatus(status) not in sources:
        raise InvalidTransition(status, transition)
    return target


def allowed_appointment_transitions(status: str) -> list[AppointmentTransition]:
    return [t for t, (sources, _) in APPOINTMENT_TRANSITIONS.items() if AppointmentStatus(status) in sources]
