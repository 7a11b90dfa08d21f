from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from agencies.models import Organisation
from cases.models import DocumentSequence, NumberTemplate
from cases.models.reference import DEFAULT_NUMBER_TEMPLATES, DocumentType


def number_template(*, procuratorate: Organisation, document_type: str) -> str:
    templates: dict[int | None, str] = dict(
        NumberTemplate.objects.filter(document_type=document_type)
        .filter(Q(procuratorate=procuratorate) | Q(procuratorate__isnull=True))
        .values_list("procuratorate_id", "template")
    )
    return (
        templates.get(procuratorate.pk) or templates.get(None) or DEFAULT_NUMBER_TEMPLATES[DocumentType(document_type)]
    )


def number_allocate(*, procuratorate: Organisation, document_type: str, year: int) -> str:
    """The next document number: unique and gap-free per procuratorate, type and year.

    Must run inside the transaction that creates the numbered document: the sequence row stays
    locked until that transaction ends, so concurrent callers queue (PostgreSQL row lock; SQLite
    serialises writers), and a rollback returns the number.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_allocate must run inside the creating transaction")
    # Create the row if this is the year's first number; a concurrent creator makes this a no-op.
    DocumentSequence.objects.bulk_create(
        [DocumentSequence(procuratorate=procuratorate, document_type=document_type, year=year)],
        ignore_conflicts=True,
    )
    sequence = DocumentSequence.objects.select_for_update().get(
        procuratorate=procuratorate, document_type=document_type, year=year
    )
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    template = number_template(procuratorate=procuratorate, document_type=document_type)
    return template.format(short=procuratorate.short_name or procuratorate.name, year=year, n=sequence.last_number)
