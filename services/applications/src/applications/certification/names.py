"""How a name is compared when the public looks a holder up: "Núñez", "nunez" and "NUÑEZ"
are one name, and so are "O'Brien", "OBrien" and "O Brien".

A name's key is its letters and digits only, accents taken off, case folded. The key is
stored with the certification at issue (the name is fixed then too), so a search compares
keys by index and never transforms a column.
"""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """``name`` as compared: compatibility-decomposed, marks dropped, case folded, and only
    letters and digits kept."""
    # Decomposed before and after case folding: a compatibility form such as a modifier
    # letter can decompose into a capital, and folding can yield a composed letter.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", name).casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))
