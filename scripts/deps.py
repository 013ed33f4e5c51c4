"""Print the dependencies declared in pyproject.toml, one per line, for pip.

The project runs from its checkout and never installs itself into site-packages,
so set-up installs only what pyproject.toml declares.
"""

import sys
import tomllib
from pathlib import Path

project = tomllib.loads(Path(__file__).resolve().parent.parent.joinpath("pyproject.toml").read_text())["project"]
deps = list(project["dependencies"])
for extra in sys.argv[1:]:
    deps += project.get("optional-dependencies", {}).get(extra, [])
print("\n".join(deps))
