"""Settings come from the environment in one place, and a bad one is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from liverlens.errors import ConfigurationError, LiverLensError
from liverlens.web.settings import Settings


def test_cds_issuers_are_read_once_into_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LIVERLENS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LIVERLENS_CDS_TRUSTED_ISSUERS", '{"https://ehr": {"keys": []}}')
    assert Settings.from_env().cds_trusted_issuers == {"https://ehr": {"keys": []}}
    monkeypatch.delenv("LIVERLENS_CDS_TRUSTED_ISSUERS")
    assert Settings.from_env().cds_trusted_issuers == {}


@pytest.mark.parametrize("raw", ["{not json", '["https://ehr"]', '{"https://ehr": {"key": []}}'])
def test_a_bad_cds_issuer_setting_says_what_is_expected(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, raw: str
) -> None:
    monkeypatch.setenv("LIVERLENS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LIVERLENS_CDS_TRUSTED_ISSUERS", raw)
    with pytest.raises(ConfigurationError, match="LIVERLENS_CDS_TRUSTED_ISSUERS") as caught:
        Settings.from_env()
    assert isinstance(caught.value, LiverLensError) and '"keys"' in str(caught.value)
