"""Indicators of enrolments: counts of learners by status, region, département, organisation, diploma and
level on a date, and by status month by month; every public figure goes through disclosure.suppress.

`compute` counts (tens of seconds on 100,000 learners); pages and the API never call it: they read `latest`,
the last computed version (an IndicatorSnapshot, with its date), and `latest` enqueues the background task
`refresh_indicators` when the enrolments changed since (ingestion also enqueues it once its batch commits).

A learner is counted on a day from their registration until EXIT_VISIBLE_DAYS after the end of their
course (so that « diplômé » and « sorti » show for a while); a learner sent for two school years counts
once (the latest school year). Breakdowns are by the place of training (the formateur's UAI).
"""

import calendar
import dataclasses
import datetime as dt
import hashlib
from collections import Counter, defaultdict

from django.core.cache import cache
from django.db.models import Count, Max

from alternance.enrolments import disclosure, rules
from alternance.enrolments.models import Enrolment, EnrolmentContract, IndicatorSnapshot
from alternance.organisations.models import Organisation
from alternance.reference.models import Certification, Commune, Diploma

EXIT_VISIBLE_DAYS = 90
MONTHS = 12
UNKNOWN = ""
BREAKDOWNS = ("status", "region", "departement", "organisation", "diploma", "level")
LEVEL_LABELS = {
    3: "Niveau 3 (CAP, BEP)",
    4: "Niveau 4 (baccalauréat, brevet professionnel)",
    5: "Niveau 5 (BTS, DUT)",
    6: "Niveau 6 (licence, bachelor)",
    7: "Niveau 7 (master, ingénieur)",
    8: "Niveau 8 (doctorat)",
}


def month_ends(day: dt.date, months: int = MONTHS) -> list[dt.date]:
    """The last day of each of the `months` months up to `day`'s month, the last one being `day` itself."""
    dates, year, month = [day], day.year, day.month
    for _ in range(months - 1):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        dates.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
    return dates[::-1]


@dataclasses.dataclass
class Row:
    key: str
    label: str
    value: int | None
    suppressed: str = ""  # "", "small" or "complementary"
    parent: str = ""  # region of a département, département of an organisation, level of a diploma


@dataclasses.dataclass
class Indicators:
    day: dt.date
    demo: bool
    total: Row
    tables: dict[str, list[Row]]
    months: list[dict]  # [{"date", "total": Row, "status": [Row]}]
    threshold: int = disclosure.THRESHOLD
    computed_at: dt.datetime | None = None  # when this version was computed (set on the stored snapshots)

    @property
    def is_empty(self) -> bool:
        return not self.total.value and not self.total.suppressed


def _counted_on(row: dict, day: dt.date) -> bool:
    return row["registered_on"] <= day <= row["course_end"] + dt.timedelta(days=EXIT_VISIBLE_DAYS)


def raw_counts(queryset, day: dt.date, months: int = MONTHS) -> tuple[dict, list, dict]:
    """Cells (key -> count), constraints, and the labels' ingredients, before any suppression."""
    fields = (
        "id organisation_id learner_id school_year registered_on course_start course_end dropped_out_on outcome "
        "departement_code region_code cfd rncp level"
    ).split()
    rows = list(queryset.values(*fields))
    contracts = defaultdict(list)
    for enrolment_id, start, end, broken in EnrolmentContract.objects.filter(
        enrolment__in=queryset.values("pk")
    ).values_list("enrolment_id", "start_date", "end_date", "break_date"):
        contracts[enrolment_id].append(rules.ContractFacts(start, end, broken))
    dates = month_ends(day, months)
    cells: Counter = Counter()
    constraints: list = []
    nested: dict[str, set] = defaultdict(set)
    for date in dates:
        latest: dict[tuple, dict] = {}
        for row in rows:
            if _counted_on(row, date):
                person = (row["organisation_id"], row["learner_id"])
                if person not in latest or latest[person]["school_year"] < row["school_year"]:
                    latest[person] = row
        month = date.isoformat()
        cells[("total", month)] += 0
        for row in latest.values():
            facts = rules.LearnerFacts(
                row["registered_on"],
                row["course_start"],
                row["course_end"],
                row["dropped_out_on"],
                row["outcome"] or None,
                tuple(contracts.get(row["id"], ())),
            )
            status = rules.status_on(facts, date).status
            cells[("total", month)] += 1
            cells[("status", month, str(status))] += 1
            if date == day:
                region, dep = row["region_code"] or UNKNOWN, row["departement_code"] or UNKNOWN
                diploma, level = row["cfd"] or row["rncp"], str(row["level"] or UNKNOWN)
                cells[("region", region)] += 1
                cells[("departement", region, dep)] += 1
                cells[("organisation", dep, str(row["organisation_id"]))] += 1
                cells[("level", level)] += 1
                cells[("diploma", level, diploma)] += 1
        statuses = [("status", month, str(s)) for s in rules.Status]
        for key in statuses:
            cells[key] += 0
        constraints.append((("total", month), statuses))
    grand = ("total", day.isoformat())
    keys = list(cells)
    for kind in ("region", "level"):
        constraints.append((grand, [k for k in keys if k[0] == kind]))
    region_of = {k[2]: k[1] for k in keys if k[0] == "departement"}
    for key in keys:
        if key[0] in ("departement", "diploma"):
            nested[("region" if key[0] == "departement" else "level", key[1])].add(key)
        elif key[0] == "organisation":
            nested[("departement", region_of.get(key[1], UNKNOWN), key[1])].add(key)
    constraints += [(parent, sorted(children)) for parent, children in nested.items()]
    return dict(cells), constraints, {"dates": dates}


