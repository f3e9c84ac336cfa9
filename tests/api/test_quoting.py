"""An article's tables and lists, found again from the plain lines a chunk keeps, to be quoted as they are written."""

from __future__ import annotations

from api.quoting import blocks, key

ARTICLE = """
Intro paragraph.

| Code | Message |
|---|---|
| E3103 | Location is required |
| E3110 | Your password has \\| expired |

Option | Type | Description
------ | ---- | -----------
`retries` | int | How often to try again, see [the guide](guide.md).

1. Plug the printer in.
2. Open **Settings**
   and click **Add printer**.

- A loose item.

    Its own paragraph.
"""


def test_each_row_is_keyed_by_its_plain_words_and_quoted_as_key_value():
    found = blocks(ARTICLE)
    assert found[key("E3103 Location is required")].markdown == "E3103: Location is required"
    assert found[key("E3110 Your password has expired")].markdown == "E3110: Your password has | expired"
    assert found[key("Code Message")].kind == "header"


def test_a_table_without_outer_pipes_names_each_value_by_its_column():
    row = blocks(ARTICLE)[key("retries int How often to try again, see the guide.")]
    assert row.markdown == "`retries` — Type: int; Description: How often to try again, see the guide."


def test_list_items_keep_their_order_and_their_continued_lines():
    found = blocks(ARTICLE)
    first, second = found[key("Plug the printer in.")], found[key("Open Settings and click Add printer.")]
    assert (first.ordered, first.position, second.position) == (True, 0, 1) and first.group == second.group
    assert second.markdown == "Open **Settings** and click **Add printer**."
    loose = found[key("A loose item.")]
    assert not loose.ordered and loose.group != first.group and key("Its own paragraph.") not in found
