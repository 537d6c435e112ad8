/*
 * Preloaded into the backend under `yarn soak`: every 5 seconds appends
 * one JSON line to $TMS_SOAK_PROBE_FILE with the process's memory and the
 * event loop's delay over those 5 seconds, measured from inside, where
 * the delay happens.
 */
const { appendFileSync } = require('node:fs');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const file = process.env.TMS_SOAK_PROBE_FILE;
if (file) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  setInterval(() => {
    const memory = process.memoryUsage();
    appendFileSync(
      file,
      `${JSON.stringify({
        at: Date.now(),
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        loopDelayP99Ms: delay.percentile(99) / 1e6,
        loopDelayMaxMs: delay.max / 1e6,
      })}\n`,
    );
    delay.reset();
  }, 5000).unref();
}
