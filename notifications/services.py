"""Every write to notifications: creating them, delivering their email, the agency digest, reading.

Delivery is safe to run twice, and still sends once:

- `notifications_create` inserts the rows in the caller's transaction, under a unique constraint
  on (recipient, key), and enqueues their email only after commit — a rolled-back save sends
  nothing, and a broker that is down at that moment only leaves the row pending.
- `notification_deliver` and `agency_digests_send` claim rows with a conditional UPDATE before
  sending, so a retry, the sweeper and a second worker never send the same email twice.
- `notifications_sweep` (every few minutes) re-enqueues whatever is still unsent: it looks at the
  rows, not at what happened, so a lost message, a crashed worker or a mail-server outage is
  repaired on the next run.
"""

from __future__ import annotations

import datetime
import json
import logging
import smtplib
import uuid
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F, Field
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from accounts.models import Role, User
from notifications.models import EmailPreference, Notification

logger = logging.getLogger(__name__)

Status = Notification.EmailStatus

# Errors worth trying again later: the mail server is down, slow, or refuses for now.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)
# The delivery task's retry schedule (its countdowns never exceed RETRY_BACKOFF_MAX).
RETRY_BACKOFF = 30
RETRY_BACKOFF_MAX = 30 * 60
MAX_RETRIES = 6
# A new email is enqueued on commit; the sweeper takes it over only after this grace period, so in
# the normal case the two do not race (and if they do, the claim decides).
SWEEP_GRACE = datetime.timedelta(minutes=5)
# How long one delivery may hold its claim before the sweeper decides its worker died.
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)
# After the delivery task has used up its retries, the sweeper tries again this much later.
FAILED_RETRY_AFTER = datetime.timedelta(hours=1)
SWEEP_BATCH = 1000


def _max_attempts() -> int:
    """Attempts after which a failed email is left to an administrator (admin action "resend")."""
    return getattr(settings, "NOTIFICATIONS_EMAIL_MAX_ATTEMPTS", 50)


@dataclass(frozen=True)
class NotificationSpec:
    """One notification to create. `key` says what it is about (e.g. "deadline:42:overdue");
    a recipient gets at most one notification per key, ever.

    `params` are what the kind's renderer reads (notifications/messages.py); `title` and `body` are
    stored text, for a notification without params only (the rows of migration 0004)."""

    recipient_id: int
    kind: str
    url: str
    key: str
    params: dict | None = None
    title: str = ""
    body: str = ""


def notify(*, kind: str, recipients: Iterable[int], key: str, params: dict, url: str = "") -> int:
    """Notify each of `recipients` (user ids) once per `key`; return how many were notified now.

    The one entry point of the apps that notify: it stores the kind and its parameters, and the
    text is rendered when the notification is read, in the reader's language
    (notifications/messages.py says which parameters each kind takes). Run it in the transaction
    that decides to notify; the emails go out after commit (notifications_create).
    """
    specs = [NotificationSpec(recipient_id=pk, kind=kind, url=url, key=key, params=params) for pk in recipients]
    return notifications_create(specs=specs)


def notifications_create(*, specs: list[NotificationSpec]) -> int:
    """Insert the notifications of `specs` that do not exist yet; return how many were inserted.

    One INSERT … ON CONFLICT DO NOTHING under the (recipient, key) constraint: however often and in
    however many workers a job calls this with the same specs, each recipient is notified once.
    Run it inside the transaction that decides to notify; the emails are enqueued after commit.

    Email status at creation: no address or inactive user → skipped; agency staff whose agency
    receives the daily digest → digest; everyone else → pending.

    Set-based: the statement reads the recipients and their agencies' digest preference itself (a
    join, not a query per spec) and returns the rows it inserted (RETURNING), so a call costs one
    statement per _INSERT_BATCH specs whatever their number — the deadline scan sends hundreds of
    thousands through here.
    """
    if not specs:
        return 0
    unknown = {spec.kind for spec in specs} - set(Notification.Kind.values)
    if unknown:
        raise ValueError(f"Unknown notification kind(s): {sorted(unknown)}")

    # The same (recipient, key) twice in one call: the first one counts.
    rows: dict[tuple[int, str], NotificationSpec] = {}
    for spec in specs:
        rows.setdefault((spec.recipient_id, spec.key), spec)
    now = timezone.now()
    token = uuid.uuid4()
    batch = _insert_batch_size()
    unique = list(rows.values())
    inserted: list[tuple[int, str]] = []
    for start in range(0, len(unique), batch):
        inserted += _insert(unique[start : start + batch], now=now, token=token)
    pending = sorted(pk for pk, status in inserted if status == Status.PENDING)
    if pending:
        transaction.on_commit(partial(enqueue_delivery, pending))
    return len(inserted)


