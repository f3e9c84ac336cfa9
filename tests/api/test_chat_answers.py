"""What the assistant says, and how sure it says it: quoted tables and lists keep their shape, and an answer the
articles may not give is offered as passages that may help, never as the answer."""

from __future__ import annotations

import pytest

from site_builder.pipeline import build
from tests.api.conftest import ask, in_process, text_of
from tests.conftest import article, config_for, help_center, write


def error_and_printer_articles(root):
    """A help center with an error-code table, a settings table and numbered steps, among other articles."""
    help_center(root)
    write(root, "errors/sign-in-errors.md", article("Sign-in error codes", """
        Each message you may see when signing in, with its code.

        ## Error codes

        | Code | Message |
        |---|---|
        | E3103 | Location is required |
        | E3110 | Your password has expired |
        | E3121 | Too many attempts, wait 15 minutes |

        ## Session settings

        | Setting | Default | What it does |
        |---|---|---|
        | **Idle timeout** | 30 minutes | Signs you out after this long without activity. |
        | **Remember me** | 14 days | Keeps you signed in on a trusted device. |
        """))
    write(root, "devices/connect-a-label-printer.md", article("Connect a label printer", """
        Print asset labels from the desk with a thermal label printer.

        ## Connect the printer

        To connect a label printer:

        1. Plug the printer into the computer with its USB cable.
        2. Open **Settings > Devices** and click **Add printer**.
        3. Pick the printer in the list and click **Print test label**.

        The test label shows a QR code of the asset register.
        """))
    write(root, "assets/asset-register.md", article("The asset register", """
        The asset register lists every asset at a site: boilers, chillers, lifts and doors.

        ## Retire an asset

        Open the asset, click **Retire** and give a reason. Retired assets keep their history.
        """))
    write(root, "sites/site-switcher.md", article("Switch between sites", """
        Use the site switcher in the top bar to move between the buildings you look after.
        """))
    write(root, "news/release-notes.md", article("Release notes", """
        ## November

        - Dark mode for the web app.
        - Faster exports of the asset register.
        - Barcode scanning on tablets.
        """))


@pytest.fixture(scope="module")
def answers(tmp_path_factory, embedder):
    base = tmp_path_factory.mktemp("answers")
    content = base / "content"
    error_and_printer_articles(content)
    build(config_for(content, base / "build", cache=base / "cache"), log=lambda _: None)
    with in_process(base / "build", base / "var", embedder) as client:
        yield client


def test_a_table_row_is_quoted_as_code_and_message(answers):
    events = ask(answers, {"question": "What does error E3103 mean?"})
    text, done = text_of(events), events[-1][1]
    assert "E3103: Location is required" in text
    assert "Code Message" not in text and "E3103 Location" not in text
    assert done["answered"] is True and done["confidence"] == "high"


def test_a_row_of_a_wider_table_names_each_value_by_its_column(answers):
    text = text_of(ask(answers, {"question": "How long is the idle timeout?"}))
    assert "**Idle timeout** — Default: 30 minutes; What it does: Signs you out after this long without activity." in text
    assert "Remember me" not in text, "a row that shares no word with the question is not quoted"


def test_steps_are_quoted_as_a_numbered_list(answers):
    text = text_of(ask(answers, {"question": "How do I connect a label printer?"}))
    lines = text.split("\n")
    assert "1. Plug the printer into the computer with its USB cable." in lines
    assert "2. Open **Settings > Devices** and click **Add printer**." in lines
    assert any(line.startswith("3. Pick the printer in the list") for line in lines)


def test_a_question_whose_words_are_there_but_not_its_meaning_gets_passages_that_may_help(answers):
    """Every word is in some article (site switcher, history, retired), but no article says what it asks."""
    events = ask(answers, {"question": "Does the site switcher keep the history of retired lifts?"})
    text, done = text_of(events), events[-1][1]
    assert done["answered"] is True and done["confidence"] == "low"
    assert text.startswith("I'm not sure the help center answers this. These passages may help:")
    assert done["citations"], "the passages offered are still cited"


def test_a_question_about_another_product_is_never_answered_confidently(answers):
    """Its words (add, top bar, site) are in the articles, enough to pass the answer gate; its meaning is not."""
    events = ask(answers, {"question": "How do I add an announcement bar to the top bar of my docs site?"})
    text, done = text_of(events), events[-1][1]
    assert done["confidence"] == "low"
    assert text.startswith("I'm not sure the help center answers this. These passages may help:") or (
        done["answered"] is False and "couldn't find an answer" in text)


def test_a_bullet_point_is_quoted_alone_as_a_list_item(answers):
    """Bullet points (changes, options, notes) each stand alone, unlike numbered steps."""
    lines = text_of(ask(answers, {"question": "Is there a dark mode for the web app?"})).split("\n")
    assert "- Dark mode for the web app. [1]" in lines
    assert not any("Barcode scanning" in line for line in lines)
