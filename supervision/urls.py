from django.urls import path

from supervision import views

urlpatterns = [
    path("", views.escalation_list, name="supervision_escalation_list"),
    path("escalations/<int:pk>/", views.escalation_detail, name="supervision_escalation_detail"),
    path("escalations/<int:pk>/actions/new/", views.action_create, name="supervision_action_create"),
    path("feedback-files/<int:pk>/", views.feedback_file_download, name="supervision_feedback_file_download"),
    path("action-files/<int:pk>/", views.action_file_download, name="supervision_action_file_download"),
]
