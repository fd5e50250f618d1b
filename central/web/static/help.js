// Refresh the open help calls every few seconds, without reloading the page.
"use strict";
(function () {
  const POLL_MS = 5000;
  const box = document.getElementById("help-list");
  if (!box) return;
  async function refresh() {
    try {
      const response = await fetch(box.dataset.live, { credentials: "same-origin" });
      if (response.ok) box.innerHTML = await response.text();
    } catch (error) {
      // offline for a moment: keep what is shown, try again at the next tick
    }
  }
  setInterval(refresh, POLL_MS);
})();
