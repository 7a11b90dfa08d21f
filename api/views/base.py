"""What every resource of the API shares.

A resource reads through its scoping selector (out of scope answers 404, exactly like an id that
does not exist) and shapes the queryset so a page costs a fixed number of queries. An action
validates its input with a serializer and calls the same service as the web page; the service
decides whether the user may act (DomainError code "permission_denied" → 403) and whether the
object's state allows it (any other DomainError → 400), changing nothing when it refuses.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from accounts.models import User
from api.idempotency import IdempotentPostMixin

ID_PATTERN = "[0-9]{1,18}"  # ids are bigints; a longer number cannot exist and answers 404 by routing


class ScopedViewSet(IdempotentPostMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A read-only resource: list and detail through `scope(user)`, shaped by `shape(queryset)`.
    Its POST actions honour the `Idempotency-Key` header (api.idempotency)."""

    model: type[Model]
    lookup_value_regex = ID_PATTERN
    # Serializers per audience: procuratorate staff (internal) and agency staff (agency).
    internal_serializer: type[Serializer] | None = None
    agency_serializer: type[Serializer] | None = None

    def scope(self, user: User) -> QuerySet:
        raise NotImplementedError

    def shape(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular builds the schema without a user
            return self.model.objects.none()
        return self.shape(self.scope(self.request.user))

    @property
    def for_agency(self) -> bool:
        # The schema view runs this for anonymous visitors too (AnonymousUser has no role).
        user = getattr(self.request, "user", None)
        return bool(getattr(user, "is_agency_staff", False))

    def get_serializer_class(self) -> type[Serializer]:
        if self.agency_serializer is not None and self.for_agency:
            return self.agency_serializer
        return self.internal_serializer or self.serializer_class

    # --- actions ---------------------------------------------------------------------------------

    def validated(
        self, input_class: type[Serializer], *, partial: bool = False, upload: str | None = None
    ) -> dict[str, Any]:
        """The request body validated by `input_class`; `upload` names the file field that the
        service takes as its `upload` argument."""
        serializer = input_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if upload is not None:
            data["upload"] = data.pop(upload)
        return data

    def in_scope(self, queryset: QuerySet, pk: int) -> Any:
        """An object named in the request body (a case, a recommendation, …): 404 when out of scope."""
        return get_object_or_404(queryset, pk=pk)

    def fresh(self, pk: int) -> Any:
        """The object again, as the list and detail shape it, after an action changed it."""
        return self.get_queryset().get(pk=pk)

    def respond(self, obj: Any, *, created: bool = False, serializer_class: type[Serializer] | None = None) -> Response:
        serializer_class = serializer_class or self.get_serializer_class()
        serializer = serializer_class(obj, context=self.get_serializer_context())
        return Response(serializer.data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
