'use strict';
// Page-side timing of the panels' benchmark, installed as an init script in every page: `__bench.painted(cond)`
// polls cond() once per animation frame and resolves with performance.now() after the first frame in which it held
// was painted (a message posted from that frame's rAF callback is delivered after the frame's rendering update), so a
// figure is "input → pixels on screen", one frame's poll at most late. Navigation timings are performance.now()
// itself (0 = navigation start). The conditions the panels expose (data-* attributes) are named here, in the page:
// the panel's CSP allows no eval of a condition sent as text.

/** The init script (runs in the page before the panel's bundle). nav: {cond, arg} to time from navigation, or null. */
function paintProbe(nav) {
  const conds = {
    /** The analytics panel drew a result of at least `min` buckets into every chart card (and is not loading). */
    analyticsDrawn(min) {
      const p = document.querySelector('.mt-an');
      if (!p || p.dataset.loading || p.dataset.loads === '0' || Number(p.dataset.buckets) < min) return false;
      const cards = document.querySelectorAll('.mt-an-chart');
      return cards.length > 0 && Array.from(cards).every((c) => c.dataset.drawn === p.dataset.loads);
    },
    /** The analytics panel drew a newer result than its load number `after`, into every chart card. */
    analyticsRedrawn(after) {
      const p = document.querySelector('.mt-an');
      if (!p || p.dataset.loading || Number(p.dataset.loads) <= after) return false;
      const cards = document.querySelectorAll('.mt-an-chart');
      return cards.length > 0 && Array.from(cards).every((c) => c.dataset.drawn === p.dataset.loads);
    },
    /** The heatmap holds a cell for each of its (at least `min`) days. */
    heatmapDrawn(min) {
      const p = document.querySelector('.mt-act');
      if (!p || p.dataset.loads === '0') return false;
      const days = Number(p.dataset.days);
      return days >= min && document.querySelectorAll('.mt-act-cell').length === days;
    },
  };
  function painted(cond) {
    return new Promise((resolve) => {
      const tick = () => {
        let ok = false;
        try { ok = !!cond(); } catch { /* the panel is not there yet */ }
        if (!ok) return void requestAnimationFrame(tick);
        const ch = new MessageChannel();
        ch.port1.onmessage = () => resolve(performance.now());
        ch.port2.postMessage(0);
      };
      requestAnimationFrame(tick);
    });
  }
  const bench = { painted, conds, lastMouseUp: 0, pending: null, nav: null };
  window.__bench = bench;
  // A drag ends on mouseup: the zoom's clock starts there (capture: before uPlot's own listener).
  window.addEventListener('mouseup', () => (bench.lastMouseUp = performance.now()), true);
  if (nav) bench.nav = painted(() => conds[nav.cond](nav.arg));
}

/** Rejects when `promise` takes longer than `ms`. */
function within(ms, what, promise) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not done in ${ms} ms`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

module.exports = { paintProbe, within };
