"""Personal data taken out of what users type before it is stored: e-mail addresses, phone and card numbers.

Help questions are full of numbers that are not personal (error codes, dates, times, versions, IP
addresses, order numbers, prices, years), so each pattern asks for more than digits: a card must
pass the Luhn check; a phone number must be written like one (a leading +, an area code in
brackets, a trunk 0, or the 3-3-4 North American shape), hold 8 to 15 digits and not be a date.
"""

from __future__ import annotations

import re

# Starting only where a run of address characters starts keeps a long run from being rescanned.
EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")

# Runs of digits joined by single spaces or dashes; not glued to a word, a '+', a decimal point
# or another number (so "ERR-404", "1.2.3" and "+44 ..." never start one).
DIGIT_RUN = re.compile(r"(?<![\w+.,/-])\d+(?:[ -]\d+)*(?![\w]|[.,/-]\d)")

PHONE = re.compile(r"""
    (?<![\w+.,/-])
    (?: \+\d{1,3} [ .-]? (?:\(\d{1,5}\)[ .-]?)? \d+ (?:[ .-]\d+)*  # +44 20 7946 0958, +1-202-555-0143, +44 (0)20 ...
      | \(\d{2,5}\) [ .-]? \d{2,6} (?:[ .-]\d{2,6})*     # (020) 7946 0958
      | 0\d{1,5} ([ .-]) \d{2,8} (?:\1\d{2,8})*          # 020 7946 0958, 01 23 45 67 89, 0049 30 1234567: a trunk 0
      | 0[1-9]\d{8,9}                                     # 07911123456, 0612345678: a trunk 0, unbroken
      | [2-9]\d{2} ([ .-]) [2-9]\d{2} \2 \d{4}           # 202-555-0143: no NANP area or exchange starts 0 or 1
    )
    (?![\w]|[.,/:-]\d)
""", re.VERBOSE)
# 03.12.2026, 03-12-2026: a trunk 0 and eight digits with separators, but a day, not a number to call.
DATE_SHAPE = re.compile(r"^\d{2}[ .-]\d{2}[ .-]\d{4}$")


def redact(text: str) -> str:
    """`text` with e-mail addresses, card numbers and phone numbers replaced by [email], [card] and [phone].

    E-mails go first (an address may hold digits), then cards (a card run must not be taken for a
    phone number). The placeholders hold no digit or '@', so redacting twice changes nothing."""
    text = EMAIL.sub("[email]", text)
    text = DIGIT_RUN.sub(_card, text)
    return PHONE.sub(_phone, text)


def _card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "[card]" if 13 <= len(digits) <= 19 and _luhn(digits) else match.group()


def _luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _phone(match: re.Match) -> str:
    number = match.group()
    digits = re.sub(r"\D", "", number)
    # 15 is the longest number E.164 allows.
    return "[phone]" if 8 <= len(digits) <= 15 and not DATE_SHAPE.match(number) else number
