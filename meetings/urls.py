from django.urls import path

from meetings import views

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_schedule, name="meeting_schedule"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/postpone/", views.meeting_postpone, name="meeting_postpone"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/hold/", views.meeting_hold, name="meeting_hold"),
    path("<int:pk>/decisions/new/", views.decision_record, name="meeting_decision_record"),
    path("decisions/<int:pk>/done/", views.decision_done, name="meeting_decision_done"),
]
