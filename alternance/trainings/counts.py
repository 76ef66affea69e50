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
    ignored_outside_formations: int = 0  # elements outside <formation> that LHEO does not place there

    # The keys of the stored JSON and of the API's `counts` (kept as the first reports wrote them).
    JSON_KEYS = {
        "read": "lus",
        "created": "crees",
        "updated": "mis_a_jour",
        "unchanged": "inchanges",
        "closed": "fermes",
        "rejected": "rejetes",
        "ignored_outside_formations": "ignores_hors_formation",
    }
    LABELS = {
        "read": "lues",
        "created": "créées",
        "updated": "mises à jour",
        "unchanged": "inchangées",
        "closed": "fermées",
        "rejected": "rejetées",
        "ignored_outside_formations": "éléments hors formation ignorés",
    }

    def as_json(self) -> dict[str, int]:
        """The stored counts; ignored elements only when there were some (as the first reports wrote them)."""
        data = asdict(self)
        if not data["ignored_outside_formations"]:
            del data["ignored_outside_formations"]
        return {self.JSON_KEYS[name]: value for name, value in data.items()}

    @classmethod
    def from_json(cls, data: dict | None) -> "ImportCounts":
        data = data or {}
        return cls(**{f.name: int(data.get(cls.JSON_KEYS[f.name], 0)) for f in fields(cls)})

    def labelled(self) -> list[tuple[str, int]]:
        """(French label, count) in reading order, for pages."""
        labelled = [(self.LABELS[f.name], getattr(self, f.name)) for f in fields(self)]
        return labelled if self.ignored_outside_formations else labelled[:-1]
