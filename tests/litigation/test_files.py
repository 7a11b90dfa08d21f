"""Files of a lawsuit (issue 5): the materials filed with the court and the ruling documents,
checked by content, uploaded by the handler, downloaded by whoever may see them — the defendant
agency gets the ruling documents of rulings against it, never the materials."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from litigation import services
from litigation.models import LitigationFile, Material
from tests.litigation.conftest import file_lawsuit, first_ruling, refused

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name="判决书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def files(world):
    lawsuit = file_lawsuit(world)
    ruling = first_ruling(lawsuit)
    material = services.lawsuit_material_add(
        user=world.procurator, lawsuit=lawsuit, upload=pdf("起诉书.pdf"), material=Material.COMPLAINT
    )
    document = services.ruling_document_add(
        user=world.procurator, ruling=ruling, upload=pdf(), description="一审判决书"
    )
    return lawsuit, material, document


def test_the_handler_uploads_materials_and_ruling_documents(world, files):
    lawsuit, material, document = files
    assert (material.kind, material.material, material.ruling_id) == ("material", "complaint", None)
    assert (document.kind, document.ruling.lawsuit_id, document.content_type) == (
        "ruling_document",
        lawsuit.pk,
        "application/pdf",
    )
    assert lawsuit.case.events.filter(kind="attachment_added").count() == 2


def test_uploads_are_checked_by_content_and_only_the_handler_uploads(world, files):
    lawsuit, _material, _document = files
    fake = SimpleUploadedFile("判决书.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with refused(field="file"):
        services.lawsuit_material_add(user=world.procurator, lawsuit=lawsuit, upload=fake)
    for user in (world.procurator_colleague, world.supervisor, world.agency1_staff):
        with refused(code="permission_denied"):
            services.lawsuit_material_add(user=user, lawsuit=lawsuit, upload=pdf())
    assert LitigationFile.objects.count() == 2


# role → (material, ruling document)
DOWNLOADS = {
    "procurator": (200, 200),
    "procurator_colleague": (200, 200),
    "city_supervisor": (200, 200),
    "agency1_staff": (404, 200),  # the defendant: its rulings, never the materials
    "agency2_staff": (404, 404),
    "other_procurator": (404, 404),
    "discipline": (404, 404),
}


@pytest.mark.parametrize(("role", "expected"), DOWNLOADS.items(), ids=list(DOWNLOADS))
def test_downloads_follow_the_scope(client, world, files, role, expected):
    _lawsuit, material, document = files
    client.force_login(getattr(world, role))
    for record, code in zip((material, document), expected, strict=True):
        response = client.get(reverse("litigation_file_download", args=[record.pk]))
        assert response.status_code == code
        if code == 200:
            assert response["Content-Disposition"].startswith("attachment")
            assert b"".join(response.streaming_content) == PDF


def test_the_upload_forms_store_the_file(client, world):
    lawsuit = file_lawsuit(world)
    ruling = first_ruling(lawsuit)
    client.force_login(world.procurator)
    url = reverse("litigation_lawsuit_action", args=[lawsuit.pk, "material"])
    assert client.post(url, {"upload": pdf("证据目录.pdf"), "material": "evidence"}).status_code == 302
    url = reverse("litigation_ruling_action", args=[ruling.pk, "document"])
    assert client.post(url, {"upload": pdf()}).status_code == 302
    assert sorted(LitigationFile.objects.values_list("kind", flat=True)) == ["material", "ruling_document"]
    client.force_login(world.agency1_staff)
    assert client.post(url, {"upload": pdf()}).status_code == 403
