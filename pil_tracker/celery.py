"""The Celery application, configured from Django settings (the `CELERY_` names)."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import task_success, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pil_tracker.settings")

app = Celery("pil_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_filesystem_transport_folders(sender: Celery, **kwargs) -> None:
    """Create the folders of kombu's filesystem transport and the file result backend.

    The embedded default (no REDIS_URL) keeps the queue under var/celery/. kombu does not create
    its folders and the file result backend refuses to start without its folder, so a fresh clone
    would fail on the first task sent by the web process or at worker start. The signal fires in
    every process (web, worker, beat) the first time the configuration is read.
    """
    conf = sender.conf
    if not str(conf.broker_url or "").startswith("filesystem://"):
        return
    options = conf.broker_transport_options or {}
    folders = [options.get(key) for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")]
    backend = str(conf.result_backend or "")
    if backend.startswith("file://"):
        folders.append(backend.removeprefix("file://"))
    for folder in folders:
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)


# /healthz (pil_tracker.health) reads when a worker last ran something and when the deadline scan
# last completed. pil_tracker.health imports Django's cache, so it is imported inside the handlers:
# this module is loaded before Django's settings are ready.
@app.task(name="pil_tracker.heartbeat", ignore_result=True)
def heartbeat() -> None:
    from pil_tracker.health import record

    record("worker")


@worker_ready.connect
def _heartbeat_at_start(sender=None, **kwargs) -> None:
    from pil_tracker.health import record

    record("worker")


@task_success.connect
def _deadline_scan_done(sender=None, **kwargs) -> None:
    if getattr(sender, "name", "") == "deadlines.tasks.scan_deadlines":
        from pil_tracker.health import record

        record("deadline_scan")
