"""The CFA's three answers to an appointment request, shared by the page of the signed link
(views.appointment_answer) and the organisation's inbox (web/organisations/space.py): one handling of the
forms, one template (`job_applications/_appointment_answer_forms.html`), the domain's answer_appointment."""

from alternance.job_applications import rules, services
from alternance.job_applications.models import AppointmentRequest
from alternance.job_applications.services import RequestError
from alternance.job_applications.workflow import (
    APPOINTMENT_LABELS,
    AppointmentStatus,
    AppointmentTransition,
    allowed_appointment_transitions,
)
from alternance.search.scoring import date_fr

from .forms import AppointmentDateForm, CallbackForm, DeclineForm, attach_error

FORMS = {
    AppointmentTransition.PROPOSE_DATE: AppointmentDateForm,
    AppointmentTransition.CALL_BACK: CallbackForm,
    AppointmentTransition.DECLINE: DeclineForm,
}


def handle(request, appointment: AppointmentRequest, by=None) -> tuple[bool, dict]:
    """Answer the request when the POST holds a valid answer still allowed; (answered now, page context).
    `by`: the organisation whose space answers (None: the signed link, the CFA asked)."""
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {t: cls(request.POST if action == t else None, prefix=t.value) for t, cls in FORMS.items()}
    allowed = allowed_appointment_transitions(appointment.status)
    if action in {t.value for t in FORMS} and action in allowed:
        form = forms[AppointmentTransition(action)]
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.answer_appointment(
                    appointment, action, message=data.get("message", ""), reason=data.get("reason", ""),
                    proposed_date=data.get("proposed_date"), by=by,
                )  # fmt: skip
            except RequestError as exc:
                attach_error(form, exc)
            else:
                return True, {}
    return False, {
        "appointment": appointment,
        "status_label": APPOINTMENT_LABELS.get(appointment.status, appointment.status),
        "reason_labels": [rules.APPOINTMENT_REASONS.get(x, x) for x in appointment.reasons],
        "decline_label": rules.APPOINTMENT_DECLINE_REASONS.get(appointment.decline_reason, ""),
        "sent_fr": date_fr(appointment.created_at.date()),
        "date_form": forms[AppointmentTransition.PROPOSE_DATE]
        if AppointmentTransition.PROPOSE_DATE in allowed
        else None,
        "callback_form": forms[AppointmentTransition.CALL_BACK] if AppointmentTransition.CALL_BACK in allowed else None,
        "decline_form": forms[AppointmentTransition.DECLINE] if AppointmentTransition.DECLINE in allowed else None,
        "answered": appointment.status != AppointmentStatus.NEW,
        "done": request.GET.get("fait", ""),
    }
