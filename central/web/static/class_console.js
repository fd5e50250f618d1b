// The class console's live part: ask for it twice a second and replace it when it changed
// (the server answers 204 when nothing did); enable the controls the state allows.
"use strict";
(function () {
  const POLL_MS = 500; // + the site monitor's 0.1 s: a new state shows within a second
  const box = document.getElementById("class-live");
  if (!box) return;
  let version = box.dataset.version;
  async function refresh() {
    try {
      const url = box.dataset.live + "?v=" + encodeURIComponent(version);
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.redirected) {
        // the session ended: say so instead of showing the sign-in page inside this one
        box.textContent = box.dataset.signedOut;
        return; // stop polling
      }
      if (response.status === 200) {
        const data = await response.json();
        version = data.version;
        box.innerHTML = data.html;
        for (const button of document.querySelectorAll("button[data-action]")) {
          button.disabled = !data.offered.includes(button.dataset.action);
        }
      }
    } catch (error) {
      // offline for a moment: keep what is shown, try again at the next tick
    }
    setTimeout(refresh, POLL_MS);
  }
  setTimeout(refresh, POLL_MS);
})();
