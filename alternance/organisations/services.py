"""Writes of the organisations register: facts from sources and the reconciliation of UAIs.

Nature and quality, derived from the catalogue, are computed above it, in alternance.trainings.register.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from alternance.core.bulk import update_rows
from alternance.core.text import normalize
from alternance.organisations import rules
from alternance.organisations.models import Organisation, OrganisationFact, TrainingSite
from alternance.reference.models import Commune


def record_fact(organisation: Organisation, field: str, value, source: str, observed_on: dt.date | None = None):
    """Keep one fact with its source and date (the latest date wins for a repeated fact)."""
    if value in (None, ""):
        return None
    value = str(value)[:255]
    observed_on = observed_on or timezone.localdate()
    fact, created = OrganisationFact.objects.get_or_create(
        organisation=organisation, field=field, value=value, source=source, defaults={"observed_on": observed_on}
    )
    if not created and fact.observed_on < observed_on:
        fact.observed_on = observed_on
        fact.save(update_fields=["observed_on"])
    return fact


def find_or_create(*, siret: str, uai: str = "", name: str, source: str, defaults: dict | None = None) -> Organisation:
    """The organisation of this SIRET (the one with this UAI when several), created when unknown.

    Its UAI is not overwritten: a UAI given by a source is recorded as a fact, and reconcile() chooses.
    """
    siret = (siret or "").replace(" ", "")
    uai = (uai or "").strip().upper()
    candidates = list(Organisation.objects.filter(siret=siret)) if siret else []
    if not candidates and not siret and uai:
        candidates = list(Organisation.objects.filter(uai=uai, siret=""))
    chosen = next((o for o in candidates if uai and o.uai == uai), None) or (candidates[0] if candidates else None)
    if chosen is None:
        chosen = Organisation.objects.create(siret=siret, uai=uai, name=name[:255], source=source, **(defaults or {}))
    else:
        changed = []
        for key, value in (defaults or {}).items():
            if value not in (None, "") and getattr(chosen, key) in (None, ""):
                setattr(chosen, key, value)
                changed.append(key)
        if changed:
            chosen.save(update_fields=[*changed, "updated_at"])
    return chosen


def find_or_create_many(items: list[dict], *, source: str) -> list[Organisation]:
    """find_or_create for many organisations at once ({siret, uai, name, defaults} each, in order): one query for
    the known SIRETs, one bulk insert for the new ones; the same choice as find_or_create called in this order."""
    items = [
        {**item, "siret": (item["siret"] or "").replace(" ", ""), "uai": (item.get("uai") or "").strip().upper()}
        for item in items
    ]
    by_siret: dict[str, list[Organisation]] = {}
    for organisation in Organisation.objects.filter(siret__in={i["siret"] for i in items if i["siret"]}):
        by_siret.setdefault(organisation.siret, []).append(organisation)
    chosen_all, new = [], []
    for item in items:
        siret, uai, defaults = item["siret"], item["uai"], item.get("defaults") or {}
        if not siret:  # rare: the one-by-one path
            chosen_all.append(find_or_create(siret=siret, uai=uai, name=item["name"], source=source, defaults=defaults))
            continue
        candidates = by_siret.get(siret, [])
        chosen = next((o for o in candidates if uai and o.uai == uai), None) or (candidates[0] if candidates else None)
        if chosen is None:
            chosen = Organisation(siret=siret, uai=uai, name=item["name"][:255], source=source, **defaults)
            by_siret[siret] = [chosen]
            new.append(chosen)
        else:
            changed = []
            for key, value in defaults.items():
                if value not in (None, "") and getattr(chosen, key) in (None, ""):
                    setattr(chosen, key, value)
                    changed.append(key)
            if changed and chosen.pk is not None:  # a new one is inserted below, as filled
                chosen.save(update_fields=[*changed, "updated_at"])
        chosen_all.append(chosen)
    Organisation.objects.bulk_create(new)
    return chosen_all


def _observations(organisations: Iterable[Organisation]) -> list[tuple[str, str]]:
    observations = []
    org_ids = []
    for organisation in organisations:
        org_ids.append(organisation.pk)
        if organisation.uai:
            observations.append((organisation.uai, organisation.source or "registre"))
    facts = OrganisationFact.objects.filter(organisation_id__in=org_ids, field=OrganisationFact.Field.UAI)
    observations += list(facts.values_list("value", "source"))
    return observations


def uai_candidates(organisation: Organisation) -> rules.Reconciliation:
    """Every UAI the sources give for this organisation's SIRET, most confirmed first."""
    same = Organisation.objects.filter(siret=organisation.siret) if organisation.siret else [organisation]
    return rules.reconcile_uai(_observations(same))


