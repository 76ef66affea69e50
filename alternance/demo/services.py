"""The demonstration data set (seed_demo): companies, trainings and offers, and its bulk loader.

Demonstration rows carry is_demo=True; seed_demo replaces them and never touches any other row.
"""

import datetime as dt
import itertools
import time
from collections.abc import Callable

import numpy as np
from django.core.management.color import no_style
from django.db import connections, models, router, transaction
from django.db.models import Max, Q, signals
from django.utils import timezone

from alternance.companies.models import Company
from alternance.offers.models import Offer
from alternance.trainings.models import Training, TrainingRome

from . import synthetic

BATCH = 20_000


def _as_db_values(values, field: models.Field, vendor: str) -> list:
    """Column values as the driver expects them (numpy arrays converted in bulk)."""
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        if isinstance(field, models.DateTimeField):
            text = np.datetime_as_string(values.astype("datetime64[us]"), unit="us")
            text = np.char.replace(text.astype(str), "T", " ")
            if vendor != "sqlite":
                text = np.char.add(text, "+00:00")
            return text.tolist()
        return np.datetime_as_string(values.astype("datetime64[D]"), unit="D").tolist()
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


def bulk_insert(model: type[models.Model], columns: dict, using: str | None = None) -> int:
    """Insert rows given as columns {attname: array}; other fields take their default (auto_now: now).

    PostgreSQL: COPY (psycopg); other databases: executemany in batches. No signals, no save().
    """
    using = using or router.db_for_write(model)
    connection = connections[using]
    n = len(next(iter(columns.values())))
    if n == 0:
        return 0
    now = timezone.now()
    names, iterables = [], []
    for f in model._meta.concrete_fields:
        if f.attname in columns:
            iterables.append(_as_db_values(columns[f.attname], f, connection.vendor))
        elif f.primary_key:
            continue
        else:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            else:
                value = f.get_default()
            iterables.append(itertools.repeat(f.get_db_prep_save(value, connection)))
        names.append(f.column)
    rows = zip(*iterables)  # noqa: B905 (constant columns are endless repeats)
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in itertools.islice(rows, n):
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(names))})"
            while batch := list(itertools.islice(rows, BATCH)):
                cursor.executemany(sql, batch)
    return n


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _reset_sequences(using: str, models_: list) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _has_delete_signals(model) -> bool:
    return signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(model)


def _set_based_delete(qs) -> int:
    """Delete qs in set-based statements, with its CASCADE and SET_NULL dependents one level down.

    Falls back to the ORM collector (QuerySet.delete) whenever something needs it: signals, PROTECT or
    RESTRICT relations, many-to-many relations, or dependents that have dependents of their own.
    """
    model = qs.model
    plan = []
    for rel in model._meta.related_objects:
        related = rel.related_model
        if rel.many_to_many or _has_delete_signals(related) or _has_delete_signals(model):
            return qs.only("pk").delete()[0]
        dependents = related._base_manager.using(qs.db).filter(**{f"{rel.field.name}__in": qs.values("pk")})
        if rel.on_delete is models.CASCADE and not related._meta.related_objects:
            plan.append((dependents, None))
        elif rel.on_delete is models.SET_NULL:
            plan.append((dependents, rel.field.name))
        elif rel.on_delete is not models.DO_NOTHING:
            return qs.only("pk").delete()[0]
    for dependents, null_field in plan:
        if null_field:
            dependents.update(**{null_field: None})
        else:
            dependents._raw_delete(dependents.db)
    return qs._raw_delete(qs.db)


def clear_demo() -> dict[str, int]:
    """Delete the demonstration rows (is_demo=True) and only them (with what cascades from them)."""
    offers = _set_based_delete(Offer.objects.filter(Q(is_demo=True) | Q(company__is_demo=True)))
    _set_based_delete(TrainingRome.objects.filter(training__is_demo=True))
    trainings = _set_based_delete(Training.objects.filter(is_demo=True))
    companies = _set_based_delete(Company.objects.filter(is_demo=True))
    return {"offers": offers, "trainings": trainings, "companies": companies}


