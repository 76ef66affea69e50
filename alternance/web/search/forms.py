"""The search form of young people: an occupation, a place and a radius."""

from typing import NamedTuple

from django import forms

from alternance.reference import cache
from alternance.reference.models import Commune, RomeOccupation
from alternance.reference.suggest import suggest_occupations, suggest_places
from alternance.search.scoring import LEVEL_NAMES, SIZE_GROUPS

RADIUS_CHOICES = [(10, "10\u00a0km"), (30, "30\u00a0km"), (60, "60\u00a0km"), (100, "100\u00a0km")]
TYPE_CHOICES = [("", "Tout"), ("offer", "Offres"), ("company", "Entreprises"), ("training", "Formations")]
SORT_CHOICES = [("relevance", "Pertinence"), ("distance", "Distance"), ("date", "Date")]
LEVEL_CHOICES = [(str(level), f"Niveau {level} ({LEVEL_NAMES[level]})") for level in range(3, 8)]
SIZE_CHOICES = [(key, label) for key, (label, _) in SIZE_GROUPS.items()]
MAX_TEXT = 100
MAX_READINGS = 3
"""Other readings of a typed occupation offered as links (distinct fiches, in the suggestion order)."""


class Place(NamedTuple):
    """The commune a search is centred on: what the results page reads of it."""

    insee: str
    name: str
    lat: float | None
    lon: float | None


def _active_romes() -> dict[str, str]:
    return dict(RomeOccupation.objects.active().values_list("code", "label"))


def _active_communes() -> dict[str, tuple]:
    rows = Commune.objects.active().values_list("insee", "name", "lat", "lon")
    return {row[0]: row for row in rows.iterator(chunk_size=5000)}


def load_caches() -> None:
    """Fill the referential cache's ROME labels and communes (a web worker's start: alternance.web.warm)."""
    cache.cached("web:search:romes", _active_romes)
    cache.cached("web:search:communes", _active_communes)


def active_rome_labels(codes) -> dict[str, str]:
    """{code: label} of these active ROME fiches, from the referential cache (reference.cache: rebuilt after
    a new ReferenceLoad); a code missing from it is read from the database."""
    labels = cache.cached("web:search:romes", _active_romes)
    found = {code: labels[code] for code in codes if code in labels}
    missing = [code for code in codes if code not in found]
    if missing:
        found.update(RomeOccupation.objects.active().filter(code__in=missing).values_list("code", "label"))
    return found


def active_commune(insee: str) -> Place | None:
    """The active commune of this INSEE code, from the referential cache (reference.cache: rebuilt after a new
    ReferenceLoad); a code missing from it is read from the database."""
    row = cache.cached("web:search:communes", _active_communes).get(insee)
    if row is None:
        row = Commune.objects.active().filter(insee=insee).values_list("insee", "name", "lat", "lon").first()
    return Place(*row) if row else None


class SharedFields(dict):
    """The fields of a form that no instance changes: each form gets a new dict of the same field objects
    instead of a deep copy of every field, widget and choice list (Django copies them for each form)."""

    def __deepcopy__(self, memo):
        return dict(self)


def _text_messages(what: str, required: str) -> dict[str, str]:
    return {"required": required, "max_length": f"{what} doit faire {MAX_TEXT} caractères au plus : raccourcissez-le."}


class SearchForm(forms.Form):
    """Its fields are shared by every instance (SharedFields): set their messages and formats here, never in
    an instance."""

    metier = forms.CharField(
        label="Métier",
        max_length=MAX_TEXT,
        required=True,
        error_messages=_text_messages("Le métier", "Indiquez un métier, par exemple «\u00a0boulanger\u00a0»."),
    )
    rome = forms.CharField(required=False, widget=forms.HiddenInput)
    lieu = forms.CharField(
        label="Ville ou code postal",
        max_length=MAX_TEXT,
        required=True,
        error_messages=_text_messages(
            "Le lieu",
            "Indiquez une ville ou un code postal, par exemple «\u00a0Lyon\u00a0» ou «\u00a069001\u00a0».",
        ),
    )
    insee = forms.CharField(required=False, widget=forms.HiddenInput)
    rayon = forms.TypedChoiceField(
        label="Distance",
        choices=RADIUS_CHOICES,
        coerce=int,
        initial=30,
        required=False,
        error_messages={"invalid_choice": "Choisissez une distance de 10, 30, 60 ou 100 km."},
    )
    type = forms.ChoiceField(choices=TYPE_CHOICES, required=False)
    page = forms.IntegerField(min_value=1, max_value=1000, required=False)
    tri = forms.ChoiceField(label="Trier par", choices=SORT_CHOICES, required=False)
    niveau = forms.MultipleChoiceField(label="Niveau de diplôme", choices=LEVEL_CHOICES, required=False)
    taille = forms.MultipleChoiceField(label="Taille de l'entreprise", choices=SIZE_CHOICES, required=False)
    accessible = forms.BooleanField(label="Accessible aux personnes en situation de handicap", required=False)
    debut = forms.DateField(
        label="Début au plus tôt le",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Saisissez une date de début au format JJ/MM/AAAA."},
    )

    def clean_rayon(self):
        return self.cleaned_data.get("rayon") or 30

    def clean(self):
        data = super().clean()
        self._resolve_occupation(data)
        self._resolve_place(data)
        return data

    def _resolve_occupation(self, data):
        """ROME codes picked in the list, else the typed text read as the suggestion list would (its first
        suggestion), with what was understood and the other readings."""
        text = data.get("metier")
        codes = [c for c in (data.get("rome") or "").replace(" ", "").upper().split(",") if c]
        if codes:
            found = active_rome_labels(codes)
            if len(found) == len(codes):
                data["romes"] = codes
                data["rome_labels"] = [found[c] for c in codes]
                return
        if not text:
            return
        suggestions = suggest_occupations(text, MAX_READINGS * 3)
        if not suggestions:
            self.add_error(
                "metier",
                f"Aucun métier ne correspond à «\u00a0{text}\u00a0». "
                "Vérifiez l'orthographe ou essayez un mot plus court.",
            )
            return
        first = suggestions[0]
        data["romes"] = [first.rome]
        data["rome_labels"] = [first.rome_label]
        data["understood"] = first.label
        others: dict[str, str] = {}
        for doc in suggestions[1:]:
            others.setdefault(doc.rome, doc.label)
        others.pop(first.rome, None)
        data["other_readings"] = list(others.items())[:MAX_READINGS]

    def _resolve_place(self, data):
        text = data.get("lieu")
        insee = (data.get("insee") or "").strip()
        commune = active_commune(insee) if insee else None
        if commune is None and text:
            places = suggest_places(text, 1)
            commune = active_commune(places[0].insee) if places else None
        if commune is None:
            if text:
                self.add_error(
                    "lieu",
                    f"Aucune commune ne correspond à «\u00a0{text}\u00a0». "
                    "Saisissez un nom de commune ou un code postal.",
                )
            return
        if commune.lat is None or commune.lon is None:
            self.add_error("lieu", f"La position de {commune.name} est inconnue : choisissez une commune voisine.")
            return
        data["commune"] = commune


SearchForm.base_fields = SharedFields(SearchForm.base_fields)
