"""Tokens: POST username and password for a token, DELETE to revoke the one in use; the owner
lists their tokens (GET auth/tokens/) and revokes any of them (DELETE auth/tokens/{id}/). A token
expires API_TOKEN_DAYS after it was issued (accounts.tokens).

The password goes through django.contrib.auth.authenticate with the request, so the same backends
as the login page run — accounts.backends.RateLimitedLogin (django-axes) first: failures count
against the username and address, and a locked-out pair is refused (429) even with the right
password. An administrator revokes anyone's token in the Django admin (接口令牌).
"""

from __future__ import annotations

from django.contrib.auth import authenticate, user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import twofactor
from accounts.models import ApiToken, SecurityEvent
from accounts.security_log import security_event
from accounts.tokens import issue_token, revoke_tokens, tokens_of
from api.errors import InvalidCredentials, LockedOut


class SecondFactorRefused(APIException):
    """The TOTP code is missing, wrong or tried too often (429 with Retry-After)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_otp"

    def __init__(self, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        if retry_after:
            self.status_code = status.HTTP_429_TOO_MANY_REQUESTS
            self.wait = retry_after


class TokenRequest(serializers.Serializer):
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        help_text="The current TOTP code, for a user who has enabled two-factor login.",
    )


class TokenResponse(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="The key: shown only now, never again.")
    id = serializers.IntegerField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "created_at", "expires_at", "last_used_at"]


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
            400: OpenApiResponse(
                description="Wrong username or password (code invalid_credentials), or TOTP code (invalid_otp)."
            ),
            429: OpenApiResponse(description="Too many failed attempts (code locked_out or invalid_otp)."),
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
        try:
            # The second step, as on the login page (accounts.twofactor): no token without it.
            twofactor.token_second_factor(request=http_request, user=user, code=data.validated_data.get("otp", ""))
        except twofactor.CodeRefused as refused:
            raise SecondFactorRefused(refused.message, refused.retry_after) from None
        # A token is a login: last_login is updated and axes forgets the earlier failures.
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        token, key = issue_token(user=user)
        security_event(SecurityEvent.Kind.TOKEN_CREATED, user, http_request, token=token.pk)
        return Response({"token": key, "id": token.pk, "expires_at": token.expires_at})

    @extend_schema(operation_id="auth_token_destroy", request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        # The token this request came with; from a browser session, every token of the user.
        in_use = [request.auth.pk] if isinstance(request.auth, ApiToken) else None
        for token in revoke_tokens(user=request.user, token_ids=in_use):
            security_event(SecurityEvent.Kind.TOKEN_REVOKED, request.user, request._request, token=token.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListView(APIView):
    """The signed-in user's own tokens (never their keys)."""

    @extend_schema(operation_id="auth_tokens_list", responses={200: TokenSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(TokenSerializer(tokens_of(request.user), many=True).data)


class TokenDetailView(APIView):
    @extend_schema(operation_id="auth_tokens_destroy", request=None, responses={204: None, 404: None})
    def delete(self, request: Request, pk: int) -> Response:
        revoked = revoke_tokens(user=request.user, token_ids=[pk])
        if not revoked:
            raise NotFound()
        security_event(SecurityEvent.Kind.TOKEN_REVOKED, request.user, request._request, token=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
