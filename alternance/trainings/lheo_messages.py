"""The libxml2 messages of an LHEO feed's reading, in French (trainings.lheo)."""

import re

# The usual libxml2 messages, in French (the original follows, for the details).
_LIBXML_FR = (
    (re.compile(r"Element '([^']+)': This element is not expected\. Expected is(?: one of)? \( ([^)]+) \)"),
     "l'élément <{0}> n'est pas attendu à cet endroit ; attendu : {1}"),
    (re.compile(r"Element '([^']+)': This element is not expected"), "l'élément <{0}> n'est pas attendu à cet endroit"),
    (re.compile(r"Element '([^']+)': Missing child element\(s\)\. Expected is(?: one of)? \( ([^)]+) \)"),
     "il manque un élément obligatoire dans <{0}> : {1}"),
    (re.compile(r"Element '([^']+)': \[facet '(\w+)'\] The value '([^']*)'"),
     "la valeur « {2} » de <{0}> ne respecte pas le format LHEO ({1})"),
    (re.compile(r"Element '([^']+)': '([^']*)' is not a valid value"), "la valeur « {1} » de <{0}> n'est pas valide"),
    (re.compile(r"Premature end of data"), "le fichier s'arrête avant la fin (fichier tronqué ?)"),
    (re.compile(r"Opening and ending tag mismatch: (\S+)"), "la balise <{0}> n'est pas refermée correctement"),
    (re.compile(r"Extra content at the end of the document"), "du contenu suit la fin du document"),
    (re.compile(r"StartTag: invalid element name"), "nom de balise invalide"),
)  # fmt: skip

# libxml2's resource limits (its XML_MAX_TEXT_LENGTH: 10,000,000 bytes; XML_MAX_NAME_LENGTH; a depth of 256): the
# French alone, the original only names a parser option (XML_PARSE_HUGE) the sender cannot set.
_LIBXML_LIMITS_FR = (
    (re.compile(r"Resource limit exceeded: Text node too long"),
     "un texte du fichier dépasse 10 millions de caractères, la limite du lecteur XML : raccourcissez-le"),
    (re.compile(r"Resource limit exceeded: Buffer size limit exceeded"),
     "une valeur du fichier dépasse 10 millions de caractères, la limite du lecteur XML : raccourcissez-la"),
    (re.compile(r"Excessive depth in document: (\d+)"),
     "les éléments sont imbriqués sur plus de {0} niveaux, la limite du lecteur XML"),
    (re.compile(r"Name too long"), "un nom de balise ou d'attribut est trop long pour le lecteur XML"),
    (re.compile(r"Resource limit exceeded"),
     "le fichier dépasse une limite du lecteur XML (taille d'un texte ou d'un nom)"),
)  # fmt: skip


def french(message: str) -> str:
    """A French reading of a libxml2 message (unknown messages are returned as they are)."""
    for pattern, template in _LIBXML_LIMITS_FR:
        match = pattern.search(message)
        if match:
            return template.format(*match.groups())
    for pattern, template in _LIBXML_FR:
        match = pattern.search(message)
        if match:
            return f"{template.format(*match.groups())} ({message.strip()})"
    return message.strip()


def schema_reason(log, version: str, namespaces: dict[str, str]) -> tuple[int | None, str]:
    """The line and French reason of an XSD validation's first error."""
    first = log[0] if len(log) else None
    if first is None:
        return None, f"Non conforme au schéma LHEO {version}."
    namespace = next((k for k, v in namespaces.items() if v == version), "")
    message = first.message.replace("{" + namespace + "}", "")
    return first.line, f"Non conforme au schéma LHEO {version} : {french(message)}"
