"""The training counts of one LHEO import, as a typed result (pure, no database)."""

from dataclasses import asdict, dataclass, fields


@dataclass
class ImportCounts:
    """What one import did to the catalogue's trainings; stored in ImportReport.counts (see as_json)."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    rejected: int = 0

    # The keys of the stored JSON and of the API's `counts` (kept as the first reports wrote them).
    JSON_KEYS = {
        "read": "lus",
        "created": "crees",
        "updated": "mis_a_jour",
        "unchanged": "inchanges",
        "closed": "fermes",
        "rejected": "rejetes",
    }
    LABELS = {
        "read": "lues",
        "created": "créées",
        "updated": "mises à jour",
        "unchanged": "inchangées",
        "closed": "fermées",
        "rejected": "rejetées",
    }

    def as_json(self) -> dict[str, int]:
        return {self.JSON_KEYS[name]: value for name, value in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict | None) -> "ImportCounts":
        data = data or {}
        return cls(**{f.name: int(data.get(cls.JSON_KEYS[f.name], 0)) for f in fields(cls)})

    def labelled(self) -> list[tuple[str, int]]:
        """(French label, count) in reading order, for pages."""
        return [(self.LABELS[f.name], getattr(self, f.name)) for f in fields(self)]