def _stamp(day: dt.date, demo: bool, months: int) -> str:
    """What the indicators depend on: the day, and the count and last update of the enrolments counted."""
    stamp = Enrolment.objects.filter(is_demo=demo).aggregate(n=Count("id"), last=Max("updated_at"))
    return f"{demo}:{day}:{months}:{stamp['n']}:{stamp['last'].isoformat() if stamp['last'] else ''}"


def compute(day: dt.date | None = None, *, demo: bool = False, months: int = MONTHS) -> Indicators:
    """Public indicators of real enrolments (or of the demonstration ones with demo=True), suppressed."""
    from django.utils import timezone

    day = day or timezone.localdate()
    queryset = Enrolment.objects.filter(is_demo=demo)
    raw_key = _stamp(day, demo, months)
    cache_key = "enrolment-indicators:" + hashlib.blake2b(raw_key.encode(), digest_size=16).hexdigest()
    cached = cache.get(cache_key)
    if cached is not None:
        return cached
    cells, constraints, _ = raw_counts(queryset, day, months)
    hidden = disclosure.suppress(cells, constraints)
    result = _present(cells, hidden, day, demo, months)
    cache.set(cache_key, result, 3600)
    return result


def _row(cells, hidden, key, label, parent="") -> Row:
    reason = hidden.get(key, "")
    return Row(key=key[-1], label=label, value=None if reason else cells.get(key, 0), suppressed=reason, parent=parent)


def _present(cells: dict, hidden: dict, day: dt.date, demo: bool, months: int) -> Indicators:
    labels = _labels(cells)
    month = day.isoformat()
    tables: dict[str, list[Row]] = {
        "status": [_row(cells, hidden, ("status", month, str(s)), rules.STATUS_LABELS[s]) for s in rules.Status]
    }
    for kind in ("region", "departement", "organisation", "diploma", "level"):
        keys = sorted((k for k in cells if k[0] == kind), key=lambda k: (-cells[k], k))
        tables[kind] = [
            _row(cells, hidden, k, labels[kind].get(k[-1], k[-1] or "Non renseigné"), parent=k[1] if len(k) > 2 else "")
            for k in keys
        ]
    series = []
    for date in month_ends(day, months):
        iso = date.isoformat()
        series.append(
            {
                "date": date,
                "total": _row(cells, hidden, ("total", iso), "Total"),
                "status": [_row(cells, hidden, ("status", iso, str(s)), rules.STATUS_LABELS[s]) for s in rules.Status],
            }
        )
    return Indicators(day, demo, _row(cells, hidden, ("total", month), "Total"), tables, series)


