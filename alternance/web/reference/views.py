"""Staff page: the referentials' last loads (which version of which source) and the monthly refreshes."""

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from alternance.reference.models import ReferenceLoad, ReferenceRefresh
from alternance.reference.sources import all_datasets, all_publishers


@staff_member_required
@require_GET
def referentials(request):
    labels = {dataset.name: dataset.label for dataset in all_datasets()}
    loads = []
    for load in ReferenceLoad.objects.order_by("-pk")[:5]:
        used = load.sources.get("used", {})
        loads.append(
            {
                "load": load,
                "used": [(labels.get(name, name), where) for name, where in used.items()],
                "missing": list(load.sources.get("missing", {}).values()),
                "notes": load.sources.get("notes", []),
                "skipped": load.sources.get("skipped", False),
            }
        )
    publishers = [(labels.get(name, name), entry) for name, entry in all_publishers().items()]
    context = {
        "loads": loads,
        "refreshes": ReferenceRefresh.objects.all()[:12],
        "publishers": publishers,
        "title": "Référentiels officiels",
    }
    return render(request, "reference/referentials.html", context)
