from __future__ import annotations

from rest_framework import serializers

from accounts.models import User


class RefSerializer(serializers.Serializer):
    """A related object named by id and display name."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


class OrgRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = User


def text(*, required: bool = True, max_length: int | None = None, **kwargs) -> serializers.CharField:
    """A text input; optional ones default to "" as the services expect."""
    if not required:
        kwargs.setdefault("default", "")
    return serializers.CharField(
        required=required, allow_blank=not required, max_length=max_length, trim_whitespace=False, **kwargs
    )


class NoteInput(serializers.Serializer):
    note = text(required=False, max_length=10000)


class EmptyInput(serializers.Serializer):
    pass


# The `version` of an edit request (optimistic locking, cases.services.guards.require_version).
VERSION_HELP = (
    "Optimistic locking: the `version` read with the record. When someone saved it since, the request "
    "is refused with 409 (code conflict) and nothing changes. Omitted: not checked."
)
