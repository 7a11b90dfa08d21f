from django.urls import path, re_path

from litigation import views

urlpatterns = [
    path("cases/<int:pk>/litigation/", views.litigation_case, name="litigation_case"),
    path("cases/<int:pk>/litigation/file/", views.lawsuit_file, name="litigation_lawsuit_file"),
    path("cases/<int:pk>/litigation/close/", views.litigation_close, name="litigation_close"),
    re_path(
        r"^litigation/lawsuits/(?P<pk>\d+)/(?P<action>complaint-copy|defence|hearing|ruling)/$",
        views.lawsuit_action,
        name="litigation_lawsuit_action",
    ),
    re_path(
        r"^litigation/rulings/(?P<pk>\d+)/(?P<action>appeal|effect|compliance|enforcement)/$",
        views.ruling_action,
        name="litigation_ruling_action",
    ),
]
