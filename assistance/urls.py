from django.urls import path

from assistance import views

urlpatterns = [
    path("assistance/", views.assistance_list, name="assistance_list"),
    path("assistance/<int:pk>/", views.assistance_detail, name="assistance_detail"),
    path("agency/assistance/<int:pk>/", views.assistance_detail, name="agency_assistance_detail"),
    path("assistance/<int:pk>/answer/", views.assistance_answer, name="assistance_answer"),
    path("assistance/<int:pk>/close/", views.assistance_close, name="assistance_close"),
    path("assistance/<int:pk>/withdraw/", views.assistance_withdraw, name="assistance_withdraw"),
    path("assistance/files/<int:pk>/", views.assistance_file_download, name="assistance_file_download"),
    path("cases/<int:case_pk>/assistance/new/", views.assistance_create, name="assistance_create"),
]