@transaction.atomic
def reconcile(organisations: Iterable[Organisation] | None = None) -> int:
    """Choose the probable UAI of each SIRET, flag conflicts, fill a missing UAI; returns the rows changed."""
    qs = Organisation.objects.all() if organisations is None else organisations
    by_siret: dict[str, list[Organisation]] = defaultdict(list)
    loners = []
    for organisation in qs:
        (by_siret[organisation.siret] if organisation.siret else loners).append(organisation)
    sirets = list(by_siret)
    if organisations is not None and sirets:  # include the other rows of the same SIRET
        for other in Organisation.objects.filter(siret__in=sirets).exclude(
            pk__in=[o.pk for g in by_siret.values() for o in g]
        ):
            by_siret[other.siret].append(other)
    facts = defaultdict(list)
    all_ids = [o.pk for group in by_siret.values() for o in group] + [o.pk for o in loners]
    for chunk_start in range(0, len(all_ids), 5000):
        chunk = all_ids[chunk_start : chunk_start + 5000]
        for org_id, value, source in OrganisationFact.objects.filter(
            organisation_id__in=chunk, field=OrganisationFact.Field.UAI
        ).values_list("organisation_id", "value", "source"):
            facts[org_id].append((value, source))
    changed: dict[tuple[str, ...], list[Organisation]] = defaultdict(list)  # written by field set, in batches
    groups = list(by_siret.values()) + [[o] for o in loners]
    for group in groups:
        observations = []
        for organisation in group:
            if organisation.uai:
                observations.append((organisation.uai, organisation.source or "registre"))
            observations += facts[organisation.pk]
        result = rules.reconcile_uai(observations)
        taken = {o.uai for o in group}
        for organisation in group:
            fields = {"probable_uai": result.probable, "uai_conflict": result.conflict}
            if not organisation.uai and result.probable and result.probable not in taken:
                fields["uai"] = result.probable
                taken.add(result.probable)
            if any(getattr(organisation, k) != v for k, v in fields.items()):
                for key, value in fields.items():
                    setattr(organisation, key, value)
                organisation.updated_at = timezone.now()
                changed[(*fields, "updated_at")].append(organisation)
    return save_in_batches(changed)


def save_in_batches(changed: dict[tuple[str, ...], list[Organisation]]) -> int:
    """Write changed organisations, {fields: rows}: one prepared UPDATE run for 500 rows at a time (each its own
    short transaction) instead of one save per row."""
    for fields, rows in changed.items():
        attnames = [Organisation._meta.get_field(name).attname for name in fields]
        for start in range(0, len(rows), 500):
            with transaction.atomic():
                update_rows(
                    Organisation,
                    attnames,
                    ([getattr(o, f) for f in attnames] + [o.pk] for o in rows[start : start + 500]),
                )
    return sum(len(rows) for rows in changed.values())


# ---------------------------------------------------------------------------------------------- declarations
class DeclarationError(Exception):
    """A declared value the register cannot accept: French message naming the field and the fix."""

    def __init__(self, code: str, message: str, field: str = ""):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


def resolve_commune(postcode: str, name: str) -> Commune:
    """The commune of the referential with this postcode and this name (the only one of the postcode when
    the name is empty); DeclarationError naming the field otherwise."""
    postcode = (postcode or "").replace(" ", "")
    if not postcode:
        raise DeclarationError(
            "postcode_required", "Indiquez le code postal (5 chiffres), par exemple 69003.", "postcode"
        )
    if not (postcode.isdigit() and len(postcode) == 5):
        raise DeclarationError(
            "invalid_postcode", f"Le code postal compte 5 chiffres ; vous en avez saisi « {postcode} ».", "postcode"
        )
    communes = [c for c in Commune.objects.active().filter(postcodes__contains=postcode) if postcode in c.postcode_list]
    if not communes:
        raise DeclarationError(
            "unknown_postcode", f"Le code postal {postcode} n'existe pas dans la base des communes : vérifiez-le.",
            "postcode",
        )  # fmt: skip
    wanted = normalize(name or "")
    matching = [c for c in communes if not wanted or c.search_name == wanted]
    if len(matching) == 1:
        return matching[0]
    names = ", ".join(sorted(c.name for c in communes))
    if not wanted:
        raise DeclarationError(
            "commune_required", f"Indiquez la commune : le code postal {postcode} couvre {names}.", "commune"
        )
    raise DeclarationError(
        "commune_mismatch",
        f"La commune « {name.strip()} » n'a pas le code postal {postcode} ; communes de ce code postal : {names}.",
        "commune",
    )


def _column_value(organisation: Organisation, field: str) -> str:
    return organisation.commune_id or "" if field == "commune" else getattr(organisation, field) or ""


def _keep_official(organisation: Organisation, fields, source: str, today: dt.date) -> None:
    """Keep the value an official source put in the columns as a fact of that source (once), before a
    declaration is chosen over it: the official value stays visible beside the declaration."""
    for field in fields:
        value = _column_value(organisation, field)
        kept = organisation.facts.filter(field=field).exclude(source=rules.DECLARATION).exists()
        if value and not kept and not _is_declared(organisation, field, value):
            record_fact(organisation, field, value, source, today)


