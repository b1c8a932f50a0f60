"""What ``pip install tunebench`` puts into site-packages: one ``tunebench`` namespace and its data.

PyPI already has packages called ``harness`` and ``reports``; a wheel with those names at its top
level would overwrite them (or be overwritten). The wheel is built from this checkout as pip would.
"""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_installs_one_namespace_with_its_data(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("tunebench-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"tunebench", f"{wheel.name.split('-py')[0]}.dist-info"}
    for needed in ("tunebench/harness/cli/__init__.py", "tunebench/harness/core/store/schema.py",
                   "tunebench/reports/app.py", "tunebench/trainers/lora.py", "tunebench/suites/it_tickets/test.jsonl",
                   "tunebench/harness/scorers/checks/labels.jsonl", "tunebench/harness/scorers/checks/pii.jsonl",
                   "tunebench/harness/core/pii/names.py", "tunebench/examples/demo.yaml"):
        assert needed in names, needed
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "tunebench = tunebench.harness.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()
