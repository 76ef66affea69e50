"""Pages of the search journey: the home page, the results, and the HTMX suggestion partials."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_safe

from alternance.reference.suggest import suggest_occupations, suggest_places
from alternance.search.services import search
from alternance.search.types import KINDS, SearchError, SearchFilters
from alternance.web.decorators import rate_limited
from alternance.web.templatetags.alternance_tags import km

from .forms import RADIUS_CHOICES, SearchForm

PAGE_SIZE_ALL = 10
PAGE_SIZE_ONE = 20
KIND_TITLES = {
    "offer": "Offres d'apprentissage",
    "company": "Entreprises à qui proposer une candidature spontanée",
    "training": "Formations en apprentissage",
}


@require_safe
def home(request):
    return render(request, "search/home.html", {"form": SearchForm(), "title": "Rechercher"})


@require_GET
@rate_limited("search", methods=("GET",))
def results(request):
    form = SearchForm(request.GET)
    context = {"form": form, "title": "Résultats de recherche", "result": None, "groups": []}
    if not form.is_valid():
        context["title"] = "Erreur dans la recherche"
        return render(request, "search/results.html", context, status=200)
    data = form.cleaned_data
    commune = data["commune"]
    only = data.get("type") or ""
    page = data.get("page") or 1
    types = {only} if only else set(KINDS)
    page_size = PAGE_SIZE_ONE if only else PAGE_SIZE_ALL
    try:
        result = search(
            romes=data["romes"],
            lat=commune.lat,
            lon=commune.lon,
            radius_km=data["rayon"],
            types=types,
            page=page,
            page_size=page_size,
            sort=data.get("tri") or "relevance",
            filters=SearchFilters(
                levels=frozenset(int(level) for level in data.get("niveau") or []),
                start_from=data.get("debut"),
                sizes=frozenset(data.get("taille") or []),
                accessible=bool(data.get("accessible")),
            ),
        )
    except SearchError as error:
        form.add_error(None, error.message)
        return render(request, "search/results.html", context)
    groups = []
    for kind in KINDS:
        if kind not in types:
            continue
        kind_result = result.kind(kind)
        group = {
            "kind": kind,
            "title": KIND_TITLES[kind],
            "total": kind_result.total,
            "items": kind_result.items,
            "nearest": kind_result.nearest,
            "page_obj": None,  # a missing key costs the template three failed look-ups
        }
        if only:
            paginator = Paginator(range(kind_result.total), page_size)
            group["page_obj"] = paginator.get_page(page)
        groups.append(group)
    map_data = {
        "center": {"lat": commune.lat, "lon": commune.lon},
        "radius_km": result.radius_km,
        "tiles": settings.MAP_TILE_URL,
        "items": [
            {"type": item.type, "title": item.title, "lat": item.lat, "lon": item.lon, "distance": km(item.distance_km)}
            for group in groups
            for item in group["items"]
        ],
    }
    query = {name: values for name, values in request.GET.lists() if name not in ("page", "type")}
    # links to another occupation (other readings, neighbouring fiches) keep the place and the filters
    elsewhere = {name: values for name, values in query.items() if name not in ("metier", "rome", "lieu", "insee")}
    elsewhere.update({"lieu": [commune.name], "insee": [commune.insee]})
    wider = _wider_radius(result.radius_km)
    wider_query = {**query, "rayon": [str(wider or "")]}
    context.update(
        {
            "result": result,
            "groups": groups,
            "commune": commune,
            "rome_labels": data["rome_labels"],
            "only": only,
            "base_query": _urlencode(query),
            "occupation_query": _urlencode(elsewhere),
            "understood": data.get("understood", ""),
            "other_readings": data.get("other_readings", []),
            "active_filters": _active_filters(data),
            "wider_radius": wider,
            "wider_query": _urlencode(wider_query),
            "map_data": map_data,
            "has_demo": any(getattr(item, "is_demo", False) for group in groups for item in group["items"]),
            "level_facets": _facet_choices(form.fields["niveau"].choices, result.facets.get("levels", {})),
            "size_facets": _facet_choices(form.fields["taille"].choices, result.facets.get("sizes", {})),
            "title": f"{', '.join(data['rome_labels'])} autour de {commune.name}",
        }
    )
    return render(request, "search/results.html", context)


def _urlencode(lists: dict[str, list[str]]) -> str:
    """`QueryDict.urlencode()` of {name: [values]} (same order, same quoting), without QueryDict's deep copies."""
    return urlencode([(name, value) for name, values in lists.items() for value in values])


def _active_filters(data) -> int:
    """Number of filters set (each level, each size, accessibility, start date), shown on the folded filters."""
    return (
        len(data.get("niveau") or [])
        + len(data.get("taille") or [])
        + bool(data.get("accessible"))
        + bool(data.get("debut"))
    )


def _wider_radius(radius_km: float) -> int | None:
    """The next distance of the form's choices, or None at the largest: never propose more than it."""
    return next((value for value, _ in RADIUS_CHOICES if value > radius_km), None)


def _facet_choices(choices, counts) -> list[dict]:
    """Checkbox options with the number of results each would give (ignoring its own filter)."""
    return [
        {
            "value": value,
            "label": label,
            "count": counts.get(value, counts.get(int(value) if value.isdigit() else value, 0)),
        }
        for value, label in choices
    ]


@require_GET
def suggest_occupation_options(request):
    text = (request.GET.get("metier") or "").strip()[:100]
    options = [
        {"value": d.rome, "label": d.label, "hint": d.rome_label if d.rome_label != d.label else ""}
        for d in (suggest_occupations(text, 8) if text else [])
    ]
    return render(request, "search/_suggestions.html", {"options": options, "prefix": "metier"})


@require_GET
def suggest_place_options(request):
    text = (request.GET.get("lieu") or "").strip()[:100]
    options = [
        {"value": p.insee, "label": p.name, "hint": f"{' '.join(p.postcodes[:1])} ({p.departement})"}
        for p in (suggest_places(text, 8) if text else [])
    ]
    return render(request, "search/_suggestions.html", {"options": options, "prefix": "lieu"})
