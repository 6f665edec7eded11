// Log patterns: records whose bodies differ only in their variable parts (ids, counts, times,
// addresses) grouped under one template, as the pattern views of Loki, Datadog and SigNoz do, so
// five thousand "timed out after 812ms" lines read as one row with its count.
//
// A body's template is its first line with every word that holds a digit replaced by `<*>`
// (UUIDs whole, even where a part has no digit). Drain (He et al., 2017) and the tools built on
// it take the same rule for what a parameter is: ids, numbers, durations, ports, versions and
// addresses all carry a digit, and the wording around them, which tells one message from
// another, does not. Spacing is kept as it was, so a template read back as a LIKE pattern (each
// `<*>` a `%`) finds every record it came from; a `%` takes any text, so also those of a more
// particular pattern that fits it (as Loki's `<_>` does).

/** What stands for a variable part in a template. */
export const VARIABLE = '<*>';
/** Characters of a body's first line that make up its template; the rest only matches. */
export const TEMPLATE_SOURCE_CHARS = 400;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// A word: a run of characters other than spaces, quotes, brackets and separators, which stay as
// they are ("user=<*>", "(<*>)", "[<*>]").
const WORD_WITH_DIGIT = /[^\s"'`()[\]{}<>,;=|]*\d[^\s"'`()[\]{}<>,;=|]*/g;

/** The template of a body (see above). */
export function templateOf(body: string): string {
  const newline = body.indexOf('\n');
  let line = newline === -1 ? body : body.slice(0, newline);
  if (line.endsWith('\r')) line = line.slice(0, -1);
  if (line.length > TEMPLATE_SOURCE_CHARS) line = line.slice(0, TEMPLATE_SOURCE_CHARS);
  return line.replace(UUID, VARIABLE).replace(WORD_WITH_DIGIT, VARIABLE);
}

/** The fixed parts of a template, in order (empty strings where variables touch). */
function fixedParts(template: string): string[] {
  return template.split(VARIABLE);
}

/**
 * A template as a SQL LIKE pattern with `\` as the escape: fixed parts literal, each variable
 * `%`, and any rest of the body (further lines, or past the characters a template is made of).
 */
export function likePatternOf(template: string): string {
  const escaped = fixedParts(template).map((part) => part.replace(/[\\%_]/g, (c) => `\\${c}`));
  return `${escaped.join('%')}%`;
}

/** The same match as likePatternOf (case-insensitive, as log search's LIKE), for records in memory. */
export function patternMatcher(template: string): (body: string) => boolean {
  const escaped = fixedParts(template).map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  const re = new RegExp(`^${escaped.join('[\\s\\S]*')}`, 'i');
  return (body) => re.test(body);
}

/** A record as pattern grouping reads it. */
export interface PatternInput {
  timeNs: bigint;
  severityNumber: number;
  body: string;
  service: string;
}

export interface LogPattern<R extends PatternInput> {
  template: string;
  count: number;
  /** The highest SeverityNumber among its records. */
  maxSeverity: number;
  /** Records per service, most first. */
  services: { service: string; count: number }[];
  firstNs: bigint;
  lastNs: bigint;
  /** Its newest record. */
  example: R;
  /** Its records per step of the window (see PatternSteps); empty without steps. */
  series: number[];
}

/** Steps of a window to count each pattern's records in (for a sparkline per pattern). */
export interface PatternSteps {
  fromNs: bigint;
  stepNs: bigint;
  count: number;
}

/**
 * Groups records by template: the most frequent first (ties: the more severe, then the newest).
 * Records may come in any order; the newest of each template is its example.
 */
export function groupPatterns<R extends PatternInput>(records: readonly R[], steps?: PatternSteps): LogPattern<R>[] {
  const stepOf = (timeNs: bigint): number =>
    steps && timeNs >= steps.fromNs ? Number((timeNs - steps.fromNs) / steps.stepNs) : -1;
  const byTemplate = new Map<string, { pattern: LogPattern<R>; services: Map<string, number> }>();
  for (const record of records) {
    const template = templateOf(record.body);
    const entry = byTemplate.get(template);
    if (!entry) {
      const pattern: LogPattern<R> = {
        template,
        count: 1,
        maxSeverity: record.severityNumber,
        services: [],
        firstNs: record.timeNs,
        lastNs: record.timeNs,
        example: record,
        series: steps ? new Array<number>(steps.count).fill(0) : [],
      };
      count(pattern.series, stepOf(record.timeNs));
      byTemplate.set(template, { pattern, services: new Map([[record.service, 1]]) });
      continue;
    }
    const p = entry.pattern;
    p.count += 1;
    if (record.severityNumber > p.maxSeverity) p.maxSeverity = record.severityNumber;
    if (record.timeNs < p.firstNs) p.firstNs = record.timeNs;
    if (record.timeNs > p.lastNs) {
      p.lastNs = record.timeNs;
      p.example = record;
    }
    entry.services.set(record.service, (entry.services.get(record.service) ?? 0) + 1);
    count(p.series, stepOf(record.timeNs));
  }
  const patterns = [...byTemplate.values()].map(({ pattern, services }) => {
    pattern.services = [...services]
      .map(([service, count]) => ({ service, count }))
      .sort((a, b) => b.count - a.count || a.service.localeCompare(b.service));
    return pattern;
  });
  return patterns.sort(
    (a, b) =>
      b.count - a.count || b.maxSeverity - a.maxSeverity || (a.lastNs > b.lastNs ? -1 : a.lastNs < b.lastNs ? 1 : 0),
  );
}

function count(series: number[] | undefined, step: number): void {
  if (series && step >= 0 && step < series.length) series[step] = (series[step] ?? 0) + 1;
}
