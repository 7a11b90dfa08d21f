from django.urls import path, re_path

from litigation import approvals, views

urlpatterns = [
    # The supervisor's inbox of recommendations and proposals to sue waiting for a decision.
    path("approvals/", approvals.approval_list, name="approval_list"),
    path("cases/<int:pk>/litigation/", views.litigation_case, name="litigation_case"),
    path("cases/<int:pk>/sue/", views.case_decide_to_sue, name="case_decide_to_sue"),
    path("lawsuit-proposals/<int:pk>/approve/", views.lawsuit_proposal_approve, name="lawsuit_proposal_approve"),
    path("lawsuit-proposals/<int:pk>/return/", views.lawsuit_proposal_return, name="lawsuit_proposal_return"),
    path("cases/<int:pk>/litigation/file/", views.lawsuit_file, name="litigation_lawsuit_file"),
    path("cases/<int:pk>/litigation/close/", views.litigation_close, name="litigation_close"),
    path("cases/<int:pk>/litigation/plaintiff-suit/", views.plaintiff_suit_record, name="litigation_plaintiff_suit"),
    path(
        "litigation/plaintiff-suits/<int:pk>/support/",
        views.plaintiff_suit_support,
        name="litigation_plaintiff_support",
    ),
    re_path(
        r"^litigation/lawsuits/(?P<pk>\d+)/(?P<action>complaint-copy|defence|schedule|hearing|ruling|material)/$",
        views.lawsuit_action,
        name="litigation_lawsuit_action",
    ),
    re_path(
        r"^litigation/rulings/(?P<pk>\d+)/(?P<action>appeal|effect|compliance|enforcement|document)/$",
        views.ruling_action,
        name="litigation_ruling_action",
    ),
    re_path(
        r"^litigation/hearings/(?P<pk>\d+)/(?P<action>outcome|register|reschedule|cancel)/$",
        views.hearing_action,
        name="litigation_hearing_action",
    ),
    path("litigation/files/<int:pk>/", views.litigation_file_download, name="litigation_file_download"),
    # The agency portal's page of a lawsuit against the agency (the rest of /agency/ is feedback/urls.py).
    path("agency/lawsuits/", views.agency_lawsuits, name="agency_lawsuits"),
    path("agency/lawsuits/<int:pk>/", views.agency_lawsuit_detail, name="agency_lawsuit_detail"),
]
