// Entry point of help-widget.js: being written (issue 10).
import "./theme.css";
