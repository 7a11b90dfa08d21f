"""Run the whole product for development and demonstration: web, Celery worker and Celery beat.

    python scripts/run.py        (what `make run` does, inside the virtualenv)

1. migrate the database; 2. load the demo data if it is not there yet (`manage.py seed_demo`);
3. start the web server on 127.0.0.1:$PORT (default 8000), the worker and beat; 4. print the URL
and the demo logins; 5. on Ctrl-C (SIGINT), SIGTERM or SIGHUP stop all three and wait for them.
If any of the three exits by itself, the others are stopped too and the launcher fails.

The web server is Django's runserver: this is the development run (DEBUG on unless set), and
runserver reloads on code changes and, with whitenoise, serves static files straight from the
source folders without collectstatic. Production runs gunicorn (Dockerfile, docker-compose.yml).

Each child runs in its own session so that the terminal's Ctrl-C reaches only this launcher, which
then signals each child's whole process group once: the worker gets exactly one SIGINT (a warm
shutdown that finishes running tasks; a second one would be a cold shutdown), and runserver's
reloader and its server child both stop.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_USERS = [
    "procurator1",
    "procurator2",
    "supervisor1",
    "supervisor2",
    "agency1",
    "agency2",
    "discipline1",
    "admin",
]
STOP_GRACE_SECONDS = 20


def _prepare() -> None:
    """Migrate and seed in this process, before any child starts."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pil_tracker.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command, get_commands
    from django.db import connections

    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=1)
    if "seed_demo" not in get_commands():
        print("run: the seed_demo command is not available; starting without demo data.", flush=True)
    elif get_user_model().objects.filter(username=DEMO_USERS[0]).exists():
        print("run: demo data already loaded.", flush=True)
    else:
        print("run: loading the demo data (manage.py seed_demo) ...", flush=True)
        call_command("seed_demo")
    connections.close_all()


def _demo_password() -> str:
    """The password of the demo users as the seed defines it (demo/data.py; never repeated here)."""
    if os.environ.get("DEMO_PASSWORD"):
        return os.environ["DEMO_PASSWORD"]
    try:
        from demo.data import DEFAULT_PASSWORD
    except ImportError:
        return "see README.md, Demo logins"
    return DEFAULT_PASSWORD


def _pipe_output(name: str, stream, lock: threading.Lock) -> None:
    for line in iter(stream.readline, ""):
        with lock:
            sys.stdout.write(f"{name:<6} | {line}")
            sys.stdout.flush()


def _wait_for_port(port: int, children: dict[str, subprocess.Popen], timeout: float = 90) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children.values()):
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def _signal_group(child: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signum)  # the child leads its own session, so its pgid is its pid


def _stop(children: dict[str, subprocess.Popen]) -> None:
    for child in children.values():
        _signal_group(child, signal.SIGINT)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for name, child in children.items():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"run: {name} did not stop in {STOP_GRACE_SECONDS}s; killing it.", flush=True)
    for child in children.values():
        # Also reaps what a child left behind in its group (runserver's server process, pool
        # processes of the worker) if the leader exited first.
        _signal_group(child, signal.SIGKILL)
        child.wait()


def main() -> int:
    os.chdir(ROOT)
    os.environ.setdefault("DEBUG", "1")
    os.environ["PYTHONUNBUFFERED"] = "1"
    port = int(os.environ.get("PORT") or 8000)
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as runserver does
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            print(f"run: port {port} on 127.0.0.1 is in use; stop what uses it or choose another PORT.", flush=True)
            return 1

    _prepare()
    password = _demo_password()

    python = sys.executable
    commands = {
        "web": [python, "manage.py", "runserver", f"127.0.0.1:{port}"],
        "worker": [python, "-m", "celery", "-A", "pil_tracker", "worker", "--loglevel=INFO", "--concurrency=2"],
        "beat": [python, "-m", "celery", "-A", "pil_tracker", "beat", "--loglevel=INFO"],
    }

    stop_requested = threading.Event()

    def request_stop(signum, frame) -> None:
        stop_requested.set()

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, request_stop)

    children: dict[str, subprocess.Popen] = {}
    lock = threading.Lock()
    for name, command in commands.items():
        children[name] = subprocess.Popen(  # noqa: S603 - fixed commands, no shell
            command,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            start_new_session=True,
        )
    for name, child in children.items():
        threading.Thread(target=_pipe_output, args=(name, child.stdout, lock), daemon=True).start()

    exit_code = 0
    try:
        if _wait_for_port(port, children):
            with lock:
                print(
                    "\n"
                    f"  PIL Tracker is running at http://127.0.0.1:{port}/  (admin: /admin/)\n"
                    f"  Demo logins: {', '.join(DEMO_USERS)}\n"
                    f"  Password:    {password}\n"
                    "  Web, Celery worker and beat are running; press Ctrl-C to stop all three.\n",
                    flush=True,
                )
        while not stop_requested.wait(0.5):
            exited = [name for name, child in children.items() if child.poll() is not None]
            if exited:
                print(f"run: {', '.join(exited)} exited (code {children[exited[0]].returncode}); stopping.", flush=True)
                exit_code = 1
                break
    finally:
        print("run: stopping web, worker and beat ...", flush=True)
        _stop(children)
        print("run: stopped.", flush=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
