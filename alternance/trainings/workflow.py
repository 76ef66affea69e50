"""Publication lifecycle of a training: an explicit transition table (pure, no database)."""

from enum import StrEnum


class TrainingStatus(StrEnum):
    TO_CHECK = "a_verifier"
    READY = "prete"
    PUBLISHED = "publiee"
    REJECTED = "rejetee"
    CLOSED = "fermee"


STATUS_LABELS = {
    TrainingStatus.TO_CHECK: "À vérifier",
    TrainingStatus.READY: "Prête",
    TrainingStatus.PUBLISHED: "Publiée",
    TrainingStatus.REJECTED: "Rejetée",
    TrainingStatus.CLOSED: "Fermée",
}
"""French labels of the statuses (Training.Status is built from TrainingStatus and these labels)."""


class TrainingTransition(StrEnum):
    VALIDATE = "validate"  # checks passed: ready to publish
    PUBLISH = "publish"
    SEND_BACK = "send_back"  # something must be checked again
    REJECT = "reject"
    CLOSE = "close"
    REOPEN = "reopen"


S = TrainingStatus
TRANSITIONS: dict[TrainingTransition, tuple[frozenset[TrainingStatus], TrainingStatus]] = {
    TrainingTransition.VALIDATE: (frozenset({S.TO_CHECK}), S.READY),
    TrainingTransition.PUBLISH: (frozenset({S.READY}), S.PUBLISHED),
    TrainingTransition.SEND_BACK: (frozenset({S.READY, S.PUBLISHED, S.REJECTED}), S.TO_CHECK),
    TrainingTransition.REJECT: (frozenset({S.TO_CHECK, S.READY, S.PUBLISHED}), S.REJECTED),
    TrainingTransition.CLOSE: (frozenset({S.TO_CHECK, S.READY, S.PUBLISHED, S.REJECTED}), S.CLOSED),
    TrainingTransition.REOPEN: (frozenset({S.CLOSED}), S.TO_CHECK),
}

VISIBLE = frozenset({S.PUBLISHED})


class InvalidTransition(Exception):
    def __init__(self, status: str, transition: str):
        self.status, self.transition = status, transition
        super().__init__(f"Transition « {transition} » impossible depuis le statut « {status} ».")


def next_status(status: str, transition: str) -> TrainingStatus:
    sources, target = TRANSITIONS[TrainingTransition(transition)]
    if TrainingStatus(status) not in sources:
        raise InvalidTransition(status, transition)
    return target


def path(status: str, target: str) -> list[tuple[TrainingTransition, TrainingStatus]]:
    """The shortest chain of transitions from status to target (empty when already there).

    Raises InvalidTransition when the table offers no way.
    """
    start, goal = TrainingStatus(status), TrainingStatus(target)
    if start == goal:
        return []
    frontier = [(start, [])]
    seen = {start}
    while frontier:
        current, steps = frontier.pop(0)
        for transition, (sources, reached) in TRANSITIONS.items():
            if current in sources and reached not in seen:
                chain = [*steps, (transition, reached)]
                if reached == goal:
                    return chain
                seen.add(reached)
                frontier.append((reached, chain))
    raise InvalidTransition(status, f"→ {target}")
