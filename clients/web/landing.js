// The landing page at /app/: the five apps, and the language switch.

import { registerServiceWorker } from "./core/boot.js";
import { translate } from "./core/i18n.js";
import { languageSwitch } from "./core/ui.js";

registerServiceWorker();
translate(document);
document.getElementById("tools").append(languageSwitch());
