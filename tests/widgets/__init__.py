"""Browser tests of the in-product widgets (issue 10), on the real server over the demo build."""
