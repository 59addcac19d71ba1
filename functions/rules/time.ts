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
  const openRanges = new Map<Weekday, Array<[number, number]>>();
  for (const [day, ranges] of Object.entries(config.businessHours) as Array<[Weekday, string | string[] | undefined]>) {
    if (ranges === undefined) continue;
    openRanges.set(
      day,
      (Array.isArray(ranges) ? ranges : [ranges]).map((range) => {
        const [from, to] = range.split('-') as [string, string];
        return [minutesOf(from), minutesOf(to)];
      }),
    );
  }
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
