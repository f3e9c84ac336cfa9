// help-widget.js: one script tag adds the help button and panel, tooltips, cards and tours to a product's page.
import { startWhenReady } from "./start.js";

startWhenReady(window, { name: "help-widget", extras: [] });
