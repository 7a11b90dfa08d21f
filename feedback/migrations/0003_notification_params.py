"""The agency portal's notifications written before they were rendered when read get their
parameters (notifications/messages.py), reconstructed from the rows their key names: they then read
in the reader's language, like new ones. A row whose object is gone keeps its stored text.

Here rather than in the notifications app: that app is a lower layer and knows nothing of feedback."""

from django.db import migrations
from django.utils import translation

BATCH = 1000


def _day(value):
    return f"{value:%Y-%m-%d}" if value else ""


def _reconstruct(apps, notification):
    """The params of one legacy notification, or None when they cannot be had."""
    prefix, _, pk = notification.key.rpartition(":")
    if not pk.isdigit():
        return None
    pk = int(pk)
    if prefix == "feedback:ack" and notification.kind == "recommendation_acknowledged":
        ack = (
            apps.get_model("feedback", "Acknowledgement")
            .objects.filter(pk=pk)
            .select_related("recommendation__agency")
            .first()
        )
        if ack is None:
            return None
        recommendation = ack.recommendation
        return {
            "agency": recommendation.agency.name,
            "number": recommendation.document_number,
            "ack": _day(ack.acknowledged_on),
            "served": _day(recommendation.served_on),
        }
    if prefix == "feedback:report" and notification.kind == "feedback_submitted":
        Report = apps.get_model("feedback", "FeedbackReport")
        report = Report.objects.filter(pk=pk).select_related("recommendation__agency").first()
        if report is None:
            return None
        # The historical field's choices carry the labels' msgids, untranslated.
        with translation.override(None):  # a lazy label (the live model's) as its msgid
            labels = {value: str(label) for value, label in Report._meta.get_field("kind").choices}
        return {
            "agency": report.recommendation.agency.name,
            "report_kind": labels.get(report.kind, report.kind),
            "number": report.recommendation.document_number,
            "summary": report.summary[:500],
        }
    if prefix == "feedback:supplement" and notification.kind == "supplement_requested":
        request = (
            apps.get_model("feedback", "SupplementRequest")
            .objects.filter(pk=pk)
            .select_related("recommendation")
            .first()
        )
        if request is None:
            return None
        return {
            "number": request.recommendation.document_number,
            "due": _day(request.due_on),
            "text": request.text[:400],
        }
    if prefix == "feedback:proposal" and notification.kind == "completion_date_decided":
        proposal = (
            apps.get_model("feedback", "CompletionDateProposal").objects.filter(pk=pk).select_related("item").first()
        )
        if proposal is None or proposal.status not in ("accepted", "refused"):
            return None
        return {
            "accepted": proposal.status == "accepted",
            "n": proposal.item.number,
            "date": _day(proposal.proposed_on),
            "note": proposal.decision_note,
        }
    return None


def forwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    legacy = Notification.objects.filter(params__isnull=True, key__startswith="feedback:").order_by("pk")
    last = 0
    while True:
        rows = list(legacy.filter(pk__gt=last)[:BATCH])
        if not rows:
            break
        last = rows[-1].pk
        changed = []
        for row in rows:
            params = _reconstruct(apps, row)
            if params is not None:
                row.params = params
                changed.append(row)
        Notification.objects.bulk_update(changed, ["params"])


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0002_rectification_agreed_rule"),
        ("notifications", "0004_notification_params"),
    ]

    # Backwards: nothing to undo, the stored text was kept.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
