from django.urls import path

from referrals import views

urlpatterns = [
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/", views.referral_create_incoming, name="referral_create_incoming"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/<slug:action>/", views.referral_action, name="referral_action"),
    path("referrals/files/<int:pk>/", views.referral_file_download, name="referral_file_download"),
    path("cases/<int:case_pk>/referrals/new/", views.referral_create_outgoing, name="referral_create_outgoing"),
]
