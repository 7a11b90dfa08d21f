"""The stored file's name carries the extension of its detected type, never the one the user gave
(issue 16): `{folder}/{uuid}.{ext}` from storage.services.ALLOWED_TYPES. Files stored before keep
their names and still download."""

from __future__ import annotations

import re

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Attachment
from storage.models import stored_file_path
from storage.services import store_file
from tests.cases.test_services_files import PDF
from tests.factories import CaseFactory


def test_the_stored_name_has_the_extension_of_the_detected_type(world):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    # A PDF uploaded under a misleading name is stored as .pdf.
    upload = SimpleUploadedFile("照片.png.exe", PDF, content_type="image/png")
    attachment = store_file(Attachment(case=case), upload, user=world.procurator)
    assert re.fullmatch(rf"attachments/{case.pk}/[0-9a-f]{{32}}\.pdf", attachment.file.name)
    assert attachment.original_name == "照片.png.exe" and attachment.content_type == "application/pdf"


def test_a_name_not_from_store_file_keeps_no_suffix(world):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    assert re.fullmatch(r"attachments/\d+/[0-9a-f]{32}", stored_file_path(Attachment(case=case), "x.ph p"))
    assert re.fullmatch(r"attachments/\d+/[0-9a-f]{32}", stored_file_path(Attachment(case=case), "noextension"))


def test_a_file_stored_before_keeps_its_name_and_downloads(client, world):
    case = CaseFactory(procuratorate=world.district, handler=world.procurator)
    old = Attachment(case=case, original_name="旧.pdf", content_type="application/pdf", size=len(PDF), sha256="0" * 64)
    old.uploaded_by = world.procurator
    old.file.save("legacy", ContentFile(PDF), save=False)  # the old scheme: no extension
    old.save()
    name = old.file.name
    client.force_login(world.procurator)
    response = client.get(reverse("attachment_download", args=[old.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    old.refresh_from_db()
    assert old.file.name == name and "." not in name.rsplit("/", 1)[1]
