from django.urls import path

from cases.views import actions

# The forms that act on a case and its recommendations (cases/views/actions.py).
urlpatterns = [
    path("cases/<int:pk>/consultation/start/", actions.case_consultation_start, name="case_consultation_start"),
    path("cases/<int:pk>/consultation/end/", actions.case_consultation_end, name="case_consultation_end"),
    path("cases/<int:pk>/investigations/new/", actions.investigation_create, name="investigation_create"),
    path("cases/<int:pk>/consultations/new/", actions.consultation_create, name="consultation_create"),
    path("cases/<int:pk>/attachments/new/", actions.attachment_upload, name="attachment_upload"),
    path("cases/<int:pk>/recommendations/new/", actions.recommendation_create, name="recommendation_create"),
    path("cases/<int:pk>/close/", actions.case_close, name="case_close"),
    path("attachments/<int:pk>/download/", actions.attachment_download, name="attachment_download"),
    path("recommendations/<int:pk>/", actions.recommendation_detail, name="recommendation_detail"),
    path("recommendations/<int:pk>/edit/", actions.recommendation_edit, name="recommendation_edit"),
    path("recommendations/<int:pk>/submit/", actions.recommendation_submit, name="recommendation_submit"),
    path("recommendations/<int:pk>/approve/", actions.recommendation_approve, name="recommendation_approve"),
    path("recommendations/<int:pk>/return/", actions.recommendation_return, name="recommendation_return"),
    path("recommendations/<int:pk>/withdraw/", actions.recommendation_withdraw, name="recommendation_withdraw"),
    path("recommendations/<int:pk>/issue/", actions.recommendation_issue, name="recommendation_issue"),
    path("recommendations/<int:pk>/serve/", actions.recommendation_serve, name="recommendation_serve"),
    path("recommendations/<int:pk>/file/", actions.recommendation_file, name="recommendation_file"),
    path("recommendations/<int:pk>/reply/", actions.recommendation_reply, name="recommendation_reply"),
    path("recommendations/<int:pk>/evaluate/", actions.recommendation_evaluate, name="recommendation_evaluate"),
    path("recommendations/<int:pk>/document.docx", actions.recommendation_docx, name="recommendation_docx"),
]
