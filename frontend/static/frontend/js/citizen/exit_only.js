// Quick exit on pages without a chat (the self-help pages): the same module as the chat's.
// Without JavaScript the button is a plain link to the neutral page.

import { installQuickExit } from "./quickexit.js";

const button = document.getElementById("quick-exit");
if (button) installQuickExit({ button, exitUrl: button.getAttribute("href"), beforeExit: () => {} });