def _labels(cells: dict) -> dict[str, dict]:
    keys = defaultdict(set)
    for key in cells:
        keys[key[0]].add(key[-1])
    regions, deps = {}, {}
    for reg, reg_name, dep, dep_name in Commune.objects.values_list(
        "region_code", "region_name", "departement_code", "departement_name"
    ).distinct():
        regions[reg], deps[dep] = reg_name, dep_name
    organisations = {
        str(pk): name for pk, name in Organisation.objects.filter(pk__in=keys["organisation"]).values_list("pk", "name")
    }
    diplomas = dict(Diploma.objects.filter(cfd__in=keys["diploma"]).values_list("cfd", "title"))
    diplomas |= dict(Certification.objects.filter(rncp__in=keys["diploma"]).values_list("rncp", "title"))
    return {
        "region": {k: regions.get(k, "Non renseignée") for k in keys["region"]},
        "departement": {k: f"{deps[k]} ({k})" if k in deps else "Non renseigné" for k in keys["departement"]},
        "organisation": organisations,
        "diploma": {k: f"{diplomas.get(k, k)[:120]} ({k})" for k in keys["diploma"]},
        "level": {k: LEVEL_LABELS.get(int(k), f"Niveau {k}") if k else "Non renseigné" for k in keys["level"]},
    }


def organisation_detail(organisation, day: dt.date | None = None):
    """Named learners of ONE organisation with their status today (for that organisation's staff only)."""
    from django.utils import timezone

    day = day or timezone.localdate()
    enrolments = list(
        Enrolment.objects.of_organisation(organisation)
        .prefetch_related("contracts")
        .order_by("last_name", "first_name", "learner_id")
    )
    return [(e, rules.status_on(e.facts(list(e.contracts.all())), day)) for e in enrolments]


# --- the last computed version, refreshed in the background ---------------------------------------------------

QUEUED_KEY = "enrolment-indicators:queued:{demo}"
QUEUED_SECONDS = 15 * 60  # a refresh enqueued but never run (worker down) is enqueued again after this delay


def _to_json(result: Indicators) -> dict:
    def row(r: Row) -> dict:
        return dataclasses.asdict(r)

    return {
        "day": result.day.isoformat(),
        "threshold": result.threshold,
        "total": row(result.total),
        "tables": {kind: [row(r) for r in rows] for kind, rows in result.tables.items()},
        "months": [
            {"date": m["date"].isoformat(), "total": row(m["total"]), "status": [row(r) for r in m["status"]]}
            for m in result.months
        ],
    }


def _from_json(snapshot: IndicatorSnapshot) -> Indicators:
    data = snapshot.data
    return Indicators(
        day=dt.date.fromisoformat(data["day"]),
        demo=snapshot.demo,
        total=Row(**data["total"]),
        tables={kind: [Row(**r) for r in rows] for kind, rows in data["tables"].items()},
        months=[
            {
                "date": dt.date.fromisoformat(m["date"]),
                "total": Row(**m["total"]),
                "status": [Row(**r) for r in m["status"]],
            }
            for m in data["months"]
        ],
        threshold=data["threshold"],
        computed_at=snapshot.computed_at,
    )


def refresh(*, demo: bool = False) -> Indicators:
    """Compute the indicators of today and store them as the last computed version (the background task's work)."""
    from django.utils import timezone

    day = timezone.localdate()
    stamp = _stamp(day, demo, MONTHS)
    result = compute(day, demo=demo)
    result.computed_at = timezone.now()
    IndicatorSnapshot.objects.update_or_create(
        demo=demo, defaults={"stamp": stamp, "day": day, "computed_at": result.computed_at, "data": _to_json(result)}
    )
    return result


def request_refresh(*, demo: bool = False) -> bool:
    """Enqueue one background refresh (not another while one is waiting); True when enqueued."""
    from alternance.enrolments.tasks import refresh_indicators

    if not cache.add(QUEUED_KEY.format(demo=demo), 1, QUEUED_SECONDS):
        return False
    try:
        refresh_indicators.enqueue(demo=demo)
    except Exception:
        cache.delete(QUEUED_KEY.format(demo=demo))
        raise
    return True


def latest(*, demo: bool = False) -> Indicators | None:
    """The last computed indicators (None before the first computation); a refresh is enqueued when the
    enrolments or the day changed since. Never computes in the caller (unless tasks run immediately)."""
    from django.utils import timezone

    snapshot = IndicatorSnapshot.objects.filter(demo=demo).first()
    if snapshot is None or snapshot.stamp != _stamp(timezone.localdate(), demo, MONTHS):
        if request_refresh(demo=demo):
            # With the immediate backend (tests, or a site without worker) the task has already run.
            snapshot = IndicatorSnapshot.objects.filter(demo=demo).first() or snapshot
    return _from_json(snapshot) if snapshot is not None else None
