// Ticks for a time axis: round instants (a whole hour, a midnight...) at a spacing that gives a few of them
// over the span, each labelled no finer and no coarser than the spacing needs. Times are unix seconds, UTC.

const minute = 60;
const hour = 60 * minute;
const day = 24 * hour;
const steps = [
  minute,
  5 * minute,
  15 * minute,
  30 * minute,
  hour,
  3 * hour,
  6 * hour,
  12 * hour,
  day,
  2 * day,
  7 * day,
  14 * day,
  30 * day,
  91 * day,
  365 * day,
];

export interface TimeTick {
  at: number;
  label: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const date = (d: Date) =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const time = (d: Date) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;

/**
 * Up to `maxTicks` round instants within [min, max]. Labels carry the date where it changes (and on the
 * first tick) and the time of day when the spacing is under a day, so no two ticks read the same.
 */
export function timeTicks(min: number, max: number, maxTicks = 4): TimeTick[] {
  if (!(max > min))
    return [{ at: min, label: `${date(new Date(min * 1000))} ${time(new Date(min * 1000))}` }];
  const span = max - min;
  const step =
    steps.find((s) => span / s <= maxTicks - 1) ?? Math.ceil(span / (maxTicks - 1) / day) * day;
  const first = Math.ceil(min / step) * step;
  const ticks: TimeTick[] = [];
  let lastDate = '';
  for (let at = first; at <= max; at += step) {
    const d = new Date(at * 1000);
    const today = date(d);
    const label = step >= day ? today : today === lastDate ? time(d) : `${today} ${time(d)}`;
    lastDate = today;
    ticks.push({ at, label });
  }
  // A span shorter than one step holds no round instant: label its ends instead, to the second.
  if (ticks.length < 2) {
    const start = date(new Date(min * 1000));
    return [min, max].map((at, i) => {
      const d = new Date(at * 1000);
      const clock = `${time(d)}:${pad(d.getUTCSeconds())}`;
      return { at, label: i === 0 || date(d) !== start ? `${date(d)} ${clock}` : clock };
    });
  }
  return ticks;
}
