// Supervisor dashboard: live figures from /ws/supervisor/ and the period's key figures.

import { config } from "../common/config.js";
import { $ } from "../common/dom.js";
import { t } from "../common/i18n.js";
import { ReconnectingSocket, showConnectionState } from "../common/socket.js";
import { showP1Alert } from "../console/alerts.js";
import { showTotals } from "./history.js";
import { showLive } from "./live.js";

function dispatch(frame) {
  switch (frame.type) {
    case "supervisor.live":
      showLive(frame);
      break;
    case "alert.p1":
      showP1Alert(frame, () => $("#p1-heading").scrollIntoView());
      break;
    default:
      break;
  }
}

const socket = new ReconnectingSocket(config.socket_path, {
  onOpen: () => {},
  onFrame: dispatch,
  onState: (state, detail) => showConnectionState($("#connection"), t, state, detail),
});
socket.connect();
showTotals();
