"""The search fields (occupation, place) as a person uses them: a suggestion chosen with the keyboard (type,
wait for the option, ArrowDown, Enter), or free text submitted as typed."""

import re

BAKER = "Boulanger / Boulangère"


def pick_suggestion(page, field: str, typed: str, option: str):
    """Type `typed` into the combobox whose name matches `field`, wait for the option labelled `option`, take
    the first suggestion with the keyboard; returns the combobox."""
    combobox = page.get_by_role("combobox", name=re.compile(field))
    combobox.click()
    combobox.press_sequentially(typed, delay=30)
    page.locator(f'[role=option][data-label="{option}"]').first.wait_for()
    combobox.press("ArrowDown")
    combobox.press("Enter")
    return combobox


def pick_baker(page) -> None:
    """« Boulanger / Boulangère » (ROME D1102) in the « Métier » field, by typing « boulang »."""
    occupation = pick_suggestion(page, "Métier", "boulang", BAKER)
    assert occupation.input_value() == BAKER
    assert page.locator("#id_rome").input_value() == "D1102"


def search_as_typed(page, base_url: str, occupation: str, place: str) -> None:
    """From the home page, type both fields without picking a suggestion, then submit with the keyboard (the
    fields and the button are the same without JavaScript)."""
    page.goto(base_url + "/")
    page.get_by_role("combobox", name=re.compile("Métier")).fill(occupation)
    page.get_by_role("combobox", name=re.compile("Ville ou code postal")).fill(place)
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Rechercher").press("Enter")
    page.wait_for_url(re.compile(r"/recherche/\?"))
