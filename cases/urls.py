from django.urls import include, path

from cases.views import browse

# Pages that list and show (cases/views/browse.py) and the forms that act on a case
# (cases/views/actions.py, urls in cases/urls_actions.py).
urlpatterns = [
    path("", browse.home, name="home"),
    path("leads/", browse.lead_list, name="lead_list"),
    path("leads/new/", browse.lead_create, name="lead_create"),
    path("leads/<int:pk>/", browse.lead_detail, name="lead_detail"),
    path("leads/<int:pk>/edit/", browse.lead_edit, name="lead_edit"),
    path("leads/<int:pk>/decline/", browse.lead_decline, name="lead_decline"),
    path("leads/<int:pk>/open-case/", browse.lead_open_case, name="lead_open_case"),
    path("cases/", browse.case_list, name="case_list"),
    path("cases/export.csv", browse.case_export_csv, name="case_export_csv"),
    path("cases/export.xlsx", browse.case_export_xlsx, name="case_export_xlsx"),
    path("cases/<int:pk>/", browse.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", browse.case_edit, name="case_edit"),
    path("cases/<int:pk>/history/", browse.case_history, name="case_history"),
    path("", include("cases.urls_actions")),
]
