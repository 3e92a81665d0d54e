"""Generated and hand-written docs stay in step with the code."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from liverlens.cli import cli
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.reference import clinical_rules_markdown

ROOT = Path(__file__).parent.parent


def test_clinical_rules_page_is_up_to_date(kb: KnowledgeBase) -> None:
    page = ROOT / "docs" / "clinical-rules.md"
    assert page.read_text(encoding="utf-8") == clinical_rules_markdown(kb), (
        "docs/clinical-rules.md is out of date: run `make docs`"
    )


def test_clinical_rules_page_lists_every_rule(kb: KnowledgeBase) -> None:
    page = clinical_rules_markdown(kb)
    for ident in [
        *kb.thresholds,
        *(r.id for r in kb.urgency_rules),
        *kb.causes,
        *kb.scores,
        *kb.workup,
    ]:
        assert f"| {ident} |" in page or f"### {ident} " in page, ident


def test_every_cli_command_has_help_with_an_example_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.output, name
        assert f"liverlens {name}" in readme, f"README does not mention `liverlens {name}`"