class _SqliteBigCache:
    """Give SQLite a large page cache while seeding, so a big transaction never spills (and syncs) mid-way."""

    def __init__(self, using: str):
        self.connection = connections[using]

    def __enter__(self):
        if self.connection.vendor == "sqlite":
            with self.connection.cursor() as cursor:
                self.previous = cursor.execute("PRAGMA cache_size").fetchone()[0]
                cursor.execute("PRAGMA cache_size = -1000000")  # 1 GB at most, allocated as needed
        return self

    def __exit__(self, *exc):
        if self.connection.vendor == "sqlite":
            with self.connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(self.previous)}")


def seed_demo(
    scale: str = "small",
    seed: int = 1,
    *,
    counts: tuple[int, int, int] | None = None,
    now: dt.datetime | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> dict[str, int]:
    """Replace the demonstration data set: companies, trainings and offers drawn from the referentials.

    `counts` = (companies, trainings, offers) overrides the scale. Deterministic for a given seed (and now).
    With a partial referential it still seeds what it can and logs what it did instead (Referential.gaps).
    """
    n_companies, n_trainings, n_offers = counts or synthetic.SCALES[scale]
    now = now or timezone.now()
    using = router.db_for_write(Company)
    started = time.perf_counter()

    def step(label):
        log(f"{label} : {time.perf_counter() - started:.1f} s")

    ref = synthetic.Referential.from_db()
    lacking = [
        label
        for label, present in (
            ("les communes avec coordonnées", len(ref.commune_insee)),
            ("les secteurs d'activité reliés aux métiers (NAF × ROME)", len(ref.naf_code)),
        )
        if not present
    ]
    if lacking:
        raise ValueError(
            f"Les référentiels ne sont pas chargés ({' ni '.join(lacking)} manquent) : "
            "lancez d'abord « python manage.py load_reference »."
        )
    step("référentiels lus")
    for note in ref.gaps():
        log(f"Remarque : {note}.")
    companies = synthetic.generate_companies(n_companies, seed, ref)
    offers = synthetic.generate_offers(n_offers, companies, seed, ref, now=now)
    # Insert companies in SIRET order (the unique index then grows at its end): reorder and remap the offers.
    order = np.argsort(companies["siret"].astype(str), kind="stable")
    companies = {key: value[order] for key, value in companies.items()}
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    offers["company"] = position[offers["company"]]
    trainings = synthetic.generate_trainings(n_trainings, seed, ref, today=timezone.localdate(now))
    step("données générées")

    with _SqliteBigCache(using), transaction.atomic(using=using):
        removed = clear_demo()
        step(f"anciennes données de démonstration supprimées ({sum(removed.values())} lignes)")
        # Demo SIRETs start with 90 to 96: skip those a real (non-demo) company already has.
        taken = set(Company.objects.filter(siret__gte="90", siret__lt="97").values_list("siret", flat=True))
        keep = np.array([s not in taken for s in companies["siret"].tolist()], dtype=bool)
        first_company = _next_id(Company)
        company_ids = np.full(n_companies, -1, dtype=np.int64)
        company_ids[keep] = first_company + np.arange(int(keep.sum()))
        company_cols = {
            "id": company_ids[keep],
            "siret": companies["siret"][keep],
            "name": companies["name"][keep],
            "naf_id": companies["naf"][keep],
            "commune_id": companies["commune"][keep],
            "address": companies["address"][keep],
            "lat": companies["lat"][keep],
            "lon": companies["lon"][keep],
            "size_band": companies["size_band"][keep],
            "accepts_spontaneous": companies["accepts_spontaneous"][keep],
            "accessible_disability": companies["accessible_disability"][keep],
            "hires_on_platform": companies["hires_on_platform"][keep],
            # Reserved domain (RFC 2606): demo recruiters' mail stays in the local mailbox.
            "contact_email": np.char.add(
                np.char.add("recrutement-", companies["siret"][keep].astype(str)), "@example.org"
            ),
            "is_demo": np.ones(int(keep.sum()), dtype=bool),
        }
        n_c = bulk_insert(Company, company_cols, using)
        step(f"{n_c} entreprises insérées")

        offer_keep = keep[offers["company"]]
        m = int(offer_keep.sum())
        offer_cols = {
            "company_id": company_ids[offers["company"][offer_keep]],
            "rome_id": offers["rome"][offer_keep],
            "appellation_id": offers["appellation"][offer_keep],
            "title": offers["title"][offer_keep],
            "description": offers["description"][offer_keep],
            "diploma_level": offers["diploma_level"][offer_keep],
            "start_date": offers["start_date"][offer_keep],
            "duration_months": offers["duration_months"][offer_keep],
            "openings": offers["openings"][offer_keep],
            "accessible_disability": offers["accessible_disability"][offer_keep],
            "commune_id": offers["commune"][offer_keep],
            "lat": offers["lat"][offer_keep],
            "lon": offers["lon"][offer_keep],
            "status": offers["status"][offer_keep],
            "published_at": offers["published_at"][offer_keep],
            "expires_at": offers["expires_at"][offer_keep],
            "applications_count": offers["applications_count"][offer_keep],
            "is_demo": np.ones(m, dtype=bool),
        }
        n_o = bulk_insert(Offer, offer_cols, using)
        step(f"{n_o} offres insérées")

        k = len(trainings["diploma"])
        first_training = _next_id(Training)
        training_ids = first_training + np.arange(k)
        postcodes, cities = _postcodes_and_names(trainings["commune"])
        training_cols = {
            "id": training_ids,
            "organisation_id": trainings["organisation"],
            "trainer_id": trainings["organisation"],
            "title": trainings["title"],
            "diploma_id": trainings["diploma"],
            "certification_id": trainings["certification"],
            "rncp_code": trainings["certification"],
            "cfd_code": trainings["diploma"],
            "level": trainings["level"],
            "commune_id": trainings["commune"],
            "postcode": postcodes,
            "city": cities,
            "lat": trainings["lat"],
            "lon": trainings["lon"],
            "start_date": trainings["start_date"],
            "end_date": trainings["end_date"],
            "duration_months": trainings["duration_months"],
            "status": np.full(k, Training.Status.PUBLISHED.value, dtype=object),
            "is_demo": np.ones(k, dtype=bool),
            "source": np.full(k, "demo", dtype=object),
            "external_id": np.array([f"demo-{seed}-{i}" for i in range(k)], dtype=object),
        }
        training_cols = {key: value for key, value in training_cols.items() if key in _attnames(Training)}
        n_t = bulk_insert(Training, training_cols, using) if k else 0
        pairs = [
            (tid, rome) for tid, romes in zip(training_ids.tolist(), trainings["romes"], strict=True) for rome in romes
        ]
        n_tr = (
            bulk_insert(
                TrainingRome,
                {"training_id": [p[0] for p in pairs], "rome_id": [p[1] for p in pairs]},
                using,
            )
            if pairs
            else 0
        )
        step(f"{n_t} formations et {n_tr} liens formation-métier insérés")
        _reset_sequences(using, [Company, Offer, Training, TrainingRome])
    step("terminé")
    return {"companies": n_c, "offers": n_o, "trainings": n_t, "training_romes": n_tr}


def _attnames(model) -> set[str]:
    return {f.attname for f in model._meta.concrete_fields}


def _postcodes_and_names(insee: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from alternance.reference.models import Commune

    codes = sorted(set(insee.tolist()))
    rows = {
        c: (pc.split()[0] if pc else "", name)
        for c, pc, name in Commune.objects.filter(insee__in=codes).values_list("insee", "postcodes", "name")
    }
    postcodes = np.array([rows.get(c, ("", ""))[0] for c in insee.tolist()], dtype=object)
    names = np.array([rows.get(c, ("", ""))[1] for c in insee.tolist()], dtype=object)
    return postcodes, names
