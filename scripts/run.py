"""Run the whole product for demonstration or development: web, Celery worker and Celery beat.

    python scripts/run.py        (`make run`: DEBUG off, the product as a newcomer should see it)
    python scripts/run.py --dev  (`make dev`: DEBUG on, runserver reloads on code changes)

1. migrate the database; 2. load the demo data if it is not there yet (`manage.py seed_demo`);
3. start the web server on 127.0.0.1:$PORT (default 8000), the worker and beat; 4. print the URL
and the demo logins (demo/data.py, DEMO_USERS); 5. on Ctrl-C (SIGINT), SIGTERM or SIGHUP stop all
three and wait for them. If any of the three exits by itself, the others are stopped too and the
launcher fails.

`make run` serves with DEBUG off (`launcher_environment`): the product's own 404/403/500 pages,
never Django's debug page with the URL list; the secret key is the one generated once into
var/secret_key (pil_tracker.env.env_secret_key; var/ is not committed) unless SECRET_KEY is set;
ALLOWED_HOSTS covers 127.0.0.1 and localhost. The web server is Django's runserver without its
reloader; production runs gunicorn (Dockerfile, docker-compose.yml).

Each child runs in its own session so that the terminal's Ctrl-C reaches only this launcher, which
then signals each child's whole process group once: the worker gets exactly one SIGINT (a warm
shutdown that finishes running tasks; a second one would be a cold shutdown), and runserver's
reloader and its server child both stop.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOP_GRACE_SECONDS = 20
LOCAL_HOSTS = ("127.0.0.1", "localhost")


def launcher_environment(*, dev: bool, environ: Mapping[str, str]) -> dict[str, str]:
    """The variables the launcher sets for itself and its three children, given the caller's.

    The target decides DEBUG, whatever the shell exported: `make run` shows the product (DEBUG off),
    `make dev` is for developers (DEBUG on). ALLOWED_HOSTS keeps the caller's hosts and adds the
    address the server listens on.

    Static files with DEBUG off: runserver no longer serves them, whitenoise does. This run serves
    them from the source folders through the staticfiles finders (WHITENOISE_USE_FINDERS) rather
    than running collectstatic into STATIC_ROOT first: nothing is copied (node_modules' echarts and
    bootstrap included) on every start, and an edited file under static/ is served after a restart
    without a stale staticfiles/ copy in between. Production collects them (Dockerfile) with the
    manifest storage, and whitenoise serves STATIC_ROOT there.
    """
    hosts = [host.strip() for host in environ.get("ALLOWED_HOSTS", "").split(",") if host.strip()]
    hosts += [host for host in LOCAL_HOSTS if host not in hosts]
    return {
        "DEBUG": "1" if dev else "0",
        "ALLOWED_HOSTS": ",".join(hosts),
        "WHITENOISE_USE_FINDERS": "1",
        "PYTHONUNBUFFERED": "1",
    }


def web_command(*, dev: bool, port: int) -> list[str]:
    """runserver; its reloader only for developers (`make run` runs the code as it was started)."""
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"]
    return command if dev else [*command, "--noreload"]


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
    elif get_user_model().objects.filter(username=_first_demo_username()).exists():
        print("run: demo data already loaded.", flush=True)
    else:
        print("run: loading the demo data (manage.py seed_demo) ...", flush=True)
        call_command("seed_demo")
    connections.close_all()


def _first_demo_username() -> str:
    from demo.data import DEMO_USERS  # after django.setup(): the demo data imports the models

    return DEMO_USERS[0].username


def demo_logins_text() -> str:
    """The demo logins grouped by role, from the seed's own list (demo/data.py, DEMO_USERS): the
    README's Demo logins section lists the same users (tests/test_run_launcher.py)."""
    try:
        from demo.data import demo_logins
    except ImportError:
        return "    see README.md, Demo logins"
    return "\n".join(f"    {role}: {', '.join(usernames)}" for role, usernames in demo_logins())


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run web, Celery worker and beat (make run / make dev).")
    parser.add_argument("--dev", action="store_true", help="DEBUG on and runserver's auto-reload (make dev)")
    dev = parser.parse_args(argv).dev
    os.chdir(ROOT)
    os.environ.update(launcher_environment(dev=dev, environ=os.environ))
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
    logins = demo_logins_text()

    python = sys.executable
    commands = {
        "web": web_command(dev=dev, port=port),
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
                    f"  PIL Tracker is running at http://127.0.0.1:{port}/  (admin: /admin/)"
                    f"{'  [DEBUG on, auto-reload]' if dev else ''}\n"
                    f"  Demo logins:\n{logins}\n"
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
