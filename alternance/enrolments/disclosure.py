"""Statistical disclosure control of published counts (pure): no group of fewer than 3 learners.

Cells are counts keyed by any hashable; `constraints` say which published cells add up to which total
(total = sum of parts), e.g. a region and its départements, or a month and its statuses. Primary
suppression hides every count from 1 to THRESHOLD - 1. Secondary suppression then hides more cells, until,
in every constraint:
- no member is the only hidden one (else: total minus the published parts gives it back), and
- when the total is published, the hidden parts add up to 0 or at least THRESHOLD (else their sum
  reveals a group of fewer than 3).
The complementary cell is the smallest non-zero published part (or the total when none is left). A key
shared by several constraints is hidden everywhere at once, so tables published side by side agree.
This is the classic cell-suppression heuristic (as in tau-argus's "hypercube" spirit); it does not
solve the full linear-programming attack on many overlapping tables, which these one-way breakdowns
do not form.
"""

from collections.abc import Hashable, Iterable

THRESHOLD = 3
PRIMARY, COMPLEMENTARY = "small", "complementary"


def suppress(
    cells: dict[Hashable, int],
    constraints: Iterable[tuple[Hashable, list[Hashable]]],
    threshold: int = THRESHOLD,
) -> dict[Hashable, str]:
    """Hidden cells and why: {key: "small" | "complementary"}."""
    constraints = [(total, [p for p in parts if p != total]) for total, parts in constraints]
    hidden = {key: PRIMARY for key, value in cells.items() if 0 < value < threshold}
    changed = True
    while changed:
        changed = False
        for total, parts in constraints:
            extra = _complement(cells, hidden, total, parts, threshold)
            if extra is not None:
                hidden[extra] = COMPLEMENTARY
                changed = True
    return hidden


def _complement(cells, hidden, total, parts, threshold):
    """The cell to hide so that this constraint reveals nothing, or None when it is already safe."""
    hidden_parts = [p for p in parts if p in hidden]
    hidden_count = len(hidden_parts) + (total in hidden)
    hidden_sum = sum(cells.get(p, 0) for p in hidden_parts)
    unsafe = hidden_count == 1 or (total not in hidden and 0 < hidden_sum < threshold)
    if not unsafe:
        return None
    candidates = sorted(
        (p for p in parts if p not in hidden),
        key=lambda p: (cells.get(p, 0) == 0, cells.get(p, 0), str(p)),
    )
    if candidates and (cells.get(candidates[0], 0) > 0 or total in hidden):
        return candidates[0]
    if total not in hidden:
        return total
    return candidates[0] if candidates else None


def recomputable(cells: dict, hidden: dict, constraints) -> list[tuple[Hashable, int]]:
    """What an attacker gets by differencing: hidden cells that a constraint gives back exactly, and
    groups of hidden parts whose sum (total minus published parts) is between 1 and THRESHOLD - 1.
    Used by the tests; an empty list means the publication is safe against this attack."""
    found = []
    for total, parts in constraints:
        parts = [p for p in parts if p != total]
        unknown = [p for p in parts if p in hidden] + ([total] if total in hidden else [])
        if len(unknown) == 1:
            found.append((unknown[0], cells.get(unknown[0], 0)))
        elif total not in hidden and unknown:
            rest = cells[total] - sum(cells.get(p, 0) for p in parts if p not in hidden)
            if 0 < rest < THRESHOLD:
                found.append((tuple(unknown), rest))
    return found
