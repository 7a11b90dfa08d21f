from django.urls import path

from inspections import views

urlpatterns = [
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path("inspections/<int:pk>/hold/", views.inspection_hold, name="inspection_hold"),
    path("inspections/<int:pk>/cancel/", views.inspection_cancel, name="inspection_cancel"),
    path("inspections/<int:pk>/findings/new/", views.finding_create, name="inspection_finding_create"),
    path("inspection-findings/<int:pk>/make-lead/", views.finding_make_lead, name="inspection_finding_make_lead"),
]
