"""Tokens: POST username and password for a token, DELETE to revoke your own.

The password goes through django.contrib.auth.authenticate with the request, so the same backends
as the login page run — accounts.backends.RateLimitedLogin (django-axes) first: failures count
against the username and address, and a locked-out pair is refused (429) even with the right
password. An administrator revokes anyone's token in the Django admin (授权令牌).
"""

from __future__ import annotations

from django.contrib.auth import authenticate, user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import InvalidCredentials, LockedOut


class TokenRequest(serializers.Serializer):
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenResponse(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class TokenView(APIView):
    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def perform_authentication(self, request: Request) -> None:
        # Asking for a token needs no prior authentication (and no CSRF token from a browser
        # session); revoking one does.
        if request.method != "POST":
            super().perform_authentication(request)

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequest,
        responses={
            200: TokenResponse,
            400: OpenApiResponse(description="Wrong username or password (code invalid_credentials)."),
            429: OpenApiResponse(description="Too many failed attempts (code locked_out)."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = TokenRequest(data=request.data)
        data.is_valid(raise_exception=True)
        http_request = request._request
        user = authenticate(
            request=http_request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None:
            # AxesMiddleware then answers a locked-out request itself, with the same JSON
            # (accounts.views.login_locked_out answers /api/ in the API's error format).
            if getattr(http_request, "axes_locked_out", False):
                raise LockedOut()
            raise InvalidCredentials()
        # A token is a login: last_login is updated and axes forgets the earlier failures.
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(operation_id="auth_token_destroy", request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
