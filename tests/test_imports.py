"""Every import inside a function says why, from a fixed list (ruff PLC0415 finds them;
this test reads their reasons), as pretalx's ``tools/check_plc0415_reasons.py`` does."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REASONS = ("heavy", "app registry", "import cycle")
NOQA = re.compile(r"#\s*noqa:[^#]*\bPLC0415\b\s*(?:\((?P<reason>[^)]*)\))?")


def app_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [
        ROOT / name
        for name in listed
        if not name.startswith(("tests/", "bench/")) and "/migrations/" not in name
    ]


def test_every_function_level_import_gives_its_reason():
    unexplained = []
    for path in app_files():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            match = NOQA.search(line)
            if match and not (match["reason"] or "").startswith(REASONS):
                unexplained.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert unexplained == [], f"give a reason among {REASONS}"


def test_the_rule_is_on_for_application_code():
    config = (ROOT / "pyproject.toml").read_text()
    assert '"PLC0415"' in config.split("[tool.ruff.lint]")[1].split("ignore")[0]