def _is_declared(organisation: Organisation, field: str, value: str) -> bool:
    """The column holds the organisation's own declaration (not an official value)."""
    return organisation.facts.filter(field=field, source=rules.DECLARATION, value=value).exists()


@transaction.atomic
def declare_contact(organisation: Organisation, values: dict, *, declared_by=None, today=None) -> list[str]:
    """Record the organisation's own contact details as facts of source rules.DECLARATION (with the date and
    the member), then show the values the weights choose. `values` holds checked values among
    rules.CONTACT_FIELDS (commune: a Commune); an empty value changes nothing. Returns the fields declared."""
    today = today or timezone.localdate()
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    declared = {}
    for field in rules.CONTACT_FIELDS:
        value = values.get(field)
        value = value.insee if isinstance(value, Commune) else (value or "").strip()
        if value and value != _column_value(organisation, field):
            declared[field] = value
    if set(declared) & set(rules.ADDRESS_FIELDS):  # the address is declared whole
        for field in rules.ADDRESS_FIELDS:
            value = values.get(field)
            declared[field] = value.insee if isinstance(value, Commune) else (value or "").strip()
    _keep_official(organisation, declared, organisation.source or "registre", today)
    for field, value in declared.items():
        # the new declaration replaces the previous one of this field (the official facts stay)
        organisation.facts.filter(field=field, source=rules.DECLARATION).exclude(value=value[:255]).delete()
        fact = record_fact(organisation, field, value, rules.DECLARATION, today)
        if fact is not None and fact.declared_by_id != getattr(declared_by, "pk", None):
            fact.declared_by = declared_by
            fact.save(update_fields=["declared_by"])
    apply_declarations([organisation.pk])
    return sorted(declared)


@transaction.atomic
def declare_site(organisation: Organisation, *, name: str, address: str, commune: Commune, postcode: str,
                 declared_by=None, today=None) -> TrainingSite:  # fmt: skip
    """A training site the organisation declares: a TrainingSite of source rules.DECLARATION and its fact."""
    today = today or timezone.localdate()
    name, address = (name or "").strip()[:255], (address or "").strip()[:255]
    if not address:
        raise DeclarationError(
            "address_required", "Indiquez l'adresse du lieu de formation (numéro et voie).", "address"
        )
    key = f"{rules.DECLARATION}:{normalize(address)} {commune.insee}"[:255]
    site, _ = TrainingSite.objects.update_or_create(
        organisation=organisation, key=key,
        defaults={
            "name": name, "address": address, "postcode": postcode, "city": commune.name, "commune": commune,
            "lat": commune.lat, "lon": commune.lon, "source": rules.DECLARATION,
        },
    )  # fmt: skip
    label = f"{name + ', ' if name else ''}{address}, {postcode} {commune.name}"
    fact = record_fact(organisation, OrganisationFact.Field.SITE, label, rules.DECLARATION, today)
    fact.declared_by = declared_by
    fact.save(update_fields=["declared_by"])
    return site


def apply_declarations(organisation_ids: Iterable[int], *, official_source: str = "") -> int:
    """Put in each organisation's columns the contact values rules.choose picks among its facts (only for
    organisations having declared something). With `official_source` (a reload of an official file has just
    rewritten the columns), the columns' values are first kept as facts of that source. Returns rows changed."""
    ids = list(
        OrganisationFact.objects.filter(organisation_id__in=list(organisation_ids), source=rules.DECLARATION)
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    changed = 0
    today = timezone.localdate()
    for organisation in Organisation.objects.filter(pk__in=ids).select_related("commune"):
        if official_source:  # the file wrote the address columns: its values become its facts
            for field in rules.ADDRESS_FIELDS:
                value = _column_value(organisation, field)
                if not _is_declared(organisation, field, value):
                    record_fact(organisation, field, value, official_source, today)
        facts = defaultdict(list)
        for fact in organisation.facts.filter(field__in=rules.CONTACT_FIELDS):
            facts[fact.field].append(rules.Observation(fact.value, fact.source, fact.observed_on))
        updates = {}
        for field, observations in facts.items():
            chosen = rules.choose(field, observations)
            if chosen is None or chosen.value == _column_value(organisation, field):
                continue
            if field == "commune":
                commune = Commune.objects.filter(insee=chosen.value).first()
                if commune is not None:
                    updates.update(commune=commune, city=commune.name, lat=commune.lat, lon=commune.lon)
            else:
                updates[field] = chosen.value
        if updates:
            for key, value in updates.items():
                setattr(organisation, key, value)
            organisation.save(update_fields=[*updates, "updated_at"])
            changed += 1
    return changed
