"""Login lockout policy (issue 16): a lock per (username, client address), a per-username slow-down,
the client's real address behind trusted proxies, and the administrator's unlock.

django-axes counts the failures (AccessAttempt rows, one per username and address) and locks a pair
after AXES_FAILURE_LIMIT failures for AXES_COOLOFF_TIME. A lock on the username alone would let
anyone lock a supervisor out by guessing wrong on purpose; a lock on the address alone would lock a
whole procuratorate out behind its shared proxy. So across addresses a username is only slowed
down: after LOGIN_USERNAME_SLOWDOWN_AFTER failures from any addresses, each further attempt must
wait LOGIN_SLOWDOWN_SECONDS after the last failure, doubling with every failure, at most
LOGIN_SLOWDOWN_MAX_SECONDS — never locked for good.
"""

from __future__ import annotations

import datetime
import ipaddress

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest
from django.utils import timezone


def client_address(request: HttpRequest) -> str:
    """The client's address (AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT
    proxies the address the outermost one saw, the count-th entry from the right of
    CLIENT_ADDRESS_HEADER (each proxy appends the address it received the request from; entries
    further left were written by the client and prove nothing)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    entries = [part.strip() for part in request.META.get(settings.CLIENT_ADDRESS_HEADER, "").split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < count:
        return remote  # not through the expected proxies: a direct request, counted by its own address
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _seconds_until(moment: datetime.datetime, now: datetime.datetime) -> int:
    remaining = (moment - now).total_seconds()
    return max(0, int(remaining) + (remaining % 1 > 0))


def username_retry_after(username: str, *, now: datetime.datetime | None = None) -> int:
    """Seconds the username must still wait before another attempt (0: it may try now)."""
    if not username:
        return 0
    now = now or timezone.now()
    recent = AccessAttempt.objects.filter(username=username, attempt_time__gt=now - settings.AXES_COOLOFF_TIME)
    totals = recent.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    failures, last = totals["failures"] or 0, totals["last"]
    over = failures - settings.LOGIN_USERNAME_SLOWDOWN_AFTER
    if over < 0 or last is None:
        return 0
    delay = min(settings.LOGIN_SLOWDOWN_SECONDS * 2 ** min(over, 30), settings.LOGIN_SLOWDOWN_MAX_SECONDS)
    return _seconds_until(last + datetime.timedelta(seconds=delay), now)


def pair_retry_after(username: str, address: str, *, now: datetime.datetime | None = None) -> int:
    """Seconds until a locked (username, address) pair may try again (axes' cool-off)."""
    now = now or timezone.now()
    last = AccessAttempt.objects.filter(username=username, ip_address=address).aggregate(last=Max("attempt_time"))
    if last["last"] is None:
        return 0
    return _seconds_until(last["last"] + settings.AXES_COOLOFF_TIME, now)


def unlock(usernames: list[str]) -> int:
    """Clear every recorded failure of these usernames, from every address (the admin's unlock).
    Returns how many (username, address) records were cleared."""
    deleted, _ = AccessAttempt.objects.filter(username__in=usernames).delete()
    return deleted
