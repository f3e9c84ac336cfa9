// help-site.js: the widgets plus the help site's own parts (search box and results page on the API, votes,
// "Ask about this article", the reader page), in a bundle of its own so a product's pages never load them.
import { startWhenReady } from "./start.js";
import { mountSite } from "./site.js";

startWhenReady(window, { name: "help-site", extras: [mountSite] });
