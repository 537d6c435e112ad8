/*
 * Preloaded into the backend under `yarn soak`: every
 * $TMS_SOAK_PROBE_INTERVAL_MS (5 seconds by default) appends one JSON line
 * to $TMS_SOAK_PROBE_FILE with the process's memory and the event loop's
 * delay over that interval, measured from inside, where the delay
 * happens. From the SIGUSR2 the soak sends when its warm-up
 * ends, each line also carries the delay over the whole run since then.
 */
const { appendFileSync } = require('node:fs');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const file = process.env.TMS_SOAK_PROBE_FILE;
if (file) {
  // The histogram records the time between the sampler's 10 ms ticks, so
  // an idle loop reads 10 ms: the delay is what exceeds the interval, as
  // `yarn bench:ingest` counts it too.
  const resolutionMs = 10;
  const lateMs = nanos => Math.max(0, nanos / 1e6 - resolutionMs);
  const delay = monitorEventLoopDelay({ resolution: resolutionMs });
  delay.enable();
  const sinceWarmUp = monitorEventLoopDelay({ resolution: resolutionMs });
  let warm = false;
  process.on('SIGUSR2', () => {
    sinceWarmUp.reset();
    sinceWarmUp.enable();
    warm = true;
  });
  setInterval(() => {
    const memory = process.memoryUsage();
    appendFileSync(
      file,
      `${JSON.stringify({
        at: Date.now(),
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        loopDelayP99Ms: lateMs(delay.percentile(99)),
        loopDelayMaxMs: lateMs(delay.max),
        ...(warm && {
          sinceWarmUpLoopDelayP99Ms: lateMs(sinceWarmUp.percentile(99)),
          sinceWarmUpLoopDelayP999Ms: lateMs(sinceWarmUp.percentile(99.9)),
          sinceWarmUpLoopDelayMaxMs: lateMs(sinceWarmUp.max),
        }),
      })}\n`,
    );
    delay.reset();
  }, Number(process.env.TMS_SOAK_PROBE_INTERVAL_MS ?? 5000)).unref();
}
