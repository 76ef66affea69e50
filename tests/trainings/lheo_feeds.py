"""Feeds built from the real ONISEP sample (../shared/data/lheo/samples/exemple-bts-onisep.xml)."""

from pathlib import Path

from tests.conftest import DATA_DIR

SAMPLE = DATA_DIR / "lheo" / "samples" / "exemple-bts-onisep.xml"
SAMPLE_ID = "9436_18706"
NS_22 = 'xmlns="http://www.lheo.org/2.2"'
NS_23 = 'xmlns="http://lheo.gouv.fr/2.3"'


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def _parts() -> tuple[str, str, str]:
    text = sample_text()
    start = text.index("<formation ")
    end = text.index("</formation>") + len("</formation>")
    return text[:start], text[start:end], text[end:]


def formation(number: str = SAMPLE_ID, **replacements: str) -> str:
    """The sample's <formation> with its identifiers (formation, action, session) set to `number`."""
    block = _parts()[1].replace(f'numero="{SAMPLE_ID}"', f'numero="{number}"')
    for old, new in replacements.items():
        assert old.replace("__", "-") in block or old in block, old
        block = block.replace(old, new)
    return block


def replace(block: str, old: str, new: str) -> str:
    assert old in block, old
    return block.replace(old, new)


def feed(*blocks: str, version: str = "2.2") -> str:
    head, _, tail = _parts()
    if version == "2.3":
        head = head.replace(NS_22, NS_23)
    return head + "\n".join(blocks) + tail


def write(tmp_path: Path, text: str, name: str = "flux.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# BTS « Négociation et digitalisation de la relation client », successor of RNCP474 in the apprenticeship kit
# (Kit_apprentissage_20231218.csv: CFD 32031212, RNCP38368, niveau 5, apprentissage oui, échéance 31/12/2028).
CURRENT_RNCP = "38368"
CURRENT_CFD = "32031212"
# An engineering degree of the kit not open to apprenticeship (RNCP38320, apprentissage non, échéance 31/08/2028).
NOT_APPRENTICESHIP_RNCP = "38320"


def current(number: str, rncp: str = CURRENT_RNCP, **replacements: str) -> str:
    """The sample moved to the current BTS with sessions starting next September (a course to publish)."""
    import datetime as dt

    year = dt.date.today().year + 1
    block = formation(number, **replacements)
    block = replace(block, "<code-RNCP>474</code-RNCP>", f"<code-RNCP>{rncp}</code-RNCP>")
    block = replace(block, "<debut>20150901</debut>", f"<debut>{year}0901</debut>")
    return replace(block, "<fin>20170831</fin>", f"<fin>{year + 2}0831</fin>")
