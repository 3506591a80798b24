"""Made-up Dockerfiles for the Dockerfile benchmarks: kernel images in the shape of
Backend.AI's (multi-stage, ARG-parameterised, long LABEL blocks, RUN blocks with
continuations and heredocs), made from the test corpus (tests/data/dockerfiles/).
They are shorter than real kernel images and dense in what the lint reads word by word
(ARG, FROM, ENV, LABEL): the harder case (real ones: compare_dockerfile.py --dir).

:func:`dockerfiles` gives *count* distinct files: each corpus file in turn, with its
versions, label values and RUN blocks changed per copy, so that no file repeats and
no memo of the label checks sees the same values twice in a row.
"""

from __future__ import annotations

import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "dockerfiles"

_EXTRA_RUN = """\
RUN set -eux; \\
    apt-get update; \\
    apt-get install -y --no-install-recommends \\
        ca-certificates curl git less vim-tiny openssh-client \\
        # the tools every kernel image carries
        libjpeg-turbo8 libpng16-16 libtiff5 libgl1 \\
        fonts-noto-cjk locales tzdata; \\
    rm -rf /var/lib/apt/lists/*; \\
    echo "build {index}" > /etc/build-{index}
COPY --chown=work:work <<EOF /home/work/.bashrc
export PS1='\\u@\\h:\\w\\$ '
alias ll='ls -l'
EOF
WORKDIR /home/work
"""


# The first line of an instruction whose reading is remembered across files (ARG, FROM,
# ENV, LABEL in any case): where --distinct makes each file's differ from every other's.
_REMEMBERED = re.compile(r"(?im)^(?:arg|from|env|label)\b[^\n]*")


def _blanks(index: int) -> str:
    """Trailing blanks unique to file *index* (its number in binary, as spaces and tabs)."""
    return "".join(" \t"[int(bit)] for bit in f"1{index:b}")


def dockerfiles(count: int = 300, *, distinct: bool = False) -> list[str]:
    """*count* distinct Dockerfiles.

    With *distinct*, no ARG, FROM, ENV or LABEL instruction of one file is written as
    in another (trailing blanks unique to the file, which change nothing read): no
    split of an instruction is remembered from file to file, only words are.
    """
    sources = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*Dockerfile"))]
    found = []
    for index in range(count):
        text = sources[index % len(sources)]
        minor = index % 13
        text = (
            text.replace("3.11", f"3.{minor}")
            .replace("22.04", f"{20 + index % 5}.04")
            .replace("ubuntu22.04", f"ubuntu{20 + index % 5}.04")
            .replace("8081", str(8081 + index % 500))
            .replace("/usr/bin/python3", f"/usr/bin/python3.{minor}")
        )
        head, _, tail = text.rpartition("\nFROM ")
        extra = _EXTRA_RUN.format(index=index)
        if text.startswith("# escape=`"):
            extra = extra.replace("\\\n", "`\n")
        text = f"{head}\n{extra}FROM {tail}" if head else text + extra
        if distinct:
            blanks = _blanks(index)
            text = _REMEMBERED.sub("\\g<0>" + blanks, text)
        found.append(text)
    return found
