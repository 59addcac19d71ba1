import type { FoghornConfig, Weekday } from './config.js';

export interface LocalTime {
  localHour: number;
  weekday: Weekday;
  /** YYYY-MM-DD in the configured zone. */
  localDate: string;
  businessHours: boolean;
  holiday: boolean;
}

const WEEKDAY_BY_SHORT_NAME: Readonly<Record<string, Weekday>> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':');
  return Number(hours) * 60 + Number(minutes);
}

const NEXT_DAY: Readonly<Record<Weekday, Weekday>> = { mon: 'tue', tue: 'wed', wed: 'thu', thu: 'fri', fri: 'sat', sat: 'sun', sun: 'mon' };
const DAY_MINUTES = 24 * 60;

/**
 * Each day's open minutes as [from, to) pairs. A range that ends before it starts crosses midnight:
 * its part after midnight is the next day's (Monday's 22:00-02:00 is Monday 22:00-24:00 and
 * Tuesday 00:00-02:00), so that day's holiday closes it.
 */
function openRangesByDay(businessHours: FoghornConfig['businessHours']): Map<Weekday, Array<[number, number]>> {
  const openRanges = new Map<Weekday, Array<[number, number]>>();
  const open = (day: Weekday, from: number, to: number) => {
    const ranges = openRanges.get(day) ?? [];
    ranges.push([from, to]);
    openRanges.set(day, ranges);
  };
  for (const [day, ranges] of Object.entries(businessHours) as Array<[Weekday, string | string[] | undefined]>) {
    if (ranges === undefined) continue;
    for (const range of Array.isArray(ranges) ? ranges : [ranges]) {
      const [from, to] = range.split('-').map(minutesOf) as [number, number];
      if (to > from) {
        open(day, from, to);
      } else {
        open(day, from, DAY_MINUTES);
        open(NEXT_DAY[day], 0, to);
      }
    }
  }
  return openRanges;
}

/** Builds once per rule set the function that turns an instant into the team's local time facts. */
export function localTimeCalculator(config: Pick<FoghornConfig, 'timezone' | 'businessHours' | 'holidays'>): (now: Date) => LocalTime {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: config.timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
  });
  const holidays = new Set(config.holidays);
  const openRanges = openRangesByDay(config.businessHours);
  return (now) => {
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(now)) parts[part.type] = part.value;
    const localHour = Number(parts.hour);
    const minuteOfDay = localHour * 60 + Number(parts.minute);
    const weekday = WEEKDAY_BY_SHORT_NAME[parts.weekday ?? ''] ?? 'mon';
    const localDate = `${parts.year}-${parts.month}-${parts.day}`;
    const holiday = holidays.has(localDate);
    const open = !holiday && (openRanges.get(weekday) ?? []).some(([from, to]) => minuteOfDay >= from && minuteOfDay < to);
    return { localHour, weekday, localDate, businessHours: open, holiday };
  };
}
