"""The Django apps form one-way layers: an import may only point down.

Every module of every app is parsed with ``ast``; each import (at module level or inside a
function, absolute or relative) is mapped to the app it names, and an import of an app on a
higher layer, or of a sibling on the same layer, is a violation. The order and what each app
owns are described in docs/architecture.md.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. Apps on the same layer are siblings and may not import each other.
LAYERS: list[tuple[str, ...]] = [
    # Submitting once (create forms' one-time tokens, the API's Idempotency-Key) knows only the
    # user model, by its setting: every app's create views use it, accounts' invitations too.
    ("agencies", "submissions"),
    ("accounts",),
    # Cross-cutting. Deadlines send their reminders through notifications, so notifications sit
    # one step lower; neither knows cases, feedback or litigation.
    # Storing uploaded files (one helper for every attachment model) sits beside notifications.
    ("notifications", "storage"),
    ("deadlines",),
    ("cases",),
    ("feedback", "litigation"),
    # Reserved for the cooperation modules (referrals, interference, meetings, inspections,
    # typical cases): they sit on this layer once they exist.
    ("referrals", "interference", "meetings", "inspections", "assistance", "typical_cases", "supervision"),
    ("dashboard",),
    ("reports",),
    ("api",),
    ("demo",),
]
LAYER_OF = {app: level for level, apps in enumerate(LAYERS) for app in apps}
# Outside the check: the project package (settings, root URLconf, Celery app) may import
# anything; scripts, benchmarks and tests are not apps.
UNCHECKED = ("pil_tracker", "scripts", "bench", "tests")
# ... except its shared helpers, which every app imports: they sit below every app.
KERNEL = (
    "pil_tracker.env",
    "pil_tracker.errors",
    "pil_tracker.files",
    "pil_tracker.services",
    "pil_tracker.views",
    "pil_tracker.filtering",
)


def app_of(module: str) -> str | None:
    top = module.split(".", 1)[0]
    return top if top in LAYER_OF else None


def imported_modules(source: str, module: str, *, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in ``source``, relative ones resolved."""
    tree = ast.parse(source)
    package_parts = module.split(".") if is_package else module.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def violations(source: str, module: str, *, is_package: bool = False, path: str = "") -> list[str]:
    """Every import in ``source`` (the module ``module``) that points up or across."""
    own = app_of(module)
    if own is None:
        return []
    problems = []
    for line, target in imported_modules(source, module, is_package=is_package):
        other = app_of(target)
        if other is None or other == own:
            continue
        if LAYER_OF[other] > LAYER_OF[own]:
            kind = "upward"
        elif LAYER_OF[other] == LAYER_OF[own]:
            kind = "sideways (siblings)"
        else:
            continue
        problems.append(
            f"{path or module}:{line}: {own} (layer {LAYER_OF[own]}) imports {target} "
            f"({other}, layer {LAYER_OF[other]}): {kind}"
        )
    return problems


def app_modules():
    for app in LAYER_OF:
        app_dir = ROOT / app
        if not app_dir.is_dir():
            continue
        for path in sorted(app_dir.rglob("*.py")):
            relative = path.relative_to(ROOT)
            parts = list(relative.with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            yield path, ".".join(parts), is_package


def test_every_app_is_placed_on_a_layer():
    from django.conf import settings

    local = {name for name in settings.INSTALLED_APPS if (ROOT / name).is_dir()}
    assert local - set(LAYER_OF) == set(), "add the new app to LAYERS in tests/test_layers.py"


def test_imports_only_point_down():
    problems = []
    for path, module, is_package in app_modules():
        problems += violations(
            path.read_text(encoding="utf-8"),
            module,
            is_package=is_package,
            path=str(path.relative_to(ROOT)),
        )
    assert not problems, (
        "Imports that break the one-way layers (see docs/architecture.md); a lower app must "
        "not import a higher one or a sibling:\n  " + "\n  ".join(problems)
    )


def test_the_project_helpers_import_no_app():
    problems = []
    for module in KERNEL:
        path = ROOT / (module.replace(".", "/") + ".py")
        for line, target in imported_modules(path.read_text(encoding="utf-8"), module):
            if app_of(target):
                problems.append(f"{path.relative_to(ROOT)}:{line}: imports {target}")
    assert not problems, "pil_tracker's shared helpers sit below every app:\n  " + "\n  ".join(problems)


def test_the_checker_reports_a_reverse_import():
    """A deadlines module importing cases and litigation (up), at module level, inside a function
    and relatively, is reported line by line; its imports of its own app and of notifications
    (down) are not."""
    source = (
        "from cases.models import Case\n"
        "def scan():\n"
        "    import litigation.selectors\n"
        "    from ..cases import services\n"
        "    from .engine import due\n"
        "    from notifications.services import notify\n"
    )
    problems = violations(source, "deadlines.selectors", path="deadlines/selectors.py")
    assert problems == [
        "deadlines/selectors.py:1: deadlines (layer 3) imports cases.models (cases, layer 4): upward",
        "deadlines/selectors.py:3: deadlines (layer 3) imports litigation.selectors (litigation, layer 5): upward",
        "deadlines/selectors.py:4: deadlines (layer 3) imports cases (cases, layer 4): upward",
    ]
    # Siblings may not import each other either.
    assert violations("from litigation import selectors\n", "feedback.views") == [
        "feedback.views:1: feedback (layer 5) imports litigation (litigation, layer 5): sideways (siblings)"
    ]


def test_the_checker_resolves_relative_imports_in_a_package():
    source = "from .services import case_close\nfrom ..dashboard import metrics\n"
    assert violations(source, "cases", is_package=True) == [
        "cases:2: cases (layer 4) imports dashboard (dashboard, layer 7): upward"
    ]
    assert violations("from api.errors import x\n", "accounts.views") != []
    assert violations("from agencies.models import Agency\n", "accounts.views") == []
