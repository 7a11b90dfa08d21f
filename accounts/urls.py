from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import twofactor_views, views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    # Supervisors invite agency staff; the invited person sets a password through the link.
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("users/<int:pk>/deactivate/", views.agency_user_deactivate, name="agency_user_deactivate"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
]

# TOTP two-factor login (accounts.twofactor): the second step after the password, and enrolment.
urlpatterns += [
    path("two-factor/", twofactor_views.twofactor_verify, name="twofactor_verify"),
    path("two-factor/setup/", twofactor_views.twofactor_setup, name="twofactor_setup"),
]