# Specs per INSERT on PostgreSQL (six arrays of this length in one statement).
_INSERT_BATCH = 5000
# The columns of each spec in the statement's row source, in this order.
_SPEC_COLUMNS = ("recipient_id", "kind", "stored_title", "stored_body", "url", "key", "params")


def _insert_batch_size() -> int:
    if connection.vendor == "postgresql":
        return _INSERT_BATCH
    # One parameter per spec column (the ordinal is a literal), plus the statement's constants.
    limit = connection.features.max_query_params or 999
    return max(1, (limit - 16) // len(_SPEC_COLUMNS))


def _insert(specs: list[NotificationSpec], *, now: datetime.datetime, token: uuid.UUID) -> list[tuple[int, str]]:
    """INSERT … SELECT … ON CONFLICT DO NOTHING of `specs` (already unique per (recipient, key));
    return (id, email_status) of the rows inserted.

    The specs are a CTE `s` with an ordinal: on PostgreSQL unnest() of one array per column,
    elsewhere a VALUES list. The rows are inserted recipient by recipient, each recipient's in the
    order of the specs (so their ids, which break ties in the list's order, follow it as with
    bulk_create): grouped like this the indexes that start with the recipient are written in runs,
    about a quarter faster than in the interleaved order of a scan's specs. Specs whose recipient
    no longer exists fall out of the join with the users. Every column of the model is set here:
    Django's defaults are Python-side, so the table has none.
    """
    qn = connection.ops.quote_name
    columns = ", ".join(qn(name) for name in _SPEC_COLUMNS)
    # The JSON of each params dict once: a scan passes the same dict for every recipient of an alert.
    dumped: dict[int, str] = {}
    rows = [
        (spec.recipient_id, spec.kind, spec.title[:200], spec.body, spec.url, spec.key, _json(spec.params, dumped))
        for spec in specs
    ]
    if connection.vendor == "postgresql":
        arrays = ", ".join(["CAST(%s AS bigint[])"] + ["CAST(%s AS text[])"] * (len(_SPEC_COLUMNS) - 1))
        source = f"SELECT * FROM unnest({arrays}) WITH ORDINALITY"  # noqa: S608 (placeholders only)
        params: list = [list(column) for column in zip(*rows, strict=True)]
    else:
        placeholders = ", ".join(["%s"] * len(_SPEC_COLUMNS))
        source = "VALUES " + ", ".join(f"({placeholders}, {n})" for n in range(len(rows)))
        params = [value for row in rows for value in row]

    # The email status, as notifications_create's docstring says: no address or inactive → skipped;
    # agency staff whose agency takes the digest (its EmailPreference, else the site's default) →
    # digest; else pending.
    status = (
        "CASE WHEN COALESCE(u.email, '') = '' OR NOT u.is_active THEN %s"
        " WHEN u.role = %s AND u.organisation_id IS NOT NULL AND COALESCE(p.daily_digest, %s) THEN %s"
        " ELSE %s END"
    )
    default_digest = bool(getattr(settings, "NOTIFICATIONS_AGENCY_DIGEST", True))
    params += [Status.SKIPPED.value, Role.AGENCY_STAFF.value, default_digest, Status.DIGEST.value, Status.PENDING.value]

    # Each column of the model: (expression, parameters), in the order of the model's fields.
    def constant(name: str, value) -> tuple[str, list]:
        field = _field(name)
        return _typed(field, "%s"), [field.get_db_prep_value(value, connection)]

    def null(name: str) -> tuple[str, list]:
        return _typed(Notification._meta.get_field(name), "NULL"), []

    due_sql, due_params = constant("email_due_at", now)
    values: dict[str, tuple[str, list]] = {
        name: (f"t.{qn(name)}", []) for name in ("kind", "stored_title", "stored_body", "url", "key")
    }
    values |= {
        "recipient_id": (f"t.{qn('recipient_id')}", []),
        "params": (_typed(Notification._meta.get_field("params"), f"t.{qn('params')}"), []),
        "created_at": constant("created_at", now),
        "read_at": null("read_at"),
        "email_status": ("t.email_status", []),
        "email_attempts": constant("email_attempts", 0),
        "email_last_error": constant("email_last_error", ""),
        "email_sent_at": null("email_sent_at"),
        "email_due_at": (f"CASE WHEN t.email_status = %s THEN {due_sql} END", [Status.PENDING.value, *due_params]),
        "email_batch": null("email_batch"),
        "insert_token": constant("insert_token", token),
    }
    fields = [field for field in Notification._meta.concrete_fields if not field.primary_key]
    if {field.attname for field in fields} != set(values):
        # A field added to the model must get its value here, or the INSERT would miss it.
        raise ImproperlyConfigured(
            "notifications_create does not match the model's columns: "
            f"{sorted({field.attname for field in fields} ^ set(values))}"
        )
    select = []
    for field in fields:
        expression, field_params = values[field.attname]
        select.append(expression)
        params += field_params

    # Table and column names come from the models; every value is a parameter.
    sql = (
        f"WITH s ({columns}, ord) AS ({source}),"  # noqa: S608
        f" t AS (SELECT s.*, {status} AS email_status FROM s"
        f" JOIN {qn(User._meta.db_table)} u ON u.id = s.{qn('recipient_id')}"
        f" LEFT JOIN {qn(EmailPreference._meta.db_table)} p ON p.organisation_id = u.organisation_id)"
        f" INSERT INTO {qn(Notification._meta.db_table)} ({', '.join(qn(_column(field.name)) for field in fields)})"
        f" SELECT {', '.join(select)} FROM t WHERE 1 = 1 ORDER BY t.{qn('recipient_id')}, t.ord"
        f" ON CONFLICT ({qn(_column('recipient'))}, {qn(_column('key'))}) DO NOTHING"
    )
    with connection.cursor() as cursor:
        if connection.features.can_return_rows_from_bulk_insert:
            cursor.execute(f"{sql} RETURNING {qn(_column('id'))}, {qn(_column('email_status'))}", params)
            return [tuple(row) for row in cursor.fetchall()]
        cursor.execute(sql, params)
    # SQLite before 3.35 has no RETURNING: the rows still carrying this call's token are the ones
    # it inserted, found on the unique index (recipient, key).
    return list(
        Notification.objects.filter(
            recipient_id__in={spec.recipient_id for spec in specs},
            key__in={spec.key for spec in specs},
            insert_token=token,
        ).values_list("pk", "email_status")
    )


def _field(name: str) -> Field:
    # get_field() may also answer a reverse relation; every name used here is a column of the table.
    field = Notification._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        raise ImproperlyConfigured(f"Notification.{name} is not a column")
    return field


def _json(params: dict | None, dumped: dict[int, str]) -> str | None:
    if params is None:
        return None
    key = id(params)
    if key not in dumped:
        dumped[key] = json.dumps(params, cls=DjangoJSONEncoder, ensure_ascii=False)
    return dumped[key]


def _column(name: str) -> str:
    return str(_field(name).column)


def _typed(field, placeholder: str) -> str:
    """A value in the statement's select list, cast on PostgreSQL to the column's type (a CASE
    branch or a NULL would otherwise be text); SQLite takes it as it is."""
    if connection.vendor == "postgresql":
        return f"CAST({placeholder} AS {field.db_type(connection)})"
    return placeholder


def enqueue_delivery(notification_ids: list[int]) -> int:
    """Hand emails to the delivery task; return how many were enqueued. Never raises.

    Called after commit: the user's save is already done, so a broker that is down must not turn
    it into an error page. The rows stay pending and the sweeper enqueues them later; after the
    first failure the rest are left to it too, rather than waiting on a dead broker once per row.

    One message per email (the task's retries are per email), all published through one producer
    taken from the pool once, not once per message.
    """
    from notifications.tasks import deliver_notification  # notifications.tasks imports this module

    if not notification_ids:
        return 0
    app = deliver_notification.app
    # Tasks that run in-process (CELERY_TASK_ALWAYS_EAGER) need no broker connection.
    producing = nullcontext() if app.conf.task_always_eager else app.producer_or_acquire()
    done = 0
    try:
        with producing as producer:
            for pk in notification_ids:
                deliver_notification.apply_async((pk,), producer=producer)
                done += 1
    except Exception:
        if done < len(notification_ids):
            logger.warning(
                "Could not enqueue the email of notification %s; %d notification(s) stay pending "
                "for the sweeper (deliver_pending_notifications).",
                notification_ids[done],
                len(notification_ids) - done,
                exc_info=True,
            )
        else:
            logger.warning("Enqueued %d email(s), then the broker connection failed.", done, exc_info=True)
    return done


def notification_deliver(*, notification_id: int, last_attempt: bool = False) -> bool:
    """Send the email of one pending notification; return True if this call sent it.

    The claim (pending → sending) comes first: of two runs for the same row — a retry and the
    sweeper, or two workers — only the one whose UPDATE changed the row sends. On an error the
    error is recorded and re-raised for the task to retry: a transient error puts the row back to
    pending, unless this is the task's last attempt or the error is not transient, which marks it
    failed (the sweeper tries failed rows again later).
    """
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, email_status=Status.PENDING).update(
        email_status=Status.SENDING,
        email_attempts=F("email_attempts") + 1,
        email_due_at=now + CLAIM_TIMEOUT,
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    ours = Notification.objects.filter(pk=notification_id, email_status=Status.SENDING)
    recipient = notification.recipient
    if not recipient.email or not recipient.is_active:
        ours.update(email_status=Status.SKIPPED, email_due_at=None)
        return False
    try:
        _notification_email(notification).send()
    except Exception as exc:
        due: datetime.datetime | None
        if isinstance(exc, TRANSIENT_ERRORS) and not last_attempt:
            # The task retries within RETRY_BACKOFF_MAX; the sweeper steps in only if it does not.
            status, due = Status.PENDING, now + datetime.timedelta(seconds=RETRY_BACKOFF_MAX)
        else:
            # Failed: the sweeper tries again later, until the attempts run out; then the row leaves
            # the sweeper's index (no due time) and waits for an administrator.
            retry = notification.email_attempts < _max_attempts()
            status, due = Status.FAILED, (now + FAILED_RETRY_AFTER if retry else None)
        ours.update(email_status=status, email_last_error=_describe(exc), email_due_at=due)
        logger.warning("Email of notification %s failed (%s): %s", notification_id, status, exc)
        raise
    ours.update(email_status=Status.SENT, email_sent_at=timezone.now(), email_last_error="", email_due_at=None)
    return True


def agency_digests_send(*, today: datetime.date | None = None) -> int:
    """Send each agency user one email listing their notifications waiting for the digest; return
    the number of emails sent.

    Takes every digest notification created before the end of `today` (China Standard Time), so a
    missed day is caught up by the next run. Claims them all first (digest → sending, with this
    run's batch id): a second run, at the same time or later, finds nothing to send. A failed email
    puts its user's items back to digest for the retry or the next day, and the first error is
    re-raised after everyone else has been served.
    """
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
    batch = uuid.uuid4()
    now = timezone.now()
    claimed = Notification.objects.filter(email_status=Status.DIGEST, created_at__lt=cutoff).update(
        email_status=Status.SENDING,
        email_batch=batch,
        email_attempts=F("email_attempts") + 1,
        email_due_at=now + CLAIM_TIMEOUT,
    )
    if not claimed:
        return 0
    claimed_rows = Notification.objects.filter(email_batch=batch, email_status=Status.SENDING)
    recipient_ids = sorted(set(claimed_rows.values_list("recipient_id", flat=True)))
    recipients = User.objects.select_related("organisation").in_bulk(recipient_ids)
    sent = 0
    first_error: Exception | None = None
    for recipient_id in recipient_ids:
        recipient = recipients[recipient_id]
        mine = claimed_rows.filter(recipient_id=recipient_id)
        if not recipient.email or not recipient.is_active:
            mine.update(email_status=Status.SKIPPED, email_due_at=None)
            continue
        try:
            _digest_email(recipient, list(mine.order_by("created_at", "id")), today).send()
        except Exception as exc:
            mine.update(
                email_status=Status.DIGEST, email_batch=None, email_last_error=_describe(exc), email_due_at=None
            )
            logger.warning("Digest email to user %s failed: %s", recipient_id, exc)
            first_error = first_error or exc
            continue
        mine.update(email_status=Status.SENT, email_sent_at=timezone.now(), email_last_error="", email_due_at=None)
        sent += 1
    if first_error is not None:
        raise first_error
    return sent


def notifications_sweep(
    *,
    now: datetime.datetime | None = None,
    grace: datetime.timedelta = SWEEP_GRACE,
    enqueue: Callable[[list[int]], int] = enqueue_delivery,
) -> int:
    """Repair email delivery from the state of the rows; return how many emails were re-enqueued.

    1. A claim past its time was abandoned by a dead worker: the row goes back to pending (or to
       the digest).
    2. A failed email with attempts left is made pending again (the mail server may be back).
    3. A pending email older than `grace` was never delivered — its enqueue failed (broker down),
       or its message or retry was lost — so it is enqueued again, oldest first, in batches.
    """
    now = now or timezone.now()
    unfinished = Notification.objects.filter(email_due_at__lte=now)
    unfinished.filter(email_status=Status.SENDING, email_batch__isnull=True).update(email_status=Status.PENDING)
    unfinished.filter(email_status=Status.SENDING, email_batch__isnull=False).update(
        email_status=Status.DIGEST, email_batch=None, email_due_at=None
    )
    unfinished.filter(email_status=Status.FAILED, email_attempts__lt=_max_attempts()).update(
        email_status=Status.PENDING, email_due_at=now - grace
    )
    ids = list(
        Notification.objects.filter(email_status=Status.PENDING, email_due_at__lte=now - grace)
        .order_by("email_due_at", "id")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    if not ids:
        return 0
    # Not again before the next grace period, so a slow queue does not fill with copies.
    Notification.objects.filter(pk__in=ids, email_status=Status.PENDING).update(email_due_at=now)
    enqueue(ids)
    return len(ids)


def deliver_now(notification_ids: list[int]) -> int:
    """Deliver in this process (for `manage.py send_notifications` on sites without a worker)."""
    sent = 0
    for pk in notification_ids:
        try:
            sent += notification_deliver(notification_id=pk)
        except Exception:
            logger.warning("Email of notification %s failed; it will be tried again.", pk, exc_info=True)
    return sent


def notifications_resend(*, notification_ids: list[int]) -> int:
    """Make failed or skipped emails pending again with a fresh count of attempts (admin action)."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Notification.objects.filter(
                pk__in=notification_ids, email_status__in=[Status.FAILED, Status.SKIPPED]
            ).values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids).update(
            email_status=Status.PENDING, email_attempts=0, email_last_error="", email_due_at=now, email_batch=None
        )
        if ids:
            transaction.on_commit(partial(enqueue_delivery, ids))
    return len(ids)


def notifications_withdraw_email(*, keys: list[str]) -> int:
    """The items announced under these keys are settled (a deadline met or cancelled, its case
    closed): their emails that have not gone out are not sent. Returns how many were stopped.

    Only rows still waiting are touched (pending, digest, failed-and-retryable); the filter on
    email_status lets PostgreSQL use the partial indexes of the waiting rows."""
    if not keys:
        return 0
    return Notification.objects.filter(
        key__in=keys,
        email_status__in=[
            Notification.EmailStatus.PENDING,
            Notification.EmailStatus.DIGEST,
            Notification.EmailStatus.FAILED,
        ],
    ).update(email_status=Notification.EmailStatus.SKIPPED)


def notification_mark_read(*, user: User, notification: Notification) -> bool:
    """Mark one of the user's own notifications read; False if it already was."""
    return bool(
        Notification.objects.filter(pk=notification.pk, recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; return how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def absolute_url(url: str) -> str:
    """A link for an email: the site's address (SITE_URL) in front of an internal path."""
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    if site and url.startswith("/"):
        return site + url
    return url


def _notification_email(notification: Notification) -> EmailMessage:
    context = {
        "notification": notification,
        "recipient": notification.recipient,
        "link": absolute_url(notification.url),
    }
    with translation.override(_language_of(notification.recipient)):
        subject = render_to_string("notifications/email/notification_subject.txt", context)
        body = render_to_string("notifications/email/notification_body.txt", context)
    return EmailMessage(subject=_one_line(subject), body=body, to=[notification.recipient.email])


def _digest_email(recipient: User, items: list[Notification], today: datetime.date) -> EmailMessage:
    context = {
        "recipient": recipient,
        "organisation": recipient.organisation,
        "items": [(item, absolute_url(item.url)) for item in items],
        "count": len(items),
        "today": today,
        "list_link": absolute_url(_list_path()),
    }
    with translation.override(_language_of(recipient)):
        subject = render_to_string("notifications/email/digest_subject.txt", context)
        body = render_to_string("notifications/email/digest_body.txt", context)
    return EmailMessage(subject=_one_line(subject), body=body, to=[recipient.email])


def _language_of(user: User) -> str:
    """The language an email to `user` is written in: theirs (set by the language switch), else
    the site's. The notifications in it render in that language too (notifications/messages.py)."""
    return user.language or settings.LANGUAGE_CODE


def _list_path() -> str:
    try:
        return reverse("notifications:list")
    except NoReverseMatch:  # the app's URLs are not mounted (e.g. a worker-only configuration)
        return ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]
