"""PEM text that configuration names (service users' public keys, the IdP's certificate): exactly one block
of the expected label and nothing around it but whitespace, so nothing else a file holds (a private key
under any label, a second block, trailing text) can reach synthesized output.

Used by the environment model (which also loads the key or certificate) and by the constructs that put the
block's body into the stack.
"""
from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

# RFC 7468, section 3: base64 lines of the body (no headers: "Proc-Type:" marks an encrypted legacy key).
_BASE64_LINE = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")
_ARMOUR = re.compile(r"^-----(BEGIN|END) ([A-Z0-9 ]+)-----$")


class PemError(ValueError):
    """Text that is not exactly one PEM block of the expected label; says what was found instead."""


class PrivateKeyFound(PemError):
    """The text holds a private key, under whatever label."""


@dataclass(frozen=True)
class PemBlock:
    label: str
    body: str      # the base64 body on one line, as Snowflake takes a public key
    der: bytes     # the bytes it encodes


def single_block(text: str, label: str) -> PemBlock:
    """The one PEM block of `text`, which must be labelled `label` (`PUBLIC KEY`, `CERTIFICATE`)."""
    lines = [line.strip() for line in text.strip().splitlines()]
    armour = [(i, m.group(1), m.group(2)) for i, line in enumerate(lines) if (m := _ARMOUR.match(line))]
    labels = [found for _, kind, found in armour if kind == "BEGIN"]
    if any("PRIVATE" in found for found in labels) or any("PRIVATE KEY" in line for line in lines):
        raise PrivateKeyFound("holds a private key; configuration may only name public keys and certificates, "
                       "and private keys never enter this repository")
    if not labels:
        raise PemError(f"holds no PEM block; expected one '-----BEGIN {label}-----' block")
    if len(labels) > 1 or len(armour) != 2:
        raise PemError(f"holds {len(labels)} PEM blocks ({', '.join(labels)}); expected exactly one {label} block "
                       "and nothing else")
    (begin, _, begin_label), (end, end_kind, end_label) = armour
    if begin_label != label or end_kind != "END" or end_label != label:
        raise PemError(f"holds a {begin_label} block; expected a {label} block")
    if begin != 0 or end != len(lines) - 1:
        where = "before the BEGIN line" if begin != 0 else "after the END line"
        raise PemError(f"holds text {where}; expected one {label} block and nothing else")
    body_lines = lines[1:-1]
    if not body_lines or not all(_BASE64_LINE.match(line) for line in body_lines):
        raise PemError(f"the {label} block's body is not base64 lines")
    body = "".join(body_lines)
    try:
        der = base64.b64decode(body, validate=True)
    except binascii.Error as exc:
        raise PemError(f"the {label} block's body is not valid base64 ({exc})") from None
    return PemBlock(label=label, body=body, der=der)
