"""JUnit XML: one ``<testcase>`` per (scenario, adapter), one ``<testsuite>`` per adapter.

CI systems read this format for their test tabs. A ``fail`` becomes ``<failure>`` with the
mismatches, an adapter ``error`` becomes ``<error>`` with its traceback, a ``skip`` becomes
``<skipped>`` with the reason; ``xfail`` (a known divergence) is skipped with its reason, as pytest
writes it, and ``xpass`` is a failure (it fails the run). Test case names match the pytest ids
(``scopes/reuse-true-missing[tensorflow]``) so the two can be cross-referenced.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .format import last_line
from .model import Results

# XML 1.0 cannot carry most control characters, even escaped; tracebacks and messages may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def junit_tree(data: Results) -> ET.ElementTree:
    """The JUnit document of a set of results."""
    root = ET.Element("testsuites", name="tfconf")
    grand = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "time": 0.0}
    for adapter, description in data.adapters.items():
        suite = ET.SubElement(root, "testsuite", name=f"tfconf[{adapter}]")
        props = ET.SubElement(suite, "properties")
        for key, value in (("implementation", description.implementation), ("version", description.version),
                           ("device", description.device), *sorted(description.settings.items())):
            ET.SubElement(props, "property", name=_clean(key), value=_clean(str(value)))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "time": 0.0}
        for scenario in data.scenarios.values():
            result = data.result(scenario.id, adapter)
            if result is None:
                continue
            case = ET.SubElement(suite, "testcase", classname=f"tfconf.{scenario.area or 'spec'}.{adapter}",
                                 name=_clean(f"{scenario.id}[{adapter}]"), time=f"{result.duration:.3f}")
            counts["tests"] += 1
            counts["time"] += result.duration
            if result.status == "fail":
                counts["failures"] += 1
                first = result.mismatches[0] if result.mismatches else "failed"
                node = ET.SubElement(case, "failure", message=_clean(first), type="mismatch")
                node.text = _clean("\n".join(result.mismatches) or "failed")
            elif result.status == "error":
                counts["errors"] += 1
                node = ET.SubElement(case, "error", message=_clean(last_line(result.error) or "adapter error"),
                                     type="adapter-error")
                node.text = _clean(result.error or "")
            elif result.status in ("skip", "xfail"):  # as pytest writes an xfail
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=_clean(result.reason or "skipped"),
                              type="xfail" if result.status == "xfail" else "skip")
            elif result.status == "xpass":  # it fails the run: a known divergence no longer happens
                counts["failures"] += 1
                ET.SubElement(case, "failure", message=_clean(result.reason or "unexpectedly passed"), type="xpass")
            if scenario.title:
                ET.SubElement(case, "system-out").text = _clean(f"{scenario.title}\nclaims: {', '.join(scenario.claims)}")
        for key, value in counts.items():
            suite.set(key, f"{value:.3f}" if key == "time" else str(value))
            grand[key] += value
    for key, value in grand.items():
        root.set(key, f"{value:.3f}" if key == "time" else str(value))
    return ET.ElementTree(root)


def write_junit(data: Results, path: Path) -> None:
    """Write the JUnit XML file (UTF-8, with an XML declaration)."""
    tree = junit_tree(data)
    ET.indent(tree)
    path.parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)
