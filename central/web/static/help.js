// Refresh the open help calls every few seconds, without reloading the page. A new call is
// announced: the page title counts the open calls, the list's badge says how many are new,
// and a short tone sounds unless the instructor turned it off (kept in this browser).
// A session that ended shows a sign-in prompt instead of the sign-in page inside the list.
"use strict";
(function () {
  const POLL_MS = 5000;
  const box = document.getElementById("help-list");
  if (!box) return;
  const title = document.title;
  const badge = document.getElementById("help-new");
  const toggle = document.getElementById("help-sound");
  const SOUND_KEY = "sarangbang.help-sound";
  let known = ids();
  let audio = null;

  function ids() {
    return new Set(Array.from(box.querySelectorAll("[data-call]"), (li) => li.dataset.call));
  }
  function soundOn() {
    return window.localStorage.getItem(SOUND_KEY) !== "off";
  }
  function showToggle() {
    if (!toggle) return;
    toggle.textContent = soundOn() ? toggle.dataset.on : toggle.dataset.off;
    toggle.setAttribute("aria-pressed", soundOn() ? "true" : "false");
  }
  function tone() {
    // two short notes (no sound file to load); a browser may hold sound back until the
    // page has been clicked once, which the sound button or any link does
    try {
      audio = audio || new AudioContext();
      for (const [start, pitch] of [[0, 880], [0.25, 660]]) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        gain.gain.value = 0.2;
        osc.frequency.value = pitch;
        osc.connect(gain).connect(audio.destination);
        osc.start(audio.currentTime + start);
        osc.stop(audio.currentTime + start + 0.2);
      }
    } catch (error) {
      // no sound here: the title and the badge still say it
    }
  }
  function announce(fresh) {
    const open = ids().size;
    document.title = open ? "(" + open + ") " + title : title;
    if (badge) {
      badge.hidden = fresh === 0;
      badge.textContent = badge.dataset.template.replace("{n}", String(fresh));
    }
    if (fresh > 0 && soundOn()) tone();
  }
  async function refresh() {
    try {
      const response = await fetch(box.dataset.live, { credentials: "same-origin" });
      if (response.redirected || response.status === 401) {
        const prompt = document.getElementById("help-signed-out");
        if (prompt) prompt.hidden = false;
        box.hidden = true;
        document.title = prompt ? prompt.dataset.title : title;
        return; // stop polling: nothing arrives until the instructor signs in again
      }
      if (response.ok) {
        box.innerHTML = await response.text();
        const now = ids();
        const fresh = Array.from(now).filter((id) => !known.has(id)).length;
        known = now;
        announce(fresh);
      }
    } catch (error) {
      // offline for a moment: keep what is shown, try again at the next tick
    }
    setTimeout(refresh, POLL_MS);
  }
  if (toggle) {
    toggle.addEventListener("click", () => {
      window.localStorage.setItem(SOUND_KEY, soundOn() ? "off" : "on");
      showToggle();
    });
  }
  showToggle();
  announce(0);
  setTimeout(refresh, POLL_MS);
})();
